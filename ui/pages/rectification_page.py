"""巡察整改 (to be built by its issue)."""

from __future__ import annotations

from ui.pages.placeholder import PlaceholderPage


class RectificationPage(PlaceholderPage):
    TITLE = "巡察整改"
