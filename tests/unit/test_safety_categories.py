"""隐患类别 as a managed list: seeded per unit, synonyms stored as their category, renames rewrite
the hazards in one transaction, the filter offers every category in use; and the 整改期限 warning."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import EditConflictError, UserError
from app.migrations.versions import __path__ as versions_path
from app.models.safety import SafetyHazard, SafetyHazardCategory
from app.services.safety import categories as cat
from app.services.safety.constants import HAZARD_CATEGORIES
from app.services.safety.forms import FormErrors
from app.services.safety.inspections import (
    HazardDraft,
    InspectionDraft,
    add_hazards,
    create_inspection,
    hazard_warnings,
    load_hazard,
    update_hazard,
    validate_hazard,
)
from app.services.safety.projects import ProjectForm, create_project
from app.services.safety.stats import period_statistics
from app.services.unit import create_unit

TODAY = date(2024, 6, 30)


def _unit_with_project(db: Database) -> tuple[int, int]:
    unit_id = create_unit(db, "测试县建筑工程服务中心", 2024)
    project = create_project(
        db, unit_id, ProjectForm(name="城北小区一期", kind="房屋建筑"), "在建", date(2024, 3, 1)
    )
    return unit_id, project


def _inspect(db: Database, unit_id: int, project: int, *categories: str) -> int:
    draft = InspectionDraft(date(2024, 6, 5), "月例行检查", [project])
    hazards = [HazardDraft(project, f"隐患{n}", c, date(2024, 6, 12)) for n, c in enumerate(categories)]
    return create_inspection(db, unit_id, draft, hazards, today=TODAY)


def _stored(db: Database, unit_id: int) -> list[str]:
    with db.session() as session:
        return list(
            session.scalars(
                select(SafetyHazard.category).where(SafetyHazard.unit_id == unit_id).order_by(SafetyHazard.id)
            )
        )


def test_a_new_unit_gets_the_seed_list_with_synonyms(any_db: Database) -> None:
    unit_id, _project = _unit_with_project(any_db)
    with any_db.session() as session:
        items = cat.categories(session, unit_id)
    assert [i.name for i in items] == list(HAZARD_CATEGORIES)
    assert all(i.id is not None and i.version == 1 for i in items)
    assert cat.resolve(items, "触电") == "临时用电"
    assert cat.resolve(items, "起重伤害") == "起重机械"
    assert cat.resolve(items, " 高处坠落 ") == "高处坠落"
    assert cat.resolve(items, "地震") is None


def test_the_migration_seeds_what_the_service_seeds() -> None:
    import importlib.util
    from pathlib import Path

    script = Path(versions_path[0]) / "0009_hazard_categories.py"
    spec = importlib.util.spec_from_file_location("m0009", script)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    assert [(n, tuple(s.split("、"))) for n, s in module.SEED] == list(cat.SEED_CATEGORIES)


def test_the_example_unit_has_the_list_and_no_hazard_under_a_synonym(example_db: Database) -> None:
    with example_db.session() as session:
        items = cat.categories(session, 1)
        usage = cat.category_usage(session, 1)
        assert cat.synonym_usage(session, 1) == 0
        in_use = cat.categories_in_use(session, 1)
    assert len(items) == 12 and items[2].name == "临时用电" and "触电" in items[2].synonyms
    assert usage["临时用电"] == 445 and usage["高处坠落"] == 505 and "其他" not in usage
    assert in_use == list(HAZARD_CATEGORIES)  # every category in use is on the list


def test_a_typed_synonym_is_stored_as_its_category_and_counted_once(any_db: Database) -> None:
    unit_id, project = _unit_with_project(any_db)
    inspection = _inspect(any_db, unit_id, project, "触电", "临时用电", "临电")
    add_hazards(any_db, inspection, [HazardDraft(project, "塔吊限位失灵", "起重伤害", date(2024, 6, 12))])
    assert _stored(any_db, unit_id) == ["临时用电", "临时用电", "临时用电", "起重机械"]
    with any_db.session() as session:
        stats = period_statistics(session, unit_id, date(2024, 1, 1), date(2024, 12, 31))
    assert stats.hazards_by_category == {"临时用电": 3, "起重机械": 1}


def test_a_category_not_on_the_list_is_refused_saving_nothing(any_db: Database) -> None:
    unit_id, project = _unit_with_project(any_db)
    with pytest.raises(FormErrors) as refused:
        _inspect(any_db, unit_id, project, "高处坠落", "地震")
    assert [(e.row, e.field) for e in refused.value.errors] == [(1, "category")]
    assert "第2条隐患：隐患类别“地震”不在本单位的隐患类别列表中" in refused.value.errors[0].message
    assert _stored(any_db, unit_id) == []


def test_an_old_category_stays_on_edit_but_cannot_be_chosen_anew(any_db: Database) -> None:
    unit_id, project = _unit_with_project(any_db)
    _inspect(any_db, unit_id, project, "消防", "扬尘")
    with any_db.transaction() as session:  # data from before the list: a category it lacks
        session.execute(
            SafetyHazard.__table__.update().where(SafetyHazard.category == "消防").values(category="防火")
        )
    first, second = (h for h in _ids(any_db, unit_id))
    with any_db.session() as session:
        record = load_hazard(session, first)
        other = load_hazard(session, second)
    record.draft.description = "灭火器过期"
    update_hazard(any_db, first, record.draft, TODAY)  # unchanged old category: kept
    other.draft.category = "防火"
    with pytest.raises(FormErrors, match="防火"):
        update_hazard(any_db, second, other.draft, TODAY)
    assert _stored(any_db, unit_id) == ["防火", "扬尘"]
    with any_db.session() as session:
        assert cat.categories_in_use(session, unit_id) == [*HAZARD_CATEGORIES, "防火"]


def _ids(db: Database, unit_id: int) -> list[int]:
    with db.session() as session:
        return list(
            session.scalars(
                select(SafetyHazard.id).where(SafetyHazard.unit_id == unit_id).order_by(SafetyHazard.id)
            )
        )


def test_renaming_an_entry_rewrites_its_hazards_and_keeps_the_old_name_as_a_synonym(any_db: Database) -> None:
    unit_id, project = _unit_with_project(any_db)
    _inspect(any_db, unit_id, project, "消防", "消防", "扬尘")
    first = _ids(any_db, unit_id)[0]
    with any_db.session() as session:
        shown = cat.categories(session, unit_id)
        stale = load_hazard(session, first).draft  # an edit dialog open meanwhile
    edited = [
        cat.HazardCategory("消防安全", (*i.synonyms, "灭火器"), i.id, i.version) if i.name == "消防" else i
        for i in shown
    ]
    assert cat.save_categories(any_db, unit_id, edited, shown) == 2
    assert _stored(any_db, unit_id) == ["消防安全", "消防安全", "扬尘"]
    with any_db.session() as session:
        items = cat.categories(session, unit_id)
        versions = session.scalars(select(SafetyHazard.version).order_by(SafetyHazard.id)).all()
    fire = next(i for i in items if i.name == "消防安全")
    # "消防安全" was a synonym of 消防: as the name now, it is no longer one
    assert fire.synonyms == ("火灾", "动火作业", "灭火器", "消防") and fire.version == 2
    assert versions == [2, 2, 1]  # the rewritten hazards count a save
    assert cat.resolve(items, "消防") == "消防安全"  # the old name still means the entry
    with pytest.raises(EditConflictError):  # the stale dialog cannot write the old name back
        update_hazard(any_db, first, stale, TODAY)
    with pytest.raises(EditConflictError):  # nor can a list dialog opened before the rename
        cat.save_categories(any_db, unit_id, shown, shown)


def test_two_entries_can_swap_names(db: Database) -> None:
    unit_id, project = _unit_with_project(db)
    _inspect(db, unit_id, project, "消防", "扬尘")
    with db.session() as session:
        shown = cat.categories(session, unit_id)
    swap = {"消防": "扬尘", "扬尘": "消防"}
    edited = [cat.HazardCategory(swap.get(i.name, i.name), (), i.id, i.version) for i in shown]
    assert cat.save_categories(db, unit_id, edited, shown) == 2
    assert _stored(db, unit_id) == ["扬尘", "消防"]


def test_removing_an_entry_keeps_its_hazards_and_the_filter_still_offers_it(db: Database) -> None:
    unit_id, project = _unit_with_project(db)
    _inspect(db, unit_id, project, "工程质量")
    with db.session() as session:
        shown = cat.categories(session, unit_id)
    cat.save_categories(db, unit_id, [i for i in shown if i.name != "工程质量"], shown)
    assert _stored(db, unit_id) == ["工程质量"]
    with db.session() as session:
        assert len(cat.categories(session, unit_id)) == 11
        assert cat.categories_in_use(session, unit_id)[-1] == "工程质量"


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "不能为空"),
        ([cat.HazardCategory("消防"), cat.HazardCategory("消防")], "类别名称重复：消防"),
        ([cat.HazardCategory("消防", ("扬尘",)), cat.HazardCategory("扬尘")], "“扬尘”已是一个类别的名称"),
        (
            [cat.HazardCategory("消防", ("火",)), cat.HazardCategory("动火", ("火",))],
            "同义词“火”同时属于“消防”和“动火”",
        ),
        ([cat.HazardCategory("超" * 21)], "类别名称过长"),
    ],
)
def test_a_wrong_list_is_refused(db: Database, items: list, message: str) -> None:
    unit_id, _project = _unit_with_project(db)
    with pytest.raises(UserError, match=message):
        cat.save_categories(db, unit_id, items)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SafetyHazardCategory)) == 12


def test_unify_rewrites_hazards_saved_under_a_synonym(db: Database) -> None:
    unit_id, project = _unit_with_project(db)
    _inspect(db, unit_id, project, "临时用电", "高处坠落", "其他")
    with db.transaction() as session:  # as typed before the list existed
        session.execute(
            SafetyHazard.__table__.update().where(SafetyHazard.category == "临时用电").values(category="触电")
        )
        session.execute(
            SafetyHazard.__table__.update().where(SafetyHazard.category == "其他").values(category="其它")
        )
    with db.session() as session:
        assert cat.synonym_usage(session, unit_id) == 2
    assert cat.unify_synonyms(db, unit_id) == 2
    assert _stored(db, unit_id) == ["临时用电", "高处坠落", "其他"]


def test_synonyms_are_split_on_any_separator() -> None:
    assert cat.split_synonyms(" 触电、临电，用电; 电  ") == ("触电", "临电", "用电", "电")


def test_a_deadline_more_than_90_days_out_warns_but_saves(db: Database) -> None:
    found = date(2024, 6, 5)
    hazard = HazardDraft(1, "基坑支护变形", "深基坑", date(2024, 9, 3))  # 90 days: fine
    assert hazard_warnings(hazard, found) == []
    hazard.deadline = date(2024, 9, 4)
    (warning,) = hazard_warnings(hazard, found, row=1)
    assert (warning.field, warning.row) == ("deadline", 1)
    assert warning.message == "第2条隐患：整改期限在检查日期91天之后（超过90天），请核对"
    assert validate_hazard(hazard, found, [1], 0, TODAY) == []
    unit_id, project = _unit_with_project(db)
    draft = InspectionDraft(found, "月例行检查", [project])
    create_inspection(
        db, unit_id, draft, [HazardDraft(project, "基坑支护变形", "深基坑", date(2024, 12, 31))], TODAY
    )
    assert _stored(db, unit_id) == ["深基坑"]
