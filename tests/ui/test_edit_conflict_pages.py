"""The conflict paths of the other editors, driven once each: the unit page, the budget page, the
project dialog and the reports page. Another window saves first; this one re-applies its own
change on the newer copy and saves both."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.db import Database
from app.registry import default_registry
from ui.context import AppContext
from ui.dialogs.conflict_dialog import ConflictChoice
from ui.tasks import TaskRunner


@pytest.fixture
def ctx(example_db: Database, example_unit_id: int):
    tasks = TaskRunner()
    yield AppContext(example_db, default_registry(), tasks, example_unit_id, 2023)
    tasks.shutdown()


def _keep_mine(monkeypatch: pytest.MonkeyPatch, module: str) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(
        f"{module}.ask_conflict", lambda _p, text: asked.append(text) or ConflictChoice.REAPPLY
    )
    return asked


def test_the_unit_page_reapplies(qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.unit import load_profile, save_profile
    from ui.pages.unit_page import UnitPage

    asked = _keep_mine(monkeypatch, "ui.pages.unit_page")
    page = UnitPage(ctx)
    qtbot.addWidget(page)
    page.load()
    page.fields["preparer"].editor.setText("钱二")
    page._on_edited()
    with ctx.db.session() as s:
        other = load_profile(s, ctx.unit_id, 2023)
    other.head = "赵一"
    save_profile(ctx.db, ctx.unit_id, 2023, other)
    assert page.save() is False and "单位信息已在别处被修改并保存" in asked[0]
    assert page.fields["head"].editor.text() == "赵一" and page.is_dirty()
    assert page.save() is True
    with ctx.db.session() as s:
        stored = load_profile(s, ctx.unit_id, 2023)
    assert (stored.head, stored.preparer) == ("赵一", "钱二")


def test_the_budget_page_reapplies(qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.budget.data import load_year, save_year
    from ui.pages.budget_page import BudgetPage

    asked = _keep_mine(monkeypatch, "ui.pages.budget_page")
    page = BudgetPage(ctx)
    qtbot.addWidget(page)
    page.load()
    page.data.thrift_measures = "严格执行公务接待标准"
    with ctx.db.session() as s:
        other = load_year(s, ctx.unit_id, 2023)
    other.goal_actual = "全面完成年度目标"
    save_year(ctx.db, ctx.unit_id, 2023, other)
    assert page.save() is False and "预算绩效数据已在别处" in asked[0]
    assert page.data.goal_actual == "全面完成年度目标"
    assert page.data.thrift_measures == "严格执行公务接待标准"
    assert page.save() is True
    with ctx.db.session() as s:
        stored = load_year(s, ctx.unit_id, 2023)
    assert (stored.goal_actual, stored.thrift_measures) == ("全面完成年度目标", "严格执行公务接待标准")


def test_the_project_dialog_reapplies(qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.safety.projects import ProjectForm, create_project, load_project, update_project
    from ui.dialogs.safety_record_dialogs import ProjectDialog

    asked = _keep_mine(monkeypatch, "ui.dialogs.safety_record_dialogs")
    pid = create_project(ctx.db, ctx.unit_id, ProjectForm(name="冲突测试项目"), "在建", ctx_date())
    dialog = ProjectDialog(ctx.db, ctx.unit_id, project_id=pid)
    qtbot.addWidget(dialog)
    dialog.contractor.setText("湖南建工集团")
    with ctx.db.session() as s:
        other = load_project(s, pid)
    other.location = "罗城路18号"
    update_project(ctx.db, pid, other)
    dialog.save()
    assert asked and dialog.result() != dialog.DialogCode.Accepted
    assert dialog.location.text() == "罗城路18号" and dialog.contractor.text() == "湖南建工集团"
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    with ctx.db.session() as s:
        stored = load_project(s, pid)
    assert (stored.location, stored.contractor) == ("罗城路18号", "湖南建工集团")
    assert stored.area is None and stored.cost is None


def test_the_reports_page_keeps_my_section_and_theirs(
    qtbot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.reports.prose import ReportEdits, SectionText, load_sections, save_report
    from ui.pages.reports_page import ReportsPage

    monkeypatch.setattr("PySide6.QtGui.QDesktopServices.openUrl", lambda _url: True)
    asked = _keep_mine(monkeypatch, "ui.pages.reports_page")
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.load()
    key = ("dept_self_eval", "")
    with ctx.db.session() as s:
        stored = load_sections(s, ctx.unit_id, 2023, *key)
    section = next(iter(stored))
    page._edits[key] = ReportEdits({section: replace(stored[section], text="我的修改")})
    save_report(
        ctx.db, ctx.unit_id, 2023, *key, ReportEdits({section: replace(stored[section], text="别人的")})
    )
    save_report(
        ctx.db, ctx.unit_id, 2023, *key, ReportEdits({"next.x": SectionText("next.x", text="别人新写的")})
    )
    assert page.save() is False and asked
    assert page.save() is True
    with ctx.db.session() as s:
        after = load_sections(s, ctx.unit_id, 2023, *key)
    assert after[section].text == "我的修改" and after["next.x"].text == "别人新写的"


def ctx_date():
    from datetime import date

    return date(2023, 3, 1)
