from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.backup import list_backups
from app.models.unit import Unit
from app.paths import backups_dir_for
from app.services.unit import first_unit
from tests.conftest import open_sqlite
from tests.ui.helpers import close_window, open_window, unit_page
from ui.dialogs.first_run_dialog import FirstRunDialog
from ui.dialogs.new_year_dialog import NewYearDialog
from ui.pages.unit_page import UnitPage


def _choose_on_first_run(
    monkeypatch: pytest.MonkeyPatch, choice: str, name: str = "", year: int = 2024
) -> list:
    shown = []

    def fake_exec(dialog: FirstRunDialog) -> int:
        shown.append(dialog)
        if choice == "example":
            dialog.example_radio.setChecked(True)
        else:
            dialog.empty_radio.setChecked(True)
            dialog.name_edit.setText(name)
            dialog.year_spin.setValue(year)
            dialog.decline_check.setChecked(True)  # a password: tests/ui/test_password_dialogs.py
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", fake_exec)
    return shown


def test_first_start_on_an_empty_database_offers_the_example(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a database with no unit, and a user who picks the example data
    shown = _choose_on_first_run(monkeypatch, "example")
    # WHEN the app starts
    own = tmp_path / "empty.sqlite3"
    window = open_window(qtbot, own)
    # THEN the offer was made, and the example unit is shown at its latest year
    assert len(shown) == 1
    assert "示例数据" in shown[0].example_radio.text()
    assert window.unit_label.text() == "汨罗市建筑工程服务中心"
    assert window.year_combo.currentText() == "2023年度"
    page = window.page("unit")
    assert isinstance(page, UnitPage)
    assert page.fields["staff_quota"].editor.text() == "61"
    assert page.rate_label.text() == "96.72%"
    # … from a file of its own beside the user's, and the window says so
    example = tmp_path / "示例数据.sqlite3"
    assert window.db.location.path == example.resolve()
    assert window.file_label.text() == f"数据文件：示例数据（{example.resolve()}）"
    assert window.windowTitle().startswith("汨罗市建筑工程服务中心（示例数据） · 2023年度")
    close_window(window)
    # AND the user's own file is still empty: the next start asks again, and the example file
    # (already loaded) opens as it is
    with open_sqlite(own).session() as session:
        assert first_unit(session) is None
    again = open_window(qtbot, own)
    assert len(shown) == 2
    assert again.unit_label.text() == "汨罗市建筑工程服务中心"
    with again.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Unit)) == 1
    close_window(again)


def test_first_start_preselects_a_new_unit(qtbot: QtBot) -> None:
    dialog = FirstRunDialog("x.sqlite3")
    qtbot.addWidget(dialog)
    assert dialog.choice() == FirstRunDialog.EMPTY
    assert dialog.empty_radio.isChecked() and not dialog.example_radio.isChecked()
    assert dialog.year() == 2024  # the clock's year (ZJTB_TODAY in the tests)


def test_first_start_can_create_an_empty_unit(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _choose_on_first_run(monkeypatch, "empty", name="测试县质量安全监督站", year=2025)
    window = open_window(qtbot, tmp_path / "empty.sqlite3")
    assert window.unit_label.text() == "测试县质量安全监督站"
    assert window.year_combo.currentText() == "2025年度"
    assert unit_page(window).fields["name"].editor.text() == "测试县质量安全监督站"
    close_window(window)


def test_empty_unit_needs_a_name(qtbot: QtBot) -> None:
    dialog = FirstRunDialog("x.sqlite3")
    qtbot.addWidget(dialog)
    dialog.empty_radio.setChecked(True)
    dialog._accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.text() == "请填写单位名称"


def test_profile_edit_is_saved_and_read_back_after_restart(qtbot: QtBot, example_path: Path) -> None:
    window = open_window(qtbot, example_path)
    page: UnitPage = unit_page(window)
    quota = page.fields["staff_quota"].editor
    # WHEN the clerk changes 编制数 and presses Ctrl+S
    quota.selectAll()
    qtbot.keyClicks(quota, "62")
    assert page.is_dirty() and window.isWindowModified()
    assert page.state_label.text() == "● 有未保存的修改"
    assert page.rate_label.text() == "95.16%"  # 59 / 62, recomputed as typed
    window.save_action.trigger()
    # THEN it says so
    assert not page.is_dirty() and not window.isWindowModified()
    assert page.state_label.text() == "所有修改已保存"
    assert window.saved_label.text().startswith("上次保存：今天")
    close_window(window)
    # AND after a restart the value is there
    again = open_window(qtbot, example_path)
    assert unit_page(again).fields["staff_quota"].editor.text() == "62"
    close_window(again)


def test_invalid_field_is_rejected_with_its_message(qtbot: QtBot, example_path: Path) -> None:
    window = open_window(qtbot, example_path)
    page: UnitPage = unit_page(window)
    code = page.fields["credit_code"]
    code.editor.clear()
    qtbot.keyClicks(code.editor, "12430681MB1C37256H")
    assert not code.message.isHidden()
    assert "校验位不正确" in code.message.text()
    count = page.fields["staff_actual"]
    count.editor.clear()
    count.editor.insert("五十九")  # keyClicks cannot type CJK
    assert count.message.text() == "在职人数应为不小于0的整数"
    assert page.save() is False
    assert page.is_dirty()
    close_window(window)
    again = open_window(qtbot, example_path)  # nothing of the rejected edit was written
    assert unit_page(again).fields["credit_code"].editor.text() == "12430681MB1C37256G"
    assert unit_page(again).fields["staff_actual"].editor.text() == "59"
    close_window(again)


def test_switching_years_loads_that_year_and_guards_unsaved_edits(
    qtbot: QtBot, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, example_path)
    page: UnitPage = unit_page(window)
    assert [window.year_combo.itemText(i) for i in range(window.year_combo.count())] == [
        "2023年度",
        "2022年度",
    ]
    # an unsaved edit, and the user cancels the switch
    page.fields["head"].editor.end(False)
    page.fields["head"].editor.insert("（代）")
    answers = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.pop(0))
    window._on_year_chosen(window.year_combo.findData(2022))
    assert window.ctx.year == 2023 and window.year_combo.currentData() == 2023
    assert page.is_dirty()
    # the user discards and switches
    answers.append(QMessageBox.StandardButton.Discard)
    window._on_year_chosen(window.year_combo.findData(2022))
    assert window.ctx.year == 2022
    assert page.heading.text() == "单位信息 · 2022年度"
    assert not page.is_dirty()
    assert "（代）" not in page.fields["head"].editor.text()
    close_window(window)


def test_closing_with_unsaved_edits_can_save_them(
    qtbot: QtBot, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, example_path)
    page: UnitPage = unit_page(window)
    page.fields["retired"].editor.setText("21")
    page.fields["retired"].editor.textEdited.emit("21")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    assert window.close()
    again = open_window(qtbot, example_path)
    assert unit_page(again).fields["retired"].editor.text() == "21"
    close_window(again)


def test_new_year_from_the_previous_one(
    qtbot: QtBot, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, example_path)

    def fake_exec(dialog: NewYearDialog) -> int:
        assert dialog.year() == 2024 and dialog.source_year() == 2023
        assert dialog.carry_check.isChecked()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewYearDialog, "exec", fake_exec)
    window.new_year()
    assert window.ctx.year == 2024
    assert window.year_combo.currentText() == "2024年度"
    page: UnitPage = unit_page(window)
    assert page.fields["staff_quota"].editor.text() == "61"  # carried over
    assert page.duties.items()[0].startswith("贯彻执行国家")
    close_window(window)


def test_window_size_and_position_are_remembered(qtbot: QtBot, example_path: Path) -> None:
    window = open_window(qtbot, example_path)
    window.resize(770, 560)  # inside the offscreen 800×600 screen
    close_window(window)
    again = open_window(qtbot, example_path)
    assert (again.width(), again.height()) == (770, 560)
    close_window(again)


def test_status_bar_says_where_the_data_is_and_a_backup_is_taken(qtbot: QtBot, example_path: Path) -> None:
    window = open_window(qtbot, example_path)
    assert window.file_label.text() == f"数据文件：{example_path}"
    qtbot.waitUntil(lambda: bool(list_backups(backups_dir_for(example_path), "auto")), timeout=10000)
    qtbot.waitUntil(lambda: window.backup_label.text().startswith("上次备份：今天"), timeout=5000)
    close_window(window)


def test_checks_are_listed_and_a_finding_jumps_to_its_field(qtbot: QtBot, example_path: Path) -> None:
    window = open_window(qtbot, example_path)
    page: UnitPage = unit_page(window)
    page.fields["preparer"].editor.setText("")
    page.fields["preparer"].editor.textEdited.emit("")
    assert page.save()
    findings = window.run_checks()
    preparer = next(f for f in findings if f.field == "填表人")
    panel = window.findings_dock.widget()
    assert "填表人" in panel.model.index(findings.index(preparer), 0).data()
    window.nav.setCurrentRow(window.nav.count() - 1)
    window.jump_to(preparer)
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(
        lambda: page.fields["preparer"].editor.hasFocus() or not window.isActiveWindow(), timeout=2000
    )
    close_window(window)


def test_navigation_lists_every_module_in_chinese(qtbot: QtBot, example_path: Path) -> None:
    window = open_window(qtbot, example_path)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[0] == "工作台"
    assert set(titles) >= {"工作台", "单位信息", "预算绩效", "安全监督", "信访登记", "巡察整改", "报告导出"}
    assert window.nav.item(0).data(Qt.ItemDataRole.DisplayRole) == "工作台"
    close_window(window)
