"""工作量统计: the catalogue, typed values per period, and how a period's figure is assembled."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.db import Database
from app.errors import UserError
from app.services.safety.periods import Period
from app.services.safety.workload import (
    LATEST,
    RATE,
    NewItem,
    add_item,
    catalogue,
    delete_item,
    figures_for_period,
    format_quantity,
    problems_for_period,
    save_values,
    typed_values,
)
from app.services.unit import create_unit

Q1, Q2 = Period.quarter(2023, 1), Period.quarter(2023, 2)
YEAR = Period.year(2023)


def _figures(db: Database, unit_id: int, period: Period):
    with db.session() as s:
        return figures_for_period(s, unit_id, period.start, period.end)


def test_a_year_adds_up_its_quarters_unless_typed_itself(any_db: Database) -> None:
    unit_id = create_unit(any_db, "单位", 2023)
    save_values(
        any_db, unit_id, Q1, {"fire.design.accepted": Decimal(29), "fire.design.completed": Decimal(26)}
    )
    save_values(
        any_db, unit_id, Q2, {"fire.design.accepted": Decimal(31), "fire.design.completed": Decimal(30)}
    )
    year = _figures(any_db, unit_id, YEAR)
    assert (year["fire.design.accepted"].text, year["fire.design.completed"].text) == ("60", "56")
    assert year["fire.design.rate"].text == "93.33%"
    assert year["fire.design.accepted"].sources == [(Q1.start, Q1.end), (Q2.start, Q2.end)]
    # A value typed for the whole year wins over its quarters.
    save_values(any_db, unit_id, YEAR, {"fire.design.accepted": Decimal(70)})
    assert _figures(any_db, unit_id, YEAR)["fire.design.accepted"].text == "70"
    assert _figures(any_db, unit_id, Q1)["fire.design.accepted"].text == "29"
    # A quarter with nothing typed has no value (not zero).
    assert _figures(any_db, unit_id, Period.quarter(2023, 3))["fire.design.accepted"].value is None
    # None clears a typed value.
    save_values(any_db, unit_id, YEAR, {"fire.design.accepted": None})
    with any_db.session() as s:
        assert typed_values(s, unit_id, YEAR) == {}


def test_stock_figures_take_the_latest_value(db: Database) -> None:
    unit_id = create_unit(db, "单位", 2023)
    save_values(
        db, unit_id, Period(date(2023, 1, 1), date(2023, 3, 16)), {"selfbuilt.patches": Decimal(587209)}
    )
    save_values(
        db, unit_id, Q2, {"selfbuilt.patches": Decimal(590000), "selfbuilt.surveyed": Decimal(589000)}
    )
    year = _figures(db, unit_id, YEAR)
    assert year["selfbuilt.patches"].text == "590000"
    assert year["selfbuilt.survey_rate"].text == "99.83%"
    assert _figures(db, unit_id, Q1)["selfbuilt.patches"].text == "587209"


def test_values_are_validated_against_their_item(db: Database) -> None:
    unit_id = create_unit(db, "单位", 2023)
    with pytest.raises(UserError, match="受理消防设计审查应为整数"):
        save_values(db, unit_id, Q1, {"fire.design.accepted": Decimal("2.5")})
    with pytest.raises(UserError, match="不能为负数"):
        save_values(db, unit_id, Q1, {"tender.open.amount": Decimal("-1")})
    with pytest.raises(UserError, match="自动计算"):
        save_values(db, unit_id, Q1, {"fire.design.rate": Decimal("0.5")})
    save_values(db, unit_id, Q1, {"tender.open.amount": Decimal("78089.7763")})
    assert _figures(db, unit_id, Q1)["tender.open.amount"].value == Decimal("78089.7763")


def test_parts_that_do_not_add_up_and_overlapping_periods_are_reported(db: Database) -> None:
    unit_id = create_unit(db, "单位", 2023)
    save_values(
        db,
        unit_id,
        Q1,
        {
            "fire.filing.accepted": Decimal(55),
            "fire.filing.sampled": Decimal(45),
            "fire.filing.not_sampled": Decimal(9),
            "info.reported": Decimal(1),
            "info.adopted": Decimal(2),
        },
    )
    save_values(db, unit_id, Period(date(2023, 3, 1), date(2023, 4, 30)), {"info.reported": Decimal(3)})
    with db.session() as s:
        problems = dict(problems_for_period(s, unit_id, YEAR.start, YEAR.end))
        q1 = dict(problems_for_period(s, unit_id, Q1.start, Q1.end))
    assert (
        problems["受理消防验收备案"]
        == "受理消防验收备案（55）不等于消防验收备案抽中、消防验收备案未抽中之和（54）"
    )
    assert problems["报送信息"] == "填写的统计期间相互重叠，汇总时可能重复计算，请核对"
    assert q1["信息采用率"] == "信息被采用（2）大于报送信息（1），比率超过100%"


def test_the_unit_can_add_its_own_figures_and_rates(db: Database) -> None:
    unit_id = create_unit(db, "单位", 2023)
    key = add_item(db, unit_id, NewItem("质量监督注册项目", "质量监督", "个"))
    done = add_item(db, unit_id, NewItem("已办结质量监督注册", "质量监督", "个"))
    rate = add_item(
        db, unit_id, NewItem("注册办结率", "质量监督", aggregation=RATE, numerator=done, denominator=key)
    )
    assert (key, done, rate) == ("custom.1", "custom.2", "custom.3")
    with pytest.raises(UserError, match="已有名为"):
        add_item(db, unit_id, NewItem("质量监督注册项目"))
    with pytest.raises(UserError, match="分母应为一个已有的数量统计项"):
        add_item(
            db, unit_id, NewItem("坏比率", aggregation=RATE, numerator=done, denominator="fire.design.rate")
        )
    save_values(db, unit_id, Q1, {key: Decimal(8), done: Decimal(6)})
    assert _figures(db, unit_id, Q1)[rate].text == "75.00%"
    with pytest.raises(UserError, match="被比率“注册办结率”引用"):
        delete_item(db, unit_id, key)
    with pytest.raises(UserError, match="内置统计项不能删除"):
        delete_item(db, unit_id, "fire.design.accepted")
    delete_item(db, unit_id, rate)
    delete_item(db, unit_id, key)
    with db.session() as s:
        keys = [item.key for item in catalogue(s, unit_id) if not item.builtin]
    assert keys == [done]
    add_item(db, unit_id, NewItem("期末在册", aggregation=LATEST))


def test_quantities_are_written_as_the_seeds_write_them() -> None:
    assert format_quantity(Decimal("382.50"), 2) == "382.5"
    assert format_quantity(Decimal("350773.89"), 2) == "350773.89"
    assert format_quantity(Decimal("78089.7763"), 4) == "78089.7763"
    assert format_quantity(Decimal("29.0000"), 0) == "29"
