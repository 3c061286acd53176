from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from app.services.budget.rules import RULE_SETS, grade, rule_set
from app.services.budget.scoring import (
    IndicatorInput,
    effective_score,
    hold_in_band,
    parse_actual,
    parse_target,
    suggest,
)

D = Decimal
HUNAN = RULE_SETS["hunan"]


@pytest.mark.parametrize(
    ("text", "level1", "nature", "value", "unit"),
    [
        ("95%以上", "产出指标", "正向", D(95), "%"),
        ("60个", "产出指标", "正向", D(60), "个"),
        ("100%", "产出指标", "正向", D(100), "%"),
        ("群众满意度100%", "产出指标", "正向", D(100), "%"),
        ("控制在财政预算内", "成本指标", "定性", None, ""),
        ("2023年1-12月", "产出指标", "定性", None, ""),
        ("每月一次以上", "产出指标", "定性", None, ""),
        ("全覆盖", "产出指标", "定性", None, ""),
        ("20万元", "成本指标", "反向", D(20), "万元"),
        ("≤5%", "产出指标", "反向", D(5), "%"),
        ("不超过30天", "产出指标", "反向", D(30), "天"),
        ("5个工作日内", "产出指标", "反向", D(5), "个工作日"),
        ("不低于90%", "产出指标", "正向", D(90), "%"),
        ("=12次", "产出指标", "等于", D(12), "次"),
        ("１６个", "产出指标", "正向", D(16), "个"),
    ],
)
def test_targets_are_read_as_clerks_type_them(text, level1, nature, value, unit) -> None:
    parsed = parse_target(text, level1, HUNAN)
    assert (parsed.nature, parsed.value, parsed.unit) == (nature, value, unit)


def test_actuals() -> None:
    assert parse_actual("27个") == D(27)
    assert parse_actual("100%") == D(100)
    assert parse_actual("95%以上") == D(95)
    assert parse_actual("没超预算") is None
    assert parse_actual("按计划完成") is None


def _ind(target: str, actual: str, weight: str = "10", **kw) -> IndicatorInput:
    return IndicatorInput(kw.pop("level1", "产出指标"), target, actual, D(weight), **kw)


def score(target: str, actual: str, weight: str = "10", rules=HUNAN, **kw) -> Decimal | None:
    return suggest(_ind(target, actual, weight, **kw), rules).score


def test_positive_met_and_short() -> None:
    assert score("95%以上", "100%", "1") == D(1)
    # The seed's 竣工验收: 60个 planned, 27个 done → 27/60 × 1 = 0.45 (the seed typed 0.5)
    assert score("60个", "27个", "1") == D("0.45")
    assert score("16个", "15个", "1") == D("0.94")
    assert score("60个", "-5个", "1") == D(0)  # a negative actual counts as 0


def test_reverse_falls_to_zero_at_twice_the_target() -> None:
    assert score("≤20万元", "20万元") == D(10)
    assert score("≤20万元", "25万元") == D("7.50")
    assert score("≤20万元", "40万元") == D(0)
    assert score("≤20万元", "50万元") == D(0)
    assert score("≤20万元", "25万元", rules=replace(HUNAN, reverse_method="ratio")) == D("8.00")


def test_equal_is_reduced_by_its_deviation() -> None:
    assert score("=12次", "12次") == D(10)
    assert score("=12次", "9次") == D("7.50")
    assert score("=12次", "30次") == D(0)


def test_never_above_full_marks_and_two_decimals() -> None:
    assert score("3个", "1个", "1") == D("0.33")
    assert score("3个", "300个", "1") == D(1)


def test_qualitative_full_until_a_band_is_picked() -> None:
    assert score("全覆盖", "全覆盖") == D(10)
    assert score("全覆盖", "部分覆盖", band="部分达成") == D(7)
    assert score("全覆盖", "未覆盖", band="未达成") == D(3)
    # a number target met with words is judged as 定性
    s = suggest(_ind("20万元", "没超预算", level1="成本指标"), HUNAN)
    assert (s.nature, s.scored_as, s.score) == ("反向", "定性", D(10))


def test_typed_scores_are_held_inside_their_band() -> None:
    ind = _ind("全覆盖", "部分覆盖", band="部分达成")
    s = suggest(ind, HUNAN)
    assert effective_score(ind, D(9), s) == D(8)  # 部分达成: 60–80% of 10
    assert effective_score(ind, D(2), s) == D(6)
    assert effective_score(ind, D("7.5"), s) == D("7.5")
    assert hold_in_band(D(12), D(10), "") == D(10)
    # numeric indicators keep what was typed (the checks flag a score above 分值)
    numeric = _ind("60个", "27个", "1")
    assert effective_score(numeric, D("0.5"), suggest(numeric, HUNAN)) == D("0.5")


def test_nothing_to_score_without_weight_actual_or_when_not_applicable() -> None:
    assert score("100%", "") is None
    assert suggest(IndicatorInput("产出指标", "100%", "100%", None), HUNAN).score is None
    assert suggest(_ind("100%", "100%", not_applicable=True), HUNAN).score is None


def test_grades_include_their_lower_bound() -> None:
    assert [grade(D(x)) for x in ("100", "90", "89.99", "80", "79.5", "60", "59.99")] == [
        "优",
        "优",
        "良",
        "良",
        "中",
        "中",
        "差",
    ]
    assert grade(None) == ""


def test_rule_sets_add_up_to_100_and_caps_apply() -> None:
    for rules in RULE_SETS.values():
        assert rules.execution_weight + sum(item.weight for item in rules.level1) == 100
    assert [i.weight for i in RULE_SETS["hunan"].level1] == [30, 30, 10, 20]
    assert [i.weight for i in RULE_SETS["national"].level1] == [50, 30, 10]
    capped = RULE_SETS["national_capped"]
    assert capped.cap_for(D("0.75")) == 89
    assert capped.cap_for(D("0.65")) == 79
    assert capped.cap_for(D("0.5")) == 69
    assert capped.cap_for(D("0.8")) is None
    assert rule_set("unknown-from-a-newer-app").key == "hunan"
