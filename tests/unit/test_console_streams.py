"""The command line writes Chinese whatever the console's code page (app/cli.safe_console_streams)."""

from __future__ import annotations

import io
import sys

import pytest

from app.cli import safe_console_streams


class _Terminal(io.BytesIO):
    def isatty(self) -> bool:
        return True


def _stream(encoding: str, *, tty: bool = False) -> io.TextIOWrapper:
    return io.TextIOWrapper(_Terminal() if tty else io.BytesIO(), encoding=encoding)


def _written(stream: io.TextIOWrapper) -> bytes:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()


def _install(monkeypatch: pytest.MonkeyPatch, out: io.TextIOWrapper, err: io.TextIOWrapper) -> None:
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    safe_console_streams()


def test_a_pipe_in_an_ansi_code_page_that_has_no_chinese_becomes_utf8(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN `zjtb-cli --help > file` on an English-locale Windows: the file gets cp1252
    out, err = _stream("cp1252"), _stream("ascii")
    _install(monkeypatch, out, err)
    print("住建填报助手：不带子命令时启动图形界面。")
    print("错误：找不到单位“某县”", file=sys.stderr)
    assert (out.encoding, out.errors, err.encoding, err.errors) == ("utf-8", "replace", "utf-8", "replace")
    assert _written(out).decode("utf-8") == "住建填报助手：不带子命令时启动图形界面。\n"
    assert "找不到单位“某县”" in _written(err).decode("utf-8")


def test_an_encoding_that_writes_chinese_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    # GBK (a Chinese-locale Windows pipe, or PYTHONIOENCODING=gbk): the reader expects GBK
    out, err = _stream("gbk"), _stream("utf-8")
    _install(monkeypatch, out, err)
    print("住建填报助手 \U0001f600")  # not in GBK: replaced, no UnicodeEncodeError
    assert (out.encoding, out.errors, err.encoding) == ("gbk", "replace", "utf-8")
    assert _written(out).decode("gbk") == "住建填报助手 ?\n"


def test_a_terminal_keeps_its_encoding_and_stops_failing(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = _stream("latin-1", tty=True), _stream("latin-1", tty=True)
    _install(monkeypatch, out, err)
    print("住建 ok")
    assert (out.encoding, out.errors) == ("latin-1", "replace")
    assert _written(out) == b"?? ok\n"


def test_no_console_at_all_is_fine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)  # a windowed build
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # something without reconfigure
    safe_console_streams()
