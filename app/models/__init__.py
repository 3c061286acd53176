"""ORM models, one module per part of the app.

Importing this package maps only the unit tables (what start-up needs); each module's models
are mapped when that module is first used. `load_all()` maps every table, for whatever needs the
whole schema (migrations, metadata comparisons).
"""

from app.models import unit  # noqa: F401 - every other module's tables refer to unit / unit_year
from app.models.base import Base, Money, ScaledDecimal
from app.models.unit import Unit, UnitDuty, UnitYear

MODULES = ("unit", "budget", "safety", "registers", "reports", "imports", "oplog")


def load_all() -> type[Base]:
    """Import every model module, so that Base.metadata holds the whole schema."""
    import importlib

    for name in MODULES:
        importlib.import_module(f"app.models.{name}")
    return Base


__all__ = ["Base", "Money", "ScaledDecimal", "Unit", "UnitDuty", "UnitYear", "load_all"]
