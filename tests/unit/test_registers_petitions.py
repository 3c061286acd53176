"""The 信访 register against a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import UserError
from app.models.registers import (
    CHOICE_CHANNEL,
    PETITION_CLOSED,
    PETITION_HANDLING,
    PETITION_PENDING,
    PETITION_REJECTED,
    Petition,
)
from app.services.registers import petitions as pt
from app.services.registers.common import DUE_SOON, OVERDUE, RegisterFilter
from app.services.registers.petition_stats import petition_stats
from app.services.unit import create_unit


def _new(db: Database, unit_id: int, received: date, **values) -> int:
    with db.session() as s:
        data = pt.new_petition(s, unit_id, received)
    data.channel = values.pop("channel", "来信")
    data.category = values.pop("category", "房屋质量")
    for key, value in values.items():
        setattr(data, key, value)
    return pt.save_petition(db, unit_id, data)


@pytest.fixture
def unit_id(any_db: Database) -> int:
    return create_unit(any_db, "测试县建筑工程服务中心", 2023)


def test_a_petition_goes_from_receipt_to_closing(any_db: Database, unit_id: int) -> None:
    # GIVEN a letter received on 1 March
    pid = _new(any_db, unit_id, date(2023, 3, 1), petitioner="王建国", phone="13812345668")
    with any_db.session() as s:
        item = pt.load_petition(s, pid)
        assert item.number == "XF2023-0001" and item.status == PETITION_PENDING
        assert s.get(Petition, pid).next_due == date(2023, 3, 16)
    # WHEN it is accepted on 6 March
    item = pt.accept(any_db, pid, date(2023, 3, 6))
    # THEN it is being handled, told the same day, and due 60 days later
    assert (item.status, item.notified_on) == (PETITION_HANDLING, date(2023, 3, 6))
    with any_db.session() as s:
        row = s.get(Petition, pid)
        assert (row.due_on, row.next_due) == (date(2023, 5, 5), date(2023, 5, 5))
    # AND an extension of 30 days (once, with a reason) moves the deadline
    with pytest.raises(UserError, match="请填写延期理由"):
        pt.extend(any_db, pid, 30, " ")
    pt.extend(any_db, pid, 30, "需现场检测")
    with pytest.raises(UserError, match="只能延期一次"):
        pt.extend(any_db, pid, 10, "再延")
    with any_db.session() as s:
        assert s.get(Petition, pid).due_on == date(2023, 6, 4)
    # AND closing needs a reply
    with pytest.raises(UserError, match="请填写办理结果"):
        pt.close(any_db, pid, date(2023, 6, 1), "")
    item = pt.close(any_db, pid, date(2023, 6, 1), "已督促维修并答复", "满意")
    assert item.status == PETITION_CLOSED
    with any_db.session() as s:
        assert s.get(Petition, pid).next_due is None
    # AND a mistaken 办结 can be taken back
    item = pt.reopen(any_db, pid)
    assert (item.status, item.closed_on) == (PETITION_HANDLING, None)


def test_state_changes_out_of_order_are_refused(any_db: Database, unit_id: int) -> None:
    pid = _new(any_db, unit_id, date(2023, 3, 1))
    with pytest.raises(UserError, match="不能改为“已办结”"):
        pt.close(any_db, pid, date(2023, 3, 2), "答复")
    with pytest.raises(UserError, match="受理日期不能早于收到日期"):
        pt.accept(any_db, pid, date(2023, 2, 1))
    pt.reject(any_db, pid, date(2023, 3, 5), "不属于本单位职责范围，已告知向市场监管部门反映")
    with any_db.session() as s:
        row = s.get(Petition, pid)
        assert (row.status, row.next_due) == (PETITION_REJECTED, None)


def test_the_form_cannot_change_the_state_or_reuse_a_number(any_db: Database, unit_id: int) -> None:
    first = _new(any_db, unit_id, date(2023, 3, 1))
    second = _new(any_db, unit_id, date(2023, 3, 2))
    with any_db.session() as s:
        data = pt.load_petition(s, second)
    assert data.number == "XF2023-0002"
    data.number = "XF2023-0001"
    with pytest.raises(UserError, match="已被另一件信访事项使用"):
        pt.save_petition(any_db, unit_id, data)
    data.number = "XF2023-0002"
    data.status = PETITION_CLOSED  # a form cannot close an item
    pt.save_petition(any_db, unit_id, data)
    with any_db.session() as s:
        assert s.get(Petition, second).status == PETITION_PENDING
        assert s.get(Petition, first).status == PETITION_PENDING


def test_filters_and_attention_counts(any_db: Database, unit_id: int) -> None:
    today = date(2023, 6, 15)
    overdue = _new(any_db, unit_id, date(2023, 5, 1))  # acceptance was due 16 May
    soon = _new(any_db, unit_id, date(2023, 6, 5), summary="小区外墙开裂")  # due 20 June
    later = _new(any_db, unit_id, date(2023, 6, 14), channel="来访")  # due 29 June
    closed = _new(any_db, unit_id, date(2023, 6, 1))
    pt.accept(any_db, closed, date(2023, 6, 1))
    pt.close(any_db, closed, date(2023, 6, 10), "已答复")

    def ids(**kw) -> set[int]:
        flt = RegisterFilter(**kw)
        with any_db.session() as s:
            return set(s.scalars(select(Petition.id).where(*pt.petition_conditions(unit_id, flt, today))))

    assert ids() == {overdue, soon, later, closed}
    assert ids(due=OVERDUE) == {overdue}
    assert ids(due=DUE_SOON) == {soon}
    assert ids(due="open") == {overdue, soon, later}
    assert ids(status=PETITION_CLOSED) == {closed}
    assert ids(text="外墙") == {soon}
    assert ids(text="XF2023-000") == {overdue, soon, later, closed}
    assert ids(text="100%_") == set()  # LIKE wildcards are searched literally
    assert ids(extra={"channel": "来访"}) == {later}
    assert ids(start=date(2023, 6, 1), end=date(2023, 6, 10)) == {soon, closed}
    with any_db.session() as s:
        counts = pt.attention_counts(s, unit_id, today)
        assert (counts.overdue, counts.due_soon, counts.open, counts.pending) == (1, 1, 3, 3)
        assert pt.petition_badge(s, unit_id, 2023, today) == 2


def test_statistics_of_a_small_set(any_db: Database, unit_id: int) -> None:
    # 2023: a group visit of 6 closed on time, a repeat visit closed late, a letter still pending.
    visit = _new(any_db, unit_id, date(2023, 2, 1), channel="来访", people=6, category="农民工工资")
    pt.accept(any_db, visit, date(2023, 2, 2))
    pt.close(any_db, visit, date(2023, 3, 1), "已协调支付")
    repeat = _new(any_db, unit_id, date(2023, 2, 3), channel="来访", people=2, repeat=True)
    pt.accept(any_db, repeat, date(2023, 2, 3))
    pt.close(any_db, repeat, date(2023, 4, 10), "已答复")  # due 4 April
    open_ = _new(
        any_db,
        unit_id,
        date(2023, 5, 1),
        channel="12345热线/信箱",
        assignment="巡视交办",
        category="施工扰民",
    )
    pt.accept(any_db, open_, date(2023, 5, 1))  # due 30 June
    _new(any_db, unit_id, date(2022, 3, 1))
    _new(any_db, unit_id, date(2022, 4, 1))
    with any_db.session() as s:
        stats = petition_stats(s, unit_id, date(2023, 1, 1), date(2023, 12, 31), as_of=date(2023, 12, 31))
    assert stats.total == 3
    assert stats.group("信访") == 2 and stats.group("12345热线/信箱") == 1
    assert stats.group_text() == "信访2件、12345热线/信箱1件"
    assert stats.channel("来访") == 2
    assert (stats.accepted, stats.closed, stats.closed_on_time, stats.overdue_open) == (3, 2, 1, 1)
    assert stats.closed_rate == Decimal("0.6667")
    assert stats.on_time_rate == Decimal("0.3333")  # 1 on time of 2 closed + 1 overdue
    assert (stats.visits, stats.visitors, stats.visitors_individual, stats.visitors_group) == (2, 8, 2, 6)
    assert (stats.group_visits, stats.repeat_visits) == (1, 1)
    assert stats.assignment("巡视交办") == 1 and stats.assigned == 1
    assert stats.previous is not None and stats.previous.total == 2
    assert stats.yoy_text == "同比上升50.0%"
    assert stats.yoy == Decimal("0.5000")


def test_editing_the_channel_list_regroups_the_statistics(any_db: Database, unit_id: int) -> None:
    _new(any_db, unit_id, date(2023, 2, 1), channel="来信")
    _new(any_db, unit_id, date(2023, 2, 2), channel="热线来电")  # not in any list
    with any_db.session() as s:
        assert [c.name for c in pt.choices(s, unit_id, CHOICE_CHANNEL)][:2] == ["来信", "来访"]
    items = [pt.Choice("来信", "群众来信"), pt.Choice("热线来电", "热线")]
    with pytest.raises(UserError, match="名称重复"):
        pt.save_choices(any_db, unit_id, CHOICE_CHANNEL, [*items, pt.Choice("来信")])
    pt.save_choices(any_db, unit_id, CHOICE_CHANNEL, items)
    with any_db.session() as s:
        assert pt.choices(s, unit_id, CHOICE_CHANNEL) == items
        stats = petition_stats(s, unit_id, date(2023, 1, 1), date(2023, 12, 31))
        assert stats.group_text() == "群众来信1件、热线1件"
        # history is not rewritten: the item keeps the channel it was registered with
        assert s.scalar(select(func.count()).where(Petition.channel == "来信")) == 1


def test_the_year_line_totals_agree_with_the_statistics(example_db, example_unit_id) -> None:
    from app.services.registers.petition_stats import petition_stats, petition_totals

    with example_db.session() as session:
        for start, end in ((date(2023, 1, 1), date(2023, 12, 31)), (date(2023, 4, 1), date(2023, 6, 30))):
            stats = petition_stats(session, example_unit_id, start, end, with_previous=False)
            totals = petition_totals(session, example_unit_id, start, end)
            expected = (stats.total, stats.accepted, stats.closed)
            assert (totals.total, totals.accepted, totals.closed) == expected
            assert totals.closed_rate == stats.closed_rate
        assert petition_totals(session, example_unit_id, date(2023, 1, 1), date(2023, 12, 31)).total == 284
