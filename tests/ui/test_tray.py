"""The tray icon on the test desktop's D-Bus tray: state icon, unread badge, tooltip, menu, clicks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QSystemTrayIcon

from zavera_desktop.domain import ConnectionState, ConnectionStatus
from zavera_desktop.resources_path import resource_path
from zavera_desktop.ui.tray import DEGRADED, LIVE, OFFLINE, TrayIcon, badge_text, render_icon

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 1, 22, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta


def colour_family(c: QColor) -> str:
    r, g, b = c.red(), c.green(), c.blue()
    if max(r, g, b) - min(r, g, b) < 16:
        return "grey"
    if g > r and g > b:
        return "green"
    if r > g > b:
        return "amber"
    return "other"


def tile_colour(image: QImage) -> str:
    # the tile's left edge, away from the "Z", the corner marks and the badge
    return colour_family(image.pixelColor(round(image.width() * 0.12), image.height() // 2))


def red_pixels_top_right(image: QImage) -> int:
    s = image.width()
    count = 0
    for x in range(s // 2, s):
        for y in range(s // 2):
            c = image.pixelColor(x, y)
            count += c.red() > 170 and c.green() < 90 and c.blue() < 90
    return count


def icon_image(tray: TrayIcon, size: int = 32) -> QImage:
    return tray.icon().pixmap(size, size).toImage()


@pytest.fixture
def tray(make_tray) -> TrayIcon:
    return make_tray(clock=lambda: NOW, tz=JAKARTA)


@pytest.mark.parametrize(("state", "kind", "colour"), [
    (ConnectionState.LIVE, LIVE, "green"),
    (ConnectionState.CONNECTING, DEGRADED, "amber"),
    (ConnectionState.RECONNECTING, DEGRADED, "amber"),
    (ConnectionState.OFFLINE, OFFLINE, "grey"),
    (ConnectionState.AUTH_REQUIRED, OFFLINE, "grey"),
    (ConnectionState.FORBIDDEN, OFFLINE, "grey"),
    (ConnectionState.STOPPED, OFFLINE, "grey"),
])
def test_state_icon_follows_the_connection_state(tray, state, kind, colour):
    other = ConnectionState.OFFLINE if state is ConnectionState.LIVE else ConnectionState.LIVE
    tray.set_state(ConnectionStatus(other))
    tray.set_state(ConnectionStatus(state))
    assert tray.kind == kind
    for size in (16, 22, 32, 64):
        assert tile_colour(icon_image(tray, size)) == colour, size


def test_unread_badge_is_painted_on_the_icon(tray):
    tray.set_state(ConnectionStatus(ConnectionState.LIVE))
    assert red_pixels_top_right(icon_image(tray)) == 0
    tray.set_unread(5)
    assert tray.unread == 5
    with_badge = icon_image(tray)
    assert red_pixels_top_right(with_badge) > 20
    assert tile_colour(with_badge) == "green"  # the state still shows
    tray.set_unread(0)
    assert red_pixels_top_right(icon_image(tray)) == 0


def test_badge_text_caps_at_99():
    assert [badge_text(n) for n in (0, -1, 1, 42, 99, 100, 12_345)] == ["", "", "1", "42", "99", "99+", "99+"]
    # "99+" needs more room than "9": the badge is wider
    assert red_pixels_top_right(render_icon(LIVE, 100, 32)) > red_pixels_top_right(render_icon(LIVE, 9, 32))


def test_tooltip_says_state_unread_and_pause(tray):
    tray.set_state(ConnectionStatus(ConnectionState.LIVE))
    assert tray.tooltip() == "Zavera Desktop — Live"
    tray.set_unread(3)
    assert tray.tooltip().splitlines()[1].startswith("3 unread payment")
    tray.set_state(ConnectionStatus(ConnectionState.RECONNECTING))
    assert tray.tooltip().splitlines()[0] == "Zavera Desktop — Reconnecting"
    tray.set_paused_until(NOW + timedelta(hours=1))
    assert tray.tooltip().splitlines()[-1] == "Notifications paused until 11:00"
    tray.set_paused_until(None)
    assert "paused" not in tray.tooltip()


def test_menu_actions_emit_signals(tray, qtbot):
    menu = tray.menu()

    def action(name: str):
        found = menu.findChild(type(menu.actions()[0]), name)
        assert found is not None, name
        return found

    for name, signal in (("trayShow", tray.show_requested), ("trayReconnect", tray.reconnect_requested),
                         ("trayQuit", tray.quit_requested)):
        with qtbot.waitSignal(signal, timeout=1000):
            action(name).trigger()
    with qtbot.waitSignal(tray.pause_requested, timeout=1000) as hour:
        action("trayPauseHour").trigger()
    assert hour.args == [NOW + timedelta(hours=1)]
    with qtbot.waitSignal(tray.pause_requested, timeout=1000) as tomorrow:
        action("trayPauseTomorrow").trigger()
    assert tomorrow.args == [datetime(2026, 1, 23, 8, 0, tzinfo=JAKARTA)]
    assert not action("trayResume").isEnabled()
    tray.set_paused_until(NOW + timedelta(hours=1))
    assert action("trayResume").isEnabled()
    with qtbot.waitSignal(tray.pause_requested, timeout=1000) as resume:
        action("trayResume").trigger()
    assert resume.args == [None]
    assert [a.text() for a in menu.actions() if a.text()] == [
        "&Show Zavera Desktop", "&Pause notifications", "&Reconnect now", "&Quit"]


def test_the_tray_icon_registers_and_a_click_asks_for_the_window(make_tray, desktop_env, qtbot):
    before = len(desktop_env.tray_registrations())
    tray = make_tray()
    qtbot.waitUntil(lambda: len(desktop_env.tray_registrations()) > before, timeout=5000)
    assert tray.is_visible() and TrayIcon.available()
    service = desktop_env.tray_registrations()[-1]
    with qtbot.waitSignal(tray.show_requested, timeout=5000):
        desktop_env.activate_tray_icon(service)


def test_menu_and_tooltip_follow_a_language_change(tray, qtbot):
    tray.set_state(ConnectionStatus(ConnectionState.LIVE))
    tray.set_unread(4)
    translator = QTranslator()
    assert translator.load(str(resource_path("translations/zavera_id.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: "&Keluar" in [a.text() for a in tray.menu().actions()], timeout=2000)
        assert "&Hubungkan ulang sekarang" in [a.text() for a in tray.menu().actions()]
        assert tray.tooltip() == "Zavera Desktop — Terhubung\n4 pembayaran belum dibaca"
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: "&Quit" in [a.text() for a in tray.menu().actions()], timeout=2000)


def test_no_tray_on_a_desktop_without_one(no_tray):
    assert TrayIcon.available() is False
    assert QSystemTrayIcon.isSystemTrayAvailable() is False


def test_the_tray_comes_back_after_no_tray():
    # the no_tray fixture restarted the watcher: later tests have their tray again
    assert TrayIcon.available() is True
