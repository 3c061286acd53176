"""Files readable by their owner only (POSIX): data folder 0700; data file, backups, logs,
attachments, settings and key files 0600, whatever the umask. Windows keeps the data folder in
the user's own %APPDATA%, whose ACL already shuts other accounts out."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def _posix() -> bool:
    return os.name == "posix"


def private_dir(path: Path) -> None:
    if _posix():
        with contextlib.suppress(OSError):  # not ours (a shared folder chosen with --db): leave it
            if path.stat().st_mode & 0o777 != PRIVATE_DIR:
                os.chmod(path, PRIVATE_DIR)


def private_file(path: Path) -> None:
    if _posix():
        with contextlib.suppress(OSError):
            if path.stat().st_mode & 0o777 != PRIVATE_FILE:
                os.chmod(path, PRIVATE_FILE)


def create_private_file(path: Path) -> None:
    """Make `path` (empty) with mode 0600 unless it exists: SQLite gives its -wal and -shm files
    the mode of the database file, so the data file is created before SQLite touches it."""
    if not _posix():
        return
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    private_file(path)


def private_tree(folder: Path) -> None:
    """0700 for `folder` and the folders below it, 0600 for the files."""
    if not _posix() or not folder.is_dir():
        return
    private_dir(folder)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            private_dir(Path(root) / name)
        for name in files:
            private_file(Path(root) / name)
