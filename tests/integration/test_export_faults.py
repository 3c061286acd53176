"""`export` when the disk or the folder fails it: exit code 2 (not 1, which means "check found an
error"), a Chinese message naming the path, no traceback, and the package as it was: never half
replaced, nothing staged left behind.

Tests run as root (here and in CI), where a chmod'ed folder is still writable: a read-only folder
is simulated by refusing the calls that would change it; a file where a folder must go and
other real conditions root cannot bypass are used for the command line in its own process."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.errors import TargetLockedError
from app.exports.atomic import move_into_place

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "汨罗市建筑工程服务中心2023年度填报材料"
_LATIN = re.compile(r"[A-Za-z]")


def _run(*args: str, data: Path, code: str | None = None) -> subprocess.CompletedProcess[str]:
    """main.py in its own process; with `code`, that Python runs first (to patch in a fault)."""
    env = {**os.environ, "ZJTB_DATA_DIR": str(data), "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    prelude = f"import sys; sys.path.insert(0, {str(ROOT)!r}); sys.argv[1:] = {list(args)!r}\n{code or ''}\n"
    command = [sys.executable, "-c", prelude + "import main; main.main(in_own_process=True)"]
    return subprocess.run(command, capture_output=True, encoding="utf-8", env=env, timeout=240, cwd=ROOT)


def _chinese_only(message: str, *paths: object) -> bool:
    for path in paths:
        message = message.replace(str(path), "")
    return not _LATIN.search(message.replace("WPS/Excel", "").replace("U盘", ""))


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _export(example_path: Path, out: Path) -> list[str]:
    return ["export", "--year", "2023", "--out", str(out), "--db", str(example_path)]


# -- real conditions, in a process of its own ---------------------------------------------------


def test_an_output_folder_under_a_file(example_path: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "导出"
    blocker.write_text("一个文件", encoding="utf-8")
    done = _run(*_export(example_path, blocker / "2023"), data=tmp_path / "data")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"同名文件已存在：“{blocker}”是一个文件" in done.stderr, done.stderr
    assert _chinese_only(done.stderr.strip(), blocker / "2023", blocker)
    assert blocker.read_text(encoding="utf-8") == "一个文件"


def test_a_file_where_the_package_folder_or_a_subfolder_must_go(example_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "导出"
    out.mkdir()
    package = out / PACKAGE
    package.write_bytes(b"not a folder")
    done = _run(*_export(example_path, out), data=tmp_path / "data")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"同名文件已存在：“{package}”是一个文件" in done.stderr, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [PACKAGE]  # no staging folder left

    package.unlink()
    assert _run(*_export(example_path, out), data=tmp_path / "data").returncode == 0
    before = _contents(package)
    (package / "信访").rename(tmp_path / "信访-moved")
    (package / "信访").write_bytes(b"in the way")
    done = _run(*_export(example_path, out), data=tmp_path / "data")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"同名文件已存在：“{package / '信访'}”是一个文件" in done.stderr, done.stderr
    after = _contents(package)
    assert after.pop("信访") == b"in the way"
    assert after == {k: v for k, v in before.items() if not k.startswith("信访")}  # nothing replaced


def test_disk_full_in_its_own_process(example_path: Path, tmp_path: Path) -> None:
    # xlsxwriter reports the OSError of writing the file as its own FileCreateError
    patch = (
        "import errno, xlsxwriter\n"
        "from xlsxwriter.exceptions import FileCreateError\n"
        "def close(self):\n"
        "    raise FileCreateError(OSError(errno.ENOSPC, 'No space left on device'))\n"
        "xlsxwriter.Workbook.close = close\n"
    )
    out = tmp_path / "导出"
    done = _run(*_export(example_path, out), data=tmp_path / "data", code=patch)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "磁盘已满" in done.stderr, done.stderr
    assert list(out.iterdir()) == []


# -- faults simulated in this process ----------------------------------------------------------


def _refusal(path: object) -> PermissionError:
    return PermissionError(errno.EACCES, "Permission denied", str(path))


def _read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Refuse what a folder without write permission refuses: making, renaming or removing its
    entries. Files in it can still be opened for writing (their own permission)."""

    def inside(path: object) -> bool:
        return Path(os.fsdecode(path)).parent == folder

    def guard(real: Callable, paths: int) -> Callable:
        def call(*args, **kwargs):
            for path in args[:paths]:
                if inside(path):
                    raise _refusal(path)
            return real(*args, **kwargs)

        return call

    real_open = os.open

    def os_open(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and inside(path) and not os.path.exists(path):
            raise _refusal(path)
        return real_open(path, flags, *args, **kwargs)

    for name, paths in (
        ("replace", 2),
        ("rename", 2),
        ("mkdir", 1),
        ("unlink", 1),
        ("remove", 1),
        ("rmdir", 1),
    ):
        monkeypatch.setattr(os, name, guard(getattr(os, name), paths))
    monkeypatch.setattr(os, "open", os_open)


def _renames_into(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if any(folder in Path(p).parents for p in (src, dst)):
            seen.append((str(src), str(dst)))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return seen


@pytest.fixture
def exported(example_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The output folder of an exported 2023 package, every file marked "old"."""
    import main

    out = tmp_path / "导出"
    assert main.main(_export(example_path, out)) == 0
    for path in (out / PACKAGE).rglob("*.*"):
        path.write_bytes(f"old {path.name}".encode())
    capsys.readouterr()
    return out


def test_a_read_only_package_folder(
    example_path: Path, exported: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import main

    package = exported / PACKAGE
    before = _contents(package)
    renames = _renames_into(monkeypatch, package)
    _read_only(monkeypatch, package)
    code = main.main(_export(example_path, exported))
    monkeypatch.undo()
    error = capsys.readouterr().err
    assert code == 2, error
    assert error.startswith(f"错误：无法写入“{package}”：权限不足"), error
    assert "WPS" not in error and _chinese_only(error.strip(), package)
    assert renames == []  # refused before anything was touched
    assert _contents(package) == before
    assert sorted(p.name for p in exported.iterdir()) == [PACKAGE]


def test_a_read_only_subfolder_is_found_before_anything_is_replaced(
    example_path: Path, exported: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # (measured before: 9 of 22 files new, 13 old)
    import main

    package = exported / PACKAGE
    before = _contents(package)
    renames = _renames_into(monkeypatch, package)
    _read_only(monkeypatch, package / "信访")
    code = main.main(_export(example_path, exported))
    monkeypatch.undo()
    error = capsys.readouterr().err
    assert code == 2, error
    assert error.startswith(f"错误：无法写入“{package / '信访'}”：权限不足"), error
    assert renames == []
    assert _contents(package) == before
    assert sorted(p.name for p in exported.iterdir()) == [PACKAGE]


def _fail_workbook_close(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    import xlsxwriter

    def close(self) -> None:
        raise error

    monkeypatch.setattr(xlsxwriter.Workbook, "close", close)


def _fail_docx_save(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    from docx.document import Document

    def save(self, path) -> None:
        raise error

    monkeypatch.setattr(Document, "save", save)


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(
            lambda m: _fail_workbook_close(m, _file_create_error(OSError(errno.ENOSPC, "No space left"))),
            id="xlsx-FileCreateError",
        ),
        pytest.param(lambda m: _fail_docx_save(m, OSError(errno.ENOSPC, "No space left")), id="docx-ENOSPC"),
    ],
)
def test_disk_full(
    fault: Callable[[pytest.MonkeyPatch], None],
    example_path: Path,
    exported: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import main

    package = exported / PACKAGE
    before = _contents(package)
    fault(monkeypatch)
    code = main.main(_export(example_path, exported))
    monkeypatch.undo()
    error = capsys.readouterr().err
    assert code == 2, error
    assert error.startswith(f"错误：无法写入“{package}") and "磁盘已满" in error, error
    assert ".zjtb-export-" not in error  # the file the user knows, not its hidden staging copy
    assert _chinese_only(error.strip().split("”：", 1)[1])
    assert _contents(package) == before
    assert sorted(p.name for p in exported.iterdir()) == [PACKAGE]


def _file_create_error(cause: OSError) -> Exception:
    from xlsxwriter.exceptions import FileCreateError

    return FileCreateError(cause)


# -- putting back what was moved ---------------------------------------------------------------

_NAMES = ["甲表.xlsx", "信访/乙表.xlsx", "新 文件夹/子/丙表.xlsx", "信访/丁表.xlsx", "戊表.docx"]


def _package(tmp_path: Path) -> tuple[Path, list[Path]]:
    out = tmp_path / "out"
    (out / "信访").mkdir(parents=True)
    for name in ("甲表.xlsx", "信访/乙表.xlsx", "信访/丁表.xlsx"):  # 丙表 and 戊表 are new
        (out / name).write_bytes(f"old {name}".encode())
    staging = tmp_path / ".zjtb-export-test0000"
    sources = []
    for name in _NAMES:
        source = staging / name
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(f"new {name}".encode())
        sources.append(source)
    return out, sources


# Every step of every pair that has it: 甲/乙/丁 exist (set aside first), 丙 needs new folders.
_FAILURES = [
    *[("mkdir", 2)],
    *[("set aside", i) for i in (0, 1, 3)],
    *[("move in", i) for i in range(len(_NAMES))],
]


@pytest.mark.parametrize(("step", "failing"), _FAILURES)
def test_a_failed_move_puts_every_old_file_back(
    failing: int, step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, sources = _package(tmp_path)
    before = _contents(out)
    target = out / _NAMES[failing]
    real_replace, real_mkdir = os.replace, os.mkdir

    def replace(src, dst, *args, **kwargs):
        setting_aside = Path(src) == target
        moving_in = Path(dst) == target and not str(src).endswith(".old")  # not the undo's
        if (step == "set aside" and setting_aside) or (step == "move in" and moving_in):
            raise _refusal(target)
        return real_replace(src, dst, *args, **kwargs)

    def mkdir(path, *args, **kwargs):
        if step == "mkdir" and Path(path) == target.parent:  # the innermost of the new folders
            raise _refusal(path)
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "mkdir", mkdir)
    pairs = [(source, out / name) for source, name in zip(sources, _NAMES, strict=True)]
    with pytest.raises(TargetLockedError) as caught:
        move_into_place(pairs)
    monkeypatch.undo()
    assert str(caught.value).startswith(f"无法写入“{target}”：")
    assert _contents(out) == before
    assert not (out / "新 文件夹").exists()


def test_an_old_file_that_cannot_be_put_back_is_kept_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, sources = _package(tmp_path)
    first, last = out / _NAMES[0], out / _NAMES[-1]
    real_replace = os.replace
    moved_back: list[Path] = []

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == last:
            raise _refusal(last)
        if Path(dst) == first and Path(src).name.endswith(".old"):  # the undo of the first one
            moved_back.append(first)
            raise _refusal(first)
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(TargetLockedError) as caught:
        move_into_place((source, out / name) for source, name in zip(sources, _NAMES, strict=True))
    monkeypatch.undo()
    kept = out / "甲表（导出前）.xlsx"
    assert moved_back == [first]
    assert f"原文件已保存为：“{kept}”" in str(caught.value)
    assert kept.read_bytes() == "old 甲表.xlsx".encode()  # not lost with the staging folder
    assert (out / "信访" / "乙表.xlsx").read_bytes() == "old 信访/乙表.xlsx".encode()


def test_an_unexpected_error_is_a_message_and_a_log_not_a_traceback(
    example_path: Path,
    tmp_path: Path,
    isolated_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import main

    _fail_workbook_close(monkeypatch, RuntimeError("a bug in a writer"))
    code = main.main(_export(example_path, tmp_path / "导出"))
    monkeypatch.undo()
    error = capsys.readouterr().err
    assert code == 2 and error.startswith("错误：程序内部错误，命令未能完成。详情已写入“"), error
    logs = list((isolated_data_dir / "logs").glob("cli-error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in error
    assert "RuntimeError: a bug in a writer" in logs[0].read_text(encoding="utf-8")
    assert list((tmp_path / "导出").iterdir()) == []
