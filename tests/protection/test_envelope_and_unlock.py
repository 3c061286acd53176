"""The key file: wrapping the data key by the password and the recovery code; unlocking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.protection import envelope as env
from app.protection import keys
from app.protection.files import is_encrypted, needs_password
from app.protection.protect import protect
from app.protection.unlock import (
    WrongPasswordError,
    change_password,
    password_problem,
    password_strength,
    reset_with_recovery_code,
    retry_delay,
    unlock,
    verify_password,
)


@pytest.fixture(autouse=True)
def no_keys():
    keys.forget()
    yield
    keys.forget()


def test_wrap_and_unwrap_round_trip():
    data_key = env.new_data_key()
    code = env.new_recovery_code()
    envelope = env.loads(env.dumps(env.create(data_key, "密码abc123", code)))
    assert env.unwrap(envelope, env.PASSWORD, "密码abc123") == data_key
    assert env.unwrap(envelope, env.RECOVERY, code) == data_key
    assert env.unwrap(envelope, env.RECOVERY, code.lower().replace("-", " ")) == data_key
    assert env.unwrap(envelope, env.PASSWORD, "密码abc124") is None
    assert env.unwrap(envelope, env.PASSWORD, code) is None  # the code is not a password


def test_recovery_code_shape():
    code = env.new_recovery_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [5] * 5
    assert set(code.replace("-", "")) <= set(env.CODE_ALPHABET)
    assert env.new_recovery_code() != code
    assert env.normalize_code("abcd-efgh-o0il") == "ABCDEFGH0011"


def test_key_file_holds_no_secret(tmp_path: Path):
    path = tmp_path / "数据 文件.sqlite3"
    result = protect(path, "right-password")
    text = env.envelope_path(path).read_text(encoding="utf-8")
    raw = json.loads(text)
    assert raw["format"] == "zjtb-key" and set(raw["slots"]) == {"password", "recovery"}
    assert "right-password" not in text and result.recovery_code not in text
    assert keys.key_for(path).hex() not in text


def test_damaged_key_file_is_a_chinese_message(tmp_path: Path):
    path = tmp_path / "d.sqlite3"
    protect(path, "right-password")
    env.envelope_path(path).write_text("{not json", encoding="utf-8")
    with pytest.raises(Exception, match="密钥文件已损坏"):
        unlock(path, "right-password")


def test_wrong_password_then_right(tmp_path: Path):
    path = tmp_path / "w.sqlite3"
    protect(path, "right-password")
    keys.forget()
    assert is_encrypted(path) and needs_password(path)
    with pytest.raises(WrongPasswordError, match="密码不正确"):
        unlock(path, "wrong-password")
    assert needs_password(path)
    assert not verify_password(path, "wrong-password") and verify_password(path, "right-password")
    unlock(path, "right-password")
    assert not needs_password(path)


def test_recovery_code_sets_a_new_password(tmp_path: Path):
    path = tmp_path / "r.sqlite3"
    code = protect(path, "forgotten-1").recovery_code
    keys.forget()
    with pytest.raises(WrongPasswordError, match="恢复码不正确"):
        reset_with_recovery_code(path, "00000-00000-00000-00000-00000", "brand-new-2")
    reset_with_recovery_code(path, code, "brand-new-2")
    keys.forget()
    assert not verify_password(path, "forgotten-1")
    unlock(path, "brand-new-2")
    keys.forget()
    reset_with_recovery_code(path, code, "third-one-3")  # the code stays valid
    assert verify_password(path, "third-one-3")


def test_change_password_rewrites_only_the_key_file(example_path: Path):
    from tests.conftest import ENCRYPTED_RUN, TEST_PASSWORD

    old = TEST_PASSWORD if ENCRYPTED_RUN else "old-password"
    if not ENCRYPTED_RUN:
        protect(example_path, old)
    before = example_path.read_bytes()
    with pytest.raises(WrongPasswordError, match="原密码不正确"):
        change_password(example_path, "not-it-000", "new-password")
    change_password(example_path, old, "new-password")
    assert example_path.read_bytes() == before
    keys.forget()
    assert not verify_password(example_path, old)
    unlock(example_path, "new-password")


def test_retry_delay_grows_and_is_capped():
    assert [retry_delay(n) for n in range(8)] == [0, 0, 1, 2, 4, 8, 16, 30]
    assert retry_delay(50) == 30


def test_password_rules_and_strength():
    assert password_problem("", "") == "请输入密码"
    assert password_problem("abc12", "abc12") == "密码至少 6 位"
    assert password_problem("abcdef1", "abcdef2") == "两次输入的密码不一致"
    assert password_problem("abcdef1", "abcdef1") is None
    assert password_strength("123")[0] == 0
    assert password_strength("123456")[0] == 1
    assert password_strength("aaaaaaaa")[0] == 1
    assert password_strength("Zhujian#2024-county")[0] == 4
    assert password_strength("abcdefg1")[1].startswith("一般")
