"""What every page works on: the database, the unit and year in view, and change notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from app.db import Database
    from app.registry import Registry
    from ui.tasks import TaskRunner


class AppContext(QObject):
    year_changed = Signal(int)
    # A module's data was written (its key: "unit", "budget", …); pages that show it reload.
    data_changed = Signal(str)
    # A message for the status bar.
    status_message = Signal(str)

    def __init__(
        self, db: Database, registry: Registry | None, tasks: TaskRunner, unit_id: int, year: int
    ) -> None:
        super().__init__()
        self.db = db
        self._registry = registry
        self.tasks = tasks
        self.unit_id = unit_id
        self.year = year

    @property
    def registry(self) -> Registry:
        """Every module's exporters, checks … — collected on first use, not at start-up."""
        if self._registry is None:
            from app.registry import default_registry

            self._registry = default_registry()
        return self._registry

    def set_year(self, year: int) -> None:
        if year != self.year:
            self.year = year
            self.year_changed.emit(year)

    def notify_saved(self, module: str, message: str = "") -> None:
        self.data_changed.emit(module)
        if message:
            self.status_message.emit(message)
