"""Contract §5: the Core webhook (always HTTP 200) and the Snap webhook (no SSE, ever)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.sandbox.conftest import SERVER_KEY
from tests.sandbox.helpers import Api, RawStream, sentinel

CORE_ROUTES = ("/api/webhook/midtrans/core", "/api/payments/core/webhook")


def _notification(order: dict[str, Any], status: str = "settlement", status_code: str = "200",
                  key: str = SERVER_KEY, **overrides: str) -> dict[str, Any]:
    body = {
        "transaction_time": "2026-01-22 10:00:00",
        "transaction_status": status,
        "transaction_id": order["transaction_id"],
        "status_message": "midtrans payment notification",
        "status_code": status_code,
        "payment_type": "bank_transfer",
        "order_id": order["midtrans_order_id"],
        "merchant_id": "G141532850",
        "gross_amount": f"{int(order['amount'])}.00",
        "fraud_status": "accept",
        "currency": "IDR",
        "va_numbers": [{"bank": "bca", "va_number": order["va_number"]}],
    }
    body.update(overrides)
    raw = body["order_id"] + body["status_code"] + body["gross_amount"] + key
    body["signature_key"] = hashlib.sha512(raw.encode()).hexdigest()
    return body


def _ago(hours: float) -> str:
    now = datetime.now(UTC) + timedelta(hours=7)
    return (now - timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M:%S")


def test_s5_6_settlement_marks_paid_and_notifies(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§5.3–5.6: a valid signed settlement → ok, order and payment PAID, payment_received with the Core method."""
    stream = open_stream(api)
    order = api.order(amount=717000, method="bca_va")
    response = api.client.post(CORE_ROUTES[0], json=_notification(order))
    assert (response.status_code, response.content) == (200, b'{"status":"ok"}')
    received = stream.wait_notification(lambda n: n["type"] == "payment_received", what="payment_received")
    assert received["data"] == {"amount": 717000, "order_code": order["order_code"], "payment_method": "bca_va"}
    assert received["message"] == f"Order #{order['order_code']} paid via bca_va (Rp 717000)"
    detail = api.detail(order["order_code"])
    assert detail["status"] == "PAID" and detail["payment"]["status"] == "PAID"
    log = api.inspect(order["order_code"])["core_payment_sync_log"]
    assert [(r["sync_type"], r["local_payment_status"], r["local_order_status"], r["gateway_status"],
             r["has_mismatch"], r["order_code"]) for r in log] == [
        ("webhook", "PENDING", "PENDING", "settlement", False, order["order_code"])
    ]


def test_s5_5_invalid_signature_and_bad_bodies_still_200(api: Api) -> None:
    """§5.3/§5.5/§11: bad signature, unparsable JSON, null body, wrong types — HTTP 200, sorted error bodies."""
    order = api.order()
    for route in CORE_ROUTES:
        bad = api.client.post(route, json=_notification(order, key="not-the-key"))
        assert (bad.status_code, bad.content) == (200, b'{"message":"invalid webhook signature","status":"error"}')
        garbage = api.client.post(route, content=b"{not json")
        assert (garbage.status_code, garbage.content) == (200, b'{"message":"Invalid request format","status":"error"}')
        null = api.client.post(route, content=b"null")
        assert null.json() == {"message": "invalid webhook signature", "status": "error"}
        typed = api.client.post(route, json=_notification(order) | {"gross_amount": 150000})
        assert typed.json() == {"message": "Invalid request format", "status": "error"}
    assert api.detail(order["order_code"])["status"] == "PENDING"
    assert api.inspect(order["order_code"])["core_payment_sync_log"] == []


def test_s5_4_s5_5_unknown_order_and_extract_order_code(api: Api) -> None:
    """§5.4/§5.5: the order code is the first three ``-`` parts; an unknown one → "order not found: …"."""
    order = api.order()
    ghost = dict(order, midtrans_order_id="ZVR-20260101-ABCDEF01-1769050000-a1b2")
    response = api.client.post(CORE_ROUTES[1], json=_notification(ghost))
    assert response.json() == {"message": "order not found: ZVR-20260101-ABCDEF01", "status": "error"}
    # Any suffix works: the handler uses the order's latest payment, not the notification's order_id.
    other_suffix = dict(order, midtrans_order_id=f"{order['order_code']}-1-ffff")
    assert api.client.post(CORE_ROUTES[1], json=_notification(other_suffix)).json() == {"status": "ok"}
    assert api.detail(order["order_code"])["status"] == "PAID"


def test_s5_6_duplicate_settlement_is_skipped(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§5.6 idempotency: the same settlement twice → both ok, one update, one payment_received, one log row."""
    stream = open_stream(api)
    order = api.order()
    paid = api.pay(order["order_code"], webhook="duplicate")
    assert paid["webhook_responses"] == [{"status": "ok"}, {"status": "ok"}]
    sentinel(api, stream)
    assert len(stream.notifications("payment_received")) == 1
    assert len(api.inspect(order["order_code"])["core_payment_sync_log"]) == 1
    assert api.state()["webhooks"]["duplicated"] == 1


def test_s5_6_late_settlement_of_expired_order_pays_it(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§3.3/§9/§10.4: the 24 h expiry job sets EXPIRED (payment stays PENDING); a late settlement → PAID + SSE."""
    stream = open_stream(api)
    order = api.order(created_at=_ago(25))
    assert api.client.post("/sandbox/jobs/order-expiry").json() == {"expired": 1}
    expired = api.detail(order["order_code"])
    assert (expired["status"], expired["payment"]["status"]) == ("EXPIRED", "PENDING")
    history = api.inspect(order["order_code"])["order_status_history"]
    assert [(h["from_status"], h["to_status"], h["changed_by"]) for h in history] == [
        ("PENDING", "EXPIRED", "order_expiry_job")
    ]
    api.pay(order["order_code"])
    received = stream.wait_notification(lambda n: n["type"] == "payment_received", what="late payment_received")
    assert received["data"]["order_code"] == order["order_code"]
    assert api.detail(order["order_code"])["status"] == "PAID"


def test_s3_3_settlement_pays_a_cancelled_order(api: Api) -> None:
    """§3.3: admin force-cancel leaves order_payments PENDING, so a settlement still makes the order PAID."""
    order = api.order()
    cancelled = api.client.post(f"/sandbox/orders/{order['order_code']}/cancel").json()
    assert cancelled["status"] == "CANCELLED"
    assert api.detail(order["order_code"])["payment"]["status"] == "PENDING"
    api.pay(order["order_code"])
    assert api.detail(order["order_code"])["status"] == "PAID"


def test_s2_6_late_settlement_after_final_row_is_dropped(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§2.6 item 7: the latest row already final (EXPIRED) → ``ok``, nothing updated, no SSE, no log row."""
    stream = open_stream(api)
    order = api.order()
    api.client.post(f"/sandbox/orders/{order['order_code']}/expire")
    expired = stream.wait_notification(lambda n: n["type"] == "payment_expired", what="payment_expired")
    assert expired["data"] == {"order_code": order["order_code"]}
    assert api.detail(order["order_code"])["status"] == "EXPIRED"
    late = api.client.post(CORE_ROUTES[0], json=_notification(order))
    assert late.json() == {"status": "ok"}
    sentinel(api, stream)
    assert stream.notifications("payment_received") == []
    assert api.detail(order["order_code"])["status"] == "EXPIRED"
    assert [r["gateway_status"] for r in api.inspect(order["order_code"])["core_payment_sync_log"]] == ["expire"]


def test_s5_6_cancel_deny_pending_touch_only_the_payment(
    api: Api, open_stream: Callable[..., RawStream]
) -> None:
    """§5.6 table: cancel → CANCELLED, deny → FAILED (payment row only); pending → nothing but a log row."""
    stream = open_stream(api)
    cancel, deny, pending = api.order(), api.order(), api.order()
    assert api.client.post(CORE_ROUTES[0], json=_notification(cancel, "cancel")).json() == {"status": "ok"}
    assert api.client.post(CORE_ROUTES[0], json=_notification(deny, "deny", "202")).json() == {"status": "ok"}
    assert api.client.post(CORE_ROUTES[0], json=_notification(pending, "pending", "201")).json() == {"status": "ok"}
    for order, payment_status in ((cancel, "CANCELLED"), (deny, "FAILED"), (pending, "PENDING")):
        detail = api.detail(order["order_code"])
        assert (detail["status"], detail["payment"]["status"]) == ("PENDING", payment_status)
        assert len(api.inspect(order["order_code"])["core_payment_sync_log"]) == 1
    sentinel(api, stream)
    assert stream.notifications("payment_received") == [] and stream.notifications("payment_expired") == []


def test_s5_7_snap_route_marks_paid_without_sse(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§2.6 item 1/§5.7: a Core settlement misrouted to the Snap route → PAID, payments row, no SSE."""
    stream = open_stream(api)
    order = api.order(amount=150000)
    paid = api.pay(order["order_code"], webhook="snap")
    assert paid["webhook_responses"] == [{"message": "Webhook processed successfully", "status": "ok"}]
    detail = api.detail(order["order_code"])
    assert detail["status"] == "PAID" and "paid_at" in detail
    assert detail["payment"]["status"] == "PENDING"  # the Core row is untouched (§10.13)
    snap = api.inspect(order["order_code"])["payments"]
    assert [(p["status"], p["payment_method"], p["payment_provider"], p["transaction_id"]) for p in snap] == [
        ("SUCCESS", "bank_transfer", "midtrans", order["transaction_id"])
    ]
    history = api.inspect(order["order_code"])["order_status_history"]
    assert [(h["to_status"], h["changed_by"], h["reason"]) for h in history] == [("PAID", "webhook", "Payment success")]
    sentinel(api, stream)
    assert stream.notifications("payment_received") == []


def test_s5_7_snap_errors_and_non_pending_orders(api: Api) -> None:
    """§5.5/§5.7: 400 for unparsable JSON; bad signature 200 error; SUCCESS ignored for a non-PENDING order."""
    garbage = api.client.post("/api/payments/webhook", content=b"[1,2]")
    assert garbage.status_code == 400
    assert garbage.json() == {
        "error": "invalid_request",
        "message": "json: cannot unmarshal array into Go value of type dto.MidtransNotification",
    }
    order = api.order()
    bad = api.client.post("/api/midtrans/webhook", json=_notification(order, key="x"))
    assert (bad.status_code, bad.json()) == (200, {"message": "invalid webhook signature", "status": "error"})
    api.client.post("/sandbox/orders/" + order["order_code"] + "/cancel")
    ignored = api.client.post("/api/payment/callback", json=_notification(order))
    assert ignored.json() == {"message": "Webhook processed successfully", "status": "ok"}
    assert api.detail(order["order_code"])["status"] == "CANCELLED"
