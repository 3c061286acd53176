"""`main.py restore BACKUP --db PATH`: exit 0 restored, 1 the backup is unfit, 2 cannot run."""

from __future__ import annotations

import shutil
from contextlib import closing
from pathlib import Path

from app.backup import backup_sqlite
from app.paths import backups_dir_for
from tests.conftest import connect_data
from tests.integration.test_cli import run


def _unit_name(path: Path) -> str:
    with closing(connect_data(path)) as conn:
        return conn.execute("SELECT name FROM unit").fetchone()[0]


def test_restore_replaces_the_file_and_says_where_the_copy_went(tmp_path: Path, example_path: Path) -> None:
    backup = backup_sqlite(example_path, backups_dir_for(example_path), "manual")
    with closing(connect_data(example_path)) as conn:
        conn.execute("UPDATE unit SET name = '改过'")
        conn.commit()
    out = run("restore", str(backup), "--db", str(example_path), env_dir=tmp_path / "data")
    assert out.returncode == 0, out.stderr
    assert f"已用备份 {backup} 恢复数据文件 {example_path}。" in out.stdout
    kept = Path(out.stdout.split("被替换的数据文件已另存为：")[1].splitlines()[0])
    assert kept.name.endswith("-prerestore.sqlite3") and _unit_name(kept) == "改过"
    assert _unit_name(example_path) == "汨罗市建筑工程服务中心"


def test_a_damaged_or_foreign_backup_exits_1(tmp_path: Path, example_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copyfile(example_path, damaged)
    damaged.write_bytes(damaged.read_bytes()[:20000])
    foreign = tmp_path / "foreign.sqlite3"
    with closing(connect_data(foreign)) as conn:
        conn.execute("CREATE TABLE t (x)")
    original = example_path.read_bytes()
    for backup, said in ((damaged, "已损坏"), (foreign, "不是本程序的数据文件")):
        out = run("restore", str(backup), "--db", str(example_path), env_dir=tmp_path / "data")
        assert out.returncode == 1, out.stderr
        assert said in out.stderr and "Traceback" not in out.stderr
    assert example_path.read_bytes() == original


def test_restore_cannot_run_exits_2(tmp_path: Path, example_path: Path) -> None:
    missing = run(
        "restore", str(tmp_path / "none.sqlite3"), "--db", str(example_path), env_dir=tmp_path / "data"
    )
    assert missing.returncode == 2 and "找不到备份文件" in missing.stderr
    backup = backup_sqlite(example_path, backups_dir_for(example_path), "manual")
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    out = run("restore", str(backup), "--db", str(blocker / "zjtb.sqlite3"), env_dir=tmp_path / "data")
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stderr.startswith("错误：") and "Traceback" not in out.stderr


def test_a_damaged_data_file_is_named_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "random.sqlite3"
    path.write_bytes(bytes(range(256)) * 40)
    out = run("check", "--year", "2023", "--db", str(path), env_dir=tmp_path / "data")
    assert out.returncode == 2
    assert f"数据文件“{path}”已损坏" in out.stderr and "Traceback" not in out.stderr


def test_help_names_restore(tmp_path: Path) -> None:
    out = run("restore", "--help", env_dir=tmp_path)
    assert out.returncode == 0 and "BACKUP" in out.stdout and "未通过完整性检查" in out.stdout
