"""The 巡察整改 register against a real database."""

from __future__ import annotations

import os
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.db import Database
from app.errors import UserError
from app.models.registers import PROBLEM_DONE, PROBLEM_IN_PROGRESS, PROBLEM_LONG_TERM, PROBLEM_NOT_STARTED
from app.services.registers import rectification as rc
from app.services.registers.common import DUE_SOON, OVERDUE, RegisterFilter
from app.services.unit import create_unit


@pytest.fixture
def inspection(any_db: Database) -> tuple[int, int, list[int]]:
    unit_id = create_unit(any_db, "测试县住建局", 2023)
    data = rc.InspectionData(
        name="专项巡察",
        team="县委第一巡察组",
        start_on=date(2023, 3, 1),
        end_on=date(2023, 4, 1),
        feedback_on=date(2023, 5, 10),
        aspects=[rc.AspectData("履行主体责任方面"), rc.AspectData("工程监管方面")],
    )
    inspection_id = rc.save_inspection(any_db, unit_id, data)
    with any_db.session() as s:
        aspects = [a.id for a in rc.load_inspection(s, inspection_id).aspects]
    return unit_id, inspection_id, aspects


def _problem(db: Database, inspection_id: int, aspect_id: int, **values) -> int:
    with db.session() as s:
        data = rc.new_problem(s, inspection_id, aspect_id)
    data.description = values.pop("description", "问题")
    for key, value in values.items():
        setattr(data, key, value)
    return rc.save_problem(db, data)


def test_a_problem_goes_through_to_closing_off(any_db: Database, inspection) -> None:
    _unit_id, inspection_id, aspects = inspection
    # GIVEN a problem with three measures
    pid = _problem(
        any_db,
        inspection_id,
        aspects[0],
        description="制度建设不健全",
        measures=["修订制度", "  ", "开展培训"],
        leader="李卫东",
        due_on=date(2023, 6, 30),
    )
    with any_db.session() as s:
        data = rc.load_problem(s, pid)
    assert (data.number, data.status, data.measures) == (1, PROBLEM_NOT_STARTED, ["修订制度", "开展培训"])
    # WHEN work starts, then finishes
    with pytest.raises(UserError, match="只有已完成或长期坚持的问题可以销号"):
        rc.close_off(any_db, pid, date(2023, 6, 1))
    assert rc.start(any_db, pid).status == PROBLEM_IN_PROGRESS
    done = rc.complete(any_db, pid, date(2023, 6, 20), "修订后的制度文件")
    assert (done.status, done.completed_on, done.evidence) == (
        PROBLEM_DONE,
        date(2023, 6, 20),
        "修订后的制度文件",
    )
    # THEN it can be struck off, not before it was completed
    with pytest.raises(UserError, match="销号日期不能早于完成日期"):
        rc.close_off(any_db, pid, date(2023, 6, 19))
    closed = rc.close_off(any_db, pid, date(2023, 7, 1))
    assert closed.closed_on == date(2023, 7, 1)
    with pytest.raises(UserError, match="已销号"):
        rc.close_off(any_db, pid, date(2023, 7, 2))
    # AND the progress counts it
    with any_db.session() as s:
        progress = rc.rectification_progress(s, inspection_id, date(2023, 7, 2))
    assert (progress.total, progress.done, progress.closed, progress.completion_rate) == (
        1,
        1,
        1,
        Decimal("1"),
    )
    # AND a mistaken 完成 can be taken back, which clears its dates
    back = rc.reopen(any_db, pid)
    assert (back.status, back.completed_on, back.closed_on) == (PROBLEM_IN_PROGRESS, None, None)


def test_progress_by_aspect_and_state_with_overdue(any_db: Database, inspection) -> None:
    _unit_id, inspection_id, (first, second) = inspection
    a = _problem(any_db, inspection_id, first, due_on=date(2023, 6, 30))
    b = _problem(any_db, inspection_id, first, due_on=date(2023, 7, 5))
    c = _problem(any_db, inspection_id, second, due_on=date(2023, 12, 31))
    d = _problem(any_db, inspection_id, second, due_on=date(2023, 6, 1))
    rc.start(any_db, a)
    rc.keep_up(any_db, c, date(2023, 6, 1))
    rc.complete(any_db, d, date(2023, 5, 30))
    today = date(2023, 7, 1)
    with any_db.session() as s:
        p = rc.rectification_progress(s, inspection_id, today)
        assert [x.title for x in p.aspects] == ["履行主体责任方面", "工程监管方面"]
        assert p.aspect_count == 2 and p.total == 4
        assert p.by_state == {
            PROBLEM_NOT_STARTED: 1,
            PROBLEM_IN_PROGRESS: 1,
            PROBLEM_DONE: 1,
            PROBLEM_LONG_TERM: 1,
        }
        assert p.aspects[0].by_state[PROBLEM_IN_PROGRESS] == 1 and p.aspects[1].done == 2
        assert p.completion_rate == Decimal("0.5000")
        assert [x.id for x in p.overdue] == [a]
        assert [x.number for x in p.problems] == [1, 2, 3, 4]

        def ids(**kw) -> set[int]:
            from sqlalchemy import select

            from app.models.registers import RectificationProblem

            where = rc.problem_conditions(inspection_id, RegisterFilter(**kw), today)
            return set(s.scalars(select(RectificationProblem.id).where(*where)))

        assert ids(due=OVERDUE) == {a}
        assert ids(due=DUE_SOON) == {b}
        assert ids(due="open") == {a, b}
        assert ids(extra={"aspect_id": second}) == {c, d}
        assert rc.rectification_badge(s, _unit_id, 2023, today) == 2


def test_removing_an_aspect_keeps_its_problems_ungrouped(any_db: Database, inspection) -> None:
    unit_id, inspection_id, (first, second) = inspection
    pid = _problem(any_db, inspection_id, second)
    with any_db.session() as s:
        data = rc.load_inspection(s, inspection_id)
    data.aspects = [a for a in data.aspects if a.id == first] + [rc.AspectData("新增方面")]
    rc.save_inspection(any_db, unit_id, data)
    with any_db.session() as s:
        assert [a.title for a in rc.load_inspection(s, inspection_id).aspects] == [
            "履行主体责任方面",
            "新增方面",
        ]
        assert rc.load_problem(s, pid).aspect_id is None
        p = rc.rectification_progress(s, inspection_id, date(2023, 7, 1))
        assert [a.title for a in p.aspects] == ["履行主体责任方面", "新增方面", rc.UNGROUPED]
        assert p.aspect_count == 2


def test_validation_of_an_inspection() -> None:
    data = rc.InspectionData(name="", start_on=date(2023, 3, 1), end_on=date(2023, 2, 1))
    errors = rc.validate_inspection(data)
    assert errors["name"] == "请填写巡察名称"
    assert errors["end_on"] == "巡察结束日期不能早于开始日期"
    data = rc.InspectionData(name="x", aspects=[rc.AspectData("a"), rc.AspectData("a")])
    assert rc.validate_inspection(data)["aspects"] == "方面的名称重复"


def test_evidence_files_are_copied_into_the_data_folder(
    any_db: Database, inspection, tmp_path: Path, isolated_data_dir: Path
) -> None:
    _unit_id, inspection_id, aspects = inspection
    pid = _problem(any_db, inspection_id, aspects[0])
    source = tmp_path / "整改报告.pdf"
    source.write_bytes(b"%PDF-1.4 evidence")
    first = rc.add_attachment(any_db, pid, source)
    second = rc.add_attachment(any_db, pid, source)  # the same name again
    assert first.path.is_file() and first.path.read_bytes() == b"%PDF-1.4 evidence"
    assert first.path.is_relative_to(isolated_data_dir / "attachments")
    assert second.path != first.path and second.path.name == "整改报告（2）.pdf"
    if os.name == "posix":  # private whatever the umask (the tests run with the default 0022)
        assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
        for folder in (first.path.parent, first.path.parent.parent, isolated_data_dir / "attachments"):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    with any_db.session() as s:
        items = rc.list_attachments(s, pid)
    assert [i.file_name for i in items] == ["整改报告.pdf", "整改报告.pdf"]
    assert all(i.exists for i in items)
    rc.remove_attachment(any_db, first.id)
    assert not first.path.exists() and second.path.exists()
    with pytest.raises(UserError, match="找不到文件"):
        rc.add_attachment(any_db, pid, tmp_path / "missing.pdf")
    with any_db.session() as s:
        version = rc.load_problem(s, pid).version
    rc.delete_problem(any_db, pid, version)
    assert not second.path.exists()
