"""The password in the GUI: the prompt at start (wrong passwords refused with a growing delay),
the recovery-code reset, changing the password, the recovery code shown once, the 欢迎 dialog's
password for a new unit, 文件 › 设置密码… on a plaintext file, and the password asked again
before an unmasked export."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.protection import envelope, keys
from app.protection.files import SQLITE_HEADER, header, is_encrypted, needs_password
from app.protection.protect import protect
from app.protection.unlock import unlock, verify_password
from tests.conftest import ROOT, encrypts_itself, open_sqlite
from tests.ui.helpers import close_window, open_window
from ui.dialogs import password_dialogs as pd
from ui.dialogs.first_run_dialog import FirstRunDialog

pytestmark = encrypts_itself
PASSWORD = "lanqiao-2024"
SHOTS = Path(tempfile.gettempdir()) / "zjtb-password-dialogs"  # screenshots to look at


@pytest.fixture(autouse=True)
def fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A cheap scrypt (the cost is stored in each key file), and no key kept between tests."""
    monkeypatch.setattr(envelope, "SCRYPT_N", 2**10)
    yield
    keys.forget()


def shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def answer_box(button_text: str, seen: list[str]) -> None:
    """Click `button_text` in the next message box that opens (its text kept in `seen`)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        button = next(b for b in box.buttons() if b.text() == button_text)
        button.click()

    QTimer.singleShot(0, click)


@pytest.fixture
def encrypted(tmp_path: Path) -> tuple[Path, str]:
    """A migrated empty data file, encrypted with PASSWORD: (path, recovery code), locked."""
    path = tmp_path / "加密 数据.sqlite3"
    open_sqlite(path).dispose()
    result = protect(path, PASSWORD)
    keys.forget()
    return path, result.recovery_code


# -- the dialogs -----------------------------------------------------------------------------------


def test_a_wrong_password_is_refused_with_a_growing_delay_and_the_right_one_unlocks(
    qtbot: QtBot, encrypted: tuple[Path, str]
) -> None:
    path, _code = encrypted
    dialog = pd.UnlockDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "请输入数据文件的密码" in dialog.findChildren(pd.QLabel)[0].text()
    assert path.name in dialog.findChildren(pd.QLabel)[0].text()
    # a first wrong password: refused at once
    dialog.password_edit.setText("wrong-one")
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.message_label.text() == "密码不正确，请重新输入"
    assert dialog.ok_button.isEnabled()
    # a second: OK is off for retry_delay(2) = 1 s, counted down on a timer
    dialog.password_edit.setText("wrong-two")
    started = time.monotonic()
    dialog.ok_button.click()
    assert dialog.message_label.text() == "密码不正确，请在 1 秒后重试"
    assert not dialog.ok_button.isEnabled()
    shot(dialog, "unlock-dialog-wrong")
    dialog.password_edit.setText(PASSWORD)
    dialog._accept()  # Enter while waiting does nothing
    assert needs_password(path)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=3000)
    assert time.monotonic() - started >= 0.9
    # a third: 2 s
    dialog.password_edit.setText("wrong-three")
    dialog.ok_button.click()
    assert dialog.message_label.text() == "密码不正确，请在 2 秒后重试"
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=4000)
    # the right one
    dialog.password_edit.setText(PASSWORD)
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not needs_password(path)


def test_the_unlock_dialog_reports_a_missing_key_file_without_crashing(
    qtbot: QtBot, encrypted: tuple[Path, str]
) -> None:
    path, _code = encrypted
    dialog = pd.UnlockDialog(path)
    qtbot.addWidget(dialog)
    envelope.envelope_path(path).rename(path.with_name("elsewhere.key"))
    # is_encrypted is False now: the file has no key file; unlock itself says what is missing
    dialog.password_edit.setText(PASSWORD)
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "找不到它的密钥文件" in dialog.message_label.text()


def test_the_recovery_code_alone_sets_a_new_password(
    qtbot: QtBot, encrypted: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, code = encrypted
    unlock_dialog = pd.UnlockDialog(path)
    qtbot.addWidget(unlock_dialog)
    seen: list[pd.RecoveryResetDialog] = []

    def fake_exec(dialog: pd.RecoveryResetDialog) -> int:
        seen.append(dialog)
        dialog.show()
        # a wrong code first
        dialog.code_edit.setText("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
        dialog.new_password.password_edit.setText("xin-mima-88")
        dialog.new_password.again_edit.setText("xin-mima-88")
        dialog.ok_button.click()
        assert dialog.message_label.text() == "恢复码不正确，请重新输入"
        # the new password typed differently twice
        dialog.code_edit.setText(code.lower().replace("-", " "))
        dialog.new_password.again_edit.setText("xin-mima-89")
        dialog.ok_button.click()
        assert dialog.new_password.error_label.text() == "两次输入的密码不一致"
        dialog.new_password.again_edit.setText("xin-mima-88")
        shot(dialog, "recovery-reset-dialog")
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(pd.RecoveryResetDialog, "exec", fake_exec)
    unlock_dialog.forgot_button.click()
    assert len(seen) == 1 and seen[0].result() == QDialog.DialogCode.Accepted
    assert unlock_dialog.result() == QDialog.DialogCode.Accepted
    assert not needs_password(path)
    keys.forget()
    assert verify_password(path, "xin-mima-88")
    assert not verify_password(path, PASSWORD)
    unlock(path, "xin-mima-88")
    assert not needs_password(path)


def test_changing_the_password_checks_the_old_one_and_rewrites_the_key_file_only(
    qtbot: QtBot, encrypted: tuple[Path, str]
) -> None:
    path, code = encrypted
    data_before = path.read_bytes()
    dialog = pd.ChangePasswordDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.old_edit.setText("not-the-password")
    dialog.new_password.password_edit.setText("Geng-Xin-2025!")
    dialog.new_password.again_edit.setText("Geng-Xin-2025!")
    dialog.ok_button.click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.message_label.text() == "原密码不正确，请重新输入"
    dialog.old_edit.setText(PASSWORD)
    shot(dialog, "change-password-dialog")
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    keys.forget()
    assert verify_password(path, "Geng-Xin-2025!") and not verify_password(path, PASSWORD)
    assert path.read_bytes() == data_before
    # the recovery code still works
    assert envelope.unwrap(envelope.read(path), envelope.RECOVERY, code) is not None


def test_the_new_password_widget_shows_strength_and_problems(qtbot: QtBot) -> None:
    widget = pd.NewPasswordWidget()
    qtbot.addWidget(widget)
    assert widget.why_label.text() == (
        "数据文件中有信访人的姓名、电话和身份证号等个人信息，设置密码后数据文件被加密，他人拿到文件也无法读取。"
    )
    assert widget.password_edit.echoMode() == pd.QLineEdit.EchoMode.Password
    assert widget.again_edit.echoMode() == pd.QLineEdit.EchoMode.Password
    assert not widget.check() and widget.error_label.text() == "请输入密码"
    widget.password_edit.setText("12345")
    assert widget.strength_label.text() == "强度：太短：至少 6 位" and widget.strength_bar.value() == 0
    assert not widget.check() and widget.error_label.text() == "密码至少 6 位"
    widget.password_edit.setText("123456")
    assert widget.strength_bar.value() == 1 and widget.strength_label.text().startswith("强度：弱")
    widget.password_edit.setText("Zhujian#2024-ok")
    assert widget.strength_bar.value() == 4 and widget.strength_label.text() == "强度：强"
    widget.again_edit.setText("Zhujian#2024-o")
    assert not widget.check() and widget.error_label.text() == "两次输入的密码不一致"
    widget.again_edit.setText("Zhujian#2024-ok")
    assert widget.check() and widget.password() == "Zhujian#2024-ok"


def test_the_set_password_dialog_needs_an_acceptable_password(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = pd.SetPasswordDialog(tmp_path / "zjtb.sqlite3")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.new_password.password_edit.setText("abc")
    dialog._accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.new_password.password_edit.setText("abc-123-xyz")
    dialog.new_password.again_edit.setText("abc-123-xyz")
    shot(dialog, "set-password-dialog")
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.password() == "abc-123-xyz"


def test_the_recovery_code_is_saved_printed_and_confirmed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = "7K2M9-QX4TB-ZP8RC-3WN6V-HJ5DA"
    dialog = pd.RecoveryCodeDialog(code, unit_name="测试县质量安全监督站", db_path=tmp_path / "zjtb.sqlite3")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.code_label.text() == code
    assert dialog.code_label.font().fixedPitch() or dialog.code_label.font().pointSize() == 18
    assert not dialog.done_button.isEnabled()
    shot(dialog, "recovery-code-dialog")
    # 保存到文件…
    target = tmp_path / "恢复 码.txt"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(tmp_path / "恢复 码"), "")
    )
    dialog.save_button.click()
    text = target.read_text(encoding="utf-8")
    assert f"恢复码：{code}" in text
    assert "单位：测试县质量安全监督站" in text
    assert "日期：2024年1月20日" in text  # ZJTB_TODAY
    assert "忘记数据文件的密码时" in text and "忘记密码又丢失恢复码，数据将无法恢复。" in text
    if os.name == "posix":
        assert target.stat().st_mode & 0o777 == 0o600
    assert dialog.status_label.text() == f"已保存到 {target}"
    # 打印…
    printed: list[str] = []
    monkeypatch.setattr(pd, "print_text", lambda _parent, text: printed.append(text) or True)
    dialog.print_button.click()
    assert printed == [dialog.text()] and dialog.printed
    # closing without the tick: the warning, and 返回 keeps the dialog open
    seen: list[str] = []
    answer_box("返回保存恢复码", seen)
    dialog.reject()
    assert "忘记密码又丢失恢复码，数据将无法恢复。" in seen[0]
    assert dialog.isVisible()
    # the tick enables 完成
    dialog.kept_check.setChecked(True)
    assert dialog.done_button.isEnabled()
    dialog.done_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_recovery_code_dialog_can_be_closed_anyway_after_the_warning(qtbot: QtBot) -> None:
    dialog = pd.RecoveryCodeDialog("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    qtbot.addWidget(dialog)
    dialog.show()
    seen: list[str] = []
    answer_box("不保存，关闭", seen)
    dialog.close()
    assert len(seen) == 1 and not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_the_print_dialog_prints_the_text(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QTextDocument
    from PySide6.QtPrintSupport import QPrintDialog

    printed: list[str] = []
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QTextDocument, "print_", lambda self, printer: printed.append(self.toPlainText()))
    assert pd.print_text(None, "恢复码：X\n")
    assert printed == ["恢复码：X\n"]
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert not pd.print_text(None, "恢复码：Y\n")
    assert printed == ["恢复码：X\n"]


# -- the window: first start, every start, 设置密码… ------------------------------------------------


def _first_run(monkeypatch: pytest.MonkeyPatch, password: str | None) -> list[FirstRunDialog]:
    shown: list[FirstRunDialog] = []

    def fake_exec(dialog: FirstRunDialog) -> int:
        shown.append(dialog)
        dialog.show()
        dialog.name_edit.setText("测试县质量安全监督站")
        if password is None:
            dialog.decline_check.setChecked(True)
        else:
            dialog.new_password.password_edit.setText(password)
            dialog.new_password.again_edit.setText(password)
        shot(dialog, "first-run-dialog")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", fake_exec)
    return shown


def _keep_recovery_code(monkeypatch: pytest.MonkeyPatch) -> list[pd.RecoveryCodeDialog]:
    shown: list[pd.RecoveryCodeDialog] = []

    def fake_exec(dialog: pd.RecoveryCodeDialog) -> int:
        shown.append(dialog)
        dialog.kept_check.setChecked(True)
        dialog.done_button.click()
        return dialog.result()

    monkeypatch.setattr(pd.RecoveryCodeDialog, "exec", fake_exec)
    return shown


def _oplog(db) -> list[tuple[str, str]]:
    from app.models.oplog import OperationLog

    with db.session() as session:
        return [(r.action, r.detail) for r in session.scalars(select(OperationLog).order_by(OperationLog.id))]


def test_a_new_unit_with_a_password_gets_an_encrypted_file_and_its_recovery_code(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _first_run(monkeypatch, PASSWORD)
    codes = _keep_recovery_code(monkeypatch)
    path = tmp_path / "new.sqlite3"
    window = open_window(qtbot, path)
    assert len(shown) == 1 and shown[0].password() == PASSWORD
    assert window.unit_label.text() == "测试县质量安全监督站"
    # THEN the file is encrypted, the recovery code was shown once and opens it
    assert header(path) != SQLITE_HEADER and is_encrypted(path)
    assert len(codes) == 1
    code = codes[0].code
    assert envelope.unwrap(envelope.read(path), envelope.RECOVERY, code) is not None
    assert codes[0].unit_name == "测试县质量安全监督站"
    # no plaintext copy of the new file is left in the backups
    from app.paths import backups_dir_for

    backups = backups_dir_for(path)
    plain = (
        [p for p in backups.glob("*") if p.is_file() and header(p) == SQLITE_HEADER]
        if backups.exists()
        else []
    )
    assert plain == []
    assert window.password_action.text() == "修改密码…" and window.password_action.isEnabled()
    assert window.lock_screen.lock_action.isEnabled()
    assert ("设置/修改密码", "设置密码（新建单位）") in _oplog(window.db)
    close_window(window)
    # AND the next start asks for the password
    keys.forget()
    asked: list[pd.UnlockDialog] = []

    def fake_unlock(dialog: pd.UnlockDialog) -> int:
        asked.append(dialog)
        dialog.password_edit.setText(PASSWORD)
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(pd.UnlockDialog, "exec", fake_unlock)
    again = open_window(qtbot, path)
    assert len(asked) == 1 and again.unit_label.text() == "测试县质量安全监督站"
    assert len(shown) == 1  # no 欢迎 dialog this time
    close_window(again)


def test_declining_the_password_is_remembered_and_leaves_the_file_plain(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.data_file import identity
    from app.protection.choice import password_declined
    from app.settings import load_settings

    shown = _first_run(monkeypatch, None)
    codes = _keep_recovery_code(monkeypatch)
    path = tmp_path / "plain.sqlite3"
    window = open_window(qtbot, path)
    assert shown[0].password() is None and shown[0].password_declined()
    assert header(path) == SQLITE_HEADER and not is_encrypted(path)
    assert codes == []
    assert password_declined(path)
    assert load_settings().extra["password_declined"] == [identity(path)]
    assert window.password_action.text() == "设置密码…" and window.password_action.isEnabled()
    assert not window.lock_screen.lock_action.isEnabled()
    assert window.lock_screen.lock_action.toolTip() == "未设置密码的数据文件不能锁定"
    assert window.protection_badge.isHidden()  # declined: no 未设密码 reminder
    close_window(window)


def test_the_first_run_dialog_offers_no_password_for_the_example_or_a_server(qtbot: QtBot) -> None:
    dialog = FirstRunDialog("postgresql://zjtb@server:5432/zjtb", offer_password=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.new_password.isVisible() and not dialog.decline_check.isVisible()
    dialog.name_edit.setText("某县住建局")
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.password() is None and not dialog.password_declined()
    offered = FirstRunDialog("x.sqlite3")
    qtbot.addWidget(offered)
    offered.show()
    offered.example_radio.setChecked(True)
    assert offered.password() is None and not offered.password_declined()


def test_every_start_of_an_encrypted_file_asks_first_and_quitting_closes(
    qtbot: QtBot, tmp_path: Path, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    protect(example_path, PASSWORD)
    keys.forget()
    # ZJTB_PASSWORD right: no question
    monkeypatch.setenv("ZJTB_PASSWORD", PASSWORD)
    asked: list[pd.UnlockDialog] = []
    monkeypatch.setattr(pd.UnlockDialog, "exec", lambda d: asked.append(d) or QDialog.DialogCode.Rejected)
    window = open_window(qtbot, example_path)
    assert asked == [] and window.unit_label.text() == "汨罗市建筑工程服务中心"
    close_window(window)
    # ZJTB_PASSWORD wrong: the dialog; 退出 closes the window without opening the file
    keys.forget()
    monkeypatch.setenv("ZJTB_PASSWORD", "wrong-password")
    quitting = open_window(qtbot, example_path, wait_for_unit=False)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
    qtbot.waitUntil(lambda: not quitting.isVisible(), timeout=5000)
    assert quitting.db is None and needs_password(example_path)


def test_set_password_on_a_plaintext_file_encrypts_it_and_offers_to_delete_plain_backups(
    qtbot: QtBot, example_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.backup import backup_sqlite
    from app.paths import backups_dir_for

    backup_sqlite(example_path, backups_dir_for(example_path), "manual")
    codes = _keep_recovery_code(monkeypatch)

    def fake_set(dialog: pd.SetPasswordDialog) -> int:
        dialog.new_password.password_edit.setText(PASSWORD)
        dialog.new_password.again_edit.setText(PASSWORD)
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(pd.SetPasswordDialog, "exec", fake_set)
    window = open_window(qtbot, example_path)
    window.show_page("petitions")
    assert window.password_action.text() == "设置密码…"
    seen: list[str] = []
    answer_box("删除", seen)
    window.password_action.trigger()
    qtbot.waitUntil(lambda: len(codes) == 1 and window.ctx is not None, timeout=20000)
    assert seen == ["备份文件夹中还有 2 份未加密的备份（含升级前备份），其中有信访人的个人信息。是否删除？"]
    assert header(example_path) != SQLITE_HEADER
    assert [p for p in backups_dir_for(example_path).iterdir() if header(p) == SQLITE_HEADER] == []
    assert window.unit_label.text() == "汨罗市建筑工程服务中心"
    assert window.password_action.text() == "修改密码…"
    assert window.lock_screen.lock_action.isEnabled()
    assert ("设置/修改密码", "设置密码（加密数据文件）") in _oplog(window.db)
    close_window(window)


def test_an_unmasked_export_asks_the_password_again(
    qtbot: QtBot, example_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    protect(example_path, PASSWORD)
    window = open_window(qtbot, example_path)
    window.page("petitions")
    page = window.show_page("petitions")
    target = tmp_path / "台账.xlsx"
    monkeypatch.setattr(page, "_ask_xlsx", lambda *_a: target)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    typed: list[str] = []

    def answer(password: str | None) -> Callable[[pd.PasswordCheckDialog], int]:
        def fake_exec(dialog: pd.PasswordCheckDialog) -> int:
            if password is None:
                return QDialog.DialogCode.Rejected
            typed.append(password)
            dialog.password_edit.setText(password)
            dialog._accept()
            return dialog.result()

        return fake_exec

    monkeypatch.setattr(pd.PasswordCheckDialog, "exec", answer("wrong-password"))
    assert page._ask_ledger_target() is None
    monkeypatch.setattr(pd.PasswordCheckDialog, "exec", answer(None))
    assert page._ask_ledger_target() is None
    monkeypatch.setattr(pd.PasswordCheckDialog, "exec", answer(PASSWORD))
    assert page._ask_ledger_target() == (target, True)
    assert typed == ["wrong-password", PASSWORD]
    # masked: no question
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    monkeypatch.setattr(pd.PasswordCheckDialog, "exec", answer("never-asked"))
    assert page._ask_ledger_target() == (target, False)
    assert typed == ["wrong-password", PASSWORD]
    close_window(window)


def test_the_password_check_dialog(qtbot: QtBot, encrypted: tuple[Path, str]) -> None:
    path, _code = encrypted
    dialog = pd.PasswordCheckDialog(path, "导出完整的个人信息前，请再次输入数据文件的密码。")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password_edit.setText("nope-nope")
    dialog.ok_button.click()
    assert dialog.message_label.text() == "密码不正确，请重新输入"
    shot(dialog, "password-check-dialog")
    dialog.password_edit.setText(PASSWORD)
    dialog.ok_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert needs_password(path)  # verified, not unlocked


UNLOCK_PROBE = """
import sys
sys.path.insert(0, {root!r})
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QDialog
from ui.application import create_application, ui_settings
from ui.dialogs import password_dialogs
from ui.main_window import MainWindow

app = create_application()
seen = []

def fake_exec(dialog):
    dialog.show()
    app.processEvents()
    seen.append(("sqlcipher3" in sys.modules, dialog.isVisible(), dialog.db_path.name))
    return QDialog.DialogCode.Rejected

password_dialogs.UnlockDialog.exec = fake_exec
window = MainWindow({path!r}, ui_settings())
window.show()
window.start()
app.exec()
print(seen)
"""


def test_the_password_dialog_paints_before_sqlcipher_is_loaded(
    encrypted: tuple[Path, str], tmp_path: Path
) -> None:
    path, _code = encrypted
    env = {**os.environ, "ZJTB_DATA_DIR": str(tmp_path / "probe-data")}
    env.pop("ZJTB_PASSWORD", None)
    script = UNLOCK_PROBE.format(root=str(ROOT), path=str(path))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == repr([(False, True, path.name)])


def test_screenshots_of_the_unlock_dialog(qtbot: QtBot, encrypted: tuple[Path, str]) -> None:
    path, _code = encrypted
    dialog = pd.UnlockDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    shot(dialog, "unlock-dialog")
    assert dialog.sizeHint().width() <= 1280 and dialog.sizeHint().height() <= 720
    assert isinstance(dialog.forgot_button, QPushButton)
    assert dialog.forgot_button.text() == "忘记密码？用恢复码重设…"
