"""The Actions view: the audit log of admin actions (status checks, "check all stuck", webhook replays, and
the payment-health confirmations), filterable, newest first, with "Replay again".

Rows come from ``store/audit.py`` in keyset pages (``before_id``): the model loads the first page and
the next as the admin scrolls (``canFetchMore``/``fetchMore``), so a long history costs what a short one
does. Reads only, on the GUI thread (SQLite in WAL mode: the engine's writes never wait for them).

New rows appear by themselves: while the view is open it asks for the newest id every
``REFRESH_MS`` (one indexed read), and the window calls ``refresh()`` right after an action of its own.
What is shown never holds a secret: the audit log has none, and a replay's signature is masked
(``AuditEntry.shown_request``).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.store import Store
from zavera_desktop.store.audit import PAGE_SIZE, AuditEntry, AuditFilter, count_actions, read_actions
from zavera_desktop.ui import action_words, formatting

log = logging.getLogger(__name__)

REFRESH_MS = 2000
SEARCH_DEBOUNCE_MS = 250
PERIODS = ("any", "today", "week", "month")

_INDEX = QModelIndex()
Index = QModelIndex | QPersistentModelIndex


class AuditModel(QAbstractTableModel):
    """The audit log under one filter, newest first, paged by id."""

    COL_TIME, COL_ACTOR, COL_ACTION, COL_ORDER, COL_OUTCOME = range(5)

    def __init__(self, store: Store, tz: ZoneInfo, parent: Any = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._store = store
        self._tz = tz
        self._page = page_size
        self._filter = AuditFilter()
        self._rows: list[AuditEntry] = []
        # the outcome in words per row, short (the column) and whole (tooltip, details): made once, not per paint
        self._words: list[tuple[str, str]] = []
        self._more = False

    # --- loading ----------------------------------------------------------------------------------

    @property
    def filter(self) -> AuditFilter:
        return self._filter

    def set_filter(self, flt: AuditFilter) -> None:
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        rows = read_actions(self._store, self._filter, limit=self._page)
        self._rows = rows
        self._words = [_words(e) for e in rows]
        self._more = len(rows) == self._page
        self.endResetModel()

    def canFetchMore(self, parent: Index = _INDEX) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = _INDEX) -> None:
        if parent.isValid() or not self._more or not self._rows:
            return
        page = read_actions(self._store, self._filter, limit=self._page, before_id=self._rows[-1].id)
        self._more = len(page) == self._page
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(_INDEX, first, first + len(page) - 1)
        self._rows.extend(page)
        self._words.extend(_words(e) for e in page)
        self.endInsertRows()

    def refresh_new(self) -> int:
        """Rows recorded since the last read go on top; returns how many."""
        top = self._rows[0].id if self._rows else 0
        newest = read_actions(self._store, self._filter, limit=self._page)
        new = [e for e in newest if e.id > top]
        if not new:
            return 0
        if not self._rows or len(new) == self._page:  # a whole page is new: the gap cannot be seen, start over
            self.reload()
            return len(new)
        self.beginInsertRows(_INDEX, 0, len(new) - 1)
        self._rows[0:0] = new
        self._words[0:0] = [_words(e) for e in new]
        self.endInsertRows()
        return len(new)

    def retranslate(self) -> None:
        self._words = [_words(e) for e in self._rows]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, self.COL_OUTCOME))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COL_OUTCOME)

    # --- the model --------------------------------------------------------------------------------

    def entry_at(self, row: int) -> AuditEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def outcome_at(self, row: int) -> str:
        """The outcome's whole sentence."""
        return self._words[row][1] if 0 <= row < len(self._words) else ""

    def rowCount(self, parent: Index = _INDEX) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _INDEX) -> int:
        return 0 if parent.isValid() else 5

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == self.COL_TIME:
                return formatting.shop_time(entry.at, self._tz)
            if column == self.COL_ACTOR:
                return entry.actor
            if column == self.COL_ACTION:
                return action_words.action_name(entry.action)
            if column == self.COL_ORDER:
                return entry.order_code or "—"
            if column == self.COL_OUTCOME:
                short, whole = self._words[index.row()]
                return whole if role == Qt.ItemDataRole.ToolTipRole else short
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_OUTCOME:
            if entry.outcome in ("error", "rejected"):
                return QColor("#b00020")
            if entry.outcome == "paid":
                return QColor("#1b7f3b")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        names = (self.tr("When"), self.tr("Admin"), self.tr("Action"), self.tr("Order"), self.tr("Outcome"))
        return names[section] if 0 <= section < len(names) else None


class ActionsView(QDialog):
    """``ActionsView(store, tz)``; ``show()``. Double-click or "Show order" asks the window for the order."""

    # "Replay again" for an audited replay: (audit entry id, order code)
    replay_again_requested = Signal(int, str)
    order_requested = Signal(str)

    def __init__(self, store: Store, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionsView")
        self._store = store
        self._tz = tz
        self.resize(1040, 620)
        self.model = AuditModel(store, tz, self)

        self._intro = QLabel(self)
        self._intro.setWordWrap(True)
        self._intro.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.order_filter = QLineEdit(self)
        self.order_filter.setObjectName("auditOrderFilter")
        self.order_filter.setClearButtonEnabled(True)
        self.action_filter = QComboBox(self)
        self.action_filter.setObjectName("auditActionFilter")
        self.outcome_filter = QComboBox(self)
        self.outcome_filter.setObjectName("auditOutcomeFilter")
        self.actor_filter = QLineEdit(self)
        self.actor_filter.setObjectName("auditActorFilter")
        self.actor_filter.setClearButtonEnabled(True)
        self.period_filter = QComboBox(self)
        self.period_filter.setObjectName("auditPeriodFilter")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("auditCount")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        for edit in (self.order_filter, self.actor_filter):
            edit.textChanged.connect(self._debounce.start)
            edit.returnPressed.connect(self.apply_filter)
        for combo in (self.action_filter, self.outcome_filter, self.period_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self.apply_filter)
        filters = QHBoxLayout()
        filters.addWidget(self.order_filter, 2)
        filters.addWidget(self.action_filter)
        filters.addWidget(self.outcome_filter)
        filters.addWidget(self.period_filter)
        filters.addWidget(self.actor_filter, 1)
        filters.addStretch(0)
        filters.addWidget(self.count_label)

        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        self.table.setColumnWidth(AuditModel.COL_ACTOR, 180)
        self.table.selectionModel().currentRowChanged.connect(self._show_details)
        self.table.doubleClicked.connect(self._open_order)

        self.details = QPlainTextEdit(self)
        self.details.setObjectName("auditDetails")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        self.replay_button = QPushButton(self)
        self.replay_button.setObjectName("replayAgainButton")
        self.replay_button.setAutoDefault(False)
        self.replay_button.clicked.connect(self._replay_again)
        self.order_button = QPushButton(self)
        self.order_button.setObjectName("showOrderButton")
        self.order_button.setAutoDefault(False)
        self.order_button.clicked.connect(self._show_order)
        self.close_button = QPushButton(self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.replay_button)
        buttons.addWidget(self.order_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._building = True
        self._retranslate()
        self._building = False
        self.apply_filter()

    # --- public -------------------------------------------------------------------------------------

    def current_filter(self) -> AuditFilter:
        actions = self.action_filter.currentData()
        outcomes = self.outcome_filter.currentData()
        return AuditFilter(order_code=self.order_filter.text().strip() or None,
                           actions=(actions,) if actions else (), outcomes=(outcomes,) if outcomes else (),
                           actor=self.actor_filter.text().strip() or None, since=self._since())

    def _since(self) -> datetime | None:
        period = PERIODS[max(0, self.period_filter.currentIndex())]
        if period == "any":
            return None
        now = datetime.now(UTC).astimezone(self._tz)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        days = {"today": 0, "week": 6, "month": 29}[period]
        return (midnight - timedelta(days=days)).astimezone(UTC)

    @Slot()
    def apply_filter(self) -> None:
        if self._building:
            return
        self._debounce.stop()
        keep = self.selected_entry()
        self.model.set_filter(self.current_filter())
        self._update_count()
        if keep is not None:
            self.select_entry(keep.id)
        self._show_details()

    @Slot()
    def refresh(self) -> None:
        """Show actions recorded since the last look (the timer, or the window after an action)."""
        keep = self.selected_entry()
        if self.model.refresh_new():
            if keep is not None and self.selected_entry() is None:
                self.select_entry(keep.id)  # a reset (a whole page was new) drops the selection
            self._update_count()
            self._show_details()

    def select_entry(self, action_id: int) -> bool:
        for row in range(self.model.rowCount()):
            entry = self.model.entry_at(row)
            if entry is not None and entry.id == action_id:
                self.table.selectRow(row)
                return True
        return False

    def selected_entry(self) -> AuditEntry | None:
        index = self.table.selectionModel().currentIndex() if self.table.selectionModel() else QModelIndex()
        return self.model.entry_at(index.row()) if index.isValid() else None

    # --- the selected row --------------------------------------------------------------------------------

    def _update_count(self) -> None:
        n = count_actions(self._store, self.model.filter)
        self.count_label.setText(self.tr("%n actions", "", n))

    @Slot()
    def _show_details(self, *_args: Any) -> None:
        entry = self.selected_entry()
        self.replay_button.setEnabled(entry is not None and entry.replayable and bool(entry.order_code))
        self.order_button.setEnabled(entry is not None and bool(entry.order_code))
        if entry is None:
            self.details.setPlainText(self.tr("Select an action to see what was asked and what came back."))
            return
        row = self.table.selectionModel().currentIndex().row()
        parts = [
            f"{action_words.action_name(entry.action)} · {entry.order_code or '—'} · "
            f"{formatting.shop_time(entry.at, self._tz)} · {entry.actor}",
            self.model.outcome_at(row),
            "",
            self.tr("Request (no secrets are ever stored; a notification's signature is hidden):"),
            _pretty(entry.shown_request),
            "",
            self.tr("Response:"),
            _pretty(entry.response),
        ]
        self.details.setPlainText("\n".join(parts))

    @Slot()
    def _replay_again(self) -> None:
        entry = self.selected_entry()
        if entry is not None and entry.replayable and entry.order_code:
            self.replay_again_requested.emit(entry.id, entry.order_code)

    @Slot()
    def _show_order(self) -> None:
        entry = self.selected_entry()
        if entry is not None and entry.order_code:
            self.order_requested.emit(entry.order_code)

    @Slot(QModelIndex)
    def _open_order(self, index: QModelIndex) -> None:
        entry = self.model.entry_at(index.row())
        if entry is not None and entry.order_code:
            self.order_requested.emit(entry.order_code)

    # --- showing, language ---------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        self.refresh()
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Actions log — Zavera Desktop"))
        self._intro.setText(self.tr("Every status check, check of all stuck payments and webhook replay made from "
                                    "this computer (window and command line), newest first. Double-click a row to "
                                    "see its order."))
        self.order_filter.setPlaceholderText(self.tr("Order code"))
        self.actor_filter.setPlaceholderText(self.tr("Admin e-mail"))
        _fill(self.action_filter, [("", self.tr("All actions")), *action_words.action_names()])
        _fill(self.outcome_filter, [("", self.tr("All outcomes")), *action_words.kind_names()])
        _fill(self.period_filter, list(zip(PERIODS, [self.tr("Any time"), self.tr("Today"), self.tr("Last 7 days"),
                                                     self.tr("Last 30 days")], strict=True)))
        self.replay_button.setText(self.tr("&Replay again…"))
        self.replay_button.setToolTip(self.tr("Send this replay's notification again, exactly as it was sent"))
        self.order_button.setText(self.tr("Show &order"))
        self.close_button.setText(self.tr("Close"))
        self.model.retranslate()
        self._fit_columns()
        self._update_count()
        self._show_details()

    def _fit_columns(self) -> None:
        """Time, action and order columns as wide as their longest words (measured on samples, not rows)."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader().fontMetrics()
        samples = {
            AuditModel.COL_TIME: ["2026-12-31 23:59:59"],
            AuditModel.COL_ACTION: [words for _, words in action_words.action_names()],
            AuditModel.COL_ORDER: ["ZVR-00000000-DDDDDDDD"],
        }
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max([metrics.horizontalAdvance(t) for t in texts] + [header.horizontalAdvance(title)])
            self.table.setColumnWidth(column, widest + 20)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


def _words(entry: AuditEntry) -> tuple[str, str]:
    return action_words.audit_outcome_short(entry), action_words.audit_outcome(entry)


def _fill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
    index = max(0, combo.currentIndex())
    combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(min(index, combo.count() - 1))
    combo.blockSignals(False)


def _pretty(value: dict[str, Any] | None) -> str:
    if value is None:
        return "—"
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False, default=str)
