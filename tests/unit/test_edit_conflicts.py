"""Two editors of one record (two windows, or two PCs on one PostgreSQL database): A saves a change,
then B saves a change to another field from the copy B loaded before A's save. B must be refused
with a Chinese message, and A's change must still be there. Likewise a delete of a record changed
since it was loaded, and a state change based on an old copy. Every editor, on SQLite and
PostgreSQL (any_db)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from app.db import Database
from app.errors import EditConflictError
from app.services.registers import petitions as pt
from app.services.registers import rectification as rc
from app.services.unit import create_unit, load_profile, save_profile
from app.services.versions import reapply
from tests.edit_scenarios import EDITORS, Editor, _petition, _problem


@pytest.fixture
def unit_id(any_db: Database) -> int:
    return create_unit(any_db, "测试县建筑工程服务中心", 2024)


@pytest.mark.parametrize("editor", EDITORS, ids=[e.name for e in EDITORS])
def test_a_save_from_a_stale_copy_is_refused_and_the_other_change_kept(
    any_db: Database, unit_id: int, editor: Editor
) -> None:
    record_id = editor.make(any_db, unit_id)
    copy_a, copy_b = editor.load(any_db, record_id), editor.load(any_db, record_id)
    original_b = copy.deepcopy(copy_b)
    # A saves first
    setattr(copy_a, *editor.mine)
    editor.save(any_db, unit_id, record_id, copy_a)
    # B, still holding the old copy, changes another field: refused, in Chinese, saying when and where
    setattr(copy_b, *editor.theirs)
    with pytest.raises(
        EditConflictError, match=r"已在别处被修改并保存（今天 \d\d:\d\d，在本机的另一个窗口中）"
    ):
        editor.save(any_db, unit_id, record_id, copy_b)
    stored = editor.load(any_db, record_id)
    assert getattr(stored, editor.mine[0]) == editor.mine[1]
    assert getattr(stored, editor.theirs[0]) != editor.theirs[1]
    # B re-applies its change on the newer copy: both changes are kept
    merged, clashes = reapply(original_b, copy_b, stored)
    assert clashes == []
    editor.save(any_db, unit_id, record_id, dataclasses.replace(merged))
    both = editor.load(any_db, record_id)
    assert getattr(both, editor.mine[0]) == editor.mine[1]
    assert getattr(both, editor.theirs[0]) == editor.theirs[1]


@pytest.mark.parametrize("editor", EDITORS, ids=[e.name for e in EDITORS])
def test_a_delete_of_a_record_changed_since_it_was_loaded_is_refused(
    any_db: Database, unit_id: int, editor: Editor
) -> None:
    record_id = editor.make(any_db, unit_id)
    stale = editor.load(any_db, record_id)
    fresh = editor.load(any_db, record_id)
    setattr(fresh, *editor.mine)
    editor.save(any_db, unit_id, record_id, fresh)
    assert editor.delete is not None
    with pytest.raises(EditConflictError, match="本次未删除"):
        editor.delete(any_db, record_id, stale.version)
    assert getattr(editor.load(any_db, record_id), editor.mine[0]) == editor.mine[1]
    editor.delete(any_db, record_id, editor.load(any_db, record_id).version)
    with pytest.raises(Exception, match="删除"):
        editor.load(any_db, record_id)


def test_the_unit_profile_refuses_a_stale_copy(any_db: Database, unit_id: int) -> None:
    with any_db.session() as s:
        a, b = load_profile(s, unit_id, 2024), load_profile(s, unit_id, 2024)
    a.staff_quota = 61
    save_profile(any_db, unit_id, 2024, a)
    b.head = "赵一"
    with pytest.raises(EditConflictError, match="2024年度的单位信息已在别处被修改并保存"):
        save_profile(any_db, unit_id, 2024, b)
    with any_db.session() as s:
        stored = load_profile(s, unit_id, 2024)
    assert (stored.staff_quota, stored.head) == (61, "")
    # the unit's name is checked too: a rename elsewhere is not reverted by a stale copy
    with any_db.session() as s:
        c = load_profile(s, unit_id, 2024)
    stored.name = "测试县建设工程服务中心"
    save_profile(any_db, unit_id, 2024, stored)
    c.head = "钱二"
    with pytest.raises(EditConflictError, match="单位名称和统一社会信用代码已在别处被修改并保存"):
        save_profile(any_db, unit_id, 2024, c)


def test_another_year_of_the_profile_is_not_a_conflict(any_db: Database, unit_id: int) -> None:
    from app.services.unit import add_year

    add_year(any_db, unit_id, 2025, 2024)
    with any_db.session() as s:
        older, newer = load_profile(s, unit_id, 2024), load_profile(s, unit_id, 2025)
    newer.staff_quota = 70
    save_profile(any_db, unit_id, 2025, newer)
    older.staff_quota = 60
    save_profile(any_db, unit_id, 2024, older)  # different year row, same unit name: no conflict


@pytest.mark.parametrize(
    ("action", "args"),
    [(pt.accept, (date(2024, 3, 5),)), (pt.reject, (date(2024, 3, 5), "不属于本机关职责"))],
)
def test_a_state_change_from_a_stale_copy_is_refused(
    any_db: Database, unit_id: int, action: Callable[..., Any], args: tuple
) -> None:
    pid = _petition(any_db, unit_id)
    with any_db.session() as s:
        stale = pt.load_petition(s, pid)
        fresh = pt.load_petition(s, pid)
    fresh.summary = "屋面渗漏，已现场查看"
    pt.save_petition(any_db, unit_id, fresh)
    with pytest.raises(EditConflictError, match="信访事项“XF2024-0001”已在别处被修改并保存"):
        action(any_db, pid, *args, version=stale.version)
    with any_db.session() as s:
        assert pt.load_petition(s, pid).status == "待受理"


def test_a_problem_state_change_from_a_stale_copy_is_refused(any_db: Database, unit_id: int) -> None:
    pid = _problem(any_db, unit_id)
    with any_db.session() as s:
        stale = rc.load_problem(s, pid)
    rc.start(any_db, pid, version=stale.version)
    with pytest.raises(EditConflictError, match="整改问题1已在别处被修改并保存"):
        rc.complete(any_db, pid, date(2024, 6, 1), version=stale.version)


def test_a_save_of_a_record_deleted_elsewhere_is_refused(any_db: Database, unit_id: int) -> None:
    pid = _petition(any_db, unit_id)
    with any_db.session() as s:
        copy = pt.load_petition(s, pid)
    pt.delete_petition(any_db, pid, copy.version)
    copy.summary = "补充"
    with pytest.raises(EditConflictError, match="已在别处被删除"):
        pt.save_petition(any_db, unit_id, copy)


def test_an_update_without_the_loaded_version_is_a_programming_error(any_db: Database, unit_id: int) -> None:
    pid = _petition(any_db, unit_id)
    with any_db.session() as s:
        copy = pt.load_petition(s, pid)
    copy.version = None
    with pytest.raises(ValueError, match="version"):
        pt.save_petition(any_db, unit_id, copy)


def test_a_write_that_loses_the_race_inside_its_transaction_is_a_conflict(
    any_db: Database, unit_id: int
) -> None:
    """The version check and the UPDATE are one statement (`WHERE version = …`): a save that passed
    the check but whose row was changed by another connection before its UPDATE is refused too."""
    from app.models.registers import Petition

    pid = _petition(any_db, unit_id)
    with pytest.raises(EditConflictError, match="刚刚在别处"), any_db.transaction() as session:
        row = session.get(Petition, pid)
        row.summary = "我的修改"
        with any_db.engine.begin() as other:  # another PC's save commits in between
            other.exec_driver_sql(
                f"UPDATE petition SET version = version + 1, summary = '别人的修改' WHERE id = {pid}"
            )
        session.flush()
    with any_db.session() as s:
        assert pt.load_petition(s, pid).summary == "别人的修改"


def test_a_report_section_saved_elsewhere_is_not_overwritten(any_db: Database, unit_id: int) -> None:
    from app.services.reports.prose import ReportEdits, SectionText, load_sections, save_report

    key = ("safety_quarterly", "Q1")
    save_report(any_db, unit_id, 2024, *key, ReportEdits({"next": SectionText("next", text="初稿")}))
    with any_db.session() as s:
        a = load_sections(s, unit_id, 2024, *key)["next"]
    b = dataclasses.replace(a)
    save_report(any_db, unit_id, 2024, *key, ReportEdits({"next": dataclasses.replace(a, text="A 的修改")}))
    with pytest.raises(EditConflictError, match="已在别处被修改并保存"):
        save_report(
            any_db, unit_id, 2024, *key, ReportEdits({"next": dataclasses.replace(b, text="B 的修改")})
        )
    # a section the page did not know was stored (written elsewhere after the page loaded) too
    with pytest.raises(EditConflictError):
        save_report(any_db, unit_id, 2024, *key, ReportEdits({"next": SectionText("next", text="C")}))
    with any_db.session() as s:
        assert load_sections(s, unit_id, 2024, *key)["next"].text == "A 的修改"
    # another section of the same report saved from the old page is not a conflict
    save_report(any_db, unit_id, 2024, *key, ReportEdits({"problems": SectionText("problems", text="问题")}))


def test_the_budget_year_refuses_a_stale_copy_and_reapplies(any_db: Database, unit_id: int) -> None:
    from decimal import Decimal

    from app.services.budget.data import load_year, save_year

    with any_db.session() as s:
        a, b = load_year(s, unit_id, 2024), load_year(s, unit_id, 2024)
    original_b = b.copy()
    a.goal_expected = "完成年度监督任务"
    save_year(any_db, unit_id, 2024, a)
    b.personnel = Decimal("812.35")
    with pytest.raises(EditConflictError, match="2024年度的预算绩效数据已在别处"):
        save_year(any_db, unit_id, 2024, b)
    with any_db.session() as s:
        fresh = load_year(s, unit_id, 2024)
    merged, clashes = reapply(original_b, b, fresh)
    assert clashes == [] and merged.revision == fresh.revision
    save_year(any_db, unit_id, 2024, merged)
    with any_db.session() as s:
        both = load_year(s, unit_id, 2024)
    assert (both.goal_expected, both.personnel) == ("完成年度监督任务", Decimal("812.35"))


def test_workload_values_changed_elsewhere_are_not_overwritten(any_db: Database, unit_id: int) -> None:
    from decimal import Decimal

    from app.services.safety.periods import Period
    from app.services.safety.workload import catalogue, save_values, typed_values

    period = Period.year(2024)
    with any_db.session() as s:
        key = next(item.key for item in catalogue(s, unit_id) if not item.is_rate)
        shown = typed_values(s, unit_id, period)
    save_values(any_db, unit_id, period, {key: Decimal(12)}, shown)  # A
    with pytest.raises(EditConflictError, match="已在别处被修改并保存"):
        save_values(any_db, unit_id, period, {key: Decimal(15)}, shown)  # B, from the same screen
    with any_db.session() as s:
        assert typed_values(s, unit_id, period)[key] == Decimal(12)


def test_a_pick_list_changed_elsewhere_is_not_replaced(any_db: Database, unit_id: int) -> None:
    from app.models.registers import CHOICE_CHANNEL

    with any_db.session() as s:
        shown = pt.choices(s, unit_id, CHOICE_CHANNEL)
    pt.save_choices(any_db, unit_id, CHOICE_CHANNEL, [*shown, pt.Choice("12345热线", "网上信访")], shown)
    with pytest.raises(EditConflictError, match="渠道列表已在别处被修改并保存"):
        pt.save_choices(any_db, unit_id, CHOICE_CHANNEL, shown[:3], shown)
    with any_db.session() as s:
        assert pt.choices(s, unit_id, CHOICE_CHANNEL)[-1].name == "12345热线"
