"""Building the QApplication: logging, crash handling, Chinese translations, style, main window."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app import APP_ID, APP_NAME

if TYPE_CHECKING:
    from ui.single_instance import SingleInstance

FONT_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "WenQuanYi Micro Hei",
    "sans-serif",
]


def ui_settings() -> QSettings:
    """Window geometry and other GUI state, in an .ini file in the data folder."""
    from app.paths import data_dir

    return QSettings(str(data_dir() / "ui.ini"), QSettings.Format.IniFormat)


def install_translations(app: QApplication) -> None:
    """Standard dialogs (QMessageBox buttons, file dialogs) in Chinese."""
    from app.paths import resources_dir

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    places = [
        str(resources_dir() / "translations"),
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ]
    for name in ("qtbase_zh_CN",):
        translator = QTranslator(app)
        if any(translator.load(name, place) for place in places):
            app.installTranslator(translator)
    app.installTranslator(_QtbaseGaps(app))  # installed last: asked first


# Strings of Qt 6's own dialogs that qtbase_zh_CN.qm does not translate (its entries are for the
# older texts without the "&"): (context, source) → Chinese, as qtbase words the others.
QTBASE_GAPS = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class _QtbaseGaps(QTranslator):
    def isEmpty(self) -> bool:
        return False

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null QString) lets Qt ask the next translator; "" would blank every other text.
        return QTBASE_GAPS.get((context, source))


def apply_style(app: QApplication) -> None:
    from app.paths import resources_dir

    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(10)
    app.setFont(font)
    style = resources_dir() / "style.qss"
    if style.exists():
        icons = (resources_dir() / "icons").as_posix()
        app.setStyleSheet(style.read_text(encoding="utf-8").replace("@ICONS@", icons))


def _setup_logging() -> None:
    from app.paths import logs_dir

    logging.basicConfig(
        filename=logs_dir() / "app.log",
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        encoding="utf-8",
    )


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    details = "".join(traceback.format_exception(kind, value, tb))
    logging.getLogger("crash").error(details)
    from app.errors import describe_db_error
    from ui.dialogs.error_dialog import show_error

    known = describe_db_error(value)  # a damaged file found while reading: no traceback to show
    if known:
        show_error(QApplication.activeWindow(), known)
        return

    show_error(QApplication.activeWindow(), f"{kind.__name__}: {value}", details)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    install_translations(app)
    apply_style(app)
    return app  # type: ignore[return-value]


def _watch_startup(window, quit_when_ready: bool) -> None:
    """Hidden instrumentation (bench/, the bundle smoke test); nothing is loaded when it is off."""
    from os import environ

    if not (quit_when_ready or environ.get("ZJTB_STARTUP_TRACE")):
        return
    from ui.startup_probe import StartupProbe, trace_path

    probe = StartupProbe(window, trace=bool(trace_path()), quit_when_ready=quit_when_ready)
    window.entered.connect(probe.data_ready)


def claim_data_file(db_path: str | None) -> SingleInstance | None:
    """This start's hold on its data file (ui/single_instance.py), or None when another window
    has it and has been brought forward: then this start ends without a window."""
    from app.data_file import identity
    from ui.single_instance import claim

    return claim(identity(db_path))


SWEEP_DELAY_MS = 2000


class _LeftoverSweep:
    """Remove what killed exports and backups left (app/sweep.py) once per start: off the GUI
    thread (an export folder on a network drive can be slow to list), or, if the program is
    closing before that, on the way out."""

    def __init__(self, db_path: str | None) -> None:
        self.db_path = db_path
        self.started = False

    def in_background(self) -> None:
        import threading

        from app.sweep import sweep_at_start

        if not self.started:
            self.started = True
            threading.Thread(target=sweep_at_start, args=(self.db_path,), name="sweep", daemon=True).start()

    def if_not_started(self) -> None:
        from app.sweep import sweep_at_start

        if not self.started:
            self.started = True
            sweep_at_start(self.db_path)


def run_gui(args: argparse.Namespace) -> int:
    app = create_application()
    instance = claim_data_file(getattr(args, "db", None))
    if instance is None:
        return 0
    from ui.main_window import MainWindow

    window = MainWindow(getattr(args, "db", None), ui_settings())
    instance.activation_requested.connect(window.bring_forward)
    app.aboutToQuit.connect(instance.close)
    _watch_startup(window, getattr(args, "quit_when_ready", False))
    window.show()
    _setup_logging()
    sys.excepthook = _excepthook
    # After the unit's data is on screen: a thread importing and listing folders during start-up
    # competes with it for the interpreter (measured: data-idle +8 ms on 2 cores). A window
    # closed before then sweeps on the way out.
    sweep = _LeftoverSweep(getattr(args, "db", None))
    QTimer.singleShot(SWEEP_DELAY_MS, sweep.in_background)
    app.aboutToQuit.connect(sweep.if_not_started)
    app.aboutToQuit.connect(lambda: window.tasks.shutdown())
    window.start()
    return app.exec()
