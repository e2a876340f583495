"""Orphan settlements against the sandbox: money Midtrans has for an order the shop does not consider paid
is raised once (with a server key), never silently dropped, and "Confirm payment" is the way out where the
backend's order rules allow it (engine/orphans.py; contract §2.6.7, §3.3, §5.6)."""

from __future__ import annotations

import threading

import pytest

from tests.helpers import wait_until
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.domain import ChangeBatch, DetectedBy, HealthAlert, HealthKind
from zavera_desktop.engine import orphans
from zavera_desktop.store.audit import AuditFilter, read_actions

ORPHAN = HealthKind.ORPHAN_SETTLEMENT


def midtrans_for(sandbox) -> MidtransAccess:
    return MidtransAccess(f"{sandbox.url}/midtrans", sandbox.creds["server_key"], "custom")


class Alerts:
    """Every alert batch an engine hands out."""

    def __init__(self, engine) -> None:
        self._lock = threading.Lock()
        self.items: list[HealthAlert] = []
        engine.subscribe(self)

    def __call__(self, batch: ChangeBatch) -> None:
        with self._lock:
            self.items.extend(batch.alerts)

    def of(self, kind: HealthKind, change: str | None = None, code: str | None = None) -> list[HealthAlert]:
        with self._lock:
            return [a for a in self.items if a.kind is kind and (change is None or a.change == change)
                    and (code is None or a.order_code == code)]


def seen_status(h, code: str) -> str | None:
    seen = h.store.seen_order(code)
    return seen.status if seen else None


def lookups(h) -> int:
    return h.engine.stats.midtrans_lookups


def expired_then_paid_late(sandbox, h, amount: int = 717000) -> str:
    """An order whose VA expired (Core webhook ``expire``), then paid at Midtrans: the webhook ignores it."""
    code = sandbox.create_order(amount=amount, customer_name="Rina Wulandari")["order_code"]
    sandbox.expire(code)
    wait_until(lambda: seen_status(h, code) == "EXPIRED", 10, "the engine to see the order expire")
    answer = sandbox.pay(code)
    assert answer["webhook_responses"] == [{"status": "ok"}]  # answered ok, changed nothing (§5.6)
    return code


def test_late_settlement_after_core_expire_raises_one_orphan_with_a_key(sandbox, engine_factory):
    h = engine_factory(sandbox, midtrans=midtrans_for(sandbox))
    alerts = Alerts(h.engine)
    h.wait_ready()
    code = expired_then_paid_late(sandbox, h)
    raised = wait_until(lambda: alerts.of(ORPHAN, "raised", code), 20, "the orphan settlement alert")
    alert = raised[0]
    assert (alert.amount, alert.midtrans_status, alert.order_status) == (717000, "settlement", "EXPIRED")
    assert alert.evidence["payment_status"] == "EXPIRED" and alert.evidence["can_confirm"] is False
    assert alert.evidence["midtrans_order_id"].startswith(code + "-")
    assert "Rp 717.000" in alert.detail and "refund" in alert.fix.lower()
    # Midtrans keeps being asked (the alert clears on a refund), and still only one alert exists
    asked = lookups(h)
    wait_until(lambda: lookups(h) >= asked + 3, 20, "more look-ups")
    assert len(alerts.of(ORPHAN, "raised")) == 1
    assert [a.order_code for a in h.engine.health_alerts()] == [code]
    # not a payment: the shop has not accepted the money
    assert code not in h.counts() and h.store.payment(code) is None
    # the way out that exists: the backend cannot accept it any more, said in words, and audited
    outcome = h.engine.confirm_payment(code, actor="ops@zavera.test", reason="customer says paid").result(15)
    assert outcome.reason == "not_allowed" and not outcome.confirmed
    assert "EXPIRED" in outcome.explanation and "Refund" in outcome.explanation
    assert outcome.dashboard_url == "https://dashboard.sandbox.midtrans.com"
    rows = read_actions(h.store, AuditFilter(order_code=code), limit=10)
    assert [(r.action, r.outcome, r.actor) for r in rows] == [("confirm_payment", "not_allowed", "ops@zavera.test")]
    assert h.engine.alerts_for_order(code)[0].is_open


def test_no_orphan_without_a_server_key(sandbox, engine_factory):
    h = engine_factory(sandbox)
    alerts = Alerts(h.engine)
    h.wait_ready()
    code = expired_then_paid_late(sandbox, h)
    for _ in range(2):
        runs = h.engine.stats.reconcile_runs
        h.engine.refresh()
        wait_until(lambda: h.engine.stats.reconcile_runs > runs, 10, "another reconcile")  # noqa: B023
    assert not alerts.of(ORPHAN) and h.engine.health_alerts() == []
    assert lookups(h) == 0 and code not in h.counts()


def expired_by_the_job(sandbox, h) -> str:
    """An order the backend's 24 h order-expiry job made EXPIRED: its Core payment stays PENDING (§9)."""
    code = sandbox.http.post("/sandbox/orders/bulk", json={"count": 1, "age_seconds": 25 * 3600}).json()[
        "orders"][0]["order_code"]
    assert sandbox.http.post("/sandbox/jobs/order-expiry", json={}).json()["expired"] == 1
    h.engine.refresh()  # the job sends no SSE: reconcile sees it
    wait_until(lambda: seen_status(h, code) == "EXPIRED", 10, "the engine to see the job's expiry")
    return code


def test_an_expired_order_that_is_really_paid_raises_nothing(sandbox, engine_factory):
    """Expired by the job, then paid: the Core webhook sets PAID from any order status (§3.3)."""
    h = engine_factory(sandbox, midtrans=midtrans_for(sandbox))
    alerts = Alerts(h.engine)
    h.wait_ready()
    code = expired_by_the_job(sandbox, h)
    asked = lookups(h)
    wait_until(lambda: lookups(h) > asked, 10, "Midtrans to be asked about the expired order")
    sandbox.pay(code)
    got = h.wait_announced([code])
    assert got[code].detected_by is DetectedBy.STREAM
    runs = h.engine.stats.reconcile_runs
    h.engine.refresh()
    wait_until(lambda: h.engine.stats.reconcile_runs > runs, 10, "another reconcile")
    assert not alerts.of(ORPHAN)
    h.assert_exactly_once([code])


def test_expired_order_with_a_pending_payment_and_a_lost_webhook_is_fixed_through_the_backend(sandbox,
                                                                                             engine_factory):
    """The money is at Midtrans, the webhook was lost, but the Core payment is still PENDING: ``/core/check``
    makes the backend accept it itself — a payment announced once, as verify, and no alert."""
    h = engine_factory(sandbox, midtrans=midtrans_for(sandbox))
    alerts = Alerts(h.engine)
    h.wait_ready()
    old = expired_by_the_job(sandbox, h)
    sandbox.pay(old, webhook="drop")
    got = h.wait_announced([old], timeout=20)
    assert got[old].detected_by is DetectedBy.VERIFY
    h.assert_exactly_once([old])
    assert not alerts.of(ORPHAN)


def test_pending_order_with_a_denied_payment_is_confirmed_into_one_announced_payment(sandbox, engine_factory):
    h = engine_factory(sandbox, midtrans=midtrans_for(sandbox))
    alerts = Alerts(h.engine)
    h.wait_ready()
    order = sandbox.create_order(amount=250000)
    code = order["order_code"]
    # Midtrans denies the transaction and tells the backend: the payment is FAILED, the order stays PENDING
    r = sandbox.http.post("/sandbox/midtrans/status", json={"order_code": code, "transaction_status": "deny"})
    assert r.status_code == 200, r.text
    r = sandbox.http.post("/sandbox/midtrans/notify", json={"order_code": code})
    assert r.status_code == 200, r.text
    sandbox.pay(code)  # a late settlement: the Core webhook skips a final payment
    raised = wait_until(lambda: alerts.of(ORPHAN, "raised", code), 20, "the orphan settlement alert")
    alert = raised[0]
    assert alert.order_status == "PENDING" and alert.evidence["can_confirm"] is True
    assert alert.evidence["payment_status"] == "FAILED" and "Confirm payment" in alert.fix
    assert code not in h.counts()

    outcome = h.engine.confirm_payment(code, actor="ops@zavera.test", reason="seen in the dashboard").result(15)
    assert outcome.reason == "confirmed" and outcome.order_status == "PAID" and outcome.newly_detected
    got = h.wait_announced([code])
    assert got[code].detected_by is DetectedBy.RECONCILE and got[code].amount == 250000
    cleared = wait_until(lambda: alerts.of(ORPHAN, "cleared", code), 10, "the alert to clear")
    assert "ops@zavera.test" in cleared[0].cleared_reason
    # audited with the admin's words; the backend wrote its own history row with the reason
    rows = read_actions(h.store, AuditFilter(order_code=code), limit=10)
    assert [(r.action, r.outcome) for r in rows] == [("confirm_payment", "confirmed")]
    assert rows[0].request == {"order_code": code, "status": "PAID", "reason": "seen in the dashboard"}
    history = sandbox.http.get(f"/sandbox/orders/{code}").json()["order_status_history"]
    assert history[-1]["to_status"] == "PAID" and history[-1]["reason"] == "seen in the dashboard"
    # later reconciles and look-ups change nothing: announced once, one alert
    runs = h.engine.stats.reconcile_runs
    h.engine.refresh()
    wait_until(lambda: h.engine.stats.reconcile_runs > runs, 10, "another reconcile")
    h.assert_exactly_once([code])
    assert len(alerts.of(ORPHAN, "raised")) == 1
    # confirming again is harmless
    again = h.engine.confirm_payment(code, actor="ops@zavera.test").result(15)
    assert again.reason == "already_paid"
    h.assert_exactly_once([code])


def test_the_backends_own_refusal_is_shown(sandbox, engine_factory, monkeypatch):
    """With the local rule lifted, the sandbox enforces ``ValidOrderTransitions`` itself: its words come back."""
    monkeypatch.setattr(orphans, "CONFIRMABLE_STATUSES", frozenset({"PENDING", "EXPIRED"}))
    h = engine_factory(sandbox)
    h.wait_ready()
    code = sandbox.create_order()["order_code"]
    sandbox.expire(code)
    outcome = h.engine.confirm_payment(code, actor="ops@zavera.test").result(15)
    assert outcome.reason == "backend_refused"
    assert outcome.backend_message == "invalid status transition: cannot transition from EXPIRED to PAID"
    assert outcome.backend_message in outcome.explanation
    assert code not in h.counts()
    rows = read_actions(h.store, AuditFilter(order_code=code), limit=10)
    assert [(r.action, r.outcome) for r in rows] == [("confirm_payment", "backend_refused")]


def test_an_orphan_clears_when_the_order_is_paid_after_all_and_is_never_raised_twice(sandbox, engine_factory):
    """A force-cancelled order (its payment stays PENDING) paid while the webhook is lost: /core/check does not
    ask Midtrans about a cancelled order, so it is an orphan; a replayed notification then makes it PAID."""
    h = engine_factory(sandbox, midtrans=midtrans_for(sandbox))
    alerts = Alerts(h.engine)
    h.wait_ready()
    code = sandbox.create_order()["order_code"]
    sandbox.cancel(code)
    h.engine.refresh()
    wait_until(lambda: seen_status(h, code) == "CANCELLED", 10, "the engine to see the cancel")
    sandbox.pay(code, webhook="drop")
    raised = wait_until(lambda: alerts.of(ORPHAN, "raised", code), 20, "the orphan settlement alert")
    assert raised[0].order_status == "CANCELLED" and raised[0].evidence["payment_status"] == "PENDING"
    # Midtrans' notification arrives after all (the Core webhook sets PAID even from CANCELLED, §3.3)
    r = sandbox.http.post("/sandbox/midtrans/notify", json={"order_code": code})
    assert r.status_code == 200, r.text
    h.wait_announced([code])
    cleared = wait_until(lambda: alerts.of(ORPHAN, "cleared", code), 10, "the alert to clear")
    assert "paid" in cleared[0].cleared_reason
    assert len(alerts.of(ORPHAN, "raised")) == 1
    h.assert_exactly_once([code])


@pytest.mark.parametrize("status", ["refund"])
def test_a_refund_at_midtrans_clears_the_alert_and_dismiss_is_audited(sandbox, engine_factory, status):
    h = engine_factory(sandbox, midtrans=midtrans_for(sandbox))
    alerts = Alerts(h.engine)
    h.wait_ready()
    first = expired_then_paid_late(sandbox, h)
    second = expired_then_paid_late(sandbox, h, amount=99000)
    unpaid = sandbox.create_order()["order_code"]  # keeps the scanner busy after the other two are settled
    sandbox.expire(unpaid)
    wait_until(lambda: alerts.of(ORPHAN, "raised", first) and alerts.of(ORPHAN, "raised", second), 20,
               "both alerts")
    r = sandbox.http.post("/sandbox/midtrans/status", json={"order_code": first, "transaction_status": status})
    assert r.status_code == 200, r.text
    cleared = wait_until(lambda: alerts.of(ORPHAN, "cleared", first), 20, "the refund to clear the alert")
    assert "refunded" in cleared[0].cleared_reason
    alert_id = alerts.of(ORPHAN, "raised", second)[0].id
    done = h.engine.dismiss_alert(alert_id, actor="ops@zavera.test", reason="refunded by phone").result(10)
    assert not done.is_open and "refunded by phone" in done.cleared_reason
    rows = read_actions(h.store, AuditFilter(order_code=second), limit=10)
    assert [(r.action, r.outcome) for r in rows] == [("dismiss_alert", "dismissed")]
    # still settled at Midtrans, but raised once per order: no second alert after more look-ups
    asked = lookups(h)
    wait_until(lambda: lookups(h) >= asked + 4, 20, "more look-ups")
    assert len(alerts.of(ORPHAN, "raised", second)) == 1
    assert [a for a in h.engine.health_alerts(include_cleared=False)] == []
