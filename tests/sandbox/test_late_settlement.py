"""Contract §2.6 item 7 / §5.6: Midtrans settles after the latest Core payment went final — silently dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.sandbox.helpers import Api, RawStream, force_midtrans, sentinel


def _expired(api: Api) -> dict[str, Any]:
    order = api.order()
    api.client.post(f"/sandbox/orders/{order['order_code']}/expire")  # Midtrans expire + Core webhook
    return order


def _cancelled(api: Api) -> dict[str, Any]:
    order = api.order()
    force_midtrans(api, "cancel", order_code=order["order_code"])
    api.client.post("/sandbox/midtrans/notify", json={"order_code": order["order_code"]})
    return order


def _failed(api: Api) -> dict[str, Any]:
    order = api.order()
    force_midtrans(api, "deny", order_code=order["order_code"])
    assert api.check(order["payment_id"]).json()["status"] == "FAILED"
    return order


@pytest.mark.parametrize(
    ("make", "payment_status", "order_status"),
    [(_expired, "EXPIRED", "EXPIRED"), (_cancelled, "CANCELLED", "PENDING"), (_failed, "FAILED", "PENDING")],
    ids=["expired", "cancelled", "failed"],
)
def test_s2_6_7_late_settlement_is_answered_ok_and_ignored(
    api: Api, open_stream: Callable[..., RawStream], make: Callable[[Api], dict[str, Any]],
    payment_status: str, order_status: str,
) -> None:
    """§2.6 item 7: /pay settles at Midtrans; the webhook answers ok; nothing changes; no SSE; no log row."""
    stream = open_stream(api)
    order = make(api)
    before = api.inspect(order["order_code"])
    assert before["order_payments"][0]["payment_status"] == payment_status
    paid = api.pay(order["order_code"])
    assert (paid["transaction_status"], paid["webhook_responses"]) == ("settlement", [{"status": "ok"}])
    after = api.inspect(order["order_code"])
    assert after["midtrans"][0]["transaction_status"] == "settlement"  # Midtrans has the money …
    assert after["order"]["status"] == order_status  # … the shop does not know
    assert after["order"]["paid_at"] is None
    assert after["order_payments"] == before["order_payments"]
    assert after["core_payment_sync_log"] == before["core_payment_sync_log"]
    # /core/check answers from the final row without asking Midtrans (§4.1 step 3).
    api.faults(reset=True)  # zero the counters
    assert api.check(order["payment_id"], who="user").json()["status"] == payment_status
    assert api.state()["midtrans"]["status_requests"] == 0
    sentinel(api, stream)
    assert stream.notifications("payment_received") == []


def test_pay_refuses_a_transaction_that_already_has_the_money(api: Api) -> None:
    """/pay after settlement, capture or refund at Midtrans → 409; the webhook is not sent again."""
    settled, captured, refunded = api.order(), api.order(), api.order()
    api.pay(settled["order_code"])
    force_midtrans(api, "capture", order_code=captured["order_code"])
    force_midtrans(api, "refund", order_code=refunded["order_code"])
    for order in (settled, captured, refunded):
        response = api.client.post(f"/sandbox/orders/{order['order_code']}/pay", json={})
        assert response.status_code == 409, order
    assert api.state()["webhooks_received"]["core"] == {"ok": 1}
