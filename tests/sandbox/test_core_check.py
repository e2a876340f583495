"""Contract §4.1: POST /api/payments/core/check — rate limit, short-circuits, Midtrans, the race."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx

from tests.sandbox.helpers import Api, RawStream, sentinel, wait_until


def test_s4_1_pending_payment_asks_midtrans(api: Api) -> None:
    """§4.1: a PENDING payment that Midtrans still has pending stays PENDING, Indonesian message."""
    order = api.order()
    requests_before = api.state()["midtrans"]["status_requests"]
    response = api.check(order["payment_id"])
    assert (response.status_code, response.content) == (
        200, f'{{"payment_id":{order["payment_id"]},"status":"PENDING","message":"Pembayaran belum diterima"}}'.encode()
    )
    assert api.state()["midtrans"]["status_requests"] == requests_before + 1


def test_s4_1_lost_webhook_found_by_check_with_empty_method(
    api: Api, open_stream: Callable[..., RawStream]
) -> None:
    """§4.1/§11: settled at Midtrans, webhook lost → check marks PAID, payment_received with "" method."""
    stream = open_stream(api)
    order = api.order(amount=150000)
    api.pay(order["order_code"], webhook="drop")
    assert api.detail(order["order_code"])["status"] == "PENDING"
    response = api.check(order["payment_id"], who="user")  # AuthMiddleware only: any user may check
    assert response.json() == {"payment_id": order["payment_id"], "status": "PAID", "message": "Pembayaran berhasil"}
    received = stream.wait_notification(lambda n: n["type"] == "payment_received", what="payment_received")
    assert received["data"] == {"amount": 150000, "order_code": order["order_code"], "payment_method": ""}
    assert received["message"] == f"Order #{order['order_code']} paid via  (Rp 150000)"
    detail = api.detail(order["order_code"])
    assert detail["status"] == "PAID" and detail["payment"]["status"] == "PAID"
    log = api.inspect(order["order_code"])["core_payment_sync_log"]
    assert [(r["sync_type"], r["sync_status"], r["local_payment_status"], r["gateway_status"], r["has_mismatch"],
             r["order_code"]) for r in log] == [("manual_check", "SYNCED", "PENDING", "settlement", True, "")]


def test_s4_1_rate_limit_per_user_and_payment(api: Api) -> None:
    """§4.1: one check per 5 s per (user, payment) → 429 rate_limited; other keys unaffected."""
    first, second = api.order(), api.order()
    assert api.check(first["payment_id"]).status_code == 200
    limited = api.check(first["payment_id"])
    assert (limited.status_code, limited.json()) == (
        429, {"error": "rate_limited", "message": "Silakan tunggu beberapa detik sebelum cek status lagi"}
    )
    assert api.check(second["payment_id"]).status_code == 200
    assert api.check(first["payment_id"], who="user").status_code == 200


def test_s4_1_request_errors(api: Api) -> None:
    """§4.1/§11: 404 payment_not_found; 400 with EOF / Go unmarshal text; 401 without a token."""
    missing = api.check(99999)
    assert (missing.status_code, missing.json()) == (
        404, {"error": "payment_not_found", "message": "Pembayaran tidak ditemukan"}
    )
    empty = api.post("/api/payments/core/check", who="admin", content=b"")
    assert (empty.status_code, empty.json()) == (400, {"error": "invalid_request", "message": "EOF"})
    typed = api.post("/api/payments/core/check", who="admin", json={"payment_id": "41"})
    assert typed.json()["message"] == (
        "json: cannot unmarshal string into Go struct field CheckPaymentStatusRequest.payment_id of type int"
    )
    zero = api.post("/api/payments/core/check", who="admin", json={"payment_id": 0})
    assert zero.json()["message"] == (
        "Key: 'CheckPaymentStatusRequest.PaymentID' Error:Field validation for 'PaymentID' failed on the 'required' tag"
    )
    anonymous = api.client.post("/api/payments/core/check", json={"payment_id": 1})
    assert anonymous.status_code == 401


def test_s4_1_cancelled_order_short_circuits_without_midtrans(api: Api) -> None:
    """§4.1 step 2: an admin-cancelled order answers CANCELLED without asking Midtrans."""
    order = api.order()
    api.client.post(f"/sandbox/orders/{order['order_code']}/cancel")
    before = api.state()["midtrans"]["status_requests"]
    response = api.check(order["payment_id"])
    assert response.json() == {
        "payment_id": order["payment_id"],
        "status": "CANCELLED",
        "message": "Pesanan telah dibatalkan oleh admin. Silakan hubungi customer service untuk informasi "
                   "lebih lanjut.",
    }
    assert api.state()["midtrans"]["status_requests"] == before


def test_s4_1_final_payment_returns_db_value(api: Api) -> None:
    """§4.1 step 3: a final payment row is answered from the DB, Midtrans not asked."""
    order = api.order()
    api.pay(order["order_code"])
    before = api.state()["midtrans"]["status_requests"]
    assert api.check(order["payment_id"]).json()["status"] == "PAID"
    assert api.state()["midtrans"]["status_requests"] == before


def test_s4_1_midtrans_errors_are_swallowed(api: Api) -> None:
    """§4.1 step 4: any Midtrans failure answers 200 with the stored PENDING; nothing changes."""
    order = api.order()
    api.pay(order["order_code"], webhook="drop")
    api.faults(fail={"prefix": "/midtrans/", "status": 503, "count": 1, "body": "<html>busy</html>",
                     "content_type": "text/html"})
    response = api.check(order["payment_id"])
    assert response.json()["status"] == "PENDING"
    assert api.detail(order["order_code"])["status"] == "PENDING"
    assert api.inspect(order["order_code"])["core_payment_sync_log"] == []


def test_s4_1_expired_at_midtrans_notifies_payment_expired(
    api: Api, open_stream: Callable[..., RawStream]
) -> None:
    """§4.1 step 6: Midtrans ``expire`` → payment and order EXPIRED, ``payment_expired`` broadcast."""
    stream = open_stream(api)
    order = api.order()
    api.client.post(f"/sandbox/orders/{order['order_code']}/expire", json={"webhook": "drop"})
    response = api.check(order["payment_id"])
    assert response.json()["message"] == "Pembayaran telah kadaluarsa"
    expired = stream.wait_notification(lambda n: n["type"] == "payment_expired", what="payment_expired")
    assert expired["message"] == f"Order #{order['order_code']} payment has expired"
    assert expired["severity"] == "warning" and expired["title"] == "⏰ Payment Expired"
    assert api.detail(order["order_code"])["status"] == "EXPIRED"


def test_s4_1_race_with_webhook_gives_second_payment_received(
    api: Api, open_stream: Callable[..., RawStream]
) -> None:
    """§4.1 "Race"/§10.9: a check that read PENDING before the webhook committed notifies a second time."""
    stream = open_stream(api)
    order = api.order()
    api.faults(midtrans_delay_ms=1000)
    result: dict[str, httpx.Response] = {}
    token = api.token()

    def check() -> None:
        with httpx.Client(base_url=api.url, trust_env=False, timeout=10) as client:
            result["check"] = client.post("/api/payments/core/check", json={"payment_id": order["payment_id"]},
                                          headers={"Authorization": f"Bearer {token}"})

    thread = threading.Thread(target=check)
    thread.start()
    wait_until(lambda: api.state()["midtrans"]["in_flight"] == 1, what="the check to be waiting on Midtrans")
    paid = api.pay(order["order_code"])  # the webhook commits while the check is still waiting
    assert paid["webhook_responses"] == [{"status": "ok"}]
    thread.join(10)
    assert result["check"].json()["status"] == "PAID"
    stream.wait(lambda s: len(s.notifications("payment_received")) >= 2, what="two payment_received")
    first, second = stream.notifications("payment_received")
    assert first["data"]["order_code"] == second["data"]["order_code"] == order["order_code"]
    assert (first["data"]["payment_method"], second["data"]["payment_method"]) == ("bca_va", "")
    assert first["id"] != second["id"]
    sentinel(api, stream)
    assert len(stream.notifications("payment_received")) == 2
