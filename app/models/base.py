"""Declarative base, naming convention and the column types shared by every model."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, String, func
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints: Alembic's batch mode on SQLite can only alter what has a name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal stored exactly as an integer count of 10**-scale units.

    SQLite has no exact decimal type (NUMERIC becomes a float there), so money is kept as whole
    hundredths of 万元 on every backend; sums in SQL stay exact and come back as Decimal.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 2) -> None:
        super().__init__()
        self.scale = scale
        self._factor = Decimal(10) ** scale
        self._quantum = Decimal(1).scaleb(-scale)

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        return int((value * self._factor).to_integral_value(rounding=ROUND_HALF_UP))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self._factor).quantize(self._quantum)


def Money() -> ScaledDecimal:
    """万元 with two decimals."""
    return ScaledDecimal(2)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), onupdate=func.now())


class VersionedMixin:
    """An editable record. `version` counts its saves: SQLAlchemy adds `WHERE version = <loaded>` to
    every UPDATE and DELETE, and the services refuse an edit made from a copy loaded before the last
    save (app/services/versions.py). `changed_by`/`changed_at` (the computer, local time) say who
    saved it last and when, for the message a refused edit gets."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    changed_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    changed_at: Mapped[datetime | None] = mapped_column(DateTime)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def station_name() -> str:
    """This computer, as colleagues know it (the Windows computer name, else the host name)."""
    import os
    import socket

    return (os.environ.get("COMPUTERNAME") or socket.gethostname() or "")[:100]


def stamp_changes(session: Session, _context: object, _instances: object) -> None:
    """before_flush: every versioned record written in this flush records where and when."""
    now = datetime.now().replace(microsecond=0)
    station = station_name()
    for obj in list(session.new) + [o for o in session.dirty if session.is_modified(o)]:
        if isinstance(obj, VersionedMixin):
            obj.changed_by, obj.changed_at = station, now
