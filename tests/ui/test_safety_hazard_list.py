"""The hazard list with 100,000 hazards: opening and filtering it fetches one page of rows, the
filtering and counting happen in SQL (no timing asserts; bench/ measures the speed)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from app.db import Database
from app.models.safety import SafetyHazard, SafetyInspection, SafetyInspectionProject, SafetyProject
from app.registry import default_registry
from app.services.safety.lists import OVERDUE, HazardFilter, ProjectFilter
from app.services.safety.periods import Period
from app.services.unit import create_unit
from bench.scale_data import hazard_row, insert_batches, inspection_row, project_row
from ui.context import AppContext
from ui.models.query_table_model import PAGE_SIZE
from ui.models.safety_models import HazardListModel
from ui.pages.safety_page import SafetyPage
from ui.tasks import TaskRunner

TODAY = date(2025, 1, 31)
HAZARDS = 100_000
CATEGORIES = ("高处坠落", "临时用电", "脚手架", "扬尘", "消防")


def fill(db: Database, unit_id: int, hazards: int = HAZARDS, projects: int = 200) -> None:
    """Bulk-insert `projects` projects, one inspection per 5 hazards, and the hazards: a fifth
    of them open, of which every other one is past its deadline (rows and batched Core inserts
    from bench/scale_data.py, which builds the benchmarks' 200,000 hazards the same way)."""
    start = date(2024, 1, 1)
    per_inspection = 5
    inspections = hazards // per_inspection

    def hazard(n: int) -> dict:
        i = n // per_inspection
        found = start + timedelta(days=i % 350)
        is_open = n % 5 == 0
        return hazard_row(
            unit_id,
            inspection_id=i + 1,
            project_id=i % projects + 1,
            found_on=found,
            description=f"隐患{n}：临边防护缺失" if n % 1000 else f"隐患{n}：塔吊限位失灵",
            category=CATEGORIES[n % len(CATEGORIES)],
            deadline=found + timedelta(days=7) if (n // 5) % 2 == 0 else date(2025, 6, 30),
            rectified_on=None if is_open else found + timedelta(days=3),
            reviewer="" if is_open else "李志刚",
            status="待整改" if is_open else "已整改",
        )

    with db.engine.begin() as conn:
        insert_batches(
            conn,
            SafetyProject,
            (
                project_row(unit_id, id=i + 1, name=f"项目{i + 1:03d}", status_since=start)
                for i in range(projects)
            ),
        )
        insert_batches(
            conn,
            SafetyInspection,
            (
                inspection_row(
                    unit_id, id=i + 1, checked_on=start + timedelta(days=i % 350), inspectors="李志刚"
                )
                for i in range(inspections)
            ),
        )
        insert_batches(
            conn,
            SafetyInspectionProject,
            ({"inspection_id": i + 1, "project_id": i % projects + 1} for i in range(inspections)),
        )
        insert_batches(conn, SafetyHazard, (hazard(n) for n in range(hazards)))


def test_a_hundred_thousand_hazards_open_with_one_page_fetched(qtbot, db: Database) -> None:
    unit_id = create_unit(db, "大单位", 2024)
    fill(db, unit_id)
    ctx = AppContext(db, default_registry(), TaskRunner(), unit_id, 2024)
    page = SafetyPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.load()
    # WHEN the hazard list is opened
    page.open_hazards(HazardFilter(period=Period.year(2024)))
    qtbot.wait(50)
    model = page.hazards.model
    # THEN it knows all 100,000 but holds only the rows fetched so far (one page)
    assert model.total() == HAZARDS
    assert model.fetched() == PAGE_SIZE
    assert page.hazards.summary.total == HAZARDS
    # open: every fifth; overdue: those of them with a 7-day deadline, i.e. every other open one
    assert (page.hazards.summary.open, page.hazards.summary.overdue) == (20_000, 10_000)
    # WHEN filtered to the overdue ones, then searched, and sorted by a column
    page.open_hazards(HazardFilter(status=OVERDUE))
    assert (model.total(), model.fetched()) == (10_000, PAGE_SIZE)
    assert model.index(0, 8).data() == "待整改（逾期）"
    page.open_hazards(HazardFilter(text="塔吊"))
    assert model.total() == 100 and model.fetched() == 100
    page.open_hazards(HazardFilter(category="扬尘"))
    page.hazards.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert model.total() == 20_000 and model.fetched() == PAGE_SIZE
    assert model.index(0, 0).data() == "2024-01-01"
    # AND scrolling further fetches one more page at a time
    model.fetchMore()
    assert model.fetched() == 2 * PAGE_SIZE
    # AND the navigation badge counts in SQL too
    assert page.overdue == 10_000
    page.open_projects(ProjectFilter(text="项目19"))
    assert page.projects.model.total() == 10  # 项目190 … 项目199


def test_the_hazard_model_passes_the_model_tester(qtmodeltester, db: Database) -> None:
    unit_id = create_unit(db, "单位", 2024)
    fill(db, unit_id, hazards=600, projects=10)
    model = HazardListModel(db, unit_id, today=lambda: TODAY)
    model.set_filter(HazardFilter())
    assert model.total() == 600
    qtmodeltester.check(model, force_py=True)


def test_every_list_model_runs_on_every_database(qtbot, any_db: Database) -> None:
    from app.services.safety.inspections import HazardDraft, InspectionDraft, create_inspection
    from app.services.safety.lists import ActivityFilter, DocumentFilter, InspectionFilter
    from app.services.safety.projects import ProjectForm, create_project
    from app.services.safety.records import ActivityForm, DocumentForm, save_activity, save_document
    from ui.models.safety_models import (
        ActivityListModel,
        DocumentListModel,
        InspectionListModel,
        ProjectListModel,
        StatusHistoryModel,
    )

    unit_id = create_unit(any_db, "单位", 2024)
    a = create_project(any_db, unit_id, ProjectForm(name="城北小区一期"), "在建", date(2024, 1, 2))
    b = create_project(any_db, unit_id, ProjectForm(name="城南_学校%"), "未开工", date(2024, 2, 1))
    draft = InspectionDraft(
        date(2024, 3, 5), "专项检查", [a, b], campaign="开复工专项检查", inspectors="李志刚"
    )
    hazards = [
        HazardDraft(a, "临边防护缺失", "高处坠落", date(2024, 3, 12)),
        HazardDraft(b, "配电箱无漏保", "临时用电", date(2025, 3, 12)),
    ]
    create_inspection(any_db, unit_id, draft, hazards, today=TODAY)
    save_document(any_db, unit_id, DocumentForm("红黄牌", date(2024, 3, 6), "牌〔2024〕1号", a), today=TODAY)
    save_activity(any_db, unit_id, ActivityForm("警示约谈", date(2024, 3, 7), "约谈会", 12))

    model = HazardListModel(any_db, unit_id, today=lambda: TODAY)
    model.set_filter(HazardFilter(status=OVERDUE))
    assert [model.index(r, 8).data() for r in range(model.rowCount())] == ["待整改（逾期）"]
    model.set_filter(HazardFilter(text="漏保"))
    assert [model.index(r, 8).data() for r in range(model.rowCount())] == ["待整改"]
    inspections = InspectionListModel(any_db, unit_id)
    inspections.set_filter(InspectionFilter(text="城南"))
    assert inspections.index(0, 3).data() in ("城北小区一期等2个项目", "城南_学校%等2个项目")
    assert inspections.index(0, 4).data() == "2"
    projects = ProjectListModel(any_db, unit_id)
    projects.set_filter(ProjectFilter(text="_学校%"))  # wildcards are searched for literally
    assert [projects.index(r, 0).data() for r in range(projects.rowCount())] == ["城南_学校%"]
    projects.set_filter(ProjectFilter())
    assert [projects.index(r, 2).data() for r in range(2)] == ["在建", "未开工"]
    documents = DocumentListModel(any_db, unit_id, today=lambda: TODAY)
    documents.set_filter(DocumentFilter(text="城北"))
    assert documents.index(0, 6).data() == "办理中"
    activities = ActivityListModel(any_db, unit_id)
    activities.set_filter(ActivityFilter(kind="警示约谈"))
    assert activities.total() == 1
    statuses = StatusHistoryModel(any_db)
    statuses.show_project(a)
    assert statuses.index(0, 0).data() == "在建"
