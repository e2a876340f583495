"""The order bar: actions for an order the table does not show, found by typing its code in the search.

The table lists payments, so an order whose Midtrans notification was lost — the customer paid, the shop
still says pending — is not in it. An admin who searches for its code (the customer's e-mail, a phone
call) sees this bar above the empty table instead: the order's status at the shop and two buttons,
"Check status" and "Replay notification…". The bar is a view: the window's admin actions
(ui/admin_actions.py) decide when it shows, run the actions and hand it the words.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

# ZVR-<YYYYMMDD>-<8 uppercase hex>; a Midtrans order id adds -<unix>-<hex> (contract: order codes)
_ORDER_CODE = re.compile(r"^(ZVR-\d{8}-[0-9A-F]{8})(?:-\d+(?:-[0-9A-F]+)?)?$")


def order_code_in(text: str) -> str | None:
    """The order code a search holds, when it is one order code (or a Midtrans order id); else None."""
    match = _ORDER_CODE.match(text.strip().upper())
    return match.group(1) if match else None


class OrderBar(QFrame):
    """``show_order(code)``; ``set_status``/``set_busy``/``set_result`` with words made elsewhere."""

    check_requested = Signal(str)
    replay_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self._code: str | None = None
        self._status = ""
        self._recorded = False  # it became a recorded payment while the bar showed it (a check or replay)
        self._result: tuple[str, str] | None = None  # (kind: busy | ok | paid | error, text)

        self.title = QLabel(self)
        self.title.setObjectName("orderBarTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.title.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.result = QLabel(self)
        self.result.setObjectName("orderBarResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        self.check_button = QPushButton(self)
        self.check_button.setObjectName("orderBarCheck")
        self.check_button.clicked.connect(self._check)
        self.replay_button = QPushButton(self)
        self.replay_button.setObjectName("orderBarReplay")
        self.replay_button.clicked.connect(self._replay)

        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.title)
        texts.addWidget(self.hint)
        texts.addWidget(self.result)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.replay_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(texts, 1)
        layout.addLayout(buttons)
        layout.setAlignment(buttons, Qt.AlignmentFlag.AlignTop)
        self._retranslate()
        self.hide()

    # --- public -------------------------------------------------------------------------------------

    @property
    def code(self) -> str | None:
        return self._code

    @property
    def result_text(self) -> str:
        return self._result[1] if self._result is not None else ""

    def show_order(self, code: str, result: tuple[str, str] | None = None, *, recorded: bool = False) -> None:
        if code != self._code:
            self._status = ""
        self._code = code
        self._result = result
        self._recorded = recorded
        self._render()
        self.show()

    def set_recorded(self, code: str) -> None:
        """The order is a recorded payment now: the table shows it."""
        if code == self._code:
            self._recorded = True
            self._render()

    def set_status(self, code: str, status_words: str) -> None:
        """The order's status at the shop (read when the bar opened)."""
        if code == self._code:
            self._status = status_words
            self._render()

    def set_result(self, code: str, kind: str, text: str) -> None:
        if code == self._code:
            self._result = (kind, text)
            self._render()

    # --- showing --------------------------------------------------------------------------------------

    def _render(self) -> None:
        code = self._code or ""
        if self._recorded:
            self.title.setText(self.tr("%1 is now among the recorded payments").replace("%1", code))
        else:
            self.title.setText(self.tr("%1 is not among the recorded payments").replace("%1", code))
        where = (self.tr("At the shop: %1.").replace("%1", self._status) if self._status
                 else self.tr("The shop has not reported this order paid."))
        self.hint.setText(where + " " + self.tr("If the customer says they paid, ask the shop to check it with "
                                                "Midtrans, or replay the notification Midtrans sent."))
        busy = self._result is not None and self._result[0] == "busy"
        self.check_button.setEnabled(not busy)
        self.replay_button.setEnabled(not busy)
        # once recorded, the table's row and the detail panel take over
        for widget in (self.hint, self.check_button, self.replay_button):
            widget.setVisible(not self._recorded)
        if self._result is None:
            self.result.hide()
            return
        kind, text = self._result
        self.result.setText(text)
        colours = {"paid": "color: #1b7f3b;", "error": "color: #b00020;"}
        self.result.setStyleSheet(colours.get(kind, ""))
        self.result.setForegroundRole(QPalette.ColorRole.PlaceholderText if busy else QPalette.ColorRole.WindowText)
        self.result.show()

    def _retranslate(self) -> None:
        self.check_button.setText(self.tr("Check status"))
        self.check_button.setToolTip(self.tr("Ask the shop to check this order's payment with Midtrans now"))
        self.replay_button.setText(self.tr("Replay notification…"))
        self.replay_button.setToolTip(self.tr("Ask Midtrans itself and send the shop the notification it missed (you "
                                              "see it before it is sent)"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    @Slot()
    def _check(self) -> None:
        if self._code:
            self.check_requested.emit(self._code)

    @Slot()
    def _replay(self) -> None:
        if self._code:
            self.replay_requested.emit(self._code)
