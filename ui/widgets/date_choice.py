"""How a document's date is written: the export date (the default), a date the user sets, or blank
to be written by hand on the printout — the same three choices for 成文日期 and 填报日期."""

from __future__ import annotations

DATE_MODES = ("导出当天", "指定日期", "留空（手写）")
DATE_EXPORT, DATE_FIXED, DATE_BLANK = range(3)
