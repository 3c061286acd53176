"""Damaged data files end in a Chinese message, never a traceback (harness: bench/damaged_files.py).

Re-run the whole set with `python -m bench.damaged_files` (it prints the counts).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.damaged_files import CASES, Case, run_case


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_damaged_file_gives_a_message_not_a_traceback(
    case: Case, example_path: Path, tmp_path: Path
) -> None:
    outcome = run_case(case, example_path, tmp_path / "cases")
    assert not outcome.traceback, outcome.stderr
    assert outcome.code in (0, 1, 2)
    if outcome.code == 2:
        assert outcome.stderr.startswith("错误：")
    if case.name in ("random-bytes", "text-file") or case.name.startswith("truncated"):
        assert outcome.code == 2 and "已损坏" in outcome.stderr
        assert str(tmp_path / "cases" / case.name / "data.sqlite3") in outcome.stderr
    if case.name == "other-program":
        assert "不是本程序的数据文件" in outcome.stderr
    if case.name == "zero-length":  # a new, empty database
        assert "还没有单位" in outcome.stderr


def test_another_programs_database_is_not_migrated(tmp_path: Path, example_path: Path) -> None:
    case = next(c for c in CASES if c.name == "other-program")
    outcome = run_case(case, example_path, tmp_path / "cases")
    path = tmp_path / "cases" / case.name / "data.sqlite3"
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"contacts"}, outcome.stderr
    assert not (path.parent / "backups").exists()
