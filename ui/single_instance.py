"""One window per data file: a second start on the same data file brings the first window forward.

The first start listens on a local socket (a named pipe on Windows) named after the data file
and the user; a later start connects, says "activate" and ends without a window. A different
data file gives a different name, so it opens its own window. If anything about the socket fails,
the program starts as if it were alone: this must never keep anybody from working.

Before the window: QtNetwork (about 6-10 ms on top of QtWidgets, `-X importtime`), one connection
attempt and listen (under 1 ms). The socket is local only: no network is touched.
"""

from __future__ import annotations

import contextlib
import os
import sys

from PySide6.QtCore import QCryptographicHash, QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

MESSAGE = b"activate\n"
# Connecting to a live instance takes well under a millisecond; the timeouts only bound a stuck one.
CONNECT_TIMEOUT_MS = 1000
WRITE_TIMEOUT_MS = 1000
ASFW_ANY = -1  # AllowSetForegroundWindow: any process may take the foreground


def _user() -> str:
    """Who runs this program; cheap (no getpass, no pwd lookup)."""
    if hasattr(os, "getuid"):
        return f"uid:{os.getuid()}"
    return f"{os.environ.get('USERDOMAIN', '')}\\{os.environ.get('USERNAME', '')}"


def server_name(data_identity: str, user: str | None = None) -> str:
    """Short and free of path characters (a Unix socket path has ~100 bytes; a pipe name may not
    contain backslashes). The user is part of it: on Windows pipe names are machine-wide, on
    Unix the sockets of all users share /tmp. Hashed with QtCore: hashlib would load OpenSSL."""
    who = _user() if user is None else user
    digest = QCryptographicHash.hash(f"{who}\0{data_identity}".encode(), QCryptographicHash.Algorithm.Sha256)
    return f"zjtb-{bytes(digest.toHex().data()).decode('ascii')[:32]}"


class SingleInstance(QObject):
    """The listening side: `activation_requested` fires whenever a later start asks for the window."""

    activation_requested = Signal()

    def __init__(self, server: QLocalServer) -> None:
        super().__init__()
        self.server = server
        server.setParent(self)
        server.newConnection.connect(self._accept)

    @property
    def listening(self) -> bool:
        return self.server.isListening()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if MESSAGE.strip() in bytes(socket.readAll().data()):
            self.activation_requested.emit()
        socket.disconnectFromServer()

    def close(self) -> None:
        """Stop answering (also removes the socket file on Unix)."""
        self.server.close()


def _allow_foreground() -> None:
    """Windows lets only the foreground process (this one: the user just started it) give the
    foreground away; without this the first window would only flash in the taskbar."""
    if sys.platform == "win32":
        import ctypes

        with contextlib.suppress(AttributeError, OSError):
            ctypes.windll.user32.AllowSetForegroundWindow(ASFW_ANY)  # type: ignore[attr-defined]


def signal_running(name: str) -> bool:
    """Ask the instance listening on `name` to come forward; False if there is none (or a stale
    socket file left by a crash, which refuses the connection)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    _allow_foreground()
    socket.write(MESSAGE)
    sent = socket.waitForBytesWritten(WRITE_TIMEOUT_MS) or socket.bytesToWrite() == 0
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(WRITE_TIMEOUT_MS)
    return sent


def claim(data_identity: str) -> SingleInstance | None:
    """None when another instance has the data file and has been asked to come forward (this
    start should end); otherwise the listening guard for this instance."""
    name = server_name(data_identity)
    if signal_running(name):
        return None
    server = QLocalServer()
    server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    if not server.listen(name) and server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
        # Either another start got there in the meantime (it answers now), or a crashed one left
        # its socket file behind on Unix (it refuses): remove that and listen after all.
        if signal_running(name):
            return None
        QLocalServer.removeServer(name)
        server.listen(name)
    return SingleInstance(server)


def bring_forward(window: QWidget) -> None:
    """Un-minimise (keeping maximised), raise and activate the window, and any dialog it shows."""
    from PySide6.QtCore import Qt  # its enum namespace costs ~25 ms to build: not before the window

    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        window.setWindowState((state & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()
    modal = QApplication.activeModalWidget()
    if modal is not None and modal is not window:
        modal.raise_()
        modal.activateWindow()
