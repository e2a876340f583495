"""A fake ``org.kde.StatusNotifierWatcher`` for the UI tests (dbus-fast).

Usage: ``python fake_sni_watcher.py RECORD.jsonl``. With it on the session bus, Qt's xcb platform
uses its D-Bus (StatusNotifierItem) tray: ``QSystemTrayIcon.isSystemTrayAvailable()`` is True and
``showMessage`` becomes an ``org.freedesktop.Notifications.Notify`` call the fake notification
server records. Without it (stock GNOME), there is no tray. Prints ``READY`` once it owns the name;
appends ``{"registered": service}`` per tray icon that registers.

A copy of the reference in the shared testing kit, so a fresh clone needs nothing outside the
repository.
"""
# ruff: noqa: F722, F821 - dbus-fast reads D-Bus signatures ("s", "as") from the annotations

import asyncio
import json
import sys

from dbus_fast import RequestNameReply
from dbus_fast.aio import MessageBus
from dbus_fast.constants import PropertyAccess
from dbus_fast.service import ServiceInterface, dbus_property, method, signal


class Watcher(ServiceInterface):
    def __init__(self, path: str) -> None:
        super().__init__("org.kde.StatusNotifierWatcher")
        self._items: list[str] = []
        self._path = path

    @method()
    def RegisterStatusNotifierItem(self, service: "s"):
        self._items.append(service)
        with open(self._path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"registered": service}) + "\n")
        self.StatusNotifierItemRegistered(service)

    @method()
    def RegisterStatusNotifierHost(self, service: "s"):
        pass

    @dbus_property(access=PropertyAccess.READ)
    def RegisteredStatusNotifierItems(self) -> "as":
        return self._items

    @dbus_property(access=PropertyAccess.READ)
    def IsStatusNotifierHostRegistered(self) -> "b":
        return True

    @dbus_property(access=PropertyAccess.READ)
    def ProtocolVersion(self) -> "i":
        return 0

    @signal()
    def StatusNotifierItemRegistered(self, service) -> "s":
        return service


async def main(path: str) -> None:
    bus = await MessageBus().connect()
    bus.export("/StatusNotifierWatcher", Watcher(path))
    reply = await bus.request_name("org.kde.StatusNotifierWatcher")
    assert reply == RequestNameReply.PRIMARY_OWNER, reply
    print("READY", flush=True)
    await bus.wait_for_disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
