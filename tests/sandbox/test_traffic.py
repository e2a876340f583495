"""The traffic generator: decision mix over a seeded run (no sleeping), and a live smoke run."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

from tests.sandbox.helpers import Api, wait_until
from zavera_desktop.sandbox import SandboxServer
from zavera_desktop.sandbox.traffic import PAID_OUTCOMES, plan_next


def _outcomes(seed: int, drop: float, count: int = 1000) -> Counter[str]:
    rng = random.Random(seed)
    return Counter(plan_next(rng, 20.0, drop).outcome for _ in range(count))


def test_traffic_drop_fraction_within_bounds_over_seeded_run() -> None:
    """Of the paid orders, ``drop_webhooks`` lose their webhook (±5 points over 1000 seeded plans)."""
    for drop in (0.3, 0.0, 0.5):
        outcomes = _outcomes(seed=1234, drop=drop)
        paid = sum(outcomes[o] for o in PAID_OUTCOMES)
        assert abs(outcomes["drop"] / paid - drop) <= 0.05, (drop, outcomes)
    outcomes = _outcomes(seed=1234, drop=0.3)
    assert set(outcomes) == {"deliver", "drop", "duplicate", "snap", "abandon", "expire"}  # every path shows
    assert outcomes["deliver"] > outcomes["duplicate"] and outcomes["deliver"] > outcomes["snap"]


def test_traffic_is_reproducible_with_a_seed() -> None:
    """The same seed gives the same plans (amounts, methods, outcomes, waits)."""
    first = [plan_next(random.Random(7), 30.0, 0.3) for _ in range(1)]
    rng_a, rng_b = random.Random(99), random.Random(99)
    assert [plan_next(rng_a, 30.0, 0.3) for _ in range(50)] == [plan_next(rng_b, 30.0, 0.3) for _ in range(50)]
    assert first == [plan_next(random.Random(7), 30.0, 0.3)]
    plan = first[0]
    assert plan.total == sum(i.price_per_unit * i.quantity for i in plan.items) + plan.shipping_cost
    assert plan.wait > 0


def test_traffic_generator_places_orders(
    start_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api]
) -> None:
    """--traffic RATE: orders appear on their own (with order_created notifications)."""
    api = make_api(start_sandbox(traffic=600.0, seed=5))
    wait_until(lambda: sum(api.state()["orders"].values()) >= 3, what="generated orders")
    assert api.state()["notifications"]["order_created"] >= 3
    listed = api.get("/api/admin/orders").json()["orders"]
    assert all(o["total_amount"] > 0 and o["items"] for o in listed)
