"""The background-task helper: results, errors and cancellation come back on the GUI thread."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from app.errors import UserError
from app.registry import Cancelled
from ui.tasks import TaskRunner


def test_result_and_progress_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: list[tuple[int, int, str, bool]] = []

    def work(progress, _cancel):
        for i in range(3):
            progress(i + 1, 3, f"第{i + 1}步")
        return threading.current_thread() is not threading.main_thread()

    task = runner.start(work)
    task.progress.connect(lambda d, t, s: seen.append((d, t, s, QThread.currentThread().isMainThread())))
    with qtbot.waitSignal(task.finished) as done:
        pass
    assert done.args == [True]  # the work ran off the GUI thread
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert [s[:3] for s in seen] == [(1, 3, "第1步"), (2, 3, "第2步"), (3, 3, "第3步")]
    assert all(s[3] for s in seen)  # delivered on the GUI thread
    qtbot.waitUntil(lambda: runner.running() == 0)


def test_user_errors_and_bugs_are_told_apart(qtbot: QtBot) -> None:
    runner = TaskRunner()

    def user_error(_p, _c):
        raise UserError("无法写入“表.xlsx”")

    def bug(_p, _c):
        raise ZeroDivisionError

    with qtbot.waitSignal(runner.start(user_error).failed) as failed:
        pass
    assert failed.args == ["无法写入“表.xlsx”", ""]
    with qtbot.waitSignal(runner.start(bug).failed) as crashed:
        pass
    assert crashed.args[0].startswith("操作失败") and "ZeroDivisionError" in crashed.args[1]


def test_cancel_is_reported_as_cancelled(qtbot: QtBot) -> None:
    runner = TaskRunner()
    started = threading.Event()

    def slow(_p, cancel):
        started.set()
        cancel.wait(5)
        raise Cancelled

    task = runner.start(slow)
    started.wait(5)
    with qtbot.waitSignal(task.cancelled):
        task.cancel()
    runner.shutdown()
    assert runner.running() == 0


def test_every_model_is_mapped_before_a_worker_runs(qtbot: QtBot) -> None:
    # a worker importing model modules while the GUI thread queries would race SQLAlchemy's
    # mapper configuration; the runner maps them all first, on the GUI thread
    runner = TaskRunner()
    with qtbot.waitSignal(runner.start(lambda _p, _c: None).finished):
        pass
    for name in ("budget", "safety", "registers", "reports"):
        assert f"app.models.{name}" in sys.modules


def test_a_task_whose_work_returned_is_not_counted_as_running(qtbot: QtBot) -> None:
    # `cancelled` (and `finished`) are delivered before `ended`: a waiter woken by them must not
    # see the task as still running (this raced on a loaded machine, issue 12 §6).
    runner = TaskRunner()
    seen: list[int] = []

    def stops_when_asked(_p, cancel):
        cancel.wait(5)
        raise Cancelled

    task = runner.start(stops_when_asked)
    task.cancelled.connect(lambda: seen.append(runner.running()))
    with qtbot.waitSignal(task.cancelled):
        task.cancel()
    assert seen == [0]
    qtbot.waitUntil(task.done.is_set)
