"""The gap filler: read recent orders and diff their statuses against what the store last saw.

The backend has no "paid since T" query and its offset pagination shifts while orders arrive
(contract §3.1, §10.3), so a reconcile reads the whole lookback window, newest first, and then —
if the total grew while it read — reads the head again until it meets an order it already has.
Repeated rows are harmless (everything is keyed by ``order_code``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from zavera_desktop.backend.client import OrdersPage, OrderSummary, ZaveraClient
from zavera_desktop.domain import DetectedBy, PaymentCandidate, days_ago, is_paid_status
from zavera_desktop.store import SeenUpdate, Store

log = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_PAGES = 1000  # 100,000 orders in the window: a runaway guard, not a product limit
MAX_HEAD_REREADS = 5


@dataclass(slots=True)
class ReconcileResult:
    orders: dict[str, OrderSummary] = field(default_factory=dict)
    candidates: list[PaymentCandidate] = field(default_factory=list)
    enrich: list[PaymentCandidate] = field(default_factory=list)
    seen_updates: list[SeenUpdate] = field(default_factory=list)
    pages_read: int = 0
    baseline: bool = False


async def read_window(
    client: ZaveraClient,
    date_from: str,
    *,
    page_size: int = PAGE_SIZE,
    on_page: Callable[[int, OrdersPage], Awaitable[None] | None] | None = None,
) -> tuple[dict[str, OrderSummary], int]:
    """All orders created since ``date_from``; survives pages shifting under new orders.

    Returns the orders by code and the number of pages read.
    """
    orders: dict[str, OrderSummary] = {}
    pages = 0
    page_no = 1
    last_total = 0
    while page_no <= MAX_PAGES:
        page = await client.list_orders(page=page_no, page_size=page_size, date_from=date_from)
        pages += 1
        if on_page is not None:
            maybe = on_page(page_no, page)
            if maybe is not None:
                await maybe
        for order in page.orders:
            orders.setdefault(order.order_code, order)
        last_total = page.total_count
        if len(page.orders) < page_size:
            break
        page_no += 1
    # New orders pushed rows down while we read: the newest ones are then missing from our
    # page 1. Re-read the head until a page overlaps what we already hold.
    for _ in range(MAX_HEAD_REREADS):
        if last_total <= len(orders):
            break
        page_no = 1
        while page_no <= MAX_PAGES:
            page = await client.list_orders(page=page_no, page_size=page_size, date_from=date_from)
            pages += 1
            if on_page is not None:
                maybe = on_page(page_no, page)
                if maybe is not None:
                    await maybe
            last_total = page.total_count
            known = sum(1 for o in page.orders if o.order_code in orders)
            for order in page.orders:
                orders[order.order_code] = order
            if known or len(page.orders) < page_size:
                break
            page_no += 1
    return orders, pages


def diff(
    orders: dict[str, OrderSummary],
    store: Store,
    *,
    now: datetime,
    first_started_at: datetime,
    baseline_done: bool,
) -> ReconcileResult:
    """Decide which orders are newly paid, compared with the store's baseline."""
    result = ReconcileResult(orders=orders, baseline=not baseline_done)
    codes = list(orders)
    seen = store.seen_orders(codes)
    paid_codes = store.paid_codes([c for c in codes if is_paid_status(orders[c].status)])
    for code, order in orders.items():
        result.seen_updates.append(SeenUpdate(order_code=code, status=order.status,
                                              customer=order.customer_name or None,
                                              amount=order.total_amount, created_at=order.created_at))
        if not is_paid_status(order.status):
            continue
        cand = PaymentCandidate(
            order_code=code, amount=order.total_amount, detected_by=DetectedBy.RECONCILE, detected_at=now,
            customer=order.customer_name or None, order_status=order.status, paid_at=order.paid_at,
        )
        if code in paid_codes:
            result.enrich.append(cand)
            continue
        previous = seen.get(code)
        if previous is not None:
            if not is_paid_status(previous.status):
                result.candidates.append(cand)  # unpaid → paid: the payment the stream did not tell
            # previously paid but never announced: history from before the first start
            continue
        # First time we see this order, already paid.
        if baseline_done or (order.created_at is not None and order.created_at >= first_started_at):
            result.candidates.append(cand)
    return result


class Reconciler:
    """Runs reconciles for the engine; the engine records what they find."""

    def __init__(self, client: ZaveraClient, store: Store, *, tz: ZoneInfo, lookback_days: int) -> None:
        self._client = client
        self._store = store
        self._tz = tz
        self._lookback_days = lookback_days
        self.runs = 0
        self.on_page: Callable[[int, OrdersPage], Awaitable[None] | None] | None = None

    def first_started_at(self) -> datetime:
        value = self._store.get_state("first_started_at")
        if value is None:
            now = datetime.now(UTC)
            self._store.set_state("first_started_at", now.isoformat())
            return now
        return datetime.fromisoformat(value)

    async def run(self) -> ReconcileResult:
        now = datetime.now(UTC)
        date_from = days_ago(now, self._lookback_days, self._tz)
        orders, pages = await read_window(self._client, date_from, on_page=self.on_page)
        result = diff(orders, self._store, now=now, first_started_at=self.first_started_at(),
                      baseline_done=self._store.get_state("baseline_done") == "1")
        result.pages_read = pages
        self.runs += 1
        return result

    def mark_baseline_done(self) -> None:
        if self._store.get_state("baseline_done") != "1":
            self._store.set_state("baseline_done", "1")
