"""A fake ``org.freedesktop.Notifications`` server for the UI tests (dbus-fast).

Usage: ``python fake_notifyd.py RECORD.jsonl`` (uses ``$DBUS_SESSION_BUS_ADDRESS``). Prints ``READY``
once it owns the name, then appends one JSON line per ``Notify`` call: what a real notification
server would have received from the app (Qt's tray, notify-send, ...), and when (``t_monotonic``:
``time.monotonic()`` on arrival, comparable across processes; ``t_epoch``).

Two test-only methods make it act like a user: ``TestInvokeAction(id, key)`` (a click: emits
``ActionInvoked`` then ``NotificationClosed`` reason 2) and ``TestExpire(id)`` (``NotificationClosed``
reason 1).

Started by tests/ui/desktop_env.py; a copy of the reference in the shared testing kit, so a fresh
clone needs nothing outside the repository.
"""
# ruff: noqa: F722, F821 - dbus-fast reads D-Bus signatures ("s", "as", "a{sv}") from the annotations

import asyncio
import json
import sys
import time

from dbus_fast import RequestNameReply
from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method, signal


class Notifications(ServiceInterface):
    def __init__(self, path: str) -> None:
        super().__init__("org.freedesktop.Notifications")
        self._path, self._next = path, 0

    @method()
    def GetCapabilities(self) -> "as":
        return ["body", "actions", "icon-static"]

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["fake-notifyd", "test", "1.0", "1.2"]

    @method()
    def Notify(self, app_name: "s", replaces_id: "u", app_icon: "s", summary: "s",
               body: "s", actions: "as", hints: "a{sv}", expire_timeout: "i") -> "u":
        received = time.monotonic()  # first: the benchmark (bench/gui_bench.py) times the call's arrival
        self._next += 1
        record = dict(id=self._next, app_name=app_name, replaces_id=replaces_id, app_icon=app_icon,
                      summary=summary, body=body, actions=actions,
                      # image data is bytes: keep the hint names, not megabytes of pixels
                      hints={k: (repr(v.value) if k not in ("image-data", "image_data", "icon_data") else "<image>")
                             for k, v in hints.items()},
                      expire_timeout=expire_timeout,
                      # CLOCK_MONOTONIC is one clock for every process here; the epoch time is for people
                      t_monotonic=received, t_epoch=time.time())
        with open(self._path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        return self._next

    @method()
    def CloseNotification(self, id: "u"):
        self.NotificationClosed(id, 3)

    @method()
    def TestInvokeAction(self, id: "u", action_key: "s"):
        """Test-only: the user clicks the notification (key "default") or one of its actions."""
        self.ActionInvoked(id, action_key)
        self.NotificationClosed(id, 2)

    @method()
    def TestExpire(self, id: "u"):
        """Test-only: the notification timed out."""
        self.NotificationClosed(id, 1)

    @signal()
    def NotificationClosed(self, id, reason) -> "uu":
        return [id, reason]

    @signal()
    def ActionInvoked(self, id, action_key) -> "us":
        return [id, action_key]


async def main(path: str) -> None:
    bus = await MessageBus().connect()
    bus.export("/org/freedesktop/Notifications", Notifications(path))
    reply = await bus.request_name("org.freedesktop.Notifications")
    assert reply == RequestNameReply.PRIMARY_OWNER, reply
    print("READY", flush=True)
    await bus.wait_for_disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
