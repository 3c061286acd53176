"""A tour of the real app with Qt plugin loading logged: which Qt plugins does it load?

    python tests/tools/plugin_tour.py OUT.json [--data-dir DIR] [--dwell-ms MS]

Starts the GUI (ui.application, MainWindow) on a temporary data folder (ZJTB_DATA_DIR) holding the
example data, visits every page of the navigation and every tab of each page, gives a text field of
each page the focus (input methods), opens every dialog it can reach through the app's own code
(file dialogs non-native, message boxes, the welcome, error, progress and record dialogs…), lets each
paint, and closes it by its Escape/Cancel button. No dialog blocks: a timer watches for them.

The plugins loaded are read from the process itself afterwards (/proc/self/maps on Linux, the
module list through EnumProcessModules on Windows, so it also runs with Windows CPython under Wine)
and from Qt's own QT_DEBUG_PLUGINS log, caught by a message handler. OUT.json:

    {"platform": "linux", "qpa": "xcb", "plugins": ["platforms/qxcb", …],
     "plugin_files": ["platforms/libqxcb.so", …], "pages": […], "dialogs": […], "errors": […], …}

The exit code is 1 when a step of the tour raised (OUT.json is written anyway). The helpers at
the top (plugin_file, not_kept, missing_from_bundle) import no Qt; the tests use them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

    from ui.main_window import MainWindow

PLUGIN_SUFFIXES = (".so", ".dll", ".dylib")
# A Qt debug line of a library that was loaded (not one that failed: "…loadPlugin failed on …").
LOADED_LINE = re.compile(r'"([^"]+)"\s+loaded library|loaded library\s+"?([^"\s]+)', re.IGNORECASE)
SEEN_PROPERTY = "pluginTourSeen"
CLOSING_PROPERTY = "pluginTourClosing"
PAINT_MS = 50  # after each step, for the window to repaint (and load what painting needs)
STANDARD_DIALOGS = ("QMessageBox", "QFileDialog", "QInputDialog", "QProgressDialog")


# -- plugin file names (no Qt here) ----------------------------------------------------------------


def plugin_file(path: str) -> str | None:
    """'/x/PySide6/Qt/plugins/platforms/libqxcb.so' → 'platforms/libqxcb.so' ('\\' too); None
    for anything that is not a file in a folder of a Qt plugins folder."""
    parts = path.replace("\\", "/").split("/")
    if len(parts) < 3 or parts[-3].lower() != "plugins":
        return None
    if not parts[-1].lower().endswith(PLUGIN_SUFFIXES):
        return None
    return f"{parts[-2]}/{parts[-1]}"


def plugin_name(file: str) -> str:
    """'platforms/libqxcb.so' → 'platforms/qxcb', 'platforms/qwindows.dll' → 'platforms/qwindows'."""
    kind, name = file.split("/")
    stem = name.split(".")[0]
    if not name.lower().endswith(".dll") and stem.startswith("lib"):
        stem = stem[3:]
    return f"{kind}/{stem}"


def plugin_files(paths: Iterable[str]) -> list[str]:
    return sorted({file for path in paths if (file := plugin_file(path)) is not None})


def logged_plugin_paths(lines: Iterable[str]) -> list[str]:
    """The plugin files that Qt's QT_DEBUG_PLUGINS lines say were loaded."""
    found = []
    for line in lines:
        match = LOADED_LINE.search(line)
        if match and "fail" not in line.lower():
            found.append(match.group(1) or match.group(2))
    return found


def not_kept(files: Iterable[str]) -> list[str]:
    """The plugin files (kind/file) that tools/bundle.py leaves out of the bundle."""
    from tools.bundle import keep_qt_file

    return sorted(f for f in files if not keep_qt_file(str(PurePosixPath("PySide6", "plugins", f))))


def bundle_plugins_dir(bundle: Path, platform: str) -> Path:
    """Where a PyInstaller one-folder bundle keeps PySide6's plugins on `platform` (sys.platform)."""
    if platform == "win32":
        return bundle / "_internal" / "PySide6" / "plugins"
    return bundle / "_internal" / "PySide6" / "Qt" / "plugins"


def missing_from_bundle(files: Iterable[str], bundle: Path, platform: str) -> list[str]:
    folder = bundle_plugins_dir(bundle, platform)
    return sorted(f for f in files if not (folder / f).is_file())


# -- what the process has loaded -------------------------------------------------------------------


def _linux_modules() -> list[str]:
    with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
        return [line.split(maxsplit=5)[5].strip() for line in maps if len(line.split(maxsplit=5)) == 6]


def _windows_modules() -> list[str]:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    psapi = ctypes.WinDLL("psapi", use_last_error=True)
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    kernel32.GetModuleFileNameW.argtypes = [wintypes.HMODULE, wintypes.LPWSTR, wintypes.DWORD]
    psapi.EnumProcessModules.argtypes = [
        wintypes.HANDLE,
        ctypes.POINTER(wintypes.HMODULE),
        wintypes.DWORD,
        ctypes.POINTER(wintypes.DWORD),
    ]
    handles = (wintypes.HMODULE * 4096)()
    needed = wintypes.DWORD()
    if not psapi.EnumProcessModules(
        kernel32.GetCurrentProcess(), handles, ctypes.sizeof(handles), ctypes.byref(needed)
    ):
        raise OSError(ctypes.get_last_error(), "EnumProcessModules failed")
    count = min(needed.value // ctypes.sizeof(wintypes.HMODULE), len(handles))
    names = []
    buffer = ctypes.create_unicode_buffer(32768)
    for handle in handles[:count]:
        if kernel32.GetModuleFileNameW(handle, buffer, len(buffer)):
            names.append(buffer.value)
    return names


def loaded_modules() -> list[str]:
    """Paths of the shared libraries mapped into this process ([] where that is not known)."""
    if sys.platform == "win32":
        return _windows_modules()
    if Path("/proc/self/maps").exists():
        return _linux_modules()
    return []


# -- Qt's plugin log -------------------------------------------------------------------------------


@dataclass
class QtLog:
    """Qt's messages: the plugin-loading lines kept, warnings passed on to stderr."""

    plugin_lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def handle(self, mode: Any, _context: Any, message: str) -> None:
        from PySide6.QtCore import QtMsgType

        if mode == QtMsgType.QtDebugMsg:
            if "loaded library" in message.lower():
                self.plugin_lines.append(message)
            return
        key = re.sub(r"0x[0-9a-fA-F]+", "0x…", message)  # each once, whichever window it is about
        if key not in self.warnings:
            self.warnings.append(key)
            print(f"qt: {message}", file=sys.stderr, flush=True)


# -- the tour --------------------------------------------------------------------------------------


@dataclass
class Tour:
    window: MainWindow
    work: Path
    dwell_ms: int = 100
    timeout_s: float = 60.0
    step: str = "start"
    pages: list[dict[str, Any]] = field(default_factory=list)
    dialogs: list[dict[str, str]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    # -- waiting and dialogs --------------------------------------------------------------------

    def wait(self, ms: int | None = None) -> None:
        pump(self.dwell_ms if ms is None else ms)

    def wait_until(self, condition: Callable[[], bool], what: str) -> bool:
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if condition():
                return True
            self.wait(20)
        self.errors.append(f"{self.step}: {what} not within {self.timeout_s:.0f} s")
        return False

    def watch_dialogs(self) -> None:
        """Every 30 ms: record each dialog newly shown; close it once it has been up `dwell_ms`
        (a progress dialog closes itself when its task ends)."""
        for widget in _visible_dialogs():
            first = widget.property(SEEN_PROPERTY)
            if first is None:
                widget.setProperty(SEEN_PROPERTY, time.monotonic())
                self.dialogs.append(_describe(widget, self.step))
            elif self._due(widget, float(first)):
                widget.setProperty(CLOSING_PROPERTY, True)
                _close_later(widget)

    def _due(self, widget: QDialog, first_seen: float) -> bool:
        up = time.monotonic() - first_seen >= self.dwell_ms / 1000
        return up and not _is_progress(widget) and not widget.property(CLOSING_PROPERTY)

    def settled(self) -> bool:
        return not _visible_dialogs() and self.window.tasks.running() == 0

    def run(self, name: str, action: Callable[[], object]) -> None:
        """One step: do `action`, then wait for its dialogs to be closed and its tasks to end."""
        self.step = name
        before = len(self.dialogs)
        started = time.monotonic()
        try:
            action()
        except Exception:
            self.errors.append(f"{name}: {traceback.format_exc()}")
        self.wait_until(self.settled, "dialogs closed and tasks ended")
        self.wait(PAINT_MS)
        shown = [d["class"] for d in self.dialogs[before:]]
        self.steps.append({"step": name, "dialogs": shown, "seconds": round(time.monotonic() - started, 2)})

    # -- pages and tabs ------------------------------------------------------------------------

    def visit_pages(self) -> None:
        from ui.pages import PAGES

        for row, spec in enumerate(PAGES):
            self.run(f"page {spec.key}", lambda row=row: self.window.nav.setCurrentRow(row))
            page = self.window.pages[spec.key]
            tabs = self.visit_tabs(spec.key, page)
            focused = self.focus_text_field(page)
            self.pages.append({"key": spec.key, "title": spec.title, "tabs": tabs, "focused": focused})

    def visit_tabs(self, key: str, page: QWidget) -> list[str]:
        from PySide6.QtWidgets import QTabWidget

        titles = []
        for tabs in page.findChildren(QTabWidget):
            for index in range(tabs.count()):
                titles.append(tabs.tabText(index))
                self.run(f"page {key} tab {titles[-1]}", lambda t=tabs, i=index: t.setCurrentIndex(i))
            tabs.setCurrentIndex(0)
        return titles

    def focus_text_field(self, page: QWidget) -> str:
        """Give the first editable text field of the page the focus (the input method engages)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit

        self.window.activateWindow()
        fields = [w for kind in (QLineEdit, QPlainTextEdit, QTextEdit) for w in page.findChildren(kind)]
        for widget in fields:
            if widget.isVisible() and widget.isEnabled() and not widget.isReadOnly():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                self.wait()
                focused = QApplication.focusWidget() is widget
                return f"{type(widget).__name__}{'' if focused else ' (no focus)'}"
        return ""

    def finish(self) -> None:
        """Close the window as a user would (nothing unsaved: every page is discarded first)."""
        for page in self.window.pages.values():
            if page.is_dirty():
                page.discard()
        self.run("close window", self.window.close)


def pump(ms: int) -> None:
    """Run the event loop for `ms`, sleeping between rounds: a sleep lets the worker threads of
    the app's tasks have the GIL (QTest.qWait holds it: an export took ten times as long)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    deadline = time.monotonic() + ms / 1000
    while True:
        QCoreApplication.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, 0.005))


def _visible_dialogs() -> list[QDialog]:
    from PySide6.QtWidgets import QApplication, QDialog

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def _is_progress(widget: QWidget) -> bool:
    from PySide6.QtWidgets import QProgressDialog

    return isinstance(widget, QProgressDialog)


def _describe(widget: QWidget, step: str) -> dict[str, str]:
    kind = type(widget)
    qt_class = kind.__module__.startswith("PySide6")
    name = kind.__name__ if qt_class else f"{kind.__module__}.{kind.__qualname__}"
    return {"step": step, "class": name, "title": widget.windowTitle()}


def _close_later(widget: QDialog) -> None:
    """Escape, as the user would press it (a QMessageBox by its escape button), after the watcher
    returns: a dialog's `finished` handlers may open the next dialog modally."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    def close() -> None:
        try:
            if not widget.isVisible():
                return
            button = widget.escapeButton() if isinstance(widget, QMessageBox) else None
            if button is not None:
                button.click()
            else:
                widget.reject()
        except RuntimeError:  # already deleted
            pass

    QTimer.singleShot(0, close)


# -- the steps -------------------------------------------------------------------------------------


def _first_id(tour: Tour, model: Any) -> int:
    from sqlalchemy import select

    assert tour.window.db is not None
    with tour.window.db.session() as session:
        found = session.scalar(select(model.id).order_by(model.id).limit(1))
    if found is None:
        raise LookupError(f"the example data has no {model.__name__}")
    return int(found)


def main_window_steps(tour: Tour) -> list[tuple[str, Callable[[], object]]]:
    from PySide6.QtWidgets import QMessageBox

    from ui.dialogs.damaged_file_dialog import DamagedFileDialog
    from ui.dialogs.error_dialog import show_error
    from ui.dialogs.first_run_dialog import FirstRunDialog
    from ui.dialogs.password_dialogs import (
        ChangePasswordDialog,
        PasswordCheckDialog,
        RecoveryCodeDialog,
        RecoveryResetDialog,
        SetPasswordDialog,
        UnlockDialog,
    )
    from ui.dialogs.restore_dialog import RestoreDialog
    from ui.dialogs.server_password_dialog import ServerPasswordDialog

    window = tour.window
    assert window.db is not None
    where = window.db.location.describe()
    path = window.db.location.path or tour.work / "zjtb.sqlite3"
    code = "ABCDE-FGHJK-MNPQR-STVWX-YZ012"
    return [
        ("menus", lambda: _open_menus(tour)),
        ("checks", window.run_checks),
        ("about", window.about),
        ("new year", window.new_year),
        ("database settings", window.database_settings),
        ("first run", lambda: FirstRunDialog(where, window).exec()),
        ("error (bug)", lambda: show_error(window, "ValueError: 试一下", "Traceback (most recent call…")),
        ("error (message)", lambda: show_error(window, "无法打开数据文件。")),
        ("question", lambda: QMessageBox.question(window, "确认", "继续吗？")),
        ("backup", lambda: window.start_backup("manual")),
        ("operation log", window.show_operation_log),
        ("unlock", lambda: UnlockDialog(path, window).exec()),
        ("recovery reset", lambda: RecoveryResetDialog(path, window).exec()),
        ("set password", lambda: SetPasswordDialog(path, window).exec()),
        ("change password", lambda: ChangePasswordDialog(path, window).exec()),
        ("password check", lambda: PasswordCheckDialog(path, "导出不遮蔽的个人信息", window).exec()),
        ("recovery code", lambda: _recovery_code(tour, RecoveryCodeDialog(code, window, db_path=path))),
        (
            "server password",
            lambda: ServerPasswordDialog(
                "postgresql://zjtb@192.168.1.10:5432/zjtb", "需要 PostgreSQL 数据库的密码。", window
            ).exec(),
        ),
        ("restore", lambda: RestoreDialog(window.db.location.path, window).exec()),
        (
            "damaged file",
            lambda: DamagedFileDialog(
                "数据文件已损坏或不是本程序的数据文件。", window, has_backups=True, in_use=True
            ).exec(),
        ),
        ("progress", lambda: _slow_task(tour)),
    ]


def _recovery_code(tour: Tour, dialog: Any) -> None:
    """Escape on the recovery code brings up its warning, whose Escape goes back to the code (as
    it should: the code is shown once). Once the warning has been seen, tick 我已妥善保存 and close."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def close_when_warned() -> None:
        if not dialog.isVisible():
            return
        if getattr(dialog, "warning_box", None) is None or QApplication.activeModalWidget() is not dialog:
            QTimer.singleShot(200, close_when_warned)
            return
        dialog.kept_check.setChecked(True)
        dialog.reject()

    QTimer.singleShot(200, close_when_warned)
    dialog.exec()


def _open_menus(tour: Tour) -> None:
    bar = tour.window.menuBar()
    for action in bar.actions():
        menu = action.menu()
        if menu is not None:
            menu.popup(bar.mapToGlobal(bar.actionGeometry(action).bottomLeft()))
            tour.wait()
            menu.hide()


def _slow_task(tour: Tour) -> None:
    def work(progress: Callable[[int, int, str], None], cancel: Any) -> None:
        for done in range(10):
            progress(done, 10, "正在处理…")
            if cancel.is_set():
                return
            time.sleep(0.12)

    tour.window.tasks.run_with_progress(tour.window, "处理中", work)


def _hazard_ledger(tour: Tour) -> Path:
    """A WPS-style 隐患台账 in the work folder, for the import wizard's step."""
    from tests.ledgers.build_hazards import merged_header_ledger

    path = tour.work / "ledgers" / "2023年隐患排查整改台账.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    return merged_header_ledger(path, rows=30).path


def budget_steps(tour: Tour) -> list[tuple[str, Callable[[], object]]]:
    page: Any = tour.window.page("budget")
    folder = tour.work / "budget-export"

    def import_preview() -> None:
        page.import_from(sorted(folder.rglob("*.xlsx")))

    return [
        ("budget: common indicators", page.dept_tab.indicators.pick_common),
        ("budget: export (choose folder)", page.export_tables),
        ("budget: import (choose files)", page.import_tables),
        ("budget: export", lambda: page.export_to(folder)),
        ("budget: import preview", import_preview),
    ]


def safety_steps(tour: Tour) -> list[tuple[str, Callable[[], object]]]:
    from app.models import safety as models

    page: Any = tour.window.page("safety")
    project, inspection = _first_id(tour, models.SafetyProject), _first_id(tour, models.SafetyInspection)
    hazard, document = _first_id(tour, models.SafetyHazard), _first_id(tour, models.SafetyDocument)
    activity = _first_id(tour, models.SafetyActivity)
    return [
        ("safety: new project", page.new_project),
        ("safety: edit project", lambda: page.edit_project(project)),
        ("safety: project status", lambda: page.change_status(project)),
        ("safety: new inspection", page.new_inspection),
        ("safety: edit inspection", lambda: page.edit_inspection(inspection)),
        ("safety: rectify hazard", lambda: page.rectify_hazard(hazard)),
        ("safety: edit hazard", lambda: page.edit_hazard(hazard)),
        ("safety: new document", page.new_document),
        ("safety: edit document", lambda: page.edit_document(document)),
        ("safety: new activity", page.new_activity),
        ("safety: edit activity", lambda: page.edit_activity(activity)),
        ("safety: new workload item", page.new_workload_item),
        ("safety: hazard categories", page.edit_categories),
        ("safety: import ledger", lambda: page.import_ledger("hazards", _hazard_ledger(tour))),
        ("safety: import records", tour.window.show_import_batches),
    ]


def petition_steps(tour: Tour) -> list[tuple[str, Callable[[], object]]]:
    page: Any = tour.window.page("petitions")
    return [
        ("petitions: select", lambda: page.list.select_row(0)),
        ("petitions: accept", page.accept_current),
        ("petitions: extend", page.extend_current),
        ("petitions: close", page.close_current),
        ("petitions: choices", page.edit_choices),
        ("petitions: export ledger", page.export_ledger),
        ("petitions: import ledger (choose file)", page.import_ledger),
    ]


def rectification_steps(tour: Tour) -> list[tuple[str, Callable[[], object]]]:
    page: Any = tour.window.page("rectification")
    return [
        ("rectification: new inspection", page.new_inspection),
        ("rectification: edit inspection", page.edit_inspection),
        ("rectification: select", lambda: page.list.select_row(0)),
        ("rectification: complete", page.complete_current),
        ("rectification: close off", page.close_off_current),
        ("rectification: attachments", page.add_attachments),
    ]


def reports_steps(tour: Tour) -> list[tuple[str, Callable[[], object]]]:
    page: Any = tour.window.page("reports")
    folder = tour.work / "report-export"
    steps: list[tuple[str, Callable[[], object]]] = [
        (f"reports: report {row}", lambda row=row: page.report_list.setCurrentRow(row))
        for row in range(page.report_list.count())
    ]

    def export_one() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        page._choose_folder = lambda: folder  # the folder dialog itself is the step before
        page.export_current()

    return [
        *steps,
        ("reports: first report", lambda: page.report_list.setCurrentRow(0)),
        ("reports: figure picker", page.open_figure_picker),
        ("reports: ask text", lambda: page._ask_text("新增小节", "小节标题")),
        ("reports: export all (findings)", page.export_all),
        ("reports: choose folder", page._choose_folder),
        ("reports: export one", export_one),
    ]


PAGE_STEPS = {
    "budget": budget_steps,
    "safety": safety_steps,
    "petitions": petition_steps,
    "rectification": rectification_steps,
    "reports": reports_steps,
}


def run_dialog_steps(tour: Tour) -> None:
    for name, action in main_window_steps(tour):
        tour.run(name, action)
    for key, make_steps in PAGE_STEPS.items():
        tour.run(f"show {key}", lambda key=key: tour.window.show_page(key))
        for name, action in make_steps(tour):
            tour.run(name, action)


def app_dialog_classes() -> list[str]:
    """Every dialog class of ui/dialogs (module.Class), to tell which the tour never showed."""
    import importlib
    import inspect
    import pkgutil

    from PySide6.QtWidgets import QDialog

    import ui.dialogs

    found = set()
    for info in pkgutil.iter_modules(ui.dialogs.__path__, "ui.dialogs."):
        module = importlib.import_module(info.name)
        for name, kind in inspect.getmembers(module, inspect.isclass):
            if issubclass(kind, QDialog) and kind.__module__ == info.name and not name.startswith("_"):
                found.add(f"{info.name}.{name}")
    return sorted(found)


# -- running it ------------------------------------------------------------------------------------


def load_example(db_path: Path) -> None:
    from app.db import Database, location_for
    from app.example_data import load_example as load
    from app.migrate import ensure_current

    database = Database(location_for(db_path))
    try:
        ensure_current(database)
        load(database)
    finally:
        database.dispose()


def open_window(db_path: Path, timeout_s: float) -> MainWindow:
    from PySide6.QtCore import QCoreApplication, Qt

    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    from ui.application import create_application, ui_settings
    from ui.main_window import MainWindow

    create_application()
    window = MainWindow(str(db_path), ui_settings())
    window.show()
    window.start()
    deadline = time.monotonic() + timeout_s
    while not (window.ctx is not None and window.current_page() is not None):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the main window did not show the unit within {timeout_s:.0f} s")
        pump(20)
    return window


def tour_app(work: Path, args: argparse.Namespace, errors: list[str]) -> tuple[Tour, dict[str, float]]:
    from PySide6.QtCore import QTimer

    db_path = work / "示例 数据.sqlite3"
    marks = [time.monotonic()]
    load_example(db_path)
    marks.append(time.monotonic())
    window = open_window(db_path, args.timeout)
    marks.append(time.monotonic())
    tour = Tour(window, work, dwell_ms=args.dwell_ms, timeout_s=args.timeout, errors=errors)
    watcher = QTimer()
    watcher.setInterval(30)
    watcher.timeout.connect(tour.watch_dialogs)
    watcher.start()
    tour.visit_pages()
    run_dialog_steps(tour)
    tour.finish()
    watcher.stop()
    marks.append(time.monotonic())
    names = ("example_seconds", "open_seconds", "tour_seconds")
    return tour, {name: round(b - a, 1) for name, a, b in zip(names, marks, marks[1:], strict=False)}


def report(tour: Tour, log: QtLog, timing: dict[str, float]) -> dict[str, Any]:
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication

    mapped = plugin_files(loaded_modules())
    logged = plugin_files(logged_plugin_paths(log.plugin_lines))
    files = sorted({*mapped, *logged})
    seen = {d["class"] for d in tour.dialogs}
    return {
        "platform": sys.platform,
        "qpa": QGuiApplication.platformName(),
        "qt": qVersion(),
        "im_module": os.environ.get("QT_IM_MODULE", ""),
        "plugins": sorted({plugin_name(f) for f in files}),
        "plugin_files": files,
        "mapped": mapped,
        "logged": logged,
        "pages": tour.pages,
        "dialogs": tour.dialogs,
        "dialog_classes_missed": [c for c in app_dialog_classes() if c not in seen],
        "standard_dialogs": sorted(seen & set(STANDARD_DIALOGS)),
        "steps": tour.steps,
        "errors": tour.errors,
        "qt_warnings": log.warnings,
        **timing,
    }


def _excepthook(errors: list[str]) -> Callable[..., None]:
    def hook(kind: type[BaseException], value: BaseException, tb: Any) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        errors.append(f"uncaught in a slot: {text}")
        print(text, file=sys.stderr, flush=True)

    return hook


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where to write the JSON result")
    parser.add_argument("--data-dir", type=Path, help="work folder (default: a new temporary one)")
    parser.add_argument("--dwell-ms", type=int, default=100, help="how long each dialog stays up")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds a step may take")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = parse_args(argv)
    work = args.data_dir or Path(tempfile.mkdtemp(prefix="zjtb-plugin-tour-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["ZJTB_DATA_DIR"] = str(work / "data")
    os.environ.pop("DATABASE_URL", None)
    os.environ["QT_DEBUG_PLUGINS"] = "1"
    logging.basicConfig(filename=work / "tour.log", level=logging.INFO, encoding="utf-8")
    from PySide6.QtCore import QLoggingCategory, qInstallMessageHandler

    log = QtLog()
    qInstallMessageHandler(log.handle)
    errors: list[str] = []
    sys.excepthook = _excepthook(errors)
    tour, timing = tour_app(work, args, errors)
    result = report(tour, log, timing)
    # Qt logs the plugins' unloading at exit, after Python is gone: not through a Python handler.
    qInstallMessageHandler(None)
    QLoggingCategory.setFilterRules("qt.core.library.debug=false\nqt.core.plugin.*.debug=false")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(result['plugins'])} plugins: {' '.join(result['plugins'])}")
    print(f"{len(tour.pages)} pages, {len(tour.dialogs)} dialogs, {len(tour.errors)} errors")
    return 1 if tour.errors else 0


if __name__ == "__main__":
    sys.exit(main())
