"""安全监督 (to be built by its issue)."""

from __future__ import annotations

from ui.pages.placeholder import PlaceholderPage


class SafetyPage(PlaceholderPage):
    TITLE = "安全监督"
