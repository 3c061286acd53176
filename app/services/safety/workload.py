"""工作量统计: figures the reports quote that have no record of their own in this module
(消防审验, 竣工验收备案, 招投标, 起重机械第三方检测, 自建房排查, 投诉, 信息报送 …).

A catalogue names each figure once (built-in items below, plus the unit's own); values are typed
for a period — a quarter, a year, or the range a notice asks for ("截至3月16日") — and a figure
for any period is assembled from the values inside it:
- `sum` (a flow, e.g. 受理29项): the value typed for exactly that period, else the sum of the
  largest values typed for parts of it (a year from its quarters);
- `latest` (a stock, e.g. 图斑587209个): the value with the latest end date inside the period.
Rates are never typed: they are computed from their two parts (95.34% = 已排查/图斑总数).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import EditConflictError, UserError
from app.models.safety import SafetyWorkloadItem, SafetyWorkloadValue
from app.services import run_cache
from app.services.calc import format_rate, ratio
from app.services.parsing import attempt, parse_decimal
from app.services.safety.periods import Period

SUM, LATEST, RATE = "sum", "latest", "rate"
AGGREGATION_LABELS = {SUM: "期间累计", LATEST: "期末数", RATE: "比率"}
CUSTOM_PREFIX = "custom."
MAX_VALUE = Decimal("100000000000")  # 10^11: far above any count, area or 万元 amount here


@dataclass(frozen=True)
class WorkloadItem:
    key: str
    name: str
    group: str
    unit: str = ""
    aggregation: str = SUM
    decimals: int = 0
    numerator: str = ""  # rates: the part …
    denominator: str = ""  # … and the whole
    parts: tuple[str, ...] = ()  # items that must add up to this one (checked, not computed)
    approx: bool = False  # reports also write it rounded down with 余 ("930余处")
    builtin: bool = True
    position: int = 0

    @property
    def is_rate(self) -> bool:
        return self.aggregation == RATE


def _items(group: str, *rows: tuple) -> list[WorkloadItem]:
    return [WorkloadItem(key, name, group, *rest) for key, name, *rest in rows]


FIRE, FILING, TENDER, CRANE_GROUP, SELF_BUILT, SERVICE, ILLEGAL, OTHER, COST = (
    "消防设计审查验收",
    "竣工验收备案",
    "招投标监管",
    "起重机械监督检测",
    "自建房安全专项整治",
    "投诉与信息报送",
    "打非治违",
    "其他监管工作",
    "造价管理",
)

BUILTIN_ITEMS: tuple[WorkloadItem, ...] = tuple(
    _items(
        FIRE,
        ("fire.design.accepted", "受理消防设计审查", "项"),
        ("fire.design.completed", "办结消防设计审查", "项"),
        (
            "fire.design.rate",
            "消防设计审查办结率",
            "",
            RATE,
            2,
            "fire.design.completed",
            "fire.design.accepted",
        ),
        ("fire.acceptance.accepted", "受理消防验收", "项"),
        ("fire.acceptance.completed", "办结消防验收", "项"),
        (
            "fire.acceptance.rate",
            "消防验收办结率",
            "",
            RATE,
            2,
            "fire.acceptance.completed",
            "fire.acceptance.accepted",
        ),
        (
            "fire.filing.accepted",
            "受理消防验收备案",
            "项",
            SUM,
            0,
            "",
            "",
            ("fire.filing.sampled", "fire.filing.not_sampled"),
        ),
        ("fire.filing.sampled", "消防验收备案抽中", "项"),
        ("fire.filing.not_sampled", "消防验收备案未抽中", "项"),
    )
    + _items(
        FILING,
        (
            "filing.count",
            "竣工验收备案项目",
            "个",
            SUM,
            0,
            "",
            "",
            ("filing.house.count", "filing.municipal.count"),
        ),
        (
            "filing.cost",
            "竣工验收备案工程总造价",
            "万元",
            SUM,
            2,
            "",
            "",
            ("filing.house.cost", "filing.municipal.cost"),
        ),
        ("filing.house.count", "其中房建类项目", "个"),
        ("filing.house.cost", "房建类工程总造价", "万元", SUM, 2),
        ("filing.house.area", "房建类建筑面积", "平方米", SUM, 2),
        ("filing.municipal.count", "其中市政工程项目", "个"),
        ("filing.municipal.cost", "市政工程总造价", "万元", SUM, 2),
    )
    + _items(
        TENDER,
        ("tender.open.count", "公开招标项目", "个"),
        ("tender.open.amount", "公开招标中标金额", "万元", SUM, 4),
        (
            "tender.supervised.count",
            "现场监管交易项目",
            "项",
            SUM,
            0,
            "",
            "",
            (
                "tender.supervised.survey",
                "tender.supervised.design",
                "tender.supervised.supervision",
                "tender.supervised.housing",
                "tender.supervised.municipal",
                "tender.supervised.procurement",
            ),
        ),
        ("tender.supervised.survey", "其中勘察", "项"),
        ("tender.supervised.design", "其中设计", "项"),
        ("tender.supervised.supervision", "其中监理", "项"),
        ("tender.supervised.housing", "其中房建", "项"),
        ("tender.supervised.municipal", "其中市政", "项"),
        ("tender.supervised.procurement", "其中采购", "项"),
        ("tender.supervised.amount", "现场监管交易总中标金额", "万元", SUM, 4),
        ("tender.audit.rounds", "专项标后稽查", "次"),
        ("tender.audit.notices", "标后稽查整改告知书", "份"),
        ("tender.audit.referrals", "移交未取得施工许可证擅自开工项目", "起"),
    )
    + _items(
        CRANE_GROUP,
        ("crane.hazards", "第三方检测发现起重机械安全隐患", "处", SUM, 0, "", "", (), True),
        ("crane.dismantled", "强制拆除起重机械", "台"),
        ("crane.sealed", "现场封停起重机械", "台"),
    )
    + _items(
        SELF_BUILT,
        (
            "selfbuilt.patches",
            "自建房图斑总数",
            "个",
            LATEST,
            0,
            "",
            "",
            ("selfbuilt.unsurveyed", "selfbuilt.surveying", "selfbuilt.surveyed"),
        ),
        ("selfbuilt.unsurveyed", "未排查图斑", "个", LATEST),
        ("selfbuilt.surveying", "排查中图斑", "个", LATEST),
        ("selfbuilt.surveyed", "已排查图斑", "个", LATEST),
        ("selfbuilt.survey_rate", "图斑排查完成率", "", RATE, 2, "selfbuilt.surveyed", "selfbuilt.patches"),
        ("selfbuilt.commercial", "经营性自建房", "栋", LATEST),
        ("selfbuilt.review_done", "经营性自建房“回头看”完成", "栋", LATEST),
        (
            "selfbuilt.review_rate",
            "“回头看”完成率",
            "",
            RATE,
            2,
            "selfbuilt.review_done",
            "selfbuilt.commercial",
        ),
        ("selfbuilt.review_rank", "“回头看”完成率排名", "名", LATEST),
        ("selfbuilt.hazard_buildings", "存在安全隐患的经营性自建房", "栋", LATEST),
        ("selfbuilt.hazard_fixed", "已整治经营性自建房", "栋", LATEST),
        (
            "selfbuilt.fix_rate",
            "隐患自建房整改完成率",
            "",
            RATE,
            2,
            "selfbuilt.hazard_fixed",
            "selfbuilt.hazard_buildings",
        ),
        ("selfbuilt.fix_rank", "整改完成率排名", "名", LATEST),
        ("selfbuilt.spot_villages", "指导服务抽查村社区", "个"),
        ("selfbuilt.spot_buildings", "指导服务抽查房屋", "栋"),
        ("selfbuilt.spot_problems", "指导服务发现问题", "条"),
    )
    + _items(
        SERVICE,
        ("complaints.accepted", "受理房屋质量投诉", "项"),
        ("complaints.completed", "办结房屋质量投诉", "项"),
        ("complaints.rate", "房屋质量投诉办结率", "", RATE, 2, "complaints.completed", "complaints.accepted"),
        ("info.reported", "报送信息", "篇"),
        ("info.adopted", "信息被采用", "篇"),
        ("info.rate", "信息采用率", "", RATE, 2, "info.adopted", "info.reported"),
    )
    + _items(
        ILLEGAL,
        ("illegal.consults", "接受业务咨询指导", "次", SUM, 0, "", "", (), True),
    )
    + _items(
        OTHER,
        ("inspect.labs", "检查检测机构", "家"),
        ("inspect.concrete", "检查预拌混凝土生产企业", "家"),
        ("absent.builders", "建造师未到岗履职移交处罚", "名"),
        ("absent.directors", "总监未到岗履职移交处罚", "名"),
        ("standard.completed", "竣工项目", "个"),
        ("standard.evaluated", "竣工项目完成安全标准化考评", "个"),
        (
            "standard.rate",
            "竣工项目安全标准化考评率",
            "",
            RATE,
            2,
            "standard.evaluated",
            "standard.completed",
        ),
        ("dust.sprinklers", "督促新装自动降尘喷淋等设备", "台套"),
    )
    + _items(
        COST,
        ("cost.control_price", "完成招标控制价备查", "项"),
        ("cost.settlement", "完成竣工结算备案", "项"),
    )
)
BUILTIN_KEYS = {item.key: item for item in BUILTIN_ITEMS}


def catalogue(session: Session, unit_id: int) -> list[WorkloadItem]:
    """The built-in items, then the unit's own, in order."""
    items = [replace(item, position=i) for i, item in enumerate(BUILTIN_ITEMS)]
    rows = session.scalars(
        select(SafetyWorkloadItem)
        .where(SafetyWorkloadItem.unit_id == unit_id)
        .order_by(SafetyWorkloadItem.position, SafetyWorkloadItem.id)
    )
    for row in rows:
        items.append(
            WorkloadItem(
                key=row.key,
                name=row.name,
                group=row.group,
                unit=row.unit,
                aggregation=row.aggregation,
                decimals=row.decimals,
                numerator=row.numerator_key,
                denominator=row.denominator_key,
                builtin=False,
                position=len(BUILTIN_ITEMS) + row.position,
            )
        )
    return items


# -- the unit's own items --------------------------------------------------------------------------


@dataclass
class NewItem:
    name: str
    group: str = "其他"
    unit: str = ""
    aggregation: str = SUM
    decimals: int = 0
    numerator: str = ""
    denominator: str = ""


def add_item(db: Database, unit_id: int, new: NewItem) -> str:
    """Add a figure to the unit's catalogue; returns its key ("custom.3")."""
    name = new.name.strip()
    if not name:
        raise UserError("请填写统计项名称")
    if len(name) > 100:
        raise UserError("统计项名称过长（最多100字）")
    if new.aggregation not in AGGREGATION_LABELS:
        raise UserError("统计方式应为“期间累计”“期末数”或“比率”")
    if not 0 <= new.decimals <= 4:
        raise UserError("小数位数应为0至4")
    with db.transaction() as session:
        items = {item.key: item for item in catalogue(session, unit_id)}
        if any(item.name == name for item in items.values()):
            raise UserError(f"已有名为“{name}”的统计项")
        if new.aggregation == RATE:
            for label, key in (("分子", new.numerator), ("分母", new.denominator)):
                if key not in items or items[key].is_rate:
                    raise UserError(f"比率的{label}应为一个已有的数量统计项")
        count = session.scalar(
            select(func.count()).select_from(SafetyWorkloadItem).where(SafetyWorkloadItem.unit_id == unit_id)
        )
        taken = set(
            session.scalars(select(SafetyWorkloadItem.key).where(SafetyWorkloadItem.unit_id == unit_id))
        )
        number = (count or 0) + 1
        while f"{CUSTOM_PREFIX}{number}" in taken:
            number += 1
        key = f"{CUSTOM_PREFIX}{number}"
        session.add(
            SafetyWorkloadItem(
                unit_id=unit_id,
                key=key,
                name=name,
                group=new.group.strip() or "其他",
                unit=new.unit.strip(),
                aggregation=new.aggregation,
                decimals=0 if new.aggregation == RATE else new.decimals,
                numerator_key=new.numerator if new.aggregation == RATE else "",
                denominator_key=new.denominator if new.aggregation == RATE else "",
                position=number,
            )
        )
        return key


def delete_item(db: Database, unit_id: int, key: str) -> None:
    """Remove one of the unit's own items and every value typed for it."""
    if key in BUILTIN_KEYS:
        raise UserError("内置统计项不能删除")
    with db.transaction() as session:
        used_by = session.scalars(
            select(SafetyWorkloadItem.name).where(
                SafetyWorkloadItem.unit_id == unit_id,
                (SafetyWorkloadItem.numerator_key == key) | (SafetyWorkloadItem.denominator_key == key),
            )
        ).first()
        if used_by:
            raise UserError(f"统计项被比率“{used_by}”引用，请先删除该比率")
        session.execute(
            delete(SafetyWorkloadValue).where(
                SafetyWorkloadValue.unit_id == unit_id, SafetyWorkloadValue.key == key
            )
        )
        session.execute(
            delete(SafetyWorkloadItem).where(
                SafetyWorkloadItem.unit_id == unit_id, SafetyWorkloadItem.key == key
            )
        )


# -- typed values -----------------------------------------------------------------------------------


def typed_values(session: Session, unit_id: int, period: Period) -> dict[str, Decimal]:
    """The values typed for exactly `period` (what the entry form shows)."""
    rows = session.execute(
        select(SafetyWorkloadValue.key, SafetyWorkloadValue.value).where(
            SafetyWorkloadValue.unit_id == unit_id,
            SafetyWorkloadValue.period_start == period.start,
            SafetyWorkloadValue.period_end == period.end,
        )
    )
    return {key: value for key, value in rows}


def parse_value(item: WorkloadItem, value: object) -> Decimal | None:
    """A value typed for `item` (0 … 1e11 with the item's decimals); raises ParseError."""
    return parse_decimal(value, item.name, maximum=MAX_VALUE, places=item.decimals)


def validate_value(item: WorkloadItem, value: Decimal) -> str | None:
    return attempt(parse_value, item, value)[1]


def save_values(
    db: Database,
    unit_id: int,
    period: Period,
    values: dict[str, Decimal | None],
    loaded: dict[str, Decimal] | None = None,
) -> None:
    """Write the values typed for `period` in one transaction; None clears a value. With `loaded`
    (the values the form showed), a value changed elsewhere since is not overwritten: the whole
    save is refused (EditConflictError) naming the items."""
    with db.transaction() as session:
        items = {item.key: item for item in catalogue(session, unit_id)}
        for key, value in values.items():
            item = items.get(key)
            if item is None:
                raise UserError(f"未知的统计项：{key}")
            if item.is_rate:
                raise UserError(f"{item.name}由其组成部分自动计算，不能填写")
            if value is not None:
                error = validate_value(item, value)
                if error:
                    raise UserError(error)
        existing = {
            row.key: row
            for row in session.scalars(
                select(SafetyWorkloadValue).where(
                    SafetyWorkloadValue.unit_id == unit_id,
                    SafetyWorkloadValue.period_start == period.start,
                    SafetyWorkloadValue.period_end == period.end,
                )
            )
        }
        if loaded is not None:
            moved = [
                items[k].name
                for k in values
                if (existing[k].value if k in existing else None) != loaded.get(k)
            ]
            if moved:
                raise EditConflictError(
                    f"{period.label()}的“{'、'.join(moved)}”已在别处被修改并保存。为避免覆盖对方的修改，本次未保存。"
                )
        for key, value in values.items():
            row = existing.get(key)
            if value is None:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(
                    SafetyWorkloadValue(
                        unit_id=unit_id,
                        key=key,
                        period_start=period.start,
                        period_end=period.end,
                        value=value,
                    )
                )
            else:
                row.value = value


# -- figures for a period ---------------------------------------------------------------------------


@dataclass
class WorkloadFigure:
    item: WorkloadItem
    value: Decimal | None  # a rate as a fraction (0.9534)
    sources: list[tuple[date, date]] = field(default_factory=list)  # the typed periods used

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        if self.item.is_rate:
            return format_rate(self.value)
        return format_quantity(self.value, self.item.decimals)

    @property
    def approx_text(self) -> str:
        """930余 for 932: rounded down to tens, as the reports write large approximate counts."""
        if self.value is None:
            return ""
        if self.value < 20:
            return self.text
        return f"{int(self.value // 10 * 10)}余"


def format_quantity(value: Decimal, decimals: int = 2) -> str:
    """As the seeds write amounts in prose: 382.5, 350773.89, 78089.7763, 29 (no trailing zeros)."""
    text = f"{value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _contained(rows: Iterable[tuple], period: Period) -> dict[str, list[tuple[date, date, Decimal]]]:
    by_key: dict[str, list[tuple[date, date, Decimal]]] = defaultdict(list)
    for key, start, end, value in rows:
        if start >= period.start and end <= period.end:
            by_key[key].append((start, end, value))
    return by_key


def _maximal(entries: list[tuple[date, date, Decimal]]) -> list[tuple[date, date, Decimal]]:
    """The entries not lying inside another one (a year wins over its own quarters)."""
    return [
        e
        for e in entries
        if not any(
            o is not e and o[0] <= e[0] and e[1] <= o[1] and (o[0], o[1]) != (e[0], e[1]) for o in entries
        )
    ]


def overlapping(entries: list[tuple[date, date, Decimal]]) -> bool:
    chosen = sorted(_maximal(entries))
    return any(b[0] <= a[1] for a, b in pairwise(chosen))


ValueRow = tuple[str, date, date, Decimal]


def _value_rows(session: Session, unit_id: int, period: Period | None = None) -> list[ValueRow]:
    """(key, start, end, value) typed for the unit, those inside `period` at least. Inside a
    run_cache() every value of the unit is read once, for all the periods the run asks about."""
    if period is not None and not run_cache.active():
        return _read_value_rows(session, unit_id, period)
    return run_cache.cached(("safety.workload_values", unit_id), lambda: _read_value_rows(session, unit_id))


def _read_value_rows(session: Session, unit_id: int, period: Period | None = None) -> list[ValueRow]:
    query = select(
        SafetyWorkloadValue.key,
        SafetyWorkloadValue.period_start,
        SafetyWorkloadValue.period_end,
        SafetyWorkloadValue.value,
    ).where(SafetyWorkloadValue.unit_id == unit_id)
    if period is not None:
        query = query.where(
            SafetyWorkloadValue.period_start >= period.start, SafetyWorkloadValue.period_end <= period.end
        )
    return [tuple(row) for row in session.execute(query)]


def figures_for_period(session: Session, unit_id: int, start: date, end: date) -> dict[str, WorkloadFigure]:
    """Every catalogue figure for the period, keyed by item key (value None when nothing typed)."""
    period = Period(start, end)
    items = run_cache.cached(("safety.workload_catalogue", unit_id), lambda: catalogue(session, unit_id))
    by_key = _contained(_value_rows(session, unit_id, period), period)
    result: dict[str, WorkloadFigure] = {}
    for item in items:
        if item.is_rate:
            continue
        entries = by_key.get(item.key, [])
        if not entries:
            result[item.key] = WorkloadFigure(item, None)
        elif item.aggregation == LATEST:
            last = max(entries, key=lambda e: (e[1], e[0]))
            result[item.key] = WorkloadFigure(item, last[2], [(last[0], last[1])])
        else:
            chosen = sorted(_maximal(entries))
            total = sum((e[2] for e in chosen), Decimal(0))
            result[item.key] = WorkloadFigure(item, total, [(e[0], e[1]) for e in chosen])
    for item in items:
        if not item.is_rate:
            continue
        part, whole = result.get(item.numerator), result.get(item.denominator)
        value = ratio(part.value, whole.value) if part and whole else None
        sources = sorted({*(part.sources if part else []), *(whole.sources if whole else [])})
        result[item.key] = WorkloadFigure(item, value, sources)
    return {item.key: result[item.key] for item in items}


def problems_for_period(session: Session, unit_id: int, start: date, end: date) -> list[tuple[str, str]]:
    """(item name, message) for figures that contradict each other in the period: parts that do
    not add up to their total, a rate above 100%, typed periods that overlap."""
    figures = figures_for_period(session, unit_id, start, end)
    problems: list[tuple[str, str]] = []
    for figure in figures.values():
        item = figure.item
        if item.parts and figure.value is not None:
            parts = [figures[k] for k in item.parts if k in figures]
            if all(p.value is not None for p in parts):
                total = sum((p.value for p in parts if p.value is not None), Decimal(0))
                if total != figure.value:
                    names = "、".join(p.item.name for p in parts)
                    shown = format_quantity(total, item.decimals)
                    problems.append((item.name, f"{item.name}（{figure.text}）不等于{names}之和（{shown}）"))
        if item.is_rate and figure.value is not None and figure.value > 1:
            part, whole = figures[item.numerator], figures[item.denominator]
            problems.append(
                (
                    item.name,
                    f"{part.item.name}（{part.text}）大于{whole.item.name}（{whole.text}），比率超过100%",
                )
            )
    for key, entries in _contained(_value_rows(session, unit_id), Period(start, end)).items():
        item = figures.get(key)
        if item is not None and item.item.aggregation == SUM and overlapping(entries):
            problems.append((item.item.name, "填写的统计期间相互重叠，汇总时可能重复计算，请核对"))
    return problems
