"""Figures in report prose: the placeholder syntax, resolving it, and filling it at export.

Syntax: a figure's name in 【】, as the figure picker inserts it — 【编制数】. When two sources offer
the same name, the picker qualifies it with the source's title: 【单位信息·编制数】 (“：” works as the
separator too). A figure's stable key is accepted as well: 【unit.staff_quota】. Names are compared
after NFKC folding, so （）/() and ＋/+ typed either way match.

The placeholder is replaced by the figure's `text` only (“现有干职工【干职工总数（在编＋退休）】人” →
“现有干职工79人”): the unit word stays in the prose. An unknown or ambiguous name is never filled
silently: it is a 校验 error and stops the export with a message naming the section. A known figure
without a value is written as a fill-in blank (＿＿＿＿) and is a 校验 warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from app.contributions import Figure, FigureSource

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.contributions import Registry

PLACEHOLDER = re.compile(r"【([^【】\n]{1,80})】")
SEPARATORS = ("·", "：", ":")
EMPTY_VALUE = "＿＿＿＿"


@lru_cache(maxsize=8192)  # every report of a run folds the same few hundred labels
def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


@dataclass(frozen=True)
class FigureGroup:
    key: str  # the FigureSource key ("unit"), or "scope" for a report's scope figures
    title: str  # "单位信息", "本季度"
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Resolution:
    name: str  # as written between 【】
    figure: Figure | None
    problem: str = ""  # "" when resolved; otherwise the Chinese reason


class FigureSet(Mapping[str, Figure]):
    """The figures a report can quote, by key, in their picker groups."""

    def __init__(self, groups: list[FigureGroup]) -> None:
        self.groups = groups
        self._by_key: dict[str, Figure] = {}
        self._group_title: dict[str, str] = {}
        self._by_label: dict[str, list[Figure]] = {}
        for group in groups:
            for figure in group.figures:
                self._by_key[figure.key] = figure
                self._group_title[figure.key] = group.title
                self._by_label.setdefault(_fold(figure.label), []).append(figure)

    def __getitem__(self, key: str) -> Figure:
        return self._by_key[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_key)

    def __len__(self) -> int:
        return len(self._by_key)

    def group_title(self, key: str) -> str:
        return self._group_title.get(key, "")

    def placeholder(self, key: str) -> str:
        """What the picker (and drafts) write for figure `key`: its label if that is unique, else
        qualified with the group title. An unknown key is written as the key itself, which the
        check then reports — a draft that needs a figure nobody provides is never silently blank."""
        figure = self._by_key.get(key)
        if figure is None:
            return f"【{key}】"
        if len(self._by_label.get(_fold(figure.label), [])) == 1:
            return f"【{figure.label}】"
        return f"【{self._group_title[key]}·{figure.label}】"

    def value(self, key: str) -> object:
        figure = self._by_key.get(key)
        return None if figure is None else figure.value

    def resolve(self, name: str) -> Resolution:
        if name.strip() in self._by_key:
            return Resolution(name, self._by_key[name.strip()])
        folded = _fold(name)
        for sep in SEPARATORS:
            group, found, label = name.partition(sep)
            if not found:
                continue
            matches = [
                f
                for f in self._by_label.get(_fold(label), [])
                if _fold(self._group_title[f.key]) == _fold(group)
                or _fold(f.key.split(".")[0]) == _fold(group)
            ]
            if len(matches) == 1:
                return Resolution(name, matches[0])
        candidates = self._by_label.get(folded, [])
        if len(candidates) == 1:
            return Resolution(name, candidates[0])
        if len(candidates) > 1:
            options = "、".join(f"【{self._group_title[f.key]}·{f.label}】" for f in candidates)
            return Resolution(name, None, f"有多项数据同名，请写明来源：{options}")
        return Resolution(name, None, "不是已知的数据项（请用“插入数据”选择）")


@dataclass
class Filled:
    text: str
    used: list[Figure] = field(default_factory=list)
    problems: list[Resolution] = field(default_factory=list)  # unknown or ambiguous
    empty: list[Figure] = field(default_factory=list)  # known, but without a value

    @property
    def ok(self) -> bool:
        return not self.problems


def placeholders_in(text: str) -> list[str]:
    return [m.group(1) for m in PLACEHOLDER.finditer(text)]


def unbalanced_brackets(text: str) -> bool:
    """A 【 without its 】 (or the reverse) outside complete placeholders."""
    rest = PLACEHOLDER.sub("", text)
    return "【" in rest or "】" in rest


def fill(text: str, figures: FigureSet) -> Filled:
    """Replace every placeholder with its figure's text; unknown ones are kept as written and listed."""
    result = Filled("")

    def replace(match: re.Match[str]) -> str:
        resolution = figures.resolve(match.group(1))
        if resolution.figure is None:
            result.problems.append(resolution)
            return match.group(0)
        result.used.append(resolution.figure)
        if resolution.figure.text == "":
            result.empty.append(resolution.figure)
            return EMPTY_VALUE
        return resolution.figure.text

    result.text = PLACEHOLDER.sub(replace, text)
    return result


# -- collecting the figures ------------------------------------------------------------------------


def source_groups(session: Session, registry: Registry, unit_id: int, year: int) -> list[FigureGroup]:
    """The figures of every registered FigureSource for the unit and year, in registry order."""
    from app.services.run_cache import cached

    return cached(
        ("reports.groups", id(registry), unit_id, year),
        lambda: _source_groups(session, registry, unit_id, year),
    )


def _source_groups(session: Session, registry: Registry, unit_id: int, year: int) -> list[FigureGroup]:
    groups = []
    for source in registry.figure_sources:
        figures = tuple(source.provide(session, unit_id, year))
        if figures:
            groups.append(FigureGroup(source.key, source.title, figures))
    return groups


# -- the profile paragraphs (a FigureSource of this module) -------------------------------------------

PROFILE_SOURCE = "profile"


def duties_text(duties: list[str]) -> str:
    """职能职责 as report prose: one numbered item a line (1. … ；), the last ending with 。."""
    items = [d.strip().rstrip("；;。，, ") for d in duties if d.strip()]
    lines = [f"{i}.{item}{'。' if i == len(items) else '；'}" for i, item in enumerate(items, 1)]
    return "\n".join(lines)


def profile_figures(session: Session, unit_id: int, year: int) -> list[Figure]:
    """Paragraph-sized facts of the unit profile that reports quote (the 职能职责 list)."""
    from app.errors import UserError
    from app.services.unit import load_profile

    try:
        profile = load_profile(session, unit_id, year)
    except UserError:
        return []
    return [
        Figure(
            f"{PROFILE_SOURCE}.duties",
            "职能职责（逐项列出）",
            duties_text(profile.duties),
            "",
            list(profile.duties),
        )
    ]


PROFILE_FIGURE_SOURCE = FigureSource(PROFILE_SOURCE, "单位信息（段落）", profile_figures)
