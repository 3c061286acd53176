"""WPS-style 巡察整改台账 written with openpyxl, in the layouts county units keep, for the import's
tests and the bench. Each builder writes a file and returns it with the problems it wrote, each
holding what the import must make of it (方面 title, measures, canonical status, dates).

    ledger = standard_ledger(tmp_path, rows=12)
    ledger.path, ledger.lines[0].description, ledger.aspects  # what to assert

The content is fictitious but shaped like the real thing: 方面 as merged heading rows or a
column, measures written "一是…；二是…" or "1.…2.…", deadlines as dates, "2024年6月底前" or
"长期坚持", progress as 已完成/整改中/✓ and the like.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

ASPECTS = (
    "落实全面从严治党主体责任方面",
    "履行工程建设监管职责方面",
    "防范化解风险、维护群众切身利益方面",
    "落实中央八项规定精神方面",
)
# (方面 index, description, measures)
PROBLEMS = (
    (
        0,
        "党组理论学习中心组学习流于形式，研讨交流不深入",
        ("制定年度学习计划", "每季度开展专题研讨", "建立学习督查通报制度"),
    ),
    (0, "基层党支部“三会一课”制度落实不到位", ("开展支部规范化建设", "建立“三会一课”台账")),
    (0, "党风廉政建设责任制落实层层递减", ("签订党风廉政建设责任书", "开展廉政谈话全覆盖")),
    (1, "3#楼外脚手架连墙件缺失等隐患整改督办不力", ("建立隐患整改销号台账", "对逾期未整改项目约谈施工单位")),
    (1, "质量安全监督抽查覆盖面不足", ("制定年度监督抽查计划", "实行在建项目全覆盖检查", "引入第三方巡查")),
    (1, "建筑市场违法分包、挂靠行为查处不力", ("开展建筑市场专项整治", "对违法行为依法顶格处罚")),
    (1, "施工图审查后设计变更监管缺位", ("建立设计变更备案制度", "加强现场核查")),
    (2, "拖欠农民工工资问题时有发生", ("落实农民工工资专用账户制度", "开展欠薪专项排查", "建立欠薪预警机制")),
    (2, "保交楼项目推进缓慢，群众信访较多", ("成立保交楼工作专班", "实行“一楼一策”倒排工期")),
    (2, "住宅工程质量投诉处理不及时", ("建立质量投诉限时办结制度", "定期通报投诉处理情况")),
    (3, "公务用车使用登记不规范", ("完善公务用车使用登记制度", "每月公示用车情况")),
    (3, "会议费、培训费报销审核不严", ("修订财务报销管理办法", "开展财务专项自查")),
)
LEADERS = ("张某某", "李某某", "王某某", "刘某某")
LEAD_UNITS = ("办公室", "质量安全监督站", "建筑市场管理股", "人事股")
DEPARTMENTS = ("机关党委", "质量安全监督站", "建筑市场管理股", "财务股")

DONE, IN_PROGRESS, NOT_STARTED, LONG_TERM = "已完成", "整改中", "未启动", "长期坚持"


@dataclass(frozen=True)
class ProblemLine:
    """One problem as the file writes it (the `*_text` fields) and as the import must store it."""

    aspect: str  # the stored title (no "一、")
    description: str
    measures: tuple[str, ...]
    leader: str
    lead_unit: str
    department: str
    due_on: date | None
    due_text: object  # the cell: a date, a datetime, a serial or a text
    status: str  # canonical
    status_text: str
    completed_on: date | None
    closed_on: date | None
    evidence: str
    number: int = 0  # the 序号 the file writes
    sheet: str = ""
    row: int = 0


@dataclass
class Ledger:
    path: Path
    lines: list[ProblemLine]
    inspection: str  # the 巡察 the import must attach the problems to ("" when the file names none)

    @property
    def aspects(self) -> list[str]:
        return list(dict.fromkeys(line.aspect for line in self.lines))


def _lines(rows: int, year: int, first_number: int = 1) -> list[ProblemLine]:
    """`rows` problems in 方面 order, with a spread of statuses and due forms."""
    lines = []
    for index in range(rows):
        aspect, description, measures = PROBLEMS[index % len(PROBLEMS)]
        if index >= len(PROBLEMS):
            description = f"{description}（第{index // len(PROBLEMS) + 1}轮检查发现）"
        kind = index % 6
        month = 3 + index % 10
        due = date(year, month, calendar.monthrange(year, month)[1])
        if kind in (0, 3):
            status, status_text, done, closed = (
                DONE,
                ("已完成", "✓", "已整改")[index % 3],
                date(year, month, 20),
                None,
            )
            if kind == 3:
                closed = date(year, month, 28)
        elif kind in (1, 4):
            status, status_text, done, closed = IN_PROGRESS, ("整改中", "正在整改")[index % 2], None, None
        elif kind == 2:
            status, status_text, done, closed = NOT_STARTED, "未启动", None, None
        else:
            status, status_text, done, closed = LONG_TERM, "长期坚持", date(year, month, 25), None
        lines.append(
            ProblemLine(
                aspect=ASPECTS[aspect],
                description=description,
                measures=measures,
                leader=LEADERS[index % 4],
                lead_unit=LEAD_UNITS[aspect],
                department=DEPARTMENTS[(index + 1) % 4],
                due_on=None if status == LONG_TERM else due,
                due_text="长期坚持" if status == LONG_TERM else due,
                status=status,
                status_text=status_text,
                completed_on=done,
                closed_on=closed,
                evidence=f"{description[:8]}整改佐证材料" if done else "",
                number=first_number + index,
            )
        )
    lines.sort(key=lambda line: ASPECTS.index(line.aspect))
    return [_renumber(line, first_number + i) for i, line in enumerate(lines)]


def _renumber(line: ProblemLine, number: int) -> ProblemLine:
    return replace(line, number=number)


def _title(sheet, row: int, text: str, width: int, size: int = 16) -> None:
    sheet.cell(row, 1, text).font = Font(size=size, bold=True)
    sheet.cell(row, 1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _headers(sheet, row: int, texts: list[str]) -> None:
    for column, text in enumerate(texts, start=1):
        if text:
            sheet.cell(row, column, text).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = 16


def _write(path: Path, book: openpyxl.Workbook) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _cn(n: int) -> str:
    return "一二三四五六七八九十"[n - 1]


def standard_ledger(
    folder: Path,
    rows: int = 12,
    year: int = 2024,
    *,
    lines: list[ProblemLine] | None = None,
    title: str = "关于市委第三巡察组反馈意见整改落实情况台账",
) -> Ledger:
    """The common county layout: a title naming the 巡察 merged across the width, a 填报单位 line,
    the header on row 3, each 方面 a merged heading row "一、…方面" above its problems, measures
    "一是…；二是…", deadlines "2024.3.30" / "2024年6月底前" / "长期坚持", a blank spacer row and a
    merged 填表人 footer. `lines` replaces the generated problems (numbered as given)."""
    path = folder / f"{title}.xlsx"
    header = [
        "序号",
        "问题描述",
        "整改措施",
        "责任领导",
        "牵头单位",
        "责任科室",
        "整改时限",
        "整改进展",
        "完成时间",
        "佐证材料",
    ]
    width = len(header)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    _title(sheet, 1, title, width)
    sheet.cell(2, 1, "填报单位：汨罗市住房和城乡建设局（盖章）")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    sheet.cell(2, 8, f"填报时间：{year}年12月20日")
    _headers(sheet, 3, header)
    row = 4
    written = []
    aspects: list[str] = []
    for index, line in enumerate(lines if lines is not None else _lines(rows, year)):
        if line.aspect not in aspects:
            aspects.append(line.aspect)
            _title(sheet, row, f"{_cn(len(aspects))}、{line.aspect}", width, size=11)
            row += 1
        due = line.due_text
        if isinstance(due, date) and index % 3 == 0:
            due = f"{due.year}.{due.month}.{due.day}"
        elif isinstance(due, date) and index % 3 == 1:
            due = f"{due.year}年{due.month}月底前"
        elif isinstance(due, date):
            due = f"{due.year}年{due.month}月{due.day}日"
        measures = "".join(
            f"{_cn(i + 1)}是{m}{'。' if i == len(line.measures) - 1 else '；'}"
            for i, m in enumerate(line.measures)
        )
        done = (
            f"{line.completed_on.year}/{line.completed_on.month}/{line.completed_on.day}"
            if line.completed_on
            else None
        )
        values = [
            line.number,
            line.description,
            measures,
            line.leader,
            line.lead_unit,
            line.department,
            due,
            line.status_text,
            done,
            line.evidence or None,
        ]
        for column, value in enumerate(values, start=1):
            sheet.cell(row, column, value)
        # this layout has no 销号 column: the import cannot know the 销号日期
        written.append(_at(line, sheet.title, row, closed_on=None))
        row += 1
        if index == 4:
            row += 1  # a blank spacer row
    row += 1
    sheet.cell(row, 1, "填表人：张某某    联系电话：13812345678")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    from app.importers.ledgers.kinds.rectification import inspection_name_in

    return Ledger(_write(path, book), written, inspection_name_in(title))


def _at(line: ProblemLine, sheet: str, row: int, **changes) -> ProblemLine:
    return replace(line, sheet=sheet, row=row, **changes)


def grouped_header_ledger(
    folder: Path, rows: int = 12, year: int = 2023, name: str = "2023年度整改清单.xlsx"
) -> Ledger:
    """A two-row merged header ("责任主体" over 分管领导/牵头部门/责任部门, "整改情况" over
    完成情况/完成日期/销号时间), a 所属方面 column written "（一）…", measures "1.…2.…", a blank
    spacer column, Excel dates, a 合计 row; neither the title nor the file name names the 巡察."""
    path = folder / name
    top = [
        "问题序号",
        "所属方面",
        "存在问题",
        "",
        "整改举措",
        "责任主体",
        "",
        "",
        "整改时限",
        "整改情况",
        "",
        "",
    ]
    sub = ["", "", "", "", "", "分管领导", "牵头部门", "责任部门", "", "完成情况", "完成日期", "销号时间"]
    width = len(top)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    _title(sheet, 1, f"{year}年巡察反馈问题整改清单", width)
    _headers(sheet, 2, top)
    _headers(sheet, 3, sub)
    for column in (1, 2, 3, 4, 5, 9):
        sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    sheet.merge_cells(start_row=2, start_column=6, end_row=2, end_column=8)
    sheet.merge_cells(start_row=2, start_column=10, end_row=2, end_column=12)
    row = 4
    written = []
    spellings = {DONE: "已完成整改", IN_PROGRESS: "正在整改", NOT_STARTED: "未启动", LONG_TERM: "长期坚持"}
    for line in _lines(rows, year):
        aspect_cell = f"（{_cn(ASPECTS.index(line.aspect) + 1)}）{line.aspect}"
        measures = "\n".join(f"{i + 1}.{m}；" for i, m in enumerate(line.measures))
        due = datetime(line.due_on.year, line.due_on.month, line.due_on.day) if line.due_on else "长期坚持"
        values = [
            line.number,
            aspect_cell,
            line.description,
            None,
            measures,
            line.leader,
            line.lead_unit,
            line.department,
            due,
            spellings[line.status],
            line.completed_on,
            line.closed_on,
        ]
        for column, value in enumerate(values, start=1):
            sheet.cell(row, column, value)
        written.append(_at(line, sheet.title, row, evidence=""))
        row += 1
    sheet.cell(row, 1, "合计")
    sheet.cell(row, 3, f"共{len(written)}个问题")
    return Ledger(_write(path, book), written, "")


def quarterly_ledger(folder: Path, rows: int = 12, year: int = 2024) -> Ledger:
    """One sheet per quarter, each with a 巡察名称 column, 编号 restarting at 1 in each sheet, a
    问题类别 column, "3月31日" deadlines (the year from the title), statuses as 整改状态 with ✓
    and 已销号, 销号日期 and 整改成效 columns."""
    path = folder / f"{year}年巡察整改工作台账.xlsx"
    header = [
        "编号",
        "巡察名称",
        "问题类别",
        "反馈问题",
        "整改措施（任务清单）",
        "责任领导（责任清单）",
        "牵头单位",
        "具体责任单位",
        "整改时限（时间清单）",
        "整改状态",
        "完成日期",
        "销号日期",
        "整改成效",
    ]
    width = len(header)
    book = openpyxl.Workbook()
    book.remove(book.active)
    lines = _lines(rows, year)
    quarters = ("一季度", "二季度", "三季度", "四季度")
    per_sheet = max(1, -(-len(lines) // 2))
    written = []
    inspection = "市委第五巡察组常规巡察"
    for q, start in enumerate(range(0, len(lines), per_sheet)):
        sheet = book.create_sheet(f"{year}年{quarters[q]}")
        _title(sheet, 1, f"{year}年{quarters[q]}巡察反馈问题整改台账", width)
        _headers(sheet, 2, header)
        row = 3
        for number, line in enumerate(lines[start : start + per_sheet], start=1):
            due = f"{line.due_on.month}月{line.due_on.day}日" if line.due_on else "长期坚持"
            status = {DONE: "✓", IN_PROGRESS: "推进中", NOT_STARTED: "未开始", LONG_TERM: "长期坚持"}[
                line.status
            ]
            if line.closed_on:
                status = "已销号"
            values = [
                number,
                inspection,
                line.aspect,
                line.description,
                "\n".join(line.measures),
                line.leader,
                line.lead_unit,
                line.department,
                due,
                status,
                line.completed_on,
                line.closed_on.strftime("%Y-%m-%d") if line.closed_on else None,
                line.evidence or None,
            ]
            for column, value in enumerate(values, start=1):
                sheet.cell(row, column, value)
            written.append(_at(line, sheet.title, row, number=number))
            row += 1
    return Ledger(_write(path, book), written, inspection)


def csv_ledger(folder: Path, rows: int = 12, year: int = 2024) -> Ledger:
    """A GBK .csv exported from an older system: the file name names the 巡察, headers 问题表现/
    完成时限/完成情况, measures "（1）…（2）…", dates "2024/3/31", statuses 完成/整改中/未整改, a
    合计 row at the end."""
    import csv

    path = folder / "市委第二巡察组巡察反馈问题整改台账.csv"
    header = ["序号", "问题类别", "问题表现", "整改措施", "分管领导", "牵头部门", "责任单位", "完成时限"]
    header += ["完成情况", "完成时间", "销号时间", "整改成效"]
    written = []
    spellings = {DONE: "完成", IN_PROGRESS: "整改中", NOT_STARTED: "未整改", LONG_TERM: "长期坚持"}
    table = [header]
    for line in _lines(rows, year):
        measures = "".join(f"（{i + 1}）{m}；" for i, m in enumerate(line.measures))
        table.append(
            [
                str(line.number),
                line.aspect,
                line.description,
                measures,
                line.leader,
                line.lead_unit,
                line.department,
                _slashed(line.due_on) if line.due_on else "长期坚持",
                spellings[line.status],
                _slashed(line.completed_on),
                _slashed(line.closed_on),
                line.evidence,
            ]
        )
        written.append(_at(line, path.stem, len(table)))
    table.append(["合计", "", f"共{len(written)}个问题"] + [""] * (len(header) - 3))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="gbk", newline="") as out:
        csv.writer(out).writerows(table)
    return Ledger(path, written, "市委第二巡察组")


def _slashed(day: date | None) -> str:
    return f"{day.year}/{day.month}/{day.day}" if day else ""


LAYOUTS = {
    "standard": standard_ledger,
    "grouped": grouped_header_ledger,
    "quarterly": quarterly_ledger,
    "csv": csv_ledger,
}


def example_lines() -> list[ProblemLine]:
    """The example unit's 12 problems (app/example_data/registers.py) as a ledger writes them."""
    from app.example_data.registers import ASPECTS as EXAMPLE_ASPECTS
    from app.example_data.registers import PROBLEMS as EXAMPLE_PROBLEMS

    lines = []
    for number, problem in enumerate(EXAMPLE_PROBLEMS, start=1):
        aspect, text, measures, leader, lead_unit, department, due, status, done, closed, evidence = problem
        lines.append(
            ProblemLine(
                aspect=EXAMPLE_ASPECTS[aspect],
                description=text,
                measures=tuple(measures),
                leader=leader,
                lead_unit=lead_unit,
                department=department,
                due_on=due,
                due_text=due,
                status=status,
                status_text=status,
                completed_on=done,
                closed_on=closed,
                evidence=evidence,
                number=number,
            )
        )
    return lines
