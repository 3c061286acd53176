"""Named scoring rule sets (评分规则), chosen per year: the 一级指标 and their weights, the 执行率
weight, how 反向 and 定性 indicators are scored, when a 偏差原因 is required, and optional caps on
总分 by a low 执行率. Provinces differ; a unit outside Hunan picks the national default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

D = Decimal
TEN = D(10)
OVERSHOOT = D("1.3")

NATURES = ("正向", "反向", "等于", "定性")
NATURE_HELP = {
    "正向": "正向（≥）：实际值达到或超过指标值得满分，不足按 实际/指标 × 分值",
    "反向": "反向（≤）：实际值不超过指标值得满分，超出后递减",
    "等于": "等于（=）：实际值等于指标值得满分，偏离按偏离比例扣分",
    "定性": "定性：按达成程度评分（达成/部分达成/未达成）",
}


@dataclass(frozen=True)
class Band:
    """A 定性 achievement band: scores between `low` and `high` × 分值; `suggest` is the default."""

    name: str
    low: Decimal
    high: Decimal
    suggest: Decimal


BANDS = (
    Band("达成", D("0.8"), D("1"), D("1")),
    Band("部分达成", D("0.6"), D("0.8"), D("0.7")),
    Band("未达成", D("0"), D("0.6"), D("0.3")),
)
BAND_NAMES = tuple(b.name for b in BANDS)


def band(name: str) -> Band | None:
    return next((b for b in BANDS if b.name == name), None)


@dataclass(frozen=True)
class Level1:
    name: str
    weight: Decimal
    level2: tuple[str, ...]


@dataclass(frozen=True)
class Cap:
    """总分 is at most `max_total` when 执行率 is below `below` (checked from the lowest band up)."""

    below: Decimal
    max_total: Decimal


@dataclass(frozen=True)
class RuleSet:
    key: str
    title: str
    level1: tuple[Level1, ...]
    execution_weight: Decimal = TEN
    # "double": above the target the score falls linearly to 0 at twice the target;
    # "ratio": 指标/实际 × 分值.
    reverse_method: str = "double"
    # A 偏差原因 is asked for when the actual reaches this multiple of a 正向 target (None: never).
    overshoot: Decimal | None = OVERSHOOT
    caps: tuple[Cap, ...] = ()
    description: str = ""
    # 一级指标 whose numeric targets are 反向 unless they say otherwise (成本指标 are costs: ≤).
    reverse_level1: tuple[str, ...] = field(default=("成本指标",))

    def level1_names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.level1)

    def default_weight(self, level1: str) -> Decimal | None:
        return next((item.weight for item in self.level1 if item.name == level1), None)

    def level2_of(self, level1: str) -> tuple[str, ...]:
        return next((item.level2 for item in self.level1 if item.name == level1), ())

    def cap_for(self, rate: Decimal | None) -> Decimal | None:
        if rate is None:
            return None
        for cap in sorted(self.caps, key=lambda c: c.below):
            if rate < cap.below:
                return cap.max_total
        return None


OUTPUT = ("数量指标", "质量指标", "时效指标")
BENEFIT = ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")
SATISFACTION = ("服务对象满意度指标",)
COST = ("经济成本指标", "社会成本指标", "生态环境成本指标")
NATIONAL_OUTPUT = (*OUTPUT, "成本指标")

LOW_RATE_CAPS = (Cap(D("0.6"), D(69)), Cap(D("0.7"), D(79)), Cap(D("0.8"), D(89)))

RULE_SETS: dict[str, RuleSet] = {
    rs.key: rs
    for rs in (
        RuleSet(
            "hunan",
            "湖南省（产出30/效益30/满意度10/成本20＋执行率10）",
            (
                Level1("产出指标", D(30), OUTPUT),
                Level1("效益指标", D(30), BENEFIT),
                Level1("满意度指标", D(10), SATISFACTION),
                Level1("成本指标", D(20), COST),
            ),
            description="湖南省部门整体及项目支出绩效自评表（示例单位汨罗市所用）。",
        ),
        RuleSet(
            "national",
            "全国通用（产出50/效益30/满意度10＋执行率10）",
            (
                Level1("产出指标", D(50), NATIONAL_OUTPUT),
                Level1("效益指标", D(30), BENEFIT),
                Level1("满意度指标", D(10), SATISFACTION),
            ),
            description="财政部项目支出绩效自评表的默认权重，成本指标列入产出指标。",
        ),
        RuleSet(
            "national_capped",
            "全国通用＋低执行率封顶（执行率<80%总分≤89，<70%≤79，<60%≤69）",
            (
                Level1("产出指标", D(50), NATIONAL_OUTPUT),
                Level1("效益指标", D(30), BENEFIT),
                Level1("满意度指标", D(10), SATISFACTION),
            ),
            caps=LOW_RATE_CAPS,
            description="部分省份对预算执行率偏低的项目限制总分上限。",
        ),
    )
}
DEFAULT_RULE_SET = "hunan"


def rule_set(key: str) -> RuleSet:
    """The rule set named `key`; an unknown key (a newer app's set) falls back to the default."""
    return RULE_SETS.get(key) or RULE_SETS[DEFAULT_RULE_SET]


def grade(total: Decimal | None) -> str:
    """评价等级: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60 (lower bounds included)."""
    if total is None:
        return ""
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"
