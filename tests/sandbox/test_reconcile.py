"""Contract §4.5: POST /api/admin/payments/:id/reconcile — the admin overwrites a Snap payment and its order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.sandbox.helpers import Api, RawStream, sentinel, shop_time


def _reconcile(api: Api, ref: Any, **body: Any) -> httpx.Response:
    return api.post(f"/api/admin/payments/{ref}/reconcile", who="admin", json=body)


def test_s4_5_mark_paid_without_paid_at_or_sse(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§4.5/§2.6 item 3: payments SUCCESS (+ transaction_id), order PAID without paid_at, audit row, no SSE."""
    stream = open_stream(api)
    order = api.order(payment="snap")
    response = _reconcile(api, order["order_id"], action="MARK_PAID", reason="seen in the Midtrans dashboard",
                          transaction_id="manual-tx-1")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["success", "message", "audit_log_id", "state_before", "state_after"]
    assert body["success"] is True and body["message"] == f"Payment {order['order_id']} reconciled: MARK_PAID"
    assert response.text.endswith(
        '"state_before":{"order_status":"PENDING","payment_status":"PENDING"},'
        '"state_after":{"action":"MARK_PAID","order_status":"PAID","payment_status":"SUCCESS","reconciled":true}}'
    )
    detail = api.detail(order["order_code"])
    assert detail["status"] == "PAID" and "paid_at" not in detail
    assert (detail["payment"]["status"], detail["payment"]["transaction_id"]) == ("SUCCESS", "manual-tx-1")
    view = api.inspect(order["order_code"])
    assert view["payments"][0]["is_reconciled"] is True and view["payments"][0]["reconciled_at"] is not None
    assert view["order_status_history"] == []
    (audit,) = view["admin_audit_log"]
    assert audit["id"] == body["audit_log_id"]
    assert (audit["admin_user_id"], audit["admin_email"], audit["action_type"], audit["target_type"]) == (
        None, api.credentials["admin_email"], "RECONCILE_PAYMENT", "payment"
    )
    assert audit["action_detail"] == (
        f"Reconcile payment {order['order_id']}: MARK_PAID. Reason: seen in the Midtrans dashboard"
    )
    assert (audit["target_id"], audit["success"], audit["idempotency_key"]) == (order["snap_payment_id"], True, "")
    sentinel(api, stream)
    assert stream.notifications("payment_received") == []


def test_s4_5_no_transition_validation_and_order_payments_untouched(api: Api) -> None:
    """§4.5/§3.3: an EXPIRED order becomes PAID, a PAID one FAILED; order_payments never changes."""
    order = api.order(created_at=shop_time(25))  # a Core VA …
    api.client.post(f"/sandbox/orders/{order['order_code']}/snap-payment")  # … plus a Snap row
    assert api.client.post("/sandbox/jobs/order-expiry").json() == {"expired": 1}
    paid = _reconcile(api, order["order_id"], action="MARK_PAID", reason="late transfer").json()
    assert paid["state_before"] == {"order_status": "EXPIRED", "payment_status": "PENDING"}
    assert api.detail(order["order_code"])["status"] == "PAID"
    failed = _reconcile(api, order["order_id"], action="MARK_FAILED", reason="bounced").json()
    assert failed["state_after"] == {"action": "MARK_FAILED", "order_status": "FAILED", "payment_status": "FAILED",
                                     "reconciled": True}
    expired = _reconcile(api, order["order_id"], action="MARK_EXPIRED", reason="never paid").json()
    assert expired["state_after"]["order_status"] == "EXPIRED"
    flagged = _reconcile(api, order["order_id"], action="SYNC_GATEWAY", reason="just flag it").json()
    assert flagged["state_before"] == {"order_status": "EXPIRED", "payment_status": "EXPIRED"}
    assert flagged["state_after"] == {"action": "SYNC_GATEWAY", "order_status": "EXPIRED",
                                      "payment_status": "EXPIRED", "reconciled": True}
    view = api.inspect(order["order_code"])
    assert view["order_payments"][0]["payment_status"] == "PENDING"
    assert view["order"]["paid_at"] is None
    assert len(view["admin_audit_log"]) == 4


def test_s4_5_by_payments_id_when_no_order_has_that_id(api: Api) -> None:
    """§4.5/§4.3: with no Snap row for order ``:id``, ``:id`` is read as payments.id; the message keeps ``:id``."""
    first = api.order(payment="none")  # order 1, no payment at all
    second = api.order(payment="snap")  # order 2, payments.id 1
    assert (first["order_id"], second["snap_payment_id"]) == (1, 1)
    body = _reconcile(api, 1, action="MARK_PAID", reason="by payment id").json()
    assert body["message"] == "Payment 1 reconciled: MARK_PAID"
    assert api.detail(second["order_code"])["status"] == "PAID"
    assert api.detail(first["order_code"])["status"] == "PENDING"


def test_s4_5_idempotency_key(api: Api) -> None:
    """§4.5: the same idempotency_key again → 200 "Action already processed (idempotency)", nothing done."""
    order = api.order(payment="snap")
    first = _reconcile(api, order["order_id"], action="MARK_PAID", reason="ok", idempotency_key="rc-1").json()
    again = _reconcile(api, order["order_id"], action="MARK_FAILED", reason="changed my mind",
                       idempotency_key="rc-1")
    assert again.status_code == 200
    assert again.json() == {"success": True, "message": "Action already processed (idempotency)",
                            "audit_log_id": first["audit_log_id"]}
    assert api.detail(order["order_code"])["status"] == "PAID"
    assert len(api.inspect(order["order_code"])["admin_audit_log"]) == 1


def test_s4_5_request_errors(api: Api) -> None:
    """§4.5: 400 invalid_payment_id / invalid_request (Go validator text) / reconcile_failed; no audit row."""
    order = api.order(payment="snap")
    word = _reconcile(api, "first", action="MARK_PAID", reason="x")
    assert word.json() == {"error": "invalid_payment_id", "message": "Payment ID must be a number"}
    empty = api.post(f"/api/admin/payments/{order['order_id']}/reconcile", who="admin", content=b"")
    assert (empty.status_code, empty.json()) == (400, {"error": "invalid_request", "message": "EOF"})
    no_reason = _reconcile(api, order["order_id"], action="MARK_PAID")
    assert no_reason.json()["message"] == (
        "Key: 'ReconcilePaymentRequest.Reason' Error:Field validation for 'Reason' failed on the 'required' tag"
    )
    bad_action = _reconcile(api, order["order_id"], action="REFUND", reason="x")
    assert bad_action.json()["message"] == (
        "Key: 'ReconcilePaymentRequest.Action' Error:Field validation for 'Action' failed on the 'oneof' tag"
    )
    missing = _reconcile(api, 99999, action="MARK_PAID", reason="x")
    assert (missing.status_code, missing.json()) == (
        400, {"error": "reconcile_failed", "message": "RECONCILE_PAYMENT: Payment not found"}
    )
    view = api.inspect(order["order_code"])
    assert view["admin_audit_log"] == [] and view["order"]["status"] == "PENDING"
