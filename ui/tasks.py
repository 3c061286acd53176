"""Running long work off the GUI thread, with a cancellable progress dialog.

The worker gets plain arguments, opens its own database session, and never touches a widget;
results and errors come back to the GUI thread through signals.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.errors import UserError, describe_db_error
from app.registry import Cancelled

Work = Callable[[Callable[[int, int, str], None], threading.Event], Any]


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str, str)  # message for the user, traceback ("" when the user can act on it)
    cancelled = Signal()


class _Runnable(QRunnable):
    def __init__(
        self, work: Work, signals: _Signals, cancel: threading.Event, returned: threading.Event
    ) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._signals = signals
        self._cancel = cancel
        self._returned = returned

    def run(self) -> None:
        try:
            emit, *args = self._outcome()
        finally:
            # Before the signal: a slot it wakes on the GUI thread must already see the work as
            # returned (the queued signal can be delivered before this thread runs another line).
            self._returned.set()
        emit(*args)

    def _outcome(self) -> tuple[Any, ...]:
        """The signal to send and its arguments."""
        try:
            result = self._work(self._signals.progress.emit, self._cancel)
        except Cancelled:
            return (self._signals.cancelled.emit,)
        except UserError as exc:
            return (self._signals.failed.emit, str(exc), "")
        except Exception as exc:
            known = describe_db_error(exc)
            details = "" if known else traceback.format_exc()
            return (self._signals.failed.emit, known or f"操作失败：{exc}", details)
        if self._cancel.is_set():
            return (self._signals.cancelled.emit,)
        return (self._signals.finished.emit, result)


class Task(QObject):
    """A handle on one piece of background work."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str, str)
    cancelled = Signal()
    ended = Signal()  # after any of finished / failed / cancelled

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel_event = threading.Event()
        self.done = threading.Event()
        # Set on the worker thread when the work has returned; `done`/`ended` follow on the GUI
        # thread once its event loop delivers the result (not yet when a wait for `finished` or
        # `cancelled` returns, since those are delivered first).
        self.work_returned = threading.Event()
        self._signals = _Signals()
        self._signals.progress.connect(self.progress)
        for signal, mine in (
            (self._signals.finished, self.finished),
            (self._signals.failed, self.failed),
            (self._signals.cancelled, self.cancelled),
        ):
            signal.connect(mine)
            signal.connect(self._end)

    def cancel(self) -> None:
        self.cancel_event.set()

    def _end(self, *_args: object) -> None:
        self.done.set()
        self.ended.emit()


def _map_all_models() -> None:
    """Map every ORM model here, on the GUI thread, before any worker runs.

    Models are mapped on first use to keep start-up short; a worker importing a model module
    while the GUI thread runs a query would let SQLAlchemy configure half-imported mappers.
    """
    from sqlalchemy.orm import configure_mappers

    from app.models import load_all

    load_all()
    configure_mappers()


class TaskRunner(QObject):
    """Starts tasks on a thread pool and remembers the running ones so quitting can wait for them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self._running: set[Task] = set()

    def start(self, work: Work) -> Task:
        _map_all_models()
        task = Task(self)
        self._running.add(task)
        task.ended.connect(lambda: self._running.discard(task))
        self.pool.start(_Runnable(work, task._signals, task.cancel_event, task.work_returned))
        return task

    def run_with_progress(
        self,
        parent: QWidget,
        title: str,
        work: Work,
        *,
        cancellable: bool = True,
        on_finished: Callable[[Any], None] | None = None,
        on_failed: Callable[[str, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Task:
        """Start `work` and show a modal progress dialog (after a short delay) until it ends."""
        dialog = QProgressDialog(title, "取消" if cancellable else "", 0, 0, parent)
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(380)
        if not cancellable:
            dialog.setCancelButton(None)
        task = self.start(work)

        def on_progress(done: int, total: int, text: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            if text:
                dialog.setLabelText(text)

        def on_cancel_clicked() -> None:
            task.cancel()
            dialog.setLabelText("正在取消…")

        task.progress.connect(on_progress)
        dialog.canceled.connect(on_cancel_clicked)
        task.ended.connect(dialog.close)
        task.ended.connect(dialog.deleteLater)
        if on_finished:
            task.finished.connect(on_finished)
        if on_failed:
            task.failed.connect(on_failed)
        if on_cancelled:
            task.cancelled.connect(on_cancelled)
        return task

    def running(self) -> int:
        """Tasks whose work has not returned yet (the count `shutdown` waits to bring to 0)."""
        return sum(1 for task in self._running if not task.work_returned.is_set())

    def shutdown(self, timeout_ms: int = 10000) -> None:
        """Ask running tasks to stop and wait for them (called at aboutToQuit)."""
        for task in list(self._running):
            task.cancel()
        self.pool.waitForDone(timeout_ms)
