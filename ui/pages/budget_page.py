"""预算绩效 (to be built by its issue)."""

from __future__ import annotations

from ui.pages.placeholder import PlaceholderPage


class BudgetPage(PlaceholderPage):
    TITLE = "预算绩效"
