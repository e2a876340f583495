"""The main window against the sandbox: rows appear, start-up history is quiet, the status bar follows
the connection, read marks, the detail panel, the status check, notification clicks, close-to-tray.

Every wait is bounded (``qtbot.waitUntil``); nothing here measures speed (that is ``bench/``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.helpers import FAST, SandboxControl
from zavera_desktop.backend.client import Credentials
from zavera_desktop.config import EngineSettings
from zavera_desktop.domain import ChangeBatch, ConnectionState, DetectedBy, Payment, PaymentCandidate
from zavera_desktop.engine import Engine
from zavera_desktop.store import Store
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.main_window import MainWindow
from zavera_desktop.ui.settings import AppSettings

WAIT_MS = 20_000

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # offscreen's limit


class AppHarness:
    """Store, engine, bridge and window as ``app._run_window`` wires them, against a sandbox."""

    def __init__(self, qtbot: Any, control: SandboxControl, tmp_path: Path, *, start: bool = True,
                 prefill: list[PaymentCandidate] | None = None, tray_hint_shown: bool = True,
                 demo: bool = False, password: str | None = None) -> None:
        self.qtbot = qtbot
        self.control = control
        self.store = Store.open(tmp_path / "app.db")
        if prefill:
            new, _ = self.store.record_payments(prefill)
            self.store.mark_notified([p.id for p in new if p.id is not None])  # announced in an earlier run
        self.settings = AppSettings(tmp_path / "settings.ini")
        self.settings.tray_hint_shown = tray_hint_shown
        self.engine_settings = EngineSettings(backend_url=control.url, **FAST)
        creds = control.creds
        self.engine = Engine(self.engine_settings, self.store,
                             credentials=Credentials(creds["admin_email"], password or creds["admin_password"]))
        self.bridge = EngineBridge()
        self._unsubscribe = self.engine.subscribe(self.bridge.deliver)
        self.window = MainWindow(engine=self.engine, store=self.store, bridge=self.bridge, settings=self.settings,
                                 engine_settings=self.engine_settings, actor=creds["admin_email"], persist=False,
                                 demo=demo)
        self.quits = 0
        self.window.quit_requested.connect(self._on_quit)
        # what the notifier was handed (the real one still shows them)
        self.notified: list[str] = []
        original = self.window.notifier.payments_arrived

        def spy(payments: list[Payment]) -> None:
            self.notified.extend(p.order_code for p in payments)
            original(payments)

        self.window.notifier.payments_arrived = spy  # type: ignore[method-assign]
        # the status bar's words after every batch (apply_batch is connected first)
        self.state_texts: list[str] = []
        self.bridge.batch.connect(lambda b: self.state_texts.append(self.window.status_bar.state_text)
                                  if b.connection is not None else None)
        self.window.resize(1200, 720)
        self.window.show()
        if start:
            self.engine.start()

    def _on_quit(self) -> None:
        self.quits += 1

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

    # --- waiting ----------------------------------------------------------------------------------

    def wait_ready(self) -> None:
        """Live, and the first reconcile (the baseline) done: payments from now on are new."""
        self.qtbot.waitUntil(lambda: self.window.status_bar.state_text == "Live"
                             and self.engine.stats.reconcile_runs >= 1, timeout=WAIT_MS)

    def pay(self, webhook: str = "deliver", **order: Any) -> str:
        code = self.control.create_order(**order)["order_code"]
        self.control.pay(code, webhook=webhook)
        return code

    def loaded_row(self, code: str) -> int | None:
        """The row showing ``code`` among the rows the model holds (no store read, unlike ``row_of``)."""
        model = self.window.model
        for row in range(model.rowCount()):
            p = model.payment_at(row)
            if p is not None and p.order_code == code:
                return row
        return None

    def wait_row(self, code: str) -> int:
        """Until the live batch has put ``code`` into the table."""
        self.qtbot.waitUntil(lambda: self.loaded_row(code) is not None, timeout=WAIT_MS)
        row = self.loaded_row(code)
        assert row is not None
        return row

    def payment(self, code: str) -> Payment:
        row = self.window.model.row_of(code)
        assert row is not None
        p = self.window.model.payment_at(row)
        assert p is not None
        return p


@pytest.fixture
def make_app(qtbot: Any, sandbox: SandboxControl, tmp_path: Path) -> Iterator[Callable[..., AppHarness]]:
    made: list[AppHarness] = []

    def make(**kw: Any) -> AppHarness:
        harness = AppHarness(qtbot, sandbox, tmp_path / f"app{len(made)}", **kw)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()


def candidate(code: str, amount: int = 250_000, *, when: datetime | None = None) -> PaymentCandidate:
    return PaymentCandidate(order_code=code, amount=amount, detected_by=DetectedBy.RECONCILE,
                            detected_at=when or datetime.now(UTC), payment_method="bca_va", customer="Sari",
                            paid_at=when or datetime.now(UTC))


# --- rows, notifications, header -------------------------------------------------------------------

def test_a_payment_appears_as_a_row_and_is_announced_once(make_app):
    app = make_app()
    app.wait_ready()
    code = app.pay(amount=717_000)
    row = app.wait_row(code)
    assert row == 0  # newest first
    assert app.notified.count(code) == 1
    p = app.payment(code)
    assert p.amount == 717_000 and not p.read
    assert app.window.header.total >= 717_000
    assert app.window.header.count >= 1


def test_every_source_shows_up(make_app):
    app = make_app()
    app.wait_ready()
    stream = app.pay("deliver")
    reconcile = app.pay("snap")  # order PAID without any SSE: only reconcile sees it
    verify = app.pay("drop")  # the backend never heard: only the status check finds it
    for code in (stream, reconcile, verify):
        app.wait_row(code)
    found = {code: app.payment(code).detected_by for code in (stream, reconcile, verify)}
    assert found == {stream: DetectedBy.STREAM, reconcile: DetectedBy.RECONCILE, verify: DetectedBy.VERIFY}
    assert sorted(app.notified) == sorted([stream, reconcile, verify])


def test_payments_loaded_from_the_store_at_start_notify_nothing(make_app):
    old = [candidate(f"ZVR-20260101-OLD{i:05d}", when=datetime.now(UTC) - timedelta(minutes=i)) for i in range(5)]
    app = make_app(prefill=old)
    assert app.window.model.rowCount() == 5  # shown at once, from the store
    assert app.window.header.count == 5  # paid today: counted from the store, not announced
    app.wait_ready()
    code = app.pay()
    app.wait_row(code)
    app.qtbot.wait(200)  # let any straggler batch through
    assert app.notified == [code]
    assert app.window.header.count == 6


def test_header_counts_only_todays_new_payments():
    # a payment found today that was paid yesterday (the app was closed overnight) is not today's
    from zavera_desktop.store.queries import TodaySummary
    from zavera_desktop.ui.header import Header

    header = Header(EngineSettings(backend_url="http://x").zone)
    try:
        now = datetime.now(UTC)
        header.set_summary(TodaySummary(1, 100_000, [0] * 24), now)
        today = Payment("A", 50_000, "bca_va", None, "PAID", now, now, DetectedBy.STREAM)
        yesterday = Payment("B", 70_000, "bca_va", None, "PAID", now - timedelta(days=2), now,
                            DetectedBy.RECONCILE)
        header.add_payments([today, yesterday, today])
        assert (header.count, header.total) == (2, 150_000)
        assert sum(header.per_hour) == 1
    finally:
        shiboken6.delete(header)


# --- connection state ------------------------------------------------------------------------------

def test_status_bar_follows_a_cut_stream_and_recovers(make_app):
    app = make_app()
    app.wait_ready()
    assert app.window.status_bar.state_text == "Live"
    start = len(app.state_texts)
    app.control.faults(cut_streams="fin")
    app.qtbot.waitUntil(lambda: any(t.startswith(("Reconnecting", "Connecting")) for t in app.state_texts[start:]),
                        timeout=WAIT_MS)
    app.qtbot.waitUntil(lambda: app.window.status_bar.state_text == "Live", timeout=WAIT_MS)
    assert app.window.header.state_text == "Live"


def test_status_bar_follows_a_stalled_stream_polls_meanwhile_and_recovers(make_app):
    app = make_app()
    app.wait_ready()
    start = len(app.state_texts)
    app.control.faults(stall_streams=30)  # silent, still open: only the read timeout (5 s here) notices
    app.qtbot.waitUntil(lambda: any(t.startswith("Reconnecting") for t in app.state_texts[start:]),
                        timeout=WAIT_MS)
    app.qtbot.waitUntil(lambda: app.window.status_bar.state_text == "Live", timeout=WAIT_MS)
    # meanwhile payments still arrived by polling: a snap payment needs reconcile anyway
    code = app.pay("snap")
    app.wait_row(code)


def test_polling_note_while_the_stream_is_down(qtbot):
    from zavera_desktop.domain import ConnectionStatus
    from zavera_desktop.ui.status_bar import StatusBar

    last = datetime.now(UTC) - timedelta(seconds=12.5)
    bar = StatusBar(15, lambda: last)
    qtbot.addWidget(bar)
    bar.set_status(ConnectionStatus(ConnectionState.RECONNECTING, "cut", 3,
                                    datetime.now(UTC) + timedelta(seconds=8), datetime.now(UTC)))
    assert bar.state_text.startswith("Reconnecting in ") and bar.state_text.endswith("s (attempt 3)")
    assert bar.polling_note == "Polling every 15 s"
    assert bar.last_event_note == "Last event 12 s ago"
    bar.set_status(ConnectionStatus(ConnectionState.LIVE))
    assert (bar.state_text, bar.polling_note) == ("Live", "")
    bar.set_status(ConnectionStatus(ConnectionState.AUTH_REQUIRED, "401"))
    assert bar.state_text == "Login needed"
    bar.set_status(ConnectionStatus(ConnectionState.FORBIDDEN, "403"))
    assert bar.state_text == "Not the admin account"


def test_wrong_password_says_login_needed(make_app):
    app = make_app(password="not-the-password")
    app.qtbot.waitUntil(lambda: app.window.status_bar.state_text == "Login needed", timeout=WAIT_MS)
    assert app.window.status_bar._login.isVisibleTo(app.window)


# --- unread and read marks ---------------------------------------------------------------------------

def test_unread_count_and_mark_read_and_mark_all_read(make_app):
    app = make_app()
    app.wait_ready()
    codes = [app.pay() for _ in range(3)]
    for code in codes:
        app.wait_row(code)
    w = app.window
    app.qtbot.waitUntil(lambda: w.unread == 3, timeout=WAIT_MS)
    if w.tray is not None:
        assert w.tray.unread == 3

    assert w.select_order(codes[0])
    w.mark_selected_read()
    app.qtbot.waitUntil(lambda: w.unread == 2 and app.payment(codes[0]).read, timeout=WAIT_MS)
    assert app.store.unread_count() == 2

    w.mark_selected_unread()
    app.qtbot.waitUntil(lambda: w.unread == 3 and not app.payment(codes[0]).read, timeout=WAIT_MS)

    w.mark_all_read()
    app.qtbot.waitUntil(lambda: w.unread == 0, timeout=WAIT_MS)
    assert all(app.payment(c).read for c in codes)
    if w.tray is not None:
        assert w.tray.unread == 0


def test_a_selected_row_is_marked_read_after_a_moment(make_app, monkeypatch):
    import zavera_desktop.ui.main_window as mw

    app = make_app()
    app.window._read_timer.setInterval(50)  # READ_AFTER_MS is a comfort value, not what is tested
    monkeypatch.setattr(mw.MainWindow, "isActiveWindow", lambda self: True)
    app.wait_ready()
    code = app.pay()
    app.wait_row(code)
    app.window.select_order(code)
    app.qtbot.waitUntil(lambda: app.payment(code).read, timeout=WAIT_MS)


# --- the detail panel ---------------------------------------------------------------------------------

def test_detail_panel_loads_the_order(make_app):
    app = make_app()
    app.wait_ready()
    code = app.pay(amount=412_000, customer_name="Sari Wulandari")
    app.wait_row(code)
    with app.qtbot.waitSignal(app.window.detail.order_loaded, timeout=WAIT_MS):
        app.window.select_order(code)
    d = app.window.detail
    assert d.current_code == code
    assert d.order_text("customer") == "Sari Wulandari"
    assert d.order_text("total") == "Rp 412.000"
    assert d.payment_text("amount") == "Rp 412.000"
    assert d.payment_text("found_by") == "Live stream"
    assert "Payment received" in d.events_text


def test_detail_panel_says_why_an_order_cannot_be_loaded(make_app):
    app = make_app()
    app.wait_ready()
    code = app.pay()
    app.wait_row(code)
    app.control.faults(fail={"prefix": f"/api/admin/orders/{code}", "status": 404, "count": 50,
                             "body": '{"error":"not_found","message":"Order not found"}',
                             "content_type": "application/json"})
    app.window.select_order(code)
    app.qtbot.waitUntil(lambda: app.window.detail.order_note.startswith("Could not load the order:"),
                        timeout=WAIT_MS)
    app.control.faults(reset=True)


def test_check_status_shows_the_outcome_in_words(make_app):
    app = make_app()
    app.wait_ready()
    code = app.pay()
    app.wait_row(code)
    app.window.select_order(code)
    with app.qtbot.waitSignal(app.window.detail.check_finished, timeout=WAIT_MS) as blocker:
        app.window.detail.check_button.click()
    assert blocker.args[0] == code
    assert app.window.detail.outcome_text.startswith("The shop already has this order as paid (Paid).")


# --- notification clicks, the activity log ------------------------------------------------------------

def test_notification_click_selects_the_order_or_filters_to_the_summary(make_app):
    app = make_app()
    app.wait_ready()
    codes = [app.pay() for _ in range(3)]
    for code in codes:
        app.wait_row(code)
    w = app.window
    w.notifier.activated.emit((codes[1],))
    assert w.detail.current_code == codes[1]
    w.notifier.activated.emit(tuple(codes[:2]))
    assert w.model.rowCount() == 2
    assert {w.model.payment_at(r).order_code for r in range(2)} == set(codes[:2])
    w.filter_bar.clear_codes()
    assert w.model.rowCount() == 3


def test_activity_log_lists_stored_events_and_live_ones(make_app):
    app = make_app()
    app.wait_ready()
    first = app.pay()
    app.wait_row(first)
    app.window.show_activity()
    dialog = app.window._activity
    assert dialog is not None and dialog.isVisible()
    texts = [" ".join(dialog.row_texts(r)) for r in range(dialog.row_count())]
    assert any(first in t and "Payment received" in t for t in texts)
    second = app.pay()
    app.qtbot.waitUntil(lambda: any(second in " ".join(dialog.row_texts(r)) for r in range(dialog.row_count())),
                        timeout=WAIT_MS)
    assert second in dialog.row_texts(0)[2] or second in " ".join(dialog.row_texts(1))


def test_filters_drive_the_model(make_app):
    app = make_app()
    app.wait_ready()
    a = app.pay(customer_name="Sari Wulandari")
    b = app.pay("snap", customer_name="Budi Santoso")
    app.wait_row(a)
    app.wait_row(b)
    w = app.window
    bar = w.filter_bar
    bar.search.setText("wulandari")
    app.qtbot.waitUntil(lambda: w.model.rowCount() == 1, timeout=WAIT_MS)
    assert w.model.payment_at(0).order_code == a
    bar.search.clear()
    bar.found_by.setCurrentIndex(bar.found_by.findData(DetectedBy.RECONCILE.value))
    app.qtbot.waitUntil(lambda: w.model.rowCount() == 1 and w.model.payment_at(0).order_code == b, timeout=WAIT_MS)
    bar.reset()
    w.mark_all_read()
    app.qtbot.waitUntil(lambda: w.unread == 0, timeout=WAIT_MS)
    bar.unread.setChecked(True)
    assert w.model.rowCount() == 0
    c = app.pay()
    app.wait_row(c)  # a new payment is unread: it shows under "unread only"
    assert w.model.rowCount() == 1


# --- closing ----------------------------------------------------------------------------------------------

def test_closing_keeps_the_app_in_the_tray_and_says_so_once(make_app, notify_server):
    app = make_app(tray_hint_shown=False)
    w = app.window
    if w.tray is None:
        pytest.skip("this desktop has no system tray")
    w.close()
    assert not w.isVisible() and app.quits == 0
    assert app.settings.tray_hint_shown
    records = notify_server.wait_for(1)
    assert any("still running" in r["summary"] for r in records)
    w.show_and_raise()
    w.close()
    assert notify_server.settle() == records  # said once
    w.tray.show_requested.emit()
    assert w.isVisible()
    w.tray.quit_requested.emit()
    assert app.quits == 1


def test_without_a_tray_closing_quits_and_says_why_once(make_app, no_tray):
    app = make_app(tray_hint_shown=False)
    w = app.window
    assert w.tray is None
    seen: list[str] = []

    def answer_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, answer_box)

    QTimer.singleShot(20, answer_box)
    w.close()
    assert app.quits == 1
    assert seen and "no system tray" in seen[0]
    w._quitting = False
    w.show()
    w.close()  # no second box: a box would block here until the 20 ms poller, which no longer runs
    assert app.quits == 2


def test_bridge_batches_reach_every_part_in_one_pass(make_app):
    app = make_app(start=False)
    w = app.window
    now = datetime.now(UTC)
    p = Payment("ZVR-20260101-AAAA0001", 100_000, "qris", "Sari", "PAID", now, now, DetectedBy.STREAM, id=None)
    new, _ = app.store.record_payments([PaymentCandidate(p.order_code, p.amount, p.detected_by, now, "qris",
                                                         "Sari", "PAID", now)])
    w.apply_batch(ChangeBatch(new_payments=new))
    assert w.model.row_of(p.order_code) == 0
    assert app.notified == [p.order_code]
    assert w.unread == 1 and w.header.count == 1


def test_log_in_again_after_a_wrong_password_goes_live(make_app):
    from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton

    app = make_app(password="not-the-password")
    w = app.window
    app.qtbot.waitUntil(lambda: w.status_bar.state_text == "Login needed", timeout=WAIT_MS)
    w.status_bar.login_requested.emit()  # the "Log in again…" button
    dialog = w._login_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.findChild(QLineEdit, "backendEdit").text() == app.control.url
    dialog.findChild(QLineEdit, "passwordEdit").setText(app.control.creds["admin_password"])
    dialog.findChild(QCheckBox, "rememberCheck").setChecked(False)  # nothing into the test keyring
    dialog.findChild(QPushButton, "loginButton").click()
    app.qtbot.waitUntil(lambda: w.status_bar.state_text == "Live", timeout=WAIT_MS)
    assert not w.status_bar._login.isVisibleTo(w)


def test_export_writes_the_current_view(make_app, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    app = make_app()
    app.wait_ready()
    codes = [app.pay(customer_name=name) for name in ("Sari Wulandari", "Budi Santoso")]
    for code in codes:
        app.wait_row(code)
    w = app.window
    w.filter_bar.search.setText("Wulandari")
    w.filter_bar.search.returnPressed.emit()
    assert w.model.rowCount() == 1
    target = tmp_path / "view.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    with app.qtbot.waitSignal(w.export_finished, timeout=WAIT_MS) as blocker:
        w.export_csv()
    assert blocker.args == [1, str(target)]
    text = target.read_text(encoding="utf-8-sig")
    assert codes[0] in text and codes[1] not in text


def test_tray_menu_reaches_the_engine_and_the_notifier(make_app, monkeypatch):
    app = make_app()
    w = app.window
    if w.tray is None:
        pytest.skip("this desktop has no system tray")
    app.wait_ready()
    until = datetime.now(UTC) + timedelta(hours=1)
    w.tray.pause_requested.emit(until)
    assert w.notifier.paused_until == until
    w.tray.pause_requested.emit(None)
    assert w.notifier.paused_until is None
    calls: list[str] = []
    monkeypatch.setattr(app.engine, "reconnect_now", lambda: calls.append("reconnect"))
    w.tray.reconnect_requested.emit()  # a live stream stays; a waiting one would connect at once
    assert calls == ["reconnect"]
