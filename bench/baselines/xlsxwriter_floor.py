"""Hazard-ledger floor: the 隐患排查治理台账 of a year written by a bare script — the rows read
with the standard library's sqlite3, the cells and styles written with xlsxwriter directly — so
that the only work left is what any writer of that file must do.

    python bench/baselines/xlsxwriter_floor.py DB UNIT_ID YEAR TODAY OUT.xlsx

It writes the same workbook as app/exports/safety_ledgers.py::write_hazard_ledger (same rows,
values, formats, row heights, merges, widths, print setup); bench/scale.py checks that the two
worksheets are identical, so the floor cannot drift away from what the app writes.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from datetime import date

import xlsxwriter

SONG = "宋体"
BORDERED = {"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": SONG, "font_size": 10}
FORMATS = {  # in the order the app first uses them
    "title": {"bold": True, "font_name": SONG, "font_size": 16, "align": "center", "valign": "vcenter"},
    "subtitle": {"font_name": SONG, "font_size": 10, "align": "right", "valign": "vcenter"},
    "header": {**BORDERED, "bold": True, "align": "center", "bg_color": "#F2F2F2"},
    "int": {**BORDERED, "align": "center", "num_format": "0"},
    "text": {**BORDERED, "align": "left"},
    "date": {**BORDERED, "align": "center", "num_format": "yyyy-mm-dd"},
    "text_center": {**BORDERED, "align": "center"},
    "overdue": {**BORDERED, "align": "center", "font_color": "#C00000", "bold": True},
}
COLUMNS = [
    ("序号", 6),
    ("项目名称", 26),
    ("检查日期", 11),
    ("检查类型", 16),
    ("隐患描述", 32),
    ("隐患类别", 9),
    ("等级", 6),
    ("整改措施", 30),
    ("责任单位/人", 16),
    ("整改期限", 11),
    ("整改完成日期", 11),
    ("复查人", 8),
    ("状态", 12),
]
QUERY = """
SELECT p.name, h.found_on, i.kind, i.campaign, h.description, h.category, h.level, h.measures,
       h.responsible, h.deadline, h.rectified_on, h.reviewer, h.status
FROM safety_hazard h
JOIN safety_project p ON p.id = h.project_id
JOIN safety_inspection i ON i.id = h.inspection_id
WHERE h.unit_id = ? AND h.found_on <= ?
  AND (h.found_on >= ? OR (h.rectified_on IS NULL OR h.rectified_on >= ?))
ORDER BY h.found_on, h.id
"""
OPEN = ("待整改", "整改中")


NARROW = re.compile("[\x00-\u2e7f]+")


def tenths(text: str) -> int:
    """Tenths of a column-width unit: 18 for a CJK character, 10 for any other (as the app)."""
    return 10 * len(text) + 8 * len(NARROW.sub("", text))


def main() -> int:
    db, unit_id, year, today, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    start, end = f"{year}-01-01", f"{year}-12-31"
    rows = sqlite3.connect(db).execute(QUERY, (unit_id, end, start, start))
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    fmt = {name: book.add_format(props) for name, props in FORMATS.items()}
    ws = book.add_worksheet("隐患排查治理台账")
    widths = [w for _t, w in COLUMNS]
    tenth_widths = [10 * max(w - 1, 1) for w in widths]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    last = len(COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, f"{year}年度隐患排查治理台账", fmt["title"])
    ws.set_row(0, 36)
    unit_name = sqlite3.connect(db).execute("SELECT name FROM unit WHERE id = ?", (unit_id,)).fetchone()[0]
    info = f"填报单位：{unit_name}    统计期间：{year}年01月01日至{year}年12月31日"
    ws.merge_range(1, 0, 1, last, info + f"    导出日期：{date.today():%Y-%m-%d}", fmt["subtitle"])
    ws.set_row(1, 20)
    for col, (title, _w) in enumerate(COLUMNS):
        ws.write_string(2, col, title, fmt["header"])
    ws.set_row(2, 30)
    row = 2
    for number, values in enumerate(rows, start=1):
        (
            name,
            found,
            kind,
            campaign,
            text,
            category,
            level,
            measures,
            who,
            deadline,
            fixed,
            reviewer,
            status,
        ) = values
        row += 1
        overdue = status in OPEN and deadline < today
        late = status == "已整改" and fixed is not None and fixed > deadline
        status_text = f"{status}（逾期）" if overdue else ("已整改（超期）" if late else status)
        cells = [
            (number, "int"),
            (name, "text"),
            (date.fromisoformat(found), "date"),
            (f"{kind}（{campaign}）" if campaign else kind, "text_center"),
            (text + ("（上期结转）" if found < start else ""), "text"),
            (category, "text_center"),
            (level, "overdue" if level == "重大" else "text_center"),
            (measures, "text"),
            (who, "text"),
            (date.fromisoformat(deadline), "date"),
            (date.fromisoformat(fixed) if fixed else None, "date"),
            (reviewer, "text_center"),
            (status_text, "overdue" if overdue else "text_center"),
        ]
        lines = 1
        for (value, _style), width in zip(cells, tenth_widths, strict=True):
            if isinstance(value, str) and value:
                lines = max(lines, -(-tenths(value) // width))
        ws.set_row(row, max(18, 13.5 * lines + 4))
        for col, (value, style) in enumerate(cells):
            if value is None or value == "":
                ws.write_blank(row, col, None, fmt[style])
            elif isinstance(value, int):
                ws.write_number(row, col, value, fmt[style])
            elif isinstance(value, date):
                ws.write_datetime(row, col, value, fmt[style])
            else:
                ws.write_string(row, col, value, fmt[style])
    ws.freeze_panes(3, 0)
    ws.autofilter(2, 0, max(row, 2), last)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(2, 2)
    ws.hide_gridlines(1)
    ws.set_margins(left=0.6, right=0.6, top=0.75, bottom=0.75)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")
    book.close()
    print(row - 2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
