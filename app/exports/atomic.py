"""Putting finished files in place: staged under a temporary name, then renamed over the target.

A target that is open in WPS/Excel (Windows refuses to open it for writing, or to rename over
it), a folder that cannot be written, or a file or folder in the way stops the whole move, with a
message naming the path; nothing is left half-replaced.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.errors import (
    TargetLockedError,
    WriteFaultError,
    describe_os_error,
    file_in_the_way,
    folder_in_the_way,
)
from app.file_lock import hold
from app.sweep import STAGING_LOCK_NAME, STAGING_PREFIX, remember_export_folder, sweep_staging

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_filename(name: str) -> str:
    """A file name Windows accepts: reserved characters replaced, no trailing dots or spaces."""
    return _UNSAFE.sub("_", name).strip().rstrip(". ") or "未命名"


@contextlib.contextmanager
def staging_folder(root: Path) -> Iterator[Path]:
    """A new hidden staging folder in `root` (made if missing), marked live by a lock file inside
    it for as long as the block runs, then removed. Staging folders of ended exports in `root`
    are swept first (app/sweep.py). Raises WriteFaultError."""
    sweep_staging(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    except OSError as exc:
        raise WriteFaultError(describe_os_error(exc, root)) from exc
    try:
        lock = hold(folder / STAGING_LOCK_NAME)
    except OSError as exc:
        remove_tree(folder)
        raise WriteFaultError(describe_os_error(exc, root)) from exc
    remember_export_folder(root)
    try:
        yield folder
    finally:
        lock.release()
        remove_tree(folder)


def ensure_writable(target: Path) -> None:
    """Raise TargetLockedError if `target` exists and cannot be opened for writing. Called once its
    folder is known to be writable, so a refusal means another program holds the file (Windows
    does not share a file WPS has open)."""
    if not target.exists():
        return
    if target.is_dir():
        raise TargetLockedError(f"无法写入“{target}”：{folder_in_the_way(target, target)}")
    try:
        with open(target, "r+b"):
            pass
    except OSError as exc:
        held = isinstance(exc, PermissionError)
        raise TargetLockedError(describe_os_error(exc, target, held=held)) from exc


def check_replaceable(targets: Iterable[Path]) -> None:
    """Raise TargetLockedError unless every target can be put in place: nothing in the way, each
    folder a file goes to (or the nearest existing one above it) writable, each existing target
    openable for writing. Folders are probed by making and removing a small file: os.access does
    not tell on Windows (ACLs, read-only attributes, folders a virus scanner guards)."""
    probed: set[Path] = set()
    for target in targets:
        try:
            folder = target.parent
            while not folder.exists() and folder != folder.parent:
                folder = folder.parent
            if not folder.is_dir():
                raise TargetLockedError(f"无法写入“{target}”：{file_in_the_way(folder, target)}")
            if folder not in probed:
                _probe(folder)
                probed.add(folder)
            ensure_writable(target)
        except OSError as exc:  # a folder that cannot even be looked into (Windows: access denied)
            raise TargetLockedError(describe_os_error(exc, target)) from exc


def _probe(folder: Path) -> None:
    try:
        fd, name = tempfile.mkstemp(prefix=".zjtb-probe-", dir=folder)
    except OSError as exc:
        raise TargetLockedError(describe_os_error(exc, folder)) from exc
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(name)


def move_into_place(staged: Iterable[tuple[Path, Path]]) -> list[Path]:
    """Move each (staged file, final path) pair: all of them, or none.

    Every target is checked first (check_replaceable), so a file open in WPS or a folder that
    cannot be written stops the move before anything is touched. Windows can still refuse the
    rename itself (a program that lets others write but not delete, winerror 32/5): then the
    files already moved are taken back out, the old ones put back, and the folders made for them
    removed, before the TargetLockedError is raised. Each old file is set aside beside its staged
    file (same volume, removed with the staging folder by the caller) until every new file is in
    place; one that cannot be put back is kept beside its target, and the message says where."""
    pairs = list(staged)
    check_replaceable(target for _source, target in pairs)
    done: list[Path] = []
    set_aside: list[tuple[Path, Path]] = []  # (target, its old file)
    made: list[Path] = []  # folders created for the targets, outermost first
    for source, target in pairs:
        try:
            _make_parents(target, made)
            if target.exists():
                old = source.with_name(f"{source.name}.old")
                os.replace(target, old)
                set_aside.append((target, old))
            os.replace(source, target)
            done.append(target)
        except OSError as exc:
            # Renaming over an existing file in a folder just probed writable: Windows refuses
            # it while another program has the file open without sharing deletion.
            existed = target.is_file() or any(t == target for t, _old in set_aside)
            message = describe_os_error(exc, target, held=isinstance(exc, PermissionError) and existed)
            kept = _undo(done, set_aside, made)
            if kept:
                message += "另有文件未能恢复为导出前的版本，原文件已保存为：" + "、".join(
                    f"“{path}”" for path in kept
                )
            raise TargetLockedError(message) from exc
    for _target, old in set_aside:
        with contextlib.suppress(OSError):
            old.unlink()
    return done


def _make_parents(target: Path, made: list[Path]) -> None:
    """Make the folders above `target` one by one, noting each in `made` (outermost first), so
    that those made before a failure are removed too."""
    for folder in reversed(target.parents):
        if not folder.exists():
            folder.mkdir()
            made.append(folder)


def _undo(done: list[Path], set_aside: list[tuple[Path, Path]], made: list[Path]) -> list[Path]:
    """Put the previous state back: new files out, old files back, made folders removed. Returns
    where old files that could not be put back were kept (beside their targets)."""
    old_of = dict(set_aside)
    for target in reversed(done):
        if target not in old_of:
            with contextlib.suppress(OSError):
                target.unlink()
    kept = []
    for target, old in reversed(set_aside):
        try:
            os.replace(old, target)  # over the new file, if it got there
        except OSError:
            keep = target.with_name(f"{target.stem}（导出前）{target.suffix}")
            try:
                shutil.move(old, keep)
                kept.append(keep)
            except OSError:
                kept.append(old)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()
    return kept


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
