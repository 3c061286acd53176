"""Models of the reports module: the prose a user writes for each report, and each report's settings.

Everything is kept per unit year (`unit_year_id`), report (`report_key`, e.g. "dept_self_eval") and
scope (`scope`: "" for a yearly report, "Q1" for a quarter, "inspection:3" for a 巡察,
"project:12" for a project). Figures are never stored here: the prose holds placeholders such as
【编制数】 that are filled from the modules' statistics when a report is exported.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, TimestampMixin, VersionedMixin


class ReportSection(VersionedMixin, TimestampMixin, Base):
    """The text of one section of one report, as the user wrote it.

    A section of the report's outline has the outline's `section_key`; a subsection the user added
    ("custom:…") names the section it belongs to in `parent_key` and is ordered by `position`."""

    __tablename__ = "report_section"
    __table_args__ = (UniqueConstraint("unit_year_id", "report_key", "scope", "section_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_year_id: Mapped[int] = mapped_column(ForeignKey("unit_year.id", ondelete="CASCADE"), index=True)
    report_key: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(80), default="")
    section_key: Mapped[str] = mapped_column(String(60))
    parent_key: Mapped[str] = mapped_column(String(60), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200), default="")  # "" = the outline's title
    text: Mapped[str] = mapped_column(Text, default="")
    run_in: Mapped[bool | None] = mapped_column(Boolean)  # None = the outline's choice
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)  # left out of the document
    # The year this text was copied from when the year was created; None once the user saved it.
    carried_from: Mapped[int | None] = mapped_column(Integer)


class ReportSetting(VersionedMixin, TimestampMixin, Base):
    """A report's title, addressee and 落款 for one unit year and scope; None means the default."""

    __tablename__ = "report_setting"
    __table_args__ = (UniqueConstraint("unit_year_id", "report_key", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_year_id: Mapped[int] = mapped_column(ForeignKey("unit_year.id", ondelete="CASCADE"), index=True)
    report_key: Mapped[str] = mapped_column(String(40))
    scope: Mapped[str] = mapped_column(String(80), default="")
    title: Mapped[str | None] = mapped_column(Text)  # lines separated by "\n"
    addressee: Mapped[str | None] = mapped_column(String(200))
    signer: Mapped[str | None] = mapped_column(String(200))
    sign_date: Mapped[date | None] = mapped_column(Date)  # None: the export date, unless left blank
    date_blank: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # 留空（手写）
    seal: Mapped[bool | None] = mapped_column(Boolean)
    append_tables: Mapped[bool] = mapped_column(Boolean, default=False)
    variant: Mapped[str] = mapped_column(String(40), default="")  # e.g. "工作总结" for report 3
