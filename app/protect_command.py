"""`main.py protect [--db PATH]`: set or change the password of a data file, print the recovery code.

The current password comes from ZJTB_PASSWORD (or a prompt), the new one from ZJTB_NEW_PASSWORD
(or a prompt typed twice). A plaintext file is encrypted in place (app/protection/protect.py).
Exit codes: 0 done; 1 the new password is not acceptable, or the current one is wrong; 2 cannot run.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.errors import UserError

Say = Callable[..., None]


def add_parser(sub, db_help: str) -> None:
    parser = sub.add_parser(
        "protect",
        help="为数据文件设置或修改密码（加密数据文件），并显示恢复码",
        description="为数据文件设置密码（未加密的文件就地加密：先备份，加密后逐表核对记录数），"
        "或修改已有的密码（只改写密钥文件）。原密码取自环境变量 ZJTB_PASSWORD，新密码取自 "
        "ZJTB_NEW_PASSWORD；未设置时在终端中提示输入（不回显）。设置密码时显示恢复码：请抄写或打印后"
        "妥善保管——忘记密码又丢失恢复码，数据将无法恢复。"
        "退出码：0 完成；1 新密码不符合要求或原密码不正确；2 无法运行（文件被占用、找不到等）。",
    )
    parser.add_argument("--db", metavar="PATH", help=db_help, default=argparse.SUPPRESS)
    parser.add_argument(
        "--keep-plain-backups",
        action="store_true",
        help="加密后保留备份文件夹中未加密的旧备份（默认删除：其中有信访人的个人信息）",
    )


def _new_password(say: Say) -> str:
    from app.protection.unlock import (
        NEW_PASSWORD_ENV,
        ask_terminal,
        password_from_environment,
        password_problem,
    )

    given = password_from_environment(NEW_PASSWORD_ENV)
    if given is None:
        first = ask_terminal("新密码：")
        if first is None:
            raise UserError(f"没有新密码：请设置环境变量 {NEW_PASSWORD_ENV}，或在终端中运行以输入密码。")
        again = ask_terminal("再次输入新密码：") or ""
        given, check = first, again
    else:
        check = given
    problem = password_problem(given, check)
    if problem:
        raise _Refused(problem)
    return given


class _Refused(UserError):
    pass


def run(args: argparse.Namespace, say: Say) -> int:
    import sys

    from app.opening import resolve_location
    from app.protection.files import is_encrypted
    from app.protection.unlock import WrongPasswordError

    location = resolve_location(getattr(args, "db", None))
    if location.path is None:
        raise UserError("当前使用 PostgreSQL 数据库：数据库密码由服务器管理，protect 只用于本机数据文件。")
    path: Path = location.path
    try:
        if is_encrypted(path):
            return _change(path, say)
        return _protect(path, args, say)
    except (_Refused, WrongPasswordError) as exc:
        say(f"错误：{exc}", sys.stderr)
        return 1


def _change(path: Path, say: Say) -> int:
    from app.protection.unlock import (
        PASSWORD_ENV,
        WrongPasswordError,
        ask_terminal,
        change_password,
        password_from_environment,
    )

    old = password_from_environment(PASSWORD_ENV)
    if old is None:
        old = ask_terminal("原密码：")
        if old is None:
            raise UserError(
                f"数据文件已加密，需要原密码：请设置环境变量 {PASSWORD_ENV}，或在终端中运行以输入密码。"
            )
    new = _new_password(say)
    try:
        change_password(path, old, new)
    except WrongPasswordError:
        raise WrongPasswordError(f"原密码不正确，密码未修改（{path}）。") from None
    _record(path, "修改密码（命令行）")
    say(f"已修改数据文件“{path}”的密码。恢复码不变。")
    return 0


def _protect(path: Path, args: argparse.Namespace, say: Say) -> int:
    from app.protection.protect import protect, remove_plaintext_copies

    new = _new_password(say)
    if path.exists() and path.stat().st_size > 0:
        from app.opening import open_database, resolve_location

        db, _migration = open_database(resolve_location(str(path)))  # a damaged or older file: said here
        db.dispose()
    result = protect(path, new)
    say(f"已为数据文件“{path}”设置密码，数据文件已加密。")
    if result.counts:
        rows = sum(result.counts.values())
        say(f"加密前后逐表核对记录数：{len(result.counts)} 个表，共 {rows} 行，全部一致。")
    if result.plaintext_copies:
        if args.keep_plain_backups:
            say(
                f"备份文件夹中有 {len(result.plaintext_copies)} 份未加密的备份，"
                "已按 --keep-plain-backups 保留："
            )
            for copy in result.plaintext_copies:
                say(f"  {copy}")
        else:
            removed = remove_plaintext_copies(result.plaintext_copies)
            say(f"已删除备份文件夹中 {removed} 份未加密的备份（含升级前备份），其中有信访人的个人信息。")
    _record(path, "设置密码，数据文件已加密（命令行）")
    say("恢复码（只显示这一次，请抄写或打印后与密码分开妥善保管；忘记密码时可用它设置新密码）：")
    say(f"  {result.recovery_code}")
    say("忘记密码又丢失恢复码，数据将无法恢复。")
    return 0


def _record(path: Path, detail: str) -> None:
    """Into the operation log, when the module that keeps it is there (app/oplog.py)."""
    try:
        from app import oplog
    except ImportError:
        return
    from app.db import Database, location_for

    db = Database(location_for(path))
    try:
        oplog.record(db, oplog.PASSWORD, detail)
    finally:
        db.dispose()
