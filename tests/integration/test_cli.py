"""The command line is a stable interface: run it as scripts do, in a separate process."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "ZJTB_DATA_DIR": str(env_dir), "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env, timeout=240
    )


def test_help_lists_the_commands(tmp_path: Path) -> None:
    out = run("--help", env_dir=tmp_path)
    assert out.returncode == 0
    for command in ("demo", "export", "check"):
        assert command in out.stdout
    assert "--db" in out.stdout


def test_demo_then_check(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    first = run("demo", "--db", str(db), env_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "已载入示例数据“汨罗市建筑工程服务中心”" in first.stdout
    second = run("demo", "--db", str(db), env_dir=tmp_path)
    assert second.returncode == 0 and "已在数据库中" in second.stdout
    check = run("check", "--year", "2023", "--db", str(db), env_dir=tmp_path)
    assert "汨罗市建筑工程服务中心 2023 年度校验完成：错误 0 项" in check.stdout, check.stdout + check.stderr
    assert check.returncode == 0


def test_check_exits_1_on_an_error_and_names_the_field(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    assert run("demo", "--db", str(db), env_dir=tmp_path).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE unit SET credit_code = '12430681MB1C37256H'")
    check = run("check", "--year", "2023", "--db", str(db), env_dir=tmp_path)
    assert check.returncode == 1
    assert "[错误] 单位信息 › 统一社会信用代码：统一社会信用代码校验位不正确" in check.stdout


def test_unknown_year_and_empty_database_are_clear_errors(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    empty = run("check", "--year", "2023", "--db", str(db), env_dir=tmp_path)
    assert empty.returncode == 2 and "还没有单位" in empty.stderr
    assert run("demo", "--db", str(db), env_dir=tmp_path).returncode == 0
    missing = run(
        "export", "--year", "2019", "--out", str(tmp_path / "out"), "--db", str(db), env_dir=tmp_path
    )
    assert missing.returncode == 2
    assert "没有2019年度的数据（已有年度：2022、2023）" in missing.stderr
    assert not (tmp_path / "out").exists()


def test_a_reader_that_stops_early_leaves_the_exit_code_and_no_traceback(tmp_path: Path) -> None:
    """`check --year 2023 | head -1`: the command finishes quietly with its own exit code (1: errors)."""
    import os

    db = tmp_path / "cli.sqlite3"
    assert run("demo", "--db", str(db), env_dir=tmp_path).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE unit SET credit_code = '12430681MB1C37256H'")
    env = {**os.environ, "ZJTB_DATA_DIR": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "check", "--year", "2023", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line
    error = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=240) == 1
    assert "Traceback" not in error and "BrokenPipe" not in error, error
