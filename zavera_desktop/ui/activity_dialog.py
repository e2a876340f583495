"""The activity log: what the app saw on the stream and what it noted itself, newest first.

Opened from the status bar. It reads the newest ``LOAD_LIMIT`` events from the store when it opens
(a bounded, indexed read) and then appends the live ``batch.activity`` of every batch while open.
Double-clicking a line that names an order selects that order in the main window.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.domain import ActivityItem
from zavera_desktop.store import Store
from zavera_desktop.ui import formatting

LOAD_LIMIT = 500
# the dialog keeps at most this many lines (the store keeps everything)
MAX_ROWS = 2000

_KIND_WORDS = {
    "payment_received": QT_TRANSLATE_NOOP("ActivityWords", "Payment received"),
    "order_created": QT_TRANSLATE_NOOP("ActivityWords", "Order created"),
    "payment_expired": QT_TRANSLATE_NOOP("ActivityWords", "Payment expired"),
    "shipment_update": QT_TRANSLATE_NOOP("ActivityWords", "Shipment update"),
    "stock_low": QT_TRANSLATE_NOOP("ActivityWords", "Stock low"),
    "refund_request": QT_TRANSLATE_NOOP("ActivityWords", "Refund request"),
    "dispute_created": QT_TRANSLATE_NOOP("ActivityWords", "Dispute"),
    "malformed": QT_TRANSLATE_NOOP("ActivityWords", "Unreadable event"),
    "unknown": QT_TRANSLATE_NOOP("ActivityWords", "Unknown event"),
    "error": QT_TRANSLATE_NOOP("ActivityWords", "Problem"),
    "warning": QT_TRANSLATE_NOOP("ActivityWords", "Warning"),
}


# lines the admin may need to act on stand out a little (the status bar's red, not an alarm)
_PROBLEM_KINDS = frozenset({"error", "malformed", "warning"})
PROBLEM_COLOR = "#c62828"


def kind_words(kind: str) -> str:
    text = _KIND_WORDS.get(kind)
    if text is None:
        return kind.replace("_", " ").capitalize()
    return QCoreApplication.translate("ActivityWords", text)


class ActivityDialog(QDialog):
    # the admin double-clicked a line about this order
    order_requested = Signal(str)

    def __init__(self, store: Store, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityDialog")
        self._store = store
        self._tz = tz
        self.resize(920, 520)

        self._intro = QLabel(self)
        self._intro.setWordWrap(True)
        self._search = QLineEdit(self)
        self._search.setClearButtonEnabled(True)
        self._search.textChanged.connect(self._apply_search)
        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnCount(4)
        self.tree.setStyleSheet("QTreeView::item { padding: 3px 4px; }")  # room to read, like the table
        header = self.tree.header()
        header.setStretchLastSection(True)
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemDoubleClicked.connect(self._on_double_click)
        self._buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self._buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addWidget(self._search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self._buttons)
        self.tree.setFocus()
        self.retranslate()

    def reload(self) -> None:
        """Read the newest events from the store (when the dialog opens)."""
        self.tree.clear()
        items = self._store.events(limit=LOAD_LIMIT)  # newest first
        self.tree.addTopLevelItems([self._item(a) for a in items])
        self._apply_search(self._search.text())

    def add_items(self, items: Iterable[ActivityItem]) -> None:
        """Live activity of a batch (oldest first within the batch); shown on top."""
        new = [self._item(a) for a in items]
        if not new:
            return
        new.reverse()
        self.tree.insertTopLevelItems(0, new)
        overflow = self.tree.topLevelItemCount() - MAX_ROWS
        for _ in range(max(0, overflow)):
            self.tree.takeTopLevelItem(self.tree.topLevelItemCount() - 1)
        term = self._search.text().strip().lower()
        if term:
            for it in new:
                it.setHidden(not self._matches(it, term))

    def row_count(self) -> int:
        return self.tree.topLevelItemCount()

    def row_texts(self, row: int) -> list[str]:
        item = self.tree.topLevelItem(row)
        return [item.text(c) for c in range(self.tree.columnCount())]

    def _item(self, a: ActivityItem) -> QTreeWidgetItem:
        item = QTreeWidgetItem([formatting.shop_time(a.at, self._tz), kind_words(a.kind), a.order_code or "",
                                a.message])
        item.setData(0, Qt.ItemDataRole.UserRole, a.order_code)
        item.setToolTip(3, a.message)
        if a.kind in _PROBLEM_KINDS:
            item.setForeground(1, QBrush(QColor(PROBLEM_COLOR)))
        return item

    @staticmethod
    def _matches(item: QTreeWidgetItem, term: str) -> bool:
        return any(term in item.text(c).lower() for c in range(4))

    @Slot(str)
    def _apply_search(self, text: str) -> None:
        term = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            it = self.tree.topLevelItem(i)
            it.setHidden(bool(term) and not self._matches(it, term))

    @Slot(QTreeWidgetItem, int)
    def _on_double_click(self, item: QTreeWidgetItem, _column: int) -> None:
        code = item.data(0, Qt.ItemDataRole.UserRole)
        if code:
            self.order_requested.emit(code)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Activity log"))
        self._intro.setText(self.tr("What the live stream announced and what the app noticed itself, newest "
                                    "first. Double-click a line with an order to open that order."))
        self._search.setPlaceholderText(self.tr("Filter the log…"))
        self.tree.setHeaderLabels([self.tr("Time"), self.tr("What"), self.tr("Order"), self.tr("Details")])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if self.tree.topLevelItemCount():
                self.reload()  # the "What" column is in words too
        super().changeEvent(event)
