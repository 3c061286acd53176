"""The date a form suggests lies inside the working year; a date outside it is warned about."""

from __future__ import annotations

from datetime import date

from app.dates import DateDefaults, default_date, in_year, year_warning


def test_today_when_inside_the_working_year() -> None:
    assert default_date(2026, date(2026, 3, 4)) == date(2026, 3, 4)


def test_past_year_defaults_to_its_last_day() -> None:
    assert default_date(2024, date(2026, 3, 4)) == date(2024, 12, 31)


def test_future_year_defaults_to_its_first_day() -> None:
    assert default_date(2027, date(2026, 3, 4)) == date(2027, 1, 1)


def test_last_used_date_of_the_year_wins_over_the_year_end() -> None:
    assert default_date(2024, date(2026, 3, 4), date(2024, 5, 6)) == date(2024, 5, 6)
    # a date used in another year is no default for this one
    assert default_date(2024, date(2026, 3, 4), date(2025, 5, 6)) == date(2024, 12, 31)


def test_documents_about_a_year_may_be_dated_in_the_next() -> None:
    assert default_date(2023, date(2024, 1, 20), next_year_too=True) == date(2024, 1, 20)
    assert default_date(2023, date(2026, 1, 20), next_year_too=True) == date(2023, 12, 31)
    assert in_year(date(2024, 1, 20), 2023, next_year_too=True)
    assert not in_year(date(2024, 1, 20), 2023)


def test_year_warning() -> None:
    assert year_warning(date(2026, 3, 4), 2024) == "日期不在 2024 年度内，请核对"
    assert year_warning(date(2024, 3, 4), 2024) == ""
    assert year_warning(None, 2024) == ""
    assert year_warning(date(2025, 3, 4), 2024, next_year_too=True) == ""
    assert year_warning(date(2026, 3, 4), 2024, next_year_too=True) == "日期不在 2024 年度或次年内，请核对"


def test_page_remembers_the_last_date_used_per_year() -> None:
    dates = DateDefaults(lambda: date(2026, 3, 4))
    assert dates.default(2024) == date(2024, 12, 31)
    dates.used(date(2024, 6, 1), None)
    assert dates.default(2024) == date(2024, 6, 1)
    assert dates.default(2023) == date(2023, 12, 31)
    assert dates.default(2026) == date(2026, 3, 4)  # today, whatever was used before
    assert dates.warnings({"a": date(2026, 1, 1), "b": date(2024, 2, 2), "c": "text", "d": None}, 2024) == {
        "a": "日期不在 2024 年度内，请核对"
    }


def test_page_follows_the_fixed_clock_by_default(monkeypatch) -> None:
    monkeypatch.setenv("ZJTB_TODAY", "2026-03-04")
    assert DateDefaults().default(2024) == date(2024, 12, 31)
    assert DateDefaults().default(2026) == date(2026, 3, 4)


def test_a_petition_is_numbered_by_the_year_it_was_received(example_db, example_unit_id: int) -> None:
    from app.services.registers import petitions as pt

    with example_db.session() as s:
        assert pt.new_petition(s, example_unit_id, date(2022, 5, 1)).number == "XF2022-0237"
        assert pt.renumbered(s, example_unit_id, "XF2024-0001", date(2022, 3, 1)) == "XF2022-0237"
        assert pt.renumbered(s, example_unit_id, "XF2022-0237", date(2022, 3, 1)) == "XF2022-0237"
        assert pt.renumbered(s, example_unit_id, "XF2022-0237", date(2023, 3, 1)) == "XF2023-0285"
        # a number of the clerk's own form is left alone
        assert pt.renumbered(s, example_unit_id, "汨信〔2022〕5号", date(2024, 3, 1)) == "汨信〔2022〕5号"
        assert pt.renumbered(s, example_unit_id, "XF2024-0001", None) == "XF2024-0001"


def test_a_new_problem_of_a_single_aspect_inspection_is_in_that_aspect(
    example_db, example_unit_id: int
) -> None:
    from app.services.registers import rectification as rc

    one = rc.save_inspection(
        example_db,
        example_unit_id,
        rc.InspectionData(name="专项巡察", aspects=[rc.AspectData("资金管理方面")]),
    )
    with example_db.session() as s:
        only = rc.load_inspection(s, one).aspects[0].id
        assert rc.new_problem(s, one).aspect_id == only
        # with several 方面 the caller chooses (none given: none chosen)
        example = next(i.id for i in rc.list_inspections(s, example_unit_id) if i.name.startswith("工程建设"))
        assert len(rc.load_inspection(s, example).aspects) == 3
        assert rc.new_problem(s, example).aspect_id is None
