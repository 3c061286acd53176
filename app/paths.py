"""Where the app keeps its files: the per-user data folder and what lives in it.

`ZJTB_DATA_DIR` overrides the folder (tests and portable installs use it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app import APP_ID
from app.protection.modes import private_dir

DB_FILE_NAME = "zjtb.sqlite3"


def data_dir() -> Path:
    override = os.environ.get("ZJTB_DATA_DIR")
    if override:
        path = Path(override)
    else:
        import platformdirs

        # roaming=True gives %APPDATA% on Windows; on Linux it is $XDG_DATA_HOME.
        path = Path(platformdirs.user_data_dir(APP_ID, appauthor=False, roaming=True))
    path.mkdir(parents=True, exist_ok=True)
    private_dir(path)
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILE_NAME


EXAMPLE_FILE_NAME = "示例数据.sqlite3"


def example_db_path(beside: Path | None = None) -> Path:
    """The example data's own file, beside the user's data file `beside` (in the data folder for
    a PostgreSQL database): the GUI never loads the example into the user's own file."""
    return (beside.parent if beside is not None else data_dir()) / EXAMPLE_FILE_NAME


def backups_dir_for(db_path: Path) -> Path:
    """Backups sit beside the database file they copy, so `--db` files keep their own."""
    return db_path.parent / "backups"


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    private_dir(path)
    return path


def templates_dir() -> Path:
    """User-edited copies of report templates; they take precedence over the built-in ones."""
    return data_dir() / "templates"


def resources_dir() -> Path:
    """Built-in resources: beside the sources, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
