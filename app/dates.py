"""Dates as Chinese text, built from the numbers: never through strftime or a format spec.

On Windows CPython hands a strftime format (also a date's format spec in an f-string or in
`format(d, spec)`) to the C runtime in the ANSI code page; on an English-locale PC a Chinese
character cannot be encoded there and the export dies with UnicodeEncodeError.
tests/unit/test_date_formats.py keeps such formats out of app/, ui/ and main.py.
"""

from __future__ import annotations

from datetime import date


def cn_date(value: date) -> str:
    """2024年1月2日: Arabic numerals without leading zeros, as 公文 (GB/T 9704) write dates."""
    return f"{value.year}年{value.month}月{value.day}日"
