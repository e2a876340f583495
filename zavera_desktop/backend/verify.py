"""Verify: find payments Midtrans settled but the backend never heard of (contract §4.1, §10.5–7).

When Midtrans' webhook is lost the backend still says PENDING; only ``POST /api/payments/core/check``
makes it ask Midtrans. We call it for stuck payments, thinning the checks out as a checkout ages —
most customers pay in the first half hour, and Core virtual accounts expire after 24 h.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from zavera_desktop.backend.client import CheckResult, ZaveraClient
from zavera_desktop.backend.errors import NotFoundError, RateLimitedError, ZaveraError
from zavera_desktop.store import SeenOrder, Store

log = logging.getLogger(__name__)

CHECK_SPACING = 5.0  # the backend's rate limit per (user, payment) (§4.1)
VA_LIFETIME = timedelta(hours=24)
MAX_LOOKUPS_PER_ROUND = 20


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
    order_code: str
    payment_id: int
    created_at: datetime | None
    last_verified_at: datetime | None


@dataclass(frozen=True, slots=True)
class VerifyOutcome:
    target: VerifyTarget
    result: CheckResult


def due(target: VerifyTarget, *, now: datetime, verify_interval: float) -> bool:
    if target.created_at is None:
        return target.last_verified_at is None or (now - target.last_verified_at).total_seconds() >= 900
    interval = check_interval(now - target.created_at, verify_interval)
    if interval is None:
        return False
    if target.last_verified_at is None:
        return True
    # a little slack so a round that starts a moment early does not skip a whole interval
    return (now - target.last_verified_at).total_seconds() >= interval * 0.9


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


class Verifier:
    def __init__(self, client: ZaveraClient, store: Store, *, verify_interval: float, verify_after: float,
                 max_per_round: int, limiter: CheckLimiter) -> None:
        self._client = client
        self._store = store
        self._verify_interval = verify_interval
        self._verify_after = timedelta(seconds=verify_after)
        self._max_per_round = max_per_round
        self.limiter = limiter
        self.rounds = 0
        self.checks = 0

    async def targets(self, *, now: datetime, stuck: list[tuple[int, str, datetime | None]]) -> list[VerifyTarget]:
        """Stuck payments from the dashboard plus orders the store has seen pending for a while."""
        found: dict[str, VerifyTarget] = {}
        seen_for_stuck = self._store.seen_orders([code for _, code, _ in stuck])
        for payment_id, code, created_at in stuck:
            seen = seen_for_stuck.get(code)
            found[code] = VerifyTarget(code, payment_id, created_at,
                                       seen.last_verified_at if seen else None)
        pending = self._store.pending_orders(created_after=now - VA_LIFETIME,
                                             created_before=now - self._verify_after)
        lookups = 0
        for order in pending:
            if order.order_code in found:
                continue
            payment_id = order.payment_id
            if payment_id is None and not order.payment_lookup_done:
                if lookups >= MAX_LOOKUPS_PER_ROUND:
                    continue
                lookups += 1
                payment_id = await self._lookup_payment_id(order, now=now)
            if payment_id is not None:
                found[order.order_code] = VerifyTarget(order.order_code, payment_id, order.created_at,
                                                       order.last_verified_at)
        return list(found.values())

    async def _lookup_payment_id(self, order: SeenOrder, *, now: datetime) -> int | None:
        """The Core payment id from the order detail — only an order_payments row qualifies (§3.2)."""
        try:
            detail = await self._client.order_detail(order.order_code)
        except NotFoundError:
            self._store.set_payment_lookup(order.order_code, None)
            return None
        except ZaveraError as exc:
            log.info("Could not read %s to find its payment: %s", order.order_code, exc)
            return None
        payment_id = detail.payment.id if detail.payment is not None and detail.payment.is_core else None
        young = order.created_at is not None and now - order.created_at < timedelta(minutes=30)
        if detail.payment is None and young:
            # No Core row with a transaction yet (the customer may still be choosing a method):
            # look again next round instead of giving up on it.
            return None
        self._store.set_payment_lookup(order.order_code, payment_id)
        return payment_id

    async def run_round(
        self,
        *,
        now: datetime,
        stuck: list[tuple[int, str, datetime | None]],
        check: Callable[[VerifyTarget], Awaitable[None]],
    ) -> int:
        """Check the due targets, at most ``max_per_round``; returns how many were checked.

        ``check`` is the engine's coroutine that performs and records one check; a
        RateLimitedError from it ends the round (the caller backs off).
        """
        self.rounds += 1
        targets = [t for t in await self.targets(now=now, stuck=stuck)
                   if due(t, now=now, verify_interval=self._verify_interval)]
        # the youngest first: that is where a lost webhook most likely is
        targets.sort(key=lambda t: t.created_at or now, reverse=True)
        checked = 0
        for target in targets:
            if checked >= self._max_per_round:
                break
            if self.limiter.wait_for(target.payment_id) > 0:
                continue
            try:
                await check(target)
            except RateLimitedError:
                raise
            except ZaveraError as exc:
                log.info("Status check of %s failed: %s", target.order_code, exc)
            checked += 1
            self.checks += 1
        return checked
