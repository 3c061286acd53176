"""The Windows installer, tried under Wine as a clerk's PC would run it, in an English-locale
(code page 1252) and a Chinese-locale (936) Windows: a silent per-user install into a fresh prefix,
the installed command line against the sources' output, the installed GUI, an upgrade over the
installed copy, and a silent uninstall that leaves the data folder.

Runs when dist/*-setup.exe exists (`python3 bootstrap.py build-windows`) or ZJTB_SETUP_EXE names
one; CI sets ZJTB_REQUIRE_WINDOWS=1, which turns a missing installer into a failure. Screenshots
of the installed GUI go to build/windows-smoke/.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import APP_ID, APP_NAME, __version__
from tools import bundle, windows_build, wine

pytestmark = [pytest.mark.slow, pytest.mark.windows]

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "build" / "windows-smoke"
UNINSTALL_KEY = rf"Software\Microsoft\Windows\CurrentVersion\Uninstall\{APP_ID}"
# Paths with Chinese characters and spaces, as clerks' folders are named.
DB_PATH = r"C:\用户 数据\测试 库.sqlite3"
OUT_PATH = r"C:\导出 文件夹"
YEAR = "2023"
PASSWORD = "测试 密码-2024"  # a space and Chinese: passed through the environment as it is
EXPECTED_FILES = 22


def _setup_exe() -> Path | None:
    given = os.environ.get("ZJTB_SETUP_EXE")
    if given:
        return Path(given)
    found = sorted((ROOT / "dist").glob(f"{APP_ID}-*-setup.exe"))
    return found[-1] if found else None


@pytest.fixture(scope="module")
def setup_exe() -> Path:
    found = _setup_exe()
    if found is None or not found.is_file():
        message = "没有 dist/*-setup.exe：先运行 python3 bootstrap.py build-windows"
        if os.environ.get("ZJTB_REQUIRE_WINDOWS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


@dataclass
class Installed:
    prefix: wine.Prefix
    folder: Path
    listing: dict[str, int]

    def exe(self, name: str) -> str:
        return rf"C:\users\{self.prefix.user_folder().name}\AppData\Local\Programs\{APP_ID}\{name}.exe"

    def cli(
        self, *args: str, step: str, timeout: float = 300, **env: str
    ) -> subprocess.CompletedProcess[bytes]:
        return self.prefix.run(
            [self.exe(bundle.CLI_EXE), *args], step=step, timeout=timeout, check=False, **env
        )

    def host_path(self, windows: str) -> Path:
        """C:\\x\\y → the prefix's drive_c/x/y."""
        return self.prefix.drive_c.joinpath(*windows[3:].split("\\"))


def _listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def _start_menu(prefix: wine.Prefix) -> Path:
    return prefix.user_folder("AppData", "Roaming", "Microsoft", "Windows", "Start Menu", "Programs")


def _desktop(prefix: wine.Prefix) -> Path:
    return prefix.user_folder("Desktop")


def _install(prefix: wine.Prefix, setup: Path) -> Path:
    prefix.run([wine.windows_path(setup), "/S"], step=f"setup.exe /S ({prefix.locale})", timeout=600)
    folder = prefix.user_folder("AppData", "Local", "Programs", APP_ID)
    # Wine's exit code says nothing about an installer: wait for what it writes last (the
    # shortcuts), then for wineserver to end, which saves the registry to user.reg.
    _wait_for(lambda: (folder / "uninstall.exe").is_file(), 120, "uninstall.exe written")
    _wait_for(lambda: (_desktop(prefix) / f"{APP_NAME}.lnk").is_file(), 60, "desktop shortcut written")
    prefix.wait_idle()
    return folder


@pytest.fixture(scope="module", params=sorted(wine.LOCALES))
def installed(request, setup_exe: Path, tmp_path_factory) -> Iterator[Installed]:
    locale = request.param
    windows_build.ensure_locales()
    home = tmp_path_factory.mktemp(f"wine-{locale}")
    with wine.virtual_screen() as display:
        prefix = wine.Prefix(home / "prefix", locale=locale, display=display, extra_env={"HOME": str(home)})
        prefix.boot(wine.build_icu_stub(windows_build.CACHE / "icu-stub" / "icuuc.dll"))
        folder = _install(prefix, setup_exe)
        try:
            yield Installed(prefix, folder, _listing(folder))
        finally:
            prefix.kill()


@pytest.fixture(scope="module")
def source_export(tmp_path_factory) -> Path:
    """The example year exported by the sources on this Linux machine: the reference."""
    tmp = tmp_path_factory.mktemp("source-export")
    env = {**wine.clean_environment(), "ZJTB_DATA_DIR": str(tmp / "data")}
    db, out = tmp / "示例 库.sqlite3", tmp / "导出 文件夹"
    for args in (["demo", "--db", str(db)], ["export", "--year", YEAR, "--out", str(out), "--db", str(db)]):
        done = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *args],
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return out


def _contents(path: Path) -> list:
    """What a reader compares: every cell value of a workbook, every paragraph and cell of a
    document (the export date, the only thing allowed to differ between two runs, left out)."""
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        return [
            (sheet.title, row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            if not any(isinstance(v, str) and "导出日期" in v for v in row)
        ]
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        texts = [p.text for p in document.paragraphs]
        texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return texts
    return [path.stat().st_size]


# -- the tests, in the order a clerk meets them (pytest keeps this order within each locale) -------


def test_installs_per_user_with_shortcuts_and_an_uninstall_entry(installed: Installed) -> None:
    folder, prefix = installed.folder, installed.prefix
    assert (folder / f"{bundle.GUI_EXE}.exe").is_file() and (folder / f"{bundle.CLI_EXE}.exe").is_file()
    assert (folder / "_internal").is_dir()
    assert (_start_menu(prefix) / f"{APP_NAME}.lnk").is_file()
    assert (_desktop(prefix) / f"{APP_NAME}.lnk").is_file()
    entry = prefix.user_registry(UNINSTALL_KEY)
    assert entry is not None, "no uninstall entry under HKCU"
    assert entry["DisplayName"] == APP_NAME and entry["DisplayVersion"] == __version__
    assert entry["Publisher"] == bundle.PUBLISHER
    assert str(entry["UninstallString"]).endswith(r'\uninstall.exe"')
    assert str(entry["QuietUninstallString"]).endswith(r'\uninstall.exe" /S')
    size_kb = sum(installed.listing.values()) / 1024
    assert abs(int(entry["EstimatedSize"]) - size_kb) < 0.05 * size_kb
    # per-user: nothing in the machine-wide hive or Program Files
    assert not (prefix.drive_c / "Program Files" / APP_ID).exists()
    assert (
        f"Uninstall\\\\{APP_ID}".lower()
        not in (prefix.path / "system.reg").read_text(errors="replace").lower()
    )


def test_the_exes_carry_our_own_bootloader(installed: Installed) -> None:
    ours = windows_build.CACHE / "bootloader"
    wheel = next((windows_build.CACHE / "wheels").glob("pyinstaller-*-win_amd64.whl"))
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        prebuilt = {
            name: archive.read(f"PyInstaller/bootloader/Windows-64bit-intel/{name}")
            for name in ("run.exe", "runw.exe")
        }
    tmp = installed.prefix.path.parent
    for exe, loader in ((bundle.GUI_EXE, "runw.exe"), (bundle.CLI_EXE, "run.exe")):
        code = wine.pe_section(installed.folder / f"{exe}.exe", ".text")
        assert code == wine.pe_section(ours / loader, ".text"), f"{exe}.exe is not built on our {loader}"
        (tmp / loader).write_bytes(prebuilt[loader])
        assert code != wine.pe_section(tmp / loader, ".text"), (
            f"{exe}.exe carries PyInstaller's prebuilt {loader}"
        )


def test_the_exes_carry_full_version_information(installed: Installed) -> None:
    for exe in (bundle.GUI_EXE, bundle.CLI_EXE):
        resources = wine.pe_section(installed.folder / f"{exe}.exe", ".rsrc")
        for text in (
            "CompanyName",
            bundle.PUBLISHER,
            "LegalCopyright",
            APP_NAME,
            "ProductVersion",
            __version__,
        ):
            assert text.encode("utf-16-le") in resources, f"{exe}.exe: no {text} in its version resource"
        assert f"{exe}.exe".encode("utf-16-le") in resources  # OriginalFilename


def test_help_piped_to_a_file_in_this_code_page(installed: Installed) -> None:
    done = installed.cli("--help", step=f"zjtb-cli --help ({installed.prefix.locale})")
    assert done.returncode == 0, done.stdout[-2000:]
    # The console's code page when it can spell Chinese (936); UTF-8 when it cannot (1252).
    encoding = installed.prefix.encoding if installed.prefix.locale == "zh_CN" else "utf-8"
    text = done.stdout.decode(encoding)
    assert "Traceback" not in text
    assert "子命令" in text and "export" in text


def test_demo_and_export_match_the_sources(installed: Installed, source_export: Path) -> None:
    locale = installed.prefix.locale
    # Both data files encrypted (SQLCipher): the one given by --db and the default one, which
    # the GUI test below opens with the same ZJTB_PASSWORD.
    demo = installed.cli("demo", "--db", DB_PATH, step=f"zjtb-cli demo ({locale})", ZJTB_PASSWORD=PASSWORD)
    assert demo.returncode == 0, demo.stdout[-2000:]
    default_demo = installed.cli(
        "demo", step=f"zjtb-cli demo, default data folder ({locale})", ZJTB_PASSWORD=PASSWORD
    )
    assert default_demo.returncode == 0, default_demo.stdout[-2000:]
    data_file = installed.host_path(DB_PATH)
    assert data_file.read_bytes()[:16] != b"SQLite format 3\x00"
    assert not re.search(rb"1[3-9]\d{9}", data_file.read_bytes()), "a phone number in the encrypted file"
    refused = installed.cli(
        "export",
        "--year",
        YEAR,
        "--out",
        OUT_PATH + "-refused",
        "--db",
        DB_PATH,
        step="export without password",
    )
    said = refused.stdout.decode("utf-8" if locale == "en_US" else installed.prefix.encoding, "replace")
    assert refused.returncode == 2 and "数据文件已加密，需要密码" in said and "Traceback" not in said, said
    exported = installed.cli(
        "export",
        "--year",
        YEAR,
        "--out",
        OUT_PATH,
        "--db",
        DB_PATH,
        step=f"zjtb-cli export ({locale})",
        ZJTB_PASSWORD=PASSWORD,
    )
    assert exported.returncode == 0, exported.stdout[-3000:]
    out = installed.host_path(OUT_PATH)
    ours = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    reference = sorted(str(p.relative_to(source_export)) for p in source_export.rglob("*") if p.is_file())
    assert len(ours) == EXPECTED_FILES and ours == reference
    for name in ours:
        assert _contents(out / name) == _contents(source_export / name), name
    # the figures of seed 003 in the exported self-evaluation
    texts = " ".join(str(v) for name in ours for v in _contents(out / name) if name.endswith(".xlsx"))
    assert "951.9" in texts and "99.5" in texts
    assert installed.host_path(DB_PATH).is_file()


def test_the_gui_starts_and_quits_when_ready(installed: Installed) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTEFACTS / f"gui-{installed.prefix.locale}.png"
    shot.unlink(missing_ok=True)
    trace = installed.prefix.path.parent / "startup-trace.txt"
    done = installed.prefix.run(
        [installed.exe(bundle.GUI_EXE), "--quit-when-ready"],
        step=f"zjtb.exe --quit-when-ready ({installed.prefix.locale})",
        timeout=240,
        ZJTB_STARTUP_TRACE=wine.windows_path(trace),
        ZJTB_READY_GRAB=wine.windows_path(shot),
        ZJTB_PASSWORD=PASSWORD,  # the default data file is encrypted (the demo test above)
    )
    assert done.returncode == 0
    lines = [line.split() for line in trace.read_text(encoding="utf-8").splitlines()]
    events = [line[0] for line in lines]
    assert events[:1] == ["first-paint"] and "ready" in events
    assert ["tr", "取消"] in [[line[0], *line[3:]] for line in lines], "Qt's Chinese translations not loaded"
    assert shot.is_file() and shot.stat().st_size > 10_000


def _windows_python(installed: Installed) -> str:
    python = windows_build.CACHE / "python" / "python.exe"
    if not python.is_file():
        pytest.fail(f"{python} missing: run python3 bootstrap.py build-windows first")
    return wine.windows_path(python)


def test_a_file_open_elsewhere_stops_the_export_with_a_message(installed: Installed) -> None:
    # GIVEN one exported workbook held open by another Windows program (as WPS holds what it shows)
    out = installed.host_path(OUT_PATH)
    target = next(p for p in sorted(out.rglob("*.xlsx")))
    before = target.read_bytes()
    windows_target = OUT_PATH + "\\" + "\\".join(target.relative_to(out).parts)
    holder = subprocess.Popen(
        [
            "wine",
            _windows_python(installed),
            "-c",
            "import sys, time; f = open(sys.argv[1], 'rb'); print('open', flush=True); time.sleep(300)",
            windows_target,
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=installed.prefix.env(),
    )
    try:
        assert holder.stdout is not None and b"open" in holder.stdout.readline()
        # WHEN the year is exported over it
        done = installed.cli(
            "export",
            "--year",
            YEAR,
            "--out",
            OUT_PATH,
            "--db",
            DB_PATH,
            step="export onto an open file",
            ZJTB_PASSWORD=PASSWORD,
        )
    finally:
        holder.kill()
        holder.wait(timeout=60)
    # THEN a Chinese message names the file, nothing is half-written, no traceback
    text = done.stdout.decode("utf-8" if installed.prefix.locale == "en_US" else installed.prefix.encoding)
    assert done.returncode == 2, text[-2000:]
    assert "Traceback" not in text and target.name in text and "WPS" in text
    assert target.read_bytes() == before
    leftovers = [p for p in out.parent.rglob("*") if p.is_file() and (".tmp" in p.name or ".part" in p.name)]
    assert leftovers == []


def test_a_second_start_brings_the_first_window_forward(installed: Installed) -> None:
    trace = installed.prefix.path.parent / "first-instance-trace.txt"
    trace.unlink(missing_ok=True)
    first = subprocess.Popen(
        ["wine", installed.exe(bundle.GUI_EXE)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=installed.prefix.env(ZJTB_STARTUP_TRACE=wine.windows_path(trace), ZJTB_PASSWORD=PASSWORD),
    )
    try:
        _wait_for(
            lambda: trace.is_file() and "ready" in trace.read_text(encoding="utf-8"), 180, "first window"
        )
        started = time.monotonic()
        second = installed.prefix.run([installed.exe(bundle.GUI_EXE)], step="second start", timeout=120)
        assert second.returncode == 0 and time.monotonic() - started < 60
        _wait_for(lambda: "activated" in trace.read_text(encoding="utf-8"), 30, "first window activated")
        assert first.poll() is None, "the first window must stay open"
    finally:
        first.kill()
        installed.prefix.kill()
        first.wait(timeout=60)


def test_the_program_wrote_nothing_beside_itself(installed: Installed) -> None:
    assert _listing(installed.folder) == installed.listing
    data = installed.prefix.user_folder("AppData", "Roaming", APP_ID)
    assert (data / "zjtb.sqlite3").is_file()


def test_installing_again_upgrades_in_place(installed: Installed, setup_exe: Path) -> None:
    stale = installed.folder / "_internal" / "left-by-an-older-version.dll"
    stale.write_bytes(b"old")
    folder = _install(installed.prefix, setup_exe)
    assert folder == installed.folder and not stale.exists()
    assert _listing(folder) == installed.listing
    entry = installed.prefix.user_registry(UNINSTALL_KEY)
    assert entry is not None and entry["DisplayVersion"] == __version__


def test_silent_install_into_a_chosen_folder(installed: Installed, setup_exe: Path) -> None:
    prefix = installed.prefix
    chosen = r"C:\软件 安装\住建 填报"
    # /D= comes last and unquoted, even with spaces (NSIS). Wine would quote one argument holding
    # spaces, so the path goes as its space-separated pieces: the command line the program gets is
    # then exactly what a clerk types.
    words = f"/D={chosen}".split(" ")
    prefix.run([wine.windows_path(setup_exe), "/S", *words], step="setup.exe /S /D=", timeout=600)
    folder = installed.host_path(chosen)
    _wait_for(lambda: (folder / "uninstall.exe").is_file(), 120, "uninstall.exe in the chosen folder")
    prefix.wait_idle()
    assert _listing(folder) == {
        **installed.listing,
        "uninstall.exe": (folder / "uninstall.exe").stat().st_size,
    }
    version = installed.cli("--version", step="installed --version")
    assert version.returncode == 0
    prefix.run([chosen + r"\uninstall.exe", "/S"], step="uninstall from the chosen folder", timeout=300)
    _wait_for(lambda: not folder.exists(), 120, "chosen folder removed")
    prefix.wait_idle()
    # It was the same program, so it took over the one uninstall entry; the original folder is put
    # back for the tests that follow.
    _install(prefix, setup_exe)


def test_uninstall_removes_the_program_and_keeps_the_data(installed: Installed) -> None:
    prefix, folder = installed.prefix, installed.folder
    prefix.run(
        [rf"{installed.exe('uninstall')}", "/S"], step=f"uninstall.exe /S ({prefix.locale})", timeout=300
    )
    # The uninstaller copies itself to %TEMP% and runs from there: wait for the folder to go.
    _wait_for(lambda: not folder.exists(), 120, "program folder removed")
    prefix.wait_idle()
    assert not (_start_menu(prefix) / f"{APP_NAME}.lnk").exists()
    assert not (_desktop(prefix) / f"{APP_NAME}.lnk").exists()
    assert prefix.user_registry(UNINSTALL_KEY) is None
    data = prefix.user_folder("AppData", "Roaming", APP_ID)
    assert (data / "zjtb.sqlite3").is_file(), "the data folder must survive an uninstall"
    assert installed.host_path(DB_PATH).is_file()


def test_the_installer_carries_no_test_device(setup_exe: Path) -> None:
    listing = subprocess.run(
        ["7z", "l", "-ba", "-slt", str(setup_exe)], capture_output=True, text=True, timeout=300, check=True
    ).stdout
    paths = [line[7:] for line in listing.splitlines() if line.startswith("Path = ")]
    assert any(p.endswith(f"{bundle.GUI_EXE}.exe") for p in paths)
    assert not [p for p in paths if "icuuc" in p.lower() or Path(p).stem.lower() == "icu"]
