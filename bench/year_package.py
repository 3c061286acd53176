"""Year package: exporting every table and report of the example unit (target: under 2 s on
2 cores), against a script that writes the same cells and paragraphs with openpyxl/python-docx
directly (target: at most ×1.5).

Both sides run as whole fresh processes (`main.py export …` and bench/baselines/rewrite_package.py).
The baseline's input is read back from the app's own output before timing: for every .xlsx the
cells with their values, fonts, borders, alignment, number formats, merged ranges and column
widths; for every .docx the paragraphs (style, alignment, text) and tables (cell text). So the
benchmark follows whatever the registered exporters write, and needs no change as modules land.
"""

from __future__ import annotations

import json
import shutil
import statistics
from pathlib import Path

from bench.common import PYTHON, ROOT, Result, Run, measured_run, pending, qt_env
from bench.encryption import encrypted_copy, with_password
from bench.startup import example_database

BASELINE = ROOT / "bench" / "baselines" / "rewrite_package.py"


def describe_xlsx(path: Path) -> dict:
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheets = []
    for ws in book.worksheets:
        cells = []
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                font, align, border = cell.font, cell.alignment, cell.border
                value = cell.value
                if hasattr(value, "isoformat"):
                    value = {"date": value.isoformat()}
                cells.append(
                    [
                        cell.row,
                        cell.column,
                        value,
                        {
                            "font": [font.name, font.sz, bool(font.b)],
                            "align": [align.horizontal, align.vertical, bool(align.wrap_text)],
                            "border": bool(border.left.style or border.top.style),
                            "format": cell.number_format,
                        },
                    ]
                )
        sheets.append(
            {
                "title": ws.title,
                "cells": cells,
                "merged": [str(r) for r in ws.merged_cells.ranges],
                "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.width},
            }
        )
    return {"kind": "xlsx", "sheets": sheets}


def describe_docx(path: Path) -> dict:
    import docx

    document = docx.Document(str(path))
    blocks = []
    for paragraph in document.paragraphs:
        blocks.append(["p", paragraph.style.name, paragraph.alignment, paragraph.text])
    for table in document.tables:
        blocks.append(["t", [[cell.text for cell in row.cells] for row in table.rows]])
    return {"kind": "docx", "blocks": blocks}


def describe(folder: Path) -> dict:
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            files[str(path.relative_to(folder))] = describe_xlsx(path)
        elif path.suffix == ".docx":
            files[str(path.relative_to(folder))] = describe_docx(path)
    return files


def run(work: Path, runs: int) -> list[Result]:
    from app.db import Database, location_for
    from app.exports.package import select_exporters
    from app.registry import default_registry
    from app.services.unit import first_unit

    db_path = example_database(work)
    db = Database(location_for(db_path))
    try:
        with db.session() as session:
            unit_id = first_unit(session).id
        exporters = select_exporters(db, unit_id, 2023, default_registry(), None)
    finally:
        db.dispose()
    if not exporters:
        return [pending("year-package", "the exporters of the budget, safety, registers and reports modules")]
    spec_file = work / "package-spec.json"
    out = work / "package-app"
    export = [
        PYTHON,
        str(ROOT / "main.py"),
        "export",
        "--year",
        "2023",
        "--out",
        str(out),
        "--db",
        str(db_path),
    ]
    env = qt_env(work / "data")
    measured_run(export, env=env)  # warm-up: .pyc files, file cache
    spec_file.write_text(json.dumps(describe(out), ensure_ascii=False), encoding="utf-8")
    base_command = [PYTHON, str(BASELINE), str(spec_file), str(work / "package-base")]
    measured_run(base_command, env=env)
    locked = encrypted_copy(db_path, work / "example-encrypted.sqlite3")
    locked_out = work / "package-encrypted"
    locked_export = [*export[:-1], str(locked)]
    locked_export[locked_export.index(str(out))] = str(locked_out)
    locked_env = with_password(env)
    measured_run(locked_export, env=locked_env)
    app_runs: list[Run] = []
    base_runs: list[Run] = []
    locked_runs: list[Run] = []
    for _ in range(max(3, runs // 2)):
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(locked_out, ignore_errors=True)
        app_runs.append(measured_run(export, env=env))
        base_runs.append(measured_run(base_command, env=env))
        locked_runs.append(measured_run(locked_export, env=locked_env))
    titles = "、".join(e.title for e in exporters)
    files = sum(1 for p in out.rglob("*") if p.suffix in (".xlsx", ".docx"))
    cpu = ""
    if app_runs[0].cpu is not None:
        app_cpu = statistics.median(r.cpu for r in app_runs)  # type: ignore[type-var]
        base_cpu = statistics.median(r.cpu for r in base_runs)  # type: ignore[type-var]
        cpu = f"; CPU {app_cpu:.2f} s vs {base_cpu:.2f} s, CPU-time ratio ×{app_cpu / base_cpu:.2f}"
    return [
        Result(
            "year-package.export",
            statistics.median(r.wall for r in app_runs),
            statistics.median(r.wall for r in base_runs),
            target="< 2 s and ≤ ×1.50",
            paired_ratio=statistics.median(a.wall / b.wall for a, b in zip(app_runs, base_runs, strict=True)),
            note=f"{len(app_runs)} runs, whole processes; {files} files from {len(exporters)} exporters "
            f"({titles}){cpu}",
        ),
        encrypted_result("year-package.encrypted", locked_runs, app_runs, locked_out, files),
    ]


def encrypted_result(name: str, locked: list[Run], plain: list[Run], out: Path, files: int) -> Result:
    written = sum(1 for p in out.rglob("*") if p.suffix in (".xlsx", ".docx"))
    cpu = ""
    if locked[0].cpu is not None:
        ratio = statistics.median(r.cpu for r in locked) / statistics.median(r.cpu for r in plain)  # type: ignore[type-var]
        cpu = f"; CPU-time ratio ×{ratio:.2f}"
    return Result(
        name,
        statistics.median(r.wall for r in locked),
        statistics.median(r.wall for r in plain),
        target="≤ ×1.30",
        paired_ratio=statistics.median(a.wall / b.wall for a, b in zip(locked, plain, strict=True)),
        note=f"the same export on an encrypted copy (SQLCipher 4, ZJTB_PASSWORD); baseline: the "
        f"plaintext file in the same rounds; {written} files (plaintext {files}){cpu}",
    )
