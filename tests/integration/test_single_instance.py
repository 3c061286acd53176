"""One window per data file, as users start the program (main.py in separate processes, offscreen):
a second start on the same file ends at once with exit code 0 and the first window comes forward;
another file gets its own window; a killed instance does not block the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import copy_data_file
from tests.integration.test_bundle_startup import ROOT, _trace_run


def _events(trace: Path) -> list[str]:
    if not trace.exists():
        return []
    return [line.split(" ", 1)[0] for line in trace.read_text(encoding="utf-8").splitlines()]


def _wait_for(trace: Path, event: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while event not in _events(trace):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"no {event!r} in {_events(trace)}"
        time.sleep(0.1)


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZJTB_") or k == "ZJTB_PASSWORD"}
    env.update(
        ZJTB_DATA_DIR=str(folder / "data"),
        QT_QPA_PLATFORM="offscreen",
        ZJTB_STARTUP_TRACE=str(folder / "trace.txt"),
    )
    return env


def test_a_second_start_on_the_same_file_activates_the_first_window_and_exits_0(
    tmp_path: Path, example_path: Path
) -> None:
    other = tmp_path / "另一个 数据文件.sqlite3"
    copy_data_file(example_path, other)  # with its key file, in the encrypted run
    for name in ("first", "second", "other", "after-crash"):
        (tmp_path / name).mkdir()
    main = [sys.executable, str(ROOT / "main.py")]

    # GIVEN the program running on the example file, its data on screen
    first = subprocess.Popen(
        [*main, "--db", str(example_path)],
        cwd=ROOT,
        env=_env(tmp_path / "first"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(tmp_path / "first" / "trace.txt", "ready", first)

        # WHEN it is started again on the same file (spelt differently)
        again = subprocess.run(
            [*main, "--db", os.path.relpath(example_path, tmp_path / "second")],
            cwd=tmp_path / "second",
            env=_env(tmp_path / "second"),
            capture_output=True,
            text=True,
            timeout=60,
        )
        # THEN that start ends with 0 and no window, and the first window was brought forward
        assert again.returncode == 0, again.stderr
        assert _events(tmp_path / "second" / "trace.txt") == []
        _wait_for(tmp_path / "first" / "trace.txt", "activated", first, timeout=10)

        # AND another data file opens its own window (a --quit-when-ready run, as bench/ does)
        done, events = _trace_run(tmp_path / "other", other)
        assert done.returncode == 0, done.stderr
        assert [e for e, _ in events] == ["first-paint", "ready", "tr"]
    finally:
        if sys.platform == "win32":
            first.kill()
        else:
            first.send_signal(signal.SIGKILL)  # a crash: on Unix its socket file stays behind
        first.communicate(timeout=30)

    # AND after the crash the same file opens a window again
    done, events = _trace_run(tmp_path / "after-crash", example_path)
    assert done.returncode == 0, done.stderr
    assert [e for e, _ in events] == ["first-paint", "ready", "tr"]
