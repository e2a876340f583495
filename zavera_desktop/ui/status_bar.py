"""The status bar: the connection state in words, "last event 12 s ago", the activity log button.

The admin must always be able to tell whether payments are arriving live, arrive only by polling,
or not at all — and what to do about it ("Log in again", "Reconnect now").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar, QWidget

from zavera_desktop.domain import ConnectionState, ConnectionStatus

# lupdate finds ``translate("Context", "literal")`` calls: keep both arguments literal
translate = QCoreApplication.translate

# calm colours for the state dot (Material 700 tones, readable on light and dark themes)
STATE_COLORS = {
    ConnectionState.LIVE: "#2e7d32",
    ConnectionState.CONNECTING: "#f9a825",
    ConnectionState.RECONNECTING: "#f9a825",
    ConnectionState.OFFLINE: "#757575",
    ConnectionState.AUTH_REQUIRED: "#c62828",
    ConnectionState.FORBIDDEN: "#c62828",
    ConnectionState.STOPPED: "#757575",
}


def _seconds_until(when: datetime | None, now: datetime) -> int | None:
    if when is None:
        return None
    left = (when - now).total_seconds()
    return max(0, int(left + 0.999)) if left > 0 else None


def connection_short(state: ConnectionState) -> str:
    """The state in one or two words, without countdowns (for places that do not tick)."""
    return {
        ConnectionState.LIVE: translate("ConnectionWords", "Live"),
        ConnectionState.CONNECTING: translate("ConnectionWords", "Connecting…"),
        ConnectionState.RECONNECTING: translate("ConnectionWords", "Reconnecting"),
        ConnectionState.OFFLINE: translate("ConnectionWords", "Offline"),
        ConnectionState.AUTH_REQUIRED: translate("ConnectionWords", "Login needed"),
        ConnectionState.FORBIDDEN: translate("ConnectionWords", "Not the admin account"),
    }.get(state, translate("ConnectionWords", "Stopped"))


def connection_text(status: ConnectionStatus, now: datetime | None = None) -> str:
    """The state in words: "Live", "Reconnecting in 8 s (attempt 3)", "Login needed", …"""
    now = now or datetime.now(UTC)
    state = status.state
    if state is ConnectionState.LIVE:
        return translate("ConnectionWords", "Live")
    if state is ConnectionState.CONNECTING:
        return translate("ConnectionWords", "Connecting…")
    if state is ConnectionState.RECONNECTING:
        left = _seconds_until(status.next_attempt_at, now)
        if left is None:
            return translate("ConnectionWords", "Reconnecting… (attempt %1)").replace("%1", str(max(1, status.attempt)))
        return (translate("ConnectionWords", "Reconnecting in %1 s (attempt %2)")
                .replace("%1", str(left)).replace("%2", str(max(1, status.attempt))))
    if state is ConnectionState.OFFLINE:
        left = _seconds_until(status.next_attempt_at, now)
        if left is None:
            return translate("ConnectionWords", "Offline")
        return translate("ConnectionWords", "Offline — retrying in %1 s").replace("%1", str(left))
    if state is ConnectionState.AUTH_REQUIRED:
        return translate("ConnectionWords", "Login needed")
    if state is ConnectionState.FORBIDDEN:
        return translate("ConnectionWords", "Not the admin account")
    return translate("ConnectionWords", "Stopped")


def polling_text(status: ConnectionStatus, poll_interval: float) -> str:
    """While the stream is down the engine reconciles every poll interval: payments still arrive."""
    if status.state in (ConnectionState.RECONNECTING, ConnectionState.OFFLINE):
        return translate("ConnectionWords", "Polling every %1 s").replace("%1", f"{poll_interval:g}")
    return ""


def last_event_text(last: datetime | None, now: datetime | None = None) -> str:
    """ "last event 12 s ago" (stream events, keepalives not counted)."""
    if last is None:
        return translate("ConnectionWords", "No events yet")
    now = now or datetime.now(UTC)
    ago = max(0, int((now - last).total_seconds()))
    if ago < 60:
        return translate("ConnectionWords", "Last event %1 s ago").replace("%1", str(ago))
    if ago < 3600:
        return translate("ConnectionWords", "Last event %1 min ago").replace("%1", str(ago // 60))
    if ago < 86400:
        return translate("ConnectionWords", "Last event %1 h ago").replace("%1", str(ago // 3600))
    return translate("ConnectionWords", "No event for more than a day")


def state_dot(state: ConnectionState, size: int = 10) -> QPixmap:
    """A small filled circle in the state's colour (crisp at any DPI)."""
    from PySide6.QtGui import QGuiApplication

    ratio = QGuiApplication.primaryScreen().devicePixelRatio() if QGuiApplication.primaryScreen() else 1.0
    pix = QPixmap(QSize(round(size * ratio), round(size * ratio)))
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(STATE_COLORS.get(state, "#757575")))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return pix


class StatusBar(QStatusBar):
    login_requested = Signal()
    reconnect_requested = Signal()
    activity_requested = Signal()

    def __init__(self, poll_interval: float, last_event: Callable[[], datetime | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self._poll_interval = poll_interval
        self._last_event = last_event
        self._status = ConnectionStatus(ConnectionState.STOPPED)

        self._dot = QLabel(self)
        self._state = QLabel(self)
        self._state.setObjectName("connectionState")
        self._polling = QLabel(self)
        self._polling.setObjectName("pollingNote")
        self._reconnect = QPushButton(self)
        self._reconnect.setFlat(True)
        self._reconnect.clicked.connect(self.reconnect_requested)
        self._login = QPushButton(self)
        self._login.clicked.connect(self.login_requested)
        self._last = QLabel(self)
        self._last.setObjectName("lastEvent")
        self._activity = QPushButton(self)
        self._activity.setFlat(True)
        self._activity.clicked.connect(self.activity_requested)
        for w in (self._dot, self._state, self._polling, self._reconnect, self._login):
            self.addWidget(w)
        self.addPermanentWidget(self._last)
        self.addPermanentWidget(self._activity)

        # Refreshes the relative times ("12 s ago", "in 8 s") and nothing else; runs only while
        # the window is visible, so an app sitting in the tray stays idle.
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._refresh_times)
        self.retranslate()
        self.set_status(self._status)

    # --- public -----------------------------------------------------------------------------------

    def set_status(self, status: ConnectionStatus) -> None:
        self._status = status
        self._dot.setPixmap(state_dot(status.state))
        self._state.setToolTip(status.detail)
        self._dot.setToolTip(status.detail)
        self._reconnect.setVisible(status.state in (ConnectionState.RECONNECTING, ConnectionState.OFFLINE))
        self._login.setVisible(status.state.is_fatal)
        self._refresh_times()

    def set_poll_interval(self, seconds: float) -> None:
        self._poll_interval = seconds
        self._refresh_times()

    @property
    def state_text(self) -> str:
        return self._state.text()

    @property
    def polling_note(self) -> str:
        return self._polling.text()

    @property
    def last_event_note(self) -> str:
        return self._last.text()

    # --- internals --------------------------------------------------------------------------------

    @Slot()
    def _refresh_times(self) -> None:
        now = datetime.now(UTC)
        self._state.setText(connection_text(self._status, now))
        note = polling_text(self._status, self._poll_interval)
        self._polling.setText(note)
        self._polling.setVisible(bool(note))
        self._last.setText(last_event_text(self._last_event(), now))

    def retranslate(self) -> None:
        self._reconnect.setText(self.tr("Reconnect now"))
        self._reconnect.setToolTip(self.tr("Skip the wait and connect to the live stream again"))
        self._login.setText(self.tr("Log in again…"))
        self._activity.setText(self.tr("Activity log"))
        self._activity.setToolTip(self.tr("Everything the app saw and did, newest first"))
        self._last.setToolTip(self.tr("When the live stream last delivered an event"))
        self._refresh_times()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QEvent) -> None:
        self._refresh_times()
        self._tick.start()
        super().showEvent(event)

    def hideEvent(self, event: QEvent) -> None:
        self._tick.stop()
        super().hideEvent(event)
