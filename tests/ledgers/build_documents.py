"""执法文书登记 ledgers as county clerks keep them in WPS, written with openpyxl for the tests and
the bench. Each layout returns the file and the documents it holds, as the import should read them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from tests.ledgers.build_projects import project_rows

KINDS = (
    ("隐患整改通知书", "汨建安改", "整改通知书"),
    ("隐患整改通知书", "汨建安改", "隐患整改通知"),
    ("停工整改通知书", "汨建安停", "停工令"),
    ("催办通知", "汨建安催", "催办"),
    ("红黄牌", "汨建安牌", "黄牌警示"),
    ("不良行为记录", "汨建安记", "不良行为"),
)
NOTES = (
    "3#楼外脚手架连墙件缺失",
    "塔吊未办理使用登记",
    "基坑临边防护不到位",
    "施工现场扬尘防治措施不落实",
    "",
)


@dataclass(frozen=True)
class DocumentRow:
    kind: str  # canonical
    spelled: str  # as the ledger writes it
    number: str
    issued_on: date
    project: str  # "" for none
    deadline: date | None
    closed_on: date | None
    note: str


@dataclass
class Built:
    path: Path
    documents: list[DocumentRow]
    sheets: dict[str, list[int]]  # sheet title → the sheet row numbers of the documents, in order


def document_rows(rows: int, *, year: int = 2023, projects: list[str] | None = None) -> list[DocumentRow]:
    """`rows` fictitious documents of `year`, each kind with its own running 文号, every fifth
    without a project, deadlines 7 days on, most closed by the deadline."""
    names = projects or [p.name for p in project_rows(8, year=year)]
    counters: dict[str, int] = {}
    out = []
    for i in range(rows):
        kind, prefix, spelled = KINDS[i % len(KINDS)]
        counters[prefix] = counters.get(prefix, 0) + 1
        issued = date(year, 1, 2) + timedelta(days=(i * 3) % 330)
        deadline = (
            issued + timedelta(days=7) if kind in ("隐患整改通知书", "停工整改通知书", "催办通知") else None
        )
        closed = (issued + timedelta(days=3 + i % 5)) if i % 4 else None
        out.append(
            DocumentRow(
                kind=kind,
                spelled=spelled,
                number=f"{prefix}〔{year}〕{counters[prefix]:03d}号",
                issued_on=issued,
                project="" if i % 5 == 4 else names[i % len(names)],
                deadline=deadline,
                closed_on=closed,
                note=NOTES[i % len(NOTES)],
            )
        )
    return out


def _title(sheet: Worksheet, row: int, text: str, width: int) -> None:
    sheet.cell(row, 1, text).font = Font(bold=True, size=16)
    sheet.cell(row, 1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _cell_date(day: date | None) -> datetime | None:
    return datetime.combine(day, datetime.min.time()) if day else None


def write_register(
    path: Path, rows: int = 20, *, year: int = 2023, documents: list[DocumentRow] | None = None
) -> Built:
    """One sheet: a merged title, a one-row header with 序号, the kinds as clerks shorten them
    (整改通知书, 停工令, 催办 …), date cells, and a "合计" row."""
    docs = documents if documents is not None else document_rows(rows, year=year)
    book = Workbook()
    sheet = book.active
    sheet.title = "文书登记"
    heads = ["序号", "文书类型", "文号", "项目名称", "下发日期", "整改期限", "回复日期", "备注"]
    _title(sheet, 1, f"汨罗市建筑工程服务中心{year}年执法文书登记台账", len(heads))
    for column, text in enumerate(heads, 1):
        sheet.cell(2, column, text).font = Font(bold=True)
    numbers = []
    for i, d in enumerate(docs):
        r = 3 + i
        numbers.append(r)
        values = [
            i + 1,
            d.spelled,
            d.number,
            d.project,
            _cell_date(d.issued_on),
            _cell_date(d.deadline),
            _cell_date(d.closed_on),
            d.note,
        ]
        for column, value in enumerate(values, 1):
            cell = sheet.cell(r, column, value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy年m月d日"
    sheet.cell(3 + len(docs), 1, "合计")
    sheet.cell(3 + len(docs), 3, f"共{len(docs)}份")
    book.save(path)
    return Built(path, docs, {sheet.title: numbers})


def write_monthly(
    path: Path, rows: int = 20, *, year: int = 2023, documents: list[DocumentRow] | None = None
) -> Built:
    """One sheet per month ("1月" …) with a 填报单位 line and a two-row merged header (文书 over
    名称/编号, 整改 over 期限/销案日期), a blank spacer column, text dates "2023.1.5", and the
    期限 as a number of days ("7天") when it is 7 days on."""
    docs = documents if documents is not None else document_rows(rows, year=year)
    book = Workbook()
    book.remove(book.active)
    by_month: dict[int, list[DocumentRow]] = {}
    for d in docs:
        by_month.setdefault(d.issued_on.month, []).append(d)
    sheets: dict[str, list[int]] = {}
    for month, group in sorted(by_month.items()):
        sheet = book.create_sheet(f"{month}月")
        width = 8
        _title(sheet, 1, f"{year}年{month}月执法文书登记", width)
        sheet.cell(2, 1, "填报单位：汨罗市建筑工程服务中心安监站")
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        top = ["序号", "文书", "文书", "工程名称", None, "签发日期", "整改", "整改"]
        low = [None, "名称", "编号", None, None, None, "期限", "销案日期"]
        for column, (a, b) in enumerate(zip(top, low, strict=True), 1):
            sheet.cell(3, column, a)
            sheet.cell(4, column, b)
        for column in (1, 4, 6):
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
        sheet.merge_cells(start_row=3, start_column=2, end_row=3, end_column=3)
        sheet.merge_cells(start_row=3, start_column=7, end_row=3, end_column=8)
        numbers = []
        for i, d in enumerate(group):
            r = 5 + i
            numbers.append(r)
            issued = d.issued_on
            if d.deadline is not None and d.deadline == issued + timedelta(days=7):
                deadline: str | None = "7天"
            else:
                deadline = f"{d.deadline.year}.{d.deadline.month}.{d.deadline.day}" if d.deadline else None
            closed = f"{d.closed_on.year}.{d.closed_on.month}.{d.closed_on.day}" if d.closed_on else None
            values = [
                str(i + 1),
                d.kind,
                d.number,
                d.project,
                None,
                f"{issued.year}.{issued.month}.{issued.day}",
            ]
            values += [deadline, closed]
            for column, value in enumerate(values, 1):
                sheet.cell(r, column, value)
        sheets[sheet.title] = numbers
    book.save(path)
    return Built(path, docs, sheets)


def write_notices(folder: Path, rows: int = 20, *, year: int = 2023) -> Built:
    """A ledger of 隐患整改通知书 only, named so ("2023年隐患整改通知书登记台账.xlsx"), with no
    文书类型 column: 编号, 被检查项目, 下达日期 as "2023年3月12日" or "3月12日" (year from the
    title), 要求完成日期, 闭合日期, 主要内容; blank spacer rows after every fourth record."""
    docs = [
        replace(
            d, kind="隐患整改通知书", spelled="隐患整改通知书", number=f"汨建安改〔{year}〕{i + 101:03d}号"
        )
        for i, d in enumerate(document_rows(rows, year=year))
    ]
    path = folder / f"{year}年隐患整改通知书登记台账.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    heads = ["编号", "被检查项目", "下达日期", "要求完成日期", "闭合日期", "主要内容"]
    _title(sheet, 1, f"{year}年隐患整改通知书登记台账", len(heads))
    for column, text in enumerate(heads, 1):
        sheet.cell(3, column, text)
    numbers = []
    r = 4
    for i, d in enumerate(docs):
        if i and i % 4 == 0:
            r += 1
        numbers.append(r)
        issued = d.issued_on
        issued_text = (
            f"{issued.month}月{issued.day}日" if i % 2 else f"{issued.year}年{issued.month}月{issued.day}日"
        )
        values = [
            d.number,
            d.project,
            issued_text,
            _cell_date(d.deadline),
            f"{d.closed_on.year}/{d.closed_on.month}/{d.closed_on.day}" if d.closed_on else None,
            d.note,
        ]
        for column, value in enumerate(values, 1):
            sheet.cell(r, column, value)
        r += 1
    book.save(path)
    return Built(path, docs, {sheet.title: numbers})


def write_with_problems(path: Path) -> Path:
    """A small register whose rows 4–9 each carry one bad value (rows 3 and 10 are good)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "文书登记"
    heads = ["序号", "文书类型", "文号", "项目名称", "下发日期", "整改期限", "回复日期"]
    _title(sheet, 1, "2023年执法文书登记台账", len(heads))
    for column, text in enumerate(heads, 1):
        sheet.cell(2, column, text)
    data = [
        [1, "整改通知书", "汨建安改〔2023〕001号", "", "2023.3.1", "2023.3.8", "2023.3.6"],
        [2, "警告函", "汨建安改〔2023〕002号", "", "2023.3.2", None, None],
        [3, "整改通知书", "汨建安改〔2023〕003号", "", "2023.2.30", None, None],
        [4, "整改通知书", "汨建安改〔2023〕004号", "", "2023.3.4", "2023.3.1", None],
        [5, "停工令", "汨建安停〔2023〕001号", "", "2023.3.5", None, "2024.6.1"],
        [6, "整改通知书", "汨建安改〔2023〕005号", "", "=TODAY()", None, None],
        [7, "整改通知书", "汨建安改〔2023〕006号", "", None, None, None],
        [8, "催办", "汨建安催〔2023〕001号", "", "3月9日", "5个工作日", None],
    ]
    for i, values in enumerate(data):
        for column, value in enumerate(values, 1):
            sheet.cell(3 + i, column, value)
    book.save(path)
    return path
