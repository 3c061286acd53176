"""Finding a ledger sheet's header rows and mapping each column to a field of the kind.

Header texts are compared normalised: full-width forms made half-width (NFKC), spaces, line breaks
and required marks ("*") removed, bracketed notes and units ("（万元）", "(㎡)", "（必填）") dropped,
latin lower-cased. A header row is the row among the first 15 with the most cells matching some
field's synonym (at least two); a merged group cell above it ("整改情况" over 整改期限/完成时间) or
sub-labels below it make a multi-row header, whose texts are joined "整改情况/完成时间".
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any

from app.importers.ledgers.model import ColumnMatch, FieldSpec, HeaderGuess, RawSheet

HEADER_SEARCH_ROWS = 15
MIN_HEADER_MATCHES = 2
EXACT, CONTAINS, SIMILAR_LOW, SIMILAR_HIGH = 100, 80, 50, 70
SIMILAR_RATIO = 0.6
# A header longer than this is not compared by containment (titles and notes contain field words).
_CONTAINS_MAX = 12
_TALLY_ENDINGS = ("数", "数量", "个数", "次数", "率", "占比", "比例", "比重")
_LABEL_MAX = 20
# Serial-number columns: ignored unless a field names them (信访编号 lists 编号).
SERIAL_HEADERS = frozenset({"序号", "序", "编号", "行号", "顺序号", "no", "no.", "#", "序列号"})
SUBTOTAL_WORDS = ("合计", "小计", "总计", "累计", "共计")
_SUBTOTAL_CELLS = 3

_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_MARKS = re.compile(r"[*※:]")
_DATA_TEXT = re.compile(r"[\d\s.,:/\-+%年月日号]+")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def normalise_header(value: Any) -> str:
    """The comparable form of a header text: "项目总投资\n（万元）*" → "项目总投资"."""
    text = unicodedata.normalize("NFKC", _text(value))
    text = _SPACES.sub("", text)
    text = _MARKS.sub("", text)
    stripped = _BRACKETED.sub("", text)
    return (stripped or text).lower()


def shown_header(value: Any) -> str:
    """A header text as shown to the clerk: trimmed, line breaks and runs of spaces removed."""
    return _SPACES.sub(" ", _text(value).replace("\r", "").replace("\n", "")).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# -- scoring ---------------------------------------------------------------------------------------


def _score(header: str, synonym: str) -> int:
    """How well normalised `header` matches normalised `synonym`, 0–100."""
    if not header or not synonym:
        return 0
    if header == synonym:
        return EXACT
    shorter, longer = sorted((header, synonym), key=len)
    if len(shorter) >= 2 and len(header) <= _CONTAINS_MAX and shorter in longer:
        if header is longer and header.endswith(_TALLY_ENDINGS) and not synonym.endswith(_TALLY_ENDINGS):
            return 0  # "问题数", "完成率": a count or a rate of the thing, not the thing
        return CONTAINS
    matcher = difflib.SequenceMatcher(None, header, synonym)
    if matcher.real_quick_ratio() < SIMILAR_RATIO or matcher.quick_ratio() < SIMILAR_RATIO:
        return 0  # upper bounds of ratio(), much cheaper
    ratio = matcher.ratio()
    if ratio >= SIMILAR_RATIO:
        span = (ratio - SIMILAR_RATIO) / (1 - SIMILAR_RATIO)
        return SIMILAR_LOW + round(span * (SIMILAR_HIGH - SIMILAR_LOW))
    return 0


@cache
def _field_synonyms(spec: FieldSpec) -> frozenset[str]:
    return frozenset(normalise_header(text) for text in (spec.label, *spec.synonyms)) - {""}


@cache
def _all_synonyms(fields: tuple[FieldSpec, ...]) -> frozenset[str]:
    return frozenset().union(*(_field_synonyms(spec) for spec in fields))


def _field_score(header: str, spec: FieldSpec) -> int:
    """The best score of a column header (possibly "上级/下级") against a field. The lowest part says
    what the column holds; the group above only helps when joined with it ("整改" + "完成时间"): a
    field the group's own name matches ("整改情况/责任人" and 整改情况) must match the whole exactly."""
    # a row of units under the header adds nothing: "总投资/（万元）" is 总投资
    parts = [normalise_header(part) for part in header.split("/") if not _unit_only(part)]
    parts = [part for part in parts if part]
    if not parts:
        return 0
    synonyms = _field_synonyms(spec)
    if any("/".join(parts[start:]) in synonyms for start in range(len(parts))):
        return EXACT  # a header may hold a "/" itself: "责任单位/人"
    joined, upper = "".join(parts), "".join(parts[:-1])
    best = 0
    for synonym in synonyms:
        best = max(best, _score(parts[-1], synonym))
        if upper:
            score = _score(joined, synonym)
            best = max(best, 0 if score < EXACT and synonym in upper else score)
    return best


def _matches_any(value: Any, fields: Sequence[FieldSpec]) -> bool:
    if not isinstance(value, str):
        return False
    text = normalise_header(value)
    if not text or len(text) > _LABEL_MAX:
        return False
    synonyms = _all_synonyms(tuple(fields))
    if text in synonyms:
        return True
    if not 2 <= len(text) <= _CONTAINS_MAX:
        return False
    # what _score calls CONTAINS; similar spellings do not make a row a header
    return any(synonym in text or text in synonym for synonym in synonyms if len(synonym) >= 2)


# -- header rows -----------------------------------------------------------------------------------


def _runs(row: Sequence[Any]) -> list[tuple[int, int, Any]]:
    """The row's non-blank cells as runs of equal adjacent values: (first index, last index, value)."""
    runs: list[tuple[int, int, Any]] = []
    for index, value in enumerate(row):
        if _blank(value):
            continue
        if runs and runs[-1][1] == index - 1 and runs[-1][2] == value:
            runs[-1] = (runs[-1][0], index, value)
        else:
            runs.append((index, index, value))
    return runs


def _row_score(row: Sequence[Any], fields: Sequence[FieldSpec]) -> int:
    return sum(1 for _, _, value in _runs(row) if _matches_any(value, fields))


def _data_like(row: Sequence[Any]) -> bool:
    """Whether a row holds values rather than labels: a number, a date, a date or number as text."""
    for value in row:
        if isinstance(value, bool) or _blank(value):
            continue
        if isinstance(value, (int, float, date)):
            return True
        text = str(value).strip()
        if _DATA_TEXT.fullmatch(text) and any(ch.isdigit() for ch in text):
            return True
    return False


def _label_like(value: Any) -> bool:
    text = normalise_header(value)
    raw = unicodedata.normalize("NFKC", _text(value))
    return 0 < len(text) <= _LABEL_MAX and ":" not in raw


def _group_row_above(above: Sequence[Any], header: Sequence[Any]) -> bool:
    """A row of merged group cells over the header row: some label spans ≥ 2 columns, and every other
    label is the header's own (a cell merged down over both rows) or stands over a blank. A title
    merged across the width (or most of it) is not a group."""
    runs = _runs(above)
    if not runs or _data_like(above):
        return False
    if len(runs) == 1:
        first, last, _ = runs[0]
        labelled = sum(1 for value in header if not _blank(value))
        if (last - first + 1) * 2 > labelled:
            return False
    grouped = False
    for first, last, value in runs:
        if not _label_like(value):
            return False
        if first < last:
            grouped = True
        elif _at(header, first) != value and not _blank(_at(header, first)):
            return False
    return grouped


def _at(row: Sequence[Any], index: int) -> Any:
    return row[index] if 0 <= index < len(row) else None


def _unit_only(value: Any) -> bool:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", _text(value)))
    return bool(text) and not _BRACKETED.sub("", text)


def _sub_labels_below(below: Sequence[Any], header: Sequence[Any], fields: Sequence[FieldSpec]) -> bool:
    """Sub-labels under the header's group cells (or a row of units: "（万元）")."""
    cells = [(index, value) for index, value in enumerate(below) if not _blank(value)]
    if not cells or _data_like(below):
        return False
    if all(_unit_only(value) for _, value in cells):
        return True
    if not all(_label_like(value) for _, value in cells) or _row_score(below, fields) < 1:
        return False
    groups = [(first, last) for first, last, _ in _runs(header) if first < last]
    return any(
        first <= index <= last and value != _at(header, index)
        for index, value in cells
        for first, last in groups
    )


def detect_header(sheet: RawSheet, fields: tuple[FieldSpec, ...]) -> HeaderGuess | None:
    rows = sheet.rows[:HEADER_SEARCH_ROWS]
    scores = [_row_score(row, fields) for row in rows]
    if not scores or max(scores) < MIN_HEADER_MATCHES:
        return None
    best = scores.index(max(scores))
    first = last = best
    while first > 0 and best - first < 2 and _group_row_above(rows[first - 1], rows[first]):
        first -= 1
    while (
        last + 1 < len(sheet.rows)
        and last - best < 2
        and _sub_labels_below(sheet.rows[last + 1], sheet.rows[last], fields)
    ):
        last += 1
    return HeaderGuess(first + 1, last + 1, _title(sheet.rows[:first]))


def _title(rows: Sequence[Sequence[Any]]) -> str:
    seen: list[str] = []
    for row in rows:
        for value in row:
            text = shown_header(_shown_value(value))
            if text and text not in seen:
                seen.append(text)
    return " ".join(seen)


def _shown_value(value: Any) -> str:
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return _text(value)


def header_texts(sheet: RawSheet, first_row: int, last_row: int) -> list[str]:
    width = max((len(row) for row in sheet.rows), default=0)
    rows = sheet.rows[first_row - 1 : last_row]
    texts = []
    for column in range(width):
        parts: list[str] = []
        for row in rows:
            text = shown_header(_shown_value(_at(row, column)))
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        texts.append("/".join(parts))
    return texts


# -- columns ---------------------------------------------------------------------------------------


def map_columns(
    headers: list[str],
    fields: Sequence[FieldSpec],
    *,
    remembered: dict[int, str | None] | None = None,
) -> list[ColumnMatch]:
    """One ColumnMatch per non-blank header (column numbers 1-based); each field goes to one column at
    most, the best-scoring one (ties: the leftmost)."""
    remembered = remembered or {}
    known = {spec.key for spec in fields}
    chosen: dict[int, tuple[str | None, int]] = {}
    used: set[str] = set()
    for column, key in remembered.items():
        if 1 <= column <= len(headers) and headers[column - 1] and (key is None or key in known):
            chosen[column] = (key, EXACT if key else 0)
            if key:
                used.add(key)
    named_serials = {synonym for spec in fields for synonym in _field_synonyms(spec)} & SERIAL_HEADERS
    candidates: list[tuple[int, int, str]] = []
    for column, header in enumerate(headers, 1):
        if not header or column in chosen:
            continue
        lowest = normalise_header(header.split("/")[-1])
        if lowest in SERIAL_HEADERS and lowest not in named_serials:
            continue
        for spec in fields:
            score = _field_score(header, spec)
            if score:
                candidates.append((score, column, spec.key))
    for score, column, key in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if column not in chosen and key not in used:
            chosen[column] = (key, score)
            used.add(key)
    matches = []
    for column, header in enumerate(headers, 1):
        if header:
            key, confidence = chosen.get(column, (None, 0))
            matches.append(ColumnMatch(column, header, key, confidence))
    return matches


def layout_signature(kind_key: str, headers: Sequence[str]) -> str:
    """Names a header layout (the kind, and each non-blank header with its column), to remember the
    mapping a clerk chose for the next file laid out the same way."""
    parts = [kind_key] + [
        f"{column}={normalise_header(text)}" for column, text in enumerate(headers, 1) if text
    ]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


# -- rows ------------------------------------------------------------------------------------------


def is_blank_row(values: Sequence[Any]) -> bool:
    return all(_blank(value) for value in values)


def is_subtotal_row(values: Sequence[Any]) -> bool:
    """A 合计/小计/总计/累计/共计 row: one of its first three non-blank cells says so."""
    cells = [value for value in values if not _blank(value)][:_SUBTOTAL_CELLS]
    for value in cells:
        if isinstance(value, str):
            text = _SPACES.sub("", unicodedata.normalize("NFKC", value))
            if text.startswith(SUBTOTAL_WORDS):
                return True
    return False


def is_repeated_header(values: Sequence[Any], headers: Sequence[str]) -> bool:
    """The header row repeated mid-sheet (a printed ledger pasted together page by page): most of
    the labelled columns hold their own header text (or its lowest part)."""
    forms = _header_forms(tuple(headers))
    if not forms:
        return False
    same = 0
    for index, own in forms:
        value = _at(values, index)
        if isinstance(value, str) and value and normalise_header(value) in own:
            same += 1
    return same >= max(MIN_HEADER_MATCHES, (len(forms) + 1) // 2)


@cache
def _header_forms(headers: tuple[str, ...]) -> tuple[tuple[int, tuple[str, str]], ...]:
    """Each labelled column's header, normalised whole and its lowest part (once per sheet)."""
    return tuple(
        (index, (normalise_header(text), normalise_header(text.split("/")[-1])))
        for index, text in enumerate(headers)
        if text
    )
