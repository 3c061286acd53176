"""Building the one-folder PyInstaller bundle (`build.spec`) and what the spec needs.

    python -m tools.bundle build      # → dist/zjtb/ (zjtb + zjtb-cli), prints the size
    python -m tools.bundle size       # size of dist/zjtb/, biggest parts first

The spec calls `hidden_imports()`, `excluded_qt_modules()`, `keep_qt_file()`, `needed_binaries()`,
`make_icon()` and `write_version_file()`; they compute from the sources and the installed PySide6
what goes in, so nothing here is a hand-kept list of modules.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import struct
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
WORK = ROOT / "build"
BUNDLE_NAME = "zjtb"  # dist/zjtb/: zjtb[.exe] (GUI) and zjtb-cli[.exe] (console, for scripts)
GUI_EXE = "zjtb"
CLI_EXE = "zjtb-cli"
SOURCE_PACKAGES = ("app", "ui")
MIGRATIONS = ROOT / "app" / "migrations"  # Alembic reads these scripts from disk at run time

# Qt plugins the app uses, by plugin folder; `None` keeps the whole folder. Every plugin loaded in a
# tour of all pages, tabs and dialogs (tests/tools/plugin_tour.py) must be here: checked on Linux by
# tests/integration/test_qt_plugin_tour.py, on Windows (Wine) by tests/windows/test_plugin_tour.py.
QT_PLUGINS: dict[str, set[str] | None] = {
    # offscreen: headless runs and the smoke test; xcb: X11 (and XWayland); windows: Windows.
    "platforms": {"qoffscreen", "qxcb", "qwindows"},
    "styles": None,  # Windows: qmodernwindowsstyle (the native look); none on Linux
    # svg: our icons. The tour loads no other format (ico, jpeg, gif were kept until it showed so):
    # attachments open in the programs they belong to, not in Qt.
    "imageformats": {"qsvg"},
    "iconengines": {"qsvgicon"},  # QIcon from an .svg file
    # Chinese input methods on Linux (IBus; the compose key). Windows IMEs need no plugin.
    "platforminputcontexts": {"ibusplatforminputcontextplugin", "composeplatforminputcontextplugin"},
}
# Standard dialogs in Chinese; copied to resources/translations, where the app looks first.
QT_TRANSLATIONS = {"qtbase_zh_CN.qm"}
# Time zones kept of the tzdata package (Windows only: psycopg's zoneinfo needs it there to read a
# PostgreSQL server's TimeZone; Linux has /usr/share/zoneinfo). Chinese servers say one of these;
# any other falls back to UTC in psycopg. The other ~590 files would each cost start-up time on a
# PC whose antivirus scans every file opened.
TIME_ZONES = {"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "Asia/Urumqi", "Asia/Hong_Kong", "PRC", "UTC"}
TIME_ZONES |= {"Etc/UTC", "GMT", "Etc/GMT", "Universal", "Zulu"}


def executable(name: str, bundle: Path | None = None) -> Path:
    folder = bundle or DIST / BUNDLE_NAME
    return folder / (name + (".exe" if sys.platform == "win32" else ""))


# -- what the analysis must include -----------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _source_files() -> Iterable[Path]:
    for package in SOURCE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if MIGRATIONS not in path.parents:
                yield path


def _imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from alembic import op`: op is a module the analysis must include too.
            names.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if _is_module(f"{node.module}.{alias.name}")
            )
    return names


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def hidden_imports() -> list[str]:
    """Every module of app/ and ui/ (pages are imported by name, see ui/pages), and whatever the
    migration scripts import (Alembic loads them from files, so the analysis never sees them)."""
    modules = {_module_name(path) for path in _source_files()}
    for script in MIGRATIONS.rglob("*.py"):
        for name in _imports_of(script):
            if (not name.startswith(("app.", "__future__")) and name != "app") or name.startswith("app."):
                modules.add(name)
    return sorted(modules)


def used_qt_modules() -> set[str]:
    """The PySide6 modules the sources import, e.g. {"QtCore", "QtGui", "QtWidgets"}."""
    used = set()
    for path in [ROOT / "main.py", *_source_files()]:
        for name in _imports_of(path):
            parts = name.split(".")
            if parts[0] == "PySide6" and len(parts) > 1 and parts[1].startswith("Qt"):
                used.add(parts[1])
    return used


def excluded_qt_modules() -> list[str]:
    """Every PySide6 Python module the sources do not import (QtQml, QtQuick, QtPdf, …)."""
    import PySide6

    folder = Path(PySide6.__file__).parent
    available = {
        p.name.split(".")[0] for p in folder.iterdir() if p.name.startswith("Qt") and ".pyi" not in p.name
    }
    available.discard("Qt")  # the Qt/ folder of the Linux wheel
    return sorted(f"PySide6.{name}" for name in available - used_qt_modules())


def keep_qt_file(dest: str) -> bool:
    """Whether a collected file under PySide6/ stays in the bundle: only the plugins in
    QT_PLUGINS and the translations in QT_TRANSLATIONS; Qt libraries are pruned afterwards by
    `needed_binaries` (anything no kept binary links to goes)."""
    parts = PurePath(dest).parts
    if not parts or parts[0] != "PySide6":
        return True
    if "plugins" in parts:
        index = parts.index("plugins")
        if len(parts) < index + 3:
            return False
        kind, file = parts[index + 1], parts[-1]
        wanted = QT_PLUGINS.get(kind, set())
        if wanted is None:
            return True
        stem = file.split(".")[0]
        stem = stem[3:] if stem.startswith("lib") else stem
        return stem in wanted
    if "translations" in parts and parts[-1].endswith(".qm"):
        return False  # the Chinese ones are copied to resources/translations
    return "qml" not in parts


def keep_data_file(dest: str) -> bool:
    """Whether a collected data file stays: Qt's by `keep_qt_file`, tzdata's by TIME_ZONES."""
    parts = PurePath(dest).parts
    if len(parts) > 2 and parts[:2] == ("tzdata", "zoneinfo"):
        return "/".join(parts[2:]) in TIME_ZONES
    return keep_qt_file(dest)


def qt_translation_files() -> list[tuple[str, str]]:
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    return [(str(folder / name), "resources/translations") for name in sorted(QT_TRANSLATIONS)]


def needed_binaries(binaries: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """(kept, dropped): what the Python extension modules, the Python library and the Qt
    plugins that stayed need, following link-time imports inside the bundle. The rest goes:
    the QtQml/QtQuick/QtPdf/… libraries the PySide6 hooks bring along, and the system libraries
    only dropped plugins used."""
    from PyInstaller.depend import bindepend

    by_name: dict[str, tuple] = {}
    for entry in binaries:
        by_name.setdefault(PurePath(entry[0]).name.lower(), entry)

    def is_root(entry: tuple) -> bool:
        dest = PurePath(entry[0])
        return (
            entry[2] == "EXTENSION"
            or "plugins" in dest.parts
            or dest.name.lower().startswith(("libpython", "python3"))
        )

    wanted = [e for e in binaries if is_root(e)]
    keep: dict[str, tuple] = {}
    while wanted:
        entry = wanted.pop()
        if entry[0] in keep:
            continue
        keep[entry[0]] = entry
        for name, _path in bindepend.get_imports(entry[1]):
            found = by_name.get(PurePath(name).name.lower())
            if found is not None and found[0] not in keep:
                wanted.append(found)
    return [e for e in binaries if e[0] in keep], [e for e in binaries if e[0] not in keep]


# -- icon and version information ------------------------------------------------------------------


def make_icon(svg: Path, ico: Path, sizes: Iterable[int] = (16, 20, 24, 32, 40, 48, 64, 128, 256)) -> Path:
    """Render the SVG with Qt (in a child process, offscreen) into a multi-size .ico (PNG entries).
    An .ico newer than the .svg is kept: the Windows build draws it on Linux before PyInstaller
    runs under Wine, where a child Qt process can hang (../shared/windows.md)."""
    if ico.exists() and ico.stat().st_mtime >= svg.stat().st_mtime:
        return ico
    ico.parent.mkdir(parents=True, exist_ok=True)
    code = (
        "import sys\n"
        "from PySide6.QtCore import QBuffer, QByteArray, Qt\n"
        "from PySide6.QtGui import QGuiApplication, QImage, QPainter\n"
        "from PySide6.QtSvg import QSvgRenderer\n"
        "app = QGuiApplication([])\n"
        "renderer = QSvgRenderer(sys.argv[1])\n"
        "for size in map(int, sys.argv[2:]):\n"
        "    image = QImage(size, size, QImage.Format.Format_ARGB32)\n"
        "    image.fill(Qt.GlobalColor.transparent)\n"
        "    painter = QPainter(image)\n"
        "    renderer.render(painter)\n"
        "    painter.end()\n"
        "    data = QByteArray()\n"
        "    buffer = QBuffer(data)\n"
        "    buffer.open(QBuffer.OpenModeFlag.WriteOnly)\n"
        "    image.save(buffer, 'PNG')\n"
        "    sys.stdout.buffer.write(len(data).to_bytes(4, 'little') + bytes(data))\n"
    )
    sizes = list(sizes)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code, str(svg), *map(str, sizes)], env=env, capture_output=True, check=True
    ).stdout
    pngs, offset = [], 0
    while offset < len(out):
        length = int.from_bytes(out[offset : offset + 4], "little")
        pngs.append(out[offset + 4 : offset + 4 + length])
        offset += 4 + length
    # ICONDIR, then one ICONDIRENTRY per image, then the PNG data (Windows Vista and later).
    header = struct.pack("<HHH", 0, 1, len(pngs))
    data_offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in zip(sizes, pngs, strict=True):
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), data_offset + len(blobs))
        blobs += png
    ico.write_bytes(header + entries + blobs)
    return ico


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'2.0.1rc1' → (2, 0, 1, 0): the leading digits of each dotted part, padded to four."""
    numbers = [int(re.match(r"\d*", part).group() or 0) for part in version.split(".")[:4]]
    return tuple([*numbers, 0, 0, 0, 0][:4])  # type: ignore[return-value]


PUBLISHER = "住建填报助手开发组"
COPYRIGHT_YEAR = 2026


def write_version_file(path: Path, exe: str = GUI_EXE) -> Path:
    """Windows version information (file properties → 详细信息) of one executable, from
    app.__version__: company, product, description, copyright — what antivirus programs and
    the clerk see in the file's properties."""
    sys.path.insert(0, str(ROOT))
    from app import APP_NAME, __version__

    numbers = version_tuple(__version__)
    description = APP_NAME if exe == GUI_EXE else f"{APP_NAME}（命令行）"
    strings = {
        "CompanyName": PUBLISHER,
        "FileDescription": description,
        "FileVersion": __version__,
        "InternalName": exe,
        "LegalCopyright": f"© {COPYRIGHT_YEAR} {PUBLISHER}",
        "OriginalFilename": f"{exe}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": __version__,
    }
    string_structs = ",\n            ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    text = f"""# Generated by tools/bundle.py from app.__version__; do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('080404b0', [
            {string_structs}])]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- building and measuring ----------------------------------------------------------------------


def build(clean: bool = False) -> Path:
    """Run PyInstaller on build.spec; returns dist/zjtb."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    if clean:
        command.append("--clean")
    command += ["--distpath", str(DIST), "--workpath", str(WORK), str(ROOT / "build.spec")]
    subprocess.run(command, cwd=ROOT, check=True)
    return DIST / BUNDLE_NAME


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def size_report(folder: Path, top: int = 15) -> str:
    total = folder_size(folder)
    files = sorted(
        (
            (p.stat().st_size, p.relative_to(folder))
            for p in folder.rglob("*")
            if p.is_file() and not p.is_symlink()
        ),
        reverse=True,
    )
    lines = [f"{folder}: {total / 1e6:.1f} MB in {len(files)} files"]
    lines += [f"  {size / 1e6:7.1f} MB  {path}" for size, path in files[:top]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bundle", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "size"])
    parser.add_argument("--clean", action="store_true", help="rebuild from scratch (PyInstaller --clean)")
    args = parser.parse_args(argv)
    if args.command == "build":
        started = time.perf_counter()
        folder = build(args.clean)
        print(f"built in {time.perf_counter() - started:.0f} s")
    else:
        folder = DIST / BUNDLE_NAME
    print(size_report(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
