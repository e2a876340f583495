"""Midtrans webhooks: the Core handler (contract §5.1–5.6) and the legacy Snap one (§5.7).

Core answers HTTP 200 whatever happens, so Midtrans never retries; Snap answers 400 only
for a body it cannot parse. Snap never notifies over SSE, which is how a misrouted Core
settlement makes an order PAID silently.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zavera_desktop.sandbox import midtrans
from zavera_desktop.sandbox.db import (
    CORE_FINAL,
    SNAP_FINAL,
    CorePaymentSyncLog,
    Order,
    Payment,
    PaymentSyncLog,
    latest_core_payment,
    latest_snap_payment,
    order_by_code,
)
from zavera_desktop.sandbox.gobind import CORE_NOTIFICATION, SNAP_NOTIFICATION, BindError, bind_json
from zavera_desktop.sandbox.gojson import GoJSONResponse, error_response, gin_h
from zavera_desktop.sandbox.runtime import Runtime
from zavera_desktop.sandbox.shop import record_history

log = logging.getLogger("zavera_desktop.sandbox.webhooks")

FIND_ATTEMPTS = 3
FIND_RETRY_DELAY = 0.5


def signature_valid(notification: dict[str, Any], server_key: str) -> bool:
    expected = midtrans.signature(
        notification["order_id"], notification["status_code"], notification["gross_amount"], server_key
    )
    return hmac.compare_digest(expected, notification["signature_key"])


def extract_order_code(midtrans_order_id: str) -> str:
    """``extractOrderCode``: the first three ``-`` parts, or the whole id when there are fewer."""
    parts = midtrans_order_id.split("-")
    return "-".join(parts[:3]) if len(parts) >= 3 else midtrans_order_id


async def process_core(rt: Runtime, notification: dict[str, Any]) -> str | None:
    """``ProcessCoreWebhook``; returns the error text the handler would put in ``message``."""
    if not signature_valid(notification, rt.server_key):
        return "invalid webhook signature"
    order_code = extract_order_code(notification["order_id"])

    order_id = None
    for attempt in range(FIND_ATTEMPTS):
        with rt.db.session() as session:
            order = order_by_code(session, order_code)
            order_id = order.id if order is not None else None
        if order_id is not None:
            break
        if attempt < FIND_ATTEMPTS - 1:
            await asyncio.sleep(FIND_RETRY_DELAY)
    if order_id is None:
        return f"order not found: {order_code}"

    found_payment = False
    for attempt in range(FIND_ATTEMPTS):
        with rt.db.session() as session:
            found_payment = latest_core_payment(session, order_id) is not None
        if found_payment:
            break
        if attempt < FIND_ATTEMPTS - 1:
            await asyncio.sleep(FIND_RETRY_DELAY)
    if not found_payment:
        return "payment not found"

    # From here on no await: this block is the backend's DB transaction holding the order lock.
    status = notification["transaction_status"]
    now = rt.clock.now()
    with rt.db.session() as session:
        order = session.get(Order, order_id)
        payment = latest_core_payment(session, order_id)
        assert order is not None and payment is not None
        if payment.payment_status in CORE_FINAL:
            return None  # idempotent skip: no update, no SSE, no sync log
        old_payment, old_order = payment.payment_status, order.status
        if status in ("settlement", "capture"):
            payment.payment_status = "PAID"
            payment.transaction_id = notification["transaction_id"]
            payment.paid_at = now
            payment.updated_at = now
            order.status = "PAID"  # from whatever status the order had, EXPIRED and CANCELLED included
            order.paid_at = now
            order.updated_at = now
            # Broadcast before commit, as handleWebhookSettlement does.
            rt.notifier.payment_received(order.order_code, payment.payment_method, order.total_amount)
        elif status == "expire":
            payment.payment_status = "EXPIRED"
            payment.updated_at = now
            order.status = "EXPIRED"
            order.updated_at = now
            rt.notifier.payment_expired(order.order_code)
        elif status == "cancel":
            payment.payment_status = "CANCELLED"
            payment.updated_at = now
        elif status == "deny":
            payment.payment_status = "FAILED"
            payment.updated_at = now
        else:
            log.info("Unhandled transaction status: %s", status)
        session.commit()
        session.add(
            CorePaymentSyncLog(
                payment_id=payment.id,
                order_id=order.id,
                order_code=order.order_code,
                sync_type="webhook",
                sync_status="SYNCED",
                local_payment_status=old_payment,
                local_order_status=old_order,
                gateway_status=status,
                gateway_transaction_id=notification["transaction_id"],
                has_mismatch=False,
                error_message="",
                created_at=now,
            )
        )
        session.commit()
    return None


async def core_endpoint(rt: Runtime, request: Request) -> Response:
    try:
        notification = bind_json(await request.body(), CORE_NOTIFICATION)
    except BindError:
        error: str | None = "Invalid request format"
    else:
        error = await process_core(rt, notification)
    rt.stats.record_webhook("core", error)
    if error is not None:
        return GoJSONResponse(gin_h(status="error", message=error))
    return GoJSONResponse({"status": "ok"})


def _snap_status(transaction_status: str, fraud_status: str) -> str:
    if transaction_status == "capture":
        return "SUCCESS" if fraud_status == "accept" else "PENDING"
    return {
        "settlement": "SUCCESS",
        "pending": "PENDING",
        "deny": "FAILED",
        "failure": "FAILED",
        "cancel": "CANCELLED",
        "expire": "EXPIRED",
    }.get(transaction_status, "PENDING")


def process_snap(rt: Runtime, notification: dict[str, Any]) -> str | None:
    """``PaymentService.ProcessWebhook``: the Snap ``payments`` table only, never any SSE."""
    if not signature_valid(notification, rt.server_key):
        return "invalid webhook signature"
    order_code = notification["order_id"]
    parts = order_code.split("-")
    if len(parts) > 3:
        order_code = "-".join(parts[:3])
    now = rt.clock.now()
    with rt.db.session() as session:
        order = order_by_code(session, order_code)
        if order is None:
            return f"order not found: {order_code}"
        payment = latest_snap_payment(session, order.id)
        if payment is None:
            payment = Payment(
                order_id=order.id,
                payment_method=notification["payment_type"],
                payment_provider="midtrans",
                amount=order.total_amount,
                status="PENDING",
                external_id=notification["order_id"],
                transaction_id=notification["transaction_id"],
                provider_response=json.dumps(
                    {
                        "order_id": notification["order_id"],
                        "payment_type": notification["payment_type"],
                        "transaction_id": notification["transaction_id"],
                        "transaction_status": notification["transaction_status"],
                    }
                ),
                created_at=now,
                updated_at=now,
            )
            session.add(payment)
            session.flush()
        new_status = _snap_status(notification["transaction_status"], notification["fraud_status"])
        if payment.status in SNAP_FINAL:
            session.commit()
            return None
        old_payment, old_order = payment.status, order.status
        if new_status == "SUCCESS":
            # Applied only to a PENDING order; PAID is a no-op and any other status is ignored.
            if order.status == "PENDING":
                order.status = "PAID"
                order.paid_at = now
                order.updated_at = now
                payment.status = "SUCCESS"
                payment.transaction_id = notification["transaction_id"]
                payment.payment_method = notification["payment_type"]
                payment.paid_at = now
                payment.updated_at = now
                record_history(session, order, old_order, "PAID", "webhook", "Payment success", now)
        elif new_status in ("EXPIRED", "CANCELLED", "FAILED"):
            if order.status == "PENDING":
                order.status = new_status
                order.updated_at = now
                if new_status == "CANCELLED":
                    order.cancelled_at = now
                payment.status = new_status
                payment.updated_at = now
                if new_status == "EXPIRED":
                    payment.expired_at = now
        else:
            payment.status = new_status
            payment.updated_at = now
        session.commit()
        session.add(
            PaymentSyncLog(
                payment_id=payment.id,
                order_id=order.id,
                order_code=order.order_code,
                sync_type="webhook",
                sync_status="SYNCED",
                local_payment_status=old_payment,
                local_order_status=old_order,
                gateway_status=notification["transaction_status"],
                gateway_transaction_id=notification["transaction_id"],
                has_mismatch=False,
                created_at=now,
            )
        )
        session.commit()
    return None


async def snap_endpoint(rt: Runtime, request: Request) -> Response:
    try:
        notification = bind_json(await request.body(), SNAP_NOTIFICATION)
    except BindError as exc:
        # The only non-200 answer; its message is Go's decoder text, so count it by error code.
        rt.stats.record_webhook("snap", "invalid_request")
        return error_response(400, "invalid_request", str(exc))
    error = process_snap(rt, notification)
    rt.stats.record_webhook("snap", error)
    if error is not None:
        return GoJSONResponse(gin_h(status="error", message=error))
    return GoJSONResponse(gin_h(status="ok", message="Webhook processed successfully"))


def routes(rt: Runtime) -> list[Route]:
    core = partial(core_endpoint, rt)
    snap = partial(snap_endpoint, rt)
    return [
        Route("/api/payments/core/webhook", core, methods=["POST"]),
        Route("/api/webhook/midtrans/core", core, methods=["POST"]),
        Route("/api/payments/webhook", snap, methods=["POST"]),
        Route("/api/midtrans/webhook", snap, methods=["POST"]),
        Route("/api/payment/callback", snap, methods=["POST"]),
    ]
