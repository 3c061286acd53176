"""Deadlines, masking and the wording shared by both registers (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.errors import UserError
from app.models.registers import PETITION_CLOSED, PETITION_HANDLING, PETITION_PENDING
from app.services.privacy import (
    id_check_char,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_text,
    validate_id_number,
)
from app.services.registers import petitions as pt
from app.services.registers.common import (
    DUE_SOON,
    OPEN,
    OVERDUE,
    cn_ordinal,
    deadline_state,
    describe_deadline,
    format_change,
    format_date_cn,
    format_rate_prose,
    measure_lines,
    numbered_measures,
    same_day_a_year_earlier,
)
from app.services.registers.rectification import STATES as PROBLEM_STATES_MACHINE


def test_acceptance_is_due_15_days_after_receipt() -> None:
    assert pt.acceptance_due(date(2023, 3, 1)) == date(2023, 3, 16)


def test_handling_is_due_60_days_after_acceptance_plus_one_extension() -> None:
    accepted = date(2023, 3, 6)
    assert pt.handling_due(accepted) == date(2023, 5, 5)
    assert pt.handling_due(accepted, 30) == date(2023, 6, 4)
    # A sender's earlier 交办时限 wins; a later one does not stretch the statutory limit.
    assert pt.handling_due(accepted, 0, date(2023, 4, 1)) == date(2023, 4, 1)
    assert pt.handling_due(accepted, 0, date(2023, 9, 1)) == date(2023, 5, 5)


def test_next_due_follows_the_state() -> None:
    item = pt.PetitionData(number="1", received_on=date(2023, 3, 1), channel="来信", category="其他")
    assert pt.next_due(item) == date(2023, 3, 16)
    item.status, item.accepted_on = PETITION_HANDLING, date(2023, 3, 6)
    # Accepted but not yet told: the notice (16 March) is due before the handling (5 May).
    assert pt.next_due(item) == date(2023, 3, 16)
    item.notified_on = date(2023, 3, 6)
    assert pt.next_due(item) == date(2023, 5, 5)
    item.status, item.closed_on, item.result = PETITION_CLOSED, date(2023, 5, 6), "已答复"
    assert pt.next_due(item) is None
    assert pt.closed_on_time(item) is False
    item.closed_on = date(2023, 5, 5)
    assert pt.closed_on_time(item) is True


def test_deadline_states_relative_to_today() -> None:
    today = date(2023, 6, 15)
    assert deadline_state(date(2023, 6, 14), today) == OVERDUE
    assert deadline_state(date(2023, 6, 15), today) == DUE_SOON
    assert deadline_state(date(2023, 6, 21), today) == DUE_SOON  # the 7th day
    assert deadline_state(date(2023, 6, 22), today) == OPEN
    assert describe_deadline(date(2023, 6, 10), today) == "2023-06-10（已超期5天）"
    assert describe_deadline(date(2023, 6, 15), today) == "2023-06-15（今天到期）"
    assert describe_deadline(date(2023, 6, 18), today) == "2023-06-18（还剩3天）"


def test_validation_of_a_petition() -> None:
    item = pt.PetitionData()
    errors = pt.validate_petition(item)
    assert {"number", "received_on", "channel", "category"} <= set(errors)
    item = pt.PetitionData(
        number="XF2023-0001",
        received_on=date(2023, 3, 1),
        channel="来访",
        category="房屋质量",
        phone="1381234",
        id_number="430681199003071235",
        extension_days=30,
        status=PETITION_HANDLING,
    )
    errors = pt.validate_petition(item)
    assert errors["phone"].startswith("联系电话格式不正确")
    assert errors["id_number"] == "身份证号校验位不正确，请核对是否录错"
    assert errors["accepted_on"] == "状态为“办理中”时必须填写受理日期"
    assert errors["extension_reason"] == "延期须记录理由（并告知信访人）"
    item.extension_days = 31
    assert pt.validate_petition(item)["extension_days"] == "延期不得超过30天"


def test_masking_personal_data() -> None:
    assert mask_phone("13812345668") == "138****5668"
    assert mask_phone("138 1234 5668") == "138****5668"
    assert mask_phone("0730-5212345") == "0730-***2345"
    assert mask_phone("") == ""
    assert mask_id_number("430681199003071234") == "430681********1234"
    assert mask_name("王建国") == "王*国"
    assert mask_name("李明") == "李*"
    assert mask_name("欧阳小芳") == "欧**芳"
    assert mask_name("张卫东等12人") == "张*东等12人"
    text = "信访人王某（13812345668，身份证430681199003071234）反映"
    assert mask_text(text) == "信访人王某（138****5668，身份证430681********1234）反映"
    assert mask_text("工程款12345678元") == "工程款12345678元"  # not a phone


def test_id_number_check_character() -> None:
    first17 = "11010519491231002"
    assert id_check_char(first17) == "X"  # the GB 11643 example
    assert validate_id_number(first17 + "X") is None
    assert validate_id_number(first17 + "x") is None
    assert validate_id_number("43068119900307") == "身份证号应为18位，当前为14位"


def test_wording_as_the_seeds_write_it() -> None:
    assert format_change(284, 236) == "同比上升20.3%"
    assert format_change(42, 86) == "同比下降51.2%"
    assert format_change(10, 10) == "与上年同期持平"
    assert format_change(10, 0) == ""
    assert format_rate_prose(Decimal("1")) == "100%"
    assert format_rate_prose(Decimal("0.9894")) == "98.94%"
    assert format_date_cn(date(2023, 1, 20)) == "2023年1月20日"
    assert [cn_ordinal(n) for n in (1, 10, 12, 20, 23)] == ["一", "十", "十二", "二十", "二十三"]
    assert measure_lines(["制定方案；", "二是开展检查。"]) == ["一是制定方案；", "二是开展检查。"]
    assert numbered_measures(["制定方案"]) == "一是制定方案。"
    assert same_day_a_year_earlier(date(2024, 2, 29)) == date(2023, 2, 28)


def test_state_changes_are_checked() -> None:
    pt.STATES.check(PETITION_PENDING, PETITION_HANDLING)
    with pytest.raises(UserError, match="当前状态为“待受理”，不能改为“已办结”"):
        pt.STATES.check(PETITION_PENDING, PETITION_CLOSED)
    with pytest.raises(UserError):
        PROBLEM_STATES_MACHINE.check("已完成", "未启动")


def test_measures_are_stored_without_their_numbering() -> None:
    from app.services.registers.common import clean_measure

    assert clean_measure("一是建立资金拨付台账；") == "建立资金拨付台账"
    assert clean_measure("十二是开展培训。") == "开展培训"
    assert clean_measure("（3）修订制度") == "修订制度"
    assert clean_measure("是否建立台账") == "是否建立台账"
    assert clean_measure("1.5万元专项资金已拨付") == "1.5万元专项资金已拨付"
    assert clean_measure("2、开展培训") == "开展培训"
