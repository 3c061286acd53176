"""Application settings kept in `settings.json` in the data folder.

Only what the non-GUI part needs lives here (the database location); window geometry is the
GUI's business and lives in QSettings.
"""

from __future__ import annotations

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
    return Settings(**known)


def save_settings(settings: Settings) -> None:
    path = settings_path()
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
