"""The safety module's services (filled in by its issue)."""

from __future__ import annotations

from app.registry import Registry


def register(registry: Registry) -> None:
    """Add this module's exporters, checks, example data and new-year carry-over."""
