"""The main window: header, filter bar, live table, detail panel, status bar, menus, tray.

It is where the pieces meet. Each engine batch (from the bridge, on the GUI thread) goes to the
table model first (one insert), then the notifier, then the header totals, the unread count,
the status bar and the tray, the detail panel and the activity log.

Closing the window keeps the app running in the tray (said once); where no tray exists, closing
quits, and the app says why once. Quitting is always an explicit ``quit_requested``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QFont, QFontMetrics, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.config import EngineSettings
from zavera_desktop.domain import ChangeBatch, ConnectionState, ConnectionStatus, DetectedBy, Payment
from zavera_desktop.engine import Engine, EngineNotRunning
from zavera_desktop.store import Store, queries
from zavera_desktop.ui import formatting
from zavera_desktop.ui.activity_dialog import ActivityDialog
from zavera_desktop.ui.admin_actions import AdminActionsUi
from zavera_desktop.ui.banner import NotificationBanner
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.detail_panel import DetailPanel
from zavera_desktop.ui.header import Header
from zavera_desktop.ui.health_panel import HealthBadge, HealthPanel
from zavera_desktop.ui.notifier import Notifier
from zavera_desktop.ui.payment_filters import PaymentFilter
from zavera_desktop.ui.payments_model import PaymentsModel, PaymentsView
from zavera_desktop.ui.settings import AppSettings
from zavera_desktop.ui.status_bar import StatusBar
from zavera_desktop.ui.tray import TrayIcon

log = logging.getLogger(__name__)

# a row selected this long (window active) counts as read, like a mail client
READ_AFTER_MS = 2000
# the header re-reads the whole day this often (and at midnight); batches update it in between
SUMMARY_REFRESH_MS = 5 * 60 * 1000
SEARCH_DEBOUNCE_MS = 250

# status filter choices → order statuses (PaymentFilter.statuses)
STATUS_CHOICES: list[tuple[str, frozenset[str]]] = [
    ("any", frozenset()),
    ("paid", frozenset({"PAID"})),
    ("fulfilment", frozenset({"PROCESSING", "PACKING", "SHIPPED", "DELIVERED", "COMPLETED"})),
    ("refunded", frozenset({"REFUNDED"})),
]
DATE_CHOICES = ("any", "today", "yesterday", "week", "month", "custom")


class FilterBar(QWidget):
    """Search, status, found-by, date range and "unread only"; emits a new ``PaymentFilter``."""

    changed = Signal(object)

    def __init__(self, tz: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self._tz = tz
        self._codes: frozenset[str] | None = None

        self.search = QLineEdit(self)
        self.search.setObjectName("searchEdit")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._emit_now)
        self._short_note = QLabel(self)
        self._short_note.setForegroundRole(self._short_note.foregroundRole())
        self._short_note.hide()

        self.status = QComboBox(self)
        self.status.setObjectName("statusFilter")
        self.found_by = QComboBox(self)
        self.found_by.setObjectName("foundByFilter")
        self.dates = QComboBox(self)
        self.dates.setObjectName("dateFilter")
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd-MM-yyyy")
            edit.setDate(QDate.currentDate())
            edit.hide()
            edit.dateChanged.connect(self._emit)
        self.unread = QCheckBox(self)
        self.unread.setObjectName("unreadOnly")
        for combo in (self.status, self.found_by, self.dates):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._emit)
        self.dates.currentIndexChanged.connect(self._dates_changed)
        self.unread.toggled.connect(self._emit)

        # "Showing the 5 orders of a notification ✕"
        self._codes_label = QLabel(self)
        self._codes_label.setObjectName("codesFilterNote")
        self._codes_clear = QToolButton(self)
        self._codes_clear.setAutoRaise(True)
        self._codes_clear.clicked.connect(self.clear_codes)
        self._codes_label.hide()
        self._codes_clear.hide()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.setSpacing(8)
        layout.addWidget(self.search, 2)
        layout.addWidget(self._short_note)
        layout.addWidget(self.status)
        layout.addWidget(self.found_by)
        layout.addWidget(self.dates)
        layout.addWidget(self.date_from)
        layout.addWidget(self.date_to)
        layout.addWidget(self.unread)
        layout.addWidget(self._codes_label)
        layout.addWidget(self._codes_clear)
        layout.addStretch(1)
        self.extra = QHBoxLayout()  # the window's buttons (mark all read, export)
        self.extra.setSpacing(6)
        layout.addLayout(self.extra)
        self._building = True
        self.retranslate()
        self._building = False

    # --- the filter ---------------------------------------------------------------------------------

    def current(self) -> PaymentFilter:
        statuses = STATUS_CHOICES[max(0, self.status.currentIndex())][1]
        found = self.found_by.currentData()
        date_from, date_to = self._date_range()
        flt = PaymentFilter(
            search=self.search.text().strip(), statuses=statuses,
            found_by=frozenset({DetectedBy(found)}) if found else frozenset(),
            date_from=date_from, date_to=date_to, unread_only=self.unread.isChecked(), order_codes=self._codes,
        )
        return flt

    def _date_range(self) -> tuple[date | None, date | None]:
        choice = DATE_CHOICES[max(0, self.dates.currentIndex())]
        today = datetime.now(UTC).astimezone(self._tz).date()
        if choice == "today":
            return today, today
        if choice == "yesterday":
            return today - timedelta(days=1), today - timedelta(days=1)
        if choice == "week":
            return today - timedelta(days=6), today
        if choice == "month":
            return today - timedelta(days=29), today
        if choice == "custom":
            a, b = self.date_from.date().toPython(), self.date_to.date().toPython()
            return (a, b) if a <= b else (b, a)
        return None, None

    def show_codes(self, codes: Sequence[str]) -> None:
        """Show exactly these orders (a notification summary was clicked); other filters are cleared."""
        self._reset_to(frozenset(codes))

    @Slot()
    def clear_codes(self) -> None:
        self._codes = None
        self._show_codes_note()
        self._emit_now()

    def reset(self) -> None:
        """Everything visible again (used to find an order hidden by the filters)."""
        self._reset_to(None)

    def _reset_to(self, codes: frozenset[str] | None) -> None:
        self._codes = codes
        self._building = True
        try:
            self.search.clear()
            self.status.setCurrentIndex(0)
            self.found_by.setCurrentIndex(0)
            self.dates.setCurrentIndex(0)
            self.unread.setChecked(False)
        finally:
            self._building = False
        self._show_codes_note()
        self._emit_now()

    def is_default(self) -> bool:
        f = self.current()
        return not (f.search_term or f.statuses or f.found_by or f.date_from or f.date_to or f.unread_only
                    or f.order_codes is not None)

    def _show_codes_note(self) -> None:
        visible = self._codes is not None
        if visible:
            self._codes_label.setText(self.tr("Showing %1 orders from a notification").replace(
                "%1", str(len(self._codes or ()))))
        self._codes_label.setVisible(visible)
        self._codes_clear.setVisible(visible)

    @Slot()
    def _dates_changed(self) -> None:
        custom = DATE_CHOICES[max(0, self.dates.currentIndex())] == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)

    @Slot()
    def _emit_now(self) -> None:
        self._debounce.stop()
        self._emit()

    @Slot()
    def _emit(self) -> None:
        if self._building:
            return
        self._debounce.stop()
        flt = self.current()
        self._short_note.setVisible(flt.search_is_bounded)
        self.changed.emit(flt)

    # --- language -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        building, self._building = self._building, True
        try:
            self.search.setPlaceholderText(self.tr("Search order code or customer"))
            self._short_note.setText(self.tr("newest payments only"))
            self._short_note.setToolTip(self.tr("A search of one or two letters looks at the newest payments only; "
                                                "type three or more to search everything."))
            self._fill(self.status, [self.tr("All statuses"), self.tr("Paid"), self.tr("Being fulfilled"),
                                     self.tr("Refunded")], [c for c, _ in STATUS_CHOICES])
            self._fill(self.found_by, [self.tr("All sources"), self.tr("Live stream"),
                                       self.tr("Reconcile"), self.tr("Status check"), self.tr("Replay")],
                       ["", DetectedBy.STREAM.value, DetectedBy.RECONCILE.value, DetectedBy.VERIFY.value,
                        DetectedBy.REPLAY.value])
            self.found_by.setToolTip(self.tr("Which source saw the payment first"))
            self._fill(self.dates, [self.tr("Any date"), self.tr("Today"), self.tr("Yesterday"),
                                    self.tr("Last 7 days"), self.tr("Last 30 days"), self.tr("Date range…")],
                       list(DATE_CHOICES))
            self.date_from.setToolTip(self.tr("From (shop date)"))
            self.date_to.setToolTip(self.tr("To (shop date)"))
            self.unread.setText(self.tr("Unread only"))
            self._codes_clear.setText("✕")
            self._codes_clear.setToolTip(self.tr("Show all payments again"))
            self._show_codes_note()
        finally:
            self._building = building

    @staticmethod
    def _fill(combo: QComboBox, texts: list[str], data: list[str]) -> None:
        index = max(0, combo.currentIndex())
        combo.blockSignals(True)
        combo.clear()
        for text, value in zip(texts, data, strict=True):
            combo.addItem(text, value)
        combo.setCurrentIndex(min(index, combo.count() - 1))
        combo.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class MainWindow(QMainWindow):
    # Quit was chosen (menu, tray, or closing where there is no tray)
    quit_requested = Signal()
    # a CSV export finished: (rows, path)
    export_finished = Signal(int, str)

    def __init__(self, *, engine: Engine, store: Store, bridge: EngineBridge, settings: AppSettings,
                 engine_settings: EngineSettings, actor: str, persist: bool = True, demo: bool = False,
                 tray_available: Callable[[], bool] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.engine = engine
        self.store = store
        self.bridge = bridge
        self.settings = settings
        self.engine_settings = engine_settings
        self.tz = engine_settings.zone
        self.actor = actor
        self.persist = persist
        self.demo = demo
        self._quitting = False
        # the window shows before the engine starts: say "Connecting…" rather than "Stopped"
        self._status = engine.status if engine.running else ConnectionStatus(ConnectionState.CONNECTING)
        self.unread = 0
        self._activity: ActivityDialog | None = None
        self._read_code: str | None = None
        self._export_job: Any = None
        self._login_dialog: Any = None

        # --- widgets ---
        self.banner = NotificationBanner(self)
        self.header = Header(self.tz, self)
        self.filter_bar = FilterBar(self.tz, self)
        self.model = PaymentsModel(store, self.tz, self)
        self.table = self._make_table()
        self.detail = DetailPanel(engine, store, bridge, self.tz, actor, self)
        # no closure over self anywhere the window keeps it: a cycle would be freed by the GC on any thread
        self.status_bar = StatusBar(engine_settings.poll_interval, functools.partial(getattr, engine, "last_event_at"),
                                    self)
        self.setStatusBar(self.status_bar)

        self._mark_all = QToolButton(self)
        self._mark_all.setObjectName("markAllReadButton")
        self._mark_all.clicked.connect(self.mark_all_read)
        self._export = QToolButton(self)
        self._export.setObjectName("exportButton")
        self._export.clicked.connect(self.export_csv)
        self.filter_bar.extra.addWidget(self._mark_all)
        self.filter_bar.extra.addWidget(self._export)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([950, 330])

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        banner_box = QVBoxLayout()  # takes no room while the banner is hidden
        banner_box.setContentsMargins(8, 6, 8, 0)
        banner_box.addWidget(self.banner)
        layout.addLayout(banner_box)
        layout.addWidget(self.header)
        layout.addWidget(line)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self._actions: dict[str, QAction] = {}
        self._build_menus()

        # --- tray and notifications ---
        has_tray = tray_available() if tray_available is not None else TrayIcon.available()
        self.tray: TrayIcon | None = TrayIcon(self, tz=self.tz) if has_tray else None
        self.notifier = Notifier(settings.notify_settings(), self.tray, self.banner, self, tz=self.tz)
        self.notifier.activated.connect(self.open_orders)
        if self.tray is not None:
            self.tray.show_requested.connect(self.show_and_raise)
            self.tray.reconnect_requested.connect(self.reconnect_now)
            self.tray.quit_requested.connect(self.request_quit)
            self.tray.pause_requested.connect(self.notifier.pause_until)

        # --- payment health (ui/health_panel.py): a dock, its badge in the status bar, one popup per alert ---
        self.health = HealthPanel(engine, bridge, self.tz, actor, engine_settings.backend_url, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.health)
        self.health.hide()  # until the badge or View → Payment health opens it (restoreState may reopen it)
        self.health_badge = HealthBadge(self.health, self.status_bar)
        self.status_bar.addPermanentWidget(self.health_badge)
        self.health.order_requested.connect(self._activity_order)
        self.health.notify_requested.connect(self.notifier.alert_raised)
        self.notifier.health_activated.connect(self.show_and_raise)
        self.notifier.health_activated.connect(self.health.show_alert)
        health_action = self.health.toggleViewAction()
        health_action.setObjectName("action_health")
        health_action.setShortcut(QKeySequence("Ctrl+H"))
        self._view_menu.addAction(health_action)

        # --- wiring ---
        self.bridge.batch.connect(self.apply_batch)
        self.filter_bar.changed.connect(self._filter_changed)
        self.status_bar.login_requested.connect(self.relogin)
        self.status_bar.reconnect_requested.connect(self.reconnect_now)
        self.status_bar.activity_requested.connect(self.show_activity)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)

        # --- admin actions (ui/admin_actions.py): Actions menu, Check all stuck, replay, order bar, audit log ---
        self.admin_actions = AdminActionsUi(self)

        self._read_timer = QTimer(self)
        self._read_timer.setSingleShot(True)
        self._read_timer.setInterval(READ_AFTER_MS)
        self._read_timer.timeout.connect(self._dwell_read)
        self._summary_timer = QTimer(self)
        self._summary_timer.setInterval(SUMMARY_REFRESH_MS)
        self._summary_timer.timeout.connect(self.refresh_today)
        self._summary_timer.start()
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self._at_midnight)
        self._arm_midnight()

        self.refresh_today()
        self.refresh_unread()
        self._set_status(self._status)
        self.retranslate()
        self._restore_geometry()

    # --- building -----------------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = PaymentsView(self)  # fixed row heights and widths: nothing scales with the row count
        table.setModel(self.model)
        self._fit_columns(table)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        table.setFrameShape(QFrame.Shape.NoFrame)
        # an empty table says why it is empty (no payments yet, or the filters hide them)
        self._empty_note = QLabel(table.viewport())
        self._empty_note.setObjectName("emptyTableNote")
        self._empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty_note.setWordWrap(True)
        self._empty_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._empty_note.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        table.viewport().installEventFilter(self)
        for sig in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            sig.connect(self._update_empty_note)
        return table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._empty_note.setGeometry(self.table.viewport().rect().adjusted(24, 24, -24, -24))
        return super().eventFilter(watched, event)

    @Slot()
    def _update_empty_note(self, *_args: Any) -> None:
        if self.model.rowCount() > 0:
            self._empty_note.hide()
            return
        if self.filter_bar.is_default():
            self._empty_note.setText(self.tr("No payments yet. Each payment appears here the moment the shop "
                                             "receives it."))
        else:
            self._empty_note.setText(self.tr("No payments match these filters."))
        self._empty_note.show()

    def _fit_columns(self, table: QTableView) -> None:
        """Widths from the longest text each column can hold, measured in bold (unread rows are bold).

        Measured on fixed samples and the known words, never on rows: the cost does not grow with the
        table, and an order code or a time is never cut off. Re-run when the language changes.
        """
        bold = QFont(table.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        sample_time = datetime(2026, 12, 31, 23, 59, 59, tzinfo=self.tz)
        samples = {
            PaymentsModel.COL_TIME: [formatting.shop_time(sample_time, self.tz)],
            PaymentsModel.COL_ORDER: ["ZVR-00000000-DDDDDDDD"],
            PaymentsModel.COL_AMOUNT: [formatting.money(99_999_999)],
            PaymentsModel.COL_METHOD: [formatting.method_text(m) for m in ("permata_va", "mandiri_va",
                                                                           "bank_transfer")],
            # the everyday statuses; a rare long one (refunded) is elided, its words in the tooltip
            PaymentsModel.COL_STATUS: [formatting.status_text(s) for s in ("PAID", "PROCESSING", "PACKING",
                                                                           "SHIPPED", "COMPLETED")],
            PaymentsModel.COL_FOUND_BY: [formatting.found_by_text(d) for d in DetectedBy],
        }
        header = table.horizontalHeader()
        for column, texts in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max([metrics.horizontalAdvance(t) for t in texts] +
                         [header.fontMetrics().horizontalAdvance(title) + 4])
            table.setColumnWidth(column, widest + 14)

    def _action(self, key: str, slot: Callable[[], Any], shortcut: QKeySequence | str | None = None) -> QAction:
        act = QAction(self)
        act.setObjectName(f"action_{key}")
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        self._actions[key] = act
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._file_menu = bar.addMenu("")
        self._file_menu.addAction(self._action("export", self.export_csv, "Ctrl+E"))
        self._file_menu.addAction(self._action("settings", self.show_settings, QKeySequence.StandardKey.Preferences))
        self._file_menu.addSeparator()
        self._file_menu.addAction(self._action("close", self.close, QKeySequence.StandardKey.Close))
        quit_action = self._action("quit", self.request_quit, QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self._file_menu.addAction(quit_action)

        self._view_menu = bar.addMenu("")
        self._view_menu.addAction(self._action("mark_read", self.mark_selected_read, "Ctrl+R"))
        self._view_menu.addAction(self._action("mark_unread", self.mark_selected_unread))
        self._view_menu.addAction(self._action("mark_all_read", self.mark_all_read, "Ctrl+Shift+R"))
        self._view_menu.addSeparator()
        self._view_menu.addAction(self._action("find", self._focus_search, QKeySequence.StandardKey.Find))
        self._view_menu.addAction(self._action("clear_filters", self.filter_bar.reset))
        self._view_menu.addSeparator()
        self._view_menu.addAction(self._action("activity", self.show_activity, "Ctrl+L"))

        self._connection_menu = bar.addMenu("")
        self._connection_menu.addAction(self._action("reconnect", self.reconnect_now))
        self._connection_menu.addAction(self._action("refresh", self.refresh_now, QKeySequence.StandardKey.Refresh))
        self._connection_menu.addAction(self._action("check", self.detail.check_status))
        self._connection_menu.addSeparator()
        self._connection_menu.addAction(self._action("relogin", self.relogin))

        self._help_menu = bar.addMenu("")
        self._help_menu.addAction(self._action("about", self._about))

    # --- batches ------------------------------------------------------------------------------------

    @Slot(object)
    def apply_batch(self, batch: ChangeBatch) -> None:
        """One engine batch, on the GUI thread. The table first: it is the latency budget."""
        self.model.apply_batch(batch)
        if batch.new_payments:
            self.notifier.payments_arrived(batch.new_payments)
            self.header.add_payments(batch.new_payments)
            self.unread += sum(1 for p in batch.new_payments if not p.read)
        if batch.updated_payments:
            self.header.update_payments(batch.updated_payments)
        if batch.connection is not None:
            self.notifier.connection_changed(batch.connection)
            self._set_status(batch.connection)
        if batch.read_change is not None:
            self.refresh_unread()  # which of the codes were unread is the store's to say
        elif batch.new_payments and self.tray is not None:
            self.tray.set_unread(self.unread)
        if batch.activity:
            if self._activity is not None and self._activity.isVisible():
                self._activity.add_items(batch.activity)
            self.detail.add_activity(batch.activity)
        self._refresh_detail(batch)

    def _refresh_detail(self, batch: ChangeBatch) -> None:
        code = self.detail.current_code
        if code is None:
            return
        for p in (*batch.updated_payments, *batch.new_payments):
            if p.order_code == code:
                self.detail.refresh_payment(p)
        rc = batch.read_change
        if rc is not None and (rc.order_codes is None or code in rc.order_codes):
            current = self.store.payment(code)
            if current is not None:
                self.detail.refresh_payment(current)

    def _set_status(self, status: ConnectionStatus) -> None:
        self._status = status
        self.status_bar.set_status(status)
        self.header.set_status(status)
        if self.tray is not None:
            self.tray.set_state(status)

    def refresh_unread(self) -> None:
        self.unread = queries.unread_count(self.store)
        if self.tray is not None:
            self.tray.set_unread(self.unread)
        self._update_actions()

    @Slot()
    def refresh_today(self) -> None:
        now = datetime.now(UTC)
        self.header.set_summary(queries.today_summary(self.store, self.tz, now), now)

    def _arm_midnight(self) -> None:
        now = datetime.now(UTC).astimezone(self.tz)
        tomorrow = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=self.tz)
        ms = int((tomorrow - now).total_seconds() * 1000) + 1000
        self._midnight.start(max(1000, ms))

    @Slot()
    def _at_midnight(self) -> None:
        self.refresh_today()
        self._arm_midnight()

    # --- selection, reading, filters ----------------------------------------------------------------

    def selected_payments(self) -> list[Payment]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [p for p in (self.model.payment_at(r) for r in rows) if p is not None]

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        payment = self.model.payment_at(current.row()) if current.isValid() else None
        if payment is None:
            return  # keep showing the last order while the view reloads
        self.detail.show_payment(payment)
        self._read_code = payment.order_code if not payment.read else None
        if self._read_code is not None:
            self._read_timer.start()
        else:
            self._read_timer.stop()

    @Slot()
    def _dwell_read(self) -> None:
        code = self._read_code
        self._read_code = None
        if code is None or not self.isActiveWindow() or self.detail.current_code != code:
            return
        self._engine_call(lambda: self.engine.mark_read([code]))

    def select_order(self, code: str) -> bool:
        """Select ``code`` in the table (clearing filters that hide it). False if it is not stored."""
        row = self.model.row_of(code)
        if row is None and not self.filter_bar.is_default():
            self.filter_bar.reset()
            row = self.model.row_of(code)
        if row is None and self.store.payment(code) is not None:
            # stored, but too far down to load (row_of stops after ROW_OF_LOAD_LIMIT rows): show just this one
            self.filter_bar.show_codes([code])
            row = self.model.row_of(code)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    @Slot(object)
    def open_orders(self, codes: Sequence[str]) -> None:
        """A notification was clicked: one order → select it; a summary → show just those orders."""
        self.show_and_raise()
        codes = tuple(codes)
        if len(codes) == 1:
            self.select_order(codes[0])
        elif codes:
            self.filter_bar.show_codes(codes)

    @Slot(object)
    def _filter_changed(self, flt: PaymentFilter) -> None:
        keep = self.detail.current_code
        current = self.model.filter()
        self.model.set_filter(flt.sorted_by(current.sort, current.descending))  # the header owns the sort
        if keep is not None:
            row = self.model.row_of(keep)
            if row is not None:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    @Slot()
    def _focus_search(self) -> None:
        self.filter_bar.search.setFocus()
        self.filter_bar.search.selectAll()

    # --- commands -----------------------------------------------------------------------------------

    def _engine_call(self, fn: Callable[[], Any]) -> bool:
        try:
            fn()
        except EngineNotRunning:
            self.status_bar.showMessage(self.tr("Not connected: try again in a moment."), 5000)
            return False
        return True

    @Slot()
    def mark_selected_read(self) -> None:
        codes = [p.order_code for p in self.selected_payments() if not p.read]
        if codes:
            self._engine_call(lambda: self.engine.mark_read(codes, True))

    @Slot()
    def mark_selected_unread(self) -> None:
        codes = [p.order_code for p in self.selected_payments() if p.read]
        self._read_timer.stop()
        self._read_code = None
        if codes:
            self._engine_call(lambda: self.engine.mark_read(codes, False))

    @Slot()
    def mark_all_read(self) -> None:
        self._engine_call(self.engine.mark_all_read)

    @Slot()
    def reconnect_now(self) -> None:
        if self._engine_call(self.engine.reconnect_now):
            self.status_bar.showMessage(self.tr("Reconnecting now…"), 3000)

    @Slot()
    def refresh_now(self) -> None:
        if self._engine_call(self.engine.refresh):
            self.status_bar.showMessage(self.tr("Reading the latest orders from the shop…"), 3000)

    @Slot()
    def export_csv(self) -> None:
        """Save the current view (filter and order) as CSV; written in slices, the window stays live."""
        from zavera_desktop.ui.csv_export import CsvExportJob

        if self._export_job is not None and self._export_job.running:
            return
        stamp = datetime.now(UTC).astimezone(self.tz).strftime("%Y%m%d-%H%M")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export payments as CSV"), f"zavera-payments-{stamp}.csv",
                                              self.tr("CSV files (*.csv)"))
        if not path:
            return
        job = CsvExportJob(self.store, self.model.filter(), self.tz, path, self)
        job.progress.connect(self._export_progress)
        job.finished.connect(self._export_done)
        job.failed.connect(self._export_failed)
        self._export_job = job
        self._export.setEnabled(False)
        job.start()

    @Slot(int)
    def _export_progress(self, rows: int) -> None:
        self.status_bar.showMessage(self.tr("Exporting… %1 payments").replace("%1", formatting.number(rows)))

    @Slot(int, str)
    def _export_done(self, rows: int, path: str) -> None:
        self._export.setEnabled(True)
        self.status_bar.showMessage(self.tr("Exported %1 payments to %2").replace("%1", formatting.number(rows))
                                    .replace("%2", path), 10000)
        self.export_finished.emit(rows, path)

    @Slot(str)
    def _export_failed(self, message: str) -> None:
        self._export.setEnabled(True)
        self.status_bar.clearMessage()
        QMessageBox.warning(self, self.tr("Export failed"), message)

    @Slot()
    def show_activity(self) -> None:
        if self._activity is None:
            self._activity = ActivityDialog(self.store, self.tz, self)
            self._activity.order_requested.connect(self._activity_order)
        self._activity.reload()
        self._activity.show()
        self._activity.raise_()
        self._activity.activateWindow()

    @Slot(str)
    def _activity_order(self, code: str) -> None:
        # an order that is not a recorded payment (a lost webhook) opens in the order bar, with its actions
        self.admin_actions.show_order(code)

    @Slot()
    def show_settings(self) -> None:
        from zavera_desktop.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self, notification_backend=self.notifier.backend_name)
        dialog.saved.connect(self._settings_saved)
        dialog.relogin_requested.connect(self.relogin)
        dialog.midtrans_requested.connect(self.admin_actions.show_midtrans_settings)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot(object)
    def _settings_saved(self, sections: Any) -> None:
        sections = set(sections or ())
        if "language" in sections:
            from zavera_desktop.ui.i18n import install_language

            install_language(QApplication.instance(), self.settings.language)
        if "notifications" in sections:
            self.notifier.set_settings(self.settings.notify_settings())
        if "engine" in sections:
            self.status_bar.showMessage(self.tr("The new connection settings apply from the next start."), 8000)

    @Slot()
    def relogin(self) -> None:
        """"Log in again": the login dialog, then the new login goes to the running engine."""
        from zavera_desktop.ui.login_dialog import LoginDialog

        if self._login_dialog is not None and shiboken6.isValid(self._login_dialog):
            self._login_dialog.raise_()
            self._login_dialog.activateWindow()
            return
        dialog = LoginDialog(self, settings=self.settings if self.persist else None,
                             backend_url=self.engine_settings.backend_url, email=self.actor)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._relogin_finished)
        self._login_dialog = dialog
        dialog.open()

    @Slot(int)
    def _relogin_finished(self, result: int) -> None:
        from zavera_desktop.secrets import normalize_backend_url
        from zavera_desktop.ui.settings import AuthKind

        dialog, self._login_dialog = self._login_dialog, None
        outcome = dialog.outcome() if dialog is not None and shiboken6.isValid(dialog) else None
        if result != QDialog.DialogCode.Accepted or outcome is None or outcome.demo:
            return
        if normalize_backend_url(outcome.backend_url) != normalize_backend_url(self.engine_settings.backend_url):
            QMessageBox.information(self, self.tr("New backend address"),
                                    self.tr("Zavera Desktop connects to %1 from the next start.")
                                    .replace("%1", outcome.backend_url))
            return
        credentials, token = outcome.credentials, outcome.token
        if outcome.auth_kind is AuthKind.PASSWORD and credentials is not None:
            ok = self._engine_call(lambda: self.engine.set_credentials(credentials))
        elif token:
            ok = self._engine_call(lambda: self.engine.set_token(token))
        else:
            ok = False
        if ok:
            self.actor = outcome.email or self.actor
            self.detail.actor = self.actor
            self.health.actor = self.actor
            self.status_bar.showMessage(self.tr("Logged in again; reconnecting…"), 5000)

    @Slot()
    def _about(self) -> None:
        from zavera_desktop.ui.about_dialog import show_about

        show_about(self)

    @Slot()
    def _update_actions(self, *_args: Any) -> None:
        selected = self.selected_payments()
        self._actions["mark_read"].setEnabled(any(not p.read for p in selected))
        self._actions["mark_unread"].setEnabled(any(p.read for p in selected))
        self._actions["mark_all_read"].setEnabled(self.unread > 0)
        self._mark_all.setEnabled(self.unread > 0)

    def _context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.addAction(self._actions["mark_read"])
        menu.addAction(self._actions["mark_unread"])
        menu.addSeparator()
        menu.addAction(self._actions["check"])
        payment = self.model.payment_at(index.row())
        self.admin_actions.extend_context_menu(menu, payment)
        copy = menu.addAction(self.tr("Copy order code"))
        chosen = menu.exec(self.table.viewport().mapToGlobal(pos))
        if chosen is copy and payment is not None:
            QApplication.clipboard().setText(payment.order_code)

    # --- showing, closing, quitting -----------------------------------------------------------------

    def start_visible(self) -> None:
        """Show the window at start, unless "start minimised" and a tray to start in."""
        if self.settings.start_minimised and self.tray is not None:
            return
        self.show()

    @Slot()
    def show_and_raise(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    @Slot()
    def raise_for_second_start(self) -> None:
        """Another ``zavera-desktop gui`` for this data folder started: show this window instead."""
        log.info("A second start of Zavera Desktop asked to show this window")
        self.show_and_raise()

    @Slot()
    def request_quit(self) -> None:
        self._quitting = True
        self.quit_requested.emit()

    def mark_quitting(self) -> None:
        """The app is quitting (a signal, the tray): the close that follows must not hide to the tray."""
        self._quitting = True

    def prepare_quit(self) -> None:
        """Before the app exits: remember the window, close the dialogs."""
        self._quitting = True
        self._save_geometry()
        if self._activity is not None:
            self._activity.close()
        self.admin_actions.close()
        self._read_timer.stop()
        self._summary_timer.stop()
        self._midnight.stop()
        self.notifier.close()
        if self.tray is not None:
            self.tray.hide()
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._quitting:
            event.accept()
            return
        self._save_geometry()
        if self.tray is not None and not self.demo:
            event.ignore()
            self.hide()
            if not self.settings.tray_hint_shown:
                self.settings.tray_hint_shown = True
                self.tray.show_message(self.tr("Zavera Desktop is still running"),
                                       self.tr("New payments still arrive and notify you. Use Quit in the tray "
                                               "menu to stop Zavera Desktop."))
            return
        if self.tray is None and not self.demo and not self.settings.tray_hint_shown:
            self.settings.tray_hint_shown = True
            QMessageBox.information(self, self.tr("Zavera Desktop will quit"),
                                    self.tr("This desktop has no system tray, so closing the window quits Zavera "
                                            "Desktop. Payments that arrive while it is closed are picked up at "
                                            "the next start, but you will not be notified of them as they come."))
        event.accept()
        self.request_quit()

    def _save_geometry(self) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 780)
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)

    # --- language -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        title = self.tr("Zavera Desktop")
        self.setWindowTitle(self.tr("%1 — Demo").replace("%1", title) if self.demo else title)
        self._file_menu.setTitle(self.tr("&File"))
        self._view_menu.setTitle(self.tr("&View"))
        self._connection_menu.setTitle(self.tr("&Connection"))
        self._help_menu.setTitle(self.tr("&Help"))
        texts = {
            "export": self.tr("&Export view as CSV…"),
            "settings": self.tr("&Settings…"),
            "close": self.tr("&Close window"),
            "quit": self.tr("&Quit"),
            "mark_read": self.tr("Mark as &read"),
            "mark_unread": self.tr("Mark as &unread"),
            "mark_all_read": self.tr("Mark &all as read"),
            "find": self.tr("&Find…"),
            "clear_filters": self.tr("&Show all payments"),
            "activity": self.tr("&Activity log"),
            "reconnect": self.tr("&Reconnect now"),
            "refresh": self.tr("Read the shop's orders &now"),
            "check": self.tr("&Check status of the selected order"),
            "relogin": self.tr("&Log in again…"),
            "about": self.tr("&About Zavera Desktop"),
        }
        for key, text in texts.items():
            self._actions[key].setText(text)
        self._mark_all.setText(self.tr("Mark all read"))
        self._mark_all.setToolTip(self.tr("Mark every payment as read"))
        self._export.setText(self.tr("Export CSV…"))
        self._export.setToolTip(self.tr("Save the payments in this view as a CSV file"))
        self._update_actions()
        self._fit_columns(self.table)
        self._update_empty_note()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

