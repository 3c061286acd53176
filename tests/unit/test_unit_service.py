from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import UserError
from app.models.unit import UnitDuty, UnitYear
from app.registry import Registry
from app.services.unit import (
    add_year,
    check_profile,
    create_unit,
    load_profile,
    save_profile,
    validate_profile,
    years_of,
)


def test_profile_round_trip(any_db: Database) -> None:
    # GIVEN a new unit
    unit_id = create_unit(any_db, "测试县建筑工程服务中心", 2024)
    with any_db.session() as s:
        profile = load_profile(s, unit_id, 2024)
    # WHEN the profile is filled in and saved
    profile.staff_quota, profile.staff_actual, profile.retired = 61, 59, 20
    profile.credit_code = "12430681mb1c37256g"
    profile.phone = "0730-5212345"
    profile.duties = ["负责资质管理", "  ", "承办交办事项"]
    save_profile(any_db, unit_id, 2024, profile)
    # THEN it reads back as saved (blank duties dropped, code upper-cased)
    with any_db.session() as s:
        again = load_profile(s, unit_id, 2024)
    assert again.name == "测试县建筑工程服务中心"
    assert again.credit_code == "12430681MB1C37256G"
    assert (again.staff_quota, again.staff_actual, again.retired) == (61, 59, 20)
    assert again.duties == ["负责资质管理", "承办交办事项"]
    assert again.staff_control_rate == Decimal("0.9672")


def test_invalid_profile_is_refused_and_nothing_changes(any_db: Database) -> None:
    unit_id = create_unit(any_db, "测试单位", 2024)
    with any_db.session() as s:
        profile = load_profile(s, unit_id, 2024)
    profile.credit_code = "12430681MB1C37256H"
    profile.phone = "12345"
    assert set(validate_profile(profile)) == {"credit_code", "phone"}
    with pytest.raises(UserError, match="统一社会信用代码"):
        save_profile(any_db, unit_id, 2024, profile)
    with any_db.session() as s:
        assert load_profile(s, unit_id, 2024).credit_code == ""


def test_duties_keep_their_order_when_reordered(db: Database) -> None:
    unit_id = create_unit(db, "测试单位", 2024)
    with db.session() as s:
        profile = load_profile(s, unit_id, 2024)
    profile.duties = ["甲", "乙", "丙"]
    save_profile(db, unit_id, 2024, profile)
    with db.session() as s:
        profile = load_profile(s, unit_id, 2024)
    profile.duties = ["丙", "甲"]
    save_profile(db, unit_id, 2024, profile)
    with db.session() as s:
        assert load_profile(s, unit_id, 2024).duties == ["丙", "甲"]
        assert s.scalar(select(func.count()).select_from(UnitDuty)) == 2  # old rows deleted


def test_new_year_carries_the_profile_over_and_runs_module_hooks(any_db: Database) -> None:
    unit_id = create_unit(any_db, "测试单位", 2023)
    with any_db.session() as s:
        profile = load_profile(s, unit_id, 2023)
    profile.staff_quota, profile.duties = 61, ["负责资质管理"]
    save_profile(any_db, unit_id, 2023, profile)
    calls = []
    registry = Registry()
    registry.add_year_carry_over(lambda session, uid, src, dst: calls.append((uid, src, dst)))

    add_year(any_db, unit_id, 2024, carry_from=2023, registry=registry)
    add_year(any_db, unit_id, 2022, carry_from=None, registry=registry)

    with any_db.session() as s:
        assert years_of(s, unit_id) == [2022, 2023, 2024]
        carried = load_profile(s, unit_id, 2024)
        empty = load_profile(s, unit_id, 2022)
    assert (carried.staff_quota, carried.duties) == (61, ["负责资质管理"])
    assert (empty.staff_quota, empty.duties, empty.name) == (None, [], "测试单位")
    assert calls == [(unit_id, 2023, 2024)]


def test_duplicate_or_absurd_years_are_refused(db: Database) -> None:
    unit_id = create_unit(db, "测试单位", 2023)
    with pytest.raises(UserError, match="2023年度已存在"):
        add_year(db, unit_id, 2023, carry_from=None)
    with pytest.raises(UserError, match="年度应在"):
        add_year(db, unit_id, 1900, carry_from=None)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(UnitYear)) == 1


def test_failing_carry_over_hook_rolls_the_new_year_back(db: Database) -> None:
    unit_id = create_unit(db, "测试单位", 2023)
    registry = Registry()

    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    registry.add_year_carry_over(broken)
    with pytest.raises(RuntimeError):
        add_year(db, unit_id, 2024, carry_from=2023, registry=registry)
    with db.session() as s:
        assert years_of(s, unit_id) == [2023]


def test_profile_findings_name_the_field(db: Database) -> None:
    unit_id = create_unit(db, "测试单位", 2023)
    with db.session() as s:
        findings = check_profile(s, unit_id, 2023)
    fields = {f.field for f in findings}
    assert {"编制数", "在职人数", "填表人", "联系电话"} <= fields
    assert all(f.level == "警告" and f.table == "单位信息" for f in findings)


def test_example_profile_is_seed_003(example_db: Database, example_unit_id: int) -> None:
    with example_db.session() as s:
        profile = load_profile(s, example_unit_id, 2023)
        years = years_of(s, example_unit_id)
    assert years == [2022, 2023]
    assert profile.name == "汨罗市建筑工程服务中心"
    assert (profile.staff_quota, profile.staff_actual, profile.retired, profile.departments) == (
        61,
        59,
        20,
        10,
    )
    assert profile.nature == "全额拨款事业单位"
    assert len(profile.duties) == 8
    # fictitious people, not the seed's
    assert profile.preparer not in ("柳灿", "") and profile.head not in ("葛思卉", "")
    assert profile.phone != "15292005668"


def test_unit_figures_for_reports(example_db: Database, example_unit_id: int) -> None:
    from app.services.unit import unit_figures

    with example_db.session() as s:
        figures = {f.key: f for f in unit_figures(s, example_unit_id, 2023)}
    assert figures["unit.staff_control_rate"].text == "96.72%"
    assert (figures["unit.staff_total"].text, figures["unit.staff_total"].unit) == ("79", "人")
    assert figures["unit.departments"].text == "10"
    assert figures["unit.name"].text == "汨罗市建筑工程服务中心"
