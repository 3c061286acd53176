"""Application settings kept in `settings.json` in the data folder.

Only what the non-GUI part needs lives here (the database location); window geometry is the
GUI's business and lives in QSettings.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.paths import data_dir

SETTINGS_FILE_NAME = "settings.json"


@dataclass
class Settings:
    # A PostgreSQL URL shared by several PCs of one unit; empty means the local SQLite file.
    database_url: str = ""
    # A SQLite file chosen by the user instead of the default one in the data folder.
    database_path: str = ""
    extra: dict = field(default_factory=dict)


def settings_path() -> Path:
    return data_dir() / SETTINGS_FILE_NAME


def load_settings() -> Settings:
    path = settings_path()
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    known = {k: raw[k] for k in ("database_url", "database_path", "extra") if k in raw}
    settings = Settings(**known)
    if ":" in settings.database_url and "@" in settings.database_url:
        from app.server_password import without_password

        if without_password(settings.database_url)[1] is not None:
            # Written by an earlier version: move the password into the credential store.
            with contextlib.suppress(OSError):
                save_settings(settings)
    return settings


def save_settings(settings: Settings) -> None:
    """Writes settings.json; a PostgreSQL password goes to the credential store instead
    (app/server_password.py), or is kept for this run only where the PC has none."""
    if settings.database_url:
        from app.server_password import remember_for_settings

        settings.database_url = remember_for_settings(settings.database_url)[0]
    path = settings_path()
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
