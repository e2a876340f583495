"""The detail panel: everything about the selected order, and the actions on it.

* **Payment** — what the app recorded (the store): shown at once.
* **Order** — what the backend says now, read through ``engine.order_detail`` (a Future, delivered
  by the bridge): "Loading…" until it arrives, the error in words if it fails. A late answer for an
  order that is no longer selected is dropped.
* **Events** — what the app saw about this order (``store.events(order_code=...)``), live.
* **Actions** — "Check status" asks the backend to check the payment with Midtrans. The action row
  is a plain layout: ``add_action(button)`` adds the next issue's buttons (replay) beside it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.backend.client import OrderDetail
from zavera_desktop.backend.errors import ZaveraError
from zavera_desktop.domain import ActivityItem, Payment
from zavera_desktop.engine import Engine, EngineNotRunning
from zavera_desktop.engine.action_types import ActionProgress, CheckActionOutcome
from zavera_desktop.store import Store
from zavera_desktop.ui import action_words, formatting
from zavera_desktop.ui.activity_dialog import kind_words
from zavera_desktop.ui.bridge import EngineBridge

log = logging.getLogger(__name__)

EVENTS_SHOWN = 20


def _section_title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    return label


class _Form(QWidget):
    """Label/value rows whose values can be replaced; values are selectable (copy an order code).

    Long unbroken values (a transaction id, an e-mail) sit in a frameless read-only line edit: it
    shows what fits, scrolls for the rest and copies the whole value, where a wrapping label would
    break a UUID at random or push the panel wider.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setHorizontalSpacing(16)
        self._layout.setVerticalSpacing(4)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._labels: dict[str, QLabel] = {}
        self._values: dict[str, QLabel | QLineEdit] = {}

    def add_row(self, key: str, *, single_line: bool = False) -> None:
        label = QLabel(self)
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        value: QLabel | QLineEdit
        if single_line:
            value = QLineEdit(self)
            value.setReadOnly(True)
            value.setFrame(False)
            value.setStyleSheet("QLineEdit { background: transparent; border: none; padding: 0; }")
            value.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        else:
            value = QLabel(self)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
        self._labels[key], self._values[key] = label, value
        self._layout.addRow(label, value)

    def set_label(self, key: str, text: str) -> None:
        self._labels[key].setText(text)

    def set_value(self, key: str, text: str) -> None:
        value = self._values[key]
        value.setText(text or "—")
        if isinstance(value, QLineEdit):
            value.setCursorPosition(0)
            value.setToolTip(text)
        self._layout.setRowVisible(self._labels[key], True)

    def hide_row(self, key: str) -> None:
        self._layout.setRowVisible(self._labels[key], False)

    def value(self, key: str) -> str:
        return self._values[key].text()


class DetailPanel(QWidget):
    """Shows one order. ``show_payment(None)`` shows the "select a payment" hint."""

    # the order detail arrived (code, OrderDetail) — for tests and future actions
    order_loaded = Signal(str, object)
    # a status check finished: (code, CheckOutcome or the exception)
    check_finished = Signal(str, object)

    def __init__(self, engine: Engine, store: Store, bridge: EngineBridge, tz: ZoneInfo,
                 actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self._engine = engine
        self._store = store
        self._bridge = bridge
        self._tz = tz
        # who the audit log names for the checks (the window updates it after a new login)
        self.actor = actor
        self._payment: Payment | None = None
        self._detail: OrderDetail | None = None
        self._order_state: tuple[str, str] = ("none", "")  # ("loading" | "loaded" | "error", text)
        self._checking: str | None = None
        self._check_text: tuple[str, str] | None = None  # (kind, text) of the last check for this order

        self._stack = QStackedWidget(self)
        self._empty = QLabel(self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setWordWrap(True)
        self._empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._stack.addWidget(self._empty)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        self._stack.addWidget(scroll)

        self._code = QLabel(body)
        self._code.setObjectName("detailOrderCode")
        self._code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self._code.font())
        big.setPointSizeF(big.pointSizeF() * 1.25)
        big.setWeight(QFont.Weight.DemiBold)
        self._code.setFont(big)
        self._summary = QLabel(body)
        self._summary.setWordWrap(True)

        # the action row: the check now, the next issue's actions later (add_action)
        self.check_button = QPushButton(body)
        self.check_button.setObjectName("checkStatusButton")
        self.check_button.clicked.connect(self.check_status)
        self._actions = QHBoxLayout()
        self._actions.setSpacing(8)
        self._actions.addWidget(self.check_button)
        self._actions.addStretch(1)
        self._outcome = QLabel(body)
        self._outcome.setObjectName("checkOutcome")
        self._outcome.setWordWrap(True)
        self._outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._outcome.hide()

        self._pay_title = _section_title("", body)
        self._pay = _Form(body)
        for key in ("amount", "method", "paid_at", "found_by", "detected_at", "read"):
            self._pay.add_row(key)

        self._order_title = _section_title("", body)
        self._order_note = QLabel(body)
        self._order_note.setObjectName("orderNote")
        self._order_note.setWordWrap(True)
        self._order = _Form(body)
        for key in ("customer", "email", "phone", "status", "items", "total", "created_at", "paid_at",
                    "pay_status", "transaction"):
            self._order.add_row(key, single_line=key in ("email", "transaction"))
        self._reload = QToolButton(body)
        self._reload.setAutoRaise(True)
        self._reload.clicked.connect(self.reload_order)
        order_title_row = QHBoxLayout()
        order_title_row.addWidget(self._order_title)
        order_title_row.addStretch(1)
        order_title_row.addWidget(self._reload)

        self._events_title = _section_title("", body)
        self._events = QLabel(body)
        self._events.setObjectName("detailEvents")
        self._events.setWordWrap(True)
        self._events.setTextFormat(Qt.TextFormat.PlainText)
        self._events.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._events.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addWidget(self._code)
        layout.addWidget(self._summary)
        layout.addSpacing(4)
        layout.addLayout(self._actions)
        layout.addWidget(self._outcome)
        layout.addSpacing(10)
        layout.addWidget(self._pay_title)
        layout.addWidget(self._pay)
        layout.addSpacing(10)
        layout.addLayout(order_title_row)
        layout.addWidget(self._order_note)
        layout.addWidget(self._order)
        layout.addSpacing(10)
        layout.addWidget(self._events_title)
        layout.addWidget(self._events)
        layout.addStretch(1)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)
        self.setMinimumWidth(300)
        self.retranslate()
        self.show_payment(None)

    # --- public -----------------------------------------------------------------------------------

    @property
    def current_code(self) -> str | None:
        return self._payment.order_code if self._payment else None

    def add_action(self, button: QAbstractButton) -> None:
        """Add an action button to the row (after "Check status", before the stretch)."""
        button.setParent(self.check_button.parentWidget())
        self._actions.insertWidget(self._actions.count() - 1, button)

    def show_payment(self, payment: Payment | None) -> None:
        """Show this payment's order (the selection changed), or the empty hint."""
        same = payment is not None and self._payment is not None and payment.order_code == self._payment.order_code
        self._payment = payment
        if payment is None:
            self._stack.setCurrentIndex(0)
            return
        self._stack.setCurrentIndex(1)
        self._show_payment_part()
        if not same:
            self._detail = None
            self._check_text = None
            self._show_check()
            self._show_events()
            self.reload_order()

    def refresh_payment(self, payment: Payment) -> None:
        """The shown payment changed (details filled in, read/unread): show the new values."""
        if self._payment is not None and payment.order_code == self._payment.order_code:
            self._payment = payment
            self._show_payment_part()

    def add_activity(self, items: Iterable[ActivityItem]) -> None:
        """Live activity of a batch: re-read this order's events if one is about it."""
        if self._payment is not None and any(a.order_code == self._payment.order_code for a in items):
            self._show_events()

    def order_text(self, key: str) -> str:
        return self._order.value(key)

    def payment_text(self, key: str) -> str:
        return self._pay.value(key)

    @property
    def order_note(self) -> str:
        return self._order_note.text()

    @property
    def outcome_text(self) -> str:
        return self._outcome.text() if self._outcome.isVisibleTo(self) else ""

    @property
    def events_text(self) -> str:
        return self._events.text()

    # --- the order (backend) ----------------------------------------------------------------------

    @Slot()
    def reload_order(self) -> None:
        if self._payment is None:
            return
        code = self._payment.order_code
        self._set_order_state("loading")
        try:
            future = self._engine.order_detail(code)
        except EngineNotRunning:
            self._set_order_state("error", self.tr("The app is not connected to the shop right now."))
            return
        self._bridge.call(future, lambda d: self._on_detail(code, d), lambda e: self._on_detail_error(code, e),
                          context=self)

    def _on_detail(self, code: str, detail: OrderDetail) -> None:
        if code != self.current_code:
            return  # the admin moved on to another order
        self._detail = detail
        self._set_order_state("loaded")
        self.order_loaded.emit(code, detail)

    def _on_detail_error(self, code: str, exc: BaseException) -> None:
        if code != self.current_code:
            return
        self._set_order_state("error", self._error_words(exc))

    def _error_words(self, exc: BaseException) -> str:
        if isinstance(exc, ZaveraError):
            return str(exc)  # the backend layer words its errors for the admin
        if isinstance(exc, EngineNotRunning):
            return self.tr("The app is not connected to the shop right now.")
        log.warning("Unexpected error reading an order: %r", exc)
        return self.tr("Something unexpected went wrong; the log file has the details.")

    def _set_order_state(self, state: str, text: str = "") -> None:
        self._order_state = (state, text)
        self._show_order_part()

    def _show_order_part(self) -> None:
        state, text = self._order_state
        self._reload.setVisible(state in ("loaded", "error"))
        if state == "loading":
            self._order_note.setText(self.tr("Loading the order from the shop…"))
            self._order_note.show()
            self._order.hide()
            return
        if state == "error":
            self._order_note.setText(self.tr("Could not load the order: %1").replace("%1", text))
            self._order_note.show()
            self._order.hide()
            return
        if self._detail is None:
            self._order_note.hide()
            self._order.hide()
            return
        self._order_note.hide()
        self._order.show()
        o, pay, raw = self._detail.order, self._detail.payment, self._detail.raw
        f = self._order
        f.set_value("customer", o.customer_name)
        f.set_value("email", o.customer_email)
        phone = raw.get("customer_phone")
        if phone:
            f.set_value("phone", str(phone))
        else:
            f.hide_row("phone")
        f.set_value("status", formatting.status_text(o.status))
        items = self._items_text(raw.get("items"))
        if items:
            f.set_value("items", items)
        else:
            f.hide_row("items")
        f.set_value("total", formatting.money(o.total_amount))
        f.set_value("created_at", formatting.shop_time(o.created_at, self._tz) if o.created_at else "")
        f.set_value("paid_at", formatting.shop_time(o.paid_at, self._tz) if o.paid_at else "")
        if pay is not None:
            f.set_value("pay_status", formatting.status_text(pay.status))
            f.set_value("transaction", pay.transaction_id)
        else:
            f.hide_row("pay_status")
            f.hide_row("transaction")

    def _items_text(self, items: Any) -> str:
        if not isinstance(items, list) or not items:
            return ""
        lines = []
        for it in items[:10]:
            if not isinstance(it, dict):
                continue
            name = str(it.get("product_name") or "?")
            qty = it.get("quantity") or 1
            lines.append(f"{qty} × {name}")
        if len(items) > 10:
            lines.append(self.tr("and %1 more").replace("%1", str(len(items) - 10)))
        return "\n".join(lines)

    # --- the payment (store) ----------------------------------------------------------------------

    def _show_payment_part(self) -> None:
        p = self._payment
        if p is None:
            return
        self._code.setText(p.order_code)
        parts = [formatting.money(p.amount), formatting.method_text(p.payment_method),
                 formatting.status_text(p.order_status)]
        self._summary.setText("  ·  ".join(x for x in parts if x))
        f = self._pay
        f.set_value("amount", formatting.money(p.amount))
        f.set_value("method", formatting.method_text(p.payment_method))
        f.set_value("paid_at", formatting.shop_time(p.paid_at, self._tz) if p.paid_at else
                    self.tr("not known yet"))
        f.set_value("found_by", formatting.found_by_text(p.detected_by))
        f.set_value("detected_at", formatting.shop_time(p.detected_at, self._tz))
        f.set_value("read", self.tr("Read") if p.read else self.tr("Unread"))

    def _show_events(self) -> None:
        if self._payment is None:
            return
        events = self._store.events(limit=EVENTS_SHOWN, order_code=self._payment.order_code)
        if not events:
            self._events.setText(self.tr("The live stream said nothing about this order; another source found "
                                         "it."))
            return
        lines = [f"{formatting.shop_time(a.at, self._tz)}  {kind_words(a.kind)}" + (f" — {a.message}" if a.message
                                                                                    else "")
                 for a in events]
        self._events.setText("\n".join(lines))

    # --- check status -----------------------------------------------------------------------------

    @Slot()
    def check_status(self) -> None:
        if self._payment is None or self._checking is not None:
            return
        code = self._payment.order_code

        progress = self._bridge.relay(functools.partial(self._on_check_progress, code), context=self)
        try:
            future = self._engine.check_order(code, actor=self.actor, progress=progress)
        except EngineNotRunning:
            self._check_text = ("error", self.tr("The app is not connected to the shop right now."))
            self._show_check()
            return
        self._checking = code
        self._check_text = ("busy", action_words.check_busy())
        self._show_check()
        self._bridge.call(future, lambda o: self._on_check(code, o), lambda e: self._on_check_error(code, e),
                          context=self, release=progress)

    def _on_check_progress(self, code: str, p: ActionProgress) -> None:
        if code != self._checking or code != self.current_code or p.stage != "waiting":
            return
        self._check_text = ("busy", action_words.waiting_sentence(p))
        self._show_check()

    def _on_check(self, code: str, outcome: CheckActionOutcome) -> None:
        self._checking = None
        self.check_finished.emit(code, outcome)
        if code != self.current_code:
            self._show_check()
            return
        self._check_text = ("ok", self.check_sentence(outcome))
        self._show_check()
        self.reload_order()

    def check_sentence(self, o: CheckActionOutcome) -> str:
        """The outcome in the admin's language (ui/action_words.py: one wording for every place that checks)."""
        return action_words.check_sentence(o)

    def _on_check_error(self, code: str, exc: BaseException) -> None:
        self._checking = None
        self.check_finished.emit(code, exc)
        if code != self.current_code:
            self._show_check()
            return
        self._check_text = ("error", self.tr("The check did not work: %1").replace("%1",
                                                                                 action_words.error_sentence(exc)))
        self._show_check()

    def _show_check(self) -> None:
        busy = self._checking is not None
        self.check_button.setEnabled(not busy)
        if self._check_text is None:
            self._outcome.hide()
            return
        kind, text = self._check_text
        self._outcome.setText(text)
        self._outcome.setForegroundRole(QPalette.ColorRole.PlaceholderText if kind == "busy"
                                        else QPalette.ColorRole.WindowText)
        self._outcome.show()

    # --- language ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self._empty.setText(self.tr("Select a payment to see its order, how it was found and what the app saw "
                                    "about it."))
        self.check_button.setText(self.tr("Check status"))
        self.check_button.setToolTip(self.tr("Ask the shop to check this payment with Midtrans now"))
        self._reload.setText(self.tr("Reload"))
        self._pay_title.setText(self.tr("Payment"))
        self._order_title.setText(self.tr("Order (from the shop)"))
        self._events_title.setText(self.tr("Events seen"))
        for key, text in (("amount", self.tr("Amount")), ("method", self.tr("Method")),
                          ("paid_at", self.tr("Paid at")), ("found_by", self.tr("Found by")),
                          ("detected_at", self.tr("Detected at")), ("read", self.tr("Read"))):
            self._pay.set_label(key, text)
        for key, text in (("customer", self.tr("Customer")), ("email", self.tr("E-mail")),
                          ("phone", self.tr("Phone")), ("status", self.tr("Order status")),
                          ("items", self.tr("Items")), ("total", self.tr("Total")),
                          ("created_at", self.tr("Ordered at")), ("paid_at", self.tr("Paid at")),
                          ("pay_status", self.tr("Payment status")), ("transaction", self.tr("Transaction ID"))):
            self._order.set_label(key, text)
        if self._payment is not None:
            self._show_payment_part()
            self._show_order_part()
            self._show_events()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
