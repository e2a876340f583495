"""Status checks: verify's scheduled loop and the admin's "check status" (contract §4.1, DESIGN §6).

Every ``/core/check`` makes the backend ask Midtrans, may mark the order PAID and broadcasts a
``payment_received`` with an empty method. While one of our checks runs for an order, that
broadcast is credited to the check (``checking``), so a payment found by verify is announced once,
as ``verify``.

The schedule is in ``backend/verify.py`` (fair, budgeted; its docstring states the guarantee). With
a Midtrans server key, verify first asks Midtrans itself (cheap, no load on the backend) and calls
``/core/check`` only for the payments Midtrans reports settled, so the backend marks them PAID
through its own path.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from zavera_desktop.backend.client import OrderDetail, ZaveraClient
from zavera_desktop.backend.errors import (
    AuthError,
    ForbiddenError,
    MidtransAuthError,
    MidtransError,
    MidtransNotFoundError,
    MidtransUnavailableError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ZaveraError,
)
from zavera_desktop.backend.midtrans import FINAL_UNPAID_STATUSES, MidtransClient
from zavera_desktop.backend.verify import (
    REPLAN_AFTER,
    CheckBudget,
    CheckLimiter,
    VerifySet,
    VerifyTarget,
    check_interval,
    next_due,
    plan,
)
from zavera_desktop.domain import DetectedBy, PaymentCandidate, is_paid_status
from zavera_desktop.engine.changes import candidate_from_detail
from zavera_desktop.engine.context import EngineContext
from zavera_desktop.store import SeenUpdate

log = logging.getLogger(__name__)

WHERE = "Status checks"


@dataclass(frozen=True, slots=True)
class _TransactionRef:
    payment_id: int
    transaction_id: str


class PassStopped(Exception):
    """The backend or Midtrans is unavailable or refuses us: end this pass and plan again after the backoff."""


def stop_pass_on_shared_failure(ctx: EngineContext, where: str, exc: ZaveraError, budget: CheckBudget) -> None:
    """Raise PassStopped when a failed backend call concerns every order (login gone, backend overloaded
    or unreachable — the budget backs off); return when it concerns this one order only."""
    if isinstance(exc, AuthError | ForbiddenError):
        ctx.handle_rest_error(where, exc)
        raise PassStopped from None
    if isinstance(exc, RateLimitedError | ServerError | NetworkError):
        budget.overloaded(getattr(exc, "retry_after", None))
        ctx.note_error(where, exc)
        raise PassStopped from None


class StatusChecks:
    def __init__(self, ctx: EngineContext, client: ZaveraClient, *, limiter: CheckLimiter,
                 midtrans: MidtransClient | None = None) -> None:
        s = ctx.settings
        self._ctx = ctx
        self._client = client
        self.limiter = limiter
        self.verify_set = VerifySet(ctx.store, verify_after=s.verify_after)
        self.budget = CheckBudget(s.check_rate)
        self.midtrans = midtrans
        self.midtrans_budget = CheckBudget(s.midtrans_rate)
        self._inflight: dict[str, list[DetectedBy]] = {}
        #: targets tried without a verdict wait until then (so one failing order cannot hog the queue)
        self._holds: dict[str, datetime] = {}
        self._refs: dict[str, _TransactionRef | None] = {}
        self._final_at_midtrans: set[str] = set()
        self._wake = asyncio.Event()

    # --- crediting our own checks ----------------------------------------------------------------------

    def checking(self, order_code: str) -> DetectedBy | None:
        """Which of our actions is asking the backend about this order right now, if any."""
        held = self._inflight.get(order_code)
        return held[-1] if held else None

    @contextlib.contextmanager
    def crediting(self, order_code: str, by: DetectedBy) -> Iterator[None]:
        """While inside, a check broadcast for this order is credited to ``by``. No grace period is
        needed afterwards: a PAID answer is recorded before this task yields again, so a broadcast
        arriving after the answer is a duplicate either way."""
        self._inflight.setdefault(order_code, []).append(by)
        try:
            yield
        finally:
            held = self._inflight.get(order_code)
            if held:
                held.pop()
                if not held:
                    del self._inflight[order_code]

    def wake(self) -> None:
        self._wake.set()

    @property
    def final_at_midtrans(self) -> frozenset[str]:
        """Orders verify stopped asking about because Midtrans reported them expired, cancelled or denied;
        engine/orphans.py keeps watching them for a late settlement."""
        return frozenset(self._final_at_midtrans)

    # --- the verify loop -------------------------------------------------------------------------------

    async def verify_loop(self, stuck: Callable[[], list[tuple[int, str, datetime | None]]]) -> None:
        s = self._ctx.settings
        loop = asyncio.get_running_loop()
        while True:
            await self._ctx.wait_resume()
            now = datetime.now(UTC)
            # a direct look-up costs the backend nothing, so it may start sooner after checkout
            after = min(s.verify_after, s.midtrans_verify_after) if self.midtrans is not None else s.verify_after
            self.verify_set.verify_after = after
            targets = [t for t in self.verify_set.targets(now=now, stuck=stuck())
                       if t.order_code not in self._final_at_midtrans]
            self._ctx.stats.verify_set_size = len(targets)
            self._prune({t.order_code for t in targets}, now)
            queue = plan(targets, now=now, verify_interval=s.verify_interval, verify_after=after,
                         not_before=self._holds)
            if not queue:
                nxt = next_due(targets, now=now, verify_interval=s.verify_interval, verify_after=after,
                               not_before=self._holds)
                wait = REPLAN_AFTER if nxt is None else (nxt - now).total_seconds()
                await self._sleep(min(REPLAN_AFTER, max(0.05, wait)))
                continue
            started = loop.time()
            try:
                for target in queue:
                    if loop.time() - started > REPLAN_AFTER:
                        break  # look again: new checkouts, orders that left PENDING
                    if not self.verify_set.still_pending(target.order_code):
                        continue  # paid, expired or cancelled by any route: out of the set at once
                    if target.payment_id is not None and (w := self.limiter.wait_for(target.payment_id)) > 0:
                        self._hold(target.order_code, w)  # the admin just checked it
                        continue
                    await self._verify_one(target)
            except PassStopped:
                continue

    async def _sleep(self, seconds: float) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)

    def _hold(self, order_code: str, seconds: float) -> None:
        self._holds[order_code] = datetime.now(UTC) + timedelta(seconds=seconds)

    def _prune(self, codes: set[str], now: datetime) -> None:
        self._holds = {c: t for c, t in self._holds.items() if c in codes and t > now}
        if len(self._refs) > 2 * len(codes) + 1000:
            self._refs = {c: r for c, r in self._refs.items() if c in codes}

    def _interval(self, target: VerifyTarget) -> float:
        if target.created_at is None:
            return 900.0
        return check_interval(datetime.now(UTC) - target.created_at, self._ctx.settings.verify_interval) or 900.0

    async def _verify_one(self, target: VerifyTarget) -> None:
        if self.midtrans is not None and self._refs.get(target.order_code, True) is not None:
            await self._verify_at_midtrans(target)
        else:
            await self.budget.acquire()
            detail = await self._read(target)
            if detail is not None:
                await self._check_if_pending(target, detail)

    def _backend_failed(self, target: VerifyTarget, exc: ZaveraError, budget: CheckBudget) -> None:
        """Classify a failure of a backend call made by verify; raise PassStopped when the pass must end."""
        stop_pass_on_shared_failure(self._ctx, WHERE, exc, budget)
        # about this one order only (a bad answer, a rejected request): try it again an interval later
        log.info("Status check of %s failed: %s", target.order_code, exc)
        self._hold(target.order_code, self._interval(target))

    async def _read(self, target: VerifyTarget) -> OrderDetail | None:
        """Re-read the order first: /core/check on an order already PAID through another path marks
        it PAID again, overwrites paid_at and e-mails the customer a second time (§4.1, §10.12)."""
        code = target.order_code
        try:
            detail = await self._client.order_detail(code)
        except NotFoundError:
            self._ctx.store.note_verified(code, datetime.now(UTC))
            self._ctx.store.set_payment_lookup(code, None)  # gone from the backend: stop asking
            return None
        except ZaveraError as exc:
            self._backend_failed(target, exc, self.budget)
            return None
        self.budget.succeeded()
        status = detail.order.status
        if is_paid_status(status):
            self.record_known_paid(detail)
            return None
        if status != "PENDING":
            self._ctx.store.note_verified(code, datetime.now(UTC))
            self._ctx.store.update_seen([SeenUpdate(code, status)])
            return None
        payment = detail.payment
        if payment is None or not payment.is_core:
            young = target.created_at is not None and datetime.now(UTC) - target.created_at < timedelta(minutes=30)
            if young:
                # no Core row with a transaction yet (the customer may still be choosing a method)
                self._hold(code, self._interval(target))
            else:
                self._ctx.store.set_payment_lookup(code, None)
            return None
        if target.payment_id != payment.id:
            self._ctx.store.set_payment_lookup(code, payment.id)
        return detail

    async def _check_if_pending(self, target: VerifyTarget, detail: OrderDetail) -> None:
        assert detail.payment is not None
        payment_id = detail.payment.id
        if (wait := self.limiter.wait_for(payment_id)) > 0:
            self._hold(target.order_code, wait)
            return
        try:
            await self.run_check(target.order_code, payment_id, detail, DetectedBy.VERIFY)
        except ZaveraError as exc:
            self._backend_failed(target, exc, self.budget)
            return
        self.budget.succeeded()

    async def _verify_at_midtrans(self, target: VerifyTarget) -> None:
        """The direct look-up: ask Midtrans; call /core/check only when it reports the money arrived."""
        assert self.midtrans is not None
        code = target.order_code
        await self.midtrans_budget.acquire()
        ref = self._refs.get(code)
        if ref is None:
            # one read per order, ever: the Midtrans transaction id is only in the order detail
            detail = await self._read(target)
            if detail is None:
                return
            assert detail.payment is not None
            if not detail.payment.transaction_id:
                self._refs[code] = None  # nothing to ask Midtrans about: the backend path serves it
                await self._check_if_pending(target, detail)
                return
            ref = self._refs[code] = _TransactionRef(detail.payment.id, detail.payment.transaction_id)
        try:
            answer = await self.midtrans.status(ref.transaction_id)
        except MidtransAuthError as exc:
            self._ctx.note_error("Midtrans look-up", exc)
            self._ctx.sink.note("warning", "Verify asks the backend instead of Midtrans until the Midtrans "
                                           "server key is fixed in the settings.")
            self.midtrans = None
            return
        except MidtransNotFoundError:
            self._refs[code] = None  # another environment or an unknown id: the backend path serves it
            return
        except MidtransUnavailableError as exc:
            self.midtrans_budget.overloaded(exc.retry_after)
            self._ctx.note_error("Midtrans look-up", exc)
            raise PassStopped from None
        except MidtransError as exc:
            self._ctx.note_error("Midtrans look-up", exc)
            self._hold(code, self._interval(target))
            return
        self.midtrans_budget.succeeded()
        self._ctx.clear_error("Midtrans look-up")
        self._ctx.stats.midtrans_lookups += 1
        now = datetime.now(UTC)
        if answer.settled:
            # the backend marks it PAID through its own path and broadcasts; credited to verify
            await self.budget.acquire()
            detail = await self._read(target)
            if detail is not None:
                await self._check_if_pending(target, detail)
            return
        self._ctx.store.note_verified(code, now)
        if answer.transaction_status in FINAL_UNPAID_STATUSES:
            self._final_at_midtrans.add(code)  # expired, cancelled or denied: it cannot be paid any more

    # --- one check, any caller ------------------------------------------------------------------------

    async def run_check(self, order_code: str, payment_id: int, detail: OrderDetail | None,
                        by: DetectedBy) -> tuple[str, str, bool]:
        """One /core/check; records a PAID answer. Returns (status, message, newly_detected)."""
        with self.crediting(order_code, by):
            self.limiter.note(payment_id)
            result = await self._client.core_check(payment_id)
        now = datetime.now(UTC)
        self._ctx.stats.verify_checks += 1
        self._ctx.store.note_verified(order_code, now)
        newly = False
        if result.status == "PAID":
            order = detail.order if detail is not None else None
            method = detail.payment.payment_method if detail is not None and detail.payment else ""
            new = self._ctx.sink.record_now([PaymentCandidate(
                order_code=order_code, amount=order.total_amount if order else None,
                detected_by=by, detected_at=now, payment_method=method,
                customer=(order.customer_name or None) if order else None, payment_id=payment_id)])
            newly = bool(new)
        elif result.status in ("EXPIRED", "CANCELLED", "FAILED"):
            # final on the backend: further checks would only repeat the stored value (§4.1 step 3)
            self._ctx.store.update_seen([SeenUpdate(order_code, result.status)])
        return result.status, result.message, newly

    def record_known_paid(self, detail: OrderDetail) -> bool:
        """The backend already says PAID: record it as reconcile would. Returns True when new."""
        self._ctx.store.note_verified(detail.order.order_code, datetime.now(UTC))
        return bool(self._ctx.sink.record_now([candidate_from_detail(detail, DetectedBy.RECONCILE)]))
