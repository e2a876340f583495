"""The notifier: the policy (``notify_policy``) + the chain of backends (``notify_backends``) + sound.

The window hands it each batch's ``new_payments`` and every connection status; the policy says what
to show (one notification per new payment, a summary for a burst, the connection alert and the
all-clear) and when to look again, which one single-shot QTimer honours. Each popup goes through
the first backend that is available: the tray's message, plyer (notify-send, the Windows balloon),
then the in-window banner. A backend that fails (raises, or reports a late failure) is skipped for
a minute and the popup goes to the next one, so nothing is lost to a broken backend.

``activated(codes)`` is emitted when the admin clicks a popup that reports clicks (the tray's
message, the banner; plyer's cannot): one order code for a payment, all of them for a summary, an
empty tuple for the connection alerts (just show the window).

Texts are in the UI language (``tr``); money is whole rupiah shown as ``Rp 717.000``.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, QUrl, Signal, Slot

from zavera_desktop.domain import ConnectionStatus, Payment, format_rupiah, method_label
from zavera_desktop.resources_path import resource_path
from zavera_desktop.ui.banner import NotificationBanner
from zavera_desktop.ui.notify_backends import (
    BannerBackend,
    NotificationBackend,
    PlyerBackend,
    TrayBackend,
)
from zavera_desktop.ui.notify_policy import WINDOW, Alert, AlertKind, NotifyPolicy, NotifySettings, utc_now
from zavera_desktop.ui.tray import TrayIcon, state_words

log = logging.getLogger(__name__)

# a backend that failed is not asked again for this long
RETRY_AFTER = timedelta(minutes=1)
# the summary body names this many order codes, then "and N more"
SUMMARY_CODES = 3
# the timer never sleeps longer than this (a changed clock is noticed within the hour)
MAX_SLEEP_MS = 3_600_000
SOUND_VOLUME = 0.5


class Chime(Protocol):
    def play(self) -> None: ...


class SoundEffectChime:
    """The payment sound (``resources/sounds/payment.wav``) through QtMultimedia's QSoundEffect.

    Made on the first sound, never when sound is off: QtMultimedia loads audio plugins and talks to
    the sound server. Where it cannot load (no libpulse on Linux) or there is no audio output, the
    sound is skipped, said once in the log.
    """

    def __init__(self, parent: QObject) -> None:
        self._parent = parent
        self._effect: QObject | None = None
        self._unavailable = False

    def play(self) -> None:
        if self._unavailable:
            return
        if self._effect is None:
            self._effect = self._make()
            if self._effect is None:
                self._unavailable = True
                return
        self._effect.play()  # type: ignore[attr-defined]

    def _make(self) -> QObject | None:
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:
            log.info("No notification sound: QtMultimedia cannot be loaded (%s)", exc)
            return None
        if not QMediaDevices.audioOutputs():
            log.info("No notification sound: this machine has no audio output")
            return None
        effect = QSoundEffect(self._parent)
        effect.setSource(QUrl.fromLocalFile(str(resource_path("sounds/payment.wav"))))
        effect.setVolume(SOUND_VOLUME)
        return effect


class Notifier(QObject):
    """Turns new payments and connection states into popups. See the module docstring."""

    # the order codes of the clicked popup (tuple[str, ...]; empty for the connection alerts)
    activated = Signal(object)
    # the end of the pause (aware datetime) or None when notifications run again
    paused_changed = Signal(object)
    # the words for the backend that showed the last popup, when it changes (for the settings window)
    backend_changed = Signal(str)
    # a payment-health alert's popup was clicked: its alert id (see ``alert_raised``)
    health_activated = Signal(int)

    def __init__(self, settings: NotifySettings, tray: TrayIcon | None, banner: NotificationBanner | None,
                 parent: QObject | None = None, *, clock: Callable[[], datetime] = utc_now,
                 tz: tzinfo | None = None, burst_window: timedelta = WINDOW,
                 backends: Sequence[NotificationBackend] | None = None, chime: Chime | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._policy = NotifyPolicy(settings, clock=clock, tz=tz, window=burst_window)
        self._tray = tray
        self._chime: Chime = chime if chime is not None else SoundEffectChime(self)
        if backends is None:
            chain: list[NotificationBackend] = []
            if tray is not None:
                chain.append(TrayBackend(tray, self))
            chain.append(PlyerBackend(self))
            if banner is not None:
                chain.append(BannerBackend(banner, self))
            backends = chain
        self._backends = list(backends)
        self._failed_at: dict[str, datetime] = {}
        self._last_backend: NotificationBackend | None = None
        self._announced_pause: datetime | None = None
        for backend in self._backends:
            backend.failed.connect(functools.partial(self._on_backend_failed, backend))
        if tray is not None:
            tray.message_clicked.connect(self._on_tray_message_clicked)
        if banner is not None:
            banner.activated.connect(self._on_tray_message_clicked)
        self._alerts_shown: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)

    # --- what the window calls ------------------------------------------------------------------

    def payments_arrived(self, payments: Sequence[Payment]) -> None:
        """A batch's ``new_payments`` (never payments loaded at start-up)."""
        self._show_all(self._policy.payments_arrived(payments))

    def connection_changed(self, status: ConnectionStatus) -> None:
        self._show_all(self._policy.connection_changed(status))

    def set_settings(self, settings: NotifySettings) -> None:
        self._show_all(self._policy.set_settings(settings))

    @property
    def settings(self) -> NotifySettings:
        return self._policy.settings

    @Slot(object)
    def pause_until(self, until: datetime | None) -> None:
        """Pause popups (and sound) until ``until``; None resumes. The tray menu's pause lands here."""
        self._show_all(self._policy.pause_until(until))

    @property
    def paused_until(self) -> datetime | None:
        return self._policy.paused_until

    @property
    def backend_name(self) -> str:
        """The words for the backend the next popup would use ("the system tray", "notify-send", …)."""
        backend = self._next_backend(self._clock())
        return backend.label() if backend is not None else self.tr("nothing (notifications cannot be shown)")

    @property
    def backend_id(self) -> str:
        """The stable id of that backend: "tray", "plyer", "banner" or "" when none works."""
        backend = self._next_backend(self._clock())
        return backend.name if backend is not None else ""

    def close(self) -> None:
        """Stop the timer and the plyer worker (at quit)."""
        self._timer.stop()
        for backend in self._backends:
            if isinstance(backend, PlyerBackend):
                backend.close()

    # --- showing --------------------------------------------------------------------------------

    def _show_all(self, alerts: list[Alert]) -> None:
        for alert in alerts:
            title, body = self._texts(alert)
            self._show(title, body, alert.codes)
            if alert.kind in (AlertKind.PAYMENT, AlertKind.SUMMARY) and self._policy.settings.sound:
                self._chime.play()
        self._sync_pause()
        self._rearm()

    def _next_backend(self, now: datetime, after: NotificationBackend | None = None) -> NotificationBackend | None:
        start = self._backends.index(after) + 1 if after in self._backends else 0
        for backend in self._backends[start:]:
            failed = self._failed_at.get(backend.name)
            if failed is not None and now - failed < RETRY_AFTER:
                continue
            if backend.available():
                return backend
        return None

    def _show(self, title: str, body: str, codes: tuple[str, ...],
              after: NotificationBackend | None = None) -> None:
        now = self._clock()
        while (backend := self._next_backend(now, after)) is not None:
            try:
                backend.show(title, body, codes)
            except Exception as exc:  # whatever a backend raises, the popup goes to the next one
                log.warning("Notification through %s failed, trying the next way: %s", backend.name, exc)
                self._failed_at[backend.name] = now
                after = backend
                continue
            self._failed_at.pop(backend.name, None)
            if backend is not self._last_backend:
                self._last_backend = backend
                log.info("Notifications are shown through %s", backend.name)
                self.backend_changed.emit(backend.label())
            return
        log.warning("No way to show a notification here; it was: %s", title)

    def _on_backend_failed(self, backend: NotificationBackend, title: str, body: str, codes: object,
                           error: str) -> None:
        # a late failure (plyer's worker): that popup goes to the next backend now
        self._failed_at[backend.name] = self._clock()
        if self._last_backend is backend:
            self._last_backend = None
        self._show(title, body, tuple(codes) if isinstance(codes, tuple | list) else (), after=backend)

    @Slot(object)
    def _on_tray_message_clicked(self, codes: object) -> None:
        if isinstance(codes, tuple):  # None: a message the window showed itself, not ours
            alert_id = alert_id_of(codes)
            if alert_id is not None:
                self.health_activated.emit(alert_id)
            else:
                self.activated.emit(codes)

    # --- payment-health alerts (ui/health_panel.py words them) --------------------------------------

    @Slot(int, str, str)
    def alert_raised(self, alert_id: int, title: str, body: str) -> bool:
        """One popup per raised health alert, through the same backends. Not a payment: it takes no burst
        slot and plays no payment sound, but the gate (enabled, pause, quiet hours) applies, and like a
        payment it is not shown later when the gate was closed (the badge keeps it). True when shown."""
        if alert_id in self._alerts_shown:
            return False
        self._alerts_shown.add(alert_id)
        if not self._policy.gate_open():
            return False
        self._show(title, body, (ALERT_CODE_PREFIX + str(alert_id),))
        return True

    # --- words ----------------------------------------------------------------------------------

    def _texts(self, alert: Alert) -> tuple[str, str]:
        if alert.kind is AlertKind.PAYMENT:
            return self.tr("Payment received"), payment_line(alert.payments[0])
        if alert.kind is AlertKind.SUMMARY:
            title = self.tr("%n new payments", "", len(alert.payments))
            if alert.total is not None:
                title += " · " + format_rupiah(alert.total)
            codes = alert.codes
            body = ", ".join(codes[:SUMMARY_CODES])
            if len(codes) > SUMMARY_CODES:
                body = self.tr("{codes} and %n more", "", len(codes) - SUMMARY_CODES).format(codes=body)
            return title, body
        if alert.kind is AlertKind.CONNECTION_LOST:
            since = alert.down_since or self._clock()
            minutes = max(1, int((self._clock() - since).total_seconds() // 60))
            state = state_words(alert.status.state) if alert.status is not None else ""
            body = self.tr("No live connection for %n minute(s) ({state}). New payments may show up late.", "",
                           minutes).format(state=state)
            return self.tr("Not connected to the shop"), body
        return self.tr("Connected again"), self.tr("Payments are live again; any that came meanwhile are in the list.")

    # --- time -----------------------------------------------------------------------------------

    def _rearm(self) -> None:
        times = [t for t in (self._policy.next_wakeup(), self._policy.paused_until) if t is not None]
        if not times:
            self._timer.stop()
            return
        ms = math.ceil((min(times) - self._clock()).total_seconds() * 1000)
        self._timer.start(min(max(ms, 0), MAX_SLEEP_MS))

    @Slot()
    def _on_timer(self) -> None:
        self._show_all(self._policy.tick())

    def _sync_pause(self) -> None:
        paused = self._policy.paused_until
        if paused != self._announced_pause:
            self._announced_pause = paused
            if self._tray is not None:
                self._tray.set_paused_until(paused)
            self.paused_changed.emit(paused)


# a health alert's popup carries this instead of order codes, so a click opens the alert, not an order
ALERT_CODE_PREFIX = "health-alert:"


def alert_id_of(codes: tuple[str, ...]) -> int | None:
    """The alert id a clicked popup's codes stand for, or None for a payment popup."""
    if len(codes) == 1 and codes[0].startswith(ALERT_CODE_PREFIX):
        try:
            return int(codes[0][len(ALERT_CODE_PREFIX):])
        except ValueError:
            return None
    return None


def payment_line(payment: Payment) -> str:
    """``ZVR-20260122-26A6A050 · Rp 717.000 · BCA VA · Budi Santoso``; unknown parts are left out."""
    parts = [payment.order_code]
    if payment.amount is not None:
        parts.append(format_rupiah(payment.amount))
    method = method_label(payment.payment_method)
    if method:
        parts.append(method)
    if payment.customer:
        parts.append(payment.customer)
    return " · ".join(parts)
