"""Admin actions against the sandbox: the status check in words, "check all stuck", the webhook replay,
and their audit rows (engine/actions.py, engine/replay.py)."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import threading
from collections import defaultdict
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import select

from tests.helpers import wait_until
from zavera_desktop.backend.client import Credentials
from zavera_desktop.backend.errors import MidtransAuthError, MidtransNotFoundError, NotFoundError
from zavera_desktop.backend.midtrans import MidtransAccess, basic_auth
from zavera_desktop.config import EngineSettings
from zavera_desktop.domain import DetectedBy
from zavera_desktop.engine.action_types import ActionError, ActionProgress, OutcomeKind, TransactionIdNeeded
from zavera_desktop.engine.oneshot import one_shot
from zavera_desktop.engine.replay import AlreadyPaid
from zavera_desktop.store import Store
from zavera_desktop.store.audit import AuditFilter, read_actions
from zavera_desktop.store.schema import ActionRow

QUIET = dict(verify_interval=3600, verify_after=3600, live_reconcile_interval=3600, poll_interval=3600)


def midtrans_for(sandbox, key: str | None = None, environment: str = "custom") -> MidtransAccess:
    return MidtransAccess(f"{sandbox.url}/midtrans", key or sandbox.creds["server_key"], environment)


def harness(sandbox, engine_factory, **kw):
    h = engine_factory(sandbox, midtrans=kw.pop("midtrans", midtrans_for(sandbox)), **{**QUIET, **kw})
    h.wait_ready()
    return h


def audit(store, **flt):
    return read_actions(store, AuditFilter(**flt), limit=1000)


def webhooks_received(sandbox) -> dict[str, int]:
    return dict(sandbox.state()["webhooks_received"]["core"])


def core_checks(sandbox) -> list[dict]:
    return sandbox.http.get("/sandbox/core-checks").json()


def force_midtrans(sandbox, code: str, status: str) -> dict:
    r = sandbox.http.post("/sandbox/midtrans/status", json={"order_code": code, "transaction_status": status})
    assert r.status_code == 200, r.text
    return r.json()


def blank_transaction_id(sandbox, code: str) -> None:
    """A Core payment whose transaction_id is empty: the order detail then has none (contract §11).
    The control API cannot make one, so the test reaches into the sandbox's database."""
    from zavera_desktop.sandbox.db import Order, OrderPayment

    with sandbox.server._runtime.db.session() as session:
        order = session.scalars(select(Order).where(Order.order_code == code)).one()
        row = session.scalars(select(OrderPayment).where(OrderPayment.order_id == order.id)).one()
        row.transaction_id = ""
        session.commit()


# --- replay ------------------------------------------------------------------------------------------


def test_dropped_webhook_replayed_order_paid_announced_once_as_replay(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    order = sandbox.create_order(customer_name="Dewi Lestari", amount=717000)
    code = order["order_code"]
    sandbox.pay(code, webhook="drop")  # Midtrans has the money; the backend never heard
    preview = h.engine.replay_preview(code, actor="admin@zavera.test").result(15)
    assert (preview.order_status, preview.transaction_status, preview.id_source) == ("PENDING", "settlement",
                                                                                   "order_detail")
    assert preview.midtrans_id == order["transaction_id"]
    assert preview.payload["order_id"] == order["midtrans_order_id"]
    assert preview.payload["gross_amount"] == "717000.00"
    assert preview.masked_payload["signature_key"] == "***" and len(preview.payload["signature_key"]) == 128
    assert preview.webhook_url == f"{sandbox.url}/api/webhook/midtrans/core"
    assert preview.warnings == ()
    assert webhooks_received(sandbox) == {}  # a preview sends nothing

    outcome = h.engine.replay_send(preview, actor="admin@zavera.test").result(15)
    assert (outcome.outcome, outcome.reason, outcome.webhook_status) == (OutcomeKind.PAID, "paid", "ok")
    assert outcome.backend_status == "PAID" and outcome.newly_detected
    assert "now shows" in outcome.explanation and "PAID" in outcome.explanation
    assert outcome.to_json() == {"action": "replay", "order_code": code, "outcome": "paid",
                                 "backend_status": "PAID", "message": outcome.explanation}
    p = h.wait_announced([code])[code]
    assert p.detected_by is DetectedBy.REPLAY
    assert (p.amount, p.payment_method) == (717000, "bca_va")
    # the webhook's own broadcast (it carries the method) arrives too: still one announcement
    wait_until(lambda: sandbox.notifications_sent() == 1, 5, "the webhook's broadcast")
    wait_until(lambda: h.engine.stats.stream_payments >= 1, 5, "the broadcast to reach the engine")
    h.assert_exactly_once([code])
    assert webhooks_received(sandbox) == {"ok": 1}

    [row] = audit(h.store, actions=["replay"])
    assert (row.actor, row.order_code, row.outcome, row.id) == ("admin@zavera.test", code, "paid", outcome.action_id)
    assert row.request["payload"] == dict(preview.payload)  # kept for "Replay again"
    assert row.response["webhook"] == {"http_status": 200, "status": "ok", "message": ""}
    assert row.shown_request["payload"]["signature_key"] == "***"


@pytest.mark.parametrize(("in_flight", "method", "credited"), [
    (DetectedBy.REPLAY, "bca_va", DetectedBy.REPLAY),  # the replayed webhook's broadcast carries the method
    (DetectedBy.REPLAY, "", DetectedBy.REPLAY),
    (DetectedBy.VERIFY, "", DetectedBy.VERIFY),  # a /core/check broadcast has no method
    (DetectedBy.VERIFY, "bca_va", DetectedBy.STREAM),  # a real webhook during our check is not the check's doing
    (None, "bca_va", DetectedBy.STREAM),
    (None, "", DetectedBy.STREAM),
])
def test_a_broadcast_is_credited_to_the_replay_only_while_it_is_in_flight(in_flight, method, credited):
    from zavera_desktop.domain import Notification
    from zavera_desktop.engine.stream_events import StreamEvents

    queued = []
    sink = SimpleNamespace(queue=lambda payments=(), activity=(), seen=(): queued.extend(payments))
    events = StreamEvents(sink, checking=lambda code: in_flight if code == "ZVR-1" else None,
                          on_malformed=lambda _d: None)
    events(Notification("n-1", "payment_received", "", "", "success",
                        {"order_code": "ZVR-1", "amount": 150000, "payment_method": method}, None))
    assert [c.detected_by for c in queued] == [credited]


def test_a_normal_webhook_is_still_the_streams(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    delivered = sandbox.create_order()["order_code"]
    sandbox.pay(delivered)
    assert h.wait_announced([delivered])[delivered].detected_by is DetectedBy.STREAM


def test_replay_signed_with_a_key_the_backend_does_not_have_shows_its_answer(sandbox, tmp_path):
    """Midtrans accepts the key (here: a stand-in that forwards with the right one), the backend has another:
    the backend's own "invalid webhook signature" comes back, in words."""
    code = sandbox.create_order()["order_code"]
    sandbox.pay(code, webhook="drop")

    class RightKeyAtMidtrans(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            request.headers["Authorization"] = basic_auth(sandbox.creds["server_key"])
            return await self.inner.handle_async_request(request)

    async def run():
        store = Store.open(tmp_path / "k.db")
        settings = EngineSettings(backend_url=sandbox.url)
        creds = Credentials(sandbox.creds["admin_email"], sandbox.creds["admin_password"])
        try:
            wrong = midtrans_for(sandbox, "SB-Mid-server-WRONG")
            async with one_shot(settings, store, credentials=creds, midtrans=wrong,
                                midtrans_transport=RightKeyAtMidtrans()) as shot:
                preview = await shot.actions.replay_preview(code, shot.actor)
                outcome = await shot.actions.replay_send(preview, shot.actor)
            return outcome, audit(store, actions=["replay"])
        finally:
            store.close()

    outcome, rows = asyncio.run(run())
    assert (outcome.outcome, outcome.reason) == (OutcomeKind.REJECTED, "bad_signature")
    assert outcome.backend_message == "invalid webhook signature"
    assert '"invalid webhook signature"' in outcome.explanation and "server key" in outcome.explanation
    assert outcome.backend_status == "PENDING"
    assert webhooks_received(sandbox) == {"error:invalid webhook signature": 1}
    assert [r.outcome for r in rows] == ["rejected"]
    assert rows[0].actor == sandbox.creds["admin_email"]


def test_midtrans_refuses_a_wrong_key_and_nothing_is_sent(sandbox, engine_factory):
    h = harness(sandbox, engine_factory, midtrans=midtrans_for(sandbox, "SB-Mid-server-wrong"))
    code = sandbox.create_order()["order_code"]
    sandbox.pay(code, webhook="drop")
    with pytest.raises(MidtransAuthError) as err:
        h.engine.replay_preview(code, actor="admin@zavera.test").result(15)
    assert "server key" in str(err.value) and "SB-Mid-server-wrong" not in str(err.value)
    assert webhooks_received(sandbox) == {}
    [row] = audit(h.store, actions=["replay"])
    assert (row.outcome, row.order_code) == ("error", code)
    assert "refused the server key" in row.response["error"]


def test_midtrans_knows_no_such_id(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    code = sandbox.create_order()["order_code"]
    with pytest.raises(MidtransNotFoundError):
        h.engine.replay_preview(code, actor="a@x", transaction_id=f"{code}-1769050000-beef").result(15)
    [row] = audit(h.store, actions=["replay"])
    assert row.outcome == "error" and row.request["id_source"] == "admin"


def test_unknown_order_for_check_and_replay(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    with pytest.raises(NotFoundError):
        h.engine.check_order("ZVR-20200101-DEADBEEF", actor="a@x").result(15)
    with pytest.raises(NotFoundError):
        h.engine.replay_preview("zvr-20200101-deadbeef", actor="a@x").result(15)
    rows = audit(h.store, order_code="ZVR-20200101-DEADBEEF")
    assert sorted((r.action, r.outcome) for r in rows) == [("replay", "error"), ("status_check", "error")]


def test_missing_transaction_id_asks_for_the_midtrans_order_id_then_replays(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    order = sandbox.create_order()
    code = order["order_code"]
    sandbox.pay(code, webhook="drop")
    blank_transaction_id(sandbox, code)
    detail = h.engine.order_detail(code).result(10)
    assert detail.payment is not None and detail.payment.is_core and detail.payment.transaction_id == ""

    with pytest.raises(TransactionIdNeeded) as err:
        h.engine.replay_preview(code, actor="a@x").result(15)
    assert err.value.reason == "transaction_id_needed"
    assert "Midtrans dashboard" in str(err.value) and "Midtrans order id" in str(err.value)
    assert sandbox.state()["midtrans"]["status_requests_by_caller"]["external"] == 0

    # another order's id is refused before anything is sent
    other = sandbox.create_order()
    with pytest.raises(ActionError) as err:
        h.engine.replay_preview(code, actor="a@x", transaction_id=other["midtrans_order_id"]).result(15)
    assert err.value.reason == "other_order" and err.value.params["belongs_to"] == other["order_code"]

    preview = h.engine.replay_preview(code, actor="a@x", transaction_id=f" {order['midtrans_order_id']} ").result(15)
    assert (preview.id_source, preview.midtrans_id) == ("admin", order["midtrans_order_id"])
    outcome = h.engine.replay_send(preview, actor="a@x").result(15)
    assert outcome.outcome is OutcomeKind.PAID
    assert h.wait_announced([code])[code].detected_by is DetectedBy.REPLAY
    assert [r.outcome for r in audit(h.store, order_code=code)] == ["paid", "error"]  # newest first


def test_replay_of_a_pending_transaction_and_of_a_late_settlement_say_why_nothing_changed(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    code = sandbox.create_order()["order_code"]
    preview = h.engine.replay_preview(code, actor="a@x").result(15)
    assert preview.transaction_status == "pending"
    assert [w[0] for w in preview.warnings] == ["midtrans_not_settled"]
    outcome = h.engine.replay_send(preview, actor="a@x").result(15)
    assert (outcome.outcome, outcome.reason, outcome.backend_status) == (OutcomeKind.PENDING, "midtrans_not_settled",
                                                                         "PENDING")
    assert outcome.explanation.startswith("Still PENDING")

    late = sandbox.create_order()["order_code"]
    sandbox.expire(late)  # payment and order EXPIRED
    sandbox.pay(late, webhook="drop")  # then the money arrives at Midtrans
    preview = h.engine.replay_preview(late, actor="a@x").result(15)
    assert [w[0] for w in preview.warnings] == ["payment_final"]
    outcome = h.engine.replay_send(preview, actor="a@x").result(15)
    assert (outcome.outcome, outcome.reason) == (OutcomeKind.FAILED, "payment_final")
    assert "already EXPIRED" in outcome.explanation
    assert h.counts() == {}


def test_replay_refuses_an_order_already_paid(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    code = sandbox.create_order()["order_code"]
    sandbox.confirm_payment(code)  # PAID through the admin path; order_payments stays PENDING
    with pytest.raises(AlreadyPaid) as err:
        h.engine.replay_preview(code, actor="a@x").result(15)
    assert err.value.params == {"status": "PAID"}
    assert webhooks_received(sandbox) == {} and sandbox.state()["midtrans"]["status_requests"] == 0
    [row] = audit(h.store, actions=["replay"])
    assert row.outcome == "paid"


def test_dry_run_sends_nothing_and_replay_again_sends_the_stored_payload(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    code = sandbox.create_order()["order_code"]
    sandbox.pay(code, webhook="drop")
    before = sandbox.state()
    preview = h.engine.replay_preview(code, actor="a@x").result(15)
    dry = h.engine.replay_send(preview, actor="a@x", dry_run=True).result(15)
    assert (dry.outcome, dry.backend_status) == (OutcomeKind.DRY_RUN, "PENDING")
    assert dry.to_json()["payload"]["signature_key"] == "***"
    after = sandbox.state()
    assert after["webhooks_received"] == before["webhooks_received"]
    assert after["core_check"] == before["core_check"]
    assert after["notifications"].get("payment_received", 0) == 0

    again = h.engine.replay_again(dry.action_id, actor="b@x").result(15)
    assert (again.outcome, again.backend_status) == (OutcomeKind.PAID, "PAID")
    rows = audit(h.store, actions=["replay"])
    assert [r.outcome for r in rows] == ["paid", "dry_run"]
    assert rows[0].request["replay_of"] == dry.action_id and rows[0].request["payload"] == rows[1].request["payload"]
    assert h.wait_announced([code])[code].detected_by is DetectedBy.REPLAY
    with pytest.raises(AlreadyPaid):  # once paid, "Replay again" refuses too
        h.engine.replay_again(dry.action_id, actor="b@x").result(15)


def test_replay_goes_only_to_the_backend_and_production_needs_the_typed_code(sandbox, engine_factory):
    h = harness(sandbox, engine_factory, midtrans=midtrans_for(sandbox, environment="production"))
    with pytest.raises(ActionError) as err:
        h.engine.set_webhook_url("http://127.0.0.2:9/api/webhook/midtrans/core")
    assert err.value.reason == "webhook_origin"
    h.engine.set_webhook_url(f"{sandbox.url}/api/payments/core/webhook")  # the other Core route, same origin
    code = sandbox.create_order()["order_code"]
    sandbox.pay(code, webhook="drop")
    preview = h.engine.replay_preview(code, actor="a@x").result(15)
    assert preview.needs_typed_confirmation and preview.webhook_url.endswith("/api/payments/core/webhook")
    for typed in (None, "ZVR-WRONG"):
        with pytest.raises(ActionError) as err:
            h.engine.replay_send(preview, actor="a@x", confirmation=typed).result(15)
        assert err.value.reason == "confirmation_required"
    assert webhooks_received(sandbox) == {}
    outcome = h.engine.replay_send(preview, actor="a@x", confirmation=code.lower()).result(15)
    assert outcome.outcome is OutcomeKind.PAID


# --- status check --------------------------------------------------------------------------------------


def test_check_on_a_cancelled_order_explains_the_short_circuit(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    code = sandbox.create_order()["order_code"]
    sandbox.cancel(code)
    outcome = h.engine.check_order(code, actor="a@x").result(15)
    assert (outcome.outcome, outcome.reason, outcome.status, outcome.backend_status) == (
        OutcomeKind.CANCELLED, "cancelled_by_admin", "CANCELLED", "CANCELLED")
    assert outcome.backend_message.startswith("Pesanan telah dibatalkan oleh admin")
    assert "Midtrans was not asked" in outcome.explanation or "did not ask Midtrans" in outcome.explanation
    assert sandbox.state()["midtrans"]["status_requests_by_caller"]["core_check"] == 0
    [row] = audit(h.store, actions=["status_check"])
    assert (row.outcome, row.response["reason"]) == ("cancelled", "cancelled_by_admin")


def test_check_pending_says_midtrans_may_have_been_unreachable(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    code = sandbox.create_order()["order_code"]
    outcome = h.engine.check_order(code, actor="a@x").result(15)
    assert (outcome.outcome, outcome.reason, outcome.backend_message) == (OutcomeKind.PENDING, "pending",
                                                                          "Pembayaran belum diterima")
    assert "could not be reached" in outcome.explanation
    assert outcome.to_json() == {"action": "check", "order_code": code, "outcome": "pending",
                                 "backend_status": "PENDING", "message": outcome.explanation}


def test_check_finds_a_denied_payment_and_a_lost_settlement(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    denied = sandbox.create_order()["order_code"]
    force_midtrans(sandbox, denied, "deny")
    outcome = h.engine.check_order(denied, actor="a@x").result(15)
    assert (outcome.outcome, outcome.reason, outcome.backend_status) == (OutcomeKind.FAILED, "payment_failed",
                                                                         "PENDING")
    lost = sandbox.create_order()["order_code"]
    sandbox.pay(lost, webhook="drop")
    outcome = h.engine.check_order(lost, actor="a@x").result(15)
    assert (outcome.outcome, outcome.reason, outcome.newly_detected) == (OutcomeKind.PAID, "paid", True)
    assert h.wait_announced([lost])[lost].detected_by is DetectedBy.VERIFY
    h.assert_exactly_once([lost])


def test_a_429_is_waited_out_shown_and_retried_once(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    order = sandbox.create_order()
    # the same admin account checked it a moment ago elsewhere (another session): our limiter cannot know
    assert sandbox.core_check(order["payment_id"]).json()["status"] == "PENDING"
    sandbox.pay(order["order_code"], webhook="drop")
    events: list[ActionProgress] = []
    outcome = h.engine.check_order(order["order_code"], actor="a@x", progress=events.append).result(20)
    assert outcome.outcome is OutcomeKind.PAID and outcome.waited >= 4.5
    [wait] = [e for e in events if e.stage == "waiting"]
    assert wait.why == "rate_limited" and 4.5 <= wait.wait_seconds <= 5.5
    calls = [c for c in core_checks(sandbox) if c["payment_id"] == order["payment_id"]]
    assert [c["status_code"] for c in calls] == [200, 429, 200]
    assert calls[2]["at"] - calls[0]["at"] >= 5.0


def test_check_all_stuck_keeps_the_rate_limit_and_sums_up(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    made = sandbox.http.post("/sandbox/orders/bulk", json={"count": 30, "age_seconds": 7200, "spread_seconds": 600})
    orders = made.json()["orders"]
    paid = [o["order_code"] for o in orders[5:8]]
    for code in paid:
        sandbox.pay(code, webhook="drop")
    force_midtrans(sandbox, orders[8]["order_code"], "deny")
    # the admin checked one a moment ago: the run must leave it for last and wait out its 5 s
    first = h.engine.check_order(orders[4]["order_code"], actor="a@x").result(15)
    assert first.outcome is OutcomeKind.PENDING
    sandbox.faults(fail={"prefix": "/api/payments/core/check", "status": 500, "count": 1})  # the next check fails

    events: list[ActionProgress] = []
    summary = h.engine.check_all_stuck(actor="admin@zavera.test", progress=events.append).result(60)
    assert summary.total == 30 and len(summary.items) == 30 and not summary.cancelled
    assert summary.now_paid == 3 and summary.count(OutcomeKind.FAILED) == 1
    assert summary.count(OutcomeKind.PENDING) == 25 and len(summary.errors) == 1
    assert summary.items[-1].order_code == orders[4]["order_code"]  # the one that had to wait went last
    failed = summary.errors[0]
    assert failed.order_code == orders[0]["order_code"] and "HTTP 500" in failed.explanation
    assert summary.text.startswith("3 now paid, 25 still pending, 1 expired or denied at Midtrans, 1 failed: "
                                   f"{failed.order_code} (")
    # progress: one "checking" per payment, the wait for the recently checked one (none if the other 29
    # took longer than its 5 s on a loaded machine), and "done"
    assert sum(e.stage == "checking" for e in events) == 30
    waits = [e for e in events if e.stage == "waiting"]
    assert [e.why for e in waits] in ([], ["spacing"]) and all(e.order_code == orders[4]["order_code"] for e in waits)
    assert events[-1].stage == "done" and events[-1].done == 30 and events[-1].counts["paid"] == 3

    # the backend never saw two checks of one payment within 5 s, nor a 429
    by_payment: dict[int, list[float]] = defaultdict(list)
    for call in core_checks(sandbox):
        assert call["status_code"] != 429
        by_payment[call["payment_id"]].append(call["at"])
    for times in by_payment.values():
        assert all(b - a >= 5.0 for a, b in itertools.pairwise(times))
    assert h.wait_announced(paid).keys() >= set(paid)
    assert {h.by_code()[c].detected_by for c in paid} == {DetectedBy.VERIFY}
    h.assert_exactly_once(paid)

    [bulk] = audit(h.store, actions=["bulk_check"])
    assert bulk.id == summary.action_id and bulk.response["explanation"] == summary.text
    assert sorted(bulk.response["now_paid"]) == sorted(paid)
    assert len(audit(h.store, actions=["status_check"])) == 31  # 30 from the run + the admin's own
    assert {r.order_code for r in audit(h.store, actions=["status_check"], outcomes=["paid"])} == set(paid)


def test_check_all_stuck_can_be_cancelled(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    sandbox.http.post("/sandbox/orders/bulk", json={"count": 8, "age_seconds": 7200})
    cancel = threading.Event()

    def progress(e: ActionProgress) -> None:
        if e.stage == "checking" and e.done == 3:
            cancel.set()

    summary = h.engine.check_all_stuck(actor="a@x", progress=progress, cancel=cancel).result(30)
    assert summary.cancelled and len(summary.items) == 4 and summary.total == 8
    assert summary.text.endswith("cancelled after 4 of 8")
    assert audit(h.store, actions=["bulk_check"])[0].outcome.endswith("(cancelled)")


# --- secrets ---------------------------------------------------------------------------------------------


def test_no_secret_in_the_database_audit_log_or_logs(sandbox, engine_factory, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "secrets.db"
    h = harness(sandbox, engine_factory, db_path=db)
    key, password = sandbox.creds["server_key"], sandbox.creds["admin_password"]
    token = sandbox.admin_token()
    code = sandbox.create_order()["order_code"]
    sandbox.pay(code, webhook="drop")
    h.engine.replay_send(h.engine.replay_preview(code, actor="a@x").result(15), actor="a@x").result(15)
    h.engine.check_order(code, actor="a@x").result(15)
    h.engine.set_midtrans(midtrans_for(sandbox, "SB-Mid-server-typo"))
    other = sandbox.create_order()["order_code"]
    with pytest.raises(MidtransAuthError):
        h.engine.replay_preview(other, actor="a@x").result(15)
    h.engine.check_all_stuck(actor="a@x").result(30)
    h.close()

    store = Store.open(db)
    try:
        texts = [json.dumps(e.to_json()) for e in read_actions(store, limit=1000)]
        with store._session() as session:
            texts += [repr((r.request, r.response, r.outcome)) for r in session.scalars(select(ActionRow))]
    finally:
        store.close()
    assert len(texts) >= 8
    blobs = b"".join(p.read_bytes() for p in tmp_path.glob("secrets.db*"))
    texts += [r.getMessage() for r in caplog.records] + [caplog.text]
    for secret in (key, password, token, "SB-Mid-server-typo"):
        assert secret.encode() not in blobs
        assert not any(secret in t for t in texts), "a secret reached the audit log or a log line"


def test_check_all_stuck_stops_when_the_backend_is_down(sandbox, engine_factory):
    h = harness(sandbox, engine_factory)
    sandbox.http.post("/sandbox/orders/bulk", json={"count": 6, "age_seconds": 7200})
    sandbox.faults(fail={"prefix": "/api/payments/core/check", "status": 503, "count": 100})
    summary = h.engine.check_all_stuck(actor="a@x").result(30)
    assert len(summary.items) == 3 and len(summary.errors) == 3 and not summary.cancelled
    assert summary.stopped.startswith("3 checks in a row failed") and "HTTP 503" in summary.stopped
    assert "stopped after 3 of 6" in summary.text
