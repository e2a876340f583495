"""The payment-health rules with an injected clock (an hour of connection history in microseconds), their
words, the orphan schedule and words, and the monitor fed by hand (engine/health.py, engine/orphans.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zavera_desktop.backend.client import OrderDetail, OrderSummary, PaymentInfo
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.config import EngineSettings
from zavera_desktop.domain import (
    ChangeBatch,
    ConnectionState,
    ConnectionStatus,
    DetectedBy,
    HealthAlert,
    HealthKind,
    Payment,
    PaymentCandidate,
)
from zavera_desktop.engine.changes import ChangeSink
from zavera_desktop.engine.context import EngineContext, EngineStats
from zavera_desktop.engine.health import (
    ConnectionHistory,
    HealthMonitor,
    HealthRules,
    HealthThresholds,
    PaymentWindow,
    describe,
    snap_route_signature,
)
from zavera_desktop.engine.orphans import midtrans_dashboard_url, orphan_interval, orphan_words
from zavera_desktop.store import Store
from zavera_desktop.store.health import AlertDraft

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
RULES = HealthRules(HealthThresholds())
S = ConnectionState


def window_of(*found_by: DetectedBy, size: int = 10) -> PaymentWindow:
    w = PaymentWindow(size)
    for i, by in enumerate(found_by):
        w.add(f"ZVR-20261127-{i:08X}", by)
    return w


# --- webhooks_missing and webhook_misrouted ------------------------------------------------------------


def test_three_of_the_last_ten_found_by_verify_raise_webhooks_missing():
    two = RULES.webhooks_missing(window_of(*[DetectedBy.STREAM] * 8, DetectedBy.VERIFY, DetectedBy.VERIFY))
    assert not two.raise_it and not two.clear_it
    three = RULES.webhooks_missing(window_of(*[DetectedBy.STREAM] * 7, *[DetectedBy.VERIFY] * 3))
    assert three.raise_it and len(three.evidence["orders"]) == 3 and three.evidence["of_last"] == 10
    # a replay is the same evidence: Midtrans' notification never arrived
    assert RULES.webhooks_missing(window_of(DetectedBy.REPLAY, DetectedBy.VERIFY, DetectedBy.VERIFY)).raise_it


def test_webhooks_missing_clears_only_after_a_full_window_of_clean_payments():
    w = window_of(*[DetectedBy.VERIFY] * 3)
    for i in range(9):
        w.add(f"ZVR-CLEAN-{i}", DetectedBy.STREAM)
    verdict = RULES.webhooks_missing(w)
    assert not verdict.raise_it and not verdict.clear_it  # one lost one is still in the last 10
    w.add("ZVR-CLEAN-9", DetectedBy.RECONCILE)
    assert RULES.webhooks_missing(w).clear_it
    # fewer than 10 payments never clear it: there is not enough evidence yet
    assert not RULES.webhooks_missing(window_of(DetectedBy.STREAM)).clear_it


def test_a_redelivered_payment_is_not_counted_twice():
    w = window_of(DetectedBy.VERIFY)
    assert not w.add("ZVR-20261127-00000000", DetectedBy.VERIFY)
    assert len(w) == 1


def test_webhook_misrouted_needs_one_and_unread_orders_block_clearing():
    w = PaymentWindow(3)
    w.add("A", DetectedBy.RECONCILE, "unknown")
    assert not RULES.webhook_misrouted(w).raise_it
    w.set_route("A", "misrouted")
    assert RULES.webhook_misrouted(w).raise_it and RULES.webhook_misrouted(w).evidence["orders"] == ["A"]
    w.add("B", DetectedBy.STREAM)
    w.add("C", DetectedBy.RECONCILE, "unknown")
    w.add("D", DetectedBy.STREAM)  # A leaves the window
    verdict = RULES.webhook_misrouted(w)
    assert not verdict.raise_it and not verdict.clear_it  # C was not read yet
    w.set_route("C", "ok")
    assert RULES.webhook_misrouted(w).clear_it


# --- stream_unreliable, on an injected clock -------------------------------------------------------------


def history(*steps: tuple[float, ConnectionState], start: datetime = T0) -> ConnectionHistory:
    h = ConnectionHistory(start)
    for seconds, state in steps:
        h.note(state, start + timedelta(seconds=seconds), "read timeout" if state is not S.LIVE else "")
    return h


def test_down_more_than_ten_percent_of_the_last_hour_raises():
    # live, then down for 7 minutes, then live again; judged an hour after start
    h = history((0, S.CONNECTING), (1, S.LIVE), (1000, S.RECONNECTING), (1420, S.LIVE))
    verdict = RULES.stream_unreliable(h, T0 + timedelta(hours=1))
    assert verdict.raise_it and verdict.evidence["down_seconds"] == 421 and verdict.evidence["drops"] == 1
    assert verdict.evidence["last_error"] == "read timeout"
    h = history((0, S.CONNECTING), (1, S.LIVE), (1000, S.RECONNECTING), (1300, S.LIVE))  # 5 minutes
    assert not RULES.stream_unreliable(h, T0 + timedelta(hours=1)).raise_it


def test_only_the_last_hour_counts_and_clearing_needs_a_whole_observed_hour():
    h = history((0, S.CONNECTING), (600, S.LIVE))  # 10 minutes down at start
    assert RULES.stream_unreliable(h, T0 + timedelta(minutes=30)).raise_it
    later = RULES.stream_unreliable(h, T0 + timedelta(minutes=75))  # those 10 minutes left the window
    assert not later.raise_it and later.clear_it
    fresh = history((0, S.CONNECTING), (1, S.LIVE))
    assert not RULES.stream_unreliable(fresh, T0 + timedelta(minutes=30)).clear_it  # not watched long enough


def test_more_than_five_drops_in_the_hour_raise_and_the_typical_lifetime_is_told():
    steps: list[tuple[float, ConnectionState]] = [(0, S.CONNECTING)]
    for i in range(6):  # a proxy cutting the idle connection after 60 s
        steps += [(i * 61 + 1, S.LIVE), (i * 61 + 61, S.RECONNECTING)]
    steps.append((6 * 61 + 1, S.LIVE))
    h = history(*steps)
    verdict = RULES.stream_unreliable(h, T0 + timedelta(minutes=10))
    assert verdict.raise_it and verdict.evidence["drops"] == 6 and verdict.evidence["typical_live_seconds"] == 60
    detail, fix = describe(HealthKind.STREAM_UNRELIABLE, verdict.evidence, "https://api.shop.id")
    assert "dropped 6 times" in detail and "about 60 s" in detail
    assert fix.startswith("The connection was cut after about 60 s each time") and "proxy_read_timeout 1h" in fix
    five = history(*steps[:-3], (5 * 61 + 1, S.LIVE))
    assert not RULES.stream_unreliable(five, T0 + timedelta(minutes=10)).raise_it


def test_login_problems_are_not_stream_trouble():
    h = history((0, S.CONNECTING), (1, S.AUTH_REQUIRED))  # the status bar says "log in again" instead
    assert RULES.stream_unreliable(h, T0 + timedelta(hours=1)).evidence["down_seconds"] == 1


# --- the words ------------------------------------------------------------------------------------------


def test_the_words_name_the_orders_and_the_exact_url_to_set():
    detail, fix = describe(HealthKind.WEBHOOKS_MISSING, {"orders": ["ZVR-A", "ZVR-B", "ZVR-C"], "of_last": 10},
                           "https://api.shop.id/")
    assert detail.startswith("3 of the last 10 payments") and "ZVR-A, ZVR-B, ZVR-C" in detail
    assert "https://api.shop.id/api/webhook/midtrans/core" in fix and "internet" in fix
    detail, fix = describe(HealthKind.WEBHOOK_MISROUTED, {"orders": [f"ZVR-{i}" for i in range(7)]},
                           "https://api.shop.id")
    assert "and 2 more" in detail and "https://api.shop.id/api/payments/webhook" in fix
    assert fix.endswith("by https://api.shop.id/api/webhook/midtrans/core.")
    with pytest.raises(ValueError):
        describe(HealthKind.ORPHAN_SETTLEMENT, {}, "https://api.shop.id")


def test_orphan_words_offer_what_the_backend_allows():
    kw = dict(order_code="ZVR-20261127-26A6A050", amount=717000, midtrans_status="settlement",
              midtrans_order_id="ZVR-20261127-26A6A050-1769050000-a1b2", dashboard="https://dashboard.midtrans.com")
    detail, fix = orphan_words(order_status="EXPIRED", payment_status="EXPIRED", **kw)
    assert "Rp 717.000" in detail and "EXPIRED" in detail and "Nobody will ship" in detail
    assert "can no longer accept" in fix and "Refund" in fix and "ZVR-20261127-26A6A050-1769050000-a1b2" in fix
    detail, fix = orphan_words(order_status="PENDING", payment_status="FAILED", **kw)
    assert "payment is FAILED" in detail and "Confirm payment" in fix
    detail, _ = orphan_words(order_status="CANCELLED", payment_status="PENDING", **kw)
    assert "cancelled" in detail
    detail, fix = orphan_words(order_status="EXPIRED", payment_status="PENDING", **kw)  # a Snap row left PENDING
    assert "did not apply the payment to an order that is already EXPIRED" in detail and "Refund" in fix


def test_orphan_look_ups_thin_out_like_verify_and_stop_after_48_hours():
    assert orphan_interval(timedelta(minutes=5), 60.0) == 60.0
    assert orphan_interval(timedelta(hours=2), 60.0) == 300.0
    assert orphan_interval(timedelta(hours=10), 60.0) == 900.0
    assert orphan_interval(timedelta(hours=30), 60.0) == 1800.0
    assert orphan_interval(timedelta(hours=48), 60.0) is None


def test_the_midtrans_dashboard_of_each_environment():
    assert midtrans_dashboard_url(MidtransAccess.for_environment("sandbox", "k")) == \
        "https://dashboard.sandbox.midtrans.com"
    assert midtrans_dashboard_url(MidtransAccess.for_environment("production", "k")) == \
        "https://dashboard.midtrans.com"
    assert midtrans_dashboard_url(None) == "https://dashboard.midtrans.com"
    assert midtrans_dashboard_url(MidtransAccess("http://127.0.0.1:8080/midtrans", "k")) == \
        "https://dashboard.sandbox.midtrans.com"


def detail(order_status: str, payment_status: str | None, method: str = "bca_va",
           provider: str = "bca") -> OrderDetail:
    order = OrderSummary(order_id=1, order_code="ZVR-20261127-26A6A050", customer_name="Budi", customer_email="",
                         total_amount=150000, status=order_status, created_at=None, updated_at=None, paid_at=None)
    payment = None if payment_status is None else PaymentInfo(
        id=4, status=payment_status, payment_method=method, payment_provider=provider, amount=150000,
        transaction_id="t-1", paid_at=None)
    return OrderDetail(order=order, payment=payment, raw={})


def test_the_snap_route_signature():
    assert snap_route_signature(detail("PAID", "PENDING"))
    assert not snap_route_signature(detail("PAID", "PAID"))  # Core webhook, /core/check, the admin's confirm
    assert not snap_route_signature(detail("PENDING", "PENDING"))
    assert not snap_route_signature(detail("PAID", "SUCCESS", "midtrans", "midtrans_snap"))  # a Snap order
    assert not snap_route_signature(detail("PAID", None))


def test_alert_json_lines():
    alert = HealthAlert(id=1, kind=HealthKind.ORPHAN_SETTLEMENT, detail="d", fix="f", raised_at=T0,
                        order_code="ZVR-1", amount=717000, midtrans_status="settlement", order_status="EXPIRED")
    line = alert.to_json()
    assert {k: line[k] for k in ("event", "kind", "order_code", "amount", "midtrans_status", "order_status",
                                 "detail")} == {"event": "alert", "kind": "orphan_settlement", "order_code": "ZVR-1",
                                                "amount": 717000, "midtrans_status": "settlement",
                                                "order_status": "EXPIRED", "detail": "d"}
    finding = HealthAlert(id=2, kind=HealthKind.WEBHOOKS_MISSING, detail="d", fix="f", raised_at=T0,
                          evidence={"orders": ["A"]})
    assert "order_code" not in finding.to_json() and finding.to_json()["evidence"] == {"orders": ["A"]}
    cleared = HealthAlert(id=2, kind=HealthKind.WEBHOOKS_MISSING, detail="d", fix="f", raised_at=T0,
                          cleared_at=T0 + timedelta(hours=1), cleared_reason="fixed", change="cleared")
    assert cleared.to_json()["event"] == "alert_cleared" and cleared.to_json()["detail"] == "fixed"
    assert ChangeBatch(alerts=[alert]) and not ChangeBatch()


# --- the monitor, fed by hand with an injected clock --------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def monitor(tmp_path):
    store = Store.open(tmp_path / "m.db")
    sink = ChangeSink(store, on_new=lambda _p: None)
    batches: list[ChangeBatch] = []
    sink.subscribe(batches.append)
    ctx = EngineContext(settings=EngineSettings(backend_url="https://api.shop.id"), store=store, sink=sink,
                        stats=EngineStats(), handle_rest_error=lambda *_: None, wait_resume=None,  # type: ignore
                        request_reconcile=lambda: None)
    clock = Clock()
    mon = HealthMonitor(ctx, None, clock=clock)  # type: ignore[arg-type]  # no loop: the client is never used
    sink.subscribe(mon.on_batch)
    yield mon, sink, clock, batches
    store.close()


def alerts_in(batches: list[ChangeBatch]) -> list[HealthAlert]:
    return [a for b in batches for a in b.alerts]


def connection(sink: ChangeSink, state: ConnectionState) -> None:
    sink.deliver(ChangeBatch(connection=ConnectionStatus(state, "cut by a proxy")))


def test_the_monitor_raises_and_clears_stream_unreliable_on_its_clock(monitor):
    mon, sink, clock, batches = monitor
    connection(sink, S.CONNECTING)
    clock.advance(1)
    connection(sink, S.LIVE)
    for _ in range(6):  # six cuts a minute apart
        clock.advance(60)
        connection(sink, S.RECONNECTING)
        clock.advance(1)
        connection(sink, S.LIVE)
    raised = [a for a in alerts_in(batches) if a.change == "raised"]
    assert [a.kind for a in raised] == [HealthKind.STREAM_UNRELIABLE]
    assert raised[0].evidence["drops"] == 6 and raised[0].raised_at == T0 + timedelta(seconds=1 + 5 * 61 + 60)
    clock.advance(1800)
    mon.evaluate_stream()
    assert not [a for a in alerts_in(batches) if a.change == "cleared"]  # the cuts are still in the last hour
    clock.advance(3600)
    mon.evaluate_stream()
    cleared = [a for a in alerts_in(batches) if a.change == "cleared"]
    assert len(cleared) == 1 and cleared[0].id == raised[0].id
    assert cleared[0].cleared_at == clock.now
    assert mon.picture().stream_drops == 0 and mon.picture().open_alerts == ()


def payment(code: str, by: DetectedBy) -> Payment:
    return Payment(order_code=code, amount=150000, payment_method="bca_va", customer=None, order_status="PAID",
                   paid_at=None, detected_at=T0, detected_by=by)


def test_the_monitor_raises_webhooks_missing_once_and_keeps_its_words_current(monitor):
    mon, sink, _clock, batches = monitor
    for i in range(7):
        sink.deliver(ChangeBatch(new_payments=[payment(f"S{i}", DetectedBy.STREAM)]))
    for i in range(4):
        sink.deliver(ChangeBatch(new_payments=[payment(f"V{i}", DetectedBy.VERIFY)]))
    kinds = [(a.kind, a.change) for a in alerts_in(batches)]
    assert kinds.count((HealthKind.WEBHOOKS_MISSING, "raised")) == 1
    assert (HealthKind.WEBHOOKS_MISSING, "updated") in kinds  # the 4th lost one joined the evidence
    stored = mon.store.open_alerts()
    assert len(stored) == 1 and stored[0].evidence["orders"] == ["V0", "V1", "V2", "V3"]
    assert "4 of the last 10" in stored[0].detail


def test_a_new_monitor_starts_from_the_stored_payments_and_open_alerts(monitor):
    mon, _sink, clock, _batches = monitor
    store = mon.store.store
    store.record_payments([PaymentCandidate(f"V{i}", 1000, DetectedBy.VERIFY, T0 + timedelta(seconds=i))
                           for i in range(3)])
    again = HealthMonitor(mon._ctx, None, clock=clock)  # type: ignore[arg-type]
    assert sorted(again.window.lost()) == ["V0", "V1", "V2"]
    again.evaluate_payments()
    assert again.is_open(HealthKind.WEBHOOKS_MISSING)
    third = HealthMonitor(mon._ctx, None, clock=clock)  # type: ignore[arg-type]
    assert third.is_open(HealthKind.WEBHOOKS_MISSING)  # loaded, not raised a second time
    third.evaluate_payments()
    assert len(mon.store.alerts()) == 1


def test_a_paid_order_clears_its_orphan_alert(monitor):
    mon, sink, _clock, batches = monitor
    alert = mon.raise_alert(AlertDraft(HealthKind.ORPHAN_SETTLEMENT, "d", "f", order_code="ZVR-X"),
                            once_per_order=True)
    assert alert is not None and mon.open_orders(HealthKind.ORPHAN_SETTLEMENT) == ["ZVR-X"]
    sink.deliver(ChangeBatch(new_payments=[payment("ZVR-X", DetectedBy.STREAM)]))
    cleared = [a for a in alerts_in(batches) if a.change == "cleared"]
    assert cleared[0].order_code == "ZVR-X" and "found by stream" in cleared[0].cleared_reason
    assert mon.raise_alert(AlertDraft(HealthKind.ORPHAN_SETTLEMENT, "d", "f", order_code="ZVR-X"),
                           once_per_order=True) is None


def test_shop_times_do_not_matter_here():
    # the rules work on aware UTC datetimes; a shop-local time compares the same
    local = T0.astimezone(ZoneInfo("Asia/Jakarta"))
    h = history((0, S.CONNECTING), (400, S.LIVE), start=local)
    assert RULES.stream_unreliable(h, T0 + timedelta(minutes=30)).raise_it
