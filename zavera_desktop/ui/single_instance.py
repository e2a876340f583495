"""One running app per data folder: a second start raises the first window and exits.

Two parts, because each alone has a hole:

* a ``QLockFile`` in the data folder decides who is first. It notices a lock left by a crashed
  process (its PID is gone) and takes it over, and two instances starting at the same moment
  cannot both win — which a socket alone cannot promise (both would remove and re-create it).
* a ``QLocalServer`` owned by the first instance, named after the data folder, receives the
  second instance's "raise" message. Its socket may also be left over from a crash; the lock
  holder removes it before listening.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QLockFile, QObject, QThread, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE_MESSAGE = b"raise\n"
CONNECT_TIMEOUT_MS = 500
# how long a second instance keeps trying to reach a first one that is still starting up
RAISE_DEADLINE_MS = 3000


def server_name(data_dir: Path) -> str:
    """A local-socket name unique to this user and data folder (sockets share /tmp on Linux)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    key = f"{user}\0{Path(data_dir).expanduser().resolve()}".encode()
    return "zavera-desktop-" + hashlib.sha256(key).hexdigest()[:20]


class SingleInstance(QObject):
    """``acquire()`` once at start-up; keep the object alive for the life of the app."""

    # another instance asked us to show our window
    raise_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.name = server_name(self.data_dir)
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True: we are the first instance (now listening). False: another one runs and was
        asked to raise its window (or could not be reached; it runs either way)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(str(self.data_dir / "instance.lock"))
        # Long-lived lock: only a dead owner PID makes it stale, never its age.
        lock.setStaleLockTime(0)
        if lock.tryLock(0):
            self._lock = lock
            self._listen()
            return True
        if lock.error() != QLockFile.LockError.LockFailedError:
            # cannot create the lock file at all (read-only folder…): run, without the guarantee
            log.warning("Cannot create the instance lock in %s; not checking for another instance",
                        self.data_dir)
            self._listen()
            return True
        if not self._ask_to_raise():
            log.warning("Another Zavera Desktop runs for %s but did not answer", self.data_dir)
        return False

    def _listen(self) -> None:
        QLocalServer.removeServer(self.name)  # a socket file left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        if not server.listen(self.name):
            log.warning("Cannot listen on the instance socket: %s", server.errorString())
            return
        self._server = server

    def _ask_to_raise(self) -> bool:
        """Send the raise message, retrying while the first instance is still starting."""
        deadline = QDeadlineTimer(RAISE_DEADLINE_MS)
        while not deadline.hasExpired():
            sock = QLocalSocket()
            sock.connectToServer(self.name)
            if sock.waitForConnected(CONNECT_TIMEOUT_MS):
                sock.write(RAISE_MESSAGE)
                sock.flush()
                ok = sock.waitForBytesWritten(CONNECT_TIMEOUT_MS) or sock.bytesToWrite() == 0
                sock.disconnectFromServer()
                if sock.state() != QLocalSocket.LocalSocketState.UnconnectedState:
                    sock.waitForDisconnected(CONNECT_TIMEOUT_MS)
                return ok
            sock.abort()
            QThread.msleep(100)
        return False

    @Slot()
    def _on_connection(self) -> None:
        assert self._server is not None
        while (sock := self._server.nextPendingConnection()) is not None:
            # bound slots, not lambdas: a lambda holding the socket keeps a cycle Qt cannot see
            sock.readyRead.connect(self._on_ready)
            sock.disconnected.connect(sock.deleteLater)
            if sock.bytesAvailable():
                self._read(sock)

    @Slot()
    def _on_ready(self) -> None:
        sock = self.sender()
        if isinstance(sock, QLocalSocket):
            self._read(sock)

    def _read(self, sock: QLocalSocket) -> None:
        if b"raise" in bytes(sock.readAll().data()):
            self.raise_requested.emit()

    def release(self) -> None:
        """Stop listening and drop the lock (at shutdown; also done when the process dies)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
