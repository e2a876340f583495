"""Payment health against the sandbox: lost webhooks, a misrouted notification URL and an unstable stream
become findings with the fix, raised once and cleared when the problem is gone (engine/health.py);
``watch --json`` prints them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from tests.engine.test_watch_cli import Watcher
from tests.helpers import wait_until
from zavera_desktop.domain import ChangeBatch, DetectedBy, HealthAlert, HealthKind
from zavera_desktop.engine.health import HealthThresholds
from zavera_desktop.store import Store
from zavera_desktop.store.health import AlertDraft, HealthStore

MISSING = HealthKind.WEBHOOKS_MISSING
MISROUTED = HealthKind.WEBHOOK_MISROUTED
STREAM = HealthKind.STREAM_UNRELIABLE


class Alerts:
    def __init__(self, engine) -> None:
        self._lock = threading.Lock()
        self.items: list[HealthAlert] = []
        engine.subscribe(self)

    def __call__(self, batch: ChangeBatch) -> None:
        with self._lock:
            self.items.extend(batch.alerts)

    def of(self, kind: HealthKind, change: str | None = None) -> list[HealthAlert]:
        with self._lock:
            return [a for a in self.items if a.kind is kind and (change is None or a.change == change)]


def pay(sandbox, n: int, webhook: str = "deliver") -> list[str]:
    codes = []
    for _ in range(n):
        code = sandbox.create_order()["order_code"]
        sandbox.pay(code, webhook=webhook)
        codes.append(code)
    return codes


def test_three_lost_webhooks_in_ten_payments_raise_webhooks_missing_and_ten_clean_ones_clear_it(sandbox,
                                                                                                engine_factory):
    h = engine_factory(sandbox)
    alerts = Alerts(h.engine)
    h.wait_ready()
    clean = pay(sandbox, 7)
    h.wait_announced(clean)
    assert not alerts.of(MISSING)
    lost = pay(sandbox, 3, webhook="drop")  # only verify's /core/check finds these
    got = h.wait_announced(lost, timeout=30)
    assert {got[c].detected_by for c in lost} == {DetectedBy.VERIFY}
    raised = wait_until(lambda: alerts.of(MISSING, "raised"), 10, "the webhooks_missing finding")
    assert len(raised) == 1
    finding = raised[0]
    assert finding.order_code is None and sorted(finding.evidence["orders"]) == sorted(lost)
    assert f"{sandbox.url}/api/webhook/midtrans/core" in finding.fix
    assert "3 of the last 10 payments" in finding.detail
    picture = h.engine.health_picture()
    assert picture is not None and sorted(picture.lost_webhooks) == sorted(lost)
    assert [a.kind for a in picture.open_alerts] == [MISSING]

    # the fix is made: 10 payments arrive through the webhook, one after the other
    for code in pay(sandbox, 9):
        h.wait_announced([code])
    assert not alerts.of(MISSING, "cleared")  # 9 clean ones are not enough (no flapping)
    h.wait_announced(pay(sandbox, 1))
    cleared = wait_until(lambda: alerts.of(MISSING, "cleared"), 10, "the finding to clear")
    assert cleared[0].id == finding.id and "10 payments in a row" in cleared[0].cleared_reason
    assert len(alerts.of(MISSING, "raised")) == 1
    stored = h.engine.health_alerts()
    assert [(a.kind, a.is_open) for a in stored] == [(MISSING, False)]
    assert stored[0].raised_at <= stored[0].cleared_at


def test_snap_route_settlements_raise_webhook_misrouted_and_admin_confirms_do_not(sandbox, engine_factory):
    h = engine_factory(sandbox)
    alerts = Alerts(h.engine)
    h.wait_ready()
    # the web admin's "Confirm Payment": PAID without SSE, but its Core payment becomes PAID too
    confirmed = []
    for _ in range(2):
        code = sandbox.create_order()["order_code"]
        sandbox.confirm_payment(code)
        confirmed.append(code)
    h.engine.refresh()
    got = h.wait_announced(confirmed)
    assert {got[c].detected_by for c in confirmed} == {DetectedBy.RECONCILE}
    def read_both() -> bool:
        picture = h.engine.health_picture()
        return picture.sources.get("reconcile") == 2 and not picture.unchecked

    wait_until(read_both, 10, "both orders to be read")
    assert not alerts.of(MISROUTED) and not h.engine.health_picture().misrouted

    # a notification URL pointing at a Snap route: PAID, the Core payment still PENDING, nothing broadcast
    snap = pay(sandbox, 2, webhook="snap")
    h.engine.refresh()
    got = h.wait_announced(snap)
    assert {got[c].detected_by for c in snap} == {DetectedBy.RECONCILE}
    raised = wait_until(lambda: alerts.of(MISROUTED, "raised"), 10, "the webhook_misrouted finding")
    wait_until(lambda: not h.engine.health_picture().unchecked, 10, "the orders to be read")
    assert len(alerts.of(MISROUTED, "raised")) == 1
    finding = h.engine.health_alerts(include_cleared=False)[0]
    assert finding.id == raised[0].id and sorted(finding.evidence["orders"]) == sorted(snap)
    assert "/api/payments/webhook" in finding.fix and f"{sandbox.url}/api/webhook/midtrans/core" in finding.fix
    assert not set(confirmed) & set(finding.evidence["orders"])
    h.assert_exactly_once(confirmed + snap)


def test_a_stream_that_keeps_dropping_raises_stream_unreliable_and_a_quiet_window_clears_it(sandbox,
                                                                                           engine_factory):
    # an hour shrunk to 3 s (the rule itself is tested with an injected clock in tests/unit)
    h = engine_factory(sandbox, start=False)
    h.engine._health_thresholds = HealthThresholds(stream_window=3.0, stream_max_drops=2,
                                                   stream_max_down_fraction=0.9)
    alerts = Alerts(h.engine)
    h.engine.start()
    h.wait_ready()
    for _ in range(3):
        connections = h.engine._stream.connections
        sandbox.faults(cut_streams="fin")
        wait_until(lambda c=connections: h.engine._stream.connections > c, 10, "a reconnect")
        h.wait_live()
    raised = wait_until(lambda: alerts.of(STREAM, "raised"), 10, "the stream_unreliable finding")
    assert raised[0].evidence["drops"] >= 3 and "proxy_read_timeout" in raised[0].fix
    cleared = wait_until(lambda: alerts.of(STREAM, "cleared"), 15, "a quiet window to clear it")
    assert cleared[0].id == raised[0].id
    assert len(alerts.of(STREAM, "raised")) == 1


def test_an_alert_stored_but_not_handed_out_is_delivered_after_a_restart(sandbox, engine_factory, tmp_path):
    db = tmp_path / "crash.db"
    store = Store.open(db)
    HealthStore(store).raise_alert(AlertDraft(MISSING, "detail", "fix", evidence={"orders": ["X"]}),
                                   at=datetime.now(UTC))
    store.close()  # "crashed" before delivering it
    h = engine_factory(sandbox, db_path=db, start=False)
    alerts = Alerts(h.engine)
    h.engine.start()
    got = wait_until(lambda: alerts.of(MISSING), 10, "the redelivery")
    assert got[0].detail == "detail"
    h.wait_ready()
    assert HealthStore(h.store).unnotified() == []


def test_watch_json_prints_the_orphan_settlement_line(sandbox, tmp_path, monkeypatch):
    monkeypatch.setenv("ZAVERA_TEST_SK", sandbox.creds["server_key"])
    w = Watcher(sandbox, tmp_path / "w.db", "--midtrans-url", f"{sandbox.url}/midtrans",
                "--server-key-env", "ZAVERA_TEST_SK")
    try:
        w.wait_live()
        wait_until(lambda: any(line["event"] == "connection" and line["state"] == "live" for line in w.lines), 10,
                   "live")
        code = sandbox.create_order(amount=717000)["order_code"]
        sandbox.expire(code)
        sandbox.pay(code)
        line = wait_until(lambda: [x for x in w.lines if x["event"] == "alert"], 30, "the alert line")[0]
        assert {k: line[k] for k in ("kind", "order_code", "amount", "midtrans_status", "order_status")} == {
            "kind": "orphan_settlement", "order_code": code, "amount": 717000, "midtrans_status": "settlement",
            "order_status": "EXPIRED"}
        assert line["detail"] and line["fix"]
        assert code not in w.payments()
    finally:
        w.proc.terminate()
        w.finish()
    out = "\n".join(map(str, w.lines)) + w.stderr
    for secret in (sandbox.creds["server_key"], sandbox.creds["admin_password"]):
        assert secret not in out
