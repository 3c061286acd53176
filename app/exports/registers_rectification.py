"""巡察反馈问题整改台账 (.xlsx): 问题清单, 任务清单, 时间清单, 责任清单, grouped by 方面, with the
state, 完成/销号 dates and evidence; a second sheet counts progress by 方面 and state."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app.contributions import ExportContext
from app.db import Database
from app.exports.atomic import safe_filename
from app.exports.registers_common import (
    add_ledger_formats,
    fit_row_height,
    print_landscape,
    write_single_file,
)
from app.exports.xlsx import XlsxBook
from app.models.registers import PROBLEM_STATES
from app.models.unit import Unit
from app.services.registers.common import (
    as_of_for_year,
    cn_ordinal,
    format_date_cn,
    format_period_cn,
    format_rate_prose,
    measure_lines,
)
from app.services.registers.rectification import (
    RectificationProgress,
    inspections_active_in,
    rectification_progress,
)

# (title, width, group header over it, style)
COLUMNS = (
    ("序号", 5, "", "ledger_center"),
    ("反馈问题", 30, "问题清单", "ledger_text"),
    ("整改措施", 52, "任务清单", "ledger_text"),
    ("整改时限", 11, "时间清单", "ledger_date"),
    ("责任领导", 8, "责任清单", "ledger_center"),
    ("牵头单位", 11, "责任清单", "ledger_center"),
    ("责任科室", 11, "责任清单", "ledger_center"),
    ("整改状态", 8, "", "ledger_center"),
    ("完成日期", 11, "", "ledger_date"),
    ("销号日期", 11, "", "ledger_date"),
    ("佐证材料", 22, "", "ledger_text"),
)


def progress_sentence(p: RectificationProgress) -> str:
    """共3个方面12项问题：已完成6项、长期坚持3项、整改中3项，完成率75%，已销号5项，超期2项。"""
    states = "、".join(f"{state}{p.count(state)}项" for state in PROBLEM_STATES if p.count(state))
    text = f"共{p.aspect_count}个方面{p.total}项问题：{states or '尚无问题'}"
    if p.total:
        text += f"，完成率{format_rate_prose(p.completion_rate)}，已销号{p.closed}项"
        text += f"，超期未完成{len(p.overdue)}项" if p.overdue else "，无超期未完成"
    return text + f"（截至{format_date_cn(p.as_of)}）。"


def write_rectification_ledger(path: Path, session: Session, unit_id: int, p: RectificationProgress) -> None:
    unit = session.get(Unit, unit_id)
    unit_name = unit.name if unit else ""
    last = len(COLUMNS) - 1
    with XlsxBook(path) as book:
        sheet = book.sheet("整改台账")
        add_ledger_formats(sheet)
        sheet.set_widths([c[1] for c in COLUMNS])
        sheet.write_title(0, 0, last, f"{p.name}反馈问题整改台账")
        facts = [f"被巡察单位：{unit_name}"]
        if p.team:
            facts.append(f"巡察组：{p.team}")
        if p.start_on or p.end_on:
            facts.append(f"巡察时间：{format_period_cn(p.start_on, p.end_on)}")
        if p.feedback_on:
            facts.append(f"反馈日期：{format_date_cn(p.feedback_on)}")
        sheet.ws.merge_range(1, 0, 1, last, "　".join(facts), sheet.fmt("ledger_subtitle"))
        sheet.ws.merge_range(2, 0, 2, last, progress_sentence(p), sheet.fmt("ledger_subtitle"))
        sheet.ws.set_row(1, 22)
        sheet.ws.set_row(2, 22)
        # Two header rows: the four 清单 above, the column titles below.
        col = 0
        while col <= last:
            group = COLUMNS[col][2]
            span = col
            while span + 1 <= last and group and COLUMNS[span + 1][2] == group:
                span += 1
            if group:
                sheet.merge(3, col, 3, span, group, "ledger_header")
                for c in range(col, span + 1):
                    sheet.write(4, c, COLUMNS[c][0], "ledger_header")
            else:
                sheet.merge(3, col, 4, col, COLUMNS[col][0], "ledger_header")
            col = span + 1
        r = 5
        # A 方面 without problems has no rows to head (its 0 still shows on the 整改进度 sheet).
        for index, aspect in enumerate((a for a in p.aspects if a.total), start=1):
            heading = f"{cn_ordinal(index)}、{aspect.title}（{aspect.total}项）"
            sheet.ws.merge_range(r, 0, r, last, heading, sheet.fmt("ledger_group"))
            sheet.ws.set_row(r, 22)
            r += 1
            for problem in aspect.problems:
                values = [
                    problem.number,
                    problem.description,
                    "\n".join(measure_lines(problem.measures)),
                    problem.due_on,
                    problem.leader,
                    problem.lead_unit,
                    problem.department,
                    problem.status + ("\n（超期）" if problem.overdue else ""),
                    problem.completed_on,
                    problem.closed_on,
                    problem.evidence + (f"\n（附件{problem.attachments}个）" if problem.attachments else ""),
                ]
                for c, value in enumerate(values):
                    style = COLUMNS[c][3]
                    if c == 7 and problem.overdue:
                        style = "ledger_overdue"
                    sheet.write(r, c, value, style)
                fit_row_height(sheet, r, values, [c[1] for c in COLUMNS])
                r += 1
        print_landscape(sheet, repeat_rows=(3, 4))
        sheet.ws.freeze_panes(5, 0)

        summary = book.sheet("整改进度", widths=[44, 9, 9, 9, 9, 9, 10])
        add_ledger_formats(summary)
        summary.write_title(0, 0, 6, f"{p.name}整改进度统计")
        summary.ws.merge_range(1, 0, 1, 6, progress_sentence(p), summary.fmt("ledger_subtitle"))
        summary.ws.set_row(1, 30)
        headers = ["方面", "问题数", *PROBLEM_STATES, "完成率"]
        for c, title in enumerate(headers):
            summary.write(2, c, title, "ledger_header")
        book.add_format("ledger_rate", {**_cell(), "align": "center", "num_format": "0.00%"})
        book.add_format("ledger_int", {**_cell(), "align": "center", "num_format": "0"})
        row = 3
        from app.services.calc import ratio

        for index, aspect in enumerate(p.aspects, start=1):
            summary.write(row, 0, f"{cn_ordinal(index)}、{aspect.title}", "ledger_text")
            summary.write(row, 1, aspect.total, "ledger_int")
            for c, state in enumerate(PROBLEM_STATES, start=2):
                summary.write(row, c, aspect.by_state.get(state, 0), "ledger_int")
            summary.write(row, 6, ratio(aspect.done, aspect.total), "ledger_rate")
            row += 1
        summary.write(row, 0, "合计", "ledger_center")
        summary.write(row, 1, p.total, "ledger_int")
        for c, state in enumerate(PROBLEM_STATES, start=2):
            summary.write(row, c, p.count(state), "ledger_int")
        summary.write(row, 6, p.completion_rate, "ledger_rate")
        summary.ws.merge_range(
            row + 1,
            0,
            row + 1,
            6,
            "说明：完成率＝（已完成＋长期坚持）÷问题数；“长期坚持”指阶段性整改任务已完成、需长期坚持的问题。",
            summary.fmt("ledger_subtitle"),
        )
        summary.ws.set_row(row + 1, 30)
        print_landscape(summary, landscape=False, repeat_rows=(2, 2))


def _cell() -> dict:
    from app.exports.xlsx import SONG

    return {"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": SONG, "font_size": 9}


def ledger_file_name(p: RectificationProgress) -> str:
    return safe_filename(f"{p.name}反馈问题整改台账.xlsx")


FOLDER = "巡察整改"  # the folder in the year package


def run_ledger(ctx: ExportContext) -> list[Path]:
    paths = []
    folder = ctx.out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with ctx.db.session() as session:
        ids = inspections_active_in(session, ctx.unit_id, ctx.year)
        for done, inspection_id in enumerate(ids):
            ctx.check_cancelled()
            progress = rectification_progress(session, inspection_id, as_of_for_year(ctx.year))
            ctx.progress(done, len(ids), f"正在导出：{progress.name}整改台账")
            name = ledger_file_name(progress)
            path = folder / name
            n = 1
            while path in paths:
                n += 1
                path = folder / name.replace(".xlsx", f"（{n}）.xlsx")
            write_rectification_ledger(path, session, ctx.unit_id, progress)
            paths.append(path)
    return paths


def applies(session: Session, unit_id: int, year: int) -> bool:
    return bool(inspections_active_in(session, unit_id, year))


def export_ledger_file(
    db: Database, unit_id: int, inspection_id: int, target: Path, today: date | None = None
) -> None:
    """The page's 导出整改台账 for one 巡察."""

    def write(staged: Path) -> None:
        with db.session() as session:
            progress = rectification_progress(session, inspection_id, today)
            write_rectification_ledger(staged, session, unit_id, progress)

    write_single_file(target, write)
