"""The notifier on the test desktop: real D-Bus notifications (tray and notify-send), the banner
fallback, clicks, summaries, sound, pause and the connection alert."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QVBoxLayout, QWidget

from zavera_desktop.domain import ConnectionState, ConnectionStatus, DetectedBy, Payment
from zavera_desktop.resources_path import resource_path
from zavera_desktop.ui.banner import NotificationBanner
from zavera_desktop.ui.notifier import Notifier, SoundEffectChime, payment_line
from zavera_desktop.ui.notify_backends import BannerBackend, PlyerBackend
from zavera_desktop.ui.notify_policy import NotifySettings
from zavera_desktop.ui.tray import TrayIcon

QUIET = NotifySettings(sound=False)
T0 = datetime(2026, 1, 22, 3, 0, tzinfo=UTC)

_seq = iter(range(1, 1_000_000))


def pay(code: str | None = None, amount: int | None = 717_000, method: str = "bca_va",
        customer: str | None = "Budi Santoso") -> Payment:
    return Payment(order_code=code or f"ZVR-20260122-{next(_seq):08X}", amount=amount, payment_method=method,
                   customer=customer, order_status="PAID", paid_at=T0, detected_at=T0,
                   detected_by=DetectedBy.STREAM)


class CountingChime:
    def __init__(self) -> None:
        self.plays = 0

    def play(self) -> None:
        self.plays += 1


@pytest.fixture
def notifiers(qapp):
    made: list[Notifier] = []

    def make(*args, **kwargs) -> Notifier:
        kwargs.setdefault("chime", CountingChime())
        notifier = Notifier(*args, **kwargs)
        made.append(notifier)
        return notifier

    yield make
    for notifier in made:
        notifier.close()


@pytest.fixture
def window(qtbot):
    """A shown window holding a banner, as the main window does."""
    host = QWidget()
    layout = QVBoxLayout(host)
    banner = NotificationBanner(host)
    layout.addWidget(banner)
    host.resize(600, 200)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    return host, banner


# --- words --------------------------------------------------------------------------------------


def test_payment_line_names_code_amount_method_and_customer():
    assert payment_line(pay("ZVR-20260122-26A6A050")) == "ZVR-20260122-26A6A050 · Rp 717.000 · BCA VA · Budi Santoso"
    assert payment_line(pay("ZVR-1", amount=None, method="", customer=None)) == "ZVR-1"
    assert payment_line(pay("ZVR-2", amount=1_250_000, method="qris", customer=None)) == "ZVR-2 · Rp 1.250.000 · QRIS"


# --- through the tray (D-Bus StatusNotifierItem → org.freedesktop.Notifications) -----------------


def test_a_payment_is_exactly_one_notify_through_the_tray(make_tray, notifiers, notify_server):
    tray = make_tray()
    notifier = notifiers(QUIET, tray, None)
    assert notifier.backend_id == "tray" and notifier.backend_name == "the system tray"
    notifier.payments_arrived([pay("ZVR-20260122-26A6A050")])
    (record,) = notify_server.wait_for(1)
    assert record["summary"] == "Payment received"
    assert record["body"] == "ZVR-20260122-26A6A050 · Rp 717.000 · BCA VA · Budi Santoso"
    assert len(notify_server.settle()) == 1


def test_a_burst_of_ten_is_one_summary(make_tray, notifiers, notify_server):
    notifier = notifiers(QUIET, make_tray(), None)
    burst = [pay(amount=345_000) for _ in range(10)]
    notifier.payments_arrived(burst)
    (record,) = notify_server.wait_for(1)
    assert record["summary"] == "10 new payments · Rp 3.450.000"
    codes = [p.order_code for p in burst]
    assert record["body"] == f"{codes[0]}, {codes[1]}, {codes[2]} and 7 more"
    assert len(notify_server.settle()) == 1


def test_one_by_one_three_notify_then_one_summary_when_the_window_closes(make_tray, notifiers, notify_server):
    notifier = notifiers(QUIET, make_tray(), None, burst_window=timedelta(milliseconds=400))
    burst = [pay() for _ in range(10)]
    for p in burst:
        notifier.payments_arrived([p])
    first = notify_server.wait_for(3)[:3]
    assert [r["summary"] for r in first] == ["Payment received"] * 3
    assert [r["body"].split(" · ")[0] for r in first] == [p.order_code for p in burst[:3]]
    records = notify_server.wait_for(4)  # the window's timer fires the summary
    assert records[3]["summary"] == "7 new payments · Rp 5.019.000"
    assert burst[3].order_code in records[3]["body"]
    assert len(notify_server.settle(800)) == 4


def test_a_click_on_the_tray_message_opens_its_order(make_tray, notifiers, notify_server, qtbot):
    notifier = notifiers(QUIET, make_tray(), None)
    one = pay()
    notifier.payments_arrived([one])
    (record,) = notify_server.wait_for(1)
    with qtbot.waitSignal(notifier.activated, timeout=5000) as clicked:
        notify_server.click(record)
    assert clicked.args == [(one.order_code,)]


def test_a_click_on_a_summary_opens_all_its_orders(make_tray, notifiers, notify_server, qtbot):
    notifier = notifiers(QUIET, make_tray(), None)
    burst = [pay() for _ in range(5)]
    notifier.payments_arrived(burst)
    (record,) = notify_server.wait_for(1)
    with qtbot.waitSignal(notifier.activated, timeout=5000) as clicked:
        notify_server.click(record)
    assert clicked.args == [tuple(p.order_code for p in burst)]


def test_a_tray_message_the_window_showed_itself_does_not_activate(make_tray, notifiers, notify_server, qtbot):
    tray = make_tray()
    notifier = notifiers(QUIET, tray, None)
    seen: list[object] = []
    notifier.activated.connect(seen.append)
    tray.show_message("Zavera Desktop is still running", "Use Quit in the tray menu.")
    (record,) = notify_server.wait_for(1)
    with qtbot.waitSignal(tray.message_clicked, timeout=5000):
        notify_server.click(record)
    assert seen == []


# --- without a tray: plyer → notify-send ---------------------------------------------------------


def test_without_a_tray_plyer_sends_it_through_notify_send(no_tray, notifiers, notify_server):
    notifier = notifiers(QUIET, None, None)
    assert notifier.backend_id == "plyer" and notifier.backend_name == "notify-send"
    notifier.payments_arrived([pay("ZVR-20260122-26A6A050")])
    (record,) = notify_server.wait_for(1)
    assert record["app_name"] == "Zavera Desktop"
    assert record["summary"] == "Payment received"
    assert "ZVR-20260122-26A6A050" in record["body"] and "Rp 717.000" in record["body"]
    assert len(notify_server.settle()) == 1


def test_a_hidden_tray_falls_back_to_plyer(make_tray, notifiers, notify_server):
    tray = make_tray()
    tray.hide()
    notifier = notifiers(QUIET, tray, None)
    assert notifier.backend_id == "plyer"
    notifier.payments_arrived([pay()])
    (record,) = notify_server.wait_for(1)
    assert record["app_name"] == "Zavera Desktop"  # notify-send's, not the tray's


# --- the banner, last resort ----------------------------------------------------------------------


def test_banner_when_plyer_fails_late(no_tray, notifiers, window, notify_server, qtbot, monkeypatch):
    def broken(self, **kwargs):
        raise OSError("notify-send: cannot connect to the notification server")

    monkeypatch.setattr(PlyerBackend, "_notify", broken)
    _host, banner = window
    notifier = notifiers(QUIET, None, banner)
    assert notifier.backend_id == "plyer"
    one = pay()
    with qtbot.waitSignal(notifier.backend_changed, timeout=5000, check_params_cb=lambda w: w != "notify-send"):
        notifier.payments_arrived([one])
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert banner.title() == "Payment received" and banner.body() == payment_line(one)
    assert notifier.backend_id == "banner"  # plyer is skipped for a while
    assert notify_server.settle() == []
    with qtbot.waitSignal(notifier.activated, timeout=2000) as clicked:
        qtbot.mouseClick(banner, Qt.MouseButton.LeftButton)
    assert clicked.args == [(one.order_code,)]
    assert not banner.isVisible()


def test_banner_when_no_desktop_notifications_exist(no_tray, notifiers, window, qtbot, monkeypatch):
    monkeypatch.setattr(PlyerBackend, "available", lambda self: False)
    _host, banner = window
    notifier = notifiers(QUIET, None, banner)
    assert notifier.backend_id == "banner" and notifier.backend_name == "the banner in the window"
    burst = [pay() for _ in range(4)]
    notifier.payments_arrived(burst)
    assert banner.isVisible() and banner.title().startswith("4 new payments")
    with qtbot.waitSignal(notifier.activated, timeout=2000) as clicked:
        qtbot.keyClick(banner, Qt.Key.Key_Return)
    assert clicked.args == [tuple(p.order_code for p in burst)]


def test_banner_close_button_and_auto_hide(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    banner = NotificationBanner(host, auto_hide_ms=200)
    host.show()
    seen: list[object] = []
    banner.activated.connect(seen.append)
    banner.show_message("Payment received", "ZVR-1 · Rp 1.000", ("ZVR-1",))
    assert banner.isVisible()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=3000)
    banner.show_message("Payment received", "ZVR-2 · Rp 2.000", ("ZVR-2",))
    qtbot.mouseClick(banner.findChild(QWidget, "bannerClose"), Qt.MouseButton.LeftButton)
    assert not banner.isVisible() and seen == []


# --- language, sound, pause, connection -----------------------------------------------------------


def test_texts_are_in_the_ui_language(make_tray, notifiers, notify_server):
    translator = QTranslator()  # the Indonesian translation the app ships
    assert translator.load(str(resource_path("translations/zavera_id.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        notifier = notifiers(QUIET, make_tray(), None)
        notifier.payments_arrived([pay("ZVR-20260122-26A6A050")])
        notifier.payments_arrived([pay(amount=690_000) for _ in range(5)])
        first, summary = notify_server.wait_for(2)
    finally:
        QCoreApplication.removeTranslator(translator)
    assert (first["summary"], first["body"]) == (
        "Pembayaran diterima", "ZVR-20260122-26A6A050 · Rp 717.000 · BCA VA · Budi Santoso")
    assert summary["summary"] == "5 pembayaran baru · Rp 3.450.000"
    assert summary["body"].endswith(" dan 2 lainnya")


def test_sound_once_per_popup_never_when_off_or_quiet(notifiers, window):
    _, banner = window
    chime = CountingChime()
    notifier = notifiers(NotifySettings(sound=True), None, banner, backends=[BannerBackend(banner)], chime=chime)
    notifier.payments_arrived([pay()])
    assert chime.plays == 1
    notifier.payments_arrived([pay() for _ in range(10)])  # one summary, one sound
    assert chime.plays == 2
    notifier.connection_changed(ConnectionStatus(ConnectionState.OFFLINE, since=datetime.now(UTC) - timedelta(hours=1)))
    assert chime.plays == 2  # the connection alert is silent
    notifier.set_settings(NotifySettings(sound=False))
    notifier.payments_arrived([pay()])
    assert chime.plays == 2
    now = datetime.now().astimezone()
    quiet = NotifySettings(sound=True, quiet_start=(now - timedelta(hours=1)).time(),
                           quiet_end=(now + timedelta(hours=1)).time())
    notifier.set_settings(quiet)
    banner.dismiss()
    notifier.payments_arrived([pay()])
    assert chime.plays == 2 and not banner.isVisible()


def test_sound_unavailable_is_skipped_and_said_once(qapp, caplog, monkeypatch):
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # as where libpulse is missing
    chime = SoundEffectChime(qapp)
    with caplog.at_level(logging.INFO, logger="zavera_desktop.ui.notifier"):
        chime.play()
        chime.play()
    assert [r.getMessage() for r in caplog.records].count(caplog.records[0].getMessage()) == 1
    assert "No notification sound" in caplog.records[0].getMessage()


def test_pause_from_the_tray_menu(make_tray, notifiers, notify_server, qtbot):
    tray = make_tray()
    notifier = notifiers(QUIET, tray, None)
    tray.pause_requested.connect(notifier.pause_until)  # as the main window wires it
    hour = tray.menu().findChild(type(tray.menu().actions()[0]), "trayPauseHour")
    with qtbot.waitSignal(notifier.paused_changed, timeout=1000):
        hour.trigger()
    assert notifier.paused_until is not None
    assert "Notifications paused until" in tray.tooltip()
    notifier.payments_arrived([pay()])
    assert notify_server.settle() == []
    with qtbot.waitSignal(notifier.paused_changed, timeout=1000) as resumed:
        tray.pause_requested.emit(None)
    assert resumed.args == [None] and notifier.paused_until is None
    notifier.payments_arrived([pay()])
    assert len(notify_server.wait_for(1)) == 1


def test_connection_alert_and_all_clear(make_tray, notifiers, notify_server, qtbot):
    tray = make_tray()
    notifier = notifiers(NotifySettings(sound=False, connection_alert_minutes=2), tray, None)
    down_since = datetime.now(UTC) - timedelta(minutes=3)
    notifier.connection_changed(ConnectionStatus(ConnectionState.RECONNECTING, since=down_since))
    (alert,) = notify_server.wait_for(1)
    assert alert["summary"] == "Not connected to the shop"
    assert "3 minute" in alert["body"] and "Reconnecting" in alert["body"]
    with qtbot.waitSignal(notifier.activated, timeout=5000) as clicked:
        notify_server.click(alert)
    assert clicked.args == [()]  # just show the window
    notifier.connection_changed(ConnectionStatus(ConnectionState.LIVE))
    records = notify_server.wait_for(2)
    assert records[1]["summary"] == "Connected again"
    assert len(notify_server.settle()) == 2


def test_connection_alert_fires_from_the_timer(notifiers, window, qtbot):
    _, banner = window
    clock_start = datetime.now(UTC)
    notifier = notifiers(NotifySettings(sound=False, connection_alert_minutes=1), None, banner,
                         backends=[BannerBackend(banner)])
    # down since 59.7 s: the alert is due in 0.3 s, by the notifier's own timer
    notifier.connection_changed(ConnectionStatus(ConnectionState.OFFLINE,
                                                 since=clock_start - timedelta(seconds=59.7)))
    assert not banner.isVisible()
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    assert banner.title() == "Not connected to the shop" and banner.codes == ()


def test_tray_unavailable_then_the_backend_in_use_is_plyer(no_tray, notifiers):
    assert TrayIcon.available() is False
    assert notifiers(QUIET, None, None).backend_id == "plyer"
