"""The in-window notification banner: the last resort when neither the tray nor the desktop can show
a notification. The main window places it (above the header); it takes no room while hidden.

A click (or Enter / Space when it has focus) emits ``activated(codes)`` with the order codes of the
message and hides the banner; the close button or Escape just hides it. It hides by itself after a
few seconds, but not while the pointer rests on it. A new message replaces the one shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QEnterEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

AUTO_HIDE_MS = 8_000

_STYLE = """
QFrame#notificationBanner { background-color: palette(highlight); border-radius: 6px; }
QFrame#notificationBanner QLabel { color: palette(highlighted-text); }
QFrame#notificationBanner QToolButton { color: palette(highlighted-text); border: none; font-size: 14pt; }
"""


class NotificationBanner(QFrame):
    """``show_message(title, body, codes)``; ``activated(tuple[str, ...])`` when clicked."""

    activated = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, auto_hide_ms: int = AUTO_HIDE_MS) -> None:
        super().__init__(parent)
        self.setObjectName("notificationBanner")
        self.setStyleSheet(_STYLE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._codes: tuple[str, ...] = ()

        self._title = QLabel(self)
        self._title.setObjectName("bannerTitle")
        self._title.setTextFormat(Qt.TextFormat.PlainText)  # customer names are data, never markup
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        self._body = QLabel(self)
        self._body.setObjectName("bannerBody")
        self._body.setTextFormat(Qt.TextFormat.PlainText)
        self._body.setWordWrap(True)
        self._close = QToolButton(self)
        self._close.setObjectName("bannerClose")
        self._close.setText("×")
        self._close.setCursor(Qt.CursorShape.ArrowCursor)
        self._close.clicked.connect(self.dismiss)

        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self._title)
        text.addWidget(self._body)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 8, 8)
        row.addLayout(text, 1)
        row.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(auto_hide_ms)
        self._timer.timeout.connect(self.dismiss)
        self._retranslate()
        self.hide()

    def show_message(self, title: str, body: str, codes: Sequence[str] = ()) -> None:
        self._codes = tuple(codes)
        self._title.setText(title)
        self._body.setText(body)
        self._body.setVisible(bool(body))
        self.setAccessibleName(title)
        self.setAccessibleDescription(body)
        self.show()
        if not self.underMouse():
            self._timer.start()

    @property
    def codes(self) -> tuple[str, ...]:
        return self._codes

    def title(self) -> str:
        return self._title.text()

    def body(self) -> str:
        return self._body.text()

    @Slot()
    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()

    def _activate(self) -> None:
        codes = self._codes
        self.dismiss()
        self.activated.emit(codes)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self._activate()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._activate()
        elif event.key() == Qt.Key.Key_Escape:
            self.dismiss()
        else:
            super().keyPressEvent(event)

    def enterEvent(self, event: QEnterEvent) -> None:
        self._timer.stop()  # reading it: stay
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.isVisible():
            self._timer.start()
        super().leaveEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self._close.setToolTip(self.tr("Close"))
        self._close.setAccessibleName(self.tr("Close"))
        self.setToolTip(self.tr("Click to open"))
