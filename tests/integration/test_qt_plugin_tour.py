"""Every Qt plugin the app loads is one the bundle keeps: tests/tools/plugin_tour.py drives the GUI
from the sources through every page, tab and dialog (offscreen, and on X11 under Xvfb, where the
input-method plugins load) and reports the plugin files loaded; each must pass tools/bundle.py's
keep_qt_file, and be in a built bundle when ZJTB_BUNDLE_DIR names one (dist/zjtb).

The Windows run of the same tour (under Wine) is tests/windows/test_plugin_tour.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tools import plugin_tour
from ui.pages import PAGES

ROOT = Path(__file__).resolve().parents[2]
TOUR = ROOT / "tests" / "tools" / "plugin_tour.py"
TOUR_TIMEOUT = 240


def run_tour(out: Path, **env: str) -> dict:
    """The tour in its own process (from the sources); its JSON result."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if (not k.startswith("ZJTB_") or k == "ZJTB_PASSWORD") and k != "DATABASE_URL"
    }
    done = subprocess.run(
        [sys.executable, str(TOUR), str(out / "tour.json"), "--data-dir", str(out / "work")],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=TOUR_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr[-6000:]}"
    return json.loads((out / "tour.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def offscreen_tour(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return run_tour(tmp_path_factory.mktemp("tour-offscreen"), QT_QPA_PLATFORM="offscreen")


@pytest.fixture(scope="module")
def xcb_tour(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """On X11 under a fresh Xvfb, asking for IBus (what Chinese desktops with IBus set): without an
    IBus daemon for that display Qt falls back to the compose plugin, so both input contexts load."""
    if shutil.which("Xvfb") is None:
        pytest.skip("needs Xvfb (apt-get install xvfb)")
    from tools import wine

    out = tmp_path_factory.mktemp("tour-xcb")
    with wine.virtual_screen() as display:
        env = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display, "QT_IM_MODULE": "ibus", "IBUS_ADDRESS": ""}
        return run_tour(out, **env)


@pytest.fixture(params=["offscreen", "xcb"])
def tour(request: pytest.FixtureRequest) -> dict:
    return request.getfixturevalue(f"{request.param}_tour")


def test_the_tour_sees_every_page_and_dialog(tour: dict) -> None:
    assert tour["errors"] == []
    assert [page["key"] for page in tour["pages"]] == [spec.key for spec in PAGES]
    # every page with a text field gets the focus into it (the 工作台 has none: cards and charts)
    typed = [page for page in tour["pages"] if page["key"] != "workbench"]
    assert all(page["focused"] and "no focus" not in page["focused"] for page in typed)
    assert tour["dialog_classes_missed"] == []  # a new dialog class: add a step for it to the tour
    assert set(tour["standard_dialogs"]) == set(plugin_tour.STANDARD_DIALOGS)
    # Both ways of listing agree: the process's own mappings and Qt's QT_DEBUG_PLUGINS log.
    assert tour["mapped"] == tour["logged"]
    assert tour["plugins"] and f"platforms/q{tour['qpa']}" in tour["plugins"]


def test_every_plugin_loaded_is_kept_in_the_bundle(tour: dict) -> None:
    print(f"{tour['qpa']}: {' '.join(tour['plugins'])} (tour {tour['tour_seconds']} s)")
    assert plugin_tour.not_kept(tour["plugin_files"]) == []


def test_an_input_method_plugin_loads_on_x11(xcb_tour: dict) -> None:
    contexts = [p for p in xcb_tour["plugins"] if p.startswith("platforminputcontexts/")]
    assert "platforminputcontexts/ibusplatforminputcontextplugin" in contexts
    assert "platforminputcontexts/composeplatforminputcontextplugin" in contexts


def test_every_plugin_loaded_is_in_the_built_bundle(tour: dict) -> None:
    given = os.environ.get("ZJTB_BUNDLE_DIR")
    if not given:
        pytest.skip("ZJTB_BUNDLE_DIR does not name a built bundle (dist/zjtb)")
    bundle = Path(given)
    assert plugin_tour.bundle_plugins_dir(bundle, sys.platform).is_dir(), bundle
    assert plugin_tour.missing_from_bundle(tour["plugin_files"], bundle, sys.platform) == []


# -- the checks themselves (fast) --------------------------------------------------------------------


def test_plugin_files_are_named_from_linux_and_windows_paths() -> None:
    linux = "/x/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so"
    windows = r"Z:\cache\python\Lib\site-packages\PySide6\plugins\styles\qmodernwindowsstyle.dll"
    assert plugin_tour.plugin_files([linux, windows, "/usr/lib/libQt6Core.so.6", linux]) == [
        "platforms/libqxcb.so",
        "styles/qmodernwindowsstyle.dll",
    ]
    assert plugin_tour.plugin_name("platforms/libqxcb.so") == "platforms/qxcb"
    assert plugin_tour.plugin_name("styles/qmodernwindowsstyle.dll") == "styles/qmodernwindowsstyle"


def test_only_loaded_libraries_are_read_from_the_qt_log() -> None:
    lines = [
        '"/q/plugins/platforms/libqxcb.so" loaded library',
        'QLibraryPrivate::loadPlugin failed on "/q/plugins/platformthemes/libqgtk3.so" : "Cannot load"',
        '"Z:/q/PySide6/plugins/imageformats/qsvg.dll" loaded library',
    ]
    assert plugin_tour.plugin_files(plugin_tour.logged_plugin_paths(lines)) == [
        "imageformats/qsvg.dll",
        "platforms/libqxcb.so",
    ]


def test_the_checks_flag_a_plugin_the_bundle_lacks(tmp_path: Path) -> None:
    loaded = ["platforms/libqxcb.so", "platforms/libqwayland.so", "platformthemes/libqgtk3.so"]
    assert plugin_tour.not_kept(loaded) == ["platforms/libqwayland.so", "platformthemes/libqgtk3.so"]
    assert plugin_tour.not_kept(["styles/qmodernwindowsstyle.dll", "platforms/qwindows.dll"]) == []
    # A fake bundle holding only the xcb plugin: the compose plugin is reported missing.
    folder = plugin_tour.bundle_plugins_dir(tmp_path, "linux") / "platforms"
    folder.mkdir(parents=True)
    (folder / "libqxcb.so").write_bytes(b"")
    wanted = ["platforms/libqxcb.so", "platforminputcontexts/libcomposeplatforminputcontextplugin.so"]
    assert plugin_tour.missing_from_bundle(wanted, tmp_path, "linux") == [wanted[1]]
    windows = plugin_tour.bundle_plugins_dir(tmp_path, "win32")
    assert windows == tmp_path / "_internal" / "PySide6" / "plugins"
    assert plugin_tour.missing_from_bundle(["platforms/qwindows.dll"], tmp_path, "win32") == [
        "platforms/qwindows.dll"
    ]
