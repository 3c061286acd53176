"""Every kind of ledger imports, and its batch undoes, on PostgreSQL as on SQLite (the bulk inserts,
the ids read back, the undo's deletes in dependency order)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.importers.ledgers.batches import undo_batch
from app.importers.ledgers.model import ImportOptions
from app.importers.ledgers.plan import apply_plan, plan_import
from app.models.registers import Inspection, Petition, RectificationProblem
from app.models.safety import SafetyDocument, SafetyHazard, SafetyInspection, SafetyProject
from app.services.unit import create_unit
from tests.ledgers import build_documents, build_hazards, build_petitions, build_projects, build_rectification

TABLES = (
    SafetyProject,
    SafetyDocument,
    SafetyInspection,
    SafetyHazard,
    Petition,
    Inspection,
    RectificationProblem,
)


def _counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


@pytest.mark.parametrize("any_db", ["sqlite", "postgres"], indirect=True)
def test_each_kind_imports_and_undoes(any_db: Database, tmp_path: Path) -> None:
    unit_id = create_unit(any_db, "某县住房和城乡建设局", 2023)
    files = [
        ("projects", build_projects.write_list(tmp_path / "项目.xlsx", 8).path, {}, {"项目": 8}),
        ("documents", build_documents.write_register(tmp_path / "文书.xlsx", 10).path, {}, {"执法文书": 10}),
        ("hazards", build_hazards.standard_ledger(tmp_path / "隐患.xlsx", 12).path, {}, {"隐患": 12}),
        ("petitions", build_petitions.standard_ledger(tmp_path / "信访.xlsx", 9).path, {}, {"信访事项": 9}),
        (
            "rectification",
            build_rectification.standard_ledger(tmp_path, 6, 2023).path,
            {},
            {"整改问题": 6},
        ),
    ]
    batches = []
    for kind, path, options, expected in files:
        plan = plan_import(any_db, unit_id, kind, path, ImportOptions(year=2023, **options))
        assert plan.blockers("skip") == [], (kind, plan.blockers("skip")[:3])
        result = apply_plan(any_db, unit_id, plan)
        for label, number in expected.items():
            assert result.counts.created.get(label) == number, (kind, result.counts.created)
        batches.append(result.batch_id)
    imported = _counts(any_db)
    assert (
        imported["safety_hazard"] == 12
        and imported["petition"] == 9
        and imported["rectification_problem"] == 6
    )
    for batch_id in reversed(batches):  # the newest first: later batches may use earlier ones' projects
        undo_batch(any_db, batch_id)
    assert set(_counts(any_db).values()) == {0}
