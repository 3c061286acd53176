"""The app's modules, in navigation order, and `default_registry()`, which collects what each one
contributes (app/contributions.py has the shapes). This module sits above the modules: it imports
them, they never import it, so the module list has no import circle. Export, checks, example data
and the figure picker walk the registry: a module added to the list is included everywhere.
"""

from __future__ import annotations

from app.contributions import (
    Cancelled,
    Check,
    ExampleBuilder,
    ExportContext,
    Exporter,
    Figure,
    FigureSource,
    ProgressFn,
    Registry,
    YearCarryOver,
)

__all__ = [
    "Cancelled",
    "Check",
    "ExampleBuilder",
    "ExportContext",
    "Exporter",
    "Figure",
    "FigureSource",
    "ProgressFn",
    "Registry",
    "YearCarryOver",
    "default_registry",
]

_default: Registry | None = None


def default_registry() -> Registry:
    """The app's registry: every module, in navigation order (built once)."""
    global _default
    if _default is None:
        from app.services import budget, registers, reports, safety, unit

        registry = Registry()
        for module in (unit, budget, safety, registers, reports):  # each has register(registry)
            module.register(registry)
        _default = registry
    return _default
