"""报告导出 (to be built by its issue)."""

from __future__ import annotations

from ui.pages.placeholder import PlaceholderPage


class ReportsPage(PlaceholderPage):
    TITLE = "报告导出"
