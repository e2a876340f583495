"""POST /sandbox/orders/bulk (docs/sandbox.md): many abandoned checkouts in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from tests.sandbox.helpers import Api, RawStream, sentinel, shop_time

STAMP = "%Y-%m-%d %H:%M:%S"


def test_bulk_creates_pending_core_orders_in_the_window(api: Api) -> None:
    """N PENDING orders with pending Core VAs, created_at spread over [now-age-spread, now-age], oldest first."""
    before = datetime.strptime(shop_time(), STAMP)
    response = api.client.post("/sandbox/orders/bulk", json={"count": 1000, "age_seconds": 3600,
                                                               "spread_seconds": 1800})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["count"], body["broadcast"], len(body["orders"])) == (1000, False, 1000)
    orders = body["orders"]
    assert list(orders[0]) == ["order_code", "order_id", "payment_id", "midtrans_order_id", "amount",
                               "payment_method", "created_at"]
    assert len({o["order_code"] for o in orders}) == len({o["payment_id"] for o in orders}) == 1000
    stamps = [datetime.strptime(o["created_at"], STAMP) for o in orders]
    assert stamps == sorted(stamps)
    assert [o["order_id"] for o in orders] == sorted(o["order_id"] for o in orders)
    after = datetime.strptime(shop_time(), STAMP)
    assert before - timedelta(seconds=3600 + 1800 + 1) <= stamps[0]  # whole seconds on both sides
    assert stamps[-1] <= after - timedelta(seconds=3600)
    assert stamps[-1] - stamps[0] > timedelta(seconds=1000)  # spread, not bunched
    assert api.state()["orders"]["PENDING"] == 1000
    assert api.get("/api/admin/orders/stats").json()["pending_orders"] == 1000
    sample = orders[500]
    detail = api.detail(sample["order_code"])
    assert (detail["status"], detail["payment"]["id"], detail["payment"]["status"]) == (
        "PENDING", sample["payment_id"], "PENDING"
    )
    assert detail["created_at"] == sample["created_at"]
    # The VAs are real: Midtrans knows them and /core/check can settle one whose webhook was lost.
    api.pay(sample["order_code"], webhook="drop")
    assert api.check(sample["payment_id"]).json()["status"] == "PAID"
    stuck = api.get("/api/admin/dashboard/payments").json()["stuck_payments"]
    assert len(stuck) == 50 and stuck[0]["payment_id"] == orders[0]["payment_id"]


def test_bulk_broadcast_flag(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """broadcast false (default): silent; true: one order_created per order, none lost to the 256-slot channel."""
    stream = open_stream(api)
    quiet = api.client.post("/sandbox/orders/bulk", json={"count": 20}).json()
    loud = api.client.post("/sandbox/orders/bulk", json={"count": 300, "broadcast": True, "method": "mixed"}).json()
    sentinel(api, stream)
    announced = [n["data"]["order_code"] for n in stream.notifications("order_created")]
    assert announced == [o["order_code"] for o in loud["orders"]]
    assert not {o["order_code"] for o in quiet["orders"]} & set(announced)
    assert api.state()["broker"]["dropped"] == 0
    assert len({o["payment_method"] for o in loud["orders"]}) > 1


def test_bulk_fixed_amount_method_and_validation(api: Api) -> None:
    """amount/method apply to every order; bad input is a 400 that creates nothing."""
    body = api.client.post("/sandbox/orders/bulk", json={"count": 3, "amount": 99000, "method": "qris"}).json()
    assert {(o["amount"], o["payment_method"]) for o in body["orders"]} == {(99000, "qris")}
    for bad in ({}, {"count": 0}, {"count": "ten"}, {"count": 2, "age_seconds": -1}, {"count": 2, "method": "cash"},
                {"count": 2, "amount": -5}, {"count": 2, "broadcast": "yes"}, {"count": 20001}):
        assert api.client.post("/sandbox/orders/bulk", json=bad).status_code == 400, bad
    assert api.state()["orders"]["PENDING"] == 3
