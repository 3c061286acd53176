"""Year-package baseline: write the cells and paragraphs described in SPEC.json (read back from
the app's own export by bench/year_package.py) with openpyxl and python-docx directly.

    python bench/baselines/rewrite_package.py SPEC.json OUT_DIR
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path


def write_xlsx(path: Path, spec: dict) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    book = openpyxl.Workbook()
    book.remove(book.active)
    styles: dict = {}
    for sheet in spec["sheets"]:
        ws = book.create_sheet(sheet["title"])
        for letter, width in sheet["widths"].items():
            ws.column_dimensions[letter].width = width
        for row, col, value, style in sheet["cells"]:
            if isinstance(value, dict):
                value = datetime.fromisoformat(value["date"])
            cell = ws.cell(row=row, column=col, value=value)
            key = json.dumps(style, sort_keys=True)
            if key not in styles:
                name, size, bold = style["font"]
                horizontal, vertical, wrap = style["align"]
                styles[key] = (
                    Font(name=name, sz=size, b=bold),
                    Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap),
                )
            cell.font, cell.alignment = styles[key]
            if style["border"]:
                cell.border = box
            cell.number_format = style["format"]
        for merged in sheet["merged"]:
            ws.merge_cells(merged)
    book.save(path)


def write_docx(path: Path, spec: dict) -> None:
    import docx

    document = docx.Document()
    for block in spec["blocks"]:
        if block[0] == "p":
            _kind, style, alignment, text = block
            try:
                paragraph = document.add_paragraph(text, style=style)
            except KeyError:
                paragraph = document.add_paragraph(text)
            paragraph.alignment = alignment
        else:
            rows = block[1]
            table = document.add_table(rows=len(rows), cols=max((len(r) for r in rows), default=1))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    document.save(str(path))


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    out = Path(sys.argv[2])
    for name, file_spec in spec.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (write_xlsx if file_spec["kind"] == "xlsx" else write_docx)(target, file_spec)
    return 0


if __name__ == "__main__":
    sys.exit(main())
