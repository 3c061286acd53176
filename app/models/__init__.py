"""All ORM models. Importing this package registers every table on `Base.metadata`."""

from app.models import budget, registers, reports, safety, unit  # noqa: F401
from app.models.base import Base, Money, ScaledDecimal
from app.models.unit import Unit, UnitDuty, UnitYear

__all__ = ["Base", "Money", "ScaledDecimal", "Unit", "UnitDuty", "UnitYear"]
