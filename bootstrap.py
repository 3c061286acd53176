"""Set up a fresh machine and run the app or its tests — README's two commands:

    python3 bootstrap.py run     # install what is missing, then start 住建填报助手
    python3 bootstrap.py test    # install what is missing, then run the test suite

and, for us, the packages users install (README, "打包"):

    python3 bootstrap.py build-windows   # dist/*-setup.exe, built under Wine (tools/windows_build.py)
    python3 bootstrap.py build-deb       # dist/*.deb for Debian 12 / 统信UOS / 麒麟 (tools/deb_package.py)

Works on Windows (`py -3.11 bootstrap.py run`) and on Debian/统信UOS/麒麟 Linux. On Debian-like
systems, run as root (or with sudo available) it installs the system libraries Qt needs and the
Chinese fonts with apt. Python packages go into `.venv` beside this file, from the pinned
requirements files; a second run skips whatever is already installed. Arguments after the
command go to the app (`run --db x.sqlite3`) or to pytest (`test -k budget`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)

# Qt offscreen/xcb and Chinese text on a bare Debian 12 (measured with debootstrap).
APT_QT = [
    "libgl1",
    "libegl1",
    "libxkbcommon0",
    "libglib2.0-0",
    "libfontconfig1",
    "libdbus-1-3",
    "fonts-noto-cjk",
]
APT_WINDOW = ["libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0"]
APT_PYTHON = ["python3-venv", "python3-pip"]
# What the bundle tests use: strip (binutils) for the build, a virtual screen for the bundled GUI, and
# strace (with util-linux's unshare) for the no-network run; without them those tests would skip.
APT_TEST = ["binutils", "xvfb", "xauth", "strace", "util-linux"]


def say(text: str) -> None:
    print(f"[bootstrap] {text}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _missing_debs(packages: list[str]) -> list[str]:
    missing = []
    for package in packages:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
        )
        if "install ok installed" not in status.stdout:
            missing.append(package)
    return missing


def install_system_packages(packages: list[str]) -> None:
    if sys.platform != "linux" or not shutil.which("apt-get") or not shutil.which("dpkg-query"):
        return
    missing = _missing_debs(packages)
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            say(f"缺少系统软件包：{' '.join(missing)}；请以 root 身份安装后重试。")
            return
        prefix = ["sudo"]
    say(f"安装系统软件包：{' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env
    )


def ensure_venv() -> None:
    if venv_python().exists():
        return
    say(f"创建虚拟环境 {VENV}")
    try:
        import ensurepip  # noqa: F401
    except ImportError:
        install_system_packages(APT_PYTHON)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)


def ensure_requirements(requirements: str) -> None:
    files = sorted(ROOT.glob("requirements*.txt"))
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = VENV / f".installed-{Path(requirements).stem}"
    if stamp.exists() and stamp.read_text().strip() == digest:
        return
    say(f"安装 Python 依赖（{requirements}）")
    python = str(venv_python())
    subprocess.run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=False)
    subprocess.run([python, "-m", "pip", "install", "-q", "-r", str(ROOT / requirements)], check=True)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        say(f"需要 Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} 或更高版本，当前为 {sys.version.split()[0]}")
        return 2
    if not argv or argv[0] not in ("run", "test", "build-windows", "build-deb"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        install_system_packages(APT_QT + APT_WINDOW)
        ensure_venv()
        ensure_requirements("requirements.txt")
        return subprocess.call([str(venv_python()), str(ROOT / "main.py"), *rest], cwd=ROOT)
    if command in ("build-windows", "build-deb"):
        # Both build tools install their own system packages (wine, nsis, dpkg-dev …) when they start.
        install_system_packages(APT_QT + APT_WINDOW + APT_TEST)
        ensure_venv()
        ensure_requirements("requirements-dev.txt")
        module = "tools.windows_build" if command == "build-windows" else "tools.deb_package"
        return subprocess.call([str(venv_python()), "-m", module, *rest], cwd=ROOT)
    install_system_packages(APT_QT + APT_WINDOW + APT_TEST)
    ensure_venv()
    ensure_requirements("requirements-dev.txt")
    code = subprocess.call([str(venv_python()), "-m", "pytest", *rest], cwd=ROOT)
    if rest:
        return code
    # The whole suite a second time on encrypted data files (tests/conftest.py, ZJTB_TEST_ENCRYPTED);
    # the installers' tests ran on encrypted files in the first pass already.
    say("再用加密的数据文件（SQLCipher）运行一遍测试……")
    encrypted = subprocess.call(
        [str(venv_python()), "-m", "pytest", "-m", "not slow and not deb and not windows"],
        cwd=ROOT,
        env={**os.environ, "ZJTB_TEST_ENCRYPTED": "1"},
    )
    return code or encrypted


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
