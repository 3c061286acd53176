"""Reading a typed target ("95%以上", "60个", "控制在财政预算内") and suggesting an indicator's 得分.

- 正向 (≥): met → full marks; short → 实际/指标 × 分值.
- 反向 (≤): within the target → full; above it the score falls to 0 at twice the target
  (or 指标/实际 × 分值, by rule set).
- 等于 (=): equal → full; otherwise reduced by the relative deviation.
- 定性: full until the user picks a band (达成 / 部分达成 / 未达成); typed scores are held in the band.
Scores are rounded to two decimals, never above 分值; negative actuals count as 0. An actual that is
not a number (e.g. "没超预算" against "20万元") is scored as a 定性 indicator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from app.services.budget.rules import BANDS, RuleSet, band

CENT = Decimal("0.01")
ZERO = Decimal(0)

# (keyword, nature), longest first where one contains another ("不低于" before "低于").
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("不超过", "反向"),
    ("不高于", "反向"),
    ("不大于", "反向"),
    ("不多于", "反向"),
    ("不低于", "正向"),
    ("不少于", "正向"),
    ("不小于", "正向"),
    ("大于等于", "正向"),
    ("小于等于", "反向"),
    ("以上", "正向"),
    ("以下", "反向"),
    ("以内", "反向"),
    ("之内", "反向"),
    ("低于", "反向"),
    ("少于", "反向"),
    ("小于", "反向"),
    ("高于", "正向"),
    ("大于", "正向"),
    ("超过", "正向"),
    ("至少", "正向"),
    ("达到", "正向"),
    ("最多", "反向"),
    ("控制在", "反向"),
    ("≥", "正向"),
    (">=", "正向"),
    ("＞", "正向"),
    (">", "正向"),
    ("≤", "反向"),
    ("<=", "反向"),
    ("＜", "反向"),
    ("<", "反向"),
    ("等于", "等于"),
    ("＝", "等于"),
    ("=", "等于"),
)
_UNITS = (
    "万平方米",
    "平方米",
    "个工作日",
    "工作日",
    "万元",
    "亿元",
    "小时",
    "m²",
    "m2",
    "km",
    "%",
    "％",
    "‰",
    "元",
    "个",
    "次",
    "人次",
    "人",
    "项",
    "家",
    "天",
    "日",
    "户",
    "件",
    "台",
    "份",
    "条",
    "起",
    "所",
    "座",
    "栋",
    "辆",
    "吨",
    "米",
    "公里",
    "分",
    "场",
    "期",
    "批",
    "套",
    "篇",
    "册",
    "本",
    "处",
    "宗",
    "类",
    "周",
    "月",
    "年",
)
_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)")
# A date or period ("2023年1-12月", "12月底前", "2023年") makes a target 定性 (时效 by the calendar).
_DATE = re.compile(
    r"\d{4}\s*年|\d{1,2}\s*[-—–~～至]\s*\d{1,2}\s*月|\d{1,2}\s*月(?:底|份|末|前|中旬|上旬|下旬)"
)


@dataclass(frozen=True)
class ParsedTarget:
    nature: str  # 正向 / 反向 / 等于 / 定性
    value: Decimal | None  # the number in the target (None for 定性)
    unit: str  # 度量单位 ("%", "个", "万元" …; "" if none)


def _normalise(text: str) -> str:
    return (
        text.strip()
        .replace("，", ",")
        .replace("．", ".")
        .translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    )


def _number_and_unit(text: str) -> tuple[Decimal | None, str]:
    text = _normalise(text)
    match = _NUMBER.search(text.replace(",", ""))
    if not match:
        return None, ""
    value = Decimal(match.group(1))
    rest = text.replace(",", "")[match.end() :].lstrip()
    unit = next((u for u in _UNITS if rest.startswith(u)), "")
    if unit == "％":
        unit = "%"
    return value, unit


def parse_target(text: str, level1: str = "", rules: RuleSet | None = None) -> ParsedTarget:
    """Infer 指标性质, value and 度量单位 from a typed 年度指标值."""
    clean = _normalise(text)
    if not clean or _DATE.search(clean):
        return ParsedTarget("定性", None, "")
    value, unit = _number_and_unit(clean)
    if value is None:
        return ParsedTarget("定性", None, "")
    nature = next((n for keyword, n in _QUALIFIERS if keyword in clean), "")
    if not nature and clean.endswith("内"):
        nature = "反向"  # "30天内", "5个工作日内"
    if not nature:
        reverse_level1 = rules.reverse_level1 if rules else ("成本指标",)
        nature = "反向" if level1 in reverse_level1 else "正向"
    return ParsedTarget(nature, value, unit)


def parse_actual(text: str) -> Decimal | None:
    """The number in a typed 实际完成值 ("27个" → 27, "100%" → 100); None if there is none."""
    clean = _normalise(text)
    if not clean or _DATE.search(clean):
        return None
    value, _unit = _number_and_unit(clean)
    return value


def round_score(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class Suggestion:
    score: Decimal | None  # None: nothing to score yet (no 分值, no 实际完成值, 不适用)
    nature: str
    target_value: Decimal | None
    unit: str
    actual_value: Decimal | None
    basis: str  # how the score was reached, for the tooltip: "27/60 × 1 = 0.45"
    scored_as: str = ""  # the nature the score was computed by (定性 when a side is not a number)


@dataclass(frozen=True)
class IndicatorInput:
    """What scoring needs to know of an indicator (app.services.budget.data.Indicator fits)."""

    level1: str
    target: str
    actual: str
    weight: Decimal | None
    nature: str = ""  # chosen by the user; "" = inferred from the target
    unit: str = ""
    band: str = ""
    not_applicable: bool = False


def suggest(ind: IndicatorInput, rules: RuleSet) -> Suggestion:
    parsed = parse_target(ind.target, ind.level1, rules)
    nature = ind.nature or parsed.nature
    unit = ind.unit or parsed.unit
    target = parsed.value
    actual = parse_actual(ind.actual)
    if ind.not_applicable:
        return Suggestion(None, nature, target, unit, actual, "不适用：不计分值，不评分")
    weight = ind.weight
    if weight is None:
        return Suggestion(None, nature, target, unit, actual, "未填分值")
    if not ind.actual.strip():
        return Suggestion(None, nature, target, unit, actual, "实际完成值未填写")
    if nature != "定性" and (target is None or actual is None):
        # A number was expected but one side is words ("没超预算"): judge it as 定性.
        nature_used = "定性"
        why = "实际完成值不是数值，按定性指标评分" if actual is None else "年度指标值不是数值，按定性指标评分"
    else:
        nature_used = nature
        why = ""
    if nature_used == "定性":
        chosen = band(ind.band)
        if chosen is None:
            score = weight
            basis = f"{why or '定性指标'}：未选达成程度，按达成计满分 {_fmt(weight)}"
        else:
            score = round_score(weight * chosen.suggest)
            low, high = round_score(weight * chosen.low), round_score(weight * chosen.high)
            basis = f"{why or '定性指标'}：{chosen.name}（{_fmt(low)}～{_fmt(high)}分），建议 {_fmt(score)}"
        return Suggestion(min(score, weight), nature, target, unit, actual, basis, "定性")
    assert target is not None and actual is not None
    a = max(actual, ZERO)
    negative = "（实际值为负，按0计）" if actual < 0 else ""
    t = target
    if nature_used == "正向":
        if a >= t or t <= 0:
            score, basis = weight, f"正向：实际 {_fmt(a)} ≥ 指标 {_fmt(t)}，满分"
        else:
            score = weight * a / t
            basis = f"正向：{_fmt(a)}/{_fmt(t)} × {_fmt(weight)} = {_fmt(round_score(score))}"
    elif nature_used == "反向":
        if a <= t:
            score, basis = weight, f"反向：实际 {_fmt(a)} ≤ 指标 {_fmt(t)}，满分"
        elif t <= 0:
            score, basis = ZERO, f"反向：指标为 {_fmt(t)}，实际 {_fmt(a)} 超出，0分"
        elif rules.reverse_method == "ratio":
            score = weight * t / a
            basis = f"反向：{_fmt(t)}/{_fmt(a)} × {_fmt(weight)} = {_fmt(round_score(score))}"
        else:
            score = max(ZERO, weight * (2 * t - a) / t)
            basis = (
                f"反向：超出指标 {_fmt(a - t)}，按超出比例扣分（两倍指标值时为0）= {_fmt(round_score(score))}"
            )
    else:  # 等于
        if a == t:
            score, basis = weight, f"等于：实际 {_fmt(a)} = 指标 {_fmt(t)}，满分"
        elif t == 0:
            score, basis = ZERO, f"等于：指标为0，实际 {_fmt(a)}，0分"
        else:
            score = max(ZERO, weight * (1 - abs(a - t) / t))
            basis = f"等于：偏离 {_fmt(abs(a - t))}，按偏离比例扣分 = {_fmt(round_score(score))}"
    score = min(round_score(score), weight)
    return Suggestion(score, nature, target, unit, actual, basis + negative, nature_used)


def hold_in_band(score: Decimal, weight: Decimal | None, band_name: str) -> Decimal:
    """A typed score of a 定性 indicator kept inside its chosen band (and within 0…分值)."""
    if weight is None:
        return score
    chosen = band(band_name)
    low, high = (ZERO, weight) if chosen is None else (weight * chosen.low, weight * chosen.high)
    return round_score(min(max(score, round_score(low)), round_score(high)))


def effective_score(ind: IndicatorInput, typed: Decimal | None, suggestion: Suggestion) -> Decimal | None:
    """The 得分 that counts: the typed one (held in its 定性 band) or else the suggestion."""
    if ind.not_applicable:
        return None
    if typed is None:
        return suggestion.score
    if ind.band and suggestion.scored_as == "定性":
        return hold_in_band(typed, ind.weight, ind.band)
    return typed


def band_range(weight: Decimal, band_name: str) -> tuple[Decimal, Decimal] | None:
    chosen = band(band_name)
    if chosen is None:
        return None
    return round_score(weight * chosen.low), round_score(weight * chosen.high)


__all__ = [
    "BANDS",
    "IndicatorInput",
    "ParsedTarget",
    "Suggestion",
    "band_range",
    "effective_score",
    "hold_in_band",
    "parse_actual",
    "parse_target",
    "round_score",
    "suggest",
]
