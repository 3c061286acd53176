"""The operation log (操作日志): who did what to the data that calls for an account afterwards
(personal data shown or exported unmasked, deletions, imports, restores, password and lock events).
Append-only: rows are never edited, so the table has no version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class OperationLog(Base):
    __tablename__ = "operation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)  # local time, as records' changed_at
    os_user: Mapped[str] = mapped_column(String(100), default="", server_default="")
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The unit concerned, when there is one; a removed unit leaves its lines in the log.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
