"""The UI tests run on a real (virtual) desktop: Xvfb + xcb, a private D-Bus session bus, a fake
notification server, a fake tray (StatusNotifierWatcher) and an unlocked gnome-keyring.

It starts when pytest imports this file, i.e. while it collects tests/ui and before any test of the
session runs: so before pytest-qt's ``qapp`` (or anything else) creates the QApplication, and before
test modules are imported (a module-level ``skipif`` on ``DBUS_SESSION_BUS_ADDRESS`` sees the bus). It
overrides the ``QT_QPA_PLATFORM=offscreen`` default of tests/conftest.py; every Qt test of the session
then runs on Xvfb. It stops at the end of the session (the ``desktop_env`` fixture's teardown, or
``pytest_unconfigure`` when no test of tests/ui ran). Fixtures for tests:

* ``notify_server``: the recorded ``Notify`` calls (cleared before every test), bounded waits, and
  the user's side: ``click(record)`` (``ActionInvoked``), ``expire(record)`` (``NotificationClosed``).
* ``no_tray``: the fake tray watcher is stopped for this test, so ``QSystemTrayIcon.isSystemTrayAvailable()``
  is False, as on stock GNOME; it is restarted afterwards. Qt asks the bus each time (no cache), so
  this works inside one process.
* ``make_tray``: ``TrayIcon``s that are deleted after the test (a tray icon left behind would still
  answer the fake server's clicks).
* ``desktop_env``: the ``DesktopEnv`` itself (tests/ui/desktop_env.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.ui.desktop_env import DesktopEnv

# What a test waits for at most (ms): D-Bus round trips here take a few ms.
WAIT_MS = 5000


def _qt_platform() -> str | None:
    """The platform of an existing QApplication, or None when there is none yet."""
    if "PySide6.QtGui" not in sys.modules:
        return None
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    return QGuiApplication.platformName() if app is not None else None


def _start() -> DesktopEnv:
    platform = _qt_platform()
    if platform not in (None, "xcb"):
        raise RuntimeError(
            f"a QApplication ({platform}) was created before tests/ui was collected; one process has one "
            "QApplication, and the UI tests need it on Xvfb")
    env = DesktopEnv.start()
    print(f"\n[desktop_env] DISPLAY={env.display} bus={env.bus_address} in {env.root}", file=sys.stderr)
    return env


_ENV: DesktopEnv | None = _start()


def _stop() -> None:
    global _ENV
    if _ENV is not None:
        _ENV.stop(keep_x=_qt_platform() == "xcb")
        _ENV = None


def pytest_unconfigure(config: pytest.Config) -> None:
    _stop()


@pytest.fixture(scope="session", autouse=True)
def desktop_env() -> Iterator[DesktopEnv]:
    assert _ENV is not None, "the test desktop was stopped before the session ended"
    try:
        yield _ENV
    finally:
        _stop()


class NotifyServer:
    """The fake notification server as a test sees it: what the app sent, and the user's clicks."""

    def __init__(self, env: DesktopEnv, qtbot: Any) -> None:
        self._env = env
        self._qtbot = qtbot

    def records(self) -> list[dict[str, Any]]:
        """Every ``Notify`` call so far in this test (dicts: summary, body, app_name, actions, hints, id...)."""
        return self._env.notifications()

    def wait_for(self, count: int, timeout: int = WAIT_MS) -> list[dict[str, Any]]:
        """Spin the Qt event loop until at least ``count`` calls arrived (D-Bus calls are asynchronous)."""
        self._qtbot.waitUntil(lambda: len(self.records()) >= count, timeout=timeout)
        return self.records()

    def settle(self, ms: int = 400) -> list[dict[str, Any]]:
        """The calls after the event loop ran ``ms`` more: to check that nothing *else* arrives."""
        self._qtbot.wait(ms)
        return self.records()

    def click(self, record: dict[str, Any], action: str = "default") -> None:
        self._env.invoke_action(int(record["id"]), action)

    def expire(self, record: dict[str, Any]) -> None:
        self._env.expire(int(record["id"]))


@pytest.fixture(scope="session", autouse=True)
def _gc_guard(qapp: Any) -> None:
    """The QApplication of the UI tests exists from the start, and so does the app's rule: cycles
    are collected on the GUI thread only (zavera_desktop/ui/gc_guard.py)."""
    from zavera_desktop.ui import gc_guard

    gc_guard.install(qapp)


@pytest.fixture(autouse=True)
def _fresh_notifications(desktop_env: DesktopEnv) -> None:
    # every test starts with an empty record, whether it reads it through notify_server or desktop_env
    desktop_env.clear_notifications()


@pytest.fixture
def notify_server(desktop_env: DesktopEnv, qtbot: Any) -> NotifyServer:
    return NotifyServer(desktop_env, qtbot)


@pytest.fixture
def no_tray(desktop_env: DesktopEnv, qapp: Any) -> Iterator[None]:
    """This test runs on a desktop without a system tray (the fake watcher is gone)."""
    from PySide6.QtWidgets import QSystemTrayIcon

    desktop_env.stop_tray_watcher()
    try:
        assert not QSystemTrayIcon.isSystemTrayAvailable(), "Qt still reports a system tray"
        yield
    finally:
        desktop_env.start_tray_watcher()


@pytest.fixture
def make_tray(qapp: Any) -> Iterator[Callable[..., Any]]:
    import shiboken6

    from zavera_desktop.ui.tray import TrayIcon

    made: list[TrayIcon] = []

    def make(**kwargs: Any) -> TrayIcon:
        tray = TrayIcon(**kwargs)
        made.append(tray)
        return tray

    yield make
    for tray in made:
        if shiboken6.isValid(tray):
            tray.hide()
            menu = tray.menu()
            shiboken6.delete(tray)
            if shiboken6.isValid(menu):
                shiboken6.delete(menu)
