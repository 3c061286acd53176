"""Importing the page modules in idle time, once the unit's data is on screen, so that the first
open of a page does not wait for its imports (0.2–0.8 s each on a slow PC).

One module per timer tick: between two imports the event loop handles whatever the user did.
Imports stay on the GUI thread: a Qt widget module imported on a worker thread is safe, but
importing holds the interpreter lock anyway, and the import lock would make a page opened
meanwhile wait for the worker.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

# Between two imports: long enough for input and paints queued meanwhile to be handled first.
TICK_MS = 30


class Prefetch(QObject):
    """Import `modules` one per tick, then call each of `after` (also one per tick)."""

    finished = Signal()

    def __init__(
        self, modules: Iterable[str], after: Iterable[Callable[[], object]] = (), parent=None
    ) -> None:
        super().__init__(parent)
        self._steps: list[Callable[[], object]] = [
            (lambda name=name: importlib.import_module(name)) for name in dict.fromkeys(modules)
        ]
        self._steps += list(after)
        self.done = False

    def start(self) -> None:
        QTimer.singleShot(0, self, self._step)  # cancelled with self

    def pending(self) -> int:
        return len(self._steps)

    def _step(self) -> None:
        if not self._steps:
            if not self.done:
                self.done = True
                self.finished.emit()
            return
        step = self._steps.pop(0)
        try:
            step()
        except Exception:  # a prefetch is only a head start: the page imports it again when opened
            logging.getLogger(__name__).exception("prefetch step failed")
        QTimer.singleShot(TICK_MS, self, self._step)


def page_modules(page_classes: Iterable[str]) -> list[str]:
    """The modules of "module:Class" paths not imported yet."""
    names = [path.partition(":")[0] for path in page_classes]
    return [name for name in names if name not in sys.modules]
