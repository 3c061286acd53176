"""Hostile values, as a clerk, a paste from WPS or a damaged workbook can deliver them."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

# Digits that str.isdigit() or Decimal() accept but are not ASCII: circled, superscript, Arabic-Indic,
# Devanagari, Tamil, Thai, full-width (the last are forgiven by the parsers, the others refused).
ODD_DIGITS = "①②⑩²³¹٣٤٠۵०१௧๑０１２３４５６７８９"
NUMBER_CHARS = "0123456789.,，-+ eE%万元分人\u3000\t\n．－＋" + ODD_DIGITS

NAMED = st.sampled_from(
    [
        "NaN",
        "nan",
        "-NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        "1e999999",
        "1E+24",
        "1e23",
        "-1e-999999",
        "9" * 40,
        "9" * 41,
        "0." + "0" * 38 + "1",
        "1" + "0" * 12,
        "1" + "0" * 12 + ".01",
        "",
        " ",
        "—",
        "-0",
        "-0.00",
        "①",
        "²",
        "٣",
        "١٢٣",
        "１２３．４５",
        "1,234.50",
        "1，234.5",
        " 5万元 ",
        "10分",
        "100%",
        "12.345",
        "0x10",
        "1_000",
        "+.5",
        "5.",
        ".",
    ]
)

number_text = st.one_of(
    NAMED,
    st.text(alphabet=NUMBER_CHARS, max_size=45),
    st.from_regex(r"[+-]?[0-9]{1,45}(\.[0-9]{0,6})?", fullmatch=True),
    st.from_regex(r"[+-]?[0-9]{1,3}(\.[0-9]{1,3})?[eE][+-]?[0-9]{1,6}", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}(,[0-9]{3}){0,5}(\.[0-9]{1,3})?", fullmatch=True),
    st.integers(min_value=-(10**45), max_value=10**45).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=30),
)

hostile_value = st.one_of(
    number_text,
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**45), max_value=10**45),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(),
)

date_text = st.one_of(
    st.from_regex(r"[0-9]{1,5}[-./年][0-9]{1,3}[-./月][0-9]{1,3}日?", fullmatch=True),
    st.from_regex(r"[0-9]{6,10}", fullmatch=True),
    st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
    st.dates().map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.text(alphabet="0123456789-./年月日 " + ODD_DIGITS, max_size=14),
    st.text(max_size=14),
)

hostile_date = st.one_of(date_text, st.dates(), st.datetimes(), st.none(), st.integers(), st.floats())

any_date = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))


def batch(strategy: st.SearchStrategy, size: int) -> st.SearchStrategy:
    return st.lists(strategy, min_size=size, max_size=size)
