"""The data keys unlocked in this process, by data file and by key id.

A backup, a pre-restore copy or a converted file share their data file's key: looking a file up
by the key id in its key file finds the key without asking the password again.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

_lock = threading.Lock()
_by_path: dict[str, bytes] = {}
_by_id: dict[str, bytes] = {}


def _name(path: Path | str) -> str:
    return os.path.normcase(str(Path(path).expanduser().resolve()))


def remember(path: Path | str, key: bytes) -> None:
    from app.protection.envelope import key_id

    with _lock:
        _by_path[_name(path)] = key
        _by_id[key_id(key)] = key


def key_for(path: Path | str) -> bytes | None:
    """The key of `path` if it, or a file with the same data key, has been unlocked."""
    with _lock:
        key = _by_path.get(_name(path))
    if key is not None:
        return key
    from app.protection.envelope import EnvelopeError, read

    try:
        envelope = read(Path(path))
    except (OSError, EnvelopeError):
        return None
    if envelope is None:
        return None
    with _lock:
        return _by_id.get(envelope.key_id)


def forget(path: Path | str | None = None) -> None:
    """Forget one file's key, or (None) every key."""
    with _lock:
        if path is None:
            _by_path.clear()
            _by_id.clear()
            return
        key = _by_path.pop(_name(path), None)
        if key is not None and key not in _by_path.values():
            from app.protection.envelope import key_id

            _by_id.pop(key_id(key), None)
