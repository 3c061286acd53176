"""The .deb (tools/deb_package.py) installed with apt, used by an ordinary user and removed again, as on
a clerk's computer. It changes this machine: run it as root where that is fine (CI does).

    ZJTB_DEB=dist/zhujian-tianbao_0.1.0_amd64.deb pytest -m deb

Skipped without ZJTB_DEB; with ZJTB_REQUIRE_DEB=1 a missing package (or not being root) fails instead.
Creates the user `zjtbci` if missing and resets its data folder; the last test removes the package.
"""

from __future__ import annotations

import configparser
import os
import pwd
import shutil
import signal
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.test_bundle import _files, _run, _source, _unexpected
from tools import bundle, deb_package

pytestmark = [pytest.mark.slow, pytest.mark.deb, pytest.mark.timeout(900)]

USER = "zjtbci"
INSTALL_DIR = deb_package.INSTALL_DIR
COMMANDS = [Path("/usr/bin") / name for name in (bundle.GUI_EXE, bundle.CLI_EXE)]
DESKTOP_FILE = Path("/usr/share/applications") / f"{deb_package.DESKTOP_ID}.desktop"
HICOLOR = Path("/usr/share/icons/hicolor")
APT_ENV = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    home: Path

    @property
    def data_dir(self) -> Path:
        return self.home / ".local" / "share" / "ZhujianTianbao"  # platformdirs' XDG folder

    @property
    def export_dir(self) -> Path:
        return self.home / "导出"


def run(command: list[str], *, timeout: float, cwd: Path | None = None, env: dict[str, str] | None = None):
    """subprocess.run, but a timeout kills the whole process group (runuser, xvfb-run, Xvfb …)."""
    with subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            pytest.fail(f"{command} did not finish in {timeout} s\n{out}\n{err}")
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def as_user(user: User, *command: str, timeout: float = 120, **extra: str):
    """The command run by `user` in a clean environment, as a desktop session would start it."""
    env = {
        "HOME": str(user.home),
        "USER": user.name,
        "LOGNAME": user.name,
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        **extra,
    }
    variables = [f"{key}={value}" for key, value in env.items()]
    return run(
        ["runuser", "-u", user.name, "--", "env", "-i", *variables, *command], timeout=timeout, cwd=user.home
    )


def _unavailable(reason: str) -> None:
    if os.environ.get("ZJTB_REQUIRE_DEB") == "1":
        pytest.fail(f"ZJTB_REQUIRE_DEB=1 but {reason}")
    pytest.skip(reason)


def _installed_version() -> str | None:
    done = run(["dpkg-query", "-W", "-f=${Status} ${Version}", deb_package.PACKAGE], timeout=30)
    status, _, version = done.stdout.rpartition(" ")
    return version if status == "install ok installed" else None


def _apt(*args: str, timeout: float = 600):
    return run(["apt-get", *args], timeout=timeout, env=APT_ENV)


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deb_file() -> Path:
    given = os.environ.get("ZJTB_DEB")
    if not given:
        _unavailable("ZJTB_DEB is not set (python3 bootstrap.py build-deb writes dist/*.deb)")
    path = Path(given).resolve()
    if not path.is_file():
        _unavailable(f"ZJTB_DEB={given}: no such file")
    if os.geteuid() != 0:
        _unavailable("installing a .deb needs root")
    for tool in ("apt-get", "dpkg-query", "runuser", "useradd"):
        if shutil.which(tool) is None:
            _unavailable(f"{tool} is missing")
    return path


@pytest.fixture(scope="module")
def installed(deb_file: Path):
    # apt, not dpkg -i: it installs what Depends names, as a clerk's "sudo apt install ./…deb" does.
    done = _apt("install", "-y", str(deb_file))
    if done.returncode != 0:  # stale package lists: refresh once
        _apt("update", "-qq")
        done = _apt("install", "-y", str(deb_file))
    assert done.returncode == 0, done.stdout + done.stderr
    yield deb_file
    if _installed_version() is not None:
        _apt("remove", "-y", deb_package.PACKAGE)


@pytest.fixture(scope="module")
def user(installed: Path) -> User:
    """An ordinary user with a fresh data folder (the account stays for the next run)."""
    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        done = run(["useradd", "--create-home", "--shell", "/bin/bash", USER], timeout=60)
        assert done.returncode == 0, done.stderr
        entry = pwd.getpwnam(USER)
    found = User(USER, entry.pw_uid, Path(entry.pw_dir))
    assert found.home.is_dir()
    for folder in (found.data_dir, found.export_dir):
        shutil.rmtree(folder, ignore_errors=True)
    return found


def _example_data(user: User) -> Path:
    db = user.data_dir / "zjtb.sqlite3"
    if not db.exists():
        demo = as_user(user, "zjtb-cli", "demo")
        assert demo.returncode == 0, demo.stderr
        assert "已载入示例数据" in demo.stdout
    assert db.is_file() and db.stat().st_uid == user.uid
    return db


def _export(user: User):
    return as_user(user, "zjtb-cli", "export", "--year", "2023", "--out", str(user.export_dir))


# -- installed -----------------------------------------------------------------------------------


def test_apt_installs_the_program_under_opt_with_commands_in_usr_bin(installed: Path) -> None:
    assert _installed_version() == deb_package.app_version()
    for command in COMMANDS:
        assert command.resolve() == INSTALL_DIR / command.name
    version = run([str(COMMANDS[1]), "--version"], timeout=60)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip().endswith(deb_package.app_version())
    # root:root, nothing writable by others, and every file as shipped (DEBIAN/md5sums)
    for path in [INSTALL_DIR, *INSTALL_DIR.rglob("*")]:
        info = path.lstat()
        assert (info.st_uid, info.st_gid) == (0, 0), path
        assert path.is_symlink() or info.st_mode & 0o022 == 0, path
    verify = run(["dpkg", "--verify", deb_package.PACKAGE], timeout=120)
    assert (verify.returncode, verify.stdout) == (0, ""), verify.stdout + verify.stderr


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_the_menu_entry_is_valid_and_its_icon_is_installed(installed: Path) -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(DESKTOP_FILE, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Name"] == "住建填报助手"
    assert desktop["Exec"] == bundle.GUI_EXE  # no %f: the program opens no file named on its command line
    assert "Office" in desktop["Categories"].split(";")
    icon = desktop["Icon"]
    assert (HICOLOR / "scalable" / "apps" / f"{icon}.svg").is_file()
    assert _png_size(HICOLOR / "256x256" / "apps" / f"{icon}.png") == (256, 256)

    import bootstrap

    bootstrap.install_system_packages(["desktop-file-utils"])
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is not available")
    validated = run(["desktop-file-validate", str(DESKTOP_FILE)], timeout=60)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "error" not in (validated.stdout + validated.stderr).lower()


# -- used by an ordinary user --------------------------------------------------------------------


def test_a_user_loads_the_example_and_exports_the_year(user: User, tmp_path: Path) -> None:
    # GIVEN the example unit in the user's own data folder
    db = _example_data(user)

    # WHEN the user exports 2023 with the installed program
    exported = _export(user)
    assert exported.returncode == 0, exported.stderr

    # THEN the files are those the sources write from the same data (22 for the example year),
    # in the user's home and owned by the user
    source_db = tmp_path / "source.sqlite3"
    shutil.copyfile(db, source_db)
    source_out = tmp_path / "导出"
    reference = _run(
        [*_source(), "export", "--year", "2023", "--out", str(source_out), "--db", str(source_db)], tmp_path
    )
    assert reference.returncode == 0, reference.stderr
    written, expected = _files(user.export_dir), _files(source_out)
    assert sorted(written) == sorted(expected)
    assert f"的 {len(written)} 个文件到" in exported.stdout
    assert len(written) >= 22
    assert all(size > 0 for size in written.values())
    assert all(p.stat().st_uid == user.uid for p in user.export_dir.rglob("*"))


def test_the_installed_gui_starts_on_x11_and_quits_cleanly(user: User) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.skip("needs xvfb-run (apt-get install xvfb xauth)")
    _example_data(user)
    trace = user.home / "zjtb-startup-trace.txt"
    trace.unlink(missing_ok=True)
    screen = "-screen 0 1366x768x24"
    done = as_user(
        user, "xvfb-run", "-a", "-s", screen, "zjtb", "--quit-when-ready", ZJTB_STARTUP_TRACE=str(trace)
    )
    assert done.returncode == 0, done.stderr
    assert _unexpected(done.stderr) == []
    events = [line.split(" ", 1)[0] for line in trace.read_text(encoding="utf-8").splitlines()]
    assert "ready" in events, events


# -- removed -------------------------------------------------------------------------------------


def test_apt_remove_takes_the_program_and_leaves_the_users_data(user: User) -> None:
    # GIVEN a user who has worked with the program
    db = _example_data(user)
    if not user.export_dir.exists():
        assert _export(user).returncode == 0
    exported = _files(user.export_dir)

    # WHEN the package is removed
    done = _apt("remove", "-y", deb_package.PACKAGE)
    assert done.returncode == 0, done.stdout + done.stderr

    # THEN the program, its commands and its menu entry are gone, the user's data is not
    assert _installed_version() is None
    assert not INSTALL_DIR.exists()
    for path in [*COMMANDS, DESKTOP_FILE]:
        assert not path.exists() and not path.is_symlink(), path
    assert db.is_file()
    assert _files(user.export_dir) == exported
