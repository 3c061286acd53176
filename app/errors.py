"""Errors that carry a message for the user, in Chinese."""

from __future__ import annotations

import errno
import sqlite3


class UserError(Exception):
    """Something the user can act on; `str(exc)` is the Chinese message to show."""


class DatabaseTooNewError(UserError):
    pass


class TargetLockedError(UserError):
    pass


def describe_os_error(exc: OSError, path: object) -> str:
    if isinstance(exc, PermissionError):
        return f"无法写入“{path}”：文件可能正在被 WPS/Excel 打开，或没有写入权限。请关闭该文件后重试。"
    if exc.errno == errno.ENOSPC:
        return f"无法写入“{path}”：磁盘空间不足。"
    if exc.errno == errno.EROFS:
        return f"无法写入“{path}”：磁盘或文件夹为只读。"
    return f"无法写入“{path}”：{exc.strerror or exc}"


def describe_db_error(exc: BaseException) -> str | None:
    """A Chinese message for the database errors a user can fix; None for anything else (a bug)."""
    text = str(getattr(exc, "orig", exc)).lower()
    if isinstance(getattr(exc, "orig", exc), sqlite3.OperationalError) or "sqlite" in type(exc).__module__:
        if "locked" in text or "busy" in text:
            return "数据库正被另一个程序占用（可能在另一台电脑或窗口中打开），请稍后重试。"
        if "readonly" in text or "read-only" in text:
            return "数据库文件是只读的，无法保存。请检查文件权限或换一个数据文件夹。"
        if "disk is full" in text or "database or disk is full" in text:
            return "磁盘空间不足，无法保存。请清理磁盘后重试。"
        if "unable to open" in text:
            return "无法打开数据库文件，请检查路径和权限。"
        if "not a database" in text or "malformed" in text:
            return "数据库文件已损坏或不是本程序的数据文件。可从备份文件夹中恢复。"
    if "could not connect" in text or "connection refused" in text or "connection to server" in text:
        return "无法连接到 PostgreSQL 数据库服务器，请检查设置中的数据库地址和网络。"
    if "password authentication failed" in text:
        return "PostgreSQL 数据库用户名或密码不正确。"
    return None
