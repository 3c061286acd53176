"""Ledger imports: every import is a batch that remembers the records it created and updated (so it
can be undone while nothing else has touched them), and the column mapping the clerk chose for a
header layout (so the next file laid out the same way maps itself)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class ImportBatch(Base):
    """One import of one file. `counts` is the JSON of what it did (model.Counts); `undone_at` is
    set when it was undone (the row stays, for the list of imports)."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # projects / hazards / documents / petitions / …
    file_name: Mapped[str] = mapped_column(String(255))
    year: Mapped[int] = mapped_column(Integer)  # the working year of the import
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    created_by: Mapped[str] = mapped_column(
        String(100), default="", server_default=""
    )  # the computer (station_name)
    counts: Mapped[str] = mapped_column(Text, default="", server_default="")
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class ImportBatchItem(Base):
    """One record a batch created or updated. `version_after` and `changed_at_after` are the
    record's version and save time right after the import (None for tables without them): undo
    refuses when they have moved on (the time as well, because SQLite gives a new record the id of
    a deleted last one, at version 1 again). `before` is the JSON of an updated record's previous
    column values, which undo writes back."""

    __tablename__ = "import_batch_item"
    __table_args__ = (Index("ix_import_batch_item_table_record", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"), index=True)
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))  # created / updated
    version_after: Mapped[int | None] = mapped_column(Integer)
    changed_at_after: Mapped[datetime | None] = mapped_column(DateTime)
    before: Mapped[str] = mapped_column(Text, default="", server_default="")


class ImportMapping(Base):
    """The column mapping last used for a header layout (`signature`, headers.layout_signature)."""

    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("unit_id", "kind", "signature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    signature: Mapped[str] = mapped_column(String(64))
    mapping: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
