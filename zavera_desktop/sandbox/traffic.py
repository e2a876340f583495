"""Demo traffic: orders arrive on a jittered schedule and most get paid, some the hard way.

The decisions are a pure function of a seeded ``random.Random`` (:func:`plan_next`), so a
test can check the mix over a thousand plans without sleeping; :class:`TrafficGenerator`
only executes plans against a running sandbox.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from decimal import Decimal

from zavera_desktop.sandbox import shop, simulate
from zavera_desktop.sandbox.demo_data import PRODUCTS, SHIPPING_COSTS, random_customer
from zavera_desktop.sandbox.runtime import Runtime

log = logging.getLogger("zavera_desktop.sandbox.traffic")

# Share of all orders that never get paid, and that expire at Midtrans instead.
ABANDON_SHARE = 0.10
EXPIRE_SHARE = 0.05
# Of the paid orders that keep their webhook: a few duplicated, a few misrouted to Snap.
DUPLICATE_SHARE = 0.08
SNAP_SHARE = 0.08
METHOD_WEIGHTS = {
    "bca_va": 40, "bri_va": 15, "bni_va": 10, "mandiri_va": 10, "permata_va": 5, "qris": 12, "gopay": 8,
}
PAID_OUTCOMES = ("deliver", "drop", "duplicate", "snap")


@dataclass(frozen=True)
class Plan:
    wait: float  # seconds before this order is placed
    customer_name: str
    customer_email: str
    customer_phone: str
    method: str
    items: tuple[shop.ItemSpec, ...]
    shipping_cost: Decimal
    outcome: str  # deliver | drop | duplicate | snap | abandon | expire
    settle_after: float  # seconds between order and payment (or expiry)

    @property
    def total(self) -> Decimal:
        return sum((item.price_per_unit * item.quantity for item in self.items), Decimal(0)) + self.shipping_cost


def plan_next(rng: random.Random, rate_per_minute: float, drop_fraction: float) -> Plan:
    """Decide everything about the next order; pure given ``rng``'s state."""
    wait = rng.expovariate(rate_per_minute / 60.0) if rate_per_minute > 0 else 0.0
    customer = random_customer(rng)
    method = rng.choices(list(METHOD_WEIGHTS), weights=list(METHOD_WEIGHTS.values()))[0]
    items = tuple(
        shop.ItemSpec(product_id, name, rng.randint(1, 2), Decimal(price))
        for product_id, name, price in rng.sample(PRODUCTS, rng.randint(1, 2))
    )
    shipping = Decimal(rng.choice(SHIPPING_COSTS))
    roll = rng.random()
    if roll < ABANDON_SHARE:
        outcome = "abandon"
    elif roll < ABANDON_SHARE + EXPIRE_SHARE:
        outcome = "expire"
    elif rng.random() < drop_fraction:
        outcome = "drop"
    else:
        kept = rng.random()
        if kept < DUPLICATE_SHARE:
            outcome = "duplicate"
        elif kept < DUPLICATE_SHARE + SNAP_SHARE:
            outcome = "snap"
        else:
            outcome = "deliver"
    settle_after = rng.uniform(2.0, 10.0) if outcome != "expire" else rng.uniform(10.0, 20.0)
    return Plan(wait, customer.name, customer.email, customer.phone, method, items, shipping, outcome, settle_after)


class TrafficGenerator:
    def __init__(self, rt: Runtime, rate_per_minute: float, drop_fraction: float, seed: int | None) -> None:
        self.rt = rt
        self.rate = rate_per_minute
        self.drop_fraction = drop_fraction
        self.rng = random.Random(seed)

    async def run(self) -> None:
        log.info("traffic generator: %.1f orders/min, %.0f%% webhooks dropped", self.rate, self.drop_fraction * 100)
        while True:
            plan = plan_next(self.rng, self.rate, self.drop_fraction)
            await asyncio.sleep(plan.wait)
            try:
                self.step(plan)
            except Exception:
                log.exception("traffic generator could not place an order")

    def step(self, plan: Plan) -> str:
        """Place the order now and schedule what happens to it; returns the order code."""
        order = shop.create_order(
            self.rt,
            shop.OrderSpec(
                total=plan.total,
                method=plan.method,
                customer_name=plan.customer_name,
                customer_email=plan.customer_email,
                customer_phone=plan.customer_phone,
                shipping_cost=plan.shipping_cost,
                items=list(plan.items),
            ),
        )
        code = order["order_code"]
        if plan.outcome in PAID_OUTCOMES:
            self.rt.later(plan.settle_after, lambda: self._settle(simulate.pay, code, plan.outcome))
        elif plan.outcome == "expire":
            self.rt.later(plan.settle_after, lambda: self._settle(simulate.expire, code, "deliver"))
        return code

    async def _settle(self, action: simulate.Action, code: str, mode: str) -> None:
        try:
            await action(self.rt, code, mode, None)
        except shop.ShopError as exc:
            # The order may have been paid or cancelled from outside meanwhile; that is fine.
            log.info("traffic: %s for %s skipped: %s", mode, code, exc.message)
