"""The operation log end to end: `main.py export --unmask` leaves a line (a masked export none),
and a file of the previous schema gets the table with every row kept."""

from __future__ import annotations

import shutil
from contextlib import closing
from pathlib import Path

from app.db import Database, location_for
from app.migrate import ensure_current
from tests.conftest import connect_data
from tests.integration.test_cli import run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _log(path: Path) -> list[tuple[str, str, str]]:
    with closing(connect_data(path)) as conn:
        return conn.execute("SELECT action, detail, os_user FROM operation_log ORDER BY id").fetchall()


def test_an_unmasked_cli_export_is_logged_with_the_year(tmp_path: Path) -> None:
    db = tmp_path / "数据 文件.sqlite3"
    assert run("demo", "--db", str(db), env_dir=tmp_path).returncode == 0
    out = tmp_path / "导出"
    masked = run("export", "--year", "2023", "--db", str(db), "--out", str(out / "a"), env_dir=tmp_path)
    assert masked.returncode == 0, masked.stderr
    assert _log(db) == []

    done = run(
        "export", "--year", "2023", "--db", str(db), "--out", str(out / "b"), "--unmask", env_dir=tmp_path
    )

    assert done.returncode == 0, done.stderr
    [(action, detail, user)] = _log(db)
    assert action == "导出（含个人信息）"
    assert detail.startswith("命令行导出汨罗市建筑工程服务中心 2023年度材料（信访登记台账含完整个人信息）到“")
    assert str(out / "b") in detail
    assert user  # the account running the test


def test_a_v0010_file_gets_the_log_table_and_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES / "v0010_with_data.sqlite3", path)
    with closing(connect_data(path)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        before = {n: sorted(map(repr, conn.execute(f'SELECT * FROM "{n}"'))) for n in names}
    assert "operation_log" not in before

    db = Database(location_for(path))
    try:
        assert ensure_current(db).after == "0011"
        from app import oplog

        oplog.record(db, oplog.UNLOCK, "解锁")
    finally:
        db.dispose()

    with closing(connect_data(path)) as conn:
        after = {
            n: sorted(map(repr, conn.execute(f'SELECT * FROM "{n}"')))
            for n in names
            if n != "alembic_version"
        }
        columns = [r[1] for r in conn.execute('PRAGMA table_info("operation_log")')]
        keys = conn.execute('PRAGMA foreign_key_list("operation_log")').fetchall()
    assert after == {n: rows for n, rows in before.items() if n != "alembic_version"}
    assert columns == ["id", "at", "os_user", "action", "detail", "unit_id"]
    assert [(k[2], k[3], k[4], k[6]) for k in keys] == [("unit", "unit_id", "id", "SET NULL")]
    assert [(a, d) for a, d, _u in _log(path)] == [("解锁", "解锁")]
