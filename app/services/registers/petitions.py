"""The 信访 register: items, their deadlines under the 信访工作条例 (2022), dated state changes,
the editable pick-lists, and list filters in SQL.

Deadlines (第三十一条、第三十五条):
- 受理告知: decide on acceptance and tell the petitioner within 15 days of receipt;
- 办结: within 60 days of 受理, extendable once by at most 30 days with a recorded reason;
- a sender (12345 centre, 信访局, 巡视组) may set an earlier date (交办时限): the earlier one counts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import EditConflictError, UserError
from app.models.registers import (
    ASSIGNMENT_SOURCES,
    CHOICE_CATEGORY,
    CHOICE_CHANNEL,
    PETITION_CLOSED,
    PETITION_HANDLING,
    PETITION_PENDING,
    PETITION_REJECTED,
    PETITION_STATES,
    PETITION_TRANSFERRED,
    SATISFACTION_LEVELS,
    Petition,
    PetitionChoice,
)
from app.services.parsing import check_date, check_text
from app.services.privacy import validate_id_number
from app.services.registers.common import (
    DUE_SOON,
    OVERDUE,
    RegisterFilter,
    StateMachine,
    date_range_conditions,
    due_conditions,
    due_soon_end,
    search_condition,
)
from app.services.validation import validate_phone
from app.services.versions import check_version, deleted_message

PAGE_KEY = "petitions"
ACCEPT_DAYS = 15  # 受理告知
HANDLE_DAYS = 60  # 办结
MAX_EXTENSION_DAYS = 30
GROUP_VISIT_PEOPLE = 5  # 集体访: 5 people or more
VISIT_CHANNEL = "来访"

DEFAULT_CHANNELS: tuple[tuple[str, str], ...] = (
    ("来信", "信访"),
    ("来访", "信访"),
    ("网上信访", "信访"),
    ("12345热线/信箱", "12345热线/信箱"),
    ("市长信箱", "市长信箱"),
    ("舆情", "舆情"),
    ("信访局转办", "信访"),
    ("上级交办", "上级交办"),
    ("巡视巡察交办", "巡视巡察交办"),
)
DEFAULT_CATEGORIES: tuple[str, ...] = (
    "农民工工资",
    "工程款结算",
    "房屋质量",
    "交房问题",
    "施工扰民",
    "拆迁补偿",
    "其他",
)

LABELS = {
    "number": "编号",
    "received_on": "收到日期",
    "channel": "渠道",
    "referred_by": "转办单位",
    "assignment": "交办来源",
    "petitioner": "信访人",
    "phone": "联系电话",
    "id_number": "身份证号",
    "people": "人数",
    "repeat": "重复访",
    "category": "事项类别",
    "summary": "内容摘要",
    "department": "承办科室",
    "leader": "包案领导",
    "accepted_on": "受理日期",
    "notified_on": "告知日期",
    "required_by": "交办时限",
    "extension_days": "延期天数",
    "extension_reason": "延期理由",
    "due_on": "办理期限",
    "closed_on": "办结日期",
    "result": "办理结果/答复",
    "satisfaction": "群众满意度",
    "status": "状态",
    "note": "备注",
}

STATES = StateMachine(
    {
        PETITION_PENDING: (PETITION_HANDLING, PETITION_REJECTED, PETITION_TRANSFERRED),
        PETITION_HANDLING: (PETITION_CLOSED, PETITION_TRANSFERRED),
        # Corrections: a closed, rejected or transferred item can be taken back.
        PETITION_CLOSED: (PETITION_HANDLING,),
        PETITION_REJECTED: (PETITION_PENDING,),
        PETITION_TRANSFERRED: (PETITION_PENDING,),
    }
)
OPEN_STATES = (PETITION_PENDING, PETITION_HANDLING)


@dataclass
class PetitionData:
    """A petition as the form edits it (and as services pass it around)."""

    id: int | None = None
    version: int | None = None  # as loaded; a save from an older copy is refused
    number: str = ""
    received_on: date | None = None
    channel: str = ""
    referred_by: str = ""
    assignment: str = ""
    petitioner: str = ""
    phone: str = ""
    id_number: str = ""
    people: int = 1
    repeat: bool = False
    category: str = ""
    summary: str = ""
    department: str = ""
    leader: str = ""
    accepted_on: date | None = None
    notified_on: date | None = None
    required_by: date | None = None
    extension_days: int = 0
    extension_reason: str = ""
    closed_on: date | None = None
    result: str = ""
    satisfaction: str = ""
    status: str = PETITION_PENDING
    note: str = ""

    @property
    def is_group_visit(self) -> bool:
        return self.people >= GROUP_VISIT_PEOPLE

    @property
    def visit_kind(self) -> str:
        return "集体访" if self.is_group_visit else "个访"


_DATA_FIELDS = tuple(f.name for f in fields(PetitionData) if f.name not in ("id", "version"))


# -- deadlines -----------------------------------------------------------------------------------


def acceptance_due(received_on: date | None) -> date | None:
    """受理告知期限: 15 days after receipt."""
    return None if received_on is None else received_on + timedelta(days=ACCEPT_DAYS)


def handling_due(
    accepted_on: date | None, extension_days: int = 0, required_by: date | None = None
) -> date | None:
    """办理期限: 60 days after 受理 (+ the extension), or the sender's earlier 交办时限."""
    if accepted_on is None:
        return required_by
    statutory = accepted_on + timedelta(days=HANDLE_DAYS + max(0, extension_days or 0))
    return min(statutory, required_by) if required_by is not None else statutory


def next_due(item: Any) -> date | None:
    """The earliest deadline still open for `item` (a Petition or PetitionData); None when none is."""
    if item.status == PETITION_PENDING:
        return acceptance_due(item.received_on)
    if item.status == PETITION_HANDLING:
        due = handling_due(item.accepted_on, item.extension_days, item.required_by)
        if item.notified_on is None:
            notice = acceptance_due(item.received_on)
            due = notice if due is None or (notice is not None and notice < due) else due
        return due
    return None


def pending_deadlines(item: Any) -> list[tuple[str, date]]:
    """(label, date) of every deadline not yet met, for the form."""
    result: list[tuple[str, date]] = []
    notice = acceptance_due(item.received_on)
    if item.status == PETITION_PENDING and notice is not None:
        result.append(("受理告知期限", notice))
    if item.status == PETITION_HANDLING:
        if item.notified_on is None and notice is not None:
            result.append(("告知期限", notice))
        due = handling_due(item.accepted_on, item.extension_days, item.required_by)
        if due is not None:
            result.append(("办理期限", due))
    return result


def closed_on_time(item: Any) -> bool | None:
    """Whether a closed item was closed by its 办理期限 (None for items not closed)."""
    if item.status != PETITION_CLOSED or item.closed_on is None:
        return None
    due = handling_due(item.accepted_on, item.extension_days, item.required_by)
    return due is None or item.closed_on <= due


# -- validation ----------------------------------------------------------------------------------


# The database columns' lengths (PostgreSQL refuses a longer value).
_TEXT_LIMITS = {
    "channel": 40,
    "referred_by": 100,
    "petitioner": 100,
    "category": 40,
    "department": 100,
    "leader": 50,
}


def validate_petition(data: PetitionData) -> dict[str, str]:
    """Field → message for everything that cannot be saved as it is."""
    errors: dict[str, str] = {}
    if not data.number.strip():
        errors["number"] = "请填写编号"
    elif len(data.number.strip()) > 40:
        errors["number"] = "编号过长（最多40字）"
    if data.received_on is None:
        errors["received_on"] = "请填写收到日期"
    for key, limit in _TEXT_LIMITS.items():
        text_error = check_text(getattr(data, key).strip(), LABELS[key], limit)
        if text_error:
            errors[key] = text_error
    if not data.channel.strip():
        errors["channel"] = "请选择渠道"
    if data.assignment and data.assignment not in ASSIGNMENT_SOURCES:
        errors["assignment"] = f"交办来源应为：{'、'.join(ASSIGNMENT_SOURCES)}"
    phone_error = validate_phone(data.phone)
    if phone_error:
        errors["phone"] = phone_error
    id_error = validate_id_number(data.id_number)
    if id_error:
        errors["id_number"] = id_error
    if data.people is None or data.people < 1:
        errors["people"] = "人数至少为1"
    elif data.people > 10000:
        errors["people"] = "人数过大，请核对"
    if not data.category.strip():
        errors["category"] = "请选择事项类别"
    if data.status not in PETITION_STATES:
        errors["status"] = "状态无效"
    if data.satisfaction and data.satisfaction not in SATISFACTION_LEVELS:
        errors["satisfaction"] = f"满意度应为：{'、'.join(SATISFACTION_LEVELS)}"
    received = data.received_on
    if data.status in (PETITION_HANDLING, PETITION_CLOSED) and data.accepted_on is None:
        errors["accepted_on"] = f"状态为“{data.status}”时必须填写受理日期"
    if received and data.accepted_on and data.accepted_on < received:
        errors["accepted_on"] = "受理日期不能早于收到日期"
    if received and data.notified_on and data.notified_on < received:
        errors["notified_on"] = "告知日期不能早于收到日期"
    if data.extension_days:
        if not 0 < data.extension_days <= MAX_EXTENSION_DAYS:
            errors["extension_days"] = f"延期不得超过{MAX_EXTENSION_DAYS}天"
        elif not data.extension_reason.strip():
            errors["extension_reason"] = "延期须记录理由（并告知信访人）"
    if data.status == PETITION_CLOSED:
        if data.closed_on is None:
            errors["closed_on"] = "已办结的事项必须填写办结日期"
        if not data.result.strip():
            errors["result"] = "已办结的事项必须填写办理结果/答复"
    if data.closed_on and data.accepted_on and data.closed_on < data.accepted_on:
        errors["closed_on"] = "办结日期不能早于受理日期"
    elif data.closed_on and received and data.closed_on < received:
        errors["closed_on"] = "办结日期不能早于收到日期"
    for key in ("received_on", "accepted_on", "notified_on", "required_by", "closed_on"):
        date_error = check_date(getattr(data, key), LABELS[key])
        if date_error:  # before any comparison with another date: this one cannot be stored at all
            errors[key] = date_error
    return errors


def petition_warnings(data: PetitionData, today: date) -> dict[str, str]:
    """Worth a second look, but not a reason to refuse the save."""
    warnings: dict[str, str] = {}
    if data.received_on and data.received_on > today:
        warnings["received_on"] = "收到日期晚于今天，请核对"
    notice = acceptance_due(data.received_on)
    if notice and data.accepted_on and data.accepted_on > notice:
        warnings["accepted_on"] = f"超过{ACCEPT_DAYS}日受理告知期限（{notice.isoformat()}）"
    if notice and data.notified_on and data.notified_on > notice:
        warnings["notified_on"] = f"超过{ACCEPT_DAYS}日告知期限（{notice.isoformat()}）"
    on_time = closed_on_time(data)
    if on_time is False:
        due = handling_due(data.accepted_on, data.extension_days, data.required_by)
        warnings["closed_on"] = f"晚于办理期限（{due.isoformat() if due else ''}），将计为超期办结"
    return warnings


# -- pick-lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    name: str
    group: str = ""  # 统计口径 (channels only); "" means the name itself

    @property
    def stat_group(self) -> str:
        return self.group or self.name


def choices(session: Session, unit_id: int, kind: str) -> list[Choice]:
    """The unit's list of 渠道 or 事项类别 (the built-in defaults until the unit edits it)."""
    rows = session.execute(
        select(PetitionChoice.name, PetitionChoice.stat_group)
        .where(PetitionChoice.unit_id == unit_id, PetitionChoice.kind == kind)
        .order_by(PetitionChoice.position, PetitionChoice.id)
    ).all()
    if rows:
        return [Choice(name, group) for name, group in rows]
    if kind == CHOICE_CHANNEL:
        return [Choice(name, group) for name, group in DEFAULT_CHANNELS]
    return [Choice(name) for name in DEFAULT_CATEGORIES]


def channel_groups(session: Session, unit_id: int) -> dict[str, str]:
    return {c.name: c.stat_group for c in choices(session, unit_id, CHOICE_CHANNEL)}


def validate_choices(items: list[Choice], kind: str) -> str | None:
    names = [c.name.strip() for c in items]
    if not names or not any(names):
        return "列表不能为空"
    if any(not n for n in names):
        return "名称不能为空"
    if any(len(n) > 40 for n in names):
        return "名称过长（最多40字）"
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        return f"名称重复：{'、'.join(duplicates)}"
    if kind == CHOICE_CHANNEL and any(len(c.group.strip()) > 40 for c in items):
        return "统计口径过长（最多40字）"
    return None


def save_choices(
    db: Database, unit_id: int, kind: str, items: list[Choice], loaded: list[Choice] | None = None
) -> None:
    """Replace the unit's list. Items already registered keep their text (history is not rewritten).
    With `loaded` (the list the dialog showed), a list changed elsewhere since is not replaced."""
    if kind not in (CHOICE_CHANNEL, CHOICE_CATEGORY):
        raise ValueError(kind)
    error = validate_choices(items, kind)
    if error:
        raise UserError(error)
    with db.transaction() as session:
        if loaded is not None and choices(session, unit_id, kind) != loaded:
            what = "渠道" if kind == CHOICE_CHANNEL else "事项类别"
            raise EditConflictError(f"{what}列表已在别处被修改并保存。为避免覆盖对方的修改，本次未保存。")
        session.execute(
            delete(PetitionChoice).where(PetitionChoice.unit_id == unit_id, PetitionChoice.kind == kind)
        )
        session.flush()
        session.add_all(
            PetitionChoice(
                unit_id=unit_id,
                kind=kind,
                position=position,
                name=c.name.strip(),
                stat_group=c.group.strip() if kind == CHOICE_CHANNEL else "",
            )
            for position, c in enumerate(items)
        )


# -- reading and writing -------------------------------------------------------------------------


def next_number(session: Session, unit_id: int, year: int) -> str:
    """The next free 编号 of the form XF2023-0285 (the clerk may change it)."""
    prefix = f"XF{year}-"
    # The longest, then highest numbers first: "XF2023-10000" sorts below "XF2023-9999" as text.
    numbers = session.scalars(
        select(Petition.number)
        .where(Petition.unit_id == unit_id, Petition.number.like(f"{prefix}%"))
        .order_by(func.length(Petition.number).desc(), Petition.number.desc())
        .limit(50)
    ).all()
    used = [int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()]
    candidate = (max(used) if used else 0) + 1
    return f"{prefix}{candidate:04d}"


def renumbered(session: Session, unit_id: int, number: str, received_on: date | None) -> str:
    """The number a new item should carry once its 收到日期 moves to another year: a number that
    is still a suggestion of another year (XF2026-0001 for a case received in 2024) follows the
    date; a number the clerk typed in another form stays."""
    if received_on is None or not number.startswith("XF") or number.startswith(f"XF{received_on.year}-"):
        return number
    tail = number[2:].split("-", 1)
    if len(tail) == 2 and tail[0].isdigit() and len(tail[0]) == 4 and tail[1].isdigit():
        return next_number(session, unit_id, received_on.year)
    return number


def new_petition(session: Session, unit_id: int, received_on: date) -> PetitionData:
    """A blank item for the form, received on `received_on` (a day of the working year), with the
    next number of that year, waiting for 受理."""
    return PetitionData(
        number=next_number(session, unit_id, received_on.year),
        received_on=received_on,
        channel="",
        category="",
        status=PETITION_PENDING,
    )


def _to_data(row: Petition) -> PetitionData:
    return PetitionData(id=row.id, version=row.version, **{name: getattr(row, name) for name in _DATA_FIELDS})


def load_petition(session: Session, petition_id: int) -> PetitionData:
    row = session.get(Petition, petition_id)
    if row is None:
        raise UserError("该信访事项已被删除")
    return _to_data(row)


def _clean(data: PetitionData) -> PetitionData:
    strip = {
        f.name: getattr(data, f.name).strip()
        for f in fields(PetitionData)
        if isinstance(getattr(data, f.name), str)
    }
    cleaned = replace(data, **strip)
    cleaned.id_number = cleaned.id_number.upper()
    cleaned.phone = cleaned.phone.replace(" ", "")
    return cleaned


def _apply(row: Petition, data: PetitionData) -> None:
    for name in _DATA_FIELDS:
        setattr(row, name, getattr(data, name))
    row.due_on = handling_due(data.accepted_on, data.extension_days, data.required_by)
    row.next_due = next_due(row)


def _raise_first(errors: dict[str, str]) -> None:
    if errors:
        key = next(iter(errors))
        raise UserError(f"{LABELS.get(key, key)}：{errors[key]}")


def _check_number_free(session: Session, unit_id: int, number: str, own_id: int | None) -> None:
    clash = session.scalar(
        select(Petition.id).where(
            Petition.unit_id == unit_id, Petition.number == number, Petition.id != (own_id or 0)
        )
    )
    if clash is not None:
        raise UserError(f"编号“{number}”已被另一件信访事项使用")


def save_petition(db: Database, unit_id: int, data: PetitionData) -> int:
    """Insert or update in one transaction; refuses what validate_petition rejects. Returns the id."""
    data = _clean(data)
    with db.transaction() as session:
        if data.id is None:
            row = Petition(unit_id=unit_id)
        else:
            row = session.get(Petition, data.id)
            if row is None or row.unit_id != unit_id:
                raise EditConflictError(deleted_message(f"信访事项“{data.number}”"))
            check_version(row, data.version, _what(row))
            # The state changes only through the actions below.
            data = replace(data, status=row.status)
        _raise_first(validate_petition(data))
        _check_number_free(session, unit_id, data.number, data.id)
        if data.id is None:
            session.add(row)
        _apply(row, data)
        session.flush()
        return row.id


def _what(row: Petition) -> str:
    return f"信访事项“{row.number}”"


def delete_petition(db: Database, petition_id: int, version: int | None) -> None:
    """Delete, unless the record was changed since the user's copy (`version`) was loaded."""
    with db.transaction() as session:
        row = session.get(Petition, petition_id)
        if row is not None:
            check_version(row, version, _what(row), deleting=True)
            session.delete(row)


def _change(
    db: Database, petition_id: int, target: str, edit: Any, version: int | None = None
) -> PetitionData:
    """Apply a state change in one transaction after checking it and the resulting record. With
    `version` (the form's copy), a record changed elsewhere since is refused."""
    with db.transaction() as session:
        row = session.get(Petition, petition_id)
        if row is None:
            raise EditConflictError("该信访事项已在别处被删除")
        if version is not None:
            check_version(row, version, _what(row))
        if target:
            STATES.check(row.status, target)
        data = _to_data(row)
        edit(data)
        if target:
            data.status = target
        _raise_first(validate_petition(data))
        _apply(row, data)
        return data


def accept(
    db: Database, petition_id: int, on: date, notified_on: date | None = None, *, version: int | None = None
) -> PetitionData:
    """受理: the handling deadline (60 days) starts from `on`; 告知 defaults to the same day."""

    def edit(d: PetitionData) -> None:
        d.accepted_on = on
        d.notified_on = notified_on or d.notified_on or on

    return _change(db, petition_id, PETITION_HANDLING, edit, version)


def reject(
    db: Database, petition_id: int, on: date, reason: str, *, version: int | None = None
) -> PetitionData:
    """不予受理 (with the reason told to the petitioner)."""
    if not reason.strip():
        raise UserError("请填写不予受理的理由")

    def edit(d: PetitionData) -> None:
        d.closed_on = on
        d.notified_on = d.notified_on or on
        d.result = reason.strip()

    return _change(db, petition_id, PETITION_REJECTED, edit, version)


def transfer(
    db: Database, petition_id: int, on: date, to_unit: str, note: str = "", *, version: int | None = None
) -> PetitionData:
    """已转送: handed to the body that is responsible for it."""
    if not to_unit.strip():
        raise UserError("请填写转送单位")

    def edit(d: PetitionData) -> None:
        d.closed_on = on
        d.notified_on = d.notified_on or on
        d.result = f"转送{to_unit.strip()}" + (f"：{note.strip()}" if note.strip() else "")

    return _change(db, petition_id, PETITION_TRANSFERRED, edit, version)


def extend(
    db: Database, petition_id: int, days: int, reason: str, *, version: int | None = None
) -> PetitionData:
    """延期: once, by at most 30 days, with the reason recorded."""
    if not 0 < days <= MAX_EXTENSION_DAYS:
        raise UserError(f"延期天数应为1至{MAX_EXTENSION_DAYS}天")
    if not reason.strip():
        raise UserError("请填写延期理由")

    def edit(d: PetitionData) -> None:
        if d.status != PETITION_HANDLING:
            raise UserError("只有办理中的事项可以延期")
        if d.extension_days:
            raise UserError("该事项已延期过一次，按规定只能延期一次")
        d.extension_days = days
        d.extension_reason = reason.strip()

    return _change(db, petition_id, "", edit, version)


def close(
    db: Database,
    petition_id: int,
    on: date,
    result: str,
    satisfaction: str = "",
    *,
    version: int | None = None,
) -> PetitionData:
    """办结, with the reply given to the petitioner."""
    if not result.strip():
        raise UserError("请填写办理结果/答复")

    def edit(d: PetitionData) -> None:
        d.closed_on = on
        d.result = result.strip()
        d.satisfaction = satisfaction

    return _change(db, petition_id, PETITION_CLOSED, edit, version)


def reopen(db: Database, petition_id: int, *, version: int | None = None) -> PetitionData:
    """Take back a 办结/不予受理/转送 entered by mistake."""
    with db.session() as session:
        row = session.get(Petition, petition_id)
        if row is None:
            raise UserError("该信访事项已被删除")
        status = row.status
    target = PETITION_HANDLING if status == PETITION_CLOSED else PETITION_PENDING

    def edit(d: PetitionData) -> None:
        d.closed_on = None
        if target == PETITION_PENDING:
            d.result = ""

    return _change(db, petition_id, target, edit, version)


# -- lists and counts ----------------------------------------------------------------------------

SEARCH_COLUMNS = (
    Petition.number,
    Petition.summary,
    Petition.petitioner,
    Petition.referred_by,
    Petition.department,
    Petition.leader,
    Petition.result,
)


def petition_conditions(unit_id: int, flt: RegisterFilter, today: date) -> list[ColumnElement[bool]]:
    """The WHERE of the register list (every condition is an indexed or cheap SQL filter)."""
    conditions: list[ColumnElement[bool]] = [Petition.unit_id == unit_id]
    conditions += date_range_conditions(Petition.received_on, flt.start, flt.end)
    if flt.status:
        conditions.append(Petition.status == flt.status)
    if flt.due == "open":
        conditions.append(Petition.status.in_(OPEN_STATES))
    else:
        conditions += due_conditions(Petition.next_due, flt.due, today)
    for key in ("channel", "category", "assignment"):
        value = flt.extra.get(key)
        if value:
            conditions.append(getattr(Petition, key) == value)
    found = search_condition(SEARCH_COLUMNS, flt.text)
    if found is not None:
        conditions.append(found)
    return conditions


@dataclass(frozen=True)
class AttentionCounts:
    """Open items whose deadline has passed or falls within the next 7 days (all years)."""

    overdue: int
    due_soon: int
    open: int
    pending: int  # 待受理

    @property
    def attention(self) -> int:
        return self.overdue + self.due_soon


def attention_counts(session: Session, unit_id: int, today: date) -> AttentionCounts:
    base = select(func.count()).select_from(Petition).where(Petition.unit_id == unit_id)
    overdue = session.scalar(base.where(*due_conditions(Petition.next_due, OVERDUE, today))) or 0
    soon = session.scalar(base.where(*due_conditions(Petition.next_due, DUE_SOON, today))) or 0
    open_ = session.scalar(base.where(Petition.status.in_(OPEN_STATES))) or 0
    pending = session.scalar(base.where(Petition.status == PETITION_PENDING)) or 0
    return AttentionCounts(overdue, soon, open_, pending)


def petition_badge(session: Session, unit_id: int, _year: int, today: date | None = None) -> int:
    """Navigation badge: open items overdue or due within 7 days (deadlines know no year)."""
    return attention_counts(session, unit_id, today or date.today()).attention


def due_soon_label(today: date) -> str:
    return f"{today.isoformat()}至{due_soon_end(today).isoformat()}"
