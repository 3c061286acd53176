"""describe_os_error: every failed write is told in Chinese, names the path, and never carries the
system's own text (English on many PCs: "Is a directory", "File exists"). Another program is
blamed only for a sharing violation or when the caller found the file held."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from app.errors import describe_os_error

_LATIN = re.compile(r"[A-Za-z]")


def _without(message: str, *paths: object) -> str:
    """The message without the paths it names (and 'U盘', the Chinese word for a USB drive)."""
    for path in (*paths, "U盘"):
        message = message.replace(str(path), "")
    return message


def _raised(action) -> OSError:
    with pytest.raises(OSError) as caught:
        action()
    return caught.value


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘已满"),
        (PermissionError(errno.EACCES, "Permission denied"), "权限不足"),
        (PermissionError(errno.EPERM, "Operation not permitted"), "权限不足"),
        (OSError(errno.EROFS, "Read-only file system"), "权限不足"),
        (OSError(errno.ENAMETOOLONG, "File name too long"), "过长"),
        (OSError(errno.EIO, "Input/output error"), "磁盘读写出错"),
        (OSError(errno.EXDEV, "Invalid cross-device link"), f"错误代码 {errno.EXDEV}"),
    ],
)
def test_errno_is_told_in_chinese(error: OSError, expected: str, tmp_path: Path) -> None:
    target = tmp_path / "导出" / "甲表.xlsx"
    message = describe_os_error(error, target)
    assert message.startswith(f"无法写入“{target}”：") and expected in message
    assert not _LATIN.search(_without(message, target)), message
    assert "WPS" not in message  # nobody else to blame for these


def test_only_a_sharing_violation_or_a_held_file_blames_another_program(tmp_path: Path) -> None:
    target = tmp_path / "甲表.xlsx"
    sharing = PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。")
    sharing.winerror = 32  # what CPython sets on Windows
    access_denied = PermissionError(errno.EACCES, "拒绝访问。")
    access_denied.winerror = 5
    assert "文件被其他程序占用" in describe_os_error(sharing, target)
    assert "WPS/Excel" in describe_os_error(sharing, target)
    assert "权限不足" in describe_os_error(access_denied, target)
    assert "WPS" not in describe_os_error(access_denied, target)
    assert "文件被其他程序占用" in describe_os_error(access_denied, target, held=True)


def test_a_folder_where_a_file_must_go(tmp_path: Path) -> None:
    target = tmp_path / "甲表.xlsx"
    target.mkdir()
    error = _raised(lambda: open(target, "wb"))  # noqa: SIM115 - the error is the point
    message = describe_os_error(error, target)
    assert "同名文件夹已存在" in message and not _LATIN.search(_without(message, target)), message


def test_a_file_where_a_folder_must_go_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "信访"
    blocker.write_text("不是文件夹", encoding="utf-8")
    target = blocker / "台账.xlsx"
    for error in (
        _raised(lambda: open(target, "wb")),  # noqa: SIM115 - ENOTDIR
        _raised(lambda: target.parent.mkdir(exist_ok=True)),  # EEXIST
        _raised(lambda: (blocker / "子" / "x").mkdir(parents=True)),  # ENOTDIR from mkdir
        # Windows says ERROR_PATH_NOT_FOUND (ENOENT) for the same thing
        FileNotFoundError(errno.ENOENT, "系统找不到指定的路径。", str(target)),
    ):
        message = describe_os_error(error, target)
        assert f"同名文件已存在：“{blocker}”是一个文件" in message, (error, message)
        assert not _LATIN.search(_without(message, target, blocker)), message


def test_the_output_folder_itself_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "导出"
    out.write_bytes(b"")
    error = _raised(lambda: out.mkdir(parents=True, exist_ok=True))
    message = describe_os_error(error, out)
    assert message == f"无法写入“{out}”：同名文件已存在（这里需要的是文件夹），请将该文件改名或移走后重试。"


def test_a_missing_folder_with_nothing_in_the_way(tmp_path: Path) -> None:
    target = tmp_path / "不存在" / "甲表.xlsx"
    error = _raised(lambda: os.open(target, os.O_CREAT | os.O_WRONLY))
    message = describe_os_error(error, target)
    assert "文件夹不存在" in message and not _LATIN.search(_without(message, target))
