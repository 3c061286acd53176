"""Unlocking an encrypted data file: the password (or the recovery code) against its key file.

Only hashlib is used here, so the password prompt paints before SQLCipher is loaded.
"""

from __future__ import annotations

import os
import sys
import time
import unicodedata
from pathlib import Path

from app.errors import UserError
from app.protection import envelope as env
from app.protection.keys import remember

PASSWORD_ENV = "ZJTB_PASSWORD"
NEW_PASSWORD_ENV = "ZJTB_NEW_PASSWORD"
MIN_LENGTH = 6
MAX_DELAY = 30.0
TERMINAL_TRIES = 3


class PasswordRequiredError(UserError):
    pass


class WrongPasswordError(UserError):
    pass


def required_message(path: Path) -> str:
    return (
        f"数据文件已加密，需要密码……（{path}）"
        f"请设置环境变量 {PASSWORD_ENV}，或在终端（命令提示符）中运行以输入密码。"
    )


def _envelope(path: Path) -> env.Envelope:
    try:
        found = env.read(path)
    except env.EnvelopeError as exc:
        raise UserError(f"无法打开加密的数据文件“{path}”：{exc}（{env.envelope_path(path)}）。") from exc
    except OSError as exc:
        raise UserError(f"无法读取密钥文件“{env.envelope_path(path)}”。") from exc
    if found is None:
        raise UserError(
            f"数据文件“{path}”已加密，但找不到它的密钥文件“{env.envelope_path(path).name}”"
            "（应与数据文件放在同一文件夹）。"
        )
    return found


def data_key(path: Path, password: str) -> bytes:
    key = env.unwrap(_envelope(path), env.PASSWORD, password)
    if key is None:
        raise WrongPasswordError("密码不正确")
    return key


def unlock(path: Path, password: str) -> None:
    """Check `password` against the key file of `path` and keep the key for this process."""
    remember(path, data_key(path, password))


def verify_password(path: Path, password: str) -> bool:
    try:
        data_key(path, password)
    except WrongPasswordError:
        return False
    return True


def reset_with_recovery_code(path: Path, code: str, new_password: str) -> None:
    """Set a new password with the recovery code alone; the code stays valid."""
    problem = password_problem(new_password, new_password)
    if problem:
        raise UserError(problem)
    envelope = _envelope(path)
    key = env.unwrap(envelope, env.RECOVERY, code)
    if key is None:
        raise WrongPasswordError("恢复码不正确")
    env.write(path, env.with_password(envelope, key, new_password))
    remember(path, key)


def change_password(path: Path, old_password: str, new_password: str) -> None:
    """A new password for the same data key: only the key file is rewritten."""
    problem = password_problem(new_password, new_password)
    if problem:
        raise UserError(problem)
    envelope = _envelope(path)
    key = env.unwrap(envelope, env.PASSWORD, old_password)
    if key is None:
        raise WrongPasswordError("原密码不正确")
    env.write(path, env.with_password(envelope, key, new_password))
    remember(path, key)


def retry_delay(failures: int) -> float:
    """Seconds before the next try after `failures` wrong ones in a row: 0, 0, 1, 2, 4 … 30."""
    if failures <= 1:
        return 0.0
    return min(MAX_DELAY, float(2 ** (failures - 2)))


def password_problem(password: str, again: str) -> str | None:
    if not password:
        return "请输入密码"
    if len(unicodedata.normalize("NFC", password)) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位"
    if password != again:
        return "两次输入的密码不一致"
    return None


def password_strength(password: str) -> tuple[int, str]:
    """0 (too short) … 4, with a hint in Chinese."""
    if len(password) < MIN_LENGTH:
        return 0, f"太短：至少 {MIN_LENGTH} 位"
    kinds = sum(
        (
            any(c.isdigit() for c in password),
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(not c.isalnum() or ord(c) > 127 for c in password),
        )
    )
    if len(set(password)) <= 2 or (password.isdigit() and len(password) < 10):
        return 1, "弱：只有数字或重复字符，容易被猜中"
    score = 1 + (kinds >= 2) + (kinds >= 3 or len(password) >= 12) + (len(password) >= 14 and kinds >= 2)
    hints = {1: "弱：请混用字母、数字和符号", 2: "一般：再长一些或加入符号更安全", 3: "较强", 4: "强"}
    return score, hints[score]


def password_from_environment(name: str = PASSWORD_ENV) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def _terminal() -> bool:
    stdin = sys.stdin
    try:
        if stdin is None or not stdin.isatty():
            return False
        return os.name != "nt" or _windows_console(stdin.fileno())
    except (OSError, ValueError):
        return False


def _windows_console(fd: int) -> bool:
    """On Windows isatty() is also true for NUL (`< NUL`, a scheduled task, Wine's /dev/null),
    where getpass would wait for a console nobody types into: only a real console counts."""
    import ctypes
    import msvcrt

    mode = ctypes.c_uint32()
    handle = msvcrt.get_osfhandle(fd)  # type: ignore[attr-defined]
    return bool(ctypes.windll.kernel32.GetConsoleMode(handle, ctypes.byref(mode)))  # type: ignore[attr-defined]


def ask_terminal(prompt: str) -> str | None:
    """A password typed at the terminal without echo; None without a terminal."""
    if not _terminal():
        return None
    import getpass

    try:
        return getpass.getpass(prompt)
    except (EOFError, OSError):
        return None


def unlock_for_command_line(path: Path) -> None:
    """ZJTB_PASSWORD, else a prompt at the terminal (three tries, growing delays), else
    PasswordRequiredError. A wrong ZJTB_PASSWORD is an error, not a prompt."""
    given = password_from_environment()
    if given is not None:
        try:
            unlock(path, given)
        except WrongPasswordError:
            raise WrongPasswordError(
                f"密码不正确（环境变量 {PASSWORD_ENV}），数据文件“{path}”未打开。"
            ) from None
        return
    if not _terminal():
        raise PasswordRequiredError(required_message(path))
    for failures in range(TERMINAL_TRIES):
        time.sleep(retry_delay(failures))
        typed = ask_terminal(f"数据文件“{path.name}”的密码：")
        if typed is None:
            break
        try:
            unlock(path, typed)
            return
        except WrongPasswordError:
            print("密码不正确。", file=sys.stderr)
    raise WrongPasswordError(f"密码不正确，数据文件“{path}”未打开。")
