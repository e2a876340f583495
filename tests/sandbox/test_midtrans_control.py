"""The Midtrans simulator's status control (docs/sandbox.md) and what the backend does with each status:
§4.1 steps 5–6 (/core/check), §5.6 (a replayed non-settlement webhook), §6 call 2 (the status answer)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import httpx

from tests.sandbox.conftest import SERVER_KEY
from tests.sandbox.helpers import Api, RawStream, force_midtrans, sentinel

STRING_FIELDS = ("transaction_time", "transaction_status", "transaction_id", "status_message", "status_code",
                 "signature_key", "payment_type", "order_id", "merchant_id", "gross_amount", "fraud_status",
                 "currency", "expiry_time")


def _status(api: Api, key: str, server_key: str | None = SERVER_KEY) -> httpx.Response:
    auth = httpx.BasicAuth(server_key, "") if server_key is not None else None
    return api.client.get(f"/midtrans/v2/{key}/status", auth=auth)


def test_s6_status_answer_has_every_string_field_and_a_valid_signature(api: Api) -> None:
    """§6 call 2/§5.2–5.3: all Midtrans string fields, va_numbers for a VA, signature_key as for notifications."""
    order = api.order(amount=150000, method="bni_va")
    body = _status(api, order["transaction_id"]).json()  # by transaction id, as Midtrans allows
    assert all(isinstance(body[name], str) for name in STRING_FIELDS)
    assert body["va_numbers"] == [{"bank": "bni", "va_number": order["va_number"]}]
    assert "settlement_time" not in body
    expected = hashlib.sha512(
        (body["order_id"] + body["status_code"] + body["gross_amount"] + SERVER_KEY).encode()
    ).hexdigest()
    assert body["signature_key"] == expected
    settled = force_midtrans(api, "settlement", order_code=order["order_code"])["midtrans"]
    assert settled["settlement_time"] >= settled["transaction_time"]
    assert _status(api, order["midtrans_order_id"]).json() == settled


def test_s6_status_auth_and_unknown_id_bodies(api: Api) -> None:
    """§6: a wrong or missing server key → 401 Midtrans body; an unknown id → 404 "Transaction doesn't exist."."""
    order = api.order()
    for key in ("SB-Mid-server-wrong", None):
        denied = _status(api, order["midtrans_order_id"], server_key=key)
        assert denied.status_code == 401
        body = denied.json()
        assert (body["status_code"], body["status_message"]) == ("401", "Unknown Merchant server_key/id")
    unknown = _status(api, order["order_code"])  # the bare order code is no Midtrans id
    assert (unknown.status_code, unknown.json()["status_message"]) == (404, "Transaction doesn't exist.")


def test_control_status_is_set_without_any_webhook(api: Api) -> None:
    """POST /sandbox/midtrans/status: only Midtrans' view changes; no notification reaches the shop."""
    order = api.order()
    answer = force_midtrans(api, "deny", midtrans_order_id=order["midtrans_order_id"], fraud_status="deny")
    assert answer["previous_status"] == "pending"
    assert (answer["midtrans"]["transaction_status"], answer["midtrans"]["status_code"]) == ("deny", "202")
    assert answer["midtrans"]["fraud_status"] == "deny"
    state = api.state()
    assert state["webhooks_received"] == {"core": {}, "snap": {}}
    assert api.inspect(order["order_code"])["order_payments"][0]["payment_status"] == "PENDING"
    codes = {status: force_midtrans(api, status, transaction_id=order["transaction_id"])["midtrans"]["status_code"]
             for status in ("pending", "expire", "cancel", "refund", "failure", "settlement")}
    assert codes == {"pending": "201", "expire": "407", "cancel": "200", "refund": "200", "failure": "202",
                     "settlement": "200"}
    challenged = force_midtrans(api, "capture", order_code=order["order_code"], fraud_status="challenge")
    assert challenged["midtrans"]["status_code"] == "201"


def test_control_status_validation(api: Api) -> None:
    """Exactly one locator, a known status and fraud_status; unknown ids 404; an order without Core VA 409."""
    order = api.order()
    bodies = (
        {"transaction_status": "deny"},
        {"transaction_status": "deny", "order_code": order["order_code"], "transaction_id": order["transaction_id"]},
        {"transaction_status": "chargeback", "order_code": order["order_code"]},
        {"transaction_status": "capture", "order_code": order["order_code"], "fraud_status": "maybe"},
    )
    for body in bodies:
        assert api.client.post("/sandbox/midtrans/status", json=body).status_code == 400, body
    unknown = api.client.post("/sandbox/midtrans/status", json={"transaction_status": "deny",
                                                                 "transaction_id": "no-such-id"})
    assert unknown.status_code == 404
    snap_only = api.order(payment="snap")
    conflict = api.client.post("/sandbox/midtrans/status", json={"transaction_status": "deny",
                                                                  "order_code": snap_only["order_code"]})
    assert conflict.status_code == 409


def test_s4_1_forced_deny_check_answers_failed_order_stays_pending(
    api: Api, open_stream: Callable[..., RawStream]
) -> None:
    """§4.1 steps 5–6: deny → FAILED on order_payments only, order PENDING, no SSE, a manual_check log row."""
    stream = open_stream(api)
    order = api.order()
    force_midtrans(api, "deny", order_code=order["order_code"])
    response = api.check(order["payment_id"])
    assert response.json() == {"payment_id": order["payment_id"], "status": "FAILED", "message": "Pembayaran gagal"}
    detail = api.detail(order["order_code"])
    assert (detail["status"], detail["payment"]["status"]) == ("PENDING", "FAILED")
    log = api.inspect(order["order_code"])["core_payment_sync_log"]
    assert [(r["sync_type"], r["gateway_status"], r["local_payment_status"]) for r in log] == [
        ("manual_check", "deny", "PENDING")
    ]
    sentinel(api, stream)
    assert [n for n in stream.notifications() if n["type"].startswith("payment_")] == []


def test_s4_1_forced_cancel_and_failure(api: Api) -> None:
    """§4.1: cancel → CANCELLED, failure → FAILED; both on the payment row only."""
    cancelled, failed = api.order(), api.order()
    force_midtrans(api, "cancel", order_code=cancelled["order_code"])
    force_midtrans(api, "failure", order_code=failed["order_code"])
    assert api.check(cancelled["payment_id"]).json()["message"] == "Pembayaran dibatalkan"
    assert api.check(failed["payment_id"]).json()["status"] == "FAILED"
    for order, payment_status in ((cancelled, "CANCELLED"), (failed, "FAILED")):
        detail = api.detail(order["order_code"])
        assert (detail["status"], detail["payment"]["status"]) == ("PENDING", payment_status)


def test_s4_1_forced_expire_notifies_payment_expired(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§4.1 step 6: expire → payment and order EXPIRED, one payment_expired broadcast."""
    stream = open_stream(api)
    order = api.order()
    force_midtrans(api, "expire", order_code=order["order_code"])
    assert api.check(order["payment_id"]).json()["status"] == "EXPIRED"
    expired = stream.wait_notification(lambda n: n["type"] == "payment_expired", what="payment_expired")
    assert expired["data"] == {"order_code": order["order_code"]}
    detail = api.detail(order["order_code"])
    assert (detail["status"], detail["payment"]["status"]) == ("EXPIRED", "EXPIRED")


def test_s4_1_refund_and_challenged_capture(api: Api) -> None:
    """§4.1 step 5: refund maps to PENDING (nothing changes); capture is PAID whatever fraud_status says."""
    refunded, challenged = api.order(), api.order()
    force_midtrans(api, "refund", order_code=refunded["order_code"])
    force_midtrans(api, "capture", order_code=challenged["order_code"], fraud_status="challenge")
    assert api.check(refunded["payment_id"]).json()["status"] == "PENDING"
    assert api.inspect(refunded["order_code"])["core_payment_sync_log"] == []
    assert api.check(challenged["payment_id"]).json()["status"] == "PAID"
    assert api.detail(challenged["order_code"])["status"] == "PAID"


def test_s5_6_replayed_cancel_and_deny_webhooks(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§5.6: a replayed ``cancel``/``deny`` notification → CANCELLED/FAILED payment, order untouched, no SSE."""
    stream = open_stream(api)
    cancel, deny = api.order(), api.order()
    force_midtrans(api, "cancel", order_code=cancel["order_code"])
    force_midtrans(api, "deny", order_code=deny["order_code"])
    for order in (cancel, deny):
        replay = api.client.post("/sandbox/midtrans/notify", json={"order_code": order["order_code"]}).json()
        assert replay["webhook"] == "core" and replay["webhook_responses"] == [{"status": "ok"}]
    assert api.detail(cancel["order_code"])["payment"]["status"] == "CANCELLED"
    assert api.detail(deny["order_code"])["payment"]["status"] == "FAILED"
    assert {api.detail(o["order_code"])["status"] for o in (cancel, deny)} == {"PENDING"}
    state = api.state()
    assert state["webhooks"]["replayed"] == 2 and state["webhooks_received"]["core"] == {"ok": 2}
    sentinel(api, stream)
    assert [n for n in stream.notifications() if n["type"].startswith("payment_")] == []


def test_s5_7_replay_to_the_snap_route(api: Api) -> None:
    """§5.7: the same deny replayed to the Snap route creates a FAILED Snap row and fails the PENDING order."""
    order = api.order()
    force_midtrans(api, "deny", order_code=order["order_code"])
    replay = api.client.post("/sandbox/midtrans/notify", json={"order_code": order["order_code"], "webhook": "snap"})
    assert replay.json()["webhook_responses"] == [{"message": "Webhook processed successfully", "status": "ok"}]
    view = api.inspect(order["order_code"])
    assert view["order"]["status"] == "FAILED" and view["payments"][0]["status"] == "FAILED"
    assert view["order_payments"][0]["payment_status"] == "PENDING"
    assert api.state()["webhooks_received"]["snap"] == {"ok": 1}
