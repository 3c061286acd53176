"""The command line beside the GUI: `demo`, `export`, `check`, `restore`, `import` (app/import_command.py),
`shots` (a stable interface for scripts).

Exit codes: 0 success; 1 `check` (or `export --strict`, which then writes nothing) found an
error-level finding, or the backup given to `restore` is damaged / fails integrity_check / is not
a data file of this program (choose another); 2 the command could not be done.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from app import APP_NAME, __version__

# What every message of the command line contains: if a stream cannot encode this, it cannot
# write a single useful line (cp1252, ascii).
_CHINESE_SAMPLE = f"{APP_NAME}“”：，。（）"


def _writes_chinese(encoding: str | None) -> bool:
    try:
        _CHINESE_SAMPLE.encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def safe_console_streams() -> None:
    """Make stdout and stderr unable to fail on Chinese text; call before anything is printed.

    argparse prints --help and its errors itself (not through `_say`), and on Windows a pipe or
    file (`zjtb-cli --help > help.txt`) gets the ANSI code page: cp1252 on an English-locale PC,
    where the first Chinese character raised UnicodeEncodeError. Such a stream is switched to
    UTF-8, what scripts and editors read. A console keeps its encoding (the Windows console is
    UTF-8 already; a terminal shows what its own encoding says) and only stops failing:
    errors="replace".

    PYTHONIOENCODING is respected when its encoding can write Chinese (utf-8, gbk, gb18030): it
    is then the reader's choice. One that cannot (cp1252, ascii) would turn every message into
    question marks, so it is treated like the code page default.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or not hasattr(stream, "reconfigure"):  # a windowed build; a replaced stream
            continue
        try:
            interactive = stream.isatty()
        except (OSError, ValueError):
            interactive = False
        try:
            if _writes_chinese(stream.encoding) or interactive:
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError):  # closed, or already read from: leave it as it is
            pass


def build_parser() -> argparse.ArgumentParser:
    db_help = "数据库文件路径（默认：用户数据文件夹中的 zjtb.sqlite3）"
    parser = argparse.ArgumentParser(
        prog="main.py",
        description=f"{APP_NAME}：不带子命令时启动图形界面。",
        epilog="示例：python main.py demo --db 示例.sqlite3 ；python main.py check --year 2023 ；"
        "python main.py restore backups/zjtb-20240102-092100-auto.sqlite3",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--db", metavar="PATH", help=db_help)
    sub = parser.add_subparsers(dest="command", metavar="子命令")

    demo = sub.add_parser("demo", help="载入内置示例数据（汨罗市建筑工程服务中心 2022、2023 年度）")
    demo.add_argument("--db", metavar="PATH", help=db_help, default=argparse.SUPPRESS)

    export = sub.add_parser("export", help="导出某年度的全部表格和报告")
    export.add_argument("--year", type=int, required=True, metavar="Y", help="年度，如 2023")
    export.add_argument("--out", type=Path, required=True, metavar="DIR", help="输出文件夹")
    export.add_argument("--unit", metavar="名称或编号", help="单位（默认：数据库中的第一个单位）")
    export.add_argument(
        "--unmask", action="store_true", help="信访登记台账中显示完整的电话和身份证号（默认隐去）"
    )
    export.add_argument(
        "--strict",
        action="store_true",
        help="校验有错误时不导出：列出错误，不写入任何文件，退出码为 1（默认仍导出，并在结果中列出错误）",
    )
    export.add_argument("--db", metavar="PATH", help=db_help, default=argparse.SUPPRESS)

    check = sub.add_parser("check", help="校验某年度的数据，列出全部问题（有错误时退出码为 1）")
    check.add_argument("--year", type=int, required=True, metavar="Y", help="年度，如 2023")
    check.add_argument("--unit", metavar="名称或编号", help="单位（默认：数据库中的第一个单位）")
    check.add_argument("--db", metavar="PATH", help=db_help, default=argparse.SUPPRESS)

    restore = sub.add_parser(
        "restore",
        help="用备份替换数据文件（先检查备份的完整性，被替换的文件另存一份“恢复前备份”）；"
        "备份损坏或不是本程序的数据文件时退出码为 1",
        description="用备份替换数据文件：先对备份做完整性检查（PRAGMA integrity_check），把被替换的数据文件"
        "另存到备份文件夹（…-prerestore.sqlite3），再换上备份；备份来自旧版本时升级数据库结构。"
        "退出码：0 已恢复；1 备份已损坏、未通过完整性检查或不是本程序的数据文件（请换一份备份）；"
        "2 无法执行（找不到文件、无法写入、数据文件正被打开）。",
    )
    restore.add_argument(
        "backup", type=Path, metavar="BACKUP", help="备份文件，如 backups/zjtb-20240102-092100-auto.sqlite3"
    )
    restore.add_argument("--db", metavar="PATH", help=db_help, default=argparse.SUPPRESS)

    shots = sub.add_parser(
        "shots",
        help="给每个页面（及页面上的每个选项卡）截图，存为 PNG；页面比窗口宽时退出码为 1",
        description="在屏幕外打开主窗口，依次显示每个页面和页面顶层的每个选项卡，各存一张整窗截图"
        "（01-工作台.png、03-预算绩效-基础数据表.png …），并检查窗口宽度不变、页面没有横向滚动条。"
        "退出码：0 全部通过；1 有页面比窗口宽；2 无法运行（数据文件中没有单位等）。",
    )
    shots.add_argument("--out", type=Path, required=True, metavar="DIR", help="截图保存到的文件夹")
    shots.add_argument("--size", default="1366x768", metavar="宽x高", help="窗口大小（默认 1366x768）")
    shots.add_argument("--db", metavar="PATH", help=db_help, default=argparse.SUPPRESS)

    from app.import_command import add_parser as add_import_parser
    from app.protect_command import add_parser as add_protect_parser

    add_import_parser(sub, db_help)
    add_protect_parser(sub, db_help)
    return parser


def _say(text: str, stream=None) -> None:
    stream = stream or sys.stdout
    if stream is None:  # a windowed build has no console
        return
    try:
        print(text, file=stream)
    except UnicodeEncodeError:
        print(
            text.encode(stream.encoding or "utf-8", "replace").decode(stream.encoding or "utf-8"), file=stream
        )
    except BrokenPipeError:
        # The reader went away (`check | head`): the command still finishes and keeps its exit code.
        _silence(stream)


def _silence(stream) -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stream.fileno())
    finally:
        os.close(devnull)


def run_command(
    args: argparse.Namespace, extra: Mapping[str, Callable[[argparse.Namespace], int]] | None = None
) -> int:
    """Run a parsed command; `extra` holds the commands whose code lives outside app/ (`shots`)."""
    from app.errors import UserError

    try:
        return {**_COMMANDS, **(extra or {})}[args.command](args)
    except UserError as exc:
        _say(f"错误：{exc}", sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl+C: what was staged is removed on the way out
        _say("已取消。", sys.stderr)
        return 130
    except OSError as exc:  # a fault no command converted: still a message, not a traceback
        from app.errors import describe_os_error

        _say(f"错误：{describe_os_error(exc, exc.filename2 or exc.filename or '文件')}", sys.stderr)
        return 2
    except Exception as exc:
        from app.errors import describe_db_error

        known = describe_db_error(exc)
        if known:
            _say(f"错误：{known}{_damaged_file_named(args, exc)}", sys.stderr)
            return 2
        where = _log_internal_error()
        hint = f"详情已写入“{where}”，请把该文件发给维护人员。" if where else ""
        _say(f"错误：程序内部错误，命令未能完成。{hint}", sys.stderr)
        return 2


def _damaged_file_named(args: argparse.Namespace, exc: Exception) -> str:
    """The path of the data file, in brackets, when `exc` says that file is damaged; else ""."""
    from app.errors import is_damage

    if not is_damage(exc):
        return ""
    from app.opening import resolve_location

    path = resolve_location(getattr(args, "db", None)).path
    return f"（数据文件：{path}）" if path else ""


def _log_internal_error() -> str | None:
    """Write the traceback of the exception being handled to the log folder; returns where."""
    import traceback
    from datetime import datetime

    details = traceback.format_exc()
    try:
        from app.paths import logs_dir

        path = logs_dir() / f"cli-error-{datetime.now():%Y%m%d-%H%M%S}.log"
        path.write_text(details, encoding="utf-8")
        return str(path)
    except OSError:
        return None


def _open(args: argparse.Namespace):
    from app.opening import open_database, resolve_location

    location = resolve_location(getattr(args, "db", None))
    db, migration = open_database(location)
    if migration.backup is not None:
        _say(f"数据库已升级（{migration.before} → {migration.after}），升级前的备份：{migration.backup}")
    return db


def _demo(args: argparse.Namespace) -> int:
    from app.example_data import EXAMPLE_UNIT_NAME, example_exists, load_example

    recovery_code = _protect_new_file(args)
    db = _open(args)
    try:
        if example_exists(db):
            _say(f"示例单位“{EXAMPLE_UNIT_NAME}”已在数据库中：{db.location.describe()}")
            return 0
        load_example(db)
        _say(f"已载入示例数据“{EXAMPLE_UNIT_NAME}”到 {db.location.describe()}")
        if recovery_code:
            _say(f"数据文件已加密（密码取自 ZJTB_PASSWORD）。恢复码：{recovery_code}")
        return 0
    finally:
        db.dispose()


def _protect_new_file(args: argparse.Namespace) -> str | None:
    """With ZJTB_PASSWORD set, `demo` makes a new data file encrypted (its recovery code returned);
    an existing file, or no ZJTB_PASSWORD, is left as it is (scripts written before keep working)."""
    from app.opening import resolve_location
    from app.protection.unlock import password_from_environment

    password = password_from_environment()
    path = resolve_location(getattr(args, "db", None)).path
    if password is None or path is None or (path.exists() and path.stat().st_size > 0):
        return None
    from app.protection.files import is_encrypted
    from app.protection.protect import protect

    if is_encrypted(path):
        return None
    return protect(path, password, minimum=False).recovery_code


def _unit_and_year(db, args: argparse.Namespace) -> tuple[int, str]:
    from app.errors import UserError
    from app.opening import resolve_unit
    from app.services.unit import years_of

    with db.session() as session:
        unit = resolve_unit(session, args.unit)
        years = years_of(session, unit.id)
        if args.year not in years:
            have = "、".join(str(y) for y in years) or "无"
            raise UserError(f"单位“{unit.name}”没有{args.year}年度的数据（已有年度：{have}）")
        return unit.id, unit.name


def _export(args: argparse.Namespace) -> int:
    from app.checks import run_checks
    from app.exports.package import export_year

    db = _open(args)
    try:
        unit_id, unit_name = _unit_and_year(db, args)
        findings = run_checks(db, unit_id, args.year)
        errors = [f for f in findings if f.is_error]
        if args.strict and errors:
            for finding in errors:
                _say(finding.text())
            _say(
                f"{unit_name} {args.year} 年度校验有错误 {len(errors)} 项，未导出任何文件（--strict）。"
                "请先修改，或去掉 --strict 导出。"
            )
            return 1

        def progress(_done: int, _total: int, text: str) -> None:
            if text.startswith("正在导出"):
                _say(text)

        result = export_year(
            db, unit_id, args.year, args.out, progress=progress, options={"unmask_personal_data": args.unmask}
        )
        if args.unmask:
            from app import oplog

            oplog.record(
                db,
                oplog.EXPORT_UNMASKED,
                f"命令行导出{unit_name} {args.year}年度材料（信访登记台账含完整个人信息）到“{result.folder}”",
                unit_id,
            )
        for line in export_summary(unit_name, args.year, result, findings):
            _say(line)
        return 0
    finally:
        db.dispose()


def export_summary(unit_name: str, year: int, result, findings: list) -> list[str]:
    """What `export` prints: the files written, then the 校验 errors the files carry and the
    一级指标 weights that differ from the rule set (the tables score the table's own)."""
    from app.exports.drafts import DRAFT, draft_files
    from app.registry import default_registry
    from app.services.budget.checks import is_rule_weight_warning

    lines = [f"已导出 {unit_name} {year} 年度的 {len(result.files)} 个文件到 {result.folder}："]
    lines += [f"  {path.relative_to(result.folder)}" for path in result.files]
    # The file lines stay bare paths (scripts read them); the drafts are listed after them.
    drafts = draft_files(default_registry(), result.by_exporter, findings)
    if drafts:
        lines.append(f"其中 {len(drafts)} 个文件为{DRAFT}（校验有错误，数字可能不对，改正后请重新导出）：")
        lines += [f"- {DRAFT}：{path.relative_to(result.folder)}" for path in result.files if path in drafts]
    errors = [f for f in findings if f.is_error]
    weights = [f for f in findings if is_rule_weight_warning(f)]
    if errors:
        lines.append(f"注意：导出时校验有错误 {len(errors)} 项，相关表格或报告中的内容可能不对：")
        lines += [f.text() for f in errors]
    if weights:
        lines.append("注意：以下一级指标的分值与评分规则不同，导出的表格按本表分值计分：")
        lines += [f.text() for f in weights]
    others = len(findings) - len(errors) - len(weights)
    if others:
        lines.append(f"另有警告 {others} 项，可运行 check 查看。")
    return lines


def _check(args: argparse.Namespace) -> int:
    from app.checks import run_checks

    db = _open(args)
    try:
        unit_id, unit_name = _unit_and_year(db, args)
        findings = run_checks(db, unit_id, args.year)
        errors = sum(1 for f in findings if f.is_error)
        for finding in findings:
            _say(finding.text())
        _say(f"{unit_name} {args.year} 年度校验完成：错误 {errors} 项，警告 {len(findings) - errors} 项。")
        return 1 if errors else 0
    finally:
        db.dispose()


def _restore(args: argparse.Namespace) -> int:
    from app.errors import UserError
    from app.opening import resolve_location
    from app.restore import BadBackupError, restore

    location = resolve_location(getattr(args, "db", None))
    if location.path is None:
        raise UserError(
            "当前使用 PostgreSQL 数据库：备份恢复只用于本机数据文件，服务器上的数据请由数据库管理员恢复。"
        )
    from app.protection.files import needs_password
    from app.protection.unlock import unlock_for_command_line

    if location.path.exists() and needs_password(location.path):
        unlock_for_command_line(location.path)  # the current file's key opens its own backups
    if args.backup.is_file() and needs_password(args.backup):
        unlock_for_command_line(args.backup)
    try:
        result = restore(args.backup, location.path)
    except BadBackupError as exc:
        _say(f"错误：{exc}", sys.stderr)
        return 1
    _say(f"已用备份 {result.backup} 恢复数据文件 {result.target}。")
    if result.kept_copy is not None:
        _say(f"被替换的数据文件已另存为：{result.kept_copy}")
    else:
        _say("原来没有数据文件，无需另存副本。")
    if result.migration is not None:
        before, after = result.migration.before, result.migration.after
        _say(
            f"备份来自旧版本，已升级数据库结构（{before} → {after}），升级前的备份：{result.migration.backup}"
        )
    return 0


def shots_size(text: str) -> tuple[int, int]:
    """`1366x768` → (1366, 768), for `shots --size`."""
    import re

    from app.errors import UserError

    size = re.fullmatch(r"\s*(\d{3,5})\s*[xX×]\s*(\d{3,5})\s*", text)
    if size is None:
        raise UserError(f"窗口大小“{text}”应写成 宽x高，如 1366x768")
    return int(size[1]), int(size[2])


def shots_command(take_shots: Callable[..., int]) -> Callable[[argparse.Namespace], int]:
    """The `shots` command around the GUI code that takes them (ui/shots.py, which main.py passes in:
    app/ never imports the widgets)."""

    def run(args: argparse.Namespace) -> int:
        return take_shots(getattr(args, "db", None), args.out, shots_size(args.size), _say)

    return run


def _import(args: argparse.Namespace) -> int:
    from app.import_command import run

    return run(args, _say, _open)


def _protect(args: argparse.Namespace) -> int:
    from app.protect_command import run

    return run(args, _say)


_COMMANDS = {
    "demo": _demo,
    "export": _export,
    "check": _check,
    "restore": _restore,
    "import": _import,
    "protect": _protect,
}
