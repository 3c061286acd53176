"""The synthetic unit of bench/scale.py, and the bulk-insert helpers the 100,000-row tests share.

    python -m bench.scale_data OUT.sqlite3        # build the file on its own (prints counts, time)

The unit is the example unit (every module's example records, `load_example`), topped up in
2023 to 100,000 petitions and 200,000 hazards with the inspections and projects they need. Rows
come from a seeded `random.Random` with the modules' own vocabularies (hazard descriptions and
measures, channels, categories, summaries, fictitious people) and go in with Core bulk inserts in
batches (`insert_batches`), never one ORM object at a time: 100,000 rows took 6.8 s with
`add_all` and 0.66 s with Core.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select

PETITIONS = 100_000
HAZARDS = 200_000
YEAR = 2023
TODAY = date(2023, 12, 20)  # "today" of every scale measurement: late in the year
SEED = 2023
BATCH = 10_000
EXTRA_PROJECTS = 300  # supervised projects the synthetic inspections visit, beside the example's


def insert_batches(conn: Connection, model: Any, rows: Iterable[dict], batch: int = BATCH) -> int:
    """Core `INSERT … executemany` of `rows` in batches of `batch`; returns how many went in."""
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            conn.execute(insert(model), chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        conn.execute(insert(model), chunk)
        count += len(chunk)
    return count


# -- rows with every NOT NULL column filled (a Core insert applies no ORM defaults) ---------------


def project_row(unit_id: int, **values: Any) -> dict:
    row = dict(location="", developer="", contractor="", supervision_firm="", permit_no="", note="")
    row.update(kind="房屋建筑", status="在建")
    row.update(unit_id=unit_id, **values)
    return row


def inspection_row(unit_id: int, **values: Any) -> dict:
    return {
        "kind": "月例行检查",
        "campaign": "",
        "inspectors": "",
        "summary": "",
        "unit_id": unit_id,
        **values,
    }


def hazard_row(unit_id: int, **values: Any) -> dict:
    defaults = dict(
        level="一般", measures="", responsible="", rectified_on=None, reviewer="", status="待整改"
    )
    return {**defaults, "unit_id": unit_id, **values}


def petition_row(unit_id: int, **values: Any) -> dict:
    row = dict(
        channel="",
        referred_by="",
        assignment="",
        petitioner="",
        phone="",
        id_number="",
        people=1,
        repeat=False,
        category="",
        summary="",
        department="",
        leader="",
        accepted_on=None,
        notified_on=None,
        required_by=None,
        extension_days=0,
        extension_reason="",
        due_on=None,
        next_due=None,
        closed_on=None,
        result="",
        satisfaction="",
        note="",
    )
    row.update(unit_id=unit_id, **values)
    return row


# -- the synthetic records ----------------------------------------------------------------------------


def _day_in(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _weighted(rng: random.Random, weights: dict[str, int]) -> Iterator[str]:
    """An endless stream of keys drawn with the given weights (cheaper than one `choices` a row)."""
    keys, cumulative = list(weights), []
    total = 0
    for key in keys:
        total += weights[key]
        cumulative.append(total)
    while True:
        yield from rng.choices(keys, cum_weights=cumulative, k=1000)


def petition_rows(rng: random.Random, unit_id: int, n: int, first_seq: int) -> Iterator[dict]:
    """`n` petitions received in YEAR up to TODAY, numbered from `first_seq`: most closed (a few
    late or extended), some in hand, some waiting to be accepted, a few rejected or transferred;
    the deadlines and `next_due` as the service computes them."""
    from app.example_data.registers import (
        _DEPARTMENTS,
        _LEADERS,
        _REFERRED_BY,
        CATEGORY_COUNTS,
        CHANNEL_COUNTS,
        VISIT_PEOPLE,
        _person,
        _summary,
    )
    from app.models.registers import (
        PETITION_CLOSED,
        PETITION_HANDLING,
        PETITION_PENDING,
        PETITION_REJECTED,
        PETITION_TRANSFERRED,
    )
    from app.services.registers.petitions import acceptance_due, handling_due, next_due

    channels = _weighted(rng, CHANNEL_COUNTS[YEAR])
    categories = _weighted(rng, CATEGORY_COUNTS[YEAR])
    first = date(YEAR, 1, 1)
    for seq in range(first_seq, first_seq + n):
        channel, category = next(channels), next(categories)
        received = _day_in(rng, first, TODAY)
        age = (TODAY - received).days
        draw = rng.random()
        if age <= 3 and draw < 0.6:
            status = PETITION_PENDING
        elif draw < 0.015:
            status = PETITION_REJECTED
        elif draw < 0.03:
            status = PETITION_TRANSFERRED
        elif (age < 45 and draw < 0.6) or (age >= 45 and draw < 0.05):  # a few stay open past their due
            status = PETITION_HANDLING
        else:
            status = PETITION_CLOSED
        accepted = None
        if status in (PETITION_HANDLING, PETITION_CLOSED):
            accepted = min(
                received + timedelta(days=0 if channel == "12345热线/信箱" else rng.randint(1, 6)), TODAY
            )
        extension = 30 if status != PETITION_PENDING and rng.random() < 0.015 else 0
        due = handling_due(accepted, extension)
        closed = None
        if status == PETITION_CLOSED:
            assert accepted is not None
            late = rng.random() < 0.01
            closed = accepted + timedelta(
                days=rng.randint(62, 75) if late else rng.randint(2, 45 + extension)
            )
            closed = min(closed, TODAY)
        elif status in (PETITION_REJECTED, PETITION_TRANSFERRED):
            closed = min(received + timedelta(days=rng.randint(1, 10)), TODAY)
        summary, result = _summary(rng, category)
        name, phone, id_number = _person(rng) if channel != "舆情" else ("", "", "")
        people = rng.choice(VISIT_PEOPLE[YEAR]) if channel == "来访" else 1
        row = petition_row(
            unit_id,
            number=f"XF{YEAR}-{seq:04d}",
            received_on=received,
            channel=channel,
            referred_by=_REFERRED_BY.get(channel, ""),
            petitioner=f"{name}等{people}人" if people >= 5 else name,
            phone=phone,
            id_number=id_number if channel in ("来访", "网上信访", "信访局转办") else "",
            people=people,
            repeat=channel == "来访" and people < 5 and rng.random() < 0.2,
            category=category,
            summary=summary,
            department=rng.choice(_DEPARTMENTS),
            leader=rng.choice(_LEADERS),
            accepted_on=accepted,
            notified_on=accepted,
            extension_days=extension,
            extension_reason="涉及多个部门，需进一步调查核实，已告知信访人" if extension else "",
            due_on=due,
            closed_on=closed,
            result=result
            if status == PETITION_CLOSED
            else ("" if closed is None else "不属于本单位职责，已告知"),
            satisfaction=rng.choice(("满意", "满意", "满意", "基本满意", "未评价")) if closed else "",
            status=status,
        )
        row["next_due"] = next_due(_Item(row))
        if status == PETITION_PENDING:
            assert row["next_due"] == acceptance_due(received)
        yield row


class _Item:
    """Attribute access to a row dict, for the service's `next_due(item)`."""

    def __init__(self, row: dict) -> None:
        self.__dict__.update(row)


@dataclass
class SafetyRows:
    projects: list[dict]
    statuses: list[dict]
    inspections: list[dict]
    covered: list[dict]  # safety_inspection_project
    hazards: Iterator[dict]


def safety_rows(
    rng: random.Random, unit_id: int, n: int, first_project: int, first_inspection: int
) -> SafetyRows:
    """`n` hazards found in YEAR up to TODAY by inspections of EXTRA_PROJECTS new projects (ids
    from `first_project`), 1–9 hazards an inspection, each inspection covering 1–3 projects.
    Nearly all are rectified, a few of them after their deadline; the recent ones are often
    still open, and some old ones too (overdue)."""
    from app.example_data.safety import (
        CATEGORY_WEIGHTS,
        FIRM_WORDS,
        HAZARDS,
        HOUSING_TYPES,
        MUNICIPAL_WORKS,
        PEOPLE,
        PLACES,
    )
    from app.services.safety.constants import HOUSING, MUNICIPAL

    projects, statuses = [], []
    for i in range(EXTRA_PROJECTS):
        pid = first_project + i
        kind = HOUSING if i % 5 else MUNICIPAL
        name = f"{rng.choice(PLACES)}{rng.choice(HOUSING_TYPES if kind == HOUSING else MUNICIPAL_WORKS)}{pid}"
        since = _day_in(rng, date(YEAR - 2, 3, 1), date(YEAR, 3, 31))
        firm = rng.choice(FIRM_WORDS)
        projects.append(
            project_row(
                unit_id,
                id=pid,
                name=name,
                kind=kind,
                location=rng.choice(PLACES),
                developer=f"汨罗市{rng.choice(FIRM_WORDS)}置业有限公司",
                contractor=f"湖南{firm}建设工程有限公司",
                supervision_firm=f"岳阳{rng.choice(FIRM_WORDS)}工程监理有限公司",
                permit_no=f"430681{since:%Y%m}{pid:04d}0101",
                status="在建",
                status_since=since,
            )
        )
        statuses.append(dict(project_id=pid, status="在建", since=since, note=""))

    campaigns = [
        ("专项检查", f"{YEAR}年春季开复工安全生产专项检查"),
        ("专项检查", f"{YEAR}年安全生产月专项检查"),
        ("恶劣天气专项", f"{YEAR}年汛期安全专项督查"),
        ("节假日专项", f"{YEAR}年国庆节前安全生产专项检查"),
    ]
    per_inspection = [rng.randint(1, 9) for _ in range(n // 5 * 2)]
    inspections, covered, plan = [], [], []
    made = 0
    for i, count in enumerate(per_inspection):
        if made >= n:
            break
        count = min(count, n - made)
        iid = first_inspection + i
        day = _day_in(rng, date(YEAR, 1, 3), TODAY)
        kind, campaign = rng.choice(campaigns) if rng.random() < 0.12 else ("月例行检查", "")
        visited = rng.sample(
            range(first_project, first_project + EXTRA_PROJECTS), rng.choice((1, 1, 1, 2, 3))
        )
        inspections.append(
            inspection_row(
                unit_id,
                id=iid,
                checked_on=day,
                kind=kind,
                campaign=campaign,
                inspectors="、".join(rng.sample(PEOPLE, 2)),
            )
        )
        covered += [dict(inspection_id=iid, project_id=pid) for pid in visited]
        plan.append((iid, day, visited, count))
        made += count

    contractor = {p["id"]: p["contractor"] for p in projects}

    def hazards() -> Iterator[dict]:
        category_stream = _weighted(rng, CATEGORY_WEIGHTS)
        for iid, day, visited, count in plan:
            for _ in range(count):
                category = next(category_stream)
                description, measures = rng.choice(HAZARDS[category])
                pid = rng.choice(visited)
                deadline = day + timedelta(days=rng.choice((3, 7, 7, 15, 30)))
                age = (TODAY - day).days
                still_open = rng.random() < (0.5 if age < 20 else 0.02)
                rectified = None
                if not still_open:
                    late = rng.random() < 0.03
                    rectified = (
                        deadline + timedelta(days=rng.randint(1, 10)) if late else _day_in(rng, day, deadline)
                    )
                    if rectified > TODAY:
                        rectified, still_open = None, True
                yield hazard_row(
                    unit_id,
                    inspection_id=iid,
                    project_id=pid,
                    found_on=day,
                    description=description,
                    category=category,
                    level="重大" if rng.random() < 0.015 else "一般",
                    measures=measures,
                    responsible=f"{contractor[pid]}（项目经理{rng.choice(PEOPLE)}）",
                    deadline=deadline,
                    rectified_on=rectified,
                    reviewer="" if still_open else rng.choice(PEOPLE),
                    status=("整改中" if rng.random() < 0.4 else "待整改") if still_open else "已整改",
                )

    return SafetyRows(projects, statuses, inspections, covered, hazards())


# -- building the file ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleUnit:
    path: Path
    unit_id: int
    petitions: int
    hazards: int
    inspections: int
    projects: int
    seconds: float


def _next_id(conn: Connection, model: Any) -> int:
    return (conn.scalar(select(func.max(model.id))) or 0) + 1


def build(path: Path) -> ScaleUnit:
    """The example unit in a new SQLite file at `path`, topped up to PETITIONS petitions and
    HAZARDS hazards; the WAL checkpointed into the main file, so that the file can be copied."""
    from app.db import location_for
    from app.example_data import load_example
    from app.models.registers import Petition
    from app.models.safety import (
        SafetyHazard,
        SafetyInspection,
        SafetyInspectionProject,
        SafetyProject,
        SafetyProjectStatus,
    )
    from app.opening import open_database

    started = time.perf_counter()
    if path.exists():
        raise FileExistsError(path)
    db, _migrated = open_database(location_for(path))
    try:
        unit_id = load_example(db)
        rng = random.Random(SEED)
        with db.engine.begin() as conn:
            count = select(func.count()).where
            have_petitions = conn.scalar(count(Petition.unit_id == unit_id).select_from(Petition)) or 0
            have_hazards = conn.scalar(count(SafetyHazard.unit_id == unit_id).select_from(SafetyHazard)) or 0
            year_numbers = conn.scalar(
                select(func.count()).where(Petition.unit_id == unit_id, Petition.number.like(f"XF{YEAR}-%"))
            )
            insert_batches(
                conn, Petition, petition_rows(rng, unit_id, PETITIONS - have_petitions, year_numbers + 1)
            )
            rows = safety_rows(
                rng,
                unit_id,
                HAZARDS - have_hazards,
                _next_id(conn, SafetyProject),
                _next_id(conn, SafetyInspection),
            )
            insert_batches(conn, SafetyProject, rows.projects)
            insert_batches(conn, SafetyProjectStatus, rows.statuses)
            insert_batches(conn, SafetyInspection, rows.inspections)
            insert_batches(conn, SafetyInspectionProject, rows.covered)
            insert_batches(conn, SafetyHazard, rows.hazards)
        with db.engine.begin() as conn:
            petitions = conn.scalar(select(func.count()).select_from(Petition)) or 0
            hazards = conn.scalar(select(func.count()).select_from(SafetyHazard)) or 0
            inspections = conn.scalar(select(func.count()).select_from(SafetyInspection)) or 0
            projects = conn.scalar(select(func.count()).select_from(SafetyProject)) or 0
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.dispose()
    return ScaleUnit(path, unit_id, petitions, hazards, inspections, projects, time.perf_counter() - started)


def main(argv: list[str]) -> int:
    unit = build(Path(argv[0]))
    print(
        f"{unit.path}: {unit.petitions} petitions, {unit.hazards} hazards, {unit.inspections} inspections, "
        f"{unit.projects} projects in {unit.seconds:.1f} s ({unit.path.stat().st_size / 1e6:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
