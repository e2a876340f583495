"""The engine against the sandbox: every fault scenario ends with zero lost and zero duplicated
announcements (engine issue "Tests"; DESIGN §2, §4; contract §2.4–2.6, §10)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import SandboxControl, start_sandbox, wait_until
from zavera_desktop.backend.client import Credentials
from zavera_desktop.domain import ConnectionState, DetectedBy


def paid_orders(sandbox, n, webhook="deliver", **order):
    codes = []
    for _ in range(n):
        o = sandbox.create_order(**order)
        sandbox.pay(o["order_code"], webhook=webhook)
        codes.append(o["order_code"])
    return codes


def test_stream_payments_are_announced_once_with_their_source(sandbox, engine_factory):
    h = engine_factory(sandbox)
    h.wait_ready()
    codes = paid_orders(sandbox, 5)
    got = h.wait_announced(codes)
    assert {got[c].detected_by for c in codes} == {DetectedBy.STREAM}
    assert all(got[c].payment_method == "bca_va" and got[c].amount for c in codes)
    # the enrichment fills the customer name the stream does not carry, without re-announcing
    wait_until(lambda: {p.order_code for p in h.updated if p.customer} >= set(codes), 10, "enrichment")
    h.assert_exactly_once(codes)


@pytest.mark.parametrize("mode", ["fin", "clean"])
def test_stream_cut_mid_event(sandbox, engine_factory, mode):
    h = engine_factory(sandbox)
    h.wait_ready()
    before = paid_orders(sandbox, 2)
    h.wait_announced(before)
    connections = h.engine._stream.connections
    sandbox.faults(cut_streams=mode)
    # paid during the reconnect gap: their broadcast reaches nobody (contract §2.4)
    gap = paid_orders(sandbox, 3)
    wait_until(lambda: h.engine._stream.connections > connections, 10, "a reconnect")
    after = paid_orders(sandbox, 2)
    h.wait_announced(before + gap + after)
    h.assert_exactly_once(before + gap + after)


def test_stalled_stream_is_caught_by_the_read_timeout(sandbox, engine_factory):
    h = engine_factory(sandbox, read_timeout=1.5)
    h.wait_ready()
    connections = h.engine._stream.connections
    sandbox.faults(stall_streams=6)
    lost = paid_orders(sandbox, 2)  # broadcast into the silent connection: lost on the wire
    wait_until(lambda: h.engine._stream.connections > connections, 10, "the watchdog to reconnect")
    got = h.wait_announced(lost)
    assert {got[c].detected_by for c in lost} == {DetectedBy.RECONCILE}
    assert ConnectionState.RECONNECTING in h.states
    h.assert_exactly_once(lost)


def test_sandbox_restart_with_payments_made_while_down(tmp_path, engine_factory):
    db = tmp_path / "shop.db"
    server = start_sandbox(db=str(db))
    control = SandboxControl(server)
    try:
        h = engine_factory(control, reconnect_min=1.0)
        h.wait_ready()
        first = paid_orders(control, 2)
        pending = [control.create_order()["order_code"] for _ in range(3)]
        h.wait_announced(first)
        port, creds = server.port, server.credentials
        server.stop()
        wait_until(lambda: h.engine.status.state is not ConnectionState.LIVE, 10, "the engine to notice")
        server = start_sandbox(db=str(db), port=port, admin_email=creds["admin_email"],
                               admin_password=creds["admin_password"], server_key=creds["server_key"])
        control.rebind(server)
        # paid before the engine reconnects: every broadcast goes to nobody
        for code in pending:
            control.pay(code)
        h.wait_announced(first + pending, timeout=30)
        h.assert_exactly_once(first + pending)
    finally:
        control.close()
        server.stop()


def test_expired_tokens_lead_to_a_relogin(sandbox, engine_factory):
    h = engine_factory(sandbox)
    h.wait_ready()
    sandbox.faults(expire_tokens=True)
    # REST calls now get 401; the open stream survives (token checked at connect only, §2.1)
    snap = paid_orders(sandbox, 2, webhook="snap")  # only reconcile can find these
    got = h.wait_announced(snap)
    assert {got[c].detected_by for c in snap} == {DetectedBy.RECONCILE}
    # and a reconnect after the cut also needs (and gets) a fresh token
    sandbox.faults(cut_streams="fin")
    gap = paid_orders(sandbox, 2)
    h.wait_announced(snap + gap)
    h.wait_live()
    assert h.engine.status.state is ConnectionState.LIVE
    h.assert_exactly_once(snap + gap)


def test_non_admin_account_is_forbidden(sandbox, engine_factory):
    creds = Credentials(sandbox.creds["user_email"], sandbox.creds["user_password"])
    h = engine_factory(sandbox, credentials=creds)
    wait_until(lambda: h.engine.status.state is ConnectionState.FORBIDDEN, 10, "forbidden")
    assert "not the shop admin" in h.engine.status.detail
    assert h.announced == []


def test_wrong_password_is_auth_required(sandbox, engine_factory):
    h = engine_factory(sandbox, credentials=Credentials(sandbox.creds["admin_email"], "not-the-password"))
    wait_until(lambda: h.engine.status.state is ConnectionState.AUTH_REQUIRED, 10, "auth_required")
    assert "wrong e-mail or password" in h.engine.status.detail


def test_5xx_bursts_on_the_orders_endpoint(sandbox, engine_factory):
    # only reconcile reads the orders endpoint here
    h = engine_factory(sandbox, verify_interval=3600, verify_after=3600)
    h.wait_ready()
    runs = h.engine.stats.reconcile_runs
    confirmed = [sandbox.create_order()["order_code"] for _ in range(2)]
    for code in confirmed:
        sandbox.confirm_payment(code)
    sandbox.faults(fail={"prefix": "/api/admin/orders", "status": 503, "count": 4})
    snap = paid_orders(sandbox, 3, webhook="snap")
    h.engine.refresh()
    got = h.wait_announced(snap + confirmed)
    wait_until(lambda: h.engine.stats.reconcile_runs > runs, 5, "the reconcile to finish")
    assert {got[c].detected_by for c in snap + confirmed} == {DetectedBy.RECONCILE}
    assert any("Reconcile" in a for a in h.activity)  # the failure was reported in words
    h.assert_exactly_once(snap + confirmed)


def test_dropped_webhook_is_found_by_verify(sandbox, engine_factory):
    h = engine_factory(sandbox)
    h.wait_ready()
    codes = paid_orders(sandbox, 3, webhook="drop")
    got = h.wait_announced(codes)
    assert {got[c].detected_by for c in codes} == {DetectedBy.VERIFY}
    # the /core/check that found each one also broadcast payment_received: deduplicated
    wait_until(lambda: sandbox.notifications_sent() >= 3, 10, "the check broadcasts")
    wait_until(lambda: h.engine.stats.stream_payments >= 3, 10, "the broadcasts to arrive")
    h.assert_exactly_once(codes)


def test_429_on_check_backs_off_and_still_finds_the_payment(sandbox, engine_factory):
    sandbox.faults(fail={"prefix": "/api/payments/core/check", "status": 429, "count": 2, "retry_after": 1})
    h = engine_factory(sandbox)
    h.wait_ready()
    codes = paid_orders(sandbox, 1, webhook="drop")
    got = h.wait_announced(codes, timeout=30)
    assert got[codes[0]].detected_by is DetectedBy.VERIFY
    assert any("Status checks" in a for a in h.activity)
    h.assert_exactly_once(codes)


def test_snap_route_webhook_is_found_by_reconcile(sandbox, engine_factory):
    h = engine_factory(sandbox)
    h.wait_ready()
    codes = paid_orders(sandbox, 2, webhook="snap")
    got = h.wait_announced(codes)
    assert {got[c].detected_by for c in codes} == {DetectedBy.RECONCILE}
    assert sandbox.notifications_sent() == 0  # the Snap route never broadcasts (§5.7)
    h.assert_exactly_once(codes)


def test_admin_confirm_payment_is_found_by_reconcile(sandbox, engine_factory):
    h = engine_factory(sandbox)
    h.wait_ready()
    code = sandbox.create_order()["order_code"]
    sandbox.confirm_payment(code)
    got = h.wait_announced([code])
    assert got[code].detected_by is DetectedBy.RECONCILE
    h.assert_exactly_once([code])


def test_two_payment_received_for_one_order(sandbox, engine_factory):
    """The /core/check vs webhook race: two broadcasts, different ids, one order (§4.1, §10.9)."""
    h = engine_factory(sandbox, verify_interval=3600, verify_after=3600)  # keep our own verify out of the way
    h.wait_ready()
    order = sandbox.create_order()
    sandbox.faults(midtrans_delay_ms=800)
    import threading

    check = threading.Thread(target=lambda: sandbox.core_check(order["payment_id"]))
    check.start()
    time.sleep(0.3)  # the check has read PENDING and is waiting for Midtrans
    sandbox.pay(order["order_code"], webhook="deliver")
    check.join(10)
    wait_until(lambda: sandbox.notifications_sent() >= 2, 10, "two payment_received broadcasts")
    wait_until(lambda: h.engine.stats.stream_payments >= 2, 10, "both to reach the engine")
    h.assert_exactly_once([order["order_code"]])


def test_late_settlement_of_an_expired_order(sandbox, engine_factory):
    """The backend's 24 h order-expiry job marks the order EXPIRED while the VA is still open at
    Midtrans; the customer pays late and the Core webhook marks it PAID anyway (§3.3, §9, §10.4)."""
    h = engine_factory(sandbox)
    h.wait_ready()
    created = (datetime.now(ZoneInfo("Asia/Jakarta")) - timedelta(hours=25)).strftime("%Y-%m-%d %H:%M:%S")
    order = sandbox.create_order(created_at=created)
    assert sandbox.http.post("/sandbox/jobs/order-expiry").json()["expired"] >= 1
    h.engine.refresh()
    wait_until(lambda: getattr(h.store.seen_order(order["order_code"]), "status", None) == "EXPIRED", 10,
               "the engine to see the order EXPIRED")
    assert h.counts() == {}
    sandbox.pay(order["order_code"])
    got = h.wait_announced([order["order_code"]])
    assert got[order["order_code"]].detected_by is DetectedBy.STREAM
    h.engine.refresh()
    wait_until(lambda: h.store.seen_order(order["order_code"]).status == "PAID", 10, "the reconcile to agree")
    h.assert_exactly_once([order["order_code"]])


def test_malformed_unknown_and_oversized_events(sandbox, engine_factory):
    h = engine_factory(sandbox)
    h.wait_ready()
    crlf = sandbox.create_order()["order_code"]
    multi = sandbox.create_order()["order_code"]
    sandbox.pay(crlf, webhook="drop")
    sandbox.pay(multi, webhook="drop")
    connections = h.engine._stream.connections
    for kind in ("non_json", "unknown_type"):
        sandbox.faults(malformed=kind)
    sandbox.faults(malformed="crlf", order_code=crlf)
    sandbox.faults(malformed="multiline", order_code=multi)
    got = h.wait_announced([crlf, multi])
    assert {got[c].detected_by for c in (crlf, multi)} == {DetectedBy.STREAM}
    sandbox.faults(malformed="huge")
    wait_until(lambda: h.engine._stream.connections > connections, 10, "a reconnect after the oversized event")
    after = paid_orders(sandbox, 2)
    h.wait_announced([crlf, multi, *after])
    assert h.engine.stats.malformed_events >= 2
    h.assert_exactly_once([crlf, multi, *after])


@pytest.mark.slow
def test_burst_of_2000_payments(sandbox, engine_factory):
    h = engine_factory(sandbox, enrich_payments=False)
    h.wait_ready()
    orders = [sandbox.create_order(notify=False)["order_code"] for _ in range(2000)]
    for code in orders:
        sandbox.pay(code, delay_ms=1)  # scheduled: webhooks land as fast as the sandbox can take them
    h.wait_announced(orders, timeout=120)
    h.assert_exactly_once(orders)


def test_pagination_shifting_during_a_reconcile(sandbox, engine_factory):
    h = engine_factory(sandbox, poll_interval=3600, verify_interval=3600, verify_after=3600, lookback_days=3)
    h.wait_ready()
    # 250 orders paid through the Snap route: only a reconcile can find them, across 3 pages
    codes = [sandbox.create_order(notify=False)["order_code"] for _ in range(250)]
    for code in codes:
        sandbox.pay(code, webhook="snap")
    arrivals: list[str] = []

    def on_page(page_no, page):
        if page_no == 2 and len(arrivals) < 40:  # new paid orders push every row down
            for _ in range(20):
                o = sandbox.create_order(notify=False)
                sandbox.pay(o["order_code"], webhook="snap")
                arrivals.append(o["order_code"])

    h.engine._polling.reconciler.on_page = on_page
    h.engine.refresh()
    h.wait_announced(codes + arrivals, timeout=30)
    h.assert_exactly_once(codes + arrivals)


def test_stream_down_for_good_polls_at_the_poll_interval(sandbox, engine_factory):
    """While the stream cannot come back, reconcile runs every poll interval — even though it was
    scheduled at the (long) live interval when the stream went down (DESIGN §4)."""
    h = engine_factory(sandbox, live_reconcile_interval=3600, verify_interval=3600, verify_after=3600,
                       reconnect_min=0.5)
    h.wait_ready()
    sandbox.faults(fail={"prefix": "/api/admin/events", "status": 503, "count": 100000})
    # and no help from the change detector: only the poll schedule itself can find the payments
    sandbox.faults(fail={"prefix": "/api/admin/dashboard", "status": 502, "count": 100000,
                         "content_type": "text/html", "body": "<html>Bad Gateway</html>"})
    sandbox.faults(cut_streams="fin")
    wait_until(lambda: h.engine.status.state is not ConnectionState.LIVE, 10, "the stream to go down")
    time.sleep(1.0)  # past the reconcile that a reconnect attempt may trigger
    codes = paid_orders(sandbox, 2)  # webhook delivered, broadcast to nobody
    got = h.wait_announced(codes, timeout=10)
    assert {got[c].detected_by for c in codes} == {DetectedBy.RECONCILE}
    assert h.engine.status.state is not ConnectionState.LIVE
    h.assert_exactly_once(codes)
