"""The sweep of what killed exports and backups leave (app/sweep.py): a stale staging folder or
`.part` copy goes, a live one (its lock held by another process) stays, and nothing that is not
ours is ever touched."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.backup import backup_sqlite
from app.file_lock import hold, owner_gone
from app.sweep import (
    GRACE_SECONDS,
    STAGING_LOCK_NAME,
    remember_export_folder,
    sweep_at_start,
    sweep_backup_parts,
    sweep_staging,
)

ROOT = Path(__file__).resolve().parents[2]
_HOLDER = (
    "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; from app.file_lock import hold; "
    "lock = hold(Path(sys.argv[2])); print('held', flush=True); sys.stdin.read()"
)


@pytest.fixture
def holder() -> Iterator:
    """Start another process that takes the lock at a path and keeps it until killed (kill -9)."""
    processes: list[subprocess.Popen[str]] = []

    def start(lock: Path) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(ROOT), str(lock)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        return process

    yield start
    for process in processes:
        process.kill()
        process.wait(timeout=30)


def _age(path: Path, seconds: float) -> None:
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


def _staging(root: Path, suffix: str = "abcd1234") -> Path:
    folder = root / f".zjtb-export-{suffix}"
    (folder / "信访").mkdir(parents=True)
    (folder / "信访" / "2023年信访事项登记台账.xlsx").write_bytes(b"PK with 13800138000")
    return folder


def _killed_owner(lock: Path) -> None:
    """A lock file as a kill -9 leaves it: the PID written, nobody holding it."""
    lock.write_text("99999999\n", encoding="ascii")


def test_a_killed_export_is_swept_a_running_one_is_not(tmp_path: Path, holder) -> None:
    stale = _staging(tmp_path, "stale000")
    _killed_owner(stale / STAGING_LOCK_NAME)
    live = _staging(tmp_path, "live0000")
    running = holder(live / STAGING_LOCK_NAME)
    assert owner_gone(live / STAGING_LOCK_NAME) is False

    assert sweep_staging(tmp_path) == [stale]
    assert not stale.exists()
    assert (live / "信访" / "2023年信访事项登记台账.xlsx").exists()

    # WHEN the running export is killed, THEN the next sweep takes its folder too
    running.kill()
    running.wait(timeout=30)
    assert owner_gone(live / STAGING_LOCK_NAME) is True
    assert sweep_staging(tmp_path) == [live]


def test_a_staging_folder_without_a_lock_waits_out_the_grace(tmp_path: Path) -> None:
    # (made by a build before the lock, or by a process killed between making it and locking it)
    young = _staging(tmp_path, "young000")
    old = _staging(tmp_path, "old00000")
    _age(old, GRACE_SECONDS + 5)
    assert sweep_staging(tmp_path) == [old]
    assert young.exists()


def test_the_sweep_never_signals_a_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # os.kill(pid, 0) terminates the process on Windows: the lock alone tells who is alive.
    def no_kill(*_args: object) -> None:
        raise AssertionError("os.kill called")

    monkeypatch.setattr(os, "kill", no_kill)
    stale = _staging(tmp_path)
    _killed_owner(stale / STAGING_LOCK_NAME)
    assert sweep_staging(tmp_path) == [stale]


def _backup_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder


def test_a_killed_backup_is_swept_a_running_one_is_not(tmp_path: Path, holder) -> None:
    folder = _backup_dir(tmp_path)
    # a build before the lock: only the .part (and SQLite's journal)
    unlocked = [
        folder / "zjtb-20260101-080000-auto.sqlite3.part",
        folder / "zjtb-20260101-080000-auto.sqlite3.part-journal",
    ]
    # killed: its lock file is left unlocked
    killed = [
        folder / "zjtb-20260102-080000-manual.sqlite3.part",
        folder / "zjtb-20260102-080000-manual.sqlite3.part.lock",
    ]
    live = folder / "zjtb-20260103-080000-auto.sqlite3.part"
    for path in [*unlocked, *killed, live]:
        path.write_bytes(b"SQLite format 3\x00 13800138000")
    _killed_owner(killed[1])
    holder(live.with_name(live.name + ".lock"))

    assert sorted(sweep_backup_parts(folder)) == sorted([*unlocked, *killed])
    assert sorted(p.name for p in folder.iterdir()) == [live.name, live.name + ".lock"]


def test_nothing_that_is_not_ours_is_touched(tmp_path: Path) -> None:
    user_folder = tmp_path / "我的文件"
    user_folder.mkdir()
    not_ours = [
        tmp_path / ".zjtb-export-short",  # not mkdtemp's eight characters
        tmp_path / "zjtb-export-abcd1234",  # not hidden
        tmp_path / ".zjtb-export-abcd1234x",
        tmp_path / "报告.zjtb-export-abcd1234",
    ]
    for folder in not_ours:
        folder.mkdir()
        _killed_owner(folder / STAGING_LOCK_NAME)
        _age(folder, GRACE_SECONDS + 5)
    as_file = tmp_path / ".zjtb-export-file0000"  # our name, but a file
    as_file.write_bytes(b"")
    _age(as_file, GRACE_SECONDS + 5)
    link = tmp_path / ".zjtb-export-link0000"  # our name, but a link to the user's folder
    link.symlink_to(user_folder, target_is_directory=True)
    (user_folder / "重要.docx").write_bytes(b"keep")

    backups = _backup_dir(tmp_path)
    other_files = [
        backups / "zjtb-20260101-080000-auto.sqlite3",  # a finished backup
        backups / "zjtb.sqlite3.part",  # not a backup's name
        backups / "zjtb-20260101-080000-auto.sqlite3.partial",
        backups / "说明.txt.part",
        backups / "zjtb-20260101-080000-auto.sqlite3.part.bak",
    ]
    for path in other_files:
        path.write_bytes(b"keep")

    assert sweep_staging(tmp_path) == []
    assert sweep_backup_parts(backups) == []
    assert all(folder.is_dir() for folder in not_ours) and as_file.exists()
    assert (user_folder / "重要.docx").read_bytes() == b"keep"
    assert all(path.read_bytes() == b"keep" for path in other_files)


def _small_database(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


def test_each_backup_sweeps_first(tmp_path: Path) -> None:
    source = _small_database(tmp_path / "zjtb.sqlite3")
    folder = _backup_dir(tmp_path)
    stale = folder / "zjtb-20260101-080000-auto.sqlite3.part"
    stale.write_bytes(b"SQLite format 3\x00")
    copy = backup_sqlite(source, folder, "manual")
    assert sorted(p.name for p in folder.iterdir()) == [copy.name]


def test_a_backup_leaves_no_lock_and_skips_a_name_another_process_is_writing(tmp_path: Path, holder) -> None:
    from datetime import datetime

    source = _small_database(tmp_path / "zjtb.sqlite3")
    folder = _backup_dir(tmp_path)
    now = datetime(2026, 1, 1, 8, 0, 0)
    busy = folder / "zjtb-20260101-080000-manual.sqlite3.part"
    busy.write_bytes(b"SQLite format 3\x00")
    holder(busy.with_name(busy.name + ".lock"))
    copy = backup_sqlite(source, folder, "manual", now=now)
    assert copy.name == "zjtb-20260101-080000-2-manual.sqlite3"
    assert sorted(p.name for p in folder.iterdir()) == sorted([copy.name, busy.name, busy.name + ".lock"])


def test_the_start_sweeps_the_backup_folder_and_recent_export_folders(tmp_path: Path) -> None:
    database = tmp_path / "数据" / "zjtb.sqlite3"
    backups = database.parent / "backups"
    backups.mkdir(parents=True)
    part = backups / "zjtb-20260101-080000-auto.sqlite3.part"
    part.write_bytes(b"SQLite format 3\x00")
    out = tmp_path / "导出"
    out.mkdir()
    remember_export_folder(out)
    staged = _staging(out)
    _killed_owner(staged / STAGING_LOCK_NAME)

    assert sorted(sweep_at_start(database)) == sorted([part, staged])
    assert list(backups.iterdir()) == [] and list(out.iterdir()) == []


def test_the_lock_is_released_and_removed(tmp_path: Path) -> None:
    lock = hold(tmp_path / "x.lock")
    assert (tmp_path / "x.lock").read_text(encoding="ascii").strip() == str(os.getpid())
    assert owner_gone(tmp_path / "x.lock") is False  # another open of it, in this process too
    lock.release()
    assert not (tmp_path / "x.lock").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="flock is the POSIX lock")
def test_without_locks_on_the_file_system_nothing_is_swept_and_work_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (some network mounts on Linux refuse flock: an export there must still run, and a sweep
    # that cannot tell a live folder from a dead one leaves it)
    import fcntl

    def no_locks(_fd: int, _operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    stale = _staging(tmp_path)
    _killed_owner(stale / STAGING_LOCK_NAME)
    assert sweep_staging(tmp_path) == []
    lock = hold(tmp_path / "x.lock")
    lock.release()
