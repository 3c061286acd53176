"""工程项目清单 ledgers as county clerks keep them in WPS, written with openpyxl for the tests and
the bench. Each layout returns the file and the projects it holds, as the import should read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

PLACES = ("城东", "新市", "归义", "罗江", "白水", "弼时", "大荆", "古仑", "桃林寺", "长乐")
BUILDINGS = (
    ("安置房", "房屋建筑"),
    ("实验中学教学楼", "房屋建筑"),
    ("人民医院住院楼", "房屋建筑"),
    ("污水处理厂提标改造", "市政基础设施"),
    ("再生资源标准厂房", "工业"),
    ("商住楼", "房屋建筑"),
    ("主干道提质改造", "市政基础设施"),
    ("便民服务中心装修", "装饰装修"),
    ("幼儿园", "房屋建筑"),
    ("供水管网改造", "市政基础设施"),
)
# How each layout spells the kinds (the canonical name when a spelling is missing).
KIND_SPELLING = {"房屋建筑": "房建", "市政基础设施": "市政", "工业": "工业", "装饰装修": "装饰装修"}
DEVELOPERS = ("汨罗市城市建设投资开发有限公司", "汨罗市宏图置业有限公司", "汨罗市教育局", "汨罗市水务局")
CONTRACTORS = ("湖南省汨江建设工程有限公司", "岳阳市建宇建筑有限公司", "湖南屈原建工集团有限公司")
SUPERVISORS = ("湖南正弘工程监理有限公司", "岳阳市建信工程项目管理有限公司")
STATUSES = ("在建", "在建", "停工", "竣工验收", "未开工", "竣工验收备案")


@dataclass(frozen=True)
class ProjectRow:
    name: str
    kind: str
    location: str
    developer: str
    contractor: str
    supervision_firm: str
    area: Decimal  # m²
    cost: Decimal  # 万元
    permit_no: str
    status: str
    started_on: date | None
    completed_on: date | None
    note: str = ""


@dataclass
class Built:
    path: Path
    projects: list[ProjectRow]
    sheets: dict[str, list[int]]  # sheet title → the sheet row numbers of the projects, in order


def _phase(i: int) -> str:
    n = i // 100
    return "" if n == 0 else f"{n + 1}期"


def project_rows(rows: int, *, year: int = 2023, start: int = 0) -> list[ProjectRow]:
    """`rows` fictitious projects with unique names, varied kinds, statuses and figures."""
    out = []
    for i in range(start, start + rows):
        building, kind = BUILDINGS[(i // 10) % 10]
        name = f"{PLACES[i % 10]}{building}{_phase(i)}项目"
        status = STATUSES[i % len(STATUSES)]
        started = None if status == "未开工" else date(year - (i % 2), 1 + i % 12, 1 + (i * 7) % 27)
        completed = started + timedelta(days=300 + i % 60) if status in ("竣工验收", "竣工验收备案") else None
        if completed is not None and completed > date(2024, 1, 20):
            completed = date(2023, 12, 1 + i % 20)
        out.append(
            ProjectRow(
                name=name,
                kind=kind,
                location=f"汨罗市{PLACES[i % 10]}镇{PLACES[(i + 3) % 10]}路{i % 90 + 1}号",
                developer=DEVELOPERS[i % len(DEVELOPERS)],
                contractor=CONTRACTORS[i % len(CONTRACTORS)],
                supervision_firm=SUPERVISORS[i % len(SUPERVISORS)],
                area=Decimal(3500 + (i * 1370) % 90000),
                cost=Decimal(500 + (i * 4373) % 60000) + Decimal(i % 100) / 100,
                permit_no=f"4306812023{(i % 12) + 1:02d}{i % 9000 + 1000:04d}01",
                status=status,
                started_on=started,
                completed_on=completed,
                note="重点项目" if i % 7 == 0 else "",
            )
        )
    return out


def _title(sheet: Worksheet, row: int, text: str, width: int) -> None:
    sheet.cell(row, 1, text).font = Font(bold=True, size=16)
    sheet.cell(row, 1).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _text_date(day: date | None, form: str) -> str | None:
    if day is None:
        return None
    if form == "dots":
        return f"{day.year}.{day.month}.{day.day}"
    if form == "slashes":
        return f"{day.year}/{day.month}/{day.day}"
    if form == "chinese":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.month}月{day.day}日"  # "short": the year comes from the title


def write_list(
    path: Path, rows: int = 20, *, year: int = 2023, start: int = 0, projects: list[ProjectRow] | None = None
) -> Built:
    """One sheet: a merged title, a one-row header with 序号, real date cells, figures as numbers
    (㎡ and 万元), 形象进度 spelled 在建/已竣工验收 …, and a 合计 row."""
    if projects is None:
        projects = project_rows(rows, year=year, start=start)
    book = Workbook()
    sheet = book.active
    sheet.title = "项目清单"
    heads = [
        "序号",
        "项目名称",
        "工程类别",
        "建设地点",
        "建设单位",
        "施工单位",
        "监理单位",
        "建筑面积（㎡）",
        "工程造价（万元）",
        "施工许可证号",
        "形象进度",
        "开工日期",
        "竣工日期",
        "备注",
    ]
    _title(sheet, 1, f"汨罗市{year}年建设工程项目清单", len(heads))
    for column, text in enumerate(heads, 1):
        sheet.cell(2, column, text).font = Font(bold=True)
    spelled = {"竣工验收": "已竣工验收", "竣工验收备案": "已备案"}
    numbers = []
    for i, p in enumerate(projects):
        r = 3 + i
        numbers.append(r)
        values = [
            i + 1,
            p.name,
            p.kind,
            p.location,
            p.developer,
            p.contractor,
            p.supervision_firm,
            float(p.area),
            float(p.cost),
            p.permit_no,
            spelled.get(p.status, p.status),
            datetime.combine(p.started_on, datetime.min.time()) if p.started_on else None,
            datetime.combine(p.completed_on, datetime.min.time()) if p.completed_on else None,
            p.note,
        ]
        for column, value in enumerate(values, 1):
            cell = sheet.cell(r, column, value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd"
    total = 3 + len(projects)
    sheet.cell(total, 1, "合计")
    sheet.cell(total, 8, float(sum(p.area for p in projects)))
    sheet.cell(total, 9, float(sum(p.cost for p in projects)))
    book.save(path)
    return Built(path, projects, {sheet.title: numbers})


def write_grouped(
    path: Path, rows: int = 20, *, year: int = 2023, start: int = 0, projects: list[ProjectRow] | None = None
) -> Built:
    """A title and a 填报单位 line, then a two-row merged header (参建单位 over 建设/施工/监理,
    规模 over 建筑面积（万㎡）/合同价（万元）), a blank spacer column, text dates "2023.3.12",
    figures as text with units, kinds "房建"/"市政", statuses 施工中/停工/竣工/已备案."""
    if projects is None:
        projects = project_rows(rows, year=year, start=start)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    width = 12
    _title(sheet, 1, f"{year}年度监管工程项目台账", width)
    sheet.cell(2, 1, f"填报单位：汨罗市建筑工程服务中心      填报日期：{year}年12月31日")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    top = [
        "序号",
        "工程名称",
        "项目类型",
        "参建单位",
        "参建单位",
        "参建单位",
        None,
        "规模",
        "规模",
        "项目状态",
        "状态日期",
        "许可证编号",
    ]
    low = [
        None,
        None,
        None,
        "建设单位",
        "施工单位",
        "监理单位",
        None,
        "面积（万㎡）",
        "合同价",
        None,
        None,
        None,
    ]
    for column, (a, b) in enumerate(zip(top, low, strict=True), 1):
        sheet.cell(3, column, a)
        sheet.cell(4, column, b)
    for column in (1, 2, 3, 10, 11, 12):
        sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    sheet.merge_cells(start_row=3, start_column=4, end_row=3, end_column=6)
    sheet.merge_cells(start_row=3, start_column=8, end_row=3, end_column=9)
    spelled = {
        "在建": "施工中",
        "竣工验收": "竣工",
        "竣工验收备案": "已备案",
        "停工": "停工",
        "未开工": "未开工",
    }
    numbers = []
    for i, p in enumerate(projects):
        r = 5 + i
        numbers.append(r)
        since = p.completed_on if p.completed_on else p.started_on
        values = [
            str(i + 1),
            p.name,
            KIND_SPELLING[p.kind],
            p.developer,
            p.contractor,
            p.supervision_firm,
            None,
            f"{p.area / 10000}万㎡",
            f"{p.cost}万元",
            spelled[p.status],
            _text_date(since, "dots"),
            p.permit_no,
        ]
        for column, value in enumerate(values, 1):
            sheet.cell(r, column, value)
    book.save(path)
    return Built(path, projects, {sheet.title: numbers})


QUARTERS = ("一季度", "二季度", "三季度", "四季度")


def write_quarters(
    path: Path, rows: int = 20, *, year: int = 2023, start: int = 0, projects: list[ProjectRow] | None = None
) -> Built:
    """One sheet per quarter (新增监管项目), title on row 1, header on row 3, columns in another
    order with a blank spacer column, 总投资（元） as text "51203600元", 面积 "12,000平方米",
    dates "2023年3月12日" and "3月12日" (year from the title), blank rows between groups."""
    if projects is None:
        projects = project_rows(rows, year=year, start=start)
    book = Workbook()
    book.remove(book.active)
    heads = [
        "项目名称",
        "施工单位",
        "建设单位",
        None,
        "总投资（元）",
        "面积",
        "开工时间",
        "竣工验收日期",
        "状态",
        "工程性质",
        "项目地址",
    ]
    spelled = {
        "在建": "在建",
        "竣工验收": "已竣工",
        "竣工验收备案": "竣工备案",
        "停工": "已停工",
        "未开工": "未开工",
    }
    per_sheet = -(-len(projects) // 4) if projects else 0
    sheets: dict[str, list[int]] = {}
    for q, title in enumerate(QUARTERS):
        sheet = book.create_sheet(title)
        _title(sheet, 1, f"{year}年第{title[0]}季度新增监管项目", len(heads))
        for column, text in enumerate(heads, 1):
            if text:
                sheet.cell(3, column, text)
        r = 4
        numbers = []
        for j, p in enumerate(projects[q * per_sheet : (q + 1) * per_sheet]):
            if j and j % 5 == 0:
                r += 1  # a blank spacer row between groups of five
            numbers.append(r)
            cost_yuan = int(p.cost * 10000)
            started_form = "short" if p.started_on and p.started_on.year == year else "chinese"
            values = [
                p.name,
                p.contractor,
                p.developer,
                None,
                f"{cost_yuan}元",
                f"{int(p.area):,}平方米",
                _text_date(p.started_on, started_form),
                _text_date(p.completed_on, "chinese"),
                spelled[p.status],
                p.kind,
                p.location,
            ]
            for column, value in enumerate(values, 1):
                sheet.cell(r, column, value)
            r += 1
        sheets[title] = numbers
    book.save(path)
    return Built(path, projects, sheets)


def write_with_problems(path: Path) -> Path:
    """A small list whose rows 4–9 each carry one bad value (rows 3 and 10 are good)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "项目清单"
    heads = [
        "序号",
        "项目名称",
        "工程类别",
        "建筑面积",
        "工程造价（万元）",
        "项目状态",
        "开工日期",
        "竣工日期",
    ]
    _title(sheet, 1, "2023年工程项目清单", len(heads))
    for column, text in enumerate(heads, 1):
        sheet.cell(2, column, text)
    data = [
        [1, "城东安置房项目", "房建", "12000", "3000", "在建", "2023.3.12", None],
        [2, "新市幼儿园项目", "水利工程", "3500", "800", "在建", "2023.4.1", None],
        [3, "归义商住楼项目", "房建", "8000", "1500", "烂尾", "2023.4.1", None],
        [4, "罗江综合楼项目", "房建", "8000", "1500", "在建", "2023.13.45", None],
        [5, "白水厂房项目", "工业", "8000", "=D7*2", "在建", "2023.5.1", None],
        [6, "大荆中学教学楼项目", "房建", "8000", "1500", "竣工", "2023.6.1", "2023.5.1"],
        [7, None, "房建", "8000", "1500", "在建", "2023.6.1", None],
        [8, "古仑道路改造工程", "市政", "2.1万㎡", "0.5亿元", "停工", "2023年7月8日", None],
    ]
    for i, values in enumerate(data):
        for column, value in enumerate(values, 1):
            sheet.cell(3 + i, column, value)
    book.save(path)
    return path
