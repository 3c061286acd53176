"""Filling indicator rows from a block of cells copied out of Excel/WPS (tab-separated, quoted
where a cell holds a line break). Clerks copy the 绩效指标 part of last year's form and paste it:
merged 一级/二级 cells arrive as blanks below their first row, "(30分)" rides along in the 一级
cell, numbers come as text.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.services.budget.data import Indicator
from app.services.budget.rules import RuleSet
from app.services.budget.scoring import suggest
from app.services.parsing import attempt, parse_score

# The form's column order: a block copied from the form maps onto these, from where it is pasted.
FORM_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")
FIELD_LABELS = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "reason": "偏差原因",
}
# At most 3 ASCII digits: "(30分)"; anything longer is not a weight (and would overflow the score column).
_LEVEL1 = re.compile(r"^(.*?)[(（]\s*(\d{1,3}(?:\.\d{1,2})?)\s*分\s*[)）]\s*$", re.ASCII)


def parse_block(text: str) -> list[list[str]]:
    """Rows of cells from clipboard text (Excel/WPS quote cells that contain line breaks)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    if not text:
        return []
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"')
    return [[cell.strip() for cell in row] for row in reader]


def split_level1(text: str) -> tuple[str, Decimal | None]:
    """ "产出指标\\n(30分)" → ("产出指标", 30)."""
    clean = re.sub(r"\s+", "", text)
    match = _LEVEL1.match(clean)
    if match:
        return match.group(1), Decimal(match.group(2))
    return clean, None


def _number(text: str, label: str) -> tuple[Decimal | None, str | None]:
    """A pasted 分值/得分 (0 … 100, rounded to two decimals as the form shows it) or why not."""
    return attempt(parse_score, text, label, round_places=True)


@dataclass
class PasteResult:
    first_row: int = -1
    last_row: int = -1
    appended: int = 0  # rows added at the end
    header_weights: dict[str, Decimal] = field(default_factory=dict)  # "(30分)" found in 一级 cells
    problems: list[str] = field(default_factory=list)


def paste_block(
    indicators: list[Indicator],
    row: int,
    start_field: str,
    block: list[list[str]],
    rules: RuleSet | None = None,
) -> PasteResult:
    """Write `block` into `indicators` from `row` (appending rows past the end), its first column
    going to `start_field` and the next ones to the following form columns. A pasted 得分 equal to
    the suggested one (under `rules`) is left to the suggestion rather than typed in."""
    result = PasteResult()
    if start_field not in FORM_FIELDS:
        result.problems.append("请选中表格中的一个单元格（一级指标至偏差原因各列）后再粘贴")
        return result
    fields = FORM_FIELDS[FORM_FIELDS.index(start_field) :]
    row = max(0, min(row, len(indicators)))
    level1 = indicators[row - 1].level1 if 0 < row <= len(indicators) else ""
    level2 = indicators[row - 1].level2 if 0 < row <= len(indicators) else ""
    for cells in block:
        if not any(cells):
            continue
        values = dict(zip(fields, cells, strict=False))
        if any(re.sub(r"\s+", "", v) == "总分" for v in values.values()):
            break
        if row >= len(indicators):
            indicators.append(Indicator())
            result.appended += 1
        ind = indicators[row]
        if result.first_row < 0:
            result.first_row = row
        result.last_row = row
        number = row + 1
        if "level1" in values:
            if values["level1"]:
                name, weight = split_level1(values["level1"])
                if name != level1:
                    level2 = ""
                level1 = name
                if weight is not None:
                    result.header_weights[name] = weight
            ind.level1 = level1
        if "level2" in values:
            if values["level2"]:
                level2 = re.sub(r"\s+", "", values["level2"])
            ind.level2 = level2
        for key in ("name", "target", "actual", "reason"):
            if key in values:
                setattr(ind, key, values[key].replace("\n", "") if key != "reason" else values[key])
        if "name" in values:
            name_blank = re.sub(r"[（(]?不适用[）)]?", "", ind.name).strip()
            ind.not_applicable = (
                "不适用" in ind.name and not values.get("target") and not values.get("actual")
            )
            if ind.not_applicable:
                ind.name = name_blank
        for key in ("weight", "score"):
            if key in values:
                value, error = _number(values[key], f"第{number}行{FIELD_LABELS[key]}")
                if error is None:
                    setattr(ind, key, None if ind.not_applicable else value)
                else:
                    result.problems.append(f"{error}，未粘贴")
        typed = ind.score
        if rules is not None and "score" in values and typed is not None:
            ind.score = None if suggest(ind.scoring_input(), rules).score == typed else typed
        row += 1
    return result
