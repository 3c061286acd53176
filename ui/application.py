"""Building the QApplication: logging, crash handling, Chinese translations, style, main window."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app import APP_ID, APP_NAME

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
    from ui.dialogs.error_dialog import show_error

    show_error(QApplication.activeWindow(), f"{kind.__name__}: {value}", details)


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    install_translations(app)
    apply_style(app)
    return app  # type: ignore[return-value]


def run_gui(args: argparse.Namespace) -> int:
    app = create_application()
    from ui.main_window import MainWindow

    window = MainWindow(getattr(args, "db", None), ui_settings())
    window.show()
    _setup_logging()
    sys.excepthook = _excepthook
    app.aboutToQuit.connect(window.tasks.shutdown)
    window.start()
    return app.exec()
