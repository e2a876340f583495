"""The desktop the UI tests run on, started from scratch for every pytest session (no Qt in here).

In order: Xvfb on a free display (``-displayfd``, ``-terminate``), a private D-Bus session bus
(no service activation: nothing starts by itself), a fake notification server that records every
``Notify`` call as a JSON line, a fake StatusNotifierWatcher (so Qt's xcb platform has a D-Bus
tray), and gnome-keyring (secrets component) unlocked with a known password on that bus.

``DesktopEnv.start()`` exports ``DISPLAY``, ``QT_QPA_PLATFORM=xcb`` and
``DBUS_SESSION_BUS_ADDRESS``; it must run before the QApplication exists (tests/ui/conftest.py
does that). Every wait has a deadline. ``stop()`` ends what it started by PID; Xvfb is left to
``-terminate`` when a QApplication is still connected to it (killing the X server under a live
QApplication makes Qt abort with "X11 connection broke").

Adapted from the shared testing kit's reference fixture; the project does not depend on it.
"""

from __future__ import annotations

import ctypes
import json
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

HERE = Path(__file__).resolve().parent
NOTIFICATIONS = "org.freedesktop.Notifications"
SNI_WATCHER = "org.kde.StatusNotifierWatcher"
SECRETS = "org.freedesktop.secrets"
KEYRING_PASSWORD = b"test-password"  # a throwaway keyring in a temp dir; nothing real is ever in it
START_TIMEOUT = 15.0

BUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir={d}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/>
<allow eavesdrop="true"/><allow own="*"/></policy></busconfig>"""

# Tools and the Debian package that has each (scripts/apt-packages.txt lists them all).
TOOLS = {"Xvfb": "xvfb", "dbus-daemon": "dbus-daemon", "gnome-keyring-daemon": "gnome-keyring",
         "notify-send": "libnotify-bin"}

# Variables of a real desktop session that would change which Qt platform theme (and tray) is used.
_DESKTOP_VARS = ("WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "XDG_SESSION_TYPE",
                 "DESKTOP_SESSION", "KDE_FULL_SESSION", "GNOME_DESKTOP_SESSION_ID", "QT_QPA_PLATFORMTHEME")


# prctl(PR_SET_PDEATHSIG, SIGTERM), looked up here: the child between fork and exec must not import
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM it when the test process dies, even by a crash or SIGKILL
    (no teardown runs then, and the helpers would be left behind)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _hold_x_connection(display: str) -> socket.socket:
    """Connect to the X server as a client for the whole session and stay connected.

    ``-terminate`` ends Xvfb when its last client disconnects. Tests that run before any
    QApplication exists (a bundle or ``--selftest`` started on this display) would otherwise be its
    only client and take Xvfb down with them when they exit. The connection closes with this process.
    """
    path = f"/tmp/.X11-unix/X{display.lstrip(':').split('.')[0]}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5)
    sock.connect(path)
    # the X11 connection setup: little-endian, protocol 11.0, no authorisation
    sock.sendall(struct.pack("<BxHHHHxx", ord("l"), 11, 0, 0, 0))
    if sock.recv(1) != b"\x01":
        sock.close()
        raise DesktopEnvError(f"Xvfb on {display} refused the keep-alive connection")
    return sock


class DesktopEnvError(RuntimeError):
    """The test desktop could not be started; the message says what is missing."""


def _deadline_read_line(stream: IO[str] | int, what: str, timeout: float = START_TIMEOUT) -> str:
    """One line from a pipe (a text stream or a raw fd), or DesktopEnvError after ``timeout`` s."""
    fd = stream if isinstance(stream, int) else stream.fileno()
    end = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        left = end - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise DesktopEnvError(f"timed out waiting for {what}")
        chunk = os.read(fd, 1)
        if not chunk:
            raise DesktopEnvError(f"{what}: the process exited before it was ready")
        data += chunk
    return data.decode().strip()


def _wait(predicate: Callable[[], bool], what: str, timeout: float = START_TIMEOUT) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.02)
    raise DesktopEnvError(f"timed out waiting for {what}")


def _bus_call(address: str, method: str, signature: str | None = None, body: tuple[Any, ...] = (),
              *, destination: str = "org.freedesktop.DBus", path: str = "/org/freedesktop/DBus",
              interface: str = "org.freedesktop.DBus", wait: bool = True) -> tuple[Any, ...]:
    """A method call with a plain blocking client of our own (jeepney), independent of the app's.

    ``wait=False`` sends without waiting for the reply: needed when the test process itself answers
    (Qt dispatches the call on the GUI thread, which is busy right here waiting).
    """
    from jeepney import DBusAddress, MessageFlag, MessageType, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus=address) as conn:
        msg = new_method_call(DBusAddress(path, bus_name=destination, interface=interface), method, signature, body)
        if not wait:
            msg.header.flags |= MessageFlag.no_reply_expected
            conn.send(msg)
            return ()
        reply = conn.send_and_get_reply(msg, timeout=5)
    if reply.header.message_type is MessageType.error:
        raise DesktopEnvError(f"D-Bus {method} on {destination} failed: {reply.body}")
    return reply.body


@dataclass
class DesktopEnv:
    """A running test desktop; ``DesktopEnv.start()`` makes one."""

    root: Path
    display: str = ""
    bus_address: str = ""
    notifications_file: Path = field(init=False)
    sni_file: Path = field(init=False)
    _procs: dict[str, subprocess.Popen[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.notifications_file = self.root / "notifications.jsonl"
        self.sni_file = self.root / "sni.jsonl"

    # --- starting and stopping ------------------------------------------------------------------

    _x_keeper: socket.socket | None = None

    @classmethod
    def start(cls, root: Path | None = None) -> DesktopEnv:
        missing = [f"{tool} (apt package {pkg})" for tool, pkg in TOOLS.items() if shutil.which(tool) is None]
        if missing:
            raise DesktopEnvError("the UI tests need: " + ", ".join(missing) + " — see scripts/apt-packages.txt")
        env = cls(root or Path(tempfile.mkdtemp(prefix="zavera-desktop-env-")))
        try:
            for var in _DESKTOP_VARS:
                os.environ.pop(var, None)
            env._start_x()
            env._start_bus()
            env.start_notification_server()
            env.start_tray_watcher()
            env._start_keyring()
        except BaseException:
            env.stop(keep_x=False)
            raise
        return env

    def _log(self, name: str) -> IO[str]:
        return open(self.root / f"{name}.log", "a", encoding="utf-8")

    def _start_x(self) -> None:
        read, write = os.pipe()
        try:
            with self._log("xvfb") as log:
                self._procs["xvfb"] = subprocess.Popen(
                    ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp",
                     "-terminate"],  # exits when its last X client (the test process) disconnects
                    pass_fds=[write], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                    preexec_fn=_die_with_parent)
            os.close(write)
            write = -1
            self.display = ":" + _deadline_read_line(read, "Xvfb to choose a display")
        finally:
            os.close(read)
            if write >= 0:
                os.close(write)
        os.environ["DISPLAY"] = self.display
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        self._x_keeper = _hold_x_connection(self.display)

    def _start_bus(self) -> None:
        sockets = self.root / "bus"
        sockets.mkdir(mode=0o700)
        conf = self.root / "bus.conf"
        conf.write_text(BUS_CONF.format(d=sockets))
        with self._log("dbus") as log:
            bus = subprocess.Popen(["dbus-daemon", "--config-file", str(conf), "--nofork", "--print-address=1"],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, text=True,
                                   preexec_fn=_die_with_parent)
        self._procs["dbus"] = bus
        assert bus.stdout is not None
        self.bus_address = _deadline_read_line(bus.stdout, "dbus-daemon to print its address")
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = self.bus_address

    def _start_fake(self, key: str, script: str, record: Path) -> None:
        with self._log(key) as log:
            proc = subprocess.Popen([sys.executable, str(HERE / script), str(record)],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, text=True,
                                    env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.bus_address},
                                    preexec_fn=_die_with_parent)
        self._procs[key] = proc
        assert proc.stdout is not None
        line = _deadline_read_line(proc.stdout, f"{script} to own its name")
        if line != "READY":
            raise DesktopEnvError(f"{script} said {line!r} instead of READY (see {self.root / key}.log)")

    def start_notification_server(self) -> None:
        self._start_fake("notifyd", "fake_notifyd.py", self.notifications_file)

    def start_tray_watcher(self) -> None:
        """(Re)start the fake StatusNotifierWatcher: the desktop has a tray again."""
        self._start_fake("sni", "fake_sni_watcher.py", self.sni_file)

    def stop_tray_watcher(self) -> None:
        """Stop the fake StatusNotifierWatcher: from now on the desktop has no tray (stock GNOME)."""
        proc = self._procs.pop("sni", None)
        if proc is not None:
            self._end(proc)
        _wait(lambda: not self.name_has_owner(SNI_WATCHER), f"{SNI_WATCHER} to leave the bus")

    def _start_keyring(self) -> None:
        # The keyring lives under the session's XDG dirs (tests/conftest.py points them at a temp home);
        # gnome-keyring insists on a private runtime dir.
        for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_RUNTIME_DIR", "run")):
            if not os.path.isdir(os.environ.get(var, "")):
                path = self.root / sub
                path.mkdir(mode=0o700, exist_ok=True)
                os.environ[var] = str(path)
        with self._log("keyring") as log:
            proc = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log,
                                    preexec_fn=_die_with_parent)
        self._procs["keyring"] = proc
        assert proc.stdin is not None
        proc.stdin.write(KEYRING_PASSWORD)
        proc.stdin.close()
        _wait(lambda: self.name_has_owner(SECRETS), SECRETS)

    @staticmethod
    def _end(proc: subprocess.Popen[Any]) -> None:
        if proc.poll() is None:
            proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()

    def stop(self, keep_x: bool) -> None:
        """End every process this environment started, by PID; Xvfb too unless ``keep_x``."""
        for key in reversed(list(self._procs)):
            if key == "xvfb" and keep_x:
                continue  # -terminate ends it when the QApplication disconnects at exit
            self._end(self._procs.pop(key))
        if not keep_x:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- what tests use ---------------------------------------------------------------------------

    def name_has_owner(self, name: str) -> bool:
        return bool(_bus_call(self.bus_address, "NameHasOwner", "s", (name,))[0])

    def notifications(self) -> list[dict[str, Any]]:
        """Every ``Notify`` call the fake server received since the last ``clear_notifications()``."""
        if not self.notifications_file.exists():
            return []
        lines = self.notifications_file.read_text(encoding="utf-8").splitlines(keepends=True)
        # a line still being written has no newline yet: it is read next time
        return [json.loads(line) for line in lines if line.endswith("\n")]

    def clear_notifications(self) -> None:
        self.notifications_file.write_text("", encoding="utf-8")

    def invoke_action(self, notification_id: int, action: str = "default") -> None:
        """The user clicks notification ``notification_id``: the server emits ``ActionInvoked``."""
        _bus_call(self.bus_address, "TestInvokeAction", "us", (notification_id, action), destination=NOTIFICATIONS,
                  path="/org/freedesktop/Notifications", interface=NOTIFICATIONS)

    def expire(self, notification_id: int) -> None:
        """Notification ``notification_id`` times out: the server emits ``NotificationClosed`` (reason 1)."""
        _bus_call(self.bus_address, "TestExpire", "u", (notification_id,), destination=NOTIFICATIONS,
                  path="/org/freedesktop/Notifications", interface=NOTIFICATIONS)

    def tray_registrations(self) -> list[str]:
        """The bus names of the tray icons that registered with the fake watcher."""
        if not self.sni_file.exists():
            return []
        return [json.loads(line)["registered"] for line in self.sni_file.read_text().splitlines() if line.strip()]

    def activate_tray_icon(self, service: str) -> None:
        """A left click on the tray icon registered as ``service``, as a panel sends it (SNI ``Activate``)."""
        _bus_call(self.bus_address, "Activate", "ii", (0, 0), destination=service, path="/StatusNotifierItem",
                  interface="org.kde.StatusNotifierItem", wait=False)
