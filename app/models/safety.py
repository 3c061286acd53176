"""Safety supervision (安全监督): supervised projects and their status history, inspections,
the hazards found in them, enforcement documents, work activities, and 工作量统计 figures.

Everything belongs to a unit, not to a year: a project runs over several years, and every
statistic is asked for a period (a quarter, a year, a range), so records carry their own dates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Money, ScaledDecimal, TimestampMixin, VersionedMixin


class SafetyProject(VersionedMixin, TimestampMixin, Base):
    """A supervised project (工程项目). `status`/`status_since` repeat the latest row of its
    status history so that lists can filter on them in SQL; the service keeps them in step."""

    __tablename__ = "safety_project"
    __table_args__ = (
        Index("ix_safety_project_unit_kind", "unit_id", "kind"),
        Index("ix_safety_project_unit_status", "unit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # 房屋建筑 / 市政基础设施 / 工业 / 装饰装修
    location: Mapped[str] = mapped_column(String(200), default="")
    developer: Mapped[str] = mapped_column(String(200), default="")  # 建设单位
    contractor: Mapped[str] = mapped_column(String(200), default="")  # 施工单位
    supervision_firm: Mapped[str] = mapped_column(String(200), default="")  # 监理单位
    area: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2))  # 建筑面积, m²
    cost: Mapped[Decimal | None] = mapped_column(Money())  # 工程造价, 万元
    permit_no: Mapped[str] = mapped_column(String(60), default="")  # 施工许可证号
    status: Mapped[str] = mapped_column(String(10))
    status_since: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    statuses: Mapped[list[SafetyProjectStatus]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="SafetyProjectStatus.since"
    )


class SafetyProjectStatus(Base):
    """One change of a project's status: from `since` on, the project is `status`."""

    __tablename__ = "safety_project_status"
    __table_args__ = (UniqueConstraint("project_id", "since"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("safety_project.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    since: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")

    project: Mapped[SafetyProject] = relationship(back_populates="statuses")


class SafetyInspection(VersionedMixin, TimestampMixin, Base):
    """A check (检查) on one day, of one or more projects. Campaign kinds (专项检查, 节假日专项 …)
    name their campaign; the inspections of one campaign count as one 专项检查."""

    __tablename__ = "safety_inspection"
    __table_args__ = (
        Index("ix_safety_inspection_unit_checked", "unit_id", "checked_on", "kind", "campaign"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    checked_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20))
    campaign: Mapped[str] = mapped_column(String(200), default="")
    inspectors: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")


class SafetyInspectionProject(Base):
    """Which projects an inspection covered (one row = one 项目检查次)."""

    __tablename__ = "safety_inspection_project"

    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("safety_inspection.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("safety_project.id"), primary_key=True, index=True)


class SafetyHazard(VersionedMixin, TimestampMixin, Base):
    """A hazard (隐患) found in an inspection. `found_on` repeats the inspection's date (kept in
    step by the service) so the 100,000-row list can sort and filter on an index."""

    __tablename__ = "safety_hazard"
    __table_args__ = (
        # Found date first, then every column the lists' counts and the statistics of a period
        # read, so that those never visit the rows (200,000 hazards: bench/README.md).
        Index(
            "ix_safety_hazard_unit_found",
            "unit_id",
            "found_on",
            "status",
            "deadline",
            "category",
            "level",
            "rectified_on",
        ),
        Index("ix_safety_hazard_unit_status_deadline", "unit_id", "status", "deadline"),
        Index("ix_safety_hazard_unit_rectified", "unit_id", "rectified_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("safety_inspection.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("safety_project.id"), index=True)
    found_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(4))  # 一般 / 重大
    measures: Mapped[str] = mapped_column(Text, default="")  # 整改措施
    responsible: Mapped[str] = mapped_column(String(200), default="")  # 责任单位/人
    deadline: Mapped[date] = mapped_column(Date)  # 整改期限
    rectified_on: Mapped[date | None] = mapped_column(Date)  # 整改完成日期
    reviewer: Mapped[str] = mapped_column(String(50), default="")  # 复查人
    status: Mapped[str] = mapped_column(String(6))  # 待整改 / 整改中 / 已整改


class SafetyHazardCategory(VersionedMixin, TimestampMixin, Base):
    """One entry of a unit's 隐患类别 list, in order, with the synonyms that mean it ("触电" for
    临时用电). Hazards store the category as text; the services map a synonym to its entry on
    every save, and renaming an entry rewrites the hazards that carry the old name
    (app/services/safety/categories.py)."""

    __tablename__ = "safety_hazard_category"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(20))
    synonyms: Mapped[str] = mapped_column(Text, default="")  # separated by "、"


class SafetyDocument(VersionedMixin, TimestampMixin, Base):
    """An enforcement document (执法文书): 隐患整改通知书, 停工整改通知书, 红黄牌 …"""

    __tablename__ = "safety_document"
    __table_args__ = (Index("ix_safety_document_unit_issued", "unit_id", "issued_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(60), default="")  # 文号
    issued_on: Mapped[date] = mapped_column(Date)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("safety_project.id"), index=True)
    deadline: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class SafetyDocumentHazard(Base):
    """The hazards a document deals with."""

    __tablename__ = "safety_document_hazard"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("safety_document.id", ondelete="CASCADE"), primary_key=True
    )
    hazard_id: Mapped[int] = mapped_column(
        ForeignKey("safety_hazard.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class SafetyActivity(VersionedMixin, TimestampMixin, Base):
    """A meeting or other piece of work (会议, 约谈, 培训, 观摩, 宣传 …)."""

    __tablename__ = "safety_activity"
    __table_args__ = (Index("ix_safety_activity_unit_held", "unit_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class SafetyWorkloadItem(Base):
    """A 工作量统计 figure the user added to the built-in catalogue (app.services.safety.workload)."""

    __tablename__ = "safety_workload_item"
    __table_args__ = (UniqueConstraint("unit_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    group: Mapped[str] = mapped_column(String(40), default="其他")
    unit: Mapped[str] = mapped_column(String(10), default="")
    aggregation: Mapped[str] = mapped_column(String(10), default="sum")  # sum / latest
    decimals: Mapped[int] = mapped_column(Integer, default=0)
    numerator_key: Mapped[str] = mapped_column(String(40), default="")  # rates: part / whole
    denominator_key: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class SafetyWorkloadValue(VersionedMixin, TimestampMixin, Base):
    """The value of one 工作量统计 figure for one period (a quarter, a year, a range)."""

    __tablename__ = "safety_workload_value"
    __table_args__ = (UniqueConstraint("unit_id", "key", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(ScaledDecimal(4))
    note: Mapped[str] = mapped_column(String(200), default="")
