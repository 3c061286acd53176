"""What build.spec computes (tools/bundle.py), checked without building: fast."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from tools import bundle

ROOT = Path(__file__).resolve().parents[2]


def test_hidden_imports_cover_pages_imported_by_name_and_what_migrations_import() -> None:
    hidden = set(bundle.hidden_imports())
    from ui.pages import PAGES

    for spec in PAGES:
        assert spec.page_class.split(":")[0] in hidden  # imported with importlib, unseen by the analysis
    assert {"app.cli", "app.migrate", "ui.main_window", "ui.startup_probe"} <= hidden
    assert {"alembic.op", "alembic.context", "sqlalchemy"} <= hidden  # from env.py and versions/*.py
    assert not [name for name in hidden if name.startswith("app.migrations.")]  # data files, not modules


def test_only_unused_qt_modules_are_excluded() -> None:
    excluded = set(bundle.excluded_qt_modules())
    # QtNetwork: the local socket of ui/single_instance.py (one window per data file)
    assert {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtNetwork"}.isdisjoint(excluded)
    assert {"PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtSql"} <= excluded
    assert bundle.used_qt_modules() >= {"QtCore", "QtGui", "QtWidgets", "QtNetwork"}


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("resources/translations/qtbase_zh_CN.qm", True),
        ("resources/style.qss", True),
    ],
)
def test_qt_files_kept(dest: str, kept: bool) -> None:
    assert bundle.keep_qt_file(dest) is kept


def test_version_file_carries_the_app_version(tmp_path: Path) -> None:
    from app import __version__

    text = bundle.write_version_file(tmp_path / "version.txt").read_text(encoding="utf-8")
    numbers = bundle.version_tuple(__version__)
    assert f"filevers={numbers}" in text and f"StringStruct('ProductVersion', '{__version__}')" in text
    assert bundle.version_tuple("1.2") == (1, 2, 0, 0) and bundle.version_tuple("2.0.1rc1") == (2, 0, 1, 0)
    # PyInstaller evaluates the file as one Python expression (its reader needs pefile, Windows only)
    call = ast.parse(text, mode="eval").body
    assert isinstance(call, ast.Call) and call.func.id == "VSVersionInfo"


def test_icon_is_rendered_from_the_svg_at_every_size(tmp_path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    ico = bundle.make_icon(
        ROOT / "resources" / "icons" / "app.svg", tmp_path / "app.ico", sizes=(16, 32, 256)
    )
    from PySide6.QtGui import QImageReader

    reader = QImageReader(str(ico))
    assert reader.format() == b"ico" and reader.imageCount() == 3
    sizes = []
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        image = reader.read()
        sizes.append(image.width())
        # the blue rounded square of app.svg, not an empty image
        assert image.pixelColor(image.width() // 2, image.height() * 9 // 10).blue() > 150
    assert sorted(sizes) == [16, 32, 256]
