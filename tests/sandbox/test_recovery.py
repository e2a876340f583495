"""Contract §3.7, §4.3, §4.4: the Snap-table recovery endpoints (stuck, sync, sync-all) and their traps."""

from __future__ import annotations

import base64
import re
import socket
from collections.abc import Callable
from typing import Any

from tests.sandbox.conftest import SERVER_KEY
from tests.sandbox.helpers import Api, FakeMidtrans, RawStream, sentinel, shop_time
from zavera_desktop.sandbox import SandboxServer

STUCK_KEYS = ["payment_id", "order_id", "order_code", "amount", "status", "created_at", "hours_stuck", "retry_count"]
SYNC_KEYS = ["payment_id", "order_code", "local_status", "gateway_status", "has_mismatch", "mismatch_type",
             "resolved", "gateway_response"]
FALSE_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def _snap_order(api: Api, hours_ago: float = 0.0, **fields: Any) -> dict[str, Any]:
    return api.order(payment="snap", created_at=shop_time(hours_ago), **fields)


def _stuck(api: Api, **params: Any) -> Any:
    response = api.get("/api/admin/payments/stuck", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _sync(api: Api, ref: Any) -> Any:
    return api.post(f"/api/admin/payments/{ref}/sync", who="admin")


def test_s3_7_stuck_is_null_and_sees_only_snap_payments(api: Api) -> None:
    """§3.7: a bare array or ``null``; only PENDING Snap rows older than ``hours``; Core VAs never appear."""
    assert api.get("/api/admin/payments/stuck").content == b"null"
    api.order(created_at=shop_time(5))  # a Core VA pending for 5 h: invisible here
    recent = _snap_order(api, 1)
    old = _snap_order(api, 3, amount=250000.5)
    paid = _snap_order(api, 4)
    api.post(f"/api/admin/payments/{paid['order_id']}/reconcile", who="admin",
             json={"action": "MARK_PAID", "reason": "seen in the dashboard"})

    stuck = _stuck(api)
    assert [item["order_code"] for item in stuck] == [old["order_code"]]
    item = stuck[0]
    assert list(item) == STUCK_KEYS  # last_synced_at is omitted while NULL
    assert (item["payment_id"], item["order_id"]) == (old["snap_payment_id"], old["order_id"])
    assert (item["amount"], item["status"], item["retry_count"]) == (250000.5, "PENDING", 0)
    assert FALSE_Z.fullmatch(item["created_at"]) and item["created_at"][:19] == old["created_at"].replace(" ", "T")
    assert isinstance(item["hours_stuck"], float) and 2.9 < item["hours_stuck"] < 3.5

    assert [i["order_code"] for i in _stuck(api, hours=0)] == [old["order_code"], recent["order_code"]]
    assert len(_stuck(api, hours="two")) == 1  # an unparsable value keeps the default of 2
    assert len(_stuck(api, hours=-1)) == 2
    assert _stuck(api, hours=24) is None


def test_s3_7_s4_admin_gate(api: Api) -> None:
    """§1.4/§1.5: the recovery routes need Auth + Admin, with the usual bodies."""
    for method, path in (("GET", "/api/admin/payments/stuck"), ("POST", "/api/admin/payments/sync-all"),
                         ("POST", "/api/admin/payments/1/sync"), ("POST", "/api/admin/payments/1/reconcile")):
        anonymous = api.client.request(method, path)
        assert (anonymous.status_code, anonymous.json()) == (
            401, {"error": "unauthorized", "message": "Authorization header required"}
        )
        customer = api.client.request(method, path, headers=api.auth("user"))
        assert customer.status_code == 403
        assert customer.json()["message"] == (
            "Admin access required. Only authorized administrators can access this resource."
        )


def test_s4_3_sync_asks_the_bare_order_code_and_misses(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§4.3/§6 call 3: Midtrans answers 404 to the bare code; not noticed: gateway "" and a mismatch."""
    stream = open_stream(api)
    order = _snap_order(api, 3)
    response = _sync(api, order["order_id"])
    assert response.status_code == 200
    body = response.json()
    assert list(body) == SYNC_KEYS
    assert {key: body[key] for key in SYNC_KEYS[:-1]} == {
        "payment_id": order["snap_payment_id"], "order_code": order["order_code"], "local_status": "PENDING",
        "gateway_status": "", "has_mismatch": True, "mismatch_type": "local:pending vs gateway:",
        "resolved": False,
    }
    assert list(body["gateway_response"]) == ["id", "status_code", "status_message"]  # a Go map: sorted
    assert body["gateway_response"]["status_code"] == "404"
    assert body["gateway_response"]["status_message"] == "Transaction doesn't exist."
    assert api.state()["midtrans"]["status_requests_by_caller"]["payment_sync"] == 1

    view = api.inspect(order["order_code"])
    assert view["order"]["status"] == "PENDING"
    (log,) = view["payment_sync_log"]
    assert (log["sync_type"], log["sync_status"], log["gateway_status"], log["has_mismatch"], log["resolved"]) == (
        "manual", "MISMATCH", "", True, False
    )
    (payment,) = view["payments"]
    assert payment["last_synced_at"] is not None and payment["sync_status"] == "IN_PROGRESS"
    assert "last_synced_at" in _stuck(api)[0]
    sentinel(api, stream)
    assert {n["type"] for n in stream.notifications()} <= {"system", "order_created", "flash_sale"}


def test_s4_3_s10_14_an_order_payments_id_hits_an_unrelated_order(
    api: Api, open_stream: Callable[..., RawStream]
) -> None:
    """§4.3/§10.14: ``:id`` is an order id first, so a Core payment_id syncs (and reconciles) another order."""
    stream = open_stream(api)
    legacy = _snap_order(api, 3)  # order 1, with a Snap row
    core = api.order()  # order 2, whose order_payments.id is 1
    assert core["payment_id"] == legacy["order_id"]
    api.pay(core["order_code"], webhook="drop")  # settled at Midtrans; the backend never heard

    synced = _sync(api, core["payment_id"]).json()
    assert synced["order_code"] == legacy["order_code"] and synced["payment_id"] == legacy["snap_payment_id"]
    reconciled = api.post(f"/api/admin/payments/{core['payment_id']}/reconcile", who="admin",
                          json={"action": "MARK_PAID", "reason": "customer sent proof"})
    assert reconciled.json()["state_after"]["order_status"] == "PAID"

    assert api.detail(legacy["order_code"])["status"] == "PAID"  # the wrong order got paid
    core_view = api.inspect(core["order_code"])
    assert core_view["order"]["status"] == "PENDING" and core_view["order_payments"][0]["payment_status"] == "PENDING"
    assert core_view["payment_sync_log"] == [] and core_view["admin_audit_log"] == []
    sentinel(api, stream)
    assert stream.notifications("payment_received") == []


def test_s10_5_sync_cannot_see_a_core_settlement(api: Api) -> None:
    """§10.5: an order with only a Core VA has no Snap row: sync answers 400 payment not found."""
    order = api.order(created_at=shop_time(3))
    api.pay(order["order_code"], webhook="drop")
    before = api.state()["midtrans"]["status_requests"]
    response = _sync(api, order["order_id"])
    assert (response.status_code, response.json()) == (
        400, {"error": "sync_failed", "message": f"payment not found: {order['order_id']}"}
    )
    assert api.state()["midtrans"]["status_requests"] == before
    assert api.detail(order["order_code"])["status"] == "PENDING"


def test_s4_3_auto_resolve_when_a_gateway_reports_settlement(
    start_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api],
    open_stream: Callable[..., RawStream],
) -> None:
    """§4.3/§2.6 item 4: were the gateway to say settlement: PAID without paid_at, no SSE, order_payments kept."""
    fake = FakeMidtrans({"status_code": "200", "transaction_status": "settlement", "transaction_id": "tx-1",
                         "gross_amount": "150000.00", "va_numbers": [{"va_number": "1", "bank": "bca"}]})
    try:
        api = make_api(start_sandbox(midtrans_url=fake.url))
        stream = open_stream(api)
        order = api.order(created_at=shop_time(3))  # a Core VA …
        snap = api.client.post(f"/sandbox/orders/{order['order_code']}/snap-payment").json()  # … and "Pay now"
        body = _sync(api, order["order_id"]).json()
    finally:
        fake.close()
    assert fake.requests == [(f"/v2/{order['order_code']}/status",
                              "Basic " + base64.b64encode(f"{SERVER_KEY}:".encode()).decode())]
    assert body["payment_id"] == snap["snap_payment_id"]
    assert (body["gateway_status"], body["mismatch_type"], body["resolved"], body["resolution_action"]) == (
        "settlement", "local:pending vs gateway:settlement", True, "auto-resolved to gateway status"
    )
    assert body["gateway_response"]["va_numbers"] == [{"bank": "bca", "va_number": "1"}]
    detail = api.detail(order["order_code"])
    assert detail["status"] == "PAID" and "paid_at" not in detail
    assert detail["payment"]["id"] == order["payment_id"] and detail["payment"]["status"] == "PENDING"  # §10.13
    view = api.inspect(order["order_code"])
    assert view["payments"][0]["status"] == "SUCCESS" and view["payments"][0]["paid_at"] is None
    assert view["order_status_history"] == []
    # MarkResolved's resolved_by = 0 breaks a foreign key in PostgreSQL: the log row is never marked resolved.
    assert [(r["sync_status"], r["resolved"]) for r in view["payment_sync_log"]] == [("MISMATCH", False)]
    sentinel(api, stream)
    assert stream.notifications("payment_received") == []


def test_s4_3_sync_errors(
    api: Api, start_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api]
) -> None:
    """§4.3: unknown id, non-numeric id, unreachable or non-JSON Midtrans → 400; a FAILED log row."""
    missing = _sync(api, 99999)
    assert (missing.status_code, missing.json()) == (
        400, {"error": "sync_failed", "message": "payment not found: 99999"}
    )
    word = _sync(api, "abc")
    assert (word.status_code, word.json()) == (
        400, {"error": "invalid_payment_id", "message": "Payment ID must be a number"}
    )
    order = _snap_order(api, 1)
    api.faults(fail={"prefix": "/midtrans/", "status": 503, "count": 1, "body": "<html>busy</html>",
                     "content_type": "text/html"})
    html = _sync(api, order["order_id"])
    assert (html.status_code, html.json()) == (
        400, {"error": "sync_failed", "message": "invalid character '<' looking for beginning of value"}
    )
    assert [r["sync_status"] for r in api.inspect(order["order_code"])["payment_sync_log"]] == ["FAILED"]

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    offline = make_api(start_sandbox(midtrans_url=f"http://127.0.0.1:{closed}"))
    other = _snap_order(offline, 1)
    refused = _sync(offline, other["order_id"]).json()
    assert refused["error"] == "sync_failed"
    assert refused["message"] == (
        f'Get "http://127.0.0.1:{closed}/v2/{other["order_code"]}/status": '
        f"dial tcp 127.0.0.1:{closed}: connect: connection refused"
    )


def test_s4_4_sync_all_takes_stale_snap_rows_and_reads_ids_as_order_ids(
    start_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api]
) -> None:
    """§4.4: PENDING Snap rows > 30 min old, not synced in 5 min; each payments.id is tried as an order id."""
    api = make_api(start_sandbox(sync_all_pause=0.0))
    api.order(created_at=shop_time(5))  # order 1: Core only, never part of sync-all
    fresh = _snap_order(api, 0.1)  # order 2, payments.id 1: too new to be picked
    stale = _snap_order(api, 2)  # order 3, payments.id 2: picked …
    assert (fresh["snap_payment_id"], stale["snap_payment_id"]) == (1, 2)
    response = api.post("/api/admin/payments/sync-all", who="admin")
    assert (response.status_code, response.content) == (200, b'{"errors":0,"synced":1}')
    # … but id 2 is an order id first: order 2's (fresh) Snap row is the one synced.
    assert [r["sync_type"] for r in api.inspect(fresh["order_code"])["payment_sync_log"]] == ["scheduled"]
    assert api.inspect(stale["order_code"])["payment_sync_log"] == []

    recently_synced = _snap_order(api, 3)  # order 4, payments.id 3
    _sync(api, recently_synced["order_id"])
    again = api.post("/api/admin/payments/sync-all", who="admin").json()
    assert again == {"errors": 0, "synced": 1}  # stale (id 2) again; id 3 was synced a moment ago
    assert len(api.inspect(recently_synced["order_code"])["payment_sync_log"]) == 1
    assert api.state()["notifications"].get("payment_received") is None
