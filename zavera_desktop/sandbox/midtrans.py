"""The Midtrans simulator: charges, the status API, and HTTP notifications.

It plays Midtrans' part only: it keeps its own ledger (``midtrans_transactions``), answers
``GET /midtrans/v2/{id}/status`` like Midtrans, and posts signed notifications to whatever
webhook URL it is told, over real HTTP, with Midtrans' retry on non-2xx answers.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import secrets
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import httpx
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from zavera_desktop.sandbox.db import MidtransTransaction
from zavera_desktop.sandbox.midtrans_client import CALLER_HEADER
from zavera_desktop.sandbox.runtime import Runtime
from zavera_desktop.sandbox.stats import STATUS_CALLERS
from zavera_desktop.sandbox.timeutil import midtrans_time

log = logging.getLogger("zavera_desktop.sandbox.midtrans")

# shop payment method -> (Midtrans payment_type, bank/provider as order_payments.bank stores it)
METHODS: dict[str, tuple[str, str]] = {
    "bca_va": ("bank_transfer", "bca"),
    "bri_va": ("bank_transfer", "bri"),
    "bni_va": ("bank_transfer", "bni"),
    "permata_va": ("bank_transfer", "permata"),
    "mandiri_va": ("echannel", "mandiri"),
    "qris": ("qris", "qris"),
    "gopay": ("gopay", "gopay"),
}

# Midtrans' status_code per transaction_status ("Code 2xx"/"407" in its docs); failure is our pick.
STATUS_CODES = {
    "pending": "201",
    "settlement": "200",
    "capture": "200",
    "expire": "407",
    "cancel": "200",
    "deny": "202",
    "failure": "202",
    "refund": "200",
}
# What POST /sandbox/midtrans/status may set, and the fraud_status values Midtrans uses.
FORCEABLE_STATUSES = ("pending", "settlement", "capture", "deny", "cancel", "expire", "failure", "refund")
FRAUD_STATUSES = ("accept", "challenge", "deny")
# A transaction in one of these has the customer's money: it cannot be paid a second time.
PAID_STATUSES = frozenset({"settlement", "capture", "refund"})

# Midtrans retries a notification that was not answered 2xx; compressed for a sandbox.
RETRY_DELAYS = (1.0, 5.0, 30.0)


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """Midtrans ``signature_key``: lowercase hex SHA-512 of the plain concatenation."""
    return hashlib.sha512((order_id + status_code + gross_amount + server_key).encode()).hexdigest()


def new_transaction(
    rt: Runtime, midtrans_order_id: str, amount: Decimal, method: str, when: datetime
) -> MidtransTransaction:
    """``POST /v2/charge`` as the backend's client uses it; ``gross_amount`` is ``int64(total)``.

    The caller adds the row to its session, so a bulk insert can batch many of them.
    """
    payment_type, bank = METHODS[method]
    tx = MidtransTransaction(
        transaction_id=str(uuid.uuid4()),
        order_id=midtrans_order_id,
        merchant_id=rt.cfg.merchant_id,
        gross_amount=f"{int(amount)}.00",
        currency="IDR",
        payment_type=payment_type,
        method=method,
        transaction_status="pending",
        fraud_status="accept",
        transaction_time=midtrans_time(when, rt.zone),
        expiry_time=midtrans_time(when + timedelta(hours=24), rt.zone),
    )
    if method in ("bca_va", "bri_va", "bni_va"):
        tx.bank = bank
        tx.va_number = {"bca_va": lambda: "12345" + _digits(6), "bri_va": lambda: _digits(16),
                        "bni_va": lambda: "988" + _digits(13)}[method]()
    elif method == "permata_va":
        tx.bank = bank
        tx.va_number = _digits(18)
    elif method == "mandiri_va":
        tx.bank = bank
        tx.biller_code = "70012"
        tx.bill_key = _digits(12)
    return tx


def shop_payment_fields(tx: MidtransTransaction) -> dict[str, str | None]:
    """What ``CreateVAPayment`` stores in ``order_payments`` from the charge response."""
    _, bank = METHODS[tx.method]
    qr_url = deeplink = None
    if tx.method == "mandiri_va":
        va_number = f"{tx.biller_code}{tx.bill_key}"
    elif tx.method == "qris":
        qr_url = f"https://api.sandbox.midtrans.com/v2/qris/{tx.transaction_id}/qr-code"
        va_number = tx.transaction_id  # the backend shows the transaction id for QRIS
    elif tx.method == "gopay":
        qr_url = f"https://api.sandbox.midtrans.com/v2/gopay/{tx.transaction_id}/qr-code"
        deeplink = f"https://simulator.sandbox.midtrans.com/gopay/partner/app/payment-pin?id={tx.transaction_id}"
        va_number = deeplink
    else:
        va_number = tx.va_number or ""
    return {"bank": bank, "va_number": va_number, "qr_code_url": qr_url, "deeplink_url": deeplink}


def _method_fields(tx: MidtransTransaction) -> dict[str, Any]:
    if tx.method in ("bca_va", "bri_va", "bni_va"):
        return {"va_numbers": [{"bank": tx.bank, "va_number": tx.va_number}]}
    if tx.method == "permata_va":
        return {"permata_va_number": tx.va_number}
    if tx.method == "mandiri_va":
        return {"bill_key": tx.bill_key, "biller_code": tx.biller_code}
    if tx.method == "qris":
        return {"acquirer": "gopay"}
    return {}


def status_code(tx: MidtransTransaction) -> str:
    """A card capture under fraud review is still pending (201); a fraud-denied one is denied (202)."""
    if tx.transaction_status == "capture" and tx.fraud_status in ("challenge", "deny"):
        return "201" if tx.fraud_status == "challenge" else "202"
    return STATUS_CODES.get(tx.transaction_status, "200")


def status_body(tx: MidtransTransaction, server_key: str | None = None) -> dict[str, Any]:
    """``GET /v2/{id}/status``: every field a string except ``va_numbers``; signed when a key is given."""
    code = status_code(tx)
    body: dict[str, Any] = {"status_code": code}
    if server_key is not None:
        body["signature_key"] = signature(tx.order_id, code, tx.gross_amount, server_key)
    body.update({
        "status_message": "Success, transaction is found",
        "transaction_id": tx.transaction_id,
        "order_id": tx.order_id,
        "merchant_id": tx.merchant_id,
        "gross_amount": tx.gross_amount,
        "currency": tx.currency,
        "payment_type": tx.payment_type,
        "transaction_time": tx.transaction_time,
        "transaction_status": tx.transaction_status,
        "fraud_status": tx.fraud_status,
    })
    body.update(_method_fields(tx))
    if tx.settlement_time:
        body["settlement_time"] = tx.settlement_time
    body["expiry_time"] = tx.expiry_time
    return body


def notification_body(tx: MidtransTransaction, server_key: str) -> dict[str, Any]:
    """The HTTP notification Midtrans posts: every field a string, signed with the server key."""
    code = status_code(tx)
    body: dict[str, Any] = {}
    body.update(_method_fields(tx))
    body.update(
        {
            "transaction_time": tx.transaction_time,
            "transaction_status": tx.transaction_status,
            "transaction_id": tx.transaction_id,
            "status_message": "midtrans payment notification",
            "status_code": code,
            "signature_key": signature(tx.order_id, code, tx.gross_amount, server_key),
        }
    )
    if tx.settlement_time:
        body["settlement_time"] = tx.settlement_time
    body.update(
        {
            "payment_type": tx.payment_type,
            "order_id": tx.order_id,
            "merchant_id": tx.merchant_id,
            "gross_amount": tx.gross_amount,
            "fraud_status": tx.fraud_status,
            "expiry_time": tx.expiry_time,
            "currency": tx.currency,
        }
    )
    return body


def settle(tx: MidtransTransaction, rt: Runtime) -> None:
    tx.transaction_status = "settlement"
    tx.fraud_status = "accept"  # money settled: whatever review there was has passed
    tx.settlement_time = midtrans_time(rt.clock.now(), rt.zone)


def expire(tx: MidtransTransaction) -> None:
    tx.transaction_status = "expire"


def force_status(tx: MidtransTransaction, rt: Runtime, status: str, fraud_status: str | None) -> None:
    """Set Midtrans' view of a transaction to any status, as if it had happened there; no notification.

    ``settlement_time`` appears when a transaction settles and survives only a later refund.
    """
    if status not in FORCEABLE_STATUSES:
        raise ValueError(f"unsupported transaction_status: {status}")
    tx.transaction_status = status
    if fraud_status is not None:
        tx.fraud_status = fraud_status
    if status == "settlement":
        tx.settlement_time = tx.settlement_time or midtrans_time(rt.clock.now(), rt.zone)
    elif status != "refund":
        tx.settlement_time = None


def find_transaction(session: Session, key: str) -> MidtransTransaction | None:
    return session.scalars(
        select(MidtransTransaction).where(
            or_(MidtransTransaction.order_id == key, MidtransTransaction.transaction_id == key)
        )
    ).first()


def _midtrans_error(status: int, message: str) -> Response:
    return JSONResponse(
        {"status_code": str(status), "status_message": message, "id": str(uuid.uuid4())}, status_code=status
    )


def _authorized(request: Request, server_key: str) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        username = base64.b64decode(encoded, validate=True).decode().partition(":")[0]
    except (ValueError, UnicodeDecodeError):
        return False
    return secrets.compare_digest(username, server_key)


def _caller(rt: Runtime, request: Request) -> str:
    """"core_check" / "payment_sync" for the backend's own calls, "external" for anyone else."""
    secret, _, caller = request.headers.get(CALLER_HEADER, "").partition(":")
    if secrets.compare_digest(secret, rt.caller_secret) and caller in STATUS_CALLERS:
        return caller
    return "external"


async def status_endpoint(rt: Runtime, request: Request) -> Response:
    """``GET /midtrans/v2/{id}/status``: id may be the Midtrans order id or the transaction id."""
    rt.stats.midtrans_status_requests += 1
    rt.stats.midtrans_status_by_caller[_caller(rt, request)] += 1
    rt.stats.midtrans_in_flight += 1
    try:
        if rt.faults.midtrans_delay > 0:
            await asyncio.sleep(rt.faults.midtrans_delay)
        if not _authorized(request, rt.server_key):
            return _midtrans_error(401, "Unknown Merchant server_key/id")
        with rt.db.session() as session:
            tx = find_transaction(session, request.path_params["id"])
            body = status_body(tx, rt.server_key) if tx is not None else None
        if body is None:
            return _midtrans_error(404, "Transaction doesn't exist.")
        return JSONResponse(body)
    finally:
        rt.stats.midtrans_in_flight -= 1


def routes(rt: Runtime) -> list[Route]:
    return [Route("/midtrans/v2/{id}/status", partial(status_endpoint, rt), methods=["GET"])]


def _answer(response: httpx.Response) -> Any:
    try:
        parsed = response.json()
    except ValueError:
        parsed = None
    if response.is_success and parsed is not None:
        return parsed
    return {"http_status": response.status_code, "body": parsed if parsed is not None else response.text}


async def post_notification(rt: Runtime, url: str, body: dict[str, Any]) -> tuple[bool, Any]:
    """One delivery attempt; returns (answered 2xx, what the backend answered)."""
    payload = json.dumps(body, separators=(",", ":")).encode()
    try:
        response = await rt.http.post(
            url, content=payload, headers={"Content-Type": "application/json", "User-Agent": "Veritrans"}
        )
    except httpx.HTTPError as exc:
        return False, {"error": f"delivery failed: {type(exc).__name__}"}
    return response.is_success, _answer(response)


async def deliver(rt: Runtime, url: str, body: dict[str, Any]) -> Any:
    """Deliver now; on a non-2xx answer keep retrying in the background like Midtrans does."""
    ok, answer = await post_notification(rt, url, body)
    if not ok:
        rt.spawn(_retry(rt, url, body), name="midtrans-retry")
    return answer


async def _retry(rt: Runtime, url: str, body: dict[str, Any]) -> None:
    for delay in RETRY_DELAYS:
        await asyncio.sleep(delay)
        rt.stats.webhooks["retried"] += 1
        ok, _ = await post_notification(rt, url, body)
        if ok:
            return
    rt.stats.webhooks["failed"] += 1
    log.warning("notification for %s was never accepted", body.get("order_id"))
