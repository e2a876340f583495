"""``POST /api/payments/core/check`` (contract §4.1), race included.

The stored status is read, then Midtrans is asked over real HTTP (the event loop serves
other requests meanwhile), then the UPDATEs run without any guard. A webhook that commits
during the Midtrans call therefore leads to a second ``payment_received``, as in production.
"""

from __future__ import annotations

import json
import logging
import time
from functools import partial
from typing import Any

import httpx
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zavera_desktop.sandbox import midtrans_client
from zavera_desktop.sandbox.auth import AuthContext, rest_auth
from zavera_desktop.sandbox.db import CORE_FINAL, CorePaymentSyncLog, Order, OrderPayment
from zavera_desktop.sandbox.gobind import CHECK_PAYMENT_REQUEST, BindError, bind_json
from zavera_desktop.sandbox.gojson import GoJSONResponse, error_response
from zavera_desktop.sandbox.runtime import Runtime

log = logging.getLogger("zavera_desktop.sandbox.payments")

STATUS_MESSAGES = {
    "PENDING": "Pembayaran belum diterima",
    "PAID": "Pembayaran berhasil",
    "EXPIRED": "Pembayaran telah kadaluarsa",
    "CANCELLED": "Pembayaran dibatalkan",
    "FAILED": "Pembayaran gagal",
}
CANCELLED_BY_ADMIN = (
    "Pesanan telah dibatalkan oleh admin. Silakan hubungi customer service untuk informasi lebih lanjut."
)
_STATUS_FIELDS = (
    "status_code", "status_message", "transaction_id", "order_id", "gross_amount", "payment_type",
    "transaction_time", "transaction_status", "fraud_status", "settlement_time",
)


def map_midtrans_status(transaction_status: str) -> str:
    """``mapMidtransStatus``: settlement/capture → PAID regardless of fraud_status."""
    return {
        "settlement": "PAID",
        "capture": "PAID",
        "pending": "PENDING",
        "expire": "EXPIRED",
        "cancel": "CANCELLED",
        "deny": "FAILED",
        "failure": "FAILED",
    }.get(transaction_status, "PENDING")


def _result(payment_id: int, status: str, message: str | None = None) -> dict[str, Any]:
    return {
        "payment_id": payment_id,
        "status": status,
        "message": message if message is not None else STATUS_MESSAGES.get(status, "Status tidak diketahui"),
    }


async def ask_midtrans(rt: Runtime, midtrans_order_id: str) -> dict[str, str] | None:
    """``GetTransactionStatus``: None for anything the Go client treats as an error.

    The HTTP status is not looked at; a body that does not unmarshal, or ``status_code "404"``,
    is an error. A 401 JSON body therefore reads as an empty status, i.e. PENDING.
    """
    try:
        response = await midtrans_client.get_status(rt, midtrans_order_id, "core_check")
    except httpx.HTTPError as exc:
        log.warning("Midtrans status request failed: %s", type(exc).__name__)
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    if body is None:
        body = {}
    if not isinstance(body, dict):
        return None
    parsed = {}
    for name in _STATUS_FIELDS:
        value = body.get(name)
        if value is None:
            parsed[name] = ""
        elif isinstance(value, str):
            parsed[name] = value
        else:
            return None  # json: cannot unmarshal … of type string
    if parsed["status_code"] == "404":
        return None
    return parsed


async def check_payment(rt: Runtime, payment_id: int) -> tuple[int, dict[str, Any]]:
    with rt.db.session() as session:
        row = session.execute(
            select(OrderPayment, Order.status).join(Order, Order.id == OrderPayment.order_id)
            .where(OrderPayment.id == payment_id)
        ).first()
        if row is None:
            return 404, {"error": "payment_not_found", "message": "Pembayaran tidak ditemukan"}
        payment, order_status = row
        if payment.transaction_id is None:
            # Scanning a NULL transaction_id into a Go string fails: a 500, not a 404.
            return 500, {"error": "status_check_failed", "message": "Gagal memeriksa status pembayaran"}
        stored = payment.payment_status
        order_id = payment.order_id
        midtrans_order_id = payment.midtrans_order_id
    if order_status == "CANCELLED":
        return 200, _result(payment_id, "CANCELLED", CANCELLED_BY_ADMIN)
    if stored in CORE_FINAL:
        return 200, _result(payment_id, stored)

    gateway = await ask_midtrans(rt, midtrans_order_id)
    if gateway is None:
        return 200, _result(payment_id, stored)
    new_status = map_midtrans_status(gateway["transaction_status"])
    if new_status != stored:
        _apply(rt, payment_id, order_id, stored, new_status, gateway)
    return 200, _result(payment_id, new_status)


def _apply(rt: Runtime, payment_id: int, order_id: int, stored: str, new_status: str, gateway: dict[str, str]) -> None:
    now = rt.clock.now()
    with rt.db.session() as session:
        payment = session.get(OrderPayment, payment_id)
        order = session.get(Order, order_id)
        assert payment is not None and order is not None
        if new_status == "PAID":
            # Two separate UPDATEs, no lock, no WHERE status='PENDING' guard.
            payment.payment_status = "PAID"
            payment.transaction_id = gateway["transaction_id"]
            payment.paid_at = now
            payment.updated_at = now
            order.status = "PAID"
            order.paid_at = now
            order.updated_at = now
            session.commit()
            # payment.PaymentMethod was never selected, so the method is "".
            rt.notifier.payment_received(order.order_code, "", order.total_amount)
        elif new_status == "EXPIRED":
            payment.payment_status = "EXPIRED"
            payment.updated_at = now
            order.status = "EXPIRED"
            order.updated_at = now
            session.commit()
            rt.notifier.payment_expired(order.order_code)
        elif new_status in ("CANCELLED", "FAILED"):
            payment.payment_status = new_status
            payment.updated_at = now
            session.commit()
        session.add(
            CorePaymentSyncLog(
                payment_id=payment_id,
                order_id=order_id,
                order_code="",
                sync_type="manual_check",
                sync_status="SYNCED",
                local_payment_status=stored,
                gateway_status=gateway["transaction_status"],
                gateway_transaction_id=gateway["transaction_id"],
                has_mismatch=True,
                error_message="",
                created_at=now,
            )
        )
        session.commit()


def _rate_limited(rt: Runtime, user_id: int, payment_id: int) -> bool:
    """``RateLimiter.Allow``: one request per interval per (user, payment); a refusal does not extend it."""
    key = (user_id, payment_id)
    now = time.monotonic()
    last = rt.rate_limits.get(key)
    if last is not None and now - last < rt.cfg.check_interval:
        return True
    rt.rate_limits[key] = now
    return False


async def _answer_check(rt: Runtime, request: Request) -> tuple[Response, int | None, int | None]:
    """The handler proper; also returns (payment_id, user_id) as far as they got known."""
    context = rest_auth(request, rt.tokens, rt.db)
    if not isinstance(context, AuthContext):
        return context, None, None
    try:
        body = bind_json(await request.body(), CHECK_PAYMENT_REQUEST)
    except BindError as exc:
        return error_response(400, "invalid_request", str(exc)), None, context.user_id
    payment_id = body["payment_id"]
    if _rate_limited(rt, context.user_id, payment_id):
        limited = error_response(429, "rate_limited", "Silakan tunggu beberapa detik sebelum cek status lagi")
        return limited, payment_id, context.user_id
    status, result = await check_payment(rt, payment_id)
    return GoJSONResponse(result, status_code=status), payment_id, context.user_id


async def check_endpoint(rt: Runtime, request: Request) -> Response:
    # Arrival time, so a benchmark can see the request rate the backend had to absorb.
    arrived = time.time()
    response, payment_id, user_id = await _answer_check(rt, request)
    rt.stats.record_core_check(arrived, payment_id, user_id, response.status_code)
    return response


def routes(rt: Runtime) -> list[Route]:
    return [Route("/api/payments/core/check", partial(check_endpoint, rt), methods=["POST"])]
