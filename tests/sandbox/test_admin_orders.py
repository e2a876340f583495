"""Contract §3: the admin orders list, detail, stats, payment monitor and the status PATCH."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from tests.sandbox.helpers import Api, RawStream, sentinel
from zavera_desktop.sandbox import SandboxServer
from zavera_desktop.sandbox.db import order_by_code

LIST_ITEM_KEYS = [
    "id", "order_code", "customer_name", "customer_email", "customer_phone", "subtotal", "shipping_cost", "tax",
    "discount", "total_amount", "status", "items", "created_at", "updated_at", "paid_at", "shipped_at",
]
ADMIN_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
ORDER_CODE = re.compile(r"ZVR-(\d{8})-[0-9A-F]{8}")


def _ago(hours: float) -> str:
    # The sandbox's shop zone is Asia/Jakarta (UTC+7); the test machine may be in any zone.
    now = datetime.now(timezone(timedelta(hours=7))).replace(tzinfo=None)
    return (now - timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")


def test_s3_1_empty_list_is_null_with_sorted_keys(api: Api) -> None:
    """§3.1/§11: nothing matches → ``"orders": null``; gin.H keys sorted."""
    response = api.get("/api/admin/orders")
    assert response.status_code == 200
    assert response.content == b'{"orders":null,"page":1,"page_size":20,"total_count":0}'


def test_s3_1_list_items_order_and_formats(api: Api) -> None:
    """§3.1/§9: newest created first; item field order; amounts numbers; NULL paid_at as Go's zero time."""
    old = api.order(amount=100000, created_at=_ago(5), customer_name="Lama")
    new = api.order(amount=150000.5, customer_name="Baru")
    middle = api.order(amount=120000, created_at=_ago(2), customer_name="Tengah")
    body = api.get("/api/admin/orders").json()
    assert list(body) == ["orders", "page", "page_size", "total_count"]
    assert body["total_count"] == 3
    assert [o["order_code"] for o in body["orders"]] == [new["order_code"], middle["order_code"], old["order_code"]]
    first = body["orders"][0]
    assert list(first) == LIST_ITEM_KEYS
    assert first["total_amount"] == 150000.5 and isinstance(first["id"], int)
    assert first["paid_at"] == "0001-01-01 00:00:00" and first["shipped_at"] == "0001-01-01 00:00:00"
    assert ADMIN_TIME.fullmatch(first["created_at"]) and ADMIN_TIME.fullmatch(first["updated_at"])
    assert list(first["items"][0]) == ["product_id", "product_name", "quantity", "price_per_unit", "subtotal"]
    assert "resi" not in first and "payment" not in first
    match = ORDER_CODE.fullmatch(old["order_code"])
    assert match is not None and match.group(1) == _ago(5)[:10].replace("-", "")
    raw = api.get("/api/admin/orders").text
    assert '"total_amount":150000.5,' in raw and '"total_amount":100000,' in raw


def test_s3_1_paging_quirks(api: Api) -> None:
    """§3.1/§11: OFFSET checked before LIMIT; page=0&page_size=0 → null; non-numeric counts as 0."""
    for _ in range(3):
        api.order()
    page = api.get("/api/admin/orders", params={"page": 2, "page_size": 2}).json()
    assert (len(page["orders"]), page["page"], page["page_size"], page["total_count"]) == (1, 2, 2, 3)
    zero = api.get("/api/admin/orders", params={"page": 0, "page_size": 0})
    assert zero.content == b'{"orders":null,"page":0,"page_size":0,"total_count":3}'
    negative_offset = api.get("/api/admin/orders", params={"page": 0})
    assert (negative_offset.status_code, negative_offset.json()) == (
        500, {"error": "server_error", "message": "pq: OFFSET must not be negative"}
    )
    negative_limit = api.get("/api/admin/orders", params={"page_size": -1})
    assert negative_limit.json()["message"] == "pq: LIMIT must not be negative"
    both = api.get("/api/admin/orders", params={"page": 2, "page_size": -1})
    assert both.json()["message"] == "pq: OFFSET must not be negative"
    words = api.get("/api/admin/orders", params={"page": "one", "page_size": "x"})
    assert words.json() == {"orders": None, "page": 0, "page_size": 0, "total_count": 3}
    unlimited = api.get("/api/admin/orders", params={"limit": 1}).json()
    assert len(unlimited["orders"]) == 3  # there is no limit alias


def test_s3_1_filters(api: Api) -> None:
    """§3.1/§11: one status (invalid → 500), ILIKE search with wildcards, date_from/date_to."""
    paid = api.order(customer_name="Rina_Hartono", customer_email="rina@example.com")
    api.pay(paid["order_code"])
    api.order(customer_name="RinaXHartono", created_at=_ago(72))
    api.order(customer_name="Agus Wibowo")
    only_paid = api.get("/api/admin/orders", params={"status": "PAID"}).json()
    assert [o["order_code"] for o in only_paid["orders"]] == [paid["order_code"]]
    invalid = api.get("/api/admin/orders", params={"status": "paid"})
    assert (invalid.status_code, invalid.json()) == (
        500, {"error": "server_error", "message": 'pq: invalid input value for enum order_status: "paid"'}
    )
    wildcard = api.get("/api/admin/orders", params={"search": "rina_h"}).json()
    assert wildcard["total_count"] == 2  # "_" matches any character, case-insensitive
    escaped = api.get("/api/admin/orders", params={"search": "rina\\_h"}).json()
    assert escaped["total_count"] == 1
    by_code = api.get("/api/admin/orders", params={"search": paid["order_code"][-8:].lower()}).json()
    assert by_code["total_count"] == 1
    today = _ago(0)[:10]
    recent = api.get("/api/admin/orders", params={"date_from": _ago(24)[:10], "date_to": today}).json()
    assert recent["total_count"] == 2
    datetime_to = api.get("/api/admin/orders", params={"date_to": f"{today} 10:00:00"})
    assert datetime_to.status_code == 500
    assert datetime_to.json()["message"] == f'pq: invalid input syntax for type timestamp: "{today} 10:00:00 23:59:59"'


def test_s3_2_order_detail_with_core_payment(api: Api) -> None:
    """§3.2/§11: detail field order; payment from the latest order_payments row; paid_at omitted when NULL."""
    order = api.order(amount=150000, method="bri_va")
    detail = api.detail(order["order_code"])
    assert list(detail) == [*LIST_ITEM_KEYS[:12], "payment", "created_at", "updated_at"]
    assert detail["payment"] == {
        "id": order["payment_id"],
        "status": "PENDING",
        "payment_method": "bri_va",
        "payment_provider": "bri",
        "amount": 150000,
        "transaction_id": order["transaction_id"],
    }
    api.pay(order["order_code"])
    paid = api.detail(order["order_code"])
    assert list(paid)[-3:] == ["created_at", "updated_at", "paid_at"]
    assert paid["status"] == "PAID" and paid["payment"]["status"] == "PAID"
    assert ADMIN_TIME.fullmatch(paid["payment"]["paid_at"])
    bare = api.order(items=False)
    assert api.detail(bare["order_code"])["items"] is None
    listed = api.get("/api/admin/orders", params={"search": bare["order_code"]}).json()["orders"]
    assert listed[0]["items"] is None
    missing = api.get("/api/admin/orders/ZVR-20260101-DEADBEEF")
    assert (missing.status_code, missing.content) == (404, b'{"error":"not_found","message":"Order not found"}')


def test_s3_5_order_stats(api: Api) -> None:
    """§3.5: totals exclude CANCELLED/FAILED/EXPIRED; per-status counts; today_* by created date."""
    paid = api.order(amount=100000)
    api.pay(paid["order_code"])
    api.order(amount=50000)
    cancelled = api.order(amount=70000)
    api.client.post(f"/sandbox/orders/{cancelled['order_code']}/cancel")
    api.order(amount=30000, created_at=_ago(50))
    stats = api.get("/api/admin/orders/stats").json()
    assert stats == {
        "total_orders": 3,
        "total_revenue": 180000,
        "pending_orders": 2,
        "paid_orders": 1,
        "processing_orders": 0,
        "shipped_orders": 0,
        "delivered_orders": 0,
        "cancelled_orders": 1,
        "today_orders": 2,
        "today_revenue": 150000,
    }


def test_s3_6_payment_monitor(api: Api) -> None:
    """§3.6: pending/expiring windows, stuck_payments (order_payments.id, false-Z time), today_paid_*."""
    empty = api.get("/api/admin/dashboard/payments").json()
    assert empty["stuck_payments"] == [] and empty["method_performance"] == []
    stuck = api.order(amount=200000, method="mandiri_va", created_at=_ago(2))
    expiring = api.order(amount=50000, created_at=_ago(23.5))
    api.order(amount=10000)
    paid = api.order(amount=300000, method="qris")
    api.pay(paid["order_code"])
    monitor = api.get("/api/admin/dashboard/payments").json()
    assert list(monitor) == [
        "pending_count", "pending_amount", "expiring_soon_count", "expiring_soon_amount", "stuck_payments",
        "today_paid_count", "today_paid_amount", "method_performance",
    ]
    assert (monitor["pending_count"], monitor["pending_amount"]) == (3, 260000)
    assert (monitor["expiring_soon_count"], monitor["expiring_soon_amount"]) == (1, 50000)
    assert [s["order_code"] for s in monitor["stuck_payments"]] == [expiring["order_code"], stuck["order_code"]]
    first = next(s for s in monitor["stuck_payments"] if s["order_code"] == stuck["order_code"])
    assert list(first) == ["payment_id", "order_code", "payment_method", "bank", "amount", "created_at",
                           "hours_pending"]
    assert first["payment_id"] == stuck["payment_id"]
    assert (first["payment_method"], first["bank"], first["amount"]) == ("mandiri_va", "mandiri", 200000)
    assert first["created_at"] == _ago(2)[:10] + "T" + first["created_at"][11:19] + "Z"
    assert isinstance(first["hours_pending"], float) and first["hours_pending"] > 1
    assert (monitor["today_paid_count"], monitor["today_paid_amount"]) == (1, 300000)
    assert [m["method"] for m in monitor["method_performance"]] == ["qris"]
    assert monitor["method_performance"][0]["count"] == 1


def test_s3_6_stuck_payments_oldest_first(api: Api) -> None:
    """§3.6: stuck payments are oldest first; an order not PENDING is not stuck."""
    newer = api.order(created_at=_ago(3))
    older = api.order(created_at=_ago(5))
    cancelled = api.order(created_at=_ago(4))
    api.client.post(f"/sandbox/orders/{cancelled['order_code']}/cancel")
    stuck = api.get("/api/admin/dashboard/payments").json()["stuck_payments"]
    assert [s["order_code"] for s in stuck] == [older["order_code"], newer["order_code"]]


def test_s2_6_s11_confirm_payment_patch_marks_paid_without_sse(
    api: Api, open_stream: Callable[..., RawStream]
) -> None:
    """§2.6 item 2 / §11: PATCH status PAID → order PAID, order_payments PAID (same tx id), history row, no SSE."""
    stream = open_stream(api)
    order = api.order()
    response = api.patch(f"/api/admin/orders/{order['order_code']}/status",
                         json={"status": "PAID", "reason": "verified in Midtrans dashboard"})
    assert (response.status_code, response.content) == (200, b'{"message":"Order status updated"}')
    detail = api.detail(order["order_code"])
    assert detail["status"] == "PAID" and "paid_at" in detail
    assert detail["payment"]["status"] == "PAID"
    assert detail["payment"]["transaction_id"] == order["transaction_id"]
    history = api.inspect(order["order_code"])["order_status_history"]
    assert [(h["from_status"], h["to_status"], h["changed_by"], h["reason"]) for h in history] == [
        ("PENDING", "PAID", api.credentials["admin_email"], "verified in Midtrans dashboard")
    ]
    sentinel(api, stream)
    assert stream.notifications("payment_received") == []


def test_s11_status_patch_errors(api: Api) -> None:
    """§11: unknown order 400 update_failed; transitions enforced; binding errors 400 invalid_request."""
    order = api.order()
    unknown = api.patch("/api/admin/orders/ZVR-20260101-00000000/status", json={"status": "PAID"})
    assert (unknown.status_code, unknown.json()) == (400, {"error": "update_failed", "message": "order not found"})
    jump = api.patch(f"/api/admin/orders/{order['order_code']}/status", json={"status": "SHIPPED"})
    assert jump.json() == {
        "error": "update_failed", "message": "invalid status transition: cannot transition from PENDING to SHIPPED",
    }
    missing = api.patch(f"/api/admin/orders/{order['order_code']}/status", json={"reason": "x"})
    assert missing.status_code == 400
    assert missing.json()["message"] == (
        "Key: 'UpdateOrderStatusRequest.Status' Error:Field validation for 'Status' failed on the 'required' tag"
    )
    assert api.patch(f"/api/admin/orders/{order['order_code']}/status", json={"status": "EXPIRED"}).status_code == 200
    again = api.patch(f"/api/admin/orders/{order['order_code']}/status", json={"status": "PAID"})
    assert again.json()["message"] == "invalid status transition: cannot transition from EXPIRED to PAID"
    customer = api.patch(f"/api/admin/orders/{order['order_code']}/status", who="user", json={"status": "PAID"})
    assert customer.status_code == 403


def test_s9_timezone_setting_changes_wall_clock(
    start_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api],
    open_stream: Callable[..., RawStream],
) -> None:
    """§9: zone-less times are shop-local wall clock; the SSE offset is the shop's (UTC → ``Z``)."""
    api = make_api(start_sandbox(timezone="UTC"))
    stream = open_stream(api)
    assert b'"timestamp":"' in bytes(stream.body) and b'Z"}' in bytes(stream.body)
    order = api.order()
    utc_now = datetime.now(UTC).replace(tzinfo=None)
    created = datetime.strptime(order["created_at"], "%Y-%m-%d %H:%M:%S")
    assert abs((created - utc_now).total_seconds()) < 3600


# models.ValidOrderTransitions, transcribed from the backend (contract §3.3, §11).
VALID_TRANSITIONS = {
    "PENDING": {"PAID", "CANCELLED", "FAILED", "EXPIRED"},
    "PAID": {"PACKING", "CANCELLED"},
    "PACKING": {"SHIPPED", "CANCELLED"},
    "SHIPPED": {"DELIVERED"},
    "DELIVERED": {"COMPLETED", "REFUNDED"},
    "COMPLETED": {"REFUNDED"},
}
ALL_STATUSES = ("PENDING", "PAID", "PROCESSING", "SHIPPED", "DELIVERED", "CANCELLED", "FAILED", "PACKING",
                "REFUNDED", "EXPIRED", "COMPLETED", "MENUNGGU_PEMBAYARAN", "KADALUARSA")
PATHS = {  # PATCH steps from PENDING to each status the API can reach
    "PENDING": (), "PAID": ("PAID",), "PACKING": ("PAID", "PACKING"), "SHIPPED": ("PAID", "PACKING", "SHIPPED"),
    "DELIVERED": ("PAID", "PACKING", "SHIPPED", "DELIVERED"),
    "COMPLETED": ("PAID", "PACKING", "SHIPPED", "DELIVERED", "COMPLETED"),
    "REFUNDED": ("PAID", "PACKING", "SHIPPED", "DELIVERED", "REFUNDED"),
    "CANCELLED": ("CANCELLED",), "FAILED": ("FAILED",), "EXPIRED": ("EXPIRED",),
}


def _order_in(api: Api, sandbox: SandboxServer, status: str) -> str:
    code = api.order(notify=False)["order_code"]
    if status in PATHS:
        for step in PATHS[status]:
            assert api.patch(f"/api/admin/orders/{code}/status", json={"status": step}).status_code == 200
    else:  # statuses no API call writes (KADALUARSA comes from an on-access expiry the sandbox lacks)
        with sandbox.runtime.db.session() as session:
            order = order_by_code(session, code)
            assert order is not None
            order.status = status
            session.commit()
    return code


def test_s3_3_s11_patch_enforces_valid_order_transitions_exactly(api: Api, sandbox: SandboxServer) -> None:
    """§3.3/§11: every (from, to) pair: allowed ones → 200; all others → the exact refusal, nothing changed."""
    for current in ALL_STATUSES:
        code = _order_in(api, sandbox, current)
        for target in (*ALL_STATUSES, "paid"):
            if target in VALID_TRANSITIONS.get(current, set()):
                fresh = _order_in(api, sandbox, current)
                done = api.patch(f"/api/admin/orders/{fresh}/status", json={"status": target})
                assert (done.status_code, done.content) == (200, b'{"message":"Order status updated"}')
                assert api.detail(fresh)["status"] == target
                continue
            refused = api.patch(f"/api/admin/orders/{code}/status", json={"status": target})
            assert (refused.status_code, refused.json()) == (400, {
                "error": "update_failed",
                "message": f"invalid status transition: cannot transition from {current} to {target}",
            }), (current, target)
        assert api.detail(code)["status"] == current
