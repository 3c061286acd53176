from __future__ import annotations

import pytest

from app.services.text import split_numbered_lines, strip_numbering
from app.services.validation import parse_count, uscc_check_char, validate_phone, validate_uscc


def test_valid_credit_codes_pass() -> None:
    assert validate_uscc("12430681MB1C37256G") is None
    assert validate_uscc("91110000802100433B") is None  # a published enterprise code
    assert validate_uscc("") is None  # optional
    assert validate_uscc(" 12430681mb1c37256g ") is None  # case and spaces forgiven


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("12430681MB1C3725", "应为18位，当前为16位"),
        ("12430681MB1C37256O", "无效字符“O”"),
        ("12430681MB1C37256H", "校验位不正确"),
    ],
)
def test_invalid_credit_codes_say_why(code: str, fragment: str) -> None:
    message = validate_uscc(code)
    assert message is not None and fragment in message


def test_check_character_follows_gb32100() -> None:
    # weights 1,3,9,27,… mod 31; the check char makes the weighted sum divisible by 31
    assert uscc_check_char("91110000802100433") == "B"


@pytest.mark.parametrize("phone", ["13907305668", "0730-5212345", "07305212345", "010-12345678"])
def test_phone_formats_accepted(phone: str) -> None:
    assert validate_phone(phone) is None


@pytest.mark.parametrize("phone", ["1390730566", "5212345", "电话", "23907305668"])
def test_bad_phones_rejected(phone: str) -> None:
    assert "格式不正确" in (validate_phone(phone) or "")


def test_parse_count() -> None:
    assert parse_count(" 61 ", "编制数") == (61, None)
    assert parse_count("", "编制数") == (None, None)
    assert parse_count("六十", "编制数") == (None, "编制数应为不小于0的整数")
    assert parse_count("-3", "编制数")[1] == "编制数应为不小于0的整数"


def test_pasted_numbered_lines_lose_their_numbers() -> None:
    pasted = "（1）贯彻执行国家法律；\r\n(2) 负责资质管理\n\n3、承办交办事项。\n一、其他"
    assert split_numbered_lines(pasted) == ["贯彻执行国家法律", "负责资质管理", "承办交办事项", "其他"]
    assert strip_numbering("①负责监督") == "负责监督"
