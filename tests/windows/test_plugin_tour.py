"""The Qt plugin tour (tests/tools/plugin_tour.py) with Windows CPython under Wine: the sources, run
by the build cache's python.exe (PySide6 and every dependency installed by tools/windows_build.py),
through every page, tab and dialog; each plugin it loads must pass tools/bundle.py's keep_qt_file
and be in the Windows bundle, dist/windows/zjtb.

Runs in a copy of the build prefix, so that a build using the prefix is not disturbed. Skipped
without the build cache (`python3 bootstrap.py build-windows` makes it) or the bundle; CI sets
ZJTB_REQUIRE_WINDOWS=1, which turns either into a failure. The tour takes ~4 minutes under Wine.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.tools import plugin_tour
from tools import windows_build, wine
from ui.pages import PAGES

pytestmark = [pytest.mark.slow, pytest.mark.windows, pytest.mark.timeout(1800)]

ROOT = Path(__file__).resolve().parents[2]
TOUR = ROOT / "tests" / "tools" / "plugin_tour.py"
PYTHON = windows_build.CACHE / "python" / "python.exe"
PREFIX = windows_build.CACHE / "prefix"
TOUR_TIMEOUT = 1200


def _unavailable(message: str) -> None:
    if os.environ.get("ZJTB_REQUIRE_WINDOWS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def windows_tour(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not PYTHON.is_file() or not (PREFIX / "system.reg").is_file():
        _unavailable(f"没有 {PYTHON} 或 {PREFIX}：先运行 python3 bootstrap.py build-windows")
    home = tmp_path_factory.mktemp("plugin-tour-wine")
    shutil.copytree(PREFIX, home / "prefix", symlinks=True)
    out = home / "tour.json"
    command = [wine.windows_path(p) for p in (PYTHON, TOUR, out)]
    command += ["--data-dir", wine.windows_path(home / "work"), "--timeout", "300"]
    with wine.virtual_screen() as display:
        prefix = wine.Prefix(home / "prefix", display=display)
        try:
            done = prefix.run(
                command,
                step="plugin tour (Windows CPython)",
                timeout=TOUR_TIMEOUT,
                retries=0,
                check=False,
                PYTHONDONTWRITEBYTECODE="1",  # no Windows .pyc files in the source tree
            )
        finally:
            prefix.kill()
    output = done.stdout.decode(prefix.encoding, "replace")
    assert done.returncode == 0 and out.is_file(), output[-6000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_windows_tour_sees_every_page_and_dialog(windows_tour: dict) -> None:
    assert windows_tour["platform"] == "win32"
    assert windows_tour["qpa"] == "windows"
    assert windows_tour["errors"] == []
    assert [page["key"] for page in windows_tour["pages"]] == [spec.key for spec in PAGES]
    assert windows_tour["dialog_classes_missed"] == []
    assert windows_tour["mapped"] == windows_tour["logged"]  # EnumProcessModules and Qt's log agree


def test_every_plugin_loaded_on_windows_is_kept(windows_tour: dict) -> None:
    print(f"windows: {' '.join(windows_tour['plugins'])} (tour {windows_tour['tour_seconds']} s)")
    assert "platforms/qwindows" in windows_tour["plugins"]
    assert plugin_tour.not_kept(windows_tour["plugin_files"]) == []


def test_every_plugin_loaded_on_windows_is_in_the_windows_bundle(windows_tour: dict) -> None:
    if not plugin_tour.bundle_plugins_dir(windows_build.BUNDLE, "win32").is_dir():
        _unavailable(f"没有 {windows_build.BUNDLE}：先运行 python3 bootstrap.py build-windows")
    missing = plugin_tour.missing_from_bundle(windows_tour["plugin_files"], windows_build.BUNDLE, "win32")
    assert missing == []
