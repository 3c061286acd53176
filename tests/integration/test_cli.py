"""The command line is a stable interface: run it as scripts do, in a separate process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import connect_data

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env_dir: Path, io_encoding: str = "utf-8", **kwargs) -> subprocess.CompletedProcess[str]:
    """main.py with `args`; its output read as UTF-8. `io_encoding` is what Python would pick for
    the pipes (on Windows the ANSI code page: cp1252 on an English-locale PC)."""
    import os

    env = {**os.environ, "ZJTB_DATA_DIR": str(env_dir), "PYTHONIOENCODING": io_encoding}
    env.pop("DATABASE_URL", None)
    kwargs.setdefault("capture_output", True)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], encoding="utf-8", env=env, timeout=240, **kwargs
    )


def exported_files(out: subprocess.CompletedProcess[str]) -> tuple[Path, list[Path]]:
    """The package folder and files an `export` run reports ("已导出 … 的 N 个文件到 FOLDER：")."""
    head, *lines = out.stdout.split("已导出 ", 1)[1].splitlines()
    count, folder = head.split(" 个文件到 ")
    files = [Path(folder.rstrip("：")) / line.strip() for line in lines if line.startswith("  ")]
    assert len(files) == int(count.rsplit("的 ", 1)[1])
    return Path(folder.rstrip("：")), files


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
    with connect_data(db) as conn:
        conn.execute("UPDATE unit SET credit_code = '12430681MB1C37256H'")
    check = run("check", "--year", "2023", "--db", str(db), env_dir=tmp_path)
    assert check.returncode == 1
    assert "[错误] 单位信息 › 统一社会信用代码：统一社会信用代码校验位不正确" in check.stdout


def test_export_lists_what_check_found_and_strict_refuses_errors(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    assert run("demo", "--db", str(db), env_dir=tmp_path).returncode == 0
    # GIVEN the example year (no errors): --strict exports, and the summary names the 一级指标
    # weights of 附件3-3 that differ from the rule set
    clean = run(
        "export",
        "--year",
        "2023",
        "--strict",
        "--out",
        str(tmp_path / "clean"),
        "--db",
        str(db),
        env_dir=tmp_path,
    )
    assert clean.returncode == 0, clean.stderr
    assert len(exported_files(clean)[1]) == 22
    assert "注意：以下一级指标的分值与评分规则不同，导出的表格按本表分值计分：" in clean.stdout
    assert (
        "[警告] 2023年度项目支出绩效自评表（工作经费） › 效益指标(40分) › 分值：本表效益指标按40分计分，"
        "评分规则“湖南省（产出30/效益30/满意度10/成本20＋执行率10）”为30分" in clean.stdout
    )
    assert "[错误]" not in clean.stdout and "注意：导出时校验有错误" not in clean.stdout
    # WHEN an error-level finding is introduced
    with connect_data(db) as conn:
        conn.execute("UPDATE unit SET credit_code = '12430681MB1C37256H'")
    error = "[错误] 单位信息 › 统一社会信用代码：统一社会信用代码校验位不正确"
    # THEN --strict lists it, exits 1 and writes nothing into --out
    out = tmp_path / "strict"
    strict = run("export", "--year", "2023", "--strict", "--out", str(out), "--db", str(db), env_dir=tmp_path)
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert error in strict.stdout
    assert "汨罗市建筑工程服务中心 2023 年度校验有错误 1 项，未导出任何文件（--strict）" in strict.stdout
    assert "已导出" not in strict.stdout and "Traceback" not in strict.stderr
    assert not out.exists()
    # AND without --strict the export still succeeds (exit 0) and its summary carries the error
    out = tmp_path / "loose"
    loose = run("export", "--year", "2023", "--out", str(out), "--db", str(db), env_dir=tmp_path)
    assert loose.returncode == 0, loose.stderr
    _folder, files = exported_files(loose)
    assert len(files) == 22 and all(p.is_file() for p in files)
    summary = loose.stdout.split("已导出 ", 1)[1]
    assert "注意：导出时校验有错误 1 项，相关表格或报告中的内容可能不对：\n" + error in summary


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
    with connect_data(db) as conn:
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


def test_paths_with_chinese_characters_and_spaces(tmp_path: Path) -> None:
    # GIVEN a database file, an output folder and a data folder with Chinese names and spaces
    db = tmp_path / "数据 文件" / "测试 库.sqlite3"
    out = tmp_path / "导出 文件夹"
    data = tmp_path / "用户 数据"
    # WHEN the example is loaded and its year exported
    demo = run("demo", "--db", str(db), env_dir=data)
    assert demo.returncode == 0, demo.stderr
    assert str(db) in demo.stdout
    exported = run("export", "--year", "2023", "--out", str(out), "--db", str(db), env_dir=data)
    assert exported.returncode == 0, exported.stderr
    # THEN all 22 files of the example year are there, and nothing else
    folder, files = exported_files(exported)
    assert folder == out / "汨罗市建筑工程服务中心2023年度填报材料"
    assert len(files) == 22
    assert all(path.is_file() and path.stat().st_size > 0 for path in files)
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == sorted(files)
    assert [p.name for p in out.iterdir()] == [folder.name]  # no staging folder left
    assert data.is_dir() and db.is_file()


@pytest.mark.parametrize("io_encoding", ["cp1252", "ascii"])
def test_output_is_utf8_when_the_code_page_has_no_chinese(tmp_path: Path, io_encoding: str) -> None:
    # `zjtb-cli --help > help.txt` on an English-locale Windows: the file's code page is cp1252
    help_file = tmp_path / "help.txt"
    with help_file.open("wb") as file:
        shown = run("--help", env_dir=tmp_path, io_encoding=io_encoding, capture_output=False, stdout=file)
    assert shown.returncode == 0
    assert "不带子命令时启动图形界面" in help_file.read_text(encoding="utf-8")

    db = tmp_path / "cli.sqlite3"
    empty = run("check", "--year", "2023", "--db", str(db), env_dir=tmp_path, io_encoding=io_encoding)
    assert empty.returncode == 2 and "还没有单位" in empty.stderr
    demo = run("demo", "--db", str(db), env_dir=tmp_path, io_encoding=io_encoding)
    assert demo.returncode == 0 and "已载入示例数据“汨罗市建筑工程服务中心”" in demo.stdout
    check = run("check", "--year", "2023", "--db", str(db), env_dir=tmp_path, io_encoding=io_encoding)
    assert check.returncode == 0, check.stderr
    assert "汨罗市建筑工程服务中心 2023 年度校验完成：错误 0 项" in check.stdout
    wrong = run("check", "--year", "二〇二三", "--db", str(db), env_dir=tmp_path, io_encoding=io_encoding)
    assert wrong.returncode == 2 and "二〇二三" in wrong.stderr and "Traceback" not in wrong.stderr
