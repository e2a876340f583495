"""Verify: find payments Midtrans settled but the backend never heard of (contract §4.1, §10.5–7).

When Midtrans' webhook is lost the backend still says PENDING; only ``POST /api/payments/core/check``
makes it ask Midtrans. Verify keeps a set of pending checkouts and checks each one on a schedule
that thins out as the checkout ages — most customers pay in the first half hour, and Core virtual
accounts expire after 24 h:

    age < 30 min: every ``verify_interval`` (60 s)    30 min – 3 h: every 5 min
    3 h – 24 h:   every 15 min                        older: never

**Fairness and budget.** A busy shop has hundreds of abandoned checkouts pending at any moment,
and every ``/core/check`` makes the backend call Midtrans, so checks are paced by a budget of
``R`` checks per second (``CheckBudget``). Each pending payment has a *due time* (its last check
plus its interval); whenever the budget allows a check, the payment that has been due the longest
goes first (earliest deadline first). A payment just checked becomes due again only an interval
later, so it queues behind everything already due.

**Guarantee.** With ``N`` payments in the verify set and a budget of ``R`` checks per second, a
payment that is due is checked within ``N / R`` seconds: every other payment can be checked at most
once before it. Hence consecutive checks of one payment are at most ``interval + N / R`` apart —
its interval whenever the budget covers the set, a round robin of ``N / R`` when it does not — and
no payment ever starves, whatever its age. (Exactly ``max(interval, N / R)`` cannot be promised:
payments that fall due just before another one legitimately go first.)

The schedule here is pure (no I/O, clock passed in): the engine's verify loop does the checking.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from zavera_desktop.store import Store

log = logging.getLogger(__name__)

CHECK_SPACING = 5.0  # the backend's rate limit per (user, payment) (§4.1)
VA_LIFETIME = timedelta(hours=24)
#: /core/check calls per second. The shop's own payment page polls /core/check every 10 s for each
#: customer who keeps it open, so one per second is what ten waiting customers cost the backend —
#: routine load — and at most 3,600 Midtrans status calls an hour. See docs/architecture.md, "Verify".
DEFAULT_CHECK_RATE = 1.0
#: Direct Midtrans look-ups per second (only with a server key): no load on the shop backend at
#: all; Midtrans publishes no fixed limit and answers a status call in milliseconds. Slows down by
#: itself on 429/5xx.
DEFAULT_MIDTRANS_RATE = 10.0
#: How long a backlog may be worked through before the set is read again (new checkouts, orders
#: that left PENDING).
REPLAN_AFTER = 5.0


def check_interval(age: timedelta, verify_interval: float) -> float | None:
    """Seconds between checks of a payment of this age; None when it is no longer worth it."""
    if age < timedelta(0):
        age = timedelta(0)
    if age < timedelta(minutes=30):
        return verify_interval
    if age < timedelta(hours=3):
        return max(verify_interval, 300.0)
    if age < VA_LIFETIME:
        return max(verify_interval, 900.0)
    return None


@dataclass(frozen=True, slots=True)
class VerifyTarget:
    """A pending checkout verify may ask about. ``payment_id`` is a hint (the Core
    ``order_payments.id`` from the dashboard or an earlier read); the check re-reads the order."""

    order_code: str
    payment_id: int | None
    created_at: datetime | None
    last_verified_at: datetime | None


def due_at(target: VerifyTarget, *, now: datetime, verify_interval: float,
           verify_after: float = 0.0) -> datetime | None:
    """When this target is (or was) due for its next check; None when it is past checking.

    A checkout never checked is due from the moment it joins the set (``verify_after`` after its
    creation), so a newcomer queues behind payments that fell due before it — the bound holds.
    """
    if target.created_at is None:
        # an order known only from the dashboard's stuck list without a time: a slow, steady check
        if target.last_verified_at is None:
            return now
        return target.last_verified_at + timedelta(seconds=900)
    interval = check_interval(now - target.created_at, verify_interval)
    if interval is None:
        return None
    if target.last_verified_at is None:
        return target.created_at + timedelta(seconds=verify_after)
    return target.last_verified_at + timedelta(seconds=interval)


def due(target: VerifyTarget, *, now: datetime, verify_interval: float, verify_after: float = 0.0) -> bool:
    when = due_at(target, now=now, verify_interval=verify_interval, verify_after=verify_after)
    return when is not None and when <= now


def plan(targets: Iterable[VerifyTarget], *, now: datetime, verify_interval: float, verify_after: float = 0.0,
         not_before: dict[str, datetime] | None = None) -> list[VerifyTarget]:
    """The targets due now, the longest overdue first (ties: the older checkout first).

    ``not_before`` holds targets that were tried without a verdict (a failed read, the 5 s
    spacing): they wait until then, so one failing order cannot hog the head of the queue.
    """
    not_before = not_before or {}
    ranked: list[tuple[datetime, datetime, VerifyTarget]] = []
    for t in targets:
        when = due_at(t, now=now, verify_interval=verify_interval, verify_after=verify_after)
        if when is None:
            continue
        hold = not_before.get(t.order_code)
        if hold is not None and hold > when:
            when = hold
        if when <= now:
            ranked.append((when, t.created_at or now, t))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in ranked]


def next_due(targets: Iterable[VerifyTarget], *, now: datetime, verify_interval: float, verify_after: float = 0.0,
             not_before: dict[str, datetime] | None = None) -> datetime | None:
    """The earliest time any target becomes due (for sleeping until then)."""
    not_before = not_before or {}
    best: datetime | None = None
    for t in targets:
        when = due_at(t, now=now, verify_interval=verify_interval, verify_after=verify_after)
        if when is None:
            continue
        hold = not_before.get(t.order_code)
        if hold is not None and hold > when:
            when = hold
        if best is None or when < best:
            best = when
    return best


class CheckBudget:
    """A token bucket: at most ``rate`` calls per second on average, bursts of at most ``burst``.

    When the other side says it is overloaded (429, 5xx, unreachable) the rate halves, down to a
    sixteenth, and a Retry-After is honoured; each success then wins back a tenth of the full rate
    (additive increase, multiplicative decrease — the backend recovers without being hammered).
    """

    def __init__(self, rate: float, *, burst: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("the check rate must be positive")
        self.max_rate = rate
        self.rate = rate
        self.burst = max(1.0, burst)
        self._clock = clock
        self._tokens = self.burst
        self._stamp = clock()
        self._paused_until = 0.0
        self.taken = 0

    def _refill(self) -> float:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        return now

    def delay(self) -> float:
        """Seconds until a call may be made."""
        now = self._refill()
        wait = max(0.0, self._paused_until - now)
        if self._tokens < 1.0:
            wait = max(wait, (1.0 - self._tokens) / self.rate)
        return wait

    def take(self) -> None:
        self._refill()
        self._tokens -= 1.0
        self.taken += 1

    async def acquire(self) -> None:
        while (wait := self.delay()) > 0:
            await asyncio.sleep(wait)
        self.take()

    def overloaded(self, retry_after: float | None = None) -> None:
        self.rate = max(self.max_rate / 16, self.rate / 2)
        pause = retry_after if retry_after is not None else 1.0 / self.rate
        self._paused_until = max(self._paused_until, self._clock() + pause)

    def succeeded(self) -> None:
        if self.rate < self.max_rate:
            self.rate = min(self.max_rate, self.rate + self.max_rate / 10)


class CheckLimiter:
    """At most one check per payment per 5 s, whoever asks (verify or the admin)."""

    def __init__(self, spacing: float = CHECK_SPACING, clock: Callable[[], float] = time.monotonic) -> None:
        self._spacing = spacing
        self._clock = clock
        self._last: dict[int, float] = {}

    def wait_for(self, payment_id: int) -> float:
        last = self._last.get(payment_id)
        if last is None:
            return 0.0
        return max(0.0, self._spacing - (self._clock() - last))

    def note(self, payment_id: int) -> None:
        self._last[payment_id] = self._clock()
        if len(self._last) > 10_000:  # keep it bounded on a long-running workstation
            cutoff = self._clock() - self._spacing
            self._last = {k: v for k, v in self._last.items() if v >= cutoff}


class VerifySet:
    """Which pending checkouts verify asks about: the dashboard's stuck payments (oldest first, at
    most 50, §3.6) and every order the store has seen PENDING — merged by order code, so neither
    source can crowd the other out."""

    def __init__(self, store: Store, *, verify_after: float) -> None:
        self._store = store
        self.verify_after = verify_after

    def targets(self, *, now: datetime, stuck: list[tuple[int, str, datetime | None]]) -> list[VerifyTarget]:
        found: dict[str, VerifyTarget] = {}
        pending = self._store.pending_orders(created_after=now - VA_LIFETIME,
                                             created_before=now - timedelta(seconds=self.verify_after))
        for order in pending:
            if order.payment_lookup_done and order.payment_id is None:
                continue  # read before: this order has no Core payment to check
            found[order.order_code] = VerifyTarget(order.order_code, order.payment_id, order.created_at,
                                                   order.last_verified_at)
        missing = [code for _, code, _ in stuck if code not in found]
        seen = self._store.seen_orders(missing) if missing else {}
        for payment_id, code, created_at in stuck:
            if code in found:
                if found[code].payment_id is None:
                    t = found[code]
                    found[code] = VerifyTarget(code, payment_id, t.created_at, t.last_verified_at)
                continue
            s = seen.get(code)
            if s is not None and s.status != "PENDING":
                continue  # the dashboard lags: we already know it left PENDING
            found[code] = VerifyTarget(code, payment_id, created_at or (s.created_at if s else None),
                                       s.last_verified_at if s else None)
        return list(found.values())

    def still_pending(self, order_code: str) -> bool:
        """False as soon as the store knows the order left PENDING (paid, expired, cancelled…)."""
        seen = self._store.seen_order(order_code)
        return seen is None or seen.status == "PENDING"
