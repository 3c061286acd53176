"""WPS-style 隐患排查整改台账 written with openpyxl, in the layouts county units keep, for the
import's tests and the bench. Each builder writes a file and returns it with the lines it wrote,
each line holding what the import must make of it (canonical category, status, dates).

    ledger = standard_ledger(tmp_path / "隐患台账.xlsx", rows=20)
    ledger.path, ledger.lines[0].description, ledger.inspections  # what to assert

The content is fictitious but shaped like the real thing: a few rows per inspection (one project,
one day, two inspectors), 汨罗市-like project names, most hazards rectified, some open.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

PROJECTS = (
    "罗城商业综合体项目",
    "凤凰医院门诊综合楼项目",
    "江南办公楼项目",
    "城北中学教学楼项目",
    "工业园标准厂房项目",
    "循环园安置房项目",
    "金龙文化活动中心项目",
    "向家安置房项目",
    "玉池小区一期项目",
    "屈子祠学生公寓项目",
    "龙舟小区二期项目",
    "汨东养老服务中心项目",
)
INSPECTOR_PAIRS = (("张某某", "李某某"), ("王某某", "赵某某"), ("刘某某", "陈某某"), ("周某某", "吴某某"))
# (description, category as the ledger writes it, the list entry it is, measures)
HAZARDS = (
    ("3#楼外脚手架连墙件缺失", "外架", "脚手架", "按专项方案补设连墙件，验收合格后使用"),
    ("5层楼层临边防护栏杆缺失", "临边防护", "高处坠落", "立即设置临边防护栏杆并挂设安全网"),
    ("塔吊司机无证上岗", "塔吊", "起重机械", "更换持证司机，加强特种作业人员管理"),
    ("开关箱一闸多机", "触电", "临时用电", "实行一机一闸一漏一箱"),
    ("基坑边堆载超过设计荷载", "基坑", "深基坑", "清除基坑边堆载，设置警示标志"),
    ("高支模立杆间距不符合专项方案", "高支模", "模板支撑", "按专项方案调整立杆间距"),
    ("钢筋加工区未设防护棚", "机具", "施工机具", "搭设双层防护棚"),
    ("木工棚未配备灭火器", "消防", "消防", "配备足量灭火器并定期检查"),
    ("裸露土方未覆盖", "扬尘治理", "扬尘", "裸露土方全部覆盖防尘网"),
    ("施工现场材料堆放杂乱", "现场管理", "文明施工", "材料分类堆放并挂牌标识"),
    ("混凝土试块未按规定留置", "质量问题", "工程质量", "按规范留置试块并见证送检"),
    ("电梯井口未设置防护门", "洞口防护", "高处坠落", "电梯井口设置定型化防护门"),
)
RESPONSIBLE = ("施工单位项目经理张工", "施工单位安全员李工", "监理单位总监王工")


@dataclass(frozen=True)
class HazardLine:
    """One ledger row: what the file writes (the `*_text` fields) and what the import makes of it."""

    found_on: date
    project: str
    inspectors: str  # canonical: "张某某、李某某"
    description: str
    category: str  # the list entry
    category_text: str  # as written
    level: str
    measures: str
    responsible: str
    deadline: date
    rectified_on: date | None
    reviewer: str
    status: str  # 待整改 / 整改中 / 已整改
    kind: str = "月例行检查"
    campaign: str = ""
    sheet: str = ""
    row: int = 0  # 1-based row in the sheet

    @property
    def inspection_key(self) -> tuple:
        return (self.found_on, self.project, self.inspectors, self.kind, self.campaign)


@dataclass
class BuiltLedger:
    path: Path
    lines: list[HazardLine] = field(default_factory=list)

    @property
    def inspections(self) -> int:
        return len({line.inspection_key for line in self.lines})

    def on(self, sheet: str, row: int) -> HazardLine:
        return next(line for line in self.lines if line.sheet == sheet and line.row == row)


def sample_lines(rows: int, year: int = 2023, *, per_inspection: int = 3, step: int = 1) -> list[HazardLine]:
    """`rows` hazards, `per_inspection` per inspection, inspections `step` days apart; every
    inspection has its own (day, project) pair, dates run through the year, rectification dates
    stay before 2024-01-20 (the tests' today)."""
    lines: list[HazardLine] = []
    start = date(year, 1, 3)
    for index in range(rows):
        group = index // per_inspection
        found_on = start + timedelta(days=group * step % 350)
        # a new cycle of days shifts the projects by one: (day, project) stays unique to 12 cycles
        project = PROJECTS[(group + group // 350) % len(PROJECTS)]
        pair = INSPECTOR_PAIRS[group % len(INSPECTOR_PAIRS)]
        description, category_text, category, measures = HAZARDS[index % len(HAZARDS)]
        deadline = found_on + timedelta(days=3 + index % 5 * 3)
        if index % 10 == 7:
            status, rectified_on, reviewer = "整改中", None, ""
        elif index % 10 == 9:
            status, rectified_on, reviewer = "待整改", None, ""
        else:
            status = "已整改"
            rectified_on = found_on + timedelta(days=1 + index % 3)
            reviewer = pair[index % 2]
        lines.append(
            HazardLine(
                found_on=found_on,
                project=project,
                inspectors="、".join(pair),
                description=description,
                category=category,
                category_text=category_text,
                level="重大" if index % 25 == 4 else "一般",
                measures=measures,
                responsible=RESPONSIBLE[index % len(RESPONSIBLE)],
                deadline=deadline,
                rectified_on=rectified_on,
                reviewer=reviewer,
                status=status,
            )
        )
    return lines


def stored_lines(session, unit_id: int, start: date, end: date) -> list[HazardLine]:
    """The unit's hazards found from `start` to `end` as ledger lines (to re-import them)."""
    from sqlalchemy import select

    from app.models.safety import SafetyHazard, SafetyInspection, SafetyProject

    rows = session.execute(
        select(SafetyHazard, SafetyInspection, SafetyProject.name)
        .join(SafetyInspection, SafetyInspection.id == SafetyHazard.inspection_id)
        .join(SafetyProject, SafetyProject.id == SafetyHazard.project_id)
        .where(SafetyHazard.unit_id == unit_id, SafetyHazard.found_on.between(start, end))
        .order_by(SafetyHazard.found_on, SafetyHazard.id)
    ).all()
    return [
        HazardLine(
            found_on=hazard.found_on,
            project=project,
            inspectors=inspection.inspectors,
            description=hazard.description,
            category=hazard.category,
            category_text=hazard.category,
            level=hazard.level,
            measures=hazard.measures,
            responsible=hazard.responsible,
            deadline=hazard.deadline,
            rectified_on=hazard.rectified_on,
            reviewer=hazard.reviewer,
            status=hazard.status,
            kind=inspection.kind,
            campaign=inspection.campaign,
        )
        for hazard, inspection, project in rows
    ]


def _title(ws, row: int, text: str, width: int) -> None:
    ws.cell(row, 1, text).font = Font(bold=True, size=16)
    ws.cell(row, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _widths(ws, width: int) -> None:
    for column in range(1, width + 1):
        ws.column_dimensions[get_column_letter(column)].width = 14


def _excel_serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


STANDARD_HEADERS = (
    "序号",
    "检查日期",
    "项目名称",
    "检查人员",
    "隐患描述",
    "隐患类别",
    "隐患等级",
    "整改措施",
    "责任单位",
    "整改期限",
    "整改完成日期",
    "复查人",
    "整改情况",
    "备注",
)
STANDARD_STATUS = {"已整改": "已整改", "整改中": "整改中", "待整改": "未整改"}


def standard_ledger(
    path: Path, rows: int = 20, *, year: int = 2023, lines: list[HazardLine] | None = None
) -> BuiltLedger:
    """One sheet "隐患台账": merged title, a 填报单位 line, the header on row 3 with the app's own
    names, real date cells, the list's category names, 未整改 for 待整改, a 合计 row at the end."""
    lines = lines if lines is not None else sample_lines(rows, year)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "隐患台账"
    width = len(STANDARD_HEADERS)
    _title(ws, 1, f"汨罗市{year}年建设工程安全隐患排查整改台账", width)
    ws.cell(2, 1, "填报单位：汨罗市建筑工程服务中心")
    ws.cell(2, 10, f"填报日期：{year + 1}年1月5日")
    for column, text in enumerate(STANDARD_HEADERS, 1):
        ws.cell(3, column, text).font = Font(bold=True)
    written: list[HazardLine] = []
    for index, line in enumerate(lines):
        r = 4 + index
        values = (
            index + 1,
            datetime(line.found_on.year, line.found_on.month, line.found_on.day),
            line.project,
            line.inspectors,
            line.description,
            line.category,
            line.level,
            line.measures,
            line.responsible,
            line.deadline,
            line.rectified_on,
            line.reviewer,
            STANDARD_STATUS[line.status],
            "",
        )
        for column, value in enumerate(values, 1):
            if value not in (None, ""):
                ws.cell(r, column, value)
        for column in (2, 10, 11):
            ws.cell(r, column).number_format = "yyyy-mm-dd"
        written.append(replace(line, sheet=ws.title, row=r))
    total = 4 + len(lines)
    ws.cell(total, 1, "合计")
    ws.cell(total, 5, f"{len(lines)}条")
    _widths(ws, width)
    book.save(path)
    return BuiltLedger(path, written)


MERGED_STATUS = {
    "已整改": ("已完成", "✓", "完成", "已整改"),
    "整改中": ("整改中",),
    "待整改": ("未完成", "未整改"),
}


def _text_date(day: date, form: int, year: int) -> str:
    """The forms clerks type: 2023.3.12, 2023年3月12日, 3月12日 (the title's year), 2023/3/12."""
    if form == 0:
        return f"{day.year}.{day.month}.{day.day}"
    if form == 1:
        return f"{day.year}年{day.month}月{day.day}日"
    if form == 2 and day.year == year:
        return f"{day.month}月{day.day}日"
    return f"{day.year}/{day.month}/{day.day}"


def merged_header_ledger(
    path: Path,
    rows: int = 20,
    *,
    year: int = 2023,
    inspectors: tuple[str, str] = ("张某某", "李某某"),
    lines: list[HazardLine] | None = None,
) -> BuiltLedger:
    """One sheet "Sheet1" of one inspector team, named in the title ("检查人：张某某、李某某");
    a two-row header with "整改情况" merged over 完成时间/复查人/是否整改, a blank spacer column
    (D), synonyms for every header, text dates in four forms, category synonyms, "立即整改" as a
    deadline on every 6th row, no 检查人员 column, a blank spacer row between months."""
    team = "、".join(inspectors)
    if lines is None:
        lines = [replace(line, inspectors=team) for line in sample_lines(rows, year)]
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Sheet1"
    top = ("序号", "排查日期", "工程名称", None, "存在问题", "类别", "级别", "整改要求", "整改时限")
    width = 14
    _title(ws, 1, f"{year}年安全隐患排查整改台账（检查人：{team}）", width)
    for column, text in enumerate(top, 1):
        if text:
            ws.cell(2, column, text)
            ws.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
    ws.cell(2, 10, "整改情况")
    ws.merge_cells(start_row=2, start_column=10, end_row=2, end_column=12)
    for column, text in ((10, "完成时间"), (11, "复查人"), (12, "是否整改")):
        ws.cell(3, column, text)
    ws.cell(2, 13, "责任单位/人")
    ws.merge_cells(start_row=2, start_column=13, end_row=3, end_column=13)
    ws.cell(2, 14, "备注")
    ws.merge_cells(start_row=2, start_column=14, end_row=3, end_column=14)
    written: list[HazardLine] = []
    r = 4
    month = None
    for index, line in enumerate(lines):
        if month is not None and line.found_on.month != month:
            r += 1  # a blank spacer row between months
        month = line.found_on.month
        immediate = index % 6 == 5
        deadline_text = "立即整改" if immediate else _text_date(line.deadline, index % 4, year)
        if immediate:
            line = replace(line, deadline=line.found_on)
        status_texts = MERGED_STATUS[line.status]
        values = (
            index + 1,
            _text_date(line.found_on, (index + 1) % 4, year),
            line.project,
            None,
            line.description,
            line.category_text,
            "重大隐患" if line.level == "重大" else None,
            line.measures,
            deadline_text,
            _text_date(line.rectified_on, index % 4, year) if line.rectified_on else None,
            line.reviewer or None,
            status_texts[index % len(status_texts)],
            line.responsible,
            None,
        )
        for column, value in enumerate(values, 1):
            if value is not None:
                ws.cell(r, column, value)
        written.append(replace(line, sheet=ws.title, row=r))
        r += 1
    _widths(ws, width)
    book.save(path)
    return BuiltLedger(path, written)


QUARTERS = ("一季度", "二季度", "三季度", "四季度")
QUARTER_HEADERS = (
    "工程名称",
    "发现日期",
    "检查形式",
    "专项名称",
    "排查人",
    "隐患内容",
    "隐患类型",
    "整改措施",
    "责任人",
    "整改期限",
    "复查日期",
    "复查人",
    "整改状态",
)
# (how the ledger writes the kind, the kind, the campaign) for every 5th inspection
CAMPAIGNS = (("专项", "专项检查", "建筑施工安全专项整治"), ("节前检查", "节假日专项", "国庆节前安全检查"))
QUARTER_STATUS = {"已整改": "已完成", "整改中": "正在整改", "待整改": "未整改"}


def quarters_ledger(
    path: Path,
    rows: int = 24,
    *,
    year: int = 2023,
    step: int | None = None,
    lines: list[HazardLine] | None = None,
) -> BuiltLedger:
    """One sheet per quarter ("一季度" …), each titled "2023年第N季度隐患排查台账" over a
    one-row header in another column order (project first), found dates as Excel serial numbers,
    整改期限 as "2023-03-12" text, 复查日期 as date cells, 检查形式 "月检"/"专项"/"节前检查" with a
    专项名称, the inspectors spelled with a full-width comma and a padded name ("张 某某，李某某")."""
    if lines is None:
        # inspections spread over the four quarters (45 days apart for 24 rows, daily for 10,000)
        groups = max(1, -(-rows // 3))
        lines = sample_lines(rows, year, step=step or max(1, min(45, 360 // groups)))
        for i, line in enumerate(lines):
            group = i // 3
            if group % 5 == 4:
                _written, kind, campaign = CAMPAIGNS[group // 5 % len(CAMPAIGNS)]
                lines[i] = replace(line, kind=kind, campaign=campaign)
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {}
    next_row: dict[str, int] = {}
    width = len(QUARTER_HEADERS)
    for number, name in enumerate(QUARTERS, 1):
        ws = book.create_sheet(name)
        _title(ws, 1, f"{year}年第{'一二三四'[number - 1]}季度隐患排查台账", width)
        for column, text in enumerate(QUARTER_HEADERS, 1):
            ws.cell(2, column, text)
        _widths(ws, width)
        sheets[name] = ws
        next_row[name] = 3
    kind_text = {"月例行检查": "月检", **{kind: text for text, kind, _c in CAMPAIGNS}}
    written: list[HazardLine] = []
    for index, line in enumerate(lines):
        name = QUARTERS[(line.found_on.month - 1) // 3] if line.found_on.year == year else QUARTERS[-1]
        ws = sheets[name]
        r = next_row[name]
        next_row[name] = r + 1
        first, second = line.inspectors.split("、")
        inspectors = f"{first[0]} {first[1:]}，{second}" if index % 2 else f"{first}，{second}"
        values = (
            line.project,
            _excel_serial(line.found_on),
            kind_text[line.kind],
            line.campaign or None,
            inspectors,
            line.description,
            line.category_text,
            line.measures,
            line.responsible,
            line.deadline.isoformat(),
            line.rectified_on,
            line.reviewer or None,
            QUARTER_STATUS[line.status],
        )
        for column, value in enumerate(values, 1):
            if value is not None:
                ws.cell(r, column, value)
        if line.rectified_on:
            ws.cell(r, 11).number_format = "yyyy/m/d"
        # no 隐患等级 column: every hazard imports as 一般
        written.append(replace(line, level="一般", sheet=name, row=r))
    book.save(path)
    written.sort(key=lambda line: (QUARTERS.index(line.sheet), line.row))  # the file's order
    return BuiltLedger(path, written)
