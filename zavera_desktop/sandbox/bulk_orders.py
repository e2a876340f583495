"""Many abandoned checkouts at once: PENDING orders with pending Core VAs, in one transaction.

For tests and benchmarks that need a backlog (a shop with a thousand unpaid orders) without
a thousand HTTP round trips. Each order is exactly what ``POST /sandbox/orders`` makes.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from zavera_desktop.sandbox import midtrans, shop
from zavera_desktop.sandbox.broker import BROADCAST_SLOTS
from zavera_desktop.sandbox.demo_data import PRODUCTS, SHIPPING_COSTS, random_customer
from zavera_desktop.sandbox.runtime import Runtime
from zavera_desktop.sandbox.timeutil import admin_time
from zavera_desktop.sandbox.traffic import METHOD_WEIGHTS

MAX_COUNT = 20_000
MIXED = "mixed"  # methods drawn with the demo traffic's weights
BROADCAST_PAUSE = 0.001  # seconds to let the broker drain while a bulk broadcast waits


@dataclass(frozen=True)
class BulkSpec:
    count: int
    age_seconds: float = 0.0  # the newest order is this old
    spread_seconds: float = 0.0  # created_at spreads uniformly over this window before the newest
    method: str = "bca_va"  # a Core method, or "mixed"
    amount: Decimal | None = None  # None: a random catalogue product plus shipping
    broadcast: bool = False  # order_created for each, like a checkout
    with_items: bool = True


def _order_spec(rng: random.Random, spec: BulkSpec) -> shop.OrderSpec:
    customer = random_customer(rng)
    method = spec.method
    if method == MIXED:
        method = rng.choices(list(METHOD_WEIGHTS), weights=list(METHOD_WEIGHTS.values()))[0]
    if spec.amount is not None:
        total, shipping, items = spec.amount, Decimal(0), []
    else:
        product_id, name, price = rng.choice(PRODUCTS)
        shipping = Decimal(rng.choice(SHIPPING_COSTS))
        total = Decimal(price) + shipping
        items = [shop.ItemSpec(product_id, name, 1, Decimal(price))]
    return shop.OrderSpec(
        total=total, method=method, customer_name=customer.name, customer_email=customer.email,
        customer_phone=customer.phone, shipping_cost=shipping, items=items, notify=spec.broadcast,
        with_items=spec.with_items,
    )


async def create(rt: Runtime, spec: BulkSpec) -> dict[str, Any]:
    """Create ``spec.count`` orders oldest first, then broadcast them if asked."""
    result, names = insert(rt, spec)
    if spec.broadcast:
        await broadcast_created(rt, result["orders"], names)
    return result


def insert(rt: Runtime, spec: BulkSpec) -> tuple[dict[str, Any], list[str]]:
    """One transaction; ids grow with created_at, as real checkouts' do. Returns the customer names too."""
    if spec.method != MIXED and spec.method not in midtrans.METHODS:
        raise shop.ShopError(400, "invalid_payment_method", f"unsupported payment method: {spec.method}")
    rng = random.Random()
    newest = rt.clock.now() - timedelta(seconds=spec.age_seconds)
    ages = sorted((rng.uniform(0, spec.spread_seconds) for _ in range(spec.count)), reverse=True)
    specs = [_order_spec(rng, spec) for _ in range(spec.count)]
    amounts = [shop.validate(order_spec) for order_spec in specs]  # refuses before anything is written
    codes: set[str] = set()
    created: list[dict[str, Any]] = []
    with rt.db.session() as session:
        orders = []
        for order_spec, (total, shipping), age in zip(specs, amounts, ages, strict=True):
            created_at = newest - timedelta(seconds=age)
            code = shop.new_order_code(created_at)
            while code in codes:  # the backend would fail on its UNIQUE index; a batch must not
                code = shop.new_order_code(created_at)
            codes.add(code)
            orders.append(shop.order_row(order_spec, code, total, shipping, created_at))
        session.add_all(orders)
        session.flush()  # one batched INSERT … RETURNING for the ids
        rows: list[Any] = []
        payments = []
        for order_spec, order in zip(specs, orders, strict=True):
            rows.extend(shop.item_rows(order_spec, order))
            payment, tx = shop.core_payment_rows(rt, order, order_spec.method)
            rows.extend((tx, payment))
            payments.append(payment)
        session.add_all(rows)
        session.flush()
        for order, payment in zip(orders, payments, strict=True):
            created.append({
                "order_code": order.order_code,
                "order_id": order.id,
                "payment_id": payment.id,
                "midtrans_order_id": payment.midtrans_order_id,
                "amount": order.total_amount,
                "payment_method": payment.payment_method,
                "created_at": admin_time(order.created_at),
            })
        session.commit()
    result = {"count": len(created), "broadcast": spec.broadcast, "orders": created}
    return result, [order_spec.customer_name for order_spec in specs]


async def broadcast_created(rt: Runtime, orders: list[dict[str, Any]], names: list[str]) -> None:
    """``order_created`` for each order, paced so that this burst alone never overflows the broker.

    Real checkouts arrive one request at a time and the broker drains between them; publishing
    a thousand in one go would fill its 256-slot channel and drop most of them.
    """
    for order, name in zip(orders, names, strict=True):
        while rt.broker.backlog >= BROADCAST_SLOTS // 2:
            await asyncio.sleep(BROADCAST_PAUSE)
        rt.notifier.order_created(order["order_code"], name, order["amount"])
