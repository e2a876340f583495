"""The Midtrans simulator: status API (contract §6 call 2), notification signing (§5.2–5.3)."""

from __future__ import annotations

import hashlib
import re

import httpx

from tests.sandbox.conftest import SERVER_KEY
from tests.sandbox.helpers import Api
from zavera_desktop.sandbox.midtrans import signature

MIDTRANS_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _status(api: Api, key: str, server_key: str | None = SERVER_KEY) -> httpx.Response:
    auth = httpx.BasicAuth(server_key, "") if server_key is not None else None
    return api.client.get(f"/midtrans/v2/{key}/status", auth=auth)


def test_s6_status_by_order_id_and_transaction_id(api: Api) -> None:
    """§6: GET /v2/{id}/status finds a transaction by Midtrans order id or transaction id; string fields."""
    order = api.order(amount=150000.5, method="bca_va")
    by_order = _status(api, order["midtrans_order_id"])
    by_tx = _status(api, order["transaction_id"])
    assert by_order.status_code == by_tx.status_code == 200
    body = by_order.json()
    assert body == by_tx.json()
    assert body["status_code"] == "201" and body["transaction_status"] == "pending"
    assert body["gross_amount"] == "150000.00"  # the backend charges int64(total)
    assert (body["currency"], body["payment_type"], body["fraud_status"]) == ("IDR", "bank_transfer", "accept")
    assert body["va_numbers"] == [{"bank": "bca", "va_number": order["va_number"]}]
    assert body["order_id"] == order["midtrans_order_id"] and body["transaction_id"] == order["transaction_id"]
    assert MIDTRANS_TIME.fullmatch(body["transaction_time"]) and MIDTRANS_TIME.fullmatch(body["expiry_time"])
    assert all(isinstance(value, str) for key, value in body.items() if key != "va_numbers")
    assert re.fullmatch(rf"{order['order_code']}-\d{{10}}-[0-9a-f]{{4}}", order["midtrans_order_id"])

    api.pay(order["order_code"], webhook="drop")
    settled = _status(api, order["midtrans_order_id"]).json()
    assert (settled["status_code"], settled["transaction_status"]) == ("200", "settlement")
    assert MIDTRANS_TIME.fullmatch(settled["settlement_time"])


def test_s6_status_auth_and_unknown_id(api: Api) -> None:
    """§6: Basic auth with the server key (401 otherwise); unknown id → 404 with Midtrans' body."""
    order = api.order()
    for key in ("wrong-key", None):
        denied = _status(api, order["midtrans_order_id"], server_key=key)
        assert denied.status_code == 401 and denied.json()["status_code"] == "401"
    unknown = _status(api, "ZVR-20260101-00000000-1-abcd")
    assert unknown.status_code == 404
    body = unknown.json()
    assert list(body) == ["status_code", "status_message", "id"]
    assert (body["status_code"], body["status_message"]) == ("404", "Transaction doesn't exist.")
    assert re.fullmatch(r"[0-9a-f-]{36}", body["id"])


def test_s6_payment_types_per_method(api: Api) -> None:
    """§6 call 1: payment_type per method; Permata/Mandiri/QRIS fields; what order_payments stores."""
    expected = {
        "bri_va": "bank_transfer", "bni_va": "bank_transfer", "permata_va": "bank_transfer",
        "mandiri_va": "echannel", "qris": "qris", "gopay": "gopay",
    }
    for method, payment_type in expected.items():
        order = api.order(method=method)
        body = _status(api, order["transaction_id"]).json()
        assert body["payment_type"] == payment_type, method
        if method == "permata_va":
            assert body["permata_va_number"] == order["va_number"]
        if method == "mandiri_va":
            assert body["biller_code"] + body["bill_key"] == order["va_number"]
        if method == "qris":
            assert order["va_number"] == order["transaction_id"]
        if method == "gopay":
            assert order["va_number"].startswith("https://")
        assert api.detail(order["order_code"])["payment"]["payment_provider"] == method.removesuffix("_va")


def test_s5_3_signature_is_sha512_of_plain_concatenation() -> None:
    """§5.3: lowercase hex SHA-512 of order_id + status_code + gross_amount + server key."""
    expected = hashlib.sha512(b"ZVR-20260122-26A6A050-1769050000-a1b2200150000.00SB-Mid-server-x").hexdigest()
    assert signature("ZVR-20260122-26A6A050-1769050000-a1b2", "200", "150000.00", "SB-Mid-server-x") == expected


def test_s5_2_delivered_notification_is_midtrans_shaped(api: Api) -> None:
    """§5.2: the simulator's notification is accepted by the Core webhook (string fields, valid signature)."""
    order = api.order(method="permata_va")
    paid = api.pay(order["order_code"])
    assert paid["transaction_status"] == "settlement" and paid["webhook_responses"] == [{"status": "ok"}]
    assert api.detail(order["order_code"])["payment"]["payment_method"] == "permata_va"
