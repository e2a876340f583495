"""A stream notification becomes a payment claim, an activity line or a baseline update.

Only ``payment_received`` claims a payment (contract §10.10); ``order_created`` and
``payment_expired`` move the reconcile baseline and go to the activity log; ``connected``,
``system``, ``user_login`` and ``user_registered`` are noise. Unknown types are logged and skipped,
never fatal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from zavera_desktop.domain import (
    ActivityItem,
    DecodeError,
    DetectedBy,
    Notification,
    PaymentCandidate,
    parse_amount,
)
from zavera_desktop.engine.changes import ChangeSink
from zavera_desktop.store import SeenUpdate

log = logging.getLogger(__name__)

#: Stream types that never alert (contract §10.10); kept out of the activity log as noise.
IGNORED_TYPES = frozenset({"connected", "system", "user_login", "user_registered"})
#: Stream types kept in the activity log.
ACTIVITY_TYPES = frozenset({"order_created", "payment_expired", "shipment_update", "stock_low",
                            "refund_request", "dispute_created"})


class StreamEvents:
    """Turns each notification into queued changes on the sink."""

    def __init__(self, sink: ChangeSink, *, checking: Callable[[str], DetectedBy | None],
                 on_malformed: Callable[[str], None]) -> None:
        self._sink = sink
        self._checking = checking  # which of our own checks is running for an order, if any
        self._on_malformed = on_malformed
        self.notifications = 0
        self.payments = 0
        self.last_event_at: datetime | None = None

    def __call__(self, n: Notification) -> None:
        now = datetime.now(UTC)
        self.last_event_at = now
        self.notifications += 1
        if n.type in IGNORED_TYPES:
            return
        payload = {"id": n.id, "type": n.type, "title": n.title, "message": n.message, "data": n.data}
        code = n.data.get("order_code")
        code = code if isinstance(code, str) and code else None
        if n.type == "payment_received":
            if code is None:
                self._on_malformed("a payment notification without an order code was skipped")
                return
            try:
                amount: int | None = parse_amount(n.data.get("amount"))
            except DecodeError:
                amount = None
            method = n.data.get("payment_method")
            # The broadcast of a /core/check carries an empty method (§2.3). If it is for an order
            # we are checking right now, it is our check's doing: credit that check (DESIGN §2).
            # A replayed webhook's broadcast carries the method: while our replay for this order is
            # in flight, that broadcast is the replay's doing too (and only then).
            by = self._checking(code)
            ours = by if method == "" or by is DetectedBy.REPLAY else None
            self.payments += 1
            self._sink.queue(
                payments=[PaymentCandidate(order_code=code, amount=amount, detected_by=ours or DetectedBy.STREAM,
                                           detected_at=now, payment_method=method if isinstance(method, str) else "",
                                           raw=payload)],
                activity=[(ActivityItem(n.type, n.message, now, code, n.id), payload)],
            )
            return
        if n.type in ACTIVITY_TYPES:
            seen: list[SeenUpdate] = []
            if code is not None and n.type == "order_created":
                try:
                    total: int | None = parse_amount(n.data.get("total_amount"))
                except DecodeError:
                    total = None
                customer = n.data.get("customer")
                seen = [SeenUpdate(code, "PENDING", customer if isinstance(customer, str) else None, total,
                                   n.timestamp or now)]
            elif code is not None and n.type == "payment_expired":
                seen = [SeenUpdate(code, "EXPIRED")]
            self._sink.queue(activity=[(ActivityItem(n.type, n.message, now, code, n.id), payload)], seen=seen)
            return
        log.info("Skipping a stream notification of unknown type %r", n.type[:40])
        self._sink.queue(activity=[(ActivityItem("unknown", f"Skipped an unknown notification type {n.type[:40]!r}",
                                                 now, code, n.id), payload)])
