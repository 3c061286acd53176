"""`main.py import KIND FILE --year Y …`: import a ledger (or the budget 自评表) from the command line.

Exit codes: 0 imported (with --dry-run: would import); 1 rows rejected, duplicates under
`--on-duplicate reject`, a year mismatch without --force-year, or something the file lacks that an
option must give (nothing written); 2 cannot run (file unreadable, over the limits, unknown kind).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.errors import UserError

KINDS = ("projects", "hazards", "documents", "petitions", "rectification", "budget")
DUPLICATE_CHOICES = ("skip", "update", "reject")
SHOWN = 200  # problems printed before "另有 N 处"


def add_parser(sub, db_help: str) -> None:
    parser = sub.add_parser(
        "import",
        help="从 Excel/WPS 台账导入（工程项目、隐患、执法文书、信访、巡察整改、预算绩效自评表）",
        description="导入单位已有的台账。KIND 为 projects（工程项目清单）、hazards（隐患排查整改台账）、"
        "documents（执法文书登记）、petitions（信访事项登记台账）、rectification（巡察整改台账）或 budget"
        "（预算绩效自评表）。先列出所用的列对应，再列出新建、更新、跳过的条数；有问题时逐条列出"
        "“工作表 第N行 第X列（列名）：问题”，不写入任何数据。"
        "退出码：0 已导入（--dry-run：可以导入）；1 有行不能导入、重复（--on-duplicate reject）、年度不符"
        "或缺少必要信息，未写入；2 无法运行（文件无法读取、超出限制、类型未知）。",
    )
    parser.add_argument("kind", metavar="KIND", help="台账类型：" + " ".join(KINDS))
    parser.add_argument("file", type=Path, metavar="FILE", help="台账文件（.xlsx、.xls、.csv）")
    parser.add_argument(
        "--year", type=int, required=True, metavar="Y", help="工作年度；单位还没有该年度时新建"
    )
    parser.add_argument("--db", metavar="PATH", help=db_help, default=argparse.SUPPRESS)
    parser.add_argument("--unit", metavar="名称或编号", help="单位（默认：数据库中的第一个单位）")
    parser.add_argument("--sheet", action="append", metavar="NAME", help="只导入这张工作表（可重复）")
    parser.add_argument(
        "--mapping",
        type=Path,
        metavar="FILE.json",
        help="列对应文件（JSON）："
        '{"sheets": {"*": {"header_rows": [3, 4], "columns": {"C": "found_on", "序号": null}}}, '
        '"values": {"status": {"OK": "已整改"}}}；--dry-run 列出可用的字段',
    )
    parser.add_argument(
        "--on-duplicate",
        choices=DUPLICATE_CHOICES,
        default="skip",
        help="已有相同记录时：skip 跳过（默认）、update 用文件中的内容更新、reject 不导入（退出码 1）",
    )
    parser.add_argument("--dry-run", action="store_true", help="只检查并列出将要导入的内容，不写入")
    parser.add_argument(
        "--inspection", metavar="NAME", default="", help="巡察整改台账所属的巡察（文件中未写明时）"
    )
    parser.add_argument(
        "--inspectors", metavar="NAMES", default="", help="隐患台账的检查人员（文件中未写明时）"
    )
    parser.add_argument(
        "--strict-values",
        action="store_true",
        help="选项列表中没有的值（新的类别、渠道、项目）作为错误，而不是新增",
    )
    parser.add_argument("--force-year", action="store_true", help="文件标题的年度与 --year 不同时仍导入")


def run(args: argparse.Namespace, say: Callable[..., None], open_db: Callable) -> int:
    import sys

    if args.kind not in KINDS:
        raise UserError(f"未知的台账类型“{args.kind}”（可用：{'、'.join(KINDS)}）")
    if not args.file.is_file():
        raise UserError(f"找不到文件“{args.file}”")
    db = open_db(args)
    try:
        from app.opening import resolve_unit

        with db.session() as session:
            unit = resolve_unit(session, args.unit)
            unit_id, unit_name = unit.id, unit.name

        def ensure_year() -> None:
            if _ensure_year(db, unit_id, args.year):
                say(f"已为单位“{unit_name}”新建{args.year}年度。")

        if args.kind == "budget":
            return _budget(db, unit_id, args, say, ensure_year)
        return _ledger(db, unit_id, args, say, sys.stderr, ensure_year)
    finally:
        db.dispose()


def _has_year(db, unit_id: int, year: int) -> bool:
    from app.services.unit import years_of

    with db.session() as session:
        return year in years_of(session, unit_id)


def _ensure_year(db, unit_id: int, year: int) -> bool:
    """Add the working year when the unit has none yet (carrying the profile over from the year
    before, as 新建年度 does); True when it was added."""
    from app.registry import default_registry
    from app.services.unit import add_year, previous_year, years_of

    with db.session() as session:
        years = years_of(session, unit_id)
    if year in years:
        return False
    add_year(db, unit_id, year, previous_year(years, year), default_registry())
    return True


def _ledger(db, unit_id: int, args: argparse.Namespace, say, err, ensure_year) -> int:
    from app.importers.ledgers.model import ImportOptions
    from app.importers.ledgers.plan import ImportRefused, apply_plan, plan_import, read_mapping_file

    options = ImportOptions(
        year=args.year,
        sheets=args.sheet or None,
        inspection=args.inspection.strip(),
        inspectors=args.inspectors.strip(),
        strict_values=args.strict_values,
        force_year=args.force_year,
        mapping=read_mapping_file(args.mapping) if args.mapping else None,
    )
    plan = plan_import(db, unit_id, args.kind, args.file, options)
    say(f"{plan.kind.label}：{args.file.name}")
    previous: list[str] = []
    for sheet in plan.sheets:
        assert sheet.header is not None
        rows = f"第{sheet.header.first_row}行" + (
            f"–第{sheet.header.last_row}行" if sheet.header.last_row != sheet.header.first_row else ""
        )
        origin = "（沿用上次导入同样表头时的对应）" if sheet.remembered else ""
        lines = sheet.mapping_lines(plan.kind)
        same = lines == previous
        say(
            f"工作表“{sheet.title}”：表头在{rows}，数据 {len(sheet.rows)} 行{origin}；列对应"
            + ("同上" if same else "：")
        )
        if not same:
            for line in lines:
                say(line)
        previous = lines
    if args.dry_run:
        say("可用的字段：" + "、".join(f"{f.key}（{f.label}）" for f in plan.kind.fields))
    for title, why in plan.left_out.items():
        say(f"未导入工作表“{title}”：{why}")
    for label, names in plan.additions.items():
        if names:
            say(f"将新增{label} {len(names)} 个：{'、'.join(names[:20])}{'等' if len(names) > 20 else ''}")
    reasons = plan.blockers(args.on_duplicate)
    if reasons:
        hint = "（确认无误请加 --force-year）"
        _refused([r + hint if r == plan.year_mismatch else r for r in reasons], say, err)
        return 1
    if not args.dry_run:
        ensure_year()
    try:
        result = apply_plan(db, unit_id, plan, args.on_duplicate, dry_run=args.dry_run)
    except ImportRefused as refused:
        _refused(refused.reasons, say, err)
        return 1
    for note in result.notes[:SHOWN]:
        say(f"提示：{note}")
    if len(result.notes) > SHOWN:
        say(f"另有提示 {len(result.notes) - SHOWN} 条。")
    lead = "试导入（--dry-run，未写入）" if args.dry_run else f"已导入（批次 {result.batch_id}）"
    say(f"{lead}：")
    for line in result.counts.lines():
        say(f"  {line}")
    return 0


def _refused(reasons: list[str], say, err) -> None:
    for reason in reasons[:SHOWN]:
        say(reason, err)
    if len(reasons) > SHOWN:
        say(f"另有 {len(reasons) - SHOWN} 处问题未列出。", err)
    say(f"有 {len(reasons)} 处问题，未写入任何数据。请改正文件或选项后重新导入。", err)


def _budget(db, unit_id: int, args: argparse.Namespace, say, ensure_year) -> int:
    import sys

    from app.importers.budget_xlsx import apply_import, plan_files

    # The 自评表 is planned against the year's current figures: a year the unit lacks is added
    # first (and said so), except for a dry run, which writes nothing.
    if args.dry_run and not _has_year(db, unit_id, args.year):
        say(
            f"单位还没有{args.year}年度，试导入无法与该年度的数字核对，未写入任何数据。"
            "去掉 --dry-run 导入时将新建该年度（或先在程序中新建年度）。",
            sys.stderr,
        )
        return 1
    ensure_year()

    plan = plan_files(db, unit_id, args.year, [args.file])
    for problem in plan.problems:
        say(problem.text(), sys.stderr if problem.is_error else None)
    for change in plan.check_changes:
        say(f"导入后校验{change.line()}")
    if plan.has_errors:
        say("有无法读取的内容，未写入任何数据。", sys.stderr)
        return 1
    mismatch = plan.year_mismatch
    if mismatch and not args.force_year:
        say(f"{mismatch}。未写入任何数据；确认无误请加 --force-year。", sys.stderr)
        return 1
    if args.dry_run:
        say(f"试导入（--dry-run，未写入）：可以导入到{args.year}年度。")
        return 0
    apply_import(db, unit_id, args.year, plan, force_year=args.force_year)
    say(f"已导入预算绩效自评表到{args.year}年度。")
    return 0
