"""Matching a ledger's project names to the unit's projects (kinds/project_match.py)."""

from __future__ import annotations

from app.importers.ledgers.kinds.project_match import ProjectIndex


def _index() -> ProjectIndex:
    index = ProjectIndex()
    index.add("城南（棚改）安置小区二期项目", 1)
    index.add("城北中学", 2)
    index.add("城北中学项目", 3)  # the same key as 城北中学: only exact names find either
    return index


def test_a_name_matches_exactly_or_up_to_brackets_spaces_and_a_trailing_word():
    index = _index()
    assert index.find("城南（棚改）安置小区二期项目") == 1
    assert index.find("城南(棚改)安置小区 二期") == 1
    assert index.find(" 城南（棚改）安置小区二期工程 ") == 1
    assert index.find("城北中学") == 2 and index.find("城北中学项目") == 3
    assert index.find("城北中学工程") is None  # two projects share its key
    assert index.find("城南安置小区二期") is None
    assert index.find("") is None


def test_missing_names_are_noted_once_per_key_in_first_seen_order():
    index = _index()
    for name in ("新市幼儿园（一期）", "白水厂房", "新市幼儿园(一期)项目", "  ", "白水厂房工程"):
        index.note_missing(name)
    assert index.missing == ["新市幼儿园（一期）", "白水厂房"]


def test_a_name_several_projects_share_lists_them():
    index = _index()
    assert index.ambiguous("城北中学工程") == ["城北中学", "城北中学项目"]
    assert index.ambiguous("城北中学") == [] and index.ambiguous("城南(棚改)安置小区二期") == []
    assert index.ambiguous("白水厂房") == []
