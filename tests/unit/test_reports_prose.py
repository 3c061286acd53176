"""Report prose storage: save and load per unit, year, report and scope; new-year carry-over."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.db import Database
from app.errors import UserError
from app.registry import default_registry
from app.services.reports.prose import (
    ReportEdits,
    ReportSettings,
    SectionText,
    load_sections,
    load_settings,
    new_custom_key,
    save_report,
    scopes_with_prose,
)
from app.services.unit import add_year, create_unit


def _unit(db: Database) -> int:
    return create_unit(db, "测试县建筑工程服务中心", 2023)


def test_sections_and_settings_round_trip(any_db: Database) -> None:
    unit_id = _unit(any_db)
    custom = new_custom_key()
    edits = ReportEdits(
        sections={
            "problems": SectionText("problems", text="一是……\n二是……"),
            "work.responsibility": SectionText(
                "work.responsibility", text="正文", title="高度重视，明确责任", run_in=True
            ),
            custom: SectionText(custom, text="小节正文", title="新增小节", parent_key="work", position=1),
        },
        settings=ReportSettings(
            addressee="市委政法委", sign_date=date(2024, 1, 5), seal=False, variant="工作总结"
        ),
    )
    save_report(any_db, unit_id, 2023, "safety_self_check", "", edits)
    with any_db.session() as s:
        rows = load_sections(s, unit_id, 2023, "safety_self_check", "")
        settings = load_settings(s, unit_id, 2023, "safety_self_check", "")
        other_scope = load_sections(s, unit_id, 2023, "safety_self_check", "Q1")
    assert rows["problems"].text == "一是……\n二是……"
    assert (
        rows["work.responsibility"].title == "高度重视，明确责任"
        and rows["work.responsibility"].run_in is True
    )
    assert rows[custom].parent_key == "work" and rows[custom].is_custom
    assert settings == ReportSettings(
        addressee="市委政法委",
        sign_date=date(2024, 1, 5),
        seal=False,
        append_tables=False,
        variant="工作总结",
        version=1,
    )
    assert other_scope == {}


def test_saving_again_updates_and_deletes_in_one_go(any_db: Database) -> None:
    unit_id = _unit(any_db)
    custom = new_custom_key()
    save_report(
        any_db,
        unit_id,
        2023,
        "safety_quarterly",
        "Q1",
        ReportEdits(
            sections={
                "next": SectionText("next", text="旧"),
                custom: SectionText(custom, title="方面一", parent_key="problems"),
            }
        ),
    )
    save_report(
        any_db,
        unit_id,
        2023,
        "safety_quarterly",
        "Q1",
        ReportEdits(sections={"next": SectionText("next", text="新", version=1)}, deleted={custom}),
    )
    with any_db.session() as s:
        rows = load_sections(s, unit_id, 2023, "safety_quarterly", "Q1")
        assert scopes_with_prose(s, unit_id, 2023, "safety_quarterly") == {"Q1"}
    assert set(rows) == {"next"} and rows["next"].text == "新"


def test_an_added_subsection_needs_a_title_and_nothing_is_saved_without_it(db: Database) -> None:
    unit_id = _unit(db)
    custom = new_custom_key()
    edits = ReportEdits(
        sections={
            "next": SectionText("next", text="会保存吗"),
            custom: SectionText(custom, title=" ", parent_key="problems"),
        }
    )
    with pytest.raises(UserError, match="必须填写标题"):
        save_report(db, unit_id, 2023, "safety_quarterly", "Q1", edits)
    with db.session() as s:
        assert load_sections(s, unit_id, 2023, "safety_quarterly", "Q1") == {}


def test_a_new_year_starts_from_last_years_prose_marked_as_a_draft(any_db: Database) -> None:
    # GIVEN prose for 2023: a yearly report, a quarter, a 巡察, and settings with a date
    unit_id = _unit(any_db)
    save_report(
        any_db,
        unit_id,
        2023,
        "dept_self_eval",
        "",
        ReportEdits(
            sections={"problems": SectionText("problems", text="部分项目重视不够。")},
            settings=ReportSettings(
                title="2023年度某单位\n部门整体支出绩效自评报告", sign_date=date(2024, 3, 1)
            ),
        ),
    )
    save_report(
        any_db,
        unit_id,
        2023,
        "safety_quarterly",
        "Q2",
        ReportEdits({"next": SectionText("next", text="加强巡查")}),
    )
    save_report(
        any_db,
        unit_id,
        2023,
        "rectification_progress",
        "inspection:7",
        ReportEdits({"next": SectionText("next", text="巩固整改成果")}),
    )
    # WHEN 2024 is created from 2023
    add_year(any_db, unit_id, 2024, carry_from=2023, registry=default_registry())
    # THEN the prose is there as a draft to review, the date is cleared, the year in the title moves on
    with any_db.session() as s:
        rows = load_sections(s, unit_id, 2024, "dept_self_eval", "")
        settings = load_settings(s, unit_id, 2024, "dept_self_eval", "")
        quarter = load_sections(s, unit_id, 2024, "safety_quarterly", "Q2")
        inspection = scopes_with_prose(s, unit_id, 2024, "rectification_progress")
    assert rows["problems"].text == "部分项目重视不够。" and rows["problems"].carried_from == 2023
    assert settings.sign_date is None and settings.title == "2024年度某单位\n部门整体支出绩效自评报告"
    assert quarter["next"].text == "加强巡查"
    assert inspection == set()  # a 巡察's report stays with that 巡察
    # AND saving the section makes it the user's own
    save_report(
        any_db,
        unit_id,
        2024,
        "dept_self_eval",
        "",
        ReportEdits({"problems": replace(rows["problems"], text="改过")}),
    )
    with any_db.session() as s:
        assert load_sections(s, unit_id, 2024, "dept_self_eval", "")["problems"].carried_from is None
        # and 2023 is untouched
        assert load_sections(s, unit_id, 2023, "dept_self_eval", "")["problems"].text == "部分项目重视不够。"


def test_a_year_created_empty_carries_nothing(db: Database) -> None:
    unit_id = _unit(db)
    save_report(
        db, unit_id, 2023, "dept_self_eval", "", ReportEdits({"other": SectionText("other", text="无")})
    )
    add_year(db, unit_id, 2024, carry_from=None, registry=default_registry())
    with db.session() as s:
        assert load_sections(s, unit_id, 2024, "dept_self_eval", "") == {}
