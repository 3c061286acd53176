"""The PostgreSQL password lives in the credential store, never in settings.json (issue 13, point 7)."""

from __future__ import annotations

import json

import keyring
from keyring.backends.fail import Keyring as NoKeyring
from sqlalchemy.engine import make_url

from app import server_password
from app.opening import resolve_location
from app.settings import Settings, load_settings, save_settings, settings_path

URL = "postgresql://zjtb:s3cret-密码@db.example:5433/unit"


def test_saving_settings_moves_the_password_into_the_credential_store(memory_keyring) -> None:
    save_settings(Settings(database_url=URL))
    text = settings_path().read_text(encoding="utf-8")
    assert "s3cret" not in text
    assert json.loads(text)["database_url"] == "postgresql://zjtb@db.example:5433/unit"
    assert memory_keyring.items == {(server_password.SERVICE, "zjtb@db.example:5433/unit"): "s3cret-密码"}

    server_password._session.clear()  # a new start: only the store knows the password
    location = resolve_location()
    assert location.path is None
    assert make_url(location.url).password == "s3cret-密码"
    assert location.url.startswith("postgresql+psycopg://zjtb:")


def test_an_old_settings_file_with_a_password_is_rewritten_without_it(memory_keyring) -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(json.dumps({"database_url": URL}), encoding="utf-8")
    settings = load_settings()
    assert "s3cret" not in settings.database_url
    assert "s3cret" not in settings_path().read_text(encoding="utf-8")
    server_password._session.clear()
    assert make_url(server_password.complete(settings.database_url)).password == "s3cret-密码"


def test_without_a_credential_store_the_password_is_kept_for_this_run_only() -> None:
    keyring.set_keyring(NoKeyring())
    bare, kept = server_password.remember_for_settings(URL)
    assert (bare, kept) == ("postgresql://zjtb@db.example:5433/unit", False)
    assert make_url(server_password.complete(bare)).password == "s3cret-密码"  # this run
    server_password._session.clear()
    assert server_password.complete(bare) == bare  # the next start asks
    assert server_password.needs_password(bare)


def test_sqlite_urls_and_urls_with_a_password_are_left_alone() -> None:
    assert server_password.complete("sqlite:////tmp/a.sqlite3") == "sqlite:////tmp/a.sqlite3"
    assert server_password.complete(URL) == URL
    assert not server_password.needs_password(URL)
