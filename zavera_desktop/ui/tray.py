"""The tray icon: the connection state and the unread count at a glance, and the app's menu while the
window is hidden.

The icon is one of three SVG tiles (``resources/icons/tray-{live,degraded,offline}.svg``) rendered
with QPainter at the usual tray sizes, with the unread count painted on as a red badge (``99+`` above
99). Live is the engine's ``live``; degraded is ``connecting`` / ``reconnecting`` (it is working on
it); offline is everything else (``offline``, ``auth_required``, ``forbidden``, ``stopped``).

``show_message`` remembers the order codes of the message it shows, because Qt's ``messageClicked``
does not say which message was clicked: a click reports the codes of the *last* message (a click on
an older one, still on screen, opens the newest — a limit of ``QSystemTrayIcon``).

Where the desktop has no tray (stock GNOME), ``TrayIcon.available()`` is False and the window makes
no TrayIcon at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont, QFontMetricsF, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from zavera_desktop.domain import ConnectionState, ConnectionStatus
from zavera_desktop.resources_path import resource_path
from zavera_desktop.ui.notify_policy import pause_for_an_hour, pause_until_tomorrow, utc_now

LIVE, DEGRADED, OFFLINE = "live", "degraded", "offline"
# The sizes panels ask for (GNOME/KDE 16–24, Windows 16/32 at 100–200 %, SNI hosts up to 64).
ICON_SIZES = (16, 20, 22, 24, 32, 40, 48, 64)
BADGE_COLOUR = QColor("#d93025")
MESSAGE_MS = 10_000

# lupdate finds ``translate("Context", "literal")`` calls: keep both arguments literal
translate = QCoreApplication.translate


def state_kind(state: ConnectionState) -> str:
    if state is ConnectionState.LIVE:
        return LIVE
    if state in (ConnectionState.CONNECTING, ConnectionState.RECONNECTING):
        return DEGRADED
    return OFFLINE


def state_words(state: ConnectionState) -> str:
    """The state in one or two words. The same sources as the status bar's ("ConnectionWords"), so
    they share one translation."""
    words = {
        ConnectionState.LIVE: translate("ConnectionWords", "Live"),
        ConnectionState.CONNECTING: translate("ConnectionWords", "Connecting…"),
        ConnectionState.RECONNECTING: translate("ConnectionWords", "Reconnecting"),
        ConnectionState.OFFLINE: translate("ConnectionWords", "Offline"),
        ConnectionState.AUTH_REQUIRED: translate("ConnectionWords", "Login needed"),
        ConnectionState.FORBIDDEN: translate("ConnectionWords", "Not the admin account"),
    }
    return words.get(state, translate("ConnectionWords", "Stopped"))


def badge_text(unread: int) -> str:
    """What the badge says: nothing for 0, the count up to 99, then ``99+``."""
    if unread <= 0:
        return ""
    return "99+" if unread > 99 else str(unread)


def _renderer(kind: str) -> QSvgRenderer:
    renderer = QSvgRenderer(str(resource_path(f"icons/tray-{kind}.svg")))
    if not renderer.isValid():
        raise FileNotFoundError(f"tray icon icons/tray-{kind}.svg is missing or broken")
    return renderer


def render_icon(kind: str, unread: int, size: int, renderer: QSvgRenderer | None = None) -> QImage:
    """The tray image for a state kind and unread count at ``size`` × ``size`` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        (renderer or _renderer(kind)).render(painter, QRectF(0, 0, size, size))
        text = badge_text(unread)
        if text:
            _paint_badge(painter, text, size)
    finally:
        painter.end()
    return image


def _paint_badge(painter: QPainter, text: str, size: int) -> None:
    # A pill in the top-right corner; a white rim keeps it apart from the tile and from dark panels.
    height = max(8.0, round(size * 0.56))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(6, round(height * 0.72)))
    text_width = QFontMetricsF(font).horizontalAdvance(text)
    width = min(float(size), max(height, text_width + height * 0.5))
    rect = QRectF(size - width, 0, width, height)
    rim = max(1.0, size / 32)
    painter.setPen(QPen(QColor("#ffffff"), rim))
    painter.setBrush(BADGE_COLOUR)
    inner = rect.adjusted(rim / 2, rim / 2, -rim / 2, -rim / 2)
    painter.drawRoundedRect(inner, inner.height() / 2, inner.height() / 2)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


def state_icon(kind: str, unread: int) -> QIcon:
    """A QIcon with every tray size of one state and unread count.

    Not cached: it is made only when the state or the badge changes (about 1 ms), and Qt objects
    kept in module-level caches would outlive the QApplication at interpreter exit.
    """
    renderer = _renderer(kind)
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(QPixmap.fromImage(render_icon(kind, unread, size, renderer)))
    return icon


class TrayIcon(QObject):
    """``QSystemTrayIcon`` with the state icon, tooltip and menu; shown as soon as it is made."""

    show_requested = Signal()
    reconnect_requested = Signal()
    quit_requested = Signal()
    # a ``datetime`` (aware) to pause notifications until, or None to resume
    pause_requested = Signal(object)
    # the codes given to the last ``show_message`` (a tuple), or None for a message without codes
    message_clicked = Signal(object)

    def __init__(self, parent: QObject | None = None, *, clock: Callable[[], datetime] = utc_now,
                 tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._tz = tz
        self._status = ConnectionStatus(ConnectionState.CONNECTING)
        self._unread = 0
        self._paused_until: datetime | None = None
        self._last_codes: tuple[str, ...] | None = None
        self._shown_icon: tuple[str, str] | None = None

        self._tray = QSystemTrayIcon(self)
        # QMenu needs a widget parent to be deleted with the window; the tray does not own it
        self._menu = QMenu(parent if isinstance(parent, QWidget) else None)
        self._menu.setObjectName("trayMenu")
        self._menu.installEventFilter(self)  # LanguageChange reaches widgets, not plain QObjects
        self._show = self._action("trayShow", self.show_requested.emit)
        self._menu.addSeparator()
        self._pause_menu = self._menu.addMenu("")
        self._pause_menu.setObjectName("trayPauseMenu")
        self._pause_hour = self._action("trayPauseHour", self._pause_hour_clicked, self._pause_menu)
        self._pause_tomorrow = self._action("trayPauseTomorrow", self._pause_tomorrow_clicked, self._pause_menu)
        self._pause_menu.addSeparator()
        self._resume = self._action("trayResume", lambda: self.pause_requested.emit(None), self._pause_menu)
        self._reconnect = self._action("trayReconnect", self.reconnect_requested.emit)
        self._menu.addSeparator()
        self._quit = self._action("trayQuit", self.quit_requested.emit)
        self._menu.aboutToShow.connect(self._retranslate)  # a pause may have ended since
        self._tray.setContextMenu(self._menu)
        self._tray.activated.connect(self._on_activated)
        self._tray.messageClicked.connect(self._on_message_clicked)
        self._retranslate()
        self._tray.show()

    def _action(self, name: str, slot: Callable[[], object], menu: QMenu | None = None) -> QAction:
        action = QAction(self._menu)
        action.setObjectName(name)
        action.triggered.connect(slot)
        (menu or self._menu).addAction(action)
        return action

    # --- what the window calls ------------------------------------------------------------------

    @staticmethod
    def available() -> bool:
        """Whether this desktop has a system tray (False on stock GNOME without an extension)."""
        return QSystemTrayIcon.isSystemTrayAvailable()

    def set_state(self, status: ConnectionStatus) -> None:
        self._status = status
        self._refresh()

    def set_unread(self, count: int) -> None:
        self._unread = max(0, int(count))
        self._refresh()

    def set_paused_until(self, until: datetime | None) -> None:
        """Show the pause in the menu and tooltip (the notifier calls this; it owns the pause)."""
        self._paused_until = until
        self._retranslate()

    def show_message(self, title: str, body: str, codes: Sequence[str] | None = None,
                     msecs: int = MESSAGE_MS) -> None:
        """A message from the tray; a click on it emits ``message_clicked(codes)``."""
        self._last_codes = tuple(codes) if codes is not None else None
        self._tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, msecs)

    def supports_messages(self) -> bool:
        return QSystemTrayIcon.supportsMessages()

    def is_visible(self) -> bool:
        return self._tray.isVisible()

    def show(self) -> None:
        self._tray.show()

    def hide(self) -> None:
        self._tray.hide()

    # --- what tests and the window may read -----------------------------------------------------

    @property
    def kind(self) -> str:
        return state_kind(self._status.state)

    @property
    def unread(self) -> int:
        return self._unread

    def icon(self) -> QIcon:
        return self._tray.icon()

    def tooltip(self) -> str:
        return self._tray.toolTip()

    def menu(self) -> QMenu:
        return self._menu

    # --- inside ---------------------------------------------------------------------------------

    def _refresh(self) -> None:
        key = (self.kind, badge_text(self._unread))
        if key != self._shown_icon:
            self._shown_icon = key
            self._tray.setIcon(state_icon(self.kind, self._unread))
        self._tray.setToolTip(self._tooltip_text())

    def _state_words(self) -> str:
        return state_words(self._status.state)

    def _until_words(self, until: datetime) -> str:
        local, today = until.astimezone(self._tz), self._clock().astimezone(self._tz).date()
        return local.strftime("%H:%M") if local.date() == today else local.strftime("%Y-%m-%d %H:%M")

    def _tooltip_text(self) -> str:
        lines = [self.tr("Zavera Desktop — {state}").format(state=self._state_words())]
        if self._unread:
            lines.append(self.tr("%n unread payment(s)", "", self._unread))
        if self._paused_until is not None and self._paused_until > self._clock():
            until = self._until_words(self._paused_until)
            lines.append(self.tr("Notifications paused until {time}").format(time=until))
        return "\n".join(lines)

    def _retranslate(self) -> None:
        self._show.setText(self.tr("&Show Zavera Desktop"))
        self._pause_menu.setTitle(self.tr("&Pause notifications"))
        self._pause_hour.setText(self.tr("For &1 hour"))
        self._pause_tomorrow.setText(self.tr("Until &tomorrow (08:00)"))
        paused = self._paused_until is not None and self._paused_until > self._clock()
        self._resume.setText(self.tr("&Resume notifications"))
        self._resume.setEnabled(paused)
        self._reconnect.setText(self.tr("&Reconnect now"))
        self._quit.setText(self.tr("&Quit"))
        self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._menu and event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        return False

    @Slot()
    def _pause_hour_clicked(self) -> None:
        self.pause_requested.emit(pause_for_an_hour(self._clock()))

    @Slot()
    def _pause_tomorrow_clicked(self) -> None:
        self.pause_requested.emit(pause_until_tomorrow(self._clock(), self._tz))

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    @Slot()
    def _on_message_clicked(self) -> None:
        self.message_clicked.emit(self._last_codes)
