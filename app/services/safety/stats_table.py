"""The period statistics laid out as rows — 本期 | 上年同期 | 同比 — for the GUI's statistics view,
the Excel statistics table and the named figures (`safety.<key>`) reports quote.

Texts are written as the seeds write them: counts "825", 万平方米/亿元 with two decimals
("285.17", "51.53"), rates "99.09%" ("100%" when whole), amounts without trailing zeros
("382.5", "78089.7763").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from app.services.calc import format_rate
from app.services.safety.constants import (
    ACTIVITY_KEYS,
    ACTIVITY_KINDS,
    CATEGORY_KEYS,
    DOCUMENT_KEYS,
    DOCUMENT_KINDS,
    DOCUMENT_LABELS,
    DOCUMENT_UNITS,
    INSPECTION_KIND_KEYS,
    INSPECTION_KINDS,
    KIND_KEYS,
    KIND_SHORT,
    PROJECT_KINDS,
)
from app.services.safety.stats import Change, SafetyStats
from app.services.safety.workload import format_quantity

INT, TWO, RATE = "int", "2dp", "rate"
PROJECTS, INSPECTIONS, HAZARDS, DOCUMENTS, ACTIVITIES, WORKLOAD = (
    "工程项目监管",
    "监督检查",
    "隐患排查治理",
    "执法文书",
    "会议与工作活动",
    "工作量统计",
)
# Meetings the annual summaries always quote, shown even when there were none.
QUOTED_ACTIVITIES = ACTIVITY_KINDS[:4]


def rate_text(value: Decimal | None) -> str:
    """0.9909 → "99.09%"; exactly 1 → "100%" (as the reports write a full rate)."""
    if value is None:
        return ""
    return "100%" if value == 1 else format_rate(value)


def value_text(value: Decimal | int | None, style: str) -> str:
    if value is None:
        return ""
    if style == RATE:
        return rate_text(Decimal(value))
    if style == TWO:
        return f"{Decimal(value):.2f}"
    if style.startswith("qty"):
        return format_quantity(Decimal(value), int(style[3:]))
    return str(value)


@dataclass(frozen=True)
class _Metric:
    section: str
    key: str
    label: str
    unit: str
    get: Callable[[SafetyStats], Decimal | int | None]
    style: str = INT
    indent: int = 0
    always: bool = True  # shown even when zero/empty in both periods
    group: str = ""  # a sub-heading within the section (工作量统计 by its groups)


@dataclass(frozen=True)
class StatRow:
    section: str
    key: str  # "projects.house.count" (figure key without the "safety." prefix)
    label: str
    unit: str
    current: Decimal | int | None
    previous: Decimal | int | None
    style: str
    indent: int = 0
    group: str = ""
    parent: str = ""  # for "其中…" rows, the row they belong to

    @property
    def full_label(self) -> str:
        """ "期末在建房屋和市政项目·其中在建": unambiguous outside the table (figure pickers)."""
        return f"{self.parent}·{self.label}" if self.parent else self.label

    @property
    def is_rate(self) -> bool:
        return self.style == RATE

    @property
    def text(self) -> str:
        return value_text(self.current, self.style)

    @property
    def previous_text(self) -> str:
        return value_text(self.previous, self.style)

    @property
    def change(self) -> Change:
        return Change(self.current, self.previous, self.is_rate)


def _metrics(stats: list[SafetyStats]) -> list[_Metric]:
    """Every row, for the union of what the given periods contain."""
    metrics = [
        _Metric(PROJECTS, "projects.supervised", "监管工程项目合计", "个", lambda s: s.supervised),
    ]
    for kind in PROJECT_KINDS:
        slug, short = KIND_KEYS[kind], KIND_SHORT[kind]
        shown = kind in PROJECT_KINDS[:2] or any(s.kind(kind).supervised for s in stats)
        if not shown:
            continue
        metrics.append(
            _Metric(
                PROJECTS,
                f"projects.{slug}.count",
                f"监管{short}项目",
                "个",
                lambda s, k=kind: s.kind(k).supervised,
            )
        )
        if kind != PROJECT_KINDS[1]:
            metrics.append(
                _Metric(
                    PROJECTS,
                    f"projects.{slug}.area",
                    f"{short}总建筑面积",
                    "万平方米",
                    lambda s, k=kind: s.kind(k).area_wan_m2,
                    TWO,
                    1,
                )
            )
        metrics.append(
            _Metric(
                PROJECTS,
                f"projects.{slug}.cost",
                f"{short}总造价",
                "亿元",
                lambda s, k=kind: s.kind(k).cost_yi,
                TWO,
                1,
            )
        )
    metrics += [
        _Metric(PROJECTS, "projects.completed", "竣工验收项目", "个", lambda s: s.completed),
        _Metric(
            PROJECTS, "projects.unfinished", "期末在建房屋和市政项目", "个", lambda s: s.unfinished_at_end()
        ),
        _Metric(
            PROJECTS,
            "projects.unfinished.house",
            "其中房屋工程",
            "个",
            lambda s: s.housing.unfinished_at_end,
            indent=1,
        ),
        _Metric(
            PROJECTS,
            "projects.unfinished.municipal",
            "其中市政工程",
            "个",
            lambda s: s.municipal.unfinished_at_end,
            indent=1,
        ),
        _Metric(
            PROJECTS,
            "projects.status.building",
            "其中在建",
            "个",
            lambda s: s.status_at_end("在建"),
            indent=1,
        ),
        _Metric(
            PROJECTS,
            "projects.status.suspended",
            "其中停工",
            "个",
            lambda s: s.status_at_end("停工"),
            indent=1,
        ),
        _Metric(
            PROJECTS,
            "projects.status.not_started",
            "其中未开工",
            "个",
            lambda s: s.status_at_end("未开工"),
            indent=1,
        ),
        _Metric(INSPECTIONS, "inspections.special", "开展专项检查", "次", lambda s: s.special_checks),
        _Metric(INSPECTIONS, "inspections.checks", "检查项目", "次", lambda s: s.checks),
    ]
    kinds = list(INSPECTION_KINDS) + sorted(
        {k for s in stats for k in s.checks_by_kind} - set(INSPECTION_KINDS)
    )
    for kind in kinds:
        if any(s.checks_by_kind.get(kind) for s in stats):
            slug = INSPECTION_KIND_KEYS.get(kind, kind)
            metrics.append(
                _Metric(
                    INSPECTIONS,
                    f"inspections.checks.{slug}",
                    f"其中{kind}",
                    "次",
                    lambda s, k=kind: s.checks_by_kind.get(k, 0),
                    indent=1,
                )
            )
    metrics += [
        _Metric(INSPECTIONS, "inspections.projects", "受检项目", "个", lambda s: s.projects_inspected),
        _Metric(INSPECTIONS, "inspections.records", "检查记录", "条", lambda s: s.inspections),
        _Metric(
            INSPECTIONS, "inspections.crane_rounds", "起重机械监督比对检测", "次", lambda s: s.crane_rounds
        ),
    ]
    metrics += [
        _Metric(HAZARDS, "hazards.found", "排查隐患", "条", lambda s: s.hazards_found),
        _Metric(HAZARDS, "hazards.major", "其中重大隐患", "条", lambda s: s.hazards_major, indent=1),
        _Metric(HAZARDS, "hazards.rectified", "消除（整改完成）隐患", "条", lambda s: s.hazards_rectified),
        _Metric(HAZARDS, "hazards.rate", "隐患整改率", "", lambda s: s.rectification_rate, RATE),
        _Metric(HAZARDS, "hazards.open", "期末未整改隐患", "条", lambda s: s.hazards_open_at_end),
        _Metric(
            HAZARDS, "hazards.overdue", "其中逾期未整改", "条", lambda s: s.hazards_overdue_at_end, indent=1
        ),
    ]
    categories: dict[str, int] = {}
    for s in stats:
        for category, count in s.hazards_by_category.items():
            categories[category] = max(categories.get(category, 0), count)
    for category in sorted(categories, key=lambda c: -stats[0].hazards_by_category.get(c, 0)):
        metrics.append(
            _Metric(
                HAZARDS,
                f"hazards.category.{CATEGORY_KEYS.get(category, category)}",
                f"{category}类隐患",
                "条",
                lambda s, c=category: s.hazards_by_category.get(c, 0),
                indent=1,
            )
        )
    extra_documents = sorted({k for s in stats for k in s.documents_by_kind} - set(DOCUMENT_KINDS))
    for kind in (*DOCUMENT_KINDS, *extra_documents):
        metrics.append(
            _Metric(
                DOCUMENTS,
                f"documents.{DOCUMENT_KEYS.get(kind, kind)}",
                DOCUMENT_LABELS.get(kind, kind),
                DOCUMENT_UNITS.get(kind, "份"),
                lambda s, k=kind: s.documents(k),
            )
        )
    metrics.append(
        _Metric(
            DOCUMENTS, "documents.overdue", "期末逾期未办结文书", "份", lambda s: s.documents_overdue_at_end
        )
    )
    extra_activities = sorted({k for s in stats for k in s.activities_by_kind} - set(ACTIVITY_KINDS))
    for kind in (*ACTIVITY_KINDS, *extra_activities):
        shown = kind in QUOTED_ACTIVITIES or any(s.activities(kind) for s in stats)
        if shown:
            metrics.append(
                _Metric(
                    ACTIVITIES,
                    f"activities.{ACTIVITY_KEYS.get(kind, kind)}",
                    kind,
                    "次",
                    lambda s, k=kind: s.activities(k),
                )
            )
    for key, figure in stats[0].workload.items():
        item = figure.item
        metrics.append(
            _Metric(
                WORKLOAD,
                f"work.{key}",
                item.name,
                item.unit,
                lambda s, k=key: s.work(k),
                RATE if item.is_rate else f"qty{item.decimals}",
                always=False,
                group=item.group,
            )
        )
    return metrics


def statistics_rows(
    current: SafetyStats, previous: SafetyStats | None = None, *, include_empty: bool = False
) -> list[StatRow]:
    """The rows of the statistics table. Workload figures with no value in either period are
    left out unless `include_empty` (the figure source keeps them, so every key exists)."""
    periods = [current] + ([previous] if previous is not None else [])
    rows = []
    parent = ""
    for metric in _metrics(periods):
        if metric.indent == 0:
            parent = metric.label
        now = metric.get(current)
        before = metric.get(previous) if previous is not None else None
        if not metric.always and not include_empty and now is None and before is None:
            continue
        rows.append(
            StatRow(
                metric.section,
                metric.key,
                metric.label,
                metric.unit,
                now,
                before,
                metric.style,
                metric.indent,
                metric.group,
                parent if metric.indent else "",
            )
        )
    return rows


SECTION_NUMBERS = "一二三四五六七八九十"


def numbered_sections(rows: list[StatRow]) -> list[tuple[str, list[StatRow]]]:
    """Group rows by section in order, numbering the sections 一、二、… as the reports do."""
    groups: list[tuple[str, list[StatRow]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.section:
            groups.append((row.section, []))
        groups[-1][1].append(row)
    return [
        (f"{SECTION_NUMBERS[i]}、{name}" if i < len(SECTION_NUMBERS) else name, items)
        for i, (name, items) in enumerate(groups)
    ]
