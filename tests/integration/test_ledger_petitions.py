"""Importing 信访事项登记台账 ledgers (three WPS-style layouts) through plan_import / apply_plan:
the items created with their 条例 deadlines, numbers given to rows without one, channels and
categories matched by synonym or added to the lists, row problems, duplicates (skip / update /
reject) against a re-import and the example data, and undo of the batch."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import UserError
from app.importers.ledgers import batches
from app.importers.ledgers.model import ImportOptions
from app.importers.ledgers.plan import ImportRefused, apply_plan, plan_import
from app.models.registers import CHOICE_CATEGORY, CHOICE_CHANNEL, Petition, PetitionChoice
from app.services.registers.petitions import choices, handling_due, next_due
from app.services.unit import create_unit
from tests.ledgers import build_petitions as build

CREATED = "信访事项"
DEFAULT_CHANNELS = "来信、来访、网上信访、12345热线/信箱、市长信箱、舆情、信访局转办、上级交办、巡视巡察交办"


@pytest.fixture
def unit_id(db: Database) -> int:
    return create_unit(db, "测试县建筑工程服务中心", 2023)


def _plan(db: Database, unit_id: int, path: Path, **options):
    return plan_import(db, unit_id, "petitions", path, ImportOptions(year=2023, **options))


def _import(db: Database, unit_id: int, path: Path, on_duplicate: str = "skip", **options):
    plan = _plan(db, unit_id, path, **options)
    assert plan.blockers(on_duplicate) == []
    return plan, apply_plan(db, unit_id, plan, on_duplicate)


def _petitions(db: Database, unit_id: int) -> dict[str, Petition]:
    with db.session() as session:
        rows = session.scalars(
            select(Petition).where(Petition.unit_id == unit_id).order_by(Petition.id)
        ).all()
        return {p.number: p for p in rows}


def _count(db: Database, unit_id: int) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Petition).where(Petition.unit_id == unit_id))


def _choice_names(db: Database, unit_id: int, kind: str) -> list[str]:
    with db.session() as session:
        return [c.name for c in choices(session, unit_id, kind)]


def _assert_stored(petition: Petition, line: build.PetitionLine) -> None:
    """The record holds what the line means, and the deadlines save_petition would store."""
    for name in (
        "received_on",
        "channel",
        "referred_by",
        "petitioner",
        "phone",
        "id_number",
        "people",
        "repeat",
        "category",
        "summary",
        "department",
        "leader",
        "accepted_on",
        "notified_on",
        "closed_on",
        "result",
        "satisfaction",
        "status",
        "required_by",
        "note",
        "assignment",
        "extension_days",
        "extension_reason",
    ):
        assert getattr(petition, name) == getattr(line, name), (line.sheet, line.row, name)
    assert petition.due_on == handling_due(
        petition.accepted_on, petition.extension_days, petition.required_by
    )
    assert petition.next_due == next_due(petition)
    assert petition.version == 1


def test_standard_ledger_creates_every_item_with_its_deadlines(db, unit_id, tmp_path):
    built = build.standard_ledger(tmp_path / "信访台账.xlsx", 20)
    plan, result = _import(db, unit_id, built.path)

    assert plan.sheets[0].skipped == 1  # the 合计 row
    assert len({m.field for m in plan.sheets[0].matches if m.field}) == 20  # every column but 序号
    assert result.counts.created == {CREATED: 20}
    assert result.counts.flagged == {"超期办结": 2, "超期受理告知": 1}
    petitions = _petitions(db, unit_id)
    assert len(petitions) == 20
    for line in built.lines:
        _assert_stored(petitions[line.number], line)

    first = petitions["汨住建信〔2023〕001号"]
    assert (first.received_on, first.channel, first.phone) == (
        date(2023, 1, 3),
        "12345热线/信箱",
        "13870001234",
    )
    assert first.id_number == "430681197001010001"
    assert (first.status, first.closed_on, first.due_on, first.next_due) == (
        "已办结",
        date(2023, 1, 8),
        date(2023, 3, 4),
        None,
    )
    in_hand = petitions["汨住建信〔2023〕004号"]
    assert (in_hand.status, in_hand.accepted_on, in_hand.due_on, in_hand.next_due) == (
        "办理中",
        date(2023, 2, 27),
        date(2023, 4, 28),
        date(2023, 4, 28),
    )
    waiting = petitions["汨住建信〔2023〕008号"]
    assert (waiting.status, waiting.due_on, waiting.next_due) == ("待受理", None, date(2023, 5, 20))
    assert "信访台账 第9行：办结日期2023年6月15日晚于办理期限2023年5月31日" in result.notes
    assert "信访台账 第13行：受理、告知日期2023年6月27日晚于15日受理告知期限2023年6月24日" in result.notes
    assert len(result.notes) == 3


def test_quarterly_ledger_numbers_items_and_reads_synonyms(db, unit_id, tmp_path):
    built = build.quarters_ledger(tmp_path / "2023年信访件办理台账.xlsx", 24)
    plan, result = _import(db, unit_id, built.path)

    assert [s.title for s in plan.sheets] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert [s.skipped for s in plan.sheets] == [1, 1, 1, 1]  # the 合计 rows
    first = plan.sheets[0]
    assert {m.header: m.field for m in first.matches}["办理情况/受理时间"] == "accepted_on"
    assert result.counts.created == {CREATED: 24}
    petitions = _petitions(db, unit_id)
    # no 信访编号 column: numbered in file order, per received year
    assert list(petitions) == [f"XF2023-{n:04d}" for n in range(1, 25)]
    for number, line in zip(petitions, built.lines, strict=True):
        _assert_stored(petitions[number], line)
    # 走访 → 来访, 网信 → 网上信访, 欠薪 → 农民工工资, 非常满意 → 满意, "6人", "3月12日" in the title's year
    second = petitions["XF2023-0002"]
    assert (second.channel, second.category, second.received_on) == ("来访", "农民工工资", date(2023, 1, 17))
    fifth = petitions["XF2023-0005"]
    assert (fifth.people, fifth.channel, fifth.category) == (6, "信访局转办", "工程款结算")
    assert petitions["XF2023-0001"].satisfaction == "满意"
    assert _choice_names(db, unit_id, CHOICE_CATEGORY)[-1] == "其他"  # nothing added


def test_hotline_ledger_takes_channel_and_year_from_the_file_name(example_db, example_unit_id, tmp_path):
    path = tmp_path / "2023年12345政务服务热线交办件登记表.xlsx"
    built = build.hotline_ledger(path, 16)
    plan, result = _import(example_db, example_unit_id, built.path)

    assert plan.additions == {"事项类别": ["物业管理"]}
    assert result.counts.created == {CREATED: 16}
    assert result.counts.added_values == {"事项类别": ["物业管理"]}
    assert result.counts.flagged == {"超期办结": sum(line.late for line in built.lines)}
    petitions = _petitions(example_db, example_unit_id)
    assert len(petitions) == 520 + 16
    # rows without a 工单编号 get the example's next numbers (XF2023-0284 is its last)
    blank = [line for line in built.lines if not line.number]
    assert [line.row for line in blank] == [4, 8, 12, 16]
    numbers = [f"XF2023-{n:04d}" for n in range(285, 289)]
    for number, line in zip(numbers, blank, strict=True):
        _assert_stored(petitions[number], line)
    for line in built.lines:
        if line.number:
            _assert_stored(petitions[line.number], line)
    closed = petitions["GD202300001"]
    assert (closed.accepted_on, closed.required_by, closed.due_on) == (
        date(2023, 1, 3),
        date(2023, 1, 13),
        date(2023, 1, 13),  # the 交办时限 is earlier than 60 days after 受理
    )
    assert petitions["GD202300004"].id_number == "43068119730404003X"  # typed with a lower-case x
    assert "Sheet1 第2行：台账无受理日期，按收到日期计" in result.notes
    assert _choice_names(example_db, example_unit_id, CHOICE_CATEGORY)[-2:] == ["其他", "物业管理"]


def test_csv_ledger_reads_extensions_assignments_and_landlines(db, unit_id, tmp_path):
    built = build.csv_ledger(tmp_path / "来访登记.csv", 12)
    result = _import(db, unit_id, built.path)[1]

    assert result.counts.created == {CREATED: 12}
    petitions = _petitions(db, unit_id)
    for line in built.lines:
        _assert_stored(petitions[line.number], line)
    extended = petitions["2023-来访-002"]  # 60 + 15 days from 受理, closed on day 70
    assert (extended.accepted_on, extended.extension_days, extended.due_on, extended.closed_on) == (
        date(2023, 2, 2),
        15,
        date(2023, 4, 18),
        date(2023, 4, 13),
    )
    assert petitions["2023-来访-003"].phone == "0730-5200002"
    assert petitions["2023-来访-005"].channel == "来访"  # written 集体访
    assert (petitions["2023-来访-005"].people, petitions["2023-来访-001"].assignment) == (6, "巡察交办")
    assert not any("2023-来访-002" in note for note in result.notes)


def test_a_file_naming_no_channel_needs_one(db, unit_id, tmp_path):
    built = build.hotline_ledger(tmp_path / "交办件登记表.xlsx", 8)
    plan = _plan(db, unit_id, built.path)
    assert plan.needs == [
        "文件中没有“信访渠道”列，标题和文件名也未指明渠道：请指定渠道所在的列，"
        "或为空白的渠道指定一个渠道（取值对应中“信访渠道”的空白值）"
    ]
    assert _count(db, unit_id) == 0

    _import(db, unit_id, built.path, value_maps={"channel": {"": "来信"}})
    assert {p.channel for p in _petitions(db, unit_id).values()} == {"来信"}


def test_bad_rows_are_problems_at_their_cell_and_nothing_is_written(example_db, example_unit_id, tmp_path):
    built = build.standard_ledger(tmp_path / "信访台账.xlsx", 10, bad=True)
    plan = _plan(example_db, example_unit_id, built.path)

    assert [p.text() for p in plan.problems] == [
        "信访台账 第5行 第C列（收到日期）：收到日期“2023.2.30”不是有效日期",
        "信访台账 第6行 第G列（联系电话）："
        "联系电话格式不正确：应为11位手机号或带区号的固定电话（如 0730-5212345）",
        "信访台账 第7行 第T列（办理状态）："
        "办理状态“已归档”无法识别（可填：已办结、办理中、待受理、不予受理、已转送）",
        "信访台账 第8行 第I列（人数）：公式未计算，请在 WPS 中打开并保存后再导入",
    ]
    with pytest.raises(ImportRefused):
        apply_plan(example_db, example_unit_id, plan, "skip")
    assert _count(example_db, example_unit_id) == 520


def test_validation_is_the_forms_own(db, unit_id, tmp_path):
    lines = build.sample_lines(4)
    lines[0] = replace(lines[0], number="A-1", id_number="430681197001010002")  # wrong check character
    lines[1] = replace(lines[1], number="A-1")  # the same number again
    lines[2] = replace(lines[2], number="A-3", result="")  # closed without a reply
    lines[3] = replace(
        lines[3], number="A-4", closed_on=lines[3].received_on - timedelta(days=1), status="", result="已答复"
    )
    built = build.standard_ledger(tmp_path / "信访台账.xlsx", lines=lines)
    plan = _plan(db, unit_id, built.path)

    assert [p.text() for p in plan.problems] == [
        "信访台账 第4行 第H列（身份证号）：身份证号校验位不正确，请核对是否录错",
        "信访台账 第6行 第R列（办理结果）：已办结的事项必须填写办理结果/答复",
        "信访台账 第7行 第Q列（办结日期）：办结日期不能早于受理日期",
    ]
    # the first 信访编号 "A-1" is on a row with a problem: the second is checked against the others
    fixed = replace(lines[0], id_number="")
    built = build.standard_ledger(tmp_path / "信访台账2.xlsx", lines=[fixed, lines[1]])
    plan = _plan(db, unit_id, built.path)
    assert [p.text() for p in plan.problems] == ["信访台账 第5行 第B列（信访编号）：信访编号“A-1”与第4行重复"]


def test_a_channel_missing_from_the_list_is_added_unless_strict(db, unit_id, tmp_path):
    lines = [replace(line, number=f"T-{i}") for i, line in enumerate(build.sample_lines(6))]
    lines[0] = replace(lines[0], channel="抖音留言", channel_text="抖音留言")
    lines[1] = replace(lines[1], channel="12345热线/信箱", channel_text="12345市民服务热线")  # shared number
    built = build.standard_ledger(tmp_path / "信访台账.xlsx", lines=lines)

    strict = _plan(db, unit_id, built.path, strict_values=True)
    assert [p.text() for p in strict.problems] == [
        f"信访台账 第4行 第D列（信访渠道）：信访渠道“抖音留言”不在列表中（可选：{DEFAULT_CHANNELS}）"
    ]

    plan, result = _import(db, unit_id, built.path)
    assert plan.additions == {"信访渠道": ["抖音留言"]}
    assert result.counts.added_values == {"信访渠道": ["抖音留言"]}
    petitions = _petitions(db, unit_id)
    assert (petitions["T-0"].channel, petitions["T-1"].channel) == ("抖音留言", "12345热线/信箱")
    # the unit was on the built-in list: it is stored, statistics groups kept, the new entry last
    with db.session() as session:
        stored = session.execute(
            select(PetitionChoice.name, PetitionChoice.stat_group)
            .where(PetitionChoice.unit_id == unit_id, PetitionChoice.kind == CHOICE_CHANNEL)
            .order_by(PetitionChoice.position)
        ).all()
    assert [tuple(r) for r in stored][:2] == [("来信", "信访"), ("来访", "信访")]
    assert [tuple(r) for r in stored][-1] == ("抖音留言", "")
    assert len(stored) == 10

    batches.undo_batch(db, result.batch_id)
    assert _count(db, unit_id) == 0
    assert _choice_names(db, unit_id, CHOICE_CHANNEL) == DEFAULT_CHANNELS.split("、")


def test_reimporting_a_ledger_creates_nothing(db, unit_id, tmp_path):
    unnumbered = build.quarters_ledger(tmp_path / "季度台账.xlsx", 12)
    _import(db, unit_id, unnumbered.path)
    assert _count(db, unit_id) == 12

    # without numbers, the same (收到日期, 信访人, 内容摘要) is the same item
    plan, again = _import(db, unit_id, unnumbered.path)
    assert len(plan.duplicates) == 12
    assert (again.counts.created, again.counts.skipped) == ({}, {CREATED: 12})
    # the same items in a numbered ledger: numbers unknown here, found by content
    numbered = build.standard_ledger(tmp_path / "信访台账.xlsx", 12)
    plan, again = _import(db, unit_id, numbered.path)
    assert (again.counts.created, again.counts.skipped) == ({}, {CREATED: 12})
    assert _count(db, unit_id) == 12
    # items with numbers: found by number (their summaries changed since)
    lines = [replace(line, summary=line.summary + "（再次反映）") for line in numbered.lines]
    again_numbered = build.standard_ledger(tmp_path / "信访台账（续）.xlsx", lines=lines)
    assert _import(db, unit_id, again_numbered.path)[1].counts.created == {CREATED: 12}
    plan, again = _import(db, unit_id, again_numbered.path)
    assert {row.duplicate_of for row in plan.records} == set(
        _petitions(db, unit_id)[line.number].id for line in lines
    )
    assert (again.counts.created, again.counts.skipped) == ({}, {CREATED: 12})
    assert _count(db, unit_id) == 24


def test_update_refreshes_imported_fields_and_deadlines_and_undo_puts_them_back(db, unit_id, tmp_path):
    built = build.standard_ledger(tmp_path / "信访台账.xlsx", 20)
    _import(db, unit_id, built.path)
    in_hand = built.lines[3]
    assert in_hand.status == "办理中"
    lines = list(built.lines)
    lines[3] = replace(
        in_hand,
        status="已办结",
        closed_on=date(2023, 5, 10),
        result="已督促开发企业交付",
        satisfaction="满意",
    )
    updated = build.standard_ledger(tmp_path / "信访台账（更新）.xlsx", lines=lines)

    result = _import(db, unit_id, updated.path, "update")[1]
    assert result.counts.updated == {CREATED: 20}
    # 5月10日 is after the 办理期限 (4月28日): a third late closing
    assert result.counts.flagged == {"超期办结": 3, "超期受理告知": 1}
    assert "信访台账 第7行：办结日期2023年5月10日晚于办理期限2023年4月28日" in result.notes
    record = _petitions(db, unit_id)[in_hand.number]
    assert (record.status, record.closed_on, record.result, record.next_due, record.version) == (
        "已办结",
        date(2023, 5, 10),
        "已督促开发企业交付",
        None,
        2,
    )
    assert _count(db, unit_id) == 20

    batches.undo_batch(db, result.batch_id)
    record = _petitions(db, unit_id)[in_hand.number]
    assert (record.status, record.closed_on, record.result, record.next_due) == (
        "办理中",
        None,
        "",
        date(2023, 4, 28),
    )
    assert _count(db, unit_id) == 20


def _example_lines(db: Database, unit_id: int, numbers: list[str]) -> list[build.PetitionLine]:
    petitions = _petitions(db, unit_id)
    names = [f.name for f in build.PetitionLine.__dataclass_fields__.values() if not f.name.endswith("text")]
    names = [n for n in names if n not in ("sheet", "row")]
    return [build.PetitionLine(**{n: getattr(petitions[number], n) for n in names}) for number in numbers]


def test_example_items_are_found_by_number(example_db, example_unit_id, tmp_path):
    numbers = [f"XF2023-{n:04d}" for n in range(1, 6)]
    lines = _example_lines(example_db, example_unit_id, numbers)
    built = build.standard_ledger(tmp_path / "信访台账.xlsx", lines=lines)
    plan = _plan(example_db, example_unit_id, built.path)

    assert len(plan.duplicates) == 5
    assert plan.blockers("reject") == ["有 5 行与已有的信访事项重复（--on-duplicate reject）"]
    result = apply_plan(example_db, example_unit_id, plan, "skip")
    assert (result.counts.created, result.counts.skipped) == ({}, {CREATED: 5})
    assert _count(example_db, example_unit_id) == 520


def test_undo_removes_the_items_and_the_added_category(example_db, example_unit_id, tmp_path):
    built = build.hotline_ledger(tmp_path / "2023年12345热线交办件.xlsx", 12)
    result = _import(example_db, example_unit_id, built.path)[1]
    assert _count(example_db, example_unit_id) == 532

    undone = batches.undo_batch(example_db, result.batch_id)
    assert undone.deleted == {"信访事项": 12, "信访选项": 1}
    assert _count(example_db, example_unit_id) == 520
    assert "物业管理" not in _choice_names(example_db, example_unit_id, CHOICE_CATEGORY)


def test_an_update_the_stored_record_cannot_take_is_noted_and_refused(example_db, example_unit_id, tmp_path):
    (line,) = _example_lines(example_db, example_unit_id, ["XF2023-0016"])  # 收到1月19日, 受理1月24日
    # the 12345 list (no 受理日期 column) closes it on the day it came: before the stored 受理
    line = replace(line, closed_on=date(2023, 1, 20), required_by=None, category_text=line.category)
    built = build.hotline_ledger(tmp_path / "2023年12345热线交办件.xlsx", lines=[line])
    plan = _plan(example_db, example_unit_id, built.path)

    assert plan.problems == [] and len(plan.duplicates) == 1
    assert plan.rows[0].notes == [
        "台账无受理日期，按收到日期计",
        "若更新已有的信访事项“XF2023-0016”：办结日期不能早于受理日期，无法更新",
    ]
    assert apply_plan(example_db, example_unit_id, plan, "skip").counts.skipped == {CREATED: 1}
    with pytest.raises(UserError, match="Sheet1 第2行：若更新已有的信访事项“XF2023-0016”"):
        apply_plan(example_db, example_unit_id, plan, "update")
    assert _petitions(example_db, example_unit_id)["XF2023-0016"].closed_on == date(2023, 2, 13)


def test_a_status_column_telling_what_was_done_is_the_reply(db, unit_id, tmp_path):
    lines = [replace(line, number=f"T-{i}") for i, line in enumerate(build.sample_lines(3))]
    done = "已约谈开发企业，督促完成屋面防水维修，已电话回复"
    lines[0] = replace(lines[0], status=done, result="")
    lines[1] = replace(lines[1], status="已存档")  # short: an unknown status word
    built = build.standard_ledger(tmp_path / "信访台账.xlsx", lines=lines)
    plan = _plan(db, unit_id, built.path)

    assert [p.text() for p in plan.problems] == [
        "信访台账 第5行 第T列（办理状态）："
        "办理状态“已存档”无法识别（可填：已办结、办理中、待受理、不予受理、已转送）"
    ]
    assert (plan.rows[0].values["status"], plan.rows[0].values["result"]) == ("已办结", done)
