"""Admin actions: the status check in words, "check all stuck", and the webhook replay (DESIGN §6).

``AdminActions`` is what the engine's public methods (and the CLI's one-shot runner) call. Every
action is written to the audit log (``store/audit.py`` reads it back).

The status check never calls ``/core/check`` itself: it goes through ``StatusChecks.run_check`` and its
limiter, shared with verify, so the backend's one-check-per-payment-per-5-s rule holds whoever asks.
Before asking, the order is read again (an order already PAID is never sent to ``/core/check``: that
would mark it PAID again and e-mail the customer twice, contract §4.1). On a 429 anyway (another
session of the same admin account checked it) it waits the time left, reports the wait, reads the
order again and tries once more.

"Check all stuck" takes the dashboard's stuck payments (``stuck_payments``, at most 50, oldest first),
checks them one after the other — payments checked in the last 5 s go last, so nobody waits while
others are ready — reports progress, stops between payments when ``cancel`` is set, and ends with a
summary. One audit row per payment plus one for the run.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx

from zavera_desktop.backend.client import OrderDetail, PaymentInfo, StuckPayment, ZaveraClient
from zavera_desktop.backend.errors import (
    AuthError,
    ForbiddenError,
    NetworkError,
    RateLimitedError,
    ServerError,
    ZaveraError,
)
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.domain import DetectedBy, is_paid_status
from zavera_desktop.engine.action_types import (
    ActionProgress,
    BulkCheckSummary,
    BulkItem,
    CheckActionOutcome,
    OutcomeKind,
    ReplayOutcome,
    ReplayPreview,
    kind_for_order_status,
    record_action,
)
from zavera_desktop.engine.checks import StatusChecks
from zavera_desktop.engine.context import EngineContext
from zavera_desktop.engine.replay import Replayer
from zavera_desktop.store.audit import BULK_CHECK, STATUS_CHECK

log = logging.getLogger(__name__)

Progress = Callable[[ActionProgress], None]

#: never wait longer than this on a 429 (a Retry-After from a proxy could say anything)
MAX_RATE_LIMIT_WAIT = 60.0
#: how often a wait looks at the cancel flag
CANCEL_POLL = 0.1
#: "check all stuck" stops after this many payments in a row could not be checked because the backend is
#: down or unreachable (each may take a 30 s timeout; 50 of them would keep the admin waiting for minutes)
MAX_CONSECUTIVE_OUTAGES = 3
#: payment statuses after which /core/check answers from the database without asking Midtrans (§4.1 step 3)
FINAL_PAYMENT_STATUSES = frozenset({"PAID", "EXPIRED", "CANCELLED", "FAILED"})


class _Cancelled(Exception):
    pass


class _Outage(Exception):
    pass


def _report(progress: Progress | None, event: ActionProgress) -> None:
    if progress is None:
        return
    try:
        progress(event)
    except Exception:  # a broken progress display must not break the action
        log.exception("A progress callback failed")


def normalize_code(order_code: str) -> str:
    return order_code.strip().upper()


class AdminActions:
    """Status checks, "check all stuck" and replays for one backend and one store."""

    def __init__(self, ctx: EngineContext, client: ZaveraClient, checks: StatusChecks, *,
                 midtrans: MidtransAccess | None = None, webhook_url: str | None = None,
                 midtrans_transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._ctx = ctx
        self._client = client
        self._checks = checks
        self.replay = Replayer(ctx, client, checks, midtrans=midtrans, webhook_url=webhook_url,
                               midtrans_transport=midtrans_transport)

    # --- the status check -------------------------------------------------------------------------

    async def check(self, order_code: str, actor: str, progress: Progress | None = None) -> CheckActionOutcome:
        """One order: re-read, ``/core/check`` through the shared limiter, explain, audit."""
        code = normalize_code(order_code)
        request: dict[str, Any] = {"order_code": code}
        try:
            outcome = await self._check(code, request, progress, reread_after=True)
        except ZaveraError as exc:
            record_action(self._ctx.store, actor=actor, action=STATUS_CHECK, order_code=code, request=request,
                          response={"error": str(exc)}, outcome=OutcomeKind.ERROR.value)
            raise
        action_id = record_action(self._ctx.store, actor=actor, action=STATUS_CHECK, order_code=code,
                                  request=request, response=outcome.audit_response(), outcome=outcome.outcome.value)
        return replace(outcome, action_id=action_id)

    async def _check(self, code: str, request: dict[str, Any], progress: Progress | None, *, reread_after: bool,
                     cancel: threading.Event | None = None) -> CheckActionOutcome:
        detail = await self._client.order_detail(code)
        known_before = self._ctx.store.payment(code) is not None
        waited = 0.0
        retried = False
        while True:
            settled = self._without_check(detail)
            if settled is not None:
                return replace(settled, waited=waited)
            payment = detail.payment
            assert payment is not None
            request["payment_id"] = payment.id
            waited += await self._wait_spacing(code, payment.id, progress, cancel)
            try:
                status, message, _ = await self._checks.run_check(code, payment.id, detail, DetectedBy.VERIFY)
                break
            except RateLimitedError as exc:
                if retried:
                    raise
                retried = True
                wait = min(MAX_RATE_LIMIT_WAIT, max(exc.retry_after, self._checks.limiter.wait_for(payment.id)))
                _report(progress, ActionProgress("waiting", code, wait_seconds=wait, why="rate_limited"))
                await self._sleep(wait, cancel)
                waited += wait
                # somebody else checked it a moment ago and may have found it paid: read it again first
                detail = await self._client.order_detail(code)
        newly = status == "PAID" and not known_before
        backend_status = self._status_after(detail.order.status, status)
        if reread_after:
            try:
                backend_status = (await self._client.order_detail(code)).order.status
            except ZaveraError as exc:  # the check itself happened; say what it answered
                log.info("Reading %s after its check failed: %s", code, exc)
        return self._words(code, payment, detail, status, message, newly, backend_status, waited)

    def _without_check(self, detail: OrderDetail) -> CheckActionOutcome | None:
        """The outcome when /core/check must not or cannot be asked; None when it should be."""
        order, payment = detail.order, detail.payment
        code = order.order_code
        if is_paid_status(order.status):
            newly = self._checks.record_known_paid(detail)
            text = (f"The backend already has this order as {order.status}; Midtrans was not asked again (that would "
                    f"mark it paid a second time and e-mail the customer again).")
            return CheckActionOutcome(code, payment.id if payment and payment.is_core else None, order.status, text,
                                      newly, OutcomeKind.PAID, "already_paid", text, order.status,
                                      params={"status": order.status})
        if payment is None or not payment.is_core:
            text = (f"This order ({order.status}) has no VA, QRIS or GoPay payment, so the backend cannot check it "
                    f"with Midtrans. If the customer paid, replay the Midtrans notification or confirm the payment "
                    f"in the web admin after checking the Midtrans dashboard.")
            return CheckActionOutcome(code, None, order.status, text, False, kind_for_order_status(order.status),
                                      "no_core_payment", text, order.status, params={"status": order.status})
        return None

    async def _wait_spacing(self, code: str, payment_id: int, progress: Progress | None,
                            cancel: threading.Event | None) -> float:
        """Wait until the shared limiter allows this payment (verify may check it meanwhile: look again)."""
        waited = 0.0
        while (wait := self._checks.limiter.wait_for(payment_id)) > 0:
            _report(progress, ActionProgress("waiting", code, wait_seconds=wait, why="spacing"))
            await self._sleep(wait, cancel)
            waited += wait
        return waited

    @staticmethod
    async def _sleep(seconds: float, cancel: threading.Event | None) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            await asyncio.sleep(min(left, CANCEL_POLL))

    @staticmethod
    def _status_after(order_status: str, answer: str) -> str:
        """The order status the answer implies, when it is not read again (§4.1 step 6)."""
        return answer if answer in ("PAID", "EXPIRED") else order_status

    @staticmethod
    def _words(code: str, payment: PaymentInfo, detail: OrderDetail, status: str, message: str, newly: bool,
               backend_status: str, waited: float) -> CheckActionOutcome:
        order_status, payment_status = detail.order.status, payment.status
        said = f' ("{message}")' if message else ""
        params: dict[str, Any] = {"status": status, "order_status": order_status}
        if status == "PAID":
            kind, reason = OutcomeKind.PAID, "paid"
            text = (f"The backend asked Midtrans, which has the money: the order is now "
                    f"{backend_status or 'PAID'}{said}.")
            if newly:
                text += " The payment was missing here and has now been recorded."
        elif status == "PENDING":
            kind, reason = OutcomeKind.PENDING, "pending"
            text = (f"The backend answered PENDING{said}: Midtrans has not received the money yet — or Midtrans could "
                    f"not be reached, because the backend answers PENDING on any Midtrans error without saying so. "
                    f"If the customer has proof of payment, look in the Midtrans dashboard or replay the "
                    f"notification.")
        elif status == "CANCELLED" and order_status == "CANCELLED":
            kind, reason = OutcomeKind.CANCELLED, "cancelled_by_admin"
            text = (f"The order was cancelled by an admin, so the backend did not ask Midtrans{said}. If the customer "
                    f"paid anyway, replay the Midtrans notification: the webhook marks even a cancelled order paid.")
        elif status in ("CANCELLED", "EXPIRED", "FAILED") and payment_status in FINAL_PAYMENT_STATUSES:
            kind = OutcomeKind.CANCELLED if status == "CANCELLED" else OutcomeKind.FAILED
            reason = "payment_final"
            params["payment_status"] = payment_status
            text = (f"The backend's payment record was already {payment_status}, so it answered from its database "
                    f"without asking Midtrans{said}. A payment that settled later cannot be found this way (and the "
                    f"webhook ignores it too): check the Midtrans dashboard and confirm it in the web admin.")
        elif status == "CANCELLED":
            kind, reason = OutcomeKind.CANCELLED, "payment_cancelled"
            text = (f"Midtrans reports the transaction cancelled{said}: the backend marked the payment cancelled and "
                    f"left the order {order_status}.")
        elif status == "EXPIRED":
            kind, reason = OutcomeKind.FAILED, "expired"
            text = f"The payment expired at Midtrans{said}: the backend marked the payment and the order EXPIRED."
        elif status == "FAILED":
            kind, reason = OutcomeKind.FAILED, "payment_failed"
            text = (f"Midtrans denied the transaction, or it failed{said}: the backend marked the payment failed and "
                    f"left the order {order_status}.")
        else:
            kind, reason = kind_for_order_status(status), "other"
            text = f"The backend answered {status}{said}."
        return CheckActionOutcome(code, payment.id, status, message or text, newly, kind, reason, text,
                                  backend_status, backend_message=message, waited=waited, params=params)

    # --- check all stuck --------------------------------------------------------------------------

    async def check_all_stuck(self, actor: str, progress: Progress | None = None,
                              cancel: threading.Event | None = None) -> BulkCheckSummary:
        """Every stuck payment on the dashboard, one at a time; ``cancel`` stops between payments."""
        try:
            dashboard = await self._client.dashboard_payments()
        except ZaveraError as exc:
            record_action(self._ctx.store, actor=actor, action=BULK_CHECK, order_code=None,
                          request={"source": "dashboard stuck_payments"}, response={"error": str(exc)},
                          outcome=OutcomeKind.ERROR.value)
            raise
        stuck: dict[str, StuckPayment] = {}
        for s in dashboard.stuck_payments:
            stuck.setdefault(s.order_code, s)
        total = len(stuck)
        items: list[BulkItem] = []
        outages = 0

        def counts() -> dict[str, int]:
            out: dict[str, int] = {}
            for item in items:
                out[item.outcome.value] = out.get(item.outcome.value, 0) + 1
            return out

        def inner(event: ActionProgress) -> None:  # a wait inside one check, with the run's figures
            _report(progress, replace(event, done=len(items), total=total, counts=counts()))

        async def one(s: StuckPayment) -> None:
            nonlocal outages
            _report(progress, ActionProgress("checking", s.order_code, done=len(items), total=total, counts=counts()))
            request: dict[str, Any] = {"order_code": s.order_code, "payment_id": s.payment_id, "via": BULK_CHECK}
            try:
                o = await self._check(s.order_code, request, inner, reread_after=False, cancel=cancel)
            except ZaveraError as exc:
                items.append(BulkItem(s.order_code, s.payment_id, OutcomeKind.ERROR, "error", "", str(exc)))
                record_action(self._ctx.store, actor=actor, action=STATUS_CHECK, order_code=s.order_code,
                              request=request, response={"error": str(exc)}, outcome=OutcomeKind.ERROR.value)
                if isinstance(exc, AuthError | ForbiddenError):
                    self._ctx.handle_rest_error("Check all stuck", exc)
                    raise
                outages = outages + 1 if isinstance(exc, NetworkError | ServerError) else 0
                if outages >= MAX_CONSECUTIVE_OUTAGES:
                    raise _Outage(f"{outages} checks in a row failed: {exc}") from None
                return
            outages = 0
            items.append(BulkItem(s.order_code, o.payment_id, o.outcome, o.reason, o.status, o.explanation,
                                  o.newly_detected))
            record_action(self._ctx.store, actor=actor, action=STATUS_CHECK, order_code=s.order_code,
                          request=request, response=o.audit_response(), outcome=o.outcome.value)

        cancelled, stopped = False, ""
        try:
            # payments checked in the last 5 s (by verify or the admin) go last: the others need no wait
            ready = [s for s in stuck.values() if self._checks.limiter.wait_for(s.payment_id) <= 0]
            later = [s for s in stuck.values() if self._checks.limiter.wait_for(s.payment_id) > 0]
            for s in ready + later:
                if cancel is not None and cancel.is_set():
                    raise _Cancelled
                await one(s)
        except _Cancelled:
            cancelled = True
        except (AuthError, ForbiddenError, _Outage) as exc:
            stopped = str(exc)
        summary = BulkCheckSummary(total, tuple(items), cancelled=cancelled, stopped=stopped)
        response = {"counts": summary.counts, "now_paid": [i.order_code for i in items if i.reason == "paid"],
                    "errors": [{"order_code": e.order_code, "error": e.explanation} for e in summary.errors],
                    "cancelled": cancelled, "explanation": summary.text}
        outcome = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.counts.items())) or "nothing stuck"
        if cancelled:
            outcome += " (cancelled)"
        action_id = record_action(self._ctx.store, actor=actor, action=BULK_CHECK, order_code=None,
                                  request={"source": "dashboard stuck_payments", "total": total,
                                           "payment_ids": [s.payment_id for s in stuck.values()]},
                                  response=response, outcome=outcome[:255])
        _report(progress, ActionProgress("done", None, done=len(items), total=total, counts=summary.counts))
        log.info("Check all stuck: %s", summary.text)
        return replace(summary, action_id=action_id)

    # --- replay -------------------------------------------------------------------------------------

    async def replay_preview(self, order_code: str, actor: str, transaction_id: str | None = None) -> ReplayPreview:
        return await self.replay.preview(order_code, actor, transaction_id)

    async def stored_replay(self, action_id: int, actor: str) -> ReplayPreview:
        return await self.replay.stored(action_id, actor)

    async def replay_send(self, preview: ReplayPreview, actor: str, *, confirmation: str | None = None,
                          dry_run: bool = False) -> ReplayOutcome:
        return await self.replay.send(preview, actor, confirmation=confirmation, dry_run=dry_run)
