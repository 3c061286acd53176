"""Which database a start means (app/data_file.py): the same choice as resolve_location, and one
identity for every spelling of one data file (the GUI's one-window-per-data-file rule)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.data_file import identity
from app.opening import resolve_location
from app.settings import Settings, save_settings


def test_a_file_is_known_by_its_resolved_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "数据 文件.sqlite3"
    assert identity(str(path)) == identity("sub/../数据 文件.sqlite3") == identity(path)
    assert identity(str(path)) != identity(str(tmp_path / "其他.sqlite3"))
    assert resolve_location(str(path)).path == path


def test_no_db_means_the_default_file_and_the_settings_are_followed(
    isolated_data_dir: Path, tmp_path: Path
) -> None:
    default = isolated_data_dir / "zjtb.sqlite3"
    assert identity(None) == identity(str(default))
    assert resolve_location(None).path == default
    chosen = tmp_path / "设置中选的.sqlite3"
    save_settings(Settings(database_path=str(chosen)))
    assert identity(None) == identity(str(chosen)) != identity(str(default))
    assert resolve_location(None).path == chosen
    assert identity(str(default)) != identity(None)  # --db beats the settings


def test_a_server_database_is_known_by_its_url_without_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://zjtb:secret@db.example:5432/zjtb")
    first = identity(None)
    assert resolve_location(None).url.startswith("postgresql+psycopg://zjtb:secret@db.example")
    assert "secret" not in first
    for same in (
        "postgresql://zjtb:another@db.example:5432/zjtb",
        "postgresql+psycopg://zjtb:p%40ss@DB.example/zjtb",
    ):
        monkeypatch.setenv("DATABASE_URL", same)
        assert identity(None) == first, same
    for other in (
        "postgresql://zjtb:secret@db.example:5432/other",
        "postgresql://admin:secret@db.example:5432/zjtb",
        "postgresql://zjtb:secret@db2.example:5432/zjtb",
        "postgresql://zjtb:secret@db.example:5433/zjtb",
    ):
        monkeypatch.setenv("DATABASE_URL", other)
        assert identity(None) != first, other


def test_a_sqlite_url_is_the_file_it_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "测试 库.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path.as_posix()}")
    assert identity(None) == identity(str(path))
    assert resolve_location(None).path == path
