"""Read models of the admin API (contract §3.1, §3.2, §3.5, §3.6), quirks included."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from zavera_desktop.sandbox.db import (
    ORDER_STATUSES,
    PAID_OR_LATER,
    Order,
    OrderItem,
    OrderPayment,
    latest_core_payment,
    latest_snap_payment,
    order_by_code,
)
from zavera_desktop.sandbox.timeutil import ZERO_TIME_TEXT, Clock, admin_time, false_z


class QueryError(Exception):
    """A PostgreSQL error the Go handler would pass through as ``500 server_error``."""


def atoi(text: str) -> int:
    """``strconv.Atoi`` with the error ignored, as the handler does: anything odd becomes 0."""
    if not re.fullmatch(r"[+-]?\d+", text):
        return 0
    value = int(text)
    return value if -(2**63) <= value < 2**63 else 0


_PG_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
)


def pg_timestamp(text: str) -> datetime:
    """Cast text to ``timestamp`` the way PostgreSQL does for the forms a client would send."""
    match = _PG_TIMESTAMP.fullmatch(text.strip())
    if match is None:
        raise QueryError(f'pq: invalid input syntax for type timestamp: "{text}"')
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        return datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            int((fraction or "0").ljust(6, "0")),
        )
    except ValueError:
        raise QueryError(f'pq: date/time field value out of range: "{text}"') from None


def _item_dto(item: OrderItem) -> dict[str, Any]:
    body: dict[str, Any] = {"product_id": item.product_id, "product_name": item.product_name}
    if item.product_image:
        body["product_image"] = item.product_image
    body.update({"quantity": item.quantity, "price_per_unit": item.price_per_unit, "subtotal": item.subtotal})
    return body


def _order_head(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "order_code": order.order_code,
        "customer_name": order.customer_name,
        "customer_email": order.customer_email,
        "customer_phone": order.customer_phone,
        "subtotal": order.subtotal,
        "shipping_cost": order.shipping_cost,
        "tax": order.tax,
        "discount": order.discount,
        "total_amount": order.total_amount,
        "status": order.status,
    }


def list_orders(session: Session, query: dict[str, str]) -> dict[str, Any]:
    """``GetAllOrdersAdmin``; raises :class:`QueryError` where PostgreSQL would fail."""
    page = atoi(query.get("page", "1"))
    page_size = atoi(query.get("page_size", "20"))
    conditions = []
    status = query.get("status", "")
    if status:
        if status not in ORDER_STATUSES:
            raise QueryError(f'pq: invalid input value for enum order_status: "{status}"')
        conditions.append(Order.status == status)
    search = query.get("search", "")
    if search:
        # ILIKE '%<search>%': % and _ stay wildcards, backslash escapes (PostgreSQL's default).
        pattern = f"%{search}%".lower()
        conditions.append(
            or_(*(func.lower(column).like(pattern, escape="\\")
                  for column in (Order.order_code, Order.customer_name, Order.customer_email)))
        )
    if query.get("date_from", ""):
        conditions.append(Order.created_at >= pg_timestamp(query["date_from"]))
    if query.get("date_to", ""):
        conditions.append(Order.created_at <= pg_timestamp(query["date_to"] + " 23:59:59"))
    where = and_(*conditions) if conditions else None

    count_query = select(func.count()).select_from(Order)
    if where is not None:
        count_query = count_query.where(where)
    total = session.scalar(count_query) or 0

    offset = (page - 1) * page_size
    # PostgreSQL checks OFFSET before LIMIT.
    if offset < 0:
        raise QueryError("pq: OFFSET must not be negative")
    if page_size < 0:
        raise QueryError("pq: LIMIT must not be negative")
    rows_query = select(Order).order_by(Order.created_at.desc(), Order.id.desc()).limit(page_size).offset(offset)
    if where is not None:
        rows_query = rows_query.where(where)
    orders = list(session.scalars(rows_query))
    items: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if orders:
        for item in session.scalars(
            select(OrderItem).where(OrderItem.order_id.in_([o.id for o in orders])).order_by(OrderItem.id)
        ):
            items[item.order_id].append(_item_dto(item))
    listed: list[dict[str, Any]] = []
    for order in orders:
        body = _order_head(order)
        body["items"] = items.get(order.id) or None
        body["created_at"] = admin_time(order.created_at)
        body["updated_at"] = admin_time(order.updated_at)
        # FormatTimePtr(&nullTime.Time): a NULL comes out as Go's zero time, never null.
        body["paid_at"] = admin_time(order.paid_at) if order.paid_at else ZERO_TIME_TEXT
        body["shipped_at"] = admin_time(order.shipped_at) if order.shipped_at else ZERO_TIME_TEXT
        listed.append(body)
    # gin.H: keys sorted; an empty result is a nil slice, i.e. null.
    return {"orders": listed or None, "page": page, "page_size": page_size, "total_count": total}


def order_detail(session: Session, code: str) -> dict[str, Any] | None:
    order = order_by_code(session, code)
    if order is None:
        return None
    body = _order_head(order)
    if order.resi:
        body["resi"] = order.resi
    items = session.scalars(select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.id))
    body["items"] = [_item_dto(item) for item in items] or None
    payment = _payment_info(session, order)
    if payment is not None:
        body["payment"] = payment
    body["created_at"] = admin_time(order.created_at)
    body["updated_at"] = admin_time(order.updated_at)
    if order.paid_at is not None:
        body["paid_at"] = admin_time(order.paid_at)
    if order.shipped_at is not None:
        body["shipped_at"] = admin_time(order.shipped_at)
    return body


def _payment_info(session: Session, order: Order) -> dict[str, Any] | None:
    """Latest Core row first; one with a NULL transaction_id fails its Scan, so Snap is used."""
    core = latest_core_payment(session, order.id)
    if core is not None and core.transaction_id is not None:
        info: dict[str, Any] = {
            "id": core.id,
            "status": core.payment_status,
            "payment_method": core.payment_method,
            "payment_provider": core.bank,
            "amount": order.total_amount,
        }
        if core.transaction_id:
            info["transaction_id"] = core.transaction_id
        if core.paid_at is not None:
            info["paid_at"] = admin_time(core.paid_at)
        return info
    snap = latest_snap_payment(session, order.id)
    if snap is None:
        return None
    info = {
        "id": snap.id,
        "status": snap.status,
        "payment_method": snap.payment_method,
        "payment_provider": snap.payment_provider,
        "amount": snap.amount,
    }
    if snap.transaction_id:
        info["transaction_id"] = snap.transaction_id
    if snap.paid_at is not None:
        info["paid_at"] = admin_time(snap.paid_at)
    return info


def _count_sum(session: Session, *conditions: Any) -> tuple[int, Decimal]:
    count, total = session.execute(
        select(func.count(), func.coalesce(func.sum(Order.total_amount), 0)).where(*conditions)
    ).one()
    return int(count), Decimal(total) if not isinstance(total, Decimal) else total


def order_stats(session: Session, clock: Clock) -> dict[str, Any]:
    live = Order.status.not_in(("CANCELLED", "FAILED", "EXPIRED"))
    total_orders, total_revenue = _count_sum(session, live)
    per_status = dict(session.execute(select(Order.status, func.count()).group_by(Order.status)).all())
    day_start = datetime.combine(clock.today(), datetime.min.time())
    today_orders, today_revenue = _count_sum(
        session, live, Order.created_at >= day_start, Order.created_at < day_start + timedelta(days=1)
    )
    return {
        "total_orders": total_orders,
        "total_revenue": total_revenue,
        "pending_orders": per_status.get("PENDING", 0),
        "paid_orders": per_status.get("PAID", 0),
        "processing_orders": per_status.get("PROCESSING", 0),
        "shipped_orders": per_status.get("SHIPPED", 0),
        "delivered_orders": per_status.get("DELIVERED", 0),
        "cancelled_orders": per_status.get("CANCELLED", 0),
        "today_orders": today_orders,
        "today_revenue": today_revenue,
    }


def payment_monitor(session: Session, clock: Clock) -> dict[str, Any]:
    now = clock.now()
    pending_count, pending_amount = _count_sum(
        session, Order.status == "PENDING", Order.created_at > now - timedelta(hours=24)
    )
    soon_count, soon_amount = _count_sum(
        session,
        Order.status == "PENDING",
        Order.created_at < now - timedelta(hours=23),
        Order.created_at > now - timedelta(hours=24),
    )
    stuck = []
    rows = session.execute(
        select(OrderPayment, Order.order_code, Order.total_amount)
        .join(Order, Order.id == OrderPayment.order_id)
        .where(
            OrderPayment.payment_status == "PENDING",
            Order.status == "PENDING",
            OrderPayment.created_at < now - timedelta(hours=1),
        )
        .order_by(OrderPayment.created_at.asc(), OrderPayment.id.asc())
        .limit(50)
    ).all()
    for payment, order_code, total in rows:
        stuck.append(
            {
                "payment_id": payment.id,
                "order_code": order_code,
                "payment_method": payment.payment_method,
                "bank": payment.bank if payment.bank is not None else "N/A",
                "amount": total,
                "created_at": false_z(payment.created_at),
                "hours_pending": (now - payment.created_at).total_seconds() / 3600,
            }
        )
    day_start = datetime.combine(clock.today(), datetime.min.time())
    day_end = day_start + timedelta(days=1)
    paid_count, paid_amount = _count_sum(
        session, Order.status.in_(PAID_OR_LATER), Order.paid_at >= day_start, Order.paid_at < day_end
    )
    performance: dict[str, list[float]] = defaultdict(list)
    for payment in session.scalars(
        select(OrderPayment).where(
            OrderPayment.payment_status == "PAID", OrderPayment.paid_at >= day_start, OrderPayment.paid_at < day_end
        )
    ):
        assert payment.paid_at is not None
        performance[payment.payment_method].append((payment.paid_at - payment.created_at).total_seconds() / 60)
    return {
        "pending_count": pending_count,
        "pending_amount": pending_amount,
        "expiring_soon_count": soon_count,
        "expiring_soon_amount": soon_amount,
        "stuck_payments": stuck,
        "today_paid_count": paid_count,
        "today_paid_amount": paid_amount,
        "method_performance": [
            {"method": method, "count": len(minutes), "avg_time_minutes": sum(minutes) / len(minutes)}
            for method, minutes in sorted(performance.items())
        ],
    }
