""""Check all stuck": every stuck payment checked with Midtrans, one at a time, with progress and Cancel.

``engine.check_all_stuck`` does the work on the engine thread (the shop's dashboard lists the stuck
payments; each is checked through the limiter verify shares, so the shop's one-check-per-5-s rule holds).
Its progress reports (done/total, the current order, waits) hop to the GUI thread through the bridge.
Cancel sets the run's ``threading.Event``: the engine stops between payments and the summary says how far
it got. The summary is worded here from ``BulkCheckSummary``'s counts, in the UI language.

Closing the window does not stop a run (it goes on, and the window shows it again when reopened); Cancel
does, and so does quitting the app.
"""

from __future__ import annotations

import functools
import logging
import threading

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.engine import ActionProgress, BulkCheckSummary, Engine, EngineNotRunning
from zavera_desktop.engine.action_types import BulkItem, OutcomeKind
from zavera_desktop.ui import action_words
from zavera_desktop.ui.bridge import EngineBridge

log = logging.getLogger(__name__)

CODE_ROLE = Qt.ItemDataRole.UserRole


class BulkCheckDialog(QDialog):
    """``BulkCheckDialog(engine, bridge, actor)``; ``start()`` runs one check of everything stuck."""

    # the run ended: its BulkCheckSummary, or the exception
    run_finished = Signal(object)
    # the admin asked to replay / to see one of the checked orders
    replay_requested = Signal(str)
    order_requested = Signal(str)

    def __init__(self, engine: Engine, bridge: EngineBridge, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bulkCheckDialog")
        self._engine = engine
        self._bridge = bridge
        self.actor = actor
        self._cancel: threading.Event | None = None
        self._run = 0  # generation: a late report of an earlier run is dropped
        self._progress: ActionProgress | None = None
        self._summary: BulkCheckSummary | None = None
        self._error: BaseException | None = None
        self._build()
        self._retranslate()
        self._show()

    def _build(self) -> None:
        self.resize(640, 460)
        self._intro = QLabel(self)
        self._intro.setWordWrap(True)
        self._intro.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("bulkProgress")
        self.bar.setTextVisible(True)
        self.current = QLabel(self)
        self.current.setObjectName("bulkCurrent")
        self.current.setWordWrap(True)
        self.tally = QLabel(self)
        self.tally.setObjectName("bulkTally")
        self.tally.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("bulkSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.summary.font())
        font.setWeight(QFont.Weight.DemiBold)
        self.summary.setFont(font)
        self.items = QTreeWidget(self)
        self.items.setObjectName("bulkItems")
        self.items.setRootIsDecorated(False)
        self.items.setUniformRowHeights(True)
        self.items.setAlternatingRowColors(True)
        self.items.setColumnCount(2)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items.header().setStretchLastSection(True)
        self.items.setColumnWidth(0, 220)
        self.items.itemSelectionChanged.connect(self._update_buttons)
        self.items.itemDoubleClicked.connect(self._open_item)

        self.replay_button = QPushButton(self)
        self.replay_button.setObjectName("bulkReplayButton")
        self.replay_button.setAutoDefault(False)
        self.replay_button.clicked.connect(self._replay_selected)
        self.again_button = QPushButton(self)
        self.again_button.setObjectName("bulkAgainButton")
        self.again_button.setAutoDefault(False)
        self.again_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("bulkCancelButton")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("bulkCloseButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.replay_button)
        buttons.addStretch(1)
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addWidget(self.bar)
        layout.addWidget(self.current)
        layout.addWidget(self.tally)
        layout.addWidget(self.summary)
        layout.addWidget(self.items, 1)
        layout.addLayout(buttons)

    # --- public -------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._cancel is not None

    @property
    def last_summary(self) -> BulkCheckSummary | None:
        return self._summary

    @Slot()
    def start(self) -> None:
        """Start a run (nothing happens while one is running)."""
        if self.running:
            return
        cancel = threading.Event()
        self._run += 1
        run = self._run
        bridge = self._bridge

        progress = bridge.relay(functools.partial(self._on_progress, run), context=self)
        try:
            future = self._engine.check_all_stuck(actor=self.actor, progress=progress, cancel=cancel)
        except EngineNotRunning as exc:
            self._summary, self._progress, self._error = None, None, exc
            self._show()
            return
        self._cancel = cancel
        self._summary, self._progress, self._error = None, None, None
        self.items.clear()
        self._show()
        bridge.call(future, functools.partial(self._on_done, run), functools.partial(self._on_error, run),
                    context=self, release=progress)

    @Slot()
    def cancel(self) -> None:
        """Stop between payments; the summary follows when the engine has stopped."""
        if self._cancel is not None:
            self._cancel.set()
            self._show()

    def stop(self) -> None:
        """The app is quitting: cancel a run, say nothing more."""
        if self._cancel is not None:
            self._cancel.set()

    # --- the engine's reports -------------------------------------------------------------------------

    def _on_progress(self, run: int, p: ActionProgress) -> None:
        if run != self._run or self._cancel is None:
            return
        self._progress = p
        self._show()

    def _on_done(self, run: int, summary: BulkCheckSummary) -> None:
        if run != self._run:
            return
        self._cancel = None
        self._summary = summary
        self._fill_items(summary.items)
        self._show()
        self.run_finished.emit(summary)

    def _on_error(self, run: int, exc: BaseException) -> None:
        if run != self._run:
            return
        self._cancel = None
        self._error = exc
        self._show()
        self.run_finished.emit(exc)

    # --- showing --------------------------------------------------------------------------------------

    def _show(self) -> None:
        running, p, summary, error = self.running, self._progress, self._summary, self._error
        if running and (p is None or not p.total):
            self.bar.setRange(0, 0)  # busy: the list of stuck payments is being read
        elif p is not None or summary is not None:
            total = summary.total if summary is not None else p.total if p is not None else 0
            done = len(summary.items) if summary is not None else p.done if p is not None else 0
            self.bar.setRange(0, max(1, total))
            self.bar.setValue(min(done, max(1, total)) if total else 1)
        self.bar.setVisible(running or summary is not None)
        if running and self._cancel is not None and self._cancel.is_set():
            self.current.setText(self.tr("Stopping after the payment being checked…"))
        elif running:
            self.current.setText(action_words.bulk_progress(p) if p is not None and p.total
                                 else self.tr("Reading the stuck payments from the shop's dashboard…"))
        else:
            self.current.setText("")
        self.current.setVisible(bool(self.current.text()))
        tally = action_words.counts_sentence(p.counts) if running and p is not None else ""
        self.tally.setText(self.tr("So far: %1").replace("%1", tally) if tally else "")
        self.tally.setVisible(bool(tally))
        if error is not None:
            self.summary.setText(self.tr("Check all stuck did not work: %1")
                                 .replace("%1", action_words.error_sentence(error)))
            self.summary.setStyleSheet("color: #b00020;")
        elif summary is not None:
            self.summary.setText(action_words.bulk_summary(summary))
            self.summary.setStyleSheet("")
        else:
            self.summary.setText("")
        self.summary.setVisible(bool(self.summary.text()))
        self.items.setVisible(summary is not None and bool(summary.items))
        self._update_buttons()

    def _fill_items(self, items: tuple[BulkItem, ...]) -> None:
        self.items.clear()
        # the ones that need a look first: failed checks, then still pending, then the rest
        order = {OutcomeKind.ERROR: 0, OutcomeKind.PENDING: 1}
        for item in sorted(items, key=lambda i: order.get(i.outcome, 2)):
            words = action_words.bulk_item_sentence(item.outcome, item.reason, item.status)
            if item.outcome is OutcomeKind.ERROR:
                words += f": {item.explanation}"  # the backend layer's own words for what failed
            row = QTreeWidgetItem([item.order_code, words])
            row.setData(0, CODE_ROLE, item.order_code)
            row.setData(1, CODE_ROLE, item.outcome.value)
            row.setToolTip(1, words)
            self.items.addTopLevelItem(row)

    def _selected(self) -> tuple[str, str] | None:
        rows = self.items.selectedItems()
        if not rows:
            return None
        return str(rows[0].data(0, CODE_ROLE)), str(rows[0].data(1, CODE_ROLE))

    @Slot()
    def _update_buttons(self) -> None:
        running = self.running
        selected = self._selected()
        self.replay_button.setEnabled(selected is not None and selected[1] != OutcomeKind.PAID.value)
        self.replay_button.setVisible(self._summary is not None)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running and self._cancel is not None and not self._cancel.is_set())
        self.again_button.setVisible(not running)
        self.again_button.setText(self.tr("Check &again") if self._summary is not None or self._error is not None
                                  else self.tr("&Start"))

    @Slot()
    def _replay_selected(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.replay_requested.emit(selected[0])

    @Slot(QTreeWidgetItem, int)
    def _open_item(self, item: QTreeWidgetItem, _column: int) -> None:
        self.order_requested.emit(str(item.data(0, CODE_ROLE)))

    def summary_text(self) -> str:
        return self.summary.text() if self.summary.isVisibleTo(self) else ""

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Check all stuck payments — Zavera Desktop"))
        self._intro.setText(self.tr(
            "Asks the shop to check every stuck payment (the pending checkouts its dashboard lists, at most 50) with "
            "Midtrans, one at a time and at most one check per payment every 5 seconds. Payments Midtrans has are "
            "marked paid and appear in the list as usual."))
        self.items.setHeaderLabels([self.tr("Order"), self.tr("Outcome")])
        self.replay_button.setText(self.tr("&Replay notification…"))
        self.replay_button.setToolTip(self.tr("For a customer with proof of payment: replay the selected order's "
                                              "Midtrans notification"))
        self.cancel_button.setText(self.tr("Cancel the run"))
        self.close_button.setText(self.tr("Close"))
        if self._summary is not None:
            self._fill_items(self._summary.items)
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
