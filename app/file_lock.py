"""A lock file held by a running export or backup, so that another process can tell its staging
folder or partial copy from one a killed process left behind.

The lock is the operating system's (fcntl.flock on POSIX, msvcrt.locking on Windows): it goes
away with the process that holds it, however that process ends (kill -9, power cut). A sweeper
that can take the lock knows the owner is gone. The file holds the owner's PID for a person
looking at it; the PID is never signalled (os.kill(pid, 0) terminates the process on Windows).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

# Windows locks byte ranges, and a locked range cannot be read by anyone else: lock one byte far
# past the PID text, so that the text stays readable.
_WINDOWS_LOCK_OFFSET = 1 << 20


_BUSY = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES}


def _try_lock(fd: int) -> bool | None:
    """True: locked; False: another holds it; None: this file system has no locks (some network
    mounts on Linux)."""
    try:
        if sys.platform == "win32":
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        return False if sys.platform == "win32" or exc.errno in _BUSY else None
    return True


def _unlock(fd: int) -> None:
    with contextlib.suppress(OSError):
        if sys.platform == "win32":
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)


class LockBusyError(OSError):
    """Another live process holds the lock."""


class HeldLock:
    """The lock on `path`, held until release()."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    def release(self) -> None:
        """Unlock, close and remove the lock file (closed first: Windows cannot remove an open file)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _unlock(fd)
        os.close(fd)
        with contextlib.suppress(OSError):
            self.path.unlink()

    def __enter__(self) -> HeldLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def hold(path: Path) -> HeldLock:
    """Create (or reuse a stale) lock file at `path`, lock it, then write this process's PID.

    The PID is written only once the lock is held, so a sweeper that finds the file unlocked with
    text in it knows an owner held it and has gone (see owner_gone). Raises OSError."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    if _try_lock(fd) is False:  # without locks on this file system, the work goes on unmarked
        os.close(fd)
        raise LockBusyError(f"locked by another process: {path}")
    try:
        if os.fstat(fd).st_size:  # a stale file reused
            os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    except OSError:
        _unlock(fd)
        os.close(fd)
        raise
    return HeldLock(path, fd)


def owner_gone(path: Path) -> bool | None:
    """Whether the process that made the lock file at `path` has ended: True when the lock can be
    taken and the file has its PID; False while someone holds it; None when it is unlocked but
    empty (an owner between creating and locking it, or one killed in that instant: the caller
    decides by the file's age), or cannot be opened. On a file system without locks nothing can
    be told, and the answer is False: left alone."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        if not _try_lock(fd):  # held, or no locks here
            return False
        try:
            has_pid = os.fstat(fd).st_size > 0
        finally:
            _unlock(fd)
        return True if has_pid else None
    finally:
        os.close(fd)
