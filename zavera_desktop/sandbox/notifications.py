"""AdminNotification values and their SSE wire form (contract §2.2, §2.3, §11).

Mirrors ``service/notification_service.go`` and ``FormatSSEMessage``: struct field order
id, type, title, message, severity, data (omitted when null), timestamp, read; ``data`` is
a Go map so its keys are sorted; one ``data:`` line; ``retry: 3000`` on every notification.
"""

from __future__ import annotations

import time
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from zavera_desktop.sandbox.broker import Broker
from zavera_desktop.sandbox.gojson import dumps, sorted_map
from zavera_desktop.sandbox.stats import Stats
from zavera_desktop.sandbox.timeutil import rfc3339nano_ns

RETRY_MS = 3000


def format_event(event_id: str, event: str, retry: int, data: str | None) -> bytes:
    """``FormatSSEMessage``: optional id/event/retry lines, one data line, blank line."""
    parts = []
    if event_id:
        parts.append(f"id: {event_id}\n")
    if event:
        parts.append(f"event: {event}\n")
    if retry > 0:
        parts.append(f"retry: {retry}\n")
    if data is not None:
        parts.append(f"data: {data}\n")
    parts.append("\n")
    return "".join(parts).encode("utf-8")


def keepalive_comment(unix: int) -> bytes:
    return f": keepalive {unix}\n\n".encode()


def rupiah(amount: Decimal | float) -> str:
    """Go ``fmt.Sprintf("%.0f", amount)``: no thousands separator, half-to-even on the float."""
    return f"{float(amount):.0f}"


def notification_id(unix_ns: int) -> str:
    """``"<UnixNano>-<unixSeconds mod 1000>"`` as BroadcastNotification fills in."""
    return f"{unix_ns}-{(unix_ns // 1_000_000_000) % 1000}"


def build_notification(
    ntype: str,
    title: str,
    message: str,
    severity: str,
    data: dict[str, Any] | None,
    *,
    zone: tzinfo,
    notif_id: str | None = None,
    unix_ns: int | None = None,
) -> dict[str, Any]:
    unix_ns = time.time_ns() if unix_ns is None else unix_ns
    body: dict[str, Any] = {
        "id": notif_id or notification_id(unix_ns),
        "type": ntype,
        "title": title,
        "message": message,
        "severity": severity,
    }
    if data is not None:
        body["data"] = sorted_map(data)
    body["timestamp"] = rfc3339nano_ns(unix_ns, zone)
    body["read"] = False
    return body


def notification_event(notification: dict[str, Any]) -> bytes:
    return format_event(str(notification["id"]), "notification", RETRY_MS, dumps(notification))


class Notifier:
    """The ``Notify*`` helpers: build, count, and hand to the broker."""

    def __init__(self, broker: Broker, zone: tzinfo, stats: Stats) -> None:
        self._broker = broker
        self._zone = zone
        self._stats = stats

    def broadcast(
        self,
        ntype: str,
        title: str,
        message: str,
        severity: str,
        data: dict[str, Any] | None,
        notif_id: str | None = None,
    ) -> dict[str, Any]:
        notification = build_notification(
            ntype, title, message, severity, data, zone=self._zone, notif_id=notif_id
        )
        self._stats.notifications[ntype] += 1
        self._broker.publish(notification_event(notification))
        return notification

    def publish_raw(self, ntype: str, message: bytes) -> None:
        """For malformed-event faults: bytes that no Notify helper would produce."""
        self._stats.notifications[ntype] += 1
        self._broker.publish(message)

    def payment_received(self, order_code: str, payment_method: str, amount: Decimal) -> None:
        self.broadcast(
            "payment_received",
            "💰 Payment Received",
            f"Order #{order_code} paid via {payment_method} (Rp {rupiah(amount)})",
            "info",
            {"order_code": order_code, "payment_method": payment_method, "amount": amount},
        )

    def payment_expired(self, order_code: str) -> None:
        self.broadcast(
            "payment_expired",
            "⏰ Payment Expired",
            f"Order #{order_code} payment has expired",
            "warning",
            {"order_code": order_code},
        )

    def order_created(self, order_code: str, customer_name: str, total_amount: Decimal) -> None:
        self.broadcast(
            "order_created",
            "🛍️ New Order",
            f"{customer_name} placed an order #{order_code} (Rp {rupiah(total_amount)})",
            "info",
            {"order_code": order_code, "customer": customer_name, "total_amount": total_amount},
        )

    def user_login(self, email: str, first_name: str) -> None:
        self.broadcast(
            "user_login", "🔐 User Login", f"{first_name} logged in", "info", {"email": email, "name": first_name}
        )

    def system_connected(self, admin: str) -> None:
        self.broadcast(
            "system",
            "🎉 SSE Connected",
            f"Welcome {admin}! Real-time notifications are now active.",
            "info",
            {"admin": admin},
            notif_id=f"test-{int(time.time())}",
        )

    def system_startup(self) -> None:
        self.broadcast(
            "system",
            "🧪 System Test",
            "SSE Broker is running!",
            "info",
            {"test": True},
            notif_id=f"test-startup-{int(time.time())}",
        )
