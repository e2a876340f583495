"""Verify in a busy shop (issue 9): lost webhooks are found however many checkouts are abandoned,
the backend never sees more than the budgeted check rate, and the direct Midtrans look-up spares it.

Time is scaled down (intervals of seconds, budgets of tens per second); the bound being tested is
the one backend/verify.py states: a due payment is checked within N / R seconds.
"""

from __future__ import annotations

import time

import pytest

from tests.helpers import wait_until
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.domain import DetectedBy


def lost_payments(sandbox, n: int) -> list[str]:
    codes = []
    for _ in range(n):
        code = sandbox.create_order()["order_code"]
        sandbox.pay(code, webhook="drop")
        codes.append(code)
    return codes


def max_calls_per_window(calls: list[dict], window: float = 1.0) -> int:
    times = sorted(c["at"] for c in calls)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_lost_webhooks_older_than_70_abandoned_checkouts_are_found(sandbox, engine_factory):
    """The issue's reproduction: 5 lost webhooks, then 70 newer unpaid checkouts. Youngest-first
    with 20 per round never reached the 5; the fair schedule must."""
    h = engine_factory(sandbox, verify_interval=2.0, verify_after=1.0, check_rate=10.0)
    h.wait_ready()
    lost = lost_payments(sandbox, 5)
    for _ in range(70):
        sandbox.create_order()
    # N = 75 targets, R = 10/s: each due payment is checked within 7.5 s (+ the interval)
    got = h.wait_announced(lost, timeout=40)
    assert {got[c].detected_by for c in lost} == {DetectedBy.VERIFY}
    h.assert_exactly_once(lost)


@pytest.mark.slow
def test_500_abandoned_checkouts_within_the_stated_bound_and_budget(sandbox, engine_factory):
    rate = 20.0
    sandbox.http.post("/sandbox/orders/bulk", json={"count": 500, "age_seconds": 60, "spread_seconds": 1200,
                                                    "broadcast": False}).raise_for_status()
    h = engine_factory(sandbox, verify_interval=5.0, verify_after=1.0, check_rate=rate, poll_interval=2.0)
    h.wait_ready()
    wait_until(lambda: h.engine.stats.verify_set_size >= 500, 20, "the 500 checkouts to join the verify set")
    since = time.time()
    lost = lost_payments(sandbox, 3)
    bound = 505 / rate + 5.0 + 5.0  # N / R + the interval + re-planning
    got = h.wait_announced(lost, timeout=bound + 15)
    assert {got[c].detected_by for c in lost} == {DetectedBy.VERIFY}
    h.assert_exactly_once(lost)
    calls = sandbox.http.get("/sandbox/core-checks", params={"since": since}).json()
    assert len(calls) > 50, "verify did not work through the backlog"
    # a token bucket of one: never more than R calls in any second, plus the one in hand
    assert max_calls_per_window(calls) <= rate + 1


def test_direct_midtrans_lookup_spares_the_backend(sandbox, engine_factory):
    """With the server key, verify asks Midtrans itself and calls /core/check only for what
    Midtrans reports settled: the backend marks it PAID through its own path, announced once."""
    for _ in range(60):
        sandbox.create_order()
    access = MidtransAccess(sandbox.url + "/midtrans", sandbox.creds["server_key"])
    h = engine_factory(sandbox, midtrans=access, verify_interval=2.0, verify_after=1.0, check_rate=5.0,
                       midtrans_rate=50.0)
    h.wait_ready()
    lost = lost_payments(sandbox, 3)
    got = h.wait_announced(lost, timeout=30)
    assert {got[c].detected_by for c in lost} == {DetectedBy.VERIFY}
    h.assert_exactly_once(lost)
    wait_until(lambda: h.engine.stats.midtrans_lookups >= 63, 20, "a look-up of every pending checkout")
    # only the three settled payments cost a /core/check; the 60 pending ones none
    assert len(sandbox.http.get("/sandbox/core-checks").json()) == 3


def test_a_wrong_midtrans_key_falls_back_to_the_backend_path(sandbox, engine_factory):
    access = MidtransAccess(sandbox.url + "/midtrans", "SB-Mid-server-wrong")
    h = engine_factory(sandbox, midtrans=access, verify_interval=1.0, verify_after=0.5, check_rate=10.0)
    h.wait_ready()
    lost = lost_payments(sandbox, 2)
    got = h.wait_announced(lost, timeout=30)
    assert {got[c].detected_by for c in lost} == {DetectedBy.VERIFY}
    assert any("Midtrans refused the server key" in a for a in h.activity)
    assert sandbox.creds["server_key"] not in " ".join(h.activity)


def test_an_order_that_leaves_pending_leaves_the_verify_set_at_once(sandbox, engine_factory):
    h = engine_factory(sandbox, verify_interval=30.0, verify_after=0.5, check_rate=10.0)
    h.wait_ready()
    code = sandbox.create_order()["order_code"]
    wait_until(lambda: h.engine.stats.verify_set_size >= 1, 10, "the checkout to join the verify set")
    sandbox.expire(code)  # payment_expired on the stream: EXPIRED in the store
    wait_until(lambda: h.store.seen_order(code) and h.store.seen_order(code).status == "EXPIRED", 10,
               "the expiry to reach the store")
    checks = h.engine._checks
    assert not checks.verify_set.still_pending(code)
    wait_until(lambda: h.engine.stats.verify_set_size == 0, 10, "the set to drop the expired order")
