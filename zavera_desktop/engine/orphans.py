"""Orphan settlements: money at Midtrans for an order the shop does not consider paid — and the way out.

A settlement that reaches the backend after the order's latest Core payment went final (EXPIRED,
CANCELLED, FAILED) is skipped by the webhook (contract §2.6.7, §5.6), and ``/core/check`` answers the
final status from the database without asking Midtrans (§4.1 step 3) — or, for a CANCELLED order, does
not ask at all (step 2). Midtrans has the customer's money; the order stays unpaid; nobody ships.

With a Midtrans server key, ``OrphanScanner`` asks Midtrans about every order that became EXPIRED,
KADALUARSA, CANCELLED or FAILED in the last 48 h (the reconcile baseline's ``status_seen_at``) and every
order verify stopped asking about because Midtrans called it final. Look-ups thin out with the time since
the order went final, like verify's (``check_interval``), and share verify's Midtrans budget. The
transaction id comes from one order-detail read per order. When Midtrans reports ``settlement`` or
``capture``, the order is read again:

* paid by now → recorded like reconcile would (no alert);
* the Core payment still PENDING and the order not CANCELLED → the backend *will* accept it when asked:
  ``/core/check`` marks it PAID and announces it (credited to verify), no alert needed;
* otherwise → an ``orphan_settlement`` alert, once per order: not a payment announcement (the shop has
  not accepted the money), with what can be done — "Confirm payment" when the order is still PENDING
  (``PaymentConfirmation``), else a refund from the Midtrans dashboard (``midtrans_dashboard_url``).

The alert clears when the order is paid after all (any source), when Midtrans reports a refund, or when
the admin dismisses it (audited).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from zavera_desktop.backend.client import OrderDetail, ZaveraClient
from zavera_desktop.backend.errors import (
    MidtransAuthError,
    MidtransError,
    MidtransNotFoundError,
    MidtransUnavailableError,
    NotFoundError,
    RequestRejectedError,
    ZaveraError,
)
from zavera_desktop.backend.midtrans import MidtransAccess, MidtransStatus
from zavera_desktop.backend.verify import REPLAN_AFTER, CheckBudget, check_interval
from zavera_desktop.domain import (
    ChangeBatch,
    DecodeError,
    DetectedBy,
    HealthAlert,
    HealthKind,
    PaymentCandidate,
    format_rupiah,
    is_paid_status,
    parse_amount,
)
from zavera_desktop.engine.action_types import ActionError, record_action
from zavera_desktop.engine.changes import candidate_from_detail
from zavera_desktop.engine.checks import PassStopped, StatusChecks, stop_pass_on_shared_failure
from zavera_desktop.engine.context import EngineContext
from zavera_desktop.engine.health import HealthMonitor
from zavera_desktop.store.audit import CONFIRM_PAYMENT, DISMISS_ALERT
from zavera_desktop.store.health import AlertDraft

log = logging.getLogger(__name__)

WHERE = "Orphan settlements"
#: order statuses after which a settlement can be ignored by the backend (§2.6.7, §3.3; KADALUARSA is the
#: Core on-access expiry, §4.2)
FINAL_ORDER_STATUSES = frozenset({"EXPIRED", "KADALUARSA", "CANCELLED", "FAILED"})
#: how long after an order went final Midtrans is asked about it
ORPHAN_WINDOW = timedelta(hours=48)
#: between 24 h and 48 h after going final (verify's schedule stops at 24 h), and for open alerts
SLOW_INTERVAL = 1800.0
#: Midtrans statuses after which the money went back to the customer
REFUNDED_STATUSES = frozenset({"refund", "partial_refund"})
#: payment statuses the Core webhook treats as final and never updates again (§5.6)
FINAL_PAYMENT_STATUSES = frozenset({"EXPIRED", "CANCELLED", "FAILED"})
#: ``ValidOrderTransitions`` (models.go): the only order status PATCH lets become PAID (§3.3)
CONFIRMABLE_STATUSES = frozenset({"PENDING"})

MIDTRANS_DASHBOARDS = {
    "sandbox": "https://dashboard.sandbox.midtrans.com",
    "production": "https://dashboard.midtrans.com",
}


def midtrans_dashboard_url(access: MidtransAccess | None) -> str:
    """The Midtrans dashboard (MAP) of the configured environment; the live shop's when unknown.

    MAP has no documented per-transaction address: the admin searches the Midtrans order id there
    (``HealthAlert.evidence["midtrans_order_id"]``).
    """
    if access is None or access.environment == "production":
        return MIDTRANS_DASHBOARDS["production"]
    if access.environment == "sandbox":
        return MIDTRANS_DASHBOARDS["sandbox"]
    # a custom URL: the production API host means production, anything else (a test server) the sandbox
    host = access.base_url.lower()
    return MIDTRANS_DASHBOARDS["production" if "://api.midtrans.com" in host else "sandbox"]


def orphan_interval(age: timedelta, verify_interval: float) -> float | None:
    """Seconds between look-ups of an order that went final ``age`` ago; None after 48 h."""
    if age >= ORPHAN_WINDOW:
        return None
    return check_interval(age, verify_interval) or SLOW_INTERVAL


def orphan_words(*, order_code: str, amount: int | None, midtrans_status: str, order_status: str,
                 payment_status: str, midtrans_order_id: str, dashboard: str) -> tuple[str, str]:
    """(detail, fix) of an orphan settlement, in plain English."""
    money = format_rupiah(amount) if amount is not None else "the money"
    if payment_status in FINAL_PAYMENT_STATUSES:
        why = (f"its payment is {payment_status}, and the backend ignores a notification that arrives after a "
               f"payment went final")
    elif order_status == "CANCELLED":
        why = ("the order was cancelled, and the backend neither accepts a late notification for it nor asks "
               "Midtrans about a cancelled order")
    else:
        why = f"the backend did not apply the payment to an order that is already {order_status}"
    detail = (f"Midtrans has {money} for {order_code} ({midtrans_status}), but the shop does not consider the order "
              f"paid: the order is {order_status} because {why}. Nobody will ship this order.")
    search = f"{dashboard} (search for {midtrans_order_id})" if midtrans_order_id else dashboard
    if order_status in CONFIRMABLE_STATUSES:
        fix = (f"Check the payment in the Midtrans dashboard, {search}, then use “Confirm payment”: the order "
               f"becomes PAID, as with the web admin's Confirm Payment button.")
    else:
        fix = (f"The shop can no longer accept this payment: an {order_status} order cannot become PAID (the "
               f"backend allows PAID only from PENDING). Refund the customer in the Midtrans dashboard, {search}, "
               f"or contact them.")
    return detail, fix


@dataclass(slots=True)
class _Target:
    order_code: str
    #: when the order went final (or was first noticed so)
    since: datetime
    last_look: datetime | None = None
    hold_until: datetime | None = None


_UNREAD = object()


class OrphanScanner:
    """The long-running look-up of recently final orders at Midtrans (see the module docstring)."""

    def __init__(self, ctx: EngineContext, client: ZaveraClient, checks: StatusChecks, health: HealthMonitor, *,
                 clock: Callable[[], datetime] | None = None, refresh: float = 30.0,
                 replan: float = REPLAN_AFTER) -> None:
        self._ctx = ctx
        self._client = client
        self._checks = checks
        self._health = health
        self._clock = clock or (lambda: datetime.now(UTC))
        self._refresh_every = refresh
        self._replan = replan
        self._targets: dict[str, _Target] = {}
        #: order code → Midtrans transaction id; None: nothing to ask Midtrans about
        self._refs: dict[str, str | None] = {}
        self._dirty = True
        self._wake = asyncio.Event()

    # --- inputs ---------------------------------------------------------------------------------------

    def on_batch(self, batch: ChangeBatch) -> None:
        """A sink subscriber: an order that just expired is worth a look at once."""
        if any(a.kind == "payment_expired" for a in batch.activity):
            self._dirty = True
            self._wake.set()

    # --- planning --------------------------------------------------------------------------------------

    def _refresh(self, now: datetime) -> None:
        store = self._health.store
        for seen in store.orders_in_status(FINAL_ORDER_STATUSES, since=now - ORPHAN_WINDOW):
            if seen.order_code not in self._targets:
                self._targets[seen.order_code] = _Target(seen.order_code, seen.status_seen_at)
        for code in self._health.open_orders(HealthKind.ORPHAN_SETTLEMENT):
            self._targets.setdefault(code, _Target(code, now))
        keep = set(self._health.open_orders(HealthKind.ORPHAN_SETTLEMENT))
        for code, target in list(self._targets.items()):
            if code not in keep and now - target.since >= ORPHAN_WINDOW:
                self._drop(code)
        if len(self._refs) > 2 * len(self._targets) + 1000:  # bounded on a long-running workstation
            self._refs = {c: r for c, r in self._refs.items() if c in self._targets}

    def _merge_verify_finals(self, now: datetime) -> None:
        # PENDING orders whose payment Midtrans called final: verify stopped asking, we keep watching
        for code in self._checks.final_at_midtrans:
            if code not in self._targets and self._refs.get(code, "") is not None:
                self._targets[code] = _Target(code, now)

    def _interval(self, target: _Target, now: datetime) -> float:
        interval = orphan_interval(now - target.since, self._ctx.settings.verify_interval)
        return SLOW_INTERVAL if interval is None else interval

    def _due_at(self, target: _Target, now: datetime) -> datetime:
        when = target.since if target.last_look is None else (
            target.last_look + timedelta(seconds=self._interval(target, now)))
        if target.hold_until is not None and target.hold_until > when:
            when = target.hold_until
        return when

    def plan(self, now: datetime) -> list[_Target]:
        """The targets due now, the longest overdue first."""
        due = [(self._due_at(t, now), t) for t in self._targets.values()]
        return [t for when, t in sorted(due, key=lambda d: d[0]) if when <= now]

    def _next_due(self, now: datetime) -> datetime | None:
        return min((self._due_at(t, now) for t in self._targets.values()), default=None)

    def _drop(self, code: str) -> None:
        self._targets.pop(code, None)

    def _hold(self, target: _Target, now: datetime) -> None:
        target.hold_until = now + timedelta(seconds=self._interval(target, now))

    # --- the loop --------------------------------------------------------------------------------------

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        next_refresh = 0.0
        while True:
            await self._ctx.wait_resume()
            if self._checks.midtrans is None:  # no server key (or a wrong one): nothing to ask
                await self._sleep(self._replan)
                continue
            now = self._clock()
            if self._dirty or loop.time() >= next_refresh:
                self._dirty = False
                next_refresh = loop.time() + self._refresh_every
                self._refresh(now)
            self._merge_verify_finals(now)
            queue = self.plan(now)
            if not queue:
                nxt = self._next_due(now)
                wait = self._replan if nxt is None else (nxt - now).total_seconds()
                # also look at the store again on time: orders go final without any event (reconcile, verify)
                wait = min(wait, next_refresh - loop.time())
                await self._sleep(min(self._replan, max(0.05, wait)))
                continue
            started = loop.time()
            try:
                for target in queue:
                    if loop.time() - started > self._replan or self._checks.midtrans is None:
                        break
                    if target.order_code in self._targets:
                        await self.look(target)
            except PassStopped:
                continue

    async def _sleep(self, seconds: float) -> None:
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)

    async def look(self, target: _Target) -> None:
        """One order: its transaction id (once), Midtrans' status, and what a settlement means for it."""
        code = target.order_code
        await self._checks.midtrans_budget.acquire()
        midtrans = self._checks.midtrans
        if midtrans is None:
            return
        ref = self._refs.get(code, _UNREAD)
        if ref is _UNREAD:
            detail = await self._read(target, self._checks.midtrans_budget)
            if detail is None:
                return
            if is_paid_status(detail.order.status):
                self._paid(detail)
                return
            payment = detail.payment
            ref = self._refs[code] = payment.transaction_id if payment is not None and payment.transaction_id else None
        if ref is None:  # no Midtrans transaction behind this order: nothing can have settled
            self._drop(code)
            return
        assert isinstance(ref, str)
        now = self._clock()
        target.last_look, target.hold_until = now, None
        try:
            answer = await midtrans.status(ref)
        except MidtransAuthError as exc:
            self._ctx.note_error("Midtrans look-up", exc)
            self._ctx.sink.note("warning", "Zavera Desktop stopped asking Midtrans about payments until the Midtrans "
                                           "server key is fixed in the settings.")
            self._checks.midtrans = None
            return
        except MidtransNotFoundError:
            self._refs[code] = None  # another environment or an unknown id
            self._drop(code)
            return
        except MidtransUnavailableError as exc:
            self._checks.midtrans_budget.overloaded(exc.retry_after)
            self._ctx.note_error("Midtrans look-up", exc)
            raise PassStopped from None
        except MidtransError as exc:
            self._ctx.note_error("Midtrans look-up", exc)
            self._hold(target, now)
            return
        self._checks.midtrans_budget.succeeded()
        self._ctx.clear_error("Midtrans look-up")
        self._ctx.stats.midtrans_lookups += 1
        if answer.transaction_status in REFUNDED_STATUSES:
            how = "partially refunded" if answer.transaction_status == "partial_refund" else "refunded"
            self._health.clear(HealthKind.ORPHAN_SETTLEMENT, code,
                               f"Midtrans reports the payment {how}: the money went back to the customer.")
            self._drop(code)
            return
        if answer.settled:
            await self._settled(target, answer)

    async def _settled(self, target: _Target, answer: MidtransStatus) -> None:
        """Midtrans has the money. Does the shop? If the backend would accept it when asked, ask it."""
        code = target.order_code
        await self._checks.budget.acquire()
        detail = await self._read(target, self._checks.budget)
        if detail is None:
            return
        order, payment = detail.order, detail.payment
        if is_paid_status(order.status):
            self._paid(detail)
            return
        if payment is not None and payment.is_core and payment.status == "PENDING" and order.status != "CANCELLED":
            # /core/check asks Midtrans, marks the order PAID (from any status but CANCELLED) and announces it
            if self._checks.limiter.wait_for(payment.id) > 0:
                self._hold(target, self._clock())
                return
            try:
                status, _, _ = await self._checks.run_check(code, payment.id, detail, DetectedBy.VERIFY)
            except ZaveraError as exc:
                self._backend_failed(target, exc, self._checks.budget)
                return
            self._checks.budget.succeeded()
            if status == "PAID":
                self._drop(code)
                return
            detail = await self._read(target, self._checks.budget)  # answered otherwise: look once more
            if detail is None:
                return
            if is_paid_status(detail.order.status):
                self._paid(detail)
                return
        self._raise(target, detail, answer)

    def _raise(self, target: _Target, detail: OrderDetail, answer: MidtransStatus) -> None:
        code = target.order_code
        order, payment = detail.order, detail.payment
        try:
            amount: int | None = parse_amount(answer.gross_amount)
        except DecodeError:
            amount = order.total_amount
        payment_status = payment.status if payment is not None else ""
        access = self._checks.midtrans.access if self._checks.midtrans is not None else None
        dashboard = midtrans_dashboard_url(access)
        detail_text, fix = orphan_words(order_code=code, amount=amount, midtrans_status=answer.transaction_status,
                                        order_status=order.status, payment_status=payment_status,
                                        midtrans_order_id=answer.order_id, dashboard=dashboard)
        evidence: dict[str, Any] = {
            "midtrans_order_id": answer.order_id, "transaction_id": answer.transaction_id,
            "payment_status": payment_status, "gross_amount": answer.gross_amount,
            "fraud_status": answer.fraud_status, "order_total": order.total_amount,
            "can_confirm": order.status in CONFIRMABLE_STATUSES, "dashboard_url": dashboard,
        }
        alert_id = self._health.open_id(HealthKind.ORPHAN_SETTLEMENT, code)
        if alert_id is not None:
            self._health.update(alert_id, detail=detail_text, fix=fix, evidence=evidence, order_status=order.status,
                                midtrans_status=answer.transaction_status)
            return
        if self._health.store.ever_raised(HealthKind.ORPHAN_SETTLEMENT, code):
            self._drop(code)  # raised once and dismissed by the admin: once per order
            return
        self._health.raise_alert(AlertDraft(HealthKind.ORPHAN_SETTLEMENT, detail_text, fix, order_code=code,
                                            evidence=evidence, amount=amount, midtrans_status=answer.transaction_status,
                                            order_status=order.status), once_per_order=True)

    def _paid(self, detail: OrderDetail) -> None:
        code = detail.order.order_code
        self._checks.record_known_paid(detail)  # recorded as reconcile would; announced once
        self._health.clear(HealthKind.ORPHAN_SETTLEMENT, code,
                           f"The shop now has this order as paid ({detail.order.status}).")
        self._drop(code)

    async def _read(self, target: _Target, budget: CheckBudget) -> OrderDetail | None:
        try:
            detail = await self._client.order_detail(target.order_code)
        except NotFoundError:
            self._refs[target.order_code] = None
            self._drop(target.order_code)
            return None
        except ZaveraError as exc:
            self._backend_failed(target, exc, budget)
            return None
        budget.succeeded()
        return detail

    def _backend_failed(self, target: _Target, exc: ZaveraError, budget: CheckBudget) -> None:
        stop_pass_on_shared_failure(self._ctx, WHERE, exc, budget)
        log.info("Orphan look-up of %s failed: %s", target.order_code, exc)
        self._hold(target, self._clock())


# --- the way out: "Confirm payment" and "Dismiss" ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConfirmOutcome:
    """What "Confirm payment" did, in words. ``reason`` is stable, for the window's translations:

    ``confirmed``        the backend accepted: the order is PAID and the payment was announced (once)
    ``already_paid``     the order was already paid; nothing was sent
    ``not_allowed``      refused here: the order's status cannot become PAID (``params["status"]``);
                         refund from ``dashboard_url`` instead
    ``backend_refused``  the backend refused; ``backend_message`` is its own words
    """

    order_code: str
    reason: str
    explanation: str
    #: the order's status afterwards, as last read from the backend
    order_status: str
    newly_detected: bool = False
    backend_message: str = ""
    dashboard_url: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    action_id: int | None = None

    @property
    def confirmed(self) -> bool:
        return self.reason == "confirmed"

    def audit_response(self) -> dict[str, Any]:
        return {"reason": self.reason, "explanation": self.explanation, "order_status": self.order_status,
                "backend_message": self.backend_message, "newly_detected": self.newly_detected}


class PaymentConfirmation:
    """The admin's "Confirm payment" for an orphan settlement, and dismissing an orphan alert; both audited."""

    def __init__(self, ctx: EngineContext, client: ZaveraClient, checks: StatusChecks, health: HealthMonitor,
                 *, access: Callable[[], MidtransAccess | None]) -> None:
        self._ctx = ctx
        self._client = client
        self._checks = checks
        self._health = health
        self._access = access

    async def confirm(self, order_code: str, actor: str, reason: str) -> ConfirmOutcome:
        """Re-read the order; refuse in words when it cannot become PAID; else PATCH it to PAID (the web
        admin's Confirm Payment), record the payment (announced once) and clear the orphan alert."""
        code = order_code.strip().upper()
        reason = reason.strip() or "Paid at Midtrans; confirmed in Zavera Desktop"
        request = {"order_code": code, "status": "PAID", "reason": reason}
        try:
            outcome = await self._confirm(code, actor, reason)
        except ZaveraError as exc:
            record_action(self._ctx.store, actor=actor, action=CONFIRM_PAYMENT, order_code=code, request=request,
                          response={"error": str(exc)}, outcome="error")
            raise
        action_id = record_action(self._ctx.store, actor=actor, action=CONFIRM_PAYMENT, order_code=code,
                                  request=request, response=outcome.audit_response(), outcome=outcome.reason)
        return replace(outcome, action_id=action_id)

    async def _confirm(self, code: str, actor: str, reason: str) -> ConfirmOutcome:
        dashboard = midtrans_dashboard_url(self._access())
        detail = await self._client.order_detail(code)
        status = detail.order.status
        if is_paid_status(status):
            newly = self._checks.record_known_paid(detail)
            self._health.clear(HealthKind.ORPHAN_SETTLEMENT, code,
                               f"The shop already has this order as paid ({status}).")
            return ConfirmOutcome(code, "already_paid", f"The backend already has this order as {status}; nothing was "
                                  f"changed.", status, newly, dashboard_url=dashboard, params={"status": status})
        if status not in CONFIRMABLE_STATUSES:
            return ConfirmOutcome(
                code, "not_allowed",
                f"The shop can no longer accept this payment: the order is {status}, and the backend lets an order "
                f"become PAID only from PENDING. Refund the customer in the Midtrans dashboard ({dashboard}).",
                status, dashboard_url=dashboard, params={"status": status})
        try:
            message = await self._client.update_order_status(code, "PAID", reason)
        except RequestRejectedError as exc:
            said = exc.server_message or str(exc)
            return ConfirmOutcome(code, "backend_refused", f"The backend refused to mark the order paid: “{said}”.",
                                  status, backend_message=said, dashboard_url=dashboard, params={"message": said})
        try:
            after = await self._client.order_detail(code)
        except ZaveraError as exc:  # it is done; record what we know
            log.info("Reading %s after confirming it failed: %s", code, exc)
            after = None
        if after is not None and is_paid_status(after.order.status):
            cand = candidate_from_detail(after, DetectedBy.RECONCILE)
        else:
            order = detail.order
            cand = PaymentCandidate(order_code=code, amount=order.total_amount, detected_by=DetectedBy.RECONCILE,
                                    detected_at=datetime.now(UTC), customer=order.customer_name or None)
        # cleared first, so the words say who confirmed it (recording the payment would clear it too)
        self._health.clear(HealthKind.ORPHAN_SETTLEMENT, code, f"Confirmed by {actor}: the order is now PAID.")
        # the admin's confirmation is read back from the backend like any reconcile find; the audit log says who
        new = self._ctx.sink.record_now([cand])
        final_status = after.order.status if after is not None else "PAID"
        return ConfirmOutcome(code, "confirmed", f"The order is now {final_status}: the backend accepted the "
                              f"confirmation (“{message or 'Order status updated'}”).", final_status, bool(new),
                              backend_message=message, dashboard_url=dashboard)

    def dismiss(self, alert_id: int, actor: str, reason: str) -> HealthAlert:
        """Close an orphan alert the admin has dealt with (e.g. refunded in the Midtrans dashboard). Shop-wide
        findings clear themselves when the problem is gone, so they cannot be dismissed."""
        alert = self._health.store.alert(alert_id)
        if alert is None or alert.kind is not HealthKind.ORPHAN_SETTLEMENT:
            raise ActionError("not_dismissable", "Only an open orphan-settlement alert can be dismissed; the other "
                                                 "findings clear by themselves when the problem is fixed.",
                              params={"alert_id": alert_id})
        words = f"Dismissed by {actor}" + (f": {reason.strip()}" if reason.strip() else ".")
        cleared = self._health.clear_id(alert_id, words) if alert.is_open else None
        record_action(self._ctx.store, actor=actor, action=DISMISS_ALERT, order_code=alert.order_code,
                      request={"alert_id": alert_id, "reason": reason.strip()},
                      response={"cleared": cleared is not None}, outcome="dismissed" if cleared else "already_cleared")
        return cleared or alert

