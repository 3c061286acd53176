"""Text that clerks paste in from WPS documents: numbered lists, stray whitespace."""

from __future__ import annotations

import re

# "（1）", "(1)", "1、", "1.", "1．", "一、", "①" … at the start of a pasted line.
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[（(]\s*[0-9一二三四五六七八九十]+\s*[）)]|[0-9]+\s*[、.．]|[一二三四五六七八九十]+\s*、|[①-⑳])\s*"
)


def strip_numbering(line: str) -> str:
    """Drop a leading list number and trailing list punctuation: "（3）负责…；" → "负责…"."""
    text = _LEADING_NUMBER.sub("", line.strip())
    return text.rstrip("；;。，, ").strip()


def split_numbered_lines(text: str) -> list[str]:
    """Split pasted text into items, one per non-empty line, numbering removed."""
    items = (strip_numbering(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return [item for item in items if item]
