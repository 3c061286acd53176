"""WPS-style 信访事项登记台账 written with openpyxl, in the layouts county units keep, for the
import's tests and the bench. Each builder writes a file and returns it with the lines it wrote,
each line holding what the import must make of it (canonical channel, category, status, dates).

    ledger = standard_ledger(tmp_path / "信访台账.xlsx", rows=20)
    ledger.path, ledger.lines[0].summary, ledger.on("信访台账", 4)  # what to assert

The content is fictitious but shaped like the real thing: most items closed with a reply, some in
hand, some waiting for 受理; a few closed after the 条例 deadline.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.services.privacy import id_check_char

PETITIONERS = ("张某某", "李某某", "王某", "刘某某", "陈某", "杨某某", "赵某", "黄某某", "周某", "吴某某")
# (canonical channel, the standard ledger's spelling, the quarterly ledger's spelling, 转办单位)
CHANNELS = (
    ("12345热线/信箱", "12345热线", "12345政务服务热线", "汨罗市12345政务服务便民热线"),
    ("来访", "来访", "走访", ""),
    ("来信", "来信", "群众来信", ""),
    ("网上信访", "网上信访", "网信", "汨罗市信访局"),
    ("信访局转办", "信访局转办", "信访局", "汨罗市信访局"),
    ("市长信箱", "市长信箱", "市长信箱", "汨罗市人民政府办公室"),
)
# (canonical category, the quarterly ledger's spelling, the hotline ledger's spelling, summary)
CATEGORIES = (
    ("房屋质量", "质量问题", "房屋质量", "反映城东安置小区{n}栋屋面漏水，请求督促开发企业维修"),
    ("农民工工资", "欠薪", "拖欠工资", "反映城北中学教学楼项目部拖欠{n}名农民工工资，请求协调支付"),
    ("施工扰民", "噪音扰民", "扰民", "反映汨罗大道改造工程夜间施工噪音扰民（第{n}次）"),
    ("交房问题", "延期交房", "逾期交房", "反映龙舟苑{n}期未按合同约定时间交房，请求督促开发企业交付"),
    ("工程款结算", "工程款", "拖欠工程款", "反映凤凰医院门诊综合楼项目拖欠分包工程款{n}万元"),
    ("拆迁补偿", "征收补偿", "拆迁", "反映城南棚改项目{n}号地块拆迁补偿标准不一"),
)
DEPARTMENTS = ("质量安全股", "建筑市场股", "城建股", "房产股")
LEADERS = ("李某东", "刘某燕", "王某平")
RESULTS = (
    "已组织建设、施工、监理单位现场核查，督促落实保修责任并完成维修，已答复信访人",
    "已约谈施工总承包单位，督促通过农民工工资专用账户足额支付，已答复信访人",
    "已责令施工单位停止夜间施工、办理夜间施工许可，已回访信访人",
)
SATISFACTION = ("满意", "基本满意", "满意", "不满意", "未评价")
# The quarterly and hotline ledgers' spellings of the 满意度 levels.
SATISFACTION_TEXT = {"满意": "非常满意", "基本满意": "比较满意", "不满意": "不满意", "未评价": "未回访"}
NEW_CATEGORY = "物业管理"  # not in the example unit's list: the hotline ledger adds it


@dataclass(frozen=True)
class PetitionLine:
    """One ledger row: what the import must make of it (canonical values) and where it is."""

    received_on: date
    channel: str
    referred_by: str
    petitioner: str
    phone: str
    id_number: str
    people: int
    repeat: bool
    category: str
    summary: str
    department: str
    leader: str
    accepted_on: date | None
    notified_on: date | None
    closed_on: date | None
    result: str
    satisfaction: str
    status: str
    number: str = ""  # "" where the ledger writes none (the import numbers it)
    required_by: date | None = None
    note: str = ""
    assignment: str = ""
    extension_days: int = 0
    extension_reason: str = ""
    channel_text: str = ""  # as written
    category_text: str = ""
    sheet: str = ""
    row: int = 0  # 1-based row in the sheet

    @property
    def late(self) -> bool:
        """Closed after the 60-day 办理期限 (+ the extension, or the sender's 交办时限)."""
        if self.closed_on is None or self.accepted_on is None:
            return False
        due = self.accepted_on + timedelta(days=60 + self.extension_days)
        if self.required_by is not None:
            due = min(due, self.required_by)
        return self.closed_on > due


@dataclass
class BuiltLedger:
    path: Path
    lines: list[PetitionLine] = field(default_factory=list)
    bad: dict[str, tuple[str, int]] = field(default_factory=dict)  # what is wrong → (sheet, row)

    def on(self, sheet: str, row: int) -> PetitionLine:
        return next(line for line in self.lines if line.sheet == sheet and line.row == row)


def _id_number(index: int) -> str:
    first17 = f"43068119{70 + index % 30:02d}{1 + index % 12:02d}{1 + index % 28:02d}{index % 1000:03d}"
    return first17 + id_check_char(first17)


def sample_lines(rows: int, year: int = 2023) -> list[PetitionLine]:
    """`rows` items received through `year` in date order: 1 in 10 in hand (受理, not closed), 1 in
    10 waiting for 受理, the rest closed; every 13th closed item 75 days after 受理 (late), every
    17th accepted 18 days after receipt (past the 15-day 受理告知 limit)."""
    lines: list[PetitionLine] = []
    for index in range(rows):
        received = date(year, 1, 3) + timedelta(days=index * 350 // max(rows, 1))
        channel = CHANNELS[index % len(CHANNELS)]
        category = CATEGORIES[index % len(CATEGORIES)]
        if index % 10 == 7:
            status, accepted = "待受理", None
        else:
            status = "办理中" if index % 10 == 3 else "已办结"
            accepted = received + timedelta(days=18 if index % 17 == 9 else index % 4)
        closed = None
        if status == "已办结" and accepted is not None:
            closed = accepted + timedelta(days=75 if index % 13 == 5 else 5 + index % 40)
        lines.append(
            PetitionLine(
                received_on=received,
                channel=channel[0],
                referred_by=channel[3],
                petitioner=PETITIONERS[index % len(PETITIONERS)],
                phone=f"138{7000 + index % 3000:04d}{(1234 + index * 7) % 10000:04d}",
                id_number=_id_number(index) if index % 3 == 0 else "",
                people=6 if index % 9 == 4 else 1,
                repeat=index % 8 == 6,
                category=category[0],
                summary=category[3].format(n=index + 1),
                department=DEPARTMENTS[index % len(DEPARTMENTS)],
                leader=LEADERS[index % len(LEADERS)],
                accepted_on=accepted,
                notified_on=accepted,
                closed_on=closed,
                result=RESULTS[index % len(RESULTS)] if closed else "",
                satisfaction=SATISFACTION[index % len(SATISFACTION)] if closed else "",
                status=status,
                channel_text=channel[1],
                category_text=category[0],
            )
        )
    return lines


def _title(ws, row: int, text: str, width: int) -> None:
    ws.cell(row, 1, text).font = Font(bold=True, size=16)
    ws.cell(row, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _widths(ws, width: int) -> None:
    for column in range(1, width + 1):
        ws.column_dimensions[get_column_letter(column)].width = 14


def _excel_serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


def _cell_date(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day)


STANDARD_HEADERS = (
    "序号",
    "信访编号",
    "收到日期",
    "信访渠道",
    "转办单位",
    "信访人",
    "联系电话",
    "身份证号",
    "人数",
    "是否重复访",
    "事项类别",
    "内容摘要",
    "承办科室",
    "包案领导",
    "受理日期",
    "告知日期",
    "办结日期",
    "办理结果",
    "群众满意度",
    "办理状态",
    "备注",
)
STANDARD_STATUS = {"已办结": "已办结", "办理中": "办理中", "待受理": "待受理"}


def standard_number(year: int, index: int) -> str:
    return f"汨住建信〔{year}〕{index + 1:03d}号"


def standard_ledger(
    path: Path,
    rows: int = 20,
    *,
    year: int = 2023,
    lines: list[PetitionLine] | None = None,
    bad: bool = False,
) -> BuiltLedger:
    """One sheet "信访台账": merged title, a 填报单位 line, the header on row 3 with the app's own
    names, a 信访编号 on every row (汨住建信〔2023〕001号), real date cells, "12345热线" for the
    list's "12345热线/信箱", a 合计 row. With `bad`, rows 5–8 carry an impossible date, a short
    phone number, an unknown status and a formula without a cached value (in 人数)."""
    if lines is None:
        lines = [
            replace(line, number=standard_number(year, i)) for i, line in enumerate(sample_lines(rows, year))
        ]
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "信访台账"
    width = len(STANDARD_HEADERS)
    _title(ws, 1, f"汨罗市住房和城乡建设局{year}年信访事项登记台账", width)
    ws.cell(2, 1, "填报单位：汨罗市建筑工程服务中心")
    ws.cell(2, 15, f"填报日期：{year + 1}年1月5日")
    for column, text in enumerate(STANDARD_HEADERS, 1):
        ws.cell(3, column, text).font = Font(bold=True)
    written: list[PetitionLine] = []
    built = BuiltLedger(path)
    for index, line in enumerate(lines):
        r = 4 + index
        values: list[object] = [
            index + 1,
            line.number,
            _cell_date(line.received_on),
            line.channel_text or line.channel,
            line.referred_by,
            line.petitioner,
            line.phone,
            line.id_number,
            line.people,
            "是" if line.repeat else "否",
            line.category_text or line.category,
            line.summary,
            line.department,
            line.leader,
            _cell_date(line.accepted_on),
            _cell_date(line.notified_on),
            _cell_date(line.closed_on),
            line.result,
            line.satisfaction,
            STANDARD_STATUS.get(line.status, line.status),
            line.note,
        ]
        if bad and index == 1:
            values[2] = f"{year}.2.30"
            built.bad["date"] = (ws.title, r)
        elif bad and index == 2:
            values[6] = "1387000"
            built.bad["phone"] = (ws.title, r)
        elif bad and index == 3:
            values[19] = "已归档"
            built.bad["status"] = (ws.title, r)
        elif bad and index == 4:
            values[8] = f"=I{r - 1}+1"
            built.bad["formula"] = (ws.title, r)
        for column, value in enumerate(values, 1):
            if value not in (None, ""):
                ws.cell(r, column, value)
        for column in (3, 15, 16, 17):
            ws.cell(r, column).number_format = "yyyy-mm-dd"
        written.append(replace(line, sheet=ws.title, row=r))
    total = 4 + len(lines)
    ws.cell(total, 1, "合计")
    ws.cell(total, 12, f"共{len(lines)}件")
    _widths(ws, width)
    book.save(path)
    built.lines = written
    return built


QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
QUARTER_STATUS = {"已办结": "办结", "办理中": "在办", "待受理": "未受理"}


def _text_date(day: date, form: int, year: int) -> str:
    """The forms clerks type: 2023.3.12, 2023年3月12日, 3月12日 (the title's year), 2023/3/12."""
    if form == 0:
        return f"{day.year}.{day.month}.{day.day}"
    if form == 1:
        return f"{day.year}年{day.month}月{day.day}日"
    if form == 2 and day.year == year:
        return f"{day.month}月{day.day}日"
    return f"{day.year}/{day.month}/{day.day}"


def quarters_ledger(
    path: Path, rows: int = 24, *, year: int = 2023, lines: list[PetitionLine] | None = None
) -> BuiltLedger:
    """One sheet per quarter ("第一季度" …) titled "2023年第一季度信访件办理台账", a two-row
    header with "办理情况" merged over 承办单位/受理时间/办结时间/处理结果, a blank spacer column
    (D), no 信访编号 (the import numbers the items), header synonyms (登记日期, 来源, 反映人,
    反映问题, 问题类别), text dates in four forms ("3月12日" in the title's year), 人数 as "6人",
    channel, category, status and 满意度 in other spellings, a blank row every 6 rows, a 合计 row."""
    if lines is None:
        lines = sample_lines(rows, year)
        lines = [
            replace(
                line,
                channel_text=CHANNELS[i % len(CHANNELS)][2],
                category_text=CATEGORIES[i % len(CATEGORIES)][1],
                notified_on=None,  # no 告知日期, 转办单位, 身份证号, 重复访 or 包案领导 column
                referred_by="",
                id_number="",
                repeat=False,
                leader="",
            )
            for i, line in enumerate(lines)
        ]
    book = openpyxl.Workbook()
    book.remove(book.active)
    top = ("序号", "登记日期", "来源", None, "反映人", "电话", "人数", "反映问题", "问题类别")
    group = ("承办单位", "受理时间", "办结时间", "处理结果")
    tail = ("满意度", "状态", "备注")
    width = len(top) + len(group) + len(tail)
    sheets = {}
    for number, name in enumerate(QUARTERS, 1):
        ws = book.create_sheet(name)
        _title(ws, 1, f"{year}年第{'一二三四'[number - 1]}季度信访件办理台账", width)
        for column, text in enumerate(top, 1):
            if text:
                ws.cell(2, column, text)
                ws.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        first = len(top) + 1
        ws.cell(2, first, "办理情况")
        ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + len(group) - 1)
        for offset, text in enumerate(group):
            ws.cell(3, first + offset, text)
        for offset, text in enumerate(tail):
            column = first + len(group) + offset
            ws.cell(2, column, text)
            ws.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        _widths(ws, width)
        sheets[name] = ws
    next_row = dict.fromkeys(QUARTERS, 4)
    counts = dict.fromkeys(QUARTERS, 0)
    written: list[PetitionLine] = []
    for index, line in enumerate(lines):
        name = QUARTERS[(line.received_on.month - 1) // 3]
        ws = sheets[name]
        if counts[name] and counts[name] % 6 == 0:
            next_row[name] += 1  # a blank spacer row
        r = next_row[name]
        next_row[name] = r + 1
        counts[name] += 1
        values = (
            counts[name],
            _text_date(line.received_on, index % 4, year),
            line.channel_text,
            None,
            line.petitioner,
            int(line.phone),
            f"{line.people}人",
            line.summary,
            line.category_text,
            line.department,
            _cell_date(line.accepted_on),
            _text_date(line.closed_on, 1, year) if line.closed_on else None,
            line.result or None,
            SATISFACTION_TEXT.get(line.satisfaction),
            QUARTER_STATUS[line.status],
            None,
        )
        for column, value in enumerate(values, 1):
            if value is not None:
                ws.cell(r, column, value)
        ws.cell(r, 11).number_format = "yyyy/m/d"
        written.append(replace(line, sheet=name, row=r))
    for name, ws in sheets.items():
        ws.cell(next_row[name], 1, "合计")
        ws.cell(next_row[name], 8, f"{counts[name]}件")
    for name in QUARTERS:
        if not counts[name]:
            book.remove(sheets[name])
    book.save(path)
    return BuiltLedger(path, written)


HOTLINE_HEADERS = (
    "工单编号",
    "交办单位",
    "来信来访日期",
    "姓名",
    "手机号码",
    "身份证号码",
    "诉求内容",
    "反映类型",
    "是否重复",
    "人数",
    "交办时限",
    "责任单位",
    "办结时间",
    "答复意见",
    "群众满意度",
    "备注",
)


def hotline_number(year: int, index: int) -> str:
    return f"GD{year}{index + 1:05d}"


def hotline_ledger(
    path: Path, rows: int = 16, *, year: int = 2023, lines: list[PetitionLine] | None = None
) -> BuiltLedger:
    """The 12345 centre's 交办件 list as units keep it: no title (name the file "2023年12345政务服务
    热线交办件登记表.xlsx": the channel and the year come from it), the header on row 1, no 渠道,
    受理日期 or 状态 column (closed items are taken as accepted on receipt, the others wait for
    受理), a 工单编号 on 3 rows in 4 (the others are numbered by the import), dates as "2023/3/12"
    text and as Excel serial numbers, 办结时间 with a time of day, a 交办时限 10 days after receipt
    (closing later is late), a lower-case x in ID numbers, a new category (物业管理) every 7th row."""
    if lines is None:
        lines = []
        for i, line in enumerate(sample_lines(rows, year)):
            closed = line.closed_on
            if closed is not None:
                closed = line.received_on + timedelta(days=3 + i % 12)
            category = NEW_CATEGORY if i % 7 == 6 else line.category
            lines.append(
                replace(
                    line,
                    number=hotline_number(year, i) if i % 4 != 2 else "",
                    channel="12345热线/信箱",
                    referred_by="汨罗市12345政务服务便民热线",
                    category=category,
                    category_text=NEW_CATEGORY if i % 7 == 6 else CATEGORIES[i % len(CATEGORIES)][2],
                    accepted_on=line.received_on if closed else None,
                    notified_on=None,
                    closed_on=closed,
                    result=line.result if closed else "",
                    satisfaction=line.satisfaction if closed else "",
                    status="已办结" if closed else "待受理",
                    leader="",  # no 包案领导 column
                    required_by=line.received_on + timedelta(days=10),
                    note="回访核实" if i % 5 == 1 else "",
                )
            )
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Sheet1"
    for column, text in enumerate(HOTLINE_HEADERS, 1):
        ws.cell(1, column, text).font = Font(bold=True)
    written: list[PetitionLine] = []
    for index, line in enumerate(lines):
        r = 2 + index
        received = (
            f"{line.received_on.year}/{line.received_on.month}/{line.received_on.day}"
            if index % 2
            else _excel_serial(line.received_on)
        )
        closed = None
        if line.closed_on is not None:
            closed = datetime(
                line.closed_on.year, line.closed_on.month, line.closed_on.day, 9 + index % 8, 30
            )
        values = (
            line.number or None,
            line.referred_by,
            received,
            line.petitioner,
            line.phone,
            line.id_number.lower() or None,
            line.summary,
            line.category_text,
            "是" if line.repeat else "否",
            line.people,
            _cell_date(line.required_by),
            line.department,
            closed,
            line.result or None,
            SATISFACTION_TEXT.get(line.satisfaction),
            line.note or None,
        )
        for column, value in enumerate(values, 1):
            if value is not None:
                ws.cell(r, column, value)
        ws.cell(r, 11).number_format = "yyyy-mm-dd"
        ws.cell(r, 13).number_format = "yyyy-mm-dd hh:mm"
        written.append(replace(line, sheet=ws.title, row=r))
    _widths(ws, len(HOTLINE_HEADERS))
    book.save(path)
    return BuiltLedger(path, written)


CSV_HEADERS = (
    "登记编号",
    "来访日期",
    "信访形式",
    "信访人姓名",
    "联系方式",
    "来访人数",
    "重复信访",
    "交办来源",
    "信访类别",
    "主要诉求",
    "承办股室",
    "责任领导",
    "受理时间",
    "告知时间",
    "延期天数",
    "延期原因",
    "办结时间",
    "处理结果",
    "满意情况",
    "办理进度",
    "说明",
)
CSV_STATUS = {"已办结": "办结", "办理中": "正在办理", "待受理": "新收"}
EXTENSION_REASON = "案情复杂，需多部门会商"


def csv_ledger(
    path: Path,
    rows: int = 12,
    *,
    year: int = 2023,
    encoding: str = "gbk",
    lines: list[PetitionLine] | None = None,
) -> BuiltLedger:
    """The 来访 register as a CSV export (GBK, as WPS saves it by default): the header on row 1,
    a 登记编号 of the form 2023-来访-001, dates as "2023年3月12日" text, "集体访" for groups of
    5 and more, a landline on every 5th row, 首次/重复访, 交办来源 "巡察" on every 4th row (else
    "无"), a 15-day extension (with its reason) on every 6th item in hand or closed, statuses
    written 办结/正在办理/新收."""
    if lines is None:
        lines = []
        for i, line in enumerate(sample_lines(rows, year)):
            extended = i % 6 == 1 and line.accepted_on is not None
            closed = line.closed_on
            if extended and closed is not None:
                closed = line.accepted_on + timedelta(days=70)  # within 60 + 15 days
            lines.append(
                replace(
                    line,
                    number=f"{year}-来访-{i + 1:03d}",
                    channel="来访",
                    channel_text="集体访" if line.people >= 5 else "来访",
                    referred_by="",
                    id_number="",
                    phone=f"0730-52{i:05d}" if i % 5 == 2 else line.phone,
                    assignment="巡察交办" if i % 4 == 0 else "",
                    extension_days=15 if extended else 0,
                    extension_reason=EXTENSION_REASON if extended else "",
                    closed_on=closed,
                    note="已录入信访系统" if i % 3 == 0 else "",
                )
            )

    def text(day: date | None) -> str:
        return "" if day is None else f"{day.year}年{day.month}月{day.day}日"

    written: list[PetitionLine] = []
    with path.open("w", encoding=encoding, newline="") as stream:
        out = csv.writer(stream)
        out.writerow(CSV_HEADERS)
        for index, line in enumerate(lines):
            out.writerow(
                (
                    line.number,
                    text(line.received_on),
                    line.channel_text,
                    line.petitioner,
                    line.phone,
                    f"{line.people}人",
                    "重复访" if line.repeat else "首次",
                    "巡察" if line.assignment else "无",
                    line.category,
                    line.summary,
                    line.department,
                    line.leader,
                    text(line.accepted_on),
                    text(line.notified_on),
                    f"{line.extension_days}天" if line.extension_days else "",
                    line.extension_reason,
                    text(line.closed_on),
                    line.result,
                    line.satisfaction,
                    CSV_STATUS[line.status],
                    line.note,
                )
            )
            written.append(replace(line, sheet=path.stem, row=2 + index))
    return BuiltLedger(path, written)
