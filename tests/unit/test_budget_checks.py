"""校验: every finding names table, row and field in Chinese; the seed's errors are caught."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.example_data.budget import example_2022, example_2023
from app.findings import ERROR, WARNING, Finding
from app.services.budget.checks import check_data, is_rule_weight_warning
from app.services.budget.compute import BudgetContext, control_actuals
from app.services.budget.data import BudgetYearData, Funds, Indicator

D = Decimal
CTX = BudgetContext(
    2023,
    "汨罗市建筑工程服务中心",
    61,
    59,
    "林晓雯",
    "13907305668",
    "周建平",
    prior_actuals=control_actuals(example_2022()),
)


def run(data: BudgetYearData) -> list[Finding]:
    return check_data(data, CTX)


def only(findings: list[Finding], level: str) -> list[Finding]:
    return [f for f in findings if f.level == level]


def test_the_example_year_has_no_error_and_only_the_documented_warnings() -> None:
    findings = run(example_2023())
    assert only(findings, ERROR) == []
    assert [f.location() for f in findings] == [
        "2023年度部门整体支出绩效评价基础数据表 › 公用经费 › 2023年决算数",
        "2023年度部门整体支出绩效自评表 › 做好公开招标项目监管 › 得分",
        "2023年度项目支出绩效自评表（招投标监督管理专项） › 做好公开招投标项目监管 › 得分",
        "2023年度项目支出绩效自评表（工作经费） › 效益指标(40分) › 分值",
        "2023年度项目支出绩效自评表（工作经费） › 成本指标(10分) › 分值",
        "2023年度项目支出绩效自评表（工作经费） › 做好公开招标项目监管 › 得分",
    ]
    warning = findings[0]
    assert "合计32.73万元，大于公用经费19.56万元" in warning.message
    assert warning.target is not None and warning.target.record == "base"


def test_work_fund_weights_that_differ_from_the_rule_set_are_named() -> None:
    # GIVEN the 工作经费 table (附件3-3): 效益指标 40 and 成本指标 10 where 湖南省 says 30 and 20
    findings = [f for f in run(example_2023()) if is_rule_weight_warning(f)]
    # THEN each 一级指标 is a warning naming the rule set's weight, the rows' sum and the rows
    benefit, cost = findings
    assert (benefit.level, benefit.table, benefit.row, benefit.field) == (
        WARNING,
        "2023年度项目支出绩效自评表（工作经费）",
        "效益指标(40分)",
        "分值",
    )
    assert benefit.message.startswith(
        "本表效益指标按40分计分，评分规则“湖南省（产出30/效益30/满意度10/成本20＋执行率10）”为30分"
        "（各三级指标分值合计40分：提高人居生活质量10分、群众对质量安全的认识5分、工程质量安全形势5分、"
        "严格控制建筑施工扬尘，促进建筑产业绿色发展10分、建筑市场平稳有序发展10分）"
    )
    assert cost.row == "成本指标(10分)"
    assert (
        "为20分（各三级指标分值合计10分：控制在财政预算内10分；不适用：社会成本指标、生态环境成本指标）"
        in (cost.message)
    )
    assert benefit.target is not None and benefit.target.record == "project:2"
    assert benefit.target.field == "level1:效益指标"
    # AND with the rule set's weights (and rows re-allocated to them) there is none
    data = example_2023()
    work = data.project_named("工作经费")
    assert work is not None
    work.level1_weights.clear()
    benefit_rows = [i for i in work.indicators if i.level1 == "效益指标"]
    benefit_rows[0].weight = D(0)
    work.indicators.append(Indicator("成本指标", "社会成本指标", "不增加社会负担", "无", "无", D(10)))
    assert [f for f in run(data) if is_rule_weight_warning(f)] == []
    assert only(run(data), ERROR) == []


def test_typed_score_above_the_suggestion_without_a_reason_warns() -> None:
    # GIVEN 附件3-2: 16个 planned, 15个 done, scored 10 of 10 where the suggestion is 15/16 × 10
    data = example_2023()
    tender = data.project_named("招投标监督管理专项")
    assert tender is not None
    [f] = [f for f in run(data) if f.table.endswith("（招投标监督管理专项）")]
    assert (f.level, f.row, f.field) == (WARNING, "做好公开招投标项目监管", "得分")
    assert f.message == (
        "得分10高于按评分规则计算的建议得分9.38（正向：15/16 × 10 = 9.38），"
        "未填写偏差原因分析及改进措施，请说明得分依据或改用建议得分"
    )
    assert f.target is not None and f.target.field == "ind:0:reason"
    # WHEN a reason is given THEN it is gone
    tender.indicators[0].reason = "招标计划中1个项目转为2024年实施，已完成全部应招项目的监管"
    assert [f for f in run(data) if f.table.endswith("（招投标监督管理专项）")] == []
    # AND the suggestion itself (left to count, or typed) is not flagged: below 分值 it needs the
    # reason as before
    tender.indicators[0].reason = ""
    for score in (None, D("9.38")):
        tender.indicators[0].score = score
        found = [f for f in run(data) if f.table.endswith("（招投标监督管理专项）")]
        assert [(f.level, f.field) for f in found] == [(ERROR, "偏差原因分析及改进措施")]


def test_income_split_not_adding_up() -> None:
    data = example_2023()
    data.income_general = D("885.93")
    [f] = only(run(data), ERROR)
    assert f.location() == "2023年度部门整体支出绩效自评表 › 按收入性质分 › 合计"
    assert "951.89万元，与全年执行数951.90万元不符（差-0.01）" in f.message
    assert f.target is not None and f.target.field == "income.income_general"


def test_a_changed_expense_moves_the_total_and_the_income_split_no_longer_adds_up() -> None:
    # GIVEN 人员经费 572.60 instead of 572.61: 全年执行数 is computed, 592.16 + 359.73 = 951.89
    data = example_2023()
    data.personnel = D("572.60")
    [f] = only(run(data), ERROR)
    assert f.row == "按收入性质分" and "＝951.90万元，与全年执行数951.89万元不符（差0.01）" in f.message


def test_a_typed_executed_kept_from_before_that_differs_is_an_error() -> None:
    # GIVEN a 全年执行数 of 960 stored before it was computed (951.90 = 592.17 + 359.73)
    data = example_2023()
    data.executed_typed = D("960")
    errors = only(run(data), ERROR)
    kept = [f for f in errors if (f.row, f.field) == ("年度资金总额", "全年执行数")]
    assert [f.message for f in kept] == [
        "全年执行数960.00万元大于全年预算数951.90万元",
        "原填写的全年执行数960.00万元，与基本支出592.17＋项目支出359.73＝951.90万元不符（差8.10）："
        "请核对人员经费、公用经费和各项目的全年执行数，或改用计算值",
    ]
    assert kept[1].target is not None and kept[1].target.field == "funds.executed"
    # WHEN the clerk switches to the computed one
    data.executed_typed = None
    assert only(run(data), ERROR) == []


def test_seed_work_fund_benefit_weights_40_under_a_30_header() -> None:
    # GIVEN the 工作经费 table as the seed printed it: headers (30分)/(20分), weights 40 and 10
    data = example_2023()
    work = data.project_named("工作经费")
    assert work is not None
    work.level1_weights.clear()
    # THEN both 一级 are flagged, in the project's table
    errors = only(run(data), ERROR)
    assert [(f.table, f.row, f.field) for f in errors] == [
        ("2023年度项目支出绩效自评表（工作经费）", "效益指标(30分)", "分值"),
        ("2023年度项目支出绩效自评表（工作经费）", "成本指标(20分)", "分值"),
    ]
    assert "各三级指标分值合计40分，与表头“效益指标(30分)”不符" in errors[0].message


def test_level1_weights_must_sum_to_100_with_execution() -> None:
    data = example_2023()
    data.level1_weights["产出指标"] = D(35)
    data.indicators[0].weight = D(6)  # 三级 now add up to the (wrong) header
    [f] = only(run(data), ERROR)
    assert f.row == "一级指标" and "＝105分，应为100分" in f.message


def test_score_above_weight() -> None:
    data = example_2023()
    data.indicators[0].score = D(2)
    errors = only(run(data), ERROR)
    assert [(f.row, f.field, f.message) for f in errors] == [("工程建设监管执法率", "得分", "得分2高于分值1")]
    assert errors[0].target is not None and errors[0].target.field == "ind:0:score"


def test_score_below_weight_needs_a_reason() -> None:
    data = example_2023()
    acceptance = next(i for i, ind in enumerate(data.indicators) if ind.name == "办理项目竣工验收率")
    data.indicators[acceptance].reason = ""
    [f] = only(run(data), ERROR)
    assert (f.row, f.field) == ("办理项目竣工验收率", "偏差原因分析及改进措施")
    assert f.message == "得分0.5低于分值1，须填写偏差原因分析及改进措施"
    assert f.target is not None and f.target.field == f"ind:{acceptance}:reason"


def test_actual_far_above_target_asks_why() -> None:
    data = example_2023()
    data.indicators.append(Indicator("产出指标", "数量指标", "开展专项检查", "8次", "11次", D(0)))
    data.indicators[0].weight = D(1)
    warnings = [f for f in only(run(data), WARNING) if f.row == "开展专项检查"]
    assert [f.field for f in warnings] == ["偏差原因分析及改进措施"]
    assert "137.50%" in warnings[0].message


def test_executed_above_full_budget() -> None:
    data = example_2023()
    data.public = D("27.66")  # 全年执行数 572.61 + 27.66 + 359.73 = 960
    messages = [f.message for f in only(run(data), ERROR) if f.row == "年度资金总额"]
    assert "全年执行数960.00万元大于全年预算数951.90万元" in messages
    data = example_2023()
    data.projects[0].current = Funds(D(20), D(20), D(21))
    errors = only(run(data), ERROR)
    assert any(
        f.table.endswith("（质量安全监督管理专项）")
        and f.row == "其中：当年财政拨款"
        and "大于全年预算数" in f.message
        for f in errors
    )


def test_projects_cannot_exceed_the_department() -> None:
    # GIVEN a department 全年预算数 of 359 stored (or imported) with projects of 359.74
    data = example_2023()
    data.take_totals(Funds(D("801.08"), D("359"), D("951.90")))
    assert data.basic_full == D("-0.74")
    [f] = [f for f in only(run(data), ERROR) if f.row == "其中：基本支出"]
    assert f.field == "全年预算数" and f.message == (
        "基本支出全年预算数为-0.74万元：部门全年预算数359.00万元小于各项目合计359.74万元"
    )


def test_missing_total_is_an_error() -> None:
    data = example_2023()
    data.projects[1].indicators[1].actual = ""
    errors = only(run(data), ERROR)
    assert [(f.row, f.field) for f in errors if "招投标" in f.table] == [
        ("公开招投标项目监管服务满意度", "实际完成值"),
        ("总分", "得分"),
    ]
    assert errors[-1].message == "总分为空：1项指标没有得分"


def test_not_applicable_rows_carry_no_weight() -> None:
    data = example_2023()
    work = data.project_named("工作经费")
    assert work is not None
    na = next(ind for ind in work.indicators if ind.not_applicable)
    na.weight = D(5)
    warnings = [
        f for f in only(run(data), WARNING) if "不适用" in f.message and not is_rule_weight_warning(f)
    ]
    assert len(warnings) == 1 and warnings[0].field == "分值"
    assert only(run(data), ERROR) == []  # the 5 points do not count


def test_carried_prior_overwritten_with_another_value_is_flagged() -> None:
    data = example_2023()
    data.control["reception"].prior = D("0.2")
    [f] = [f for f in run(data) if f.row == "3、公务接待"]
    assert f.level == WARNING and f.field == "2022年决算数"
    assert f.message == "填写的0.20与2022年度录入的本年决算数0.12不一致"


@pytest.mark.parametrize("missing", ["initial", "full"])
def test_missing_basic_budgets(missing: str) -> None:
    data = example_2023()
    setattr(data, f"basic_{missing}", None)
    [f] = only(run(data), ERROR)
    label = {"initial": "年初预算数", "full": "全年预算数"}[missing]
    assert (f.row, f.field, f.message) == ("其中：基本支出", label, "未填写")
    assert f.target is not None and f.target.field == f"basic.{missing}"


def test_the_table_says_what_it_is_scored_on_where_it_differs_from_the_rule_set() -> None:
    from app.services.budget.compute import compute_tables

    tables = compute_tables(example_2023(), CTX)
    work = next(p for p in tables.projects if p.name == "工作经费")
    assert work.note.splitlines()[-1] == (
        "注：本表效益指标按40分、成本指标按10分计分（评分规则“湖南省（产出30/效益30/满意度10/成本20＋执行率10）”为30分、20分）。"
    )
    others = [p for p in tables.projects if p.name != "工作经费"]
    assert others and all("注：本表" not in p.note for p in others)
