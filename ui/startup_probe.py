"""Hidden start-up instrumentation for bench/ and the bundle smoke test; off unless asked for.

`ZJTB_STARTUP_TRACE=FILE` appends one line per moment to FILE:
`<event> <time.time_ns()> <time.process_time_ns()> [detail]` (wall clock, comparable with the
launcher's; and the CPU time the process has used, steadier on a busy machine). A file, not
stderr: the Windows GUI executable has no console. Events:
  first-paint  the main window's first paint has finished (detail: heavy modules already imported)
  ready        the unit's data is on screen and the event loop has nothing left to do
  tr           how Qt's standard dialogs label their Cancel button ("取消" when qtbase_zh_CN loaded)
  activated    a second start on the same data file brought the window forward (MainWindow)
The moment is taken in a zero-delay timer queued from the paint, i.e. after the whole window has
been painted and flushed. The bare baseline scripts in bench/ use this same class, so the app and
its baselines are measured the same way.

`quit_when_ready` closes the window at `ready` (the hidden `--quit-when-ready` switch).
`ZJTB_READY_GRAB=FILE.png` saves a picture of the window at `ready` (the Windows smoke test keeps
one per locale as a CI artefact).
Imports nothing but QtCore, so baselines stay bare.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

TRACE_ENV = "ZJTB_STARTUP_TRACE"
GRAB_ENV = "ZJTB_READY_GRAB"
# Imported before the first paint, any of these would slow every start (see bench/README.md).
HEAVY_MODULES = ("sqlalchemy", "alembic", "openpyxl", "docx", "xlsxwriter", "psycopg", "lxml")


def trace_path() -> str:
    return os.environ.get(TRACE_ENV, "")


def mark(event: str, detail: str = "") -> None:
    """Append one trace line (no-op unless ZJTB_STARTUP_TRACE is set)."""
    path = trace_path()
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{event} {time.time_ns()} {time.process_time_ns()} {detail}".rstrip() + "\n")


def heavy_modules_loaded() -> list[str]:
    return [name for name in HEAVY_MODULES if name in sys.modules]


class StartupProbe(QObject):
    """Watches one top-level window: its first paint, then the first paint after `data_ready()`."""

    def __init__(self, window, *, trace: bool, quit_when_ready: bool = False, on_ready=None) -> None:
        super().__init__(window)
        self._window = window
        self._trace = trace
        self._quit = quit_when_ready
        self._on_ready = on_ready
        self._painted = False
        self._data = False
        self._done = False
        window.installEventFilter(self)

    def data_ready(self) -> None:
        """The data is in the widgets; `ready` is marked once they have been painted."""
        self._data = True
        self._window.update()  # make sure a paint follows even if nothing looked changed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            if not self._painted:
                self._painted = True
                QTimer.singleShot(0, self._first_paint)
            elif self._data and not self._done:
                self._done = True
                QTimer.singleShot(0, self._ready)
        return False

    def _first_paint(self) -> None:
        if self._trace:
            mark("first-paint", ",".join(heavy_modules_loaded()) or "-")

    def _ready(self) -> None:
        if self._trace:
            mark("ready")
            mark("tr", QCoreApplication.translate("QPlatformTheme", "Cancel"))
        if self._on_ready is not None:
            self._on_ready()
        grab = os.environ.get(GRAB_ENV)
        if grab:
            self._window.grab().save(grab)
        if self._quit:
            self._window.close()  # the app quits with its last window, through the normal path
