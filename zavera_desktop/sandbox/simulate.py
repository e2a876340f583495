"""What customers and Midtrans do to an order: pay it or let its VA expire.

Midtrans changes its own ledger, then posts the signed notification to the Core webhook,
or loses it, sends it twice, or sends it to the Snap route, as a test or demo asks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from zavera_desktop.sandbox import midtrans
from zavera_desktop.sandbox.db import latest_core_payment, order_by_code
from zavera_desktop.sandbox.runtime import Runtime
from zavera_desktop.sandbox.shop import ShopError

PAY_MODES = ("deliver", "drop", "duplicate", "snap")
EXPIRE_MODES = ("deliver", "drop")
# pay/expire share this signature: (runtime, order code, webhook mode, delay_ms)
Action = Callable[[Runtime, str, str, float | None], Awaitable[dict[str, Any]]]
_COUNTER = {"deliver": "delivered", "drop": "dropped", "duplicate": "duplicated", "snap": "snap"}


def _targets(rt: Runtime, mode: str) -> list[str]:
    return {
        "deliver": [rt.core_webhook_url],
        "duplicate": [rt.core_webhook_url, rt.core_webhook_url],
        "snap": [rt.snap_webhook_url],
        "drop": [],
    }[mode]


async def _send_all(rt: Runtime, urls: list[str], body: dict[str, Any]) -> list[Any]:
    # One after the other, as Midtrans would deliver a duplicate: the second sees the first's commit.
    return [await midtrans.deliver(rt, url, body) for url in urls]


async def _notify(
    rt: Runtime, body: dict[str, Any], mode: str, delay_ms: float | None, result: dict[str, Any]
) -> dict[str, Any]:
    rt.stats.webhooks[_COUNTER[mode]] += 1
    urls = _targets(rt, mode)
    if delay_ms and urls:
        rt.later(delay_ms / 1000, lambda: _send_all(rt, urls, body))
        result["webhook_scheduled_ms"] = delay_ms
    else:
        result["webhook_responses"] = await _send_all(rt, urls, body)
    return result


def _change(rt: Runtime, code: str, action: str) -> tuple[dict[str, Any], dict[str, Any]]:
    with rt.db.session() as session:
        order = order_by_code(session, code)
        if order is None:
            raise ShopError(404, "not_found", "Order not found")
        payment = latest_core_payment(session, order.id)
        tx = midtrans.find_transaction(session, payment.midtrans_order_id) if payment is not None else None
        if tx is None:
            raise ShopError(409, "conflict", "order has no Midtrans Core transaction")
        if action == "pay":
            # Paying a VA that expired, was cancelled or denied at Midtrans stands for a late or
            # reversed settlement (contract §2.6 item 7); only money already taken cannot be paid again.
            if tx.transaction_status in midtrans.PAID_STATUSES:
                raise ShopError(409, "conflict", f"Midtrans transaction is {tx.transaction_status}, already paid")
            midtrans.settle(tx, rt)
        else:
            if tx.transaction_status != "pending":
                raise ShopError(409, "conflict", f"Midtrans transaction is {tx.transaction_status}, not pending")
            midtrans.expire(tx)
        session.commit()
        result = {
            "order_code": code,
            "midtrans_order_id": tx.order_id,
            "transaction_id": tx.transaction_id,
            "transaction_status": tx.transaction_status,
        }
        return result, midtrans.notification_body(tx, rt.server_key)


async def pay(rt: Runtime, code: str, mode: str = "deliver", delay_ms: float | None = None) -> dict[str, Any]:
    if mode not in PAY_MODES:
        raise ShopError(400, "invalid_request", f"webhook must be one of {', '.join(PAY_MODES)}")
    result, body = _change(rt, code, "pay")
    result["webhook"] = mode
    return await _notify(rt, body, mode, delay_ms, result)


async def expire(rt: Runtime, code: str, mode: str = "deliver", delay_ms: float | None = None) -> dict[str, Any]:
    if mode not in EXPIRE_MODES:
        raise ShopError(400, "invalid_request", f"webhook must be one of {', '.join(EXPIRE_MODES)}")
    result, body = _change(rt, code, "expire")
    result["webhook"] = mode
    return await _notify(rt, body, mode, delay_ms, result)
