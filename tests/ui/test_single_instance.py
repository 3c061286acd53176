"""One window per data file (ui/single_instance.py, wired in ui/application.run_gui): a second
start on the same data file brings the first window forward and opens none of its own."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QSettings
from pytestqt.qtbot import QtBot

from app.data_file import identity
from ui.application import claim_data_file
from ui.main_window import MainWindow
from ui.single_instance import SingleInstance, server_name


@pytest.fixture
def guards() -> Iterator[list[SingleInstance]]:
    held: list[SingleInstance] = []
    yield held
    for guard in held:
        guard.close()


def _hold(guards: list[SingleInstance], db_path: str | None) -> SingleInstance:
    guard = claim_data_file(db_path)
    assert guard is not None and guard.listening
    guards.append(guard)
    return guard


def test_a_second_start_on_the_same_file_brings_the_first_window_forward(
    qtbot: QtBot, tmp_path: Path, guards: list[SingleInstance], monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a running instance on file A, its window minimised, wired as run_gui wires it
    path_a = tmp_path / "数据 A.sqlite3"
    first = _hold(guards, str(path_a))
    called: list[bool] = []
    real = MainWindow.bring_forward

    def spy(self: MainWindow) -> None:
        called.append(True)
        real(self)

    monkeypatch.setattr(MainWindow, "bring_forward", spy)
    window = MainWindow(str(path_a), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    first.activation_requested.connect(window.bring_forward)
    window.showMinimized()
    assert window.isMinimized()

    # WHEN the program is started again on A (spelt differently)
    monkeypatch.chdir(tmp_path)
    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        second = claim_data_file("./数据 A.sqlite3")

    # THEN the second start is told to end, and the first window came forward
    assert second is None
    assert called == [True]
    assert not window.isMinimized() and window.isVisible()
    window.close()


def test_a_different_data_file_is_not_blocked(tmp_path: Path, guards: list[SingleInstance]) -> None:
    _hold(guards, str(tmp_path / "A.sqlite3"))
    _hold(guards, str(tmp_path / "B.sqlite3"))
    _hold(guards, None)  # the default data file is one more file


def test_the_default_data_file_is_the_same_with_or_without_db(
    qtbot: QtBot, isolated_data_dir: Path, guards: list[SingleInstance]
) -> None:
    first = _hold(guards, None)
    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        assert claim_data_file(str(isolated_data_dir / "zjtb.sqlite3")) is None


def test_a_closed_instance_frees_its_data_file(tmp_path: Path, guards: list[SingleInstance]) -> None:
    path = str(tmp_path / "A.sqlite3")
    first = _hold(guards, path)
    first.close()
    _hold(guards, path)


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe goes away with its process")
def test_a_socket_left_by_a_crashed_instance_is_taken_over(
    tmp_path: Path, guards: list[SingleInstance]
) -> None:
    # GIVEN the socket file a killed instance leaves behind on Unix: there, nobody listening
    path = str(tmp_path / "A.sqlite3")
    stale = Path(QDir.tempPath()) / server_name(identity(path))
    left = socket.socket(socket.AF_UNIX)
    left.bind(str(stale))
    left.close()
    assert stale.exists()
    # WHEN the program starts on that file, THEN it listens there itself
    try:
        guard = _hold(guards, path)
        assert guard.server.fullServerName() == str(stale)
    finally:
        if not guards:
            stale.unlink()


def test_server_names_differ_by_user_and_data_file() -> None:
    names = {
        server_name("sqlite:/a", "张三"),
        server_name("sqlite:/a", "李四"),
        server_name("sqlite:/b", "张三"),
    }
    assert len(names) == 3
    assert all(name.isascii() and len(name) < 50 and "/" not in name for name in names)
