"""Errors that carry a message for the user, in Chinese."""

from __future__ import annotations

import errno
import sqlite3


class UserError(Exception):
    """Something the user can act on; `str(exc)` is the Chinese message to show."""


class DatabaseTooNewError(UserError):
    pass


class WriteFaultError(UserError):
    """A file or folder could not be written: no permission, disk full, something in the way."""


class TargetLockedError(WriteFaultError):
    """A target could not be put in place (held by another program, or refused); nothing was replaced."""


class EditConflictError(UserError):
    """A save or delete refused because the record was changed elsewhere since it was loaded."""


class DamagedDatabaseError(UserError):
    """The data file is damaged, or is not a data file of this program; `path` names it."""

    def __init__(self, message: str, path: object = None) -> None:
        super().__init__(message)
        self.path = path


# Windows error codes CPython keeps in OSError.winerror (on Windows only).
_WIN_SHARING = {32, 33}  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: another program has the file open
_WIN_ACCESS_DENIED = 5
_WIN_DISK_FULL = {39, 112}  # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
_WIN_PATH_TOO_LONG = {206}
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_SHAPE = {errno.EISDIR, errno.EEXIST, errno.ENOTDIR, errno.ENOENT}


def describe_os_error(exc: OSError, path: object, *, held: bool = False) -> str:
    """A Chinese message for a failed write to `path`, naming it. The system's own text is never
    shown: it is English on many PCs ("Is a directory", "File exists").

    Another program (WPS/Excel) is blamed only for a sharing violation, or when the caller says
    so (`held`: the existing target could not be opened or replaced although its folder is
    writable); a plain "access denied" is a permission problem."""
    where = f"无法写入“{path}”："
    winerror = getattr(exc, "winerror", None)
    if held or winerror in _WIN_SHARING:
        return where + "文件被其他程序占用（可能正在被 WPS/Excel 打开），请关闭该文件后重试。"
    if exc.errno in _DISK_FULL or winerror in _WIN_DISK_FULL:
        return where + "磁盘已满，请清理磁盘空间或换一个磁盘后重试。"
    if exc.errno in _SHAPE:
        in_the_way = _in_the_way(exc, path)
        if in_the_way:
            return where + in_the_way
    if exc.errno == errno.EROFS:
        return where + "权限不足：磁盘或文件夹为只读，请换一个文件夹。"
    if isinstance(exc, PermissionError) or exc.errno == errno.EPERM or winerror == _WIN_ACCESS_DENIED:
        return where + "权限不足，没有在该位置写入的权限。请换一个文件夹，或请管理员开放写入权限。"
    if exc.errno == errno.ENAMETOOLONG or winerror in _WIN_PATH_TOO_LONG:
        return where + "路径或文件名过长，请换一个路径较短的文件夹。"
    if exc.errno == errno.ENOENT:
        return where + "文件夹不存在或已被移走（如U盘已拔出），请重新选择文件夹。"
    if exc.errno == errno.EIO:
        return where + "磁盘读写出错（如U盘已拔出或磁盘损坏），请检查磁盘后重试。"
    code = winerror or exc.errno
    return where + (f"系统拒绝了写入（错误代码 {code}）。" if code else "系统拒绝了写入。")


def folder_in_the_way(blocker: object, path: object) -> str:
    """What to say after "无法写入“path”：" when a folder stands where a file must go."""
    if str(blocker) == str(path):
        return "同名文件夹已存在（这里要写入的是文件），请将该文件夹改名或移走后重试。"
    return f"同名文件夹已存在：“{blocker}”是一个文件夹，这里要写入同名文件。请将该文件夹改名或移走后重试。"


def file_in_the_way(blocker: object, path: object) -> str:
    """What to say after "无法写入“path”：" when a file stands where a folder must go."""
    if str(blocker) == str(path):
        return "同名文件已存在（这里需要的是文件夹），请将该文件改名或移走后重试。"
    return f"同名文件已存在：“{blocker}”是一个文件，这里需要同名的文件夹。请将该文件改名或移走后重试。"


def _in_the_way(exc: OSError, path: object) -> str | None:
    """What stands where a file or folder must go (EISDIR/EEXIST/ENOTDIR; Windows says ENOENT
    for a file where a folder must be), read from the disk since the error does not say."""
    from pathlib import Path

    names = [name for name in (exc.filename2, exc.filename, path) if isinstance(name, (str, Path))]
    for name in names:
        candidate = Path(name)
        if exc.errno in (errno.EISDIR, errno.EEXIST) and candidate.is_dir():
            return folder_in_the_way(candidate, path)
        # A folder was wanted above `candidate`, or at it (EEXIST: mkdir over a file).
        wanted = [*reversed(candidate.parents), *([candidate] if exc.errno == errno.EEXIST else [])]
        for folder in wanted:
            if folder.exists() and not folder.is_dir():
                return file_in_the_way(folder, path)
    return None


def describe_db_error(exc: BaseException) -> str | None:
    """A Chinese message for the database errors a user can fix; None for anything else (a bug)."""
    text = str(getattr(exc, "orig", exc)).lower()
    # sqlite3.DatabaseError too, not only OperationalError: "file is not a database" and
    # "database disk image is malformed" are plain DatabaseErrors.
    inner = getattr(exc, "orig", exc)
    if isinstance(inner, sqlite3.DatabaseError) or any(
        name in type(inner).__module__ for name in ("sqlite", "sqlcipher")
    ):
        if "locked" in text or "busy" in text:
            return "数据库正被另一个程序占用（可能在另一台电脑或窗口中打开），请稍后重试。"
        if "readonly" in text or "read-only" in text:
            return "数据库文件是只读的，无法保存。请检查文件权限或换一个数据文件夹。"
        if "disk is full" in text or "database or disk is full" in text:
            return "磁盘空间不足，无法保存。请清理磁盘后重试。"
        if "unable to open" in text:
            return "无法打开数据库文件，请检查路径和权限。"
        if is_damage(exc):
            return "数据库文件已损坏或不是本程序的数据文件。可从备份恢复（“文件 › 从备份恢复…”）。"
    if "no password supplied" in text:
        return "需要 PostgreSQL 数据库的密码。"
    if "password authentication failed" in text:
        return "PostgreSQL 数据库用户名或密码不正确。"
    if "could not connect" in text or "connection refused" in text or "connection to server" in text:
        return "无法连接到 PostgreSQL 数据库服务器，请检查设置中的数据库地址和网络。"
    return None


def is_damage(exc: BaseException) -> bool:
    """Whether a database error says the file itself is damaged or not an SQLite database."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "not a database" in text or "malformed" in text or "disk image" in text
