"""信访 statistics for a period, as the 平安建设 reports and the 信访 statistics table quote them.

Definitions (the period is on 收到日期, both ends included):
- 受理: items with a 受理日期 (办理中, 已办结, and items transferred after 受理);
- 办结率 = 办结 ÷ 受理;
- 按期办结率 = 按期办结 ÷ (办结 + 受理后已超期未办结): an item still open past its 办理期限 counts
  against the rate, so leaving an item open never improves it;
- 接待人次 = people over all 来访 items; 个访、重复访 are visits of fewer than 5 people, 群访 (集体访)
  of 5 or more (seed 004: "个访、重复访413人次，群访422人次");
- 同比 compares the total with the same period a year earlier ("同比上升20.3%").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from app.models.registers import (
    CHOICE_CATEGORY,
    CHOICE_CHANNEL,
    PETITION_CLOSED,
    PETITION_HANDLING,
    PETITION_PENDING,
    PETITION_REJECTED,
    PETITION_STATES,
    PETITION_TRANSFERRED,
    Petition,
)
from app.services.calc import ratio
from app.services.registers.common import (
    change_ratio,
    format_change,
    ordered_unique,
    same_day_a_year_earlier,
)
from app.services.registers.petitions import GROUP_VISIT_PEOPLE, VISIT_CHANNEL, choices


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass
class PetitionStats:
    unit_id: int
    start: date
    end: date
    as_of: date  # open items are overdue if their 办理期限 is before this day
    total: int = 0
    by_channel: list[Count] = field(default_factory=list)  # every channel as registered
    by_group: list[Count] = field(default_factory=list)  # 统计口径: 12345信箱, 舆情, 信访, 市长信箱 …
    channel_groups: dict[str, str] = field(default_factory=dict)  # channel → its 统计口径
    by_category: list[Count] = field(default_factory=list)
    by_status: list[Count] = field(default_factory=list)
    by_assignment: list[Count] = field(default_factory=list)  # 巡视交办 25 …
    assigned: int = 0  # 交办件 (any 交办来源), counted within the total
    accepted: int = 0  # 受理
    closed: int = 0  # 办结
    closed_on_time: int = 0  # 按期办结
    overdue_open: int = 0  # 受理后已超期未办结
    pending: int = 0  # 待受理
    handling: int = 0  # 办理中
    rejected: int = 0  # 不予受理
    transferred: int = 0  # 已转送
    closed_rate: Decimal | None = None  # 办结率 (a fraction: 1 → 100%)
    on_time_rate: Decimal | None = None  # 按期办结率
    visits: int = 0  # 来访 batches (批次)
    visitors: int = 0  # 接待人次
    visitors_individual: int = 0  # 个访、重复访 人次
    visitors_group: int = 0  # 群访 人次
    group_visits: int = 0  # 集体访 批次
    repeat_visits: int = 0  # 重复访 批次
    previous: PetitionStats | None = None  # the same period a year earlier
    yoy: Decimal | None = None  # 同比 change of the total, as a fraction (0.2034 → +20.34%)
    yoy_text: str = ""  # "同比上升20.3%"

    def count_of(self, counts: list[Count], label: str) -> int:
        return next((c.count for c in counts if c.label == label), 0)

    def group(self, label: str) -> int:
        return self.count_of(self.by_group, label)

    def channel(self, label: str) -> int:
        return self.count_of(self.by_channel, label)

    def category(self, label: str) -> int:
        return self.count_of(self.by_category, label)

    def assignment(self, label: str) -> int:
        return self.count_of(self.by_assignment, label)

    def group_text(self) -> str:
        """ "12345信箱239件、舆情11件、信访26件、市长信箱8件" (as seed 003 writes it; zeros left out)."""
        return "、".join(f"{c.label}{c.count}件" for c in self.by_group if c.count)

    def category_text(self) -> str:
        return "、".join(f"{c.label}{c.count}件" for c in self.by_category if c.count)


def _counts(order: list[str], found: dict[str, int], *, keep_zero: bool) -> list[Count]:
    labels = ordered_unique([*order, *sorted(found)])
    return [Count(label, found.get(label, 0)) for label in labels if keep_zero or found.get(label, 0)]


def petition_stats(
    session: Session,
    unit_id: int,
    start: date,
    end: date,
    *,
    as_of: date | None = None,
    with_previous: bool = True,
) -> PetitionStats:
    """The statistics of items received from `start` to `end` (inclusive)."""
    as_of = as_of or date.today()
    stats = PetitionStats(unit_id, start, end, as_of)
    where = (Petition.unit_id == unit_id, Petition.received_on >= start, Petition.received_on <= end)

    closed = Petition.status == PETITION_CLOSED
    on_time = closed & or_(Petition.due_on.is_(None), Petition.closed_on <= Petition.due_on)
    overdue = (Petition.status == PETITION_HANDLING) & (Petition.due_on < as_of)
    small = Petition.people < GROUP_VISIT_PEOPLE
    visit = Petition.channel == VISIT_CHANNEL

    def total_of(condition, value=1):
        return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

    # One pass over the period's items (every column read is in ix_petition_unit_received, so
    # the rows themselves are never visited); the groups are added up here.
    keys = (Petition.channel, Petition.category, Petition.status, Petition.assignment)
    rows = session.execute(
        select(
            *keys,
            func.count(),
            total_of(Petition.accepted_on.is_not(None)),
            total_of(on_time),
            total_of(overdue),
            total_of(visit),
            total_of(visit, Petition.people),
            total_of(visit & small, Petition.people),
            total_of(visit & ~small, Petition.people),
            total_of(visit & ~small),
            total_of(visit & Petition.repeat.is_(True)),
        )
        .where(*where)
        .group_by(*keys)
    ).all()
    by_channel: dict[str, int] = defaultdict(int)
    by_category: dict[str, int] = defaultdict(int)
    by_status: dict[str, int] = defaultdict(int)
    assignments: dict[str, int] = defaultdict(int)
    sums = [0] * 9
    for channel, category, status, assignment, count, *values in rows:
        by_channel[channel or ""] += count
        by_category[category or ""] += count
        by_status[status or ""] += count
        if assignment:
            assignments[assignment] += count
        for i, value in enumerate(values):
            sums[i] += int(value)

    channel_choices = choices(session, unit_id, CHOICE_CHANNEL)
    stats.total = sum(by_channel.values())
    stats.by_channel = _counts([c.name for c in channel_choices], by_channel, keep_zero=True)
    group_of = {c.name: c.stat_group for c in channel_choices}
    stats.channel_groups = group_of
    groups: dict[str, int] = {}
    for label, count in by_channel.items():
        key = group_of.get(label, label)
        groups[key] = groups.get(key, 0) + count
    stats.by_group = _counts(ordered_unique(c.stat_group for c in channel_choices), groups, keep_zero=True)
    stats.by_category = _counts(
        [c.name for c in choices(session, unit_id, CHOICE_CATEGORY)], by_category, keep_zero=True
    )
    stats.by_status = _counts(list(PETITION_STATES), by_status, keep_zero=True)
    stats.by_assignment = _counts([], assignments, keep_zero=False)
    stats.assigned = sum(assignments.values())

    stats.pending = by_status.get(PETITION_PENDING, 0)
    stats.handling = by_status.get(PETITION_HANDLING, 0)
    stats.closed = by_status.get(PETITION_CLOSED, 0)
    stats.rejected = by_status.get(PETITION_REJECTED, 0)
    stats.transferred = by_status.get(PETITION_TRANSFERRED, 0)
    (
        stats.accepted,
        stats.closed_on_time,
        stats.overdue_open,
        stats.visits,
        stats.visitors,
        stats.visitors_individual,
        stats.visitors_group,
        stats.group_visits,
        stats.repeat_visits,
    ) = sums
    stats.closed_rate = ratio(stats.closed, stats.accepted)
    stats.on_time_rate = ratio(stats.closed_on_time, stats.closed + stats.overdue_open)

    if with_previous:
        stats.previous = petition_stats(
            session,
            unit_id,
            same_day_a_year_earlier(start),
            same_day_a_year_earlier(end),
            as_of=as_of,
            with_previous=False,
        )
        base = stats.previous.total or None
        stats.yoy = change_ratio(stats.total, base)
        stats.yoy_text = format_change(stats.total, base)
    return stats


@dataclass(frozen=True)
class PetitionTotals:
    total: int
    accepted: int  # 受理
    closed: int  # 办结

    @property
    def closed_rate(self) -> Decimal | None:
        return ratio(self.closed, self.accepted)


def petition_totals(session: Session, unit_id: int, start: date, end: date) -> PetitionTotals:
    """件数、受理、办结 of the items received from `start` to `end`, as `petition_stats` counts them,
    in one pass without grouping (the 信访 page's year line; the full statistics wait for their tab)."""
    total, accepted, closed = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((Petition.accepted_on.is_not(None), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Petition.status == PETITION_CLOSED, 1), else_=0)), 0),
        ).where(Petition.unit_id == unit_id, Petition.received_on >= start, Petition.received_on <= end)
    ).one()
    return PetitionTotals(int(total), int(accepted), int(closed))


@dataclass(frozen=True)
class StatRow:
    """A row of the 信访情况统计表: this period, the same period a year earlier."""

    label: str
    current: int | Decimal | None
    previous: int | Decimal | None
    kind: str  # "count", "rate", or "section" (a heading row)

    @property
    def change(self) -> int | None:
        if self.kind != "count" or self.current is None or self.previous is None:
            return None
        return int(self.current) - int(self.previous)

    @property
    def change_ratio(self) -> Decimal | None:
        if self.change is None:
            return None
        return change_ratio(int(self.current), int(self.previous))  # type: ignore[arg-type]


def stat_table_rows(s: PetitionStats) -> list[StatRow]:
    """The statistics table as rows, shared by the page and the Excel export."""
    p = s.previous
    rows = [StatRow("信访事项总数（件）", s.total, p.total if p else None, "count")]
    rows.append(StatRow("一、按渠道（件）", None, None, "section"))
    channels = {c.label: c.count for c in s.by_channel}
    previous_channels = {c.label: c.count for c in p.by_channel} if p else {}
    members: dict[str, list[str]] = {}
    for label in channels:
        members.setdefault(s.channel_groups.get(label, label), []).append(label)
    for group in s.by_group:
        rows.append(StatRow(group.label, group.count, p.group(group.label) if p else None, "count"))
        inside = members.get(group.label, [])
        if len(inside) > 1 or (inside and inside[0] != group.label):
            for member in inside:
                rows.append(
                    StatRow(f"　　其中：{member}", channels[member], previous_channels.get(member), "count")
                )
    rows.append(StatRow("二、按事项类别（件）", None, None, "section"))
    rows += [StatRow(c.label, c.count, p.category(c.label) if p else None, "count") for c in s.by_category]
    numerals = iter("三四五六")
    assignments = ordered_unique(
        [c.label for c in s.by_assignment] + [c.label for c in (p.by_assignment if p else [])]
    )
    if assignments:
        rows.append(StatRow(f"{next(numerals)}、交办件（已含在总数中）", None, None, "section"))
        rows += [
            StatRow(label, s.assignment(label), p.assignment(label) if p else None, "count")
            for label in assignments
        ]

    def both(name: str) -> tuple:
        return getattr(s, name), (getattr(p, name) if p else None)

    rows.append(StatRow(f"{next(numerals)}、办理情况", None, None, "section"))
    rows += [
        StatRow("受理（件）", *both("accepted"), "count"),
        StatRow("办结（件）", *both("closed"), "count"),
        StatRow("办结率", *both("closed_rate"), "rate"),
        StatRow("按期办结（件）", *both("closed_on_time"), "count"),
        StatRow("按期办结率", *both("on_time_rate"), "rate"),
        StatRow("超期未办结（件）", *both("overdue_open"), "count"),
        StatRow("不予受理（件）", *both("rejected"), "count"),
        StatRow("已转送（件）", *both("transferred"), "count"),
        StatRow(
            "待受理、办理中（件）", s.pending + s.handling, (p.pending + p.handling) if p else None, "count"
        ),
    ]
    rows.append(StatRow(f"{next(numerals)}、来访接待", None, None, "section"))
    rows += [
        StatRow("来访（批次）", *both("visits"), "count"),
        StatRow("接待人次", *both("visitors"), "count"),
        StatRow("　　其中：个访、重复访（人次）", *both("visitors_individual"), "count"),
        StatRow("　　　　　群访（人次）", *both("visitors_group"), "count"),
        StatRow("集体访（批次）", *both("group_visits"), "count"),
        StatRow("重复访（批次）", *both("repeat_visits"), "count"),
    ]
    return rows


def petition_sentence(s: PetitionStats, *, whole_year: bool = True) -> str:
    """全年共办理建筑领域投诉、信访、交办284件（12345信箱239件、…），办结率100%，同比上升20.3%。"""
    from app.services.registers.common import format_rate_prose

    lead = "全年" if whole_year else "期间"
    if not s.total:
        return f"{lead}未收到信访事项。"
    text = f"{lead}共办理建筑领域投诉、信访、交办{s.total}件"
    if s.group_text():
        text += f"（{s.group_text()}）"
    if s.closed_rate is not None:
        text += f"，办结率{format_rate_prose(s.closed_rate)}"
    if s.yoy_text:
        text += f"，{s.yoy_text}"
    return text + "。"
