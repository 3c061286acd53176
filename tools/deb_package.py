"""The .deb for Debian 12 / 统信UOS / 银河麒麟 (amd64): the Linux bundle (tools/bundle.py) under /opt.

    python -m tools.deb_package                  # build dist/zjtb, then dist/zhujian-tianbao_<ver>_amd64.deb
    python -m tools.deb_package --bundle DIR     # package a bundle already built (or set ZJTB_BUNDLE_DIR)

What goes where in the package:

    /opt/zhujian-tianbao/                        the bundle as built (zjtb, zjtb-cli, _internal/)
    /usr/bin/zjtb, /usr/bin/zjtb-cli             symlinks into /opt (the bootloader resolves them)
    /usr/share/applications/zhujian-tianbao.desktop
    /usr/share/icons/hicolor/{scalable,48x48,128x128,256x256}/apps/zhujian-tianbao.{svg,png}
    /usr/share/doc/zhujian-tianbao/copyright

Depends comes from dpkg-shlibdeps over every ELF file of the bundle (the libraries the bundle carries
need no package: see shlibs_local) plus RUNTIME_DEPENDS, what the program uses without linking to it.
No maintainer scripts. The facts of the build (size, file count, minimum glibc, Depends, time) go to
zjtb-deb-facts.json beside the .deb. Set ZJTB_DEB_MAINTAINER to "名称 <email>" for the Maintainer field.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tools import bundle

ROOT = bundle.ROOT
DIST = bundle.DIST
PACKAGE = "zhujian-tianbao"
ARCH = "amd64"
INSTALL_DIR = Path("/opt") / PACKAGE
DESKTOP_ID = PACKAGE  # the .desktop file's name and the icon's name
APP_SVG = ROOT / "resources" / "icons" / "app.svg"
PNG_SIZES = (48, 128, 256)
FACTS_NAME = "zjtb-deb-facts.json"
MAINTAINER = os.environ.get("ZJTB_DEB_MAINTAINER", "住建填报助手维护组 <zjtb-maintainers@example.invalid>")

# dpkg-shlibdeps (dpkg-dev) and objdump (binutils), which it calls too.
APT_BUILD = ["dpkg-dev", "binutils"]

# What the bundle uses without linking to it, so dpkg-shlibdeps cannot see it (found by running the
# installed GUI as a user on a bare X server under strace): a Chinese font for every label, the
# configuration the bundled libfontconfig reads from /etc/fonts (without it Qt finds no font at all),
# and the locale tables the bundled libX11 reads from /usr/share/X11/locale. The X libraries Qt's xcb
# plugin links to are in the bundle when the build machine had them (install_build_tools sees to
# that); any the bundle lacks, dpkg-shlibdeps finds on the system and names.
RUNTIME_DEPENDS = [
    "fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei",
    "fontconfig-config",
    "libx11-data",
]

# dpkg-deb -Z…: the dpkg of 统信UOS 20 and 麒麟 V10 (1.19) reads xz and gzip, not zstd. Measured on the
# 2-core CI machine (157 MB bundle; dpkg 1.21 compressed with one thread): xz -6 42.6 MB in 90 s,
# xz -3 46.7 MB in 42 s, gzip 59.7 MB in 23 s, zstd 58.6 MB in 1 s. Level 3 halves the time for 10 %.
COMPRESSION = {"xz": ["-Zxz", "-z3"], "xz-best": ["-Zxz", "-z9"], "gzip": ["-Zgzip"], "zstd": ["-Zzstd"]}

DESCRIPTION = """\
住建填报助手 - reporting assistant for housing and construction offices
 县级住建单位的预算绩效、安全监督、信访与巡察整改填报工具：录入和校验数据，
 一键导出上级要求的全部 Excel 表格和 Word 报告。数据保存在本机（或单位的
 PostgreSQL 数据库），程序不联网。
 .
 A desktop tool for county-level housing and construction offices: enter and
 check budget performance, safety supervision, petition and inspection
 rectification data, and export the Excel tables and Word reports required
 each year. Data stays on the computer (or the office's PostgreSQL server);
 the program makes no network connections."""

DESKTOP_ENTRY = """\
[Desktop Entry]
Type=Application
Name=住建填报助手
GenericName=填报工具
Comment=县级住建单位的预算绩效、安全监督、信访与巡察整改填报与导出
Keywords=住建;填报;预算绩效;安全监督;信访;巡察整改;Excel;Word;
Exec=zjtb
TryExec=zjtb
Icon={icon}
Terminal=false
Categories=Office;
StartupNotify=true
StartupWMClass=zjtb
"""

COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: 住建填报助手 (zhujian-tianbao)
Comment:
 The program is a PyInstaller bundle under /opt/zhujian-tianbao. Besides the
 program itself it carries, unmodified, the Python {python} runtime and these
 libraries, each under its own licence: Qt 6 and PySide6/shiboken6 (LGPL-3),
 SQLAlchemy, alembic, Mako, MarkupSafe, platformdirs, XlsxWriter, openpyxl,
 et_xmlfile, python-docx (MIT/BSD), lxml (BSD-3-Clause, with libxml2/libxslt,
 MIT), psycopg (LGPL-3) with libpq (PostgreSQL licence), ICU (Unicode licence),
 and shared libraries copied from Debian 12 (see /usr/share/doc/<package> of
 the Debian package of the same name for their terms).

Files: *
Copyright: 住建填报助手维护组
License: proprietary
 No licence has been published for this program yet; ask the maintainers.
"""


def say(text: str) -> None:
    print(f"[deb] {text}", flush=True)


# -- tools and the bundle --------------------------------------------------------------------------


def install_build_tools() -> None:
    """apt-get what is missing. The Qt libraries too: PyInstaller copies the system libraries it finds,
    and dpkg-shlibdeps must find the rest to name their packages, so the machine needs what
    `bootstrap.py run` installs."""
    import bootstrap  # beside tools/, like `app`

    bootstrap.install_system_packages([*APT_BUILD, *bootstrap.APT_QT, *bootstrap.APT_WINDOW])
    missing = [tool for tool in ("dpkg-deb", "dpkg-shlibdeps", "objdump") if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: apt-get install {' '.join(APT_BUILD)}")


def bundle_folder(given: str | None) -> Path:
    folder = Path(given) if given else bundle.build()
    for name in (bundle.GUI_EXE, bundle.CLI_EXE):
        if not (folder / name).is_file():
            raise SystemExit(f"{folder} is not a built bundle: {name} is missing")
    return folder.resolve()


def debian_version(version: str) -> str:
    """PEP 440 → Debian ordering: pre-releases and dev builds sort before the release ('1.0rc1' →
    '1.0~rc1')."""
    return re.sub(r"\.?(a|b|rc|dev)(\d*)", r"~\1\2", version)


def app_version() -> str:
    from app import __version__

    return debian_version(__version__)


# -- ELF files ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Elf:
    """What `objdump -p` says about one ELF file of the bundle."""

    path: Path
    soname: str
    needed: frozenset[str]
    glibc: tuple[int, ...]  # the highest GLIBC_x.y its "Version References" ask for

    @property
    def is_library(self) -> bool:
        return ".so" in self.path.name


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


def read_elf(path: Path) -> Elf:
    text = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=True).stdout
    soname = re.search(r"^\s*SONAME\s+(\S+)", text, re.MULTILINE)
    references = text.partition("Version References:")[2]
    versions = [tuple(map(int, v.split("."))) for v in re.findall(r"\bGLIBC_(\d+(?:\.\d+)+)\b", references)]
    return Elf(
        path=path,
        soname=soname.group(1) if soname else path.name,
        needed=frozenset(re.findall(r"^\s*NEEDED\s+(\S+)", text, re.MULTILINE)),
        glibc=max(versions, default=()),
    )


def elf_files(folder: Path) -> list[Elf]:
    return [read_elf(p) for p in sorted(folder.rglob("*")) if is_elf(p)]


def minimum_glibc(elves: Iterable[Elf]) -> str:
    return ".".join(map(str, max((e.glibc for e in elves), default=(2, 2, 5))))


# -- the package tree -----------------------------------------------------------------------------


def copy_bundle(source: Path, root: Path) -> Path:
    target = root / INSTALL_DIR.relative_to("/")
    shutil.copytree(source, target, symlinks=True)
    return target


def link_commands(root: Path) -> None:
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for name in (bundle.GUI_EXE, bundle.CLI_EXE):
        (bin_dir / name).symlink_to(INSTALL_DIR / name)


def pngs_from_ico(ico: bytes) -> dict[int, bytes]:
    """The PNG images of an .ico written by `bundle.make_icon`, by size (0 in the entry means 256)."""
    _reserved, _kind, count = struct.unpack_from("<HHH", ico)
    images = {}
    for index in range(count):
        side, _h, _c, _r, _p, _bits, length, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * index)
        images[side or 256] = ico[offset : offset + length]
    return images


def write_icons(root: Path, work: Path) -> None:
    """The SVG as the scalable icon, and PNGs rendered from it by Qt for menus that want bitmaps."""
    hicolor = root / "usr" / "share" / "icons" / "hicolor"
    scalable = hicolor / "scalable" / "apps" / f"{DESKTOP_ID}.svg"
    scalable.parent.mkdir(parents=True)
    shutil.copyfile(APP_SVG, scalable)
    ico = bundle.make_icon(APP_SVG, work / "app.ico", sizes=PNG_SIZES)
    for size, png in pngs_from_ico(ico.read_bytes()).items():
        target = hicolor / f"{size}x{size}" / "apps" / f"{DESKTOP_ID}.png"
        target.parent.mkdir(parents=True)
        target.write_bytes(png)


def write_desktop_entry(root: Path) -> None:
    # Exec has no %f: the program takes no file to open (only --db PATH). StartupWMClass: the window's
    # WM_CLASS is ("zjtb", "住建填报助手"); docks match the first (the program's name).
    path = root / "usr" / "share" / "applications" / f"{DESKTOP_ID}.desktop"
    path.parent.mkdir(parents=True)
    path.write_text(DESKTOP_ENTRY.format(icon=DESKTOP_ID), encoding="utf-8")


def write_copyright(root: Path) -> None:
    doc = root / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    (doc / "copyright").write_text(COPYRIGHT.format(python=python), encoding="utf-8")


def normalize_modes(root: Path) -> None:
    """0755 for folders and programs, 0644 for the rest (shared libraries too, as Debian has them),
    whatever the wheels and the umask left."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        program = path.is_file() and path.stat().st_mode & 0o111 and ".so" not in path.name
        path.chmod(0o755 if path.is_dir() or program else 0o644)


def installed_size_kib(root: Path) -> int:
    """As dpkg-gencontrol counts it: each file rounded up to a KiB, one for each folder and symlink."""
    total = 0
    for path in root.rglob("*"):
        if path.is_symlink() or path.is_dir():
            total += 1
        else:
            total += math.ceil(path.stat().st_size / 1024)
    return total


# -- DEBIAN/control -------------------------------------------------------------------------------


def shlibs_local(elves: list[Elf]) -> str:
    """A debian/shlibs.local line with no dependency for each library the bundle carries: whatever
    links to one of them loads the bundle's copy (found by RUNPATH, or in _internal, which the
    bootloader puts in LD_LIBRARY_PATH), so no package has to provide it. Without this
    dpkg-shlibdeps, finding no package for the bundled copy, falls back on the system's and asks for
    libx11-6, libssl3, libglib2.0-0 … Not for what the bootloaders (zjtb, zjtb-cli) link to: they
    start before LD_LIBRARY_PATH is set, so libz.so.1 comes from the system (zlib1g)."""
    from_system = {name for e in elves if not e.is_library for name in e.needed}
    lines = set()
    for library in (e for e in elves if e.is_library and e.soname not in from_system):
        # "<name>.so.<version>" and "<name>-<version>.so", as dpkg-shlibdeps splits a SONAME
        found = re.fullmatch(r"(.+)\.so\.(.+)", library.soname) or re.fullmatch(
            r"(.+)-(\d.*)\.so", library.soname
        )
        if found:
            lines.add(f"{found.group(1)} {found.group(2)}")
    return "".join(f"{line}\n" for line in sorted(lines))


def shlib_depends(elves: list[Elf], work: Path) -> str:
    """dpkg-shlibdeps over the bundle, run in `work`, where it finds the debian/control it insists on
    and the debian/shlibs.local that clears the bundle's own libraries (found with -l)."""
    (work / "debian").mkdir()
    (work / "debian" / "control").write_text(
        f"Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: {ARCH}\n", encoding="utf-8"
    )
    (work / "debian" / "shlibs.local").write_text(shlibs_local(elves), encoding="utf-8")
    command = [
        "dpkg-shlibdeps",
        "-O",
        "--ignore-missing-info",  # extension modules and other unversioned files of no package
        "--warnings=0",  # "useless dependency" notes about PyInstaller's choice of libraries
        *(f"-l{folder}" for folder in sorted({e.path.parent for e in elves if e.is_library})),
        *(str(e.path) for e in elves),
    ]
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(
            f"dpkg-shlibdeps failed: {done.stderr.strip()}\n"
            "A library the bundle links to is not installed here: install the package that has it."
        )
    line = next(x for x in done.stdout.splitlines() if x.startswith("shlibs:Depends="))
    return line.partition("=")[2].strip()


def merge_depends(*groups: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            if item.strip():
                seen.setdefault(item.strip(), None)
    return ", ".join(seen)


def control_text(version: str, depends: str, installed_kib: int) -> str:
    fields = {
        "Package": PACKAGE,
        "Version": version,
        "Architecture": ARCH,
        "Maintainer": MAINTAINER,
        "Installed-Size": str(installed_kib),
        "Depends": depends,
        "Section": "misc",
        "Priority": "optional",
        "Description": DESCRIPTION,
    }
    return "".join(f"{key}: {value}\n" for key, value in fields.items())


def md5sums_text(root: Path) -> str:
    """DEBIAN/md5sums, so that `dpkg --verify zhujian-tianbao` can tell a damaged installation."""
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.relative_to(root).parts[0] != "DEBIAN":
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            lines.append(f"{digest}  {path.relative_to(root).as_posix()}\n")
    return "".join(lines)


def write_control(root: Path, control: str) -> None:
    """DEBIAN/ with control and md5sums only: no maintainer scripts, since dpkg's triggers refresh
    the menu and icon caches (desktop-file-utils, hicolor-icon-theme) and nothing else needs doing."""
    debian = root / "DEBIAN"
    debian.mkdir(mode=0o755)
    for name, text in (("md5sums", md5sums_text(root)), ("control", control)):
        (debian / name).write_text(text, encoding="utf-8")
        (debian / name).chmod(0o644)


# -- building -------------------------------------------------------------------------------------


def build_deb(root: Path, target: Path, compression: str) -> float:
    """dpkg-deb into a temporary file beside the target, renamed into place when complete; returns
    the seconds dpkg-deb took. --root-owner-group: every file root:root without fakeroot."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    started = time.perf_counter()
    try:
        command = ["dpkg-deb", "--root-owner-group", *COMPRESSION[compression], "--build"]
        subprocess.run([*command, str(root), str(temporary)], check=True, stdout=subprocess.DEVNULL)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return time.perf_counter() - started


def write_facts(facts: dict[str, object], out_dir: Path) -> None:
    temporary = out_dir / f".{FACTS_NAME}.tmp"
    temporary.write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, out_dir / FACTS_NAME)


def stage(root: Path, work: Path, source: Path) -> Path:
    installed = copy_bundle(source, root)
    link_commands(root)
    write_desktop_entry(root)
    write_icons(root, work)
    write_copyright(root)
    normalize_modes(root)
    return installed


def package(source: Path, out_dir: Path, compression: str) -> dict[str, object]:
    version = app_version()
    target = out_dir / f"{PACKAGE}_{version}_{ARCH}.deb"
    out_dir.mkdir(parents=True, exist_ok=True)
    bundle.WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="deb-", dir=bundle.WORK) as temp:
        root, work = Path(temp) / "root", Path(temp) / "work"
        work.mkdir()
        installed = stage(root, work, source)
        elves = elf_files(installed)
        say(f"dpkg-shlibdeps over {len(elves)} ELF files")
        depends = merge_depends(shlib_depends(elves, work).split(","), RUNTIME_DEPENDS)
        write_control(root, control_text(version, depends, installed_size_kib(root)))
        say(f"dpkg-deb {' '.join(COMPRESSION[compression])}")
        seconds = build_deb(root, target, compression)
        files = len((root / "DEBIAN" / "md5sums").read_text(encoding="utf-8").splitlines())
        return {
            "deb": target.name,
            "path": str(target),
            "size_bytes": target.stat().st_size,
            "files": files,
            "glibc_min": minimum_glibc(elves),
            "depends": depends,
            "compression": compression,
            "compress_seconds": round(seconds, 1),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.deb_package", description=__doc__.splitlines()[0])
    bundle_dir = os.environ.get("ZJTB_BUNDLE_DIR")
    parser.add_argument("--bundle", metavar="DIR", default=bundle_dir, help="an already built dist/zjtb")
    parser.add_argument("--out", metavar="DIR", type=Path, default=DIST, help="where the .deb goes (dist/)")
    parser.add_argument(
        "--compression", choices=sorted(COMPRESSION), default="xz", help="xz (level 3) by default"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    install_build_tools()
    facts = package(bundle_folder(args.bundle), args.out, args.compression)
    facts["build_seconds"] = round(time.perf_counter() - started, 1)
    write_facts(facts, args.out)
    say(
        f"{facts['path']}: {int(facts['size_bytes']) / 1e6:.1f} MB, {facts['files']} files, "
        f"glibc ≥ {facts['glibc_min']}, built in {facts['build_seconds']} s"
    )
    say(f"Depends: {facts['depends']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
