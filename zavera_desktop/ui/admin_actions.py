"""The window's admin actions: where the status check, "check all stuck", the webhook replay, the audit log
and the Midtrans settings are reached, and what happens after each.

``AdminActionsUi(window)`` adds to the main window (its parent):

* an **Actions** menu (Check all stuck payments, Replay notification, Actions log, Midtrans settings);
* a **Check all stuck** button beside the table's other buttons;
* **Replay notification…** in the detail panel's action row and in the table's context menu (whose
  "Check status" already exists);
* the **order bar** (ui/order_bar.py) for an order typed in the search that the table does not list —
  typically the one whose notification was lost: "Check status" is then one click, "Replay
  notification…" then "Send" two.

After an action it refreshes the Actions view, reloads the detail panel's order, and selects the order
in the table once its payment arrives. It keeps no Python reference to the window (``parent()`` is
asked each time), so no window sits in a reference cycle.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QPushButton, QToolButton

from zavera_desktop.backend.client import OrderDetail
from zavera_desktop.backend.errors import NotFoundError
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.domain import ChangeBatch, Payment
from zavera_desktop.engine import CheckActionOutcome, EngineNotRunning, OutcomeKind, ReplayOutcome
from zavera_desktop.engine.action_types import ActionProgress
from zavera_desktop.store.queries import PaymentFilter
from zavera_desktop.ui import action_words, formatting
from zavera_desktop.ui.actions_view import ActionsView
from zavera_desktop.ui.bulk_check_dialog import BulkCheckDialog
from zavera_desktop.ui.midtrans_settings import MidtransSettingsDialog
from zavera_desktop.ui.order_bar import OrderBar, order_code_in
from zavera_desktop.ui.replay_dialog import ReplayDialog

if TYPE_CHECKING:
    from zavera_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class AdminActionsUi(QObject):
    """Installs the admin actions into ``window`` (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("adminActions")
        # what the engine uses for Midtrans (set at start-up by ui/app.py, then by the settings dialog); shown
        # by the settings dialog when this run saves nothing (the demo)
        self.midtrans: MidtransAccess | None = None
        self._bulk: BulkCheckDialog | None = None
        self._view: ActionsView | None = None
        self._midtrans_dialog: MidtransSettingsDialog | None = None
        self._replays: dict[str, ReplayDialog] = {}
        # the order bar: the words of the last action per order, the order being checked
        self._bar_results: dict[str, tuple[str, str]] = {}
        self._bar_checking: str | None = None
        # an order to select in the table as soon as its payment is recorded
        self._select_later: str | None = None

        self.actions: dict[str, QAction] = {}
        self.menu = QMenu(window)
        self.menu.setObjectName("actionsMenu")
        for key, slot, shortcut in (("check_all", self.show_bulk_check, "Ctrl+Shift+K"),
                                    ("replay", self.replay_selected, None),
                                    ("log", self.show_actions_log, "Ctrl+Shift+L"),
                                    ("midtrans", self.show_midtrans_settings, None)):
            action = QAction(self.menu)
            action.setObjectName(f"action_{key}")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            self.actions[key] = action
        self.menu.addAction(self.actions["check_all"])
        self.menu.addAction(self.actions["replay"])
        self.menu.addSeparator()
        self.menu.addAction(self.actions["log"])
        self.menu.addAction(self.actions["midtrans"])
        bar = window.menuBar()
        menus = bar.actions()
        bar.insertMenu(menus[-1] if menus else None, self.menu)  # before Help

        self.check_all_button = QToolButton(window.filter_bar)
        self.check_all_button.setObjectName("checkAllStuckButton")
        self.check_all_button.clicked.connect(self.show_bulk_check)
        window.filter_bar.extra.insertWidget(0, self.check_all_button)

        self.replay_button = QPushButton()
        self.replay_button.setObjectName("replayButton")
        self.replay_button.clicked.connect(self.replay_selected)
        window.detail.add_action(self.replay_button)

        self.order_bar = OrderBar(window.centralWidget())
        self.order_bar.check_requested.connect(self.check_order)
        self.order_bar.replay_requested.connect(self.open_replay)
        central = window.centralWidget().layout()
        central.insertWidget(central.indexOf(window.filter_bar) + 1, self.order_bar)

        window.filter_bar.changed.connect(self._search_changed)
        window.bridge.batch.connect(self._on_batch)
        window.installEventFilter(self)  # LanguageChange reaches the window, not this QObject
        self.retranslate()

    def _window(self) -> MainWindow:
        return self.parent()  # type: ignore[return-value]

    # --- entry points ----------------------------------------------------------------------------------

    def extend_context_menu(self, menu: QMenu, payment: Payment | None) -> None:
        """The table's context menu: replay the right-clicked order (its check is already there)."""
        if payment is None:
            return
        action = menu.addAction(self.tr("Re&play notification…"))
        action.setObjectName("contextReplay")
        code = payment.order_code
        action.triggered.connect(lambda _checked=False, code=code: self.open_replay(code))

    @Slot()
    def replay_selected(self) -> None:
        code = self._window().detail.current_code
        if code is None:
            self._window().status_bar.showMessage(self.tr("Select a payment first, or type an order code in the "
                                                          "search."), 5000)
            return
        self.open_replay(code)

    @Slot(str)
    def open_replay(self, code: str) -> ReplayDialog:
        """The replay dialog for ``code`` (one per order: a second request raises the open one)."""
        existing = self._replays.get(code)
        if existing is not None and shiboken6.isValid(existing) and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        window = self._window()
        dialog = ReplayDialog(window.engine, window.bridge, window.actor, order_code=code, parent=window)
        self._start_replay(code, dialog)
        return dialog

    @Slot(int, str)
    def open_replay_again(self, action_id: int, code: str) -> ReplayDialog:
        """"Replay again" from the Actions view: the stored notification, as it was sent."""
        window = self._window()
        dialog = ReplayDialog(window.engine, window.bridge, window.actor, order_code=code, action_id=action_id,
                              parent=window)
        self._start_replay(code, dialog)
        return dialog

    def _start_replay(self, code: str, dialog: ReplayDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.replay_finished.connect(self._replay_finished)
        dialog.settings_requested.connect(self.show_midtrans_settings)
        self._replays = {c: d for c, d in self._replays.items() if shiboken6.isValid(d)}
        self._replays[code] = dialog
        dialog.show()
        dialog.start()

    @Slot(str)
    def check_order(self, code: str) -> None:
        """The order bar's "Check status" (a listed payment is checked by the detail panel)."""
        if self._bar_checking is not None:
            return
        window = self._window()
        bridge = window.bridge

        progress = bridge.relay(functools.partial(self._on_bar_progress, code), context=self)
        try:
            future = window.engine.check_order(code, actor=window.actor, progress=progress)
        except EngineNotRunning:
            self._bar_result(code, "error", action_words.not_connected())
            return
        self._bar_checking = code
        self._bar_result(code, "busy", action_words.check_busy())
        bridge.call(future, functools.partial(self._on_bar_checked, code),
                    functools.partial(self._on_bar_check_error, code), context=self, release=progress)

    @Slot()
    def show_bulk_check(self) -> None:
        """Start "check all stuck" (unless it runs already) and show its window."""
        window = self._window()
        if self._bulk is None:
            self._bulk = BulkCheckDialog(window.engine, window.bridge, window.actor, window)
            self._bulk.replay_requested.connect(self.open_replay)
            self._bulk.order_requested.connect(self.show_order)
            self._bulk.run_finished.connect(self._bulk_finished)
        bulk = self._bulk
        if not bulk.running:
            bulk.actor = window.actor
            bulk.start()
        bulk.show()
        bulk.raise_()
        bulk.activateWindow()

    @property
    def bulk_dialog(self) -> BulkCheckDialog | None:
        return self._bulk

    @Slot()
    def show_actions_log(self) -> ActionsView:
        if self._view is None:
            window = self._window()
            self._view = ActionsView(window.store, window.tz, window)
            self._view.replay_again_requested.connect(self.open_replay_again)
            self._view.order_requested.connect(self.show_order)
        self._view.show()
        self._view.raise_()
        self._view.activateWindow()
        return self._view

    @property
    def actions_view(self) -> ActionsView | None:
        return self._view

    @Slot()
    def show_midtrans_settings(self) -> MidtransSettingsDialog:
        dialog = self._midtrans_dialog
        if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        window = self._window()
        dialog = MidtransSettingsDialog(window.settings, window.engine, window.bridge,
                                        backend_url=window.engine_settings.backend_url, current=self.midtrans,
                                        persist=window.persist, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self._midtrans_applied)
        self._midtrans_dialog = dialog
        dialog.open()
        return dialog

    @Slot(str)
    def show_order(self, code: str) -> None:
        """Show an order: its row when it is a recorded payment, else the order bar (via the search)."""
        window = self._window()
        window.show_and_raise()
        if window.select_order(code):
            return
        window.filter_bar.search.setText(code)
        window.filter_bar.search.returnPressed.emit()  # at once, not after the search's debounce

    def close(self) -> None:
        """The app is quitting: stop a bulk run, close the windows."""
        if self._bulk is not None:
            self._bulk.stop()
            self._bulk.close()
        for dialog in (*self._replays.values(), self._view, self._midtrans_dialog):
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.close()

    # --- results ------------------------------------------------------------------------------------------

    def _after_action(self, code: str | None) -> None:
        if self._view is not None and self._view.isVisible():
            self._view.refresh()
        detail = self._window().detail
        if code is not None and detail.current_code == code:
            detail.reload_order()

    @Slot(str, object)
    def _replay_finished(self, code: str, result: Any) -> None:
        self._after_action(code)
        if isinstance(result, ReplayOutcome):
            kind = "paid" if result.outcome is OutcomeKind.PAID else "ok"
            self._bar_result(code, kind, action_words.replay_sentence(result))
            if result.outcome is OutcomeKind.PAID:
                self._select_when_recorded(code)
        elif isinstance(result, BaseException):
            self._bar_result(code, "error", action_words.error_sentence(result))

    def _on_bar_progress(self, code: str, p: ActionProgress) -> None:
        if self._bar_checking == code and p.stage == "waiting":
            self._bar_result(code, "busy", action_words.waiting_sentence(p))

    def _on_bar_checked(self, code: str, outcome: CheckActionOutcome) -> None:
        self._bar_checking = None
        kind = "paid" if outcome.outcome is OutcomeKind.PAID else "ok"
        self._bar_result(code, kind, action_words.check_sentence(outcome))
        self._after_action(code)
        if outcome.outcome is OutcomeKind.PAID:
            self._select_when_recorded(code)

    def _on_bar_check_error(self, code: str, exc: BaseException) -> None:
        self._bar_checking = None
        self._bar_result(code, "error", action_words.error_sentence(exc))
        self._after_action(code)

    def _bar_result(self, code: str, kind: str, text: str) -> None:
        self._bar_results[code] = (kind, text)
        self.order_bar.set_result(code, kind, text)

    @Slot(object)
    def _bulk_finished(self, _result: Any) -> None:
        self._after_action(None)

    @Slot(object)
    def _midtrans_applied(self, access: MidtransAccess | None) -> None:
        self.midtrans = access
        for dialog in self._replays.values():  # a replay that waited for these settings goes on by itself
            if shiboken6.isValid(dialog) and dialog.isVisible():
                dialog.retry_after_settings()
        self._window().status_bar.showMessage(self.tr("Midtrans settings saved; replays use them from now on."),
                                              6000)

    def _select_when_recorded(self, code: str) -> None:
        window = self._window()
        if window.store.payment(code) is not None and window.select_order(code):
            self.order_bar.set_recorded(code)
            return
        self._select_later = code  # its batch is still on the way

    @Slot(object)
    def _on_batch(self, batch: ChangeBatch) -> None:
        code = self._select_later
        if code is None or not any(p.order_code == code for p in batch.new_payments):
            return
        self._select_later = None
        if self._window().select_order(code):
            self.order_bar.set_recorded(code)

    # --- the order bar ---------------------------------------------------------------------------------------

    @Slot(object)
    def _search_changed(self, flt: PaymentFilter) -> None:
        window = self._window()
        code = order_code_in(flt.search_term)
        if code is None:
            self.order_bar.hide()
            return
        recorded = window.store.payment(code) is not None
        result = self._bar_results.get(code)
        if recorded and result is None:
            self.order_bar.hide()  # the table shows it, and the detail panel has its actions
            return
        same = self.order_bar.code == code and self.order_bar.isVisible()
        self.order_bar.show_order(code, result, recorded=recorded)
        if recorded or same:
            return
        try:
            future = window.engine.order_detail(code)
        except EngineNotRunning:
            return
        window.bridge.call(future, functools.partial(self._on_bar_detail, code),
                           functools.partial(self._on_bar_detail_error, code), context=self)

    def _on_bar_detail(self, code: str, detail: OrderDetail) -> None:
        words = self.tr("order %1").replace("%1", formatting.status_text(detail.order.status))
        if detail.payment is not None and detail.payment.status:
            words += ", " + self.tr("payment %1").replace("%1", formatting.status_text(detail.payment.status))
        self.order_bar.set_status(code, words)

    def _on_bar_detail_error(self, code: str, exc: BaseException) -> None:
        if isinstance(exc, NotFoundError):
            self.order_bar.set_status(code, self.tr("no such order"))
        else:
            self.order_bar.set_status(code, self.tr("not readable right now (%1)")
                                      .replace("%1", action_words.error_sentence(exc)))

    # --- language -----------------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.menu.setTitle(self.tr("&Actions"))
        texts = {
            "check_all": self.tr("Check all &stuck payments"),
            "replay": self.tr("&Replay the selected order's notification…"),
            "log": self.tr("Actions &log"),
            "midtrans": self.tr("&Midtrans settings…"),
        }
        for key, text in texts.items():
            self.actions[key].setText(text)
        self.check_all_button.setText(self.tr("Check all stuck"))
        self.check_all_button.setToolTip(self.tr("Ask the shop to check every stuck payment with Midtrans, one at a "
                                                 "time"))
        self.replay_button.setText(self.tr("Replay notification…"))
        self.replay_button.setToolTip(self.tr("Ask Midtrans itself and send the shop the notification it missed (you "
                                              "see it before it is sent)"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange and watched is self.parent():
            self.retranslate()
        return False
