"""Is a data file encrypted? Answered from its first bytes and its key file, without SQLCipher."""

from __future__ import annotations

from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"


def header(path: Path) -> bytes | None:
    """The first 16 bytes; b"" for an empty file, None for a missing one."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return None


def is_plain_sqlite(path: Path) -> bool:
    try:
        return header(path) == SQLITE_HEADER
    except OSError:
        return False


def is_encrypted(path: Path) -> bool:
    """`path` has a key file and is not a plain SQLite file (an empty or missing one is a new
    encrypted database). A plain file beside a key file (a conversion that did not finish) is plain."""
    from app.protection.envelope import envelope_path

    if not envelope_path(path).exists():
        return False
    try:
        first = header(path)
    except OSError:
        return True
    return first != SQLITE_HEADER


def needs_password(path: Path) -> bool:
    """Encrypted, and its key not unlocked yet in this process."""
    from app.protection.keys import key_for

    return is_encrypted(path) and key_for(path) is None
