"""What each module contributes to the app as a whole: exporters, checks, example data and the
carry-over into a new year. `default_registry()` collects them from the modules, in order.

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


_default: Registry | None = None


def default_registry() -> Registry:
    """The app's registry: every module, in navigation order (built once)."""
    global _default
    if _default is None:
        from app.services import budget, registers, reports, safety, unit

        registry = Registry()
        for module in (unit, budget, safety, registers, reports):
            module.register(registry)
        _default = registry
    return _default
