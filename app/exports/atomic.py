"""Putting finished files in place: staged under a temporary name, then renamed over the target.

A target that is open in WPS/Excel (Windows refuses to open it for writing) stops the whole
move before anything is replaced, with a message naming the file.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from app.errors import TargetLockedError, describe_os_error

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_filename(name: str) -> str:
    """A file name Windows accepts: reserved characters replaced, no trailing dots or spaces."""
    return _UNSAFE.sub("_", name).strip().rstrip(". ") or "未命名"


def ensure_writable(target: Path) -> None:
    """Raise TargetLockedError if `target` exists and cannot be opened for writing."""
    if not target.exists():
        return
    try:
        with open(target, "r+b"):
            pass
    except OSError as exc:
        raise TargetLockedError(describe_os_error(exc, target)) from exc


def move_into_place(staged: Iterable[tuple[Path, Path]]) -> list[Path]:
    """Move each (staged file, final path) pair; checks every target first so that a locked
    file stops the move before any file is replaced."""
    pairs = list(staged)
    for _source, target in pairs:
        ensure_writable(target)
    done = []
    for source, target in pairs:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)
        except OSError as exc:
            raise TargetLockedError(describe_os_error(exc, target)) from exc
        done.append(target)
    return done


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
