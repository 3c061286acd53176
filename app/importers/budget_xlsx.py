"""Reading 预算绩效 tables back from .xlsx: ours, or the same layout typed by hand in WPS.

The reader goes by labels, not by cell addresses, so it copes with what clerks do to these forms:
blank spacer columns, merged cells, "(30分)" in the 一级指标 cells, numbers typed as text,
"100%" or "10分" in cells, a label and its number in one cell ("其中：一般公共预算：885.94").

    result = read_workbook(path)            # no database: what the file holds, and what could not be read
    plan = plan_import(data, ctx, result)    # merged into the year's figures, with a preview
    apply_import(db, unit_id, year, plan)    # one transaction; refused while the plan has errors
    plan = plan_files(db, unit_id, year, paths)   # the first two in one go, from the database

All-or-nothing: every problem names the sheet, the cell and why; an error stops the import.
The preview also says what the import changes beyond the figures:
- plan.year_mismatch: "文件是2024年度的自评表，当前导入到2023年度" when a table's title (or 年度
  cell) names another year; apply_import refuses such a plan unless `force_year=True` (the dialog's
  “仍导入到2023年度”, the command line's --force-year; without it the command line exits 1).
- plan.check_changes: the 校验 findings that the import adds (新增) or removes (消除), computed on the
  year before and after in memory (budget_xlsx_checks.py).
- plan.footer: the file's 填表人 / 联系电话 / 填报日期, kept instead of the unit's (budget_xlsx_footer.py).
Every figure is read by app.services.parsing (amounts 0 … 1e12 万元, 分值/得分 0 … 100, head counts
≤ 1e9, dates 1949–2100); a formula without its result is an error, and a file with a sheet past
20,000 rows or wider than the template is refused before it is read (xlsx_sheets.py).
Reading is in budget_xlsx_read.py; this module merges what was read into the year and writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from app import oplog
from app.db import Database
from app.errors import UserError
from app.findings import WARNING
from app.importers.budget_xlsx_checks import CheckChange, check_changes
from app.importers.budget_xlsx_footer import FooterPlan, merge_footer, write_footer
from app.importers.budget_xlsx_read import (
    ImportResult,
    Problem,
    ReadBase,
    ReadIndicators,
    norm,
    read_workbook,
    read_workbooks,
)
from app.services.budget.compute import (
    CONTROL_LABELS,
    SPECIAL_KIND,
    TYPED_ROWS,
    BudgetContext,
    compute_tables,
    fill_date_text,
    kind_code,
)
from app.services.budget.data import (
    INCOME_FIELDS,
    SOURCES,
    BudgetYearData,
    ControlEntry,
    Funds,
    Indicator,
    Project,
    write_year,
)
from app.services.budget.rules import rule_set
from app.services.budget.scoring import suggest
from app.services.calc import format_money, format_score

__all__ = [
    "CheckChange",
    "FooterPlan",
    "ImportPlan",
    "ImportResult",
    "Problem",
    "apply_import",
    "import_files",
    "plan_files",
    "plan_import",
    "read_workbook",
    "read_workbooks",
]


# -- merging into the year's figures -------------------------------------------------------------------------


@dataclass
class ImportPlan:
    data: BudgetYearData  # the year's figures as they will be after the import
    changes: list[str]  # what will be written, one line each, for the preview
    problems: list[Problem]
    year: int = 0  # the year imported into
    file_years: tuple[int, ...] = ()  # the years the tables say they are for, when they say
    year_mismatch: str = ""  # "文件是2024年度的自评表，当前导入到2023年度"; "" when they agree
    check_changes: list[CheckChange] = field(default_factory=list)
    footer: FooterPlan | None = None

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def _apply_indicators(
    target_indicators: list[Indicator],
    target_weights: dict[str, Decimal],
    read: ReadIndicators,
    rules_key: str,
) -> None:
    rules = rule_set(rules_key)
    target_indicators.clear()
    for ind, typed in zip(read.indicators, read.typed_scores, strict=True):
        if typed is not None and not ind.not_applicable:
            suggestion = suggest(ind.scoring_input(), rules).score
            ind.score = None if suggestion is not None and typed == suggestion else typed
        target_indicators.append(ind)
    target_weights.clear()
    for name, weight in read.header_weights.items():
        if rules.default_weight(name) != weight:
            target_weights[name] = weight


def _total_problems(sheet: str, read: ReadIndicators, computed: Decimal | None, table: str) -> list[Problem]:
    problems = []
    if read.total_score is None and read.total_cell:
        problems.append(
            Problem(
                WARNING,
                sheet,
                read.total_cell,
                f"{table}的总分为空，导入后按各项得分计算为{format_score(computed, '（无法计算）')}",
            )
        )
    elif read.total_score is not None and computed is not None and read.total_score != computed:
        problems.append(
            Problem(
                WARNING,
                sheet,
                read.total_cell,
                f"{table}表中总分为{format_score(read.total_score)}，按各项得分计算为{format_score(computed)}，以计算值为准",
            )
        )
    return problems


def plan_import(current: BudgetYearData, ctx: BudgetContext, result: ImportResult) -> ImportPlan:
    """Merge what was read into a copy of the year's figures, listing the changes and the problems."""
    data = current.copy()
    problems = list(result.problems)
    changes: list[str] = []
    rules_key = data.rule_set

    base_kinds: dict[str, str] = {}
    if result.base is not None:
        for row in result.base.rows:
            if row.code.startswith("project:"):
                base_kinds[row.code.removeprefix("project:")] = "县级专项资金"

    for read in result.projects:
        if not read.name:
            continue
        project = data.project_named(read.name)
        is_new = project is None
        if project is None:
            project = Project(name=read.name, kind=base_kinds.get(read.name, ""))
            data.projects.append(project)
        project.supervisor = read.supervisor or project.supervisor
        project.implementer = read.implementer or project.implementer
        if read.sources:
            for source in SOURCES:
                setattr(project, source, read.sources.get(source, Funds()))
            summed = Funds.total(*read.sources.values())
            for column, label in (
                ("initial", "年初预算数"),
                ("full", "全年预算数"),
                ("executed", "全年执行数"),
            ):
                told, sum_ = getattr(read.total, column), getattr(summed, column)
                if told is not None and sum_ is not None and told != sum_:
                    problems.append(
                        Problem(
                            WARNING,
                            read.sheet,
                            read.total_cell,
                            f"年度资金总额的{label}{format_money(told)}与其中各项之和{format_money(sum_)}不符，以其中各项为准",
                        )
                    )
        else:
            project.current, project.carry, project.other = read.total, Funds(), Funds()
            problems.append(
                Problem(
                    WARNING, read.sheet, read.total_cell, "没有“其中”各项，年度资金总额按当年财政拨款导入"
                )
            )
        project.goal_expected = read.goal_expected
        project.goal_actual = read.goal_actual
        _apply_indicators(project.indicators, project.level1_weights, read.indicators, rules_key)
        if is_new and not project.kind:
            problems.append(
                Problem(
                    WARNING, read.sheet, "", f"新项目“{read.name}”的项目类型未知，导入后请在“项目支出”中选择"
                )
            )
        changes.append(
            f"{'新增' if is_new else '更新'}项目“{read.name}”：资金 {_funds_text(project.funds)}，"
            f"{len(project.indicators)}项指标"
        )

    dept = result.department
    if dept is not None:
        if dept.unit_name and ctx.unit_name and norm(dept.unit_name) != norm(ctx.unit_name):
            problems.append(
                Problem(
                    WARNING,
                    dept.sheet,
                    "",
                    f"表中的预算部门名称“{dept.unit_name}”与本单位名称“{ctx.unit_name}”不同",
                )
            )
        for key in INCOME_FIELDS:
            setattr(data, key, dept.income.get(key))
        if dept.personnel is not None or dept.public is not None:
            data.personnel, data.public = dept.personnel, dept.public
            if dept.basic is not None and (dept.personnel or 0) + (dept.public or 0) != dept.basic:
                problems.append(
                    Problem(
                        WARNING,
                        dept.sheet,
                        "",
                        "基本支出与人员经费、公用经费之和不符，以人员经费和公用经费为准",
                    )
                )
        elif dept.basic is not None and (data.personnel or 0) + (data.public or 0) != dept.basic:
            problems.append(
                Problem(
                    WARNING,
                    dept.sheet,
                    "",
                    f"表中基本支出{format_money(dept.basic)}未分人员经费和公用经费，导入后请在部门整体自评表中补填",
                )
            )
        # With the projects and 人员经费/公用经费 in place: 基本支出 budgets are what the table's
        # totals leave after the projects; a 全年执行数 other than their sum is kept as typed.
        data.take_totals(dept.funds)
        data.goal_expected, data.goal_actual = dept.goal_expected, dept.goal_actual
        _apply_indicators(data.indicators, data.level1_weights, dept.indicators, rules_key)
        funds_text = _funds_text(data.department_funds())
        changes.append(f"部门整体支出绩效自评表：资金 {funds_text}，{len(data.indicators)}项指标")

    if result.base is not None:
        _merge_base(data, ctx, result.base, problems, changes)

    tables = compute_tables(data, ctx)
    if dept is not None:
        problems += _total_problems(
            dept.sheet, dept.indicators, tables.department.indicators.total, "部门整体支出绩效自评表"
        )
        ours = tables.department.split("projects").amount
        if dept.projects is not None and ours is not None and dept.projects != ours:
            problems.append(
                Problem(
                    WARNING,
                    dept.sheet,
                    dept.projects_cell,
                    f"表中项目支出为{format_money(dept.projects)}，各项目全年执行数合计为{format_money(ours)}：以项目表为准",
                )
            )
    for read in result.projects:
        table = tables.project(read.name)
        if table is not None:
            problems += _total_problems(
                read.sheet, read.indicators, table.indicators.total, f"项目“{read.name}”"
            )

    footer, footer_line = merge_footer(result, ctx, fill_date_text(data), problems)
    if footer.fill_date is not None:
        data.fill_date = footer.fill_date
    if footer_line:
        changes.append(footer_line)
    profile = footer.profile_changes()
    ctx_after = replace(ctx, **profile) if profile else ctx
    file_years = tuple(
        sorted({t.year for t in (result.base, result.department, *result.projects) if t and t.year})
    )
    return ImportPlan(
        data,
        changes,
        problems,
        year=ctx.year,
        file_years=file_years,
        year_mismatch=year_mismatch(file_years, ctx.year),
        check_changes=check_changes(current, data, ctx, ctx_after, stored=current.revision > 0),
        footer=footer,
    )


def year_mismatch(file_years: tuple[int, ...], year: int) -> str:
    """ "文件是2024年度的自评表，当前导入到2023年度"; "" when every table that names its year names `year`."""
    others = [y for y in file_years if y != year]
    if not others:
        return ""
    return f"文件是{'、'.join(map(str, others))}年度的自评表，当前导入到{year}年度"


def _funds_text(funds: Funds) -> str:
    return "/".join(format_money(v, "—") for v in (funds.initial, funds.full, funds.executed))


def _prior_typeable(code: str) -> bool:
    """Whether a 经费控制情况 row's 上年决算数 is typed (not the sum of the rows below it)."""
    if code in TYPED_ROWS or code == "public" or code.startswith("project:"):
        return True
    return code.startswith("kind:") and code != kind_code(SPECIAL_KIND)


def _merge_base(
    data: BudgetYearData, ctx: BudgetContext, base: ReadBase, problems: list[Problem], changes: list[str]
) -> None:
    if base.staff_quota is not None and ctx.staff_quota is not None and base.staff_quota != ctx.staff_quota:
        problems.append(
            Problem(
                WARNING,
                base.sheet,
                "",
                f"表中编制数{base.staff_quota}与单位信息中的{ctx.staff_quota}不同（以单位信息为准）",
            )
        )
    if (
        base.staff_actual is not None
        and ctx.staff_actual is not None
        and base.staff_actual != ctx.staff_actual
    ):
        problems.append(
            Problem(
                WARNING,
                base.sheet,
                "",
                f"表中在职人数{base.staff_actual}与单位信息中的{ctx.staff_actual}不同（以单位信息为准）",
            )
        )
    prior = ctx.prior_actuals
    typed = 0
    for row in base.rows:
        code = row.code
        if not _prior_typeable(code):
            continue
        prior_value, budget, actual = row.values
        entry = ControlEntry()
        carried = prior.get(code) if prior is not None else None
        if prior_value is not None and (prior is None or carried != prior_value):
            entry.prior = prior_value
            if prior is not None:
                problems.append(
                    Problem(
                        WARNING,
                        base.sheet,
                        row.cells[0],
                        f"“{row.label}”的上年决算数{format_money(prior_value)}与{ctx.year - 1}年度录入的"
                        f"{format_money(carried, '（空）')}不同，按表中数导入",
                    )
                )
        if code in TYPED_ROWS:
            entry.budget, entry.actual = budget, actual
        elif code == "public":
            entry.budget = budget
        if not entry.is_empty():
            data.control[code] = entry
            typed += 1
        elif code in data.control and code in TYPED_ROWS:
            data.control.pop(code)
    if base.thrift_measures is not None:
        data.thrift_measures = base.thrift_measures
    data.buildings = list(base.buildings)
    for row in base.rows:
        if row.code.startswith("project:"):
            name = row.code.removeprefix("project:")
            project = data.project_named(name)
            if project is not None and not project.kind:
                project.kind = row.kind or "县级专项资金"
    # Rows drawn from other tables: compare, never store.
    tables = compute_tables(data, ctx)
    names = {p.name for p in data.projects}
    for row in base.rows:
        if row.code in TYPED_ROWS:
            continue
        ours = tables.base.row(row.code)
        label = CONTROL_LABELS.get(row.code, row.label)
        if row.code.startswith("project:") and row.code.removeprefix("project:") not in names:
            if row.values[1] is not None or row.values[2] is not None:
                problems.append(
                    Problem(
                        WARNING,
                        base.sheet,
                        row.cells[1],
                        f"本年度没有名为“{row.label}”的项目，此行的本年数未导入（可在“项目支出”中添加该项目）",
                    )
                )
            continue
        if ours is None:
            continue
        source = (
            "项目支出绩效自评表" if row.code.startswith(("project:", "kind:", "projects")) else "其他各行"
        )
        if row.code == "public":
            source = "部门整体支出绩效自评表"
        checks = [(1, "本年预算数", ours.budget), (2, "本年决算数", ours.actual)]
        if row.code == "public":
            checks = [(2, "本年决算数", ours.actual)]
        for index, title, value in checks:
            read = row.values[index]
            if read is not None and value is not None and read != value:
                problems.append(
                    Problem(
                        WARNING,
                        base.sheet,
                        row.cells[index],
                        f"“{label.splitlines()[0]}”{title}为{format_money(read)}，{source}为{format_money(value)}：以{source}为准，此数未导入",
                    )
                )
    changes.append(f"基础数据表：经费控制情况{typed}行，楼堂馆所{len(data.buildings)}项")


# -- writing ------------------------------------------------------------------------------------------------


def apply_import(db: Database, unit_id: int, year: int, plan: ImportPlan, *, force_year: bool = False) -> int:
    """Write the planned figures (and the file's 填表人/联系电话 to the year's 单位信息) in one
    transaction. Refused while the plan has an error, and when the tables are of another year
    (plan.year_mismatch) unless `force_year`: the user confirmed."""
    if plan.has_errors:
        first = next(p for p in plan.problems if p.is_error)
        raise UserError(f"有无法读取的内容，未导入任何数据。{first.text()}")
    if plan.year and plan.year != year:
        raise ValueError(f"the plan was made for {plan.year}, not {year}")
    if plan.year_mismatch and not force_year:
        raise UserError(f"{plan.year_mismatch}，未导入任何数据。确认无误后再选择导入到{year}年度。")
    with db.transaction() as session:
        session.info[oplog.QUIET] = True  # the rows the year's figures replace are not deletions
        revision = write_year(session, unit_id, year, plan.data, check_revision=True)
        if plan.footer is not None:
            write_footer(session, unit_id, year, plan.footer)
        oplog.record_in(
            session, oplog.IMPORT, f"预算绩效自评表（{year}年度）：{'；'.join(plan.changes)}", unit_id
        )
    plan.data.revision = revision
    return revision


def plan_files(db: Database, unit_id: int, year: int, paths: list[Path]) -> ImportPlan:
    """Read `paths` and plan their import into `year`, writing nothing (the preview, `--dry-run`).
    The command line refuses (exit 1) a plan with errors, or with plan.year_mismatch unless
    --force-year; it lists plan.changes, plan.problems and plan.check_changes."""
    from app.services.budget.compute import load_context
    from app.services.budget.data import load_year

    with db.session() as session:
        current = load_year(session, unit_id, year)
        ctx = load_context(session, unit_id, year)
    result = read_workbooks(paths, rule_set(current.rule_set).level1_names())
    return plan_import(current, ctx, result)


def import_files(
    db: Database, unit_id: int, year: int, paths: list[Path], *, force_year: bool = False
) -> ImportPlan:
    """Read, plan and apply in one go (for scripts and tests); returns the plan it applied."""
    plan = plan_files(db, unit_id, year, paths)
    apply_import(db, unit_id, year, plan, force_year=force_year)
    return plan
