"""A past year entered later: the forms' dates start inside the working year, a petition is numbered
by the year it was received, and a date outside the year is warned about (but still saved)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate

from app.db import Database
from app.registry import default_registry
from app.services.registers import rectification as rc
from app.services.reports.outline import ReportDef
from app.services.reports.prose import ReportSettings
from ui.context import AppContext
from ui.dialogs.registers_action_dialog import ActionDialog
from ui.dialogs.safety_record_dialogs import ProjectDialog, StatusDialog
from ui.pages.petition_page import PetitionPage
from ui.pages.rectification_page import RectificationPage
from ui.pages.safety_page import SafetyPage
from ui.tasks import TaskRunner
from ui.widgets.date_choice import DATE_FIXED
from ui.widgets.reports_settings_form import ReportSettingsForm
from ui.widgets.safety_fields import from_qdate, to_qdate

LATER = date(2024, 1, 20)  # the clock of the tests (ZJTB_TODAY): after both example years


def _ctx(db: Database, unit_id: int, year: int) -> AppContext:
    return AppContext(db, default_registry(), TaskRunner(), unit_id, year)


@pytest.fixture
def petitions_2022(qtbot, example_db: Database, example_unit_id: int) -> PetitionPage:
    page = PetitionPage(_ctx(example_db, example_unit_id, 2022))
    qtbot.addWidget(page)
    page.resize(1400, 860)
    page.load()
    page.show()
    return page


def test_a_petition_of_a_past_year_is_received_and_numbered_in_that_year(
    petitions_2022: PetitionPage,
) -> None:
    page = petitions_2022
    page.new_petition()
    # the year's last day, not the clock's 2024-01-20; the number continues 2022's
    assert page.form.value("received_on") == date(2022, 12, 31)
    assert page.form.value("number") == "XF2022-0237"
    assert page.form.message("received_on") == ""
    # WHEN the clerk types a date of another year, the suggested number follows it and a warning shows
    field = page.form.editor("received_on")
    field.line.setText("2024-01-05")
    field.edited.emit()
    assert page.form.value("number") == "XF2024-0001"
    assert page.form.message("received_on") == "日期不在 2022 年度内，请核对"
    # … and back in the year: numbered in 2022 again, no warning
    field.line.setText("2022-06-01")
    field.edited.emit()
    assert page.form.value("number") == "XF2022-0237"
    assert page.form.message("received_on") == ""


def test_a_number_typed_by_the_clerk_stays_when_the_date_moves(petitions_2022: PetitionPage) -> None:
    page = petitions_2022
    page.new_petition()
    page.form.set_value("number", "来信-17")
    page._on_edited()
    field = page.form.editor("received_on")
    field.line.setText("2022-03-01")
    field.edited.emit()
    assert page.form.value("number") == "来信-17"


def test_an_out_of_year_petition_saves_and_the_next_one_starts_at_the_last_date_used(
    petitions_2022: PetitionPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = petitions_2022
    page.new_petition()
    page.form.editor("channel").setCurrentText("来信")
    page.form.editor("category").setCurrentText("其他")
    page.form.set_value("received_on", date(2022, 6, 1))
    page._on_edited()
    assert page.save()
    assert page._loaded.number == "XF2022-0237" and page._loaded.received_on == date(2022, 6, 1)
    # the 受理 dialog starts at that date too, inside 2022, and warns once moved out of it
    seen: dict[str, object] = {}

    def fake_exec(dialog: ActionDialog) -> int:
        seen["accepted_on"] = dialog.values()["accepted_on"]
        dialog.set_value("accepted_on", date(2025, 1, 1))
        dialog._check()
        seen["warning"] = dialog.form.message("accepted_on")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(ActionDialog, "exec", fake_exec)
    assert page.accept_current()
    assert seen == {"accepted_on": date(2022, 6, 1), "warning": "日期不在 2022 年度内，请核对"}
    assert page._loaded.accepted_on == date(2025, 1, 1)  # a warning, not a refusal
    page.new_petition()
    assert page.form.value("received_on") == date(2022, 6, 1)
    assert page.form.value("number") == "XF2022-0238"


def test_the_current_year_still_starts_at_today(qtbot, example_db: Database, example_unit_id: int) -> None:
    page = PetitionPage(_ctx(example_db, example_unit_id, 2024))
    qtbot.addWidget(page)
    page.load()
    page.new_petition()
    assert page.form.value("received_on") == LATER
    assert page.form.value("number") == "XF2024-0001"


def test_safety_dialogs_start_inside_the_working_year(
    qtbot, example_db: Database, example_unit_id: int
) -> None:
    page = SafetyPage(_ctx(example_db, example_unit_id, 2022), today=lambda: LATER)
    qtbot.addWidget(page)
    page.load()
    dialog = page.new_inspection()
    assert from_qdate(dialog.checked_on.date()) == date(2022, 12, 31)
    assert not dialog.checked_note.isVisibleTo(dialog)
    dialog.checked_on.setDate(to_qdate(date(2024, 1, 5)))
    assert dialog.checked_note.isVisibleTo(dialog)
    assert dialog.checked_note.text() == "日期不在 2022 年度内，请核对"
    dialog.reject()

    project = ProjectDialog(example_db, example_unit_id, page, working=page.working())
    assert from_qdate(project.since.date()) == date(2022, 12, 31)
    status = StatusDialog(example_db, 1, "城南安置小区", page, working=page.working())
    assert from_qdate(status.since.date()) == date(2022, 12, 31)
    status.since.setDate(QDate(2023, 2, 1))
    note = status.fields["since"].editor.findChild(type(dialog.checked_note), "fieldMessage")
    assert note is not None and note.text() == "日期不在 2022 年度内，请核对"
    # a date used and saved on the page is the next default for that year
    page.dates.used(date(2022, 8, 8))
    assert from_qdate(
        StatusDialog(example_db, 1, "城南安置小区", page, working=page.working()).since.date()
    ) == (date(2022, 8, 8))


def _report() -> ReportDef:
    return ReportDef("test", "自评报告", (), lambda _env: ("标题",), lambda _env: "报告")


def test_a_chosen_document_date_starts_inside_the_year_or_early_in_the_next(qtbot) -> None:
    form = ReportSettingsForm()
    qtbot.addWidget(form)
    form.set_settings(_report(), ReportSettings(), {}, year=2021)
    assert form.sign_date.date() == QDate(2021, 12, 31)
    form.set_settings(_report(), ReportSettings(), {}, year=2023)
    assert form.sign_date.date() == QDate(2024, 1, 20)  # signed early in the next year: fine
    form.date_mode.setCurrentIndex(DATE_FIXED)
    assert not form.sign_date_note.isVisibleTo(form)
    form.set_settings(_report(), ReportSettings(), {}, year=2021)
    form.date_mode.setCurrentIndex(DATE_FIXED)
    form.sign_date.setDate(QDate(2024, 1, 20))
    assert form.sign_date_note.isVisibleTo(form)
    assert form.sign_date_note.text() == "日期不在 2021 年度或次年内，请核对"


@pytest.fixture
def one_aspect(example_db: Database, example_unit_id: int) -> int:
    data = rc.InspectionData(name="住房保障专项巡察", aspects=[rc.AspectData("资金管理方面")])
    return rc.save_inspection(example_db, example_unit_id, data)


def test_a_new_problem_goes_into_the_only_aspect(
    qtbot, example_db: Database, example_unit_id: int, one_aspect: int
) -> None:
    page = RectificationPage(_ctx(example_db, example_unit_id, 2023))
    qtbot.addWidget(page)
    page.load()
    page.show_inspection(one_aspect)
    page.new_problem()
    assert page.form.value("aspect") == "资金管理方面"


def test_a_new_problem_follows_the_aspect_of_the_selected_one(
    qtbot, example_db: Database, example_unit_id: int
) -> None:
    page = RectificationPage(_ctx(example_db, example_unit_id, 2023))
    qtbot.addWidget(page)
    page.load()
    with example_db.session() as s:
        inspection_id = rc.list_inspections(s, example_unit_id)[0].id
        second = rc.load_inspection(s, inspection_id).aspects[1]
        problem = next(p for p in rc.rectification_progress(s, inspection_id, LATER).aspects[1].problems)
    page.show_inspection(inspection_id)
    page.list.select_key(problem.id)
    assert page._loaded is not None and page._loaded.aspect_id == second.id
    page.new_problem()
    assert page.form.value("aspect") == second.title == "履行工程建设监管职责方面"


def test_the_ledger_leaves_out_an_aspect_without_problems(
    example_db: Database, example_unit_id: int, tmp_path: Path
) -> None:
    from app.exports.registers_rectification import export_ledger_file

    data = rc.InspectionData(
        name="住房保障专项巡察", aspects=[rc.AspectData("资金管理方面"), rc.AspectData("作风建设方面")]
    )
    inspection_id = rc.save_inspection(example_db, example_unit_id, data)
    with example_db.session() as s:
        problem = rc.new_problem(s, inspection_id, rc.load_inspection(s, inspection_id).aspects[0].id)
    problem.description = "保障性住房资金拨付不及时"
    rc.save_problem(example_db, problem)
    target = tmp_path / "台账.xlsx"
    export_ledger_file(example_db, example_unit_id, inspection_id, target, LATER)
    cells = [c for row in load_workbook(target)["整改台账"].iter_rows(values_only=True) for c in row if c]
    headings = [c for c in cells if isinstance(c, str) and c.endswith("项）")]
    assert headings == ["一、资金管理方面（1项）"]


def test_a_long_project_name_is_elided_in_the_middle_with_the_whole_name_at_hand(qtbot) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from app.services.safety.projects import ProjectChoice
    from ui.dialogs.safety_inspection_dialog import HazardRow

    long_name, other = "循环园污水处理厂提标改造工程", "凤凰酒店室内装饰装修工程"
    row = HazardRow(
        1,
        [ProjectChoice(52, long_name, "市政工程", "在建"), ProjectChoice(20, other, "装饰装修", "在建")],
        date(2023, 5, 6),
    )
    combo = row.project
    qtbot.addWidget(combo)
    combo.resize(140, combo.sizeHint().height())
    combo.show()
    shown = combo.shown_text()
    assert shown != long_name and "…" in shown
    assert shown.startswith("循环") and shown.endswith("工程")  # the middle goes, not the end
    # the popup lists every whole name, wide enough for the longest, each with its tooltip
    assert combo.view().minimumWidth() >= combo.view().fontMetrics().horizontalAdvance(long_name)
    assert [combo.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(2)] == [long_name, other]
    # hovering the closed box shows the whole name
    event = QHelpEvent(QHelpEvent.Type.ToolTip, QPoint(5, 5), combo.mapToGlobal(QPoint(5, 5)))
    QApplication.sendEvent(combo, event)
    assert QToolTip.text() == long_name
    QToolTip.hideText()
