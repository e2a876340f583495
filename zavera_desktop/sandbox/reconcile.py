"""``adminService.ReconcilePayment`` (contract §4.5): an admin overwrites a Snap payment and its order.

Quirks kept: ``:id`` resolved like sync (order id first); the order's status is set with no
transition check and no ``paid_at``; no SSE; ``order_payments`` untouched; no history row.
The audit row's ``admin_user_id`` is NULL because the handler reads the ``user_id`` claim as a
Go ``int`` while the middleware stored a ``float64``. A refused action leaves no audit row: it
is written inside the transaction that is then rolled back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from zavera_desktop.sandbox.db import AdminAuditLog, Order
from zavera_desktop.sandbox.recovery import resolve_snap_payment
from zavera_desktop.sandbox.runtime import Runtime

ACTION_TYPE = "RECONCILE_PAYMENT"
# action -> (payments.status, orders.status); SYNC_GATEWAY keeps both and only flags the row.
ACTIONS = {
    "MARK_PAID": ("SUCCESS", "PAID"),
    "MARK_FAILED": ("FAILED", "FAILED"),
    "MARK_EXPIRED": ("EXPIRED", "EXPIRED"),
}


class ReconcileError(Exception):
    """Answered ``400 reconcile_failed`` with this text."""


@dataclass(frozen=True)
class Admin:
    email: str
    ip: str
    user_agent: str


def _go_json(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def reconcile_payment(rt: Runtime, ref: int, request: dict[str, Any], admin: Admin) -> dict[str, Any]:
    """Returns the ``AdminActionResponse`` body; ``request`` is the bound ReconcilePaymentRequest."""
    action, reason = request["action"], request["reason"]
    key = request["idempotency_key"]
    now = rt.clock.now()
    with rt.db.session() as session:
        if key:
            existing = session.scalars(
                select(AdminAuditLog).where(AdminAuditLog.idempotency_key == key).order_by(AdminAuditLog.id)
            ).first()
            if existing is not None:
                return {"success": existing.success, "message": "Action already processed (idempotency)",
                        "audit_log_id": existing.id}
        payment = resolve_snap_payment(session, ref, need_external_id=False)
        if payment is None:
            raise ReconcileError(f"{ACTION_TYPE}: Payment not found")
        order = session.get(Order, payment.order_id)
        assert order is not None  # payments.order_id has a foreign key
        state_before = {"order_status": order.status, "payment_status": payment.status}
        new_payment, new_order = ACTIONS.get(action, (payment.status, order.status))
        payment.status = new_payment
        payment.is_reconciled = True
        payment.reconciled_at = now
        payment.updated_at = now
        if request["transaction_id"]:  # COALESCE(NULLIF($2, ''), transaction_id)
            payment.transaction_id = request["transaction_id"]
        if new_order != order.status:
            order.status = new_order  # UpdateStatusTx: status and updated_at only
            order.updated_at = now
        state_after = {"action": action, "order_status": new_order, "payment_status": new_payment,
                       "reconciled": True}
        audit = AdminAuditLog(
            admin_user_id=None,
            admin_email=admin.email,
            admin_ip=admin.ip,
            admin_user_agent=admin.user_agent,
            action_type=ACTION_TYPE,
            action_detail=f"Reconcile payment {ref}: {action}. Reason: {reason}",
            target_type="payment",
            target_id=payment.id,
            target_code=order.order_code,
            state_before=_go_json(state_before),
            state_after=_go_json(state_after),
            success=True,
            error_message="",
            idempotency_key=key,
            metadata_json="null",
            created_at=now,
        )
        session.add(audit)
        session.commit()
        return {
            "success": True,
            # %d of the id as given, which need not be the payment's id.
            "message": f"Payment {ref} reconciled: {action}",
            "audit_log_id": audit.id,
            "state_before": state_before,
            "state_after": state_after,
        }
