"""The app's own ledgers, as another unit would receive them (a colleague's export, last year's
files), imported into a new unit: every record comes back, with the same states, categories and
channels as in the example unit that wrote them. The personal data the register hides on export
stays hidden (the phone numbers are not imported), and nothing needs retyping."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.importers.ledgers.model import ImportOptions
from app.importers.ledgers.plan import apply_plan, plan_import
from app.models.registers import Inspection, InspectionAspect, Petition, RectificationProblem
from app.models.safety import SafetyDocument, SafetyHazard, SafetyProject
from app.services.unit import create_unit, first_unit
from tests.conftest import exported_example, open_sqlite

KEYS = {"safety.projects", "safety.hazards", "safety.documents", "petitions.ledger", "rectification.ledger"}


@pytest.fixture(scope="module")
def ledgers(example_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    with exported_example(example_template, tmp_path_factory.mktemp("ledgers"), KEYS) as files:
        yield {name: path for name, path in files.items() if path.suffix == ".xlsx"}


def _file(ledgers: dict[str, Path], part: str) -> Path:
    return next(path for name, path in ledgers.items() if part in name)


def _import(db: Database, unit_id: int, kind: str, path: Path, **options) -> dict[str, int]:
    plan = plan_import(db, unit_id, kind, path, ImportOptions(year=2023, **options))
    assert plan.blockers("skip") == [], plan.blockers("skip")[:5]
    return apply_plan(db, unit_id, plan).counts.created


def _column_counts(db: Database, column, where=None) -> Counter:
    with db.session() as session:
        query = select(column, func.count()).group_by(column)
        if where is not None:
            query = query.where(where)
        return Counter(dict(session.execute(query).all()))


def test_every_exported_ledger_imports_into_a_new_unit_with_the_same_records(
    ledgers: dict[str, Path], example_db: Database, db: Database
) -> None:
    unit_id = create_unit(db, "某县住房和城乡建设局", 2023)
    with example_db.session() as session:
        example_unit = first_unit(session).id

    projects = _import(db, unit_id, "projects", _file(ledgers, "工程项目清单"))
    documents = _import(db, unit_id, "documents", _file(ledgers, "执法文书登记表"))
    hazards = _import(db, unit_id, "hazards", _file(ledgers, "隐患排查治理台账"), inspectors="张某某、李某某")
    petitions = _import(db, unit_id, "petitions", _file(ledgers, "信访事项登记台账"))
    problems = _import(db, unit_id, "rectification", _file(ledgers, "整改台账"))

    assert projects == {"项目": 112}  # the 2023 list: the projects under supervision that year
    assert documents == {"执法文书": 446}  # every project named is on the list already
    assert hazards == {"检查记录": 683, "隐患": 2111}
    assert petitions == {"信访事项": 284}
    assert problems.get("整改问题") == 12 and problems.get("巡察") == 1 and problems.get("方面") == 3

    # the same states, categories and channels as the unit that wrote the ledgers
    in_2023 = Petition.received_on.between("2023-01-01", "2023-12-31")
    for column in (Petition.status, Petition.channel, Petition.category, Petition.satisfaction):
        assert _column_counts(db, column) == _column_counts(example_db, column, in_2023), column
    assert _column_counts(db, SafetyDocument.kind) == _column_counts(
        example_db, SafetyDocument.kind, SafetyDocument.issued_on.between("2023-01-01", "2023-12-31")
    )
    with db.session() as session:
        names = session.scalars(select(SafetyProject.name)).all()
    assert _column_counts(db, SafetyProject.status) == _column_counts(
        example_db, SafetyProject.status, SafetyProject.name.in_(names)
    )
    assert sum(_column_counts(db, SafetyHazard.category).values()) == 2111
    assert _column_counts(db, RectificationProblem.status) == _column_counts(
        example_db, RectificationProblem.status, RectificationProblem.inspection_id.in_(
            select(Inspection.id).where(Inspection.name == "工程建设和房地产领域专项巡察")
        )
    )  # fmt: skip
    with db.session() as session:
        assert session.scalar(select(func.count()).where(Petition.phone != "")) == 0  # hidden on export
        assert session.scalars(select(Inspection.name)).all() == ["工程建设和房地产领域专项巡察"]
        assert session.scalar(select(func.count()).select_from(InspectionAspect)) == 3
        numbers = session.scalars(select(Petition.number).order_by(Petition.number)).all()
    with example_db.session() as session:
        assert (
            numbers
            == session.scalars(
                select(Petition.number)
                .where(Petition.unit_id == example_unit, in_2023)
                .order_by(Petition.number)
            ).all()
        )


def test_reimporting_the_exports_into_the_unit_that_wrote_them_creates_nothing(
    ledgers: dict[str, Path], example_path: Path
) -> None:
    db = open_sqlite(example_path)
    try:
        with db.session() as session:
            unit_id = first_unit(session).id
        for kind, part, options in (
            ("projects", "工程项目清单", {}),
            ("documents", "执法文书登记表", {}),
            ("hazards", "隐患排查治理台账", {"inspectors": "张某某"}),
            ("petitions", "信访事项登记台账", {}),
            ("rectification", "整改台账", {}),
        ):
            created = _import(db, unit_id, kind, _file(ledgers, part), **options)
            assert created == {}, (kind, created)
    finally:
        db.dispose()
