"""信访登记 (to be built by its issue)."""

from __future__ import annotations

from ui.pages.placeholder import PlaceholderPage


class PetitionPage(PlaceholderPage):
    TITLE = "信访登记"
