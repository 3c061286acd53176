"""What a module contributes to the app as a whole: exporters, checks, example data, the
carry-over into a new year, and the named figures that reports quote — the shapes, and the
`Registry` that holds them. The modules (app/services/*) and their exporters import these; the list
of modules is one level up, in app/registry.py, which imports the modules: so nothing here, nor in
a module, imports that list back.

Registering costs nothing at start-up: a module's exporters import their writers only when run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.db import Database
    from app.findings import Finding
    from app.models.unit import Unit

ProgressFn = Callable[[int, int, str], None]


def _no_progress(_done: int, _total: int, _text: str) -> None:
    pass


class Cancelled(Exception):
    """The user cancelled a long operation."""


@dataclass
class ExportContext:
    db: Database
    unit_id: int
    year: int
    out_dir: Path  # a staging folder: write files here; the runner moves them into place
    progress: ProgressFn = _no_progress
    cancel: threading.Event = field(default_factory=threading.Event)
    options: dict = field(default_factory=dict)  # e.g. {"unmask_personal_data": True}

    def check_cancelled(self) -> None:
        if self.cancel.is_set():
            raise Cancelled


@dataclass(frozen=True)
class Exporter:
    key: str  # "budget.tables"
    title: str  # "预算绩效表格"
    run: Callable[[ExportContext], list[Path]]  # writes into ctx.out_dir, returns the files
    # Whether there is anything to export for this unit and year (None: always).
    applies: Callable[[Session, int, int], bool] | None = None


@dataclass(frozen=True)
class Check:
    key: str
    title: str
    run: Callable[[Session, int, int], list[Finding]]  # (session, unit_id, year)


@dataclass(frozen=True)
class Figure:
    """A named figure that reports quote (placeholders in the user's prose are filled from these).

    `text` is written the way the seeds write it ("284", "951.90", "96.72%", "同比下降51.2%");
    `unit` is the word that follows it in prose ("件", "万元"), kept apart so prose can say
    "共办理{petitions.total}件".
    """

    key: str  # stable, dotted: "petitions.total"
    label: str  # in Chinese, for the picker: "信访件总数（全年）"
    text: str
    unit: str = ""
    value: object = None  # the raw Decimal/int, for code that computes with it


@dataclass(frozen=True)
class FigureSource:
    key: str  # "petitions"
    title: str  # "信访" (the group in the figure picker)
    provide: Callable[[Session, int, int], list[Figure]]  # (session, unit_id, year)


# (session, unit_id, from_year, to_year): copy what a new year starts from.
YearCarryOver = Callable[["Session", int, int, int], None]
# (session, unit): add a module's example records for the example unit.
ExampleBuilder = Callable[["Session", "Unit"], None]


@dataclass
class Registry:
    exporters: list[Exporter] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    year_carry_overs: list[YearCarryOver] = field(default_factory=list)
    example_builders: list[ExampleBuilder] = field(default_factory=list)
    figure_sources: list[FigureSource] = field(default_factory=list)

    def add_exporter(self, exporter: Exporter) -> None:
        if any(e.key == exporter.key for e in self.exporters):
            raise ValueError(f"duplicate exporter {exporter.key}")
        self.exporters.append(exporter)

    def add_check(self, check: Check) -> None:
        self.checks.append(check)

    def add_year_carry_over(self, hook: YearCarryOver) -> None:
        self.year_carry_overs.append(hook)

    def add_example_builder(self, builder: ExampleBuilder) -> None:
        self.example_builders.append(builder)

    def add_figure_source(self, source: FigureSource) -> None:
        if any(s.key == source.key for s in self.figure_sources):
            raise ValueError(f"duplicate figure source {source.key}")
        self.figure_sources.append(source)
