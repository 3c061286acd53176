"""A target another program holds open, as Windows refuses it: `open(target, "r+b")` or the rename
over it raises PermissionError (winerror 32, sharing violation; or 5, access denied). The user gets
the Chinese message naming the file, never a traceback; nothing is left half-replaced and no
staged or set-aside file stays behind (app/exports/atomic.py, and `export` on the command line)."""

from __future__ import annotations

import builtins
import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from app.errors import TargetLockedError
from app.exports.atomic import move_into_place

WPS_HAS_IT = "另一个程序正在使用此文件，进程无法访问。"


def _refusal(path: object, winerror: int = 32) -> PermissionError:
    """The PermissionError CPython raises on Windows (the winerror is kept on Windows only)."""
    return PermissionError(errno.EACCES, WPS_HAS_IT, str(path), winerror)


def _lock_renames(monkeypatch: pytest.MonkeyPatch, is_locked: Callable[[Path], bool]) -> None:
    real = os.replace

    def replace(src, dst, *args, **kwargs) -> None:
        for path in (src, dst):
            if is_locked(Path(path)):
                raise _refusal(path, 5)
        real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def _lock_opening(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    real = builtins.open

    def open_(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(file) == locked and ("+" in mode or "w" in mode):
            raise _refusal(file)
        return real(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", open_)


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _staged(tmp_path: Path, names: list[str]) -> list[Path]:
    staging = tmp_path / ".zjtb-export-test"
    staging.mkdir()
    paths = []
    for name in names:
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"new {name}".encode())
        paths.append(path)
    return paths


def test_a_refused_rename_puts_everything_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a package with two old files, and a new one in a folder that does not exist yet
    out = tmp_path / "out"
    (out / "安全监督").mkdir(parents=True)
    (out / "甲表.xlsx").write_bytes(b"old a")
    (out / "安全监督" / "丙表.xlsx").write_bytes(b"old c")
    before = _contents(out)
    names = ["甲表.xlsx", "新 文件夹/乙表.xlsx", "安全监督/丙表.xlsx"]
    staged = _staged(tmp_path, names)
    locked = out / "安全监督" / "丙表.xlsx"
    # WHEN Windows refuses the rename over the last one (the open probe let it through)
    _lock_renames(monkeypatch, lambda path: path == locked)
    with pytest.raises(TargetLockedError) as caught:
        move_into_place((source, out / name) for source, name in zip(staged, names, strict=True))
    monkeypatch.undo()
    # THEN the message names the file, and the folder is exactly as it was
    assert f"无法写入“{locked}”" in str(caught.value) and "WPS/Excel" in str(caught.value)
    assert _contents(out) == before
    assert not (out / "新 文件夹").exists()
    # (the old files set aside during the move are back; the staging folder is the caller's to remove)
    assert {p.name for p in staged[0].parent.rglob("*") if p.is_file()} <= {Path(n).name for n in names}


def test_a_refused_new_file_is_a_message_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    staged = _staged(tmp_path, ["甲表.xlsx", "乙表.xlsx"])
    _lock_renames(monkeypatch, lambda path: path == out / "乙表.xlsx")
    with pytest.raises(TargetLockedError, match=r"乙表\.xlsx"):
        move_into_place([(staged[0], out / "甲表.xlsx"), (staged[1], out / "乙表.xlsx")])
    monkeypatch.undo()
    assert not out.exists()  # the folder made for the files went with them


def test_a_file_open_in_wps_stops_the_move_before_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "甲表.xlsx").write_bytes(b"old a")
    (out / "乙表.xlsx").write_bytes(b"old b")
    staged = _staged(tmp_path, ["甲表.xlsx", "乙表.xlsx"])
    _lock_opening(monkeypatch, out / "乙表.xlsx")
    with pytest.raises(TargetLockedError, match=r"乙表\.xlsx.*请关闭该文件后重试"):
        move_into_place([(staged[0], out / "甲表.xlsx"), (staged[1], out / "乙表.xlsx")])
    monkeypatch.undo()
    assert _contents(out) == {"甲表.xlsx": b"old a", "乙表.xlsx": b"old b"}


def test_export_on_the_command_line_with_a_locked_target(
    example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import main

    out = tmp_path / "导出 文件夹"
    command = ["export", "--year", "2023", "--out", str(out), "--db", str(example_path)]
    # GIVEN an exported year (its files marked, to see whether any is replaced)
    assert main.main(command) == 0
    folder = out / "汨罗市建筑工程服务中心2023年度填报材料"
    for path in folder.rglob("*.*"):
        path.write_bytes(f"old {path.name}".encode())
    before = _contents(folder)
    capsys.readouterr()

    # WHEN it is exported again and Windows refuses the rename over the sixth file moved
    moved: list[Path] = []

    def sixth_refused(path: Path) -> bool:
        if folder in path.parents and path not in moved:
            moved.append(path)
        return len(moved) >= 6 and path == moved[5]

    _lock_renames(monkeypatch, sixth_refused)
    code = main.main(command)
    monkeypatch.undo()
    # THEN: exit code 2, the message names the file, nothing replaced and nothing left over
    error = capsys.readouterr().err
    assert code == 2
    assert error.startswith(f"错误：无法写入“{moved[5]}”：文件被其他程序占用"), error
    assert "Traceback" not in error
    assert _contents(folder) == before
    assert [p.name for p in out.iterdir()] == [folder.name]

    # AND the same when the file cannot even be opened for writing (WPS holds it)
    locked = sorted(folder.rglob("*.docx"))[0]
    _lock_opening(monkeypatch, locked)
    code = main.main(command)
    monkeypatch.undo()
    error = capsys.readouterr().err
    assert code == 2 and error.startswith(f"错误：无法写入“{locked}”"), error
    assert _contents(folder) == before
    assert [p.name for p in out.iterdir()] == [folder.name]
