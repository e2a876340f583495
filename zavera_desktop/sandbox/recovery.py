"""``PaymentRecoveryService`` (contract §3.7, §4.3, §4.4): the Snap-table recovery endpoints.

Reproduced with their traps: only the Snap ``payments`` table is read; ``:id`` is tried as an
**order id** first; Midtrans is asked with the **bare order code**, which it never knows, and
its 404 answer is not noticed (``gateway_status`` becomes ``""`` and a mismatch is logged).
When a gateway does report a final status, the payment and the order are overwritten without
``paid_at``, without any SSE, and ``order_payments`` is never touched.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from zavera_desktop.sandbox import midtrans_client
from zavera_desktop.sandbox.db import Order, Payment, PaymentSyncLog, latest_snap_payment
from zavera_desktop.sandbox.runtime import Runtime
from zavera_desktop.sandbox.timeutil import false_z

log = logging.getLogger("zavera_desktop.sandbox.recovery")

# mapPaymentStatusToGateway; anything else (PROCESSING) reads as "pending".
GATEWAY_NAMES = {"PENDING": "pending", "SUCCESS": "settlement", "FAILED": "deny", "EXPIRED": "expire",
                 "CANCELLED": "cancel"}
# resolveStatusMismatch: gateway status -> (payments.status, orders.status)
RESOLUTIONS = {
    "settlement": ("SUCCESS", "PAID"),
    "capture": ("SUCCESS", "PAID"),
    "deny": ("FAILED", "FAILED"),
    "failure": ("FAILED", "FAILED"),
    "cancel": ("CANCELLED", "CANCELLED"),
    "expire": ("EXPIRED", "EXPIRED"),
}
AUTO_RESOLVE = ("settlement", "capture", "deny", "cancel", "expire")  # shouldAutoResolve
SYNC_ALL_LIMIT = 50


class RecoveryError(Exception):
    """An error the handler returns as ``400 sync_failed`` with this text."""


class QueryFailed(Exception):
    """A PostgreSQL error the handler returns as ``500 query_failed``."""


@dataclass(frozen=True)
class Gateway:
    status: str  # MidtransStatusResponse.TransactionStatus ("" when absent)
    response: dict[str, Any] | None  # the body as a Go map, None for JSON null


def resolve_snap_payment(session: Session, ref: int, *, need_external_id: bool) -> Payment | None:
    """``:id`` as an order id first (that order's latest Snap payment), then as ``payments.id``.

    The sync fallback scans ``external_id`` into a Go string, so a row whose external_id is
    NULL is "not found" there; reconcile's fallback does not read that column.
    """
    payment = latest_snap_payment(session, ref)
    if payment is not None:
        return payment
    payment = session.get(Payment, ref)
    if payment is None or (need_external_id and payment.external_id is None):
        return None
    return payment


def go_map(value: Any) -> Any:
    """A decoded JSON value as Go re-encodes a ``map[string]any``: keys sorted at every level."""
    if isinstance(value, dict):
        return {key: go_map(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [go_map(item) for item in value]
    return value


def _unmarshal_status(body: bytes) -> Gateway:
    """``json.Unmarshal`` into ``dto.MidtransStatusResponse`` (all string fields), then into a map.

    Error texts follow Go's for the common cases (empty body, HTML, wrong types).
    """
    stripped = body.strip()
    if not stripped:
        raise RecoveryError("unexpected end of JSON input")
    try:
        value = json.loads(stripped)
    except ValueError:
        raise RecoveryError(f"invalid character {chr(stripped[0])!r} looking for beginning of value") from None
    if value is None:
        return Gateway("", None)
    if not isinstance(value, dict):
        kind = {list: "array", str: "string", bool: "bool"}.get(type(value), "number")
        raise RecoveryError(f"json: cannot unmarshal {kind} into Go value of type dto.MidtransStatusResponse")
    for name in ("status_code", "status_message", "transaction_id", "order_id", "gross_amount", "payment_type",
                 "transaction_time", "transaction_status", "fraud_status", "settlement_time"):
        field = value.get(name)
        if field is not None and not isinstance(field, str):
            kind = {list: "array", dict: "object", bool: "bool"}.get(type(field), "number")
            raise RecoveryError(
                f"json: cannot unmarshal {kind} into Go struct field MidtransStatusResponse.{name} of type string"
            )
    status = value.get("transaction_status")
    return Gateway(status if isinstance(status, str) else "", go_map(value))


async def check_midtrans(rt: Runtime, order_code: str) -> Gateway:
    """``checkMidtransStatus``: the HTTP status is never looked at, only the body."""
    url = midtrans_client.status_url(rt, order_code)
    try:
        response = await midtrans_client.get_status(rt, order_code, "payment_sync")
    except httpx.TimeoutException:
        raise RecoveryError(
            f'Get "{url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
        ) from None
    except httpx.ConnectError:
        host = url.split("/")[2]
        raise RecoveryError(f'Get "{url}": dial tcp {host}: connect: connection refused') from None
    except httpx.HTTPError as exc:
        raise RecoveryError(f'Get "{url}": {type(exc).__name__}') from None
    return _unmarshal_status(response.content)


def _resolve(session: Session, payment: Payment, order: Order, gateway: Gateway, now: datetime) -> None:
    """``resolveStatusMismatch``: no paid_at, no history row, no SSE, order_payments untouched."""
    payment_status, order_status = RESOLUTIONS[gateway.status]
    payment.status = payment_status
    payment.provider_response = json.dumps(gateway.response)
    payment.updated_at = now
    if payment_status == "EXPIRED":
        payment.expired_at = now
    order.status = order_status  # UpdateStatus: whatever the order's status was
    order.updated_at = now


async def sync_payment(rt: Runtime, ref: int, sync_type: str) -> dict[str, Any]:
    """``SyncPaymentStatus``; returns the ``PaymentSyncResponse`` body or raises RecoveryError."""
    now = rt.clock.now()
    with rt.db.session() as session:
        payment = resolve_snap_payment(session, ref, need_external_id=True)
        if payment is None:
            raise RecoveryError(f"payment not found: {ref}")
        order = session.get(Order, payment.order_id)
        assert order is not None  # payments.order_id has a foreign key
        sync_log = PaymentSyncLog(
            payment_id=payment.id, order_id=order.id, order_code=order.order_code, sync_type=sync_type,
            sync_status="IN_PROGRESS", local_payment_status=payment.status, local_order_status=order.status,
            gateway_status="", gateway_transaction_id="", gateway_response="null", has_mismatch=False,
            created_at=now, updated_at=now,
        )
        session.add(sync_log)
        session.commit()
        payment_id, order_id, order_code, local_status = payment.id, order.id, order.order_code, payment.status
        log_id = sync_log.id

    try:
        gateway = await check_midtrans(rt, order_code)
    except RecoveryError as exc:
        with rt.db.session() as session:
            failed = session.get(PaymentSyncLog, log_id)
            assert failed is not None
            failed.sync_status = "FAILED"
            failed.gateway_response = json.dumps({"error": str(exc)})
            failed.updated_at = rt.clock.now()
            session.commit()
        raise

    now = rt.clock.now()
    local_gateway = GATEWAY_NAMES.get(local_status, "pending")
    has_mismatch = local_gateway != gateway.status
    body: dict[str, Any] = {
        "payment_id": payment_id,
        "order_code": order_code,
        "local_status": local_status,
        "gateway_status": gateway.status,
        "has_mismatch": has_mismatch,
    }
    with rt.db.session() as session:
        sync_log = session.get(PaymentSyncLog, log_id)
        payment = session.get(Payment, payment_id)
        order = session.get(Order, order_id)
        assert sync_log is not None and payment is not None and order is not None
        if has_mismatch:
            mismatch_type = f"local:{local_gateway} vs gateway:{gateway.status}"
            sync_log.has_mismatch = True
            sync_log.mismatch_type = mismatch_type
            sync_log.mismatch_detail = (
                f"Local status {local_gateway} does not match gateway status {gateway.status}"
            )
            sync_log.sync_status = "MISMATCH"
            sync_log.updated_at = now
            body["mismatch_type"] = mismatch_type
            resolved = local_status == "PENDING" and gateway.status in AUTO_RESOLVE
            if resolved:
                _resolve(session, payment, order, gateway, now)
                # MarkResolved writes resolved_by = 0, which breaks the users foreign key: that
                # UPDATE fails unnoticed, so the log row stays MISMATCH while the answer says resolved.
            body["resolved"] = resolved
            if resolved:
                body["resolution_action"] = "auto-resolved to gateway status"
        else:
            sync_log.sync_status = "SYNCED"
            sync_log.gateway_response = json.dumps(gateway.response)
            sync_log.updated_at = now
            body["resolved"] = True
        # The Go struct's SyncStatus was never updated after Create: it is still IN_PROGRESS.
        payment.last_synced_at = now
        payment.sync_status = "IN_PROGRESS"
        session.commit()
    if gateway.response:
        body["gateway_response"] = gateway.response
    return body


async def sync_all(rt: Runtime) -> tuple[int, int]:
    """``SyncAllPendingPayments``: up to 50 stale PENDING Snap rows, one by one, pausing in between."""
    now = rt.clock.now()
    with rt.db.session() as session:
        ids = list(
            session.scalars(
                select(Payment.id)
                .join(Order, Order.id == Payment.order_id)
                .where(
                    Payment.status == "PENDING",
                    Payment.created_at < now - timedelta(minutes=30),
                    or_(Payment.last_synced_at.is_(None), Payment.last_synced_at < now - timedelta(minutes=5)),
                )
                .order_by(Payment.created_at.asc(), Payment.id.asc())
                .limit(SYNC_ALL_LIMIT)
            )
        )
    synced = errors = 0
    for payment_id in ids:
        # A payments.id handed to a function that tries it as an order id first (contract §10.14).
        try:
            await sync_payment(rt, payment_id, "scheduled")
            synced += 1
        except RecoveryError as exc:
            errors += 1
            log.info("sync failed for payment %d: %s", payment_id, exc)
        await asyncio.sleep(rt.cfg.sync_all_pause)
    return synced, errors


def stuck_payments(session: Session, now: datetime, hours: int) -> list[dict[str, Any]] | None:
    """``FindStuckPayments``: PENDING Snap rows older than ``hours``; None (JSON null) when none."""
    try:
        cutoff = now - timedelta(hours=hours)
    except OverflowError:
        raise QueryFailed(f'pq: interval field value out of range: "{hours} hours"') from None
    rows = session.execute(
        select(Payment, Order.order_code)
        .join(Order, Order.id == Payment.order_id)
        .where(Payment.status == "PENDING", Payment.created_at < cutoff)
        .order_by(Payment.created_at.asc(), Payment.id.asc())
    ).all()
    stuck = []
    for payment, order_code in rows:
        retry_count = session.scalars(
            select(PaymentSyncLog.retry_count)
            .where(PaymentSyncLog.payment_id == payment.id)
            .order_by(PaymentSyncLog.created_at.desc(), PaymentSyncLog.id.desc())
            .limit(1)
        ).first()
        item: dict[str, Any] = {
            "payment_id": payment.id,
            "order_id": payment.order_id,
            "order_code": order_code,
            "amount": payment.amount,
            "status": payment.status,
            "created_at": false_z(payment.created_at),
            "hours_stuck": (now - payment.created_at).total_seconds() / 3600,
            "retry_count": retry_count or 0,
        }
        if payment.last_synced_at is not None:
            item["last_synced_at"] = false_z(payment.last_synced_at)
        stuck.append(item)
    return stuck or None  # a nil slice marshals as null
