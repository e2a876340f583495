"""The settings window: the shop, the notifications and the app itself (no secrets here).

Saving writes ``AppSettings``, switches start-at-login on the system, and installs a newly
chosen language at once (every open window retranslates on ``LanguageChange``). The caller
learns what changed from ``saved(frozenset[str])`` — e.g. ``"engine"`` means the engine needs its
new settings — and ``relogin_requested`` asks it to show the login dialog (the backend and the
account change only through a proven login).
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.ui import autostart, i18n
from zavera_desktop.ui.settings import AppSettings, AuthKind

log = logging.getLogger(__name__)

# the shop's zones first (WIB, WITA, WIT), then every other zone this system knows
INDONESIAN_ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


def _to_qtime(when: dt.time | None, fallback: QTime) -> QTime:
    return QTime(when.hour, when.minute) if when is not None else fallback


def _from_qtime(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


class SettingsDialog(QDialog):
    """``SettingsDialog(settings, notification_backend="…")``; ``exec()`` or ``show()``."""

    # the sections whose values changed on Save: "engine", "notifications", "language", "startup"
    saved = Signal(object)
    # "Log in again…": the caller shows the login dialog
    relogin_requested = Signal()
    # "Midtrans…": the caller shows the Midtrans settings (ui/midtrans_settings.py)
    midtrans_requested = Signal()

    def __init__(
        self,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        notification_backend: str = "",
        apply_autostart: Callable[[bool], None] | None = autostart.set_enabled,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._settings = settings
        self._apply_autostart = apply_autostart
        self._notification_backend = notification_backend
        # the reason of the last failed Save, rendered in the current language (kept as data, not a
        # closure over self: see login_dialog on reference cycles and the garbage collector's thread)
        self._autostart_error: str | None = None
        self._build()
        self._load()
        self._retranslate()

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        # account (read-only: it changes through a proven login only)
        self._account_box = QGroupBox()
        self._backend_value = QLabel()
        self._backend_value.setObjectName("backendValue")
        self._email_value = QLabel()
        self._email_value.setObjectName("emailValue")
        self._relogin_button = QPushButton()
        self._relogin_button.setObjectName("reloginButton")
        self._relogin_button.setAutoDefault(False)
        self._backend_label, self._email_label = QLabel(), QLabel()
        account = QFormLayout(self._account_box)
        account.addRow(self._backend_label, self._backend_value)
        account.addRow(self._email_label, self._email_value)
        account.addRow("", self._relogin_button)

        # the shop and how often to look
        self._shop_box = QGroupBox()
        self._timezone = QComboBox()
        self._timezone.setObjectName("timezoneCombo")
        self._timezone.addItems(list(INDONESIAN_ZONES))
        self._timezone.insertSeparator(len(INDONESIAN_ZONES))
        others = sorted(zoneinfo.available_timezones() - set(INDONESIAN_ZONES))
        self._timezone.addItems(others)
        self._poll = QSpinBox()
        self._poll.setObjectName("pollSpin")
        self._poll.setRange(5, 3600)
        self._verify = QSpinBox()
        self._verify.setObjectName("verifySpin")
        self._verify.setRange(15, 3600)
        self._lookback = QSpinBox()
        self._lookback.setObjectName("lookbackSpin")
        self._lookback.setRange(1, 31)
        self._timezone_label, self._poll_label = QLabel(), QLabel()
        self._verify_label, self._lookback_label = QLabel(), QLabel()
        shop = QFormLayout(self._shop_box)
        for label, field in ((self._timezone_label, self._timezone), (self._poll_label, self._poll),
                             (self._verify_label, self._verify), (self._lookback_label, self._lookback)):
            label.setBuddy(field)
            shop.addRow(label, field)

        # notifications
        self._notify_box = QGroupBox()
        self._notify_enabled = QCheckBox()
        self._notify_enabled.setObjectName("notifyEnabledCheck")
        self._sound = QCheckBox()
        self._sound.setObjectName("soundCheck")
        self._burst = QCheckBox()
        self._burst.setObjectName("burstCheck")
        self._quiet = QCheckBox()
        self._quiet.setObjectName("quietCheck")
        self._quiet_start = QTimeEdit()
        self._quiet_start.setObjectName("quietStartEdit")
        self._quiet_start.setDisplayFormat("HH:mm")
        self._quiet_end = QTimeEdit()
        self._quiet_end.setObjectName("quietEndEdit")
        self._quiet_end.setDisplayFormat("HH:mm")
        self._quiet_to = QLabel()
        quiet_row = QHBoxLayout()
        quiet_row.addWidget(self._quiet)
        quiet_row.addWidget(self._quiet_start)
        quiet_row.addWidget(self._quiet_to)
        quiet_row.addWidget(self._quiet_end)
        quiet_row.addStretch(1)
        self._alert = QSpinBox()
        self._alert.setObjectName("connectionAlertSpin")
        self._alert.setRange(0, 240)  # 0: never (shown as the special value text)
        self._alert_label = QLabel()
        self._alert_label.setBuddy(self._alert)
        self._alert_label.setWordWrap(True)
        self._backend_line = QLabel()
        self._backend_line.setObjectName("notificationBackendLabel")
        self._backend_line.setWordWrap(True)
        notify = QVBoxLayout(self._notify_box)
        notify.addWidget(self._notify_enabled)
        notify.addWidget(self._sound)
        notify.addWidget(self._burst)
        notify.addLayout(quiet_row)
        alert_row = QHBoxLayout()
        alert_row.addWidget(self._alert_label, 1)
        alert_row.addWidget(self._alert)
        notify.addLayout(alert_row)
        notify.addWidget(self._backend_line)

        # the app
        self._app_box = QGroupBox()
        self._language = QComboBox()
        self._language.setObjectName("languageCombo")
        self._language.addItem("", i18n.SYSTEM)
        for code, name in i18n.available_languages():
            self._language.addItem(name, code)
        self._language_label = QLabel()
        self._language_label.setBuddy(self._language)
        self._start_at_login = QCheckBox()
        self._start_at_login.setObjectName("startAtLoginCheck")
        self._start_at_login.setEnabled(self._apply_autostart is not None)
        self._start_minimised = QCheckBox()
        self._start_minimised.setObjectName("startMinimisedCheck")
        app_form = QFormLayout(self._app_box)
        app_form.addRow(self._language_label, self._language)
        app_form.addRow("", self._start_at_login)
        app_form.addRow("", self._start_minimised)

        # Midtrans: its own window (the server key goes to the keyring off the GUI thread; ui/midtrans_settings.py)
        self._midtrans_box = QGroupBox()
        self._midtrans_text = QLabel()
        self._midtrans_text.setWordWrap(True)
        self._midtrans_button = QPushButton()
        self._midtrans_button.setObjectName("midtransButton")
        self._midtrans_button.setAutoDefault(False)
        self._midtrans_button.clicked.connect(self.midtrans_requested)
        midtrans_row = QHBoxLayout(self._midtrans_box)
        midtrans_row.addWidget(self._midtrans_text, 1)
        midtrans_row.addWidget(self._midtrans_button)

        self._error_label = QLabel()
        self._error_label.setObjectName("errorLabel")
        self._error_label.setWordWrap(True)
        self._error_label.setStyleSheet("color: #b00020;")
        self._error_label.hide()

        self._save_button = QPushButton()
        self._save_button.setObjectName("saveButton")
        self._save_button.setDefault(True)
        self._cancel_button = QPushButton()
        self._cancel_button.setObjectName("cancelButton")
        self._cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self._cancel_button)
        buttons.addWidget(self._save_button)

        layout = QVBoxLayout(self)
        for box in (self._account_box, self._shop_box, self._notify_box, self._app_box, self._midtrans_box):
            layout.addWidget(box)
        layout.addWidget(self._error_label)
        layout.addLayout(buttons)

        self._notify_enabled.toggled.connect(self._update_enabled)
        self._quiet.toggled.connect(self._update_enabled)
        self._save_button.clicked.connect(self._save)
        self._cancel_button.clicked.connect(self.reject)
        self._relogin_button.clicked.connect(self.relogin_requested)

    def _load(self) -> None:
        s = self._settings
        self._backend_value.setText(s.backend_url)
        self._email_value.setText(s.email)
        index = self._timezone.findText(s.timezone)
        if index < 0:  # a zone this system's list lacks: keep it selectable
            self._timezone.addItem(s.timezone)
            index = self._timezone.count() - 1
        self._timezone.setCurrentIndex(index)
        self._poll.setValue(round(s.poll_interval))
        self._verify.setValue(round(s.verify_interval))
        self._lookback.setValue(s.lookback_days)
        self._notify_enabled.setChecked(s.notifications_enabled)
        self._sound.setChecked(s.notification_sound)
        self._burst.setChecked(s.burst_summary)
        start, end = s.quiet_start, s.quiet_end
        self._quiet.setChecked(start is not None and end is not None)
        self._quiet_start.setTime(_to_qtime(start, QTime(22, 0)))
        self._quiet_end.setTime(_to_qtime(end, QTime(7, 0)))
        self._alert.setValue(s.connection_alert_minutes)
        self._language.setCurrentIndex(max(0, self._language.findData(s.language)))
        self._start_at_login.setChecked(s.start_at_login)
        self._start_minimised.setChecked(s.start_minimised)
        self._update_enabled()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings — Zavera Desktop"))
        self._account_box.setTitle(self.tr("Account"))
        self._backend_label.setText(self.tr("Backend:"))
        self._email_label.setText(self.tr("Admin account:"))
        if not self._settings.email and self._settings.auth_kind is AuthKind.TOKEN:
            self._email_value.setText(self.tr("(pasted token)"))
        self._relogin_button.setText(self.tr("Log in again…"))
        self._shop_box.setTitle(self.tr("Shop"))
        self._timezone_label.setText(self.tr("Shop &time zone:"))
        self._poll_label.setText(self.tr("Check for missed payments every:"))
        self._poll.setSuffix(self.tr(" s"))
        self._poll.setToolTip(self.tr("While the live connection is down, how often the order list is read."))
        self._verify_label.setText(self.tr("Ask Midtrans about pending payments every:"))
        self._verify.setSuffix(self.tr(" s"))
        self._lookback_label.setText(self.tr("Look back over the last:"))
        self._lookback.setSuffix(self.tr(" days"))
        self._notify_box.setTitle(self.tr("Notifications"))
        self._notify_enabled.setText(self.tr("Show a &notification for every new payment"))
        self._sound.setText(self.tr("Play a &sound"))
        self._burst.setText(self.tr("Many payments at once: show &one summary"))
        self._quiet.setText(self.tr("&Quiet hours from"))
        self._quiet_to.setText(self.tr("to"))
        self._alert_label.setText(self.tr("Warn when the connection to the shop has been lost for:"))
        self._alert.setSuffix(self.tr(" min"))
        self._alert.setSpecialValueText(self.tr("never"))
        self._render_backend_line()
        self._app_box.setTitle(self.tr("Zavera Desktop"))
        self._language_label.setText(self.tr("&Language:"))
        system_name = dict(i18n.available_languages()).get(i18n.system_language(), "English")
        self._language.setItemText(0, self.tr("System default ({language})").format(language=system_name))
        self._start_at_login.setText(self.tr("Start Zavera Desktop when I log in to this computer"))
        self._start_minimised.setText(self.tr("Start minimised to the tray"))
        self._midtrans_box.setTitle(self.tr("Midtrans"))
        self._midtrans_text.setText(self.tr("The environment and server key used to replay a lost notification and "
                                            "to ask Midtrans directly; the shop's webhook address."))
        self._midtrans_button.setText(self.tr("&Midtrans…"))
        self._save_button.setText(self.tr("&Save"))
        self._cancel_button.setText(self.tr("Cancel"))
        self._render_error()

    def _render_backend_line(self) -> None:
        name = self._notification_backend or self.tr("not known yet")
        self._backend_line.setText(self.tr("Notifications are shown through: {backend}").format(backend=name))

    def set_notification_backend(self, name: str) -> None:
        """The name of the notifier's working backend (e.g. "the tray", "notify-send")."""
        self._notification_backend = name
        self._render_backend_line()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    @Slot()
    def _update_enabled(self) -> None:
        on = self._notify_enabled.isChecked()
        for widget in (self._sound, self._burst, self._quiet):
            widget.setEnabled(on)
        quiet = on and self._quiet.isChecked()
        self._quiet_start.setEnabled(quiet)
        self._quiet_end.setEnabled(quiet)

    def _render_error(self) -> None:
        if self._autostart_error is None:
            self._error_label.hide()
            return
        self._error_label.setText(self.tr("Start at login could not be changed: {reason}").format(
            reason=self._autostart_error))
        self._error_label.show()

    # --- saving ---------------------------------------------------------------------------------

    @Slot()
    def _save(self) -> None:
        s = self._settings
        changed: set[str] = set()

        start_at_login = self._start_at_login.isChecked()
        if start_at_login != s.start_at_login and self._apply_autostart is not None:
            try:
                self._apply_autostart(start_at_login)
            except autostart.AutostartError as exc:
                self._autostart_error = str(exc)
                self._render_error()
                return

        engine = (self._timezone.currentText(), self._poll.value(), self._verify.value(), self._lookback.value())
        if engine != (s.timezone, round(s.poll_interval), round(s.verify_interval), s.lookback_days):
            s.timezone, s.poll_interval, s.verify_interval, s.lookback_days = engine
            changed.add("engine")

        quiet = self._quiet.isChecked()
        notify = (self._notify_enabled.isChecked(), self._sound.isChecked(), self._burst.isChecked(),
                  _from_qtime(self._quiet_start.time()) if quiet else None,
                  _from_qtime(self._quiet_end.time()) if quiet else None, self._alert.value())
        if notify != (s.notifications_enabled, s.notification_sound, s.burst_summary, s.quiet_start, s.quiet_end,
                      s.connection_alert_minutes):
            (s.notifications_enabled, s.notification_sound, s.burst_summary, s.quiet_start, s.quiet_end,
             s.connection_alert_minutes) = notify
            changed.add("notifications")

        startup = (start_at_login, self._start_minimised.isChecked())
        if startup != (s.start_at_login, s.start_minimised):
            s.start_at_login, s.start_minimised = startup
            changed.add("startup")

        language = self._language.currentData()
        if language != s.language:
            s.language = language
            changed.add("language")
        s.sync()

        if "language" in changed:
            app = QCoreApplication.instance()
            if app is not None:
                i18n.install_language(app, language)
        self._autostart_error = None
        self._render_error()
        self.saved.emit(frozenset(changed))
        self.accept()
