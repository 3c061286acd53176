"""Report definitions as data, and the numbered outline the app produces from them.

A report (`ReportDef`) has an outline of sections (`SectionDef`). The app numbers the sections by
depth — 一、 / （一） / 1. / （1） (GB/T 9704-2012 7.3.3) — or, where a section says so, its children
as ordinal paragraphs 一是 / 二是 … (seed 002). Numbers are never typed by the user: hidden sections
are skipped and the rest renumbered, and subsections a user adds are numbered in turn.

A section's text comes from the user (stored per unit, year, report, scope), or — while the user has
not touched it — from its draft function, which writes the seeds' sentence with placeholders for the
figures (`(figures) -> str`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.exports.docx_writer import Annex
    from app.services.reports.figures import FigureSet
    from app.services.reports.prose import SectionText
    from app.services.reports.scopes import Scope, ScopeKind

DraftFn = Callable[["FigureSet"], str]
MAX_DEPTH = 4

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return f"{head}十{CN_DIGITS[ones] if ones else ''}"


def section_number(depth: int, index: int, *, ordinal: bool = False) -> str:
    """The number of the `index`-th (1-based) section at `depth`: 一、 （一） 1. （1）, or 一是."""
    if ordinal:
        return f"{cn_number(index)}是"
    if depth == 1:
        return f"{cn_number(index)}、"
    if depth == 2:
        return f"（{cn_number(index)}）"
    if depth == 3:
        return f"{index}."
    if depth == 4:
        return f"（{index}）"
    raise ValueError(f"depth {depth}")


@dataclass(frozen=True)
class GeneratedSection:
    """A section made from records (the 方面 and problems of a 巡察), not edited in the reports page."""

    title: str
    text: str = ""
    children: tuple[GeneratedSection, ...] = ()


@dataclass(frozen=True)
class SectionDef:
    key: str  # stable: stored with the prose ("basic.staffing")
    title: str
    children: tuple[SectionDef, ...] = ()
    draft: DraftFn | None = None
    heading: bool = True  # False: paragraphs without a heading (a report's opening 导语)
    run_in: bool = False  # heading and first paragraph in one paragraph (“（一）高度重视。正文…”)
    title_editable: bool = False
    optional: bool = False  # the user may leave it out
    allow_custom: bool = False  # the user may add subsections under it
    ordinal_children: bool = False  # children numbered 一是、二是 … as run-in paragraphs
    hint: str = ""  # what belongs here (shown in the empty editor)
    # Subsections made from records: (session, unit_id, year, scope) → sections.
    generated: Callable[[Session, int, int, str], list[GeneratedSection]] | None = None


@dataclass(frozen=True)
class ReportEnv:
    """What a report's title, file name and annex list are made from."""

    session: Session
    unit_id: int
    unit_name: str
    year: int
    scope: Scope | None
    variant: str
    figures: FigureSet

    @property
    def scope_label(self) -> str:
        return self.scope.label if self.scope else ""


def _no_data(_session: Session, _unit_id: int, _year: int, _scope: str) -> bool:
    return False


@dataclass(frozen=True)
class ReportDef:
    key: str  # "dept_self_eval"
    title: str  # the genre: "部门整体支出绩效自评报告" (also the name of its own template file)
    sections: tuple[SectionDef, ...]
    title_lines: Callable[[ReportEnv], tuple[str, ...]]
    file_name: Callable[[ReportEnv], str]  # without ".docx"
    description: str = ""
    scope_kind: ScopeKind | None = None
    cover_lines: Callable[[ReportEnv], tuple[str, ...]] | None = None
    addressee: Callable[[ReportEnv], str] = lambda _env: ""
    signature: bool = True
    seal: bool = True
    annexes: Callable[[ReportEnv], list[str]] | None = None
    appended_tables: Callable[[ReportEnv], list[Annex]] | None = None
    variants: tuple[str, ...] = ()  # the first is the default
    has_data: Callable[[Session, int, int, str], bool] = _no_data

    @property
    def template_name(self) -> str:
        return self.title

    def all_sections(self) -> list[SectionDef]:
        found: list[SectionDef] = []

        def walk(sections: tuple[SectionDef, ...]) -> None:
            for section in sections:
                found.append(section)
                walk(section.children)

        walk(self.sections)
        return found

    def section(self, key: str) -> SectionDef | None:
        return next((s for s in self.all_sections() if s.key == key), None)


# -- the outline of one report instance ------------------------------------------------------------


@dataclass(eq=False)
class OutlineNode:
    key: str
    title: str
    depth: int
    kind: str  # "fixed" (from the definition), "custom" (added by the user), "generated"
    section: SectionDef | None
    text: str = ""
    stored: bool = False  # the user has saved text for it (else the draft applies)
    hidden: bool = False
    heading: bool = True
    run_in: bool = False
    ordinal: bool = False
    number: str = ""
    carried_from: int | None = None  # the text was carried over from that year and not yet saved
    parent: OutlineNode | None = None
    children: list[OutlineNode] = field(default_factory=list)

    @property
    def numbered_title(self) -> str:
        return f"{self.number}{self.title}" if self.heading else self.title

    @property
    def path(self) -> str:
        """“一、部门基本情况 › （二）组织结构、人员编制”: where a finding or an error points."""
        parts = []
        node: OutlineNode | None = self
        while node is not None:
            parts.append(node.numbered_title)
            node = node.parent
        return " › ".join(reversed(parts))

    @property
    def can_add_children(self) -> bool:
        return self.kind == "fixed" and self.section is not None and self.section.allow_custom

    @property
    def effectively_hidden(self) -> bool:
        node: OutlineNode | None = self
        while node is not None:
            if node.hidden:
                return True
            node = node.parent
        return False


def build_outline(
    report: ReportDef,
    rows: Mapping[str, SectionText],
    generated: Callable[[SectionDef], list[GeneratedSection]] | None = None,
) -> list[OutlineNode]:
    """The report's outline with the user's titles, added subsections and hidden flags, numbered."""
    custom_by_parent: dict[str, list[SectionText]] = {}
    for row in rows.values():
        if row.parent_key:
            custom_by_parent.setdefault(row.parent_key, []).append(row)

    def fixed(section: SectionDef, depth: int, parent: OutlineNode | None, ordinal: bool) -> OutlineNode:
        row = rows.get(section.key)
        title = row.title if (row and row.title and section.title_editable) else section.title
        node = OutlineNode(
            section.key,
            title,
            depth,
            "fixed",
            section,
            text=row.text if row else "",
            stored=row is not None,
            hidden=bool(row and row.hidden and section.optional),
            heading=section.heading,
            run_in=ordinal or (row.run_in if row and row.run_in is not None else section.run_in),
            ordinal=ordinal and section.heading,
            carried_from=row.carried_from if row else None,
            parent=parent,
        )
        for child in section.children:
            node.children.append(fixed(child, depth + 1, node, section.ordinal_children))
        if section.generated is not None and generated is not None:
            for index, made in enumerate(generated(section), 1):
                node.children.append(_generated(made, f"{section.key}/{index}", depth + 1, node))
        added = custom_by_parent.get(section.key, []) if section.allow_custom else []
        for custom in sorted(added, key=lambda r: (r.position, r.key)):
            node.children.append(
                OutlineNode(
                    custom.key,
                    custom.title,
                    depth + 1,
                    "custom",
                    None,
                    text=custom.text,
                    stored=True,
                    hidden=custom.hidden,
                    run_in=section.ordinal_children
                    or (custom.run_in if custom.run_in is not None else _custom_run_in(section)),
                    ordinal=section.ordinal_children,
                    carried_from=custom.carried_from,
                    parent=node,
                )
            )
        return node

    nodes = [fixed(section, 1, None, False) for section in report.sections]
    number_outline(nodes)
    return nodes


def _custom_run_in(parent: SectionDef) -> bool:
    """Added subsections follow their fixed siblings' layout (run-in or standalone)."""
    return any(child.run_in for child in parent.children)


def _generated(made: GeneratedSection, key: str, depth: int, parent: OutlineNode) -> OutlineNode:
    node = OutlineNode(key, made.title, depth, "generated", None, text=made.text, stored=True, parent=parent)
    for index, child in enumerate(made.children, 1):
        node.children.append(_generated(child, f"{key}/{index}", depth + 1, node))
    return node


def number_outline(nodes: list[OutlineNode]) -> None:
    """Give every visible heading its number; hidden sections and 导语 blocks take none."""
    index = 0
    for node in nodes:
        if node.heading and not node.hidden:
            index += 1
            if node.depth > MAX_DEPTH and not node.ordinal:
                raise ValueError(f"section {node.key} is deeper than {MAX_DEPTH} levels")
            node.number = section_number(node.depth, index, ordinal=node.ordinal)
        else:
            node.number = ""
        number_outline(node.children)


def walk(nodes: list[OutlineNode]) -> list[OutlineNode]:
    """Every node in document order."""
    out: list[OutlineNode] = []
    for node in nodes:
        out.append(node)
        out.extend(walk(node.children))
    return out


def find_node(nodes: list[OutlineNode], key: str) -> OutlineNode | None:
    return next((n for n in walk(nodes) if n.key == key), None)


# -- drafts --------------------------------------------------------------------------------------------


def draft_text(section: SectionDef | None, figures: FigureSet) -> str | None:
    """The drafted paragraph(s) for a section, or None when it has no (ready) draft."""
    if section is None or section.draft is None:
        return None
    text = section.draft(figures).strip()
    return text or None
