"""Models of the registers module: the 信访 register and the 巡察整改 register.

Both are registers of items with owners, deadlines and states. Labels that users may edit
(渠道, 事项类别) are stored on each item as text, so renaming a list entry never rewrites history;
`PetitionChoice` only feeds the pick-lists and the statistics grouping of channels.

`Petition.next_due` is the earliest deadline still open for an item (受理/告知 or 办结), kept up to
date by the service on every write, so "overdue" and "due this week" are indexed SQL filters.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, VersionedMixin

# 信访 states, in the order of the workflow.
PETITION_PENDING = "待受理"
PETITION_HANDLING = "办理中"
PETITION_CLOSED = "已办结"
PETITION_REJECTED = "不予受理"
PETITION_TRANSFERRED = "已转送"
PETITION_STATES = (
    PETITION_PENDING,
    PETITION_HANDLING,
    PETITION_CLOSED,
    PETITION_REJECTED,
    PETITION_TRANSFERRED,
)

SATISFACTION_LEVELS = ("满意", "基本满意", "不满意", "未评价")
# 交办来源: items handed to the unit by an inspection or a superior, counted apart from channels.
ASSIGNMENT_SOURCES = ("巡视交办", "巡察交办", "上级交办")

# 巡察整改 states.
PROBLEM_NOT_STARTED = "未启动"
PROBLEM_IN_PROGRESS = "整改中"
PROBLEM_DONE = "已完成"
PROBLEM_LONG_TERM = "长期坚持"
PROBLEM_STATES = (PROBLEM_NOT_STARTED, PROBLEM_IN_PROGRESS, PROBLEM_DONE, PROBLEM_LONG_TERM)

CHOICE_CHANNEL = "channel"
CHOICE_CATEGORY = "category"


class PetitionChoice(Base):
    """One entry of a unit's editable pick-list (渠道 or 事项类别), in order.

    For channels `stat_group` is the 统计口径 the statistics count it under ("信访" for 来信, 来访,
    网上信访 and 信访局转办, as seed 003 counts them); empty means the channel's own name.
    """

    __tablename__ = "petition_choice"
    __table_args__ = (UniqueConstraint("unit_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(40))
    stat_group: Mapped[str] = mapped_column(String(40), default="")


# ix_petition_unit_received: the received date, then every column the statistics of a period read
# and the list's filters test, so that neither visits the (wide) rows of items they leave out.
RECEIVED_INDEX = (
    "unit_id",
    "received_on",
    "status",
    "channel",
    "category",
    "assignment",
    "people",
    "repeat",
    "accepted_on",
    "due_on",
    "closed_on",
    "next_due",
)


class Petition(VersionedMixin, TimestampMixin, Base):
    """One 信访事项."""

    __tablename__ = "petition"
    # The filter indexes end with the received date: a filter plus the year in view is answered
    # from the index alone (100,000 items: bench/README.md).
    __table_args__ = (
        UniqueConstraint("unit_id", "number"),
        Index("ix_petition_unit_received", *RECEIVED_INDEX),
        Index("ix_petition_unit_status", "unit_id", "status", "received_on"),
        Index("ix_petition_unit_next_due", "unit_id", "next_due"),
        Index("ix_petition_unit_channel", "unit_id", "channel", "received_on"),
        Index("ix_petition_unit_category", "unit_id", "category", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(40))  # 编号
    received_on: Mapped[date] = mapped_column(Date)  # 收到日期
    channel: Mapped[str] = mapped_column(String(40), default="")  # 渠道
    referred_by: Mapped[str] = mapped_column(String(100), default="")  # 转办单位
    assignment: Mapped[str] = mapped_column(String(20), default="")  # 交办来源 (ASSIGNMENT_SOURCES)
    # 信访人: personal data, masked in every export unless explicitly asked for.
    petitioner: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    people: Mapped[int] = mapped_column(Integer, default=1)  # 人数; 5 and more is a 集体访
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)  # 重复访
    category: Mapped[str] = mapped_column(String(40), default="")  # 事项类别
    summary: Mapped[str] = mapped_column(Text, default="")  # 内容摘要
    department: Mapped[str] = mapped_column(String(100), default="")  # 承办科室
    leader: Mapped[str] = mapped_column(String(50), default="")  # 包案领导
    accepted_on: Mapped[date | None] = mapped_column(Date)  # 受理日期
    notified_on: Mapped[date | None] = mapped_column(Date)  # 告知日期
    required_by: Mapped[date | None] = mapped_column(Date)  # 交办时限 (a stricter date set by the sender)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)  # 延期天数 (at most 30, once)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date)  # 办理期限 (computed on every write)
    next_due: Mapped[date | None] = mapped_column(Date)  # earliest open deadline (computed)
    closed_on: Mapped[date | None] = mapped_column(Date)  # 办结日期 (or the date of 不予受理/转送)
    result: Mapped[str] = mapped_column(Text, default="")  # 办理结果/答复
    satisfaction: Mapped[str] = mapped_column(String(10), default="")  # 群众满意度
    status: Mapped[str] = mapped_column(String(10), default=PETITION_PENDING)
    note: Mapped[str] = mapped_column(Text, default="")


class Inspection(VersionedMixin, TimestampMixin, Base):
    """A 巡察 (or 巡视) of the unit, whose feedback gives the problems to rectify."""

    __tablename__ = "inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))  # 工程建设和房地产领域专项巡察
    team: Mapped[str] = mapped_column(String(100), default="")  # 巡察组
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    feedback_on: Mapped[date | None] = mapped_column(Date)  # 反馈日期
    note: Mapped[str] = mapped_column(Text, default="")

    aspects: Mapped[list[InspectionAspect]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        order_by="InspectionAspect.position",
        collection_class=ordering_list("position"),
    )


class InspectionAspect(Base):
    """A 方面 of the feedback; problems are grouped under it."""

    __tablename__ = "inspection_aspect"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")

    inspection: Mapped[Inspection] = relationship(back_populates="aspects")


class RectificationProblem(VersionedMixin, TimestampMixin, Base):
    """One problem of a 巡察's feedback and its rectification."""

    __tablename__ = "rectification_problem"
    __table_args__ = (
        Index("ix_rectification_problem_inspection_status", "inspection_id", "status"),
        Index("ix_rectification_problem_inspection_due", "inspection_id", "due_on"),
        Index("ix_rectification_problem_inspection_number", "inspection_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"))
    aspect_id: Mapped[int | None] = mapped_column(
        ForeignKey("inspection_aspect.id", ondelete="SET NULL"), index=True
    )
    number: Mapped[int] = mapped_column(Integer, default=1)  # 序号
    description: Mapped[str] = mapped_column(Text, default="")  # 问题描述
    leader: Mapped[str] = mapped_column(String(50), default="")  # 责任领导
    lead_unit: Mapped[str] = mapped_column(String(100), default="")  # 牵头单位
    department: Mapped[str] = mapped_column(String(100), default="")  # 责任科室
    due_on: Mapped[date | None] = mapped_column(Date)  # 整改时限
    status: Mapped[str] = mapped_column(String(10), default=PROBLEM_NOT_STARTED)
    completed_on: Mapped[date | None] = mapped_column(Date)  # 完成日期
    closed_on: Mapped[date | None] = mapped_column(Date)  # 销号日期
    evidence: Mapped[str] = mapped_column(Text, default="")  # 佐证材料说明

    measures: Mapped[list[RectificationMeasure]] = relationship(
        back_populates="problem",
        cascade="all, delete-orphan",
        order_by="RectificationMeasure.position",
        collection_class=ordering_list("position"),
    )
    attachments: Mapped[list[RectificationAttachment]] = relationship(
        back_populates="problem", cascade="all, delete-orphan", order_by="RectificationAttachment.id"
    )


class RectificationMeasure(Base):
    """One measure (一是…) of a problem, in order."""

    __tablename__ = "rectification_measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_problem.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")

    problem: Mapped[RectificationProblem] = relationship(back_populates="measures")


class RectificationAttachment(Base):
    """An evidence file, copied into <data folder>/attachments/; `stored_path` is relative to it."""

    __tablename__ = "rectification_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_problem.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(255))  # the name the user knows it by
    stored_path: Mapped[str] = mapped_column(String(500))
    size: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    problem: Mapped[RectificationProblem] = relationship(back_populates="attachments")
