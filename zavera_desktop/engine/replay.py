"""The webhook replay: Midtrans' truth → the notification it would send → preview → POST → re-read.

For "the customer paid, but the backend never heard": Midtrans is asked for the transaction's status
(``GET /v2/{id}/status``), the HTTP notification is rebuilt from that answer and signed exactly as
Midtrans signs it (``backend/midtrans.py``, the one signer), the admin sees it (signature masked) and
confirms, it is posted to the backend's Core webhook, and the order is read again to say what changed.
The webhook answers HTTP 200 to everything (contract §5.5), so the verdict is in its body.

A payment that arrives because of the replay is ``detected_by = replay``: the POST and the re-read run
inside ``StatusChecks.crediting``, so the webhook's own broadcast is credited to the replay as well.

The server key is used in two places only: Midtrans' Authorization header (in ``MidtransClient``) and
the signature. Nothing here stores, logs or raises it; the audit log keeps the signed payload.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from zavera_desktop.backend.client import OrderDetail, WebhookAnswer, ZaveraClient
from zavera_desktop.backend.errors import ZaveraError
from zavera_desktop.backend.midtrans import (
    SETTLED_STATUSES,
    MidtransAccess,
    MidtransClient,
    MidtransStatus,
    notification_from_status,
    order_code_of,
)
from zavera_desktop.domain import DetectedBy, is_paid_status
from zavera_desktop.engine.action_types import (
    ActionError,
    OutcomeKind,
    ReplayOutcome,
    ReplayPreview,
    TransactionIdNeeded,
    kind_for_order_status,
    record_action,
)
from zavera_desktop.engine.changes import candidate_from_detail
from zavera_desktop.engine.checks import StatusChecks
from zavera_desktop.engine.context import EngineContext
from zavera_desktop.store.audit import REPLAY, action_entry

log = logging.getLogger(__name__)

#: where Midtrans posts Core notifications on the Zavera backend (§5.1)
DEFAULT_WEBHOOK_PATH = "/api/webhook/midtrans/core"
#: a settled replay whose order still reads unpaid is read again (the broadcast can precede the commit, §10.11)
REREAD_ATTEMPTS = 3
REREAD_GAP = 0.3
FINAL_PAYMENT_STATUSES = frozenset({"PAID", "EXPIRED", "CANCELLED", "FAILED"})
#: refusals that are about settings or input, not an attempt on an order: not written to the audit log
_NOT_AUDITED = frozenset({"transaction_id_needed", "no_midtrans", "webhook_origin", "confirmation_required",
                          "not_replayable"})

WHERE_TO_FIND_THE_ID = (
    "Type the Midtrans order id instead: it starts with the order code and has two more parts, e.g. "
    "ZVR-20260122-26A6A050-1769050000-a1b2. Find it in the Midtrans dashboard (Transactions, search for the "
    "order code) or in Midtrans' payment e-mail. A Midtrans transaction id works too."
)


class AlreadyPaid(ActionError):
    """Nothing to replay: the backend already has the order paid (a replay would only re-mark it)."""


def default_webhook_url(backend_url: str) -> str:
    return backend_url.rstrip("/") + DEFAULT_WEBHOOK_PATH


def _origin(url: str) -> tuple[str, str, int | None]:
    parsed = httpx.URL(url)
    default = {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.scheme, parsed.host.lower(), parsed.port or default


def check_webhook_url(url: str, backend_url: str) -> str:
    """The webhook URL, if it is on the configured backend's origin (a notification goes nowhere else)."""
    url = url.strip()
    try:
        ok = url.startswith(("http://", "https://")) and _origin(url) == _origin(backend_url)
    except (httpx.InvalidURL, ValueError):
        ok = False
    if not ok:
        shown, backend = display_url(url), display_url(backend_url)
        raise ActionError("webhook_origin",
                          f"The webhook URL {shown} is not on the shop backend ({backend}); a replay is only sent "
                          f"to the configured backend.", params={"webhook_url": shown, "backend_url": backend})
    return url


def display_url(url: str) -> str:
    """A URL without any user:password part, for previews and the audit log."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


class Replayer:
    """Builds, previews, sends and audits webhook replays for one backend."""

    def __init__(self, ctx: EngineContext, client: ZaveraClient, checks: StatusChecks, *,
                 midtrans: MidtransAccess | None = None, webhook_url: str | None = None,
                 midtrans_transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._ctx = ctx
        self._client = client
        self._checks = checks
        self._access = midtrans
        self._midtrans_transport = midtrans_transport
        self._webhook_url: str | None = None
        self.set_webhook_url(webhook_url)

    # --- settings ---------------------------------------------------------------------------------

    @property
    def midtrans_configured(self) -> bool:
        return self._access is not None

    def set_midtrans(self, access: MidtransAccess | None) -> None:
        self._access = access

    @property
    def webhook_url(self) -> str:
        return self._webhook_url or default_webhook_url(self._client.base_url)

    def set_webhook_url(self, url: str | None) -> None:
        """``None`` or "" means the default ``{backend}/api/webhook/midtrans/core``."""
        self._webhook_url = check_webhook_url(url, self._client.base_url) if url and url.strip() else None

    # --- preview ----------------------------------------------------------------------------------

    async def preview(self, order_code: str, actor: str, transaction_id: str | None = None) -> ReplayPreview:
        """Ask Midtrans about the order's payment and build the notification; nothing is sent yet."""
        code = order_code.strip().upper()
        typed = (transaction_id or "").strip() or None
        request: dict[str, Any] = {"order_code": code, "stage": "preview", "webhook_url": display_url(self.webhook_url)}
        try:
            access = self._need_access()
            request.update(environment=access.environment, midtrans_url=display_url(access.base_url))
            detail = await self._client.order_detail(code)
            self._refuse_if_paid(detail)
            payment = detail.payment
            midtrans_id = typed or (payment.transaction_id if payment is not None else "")
            if not midtrans_id:
                raise TransactionIdNeeded("transaction_id_needed",
                                          f"The backend shows no Midtrans transaction id for {code}, so the app cannot "
                                          f"tell Midtrans which payment to look up. {WHERE_TO_FIND_THE_ID}")
            request.update(midtrans_id=midtrans_id, id_source="admin" if typed else "order_detail")
            status = await self._ask_midtrans(access, midtrans_id)
            belongs = order_code_of(status.order_id)
            if belongs != code:
                raise ActionError("other_order",
                                  f"Midtrans transaction {midtrans_id} belongs to order {belongs}, not {code}; "
                                  f"nothing was sent. Check the id you typed.",
                                  params={"midtrans_order_id": status.order_id, "belongs_to": belongs})
            payload = notification_from_status(status, access.server_key)
        except ZaveraError as exc:
            self._audit_refusal(actor, code, request, exc)
            raise
        return ReplayPreview(
            order_code=code, order_status=detail.order.status, midtrans_id=midtrans_id,
            id_source=request["id_source"], transaction_status=status.transaction_status, payload=payload,
            webhook_url=self.webhook_url, environment=access.environment,
            midtrans_url=display_url(access.base_url), warnings=self._warnings(detail, status.transaction_status),
        )

    async def stored(self, action_id: int, actor: str) -> ReplayPreview:
        """A stored replay, to send again as-is ("Replay again"); Midtrans is not asked."""
        entry = action_entry(self._ctx.store, action_id)
        if entry is None or not entry.replayable or not entry.order_code:
            raise ActionError("not_replayable", f"Audit entry {action_id} holds no notification to send again.",
                              params={"action_id": action_id})
        req = entry.request or {}
        payload: dict[str, Any] = dict(req["payload"])
        code = entry.order_code
        if order_code_of(str(payload.get("order_id", ""))) != code:
            raise ActionError("not_replayable", f"Audit entry {action_id}'s notification is not for {code}.",
                              params={"action_id": action_id})
        webhook_url = check_webhook_url(str(req["webhook_url"]), self._client.base_url)
        request = {"order_code": code, "stage": "preview", "replay_of": action_id}
        try:
            detail = await self._client.order_detail(code)
            self._refuse_if_paid(detail)
        except ZaveraError as exc:
            self._audit_refusal(actor, code, request, exc)
            raise
        ts = str(payload.get("transaction_status", ""))
        return ReplayPreview(
            order_code=code, order_status=detail.order.status, midtrans_id=str(req.get("midtrans_id", "")),
            id_source="stored", transaction_status=ts, payload=payload, webhook_url=webhook_url,
            environment=str(req.get("environment", "custom")), midtrans_url=str(req.get("midtrans_url", "")),
            warnings=self._warnings(detail, ts), replay_of=action_id,
        )

    def _need_access(self) -> MidtransAccess:
        if self._access is None:
            raise ActionError("no_midtrans", "Set the Midtrans environment and server key first (in the settings; "
                                             "for the command line --midtrans-env or --midtrans-url, and "
                                             "--server-key-env).")
        return self._access

    @staticmethod
    def _refuse_if_paid(detail: OrderDetail) -> None:
        status = detail.order.status
        if is_paid_status(status):
            raise AlreadyPaid("already_paid",
                              f"The backend already has {detail.order.order_code} as {status}; nothing was sent "
                              f"(a replay would mark it paid again and e-mail the customer a second time).",
                              params={"status": status})

    async def _ask_midtrans(self, access: MidtransAccess, midtrans_id: str) -> MidtransStatus:
        # a short-lived client per look-up: a key changed in the settings applies to the next replay at once
        midtrans = MidtransClient(access, transport=self._midtrans_transport)
        try:
            return await midtrans.status(midtrans_id)
        finally:
            await midtrans.aclose()

    @staticmethod
    def _warnings(detail: OrderDetail, transaction_status: str) -> tuple[tuple[str, str], ...]:
        out = []
        settled = transaction_status in SETTLED_STATUSES
        if not settled:
            out.append(("midtrans_not_settled",
                        f"Midtrans says the transaction is '{transaction_status}', not settled: this notification "
                        f"will not mark the order paid."))
        payment = detail.payment
        if settled and payment is not None and payment.is_core and payment.status in FINAL_PAYMENT_STATUSES:
            out.append(("payment_final",
                        f"The backend's payment record is already {payment.status}; the Core webhook ignores a "
                        f"notification for a final payment, so this replay will probably change nothing."))
        return tuple(out)

    # --- send -------------------------------------------------------------------------------------

    async def send(self, preview: ReplayPreview, actor: str, *, confirmation: str | None = None,
                   dry_run: bool = False) -> ReplayOutcome:
        """POST the previewed notification (or, with ``dry_run``, only record it) and say what changed."""
        code = preview.order_code
        webhook_url = check_webhook_url(preview.webhook_url, self._client.base_url)
        if not dry_run and preview.needs_typed_confirmation and (confirmation or "").strip().upper() != code:
            raise ActionError("confirmation_required",
                              f"This replay goes to the production backend: type the order code {code} to confirm.")
        request: dict[str, Any] = {
            "order_code": code, "midtrans_id": preview.midtrans_id, "id_source": preview.id_source,
            "environment": preview.environment, "midtrans_url": preview.midtrans_url,
            "webhook_url": display_url(webhook_url), "transaction_status": preview.transaction_status,
            "dry_run": dry_run, "payload": dict(preview.payload),
        }
        if preview.replay_of is not None:
            request["replay_of"] = preview.replay_of
        if dry_run:
            return self._record(actor, request, ReplayOutcome(
                code, OutcomeKind.DRY_RUN, "dry_run",
                f"Nothing was sent. This notification (Midtrans says '{preview.transaction_status}') would go to "
                f"{display_url(webhook_url)}.",
                backend_status=preview.order_status, transaction_status=preview.transaction_status,
                masked_payload=preview.masked_payload))
        known_before = self._ctx.store.payment(code) is not None
        expect_paid = preview.transaction_status in SETTLED_STATUSES
        try:
            # Everything the backend broadcasts for this order meanwhile is the replay's doing.
            with self._checks.crediting(code, DetectedBy.REPLAY):
                answer = await self._client.post_webhook(webhook_url, dict(preview.payload))
                detail, reread_error = await self._reread(code, expect_paid=answer.accepted and expect_paid)
                if detail is not None and is_paid_status(detail.order.status):
                    self._ctx.sink.record_now([candidate_from_detail(detail, DetectedBy.REPLAY)])
        except ZaveraError as exc:
            record_action(self._ctx.store, actor=actor, action=REPLAY, order_code=code, request=request,
                          response={"error": str(exc)}, outcome=OutcomeKind.ERROR.value)
            raise
        paid_now = detail is not None and is_paid_status(detail.order.status)
        outcome = self._verdict(preview, answer, detail, reread_error, newly=paid_now and not known_before)
        return self._record(actor, request, outcome, answer)

    async def _reread(self, code: str, *, expect_paid: bool) -> tuple[OrderDetail | None, str]:
        detail: OrderDetail | None = None
        error = ""
        for attempt in range(REREAD_ATTEMPTS if expect_paid else 1):
            if attempt:
                await asyncio.sleep(REREAD_GAP)
            try:
                detail = await self._client.order_detail(code)
            except ZaveraError as exc:
                error = str(exc)
                continue
            error = ""
            if not expect_paid or is_paid_status(detail.order.status):
                break
        return detail, error

    def _record(self, actor: str, request: dict[str, Any], outcome: ReplayOutcome,
                answer: WebhookAnswer | None = None) -> ReplayOutcome:
        response: dict[str, Any] = {"backend_status": outcome.backend_status, "reason": outcome.reason,
                                    "explanation": outcome.explanation, "newly_detected": outcome.newly_detected}
        if answer is not None:
            response["webhook"] = {"http_status": answer.http_status, "status": answer.status,
                                   "message": answer.message}
        action_id = record_action(self._ctx.store, actor=actor, action=REPLAY, order_code=outcome.order_code,
                                  request=request, response=response, outcome=outcome.outcome.value)
        log.info("Replay for %s: %s (%s)", outcome.order_code, outcome.outcome.value, outcome.reason)
        return replace(outcome, action_id=action_id)

    def _audit_refusal(self, actor: str, code: str, request: dict[str, Any], exc: ZaveraError) -> None:
        reason = getattr(exc, "reason", "")
        if reason in _NOT_AUDITED:
            return
        outcome = OutcomeKind.PAID if isinstance(exc, AlreadyPaid) else OutcomeKind.ERROR
        record_action(self._ctx.store, actor=actor, action=REPLAY, order_code=code, request=request,
                      response={"error": str(exc), "reason": reason or exc.__class__.__name__,
                                "explanation": str(exc)}, outcome=outcome.value)

    @staticmethod
    def _verdict(preview: ReplayPreview, answer: WebhookAnswer, detail: OrderDetail | None, reread_error: str,
                 *, newly: bool) -> ReplayOutcome:
        code = preview.order_code
        status = detail.order.status if detail is not None else ""
        ts = preview.transaction_status
        common = dict(webhook_status=answer.status, backend_message=answer.message, transaction_status=ts)
        if not answer.accepted:
            message = answer.message or "(no message)"
            still = f" The order is still {status}." if status else ""
            if message == "invalid webhook signature":
                reason = "bad_signature"
                text = (f"The backend rejected the notification: \"{message}\". The server key used here is not the "
                        f"backend's MIDTRANS_SERVER_KEY (a wrong key, or the other environment's).{still}")
            elif message.startswith("order not found"):
                reason, text = "order_not_found", f"The backend rejected the notification: \"{message}\".{still}"
            elif message == "payment not found":
                reason = "payment_not_found"
                text = (f"The backend rejected the notification: \"{message}\": the order has no VA/QRIS/GoPay "
                        f"payment for the Core webhook to apply it to.{still}")
            else:
                reason, text = "rejected", f"The backend rejected the notification: \"{message}\".{still}"
            return ReplayOutcome(code, OutcomeKind.REJECTED, reason, text, status, params={"message": message},
                                 **common)
        if detail is None:
            return ReplayOutcome(code, OutcomeKind.ERROR, "reread_failed",
                                 f"The backend accepted the notification, but reading the order afterwards failed "
                                 f"({reread_error}); look at the order again in a moment.", status,
                                 params={"error": reread_error}, **common)
        if is_paid_status(status):
            text = f"The backend accepted the notification and now shows {code} as {status}."
            if newly:
                text += " The payment is recorded as found by the replay."
            return ReplayOutcome(code, OutcomeKind.PAID, "paid", text, status, newly_detected=newly, **common)
        kind = kind_for_order_status(status)
        if ts not in SETTLED_STATUSES:
            return ReplayOutcome(code, kind, "midtrans_not_settled",
                                 f"Still {status}: the backend accepted the notification, but Midtrans says '{ts}', "
                                 f"not settled, so there was no payment to apply.", status,
                                 params={"transaction_status": ts, "status": status}, **common)
        payment = detail.payment
        if payment is not None and payment.is_core and payment.status in FINAL_PAYMENT_STATUSES:
            return ReplayOutcome(code, kind, "payment_final",
                                 f"Still {status}: the backend accepted the notification but ignored it, because its "
                                 f"payment record was already {payment.status} (the Core webhook drops a late "
                                 f"settlement). Check the Midtrans dashboard and confirm the payment in the web "
                                 f"admin.", status, params={"payment_status": payment.status, "status": status},
                                 **common)
        return ReplayOutcome(code, kind, "not_applied",
                             f"Still {status}: the backend answered ok, but the order did not change.", status,
                             params={"status": status}, **common)
