"""Refusing edits made from a stale copy (two windows, or two PCs on one database).

A form loads a record with its `version`; the save hands it back. If the record was saved
elsewhere in between, the save is refused with a Chinese message saying when and where, and the
form can either reload or re-apply the user's changes on top of the newer copy (`reapply`).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.orm.attributes import flag_modified

from app.errors import EditConflictError
from app.models.base import VersionedMixin, station_name

T = TypeVar("T")


def when_and_where(row: VersionedMixin, today: date | None = None) -> str:
    """“（12月3日 09:21，在计算机“办公室-2”上）”, as far as the record knows; '' when unknown."""
    parts = []
    at: datetime | None = row.changed_at
    if at is not None:
        today = today or date.today()
        day = "今天" if at.date() == today else f"{at.month}月{at.day}日"
        if at.year != today.year:
            day = f"{at.year}年{day}"
        parts.append(f"{day} {at.hour:02d}:{at.minute:02d}")
    if row.changed_by:
        here = row.changed_by == station_name()
        parts.append("在本机的另一个窗口中" if here else f"在计算机“{row.changed_by}”上")
    return f"（{'，'.join(parts)}）" if parts else ""


def conflict_message(what: str, row: VersionedMixin, *, deleting: bool = False) -> str:
    done = (
        "本次未删除。请重新载入，看过对方的修改后再决定是否删除。"
        if deleting
        else ("为避免覆盖对方的修改，本次未保存。")
    )
    return f"{what}已在别处被修改并保存{when_and_where(row)}。{done}"


def check_version(
    row: VersionedMixin, expected: int | None, what: str, *, deleting: bool = False, touch: bool = True
) -> None:
    """Refuse to change or delete `row` unless it is still at the version the user's copy was loaded
    at. On success the row is marked as changed (unless `touch` is False: then only a real change
    of its columns writes it), so the UPDATE, with its `WHERE version = …`, runs even when only its
    child rows change."""
    if expected is None:
        raise ValueError(f"{what}: an update needs the version the record was loaded at")
    if row.version != expected:
        raise EditConflictError(conflict_message(what, row, deleting=deleting))
    if not touch:
        return
    row.changed_at = datetime.now().replace(microsecond=0)
    flag_modified(row, "changed_at")


def deleted_message(what: str) -> str:
    return f"{what}已在别处被删除，无法保存。您的修改仍在表单中，可复制后作为新记录重新录入。"


_BOOKKEEPING = ("id", "version", "revision")


def changed_fields(original: Any, mine: Any) -> list[str]:
    """The dataclass fields the user changed in the form (id and version excluded)."""
    return [
        f.name
        for f in dataclasses.fields(original)
        if f.name not in _BOOKKEEPING and getattr(original, f.name) != getattr(mine, f.name)
    ]


def reapply(original: T, mine: T, fresh: T) -> tuple[T, list[str]]:
    """The newer copy with the user's own changes put back on it: (merged, fields both changed).

    `original` is what the form was loaded with, `mine` what it holds now, `fresh` the record as
    saved elsewhere. A field only the other side changed keeps their value; a field the user
    changed gets the user's; the names of fields changed on both sides to different values are
    returned so the user can look at them before saving again."""
    mine_changed = changed_fields(original, mine)
    theirs = set(changed_fields(original, fresh))
    merged = dataclasses.replace(fresh, **{name: getattr(mine, name) for name in mine_changed})  # type: ignore[type-var]
    clashes = [n for n in mine_changed if n in theirs and getattr(mine, n) != getattr(fresh, n)]
    return merged, clashes
