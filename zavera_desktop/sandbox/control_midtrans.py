"""Control of the Midtrans simulator: make Midtrans report any status, and replay its notification.

``POST /sandbox/midtrans/status`` changes only Midtrans' side (what ``GET /v2/{id}/status``
answers); nothing is posted to the shop. ``POST /sandbox/midtrans/notify`` then posts the
notification for whatever Midtrans currently says, so both halves can be exercised apart:
``/core/check`` finding a deny, or a webhook replaying a cancel.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from zavera_desktop.sandbox import midtrans
from zavera_desktop.sandbox.control_http import BadRequest, json_body, route, text
from zavera_desktop.sandbox.db import MidtransTransaction, latest_core_payment, order_by_code
from zavera_desktop.sandbox.runtime import Runtime
from zavera_desktop.sandbox.shop import ShopError

LOCATORS = ("order_code", "midtrans_order_id", "transaction_id")
NOTIFY_TARGETS = ("core", "snap")


def _locator(body: dict[str, Any]) -> tuple[str, str]:
    given = [(key, body[key]) for key in LOCATORS if body.get(key) is not None]
    if len(given) != 1 or not isinstance(given[0][1], str) or not given[0][1]:
        raise BadRequest(f"give exactly one of {', '.join(LOCATORS)} (a string)")
    return given[0]


def _find(session: Any, kind: str, key: str) -> MidtransTransaction:
    """The transaction by Midtrans id, or the one behind an order's latest Core payment."""
    if kind != "order_code":
        tx = midtrans.find_transaction(session, key)
        if tx is None:
            raise ShopError(404, "not_found", "Transaction doesn't exist.")
        return tx
    order = order_by_code(session, key)
    if order is None:
        raise ShopError(404, "not_found", "Order not found")
    payment = latest_core_payment(session, order.id)
    tx = midtrans.find_transaction(session, payment.midtrans_order_id) if payment is not None else None
    if tx is None:
        raise ShopError(409, "conflict", "order has no Midtrans Core transaction")
    return tx


async def set_status(rt: Runtime, request: Request) -> dict[str, Any]:
    body = await json_body(request)
    kind, key = _locator(body)
    status = text(body, "transaction_status")
    if status not in midtrans.FORCEABLE_STATUSES:
        raise BadRequest(f"transaction_status must be one of {', '.join(midtrans.FORCEABLE_STATUSES)}")
    fraud_status = text(body, "fraud_status")
    if fraud_status is not None and fraud_status not in midtrans.FRAUD_STATUSES:
        raise BadRequest(f"fraud_status must be one of {', '.join(midtrans.FRAUD_STATUSES)}")
    with rt.db.session() as session:
        tx = _find(session, kind, key)
        previous = tx.transaction_status
        midtrans.force_status(tx, rt, status, fraud_status)
        session.commit()
        return {"previous_status": previous, "midtrans": midtrans.status_body(tx, rt.server_key)}


async def notify(rt: Runtime, request: Request) -> dict[str, Any]:
    body = await json_body(request)
    kind, key = _locator(body)
    target = text(body, "webhook", "core") or "core"
    if target not in NOTIFY_TARGETS:
        raise BadRequest(f"webhook must be one of {', '.join(NOTIFY_TARGETS)}")
    with rt.db.session() as session:
        tx = _find(session, kind, key)
        notification = midtrans.notification_body(tx, rt.server_key)
    url = rt.core_webhook_url if target == "core" else rt.snap_webhook_url
    rt.stats.webhooks["replayed"] += 1
    answer = await midtrans.deliver(rt, url, notification)
    return {
        "midtrans_order_id": notification["order_id"],
        "transaction_status": notification["transaction_status"],
        "webhook": target,
        "webhook_responses": [answer],
    }


def routes(rt: Runtime) -> list[Route]:
    return [
        route(rt, "/sandbox/midtrans/status", set_status, "POST"),
        route(rt, "/sandbox/midtrans/notify", notify, "POST"),
    ]
