"""The one set of parsers (app.services.parsing) and the validators routed through it: each case
here raised, or was accepted and crashed later, before the parsers had limits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.services import parsing
from app.services.calc import money, to_decimal
from app.services.parsing import ParseError, attempt
from app.services.privacy import validate_id_number
from app.services.registers.petitions import PetitionData, validate_petition
from app.services.safety.inspections import HazardDraft, validate_hazard
from app.services.safety.projects import ProjectForm, validate_project
from app.services.unit import Profile, validate_profile
from app.services.validation import parse_count
from ui.models.budget_control_model import parse_money
from ui.widgets.registers_date_edit import parse_date


@pytest.mark.parametrize("text", ["①", "²", "٣", "١٢", "12①"])
def test_digits_of_other_scripts_are_not_counts(text: str) -> None:
    assert parse_count(text, "编制数") == (None, "编制数应为不小于0的整数")  # int() raised ValueError


def test_a_count_has_an_upper_bound() -> None:
    assert parse_count("1000000000", "编制数") == (1_000_000_000, None)
    assert "数值过大" in (parse_count("1" * 40, "编制数")[1] or "")
    assert parse_count("１２", "编制数") == (12, None)  # full-width digits from the IME are fine


@pytest.mark.parametrize("number", ["①30681199003071234", "43068119900307123①", "٤٣٠٦٨١١٩٩٠٠٣٠٧١٢٣٤"])
def test_id_numbers_with_odd_digits_are_refused(number: str) -> None:
    # str.isdigit() passed these and int() raised ValueError in the check character
    assert validate_id_number(number) == "身份证号只能由数字组成（最后一位可为X）"


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "sNaN", "1e5", "9" * 40, "1E+24"])
def test_to_decimal_refuses_what_money_cannot_round(text: str) -> None:
    value = to_decimal(text)
    assert value is None
    money(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NaN", "金额“NaN”不是数字"),
        ("1e3", "金额“1e3”不是数字"),
        ("-1", "金额不能为负数"),
        ("12.345", "金额最多保留两位小数"),
        ("1000000000000.01", "金额数值过大（最大为1,000,000,000,000），请核对"),
    ],
)
def test_money_limits(text: str, message: str) -> None:
    assert attempt(parsing.parse_money, text, "金额") == (None, message)
    assert parse_money(text) == (None, False)


def test_money_as_typed() -> None:
    assert parsing.parse_money(" 1,234.5 万元", "金额") == Decimal("1234.50")
    assert parsing.parse_money("１２３．４", "金额") == Decimal("123.40")
    assert parsing.parse_money(0.1 + 0.2, "金额") == Decimal("0.30")  # a cell's binary noise
    assert parsing.parse_money("-0", "金额") == Decimal("0.00")
    assert parsing.parse_money("", "金额") is None


@pytest.mark.parametrize("text", ["9999-12-20", "1948-12-31", "2101-01-01"])
def test_dates_outside_1949_to_2100_are_refused(text: str) -> None:
    value, message = parse_date(text)
    assert value is None and "应在1949年至2100年之间" in (message or "")
    with pytest.raises(ParseError):
        parsing.parse_date(text, "收到日期")


def test_dates_as_typed() -> None:
    assert parse_date("2023年5月6日") == (date(2023, 5, 6), None)
    assert parse_date("1949.1.1") == (date(1949, 1, 1), None)
    assert parse_date("٢٠٢٣-05-06")[0] is None


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("9" * 40)])
def test_project_amounts_that_used_to_raise(value: Decimal) -> None:
    errors = validate_project(ProjectForm(name="甲项目", area=value, cost=value))
    assert {e.field for e in errors} == {"area", "cost"}


def test_a_staff_quota_that_would_overflow_the_column() -> None:
    errors = validate_profile(Profile(name="单位", staff_quota=10**20))
    assert errors == {"staff_quota": "编制数数值过大（最大为1000000000），请核对"}


def test_a_petition_received_in_9999_is_refused_before_its_deadlines_are_counted() -> None:
    data = PetitionData(number="X-1", received_on=date(9999, 12, 20), channel="来信", category="其他")
    assert validate_petition(data) == {"received_on": "收到日期应在1949年至2100年之间，当前为9999-12-20"}


def test_a_hazard_deadline_in_9999_is_refused() -> None:
    hazard = HazardDraft(1, "临边无防护", "高处坠落", date(9999, 12, 31))
    errors = validate_hazard(hazard, date(2024, 5, 6), [1], 0, date(2024, 5, 6))
    assert [e.message for e in errors] == ["第1条隐患：整改期限应在1949年至2100年之间，当前为9999-12-31"]


def test_a_project_status_date_out_of_range_is_refused_by_name(db) -> None:
    from datetime import date

    from app.services.safety.forms import FormErrors
    from app.services.safety.projects import ProjectForm, change_status, create_project
    from app.services.unit import create_unit

    unit_id = create_unit(db, "测试县建筑工程服务中心", 2024)
    with pytest.raises(FormErrors, match="状态起始日期"):
        create_project(db, unit_id, ProjectForm(name="甲"), "在建", date(9999, 12, 20))
    pid = create_project(db, unit_id, ProjectForm(name="甲"), "在建", date(2024, 1, 1))
    with pytest.raises(FormErrors, match="起始日期"):
        change_status(db, pid, "停工", date(1900, 1, 1))
