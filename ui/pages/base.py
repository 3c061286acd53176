"""The page protocol the main window drives: load for the year in view, save, report dirtiness."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.findings import Target
from ui.context import AppContext


class Page(QWidget):
    """Base of every page in the navigation.

    A page (re)loads itself in `load()` for `ctx.unit_id`/`ctx.year`; pages with a form
    override `is_dirty`/`save`/`discard` so the main window can guard unsaved edits.
    """

    dirty_changed = Signal(bool)
    # The navigation badge (overdue items …) may have changed.
    badge_changed = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx

    def load(self) -> None:
        """Show the data of ctx.unit_id / ctx.year."""

    def is_dirty(self) -> bool:
        return False

    def is_busy(self) -> bool:
        """Background work for what the page shows is still to come (screenshots wait for it)."""
        return False

    def save(self) -> bool:
        """Save pending edits; False when nothing could be saved (the page says why)."""
        return True

    def discard(self) -> None:
        """Drop pending edits."""
        self.load()

    def show_target(self, target: Target) -> None:
        """Bring the record/field a finding points at into view and focus it."""

    def show_records(self, kind: str, ids: Sequence[int | str]) -> None:
        """Show exactly the records the 工作台 chose (`kind` as in app.services.workbench: the
        list narrowed to `ids`, with a bar to clear it); reports get "report|scope|section" keys."""
