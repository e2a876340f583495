"""The sandbox control API under ``/sandbox/`` (no auth; see docs/sandbox.md)."""

from __future__ import annotations

import random
import time
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zavera_desktop.sandbox import bulk_orders, control_midtrans, midtrans, shop, simulate
from zavera_desktop.sandbox.control_http import BadRequest, flag, json_body, number, route, text
from zavera_desktop.sandbox.db import (
    ORDER_STATUSES,
    AdminAuditLog,
    Base,
    CorePaymentSyncLog,
    MidtransTransaction,
    Order,
    OrderPayment,
    OrderStatusHistory,
    Payment,
    PaymentSyncLog,
    latest_core_payment,
    order_by_code,
)
from zavera_desktop.sandbox.demo_data import random_customer
from zavera_desktop.sandbox.faults import FailRule
from zavera_desktop.sandbox.gojson import GoJSONResponse, dumps
from zavera_desktop.sandbox.notifications import (
    RETRY_MS,
    build_notification,
    format_event,
    notification_event,
    notification_id,
    rupiah,
)
from zavera_desktop.sandbox.runtime import Runtime
from zavera_desktop.sandbox.sse import phantom_event
from zavera_desktop.sandbox.stats import STATUS_CALLERS
from zavera_desktop.sandbox.timeutil import parse_local

HUGE_PADDING = 1024 * 1024 + 4096  # > 1 MiB on one data line
MALFORMED_KINDS = ("non_json", "unknown_type", "huge", "multiline", "crlf")
KNOBS = (
    "reset", "keepalive", "midtrans_delay_ms", "fail", "expire_tokens", "stall_streams",
    "malformed", "order_code", "cut_streams",
)
_rng = random.Random()


async def create_order(rt: Runtime, request: Request) -> dict[str, Any]:
    body = await json_body(request)
    raw_amount = body.get("amount", 150000)
    try:
        if isinstance(raw_amount, bool):
            raise InvalidOperation
        amount = Decimal(str(raw_amount))
    except InvalidOperation:
        raise BadRequest("amount must be a number") from None
    customer = random_customer(_rng)
    created_at = _local_time(body, "created_at")
    notify = body.get("notify", True)
    with_items = body.get("items", True)
    if not isinstance(notify, bool) or not isinstance(with_items, bool):
        raise BadRequest("notify and items must be true or false")
    spec = shop.OrderSpec(
        total=amount,
        method=text(body, "method", "bca_va") or "bca_va",
        customer_name=text(body, "customer_name") or customer.name,
        customer_email=text(body, "customer_email") or customer.email,
        customer_phone=text(body, "customer_phone") or customer.phone,
        shipping_cost=Decimal(str(number(body, "shipping_cost", default=0) or 0)),
        created_at=created_at,
        notify=notify,
        with_items=with_items,
        payment=text(body, "payment", "core") or "core",
    )
    return shop.create_order(rt, spec)


async def create_bulk_orders(rt: Runtime, request: Request) -> dict[str, Any]:
    body = await json_body(request)
    count = body.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= bulk_orders.MAX_COUNT:
        raise BadRequest(f"count must be an integer from 1 to {bulk_orders.MAX_COUNT}")
    raw_amount = body.get("amount")
    amount = None
    if raw_amount is not None:
        try:
            if isinstance(raw_amount, bool):
                raise InvalidOperation
            amount = Decimal(str(raw_amount))
        except InvalidOperation:
            raise BadRequest("amount must be a number") from None
    request_spec = bulk_orders.BulkSpec(
        count=count,
        age_seconds=number(body, "age_seconds", default=0) or 0.0,
        spread_seconds=number(body, "spread_seconds", default=0) or 0.0,
        method=text(body, "method", "bca_va") or "bca_va",
        amount=amount,
        broadcast=flag(body, "broadcast", False),
        with_items=flag(body, "items", True),
    )
    return await bulk_orders.create(rt, request_spec)


async def pay_order(rt: Runtime, request: Request) -> dict[str, Any]:
    body = await json_body(request)
    mode = text(body, "webhook", "deliver") or "deliver"
    delay = number(body, "delay_ms")
    return await simulate.pay(rt, request.path_params["code"], mode, delay)


async def expire_order(rt: Runtime, request: Request) -> dict[str, Any]:
    body = await json_body(request)
    mode = text(body, "webhook", "deliver") or "deliver"
    delay = number(body, "delay_ms")
    return await simulate.expire(rt, request.path_params["code"], mode, delay)


def _local_time(body: dict[str, Any], key: str) -> datetime | None:
    raw = text(body, key)
    if raw is None:
        return None
    try:
        return parse_local(raw)
    except ValueError:
        raise BadRequest(f'{key} must look like "YYYY-MM-DD HH:MM:SS"') from None


async def snap_payment(rt: Runtime, request: Request) -> dict[str, Any]:
    body = await json_body(request)
    return shop.add_snap_payment(rt, request.path_params["code"], _local_time(body, "created_at"))


async def cancel_order(rt: Runtime, request: Request) -> dict[str, Any]:
    body = await json_body(request)
    reason = text(body, "reason", "Cancelled by admin (sandbox)") or ""
    return shop.force_cancel(rt, request.path_params["code"], reason, rt.cfg.admin_email)


def _row(row: Base) -> dict[str, Any]:
    values: dict[str, Any] = {}
    # Mapper attributes, not table columns: admin_audit_log.metadata is the attribute metadata_json.
    for attribute in sa_inspect(row).mapper.column_attrs:
        value = getattr(row, attribute.key)
        if isinstance(value, datetime):
            value = value.isoformat(sep=" ")
        elif not isinstance(value, str | int | float | bool | Decimal | type(None)):
            value = str(value)
        values[attribute.columns[0].name] = value
    return values


def _rows(session: Session, model: type[Base], column: Any, value: Any) -> list[dict[str, Any]]:
    return [_row(r) for r in session.scalars(select(model).where(column == value).order_by(model.id))]  # type: ignore[attr-defined]


async def inspect_order(rt: Runtime, request: Request) -> dict[str, Any]:
    """Every row the backend keeps about one order, for tests and curious humans."""
    with rt.db.session() as session:
        order = order_by_code(session, request.path_params["code"])
        if order is None:
            raise shop.ShopError(404, "not_found", "Order not found")
        core = list(session.scalars(select(OrderPayment).where(OrderPayment.order_id == order.id)))
        transactions = [
            midtrans.status_body(tx, rt.server_key)
            for tx in session.scalars(
                select(MidtransTransaction).where(MidtransTransaction.order_id.in_([p.midtrans_order_id for p in core]))
            )
        ]
        return {
            "order": _row(order),
            "order_payments": _rows(session, OrderPayment, OrderPayment.order_id, order.id),
            "payments": _rows(session, Payment, Payment.order_id, order.id),
            "order_status_history": _rows(session, OrderStatusHistory, OrderStatusHistory.order_id, order.id),
            "core_payment_sync_log": _rows(session, CorePaymentSyncLog, CorePaymentSyncLog.order_id, order.id),
            "payment_sync_log": _rows(session, PaymentSyncLog, PaymentSyncLog.order_id, order.id),
            "admin_audit_log": _rows(session, AdminAuditLog, AdminAuditLog.target_code, order.order_code),
            "midtrans": transactions,
        }


async def run_expiry_job(rt: Runtime, request: Request) -> dict[str, Any]:
    return {"expired": shop.expire_old_orders(rt)}


async def state(rt: Runtime, request: Request) -> dict[str, Any]:
    with rt.db.session() as session:
        counts = dict(session.execute(select(Order.status, func.count()).group_by(Order.status)).all())
    clients = rt.broker.clients
    loop_now = rt.loop.time() if rt.loop is not None else 0.0
    webhooks = {key: rt.stats.webhooks[key] for key in ("delivered", "dropped", "duplicated", "snap")}
    webhooks.update({key: rt.stats.webhooks[key] for key in ("replayed", "retried", "failed")})
    return {
        "orders": {status: counts.get(status, 0) for status in ORDER_STATUSES},
        "stream_clients": len(clients),
        "webhooks": webhooks,
        "notifications": dict(sorted(rt.stats.notifications.items())),
        "midtrans": {
            "status_requests": rt.stats.midtrans_status_requests,
            "in_flight": rt.stats.midtrans_in_flight,
            "status_requests_by_caller": {
                caller: rt.stats.midtrans_status_by_caller[caller] for caller in STATUS_CALLERS
            },
        },
        "broker": {"dropped": rt.stats.broker_dropped, "slow_client_skips": rt.stats.slow_client_skips},
        "faults": rt.faults.describe() | {
            "stalled_streams": sum(1 for client in clients if client.stalled_until > loop_now),
        },
        "webhooks_received": {
            kind: dict(sorted(outcomes.items())) for kind, outcomes in rt.stats.webhooks_received.items()
        },
        "core_check": {"calls": rt.stats.core_check_calls},
    }


async def core_checks(rt: Runtime, request: Request) -> Response:
    """The most recent ``/core/check`` calls, oldest first; ``?since=<unix>`` keeps the later ones."""
    since_text = request.query_params.get("since")
    since = None
    if since_text is not None:
        try:
            since = float(since_text)
        except ValueError:
            raise BadRequest("since must be a unix time in seconds") from None
    calls = [call for call in rt.stats.core_checks if since is None or call["at"] >= since]
    # A bare array, as documented; GoJSONResponse would treat a list like any other value.
    return GoJSONResponse(calls)


def _fail_rule(spec: Any) -> FailRule:
    if not isinstance(spec, dict):
        raise BadRequest("fail must be an object")
    prefix = text(spec, "prefix")
    if not prefix or not prefix.startswith("/"):
        raise BadRequest('fail.prefix must be a path starting with "/"')
    status = spec.get("status", 503)
    count = spec.get("count", 1)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise BadRequest("fail.status must be an HTTP status code")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise BadRequest("fail.count must be a positive integer")
    return FailRule(
        prefix=prefix,
        status=status,
        remaining=count,
        retry_after=number(spec, "retry_after"),
        body=text(spec, "body"),
        content_type=text(spec, "content_type"),
    )


def _malformed(rt: Runtime, kind: str, order_code: str | None) -> tuple[bytes, dict[str, Any]]:
    unix_ns = time.time_ns()
    event_id = notification_id(unix_ns)
    info: dict[str, Any] = {"kind": kind}
    if kind == "non_json":
        return format_event(event_id, "notification", RETRY_MS, "{this is not JSON: payment_received"), info
    if kind == "unknown_type":
        notification = build_notification(
            "flash_sale", "⚡ Flash Sale", "Flash sale 12.12 starts now", "info", {"campaign": "1212"},
            zone=rt.zone, unix_ns=unix_ns,
        )
        return notification_event(notification), info
    if kind == "huge":
        notification = build_notification(
            "system", "🧪 Huge Event", "Padding test", "info", {"padding": "x" * HUGE_PADDING},
            zone=rt.zone, unix_ns=unix_ns,
        )
        return notification_event(notification), info
    with rt.db.session() as session:
        if order_code:
            order = order_by_code(session, order_code)
        else:
            order = session.scalars(select(Order).order_by(Order.created_at.desc(), Order.id.desc())).first()
        if order is None:
            raise BadRequest("malformed multiline/crlf need an existing order (order_code)")
        payment = latest_core_payment(session, order.id)
        method = payment.payment_method if payment is not None else ""
        code, amount = order.order_code, order.total_amount
    notification = build_notification(
        "payment_received", "💰 Payment Received", f"Order #{code} paid via {method} (Rp {rupiah(amount)})",
        "info", {"order_code": code, "payment_method": method, "amount": amount}, zone=rt.zone, unix_ns=unix_ns,
    )
    info["order_code"] = code
    if kind == "multiline":
        # Top-level members one per data line: valid JSON once the lines are joined with LF.
        members = [f"{dumps(key)}:{dumps(value)}" for key, value in notification.items()]
        lines = ["{"] + [member + ("," if i < len(members) - 1 else "") for i, member in enumerate(members)] + ["}"]
        text = f"id: {event_id}\nevent: notification\nretry: {RETRY_MS}\n"
        text += "".join(f"data: {line}\n" for line in lines) + "\n"
        return text.encode("utf-8"), info
    event = notification_event(notification).decode("utf-8")
    return event.replace("\n", "\r\n").encode("utf-8"), info


async def faults(rt: Runtime, request: Request) -> dict[str, Any]:
    body = await json_body(request)
    unknown = sorted(set(body) - set(KNOBS))
    if unknown:
        raise BadRequest(f"unknown fault knob(s): {', '.join(unknown)}")
    if not body:
        raise BadRequest(f"give at least one knob: {', '.join(KNOBS)}")
    assert rt.loop is not None
    applied: dict[str, Any] = {}
    clients = rt.broker.clients
    # Validate everything first so a bad knob changes nothing.
    keepalive = number(body, "keepalive")
    if keepalive is not None and keepalive <= 0:
        raise BadRequest("keepalive must be > 0")
    delay = number(body, "midtrans_delay_ms")
    rule = _fail_rule(body["fail"]) if "fail" in body else None
    stall = number(body, "stall_streams")
    malformed = text(body, "malformed")
    if malformed is not None and malformed not in MALFORMED_KINDS:
        raise BadRequest(f"malformed must be one of {', '.join(MALFORMED_KINDS)}")
    cut = text(body, "cut_streams")
    if cut is not None and cut not in ("fin", "clean"):
        raise BadRequest('cut_streams must be "fin" or "clean"')
    message = info = None
    if malformed is not None:
        message, info = _malformed(rt, malformed, text(body, "order_code"))

    if body.get("reset"):
        rt.faults.reset()
        rt.stats.reset()
        for client in clients:
            client.stalled_until = 0.0
            client.keepalive_changed = True
            client.poke()
        applied["reset"] = True
    if keepalive is not None:
        rt.faults.keepalive = keepalive
        for client in clients:
            client.keepalive_changed = True
            client.poke()
        applied["keepalive"] = keepalive
    if delay is not None:
        rt.faults.midtrans_delay = delay / 1000
        applied["midtrans_delay_ms"] = delay
    if rule is not None:
        rt.faults.fail_rules.append(rule)
        applied["fail"] = rule.describe()
    if body.get("expire_tokens"):
        rt.expire_tokens()
        applied["expire_tokens"] = True
    if stall:
        until = rt.loop.time() + stall
        for client in clients:
            client.stalled_until = until
        applied["stall_streams"] = {"seconds": stall, "streams": len(clients)}
    if message is not None and info is not None:
        rt.notifier.publish_raw("malformed", message)
        applied["malformed"] = info | {"streams": len(clients), "bytes": len(message)}
    if cut is not None:
        phantom_code, payload = phantom_event(rt)
        for client in clients:
            client.cut = cut
            client.cut_payload = payload
            client.poke()
        applied["cut_streams"] = {"mode": cut, "streams": len(clients), "phantom_order_code": phantom_code}
    return {"applied": applied}


def routes(rt: Runtime) -> list[Route]:
    return [
        route(rt, "/sandbox/orders", create_order, "POST"),
        # Before {code}: "bulk" is not an order code.
        route(rt, "/sandbox/orders/bulk", create_bulk_orders, "POST"),
        route(rt, "/sandbox/orders/{code}", inspect_order, "GET"),
        route(rt, "/sandbox/orders/{code}/pay", pay_order, "POST"),
        route(rt, "/sandbox/orders/{code}/expire", expire_order, "POST"),
        route(rt, "/sandbox/orders/{code}/cancel", cancel_order, "POST"),
        route(rt, "/sandbox/orders/{code}/snap-payment", snap_payment, "POST"),
        route(rt, "/sandbox/jobs/order-expiry", run_expiry_job, "POST"),
        route(rt, "/sandbox/faults", faults, "POST"),
        route(rt, "/sandbox/state", state, "GET"),
        route(rt, "/sandbox/core-checks", core_checks, "GET"),
        *control_midtrans.routes(rt),
    ]

