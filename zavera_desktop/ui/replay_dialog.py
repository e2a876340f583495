"""The webhook replay, as the admin goes through it: look-up → preview → confirm → send → what changed.

1. **Look-up**: ``engine.replay_preview`` asks Midtrans about the order's payment (or, for "Replay again",
   ``engine.stored_replay`` takes an audited notification as it was sent). Nothing is sent.
2. **Midtrans order id**: when the shop has no transaction id, the dialog asks for the Midtrans order id
   and says where to find it (Midtrans dashboard → Transactions → "Order ID").
3. **Preview**: what Midtrans says, where the notification goes, its fields (signature hidden; the key
   itself is never in it), and warnings. Production: the admin types the order code to confirm.
4. **Send**: ``engine.replay_send``; then the webhook's verdict (it answers HTTP 200 to everything, so its
   body decides) and the effect, read from the order afterwards.

Every engine answer arrives through the bridge on the GUI thread; a late answer of an earlier look-up
(the admin typed another id meanwhile) is dropped by its generation number.
"""

from __future__ import annotations

import functools
import json
import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.backend.errors import MidtransAuthError, MidtransNotFoundError
from zavera_desktop.engine import ActionError, Engine, EngineNotRunning, ReplayOutcome, ReplayPreview
from zavera_desktop.engine.action_types import OutcomeKind
from zavera_desktop.ui import action_words, formatting
from zavera_desktop.ui.bridge import EngineBridge

log = logging.getLogger(__name__)

# the stages, in order
LOADING, NEED_ID, PREVIEW, SENDING, DONE, REFUSED = "loading", "need_id", "preview", "sending", "done", "refused"
PAYLOAD_LINES = 12


def _amount(payload: Any) -> str:
    try:
        return formatting.money(int(float(str(payload.get("gross_amount")))))
    except (TypeError, ValueError):
        return formatting.UNKNOWN


class ReplayDialog(QDialog):
    """``ReplayDialog(engine, bridge, actor, order_code=…)`` or ``(…, action_id=…)`` for "Replay again";
    ``start()`` after showing it."""

    # after Send: (order code, ReplayOutcome or the exception)
    replay_finished = Signal(str, object)
    # a stage was reached (tests, and the window's status bar)
    stage_changed = Signal(str)
    # the admin wants to fix the Midtrans settings
    settings_requested = Signal()

    def __init__(self, engine: Engine, bridge: EngineBridge, actor: str, *, order_code: str | None = None,
                 action_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if order_code is None and action_id is None:
            raise ValueError("a replay needs an order code or an audit entry")
        self.setObjectName("replayDialog")
        self._engine = engine
        self._bridge = bridge
        self.actor = actor
        self.order_code = (order_code or "").strip().upper()
        self.action_id = action_id
        self._stage = LOADING
        self._generation = 0
        self._preview: ReplayPreview | None = None
        self._outcome: ReplayOutcome | None = None
        # the refusal or error to show, as an exception (worded again on a language change)
        self._error: BaseException | None = None
        self._build()
        self._retranslate()
        self._show_stage()

    # --- layout -------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.setMinimumWidth(640)
        self._title = QLabel(self)
        font = QFont(self._title.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setWeight(QFont.Weight.DemiBold)
        self._title.setFont(font)
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._intro = QLabel(self)
        self._intro.setWordWrap(True)
        self._intro.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.status = QLabel(self)
        self.status.setObjectName("replayStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # the Midtrans order id, when the shop has no transaction id
        self._id_box = QWidget(self)
        self._id_help = QLabel(self._id_box)
        self._id_help.setWordWrap(True)
        self._id_help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.id_edit = QLineEdit(self._id_box)
        self.id_edit.setObjectName("midtransIdEdit")
        self.id_edit.setPlaceholderText(action_words.MIDTRANS_ID_EXAMPLE)
        self.id_edit.returnPressed.connect(self.look_up)
        self.lookup_button = QPushButton(self._id_box)
        self.lookup_button.setObjectName("lookupButton")
        self.lookup_button.clicked.connect(self.look_up)
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_edit, 1)
        id_row.addWidget(self.lookup_button)
        id_layout = QVBoxLayout(self._id_box)
        id_layout.setContentsMargins(0, 0, 0, 0)
        id_layout.addWidget(self._id_help)
        id_layout.addLayout(id_row)

        # the preview
        self._preview_box = QWidget(self)
        self._form = QFormLayout()
        self._form.setHorizontalSpacing(16)
        self._labels: dict[str, QLabel] = {}
        self._values: dict[str, QLabel] = {}
        for key in ("order", "amount", "order_status", "midtrans_says", "midtrans_id", "environment", "midtrans_url",
                    "webhook_url"):
            label, value = QLabel(self._preview_box), QLabel(self._preview_box)
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            self._labels[key], self._values[key] = label, value
            self._form.addRow(label, value)
        self._warnings = QLabel(self._preview_box)
        self._warnings.setObjectName("replayWarnings")
        self._warnings.setWordWrap(True)
        self._warnings.setStyleSheet("color: #a15c00;")
        self._payload_title = QLabel(self._preview_box)
        self.payload = QPlainTextEdit(self._preview_box)
        self.payload.setObjectName("replayPayload")
        self.payload.setReadOnly(True)
        self.payload.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.payload.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        line = self.payload.fontMetrics().lineSpacing()
        self.payload.setFixedHeight(line * PAYLOAD_LINES + 12)
        preview_layout = QVBoxLayout(self._preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addLayout(self._form)
        preview_layout.addWidget(self._warnings)
        preview_layout.addSpacing(4)
        preview_layout.addWidget(self._payload_title)
        preview_layout.addWidget(self.payload)

        # production: the admin types the order code
        self._confirm_box = QWidget(self)
        self._confirm_label = QLabel(self._confirm_box)
        self._confirm_label.setWordWrap(True)
        self._confirm_label.setStyleSheet("color: #b00020;")
        self.confirm_edit = QLineEdit(self._confirm_box)
        self.confirm_edit.setObjectName("confirmCodeEdit")
        self.confirm_edit.textChanged.connect(self._update_buttons)
        confirm_layout = QVBoxLayout(self._confirm_box)
        confirm_layout.setContentsMargins(0, 0, 0, 0)
        confirm_layout.addWidget(self._confirm_label)
        confirm_layout.addWidget(self.confirm_edit)

        # the result
        self.result = QLabel(self)
        self.result.setObjectName("replayResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self.result.font())
        big.setWeight(QFont.Weight.DemiBold)
        self.result.setFont(big)
        self.answer = QLabel(self)
        self.answer.setObjectName("webhookAnswer")
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.settings_button = QPushButton(self)
        self.settings_button.setObjectName("midtransSettingsButton")
        self.settings_button.setAutoDefault(False)
        self.settings_button.clicked.connect(self._ask_settings)
        self.retry_button = QPushButton(self)
        self.retry_button.setObjectName("retryButton")
        self.retry_button.setAutoDefault(False)
        self.retry_button.clicked.connect(self.start)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("replayCloseButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("sendButton")
        self.send_button.clicked.connect(self.send)
        buttons = QHBoxLayout()
        buttons.addWidget(self.settings_button)
        buttons.addWidget(self.retry_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self._title)
        layout.addWidget(self._intro)
        layout.addWidget(self.status)
        layout.addWidget(self._id_box)
        layout.addWidget(self._preview_box)
        layout.addWidget(self._confirm_box)
        layout.addWidget(self.result)
        layout.addWidget(self.answer)
        layout.addStretch(1)
        layout.addLayout(buttons)

    # --- public -------------------------------------------------------------------------------------

    @property
    def stage(self) -> str:
        return self._stage

    @property
    def preview(self) -> ReplayPreview | None:
        return self._preview

    @property
    def outcome(self) -> ReplayOutcome | None:
        return self._outcome

    @Slot()
    def start(self) -> None:
        """Ask for the preview (Midtrans, or the stored notification); nothing is sent."""
        self._look_up(self.id_edit.text().strip() or None if self.action_id is None else None)

    def retry_after_settings(self) -> None:
        """The Midtrans settings changed: a look-up refused for want of them is tried again."""
        if self._stage == REFUSED and self._needs_settings():
            self.start()

    def _needs_settings(self) -> bool:
        error = self._error
        return isinstance(error, MidtransAuthError) or (isinstance(error, ActionError)
                                                        and error.reason == "no_midtrans")

    @Slot()
    def look_up(self) -> None:
        """The admin typed the Midtrans order id: ask Midtrans with it."""
        typed = self.id_edit.text().strip()
        if typed:
            self._look_up(typed)

    @Slot()
    def send(self) -> None:
        """Post the previewed notification (after the typed confirmation on production)."""
        preview = self._preview
        if preview is None or self._stage != PREVIEW or not self._confirmed():
            return
        confirmation = self.confirm_edit.text().strip() if preview.needs_typed_confirmation else None
        try:
            future = self._engine.replay_send(preview, actor=self.actor, confirmation=confirmation)
        except EngineNotRunning as exc:
            self._fail(exc)
            return
        self._generation += 1
        self._set_stage(SENDING)
        self._bridge.call(future, functools.partial(self._on_sent, self._generation),
                          functools.partial(self._on_send_error, self._generation), context=self)

    # --- the engine's answers -------------------------------------------------------------------------

    def _look_up(self, transaction_id: str | None) -> None:
        try:
            if self.action_id is not None:
                future = self._engine.stored_replay(self.action_id, actor=self.actor)
            else:
                future = self._engine.replay_preview(self.order_code, actor=self.actor, transaction_id=transaction_id)
        except EngineNotRunning as exc:
            self._fail(exc)
            return
        self._generation += 1
        self._error = None
        self._set_stage(LOADING)
        self._bridge.call(future, functools.partial(self._on_preview, self._generation),
                          functools.partial(self._on_preview_error, self._generation, transaction_id), context=self)

    def _on_preview(self, generation: int, preview: ReplayPreview) -> None:
        if generation != self._generation:
            return
        self._preview = preview
        self.order_code = preview.order_code
        self.confirm_edit.clear()
        self._set_stage(PREVIEW)
        if not preview.needs_typed_confirmation:
            self.send_button.setFocus()

    def _on_preview_error(self, generation: int, typed: str | None, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._error = exc
        reason = getattr(exc, "reason", "")
        if reason == "transaction_id_needed":
            self._error = None  # the help above the field says it all
            self._set_stage(NEED_ID)
            self.id_edit.setFocus()
        elif typed is not None and (reason == "other_order" or isinstance(exc, MidtransNotFoundError)):
            self._set_stage(NEED_ID)  # the typed id was wrong: say why, let the admin type it again
            self.id_edit.selectAll()
            self.id_edit.setFocus()
        else:
            self._set_stage(REFUSED)

    def _on_sent(self, generation: int, outcome: ReplayOutcome) -> None:
        if generation != self._generation:
            return
        self._outcome = outcome
        self._set_stage(DONE)
        self.replay_finished.emit(self.order_code, outcome)

    def _on_send_error(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, ActionError) and exc.reason == "confirmation_required":
            self._error = exc  # typed wrong (should not happen: Send waits for it); stay on the preview
            self._set_stage(PREVIEW)
            return
        self._fail(exc)
        self.replay_finished.emit(self.order_code, exc)

    def _fail(self, exc: BaseException) -> None:
        self._error = exc
        self._set_stage(REFUSED)

    # --- showing --------------------------------------------------------------------------------------

    def _set_stage(self, stage: str) -> None:
        self._stage = stage
        self._show_stage()
        self.stage_changed.emit(stage)

    def _confirmed(self) -> bool:
        preview = self._preview
        if preview is None or not preview.needs_typed_confirmation:
            return True
        return self.confirm_edit.text().strip().upper() == preview.order_code

    @Slot()
    def _update_buttons(self) -> None:
        stage = self._stage
        self.send_button.setVisible(stage in (PREVIEW, SENDING))
        self.send_button.setEnabled(stage == PREVIEW and self._confirmed())
        self.send_button.setDefault(stage == PREVIEW)
        self.close_button.setText(self.tr("Close") if stage in (DONE, REFUSED) else self.tr("Cancel"))
        self.close_button.setDefault(stage in (DONE, REFUSED))
        self.lookup_button.setEnabled(stage == NEED_ID)
        self.id_edit.setEnabled(stage in (NEED_ID, LOADING))
        self.confirm_edit.setEnabled(stage == PREVIEW)
        self.settings_button.setVisible(stage == REFUSED and self._needs_settings())
        # nothing to try again for an order the shop already has as paid; anything else may pass next time
        self.retry_button.setVisible(stage == REFUSED and self._preview is None
                                     and getattr(self._error, "reason", "") != "already_paid")

    def _show_stage(self) -> None:
        stage, preview = self._stage, self._preview
        code = preview.order_code if preview is not None else self.order_code
        if self.action_id is not None:
            self._title.setText(self.tr("Replay again: %1").replace("%1", code or f"#{self.action_id}"))
        else:
            self._title.setText(self.tr("Replay the Midtrans notification: %1").replace("%1", code))
        self._id_box.setVisible(stage == NEED_ID or (stage == LOADING and bool(self.id_edit.text().strip())))
        self._preview_box.setVisible(preview is not None and stage in (PREVIEW, SENDING, DONE))
        self._confirm_box.setVisible(preview is not None and preview.needs_typed_confirmation
                                     and stage in (PREVIEW, SENDING))
        if preview is not None:
            self._fill_preview(preview)
        # once sent, what was sent matters less than what changed: the fields stay, the notification folds away
        sent = stage == DONE
        self._intro.setVisible(not sent)
        for widget in (self._payload_title, self.payload):
            widget.setVisible(not sent)
        if sent:
            self._warnings.hide()
        self._show_status()
        self._show_result()
        self._update_buttons()
        # after the layout has taken in what was shown and hidden (its request is handled in the event loop)
        QTimer.singleShot(0, self, self._fit_height)  # with self as context: not after the dialog is gone

    @Slot()
    def _fit_height(self) -> None:
        """As tall as the parts now shown need at the current width (wrapped texts make the height depend on it)."""
        layout = self.layout()
        layout.activate()
        if not self.isVisible():
            self.adjustSize()
            return
        height = layout.totalHeightForWidth(self.width())
        if height > 0:
            self.resize(self.width(), max(height, self.minimumSizeHint().height()))

    def _show_status(self) -> None:
        stage, error = self._stage, self._error
        texts = {
            LOADING: self.tr("Reading the notification stored in the log…") if self.action_id is not None
            else self.tr("Asking Midtrans about this payment… (nothing is sent yet)"),
            SENDING: self.tr("Sending the notification to the shop…"),
        }
        if error is not None:
            text, colour = action_words.error_sentence(error), "color: #b00020;"
        elif stage in texts:
            text, colour = texts[stage], ""
        elif stage == PREVIEW:
            text, colour = self.tr("Nothing has been sent yet. Check the details, then press Send."), ""
        else:
            text, colour = "", ""
        self.status.setText(text)
        self.status.setStyleSheet(colour)
        self.status.setVisible(bool(text))

    def _show_result(self) -> None:
        outcome = self._outcome
        if self._stage != DONE or outcome is None:
            self.result.hide()
            self.answer.hide()
            return
        self.result.setText(action_words.replay_sentence(outcome))
        good = outcome.outcome is OutcomeKind.PAID
        self.result.setStyleSheet("color: #1b7f3b;" if good else "color: #a15c00;")
        self.result.show()
        answer = action_words.webhook_answer(outcome)
        self.answer.setText(answer)
        self.answer.setVisible(bool(answer))

    def _fill_preview(self, p: ReplayPreview) -> None:
        sources = {"order_detail": self.tr("from the shop's order"), "admin": self.tr("typed by you"),
                   "stored": self.tr("as sent before")}
        v = self._values
        v["order"].setText(p.order_code)
        v["amount"].setText(_amount(p.payload))
        after = self._outcome.backend_status if self._outcome is not None and self._stage == DONE else ""
        v["order_status"].setText(formatting.status_text(after or p.order_status))
        v["midtrans_says"].setText(action_words.midtrans_status(p.transaction_status))
        source = sources.get(p.id_source)
        v["midtrans_id"].setText(f"{p.midtrans_id} ({source})" if p.midtrans_id and source else p.midtrans_id or "—")
        v["environment"].setText(action_words.environment_name(p.environment))
        v["midtrans_url"].setText(p.midtrans_url or "—")
        v["webhook_url"].setText(p.webhook_url)
        warnings = [action_words.warning_sentence(code, p.transaction_status) for code, _ in p.warnings]
        warnings = [w for w in warnings if w]
        if p.replay_of is not None:
            warnings.insert(0, self.tr("This sends the notification of log entry %1 again, exactly as it was sent; "
                                       "Midtrans is not asked again.").replace("%1", str(p.replay_of)))
        self._warnings.setText("\n".join(warnings))
        self._warnings.setVisible(bool(warnings))
        # the masked copy: the signature is hidden; the server key is never part of a notification
        self.payload.setPlainText(json.dumps(p.masked_payload, indent=2, ensure_ascii=False))
        self._confirm_label.setText(self.tr("This goes to the live shop and marks the order paid with real money. "
                                            "Type the order code %1 to confirm:").replace("%1", p.order_code))

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Replay notification — Zavera Desktop"))
        self._intro.setText(self.tr(
            "For a payment the shop never heard about: the app asks Midtrans for its status, rebuilds the "
            "notification Midtrans would have sent, signs it with the server key and posts it to the shop's "
            "webhook. Nothing is sent until you press Send."))
        self._id_help.setText(action_words.where_to_find_the_id())
        self.lookup_button.setText(self.tr("&Look up"))
        for key, text in (("order", self.tr("Order")), ("amount", self.tr("Amount")),
                          ("order_status", self.tr("Order status now")), ("midtrans_says", self.tr("Midtrans says")),
                          ("midtrans_id", self.tr("Midtrans id")), ("environment", self.tr("Environment")),
                          ("midtrans_url", self.tr("Midtrans address")), ("webhook_url", self.tr("Will be posted to"))):
            self._labels[key].setText(text)
        self._payload_title.setText(self.tr("The notification (signature hidden):"))
        self.send_button.setText(self.tr("&Send notification"))
        self.settings_button.setText(self.tr("Midtrans settings…"))
        self.retry_button.setText(self.tr("&Try again"))
        self._show_stage()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    @Slot()
    def _ask_settings(self) -> None:
        self.settings_requested.emit()
