"""Where batches come from: every claim, activity line and baseline update goes through here.

Sources queue what they saw during one loop iteration; a ``call_soon`` flush stores it all in one
transaction and hands subscribers one ``ChangeBatch``. Under a burst, one network chunk of events
becomes one store write and one batch; when idle, a payment is delivered with no added delay.
Reconcile and verify record *now* (``record_now``) because they must store before moving on.

Announcing is crash-safe: a payment is stored with ``notified_at = NULL``, delivered, then marked
notified; anything stored but never delivered is announced at the next start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from zavera_desktop.backend.client import OrderDetail
from zavera_desktop.domain import ActivityItem, ChangeBatch, DetectedBy, Payment, PaymentCandidate
from zavera_desktop.store import SeenUpdate, Store, StoreError

log = logging.getLogger(__name__)

Activity = tuple[ActivityItem, dict[str, Any] | None]


def candidate_from_detail(detail: OrderDetail, detected_by: DetectedBy) -> PaymentCandidate:
    """Everything an order detail says about a paid order, as a claim for the store."""
    payment = detail.payment
    return PaymentCandidate(
        order_code=detail.order.order_code, amount=detail.order.total_amount, detected_by=detected_by,
        detected_at=datetime.now(UTC), payment_method=payment.payment_method if payment else "",
        customer=detail.order.customer_name or None, order_status=detail.order.status,
        paid_at=detail.order.paid_at or (payment.paid_at if payment else None),
        payment_id=payment.id if payment is not None and payment.is_core else None,
    )


class ChangeSink:
    """Collects changes, stores them idempotently and delivers them as batches to subscribers."""

    def __init__(self, store: Store, *, on_new: Callable[[list[Payment]], None],
                 on_recorded: Callable[[list[Payment]], None] | None = None) -> None:
        self.store = store
        self._on_new = on_new  # e.g. read the order detail later for the customer name
        self._on_recorded = on_recorded
        self._subscribers: list[Callable[[ChangeBatch], None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._payments: list[PaymentCandidate] = []
        self._activity: list[Activity] = []
        self._seen: list[SeenUpdate] = []
        self._flush_handle: asyncio.Handle | None = None

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    # --- subscribers -------------------------------------------------------------------------------

    def subscribe(self, callback: Callable[[ChangeBatch], None]) -> Callable[[], None]:
        self._subscribers = [*self._subscribers, callback]

        def unsubscribe() -> None:
            self._subscribers = [s for s in self._subscribers if s is not callback]

        return unsubscribe

    def deliver(self, batch: ChangeBatch) -> None:
        if not batch:
            return
        for callback in self._subscribers:
            try:
                callback(batch)
            except Exception:
                log.exception("A change subscriber failed")

    def redeliver_unannounced(self) -> None:
        """Payments stored but not handed out before a crash are announced now (once)."""
        pending = self.store.unnotified_payments()
        if pending:
            log.info("Announcing %d payment(s) recorded before an unclean stop", len(pending))
            self.deliver(ChangeBatch(new_payments=pending))
            self.store.mark_notified([p.id for p in pending if p.id is not None])

    # --- queueing and flushing -----------------------------------------------------------------------

    def queue(self, payments: Sequence[PaymentCandidate] = (), activity: Sequence[Activity] = (),
              seen: Sequence[SeenUpdate] = ()) -> None:
        """Collect changes produced in this loop iteration; one flush stores and delivers them."""
        self._payments.extend(payments)
        self._activity.extend(activity)
        self._seen.extend(seen)
        if self._flush_handle is None and self._loop is not None:
            self._flush_handle = self._loop.call_soon(self.flush)

    def note(self, kind: str, message: str, order_code: str | None = None) -> None:
        """An engine note for the activity log."""
        self.queue(activity=[(ActivityItem(kind, message, datetime.now(UTC), order_code), None)])

    def record_now(self, payments: Sequence[PaymentCandidate]) -> list[Payment]:
        """Store and announce at once (reconcile and verify must record before moving on)."""
        self._payments.extend(payments)
        return self.flush()

    def cancel_pending_flush(self) -> None:
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None

    def flush(self) -> list[Payment]:
        self._flush_handle = None
        cands, self._payments = self._payments, []
        activity, self._activity = self._activity, []
        seen, self._seen = self._seen, []
        if not cands and not activity and not seen:
            return []
        try:
            # the baseline first: an order_created and its payment can share a batch
            self.store.update_seen(seen)
            seen = []
            cands = self._fill_from_seen(cands)
            new, updated = self.store.record_payments(cands)
            self.store.add_events(activity)
        except (StoreError, SQLAlchemyError) as exc:
            # Keep every claim and try again shortly: losing a payment is the one thing we never do.
            log.error("Cannot write the local database (%s); retrying in 1 s", exc.__class__.__name__)
            self._payments[:0] = cands
            self._activity[:0] = activity
            self._seen[:0] = seen
            if self._loop is not None and self._flush_handle is None:
                self._flush_handle = self._loop.call_later(1.0, self.flush)
            return []
        if new and self._on_recorded is not None:
            self._on_recorded(new)
        self.deliver(ChangeBatch(new_payments=new, updated_payments=updated, activity=[a for a, _ in activity]))
        if new:
            self.store.mark_notified([p.id for p in new if p.id is not None])
            self._on_new([p for p in new if p.customer is None or p.paid_at is None])
        return new

    def _fill_from_seen(self, cands: list[PaymentCandidate]) -> list[PaymentCandidate]:
        """The stream knows no customer name; the reconcile baseline often does."""
        missing = [c.order_code for c in cands if c.customer is None or c.amount is None]
        if not missing:
            return cands
        seen = self.store.seen_orders(missing)
        out = []
        for c in cands:
            s = seen.get(c.order_code)
            if s is not None and (c.customer is None or c.amount is None):
                c = PaymentCandidate(
                    order_code=c.order_code, amount=c.amount if c.amount is not None else s.amount,
                    detected_by=c.detected_by, detected_at=c.detected_at, payment_method=c.payment_method,
                    customer=c.customer or s.customer, order_status=c.order_status, paid_at=c.paid_at,
                    payment_id=c.payment_id or s.payment_id, raw=c.raw,
                )
            out.append(c)
        return out
