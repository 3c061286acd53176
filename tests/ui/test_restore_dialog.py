"""文件 › 从备份恢复… and the damaged-file dialog at start (ui/dialogs/restore_dialog.py,
ui/dialogs/damaged_file_dialog.py, MainWindow's hooks)."""

from __future__ import annotations

from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.backup import backup_sqlite, list_backups
from app.paths import backups_dir_for
from tests.conftest import connect_data, copy_data_file, encrypts_itself
from tests.ui.helpers import close_window, open_window, unit_page
from ui.dialogs import damaged_file_dialog
from ui.dialogs.damaged_file_dialog import DamagedFileDialog
from ui.dialogs.restore_dialog import RestoreDialog

EXAMPLE = "汨罗市建筑工程服务中心"
SCREEN = (1366, 768)


def _rename_unit(path: Path, name: str) -> None:
    with closing(connect_data(path)) as conn:
        conn.execute("UPDATE unit SET name = ?", (name,))
        conn.commit()


def _damage_table_root(path: Path, table: str) -> None:
    """Break one table's b-tree root page: the file opens, quick_check finds it."""
    with closing(connect_data(path)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    data = bytearray(path.read_bytes())
    data[(page - 1) * 4096] ^= 0xFF
    path.write_bytes(bytes(data))


def _backups(example_path: Path) -> tuple[Path, Path]:
    folder = backups_dir_for(example_path)
    auto = backup_sqlite(example_path, folder, "auto", now=datetime(2024, 1, 2, 9, 21))
    _rename_unit(example_path, "手动备份时的单位")
    manual = backup_sqlite(example_path, folder, "manual", now=datetime(2024, 3, 4, 16, 5))
    (folder / f"{example_path.stem}-20240305-080000-auto.sqlite3").write_bytes(b"broken" * 500)
    return auto, manual


def test_the_dialog_lists_time_kind_size_and_contents(qtbot: QtBot, example_path: Path) -> None:
    _backups(example_path)
    dialog = RestoreDialog(example_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(example_path.parent / "restore-dialog.png"))
    model = dialog.table.model()
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert [r[:2] for r in rows] == [
        ["2024年3月5日 08:00", "自动"],
        ["2024年3月4日 16:05", "手动"],
        ["2024年1月2日 09:21", "自动"],
    ]
    assert rows[0][3] == "无法读取：文件已损坏"
    assert rows[1][3] == "手动备份时的单位 2022、2023年度"
    assert rows[2][3] == f"{EXAMPLE} 2022、2023年度"
    # the unreadable one cannot be chosen; the newest readable one is selected
    assert dialog.chosen() is not None and dialog.chosen().backup.kind == "manual"
    dialog.table.selectRow(0)
    assert dialog.chosen() is None or dialog.chosen().readable
    assert dialog.width() <= SCREEN[0] and dialog.height() <= SCREEN[1]


def test_restore_from_the_menu_replaces_the_file_and_reopens_it(
    qtbot: QtBot, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auto, _manual = _backups(example_path)
    window = open_window(qtbot, example_path)
    assert window.unit_label.text() == "手动备份时的单位"
    assert window.restore_action.isEnabled()

    def choose_oldest(dialog: RestoreDialog) -> int:
        dialog.table.selectRow(2)
        dialog.accept()
        return dialog.result()

    told = []
    monkeypatch.setattr(RestoreDialog, "exec", choose_oldest)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    window.restore_from_backup()
    qtbot.waitUntil(lambda: window.ctx is not None and window.unit_label.text() == EXAMPLE, timeout=15000)

    assert told and auto.name in told[0] and "（2024年1月2日 09:21）" in told[0]
    kept = list_backups(backups_dir_for(example_path), kind="prerestore")
    assert len(kept) == 1 and str(kept[0].path) in told[0]
    assert unit_page(window).fields["name"].editor.text() == EXAMPLE
    window.grab().save(str(example_path.parent / "restore-after.png"))
    close_window(window)


def test_a_damaged_file_at_start_offers_the_latest_good_backup(
    qtbot: QtBot, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _auto, manual = _backups(example_path)
    example_path.write_bytes(example_path.read_bytes()[:50000])  # truncated in the middle
    shown: list[str] = []

    def pick_latest(dialog: DamagedFileDialog) -> int:
        dialog.show()
        dialog.grab().save(str(example_path.parent / "damaged-at-open.png"))
        shown.append(dialog.text())
        dialog.choice_button(damaged_file_dialog.RESTORE_LATEST).click()
        return 0

    monkeypatch.setattr(DamagedFileDialog, "exec", pick_latest)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    window = open_window(qtbot, example_path, wait_for_unit=False)
    qtbot.waitUntil(lambda: window.ctx is not None and window.current_page() is not None, timeout=15000)

    assert len(shown) == 1 and str(example_path) in shown[0] and "已损坏" in shown[0]
    assert window.damaged_dialog.choice() == damaged_file_dialog.RESTORE_LATEST
    # the newest backup is broken: the one restored is the newest that passes integrity_check
    assert window.unit_label.text() == "手动备份时的单位"
    with closing(connect_data(manual)) as a, closing(connect_data(example_path)) as b:
        assert (
            a.execute("SELECT count(*) FROM petition").fetchone()
            == b.execute("SELECT count(*) FROM petition").fetchone()
        )
    close_window(window)


def test_another_programs_database_without_backups_can_only_be_left(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "contacts.sqlite3"
    with closing(connect_data(path)) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    shown: list[DamagedFileDialog] = []

    def quit_(dialog: DamagedFileDialog) -> int:
        shown.append(dialog)
        dialog.choice_button(damaged_file_dialog.QUIT).click()
        return 0

    monkeypatch.setattr(DamagedFileDialog, "exec", quit_)
    window = open_window(qtbot, path, wait_for_unit=False)
    qtbot.waitUntil(lambda: bool(shown) and not window.isVisible(), timeout=15000)
    assert "不是本程序的数据文件" in shown[0].text()
    buttons = {b.text() for b in shown[0].buttons()}
    assert buttons == {"打开其他数据文件…", "退出"}
    with closing(connect_data(path)) as conn:  # not migrated
        assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master")} == {"contacts"}
    assert window.db is None


def test_the_quick_check_after_opening_reports_a_damaged_file(
    qtbot: QtBot, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup_sqlite(example_path, backups_dir_for(example_path), "auto")
    _damage_table_root(example_path, "safety_hazard")
    shown: list[DamagedFileDialog] = []

    def keep_using(dialog: DamagedFileDialog) -> int:
        dialog.show()
        dialog.grab().save(str(example_path.parent / "damaged-quick-check.png"))
        shown.append(dialog)
        dialog.choice_button(damaged_file_dialog.KEEP_USING).click()
        return 0

    monkeypatch.setattr(DamagedFileDialog, "exec", keep_using)
    window = open_window(qtbot, example_path)  # the data is shown first ...
    assert window.unit_label.text() == EXAMPLE
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)  # ... then the check reports
    text = shown[0].text()
    assert "完整性检查发现问题" in text and str(example_path) in text
    assert shown[0].choice() == damaged_file_dialog.KEEP_USING
    assert window.ctx is not None
    close_window(window)


def test_a_sound_file_is_checked_quietly(
    qtbot: QtBot, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DamagedFileDialog, "exec", lambda _d: pytest.fail("no dialog for a sound file"))
    window = open_window(qtbot, example_path)
    qtbot.waitUntil(lambda: window.quick_check_task is not None and window.quick_check_task.done.is_set())
    assert not hasattr(window, "quick_check_problems")
    close_window(window)


def test_restore_is_off_for_a_server_database(qtbot: QtBot, example_path: Path) -> None:
    from app.db import location_for

    window = open_window(qtbot, example_path)
    window.offer_restore_for(location_for(url="postgresql://u@server/db"))
    assert not window.restore_action.isEnabled()
    assert "PostgreSQL" in window.restore_action.toolTip()
    window.offer_restore_for(location_for(example_path))
    assert window.restore_action.isEnabled()
    close_window(window)


def test_database_settings_refuse_a_damaged_file(qtbot: QtBot, tmp_path: Path) -> None:
    from app.settings import load_settings
    from ui.dialogs.database_dialog import DatabaseDialog

    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(bytes(range(256)) * 20)
    dialog = DatabaseDialog("当前")
    qtbot.addWidget(dialog)
    dialog.local_radio.setChecked(True)
    dialog.path_edit.setText(str(damaged))
    dialog._save()
    assert dialog.result() != DatabaseDialog.DialogCode.Accepted
    assert "已损坏" in dialog.result_label.text() and str(damaged) in dialog.result_label.text()
    assert load_settings().database_path != str(damaged)


@encrypts_itself
def test_a_backup_with_another_password_asks_for_it(
    qtbot: QtBot, example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.protection import envelope, keys
    from app.protection.files import is_encrypted, needs_password
    from app.protection.protect import protect
    from ui.dialogs.password_dialogs import UnlockDialog

    monkeypatch.setattr(envelope, "SCRYPT_N", 2**10)
    other = tmp_path / "other.sqlite3"
    copy_data_file(example_path, other)
    _rename_unit(other, "另一台电脑的单位")
    protect(other, "beifen-2024")
    keys.forget()
    backup = backups_dir_for(example_path) / f"{example_path.stem}-20240101-080000-manual.sqlite3"
    backup.parent.mkdir(parents=True, exist_ok=True)
    copy_data_file(other, backup)
    assert needs_password(backup)
    window = open_window(qtbot, example_path)

    def choose_it(dialog: RestoreDialog) -> int:
        row = next(i for i, s in enumerate(dialog.backups) if s.backup.path == backup)
        assert "需输入这份备份的密码" in dialog.backups[row].contents
        dialog.table.selectRow(row)
        dialog.accept()
        return dialog.result()

    typed: list[str] = []

    def type_password(dialog: UnlockDialog) -> int:
        assert dialog.windowTitle() == "输入备份的密码"
        for password in ("wrong-one", "beifen-2024"):
            typed.append(password)
            dialog.password_edit.setText(password)
            qtbot.waitUntil(lambda: not dialog.gate.waiting, timeout=5000)
            dialog._accept()
        return dialog.result()

    monkeypatch.setattr(RestoreDialog, "exec", choose_it)
    monkeypatch.setattr(UnlockDialog, "exec", type_password)
    monkeypatch.setattr(QMessageBox, "information", lambda *_a: None)
    window.restore_from_backup()
    restored = "另一台电脑的单位"
    qtbot.waitUntil(lambda: window.ctx is not None and window.unit_label.text() == restored, timeout=15000)
    assert typed == ["wrong-one", "beifen-2024"]
    assert is_encrypted(example_path)  # the backup's key file came along
    close_window(window)
    keys.forget()
