"""An encrypted copy of a benchmark's data file (issue 13): the same rows, through SQLCipher.

The figures on it are reported as a ratio to the same figure on the plaintext file, measured in
the same rounds (goal ≤ ×1.30).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

PASSWORD = "bench-密码-2026"
ENV = "ZJTB_PASSWORD"


def encrypted_copy(source: Path, target: Path) -> Path:
    """`source` copied and encrypted in place by the app's own protect() (what 设置密码 does)."""
    from app.protection.protect import protect

    if target.exists():
        return target
    staging = target.with_name(target.name + ".building")
    for suffix in ("", ".key"):
        Path(str(staging) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, staging)
    previous = os.environ.get("ZJTB_DATA_DIR")
    os.environ["ZJTB_DATA_DIR"] = str(target.parent / "data-protect")  # its backup goes there
    try:
        protect(staging, PASSWORD)
    finally:
        if previous is None:
            os.environ.pop("ZJTB_DATA_DIR", None)
        else:
            os.environ["ZJTB_DATA_DIR"] = previous
    Path(str(staging) + ".key").replace(Path(str(target) + ".key"))
    staging.replace(target)
    return target


def with_password(env: dict[str, str]) -> dict[str, str]:
    return {**env, ENV: PASSWORD}
