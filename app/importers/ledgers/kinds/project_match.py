"""Finding a ledger's project names among the unit's projects, and creating the ones it lacks.

A name matches exactly, else by `values.name_key` (full-width/half-width, brackets, spaces and a
trailing 项目/工程 ignored) when exactly one project has that key. Names that match nothing are
noted; after the user confirms, `create_missing_projects` creates them (房屋建筑, 在建 since the
import's date), so every ledger kind that names projects shares one rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.importers.ledgers.kinds.bulk import insert_ids
from app.importers.ledgers.values import name_key
from app.models.base import station_name
from app.models.safety import SafetyProject, SafetyProjectStatus
from app.services.safety.constants import BUILDING, HOUSING

PROJECTS_LABEL = "工程项目"  # the pending_additions label of projects an import would create
NAME_LIMIT = 200


@dataclass
class ProjectIndex:
    """A unit's projects by exact name and by name key (a key several projects share maps to None:
    such a name matches only exactly)."""

    by_name: dict[str, int] = field(default_factory=dict)
    by_key: dict[str, int | None] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    _missing_keys: set[str] = field(default_factory=set)
    _names_by_key: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, project_id: int) -> None:
        self.by_name[name] = project_id
        key = name_key(name)
        self._names_by_key.setdefault(key, []).append(name)
        if key in self.by_key and self.by_key[key] != project_id:
            self.by_key[key] = None
        else:
            self.by_key[key] = project_id

    def ambiguous(self, name: str) -> list[str]:
        """The projects `name` could mean when it matches none exactly but several by key (a
        row problem: "write the full name"); [] otherwise."""
        name = name.strip()
        key = name_key(name)
        if not name or name in self.by_name or self.by_key.get(key, 0) is not None:
            return []
        return list(self._names_by_key.get(key, []))

    def find(self, name: str) -> int | None:
        name = name.strip()
        if not name:
            return None
        found = self.by_name.get(name)
        if found is not None:
            return found
        return self.by_key.get(name_key(name))

    def note_missing(self, name: str) -> None:
        name = name.strip()
        key = name_key(name)
        if name and key not in self._missing_keys:
            self._missing_keys.add(key)
            self.missing.append(name)


def load_project_index(session: Session, unit_id: int) -> ProjectIndex:
    index = ProjectIndex()
    rows = session.execute(
        select(SafetyProject.id, SafetyProject.name)
        .where(SafetyProject.unit_id == unit_id)
        .order_by(SafetyProject.id)
    )
    for project_id, name in rows:
        index.add(name, project_id)
    return index


def create_missing_projects(
    session: Session,
    unit_id: int,
    index: ProjectIndex,
    recorder: Any,
    *,
    on: date,
    first_dates: Mapping[str, date] | None = None,
) -> dict[str, int]:
    """Create one project (房屋建筑, 在建 since `on`, or since `first_dates[name_key]` when given:
    the earliest date a row names it, with its status row) per name in `index.missing` that still
    matches nothing; returns name_key → id and adds them to `index`."""
    names = [name for name in index.missing if index.find(name) is None]
    if not names:
        return {}
    dates = first_dates or {}
    since = [dates.get(name_key(name), on) for name in names]
    now = datetime.now().replace(microsecond=0)
    station = station_name()
    project_rows = [
        {
            "unit_id": unit_id,
            "name": name[:NAME_LIMIT],
            "kind": HOUSING,
            "location": "",
            "developer": "",
            "contractor": "",
            "supervision_firm": "",
            "permit_no": "",
            "status": BUILDING,
            "status_since": day,
            "note": "",
            "version": 1,
            "changed_by": station,
            "changed_at": now,
        }
        for name, day in zip(names, since, strict=True)
    ]
    ids = insert_ids(session, SafetyProject, project_rows)
    status_ids = insert_ids(
        session,
        SafetyProjectStatus,
        [
            {"project_id": pid, "status": BUILDING, "since": day, "note": ""}
            for pid, day in zip(ids, since, strict=True)
        ],
    )
    recorder.created("safety_project", ids)
    recorder.created("safety_project_status", status_ids)
    created: dict[str, int] = {}
    for name, project_id in zip(names, ids, strict=True):
        index.add(name[:NAME_LIMIT], project_id)
        created[name_key(name)] = project_id
    return created
