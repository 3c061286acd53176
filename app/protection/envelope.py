"""The key file beside an encrypted data file: its random data key, wrapped twice.

`zjtb.sqlite3.key` (JSON) holds the data key wrapped by a key derived from the password and by
one derived from the recovery code (scrypt). Either unwraps it, so the recovery code alone can set
a new password, and changing the password rewrites this small file, not the database. The data key
never changes for the life of the file, so every backup of it (which carries a copy of this file,
app/backup.py) opens with the password it had when it was taken.

Wrapping: derived = scrypt(secret, salt, 64 bytes); wrapped = key XOR derived[:32];
tag = HMAC-SHA256(derived[32:], slot name + wrapped). A fresh salt per wrap makes the XOR a
one-time pad; the tag tells a wrong secret from a right one before the database is touched.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

KEY_SUFFIX = ".key"
FORMAT = "zjtb-key"
VERSION = 1
KEY_BYTES = 32
PASSWORD, RECOVERY = "password", "recovery"
# scrypt cost: 2**15 × 8 × 128 bytes = 32 MiB and about 0.1 s per try on an office PC. Tests lower
# it (tests/conftest.py) through this module attribute; the cost used is stored in the file.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
# Crockford's base32: no I, L, O, U, so a code read off paper is not misread.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS, CODE_GROUP_LEN = 5, 5


class EnvelopeError(Exception):
    """The key file is missing, unreadable or not ours."""


@dataclass(frozen=True)
class Slot:
    salt: bytes
    wrapped: bytes
    tag: bytes
    n: int
    r: int
    p: int


@dataclass(frozen=True)
class Envelope:
    key_id: str  # names the data key (not secret): a backup's key file is matched by it
    slots: dict[str, Slot] = field(default_factory=dict)


def envelope_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + KEY_SUFFIX)


def new_data_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_id(data_key: bytes) -> str:
    return hmac.new(data_key, b"zjtb key id", hashlib.sha256).hexdigest()[:32]


def new_recovery_code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN))
    return "-".join(chars[i : i + CODE_GROUP_LEN] for i in range(0, len(chars), CODE_GROUP_LEN))


def normalize_code(code: str) -> str:
    """What the user typed, as the code: case, spaces, dashes and look-alikes forgiven."""
    text = unicodedata.normalize("NFKC", code).upper()
    text = text.translate(str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"}))
    return "".join(ch for ch in text if ch in CODE_ALPHABET)


def _secret_bytes(kind: str, secret: str) -> bytes:
    if kind == RECOVERY:
        return normalize_code(secret).encode("ascii")
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def _derive(secret: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, dklen=64, maxmem=256 * 1024 * 1024)


def _tag(mac_key: bytes, kind: str, wrapped: bytes) -> bytes:
    return hmac.new(mac_key, kind.encode("ascii") + b"\0" + wrapped, hashlib.sha256).digest()


def wrap(kind: str, data_key: bytes, secret: str) -> Slot:
    salt = secrets.token_bytes(16)
    n, r, p = SCRYPT_N, SCRYPT_R, SCRYPT_P
    derived = _derive(_secret_bytes(kind, secret), salt, n, r, p)
    wrapped = bytes(a ^ b for a, b in zip(data_key, derived[:KEY_BYTES], strict=True))
    return Slot(salt, wrapped, _tag(derived[KEY_BYTES:], kind, wrapped), n, r, p)


def unwrap(envelope: Envelope, kind: str, secret: str) -> bytes | None:
    """The data key, or None when `secret` is not the password (recovery code) of `envelope`."""
    slot = envelope.slots.get(kind)
    if slot is None:
        return None
    derived = _derive(_secret_bytes(kind, secret), slot.salt, slot.n, slot.r, slot.p)
    if not hmac.compare_digest(_tag(derived[KEY_BYTES:], kind, slot.wrapped), slot.tag):
        return None
    data_key = bytes(a ^ b for a, b in zip(slot.wrapped, derived[:KEY_BYTES], strict=True))
    return data_key if key_id(data_key) == envelope.key_id else None


def create(data_key: bytes, password: str, recovery_code: str) -> Envelope:
    return Envelope(
        key_id(data_key),
        {PASSWORD: wrap(PASSWORD, data_key, password), RECOVERY: wrap(RECOVERY, data_key, recovery_code)},
    )


def with_password(envelope: Envelope, data_key: bytes, password: str) -> Envelope:
    return replace(envelope, slots={**envelope.slots, PASSWORD: wrap(PASSWORD, data_key, password)})


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def dumps(envelope: Envelope) -> str:
    slots = {
        kind: {
            "kdf": "scrypt",
            "n": s.n,
            "r": s.r,
            "p": s.p,
            "salt": _b64(s.salt),
            "wrapped": _b64(s.wrapped),
            "tag": _b64(s.tag),
        }
        for kind, s in envelope.slots.items()
    }
    return json.dumps(
        {"format": FORMAT, "version": VERSION, "key_id": envelope.key_id, "slots": slots}, indent=2
    )


def loads(text: str) -> Envelope:
    try:
        raw = json.loads(text)
        if raw.get("format") != FORMAT or raw.get("version") != VERSION:
            raise EnvelopeError("不是本程序的密钥文件，或来自更新的版本")
        slots = {
            kind: Slot(
                base64.b64decode(s["salt"]),
                base64.b64decode(s["wrapped"]),
                base64.b64decode(s["tag"]),
                int(s["n"]),
                int(s["r"]),
                int(s["p"]),
            )
            for kind, s in raw["slots"].items()
        }
        return Envelope(str(raw["key_id"]), slots)
    except EnvelopeError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EnvelopeError("密钥文件已损坏") from exc


def read(db_path: Path) -> Envelope | None:
    """The key file of `db_path`; None when there is none. Raises EnvelopeError, OSError."""
    try:
        text = envelope_path(db_path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return loads(text)


def write(db_path: Path, envelope: Envelope) -> Path:
    """Write the key file atomically, readable by its owner only."""
    from app.protection.modes import private_file

    target = envelope_path(db_path)
    partial = target.with_name(target.name + ".tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(dumps(envelope))
        handle.flush()
        os.fsync(handle.fileno())
    private_file(partial)
    os.replace(partial, target)
    return target
