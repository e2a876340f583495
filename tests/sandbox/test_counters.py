"""Counters for tests and benchmarks (docs/sandbox.md, GET /sandbox/state, GET /sandbox/core-checks)."""

from __future__ import annotations

import time

import httpx

from tests.sandbox.conftest import SERVER_KEY
from tests.sandbox.helpers import Api


def test_webhooks_received_by_route_kind_and_outcome(api: Api) -> None:
    """Every webhook that reaches a handler is counted under core/snap by outcome (ok or error:<message>)."""
    order = api.order()
    api.pay(order["order_code"], webhook="duplicate")  # two ok (the second an idempotent skip)
    api.client.post("/api/payments/core/webhook", content=b"{nope")
    api.client.post("/api/webhook/midtrans/core", json={"order_id": "x", "status_code": "200",
                                                         "gross_amount": "1.00", "signature_key": "bad"})
    other = api.order()
    api.pay(other["order_code"], webhook="snap")
    api.client.post("/api/payments/webhook", content=b"{nope")
    api.client.post("/api/midtrans/webhook", json={"signature_key": "bad"})
    api.faults(fail={"prefix": "/api/payment/callback", "status": 503, "count": 1})
    api.client.post("/api/payment/callback", json={})  # never reached the handler: not counted
    assert api.state()["webhooks_received"] == {
        "core": {"error:Invalid request format": 1, "error:invalid webhook signature": 1, "ok": 2},
        "snap": {"error:invalid webhook signature": 1, "error:invalid_request": 1, "ok": 1},
    }


def test_core_check_calls_are_counted_and_logged(api: Api) -> None:
    """/core/check: a call count and GET /sandbox/core-checks [{at, payment_id, user_id, status_code}]."""
    started = time.time()
    order = api.order()
    api.check(order["payment_id"])  # 200
    api.check(order["payment_id"])  # 429
    api.check(order["payment_id"], who="user")  # 200, another user
    api.post("/api/payments/core/check", who="admin", content=b"")  # 400
    api.client.post("/api/payments/core/check", json={"payment_id": order["payment_id"]})  # 401
    api.check(99999)  # 404
    assert api.state()["core_check"] == {"calls": 6}
    calls = api.client.get("/sandbox/core-checks").json()
    assert list(calls[0]) == ["at", "payment_id", "user_id", "status_code"]
    admin_id = api.get("/api/auth/me").json()["id"]
    user_id = api.get("/api/auth/me", who="user").json()["id"]
    assert [(c["payment_id"], c["user_id"], c["status_code"]) for c in calls] == [
        (order["payment_id"], admin_id, 200), (order["payment_id"], admin_id, 429),
        (order["payment_id"], user_id, 200), (None, admin_id, 400), (None, None, 401), (99999, admin_id, 404),
    ]
    times = [c["at"] for c in calls]
    assert times == sorted(times) and started - 1 <= times[0] <= time.time()
    later = api.client.get("/sandbox/core-checks", params={"since": times[3]}).json()
    assert [c["status_code"] for c in later] == [400, 401, 404]
    assert api.client.get("/sandbox/core-checks", params={"since": "soon"}).status_code == 400


def test_midtrans_status_lookups_split_by_caller(api: Api) -> None:
    """The simulator tells the backend's own look-ups (core_check, payment_sync) from outside requests."""
    order = api.order()
    snap = api.order(payment="snap")
    api.check(order["payment_id"])
    api.post(f"/api/admin/payments/{snap['order_id']}/sync", who="admin")
    auth = httpx.BasicAuth(SERVER_KEY, "")
    api.client.get(f"/midtrans/v2/{order['transaction_id']}/status", auth=auth)
    forged = {"X-Sandbox-Caller": "guess:core_check"}  # the header needs the run's secret
    api.client.get(f"/midtrans/v2/{order['transaction_id']}/status", auth=auth, headers=forged)
    api.client.get("/midtrans/v2/unknown/status")  # 401, still a look-up
    midtrans = api.state()["midtrans"]
    assert midtrans["status_requests"] == 5
    assert midtrans["status_requests_by_caller"] == {"core_check": 1, "payment_sync": 1, "external": 3}


def test_reset_clears_the_counters(api: Api) -> None:
    """POST /sandbox/faults {"reset": true} zeroes every counter and the /core/check log; orders stay."""
    order = api.order()
    api.pay(order["order_code"])
    api.check(order["payment_id"])
    assert api.faults(reset=True)["applied"] == {"reset": True}
    state = api.state()
    assert state["webhooks_received"] == {"core": {}, "snap": {}}
    assert state["core_check"] == {"calls": 0} and api.client.get("/sandbox/core-checks").json() == []
    assert state["midtrans"]["status_requests"] == 0
    assert set(state["midtrans"]["status_requests_by_caller"].values()) == {0}
    assert state["notifications"] == {} and state["webhooks"]["delivered"] == 0
    assert state["orders"]["PAID"] == 1
