"""docs/ledger-import.md lists every column name and every value spelling the importer reads: a
synonym added to a kind and not to the doc (or the reverse) fails here."""

from __future__ import annotations

import re
from pathlib import Path

from app.importers.ledgers import values
from app.importers.ledgers.kinds import KIND_MODULES, ledger_kind, vocabulary

DOC = Path(__file__).resolve().parents[2] / "docs" / "ledger-import.md"


def _rows(text: str, heading: str) -> dict[str, set[str]]:
    """The table rows under `heading`: first cell → the names of the second."""
    part = text.split(heading, 1)[1].split("\n\n", 2)[1]
    rows = {}
    for line in part.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = set(cells[1].split("、"))
    return rows


def test_every_column_name_of_every_kind_is_in_the_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    for key in KIND_MODULES:
        kind = ledger_kind(key)
        rows = _rows(text, f"（`{key}`）")
        for spec in kind.fields:
            row = next(names for first, names in rows.items() if first.startswith(f"`{spec.key}`"))
            assert row == {spec.label, *spec.synonyms}, (key, spec.key)


def test_every_status_and_vocabulary_spelling_is_in_the_doc() -> None:
    text = DOC.read_text(encoding="utf-8")
    for heading, table in (
        ("**隐患整改状态**", values.HAZARD_STATUS),
        ("**信访办理状态**", values.PETITION_STATUS),
        ("**工程类别**", vocabulary.PROJECT_KIND_SPELLINGS),
        ("**项目状态**", vocabulary.PROJECT_STATUS_SPELLINGS),
        ("**执法文书类型**", vocabulary.DOCUMENT_KIND_SPELLINGS),
    ):
        rows = _rows(text, heading)
        assert {k: set(v) for k, v in rows.items()} == {k: set(v) for k, v in table.items()}, heading
    assert re.search(r"python main.py import KIND FILE --year Y", text)
