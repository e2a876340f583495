"""The ways a notification can reach the admin, each behind one small interface (after qutebrowser's
notification adapters): the notifier tries them in order and falls back to the next.

* ``TrayBackend``: ``QSystemTrayIcon.showMessage`` where a tray exists (on Linux Qt sends it to the
  desktop's notification server over D-Bus; on Windows it is the tray balloon). It reports clicks.
* ``PlyerBackend``: ``plyer.notification.notify`` where there is no tray (stock GNOME): notify-send
  on Linux, the balloon on Windows. No clicks. It runs on a worker thread of its own: notify-send
  is a process that can hang as long as the D-Bus timeout, and plyer's Windows balloon sleeps.
  Failures seen there come back as ``failed(title, body, codes, error)`` on the GUI thread.
* ``BannerBackend``: the in-window banner, the harmless last resort; it reports clicks.

The interface: ``name`` (stable id), ``label()`` (the words settings shows), ``available()`` (cheap;
may be asked before every notification), ``show(title, body, codes)`` which raises
``NotificationError`` when it cannot show, and the ``failed`` signal for late failures.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
import warnings
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from zavera_desktop.resources_path import resource_path
from zavera_desktop.ui.banner import NotificationBanner
from zavera_desktop.ui.tray import TrayIcon

log = logging.getLogger(__name__)

APP_NAME = "Zavera Desktop"
NOTIFICATIONS_SERVICE = "org.freedesktop.Notifications"
# how long a plyer notification stays up (seconds)
PLYER_TIMEOUT_S = 10


class NotificationError(RuntimeError):
    """This backend cannot show the notification (the next one in the chain should)."""


class NotificationBackend(QObject):
    """One way of showing a notification."""

    name = "none"
    # a failure after ``show()`` returned: title, body, codes, error text (GUI thread)
    failed = Signal(str, str, object, str)

    def label(self) -> str:
        raise NotImplementedError

    def available(self) -> bool:
        raise NotImplementedError

    def show(self, title: str, body: str, codes: Sequence[str]) -> None:
        raise NotImplementedError


class TrayBackend(NotificationBackend):
    name = "tray"

    def __init__(self, tray: TrayIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tray = tray

    def label(self) -> str:
        return self.tr("the system tray")

    def available(self) -> bool:
        return self._tray.is_visible() and self._tray.supports_messages() and TrayIcon.available()

    def show(self, title: str, body: str, codes: Sequence[str]) -> None:
        if not self.available():
            raise NotificationError("the system tray is gone or cannot show messages")
        self._tray.show_message(title, body, tuple(codes))


class BannerBackend(NotificationBackend):
    name = "banner"

    def __init__(self, banner: NotificationBanner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._banner = banner

    def label(self) -> str:
        return self.tr("the banner in the window")

    def available(self) -> bool:
        return True

    def show(self, title: str, body: str, codes: Sequence[str]) -> None:
        self._banner.show_message(title, body, tuple(codes))


def _plyer_implementation() -> Any | None:
    """plyer's notification object for this platform, or None when plyer has no working one."""
    try:
        with warnings.catch_warnings():
            # plyer warns when python-dbus is missing and then uses notify-send: expected here
            warnings.simplefilter("ignore")
            from plyer import notification
            from plyer.facades import Notification

            impl = notification.notify.__self__  # resolving the proxy picks the platform's class
    except Exception as exc:  # plyer imports platform modules; any failure means "not here"
        log.info("plyer notifications unavailable: %s", exc)
        return None
    if type(impl)._notify is Notification._notify:  # the facade itself: no implementation here
        return None
    return impl


def _linux_notification_server() -> bool:
    """Whether the session bus has a notification server, running or startable on demand.

    notify-send fails without one and plyer does not check its exit code: the notification would be
    lost instead of falling back to the banner.
    """
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError:
        return True  # cannot tell: let plyer try
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    iface = bus.interface()
    if iface is None:
        return False
    if iface.isServiceRegistered(NOTIFICATIONS_SERVICE).value():
        return True
    activatable = iface.activatableServiceNames()
    return activatable.isValid() and NOTIFICATIONS_SERVICE in (activatable.value() or [])


class PlyerBackend(NotificationBackend):
    name = "plyer"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._impl: Any | None = None
        self._resolved = False
        self._jobs: queue.SimpleQueue[tuple[str, str, tuple[str, ...]] | None] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None

    def _implementation(self) -> Any | None:
        if not self._resolved:  # once: plyer imports its platform module on first use
            self._impl = _plyer_implementation()
            self._resolved = True
        return self._impl

    def label(self) -> str:
        impl = self._implementation()
        kind = type(impl).__name__ if impl is not None else ""
        if kind == "NotifySendNotification":
            return "notify-send"
        if kind == "NotifyDbus":
            return "D-Bus"
        if kind == "NotifyDesktopPortals":
            return self.tr("the desktop portal")
        if sys.platform == "win32":
            return self.tr("Windows notifications")
        if sys.platform == "darwin":
            return self.tr("macOS notifications")
        return "plyer"

    def available(self) -> bool:
        if self._implementation() is None:
            return False
        if sys.platform.startswith("linux") and not os.path.isdir("/app"):  # /app: plyer's Flatpak portal
            return _linux_notification_server()
        return True

    def show(self, title: str, body: str, codes: Sequence[str]) -> None:
        if not self.available():
            raise NotificationError("plyer has no way to show notifications here")
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._run, name="plyer-notify", daemon=True)
            self._worker.start()
        self._jobs.put((title, body, tuple(codes)))

    def close(self) -> None:
        """Let the worker thread finish what it has and end."""
        if self._worker is not None and self._worker.is_alive():
            self._jobs.put(None)

    def _run(self) -> None:
        icon = "" if sys.platform == "win32" else str(resource_path("icons/app.png"))  # Windows wants .ico
        while (job := self._jobs.get()) is not None:
            title, body, codes = job
            try:
                self._notify(title=title, message=body, app_name=APP_NAME, app_icon=icon, timeout=PLYER_TIMEOUT_S)
            except Exception as exc:  # whatever plyer raises, the notification must not be lost
                log.warning("plyer could not show a notification: %s", exc)
                self.failed.emit(title, body, codes, str(exc))

    def _notify(self, **kwargs: Any) -> None:
        # a method of its own so a test can make it fail
        impl = self._implementation()
        if impl is None:
            raise NotificationError("plyer has no notification implementation here")
        impl.notify(**kwargs)
