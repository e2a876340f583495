"""Engine commands: check one order, refresh, reconnect now; the state is visible at all times."""

from __future__ import annotations

from sqlalchemy import select

from tests.helpers import wait_until
from zavera_desktop.domain import ConnectionState, DetectedBy
from zavera_desktop.store.schema import ActionRow

QUIET = dict(verify_interval=3600, verify_after=3600, live_reconcile_interval=3600, poll_interval=3600)


def actions(store):
    with store._session() as session:
        return list(session.scalars(select(ActionRow).order_by(ActionRow.id)))


def test_check_order_finds_a_lost_webhook_and_audits_it(sandbox, engine_factory):
    h = engine_factory(sandbox, **QUIET)
    h.wait_ready()
    order = sandbox.create_order(customer_name="Sari Wulandari")
    sandbox.pay(order["order_code"], webhook="drop")
    outcome = h.engine.check_order(order["order_code"].lower(), actor="admin@zavera.test").result(15)
    assert (outcome.status, outcome.newly_detected, outcome.payment_id) == ("PAID", True, order["payment_id"])
    assert outcome.message == "Pembayaran berhasil"
    p = h.wait_announced([order["order_code"]])[order["order_code"]]
    assert p.detected_by is DetectedBy.VERIFY
    assert (p.customer, p.payment_method, p.amount) == ("Sari Wulandari", "bca_va", int(order["amount"]))
    [row] = actions(h.store)
    assert (row.actor, row.action, row.outcome) == ("admin@zavera.test", "status_check", "paid")
    assert sandbox.creds["admin_password"] not in (row.request or "") + (row.response or "")
    h.assert_exactly_once([order["order_code"]])


def test_check_order_does_not_re_mark_an_order_paid_elsewhere(sandbox, engine_factory):
    h = engine_factory(sandbox, **QUIET)
    h.wait_ready()
    order = sandbox.create_order()
    sandbox.pay(order["order_code"], webhook="snap")  # PAID, order_payments still PENDING (§5.7)
    outcome = h.engine.check_order(order["order_code"]).result(15)
    assert outcome.status == "PAID" and "already" in outcome.message
    assert sandbox.notifications_sent() == 0  # no /core/check: no second broadcast, no second e-mail
    assert h.wait_announced([order["order_code"]])[order["order_code"]].detected_by is DetectedBy.RECONCILE


def test_check_order_pending_and_unknown(sandbox, engine_factory):
    h = engine_factory(sandbox, **QUIET)
    h.wait_ready()
    order = sandbox.create_order()
    outcome = h.engine.check_order(order["order_code"]).result(15)
    assert (outcome.status, outcome.newly_detected) == ("PENDING", False)
    assert outcome.message == "Pembayaran belum diterima"
    from zavera_desktop.backend.errors import NotFoundError

    future = h.engine.check_order("ZVR-20200101-DEADBEEF")
    try:
        future.result(15)
        raise AssertionError("expected NotFoundError")
    except NotFoundError as exc:
        assert "not found" in str(exc)
    assert [a.outcome for a in actions(h.store)] == ["pending", "error"]
    assert h.counts() == {}


def test_check_order_waits_out_the_rate_limit(sandbox, engine_factory):
    h = engine_factory(sandbox, **QUIET)
    h.wait_ready()
    order = sandbox.create_order()
    first = h.engine.check_order(order["order_code"]).result(15)
    second = h.engine.check_order(order["order_code"]).result(15)  # would be a 429 without the wait
    assert first.status == second.status == "PENDING"


def test_refresh_runs_a_reconcile(sandbox, engine_factory):
    h = engine_factory(sandbox, **QUIET)
    h.wait_ready()
    code = sandbox.create_order()["order_code"]
    sandbox.confirm_payment(code)  # no SSE; nothing scheduled would look for a while
    runs = h.engine.stats.reconcile_runs
    h.engine.refresh()
    h.wait_announced([code])
    wait_until(lambda: h.engine.stats.reconcile_runs > runs, 5, "the reconcile to finish")


def test_reconnect_now_recovers_from_forbidden_after_a_fix(sandbox, engine_factory):
    from zavera_desktop.backend.client import Credentials

    h = engine_factory(sandbox, credentials=Credentials(sandbox.creds["user_email"], sandbox.creds["user_password"]))
    wait_until(lambda: h.engine.status.state is ConnectionState.FORBIDDEN, 10, "forbidden")
    h.engine.set_credentials(Credentials(sandbox.creds["admin_email"], sandbox.creds["admin_password"]))
    h.wait_live()
    assert h.states[-1] is ConnectionState.LIVE


def test_a_pasted_token_near_expiry_is_warned_about(engine_factory):
    import jwt as pyjwt

    from tests.helpers import SandboxControl, start_sandbox

    server = start_sandbox(jwt_expiry=600.0)  # 10 min left: inside the one-hour warning
    control = SandboxControl(server)
    try:
        token = control.admin_token()
        assert pyjwt.decode(token, options={"verify_signature": False})["exp"] > 0
        h = engine_factory(control, token=token)
        h.wait_live()
        wait_until(lambda: any(a.startswith("warning: The login token expires") for a in h.activity), 10,
                   "the expiry warning")
        assert token not in " ".join(h.activity)
    finally:
        control.close()
        server.stop()


def test_an_unexpected_error_in_one_task_does_not_stop_the_engine(sandbox, engine_factory, monkeypatch):
    from zavera_desktop.backend.reconcile import Reconciler

    real_run = Reconciler.run
    calls = []

    async def flaky_run(self):
        calls.append(1)
        if len(calls) == 2:
            raise KeyError("a bug")
        return await real_run(self)

    monkeypatch.setattr(Reconciler, "run", flaky_run)
    h = engine_factory(sandbox, **QUIET)
    h.wait_ready()
    code = sandbox.create_order()["order_code"]
    sandbox.confirm_payment(code)
    h.engine.refresh()  # this run hits the bug
    wait_until(lambda: any("internal error (KeyError)" in a for a in h.activity), 10, "the error to be reported")
    h.engine.refresh()
    h.wait_announced([code], timeout=10)
    assert h.engine.running
