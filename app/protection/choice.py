"""The user's explicit "不设密码（不推荐）" for a data file, kept in settings.json
(`extra["password_declined"]`, a list of app.data_file.identity strings), so that the program does
not ask again; setting a password later (文件 › 设置密码…) clears it."""

from __future__ import annotations

from pathlib import Path

DECLINED_KEY = "password_declined"


def _identity(db_path: Path | str) -> str:
    from app.data_file import identity

    return identity(db_path)


def password_declined(db_path: Path | str) -> bool:
    from app.settings import load_settings

    declined = load_settings().extra.get(DECLINED_KEY, [])
    return isinstance(declined, list) and _identity(db_path) in declined


def set_password_declined(db_path: Path | str, declined: bool) -> None:
    from app.settings import load_settings, save_settings

    settings = load_settings()
    current = settings.extra.get(DECLINED_KEY, [])
    names = [str(name) for name in current] if isinstance(current, list) else []
    name = _identity(db_path)
    if declined and name not in names:
        names.append(name)
    elif not declined and name in names:
        names.remove(name)
    else:
        return
    settings.extra[DECLINED_KEY] = names
    save_settings(settings)
