"""The ledger importer's value readers (app.importers.ledgers.values): the forms clerks write in
their WPS ledgers, and the refusals each reader gives with the column's label."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.importers.ledgers.values import (
    HAZARD_STATUS,
    PETITION_STATUS,
    PROBLEM_STATUS,
    name_key,
    read_area_m2,
    read_count,
    read_date,
    read_money_wan,
    read_status,
    read_text,
    read_yes_no,
    split_measures,
    year_in,
)
from app.models.registers import PETITION_STATES, PROBLEM_STATES
from app.services.parsing import ParseError
from app.services.safety.constants import HAZARD_STATUSES

MARCH_12 = date(2024, 3, 12)
UNKNOWN = "无法识别为日期（可填 2024-03-12、2024.3.12、2024年3月12日）"


@pytest.mark.parametrize(
    "value",
    [
        45363,
        45363.0,
        45363.75,  # 18:00 on the day: the time is dropped
        Decimal("45363"),
        "45363",
        20240312,
        MARCH_12,
        datetime(2024, 3, 12, 9, 30),
        "2024.3.12",
        "2024/3/12",
        "2024-03-12",
        "2024-3-12",
        "2024年3月12日",
        "2024.03.12",
        "20240312",
        "2024年3月12号",
        "２０２４．３．１２",
        "２０２４年３月１２日",
        " 2024 年 3 月 12 日 ",
        "2024-03-12 09:30",
        "2024-03-12 09:30:15",
        "2024/3/12 9:05",
        "2024年3月12日 09:30",
        "2024-03-12T09:30:00",
        "2024.3.12。",
        "2024年3月12日；",
        "3月12日",
        "3月12号",
        "３月１２日",
    ],
)
def test_dates_in_the_forms_clerks_write(value: object) -> None:
    assert read_date(value, "检查日期", default_year=2024) == MARCH_12


def test_a_month_and_day_take_the_default_year() -> None:
    assert read_date("12月31日", "检查日期", default_year=2023) == date(2023, 12, 31)
    assert read_date(45000, "检查日期", default_year=None) == date(2023, 3, 15)


@pytest.mark.parametrize("value", [None, "", "  ", "\u3000", "/", "-", "—", "——", "／"])
def test_blank_dates(value: object) -> None:
    assert read_date(value, "检查日期", default_year=2024) is None


@pytest.mark.parametrize(
    ("value", "default_year", "message"),
    [
        ("2024.2.30", 2024, "检查日期“2024.2.30”不是有效日期"),
        ("2023年2月29日", 2024, "检查日期“2023年2月29日”不是有效日期"),
        ("2024-13-01", 2024, "检查日期“2024-13-01”不是有效日期"),
        ("20240230", 2024, "检查日期“20240230”不是有效日期"),
        (20241301, 2024, "检查日期“20241301”不是有效日期"),
        ("2月30日", 2024, "检查日期“2月30日”不是有效日期"),
        ("3月12日", None, "检查日期“3月12日”缺少年份"),
        ("3月12号", None, "检查日期“3月12号”缺少年份"),
        ("1900-01-01", 2024, "检查日期应在1949年至2100年之间，当前为1900-01-01"),
        (date(1900, 1, 1), 2024, "检查日期应在1949年至2100年之间，当前为1900-01-01"),
        (1000, 2024, "检查日期“1000”不是有效日期（应在1949年至2100年之间）"),
        (17898, 2024, "检查日期“17898”不是有效日期（应在1949年至2100年之间）"),  # 1948-12-31
        (73416, 2024, "检查日期“73416”不是有效日期（应在1949年至2100年之间）"),  # 2101-01-01
        (-1, 2024, "检查日期“-1”不是有效日期（应在1949年至2100年之间）"),
        (float("nan"), 2024, "检查日期不是有效日期"),
        (float("inf"), 2024, "检查日期不是有效日期"),
        (True, 2024, "检查日期“True”不是有效日期"),
        ("3.12", 2024, f"检查日期“3.12”{UNKNOWN}"),
        ("2024年3月", 2024, f"检查日期“2024年3月”{UNKNOWN}"),
        ("三月十二日", 2024, f"检查日期“三月十二日”{UNKNOWN}"),
        ("09:30", 2024, f"检查日期“09:30”{UNKNOWN}"),
        ("2024.3.12 2024.3.15", 2024, f"检查日期“2024.3.12 2024.3.15”{UNKNOWN}"),
    ],
)
def test_dates_refused(value: object, default_year: int | None, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_date(value, "检查日期", default_year=default_year)
    assert str(caught.value) == message


def test_the_serial_limits_are_the_first_and_last_storable_days() -> None:
    assert read_date(17899, "日期", default_year=None) == date(1949, 1, 1)
    assert read_date(73415, "日期", default_year=None) == date(2100, 12, 31)


@given(st.text(alphabet=st.sampled_from("0123456789０１２３.-/年月日号 :T\u3000Qx")) | st.text())
def test_read_date_on_any_text_raises_only_parse_error(text: str) -> None:
    try:
        result = read_date(text, "日期", default_year=2024)
    except ParseError:
        return
    assert result is None or date(1949, 1, 1) <= result <= date(2100, 12, 31)


@given(st.integers() | st.floats() | st.decimals())
def test_read_date_on_any_number_raises_only_parse_error(number: object) -> None:
    try:
        result = read_date(number, "日期", default_year=2024)
    except ParseError:
        return
    assert result is not None and date(1949, 1, 1) <= result <= date(2100, 12, 31)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5120.36, "5120.36"),
        (5120, "5120.00"),
        (Decimal("5120.36"), "5120.36"),
        (0.1 + 0.2, "0.30"),
        (5120.365, "5120.37"),  # a formula's result shown to two decimals
        ("5120.36", "5120.36"),
        ("5120.36万元", "5120.36"),
        ("5,120.36", "5120.36"),
        ("5，120.36", "5120.36"),
        ("5120.36万", "5120.36"),
        ("5120.36 万元", "5120.36"),
        ("51203600元", "5120.36"),
        ("51203650元", "5120.37"),  # ÷10000 and rounded half up
        ("51203649元", "5120.36"),
        ("0.5亿元", "5000.00"),
        ("1.23456亿", "12345.60"),
        ("¥5,120.36万元", "5120.36"),
        ("￥5,120.36万元", "5120.36"),
        ("５１２０．３６万元", "5120.36"),
        ("500千元", "50.00"),
        ("0", "0.00"),
    ],
)
def test_money_in_wan(value: object, expected: str) -> None:
    assert read_money_wan(value, "总投资") == Decimal(expected)


@pytest.mark.parametrize("value", [None, "", " ", "/", "-", "——"])
def test_blank_money(value: object) -> None:
    assert read_money_wan(value, "总投资") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "总投资应为数字"),
        (float("inf"), "总投资应为数字"),
        (Decimal("NaN"), "总投资应为数字"),
        (True, "总投资应为数字"),
        ("NaN", "总投资“NaN”不是数字"),
        ("1e5", "总投资“1e5”不是数字"),
        ("约5000万元", "总投资“约5000万元”不是数字"),
        ("五千万元", "总投资“五千万元”不是数字"),
        ("5120.36美元", "总投资“5120.36美元”不是数字"),
        ("-5", "总投资不能为负数"),
        ("20000000000亿元", "总投资数值过大（最大为1,000,000,000,000），请核对"),
    ],
)
def test_money_refused(value: object, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_money_wan(value, "总投资")
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2.85万㎡", "28500.00"),
        ("2.85万平方米", "28500.00"),
        ("2.85万m²", "28500.00"),
        ("12,000平方米", "12000.00"),
        ("3500m²", "3500.00"),
        ("3500m2", "3500.00"),
        ("3500M2", "3500.00"),
        ("3500平米", "3500.00"),
        ("3500㎡", "3500.00"),
        ("3500 ㎡", "3500.00"),
        ("3500.456㎡", "3500.46"),
        (3500, "3500.00"),
        (3500.5, "3500.50"),
        ("3500", "3500.00"),
    ],
)
def test_area_in_square_metres(value: object, expected: str) -> None:
    assert read_area_m2(value, "建筑面积") == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3500亩", "建筑面积“3500亩”不是数字"),
        ("-3500㎡", "建筑面积不能为负数"),
        (float("nan"), "建筑面积应为数字"),
    ],
)
def test_area_refused(value: object, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_area_m2(value, "建筑面积")
    assert str(caught.value) == message
    assert read_area_m2(None, "建筑面积") is None
    assert read_area_m2("/", "建筑面积") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5人", 5),
        ("5 人", 5),
        ("5", 5),
        (5, 5),
        (5.0, 5),
        ("5.0", 5),
        ("５人", 5),
        ("12人次", 12),
        ("3处", 3),
    ],
)
def test_counts(value: object, expected: int) -> None:
    assert read_count(value, "检查人数") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (5.5, "检查人数应为整数"),
        ("5.5人", "检查人数应为整数"),
        ("五人", "检查人数“五人”应为整数"),
        ("-2", "检查人数不能为负数"),
        (True, "检查人数应为不小于0的整数"),
    ],
)
def test_counts_refused(value: object, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_count(value, "检查人数")
    assert str(caught.value) == message
    assert read_count(None, "检查人数") is None
    assert read_count(" ", "检查人数") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  城南安置小区  ", "城南安置小区"),
        ("\u3000城南安置小区\u3000", "城南安置小区"),
        (13800000000.0, "13800000000"),
        (13800000000, "13800000000"),
        (3.5, "3.5"),
        (0.1 + 0.2, "0.3"),
        (Decimal("5120.36"), "5120.36"),
        (MARCH_12, "2024-03-12"),
        (datetime(2024, 3, 12), "2024-03-12"),
        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"),
        ("张三  李四", "张三  李四"),  # inner spaces are the clerk's
        ("\ufeff张三\u200b", "张三"),
    ],
)
def test_text(value: object, expected: str) -> None:
    assert read_text(value, "项目名称", 200) == expected


def test_text_over_its_limit_is_refused() -> None:
    assert read_text("一" * 10, "联系人", 10) == "一" * 10
    with pytest.raises(ParseError) as caught:
        read_text("一" * 11, "联系人", 10)
    assert str(caught.value) == "联系人超过10字"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("否", False),
        ("有", True),
        ("无", False),
        ("✓", True),
        ("√", True),
        ("✔", True),
        ("×", False),
        ("✗", False),
        ("Y", True),
        ("n", False),
        ("YES", True),
        ("No", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0.0, False),
        (True, True),
        (" 是 ", True),
        ("是。", True),
        (None, None),
        ("", None),
    ],
)
def test_yes_no(value: object, expected: bool | None) -> None:
    assert read_yes_no(value, "是否重复") is expected


@pytest.mark.parametrize("value", ["重复", "2", 2, "是否", "可能"])
def test_yes_no_refused(value: object) -> None:
    with pytest.raises(ParseError) as caught:
        read_yes_no(value, "是否重复")
    assert str(caught.value) == f"是否重复“{value}”无法识别（可填：是、否）"


def test_status_tables_name_the_models_states() -> None:
    assert set(HAZARD_STATUS) == set(HAZARD_STATUSES)
    assert set(PETITION_STATUS) == set(PETITION_STATES)
    assert set(PROBLEM_STATUS) == set(PROBLEM_STATES)
    for table in (HAZARD_STATUS, PETITION_STATUS, PROBLEM_STATUS):
        spellings = [spelling for words in table.values() for spelling in words]
        assert len(spellings) == len(set(spellings))  # no spelling means two states


@pytest.mark.parametrize(
    ("table", "value", "expected"),
    [
        (HAZARD_STATUS, "已整改", "已整改"),
        (HAZARD_STATUS, "已销号", "已整改"),
        (HAZARD_STATUS, "√", "已整改"),
        (HAZARD_STATUS, "完成", "已整改"),
        (HAZARD_STATUS, " 整改 完成。", "已整改"),
        (HAZARD_STATUS, "正在整改", "整改中"),
        (HAZARD_STATUS, "部分整改", "整改中"),
        (HAZARD_STATUS, "未整改", "待整改"),
        (HAZARD_STATUS, "×", "待整改"),
        (HAZARD_STATUS, "否", "待整改"),
        (PETITION_STATUS, "办结", "已办结"),
        (PETITION_STATUS, "已答复", "已办结"),
        (PETITION_STATUS, "在办", "办理中"),
        (PETITION_STATUS, "已受理", "办理中"),
        (PETITION_STATUS, "新收", "待受理"),
        (PETITION_STATUS, "不受理", "不予受理"),
        (PETITION_STATUS, "转办", "已转送"),
        (PETITION_STATUS, "（已转办）", "已转送"),
        (PROBLEM_STATUS, "已销号", "已完成"),
        (PROBLEM_STATUS, "已整改", "已完成"),
        (PROBLEM_STATUS, "持续推进", "整改中"),
        (PROBLEM_STATUS, "未开始", "未启动"),
        (PROBLEM_STATUS, "未整改", "未启动"),
        (PROBLEM_STATUS, "长期", "长期坚持"),
        (PROBLEM_STATUS, "长期坚持", "长期坚持"),
        (PROBLEM_STATUS, None, None),
        (PROBLEM_STATUS, " ", None),
    ],
)
def test_statuses(table: dict[str, tuple[str, ...]], value: object, expected: str | None) -> None:
    assert read_status(value, "整改状态", table) == expected


@pytest.mark.parametrize(
    ("table", "value", "message"),
    [
        (HAZARD_STATUS, "好了", "整改状态“好了”无法识别（可填：已整改、整改中、待整改）"),
        (HAZARD_STATUS, "完成80%", "整改状态“完成80%”无法识别（可填：已整改、整改中、待整改）"),
        (
            PETITION_STATUS,
            "已整改",
            "整改状态“已整改”无法识别（可填：已办结、办理中、待受理、不予受理、已转送）",
        ),
        (PROBLEM_STATUS, "否", "整改状态“否”无法识别（可填：已完成、整改中、未启动、长期坚持）"),
    ],
)
def test_statuses_refused(table: dict[str, tuple[str, ...]], value: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        read_status(value, "整改状态", table)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("城南（棚改）安置小区二期项目", "城南(棚改)安置小区 二期"),
        ("汨罗市第一中学教学楼工程", "汨罗市第一中学教学楼"),
        ("汨罗市第一中学教学楼工程项目", "汨罗市第一中学 教学楼"),
        ("【城南】安置小区", "城南安置小区"),
        ("ＡＢＣ商业广场", "abc商业广场"),
        ("城南安置小区·二期", "城南安置小区二期"),
    ],
)
def test_names_that_are_one_project(left: str, right: str) -> None:
    assert name_key(left) == name_key(right)


def test_name_keys() -> None:
    assert name_key("城南（棚改）安置小区二期项目") == "城南棚改安置小区二期"
    assert name_key("项目") == "项目"  # never an empty key
    assert name_key("城南安置小区一期") != name_key("城南安置小区二期")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一是建立台账；二是开展排查；三是……", ["建立台账", "开展排查", "……"]),
        (
            "一是建立隐患台账；二是开展专项排查；三是落实整改责任。",
            ["建立隐患台账", "开展专项排查", "落实整改责任"],
        ),
        ("1.建立台账 2.开展排查", ["建立台账", "开展排查"]),
        ("1、建立台账；\n2、开展排查。", ["建立台账", "开展排查"]),
        ("1)建立台账 2)开展排查", ["建立台账", "开展排查"]),
        ("（1）建立台账（2）开展排查", ["建立台账", "开展排查"]),
        ("（１）建立台账；（２）开展排查。", ["建立台账", "开展排查"]),
        ("(1)建立台账;(2)开展排查", ["建立台账", "开展排查"]),
        ("①建立台账②开展排查③落实责任", ["建立台账", "开展排查", "落实责任"]),
        ("一、建立台账。\n二、开展排查。", ["建立台账", "开展排查"]),
        ("（一）建立台账（二）开展排查", ["建立台账", "开展排查"]),
        ("整改措施：一是建立台账；二是开展排查。", ["建立台账", "开展排查"]),
        ("针对问题，一是建立台账；二是开展排查", ["针对问题", "建立台账", "开展排查"]),
        ("1.总投资2.85亿元，建立台账；2.开展排查", ["总投资2.85亿元，建立台账", "开展排查"]),
        ("一是建立台账，（1）排查；（2）登记；二是整改", ["建立台账，（1）排查；（2）登记", "整改"]),
        ("十是一；十一是二", ["十是一；十一是二"]),  # not numbered from 一
        ("一是建立台账", ["建立台账"]),
        ("建立台账，开展排查。", ["建立台账，开展排查"]),
        ("建立台账\n\n开展排查", ["建立台账", "开展排查"]),
        ("按2.5万元标准落实", ["按2.5万元标准落实"]),
        ("", []),
        ("  ", []),
    ],
)
def test_split_measures(text: str, expected: list[str]) -> None:
    assert split_measures(text) == expected


def test_ten_and_more_measures() -> None:
    numerals = "一二三四五六七八九十"
    text = "；".join(f"{numeral}是措施{n}" for n, numeral in enumerate([*numerals, "十一", "十二"], 1))
    assert split_measures(text) == [f"措施{n}" for n in range(1, 13)]
    assert split_measures(" ".join(f"{n}.措施{n}" for n in range(1, 12))) == [
        f"措施{n}" for n in range(1, 12)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年第一季度隐患台账", 2024),
        ("2023年度", 2023),
        ("2023 年度信访台账", 2023),
        ("２０２４年隐患台账.xlsx", 2024),
        ("2024Q1隐患", 2024),
        ("隐患台账2024-03.xlsx", 2024),
        ("2023-2024年度", 2023),
        ("二〇二四年巡察整改台账", 2024),
        ("1985年 2022年台账", 2022),  # 1985 is no ledger's year
        ("第12024年", None),
        ("隐患台账2024.xlsx", None),
        ("编号2024", None),
        ("信访台账", None),
        ("", None),
    ],
)
def test_year_in(text: str, expected: int | None) -> None:
    assert year_in(text) == expected
