"""Orders: checkout, the admin status change, force-cancel and the order-expiry job."""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from zavera_desktop.sandbox import midtrans
from zavera_desktop.sandbox.db import (
    MidtransTransaction,
    Order,
    OrderItem,
    OrderPayment,
    OrderStatusHistory,
    Payment,
    latest_snap_payment,
    order_by_code,
    to_money,
)
from zavera_desktop.sandbox.demo_data import PRODUCTS
from zavera_desktop.sandbox.runtime import Runtime
from zavera_desktop.sandbox.timeutil import admin_time, unix_of

log = logging.getLogger("zavera_desktop.sandbox.shop")

PAYMENT_KINDS = ("core", "snap", "none")

# models.ValidOrderTransitions; enforced only by PATCH /api/admin/orders/:code/status.
VALID_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "PENDING": ("PAID", "CANCELLED", "FAILED", "EXPIRED"),
    "PAID": ("PACKING", "CANCELLED"),
    "PACKING": ("SHIPPED", "CANCELLED"),
    "SHIPPED": ("DELIVERED",),
    "DELIVERED": ("COMPLETED", "REFUNDED"),
    "COMPLETED": ("REFUNDED",),
}


@dataclass(frozen=True)
class ItemSpec:
    product_id: int
    product_name: str
    quantity: int
    price_per_unit: Decimal


@dataclass
class OrderSpec:
    total: Decimal
    method: str = "bca_va"
    customer_name: str = "Budi Santoso"
    customer_email: str = "budi.santoso@example.com"
    customer_phone: str = "081234567890"
    shipping_cost: Decimal = Decimal(0)
    items: list[ItemSpec] = field(default_factory=list)
    created_at: datetime | None = None
    notify: bool = True
    with_items: bool = True  # False leaves order_items empty, so the admin API shows "items": null
    payment: str = "core"  # "core": a VA via /payments/core/create; "snap": the legacy Snap row; "none"


class ShopError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


def new_order_code(created: datetime) -> str:
    """``generateOrderCode``: ZVR-<local date>-<4 random bytes as uppercase hex>."""
    return f"ZVR-{created:%Y%m%d}-{secrets.token_hex(4).upper()}"


def new_midtrans_order_id(order_code: str, unix: int) -> str:
    """``generateMidtransOrderID``: <code>-<unix>-<4 lowercase hex>."""
    return f"{order_code}-{unix}-{secrets.token_hex(2)}"


def validate(spec: OrderSpec) -> tuple[Decimal, Decimal]:
    """The spec's (total, shipping) as DECIMAL(12,2), or a ShopError for what checkout would refuse."""
    if spec.payment not in PAYMENT_KINDS:
        raise ShopError(400, "invalid_request", f"payment must be one of {', '.join(PAYMENT_KINDS)}")
    if spec.method not in midtrans.METHODS:
        raise ShopError(400, "invalid_payment_method", f"unsupported payment method: {spec.method}")
    total = to_money(spec.total)
    shipping = to_money(spec.shipping_cost)
    if total <= 0 or shipping < 0 or shipping > total:
        raise ShopError(400, "invalid_request", "amount must be positive and cover shipping_cost")
    return total, shipping


def order_row(spec: OrderSpec, code: str, total: Decimal, shipping: Decimal, created: datetime) -> Order:
    return Order(
        order_code=code,
        customer_name=spec.customer_name,
        customer_email=spec.customer_email,
        customer_phone=spec.customer_phone,
        subtotal=total - shipping,
        shipping_cost=shipping,
        tax=Decimal(0),
        discount=Decimal(0),
        total_amount=total,
        status="PENDING",
        stock_reserved=True,
        created_at=created,
        updated_at=created,
    )


def item_rows(spec: OrderSpec, order: Order) -> list[OrderItem]:
    if not spec.with_items:
        return []
    items = spec.items or [ItemSpec(PRODUCTS[0][0], PRODUCTS[0][1], 1, order.subtotal)]
    return [
        OrderItem(
            order_id=order.id,
            product_id=item.product_id,
            product_name=item.product_name,
            quantity=item.quantity,
            price_per_unit=to_money(item.price_per_unit),
            subtotal=to_money(item.price_per_unit * item.quantity),
            created_at=order.created_at,
        )
        for item in items
    ]


def core_payment_rows(rt: Runtime, order: Order, method: str) -> tuple[OrderPayment, MidtransTransaction]:
    """``CreateVAPayment``: charge Midtrans, then the ``order_payments`` row from its answer."""
    created = order.created_at
    midtrans_order_id = new_midtrans_order_id(order.order_code, unix_of(created, rt.zone))
    tx = midtrans.new_transaction(rt, midtrans_order_id, order.total_amount, method, created)
    fields = midtrans.shop_payment_fields(tx)
    payment = OrderPayment(
        order_id=order.id,
        payment_method=method,
        bank=fields["bank"] or "",
        va_number=fields["va_number"] or "",
        transaction_id=tx.transaction_id,
        midtrans_order_id=midtrans_order_id,
        # parseExpiryTime reads Midtrans' GMT+7 text as UTC; stored as those wall-clock digits.
        expiry_time=datetime.strptime(tx.expiry_time, "%Y-%m-%d %H:%M:%S"),
        payment_status="PENDING",
        raw_response=json.dumps(midtrans.status_body(tx)),
        created_at=created,
        updated_at=created,
        qr_code_url=fields["qr_code_url"],
        deeplink_url=fields["deeplink_url"],
    )
    return payment, tx


def add_snap_payment(rt: Runtime, code: str, created_at: datetime | None) -> dict[str, Any]:
    """``InitiatePayment`` on an existing order ("Pay now" on the order-success page).

    A PENDING Snap row is reused (its token still works); an order that is not PENDING, or
    whose Snap payment already succeeded, is refused as the backend refuses it.
    """
    with rt.db.session() as session:
        order = order_by_code(session, code)
        if order is None:
            raise ShopError(404, "not_found", "Order not found")
        if order.status != "PENDING":
            raise ShopError(409, "conflict", "order is not in pending status")
        payment = latest_snap_payment(session, order.id)
        if payment is not None and payment.status == "SUCCESS":
            raise ShopError(409, "conflict", "payment already completed")
        if payment is None or payment.status != "PENDING":
            payment = snap_payment_row(rt, order, created_at or rt.clock.now())
            session.add(payment)
            session.commit()
        return {
            "order_code": order.order_code,
            "order_id": order.id,
            "snap_payment_id": payment.id,
            "snap_order_id": payment.external_id,
            "status": payment.status,
            "created_at": admin_time(payment.created_at),
        }


def snap_payment_row(rt: Runtime, order: Order, created: datetime | None = None) -> Payment:
    """``InitiatePayment`` (the legacy "Pay now" button): a PENDING Snap row with its token.

    No Midtrans transaction exists until the customer picks a method in the Snap popup,
    so the simulator's status API answers 404 for it, as Midtrans does.
    """
    created = created or order.created_at
    snap_order_id = f"{order.order_code}-{unix_of(created, rt.zone)}"
    token = str(uuid.uuid4())
    provider_response = {  # a Go map: keys sorted
        "order_code": order.order_code,
        "redirect_url": f"https://app.sandbox.midtrans.com/snap/v4/redirection/{token}",
        "token": token,
        "unique_id": snap_order_id,
    }
    return Payment(
        order_id=order.id,
        payment_method="midtrans",
        payment_provider="midtrans_snap",
        amount=order.total_amount,
        status="PENDING",
        external_id=snap_order_id,
        provider_response=json.dumps(provider_response, separators=(",", ":")),
        created_at=created,
        updated_at=created,
    )


def _result(order: Order, spec: OrderSpec, core: OrderPayment | None, snap: Payment | None) -> dict[str, Any]:
    result: dict[str, Any] = {"order_code": order.order_code, "order_id": order.id}
    if core is not None:
        result.update({"payment_id": core.id, "midtrans_order_id": core.midtrans_order_id,
                       "transaction_id": core.transaction_id})
    if snap is not None:
        # Named apart on purpose: a payments.id is not an order_payments.id (contract §10.14).
        result.update({"snap_payment_id": snap.id, "snap_order_id": snap.external_id})
    result.update({"amount": order.total_amount, "status": order.status, "created_at": admin_time(order.created_at)})
    if core is not None:
        result.update({"payment_method": spec.method, "bank": core.bank, "va_number": core.va_number})
    result["payment"] = spec.payment
    return result


def create_order(rt: Runtime, spec: OrderSpec) -> dict[str, Any]:
    """Checkout plus the payment the spec asks for; by default ``POST /api/payments/core/create``."""
    total, shipping = validate(spec)
    created = spec.created_at or rt.clock.now()
    code = new_order_code(created)
    with rt.db.session() as session:
        order = order_row(spec, code, total, shipping, created)
        session.add(order)
        session.flush()
        session.add_all(item_rows(spec, order))
        core = snap = None
        if spec.payment == "core":
            core, tx = core_payment_rows(rt, order, spec.method)
            session.add_all([tx, core])
        elif spec.payment == "snap":
            snap = snap_payment_row(rt, order)
            session.add(snap)
        session.commit()
        result = _result(order, spec, core, snap)
    if spec.notify:
        # Only CheckoutWithShipping notifies; the sandbox's checkout stands for that one.
        rt.notifier.order_created(code, spec.customer_name, total)
    return result


def record_history(session: Any, order: Order, old: str, new: str, by: str, reason: str, when: datetime) -> None:
    session.add(
        OrderStatusHistory(
            order_id=order.id, from_status=old, to_status=new, changed_by=by, reason=reason, created_at=when
        )
    )


def admin_update_status(rt: Runtime, code: str, new_status: str, reason: str, admin_email: str) -> None:
    """``UpdateOrderStatusAdmin``: the web admin's buttons, "Confirm Payment" included. No SSE."""
    now = rt.clock.now()
    with rt.db.session() as session:
        order = order_by_code(session, code)
        if order is None:
            raise ShopError(400, "update_failed", "order not found")
        old = order.status
        if new_status not in VALID_TRANSITIONS.get(old, ()):
            raise ShopError(
                400, "update_failed", f"invalid status transition: cannot transition from {old} to {new_status}"
            )
        order.status = new_status
        order.updated_at = now
        if new_status == "PAID":
            order.paid_at = now
            # Moves PENDING Core rows to PAID without a transaction_id change.
            for payment in session.scalars(
                select(OrderPayment).where(OrderPayment.order_id == order.id, OrderPayment.payment_status == "PENDING")
            ):
                payment.payment_status = "PAID"
                payment.paid_at = now
                payment.updated_at = now
        elif new_status == "SHIPPED":
            order.shipped_at = now
        elif new_status == "COMPLETED":
            order.completed_at = now
        elif new_status == "CANCELLED":
            order.cancelled_at = now
        elif new_status == "DELIVERED":
            order.delivered_at = now
        record_history(session, order, old, new_status, admin_email or "admin", reason, now)
        session.commit()


def force_cancel(rt: Runtime, code: str, reason: str, admin_email: str) -> dict[str, Any]:
    """Admin force-cancel: the order becomes CANCELLED, ``order_payments`` stays PENDING."""
    now = rt.clock.now()
    with rt.db.session() as session:
        order = order_by_code(session, code)
        if order is None:
            raise ShopError(404, "not_found", "Order not found")
        if order.status == "CANCELLED":
            raise ShopError(409, "conflict", "order is already CANCELLED")
        old = order.status
        order.status = "CANCELLED"
        order.cancelled_at = now
        order.updated_at = now
        record_history(session, order, old, "CANCELLED", admin_email, reason, now)
        session.commit()
    return {"order_code": code, "status": "CANCELLED", "previous_status": old}


def expire_old_orders(rt: Runtime) -> int:
    """``OrderExpiryJob``: PENDING orders older than 24 h become EXPIRED; payments untouched, no SSE."""
    now = rt.clock.now()
    count = 0
    with rt.db.session() as session:
        for order in session.scalars(
            select(Order).where(Order.status == "PENDING", Order.created_at < now - timedelta(hours=24))
        ):
            order.status = "EXPIRED"
            order.updated_at = now
            record_history(
                session, order, "PENDING", "EXPIRED", "order_expiry_job",
                "Order expired - payment method not selected within 24 hours", now,
            )
            count += 1
        session.commit()
    if count:
        log.info("order expiry job expired %d orders", count)
    return count
