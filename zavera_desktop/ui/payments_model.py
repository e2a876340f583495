"""The live payments table: a model that pages from the store and takes engine batches in one change.

Filtering and sorting happen in SQL (``store/queries.py``), not in a QSortFilterProxyModel: a proxy
needs every source row loaded, which at a million payments is the start-up and memory cost we must
not pay. The model holds only the rows the view has scrolled to, in order, each with its keyset
position (``PageCursor``); ``canFetchMore``/``fetchMore`` add the next page after the last one
(Qt's "Fetch More" pattern).

Live batches (``apply_batch``, on the GUI thread):

* **New payments** are asked back from the store *through the current filter*, so the same SQL
  decides "does it match" and "where does it sort" as for a page. Rows that sort inside the loaded
  part are merged in with **one** ``beginInsertRows``/``endInsertRows`` for the whole batch; rows that
  sort after it are left to a later page (unless everything is loaded, then they are appended).
  Sorted by time (the default) a batch lands as one block at the top. Sorted by anything else its
  rows may belong at several places; Qt can announce only one contiguous insert, so the model
  announces the batch's N rows at the first place, then moves the persistent indexes (selection,
  current row) of the rows in between to where those rows really went and repaints that span with
  one ``dataChanged``. That is reset-free and keeps the admin's selection on the same orders, at the
  cost of repainting a few rows; the alternative (one insert per place) would break "one model
  change per batch" and a reset would lose the selection and the scroll position.
* **Updated payments** (customer, paid_at, status filled in later) change their rows in place with
  one ``dataChanged``. A row whose sort key changed (paid_at filled in moves its time by a few
  seconds) stays where it is until the next reload, so rows never jump under the admin's pointer;
  likewise a row that stops matching the filter (marked read under "unread only") stays.
* **Read changes** flip unread dots in place.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cmp_to_key
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from zavera_desktop.domain import ChangeBatch, Payment, ReadChange
from zavera_desktop.store import Store
from zavera_desktop.store.queries import (
    PAGE_SIZE,
    KeyedPayment,
    PageCursor,
    PaymentFilter,
    SortKey,
    matching_rows,
    query_page,
    rows_by_code,
    rows_by_id,
)
from zavera_desktop.ui import formatting

COL_TIME, COL_ORDER, COL_CUSTOMER, COL_METHOD, COL_AMOUNT, COL_STATUS, COL_FOUND_BY, COL_UNREAD = range(8)
COLUMN_COUNT = 8
COLUMN_SORT: dict[int, SortKey] = {
    COL_TIME: SortKey.TIME,
    COL_ORDER: SortKey.ORDER_CODE,
    COL_CUSTOMER: SortKey.CUSTOMER,
    COL_METHOD: SortKey.METHOD,
    COL_AMOUNT: SortKey.AMOUNT,
    COL_STATUS: SortKey.STATUS,
    COL_FOUND_BY: SortKey.FOUND_BY,
    COL_UNREAD: SortKey.UNREAD,
}
SORT_COLUMN: dict[SortKey, int] = {key: col for col, key in COLUMN_SORT.items()}

#: ``data(index, UnreadRole)`` → bool; ``data(index, PaymentRole)`` → the row's ``Payment``.
UnreadRole = Qt.ItemDataRole.UserRole + 1
PaymentRole = Qt.ItemDataRole.UserRole + 2

#: Up to this many insertion places a batch is spliced into the row list in place.
_SPLICES = 32
#: ``row_of`` loads at most this many rows in one go to reach an order below the loaded part.
ROW_OF_LOAD_LIMIT = 10_000

_UNREAD_DOT = QColor("#1976d2")
_HEADERS = {
    COL_TIME: QT_TRANSLATE_NOOP("PaymentsModel", "Time"),
    COL_ORDER: QT_TRANSLATE_NOOP("PaymentsModel", "Order"),
    COL_CUSTOMER: QT_TRANSLATE_NOOP("PaymentsModel", "Customer"),
    COL_METHOD: QT_TRANSLATE_NOOP("PaymentsModel", "Method"),
    COL_AMOUNT: QT_TRANSLATE_NOOP("PaymentsModel", "Amount"),
    COL_STATUS: QT_TRANSLATE_NOOP("PaymentsModel", "Status"),
    COL_FOUND_BY: QT_TRANSLATE_NOOP("PaymentsModel", "Found by"),
    COL_UNREAD: QT_TRANSLATE_NOOP("PaymentsModel", "Unread"),
}
_INDEX = QModelIndex()


class PaymentsModel(QAbstractTableModel):
    """Stored payments through a ``PaymentFilter``, loaded page by page, kept live by engine batches."""

    COL_TIME, COL_ORDER, COL_CUSTOMER, COL_METHOD = COL_TIME, COL_ORDER, COL_CUSTOMER, COL_METHOD
    COL_AMOUNT, COL_STATUS, COL_FOUND_BY, COL_UNREAD = COL_AMOUNT, COL_STATUS, COL_FOUND_BY, COL_UNREAD
    UnreadRole, PaymentRole = UnreadRole, PaymentRole

    def __init__(self, store: Store, tz: ZoneInfo, parent: QObject | None = None, *,
                 page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._store = store
        self._tz = tz
        self._page_size = page_size
        self._filter = PaymentFilter()
        self._rows: list[Payment] = []
        # each row's place in the sort *as loaded*; stays sorted, so bisect finds rows and places
        self._keys: list[PageCursor] = []
        self._ids: set[int] = set()
        self._cursor: PageCursor | None = None  # after the last row a page brought
        self._more = False
        self._bold: QFont | None = None
        self._dot: QPixmap | None = None
        self._load_first_page()

    # --- the filter -----------------------------------------------------------------------------

    def filter(self) -> PaymentFilter:
        return self._filter

    def set_filter(self, flt: PaymentFilter) -> None:
        """Show ``flt`` from its first page (always re-reads, so it also serves as "reload")."""
        self.beginResetModel()
        try:
            self._filter = flt
            self._load_first_page()
        finally:
            self.endResetModel()

    def reload(self) -> None:
        self.set_filter(self._filter)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is SQL-side: a new first page in the new order (no-op if the order is unchanged)."""
        key = COLUMN_SORT.get(column)
        if key is None:
            return
        flt = self._filter.sorted_by(key, order == Qt.SortOrder.DescendingOrder)
        if flt != self._filter:
            self.set_filter(flt)

    def sort_column(self) -> int:
        return SORT_COLUMN[self._filter.sort]

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._filter.descending else Qt.SortOrder.AscendingOrder

    # --- Qt model interface ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> int:
        return 0 if parent.isValid() else COLUMN_COUNT

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if section == COL_UNREAD else self._header(section)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._header(section)
        return None

    def _header(self, section: int) -> str | None:
        # translated on every call (cheap), so a language switch shows at the next repaint
        word = _HEADERS.get(section)
        return QCoreApplication.translate("PaymentsModel", word) if word else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or row >= len(self._rows):
            return None
        p = self._rows[row]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(p, col)
        if role == UnreadRole:
            return not p.read
        if role == PaymentRole:
            return p
        if role == Qt.ItemDataRole.DecorationRole:
            return self._unread_dot() if col == COL_UNREAD and not p.read else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold_font() if not p.read else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == COL_AMOUNT:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(p, col)
        if role == Qt.ItemDataRole.AccessibleTextRole and col == COL_UNREAD:
            return self.tr("Unread") if not p.read else self.tr("Read")
        return None

    def _display(self, p: Payment, col: int) -> str:
        if col == COL_TIME:
            return formatting.shop_time(p.paid_at or p.detected_at, self._tz)
        if col == COL_ORDER:
            return p.order_code
        if col == COL_CUSTOMER:
            return p.customer or ""
        if col == COL_METHOD:
            return formatting.method_text(p.payment_method)
        if col == COL_AMOUNT:
            return formatting.money(p.amount)
        if col == COL_STATUS:
            return formatting.status_text(p.order_status)
        if col == COL_FOUND_BY:
            return formatting.found_by_text(p.detected_by)
        return ""

    def _tooltip(self, p: Payment, col: int) -> str | None:
        if col == COL_TIME:
            paid = formatting.shop_time(p.paid_at, self._tz)
            seen = formatting.shop_time(p.detected_at, self._tz)
            return self.tr("Paid (shop): %1\nDetected here: %2").replace("%1", paid).replace("%2", seen)
        if col == COL_UNREAD:
            return self.tr("Unread") if not p.read else None
        return None

    def _bold_font(self) -> QFont:
        if self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        return self._bold

    def _unread_dot(self) -> QPixmap:
        if self._dot is None:  # made on first paint: a pixmap needs the QGuiApplication
            size = 10
            self._dot = QPixmap(size, size)
            self._dot.fill(Qt.GlobalColor.transparent)
            painter = QPainter(self._dot)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_UNREAD_DOT)
            painter.drawEllipse(1, 1, size - 2, size - 2)
            painter.end()
        return self._dot

    # --- paging ---------------------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _INDEX) -> None:
        if parent.isValid() or not self._more:
            return
        page = query_page(self._store, self._filter, self._tz, after=self._cursor, limit=self._page_size)
        self._more = page.more
        if page.rows:
            self._cursor = page.next_cursor
        self._append(page.rows)

    def _load_first_page(self) -> None:
        self._rows, self._keys, self._ids = [], [], set()
        self._cursor, self._more = None, False
        page = query_page(self._store, self._filter, self._tz, limit=self._page_size)
        self._rows = [r.payment for r in page.rows]
        self._keys = [r.cursor for r in page.rows]
        self._ids = {r.cursor.id for r in page.rows}
        self._cursor = page.next_cursor
        self._more = page.more

    def _append(self, rows: Sequence[KeyedPayment]) -> None:
        # a live insert may already hold a row a page brings again (its sort key changed since)
        fresh = [r for r in rows if r.cursor.id not in self._ids]
        if not fresh:
            return
        first = len(self._rows)
        self.beginInsertRows(_INDEX, first, first + len(fresh) - 1)
        self._rows.extend(r.payment for r in fresh)
        self._keys.extend(r.cursor for r in fresh)
        self._ids.update(r.cursor.id for r in fresh)
        self.endInsertRows()

    # --- rows -----------------------------------------------------------------------------------

    def payment_at(self, row: int) -> Payment | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, order_code: str) -> int | None:
        """The row showing ``order_code``, loading rows down to it if it lies below the loaded part.

        None when the order is not stored, does not match the current filter, or lies more than
        ``ROW_OF_LOAD_LIMIT`` rows further down (then show it with ``PaymentFilter(order_codes=…)``).
        """
        found = rows_by_code(self._store, self._filter.sort, [order_code])
        if not found:
            return None
        target = found[0]
        if target.cursor.id in self._ids:
            return self._find(target.cursor)
        if not matching_rows(self._store, self._filter, self._tz, [target.cursor.id]):
            return None
        if not self._more or self._before(target.cursor, self._cursor):
            # it belongs in the loaded part (it matches only since a change): place it like a live row
            self._insert_rows([target])
            return self._find(target.cursor)
        page = query_page(self._store, self._filter, self._tz, after=self._cursor, until=target.cursor,
                          limit=ROW_OF_LOAD_LIMIT)
        if not page.rows or page.rows[-1].cursor.id != target.cursor.id:
            return None  # too far down to load in one go
        self._cursor = page.next_cursor  # rows may follow the target: _more stays True
        self._append(page.rows)
        return self._find(target.cursor)

    def _before(self, a: PageCursor, b: PageCursor | None) -> bool:
        """Whether row position ``a`` sorts before ``b`` in the current order (None: the end)."""
        if b is None:
            return True
        if self._filter.descending:
            return (a.key, a.id) > (b.key, b.id)
        return (a.key, a.id) < (b.key, b.id)

    def _insertion_point(self, cursor: PageCursor) -> int:
        lo, hi = 0, len(self._keys)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._before(self._keys[mid], cursor):
                lo = mid + 1
            else:
                hi = mid
        return lo

    def _find(self, cursor: PageCursor) -> int | None:
        """The row of a loaded payment given its current sort position."""
        at = self._insertion_point(cursor)
        if at < len(self._keys) and self._keys[at].id == cursor.id:
            return at
        # its sort key changed after it was loaded (it stayed where it was): look for the id
        return next((i for i, p in enumerate(self._rows) if p.id == cursor.id), None)

    # --- live batches ---------------------------------------------------------------------------

    def apply_batch(self, batch: ChangeBatch) -> None:
        """Apply one engine batch: at most one insert, one in-place update and one read-flag change."""
        if batch.new_payments:
            ids = [p.id for p in batch.new_payments if p.id is not None and p.id not in self._ids]
            if ids:
                self._insert_rows(matching_rows(self._store, self._filter, self._tz, ids))
        if batch.updated_payments:
            self._update_rows(batch.updated_payments)
        if batch.read_change is not None:
            self._apply_read(batch.read_change)

    def _insert_rows(self, candidates: Iterable[KeyedPayment]) -> None:
        # rows sorting below the loaded part wait for their page, unless there is no page left
        placed = [r for r in candidates
                  if r.cursor.id not in self._ids and (not self._more or self._before(r.cursor, self._cursor))]
        if not placed:
            return
        placed.sort(key=cmp_to_key(lambda a, b: -1 if self._before(a.cursor, b.cursor) else 1))
        points = [self._insertion_point(r.cursor) for r in placed]  # non-decreasing, in old rows
        n = len(placed)
        first = points[0]
        groups: dict[int, list[KeyedPayment]] = {}
        for point, r in zip(points, placed, strict=True):
            groups.setdefault(point, []).append(r)

        self.beginInsertRows(_INDEX, first, first + n - 1)
        if len(groups) <= _SPLICES:
            # a few places (sorted by time: one, the top): splice in place, from the last place up
            for point, group in reversed(groups.items()):
                self._rows[point:point] = [r.payment for r in group]
                self._keys[point:point] = [r.cursor for r in group]
        else:  # many places: one pass building new lists beats a memmove per place
            rows: list[list[Payment]] = []
            keys: list[list[PageCursor]] = []
            prev = 0
            for point, group in groups.items():
                rows += [self._rows[prev:point], [r.payment for r in group]]
                keys += [self._keys[prev:point], [r.cursor for r in group]]
                prev = point
            rows.append(self._rows[prev:])
            keys.append(self._keys[prev:])
            self._rows = list(chain.from_iterable(rows))
            self._keys = list(chain.from_iterable(keys))
        self._ids.update(r.cursor.id for r in placed)
        if not self._more:
            self._cursor = self._keys[-1]
        self.endInsertRows()

        last = points[-1] + n - 1  # where the last new row really is
        if last > first + n - 1:
            # Qt moved every old row at or after `first` down by n; those before the last insertion
            # point moved by fewer. Put their persistent indexes (selection, current) where they are.
            self._fix_persistent(first, points, n)
            self.dataChanged.emit(self.index(first + n, 0), self.index(last, COLUMN_COUNT - 1))

    def _fix_persistent(self, first: int, points: list[int], n: int) -> None:
        old_end = points[-1]
        moved_from: list[QModelIndex] = []
        moved_to: list[QModelIndex] = []
        for index in self.persistentIndexList():
            old = index.row() - n
            if first <= old < old_end:
                new = old + bisect.bisect_right(points, old)
                moved_from.append(index)
                moved_to.append(self.index(new, index.column()))
        if moved_from:
            self.changePersistentIndexList(moved_from, moved_to)

    def _update_rows(self, payments: Sequence[Payment]) -> None:
        ids = [p.id for p in payments if p.id is not None and p.id in self._ids]
        if not ids:
            return
        changed: list[int] = []
        for current in rows_by_id(self._store, self._filter.sort, ids):  # fresher than the batch's copy
            row = self._find(current.cursor)
            if row is not None:
                self._rows[row] = current.payment
                changed.append(row)
        self._emit_rows_changed(changed)

    def _apply_read(self, change: ReadChange) -> None:
        changed: list[int] = []
        if change.order_codes is None:
            for row, p in enumerate(self._rows):
                if p.read != change.read:
                    self._rows[row] = replace(p, read=change.read)
                    changed.append(row)
        else:
            for current in rows_by_code(self._store, self._filter.sort, change.order_codes):
                if current.cursor.id not in self._ids:
                    continue
                row = self._find(current.cursor)
                if row is not None and self._rows[row].read != change.read:
                    self._rows[row] = replace(self._rows[row], read=change.read)
                    changed.append(row)
        self._emit_rows_changed(changed)

    def _emit_rows_changed(self, rows: list[int]) -> None:
        if rows:
            # one signal for the span: views repaint only what is visible of it
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), COLUMN_COUNT - 1))


# --- the view ------------------------------------------------------------------------------------

#: Starting widths in average characters; the admin may resize (Interactive), nothing is measured.
_COLUMN_CHARS = {COL_TIME: 19, COL_ORDER: 23, COL_CUSTOMER: 22, COL_METHOD: 13, COL_AMOUNT: 14, COL_STATUS: 11,
                 COL_FOUND_BY: 14}


def configure_payments_view(view: QTableView) -> None:
    """Set up a table view for ``PaymentsModel`` so that nothing scales with the row count.

    Fixed row height (no per-row size hints), column widths from font metrics instead of
    ResizeToContents (which would measure rows), the customer column takes the spare width, and the
    sort indicator starts on time, newest first (the model's default, so enabling sorting costs no
    reload).
    """
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.setShowGrid(False)
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 10)
    rows.hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    char = view.fontMetrics().averageCharWidth()
    for column, chars in _COLUMN_CHARS.items():
        view.setColumnWidth(column, chars * char + 16)
    view.setColumnWidth(COL_UNREAD, 28)
    header.setSectionResizeMode(COL_CUSTOMER, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(COL_UNREAD, QHeaderView.ResizeMode.Fixed)
    model = view.model()
    if isinstance(model, PaymentsModel):
        header.setSortIndicator(model.sort_column(), model.sort_order())
    else:
        header.setSortIndicator(COL_TIME, Qt.SortOrder.DescendingOrder)
    view.setSortingEnabled(True)


class PaymentsView(QTableView):
    """A ``QTableView`` already set up by ``configure_payments_view`` when its model is set."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentsTable")
        self.setAlternatingRowColors(True)

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        if model is not None:
            configure_payments_view(self)
