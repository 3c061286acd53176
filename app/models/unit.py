"""The unit (单位) and its profile for each working year (年度)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, VersionedMixin

UNIT_NATURES = (
    "行政单位",
    "参照公务员法管理事业单位",
    "全额拨款事业单位",
    "差额拨款事业单位",
    "自收自支事业单位",
    "其他",
)


class Unit(VersionedMixin, TimestampMixin, Base):
    """A reporting unit. Its name and credit code identify it; everything else is per year."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), default="")

    years: Mapped[list[UnitYear]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="UnitYear.year"
    )


class UnitYear(VersionedMixin, TimestampMixin, Base):
    """The unit's profile for one working year; every module keys its yearly data by this row."""

    __tablename__ = "unit_year"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)

    supervisor: Mapped[str] = mapped_column(String(200), default="")  # 主管部门
    nature: Mapped[str] = mapped_column(String(50), default="")  # 单位性质
    departments: Mapped[int | None] = mapped_column(Integer)  # 内设机构数
    staff_quota: Mapped[int | None] = mapped_column(Integer)  # 编制数
    staff_actual: Mapped[int | None] = mapped_column(Integer)  # 在职人数
    retired: Mapped[int | None] = mapped_column(Integer)  # 退休人数
    head: Mapped[str] = mapped_column(String(50), default="")  # 负责人
    preparer: Mapped[str] = mapped_column(String(50), default="")  # 填表人
    phone: Mapped[str] = mapped_column(String(40), default="")  # 联系电话
    note: Mapped[str] = mapped_column(Text, default="")

    unit: Mapped[Unit] = relationship(back_populates="years")
    duties: Mapped[list[UnitDuty]] = relationship(
        back_populates="unit_year",
        cascade="all, delete-orphan",
        order_by="UnitDuty.position",
        collection_class=ordering_list("position"),
    )


class UnitDuty(Base):
    """One item of the ordered 职能职责 list."""

    __tablename__ = "unit_duty"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_year_id: Mapped[int] = mapped_column(ForeignKey("unit_year.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")

    unit_year: Mapped[UnitYear] = relationship(back_populates="duties")
