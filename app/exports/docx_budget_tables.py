"""The budget-performance tables as Word tables, appended to the 部门整体支出绩效自评报告 (“附上自评表”).

Drawn from the same `BudgetTables` as the Excel workbooks (app/exports/budget_xlsx.py), with the
same rows, merged cells and computed values, laid out in the 版心 (156 mm) in 五号 type:
附件1 基础数据表, 附件2 部门整体支出绩效自评表, 附件3… one 项目支出绩效自评表 per project, then the
政府性基金 / 国有资本经营 / 社会保险基金预算支出情况表 that the report's annex list names.
"""

from __future__ import annotations

from decimal import Decimal

from app.exports import docx_spec as spec
from app.exports.docx_table_layout import column_widths
from app.exports.docx_writer import Annex, Cell, Table, TableNote
from app.services.budget.tables import (
    BaseDataTable,
    BudgetTables,
    DepartmentTable,
    Footer,
    FundsSummary,
    IndicatorTable,
    ProjectTable,
)
from app.services.calc import format_money, format_rate, format_score, ratio

# The column widths come from the text (docx_table_layout), within the 156 mm type area in 五号
# type; the 评价 tables' columns: side label | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 |
# 得分 (执行率) | 偏差原因 (得分).
TYPE_WIDTH_MM = spec.TYPE_AREA_WIDTH_MM
BASE_COLUMNS, EVAL_COLUMNS, FUND_COLUMNS = 7, 9, 4


def _widths(columns: int, *parts: list[tuple[Cell, ...]]) -> tuple[float, ...]:
    """One set of widths for tables printed as one (the 评价 table's two parts)."""
    rows = [row for part in parts for row in part]
    return column_widths(rows, columns, TYPE_WIDTH_MM, spec.WU_HAO)


def vertical(text: str) -> str:
    """A label set one character a line, for the narrow side column (“年\n度\n预\n算…”)."""
    return "\n".join(text)


def _money(value: Decimal | None) -> str:
    return format_money(value)


def _score(value: Decimal | None) -> str:
    return format_score(value)


def label(text: str, colspan: int = 1, rowspan: int = 1, *, bold: bool = False) -> Cell:
    return Cell(text, colspan, rowspan, "left", bold)


def head(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, "center", True)


def num(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, "center")


def footer_text(footer: Footer) -> str:
    blank = "　　　"
    return (
        f"填表人：{footer.preparer or blank}　填报日期：{footer.date or blank}　"
        f"联系电话：{footer.phone or blank}　单位负责人签字：{footer.head}"
    )


# -- 基础数据表 --------------------------------------------------------------------------------------


def base_table(table: BaseDataTable) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            head("财政供养人员情况(人)"),
            head("编制数", 2),
            head(f"{table.year}年实际在职人数", 2),
            head("控制率", 2),
        ),
        (
            label(""),
            num("" if table.staff_quota is None else str(table.staff_quota), 2),
            num("" if table.staff_actual is None else str(table.staff_actual), 2),
            num(format_rate(table.staff_rate), 2),
        ),
        (
            head("经费控制情况(万元)"),
            head(f"{table.year - 1}年决算数", 2),
            head(f"{table.year}年预算数", 2),
            head(f"{table.year}年决算数", 2),
        ),
    ]
    group_depth = -1  # an open "其中：" group: its later rows align under the first
    for row in table.control_rows:
        if row.label.startswith("其中："):
            group_depth, text = row.depth, row.label
        elif row.depth == group_depth:
            text = "　　　" + row.label
        else:
            group_depth = -1 if row.depth < group_depth else group_depth
            text = ("　" if row.depth == 2 else "") + row.label
        rows.append(
            (
                label(text, bold=row.depth == 0),
                num(_money(row.prior), 2),
                num(_money(row.budget), 2),
                num(_money(row.actual), 2),
            )
        )
    building_header = len(rows)
    rows.append(
        (
            head(f"楼堂馆所控制情况\n({table.year}年完工项目)"),
            head("批复规模\n(m²)"),
            head("实际规模\n(m²)"),
            head("规模控制率"),
            head("预算投资\n(万元)"),
            head("实际投资\n(万元)"),
            head("投资概算控制率"),
        )
    )
    if not table.buildings:
        zero = _money(Decimal(0))
        rows.append((num("无"), num(zero), num(zero), num(""), num(zero), num(zero), num("")))
    for b in table.buildings:
        rows.append(
            (
                label(b.name),
                num(_money(b.approved_area)),
                num(_money(b.actual_area)),
                num(format_rate(b.area_rate)),
                num(_money(b.budget_investment)),
                num(_money(b.actual_investment)),
                num(format_rate(b.investment_rate)),
            )
        )
    rows.append((head("厉行节约保障措施"), label(table.thrift_measures, 6)))
    keep = frozenset({0, 2, building_header})
    return Table(_widths(BASE_COLUMNS, rows), tuple(rows), header_rows=0, keep_with_next=keep)


# -- 部门整体 / 项目支出 绩效自评表 --------------------------------------------------------------------


def _funds_rows(funds: FundsSummary, side_label: str, side_rows: int) -> list[tuple[Cell, ...]]:
    """The header and 年度资金总额 rows, with the merged side label spanning `side_rows` rows."""
    return [
        (
            head(vertical(side_label), rowspan=side_rows),
            head("（万元）", 2),
            head("年初\n预算数"),
            head("全年\n预算数"),
            head("全年\n执行数"),
            head("分值"),
            head("执行率"),
            head("得分"),
        ),
        (
            label("年度资金总额", 2),
            num(_money(funds.initial)),
            num(_money(funds.full)),
            num(_money(funds.executed)),
            num(_score(funds.weight)),
            num(format_rate(funds.rate)),
            num(_score(funds.score)),
        ),
    ]


def _goal_rows(expected: str, actual: str) -> list[tuple[Cell, ...]]:
    return [
        (head(vertical("年度总体目标"), rowspan=2), head("预期目标", 4), head("实际完成情况", 4)),
        (label(expected, 4), label(actual, 4)),
    ]


def _two_per_line(name: str) -> str:
    """“经济效益指标” as “经济\n效益\n指标”: the 一级/二级 columns stay narrow (their cells span
    rows, so the lines cost little height), leaving the room to the 三级指标 and 指标值 columns,
    whose phrases would otherwise wrap into three or four lines."""
    if not name or not all(ord(ch) > 0x2E80 for ch in name):
        return name
    return "\n".join(name[i : i + 2] for i in range(0, len(name), 2))


def _indicator_rows(table: IndicatorTable) -> list[tuple[Cell, ...]]:
    body: list[list[Cell]] = []
    for group in table.groups:
        rows = group.rows
        if not rows:
            continue
        group_first = len(body)
        for level2 in group.level2:
            level2_first = len(body)
            for r in level2.rows:
                if r.not_applicable:
                    name = f"{r.name}（不适用）" if r.name else "不适用"
                    body.append([num(name), num(""), num(""), num(""), num(""), label("")])
                else:
                    body.append(
                        [
                            num(r.name),
                            num(r.target),
                            num(r.actual),
                            num(_score(r.weight)),
                            num(_score(r.score)),
                            label(r.reason),
                        ]
                    )
            if len(body) > level2_first:
                body[level2_first].insert(
                    0, head(_two_per_line(level2.name), rowspan=len(body) - level2_first)
                )
        label_text = group.header()
        name, _, weight = label_text.partition("(")
        label_text = _two_per_line(name) + (f"\n({weight}" if weight else "")
        body[group_first].insert(0, head(label_text, rowspan=len(body) - group_first))
    headers = (
        "一级\n指标",
        "二级\n指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因\n分析及\n改进措施",
    )
    # The side label sits in the heading row alone, which repeats on every page the indicators run
    # to; the side column beside the rows is one blank merged cell.
    first: tuple[Cell, ...] = (head(vertical("绩效指标")), *(head(h) for h in headers))
    if body:
        body[0].insert(0, Cell("", rowspan=len(body)))
    grade = f"评价等级：{table.grade}" if table.grade else ""
    total = (head("总分", 6), head(_score(table.total_weight)), head(_score(table.total)), num(grade))
    return [first, *(tuple(r) for r in body), total]


def _heading_rows(rows: list[tuple[Cell, ...]]) -> frozenset[int]:
    """Rows made only of headings (the funds, goals and indicator header rows, “按收入性质分”):
    kept on the page of the row they introduce."""
    return frozenset(
        i for i, row in enumerate(rows) if all(c.bold or c.text.endswith("：") for c in row if c.rowspan == 1)
    )


def department_table(table: DepartmentTable) -> tuple[Table, Table]:
    expense_labels = {
        "basic": "其中：基本支出",
        "personnel": "　　其中：人员经费",
        "public": "　　　　　公用经费",
        "projects": "项目支出",
    }
    split_rows = len(table.income)
    rows: list[tuple[Cell, ...]] = [(head("预算部门\n名称", 2), label(table.unit_name, 7))]
    rows += _funds_rows(table.funds, "年度预算申请", 3 + split_rows)
    rows.append((label("按收入性质分：", 4), label("按支出性质分：", 4)))
    for number, (income, expense) in enumerate(zip(table.income, table.expense, strict=True)):
        rows.append(
            (
                label(("其中：" if number == 0 else "") + income.label, 3),
                num(_money(income.amount)),
                label(expense_labels.get(expense.key, expense.label), 3),
                num(_money(expense.amount)),
            )
        )
    rows += _goal_rows(table.goal_expected, table.goal_actual)
    return _evaluation_tables(rows, _indicator_rows(table.indicators))


def _evaluation_tables(
    top: list[tuple[Cell, ...]], indicators: list[tuple[Cell, ...]]
) -> tuple[Table, Table]:
    """The 评价 table as two Word tables printed as one: the funds and goals, then the indicators,
    whose heading row (一级指标 …) repeats at the top of every page they run on (Word repeats only
    a table's first rows)."""
    widths = _widths(EVAL_COLUMNS, top, indicators)
    return (
        Table(widths, tuple(top), header_rows=0, keep_with_next=_heading_rows(top), continued=True),
        Table(widths, tuple(indicators), header_rows=1, keep_with_next=_heading_rows(indicators)),
    )


def project_table(table: ProjectTable) -> tuple[Table, Table]:
    rows: list[tuple[Cell, ...]] = [
        (head("项目支出\n名称", 2), label(table.name, 7)),
        (head("主管部门", 2), label(table.supervisor, 3), head("实施\n单位"), label(table.implementer, 3)),
    ]
    rows += _funds_rows(table.funds, "项目资金", 2 + len(table.sources))
    for number, source in enumerate(table.sources):
        rows.append(
            (
                label(("其中：" if number == 0 else "") + source.label, 2),
                num(_money(source.initial)),
                num(_money(source.full)),
                num(_money(source.executed)),
                num(""),
                num(""),
                num(""),
            )
        )
    rows += _goal_rows(table.goal_expected, table.goal_actual)
    return _evaluation_tables(rows, _indicator_rows(table.indicators))


# -- 政府性基金 / 国有资本经营 / 社会保险基金 ----------------------------------------------------------

FUND_TABLES = (
    ("政府性基金预算支出情况表", "政府性基金预算支出", "政府性基金"),
    ("国有资本经营预算支出情况表", "国有资本经营预算支出", "国有资本经营"),
    ("社会保险基金预算支出情况表", "社会保险基金预算支出", "社会保险基金"),
)


def fund_table(
    unit_name: str, item: str, short: str, amount: Decimal | None, executed: Decimal | None
) -> Table:
    if amount is None:
        note = "未填报"
    elif amount == 0:
        note = f"本年度本单位无{short}安排的支出"
    else:
        note = ""
    rows = (
        (head("预算部门名称"), label(unit_name, 3)),
        (head("项目"), head("全年支出数\n(万元)"), head("占部门全年\n执行数比例"), head("说明")),
        (label(item), num(_money(amount)), num(_share(amount, executed)), label(note)),
    )
    # Three rows: kept together on one page, the column headings being its second row.
    return Table(_widths(FUND_COLUMNS, list(rows)), rows, header_rows=0, keep_with_next=frozenset({0, 1}))


def _share(amount: Decimal | None, executed: Decimal | None) -> str:
    if amount is None or executed is None or executed == 0:
        return ""
    return format_rate(ratio(amount, executed))


# -- the annexes ---------------------------------------------------------------------------------------


def budget_annexes(
    tables: BudgetTables, state_capital: Decimal | None, social_insurance: Decimal | None
) -> list[Annex]:
    """Every table as an `Annex` (附件1 …), in the order of report 1's annex list."""
    annexes: list[Annex] = []

    def add(title: str, *blocks) -> None:
        annexes.append(Annex(f"附件{len(annexes) + 1}", (title,), tuple(blocks)))

    base = tables.base
    add(
        base.title,
        TableNote(f"填报单位（盖章）：{base.unit_name}　　　　金额单位：万元"),
        base_table(base),
        TableNote(base.note),
        TableNote(footer_text(base.footer)),
    )
    dept = tables.department
    add(dept.title, *department_table(dept), TableNote(footer_text(dept.footer)))
    for project in tables.projects:
        add(
            project.title,
            *project_table(project),
            *(TableNote(line) for line in project.note.split("\n") if line),
            TableNote(footer_text(project.footer)),
        )
    amounts = (dept.split("income_fund").amount, state_capital, social_insurance)
    for (title, item, short), amount in zip(FUND_TABLES, amounts, strict=True):
        table = fund_table(tables.unit_name, item, short, amount, dept.funds.executed)
        add(f"{tables.year}年度{title}", table)
    return annexes
