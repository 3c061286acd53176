"""隐患类别: each unit's managed list of hazard categories, each entry with its synonyms.

Every save of a hazard stores the entry's name, whatever was typed or imported ("触电" is saved as
临时用电), so the statistics, which group by the stored text, count one category once.

Renaming an entry rewrites the hazards that carry the old name, in the same transaction (each
hazard's version counts up, so an edit of one of them open elsewhere is refused instead of writing
the old name back), and the old name becomes a synonym of the new one. This differs from the
petition lists, whose labels are history (app/models/registers.py): a hazard category exists only
to group the statistics, and a rename that split them in two would defeat the list. Removing an
entry leaves its hazards as they are; the ledger's filter still offers their category and the
statistics still count it. `unify_synonyms` rewrites hazards saved with a synonym before the list
existed (or before the synonym was added) to the entry's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import EditConflictError, UserError
from app.models.base import station_name
from app.models.safety import SafetyHazard, SafetyHazardCategory

SEPARATOR = "、"
NAME_LIMIT = 20  # safety_hazard.category is String(20)

# The list a new unit starts with (migration 0009 seeded existing units with the same entries).
SEED_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("高处坠落", ("坠落", "临边防护", "洞口防护", "临边洞口", "高处作业")),
    ("起重机械", ("起重伤害", "塔吊", "塔式起重机", "施工升降机", "物料提升机", "起重吊装")),
    ("临时用电", ("触电", "施工用电", "临电", "用电安全")),
    ("深基坑", ("基坑", "基坑支护", "基坑工程", "土方开挖")),
    ("模板支撑", ("模板", "高支模", "支模架", "模板工程", "模板支撑系统")),
    ("脚手架", ("外架", "外脚手架", "悬挑脚手架", "脚手架工程")),
    ("施工机具", ("机械伤害", "施工机械", "中小型机械", "机具")),
    ("消防", ("火灾", "消防安全", "动火作业")),
    ("扬尘", ("扬尘治理", "扬尘防治", "大气污染防治")),
    ("文明施工", ("安全文明施工", "现场管理")),
    ("工程质量", ("质量", "质量问题", "工程质量问题")),
    ("其他", ("其它",)),
)

_SPLIT = re.compile(r"[、，,；;\s]+")


@dataclass(frozen=True)
class HazardCategory:
    name: str
    synonyms: tuple[str, ...] = ()
    id: int | None = None  # None: not stored yet (a new entry, or the seed of a unit without a list)
    version: int | None = None


def split_synonyms(text: str) -> tuple[str, ...]:
    """ "触电、临电，用电" → ("触电", "临电", "用电"): any of 、，,；; or spaces separate them."""
    return tuple(dict.fromkeys(part for part in _SPLIT.split(text.strip()) if part))


def seed_list() -> list[HazardCategory]:
    return [HazardCategory(name, synonyms) for name, synonyms in SEED_CATEGORIES]


def seed_categories(session: Session, unit_id: int) -> None:
    """Give a unit without a list the seed list (a new unit, the example unit)."""
    if session.scalar(
        select(SafetyHazardCategory.id).where(SafetyHazardCategory.unit_id == unit_id).limit(1)
    ):
        return
    session.add_all(
        SafetyHazardCategory(
            unit_id=unit_id, position=position, name=item.name, synonyms=SEPARATOR.join(item.synonyms)
        )
        for position, item in enumerate(seed_list())
    )
    session.flush()


def categories(session: Session, unit_id: int) -> list[HazardCategory]:
    """The unit's list in order (the seed list for a unit that has none stored)."""
    rows = session.scalars(
        select(SafetyHazardCategory)
        .where(SafetyHazardCategory.unit_id == unit_id)
        .order_by(SafetyHazardCategory.position, SafetyHazardCategory.id)
    ).all()
    if not rows:
        return seed_list()
    return [HazardCategory(r.name, split_synonyms(r.synonyms), r.id, r.version) for r in rows]


def resolve(items: list[HazardCategory], text: str) -> str | None:
    """The entry `text` names, by its name or one of its synonyms; None when none does."""
    text = text.strip()
    if not text:
        return None
    for item in items:
        if item.name == text:
            return item.name
    for item in items:
        if text in item.synonyms:
            return item.name
    return None


def validate_categories(items: list[HazardCategory]) -> str | None:
    names = [item.name.strip() for item in items]
    if not names:
        return "隐患类别列表不能为空"
    if any(not name for name in names):
        return "类别名称不能为空"
    long = [name for name in names if len(name) > NAME_LIMIT]
    if long:
        return f"类别名称过长（最多{NAME_LIMIT}字）：{'、'.join(long)}"
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        return f"类别名称重复：{'、'.join(duplicates)}"
    owner: dict[str, str] = {}
    for item, name in zip(items, names, strict=True):
        for synonym in item.synonyms:
            if synonym == name:
                continue
            if len(synonym) > NAME_LIMIT:
                return f"同义词过长（最多{NAME_LIMIT}字）：{synonym}"
            if synonym in names:
                return f"“{synonym}”已是一个类别的名称，不能再作为“{name}”的同义词"
            if synonym in owner and owner[synonym] != name:
                return f"同义词“{synonym}”同时属于“{owner[synonym]}”和“{name}”，请只保留一处"
            owner[synonym] = name
    return None


def _cleaned(items: list[HazardCategory]) -> list[HazardCategory]:
    return [
        HazardCategory(
            item.name.strip(),
            tuple(s for s in dict.fromkeys(x.strip() for x in item.synonyms) if s and s != item.name.strip()),
            item.id,
            item.version,
        )
        for item in items
    ]


def _placeholder(row_id: int) -> str:
    """A name no entry has, held while renames are applied (so two entries may swap names)."""
    return f"~改名中~{row_id}"


def _rewrite_hazards(
    session: Session, unit_id: int, old_names: list[str], new: str, *, counted: bool = True
) -> int:
    """Set the category of the unit's hazards stored as any of `old_names` to `new`, counting each
    one's version up (an edit of it open elsewhere is then refused rather than undoing this);
    `counted` False for the placeholder step of a swap, which the final step counts."""
    if not old_names:
        return 0
    values: dict = {"category": new}
    if counted:
        values.update(
            version=SafetyHazard.version + 1,
            changed_by=station_name(),
            changed_at=datetime.now().replace(microsecond=0),
        )
    result = session.execute(
        update(SafetyHazard)
        .where(SafetyHazard.unit_id == unit_id, SafetyHazard.category.in_(old_names))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def save_categories(
    db: Database, unit_id: int, items: list[HazardCategory], loaded: list[HazardCategory] | None = None
) -> int:
    """Replace the unit's list with `items` (entries keep their `id` when edited). A renamed entry's
    hazards are rewritten to the new name. With `loaded` (the list the dialog showed), a list saved
    elsewhere since is refused. Returns how many hazards were rewritten."""
    items = _cleaned(items)
    error = validate_categories(items)
    if error:
        raise UserError(error)
    with db.transaction() as session:
        if loaded is not None and categories(session, unit_id) != loaded:
            raise EditConflictError("隐患类别列表已在别处被修改并保存。为避免覆盖对方的修改，本次未保存。")
        rows = {
            row.id: row
            for row in session.scalars(
                select(SafetyHazardCategory).where(SafetyHazardCategory.unit_id == unit_id)
            )
        }
        kept = {item.id for item in items if item.id in rows}
        for row_id in set(rows) - kept:
            session.delete(rows.pop(row_id))
        session.flush()
        taken = {item.name for item in items} | {s for item in items for s in item.synonyms}
        renames: list[tuple[int, str, str]] = []
        for item in items:
            row = rows.get(item.id) if item.id is not None else None
            if row is not None and row.name != item.name:
                renames.append((row.id, row.name, item.name))
        # A new name another entry still holds (two entries swapping names) goes through a
        # placeholder first, for the entries and for their hazards.
        holders = {row.name: row.id for row in rows.values()}
        swapping = any(holders.get(new, row_id) != row_id for row_id, _old, new in renames)
        sources = {row_id: old for row_id, old, _new in renames}
        if swapping:
            for row_id, old, _new in renames:
                rows[row_id].name = _placeholder(row_id)
                _rewrite_hazards(session, unit_id, [old], _placeholder(row_id), counted=False)
                sources[row_id] = _placeholder(row_id)
            session.flush()
        for position, item in enumerate(items):
            synonyms = list(item.synonyms)
            for row_id, old, _new in renames:
                if item.id == row_id and old not in taken:
                    synonyms.append(old)  # what the hazards were called keeps meaning the entry
            row = rows.get(item.id) if item.id is not None else None
            if row is None:
                row = SafetyHazardCategory(unit_id=unit_id)
                session.add(row)
            row.position, row.name, row.synonyms = position, item.name, SEPARATOR.join(synonyms)
        session.flush()
        return sum(
            _rewrite_hazards(session, unit_id, [sources[row_id]], new) for row_id, _old, new in renames
        )


def synonym_usage(session: Session, unit_id: int) -> int:
    """How many of the unit's hazards are stored under a synonym rather than an entry's name."""
    synonyms = [s for item in categories(session, unit_id) for s in item.synonyms]
    if not synonyms:
        return 0
    return (
        session.scalar(
            select(func.count())
            .select_from(SafetyHazard)
            .where(SafetyHazard.unit_id == unit_id, SafetyHazard.category.in_(synonyms))
        )
        or 0
    )


def unify_synonyms(db: Database, unit_id: int) -> int:
    """统一为标准类别: rewrite hazards stored under a synonym to the entry's name (one transaction).
    Returns how many were rewritten."""
    with db.transaction() as session:
        return sum(
            _rewrite_hazards(session, unit_id, list(item.synonyms), item.name)
            for item in categories(session, unit_id)
        )


def categories_in_use(session: Session, unit_id: int, *, stored_too: bool = True) -> list[str]:
    """The names of the list, then every other category stored on the unit's hazards (old data,
    removed entries), for the ledger's filter. The second part reads the whole hazard index
    (38 ms for 220,000 hazards): `stored_too` False leaves it out."""
    names = [item.name for item in categories(session, unit_id)]
    if not stored_too:
        return names
    stored = session.scalars(
        select(SafetyHazard.category).distinct().where(SafetyHazard.unit_id == unit_id)
    ).all()
    return names + sorted(set(stored) - set(names) - {""})


def category_usage(session: Session, unit_id: int) -> dict[str, int]:
    """How many of the unit's hazards carry each stored category."""
    rows = session.execute(
        select(SafetyHazard.category, func.count())
        .where(SafetyHazard.unit_id == unit_id)
        .group_by(SafetyHazard.category)
    ).all()
    return {category: count for category, count in rows}
