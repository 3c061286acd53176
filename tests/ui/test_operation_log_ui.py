"""操作日志 in the GUI: the petition form's unmasked view and the unmasked ledger export leave their
lines; the dialog lists the log newest first, narrows it by 操作, text and days, and exports it."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app import oplog
from app.db import Database
from app.errors import TargetLockedError
from app.models.oplog import OperationLog
from app.registry import default_registry
from ui.context import AppContext
from ui.dialogs.operation_log_dialog import ALL_ACTIONS, OperationLogDialog
from ui.pages.petition_page import PetitionPage
from ui.tasks import TaskRunner

SHOTS = Path("/tmp/h-oplog")


@pytest.fixture(autouse=True)
def os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "zhangsan")


@pytest.fixture
def ctx(example_db: Database, example_unit_id: int) -> AppContext:
    return AppContext(example_db, default_registry(), TaskRunner(), example_unit_id, 2023)


def _lines(db: Database) -> list[tuple[str, str]]:
    with db.session() as session:
        return [(r.action, r.detail) for r in session.scalars(select(OperationLog).order_by(OperationLog.id))]


def test_showing_a_petition_logs_one_view_per_petition_and_an_unmasked_export_a_line(
    qtbot, ctx: AppContext, tmp_path: Path
) -> None:
    page = PetitionPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.load()
    page.show()
    numbers = []
    for row in (0, 1, 0, 1):
        page.list.select_row(row)
        qtbot.waitUntil(lambda: page._loaded is not None and page._loaded.id is not None, timeout=5000)
        numbers.append(page._loaded.number)
        qtbot.waitUntil(lambda: page.view_log_task.done.is_set(), timeout=5000)
    assert numbers[0] != numbers[1]
    assert _lines(ctx.db) == [("查看信访人个人信息", f"信访事项 {n}") for n in numbers[:2]]

    masked = page.export_ledger(tmp_path / "台账.xlsx", unmask=False)
    with qtbot.waitSignal(masked.ended, timeout=20000):
        pass
    assert len(_lines(ctx.db)) == 2
    target = tmp_path / "完整 台账.xlsx"
    task = page.export_ledger(target, unmask=True)
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    action, detail = _lines(ctx.db)[-1]
    rows = len(list(load_workbook(target).active.iter_rows(min_row=4)))
    assert (action, detail) == (
        "导出（含个人信息）",
        f"信访事项登记台账 {rows} 件（含完整个人信息）到“{target}”",
    )


def _fill(db: Database) -> None:
    with db.transaction() as session:
        for at, user, action, detail in (
            (
                datetime(2024, 1, 5, 9, 0),
                "zhangsan",
                oplog.IMPORT,
                "隐患排查治理台账“一月.xlsx”（2024年度）：新建：隐患 12",
            ),
            (datetime(2024, 1, 6, 10, 30), "lisi", oplog.DELETE, "删除 隐患“塔吊限位失灵”"),
            (
                datetime(2024, 1, 6, 15, 2),
                "zhangsan",
                oplog.EXPORT_UNMASKED,
                "信访事项登记台账 3 件（含完整个人信息）",
            ),
            (datetime(2024, 1, 7, 8, 15), "lisi", oplog.DELETE, "删除 工程项目“城南小学”"),
            (datetime(2024, 1, 8, 8, 0), "zhangsan", oplog.LOCK, "锁定"),
        ):
            session.add(OperationLog(at=at, os_user=user, action=action, detail=detail))


def test_the_dialog_filters_and_exports(qtbot, ctx: AppContext, tmp_path: Path) -> None:
    _fill(ctx.db)
    dialog = OperationLogDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= 1280 and dialog.height() <= 720
    assert dialog.model.rowCount() == 5
    assert [dialog.model.text(0, c) for c in range(4)] == ["2024-01-08 08:00:00", "zhangsan", "锁定", "锁定"]
    assert dialog.count_label.text() == "共 5 条"
    assert [dialog.action_combo.itemText(i) for i in range(dialog.action_combo.count())] == [
        ALL_ACTIONS,
        *oplog.ACTIONS,
    ]
    dialog.grab().save(str(SHOTS / "operation_log_dialog.png"))

    dialog.action_combo.setCurrentText(oplog.DELETE)
    assert [dialog.model.text(r, 3) for r in range(dialog.model.rowCount())] == [
        "删除 工程项目“城南小学”",
        "删除 隐患“塔吊限位失灵”",
    ]
    dialog.search_edit.setText("塔吊")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=3000)  # after the typing pause
    dialog.action_combo.setCurrentText(ALL_ACTIONS)
    dialog.search_edit.setText("")
    dialog.since_field.set_value(date(2024, 1, 6))
    dialog.until_field.set_value(date(2024, 1, 7))
    dialog.load()
    assert [dialog.model.text(r, 2) for r in range(dialog.model.rowCount())] == [
        "删除",
        "导出（含个人信息）",
        "删除",
    ]
    dialog.until_field.line.setText("2024-13-40")
    dialog.load()
    assert dialog.count_label.text().startswith("“至”日期：")
    assert dialog.model.rowCount() == 3  # the list stays as it was
    assert dialog.export_to(tmp_path / "x.xlsx") is None
    dialog.until_field.set_value(date(2024, 1, 7))
    dialog.load()

    target = tmp_path / "导出 日志" / "操作日志.xlsx"
    target.parent.mkdir()
    task = dialog.export_to(target)
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    sheet = load_workbook(target).active
    assert [row[4] for row in sheet.iter_rows(min_row=4, values_only=True)] == [
        "删除 工程项目“城南小学”",
        "信访事项登记台账 3 件（含完整个人信息）",
        "删除 隐患“塔吊限位失灵”",
    ]
    assert dialog.count_label.text() == f"已导出 3 条记录到 {target}"
    assert dialog.export_button.isEnabled()


def test_a_locked_target_is_a_chinese_message(
    qtbot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.exports.atomic as atomic

    def held(path: Path) -> None:
        raise TargetLockedError(
            f"无法写入“{path}”：文件被其他程序占用（可能正在被 WPS/Excel 打开），请关闭该文件后重试。"
        )

    monkeypatch.setattr(atomic, "ensure_writable", held)
    _fill(ctx.db)
    dialog = OperationLogDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    target = tmp_path / "操作日志.xlsx"
    target.write_bytes(b"old")
    task = dialog.export_to(target)
    with qtbot.waitSignal(task.ended, timeout=20000):
        pass
    box = dialog.message_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "无法导出"
    assert (
        box.text()
        == f"无法写入“{target}”：文件被其他程序占用（可能正在被 WPS/Excel 打开），请关闭该文件后重试。"
    )
    assert target.read_bytes() == b"old"
    box.close()


def test_the_file_menu_opens_the_log(qtbot, example_path: Path) -> None:
    from tests.ui.helpers import close_window, open_window

    window = open_window(qtbot, example_path)
    try:
        assert window.oplog_action.isEnabled()
        file_menu = window.menuBar().actions()[0].menu()
        texts = [a.text() for a in file_menu.actions()]
        assert texts[texts.index("导入记录…") + 1] == "操作日志…"
        window.oplog_action.trigger()
        dialog = window.operation_log_dialog
        assert isinstance(dialog, OperationLogDialog) and dialog.isVisible()
        dialog.close()
    finally:
        close_window(window)
