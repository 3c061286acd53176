"""Putting finished files in place: staged under a temporary name, then renamed over the target.

A target that is open in WPS/Excel (Windows refuses to open it for writing, or to rename over
it) stops the whole move, with a message naming the file; nothing is left half-replaced.
"""

from __future__ import annotations

import contextlib
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
    """Move each (staged file, final path) pair: all of them, or none.

    Every target is checked first, so a file open in WPS usually stops the move before anything
    is touched. Windows can still refuse the rename itself (a program that lets others write but
    not delete, winerror 32/5): then the files already moved are taken back out, the old ones
    put back, and the folders made for them removed, before the TargetLockedError is raised.
    Each old file is set aside beside its staged file (same volume, removed with the staging
    folder by the caller) until every new file is in place."""
    pairs = list(staged)
    for _source, target in pairs:
        ensure_writable(target)
    done: list[Path] = []
    set_aside: list[tuple[Path, Path]] = []  # (target, its old file)
    made: list[Path] = []  # folders created for the targets, outermost first
    try:
        for source, target in pairs:
            made.extend(_make_parents(target))
            if target.exists():
                old = source.with_name(f"{source.name}.old")
                os.replace(target, old)
                set_aside.append((target, old))
            os.replace(source, target)
            done.append(target)
    except OSError as exc:
        _undo(done, set_aside, made)
        raise TargetLockedError(describe_os_error(exc, target)) from exc
    for _target, old in set_aside:
        with contextlib.suppress(OSError):
            old.unlink()
    return done


def _make_parents(target: Path) -> list[Path]:
    missing = [folder for folder in target.parents if not folder.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    return missing[::-1]


def _undo(done: list[Path], set_aside: list[tuple[Path, Path]], made: list[Path]) -> None:
    """Best effort: put the previous state back."""
    for target in reversed(done):
        with contextlib.suppress(OSError):
            target.unlink()
    for target, old in reversed(set_aside):
        with contextlib.suppress(OSError):
            os.replace(old, target)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
