"""The sandbox control API (/sandbox/*): orders, payments, expiry, cancel, state (docs/sandbox.md)."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.sandbox.helpers import Api, RawStream, sentinel, wait_until


def test_control_create_order_response(api: Api) -> None:
    """POST /sandbox/orders → a PENDING order with a pending Core payment (contract §9 code format)."""
    order = api.order(amount=150000, method="gopay", customer_name="Ayu Kusuma", customer_email="ayu@example.com")
    assert list(order)[:8] == [
        "order_code", "order_id", "payment_id", "midtrans_order_id", "transaction_id", "amount", "status", "created_at",
    ]
    assert re.fullmatch(r"ZVR-\d{8}-[0-9A-F]{8}", order["order_code"])
    assert (order["amount"], order["status"]) == (150000, "PENDING")
    detail = api.detail(order["order_code"])
    assert (detail["customer_name"], detail["customer_email"]) == ("Ayu Kusuma", "ayu@example.com")
    assert detail["payment"]["id"] == order["payment_id"] and detail["id"] == order["order_id"]


def test_control_create_order_validation(api: Api) -> None:
    """Bad control input is a 400 with a readable message, and creates nothing."""
    for body in ({"method": "credit_card"}, {"amount": "lots"}, {"amount": -5}, {"created_at": "yesterday"},
                 {"notify": "yes"}):
        response = api.client.post("/sandbox/orders", json=body)
        assert response.status_code == 400, body
        assert response.json()["error"] in ("invalid_request", "invalid_payment_method")
    assert api.client.post("/sandbox/orders", content=b"{oops").status_code == 400
    assert sum(api.state()["orders"].values()) == 0


def test_control_notify_false_is_silent(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """``notify: false`` creates the order without the ``order_created`` broadcast."""
    stream = open_stream(api)
    quiet = api.order(notify=False)
    loud = api.order()
    sentinel(api, stream)
    codes = [n["data"]["order_code"] for n in stream.notifications("order_created")]
    assert codes == [loud["order_code"]] and quiet["order_code"] not in codes


def test_control_pay_modes(api: Api) -> None:
    """pay: drop leaves the backend PENDING; delay_ms answers at once and delivers later; bad mode 400."""
    dropped = api.order()
    result = api.pay(dropped["order_code"], webhook="drop")
    assert result["webhook_responses"] == [] and result["transaction_status"] == "settlement"
    assert api.detail(dropped["order_code"])["status"] == "PENDING"
    delayed = api.order()
    scheduled = api.pay(delayed["order_code"], delay_ms=300)
    assert scheduled["webhook_scheduled_ms"] == 300 and "webhook_responses" not in scheduled
    wait_until(lambda: api.detail(delayed["order_code"])["status"] == "PAID", what="delayed webhook")
    again = api.client.post(f"/sandbox/orders/{delayed['order_code']}/pay", json={})
    assert again.status_code == 409
    assert api.client.post(f"/sandbox/orders/{api.order()['order_code']}/pay", json={"webhook": "x"}).status_code == 400
    assert api.client.post("/sandbox/orders/ZVR-20260101-00000000/pay", json={}).status_code == 404
    webhooks = api.state()["webhooks"]
    assert (webhooks["delivered"], webhooks["dropped"]) == (1, 1)


def test_control_expire_and_cancel(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """expire: Midtrans expire → Core webhook ``expire`` (EXPIRED + payment_expired); cancel: admin force-cancel."""
    stream = open_stream(api)
    order = api.order()
    expired = api.client.post(f"/sandbox/orders/{order['order_code']}/expire").json()
    assert expired["transaction_status"] == "expire" and expired["webhook_responses"] == [{"status": "ok"}]
    stream.wait_notification(lambda n: n["type"] == "payment_expired", what="payment_expired")
    detail = api.detail(order["order_code"])
    assert (detail["status"], detail["payment"]["status"]) == ("EXPIRED", "EXPIRED")
    other = api.order()
    cancelled = api.client.post(f"/sandbox/orders/{other['order_code']}/cancel", json={"reason": "stock habis"})
    assert cancelled.json()["status"] == "CANCELLED"
    detail = api.detail(other["order_code"])
    assert (detail["status"], detail["payment"]["status"]) == ("CANCELLED", "PENDING")
    assert api.client.post(f"/sandbox/orders/{other['order_code']}/cancel").status_code == 409


def test_control_state_counts(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """GET /sandbox/state: orders by status, stream clients, webhook and notification counters."""
    open_stream(api)
    paid, _pending = api.order(), api.order()
    api.pay(paid["order_code"], webhook="snap")
    state = api.state()
    assert list(state)[:4] == ["orders", "stream_clients", "webhooks", "notifications"]
    assert (state["orders"]["PAID"], state["orders"]["PENDING"], state["orders"]["EXPIRED"]) == (1, 1, 0)
    assert state["stream_clients"] == 1
    assert state["webhooks"]["snap"] == 1
    assert state["notifications"]["order_created"] == 2
    assert "payment_received" not in state["notifications"]


def test_control_inspect_order(api: Api) -> None:
    """GET /sandbox/orders/{code}: every backend row about the order, plus Midtrans' view."""
    order = api.order()
    api.pay(order["order_code"])
    view = api.inspect(order["order_code"])
    assert set(view) == {"order", "order_payments", "payments", "order_status_history", "core_payment_sync_log",
                         "payment_sync_log", "admin_audit_log", "midtrans"}
    assert view["order"]["status"] == "PAID"
    assert view["order_payments"][0]["midtrans_order_id"] == order["midtrans_order_id"]
    assert view["midtrans"][0]["transaction_status"] == "settlement"
    assert api.client.get("/sandbox/orders/ZVR-20260101-00000000").status_code == 404


def test_control_snap_and_paymentless_orders(api: Api) -> None:
    """payment "snap": the legacy InitiatePayment row (§5.7, §7.3); "none": no payment; ids named apart."""
    snap = api.order(payment="snap", amount=175000)
    assert list(snap) == ["order_code", "order_id", "snap_payment_id", "snap_order_id", "amount", "status",
                          "created_at", "payment"]
    assert re.fullmatch(rf"{snap['order_code']}-\d{{10}}", snap["snap_order_id"])
    assert api.detail(snap["order_code"])["payment"] == {
        "id": snap["snap_payment_id"], "status": "PENDING", "payment_method": "midtrans",
        "payment_provider": "midtrans_snap", "amount": 175000,
    }
    # No Midtrans transaction until the customer picks a method in the Snap popup.
    unknown = api.client.get(f"/midtrans/v2/{snap['snap_order_id']}/status", auth=(api.credentials["server_key"], ""))
    assert unknown.status_code == 404
    bare = api.order(payment="none")
    assert "payment" not in api.detail(bare["order_code"]) and "payment_id" not in bare
    assert api.client.post("/sandbox/orders", json={"payment": "cod"}).status_code == 400


def test_control_snap_payment_on_an_existing_order(api: Api) -> None:
    """POST /sandbox/orders/{code}/snap-payment: "Pay now" adds (or reuses) a Snap row; refused once paid."""
    order = api.order()
    first = api.client.post(f"/sandbox/orders/{order['order_code']}/snap-payment").json()
    again = api.client.post(f"/sandbox/orders/{order['order_code']}/snap-payment").json()
    assert first["snap_payment_id"] == again["snap_payment_id"] and first["status"] == "PENDING"
    view = api.inspect(order["order_code"])
    assert len(view["payments"]) == 1 and len(view["order_payments"]) == 1
    assert api.detail(order["order_code"])["payment"]["id"] == order["payment_id"]  # Core row first (§3.2)
    api.pay(order["order_code"])
    assert api.client.post(f"/sandbox/orders/{order['order_code']}/snap-payment").status_code == 409
    assert api.client.post("/sandbox/orders/ZVR-20260101-00000000/snap-payment").status_code == 404
