"""The PostgreSQL password, kept out of settings.json.

settings.json holds the server's address without the password; the password lives in the
system's credential store through `keyring` (Windows Credential Manager, Secret Service on
Linux). Where there is no store (a Linux PC without a keyring daemon) nothing is written and the
password is asked for at start, kept in memory for that run only.
"""

from __future__ import annotations

import contextlib
import logging

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

_log = logging.getLogger(__name__)

SERVICE = "zjtb-postgresql"
_session: dict[str, str] = {}


def _parse(url: str) -> URL | None:
    try:
        return make_url(url)
    except ArgumentError:
        return None


def is_server_url(url: str) -> bool:
    parsed = _parse(url)
    return parsed is not None and parsed.get_backend_name() != "sqlite"


def account(url: str) -> str:
    """The credential's name: user@host:port/database (no driver, no password)."""
    parsed = _parse(url)
    if parsed is None:
        return url
    return f"{parsed.username or ''}@{parsed.host or ''}:{parsed.port or 5432}/{parsed.database or ''}"


def without_password(url: str) -> tuple[str, str | None]:
    """(the URL with its password taken out, the password or None)."""
    parsed = _parse(url)
    if parsed is None or parsed.password is None:
        return url, None
    password = str(parsed.password)
    return parsed._replace(password=None).render_as_string(hide_password=False), password


def with_password(url: str, password: str) -> str:
    parsed = _parse(url)
    if parsed is None:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


def _keyring():
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # pragma: no cover - keyring is a pinned dependency
        return None, Exception
    return keyring, KeyringError


def store(url: str, password: str) -> bool:
    """Put the password into the credential store. False when the PC has none (then it is kept
    for this run only)."""
    _session[account(url)] = password
    keyring, error = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(SERVICE, account(url), password)
    except (error, RuntimeError, OSError):
        _log.info("no credential store for the PostgreSQL password", exc_info=True)
        return False
    return True


def remember_for_run(url: str, password: str) -> None:
    _session[account(url)] = password


def stored(url: str) -> str | None:
    """The password for the server of `url`: this run's, else the credential store's."""
    name = account(url)
    if name in _session:
        return _session[name]
    keyring, error = _keyring()
    if keyring is None:
        return None
    try:
        return keyring.get_password(SERVICE, name)
    except (error, RuntimeError, OSError):
        _log.info("could not read the credential store", exc_info=True)
        return None


def forget(url: str) -> None:
    _session.pop(account(url), None)
    keyring, error = _keyring()
    if keyring is None:
        return
    with contextlib.suppress(error, RuntimeError, OSError):
        keyring.delete_password(SERVICE, account(url))


def remember_for_settings(url: str) -> tuple[str, bool]:
    """What settings.json may hold for `url`: the URL without its password, the password moved
    to the credential store. The flag says whether the store took it."""
    bare, password = without_password(url)
    if password is None:
        return url, True
    return bare, store(bare, password)


def complete(url: str) -> str:
    """`url` with its password: as given, or from this run or the credential store."""
    if not is_server_url(url):
        return url
    bare, password = without_password(url)
    if password is not None:
        return url
    found = stored(bare)
    return with_password(bare, found) if found is not None else url


def needs_password(url: str) -> bool:
    """A server URL with no password anywhere (the GUI asks for one)."""
    return is_server_url(url) and without_password(complete(url))[1] is None
