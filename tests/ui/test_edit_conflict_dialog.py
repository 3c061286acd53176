"""The conflict dialog, driven as a clerk meets it: another window saved the petition in the form
since it was loaded; the save is refused, and the clerk re-applies or reloads."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.db import Database
from app.registry import default_registry
from app.services.registers import petitions as pt
from ui.context import AppContext
from ui.dialogs import conflict_dialog
from ui.dialogs.conflict_dialog import ConflictChoice
from ui.pages.petition_page import PetitionPage
from ui.tasks import TaskRunner


@pytest.fixture
def page(qtbot, example_db: Database, example_unit_id: int) -> PetitionPage:
    ctx = AppContext(example_db, default_registry(), TaskRunner(), example_unit_id, 2023)
    widget = PetitionPage(ctx)
    widget.today = lambda: date(2023, 12, 20)
    qtbot.addWidget(widget)
    widget.resize(1366, 720)
    widget.load()
    widget.show()
    widget.list.select_row(0)
    return widget


def _type(widget, text: str) -> None:
    """Replace the text as a Chinese input method types it (QTest types ASCII only)."""
    widget.selectAll()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _saved_elsewhere(db: Database, petition_id: int, **changes) -> None:
    with db.session() as session:
        other = pt.load_petition(session, petition_id)
    for key, value in changes.items():
        setattr(other, key, value)
    pt.save_petition(db, other_unit(db, petition_id), other)


def other_unit(db: Database, petition_id: int) -> int:
    from app.models.registers import Petition

    with db.session() as session:
        return session.get(Petition, petition_id).unit_id


def test_keep_mine_reapplies_my_change_on_the_other_copy(
    qtbot, page: PetitionPage, example_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = page._loaded.id
    asked: list[str] = []
    monkeypatch.setattr(
        "ui.pages.register_page_base.ask_conflict",
        lambda _p, text: asked.append(text) or ConflictChoice.REAPPLY,
    )
    # GIVEN the clerk changes the department in the form
    _type(page.form.editor("department"), "质量安全股")
    assert page.is_dirty()
    # AND meanwhile another window saves a new summary for the same petition
    _saved_elsewhere(example_db, pid, summary="另一窗口补充的摘要")
    # WHEN the clerk saves
    assert page.save() is False
    # THEN the save is refused with who-what-when, and the form holds theirs plus mine, unsaved
    assert len(asked) == 1 and "已在别处被修改并保存" in asked[0] and "另一个窗口" in asked[0]
    assert page.form.value("summary") == "另一窗口补充的摘要"
    assert page.form.value("department") == "质量安全股"
    assert page.is_dirty()
    with example_db.session() as session:
        assert pt.load_petition(session, pid).department != "质量安全股"
    # AND saving again keeps both changes
    assert page.save() is True
    with example_db.session() as session:
        stored = pt.load_petition(session, pid)
    assert (stored.summary, stored.department) == ("另一窗口补充的摘要", "质量安全股")


def test_reload_shows_the_other_copy_and_drops_mine(
    qtbot, page: PetitionPage, example_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = page._loaded.id
    monkeypatch.setattr("ui.pages.register_page_base.ask_conflict", lambda _p, _t: ConflictChoice.RELOAD)
    _type(page.form.editor("department"), "质量安全股")
    _saved_elsewhere(example_db, pid, department="办公室")
    assert page.save() is False
    assert page.form.value("department") == "办公室"
    assert not page.is_dirty()


def test_a_delete_of_a_petition_changed_elsewhere_is_refused(
    qtbot, page: PetitionPage, example_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = page._loaded.id
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    _saved_elsewhere(example_db, pid, note="另一台电脑补记")
    page.delete_current()
    assert warnings and "本次未删除" in warnings[0]
    with example_db.session() as session:
        assert pt.load_petition(session, pid).note == "另一台电脑补记"
    assert page.form.value("note") == "另一台电脑补记"  # the form now shows the newer copy


def test_the_dialog_offers_both_ways_and_fits_the_screen(qtbot, tmp_path) -> None:
    shots: list = []

    def answer() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        shots.append((box.grab(), box.width(), box.height(), [b.text() for b in box.buttons()]))
        keep = next(b for b in box.buttons() if b.text() == "保留我的修改")
        qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)

    QTimer.singleShot(200, answer)
    choice = conflict_dialog.ask_conflict(
        None,
        "信访事项“XF2023-0001”已在别处被修改并保存（今天 09:21，在计算机“办公室-2”上）。"
        "为避免覆盖对方的修改，本次未保存。",
    )
    assert choice is ConflictChoice.REAPPLY
    pixmap, width, height, buttons = shots[0]
    assert set(buttons) == {"保留我的修改", "重新载入", "取消"}
    assert width <= 1366 and height <= 720
    pixmap.save(str(tmp_path / "conflict_dialog.png"))
