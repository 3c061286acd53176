"""Importing malformed 预算绩效 workbooks (tests/property/workbooks.py): the import either succeeds or
is refused with a UserError listing what could not be read, and a refused import leaves every
table of the database as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from sqlalchemy import text

from app.db import Database
from app.errors import UserError
from app.exports.package import export_year
from app.importers.budget_xlsx import import_files
from app.services.unit import first_unit
from tests.conftest import copy_data_file, open_sqlite
from tests.property import workbooks
from tests.property.profiles import WORKBOOK_EXAMPLES, examples

YEAR = 2023


@pytest.fixture(scope="module")
def fuzz_db(
    example_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, int]]:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "fuzz.sqlite3"
    copy_data_file(example_template, path)
    db = open_sqlite(path)
    with db.session() as session:
        unit = first_unit(session)
        assert unit is not None
        unit_id = unit.id
    yield db, unit_id
    db.dispose()


@pytest.fixture(scope="module")
def snapshot(fuzz_db: tuple[Database, int]) -> Snapshot:
    return Snapshot(fuzz_db[0])


class Templates(list):
    """The example year's five exported tables as .xlsx bytes (shown by count, not by content)."""

    def __repr__(self) -> str:
        return f"<{len(self)} templates>"


@pytest.fixture(scope="module")
def templates(fuzz_db: tuple[Database, int], tmp_path_factory: pytest.TempPathFactory) -> Templates:
    db, unit_id = fuzz_db
    folder = tmp_path_factory.mktemp("templates")
    files = export_year(db, unit_id, YEAR, folder, keys={"budget.tables"}, into_package_folder=False).files
    return Templates(f.read_bytes() for f in sorted(files))


def dump(db: Database) -> dict[str, object]:
    """Every row of the tables an import writes (budget_*), and the row count of every other table."""
    with db.engine.connect() as conn:
        query = text("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        state: dict[str, object] = {}
        for name in conn.execute(query).scalars().all():
            if name.startswith("budget_"):
                state[name] = sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{name}"'))), key=repr)
            else:
                state[name] = conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
        return state


class Snapshot:
    """The database as it was before the last import, taken again only after one succeeded."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.state = dump(db)

    def changed(self) -> None:
        self.state = dump(self.db)


mutations = st.builds(
    workbooks.Mutation,
    st.sampled_from(workbooks.MUTATION_KINDS),
    st.integers(min_value=0, max_value=1_000_000),
    st.integers(min_value=0, max_value=9),
    st.sampled_from(workbooks.HOSTILE_VALUES),
)
recipes = st.builds(
    workbooks.Recipe,
    st.integers(min_value=0, max_value=4),
    st.lists(mutations, min_size=1, max_size=4).map(tuple),
    st.sampled_from(["openpyxl", "openpyxl", "xlsxwriter"]),
)


@examples(WORKBOOK_EXAMPLES)
@given(recipe=recipes)
def test_a_malformed_workbook_is_imported_or_refused_cleanly(
    recipe: workbooks.Recipe,
    fuzz_db: tuple[Database, int],
    templates: Templates,
    snapshot: Snapshot,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    db, unit_id = fuzz_db
    path = workbooks.write(tmp_path_factory.getbasetemp() / "fuzz.xlsx", workbooks.build(templates, recipe))
    try:
        import_files(db, unit_id, YEAR, [path])
    except UserError as exc:
        event("refused")
        assert str(exc)
        assert dump(db) == snapshot.state
    else:
        event("imported")
        snapshot.changed()
