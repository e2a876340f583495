"""AppSettings (typed, defaults, survives a restart, no secrets) and the settings window."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

import pytest
from PySide6.QtCore import QByteArray, QSettings, QTime
from PySide6.QtWidgets import QDialog

from zavera_desktop.config import EngineSettings
from zavera_desktop.ui.autostart import AutostartError
from zavera_desktop.ui.settings import AppSettings, AuthKind
from zavera_desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # offscreen's limit


@pytest.fixture
def path(tmp_path):
    return tmp_path / "zavera-desktop.ini"


@pytest.fixture
def settings(path) -> AppSettings:
    return AppSettings(path)


# --- AppSettings ----------------------------------------------------------------------------------


def test_defaults(settings):
    assert settings.backend_url == "" and settings.email == ""
    assert settings.auth_kind is AuthKind.PASSWORD
    assert settings.timezone == "Asia/Jakarta"
    engine_defaults = EngineSettings(backend_url="x")
    assert settings.poll_interval == engine_defaults.poll_interval
    assert settings.verify_interval == engine_defaults.verify_interval
    assert settings.lookback_days == engine_defaults.lookback_days
    assert settings.notifications_enabled and settings.notification_sound and settings.burst_summary
    assert settings.quiet_start is None and settings.quiet_end is None
    assert settings.connection_alert_minutes == 2
    assert settings.language == "system"
    assert not settings.start_minimised and not settings.start_at_login and not settings.tray_hint_shown
    assert settings.window_geometry is None and settings.window_state is None


def test_every_value_survives_a_restart(path):
    s = AppSettings(path)
    s.backend_url = " https://api.shop.test/ "
    s.email = "admin@shop.test"
    s.auth_kind = AuthKind.TOKEN
    s.timezone = "Asia/Makassar"
    s.poll_interval = 30
    s.verify_interval = 90.5
    s.lookback_days = 7
    s.notifications_enabled = False
    s.notification_sound = False
    s.quiet_start = dt.time(22, 30)
    s.quiet_end = dt.time(6, 0)
    s.burst_summary = False
    s.connection_alert_minutes = 10
    s.language = "id"
    s.start_minimised = True
    s.start_at_login = True
    s.tray_hint_shown = True
    s.window_geometry = QByteArray(b"\x01\x02geometry")
    s.window_state = QByteArray(b"\x03state")
    s.sync()

    again = AppSettings(path)  # the next start of the app reads the file back (strings in an ini)
    assert again.backend_url == "https://api.shop.test"
    assert again.email == "admin@shop.test"
    assert again.auth_kind is AuthKind.TOKEN
    assert again.timezone == "Asia/Makassar"
    assert again.poll_interval == 30.0 and again.verify_interval == 90.5 and again.lookback_days == 7
    assert again.notifications_enabled is False and again.notification_sound is False
    assert again.quiet_start == dt.time(22, 30) and again.quiet_end == dt.time(6, 0)
    assert again.burst_summary is False and again.connection_alert_minutes == 10
    assert again.language == "id"
    assert again.start_minimised is True and again.start_at_login is True and again.tray_hint_shown is True
    assert bytes(again.window_geometry.data()) == b"\x01\x02geometry"
    assert bytes(again.window_state.data()) == b"\x03state"
    again.quiet_start = None
    again.window_geometry = None
    assert again.quiet_start is None and again.window_geometry is None


def test_a_hand_edited_file_falls_back_to_defaults(path):
    raw = QSettings(str(path), QSettings.Format.IniFormat)
    for key, value in {"shop/timezone": "Mars/Olympus", "engine/poll_interval": "soon", "engine/lookback_days": "-3",
                       "notifications/enabled": "perhaps", "notifications/quiet_start": "25:99",
                       "account/auth_kind": "magic", "ui/language": "klingon"}.items():
        raw.setValue(key, value)
    raw.sync()
    s = AppSettings(path)
    assert s.timezone == "Asia/Jakarta" and s.poll_interval == 15.0 and s.lookback_days == 3
    assert s.notifications_enabled is True and s.quiet_start is None
    assert s.auth_kind is AuthKind.PASSWORD and s.language == "system"


def test_invalid_values_are_refused(settings):
    with pytest.raises(ValueError, match="unknown time zone"):
        settings.timezone = "Asia/Jakartaa"
    with pytest.raises(ValueError):
        settings.poll_interval = 0
    with pytest.raises(ValueError):
        settings.lookback_days = 0
    with pytest.raises(ValueError):
        settings.language = "fr"
    with pytest.raises(ValueError):
        settings.connection_alert_minutes = -1


def test_engine_settings(settings):
    with pytest.raises(ValueError, match="no backend URL"):
        settings.engine_settings()
    settings.backend_url = "https://api.shop.test"
    settings.timezone = "Asia/Jayapura"
    settings.poll_interval = 20
    settings.verify_interval = 45
    settings.lookback_days = 5
    engine = settings.engine_settings()
    assert engine == EngineSettings(backend_url="https://api.shop.test", timezone="Asia/Jayapura",
                                    poll_interval=20.0, verify_interval=45.0, lookback_days=5)
    assert settings.engine_settings("http://127.0.0.1:8080/").backend_url == "http://127.0.0.1:8080"


def test_notify_settings(settings):
    notify_policy = pytest.importorskip("zavera_desktop.ui.notify_policy")
    settings.notifications_enabled = True
    settings.notification_sound = False
    settings.quiet_start, settings.quiet_end = dt.time(22, 0), dt.time(7, 0)
    settings.burst_summary = True
    settings.connection_alert_minutes = 3
    ns = settings.notify_settings()
    assert isinstance(ns, notify_policy.NotifySettings)
    assert (ns.enabled, ns.sound, ns.quiet_start, ns.quiet_end, ns.burst_summary, ns.connection_alert_minutes) == (
        True, False, dt.time(22, 0), dt.time(7, 0), True, 3)
    # the same defaults on both sides
    fresh = AppSettings(settings.file_name() + ".fresh.ini").notify_settings()
    assert fresh == notify_policy.NotifySettings()


def test_connection_alert_can_be_switched_off(qtbot, settings):
    settings.connection_alert_minutes = 0
    assert settings.connection_alert_minutes == 0
    dialog = SettingsDialog(settings, apply_autostart=None)
    qtbot.addWidget(dialog)
    spin = dialog.findChild(object, "connectionAlertSpin")
    assert spin.value() == 0 and spin.text() == "never"


def test_no_secret_keys_exist(settings):
    names = [name for name in dir(AppSettings) if not name.startswith("_")]
    assert not [n for n in names if any(word in n for word in ("password", "token", "secret", "key"))]


# --- the settings window --------------------------------------------------------------------------


class FakeAutostart:
    def __init__(self, error: str | None = None) -> None:
        self.calls: list[bool] = []
        self.error = error

    def __call__(self, enabled: bool) -> None:
        if self.error:
            raise AutostartError(self.error)
        self.calls.append(enabled)


@pytest.fixture
def make_dialog(qtbot, settings):
    def make(**kw) -> SettingsDialog:
        kw.setdefault("apply_autostart", FakeAutostart())
        dialog = SettingsDialog(settings, **kw)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def child(dialog, name):
    widget = dialog.findChild(object, name)
    assert widget is not None, name
    return widget


def test_window_shows_the_saved_values(make_dialog, settings):
    settings.backend_url = "https://api.shop.test"
    settings.email = "admin@shop.test"
    settings.timezone = "Asia/Makassar"
    settings.poll_interval = 30
    settings.quiet_start, settings.quiet_end = dt.time(21, 0), dt.time(8, 15)
    settings.language = "id"
    dialog = make_dialog(notification_backend="notify-send")
    assert child(dialog, "backendValue").text() == "https://api.shop.test"
    assert child(dialog, "emailValue").text() == "admin@shop.test"
    assert child(dialog, "timezoneCombo").currentText() == "Asia/Makassar"
    assert child(dialog, "pollSpin").value() == 30
    assert child(dialog, "quietCheck").isChecked()
    assert child(dialog, "quietStartEdit").time() == QTime(21, 0)
    assert child(dialog, "quietEndEdit").time() == QTime(8, 15)
    assert child(dialog, "languageCombo").currentData() == "id"
    assert child(dialog, "notificationBackendLabel").text() == "Notifications are shown through: notify-send"
    dialog.set_notification_backend("the tray")
    assert child(dialog, "notificationBackendLabel").text() == "Notifications are shown through: the tray"


def test_notification_options_follow_the_main_switch(make_dialog):
    dialog = make_dialog()
    child(dialog, "quietCheck").setChecked(False)
    assert not child(dialog, "quietStartEdit").isEnabled()
    child(dialog, "quietCheck").setChecked(True)
    assert child(dialog, "quietStartEdit").isEnabled()
    child(dialog, "notifyEnabledCheck").setChecked(False)
    assert not child(dialog, "soundCheck").isEnabled()
    assert not child(dialog, "quietStartEdit").isEnabled()


def test_save_writes_settings_and_says_what_changed(qtbot, make_dialog, settings, path):
    fake = FakeAutostart()
    dialog = make_dialog(apply_autostart=fake)
    child(dialog, "timezoneCombo").setCurrentText("Asia/Jayapura")
    child(dialog, "pollSpin").setValue(45)
    child(dialog, "lookbackSpin").setValue(10)
    child(dialog, "soundCheck").setChecked(False)
    child(dialog, "quietCheck").setChecked(True)
    child(dialog, "quietStartEdit").setTime(QTime(23, 0))
    child(dialog, "quietEndEdit").setTime(QTime(6, 30))
    child(dialog, "connectionAlertSpin").setValue(15)
    child(dialog, "startAtLoginCheck").setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        child(dialog, "saveButton").click()
    assert saved.args[0] == frozenset({"engine", "notifications", "startup"})
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert fake.calls == [True]
    again = AppSettings(path)
    assert again.timezone == "Asia/Jayapura" and again.poll_interval == 45 and again.lookback_days == 10
    assert again.notification_sound is False
    assert (again.quiet_start, again.quiet_end) == (dt.time(23, 0), dt.time(6, 30))
    assert again.connection_alert_minutes == 15 and again.start_at_login is True


def test_save_without_changes_changes_nothing(qtbot, make_dialog):
    fake = FakeAutostart()
    dialog = make_dialog(apply_autostart=fake)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        child(dialog, "saveButton").click()
    assert saved.args[0] == frozenset() and fake.calls == []


def test_autostart_failure_is_said_and_nothing_is_saved(make_dialog, settings):
    dialog = make_dialog(apply_autostart=FakeAutostart("Could not write /x/autostart (Permission denied)."))
    child(dialog, "pollSpin").setValue(99)
    child(dialog, "startAtLoginCheck").setChecked(True)
    child(dialog, "saveButton").click()
    error = child(dialog, "errorLabel")
    assert error.isVisible()
    assert error.text() == ("Start at login could not be changed: Could not write /x/autostart "
                            "(Permission denied).")
    assert dialog.isVisible()
    assert settings.start_at_login is False and settings.poll_interval == 15.0


def test_cancel_keeps_the_old_values(make_dialog, settings):
    dialog = make_dialog()
    child(dialog, "pollSpin").setValue(99)
    child(dialog, "cancelButton").click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert settings.poll_interval == 15.0


def test_log_in_again_is_asked_of_the_caller(qtbot, make_dialog):
    dialog = make_dialog()
    with qtbot.waitSignal(dialog.relogin_requested, timeout=5000):
        child(dialog, "reloginButton").click()


def test_window_is_freed_without_the_garbage_collector(settings):
    """See test_login_dialog: no reference cycles through a window."""
    gc.collect()
    enabled = gc.isenabled()  # the app's collector may have switched it off already (ui/gc_guard.py)
    gc.disable()
    try:
        dialog = SettingsDialog(settings, apply_autostart=FakeAutostart("no"))
        child(dialog, "startAtLoginCheck").setChecked(True)
        child(dialog, "saveButton").click()  # fails: the error is shown
        assert child(dialog, "errorLabel").text()
        ref = weakref.ref(dialog)
        del dialog
        assert ref() is None
    finally:
        if enabled:
            gc.enable()
