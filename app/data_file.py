"""Which database a start means, and a name for it that needs no SQLAlchemy.

`resolve_location` (app/opening.py) turns the choice into a DatabaseLocation; the GUI also asks
for `identity` before its first paint (one window per data file, ui/single_instance.py), when
loading SQLAlchemy would delay the window.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote

# SQLAlchemy's URL grammar (sqlalchemy.engine.url._parse_url), enough to name a database.
_URL = re.compile(
    r"""
    (?P<name>[\w+]+)://
    (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
    (?:(?:\[(?P<ipv6host>[^/?]+)\]|(?P<ipv4host>[^/:?]+))?(?::(?P<port>[^/?]*))?)?
    (?:/(?P<database>[^?]*))?
    (?:\?(?P<query>.*))?
    """,
    re.VERBOSE,
)
_DEFAULT_PORTS = {"postgresql": "5432"}


def chosen_database(db_path: str | Path | None = None) -> tuple[str | Path | None, str | None]:
    """(path, url): `--db PATH` first, then `DATABASE_URL`, then the settings; (None, None)
    means the default file in the data folder."""
    if db_path:
        return db_path, None
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return None, url
    from app.settings import load_settings

    settings = load_settings()
    if settings.database_url.strip():
        return None, settings.database_url.strip()
    if settings.database_path.strip():
        return settings.database_path.strip(), None
    return None, None


def identity(db_path: str | Path | None = None) -> str:
    """The same text for every way of naming one database: a SQLite file by its resolved path
    (case-folded where the file system is), a server database by its URL without the password
    (and without the driver name, so `postgresql+psycopg://` and `postgresql://` are one)."""
    path, url = chosen_database(db_path)
    if url is not None:
        match = _URL.match(url)
        if match is None:
            return url
        parts = match.groupdict()
        backend = parts["name"].split("+")[0].lower()
        if backend != "sqlite":
            host = (parts["ipv6host"] or parts["ipv4host"] or "").lower()
            port = parts["port"] or _DEFAULT_PORTS.get(backend, "")
            query = sorted((k, v) for k, v in parse_qsl(parts["query"] or "") if k != "password")
            user = unquote(parts["username"] or "")
            return f"{backend}://{user}@{host}:{port}/{unquote(parts['database'] or '')}?{query}"
        path = unquote(parts["database"] or "")
    if path is None:
        from app.paths import default_db_path

        path = default_db_path()
    return "sqlite:" + os.path.normcase(str(Path(path).expanduser().resolve()))
