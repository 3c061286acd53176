"""The blocks a 公文-style report is made of (plain data): `Title`, `Heading`, `Paragraph`,
`Signature`, `Table` … `docx_writer` lays them out; `docx_page_fill` cuts a table that would leave a
near-empty last page. Both import them from here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cover:
    """A cover page of its own (no page number); the body's page numbers start at 1 after it."""

    title_lines: tuple[str, ...]
    signer: str  # "部门名称：汨罗市建筑工程服务中心（盖章）"
    date: str  # "年　　月　　日" or "2024年3月1日"


@dataclass(frozen=True)
class Title:
    lines: tuple[str, ...]  # one title, broken into lines where the caller wants (梯形/菱形)


@dataclass(frozen=True)
class Addressee:
    text: str  # "市政法委：" (a missing colon is added)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 一、 / 2 （一） / 3 1. / 4 （1）
    number: str
    title: str
    run_in: str | None = None  # body text continuing the heading's paragraph; None: standalone


@dataclass(frozen=True)
class Ordinal:
    """A paragraph led by an ordinal phrase: “一是提前谋划，……。为确保……”."""

    number: str  # "一是"
    title: str
    text: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class BlankLine:
    pass


@dataclass(frozen=True)
class AnnexNote:
    items: tuple[str, ...]  # annex names, without numbers


@dataclass(frozen=True)
class Signature:
    signer: str
    date: str
    seal: bool = True


@dataclass(frozen=True)
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    align: str = "left"  # left, center, right
    bold: bool = False


@dataclass(frozen=True)
class Table:
    widths_mm: tuple[float, ...]
    rows: tuple[tuple[Cell, ...], ...]  # cells placed like HTML: spans skip covered positions
    header_rows: int = 1  # repeated at the top of every page
    keep_with_next: frozenset[int] = frozenset()  # rows (a heading row) never left at a page's foot
    # Another table follows at once, continuing this one (same columns): the paragraph Word needs
    # between them is made a hairline, so the two print as one table.
    continued: bool = False
    page_break_after: bool = False  # what follows starts a new page (a table cut by docx_page_fill)


@dataclass(frozen=True)
class TableNote:
    """A line in the tables' small type under a table (说明, 填表人 …), single-spaced."""

    text: str


@dataclass(frozen=True)
class Annex:
    """An appended document on a new page: “附件1” top left, its title, then its content."""

    label: str  # "附件1"
    title_lines: tuple[str, ...]
    blocks: tuple[Any, ...] = field(default_factory=tuple)  # Table / TableNote / Paragraph / BlankLine


Block = (
    Cover
    | Title
    | Addressee
    | Heading
    | Ordinal
    | Paragraph
    | BlankLine
    | AnnexNote
    | Signature
    | Table
    | TableNote
    | Annex
)
