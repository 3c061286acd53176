"""信访登记 driven as a clerk would: register, accept, see the deadline, close, see 办结率 move."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import insert

from app.db import Database
from app.models.registers import PETITION_CLOSED, PETITION_HANDLING, PETITION_PENDING, Petition
from app.registry import default_registry
from app.services.registers import petitions as pt
from app.services.registers.common import OVERDUE, RegisterFilter
from ui.context import AppContext
from ui.dialogs.registers_action_dialog import ActionDialog
from ui.pages.petition_page import PetitionPage
from ui.tasks import TaskRunner

TODAY = date(2023, 12, 20)


def type_text(widget, text: str) -> None:
    """Type as a Chinese input method does: one committed string (QTest types ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def page(qtbot, example_db: Database, example_unit_id: int) -> PetitionPage:
    ctx = AppContext(example_db, default_registry(), TaskRunner(), example_unit_id, 2023)
    widget = PetitionPage(ctx)
    widget.today = lambda: TODAY
    qtbot.addWidget(widget)
    widget.resize(1400, 860)
    widget.load()
    widget.show()
    return widget


def _answer_dialogs(monkeypatch: pytest.MonkeyPatch, values: dict | None = None) -> list[str]:
    """Accept every ActionDialog with `values` typed in; returns the titles seen."""
    seen: list[str] = []

    def fake_exec(dialog: ActionDialog) -> int:
        seen.append(dialog.windowTitle())
        for key, value in (values or {}).items():
            if key in dialog.form.specs:
                dialog.set_value(key, value)
        dialog._accept()  # the dialog's own checks decide
        return dialog.result()

    monkeypatch.setattr(ActionDialog, "exec", fake_exec)
    return seen


def test_register_accept_and_close_a_petition(qtbot, page: PetitionPage, monkeypatch) -> None:
    assert page.list.model.total() == 284
    assert page.year_label.text() == "2023年：284 件，受理 284，办结 284，办结率 100%"
    # GIVEN a new registration
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.form.value("number") == "XF2023-0285"
    assert page.form.value("received_on") == TODAY
    assert page.is_dirty()
    channel = page.form.editor("channel")
    channel.setCurrentText("来访")
    page.form.editor("category").setCurrentText("房屋质量")
    type_text(page.form.editor("petitioner"), "王建国")
    qtbot.keyClicks(page.form.editor("phone"), "13812345668")
    type_text(page.form.editor("summary"), "反映屋面漏水")
    # WHEN it is saved
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    # THEN it is listed, selected, waiting for 受理 with its 15-day limit shown
    assert not page.is_dirty()
    assert page.list.model.total() == 285
    key = page.list.current_key()
    assert key is not None and page._loaded.id == key
    assert page._loaded.status == PETITION_PENDING
    assert "受理告知期限：" in page.state_label.text() and "2024-01-04（还剩15天）" in page.state_label.text()
    assert page.chip_pending.text() == "待受理 1"
    assert page.year_label.text() == "2023年：285 件，受理 284，办结 284，办结率 100%"

    # WHEN it is accepted today
    seen = _answer_dialogs(monkeypatch)
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    # THEN the 60-day deadline shows, and 办结率 drops to 284/285
    assert seen == ["受理"]
    assert page._loaded.status == PETITION_HANDLING
    assert "办理期限：" in page.state_label.text() and "2024-02-18（还剩60天）" in page.state_label.text()
    assert page.form.value("accepted_on") == TODAY
    assert page.year_label.text() == "2023年：285 件，受理 285，办结 284，办结率 99.65%"
    row = page.list.model.row_of(key)
    assert page.list.model.index(row, 3).data() == "2024-02-18（还剩60天）"

    # WHEN it is closed with a reply
    seen = _answer_dialogs(monkeypatch, {"result": "已督促开发企业维修并答复信访人", "satisfaction": "满意"})
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    # THEN 办结率 is back to 100% and the statistics agree
    assert seen == ["办结"]
    assert page._loaded.status == PETITION_CLOSED
    assert "按期办结" in page.state_label.text()
    assert page.year_label.text() == "2023年：285 件，受理 285，办结 285，办结率 100%"
    page.tabs.setCurrentIndex(1)
    page.refresh_statistics()
    assert page.stats_sentence.text().startswith("全年共办理建筑领域投诉、信访、交办285件")
    assert page.stats.closed_rate == 1 and page.stats.channel("来访") == 14


def test_a_closing_without_a_reply_is_refused_by_the_dialog(qtbot, page: PetitionPage, monkeypatch) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    page.form.editor("channel").setCurrentText("来信")
    page.form.editor("category").setCurrentText("其他")
    assert page.save()
    _answer_dialogs(monkeypatch)
    assert page.accept_current()
    seen = _answer_dialogs(monkeypatch, {"result": ""})
    assert not page.close_current()
    assert seen == ["办结"] and page._loaded.status == PETITION_HANDLING


def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(qtbot, page: PetitionPage) -> None:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.editor("phone"), "12345")
    page.form.editor("received_on").line.setText("2023-02-30")
    page.form.editor("received_on").edited.emit()
    assert page.form.message("phone").startswith("联系电话格式不正确")
    assert page.form.message("received_on") == "日期“2023-02-30”不存在，请核对"
    assert page.form.message("channel") == "请选择渠道"
    assert not page.save()
    assert page.list.model.total() == 284


def test_overdue_items_show_on_the_chips_and_the_filter(
    qtbot, page: PetitionPage, example_db, example_unit_id
) -> None:
    with example_db.transaction() as s:
        s.execute(
            insert(Petition),
            [
                dict(
                    unit_id=example_unit_id,
                    number=f"XF2023-9{i:03d}",
                    received_on=received,
                    channel="来信",
                    category="其他",
                    status=PETITION_PENDING,
                    next_due=pt.acceptance_due(received),
                )
                for i, received in enumerate([date(2023, 11, 1), date(2023, 12, 10), date(2023, 12, 19)])
            ],
        )
    page.load()
    assert (page.chip_overdue.text(), page.chip_soon.text()) == ("已超期 1", "本周到期 1")
    qtbot.mouseClick(page.chip_overdue, Qt.MouseButton.LeftButton)
    assert page.list.model.total() == 1
    assert page.list.filter().due == OVERDUE
    assert page.list.model.index(0, 0).data() == "XF2023-9000"
    assert page.list.model.data(
        page.list.model.index(0, 0), Qt.ItemDataRole.ForegroundRole
    ).color().name() == ("#c62828")
    with example_db.session() as s:
        assert pt.petition_badge(s, example_unit_id, 2023, TODAY) == 2


def test_search_and_filters_run_in_sql(qtbot, page: PetitionPage) -> None:
    page.list.apply_filter(
        RegisterFilter(start=date(2023, 1, 1), end=date(2023, 12, 31), extra={"channel": "来访"})
    )
    assert page.list.model.total() == 13
    assert page.list.count_label.text() == "筛选出 13 件"
    qtbot.keyClicks(page.list.search, "XF2023-000")
    qtbot.waitUntil(lambda: page.list.model.total() < 13)
    assert all(
        page.list.model.index(r, 0).data().startswith("XF2023-000") for r in range(page.list.model.rowCount())
    )
    qtbot.mouseClick(page.list.clear_button, Qt.MouseButton.LeftButton)
    assert page.list.model.total() == 284


def test_export_the_ledger_of_the_list_masked(qtbot, page: PetitionPage, tmp_path: Path) -> None:
    page.list.apply_filter(
        RegisterFilter(start=date(2023, 1, 1), end=date(2023, 12, 31), extra={"channel": "来访"})
    )
    target = tmp_path / "来访台账.xlsx"
    task = page.export_ledger(target, unmask=False)
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    ws = load_workbook(target).active
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 13 and ws["A1"].value == "汨罗市建筑工程服务中心2023年信访事项登记台账"
    assert all("****" in r[6] for r in rows if r[6])


def test_unsaved_edits_are_guarded(qtbot, page: PetitionPage, monkeypatch) -> None:
    page.list.select_row(0)
    first = page._loaded.id
    type_text(page.form.editor("note"), "补充说明")
    assert page.is_dirty()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    page.list.select_row(1)
    assert page._loaded.id == first and page.is_dirty()  # stayed on the edited record
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    clicked = page.list.model.row_key(1)
    page.list.select_row(1)
    assert page._loaded.id == clicked != first and not page.is_dirty()
    # the list highlights the record the form shows (saving refreshed and reselected the list)
    assert page.list.current_key() == clicked
    with page.ctx.db.session() as s:
        assert pt.load_petition(s, first).note == "补充说明"


def test_the_navigation_shows_the_badge(
    qtbot, example_path: Path, example_db: Database, example_unit_id, tmp_path
):
    from ui.main_window import MainWindow

    with example_db.transaction() as s:
        s.execute(
            insert(Petition),
            [
                dict(
                    unit_id=example_unit_id,
                    number="XF2023-9999",
                    received_on=date(2023, 6, 1),
                    channel="来信",
                    category="其他",
                    status=PETITION_PENDING,
                    next_due=date(2023, 6, 16),
                )
            ],
        )
    example_db.dispose()
    window = MainWindow(str(example_path), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.start()
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=10000)
    qtbot.waitUntil(lambda: window.nav.badge("petitions") == 1, timeout=5000)
    # today, all 3 of the example's 整改中 problems are past their 整改时限 (the last one 2023-12-31)
    qtbot.waitUntil(lambda: window.nav.badge("rectification") == 3, timeout=5000)


def test_a_finding_of_the_checks_jumps_to_its_petition(
    page: PetitionPage, example_db, example_unit_id
) -> None:
    from app.checks import run_checks

    with example_db.transaction() as s:
        s.execute(
            insert(Petition),
            [
                dict(
                    unit_id=example_unit_id,
                    number="XF2022-9999",
                    received_on=date(2022, 12, 1),
                    channel="来信",
                    category="其他",
                    status=PETITION_PENDING,
                    next_due=date(2022, 12, 16),
                )
            ],
        )
    finding = next(f for f in run_checks(example_db, example_unit_id, 2022) if f.table == "信访登记")
    assert (
        finding.text()
        == "[警告] 信访登记 › XF2022-9999 › 受理告知期限：已超过受理告知期限（2022-12-16）15天，尚未受理"
    )
    page.show_target(finding.target)
    assert page._loaded.number == "XF2022-9999"


def test_the_statistics_are_computed_when_their_tab_is_shown(qtbot, page: PetitionPage) -> None:
    """Opening the page reads the list and the year line only; the statistics tab counts on show,
    and again on show after a save made on the register tab."""
    assert page.year_label.text() == "2023年：284 件，受理 284，办结 284，办结率 100%"
    assert page.stats_table.rowCount() == 0
    page.tabs.setCurrentIndex(1)
    assert page.stats_table.rowCount() > 0
    assert page.stats_sentence.text().startswith("全年共办理建筑领域投诉、信访、交办284件")

    page.tabs.setCurrentIndex(0)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    page.form.editor("channel").setCurrentText("来信")
    page.form.editor("category").setCurrentText("其他")
    page.form.editor("received_on").set_value(date(2023, 12, 1))
    assert page.save()
    assert page.year_label.text().startswith("2023年：285 件")
    page.tabs.setCurrentIndex(1)
    assert page.stats_sentence.text().startswith("全年共办理建筑领域投诉、信访、交办285件")
