"""Reading the values clerks write in their ledgers: each reader takes a cell's value (text, int,
float, date, datetime, bool or None) and a Chinese label, and returns the typed value, None for a
blank, or raises `ParseError` naming the label. Numbers go through app.services.parsing.

Forms understood:
- Dates: a date or datetime cell; an Excel serial number (1900 system, 45363 → 2024-03-12, only
  1949–2100; also as text "45363", as a CSV holds it); an 8-digit number 20240312; text
  "2024-03-12", "2024/3/12", "2024.3.12", "2024.03.12", "2024年3月12日", "2024年3月12号",
  "20240312", with full-width digits, spaces and a trailing time ("2024-03-12 09:30",
  "2024-03-12T09:30:00") and a trailing "。"/"；" forgiven; "3月12日" / "3月12号" in `default_year` (never
  "3.12": that is a number). Refused: impossible dates ("2024.2.30"), dates outside 1949–2100,
  a month and day with no year given.
- Money in 万元: numbers; text "5120.36", "5,120.36", "5120.36万元", "5120.36万", "¥5,120.36万元",
  "51203600元" (÷10000), "0.5亿元" (×10000), "500千元" (÷10); rounded half up to 2 decimals.
- Area in m²: numbers; "3500㎡", "3500m²", "3500m2", "3500平方米", "3500平米", "12,000平方米",
  "2.85万㎡" / "2.85万平方米" (×10000); rounded half up to 2 decimals.
- Counts: 5, 5.0, "5", "5人", "5 人" (人/个/次/件/名/家/项/处/份/起/条/台/户/栋/本/组); 5.5 refused.
- Text: stripped at both ends, "\\r\\n" → "\\n", zero-width characters dropped; a number cell
  without a spurious ".0" (13800000000.0 → "13800000000"); a date cell as 2024-03-12.
- Yes/no: 是/否, 有/无（没有）, 对/错, ✓/√/✔/×/✗/✘, Y/N, yes/no, true/false, 1/0 (no guessing:
  "重复" is refused, a kind maps its own words through value_maps).
- Statuses (HAZARD_STATUS, PETITION_STATUS, PROBLEM_STATUS: canonical name → spellings), matched
  after folding full-width characters and dropping spaces and punctuation.
- In every number and date reader a lone "/", "-", "—" or "——" (a clerk's "not applicable") is blank.
- name_key: a project name's matching key ("城南（棚改）安置小区二期项目" = "城南(棚改)安置小区 二期").
- split_measures: "一是…；二是…", "一、…二、…", "（一）…（二）…", "1.… 2.…", "1、…\\n2、…",
  "（1）…（2）…", "①…②…" (numbered from 1 in order, the outermost numbering wins: "一是…（1）…
  （2）…二是…" is two measures), or one measure a line; an intro ending in a colon ("整改措施：")
  is dropped, other text before the first marker is a measure of its own.
- year_in: "2024年第一季度隐患台账" → 2024, "2023年度", "2024Q1", "2024-2025", "二〇二四年".
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from app.models.registers import PETITION_STATES, PROBLEM_STATES
from app.services.parsing import (
    COUNT_MAX,
    DATE_MAX,
    DATE_MIN,
    MAX_NUMBER_TEXT,
    MONEY_MAX,
    NUMBER_TEXT,
    ParseError,
    check_date,
    parse_count,
    parse_decimal,
    tidy_number_text,
)
from app.services.safety.constants import HAZARD_STATUSES

AREA_MAX = Decimal("10000000000")  # m²

HAZARD_STATUS: dict[str, tuple[str, ...]] = {
    "已整改": ("已整改", "已完成", "完成", "整改完成", "已销号", "销号", "✓", "√", "✔", "是", "已落实"),
    "整改中": ("整改中", "正在整改", "推进中", "部分整改", "限期整改中"),
    "待整改": ("待整改", "未整改", "未完成", "否", "×", "✗", "未落实"),
}
PETITION_STATUS: dict[str, tuple[str, ...]] = {
    "已办结": ("已办结", "办结", "已完成", "完成", "已答复", "结案", "已结案", "✓"),
    "办理中": ("办理中", "正在办理", "在办", "处理中", "已受理"),
    "待受理": ("待受理", "未受理", "新收"),
    "不予受理": ("不予受理", "不受理"),
    "已转送": ("已转送", "转送", "已转办", "转办"),
}
PROBLEM_STATUS: dict[str, tuple[str, ...]] = {
    "已完成": ("已完成", "完成", "已整改", "整改完成", "已销号", "✓", "√"),
    "整改中": ("整改中", "正在整改", "推进中", "持续推进"),
    "未启动": ("未启动", "未开始", "未整改"),
    "长期坚持": ("长期坚持", "长期整改", "持续整改", "长期"),
}
# The tables name exactly the states the models store.
assert set(HAZARD_STATUS) == set(HAZARD_STATUSES)
assert set(PETITION_STATUS) == set(PETITION_STATES)
assert set(PROBLEM_STATUS) == set(PROBLEM_STATES)

# Full-width ASCII (！…～) to ASCII, the ideographic space to a space.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_ZERO_WIDTH = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
_SPACES = re.compile(r"\s+")
_NOT_APPLICABLE = frozenset({"/", "-", "—", "——", "\\", "--"})


def _fold(text: str) -> str:
    return text.translate(_ZERO_WIDTH).translate(_FOLD)


def _shown(value: object) -> str:
    text = str(value).strip()
    return text if len(text) <= 20 else text[:20] + "…"


# ---- dates -------------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61 = 1900-03-01 (Excel counts a 1900-02-29 that never was)
_SERIAL_MIN = (DATE_MIN - _EXCEL_EPOCH).days
_SERIAL_MAX = (DATE_MAX - _EXCEL_EPOCH).days
_TIME = re.compile(r"(?:[T\s]+|(?<=[日号\d]))\d{1,2}(?::\d{1,2}){1,2}(?:\.\d+)?\s*$", re.ASCII)
_FULL_DATE = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})[日号]?", re.ASCII)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})[日号]", re.ASCII)
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?", re.ASCII)


def _make_date(year: int, month: int, day: int, label: str, shown: str) -> date:
    try:
        made = date(year, month, day)
    except ValueError:
        raise ParseError(f"{label}“{shown}”不是有效日期") from None
    error = check_date(made, label)
    if error:
        raise ParseError(error)
    return made


def _from_serial(serial: float | Decimal, label: str, shown: str) -> date:
    if not _SERIAL_MIN <= serial < _SERIAL_MAX + 1:
        raise ParseError(f"{label}“{shown}”不是有效日期（应在{DATE_MIN.year}年至{DATE_MAX.year}年之间）")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def read_date(value: object, label: str, *, default_year: int | None) -> date | None:
    """A date as a cell holds it or a clerk writes it (see the module docstring); blank → None.
    `default_year` is the year of "3月12日"; None refuses such a date."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ParseError(f"{label}“{value}”不是有效日期")
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        error = check_date(value, label)
        if error:
            raise ParseError(error)
        return value
    if isinstance(value, (int, float, Decimal)):
        if not Decimal(value).is_finite():
            raise ParseError(f"{label}不是有效日期")
        if 10_000_000 <= value <= 99_999_999 and value == int(value):  # 20240312 typed as a number
            number = int(value)
            return _make_date(number // 10000, number // 100 % 100, number % 100, label, str(number))
        return _from_serial(value, label, _shown(value))
    shown = _shown(value)
    text = _fold(str(value)).strip()
    if not text or text in _NOT_APPLICABLE:
        return None
    text = _SPACES.sub("", _TIME.sub("", text)).rstrip("。.,;")
    if len(text) > 40:
        raise ParseError(f"{label}“{shown}”无法识别为日期（可填 2024-03-12、2024.3.12、2024年3月12日）")
    match = _FULL_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        year, month, day = (int(group) for group in match.groups())
        return _make_date(year, month, day, label, shown)
    match = _MONTH_DAY.fullmatch(text)
    if match:
        if default_year is None:
            raise ParseError(f"{label}“{shown}”缺少年份")
        month, day = (int(group) for group in match.groups())
        return _make_date(default_year, month, day, label, shown)
    if _SERIAL_TEXT.fullmatch(text):
        return _from_serial(Decimal(text), label, shown)
    raise ParseError(f"{label}“{shown}”无法识别为日期（可填 2024-03-12、2024.3.12、2024年3月12日）")


# ---- numbers with units ------------------------------------------------------------------------

_MONEY_UNITS = (("亿元", Decimal(10000)), ("亿", Decimal(10000)), ("万元", Decimal(1)), ("万", Decimal(1)))
_MONEY_UNITS += (("千元", Decimal("0.1")), ("元", Decimal("0.0001")))
_AREA_BASE = ("平方米", "平方", "平米", "㎡", "m²", "m2")
_AREA_UNITS = tuple((f"万{unit}", Decimal(10000)) for unit in _AREA_BASE)
_AREA_UNITS += tuple((unit, Decimal(1)) for unit in _AREA_BASE)
_CURRENCY = ("¥", "￥", "rmb", "人民币")
_COUNT_UNITS = "人个次件名家项处份起条台户栋本组"


def _scaled(
    value: object, label: str, units: tuple[tuple[str, Decimal], ...], prefixes: tuple[str, ...]
) -> Decimal | object | None:
    """The number a text with a unit means, in the reader's unit; a non-text value as it is."""
    if not isinstance(value, str):
        return value
    text = tidy_number_text(_fold(value)).lower()
    if not text or text in _NOT_APPLICABLE:
        return None
    for prefix in prefixes:
        text = text.removeprefix(prefix)
    factor = Decimal(1)
    for unit, unit_factor in units:
        if text.endswith(unit):
            text, factor = text.removesuffix(unit), unit_factor
            break
    if len(text) > MAX_NUMBER_TEXT or not NUMBER_TEXT.fullmatch(text):
        raise ParseError(f"{label}“{_shown(value)}”不是数字")
    return Decimal(text) * factor


def read_money_wan(value: object, label: str) -> Decimal | None:
    """An amount in 万元 (2 decimals, rounded half up); "元" and "亿元" amounts are converted."""
    number = _scaled(value, label, _MONEY_UNITS, _CURRENCY)
    return parse_decimal(number, label, maximum=MONEY_MAX, places=2, round_places=True)


def read_area_m2(value: object, label: str) -> Decimal | None:
    """An area in m² (2 decimals, rounded half up); "万㎡" areas are converted."""
    number = _scaled(value, label, _AREA_UNITS, ())
    return parse_decimal(number, label, maximum=AREA_MAX, places=2, round_places=True)


def read_count(value: object, label: str) -> int | None:
    """A whole number, perhaps with a unit word ("5人"); 5.5 is refused."""
    if isinstance(value, str):
        text = tidy_number_text(_fold(value)).rstrip(_COUNT_UNITS)
        if not text or text in _NOT_APPLICABLE:
            return None
        if len(text) <= MAX_NUMBER_TEXT and NUMBER_TEXT.fullmatch(text):
            return parse_count(Decimal(text), label, maximum=COUNT_MAX)
        raise ParseError(f"{label}“{_shown(value)}”应为整数")
    return parse_count(value, label, maximum=COUNT_MAX)


# ---- text, yes/no, statuses --------------------------------------------------------------------


def read_text(value: object, label: str, limit: int) -> str:
    """Text as it should be stored: "" for a blank; longer than `limit` → ParseError."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            text = ""
        elif value == int(value) and abs(value) < 1e16:
            text = str(int(value))
        else:
            text = format(value, ".15g")
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.translate(_ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limit:
        raise ParseError(f"{label}超过{limit}字")
    return text


def _word(text: str) -> str:
    """A word folded for matching: full-width folded, lower case, spaces and punctuation dropped."""
    folded = _fold(text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZC")


_YES = ("是", "有", "对", "✓", "√", "✔", "y", "yes", "true", "1")
_NO = ("否", "无", "没有", "错", "×", "✗", "✘", "n", "no", "false", "0")
_YES_NO = {_word(word): True for word in _YES} | {_word(word): False for word in _NO}


def read_yes_no(value: object, label: str) -> bool | None:
    """是/否 and their spellings (see the module docstring); blank → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)) and value in (0, 1):
        return value == 1
    word = _word(str(value))
    if not word:
        return None
    if word in _YES_NO:
        return _YES_NO[word]
    raise ParseError(f"{label}“{_shown(value)}”无法识别（可填：是、否）")


@lru_cache(maxsize=32)
def _status_index(items: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, spellings in items:
        for spelling in (canonical, *spellings):
            index.setdefault(_word(spelling), canonical)
    return index


_STATUS_REMARK = re.compile(r"[（(【\[].*?[）)】\]]")


def read_status(value: object, label: str, table: dict[str, tuple[str, ...]]) -> str | None:
    """The canonical name of a status (`table`: canonical → spellings); blank → None."""
    if value is None:
        return None
    text = read_text(value, label, 10_000)
    word = _word(text)
    if not word:
        return None
    index = _status_index(tuple(table.items()))
    found = index.get(word)
    if found is None:
        # "已办结\n按期", "整改中（超期）": the status, then a remark on its timeliness
        first = _STATUS_REMARK.sub("", text.strip().splitlines()[0])
        found = index.get(_word(first))
    if found is None:
        raise ParseError(f"{label}“{_shown(value)}”无法识别（可填：{'、'.join(table)}）")
    return found


# ---- names, measures, years --------------------------------------------------------------------

_NAME_ENDINGS = ("项目", "工程")


def name_key(text: str) -> str:
    """A project name's matching key: full-width and brackets folded, spaces and punctuation
    dropped, latin lower-cased, a trailing 项目/工程 dropped."""
    key = "".join(
        ch for ch in unicodedata.normalize("NFKC", text).lower() if unicodedata.category(ch)[0] not in "PZC"
    )
    while True:
        for ending in _NAME_ENDINGS:
            if key.endswith(ending) and len(key) > len(ending):
                key = key.removesuffix(ending)
                break
        else:
            return key


_CN_DIGITS = {ch: number for number, ch in enumerate("零一二三四五六七八九")} | {"〇": 0}
_CN_NUMBER = "[一二三四五六七八九十]{1,3}"


def _cn_number(text: str) -> int | None:
    """一 … 九十九 (as ordinals are written: 十一, 二十, 二十三)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        if "十" in ones or len(tens) > 1 or len(ones) > 1:
            return None
        return (_CN_DIGITS.get(tens, -100) if tens else 1) * 10 + (_CN_DIGITS.get(ones, -100) if ones else 0)
    return _CN_DIGITS.get(text) if len(text) == 1 else None


def _ordinal(text: str) -> int | None:
    if text.isascii() and text.isdigit():
        return int(text)
    if len(text) == 1 and "\u2460" <= text <= "\u2473":  # ①…⑳
        return ord(text) - 0x245F
    return _cn_number(text)


_SEPARATORS = "；;。，,：:、\n "
# Marker families, from the outermost numbering to the innermost; group 1 is the ordinal. They
# run on the text with full-width characters folded ("（１）" reads as "(1)").
_MARKERS = (
    re.compile(rf"({_CN_NUMBER})是"),
    re.compile(rf"(?:^|(?<=[{_SEPARATORS}]))({_CN_NUMBER})[、.]"),
    re.compile(rf"\(\s*({_CN_NUMBER})\s*\)"),
    re.compile(r"(?:^|(?<![\d.(A-Za-z]))(\d{1,2})\s*[.、)](?!\d)"),
    re.compile(r"\(\s*(\d{1,2})\s*\)"),
    re.compile("([\u2460-\u2473])"),
)
_TRAILING = "；;。，,、：: \t\n"


def _sequence(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The markers numbered 1, 2, 3 … in order (others are text that only looks like one)."""
    picked: list[re.Match[str]] = []
    for match in pattern.finditer(text):
        if _ordinal(match.group(1)) == len(picked) + 1:
            picked.append(match)
    return picked


def _clean_measure(text: str) -> str:
    return text.strip().rstrip(_TRAILING).strip()


def split_measures(text: str) -> list[str]:
    """A 整改措施 cell as its measures, numbering markers and trailing separators removed (the
    text otherwise kept as written); an intro ending in a colon ("整改措施：") is dropped; a text
    without markers is one measure a line."""
    text = text.translate(_ZERO_WIDTH).replace("\r\n", "\n").replace("\r", "\n").strip()
    folded = text.translate(_FOLD)  # one character for one: positions stay those of `text`
    for pattern in _MARKERS:
        markers = _sequence(pattern, folded)
        if len(markers) >= 2 or (markers and markers[0].start() == 0):
            intro = text[: markers[0].start()].strip()
            parts = [] if intro.endswith(("：", ":")) else [intro]
            for marker, following in zip(markers, [*markers[1:], None], strict=True):
                parts.append(text[marker.end() : following.start() if following else len(text)])
            return [part for part in map(_clean_measure, parts) if part]
    return [line for line in map(_clean_measure, text.split("\n")) if line]


_YEAR = re.compile(r"(?<!\d)(\d{4})(?=\s*年|[Qq][1-4]|\s*[-—~～至])", re.ASCII)
_CN_YEAR = re.compile("([〇零一二三四五六七八九]{4})\\s*年")
YEAR_MIN, YEAR_MAX = 1990, 2100


def year_in(text: str) -> int | None:
    """The first year 1990–2100 a title or file name names ("2024年…", "2024Q1", "2024-2025")."""
    text = _fold(text)
    found: list[tuple[int, int]] = []
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if YEAR_MIN <= year <= YEAR_MAX:
            found.append((match.start(), year))
            break
    for match in _CN_YEAR.finditer(text):
        year = int("".join(str(_CN_DIGITS[ch]) for ch in match.group(1)))
        if YEAR_MIN <= year <= YEAR_MAX:
            found.append((match.start(), year))
            break
    return min(found)[1] if found else None
