"""Placeholders in report prose: how a name is resolved, filled, and refused."""

from __future__ import annotations

from app.db import Database
from app.registry import Figure, Registry, default_registry
from app.services.reports.figures import (
    EMPTY_VALUE,
    FigureGroup,
    FigureSet,
    duties_text,
    fill,
    placeholders_in,
    source_groups,
    unbalanced_brackets,
)

UNIT = FigureGroup(
    "unit",
    "单位信息",
    (
        Figure("unit.staff_quota", "编制数", "61", "人", 61),
        Figure("unit.staff_total", "干职工总数（在编＋退休）", "79", "人", 79),
        Figure("unit.head", "单位负责人", "", "", ""),
    ),
)
PETITIONS = FigureGroup(
    "petitions",
    "信访",
    (
        Figure("petitions.total", "信访件总数（全年）", "284", "件", 284),
        Figure("petitions.head", "单位负责人", "王五", "", "王五"),
    ),
)


def figures() -> FigureSet:
    return FigureSet([UNIT, PETITIONS])


def test_a_unique_label_a_qualified_label_and_a_key_all_resolve() -> None:
    f = figures()
    assert f.resolve("编制数").figure.key == "unit.staff_quota"
    assert f.resolve("信访·单位负责人").figure.key == "petitions.head"
    assert f.resolve("单位信息：单位负责人").figure.key == "unit.head"
    assert f.resolve("unit.staff_quota").figure.key == "unit.staff_quota"


def test_names_match_whatever_width_the_brackets_were_typed_in() -> None:
    assert figures().resolve("干职工总数(在编+退休)").figure.key == "unit.staff_total"


def test_an_ambiguous_name_lists_the_qualified_alternatives() -> None:
    resolution = figures().resolve("单位负责人")
    assert resolution.figure is None
    assert "【单位信息·单位负责人】" in resolution.problem and "【信访·单位负责人】" in resolution.problem


def test_the_picker_writes_the_shortest_unambiguous_placeholder() -> None:
    f = figures()
    assert f.placeholder("petitions.total") == "【信访件总数（全年）】"
    assert f.placeholder("unit.head") == "【单位信息·单位负责人】"
    assert f.placeholder("budget.total") == "【budget.total】"  # unknown: stays visible, check flags it


def test_fill_replaces_placeholders_with_the_figure_text_only() -> None:
    result = fill("全年共办理【信访件总数（全年）】件，编制【编制数】人。", figures())
    assert result.text == "全年共办理284件，编制61人。"
    assert result.ok and [f.key for f in result.used] == ["petitions.total", "unit.staff_quota"]


def test_unknown_placeholders_are_kept_and_reported_never_blanked() -> None:
    result = fill("共【信访总件数】件", figures())
    assert result.text == "共【信访总件数】件"
    assert not result.ok and result.problems[0].name == "信访总件数"
    assert "不是已知的数据项" in result.problems[0].problem


def test_a_known_figure_without_a_value_becomes_a_visible_blank() -> None:
    result = fill("负责人：【单位信息·单位负责人】", figures())
    assert result.text == f"负责人：{EMPTY_VALUE}"
    assert result.ok and [f.key for f in result.empty] == ["unit.head"]


def test_placeholder_scanning() -> None:
    assert placeholders_in("a【x】b【y·z】") == ["x", "y·z"]
    assert unbalanced_brackets("共【信访件总数件")
    assert not unbalanced_brackets("共【编制数】人")


def test_duties_are_numbered_one_a_line_with_the_seeds_punctuation() -> None:
    assert duties_text(["负责甲；", "（2）负责乙", " "]) == "1.负责甲；\n2.（2）负责乙。"


def test_every_registered_source_contributes_its_figures(example_db: Database, example_unit_id: int) -> None:
    with example_db.session() as session:
        groups = source_groups(session, default_registry(), example_unit_id, 2023)
        empty = source_groups(session, Registry(), example_unit_id, 2023)
    by_key = {g.key: g for g in groups}
    assert empty == []
    unit = {f.key: f.text for f in by_key["unit"].figures}
    assert unit["unit.staff_quota"] == "61"
    assert unit["unit.staff_total"] == "79"
    assert unit["unit.staff_control_rate"] == "96.72%"
    duties = by_key["profile"].figures[0]
    assert duties.text.startswith("1.贯彻执行国家、省、市关于建筑行业管理法律、法规和方针、政策；")
    assert duties.text.endswith("8.承办主管部门交办的其它事项。")
