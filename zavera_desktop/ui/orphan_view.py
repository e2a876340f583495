"""One orphan settlement — money Midtrans has for an order the shop does not consider paid — and the way out.

What the admin sees: the state in words and colour ("Paid at Midtrans — not accepted by the shop"), the
order, the amount, what Midtrans and the shop each say, the Midtrans order id to search for, why it
happened and what to do. The ways out, each audited by the engine:

* **Confirm payment…** — only where the backend's state machine allows it (the order is still PENDING;
  ``ValidOrderTransitions`` lets nothing else become PAID). A dialog says what it does and takes a reason;
  then ``engine.confirm_payment`` (off the UI thread) and the outcome in words, chosen by
  ``ConfirmOutcome.reason``; when the backend refuses, its own message is shown as it said it.
* **Open Midtrans dashboard** — where the order is EXPIRED, CANCELLED or FAILED the shop can no longer
  accept the money: refund it there. The dashboard has no per-transaction address, so the Midtrans order
  id is copied to the clipboard and named, to paste into its search.
* **Dismiss…** — the admin dealt with it (refunded, say): the alert closes with their reason, audited.

Everything the engine does arrives back as a ``HealthAlert`` (updated, cleared) through the Health panel,
which calls ``show_alert`` again; the outcome of the admin's last action stays shown for that alert.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.backend.errors import ZaveraError
from zavera_desktop.domain import HealthAlert, HealthKind
from zavera_desktop.engine import Engine, EngineNotRunning
from zavera_desktop.engine.orphans import ConfirmOutcome
from zavera_desktop.ui import formatting, health_words
from zavera_desktop.ui.bridge import EngineBridge

log = logging.getLogger(__name__)


class ReasonDialog(QDialog):
    """A question with a reason field: "Confirm payment" and "Dismiss" (the reason goes to the audit log).

    The safe answer is the default button: Enter cancels, the action needs a deliberate click.
    """

    def __init__(self, parent: QWidget, *, title: str, text: str, reason_label: str, reason: str,
                 action: str) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        message = QLabel(text, self)
        message.setObjectName("reasonDialogText")
        message.setWordWrap(True)
        message.setTextFormat(Qt.TextFormat.PlainText)
        message.setMinimumWidth(420)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reasonEdit")
        self.reason.setText(reason)
        form = QFormLayout()
        form.addRow(reason_label, self.reason)
        self.buttons = QDialogButtonBox(self)
        self.action_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.action_button.setObjectName("reasonDialogAction")
        self.action_button.setAutoDefault(False)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(message)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def text(self) -> str:
        return self.reason.text().strip()


class OrphanView(QWidget):
    """The orphan's detail and its actions (see the module docstring). ``show_alert`` picks the alert."""

    # the admin wants an order selected in the payments table (after "Confirm payment" worked)
    order_requested = Signal(str)
    # an action ended: (alert id, ConfirmOutcome / HealthAlert, or the exception) — for tests and the panel
    confirm_finished = Signal(int, object)
    dismiss_finished = Signal(int, object)

    # how a URL is opened (a test replaces it: no browser on the test desktop)
    open_url: Callable[[QUrl], Any] = staticmethod(QDesktopServices.openUrl)

    def __init__(self, engine: Engine, bridge: EngineBridge, tz: ZoneInfo, actor: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orphanView")
        self._engine = engine
        self._bridge = bridge
        self._tz = tz
        # who the audit log names (the window updates it after a new login)
        self.actor = actor
        self._alert: HealthAlert | None = None
        self._busy: str | None = None  # "confirm" | "dismiss" while the engine works on it
        # per alert id: (kind, text) of the admin's last action — kind "busy" | "ok" | "refused" | "error"
        self._outcomes: dict[int, tuple[str, str]] = {}
        self._confirmed_code: str | None = None
        self._dialog: ReasonDialog | None = None
        self._dialog_action = ""
        self._dialog_alert: HealthAlert | None = None

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)

        self._state = QLabel(body)
        self._state.setObjectName("orphanState")
        self._state.setWordWrap(True)
        state_font = QFont(self._state.font())
        state_font.setWeight(QFont.Weight.DemiBold)
        self._state.setFont(state_font)
        self._code = QLabel(body)
        self._code.setObjectName("orphanOrderCode")
        self._code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self._code.font())
        big.setPointSizeF(big.pointSizeF() * 1.25)
        big.setWeight(QFont.Weight.DemiBold)
        self._code.setFont(big)

        self._form = QFormLayout()
        self._form.setHorizontalSpacing(16)
        self._form.setVerticalSpacing(4)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._labels: dict[str, QLabel] = {}
        self._values: dict[str, QLabel | QLineEdit] = {}
        for key in ("amount", "midtrans", "order", "payment", "midtrans_id", "raised", "cleared"):
            label = QLabel(body)
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            value: QLabel | QLineEdit
            if key == "midtrans_id":  # long and unbroken: shown whole, scrolled, copied whole
                value = QLineEdit(body)
                value.setObjectName("midtransOrderId")
                value.setReadOnly(True)
                value.setFrame(False)
                value.setStyleSheet("QLineEdit { background: transparent; border: none; padding: 0; }")
            else:
                value = QLabel(body)
                value.setWordWrap(True)
                value.setTextFormat(Qt.TextFormat.PlainText)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._labels[key], self._values[key] = label, value
            self._form.addRow(label, value)

        self._why_title = QLabel(body)
        self._why_title.setFont(state_font)
        self._why = QLabel(body)
        self._why.setObjectName("orphanExplanation")
        self._why.setWordWrap(True)
        self._why.setTextFormat(Qt.TextFormat.PlainText)
        self._why.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._todo_title = QLabel(body)
        self._todo_title.setFont(state_font)
        self._todo = QLabel(body)
        self._todo.setObjectName("orphanFix")
        self._todo.setWordWrap(True)
        self._todo.setTextFormat(Qt.TextFormat.PlainText)
        self._todo.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.confirm_button = QPushButton(body)
        self.confirm_button.setObjectName("confirmPaymentButton")
        self.confirm_button.clicked.connect(self.ask_confirm)
        self.dashboard_button = QPushButton(body)
        self.dashboard_button.setObjectName("openDashboardButton")
        self.dashboard_button.clicked.connect(self.open_dashboard)
        self.dismiss_button = QPushButton(body)
        self.dismiss_button.setObjectName("dismissAlertButton")
        self.dismiss_button.clicked.connect(self.ask_dismiss)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.confirm_button)
        actions.addWidget(self.dashboard_button)
        actions.addWidget(self.dismiss_button)
        actions.addStretch(1)

        self._outcome = QLabel(body)
        self._outcome.setObjectName("orphanOutcome")
        self._outcome.setWordWrap(True)
        self._outcome.setTextFormat(Qt.TextFormat.PlainText)
        self._outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._outcome.hide()
        self.show_payment_button = QPushButton(body)
        self.show_payment_button.setObjectName("showConfirmedPayment")
        self.show_payment_button.setFlat(True)
        self.show_payment_button.clicked.connect(self._show_payment)
        self.show_payment_button.hide()
        outcome_row = QHBoxLayout()
        outcome_row.addWidget(self._outcome, 1)
        outcome_row.addWidget(self.show_payment_button, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(self._state)
        layout.addWidget(self._code)
        # the ways out come first: a short dock must not hide them below the explanation
        layout.addLayout(actions)
        layout.addLayout(outcome_row)
        layout.addSpacing(6)
        layout.addLayout(self._form)
        layout.addSpacing(4)
        layout.addWidget(self._why_title)
        layout.addWidget(self._why)
        layout.addWidget(self._todo_title)
        layout.addWidget(self._todo)
        layout.addStretch(1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.retranslate()

    # --- public -------------------------------------------------------------------------------------

    @property
    def alert(self) -> HealthAlert | None:
        return self._alert

    def show_alert(self, alert: HealthAlert) -> None:
        """Show this orphan alert (a newer version of the same alert keeps the last action's outcome)."""
        if alert.kind is not HealthKind.ORPHAN_SETTLEMENT:
            raise ValueError("OrphanView shows orphan settlements only")
        self._alert = alert
        self._render()

    @property
    def outcome_text(self) -> str:
        return self._outcome.text() if self._outcome.isVisibleTo(self) else ""

    @property
    def state_text(self) -> str:
        return self._state.text()

    @property
    def explanation_text(self) -> str:
        return self._why.text()

    @property
    def fix_text(self) -> str:
        return self._todo.text()

    def value_text(self, key: str) -> str:
        return self._values[key].text()

    # --- showing ------------------------------------------------------------------------------------

    def _render(self) -> None:
        a = self._alert
        if a is None:
            return
        open_ = a.is_open
        state_colour = health_words.colour(a.kind) if open_ else health_words.CLEARED_COLOUR
        self._state.setText(health_words.orphan_state(a))
        self._state.setStyleSheet(f"color: {state_colour};")
        self._code.setText(a.order_code or "")
        self._set("amount", formatting.money(a.amount))
        self._set("midtrans", health_words.midtrans_status_text(a.midtrans_status))
        self._set("order", formatting.status_text(a.order_status))
        # the alert keeps the order's status as found; once closed, the order may have moved on (confirmed)
        self._labels["order"].setText(self.tr("Order status") if open_ else self.tr("Order status when found"))
        payment_status = str(a.evidence.get("payment_status") or "")
        self._set("payment", formatting.status_text(payment_status) if payment_status else "")
        self._set("midtrans_id", health_words.midtrans_search(a))
        self._set("raised", formatting.shop_time(a.raised_at, self._tz))
        if open_:
            self._form.setRowVisible(self._labels["cleared"], False)
        else:
            self._set("cleared", formatting.shop_time(a.cleared_at, self._tz) + " — "
                      + health_words.cleared_words(a))
        self._why_title.setText(self.tr("What happened") if open_ else self.tr("What was found"))
        self._why.setText(health_words.explanation(a, ""))
        self._todo.setText(health_words.fix(a, ""))
        self._todo_title.setVisible(open_)
        self._todo.setVisible(open_)

        confirmable = open_ and health_words.can_confirm(a)
        idle = self._busy is None
        self.confirm_button.setVisible(confirmable)
        self.confirm_button.setEnabled(idle)
        self.dashboard_button.setVisible(True)
        self.dashboard_button.setEnabled(True)
        self.dismiss_button.setVisible(open_)
        self.dismiss_button.setEnabled(idle)
        # the refund way is the main one where confirming cannot work
        self.dashboard_button.setDefault(open_ and not confirmable)

        shown = self._outcomes.get(a.id)
        if shown is None:
            self._outcome.hide()
        else:
            kind, text = shown
            self._outcome.setText(text)
            self._outcome.setForegroundRole(QPalette.ColorRole.PlaceholderText if kind == "busy"
                                            else QPalette.ColorRole.WindowText)
            self._outcome.show()
        self.show_payment_button.setVisible(self._confirmed_code is not None and self._confirmed_code == a.order_code)

    def _set(self, key: str, text: str) -> None:
        value = self._values[key]
        value.setText(text or "—")
        if isinstance(value, QLineEdit):
            value.setCursorPosition(0)
        self._form.setRowVisible(self._labels[key], True)

    def _say(self, alert_id: int, kind: str, text: str) -> None:
        self._outcomes[alert_id] = (kind, text)
        if self._alert is not None and self._alert.id == alert_id:
            self._render()

    # --- confirm payment ----------------------------------------------------------------------------

    @Slot()
    def ask_confirm(self) -> None:
        """The confirmation dialog; the engine is asked only after a deliberate "Confirm payment"."""
        a = self._alert
        if a is None or self._busy is not None or not health_words.can_confirm(a) or not a.is_open:
            return
        text = (self.tr("Mark order %1 as paid in the shop?\n\nDo this only after you have seen the payment in the "
                        "Midtrans dashboard (search for %2): %3, %4.\n\nThe order becomes paid as with the web admin's "
                        "Confirm Payment button, the shop goes on to process it, and the payment appears in the list. "
                        "Your name and the reason go to the audit log.")
                .replace("%1", a.order_code or "").replace("%2", health_words.midtrans_search(a))
                .replace("%3", formatting.money(a.amount)).replace("%4", health_words.midtrans_status_text(
                    a.midtrans_status)))
        dialog = ReasonDialog(self, title=self.tr("Confirm payment"), text=text, reason_label=self.tr("Reason:"),
                              reason=self.tr("Paid at Midtrans; checked in the Midtrans dashboard"),
                              action=self.tr("Confirm payment"))
        self._open_dialog(dialog, "confirm")

    def _open_dialog(self, dialog: ReasonDialog, action: str) -> None:
        if self._dialog is not None:
            self._dialog.finished.disconnect(self._dialog_finished)
            self._dialog.close()
            self._dialog.deleteLater()
        # which action the dialog asks for is kept as data: a bound method stored on self would be a cycle
        self._dialog, self._dialog_action, self._dialog_alert = dialog, action, self._alert
        dialog.finished.connect(self._dialog_finished)
        dialog.open()

    @Slot(int)
    def _dialog_finished(self, result: int) -> None:
        dialog, self._dialog = self._dialog, None
        if dialog is None:
            return
        reason = dialog.text()
        dialog.deleteLater()
        a = self._dialog_alert  # the alert the question was about, whatever is shown by now
        if result != QDialog.DialogCode.Accepted or a is None:
            return
        if self._dialog_action == "confirm":
            self.confirm(a, reason)
        elif self._dialog_action == "dismiss":
            self.dismiss(a, reason)

    @property
    def dialog(self) -> ReasonDialog | None:
        """The open confirmation or dismiss dialog (tests answer it)."""
        return self._dialog

    def confirm(self, alert: HealthAlert, reason: str) -> None:
        """Ask the engine to confirm the payment (after the dialog)."""
        code = alert.order_code or ""
        try:
            future = self._engine.confirm_payment(code, actor=self.actor, reason=reason)
        except EngineNotRunning:
            self._say(alert.id, "error", self.tr("The app is not connected to the shop right now; try again in a "
                                                 "moment."))
            return
        self._busy = "confirm"
        self._say(alert.id, "busy", self.tr("Asking the shop to mark the order paid…"))
        self._bridge.call(future, lambda o: self._on_confirmed(alert, o), lambda e: self._on_confirm_error(alert, e),
                          context=self)

    def _on_confirmed(self, alert: HealthAlert, o: ConfirmOutcome) -> None:
        self._busy = None
        if o.reason in ("confirmed", "already_paid"):
            self._confirmed_code = o.order_code
        self._say(alert.id, "ok" if o.reason in ("confirmed", "already_paid") else "refused",
                  self.confirm_sentence(o, alert))
        self.confirm_finished.emit(alert.id, o)

    def _on_confirm_error(self, alert: HealthAlert, exc: BaseException) -> None:
        self._busy = None
        self._say(alert.id, "error", self.tr("Confirming did not work: %1").replace("%1", self._error_words(exc)))
        self.confirm_finished.emit(alert.id, exc)

    def confirm_sentence(self, o: ConfirmOutcome, alert: HealthAlert | None = None) -> str:
        """The outcome in the admin's language, chosen by ``reason`` (the engine's English is for the log)."""
        status = formatting.status_text(str(o.params.get("status") or o.order_status))
        if o.reason == "confirmed":
            text = self.tr("Confirmed: the order is now %1.").replace("%1", status)
            if o.newly_detected:
                text += " " + self.tr("The payment was recorded and announced once, like any other.")
            return text
        if o.reason == "already_paid":
            return self.tr("The shop already has this order as %1; nothing was changed.").replace("%1", status)
        if o.reason == "not_allowed":
            search = health_words.midtrans_search(alert) if alert is not None else o.order_code
            return (self.tr("Not confirmed: the shop can no longer accept this payment. The order is %1, and the "
                            "backend lets an order become paid only while it is pending. Refund the customer in the "
                            "Midtrans dashboard (search for %2).").replace("%1", status.lower())
                    .replace("%2", search))
        if o.reason == "backend_refused":
            # the backend's own words, as it said them
            return self.tr("The backend refused to mark the order paid: “%1”").replace("%1", o.backend_message)
        return self.tr("The shop answered: %1").replace("%1", status)

    # --- the dashboard ------------------------------------------------------------------------------

    @Slot()
    def open_dashboard(self) -> None:
        """Open the Midtrans dashboard and copy the Midtrans order id to search for there."""
        a = self._alert
        url = self._engine.midtrans_dashboard_url()
        if not url and a is not None:
            url = str(a.evidence.get("dashboard_url") or "")
        if not url:
            return
        search = health_words.midtrans_search(a) if a is not None else ""
        clipboard = QGuiApplication.clipboard()
        if search and clipboard is not None:
            clipboard.setText(search)
        opened = type(self).open_url(QUrl(url))
        if a is None:
            return
        if opened is False:
            self._say(a.id, "error", self.tr("Could not open a browser. Go to %1 and search for %2 (copied).")
                      .replace("%1", url).replace("%2", search))
        elif a.id not in self._outcomes or self._outcomes[a.id][0] != "refused":
            self._say(a.id, "ok", self.tr("The Midtrans dashboard is opening (%1). Search for %2 there — it is "
                                          "copied, paste it into the search.").replace("%1", url)
                      .replace("%2", search))

    # --- dismiss ------------------------------------------------------------------------------------

    @Slot()
    def ask_dismiss(self) -> None:
        a = self._alert
        if a is None or self._busy is not None or not a.is_open:
            return
        text = (self.tr("Close the alert for %1?\n\nDo this when it is dealt with — refunded in the Midtrans "
                        "dashboard, or settled with the customer. It stays in the history, and it is not raised "
                        "again for this order. Your name and the reason go to the audit log.")
                .replace("%1", a.order_code or ""))
        dialog = ReasonDialog(self, title=self.tr("Dismiss alert"), text=text, reason_label=self.tr("Reason:"),
                              reason="", action=self.tr("Dismiss"))
        dialog.reason.setPlaceholderText(self.tr("e.g. refunded in the Midtrans dashboard"))
        self._open_dialog(dialog, "dismiss")

    def dismiss(self, alert: HealthAlert, reason: str) -> None:
        try:
            future = self._engine.dismiss_alert(alert.id, actor=self.actor, reason=reason)
        except EngineNotRunning:
            self._say(alert.id, "error", self.tr("The app is not connected to the shop right now; try again in a "
                                                 "moment."))
            return
        self._busy = "dismiss"
        self._say(alert.id, "busy", self.tr("Dismissing…"))
        self._bridge.call(future, lambda done: self._on_dismissed(alert, done),
                          lambda e: self._on_dismiss_error(alert, e), context=self)

    def _on_dismissed(self, alert: HealthAlert, done: HealthAlert) -> None:
        self._busy = None
        self._say(alert.id, "ok", self.tr("Dismissed. The alert is kept in the history."))
        self.dismiss_finished.emit(alert.id, done)

    def _on_dismiss_error(self, alert: HealthAlert, exc: BaseException) -> None:
        self._busy = None
        self._say(alert.id, "error", self.tr("Dismissing did not work: %1").replace("%1", self._error_words(exc)))
        self.dismiss_finished.emit(alert.id, exc)

    # --- helpers ------------------------------------------------------------------------------------

    @Slot()
    def _show_payment(self) -> None:
        if self._confirmed_code:
            self.order_requested.emit(self._confirmed_code)

    def _error_words(self, exc: BaseException) -> str:
        if isinstance(exc, ZaveraError):
            return str(exc)  # the backend layer words its errors for the admin
        if isinstance(exc, EngineNotRunning):
            return self.tr("The app is not connected to the shop right now.")
        log.warning("Unexpected error in an orphan action: %r", exc)
        return self.tr("Something unexpected went wrong; the log file has the details.")

    # --- language -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        for key, text in (("amount", self.tr("Amount at Midtrans")), ("midtrans", self.tr("Midtrans says")),
                          ("order", self.tr("Order status")), ("payment", self.tr("Payment status")),
                          ("midtrans_id", self.tr("Midtrans order id")), ("raised", self.tr("Found at")),
                          ("cleared", self.tr("Closed"))):
            self._labels[key].setText(text)
        self._todo_title.setText(self.tr("What to do"))
        self.confirm_button.setText(self.tr("Confirm payment…"))
        self.confirm_button.setToolTip(self.tr("Mark the order paid in the shop, as the web admin's Confirm Payment "
                                               "button does (asks first; audited)"))
        self.dashboard_button.setText(self.tr("Open Midtrans dashboard"))
        self.dashboard_button.setToolTip(self.tr("Opens the Midtrans dashboard and copies the Midtrans order id to "
                                                 "search for"))
        self.dismiss_button.setText(self.tr("Dismiss…"))
        self.dismiss_button.setToolTip(self.tr("Close this alert once it is dealt with (asks for a reason; audited)"))
        self.show_payment_button.setText(self.tr("Show in the payments list"))
        self._values["midtrans_id"].setToolTip(self.tr("Search for this in the Midtrans dashboard"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
