"""Orphan settlements in the window, end to end against the sandbox (with a Midtrans server key):

* a late settlement after the VA expired → one orphan alert in the Health panel, one ``Notify``, a row
  with its own state; not a payment; "Confirm payment" is not offered, the dashboard is, and a confirm
  asked anyway is refused in words (and with the backend's own message when the backend refuses);
* a PENDING order whose payment Midtrans denied, then settled → "Confirm payment" → the dialog → the
  engine → the payment announced once, the alert cleared into the history, audited;
* "Dismiss" closes an orphan with the admin's reason, audited.

Every wait is bounded (``qtbot.waitUntil``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QGuiApplication

from tests.helpers import FAST, SandboxControl
from zavera_desktop.backend.client import Credentials
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.config import EngineSettings
from zavera_desktop.domain import ChangeBatch, HealthAlert, HealthKind, Payment
from zavera_desktop.engine import Engine, orphans
from zavera_desktop.store import Store
from zavera_desktop.store.audit import AuditFilter, read_actions
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.health_panel import COL_WHAT
from zavera_desktop.ui.main_window import MainWindow
from zavera_desktop.ui.orphan_view import OrphanView
from zavera_desktop.ui.settings import AppSettings

WAIT_MS = 25_000
ORPHAN = HealthKind.ORPHAN_SETTLEMENT
ORPHAN_TITLE = "Paid at Midtrans — not accepted by the shop"
ACTOR = "ops@zavera.test"

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # offscreen's limit


class OrphanApp:
    """Store, engine with the sandbox's Midtrans key, bridge and window, as ``app._run_window`` wires them."""

    def __init__(self, qtbot: Any, control: SandboxControl, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.control = control
        self.store = Store.open(tmp_path / "app.db")
        self.settings = AppSettings(tmp_path / "settings.ini")
        self.settings.tray_hint_shown = True
        self.engine_settings = EngineSettings(backend_url=control.url, **FAST)
        creds = control.creds
        midtrans = MidtransAccess(f"{control.url}/midtrans", creds["server_key"], "custom")
        self.engine = Engine(self.engine_settings, self.store, midtrans=midtrans,
                             credentials=Credentials(creds["admin_email"], creds["admin_password"]))
        self.bridge = EngineBridge()
        self._unsubscribe = self.engine.subscribe(self.bridge.deliver)
        self.window = MainWindow(engine=self.engine, store=self.store, bridge=self.bridge, settings=self.settings,
                                 engine_settings=self.engine_settings, actor=ACTOR, persist=False)
        self.alerts: list[HealthAlert] = []
        self.announced: list[str] = []
        self.bridge.batch.connect(self._on_batch)
        self.window.resize(1280, 800)
        self.window.show()
        self.engine.start()

    def _on_batch(self, batch: ChangeBatch) -> None:
        self.alerts.extend(batch.alerts)
        self.announced.extend(p.order_code for p in batch.new_payments)

    def close(self) -> None:
        w = self.window
        if shiboken6.isValid(w):
            w.prepare_quit()
        self.bridge.close()
        self._unsubscribe()
        self.engine.stop(timeout=3.0)
        if shiboken6.isValid(w):
            w.close()
            shiboken6.delete(w)
        self.store.close()

    # --- driving the sandbox --------------------------------------------------------------------------

    def wait_ready(self) -> None:
        self.qtbot.waitUntil(lambda: self.window.status_bar.state_text == "Live"
                             and self.engine.stats.reconcile_runs >= 1, timeout=WAIT_MS)

    def seen_status(self, code: str) -> str | None:
        seen = self.store.seen_order(code)
        return seen.status if seen else None

    def expired_then_paid_late(self, amount: int = 717_000) -> str:
        """The VA expired (Core webhook), then the customer paid: the webhook answers ok and changes nothing."""
        code = self.control.create_order(amount=amount, customer_name="Rina Wulandari")["order_code"]
        self.control.expire(code)
        self.qtbot.waitUntil(lambda: self.seen_status(code) == "EXPIRED", timeout=WAIT_MS)
        self.control.pay(code)
        return code

    def denied_then_paid(self, amount: int = 250_000) -> str:
        """Midtrans denied the transaction (payment FAILED, order still PENDING), then the money came."""
        code = self.control.create_order(amount=amount)["order_code"]
        for path, body in (("/sandbox/midtrans/status", {"order_code": code, "transaction_status": "deny"}),
                           ("/sandbox/midtrans/notify", {"order_code": code})):
            r = self.control.http.post(path, json=body)
            assert r.status_code == 200, r.text
        self.control.pay(code)
        return code

    # --- what the window shows ----------------------------------------------------------------------

    def wait_alert(self, code: str, change: str = "raised") -> HealthAlert:
        self.qtbot.waitUntil(lambda: any(a.order_code == code and a.change == change for a in self.alerts),
                             timeout=WAIT_MS)
        return next(a for a in self.alerts if a.order_code == code and a.change == change)

    def orphan_view(self, alert: HealthAlert) -> OrphanView:
        panel = self.window.health
        panel.show_alert(alert.id)
        assert panel.selected_alert is not None and panel.selected_alert.id == alert.id
        return panel.orphan_view

    def in_table(self, code: str) -> bool:
        return self.window.model.row_of(code) is not None


@pytest.fixture
def orphan_app(qtbot: Any, sandbox: SandboxControl, tmp_path: Path) -> Iterator[Callable[[], OrphanApp]]:
    made: list[OrphanApp] = []

    def make() -> OrphanApp:
        app = OrphanApp(qtbot, sandbox, tmp_path / f"app{len(made)}")
        made.append(app)
        return app

    yield make
    for app in made:
        app.close()


@pytest.fixture
def opened_urls(monkeypatch) -> list[str]:
    """No browser on the test desktop: "Open Midtrans dashboard" is recorded instead."""
    urls: list[str] = []

    def record(url: QUrl) -> bool:
        urls.append(url.toString())
        return True

    monkeypatch.setattr(OrphanView, "open_url", staticmethod(record))
    return urls


def popups(notify_server, summary: str) -> list[dict[str, Any]]:
    return [r for r in notify_server.records() if r["summary"] == summary]


def test_a_late_settlement_is_one_orphan_alert_one_popup_and_a_row_of_its_own(orphan_app, notify_server,
                                                                           opened_urls):
    app = orphan_app()
    app.wait_ready()
    code = app.expired_then_paid_late()
    alert = app.wait_alert(code)
    panel = app.window.health
    app.qtbot.waitUntil(lambda: len(popups(notify_server, ORPHAN_TITLE)) == 1, timeout=WAIT_MS)
    (popup,) = popups(notify_server, ORPHAN_TITLE)
    assert popup["body"].startswith(f"{code} · Rp 717.000 · order expired")
    # the badge: one open finding, red; the panel's row has the orphan's own state
    assert app.window.health_badge.count == 1 and app.window.health_badge.colour == "#c62828"
    item = panel.tree.topLevelItem(0).child(0)
    assert (item.text(COL_WHAT), item.text(1), item.text(2)) == (ORPHAN_TITLE, code, "Rp 717.000")
    assert item.foreground(COL_WHAT).color() == QColor("#c62828") and item.font(COL_WHAT).bold()
    # not a payment: the shop has not accepted the money
    assert not app.in_table(code) and code not in app.announced

    view = app.orphan_view(alert)
    assert "Rp 717.000" in view.explanation_text and "expired" in view.explanation_text
    assert "can no longer accept" in view.fix_text
    assert view.value_text("midtrans_id") == alert.evidence["midtrans_order_id"]
    # an expired order cannot become paid: no "Confirm payment", the dashboard instead
    assert not view.confirm_button.isVisibleTo(view)
    assert view.dashboard_button.isVisibleTo(view) and view.dismiss_button.isVisibleTo(view)
    view.dashboard_button.click()
    assert opened_urls == ["https://dashboard.sandbox.midtrans.com"]
    assert QGuiApplication.clipboard().text() == alert.evidence["midtrans_order_id"]
    assert alert.evidence["midtrans_order_id"] in view.outcome_text

    # a confirm asked anyway (a view older than the order's expiry) is refused, in words, and audited
    finished: list[Any] = []
    view.confirm_finished.connect(lambda _id, o: finished.append(o))
    view.confirm(alert, "customer says paid")
    app.qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    assert finished[0].reason == "not_allowed"
    assert view.outcome_text.startswith("Not confirmed: the shop can no longer accept this payment. The order is "
                                        "expired")
    rows = read_actions(app.store, AuditFilter(order_code=code), limit=10)
    assert [(r.action, r.outcome, r.actor) for r in rows] == [("confirm_payment", "not_allowed", ACTOR)]

    # Midtrans keeps being asked; still one alert, one popup
    asked = app.engine.stats.midtrans_lookups
    app.qtbot.waitUntil(lambda: app.engine.stats.midtrans_lookups >= asked + 2, timeout=WAIT_MS)
    assert len([a for a in app.alerts if a.change == "raised"]) == 1
    assert len(popups(notify_server, ORPHAN_TITLE)) == 1 and len(panel.open_alerts()) == 1


def test_the_backends_own_refusal_is_shown_in_its_words(orphan_app, monkeypatch):
    """With the local rule lifted, the sandbox enforces ValidOrderTransitions itself: its message is shown."""
    monkeypatch.setattr(orphans, "CONFIRMABLE_STATUSES", frozenset({"PENDING", "EXPIRED"}))
    app = orphan_app()
    app.wait_ready()
    code = app.expired_then_paid_late(amount=99_000)
    alert = app.wait_alert(code)
    view = app.orphan_view(alert)
    finished: list[Any] = []
    view.confirm_finished.connect(lambda _id, o: finished.append(o))
    view.confirm(alert, "")
    app.qtbot.waitUntil(lambda: bool(finished), timeout=WAIT_MS)
    assert finished[0].reason == "backend_refused"
    assert view.outcome_text == ("The backend refused to mark the order paid: “invalid status transition: cannot "
                                 "transition from EXPIRED to PAID”")
    assert app.window.health.alert(alert.id).is_open and not app.in_table(code)


def test_confirm_payment_on_a_pending_order_announces_the_payment_once(orphan_app, notify_server):
    app = orphan_app()
    app.wait_ready()
    code = app.denied_then_paid()
    alert = app.wait_alert(code)
    assert alert.order_status == "PENDING"
    app.qtbot.waitUntil(lambda: len(popups(notify_server, ORPHAN_TITLE)) == 1, timeout=WAIT_MS)
    assert "confirm" in popups(notify_server, ORPHAN_TITLE)[0]["body"]
    view = app.orphan_view(alert)
    assert "Confirm payment" in view.fix_text
    assert view.confirm_button.isVisibleTo(view) and view.confirm_button.isEnabled()

    # the button asks first; Cancel changes nothing
    view.confirm_button.click()
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible() and code in dialog.findChild(object, "reasonDialogText").text()
    dialog.reject()
    assert view.dialog is None and view.outcome_text == ""
    assert read_actions(app.store, AuditFilter(order_code=code), limit=10) == []

    view.confirm_button.click()
    dialog = view.dialog
    dialog.reason.setText("seen in the Midtrans dashboard")
    dialog.action_button.click()
    app.qtbot.waitUntil(lambda: view.outcome_text.startswith("Confirmed: the order is now Paid."), timeout=WAIT_MS)
    # announced once, as any payment: a row in the table and one "Payment received"
    app.qtbot.waitUntil(lambda: app.in_table(code), timeout=WAIT_MS)
    app.wait_alert(code, "cleared")
    app.qtbot.waitUntil(lambda: len(popups(notify_server, "Payment received")) == 1, timeout=WAIT_MS)
    assert app.announced.count(code) == 1
    # the alert moved to the history, with who confirmed it
    panel = app.window.health
    assert panel.open_alerts() == [] and app.window.health_badge.count == 0
    shown = panel.alert(alert.id)
    assert shown is not None and not shown.is_open
    assert panel.tree.topLevelItem(1).child(0).text(COL_WHAT) == "Paid at Midtrans — confirmed"
    assert view.state_text == "Paid at Midtrans — confirmed"
    assert view.value_text("cleared").endswith(f"Confirmed by {ACTOR}: the order is now paid.")
    assert not view.confirm_button.isVisibleTo(view) and not view.dismiss_button.isVisibleTo(view)
    # "Show in the payments list" selects it there
    assert view.show_payment_button.isVisibleTo(view)
    view.show_payment_button.click()
    assert app.window.detail.current_code == code
    rows = read_actions(app.store, AuditFilter(order_code=code), limit=10)
    assert [(r.action, r.outcome, r.actor) for r in rows] == [("confirm_payment", "confirmed", ACTOR)]
    assert rows[0].request["reason"] == "seen in the Midtrans dashboard"
    # later reconciles change nothing
    runs = app.engine.stats.reconcile_runs
    app.engine.refresh()
    app.qtbot.waitUntil(lambda: app.engine.stats.reconcile_runs > runs, timeout=WAIT_MS)
    assert app.announced.count(code) == 1 and len(popups(notify_server, "Payment received")) == 1
    assert len(popups(notify_server, ORPHAN_TITLE)) == 1


def test_dismiss_closes_the_orphan_with_the_admins_reason(orphan_app):
    app = orphan_app()
    app.wait_ready()
    code = app.expired_then_paid_late(amount=150_000)
    alert = app.wait_alert(code)
    view = app.orphan_view(alert)
    view.dismiss_button.click()
    dialog = view.dialog
    assert dialog is not None
    dialog.reason.setText("refunded by phone")
    dialog.action_button.click()
    app.wait_alert(code, "cleared")
    app.qtbot.waitUntil(lambda: view.outcome_text == "Dismissed. The alert is kept in the history.", timeout=WAIT_MS)
    panel = app.window.health
    assert panel.open_alerts() == [] and [a.id for a in panel.history()] == [alert.id]
    assert view.value_text("cleared").endswith(f"Dismissed by {ACTOR}: refunded by phone")
    assert view.state_text == "Paid at Midtrans — dismissed"
    rows = read_actions(app.store, AuditFilter(order_code=code), limit=10)
    assert [(r.action, r.outcome, r.actor) for r in rows] == [("dismiss_alert", "dismissed", ACTOR)]


def test_payments_are_not_held_up_by_the_health_panel(orphan_app):
    """A plain payment still goes table-first and is announced once while the panel is open."""
    app = orphan_app()
    app.window.health.show_findings()
    app.wait_ready()
    code = app.control.create_order(amount=5000)["order_code"]
    app.control.pay(code)
    # the batch, not the store: row_of reads the store, which has the payment a moment before the batch arrives
    app.qtbot.waitUntil(lambda: code in app.announced, timeout=WAIT_MS)
    assert app.announced.count(code) == 1 and app.window.health.open_alerts() == []
    assert isinstance(app.window.model.payment_at(app.window.model.row_of(code)), Payment)
