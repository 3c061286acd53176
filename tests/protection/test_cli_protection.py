"""The command line on encrypted files: ZJTB_PASSWORD, the refusal without it, `protect`, and what
the data folder holds afterwards (no phone number anywhere; modes 0600/0700)."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.protection.files import SQLITE_HEADER

ROOT = Path(__file__).resolve().parents[2]
PHONE = re.compile(rb"1[3-9]\d{9}")
PASSWORD = "县住建 密码-1"


def run(*args: str, data: Path, umask: int | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "ZJTB_DATA_DIR": str(data), "PYTHONIOENCODING": "utf-8", **env}
    for name in ("DATABASE_URL", "ZJTB_PASSWORD", "ZJTB_NEW_PASSWORD"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        encoding="utf-8",
        env=full,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=240,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_demo_export_backup_leave_no_phone_in_the_data_folder(tmp_path: Path):
    data = tmp_path / "数据 文件夹"
    demo = run("demo", data=data, umask=0o022, ZJTB_PASSWORD=PASSWORD)
    assert demo.returncode == 0, demo.stderr
    assert "数据文件已加密" in demo.stdout and "恢复码" in demo.stdout
    db = data / "zjtb.sqlite3"
    assert db.read_bytes()[:16] != SQLITE_HEADER

    refused = run("export", "--year", "2023", "--out", str(tmp_path / "x"), data=data)
    assert refused.returncode == 2
    assert refused.stderr.startswith("错误：数据文件已加密，需要密码……"), refused.stderr
    assert not (tmp_path / "x").exists()
    wrong = run("check", "--year", "2023", data=data, ZJTB_PASSWORD="not the one")
    assert wrong.returncode == 2 and "密码不正确" in wrong.stderr and "Traceback" not in wrong.stderr

    out = tmp_path / "导出"
    exported = run("export", "--year", "2023", "--out", str(out), data=data, ZJTB_PASSWORD=PASSWORD)
    assert exported.returncode == 0, exported.stderr
    assert "已导出 汨罗市建筑工程服务中心 2023 年度的 22 个文件" in exported.stdout
    # a backup, taken as the GUI takes it, and a pre-migration copy's folder
    code = (
        "import sys; from pathlib import Path; from app.protection.unlock import unlock;"
        "from app.backup import backup_sqlite; p = Path(sys.argv[1]); unlock(p, sys.argv[2]);"
        "print(backup_sqlite(p, p.parent / 'backups', 'manual'))"
    )
    backup = subprocess.run(
        [sys.executable, "-c", code, str(db), PASSWORD],
        cwd=ROOT,
        env={**os.environ, "ZJTB_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    assert backup.returncode == 0, backup.stderr
    files = _files(data)
    names = {p.name for p in files}
    assert {"zjtb.sqlite3", "zjtb.sqlite3.key"} <= names
    assert any(name.endswith("-manual.sqlite3") for name in names)
    leaking = [p for p in files if PHONE.search(p.read_bytes())]
    assert leaking == []
    if os.name == "posix":
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        for folder in [data, *(p for p in data.rglob("*") if p.is_dir())]:
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_demo_takes_a_script_s_short_password_as_it_is(tmp_path: Path):
    """The issue's own example, ZJTB_PASSWORD=x: the example data is fictional, the script chose."""
    db = tmp_path / "F"
    done = run("demo", "--db", str(db), data=tmp_path / "d", ZJTB_PASSWORD="x")
    assert done.returncode == 0, done.stderr
    assert db.read_bytes()[:16] != SQLITE_HEADER
    refused = run(
        "export", "--year", "2023", "--out", str(tmp_path / "o"), "--db", str(db), data=tmp_path / "d"
    )
    assert refused.returncode == 2 and "错误：数据文件已加密，需要密码" in refused.stderr
    exported = run(
        "export",
        "--year",
        "2023",
        "--out",
        str(tmp_path / "o"),
        "--db",
        str(db),
        data=tmp_path / "d",
        ZJTB_PASSWORD="x",
    )
    assert exported.returncode == 0, exported.stderr
    assert "22 个文件" in exported.stdout


def test_demo_without_password_stays_plaintext(tmp_path: Path):
    done = run("demo", "--db", str(tmp_path / "p.sqlite3"), data=tmp_path / "d")
    assert done.returncode == 0
    assert (tmp_path / "p.sqlite3").read_bytes()[:16] == SQLITE_HEADER


def test_protect_encrypts_then_changes_the_password(tmp_path: Path):
    db = tmp_path / "单位 数据.sqlite3"
    data = tmp_path / "d"
    assert run("demo", "--db", str(db), data=data).returncode == 0
    short = run("protect", "--db", str(db), data=data, ZJTB_NEW_PASSWORD="abc")
    assert short.returncode == 1 and "密码至少 6 位" in short.stderr
    assert db.read_bytes()[:16] == SQLITE_HEADER
    done = run("protect", "--db", str(db), data=data, ZJTB_NEW_PASSWORD=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert re.search(r"共 \d+ 行，全部一致", done.stdout)
    assert "份未加密的备份" in done.stdout
    code = re.search(r"^  ([0-9A-Z]{5}(?:-[0-9A-Z]{5}){4})$", done.stdout, re.MULTILINE)
    assert code, done.stdout
    assert db.read_bytes()[:16] != SQLITE_HEADER
    assert not [p for p in (tmp_path / "backups").iterdir() if p.read_bytes()[:16] == SQLITE_HEADER]

    bad_old = run(
        "protect", "--db", str(db), data=data, ZJTB_PASSWORD="nope-nope", ZJTB_NEW_PASSWORD="second-2"
    )
    assert bad_old.returncode == 1 and "原密码不正确" in bad_old.stderr
    changed = run("protect", "--db", str(db), data=data, ZJTB_PASSWORD=PASSWORD, ZJTB_NEW_PASSWORD="second-2")
    assert changed.returncode == 0 and "恢复码不变" in changed.stdout
    assert run("check", "--year", "2023", "--db", str(db), data=data, ZJTB_PASSWORD=PASSWORD).returncode == 2
    checked = run("check", "--year", "2023", "--db", str(db), data=data, ZJTB_PASSWORD="second-2")
    assert checked.returncode == 0, checked.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_new_data_file_is_private_whatever_the_umask(tmp_path: Path):
    data = tmp_path / "d"
    done = run("demo", data=data, umask=0o000)
    assert done.returncode == 0
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "zjtb.sqlite3").stat().st_mode) == 0o600
