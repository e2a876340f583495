"""The Health panel: payment-health findings and orphan settlements, their history, and "Run checks".

A dock (View → Payment health, or the badge in the status bar) with two pages:

* **Findings** — a list with two sections, *Open now* (the most serious first) and *History* (cleared,
  newest first, older pages on request), and the selected alert's detail beside it. Orphan settlements are
  rows of their own with the state in words and colour ("Paid at Midtrans — not accepted by the shop"):
  they are not payments (the payments table holds announced payments only, and an orphan is by definition
  money the shop did not accept), so this list is where they live; their detail is ``OrphanView`` with
  Confirm payment / Open Midtrans dashboard / Dismiss. A shop-wide finding shows what is wrong, since when,
  the orders it is about (click one to select it in the payments table) and the fix.
* **Checks** — ``ChecksView``: the setup checks of ``zavera-desktop doctor``.

Alerts arrive live in ``ChangeBatch.alerts`` (the bridge, GUI thread): raised → shown and one popup
(``notify_requested``; the window hands it to the notifier), updated → replaces the shown one, cleared →
moves to History. At start-up the stored alerts are read on a worker thread (the UI thread never waits
on the database for this) and alerts that arrive meanwhile are applied after them, in order.

``HealthBadge`` is the status-bar button: the number of open findings in the colour of the most serious
kind (green when nothing is open); a click opens the panel.
"""

from __future__ import annotations

import concurrent.futures
import html
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.domain import ChangeBatch, DetectedBy, HealthAlert, HealthKind
from zavera_desktop.engine import Engine
from zavera_desktop.ui import formatting, health_words
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.checks_view import ChecksView
from zavera_desktop.ui.orphan_view import OrphanView

log = logging.getLogger(__name__)

T = TypeVar("T")

#: history rows read per page (newest first; "Show older" reads the next page)
HISTORY_PAGE = 100
#: open alerts read at start (there are a handful; orphans are once per order)
OPEN_LIMIT = 1000
#: the "right now" line is re-read at most this often while the panel is visible
PICTURE_REFRESH_MS = 15_000

ALERT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COL_WHAT, COL_ORDER, COL_AMOUNT, COL_WHEN = range(4)


def off_thread(fn: Callable[[], T]) -> concurrent.futures.Future[T]:
    """Run a store read on a short-lived daemon thread; the bridge delivers the result on the GUI thread."""
    future: concurrent.futures.Future[T] = concurrent.futures.Future()

    def work() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn())
        except BaseException as exc:  # delivered to the GUI thread as the future's error
            future.set_exception(exc)

    threading.Thread(target=work, name="zavera-health-read", daemon=True).start()
    return future


def dot_icon(colour: str, size: int = 12) -> QIcon:
    """A filled circle in ``colour`` (crisp at any DPI)."""
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    pix = QPixmap(QSize(round(size * ratio), round(size * ratio)))
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(2, 2, size - 4, size - 4)
    painter.end()
    return QIcon(pix)


def short_time(when: datetime, tz: ZoneInfo, now: datetime | None = None) -> str:
    """``20:52`` today, ``2026-11-29 20:52`` before: the list's column stays narrow (the detail has seconds)."""
    local = when.astimezone(tz)
    today = (now or datetime.now(UTC)).astimezone(tz).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%Y-%m-%d %H:%M")


def _order_key(alert: HealthAlert) -> tuple[int, float]:
    # open: the most serious kind first, then the newest
    return (-health_words.severity(alert.kind), -alert.raised_at.timestamp())


class FindingView(QWidget):
    """A shop-wide finding (webhooks missing, misrouted, stream unreliable): what, since when, which orders,
    and the fix."""

    order_requested = Signal(str)

    def __init__(self, tz: ZoneInfo, backend_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingView")
        self._tz = tz
        self._backend_url = backend_url
        self._alert: HealthAlert | None = None

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        self._title = QLabel(body)
        self._title.setObjectName("findingTitle")
        self._title.setWordWrap(True)
        big = QFont(self._title.font())
        big.setPointSizeF(big.pointSizeF() * 1.15)
        big.setWeight(QFont.Weight.DemiBold)
        self._title.setFont(big)
        self._when = QLabel(body)
        self._when.setObjectName("findingWhen")
        self._when.setWordWrap(True)
        self._when.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        bold = QFont(self._title.font())
        bold.setPointSizeF(QFont().pointSizeF())
        self._why_title = QLabel(body)
        self._why_title.setFont(bold)
        self._why = self._text(body, "findingExplanation")
        self._orders_title = QLabel(body)
        self._orders_title.setFont(bold)
        self._orders = QLabel(body)
        self._orders.setObjectName("findingOrders")
        self._orders.setWordWrap(True)
        self._orders.setTextFormat(Qt.TextFormat.RichText)
        self._orders.linkActivated.connect(self.order_requested)
        self._fix_title = QLabel(body)
        self._fix_title.setFont(bold)
        self._fix = self._text(body, "findingFix")
        self.copy_button = QPushButton(body)
        self.copy_button.setObjectName("copyWebhookUrl")
        self.copy_button.clicked.connect(self._copy_url)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addStretch(1)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(self._title)
        layout.addWidget(self._when)
        layout.addSpacing(4)
        layout.addWidget(self._why_title)
        layout.addWidget(self._why)
        layout.addWidget(self._orders_title)
        layout.addWidget(self._orders)
        layout.addWidget(self._fix_title)
        layout.addWidget(self._fix)
        layout.addLayout(copy_row)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.retranslate()

    @staticmethod
    def _text(parent: QWidget, name: str) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def show_alert(self, alert: HealthAlert) -> None:
        self._alert = alert
        self._render()

    @property
    def texts(self) -> dict[str, str]:
        """What is shown, by part (for tests)."""
        return {"title": self._title.text(), "when": self._when.text(), "explanation": self._why.text(),
                "orders": self._orders.text(), "fix": self._fix.text()}

    def _render(self) -> None:
        a = self._alert
        if a is None:
            return
        self._title.setText(health_words.title(a.kind))
        title_colour = health_words.colour(a.kind) if a.is_open else health_words.CLEARED_COLOUR
        self._title.setStyleSheet(f"color: {title_colour};")
        started = formatting.shop_time(a.raised_at, self._tz)
        if a.is_open:
            self._when.setText(self.tr("Open since %1").replace("%1", started))
        else:
            self._when.setText(self.tr("Open from %1 to %2. %3").replace("%1", started)
                               .replace("%2", formatting.shop_time(a.cleared_at, self._tz))
                               .replace("%3", health_words.cleared_words(a)))
        self._why.setText(health_words.explanation(a, self._backend_url))
        orders = a.evidence.get("orders")
        codes = [str(c) for c in orders] if isinstance(orders, list) else []
        self._orders_title.setVisible(bool(codes))
        self._orders.setVisible(bool(codes))
        if codes:
            links = ", ".join(f'<a href="{html.escape(c, quote=True)}">{html.escape(c)}</a>' for c in codes)
            self._orders.setText(links)
            self._orders.setToolTip(self.tr("Click an order to select it in the payments list"))
        self._fix_title.setVisible(a.is_open)
        self._fix.setVisible(a.is_open)
        self._fix.setText(health_words.fix(a, self._backend_url))
        webhook = a.kind in (HealthKind.WEBHOOKS_MISSING, HealthKind.WEBHOOK_MISROUTED)
        self.copy_button.setVisible(a.is_open and webhook)

    @Slot()
    def _copy_url(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(health_words.webhook_url(self._backend_url))

    def retranslate(self) -> None:
        self._why_title.setText(self.tr("What happened"))
        self._orders_title.setText(self.tr("Orders"))
        self._fix_title.setText(self.tr("What to do"))
        self.copy_button.setText(self.tr("Copy the notification URL"))
        self.copy_button.setToolTip(health_words.webhook_url(self._backend_url))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class HealthPanel(QDockWidget):
    """See the module docstring."""

    # select this order in the payments table
    order_requested = Signal(str)
    # one popup per raised alert: (alert id, title, body) — the window connects the notifier
    notify_requested = Signal(int, str, str)
    # the open findings changed (count or kinds): the badge re-reads ``open_alerts``
    summary_changed = Signal()
    # the stored alerts have been read (start-up, "show older")
    loaded = Signal()

    def __init__(self, engine: Engine, bridge: EngineBridge, tz: ZoneInfo, actor: str, backend_url: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("healthDock")
        self._engine = engine
        self._bridge = bridge
        self._tz = tz
        self._backend_url = backend_url
        self._alerts: dict[int, HealthAlert] = {}
        self._loading = True
        self._early: list[HealthAlert] = []  # live alerts that came while the stored ones were being read
        self._more_history = False
        self._selected: int | None = None
        self._picture_busy = False

        body = QWidget(self)
        self.tabs = QTabWidget(body)
        self.tabs.setObjectName("healthTabs")
        self.tabs.setDocumentMode(True)

        # --- findings page ---
        findings = QWidget(self.tabs)
        self._picture = QLabel(findings)
        self._picture.setObjectName("healthPicture")
        self._picture.setWordWrap(True)
        self._picture.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.tree = QTreeWidget(findings)
        self.tree.setObjectName("healthList")
        self.tree.setColumnCount(4)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setFrameShape(QFrame.Shape.NoFrame)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)
        for col in (COL_ORDER, COL_AMOUNT, COL_WHEN):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._current_changed)
        self._older = QPushButton(findings)
        self._older.setObjectName("olderHistory")
        self._older.setFlat(True)
        self._older.clicked.connect(self.load_older)
        self._older.hide()
        list_box = QWidget(findings)
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(2)
        list_layout.addWidget(self.tree, 1)
        list_layout.addWidget(self._older, 0, Qt.AlignmentFlag.AlignLeft)

        self._detail = QStackedWidget(findings)
        self._hint = QLabel(self._detail)
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setWordWrap(True)
        self._hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.finding_view = FindingView(tz, backend_url, self._detail)
        self.finding_view.order_requested.connect(self.order_requested)
        self.orphan_view = OrphanView(engine, bridge, tz, actor, self._detail)
        self.orphan_view.order_requested.connect(self.order_requested)
        for page in (self._hint, self.finding_view, self.orphan_view):
            self._detail.addWidget(page)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, findings)
        self.splitter.setObjectName("healthSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(list_box)
        self.splitter.addWidget(self._detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 580])  # the list's words need the room as much as the detail's
        findings_layout = QVBoxLayout(findings)
        findings_layout.setContentsMargins(8, 6, 8, 4)
        findings_layout.setSpacing(4)
        findings_layout.addWidget(self._picture)
        findings_layout.addWidget(self.splitter, 1)

        # --- checks page ---
        self.checks_view = ChecksView(engine, bridge, tz, backend_url, self.tabs)
        self.tabs.addTab(findings, "")
        self.tabs.addTab(self.checks_view, "")

        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.setWidget(body)
        self.setMinimumHeight(220)

        self._picture_timer = QTimer(self)
        self._picture_timer.setInterval(PICTURE_REFRESH_MS)
        self._picture_timer.timeout.connect(self.refresh_picture)
        # after a batch: once, shortly (a burst of payments is one re-read)
        self._picture_later = QTimer(self)
        self._picture_later.setSingleShot(True)
        self._picture_later.setInterval(500)
        self._picture_later.timeout.connect(self.refresh_picture)

        bridge.batch.connect(self.apply_batch)
        self.retranslate()
        self._load()

    # --- public -------------------------------------------------------------------------------------

    @property
    def actor(self) -> str:
        return self.orphan_view.actor

    @actor.setter
    def actor(self, value: str) -> None:
        self.orphan_view.actor = value

    @property
    def is_loading(self) -> bool:
        return self._loading

    def open_alerts(self) -> list[HealthAlert]:
        """The open findings and orphans, the most serious first."""
        return sorted((a for a in self._alerts.values() if a.is_open), key=_order_key)

    def history(self) -> list[HealthAlert]:
        """The cleared ones shown, newest first."""
        return sorted((a for a in self._alerts.values() if not a.is_open),
                      key=lambda a: (a.cleared_at.timestamp() if a.cleared_at else 0.0, a.id), reverse=True)

    def alert(self, alert_id: int) -> HealthAlert | None:
        return self._alerts.get(alert_id)

    @property
    def selected_alert(self) -> HealthAlert | None:
        return self._alerts.get(self._selected) if self._selected is not None else None

    @Slot()
    def show_findings(self) -> None:
        """Open the panel on its findings (the badge, the menu)."""
        self.show()
        self.raise_()
        self.tabs.setCurrentIndex(0)

    @Slot(int)
    def show_alert(self, alert_id: int) -> None:
        """Open the panel with this alert selected (a click on its popup)."""
        self.show_findings()
        self.select_alert(alert_id)

    def select_alert(self, alert_id: int) -> bool:
        item = self._item_of(alert_id)
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        return True

    # --- loading ------------------------------------------------------------------------------------

    def _load(self) -> None:
        engine = self._engine

        def read() -> tuple[list[HealthAlert], list[HealthAlert]]:
            return (engine.health_alerts(include_cleared=False, limit=OPEN_LIMIT),
                    engine.health_alerts(limit=HISTORY_PAGE))

        self._bridge.call(off_thread(read), self._on_loaded, self._on_load_error, context=self)

    def _on_loaded(self, result: tuple[list[HealthAlert], list[HealthAlert]]) -> None:
        open_, recent = result
        for a in (*open_, *recent):
            self._alerts[a.id] = a
        self._more_history = len(recent) >= HISTORY_PAGE
        self._finish_loading()

    def _on_load_error(self, exc: BaseException) -> None:
        log.error("Cannot read the payment-health alerts: %r", exc)
        self._finish_loading()

    def _finish_loading(self) -> None:
        self._loading = False
        early, self._early = self._early, []
        for a in early:  # in arrival order: the last word on each alert wins
            self._alerts[a.id] = a
        self._rebuild()
        self.summary_changed.emit()
        self.loaded.emit()

    @Slot()
    def load_older(self) -> None:
        cleared = [a.id for a in self._alerts.values() if not a.is_open]
        if not cleared or not self._more_history:
            return
        engine, before = self._engine, min(cleared)
        self._older.setEnabled(False)

        def read() -> list[HealthAlert]:
            return engine.health_alerts(limit=HISTORY_PAGE, before_id=before)

        self._bridge.call(off_thread(read), self._on_older, self._on_older_error, context=self)

    def _on_older(self, page: list[HealthAlert]) -> None:
        self._older.setEnabled(True)
        for a in page:
            self._alerts.setdefault(a.id, a)  # a live version already here is newer
        self._more_history = len(page) >= HISTORY_PAGE
        self._rebuild()
        self.loaded.emit()

    def _on_older_error(self, exc: BaseException) -> None:
        self._older.setEnabled(True)
        log.error("Cannot read older payment-health alerts: %r", exc)

    # --- live ---------------------------------------------------------------------------------------

    @Slot(object)
    def apply_batch(self, batch: ChangeBatch) -> None:
        if batch.new_payments and self.isVisible():
            self._picture_soon()
        if not batch.alerts:
            return
        for a in batch.alerts:
            if a.change == "raised" and a.is_open:
                title, body = health_words.notification(a)
                self.notify_requested.emit(a.id, title, body)
        if self._loading:
            self._early.extend(batch.alerts)
            return
        for a in batch.alerts:
            self._alerts[a.id] = a
        self._rebuild()
        self.summary_changed.emit()
        if self.isVisible():
            self._picture_soon()

    # --- the list -----------------------------------------------------------------------------------

    def _item_of(self, alert_id: int) -> QTreeWidgetItem | None:
        for s in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(s)
            for i in range(section.childCount()):
                child = section.child(i)
                if child.data(COL_WHAT, ALERT_ID_ROLE) == alert_id:
                    return child
        return None

    def _rebuild(self) -> None:
        """The whole list again (a handful of open rows and a page of history: cheap), keeping the selection."""
        keep = self._selected
        tree = self.tree
        tree.blockSignals(True)
        try:
            tree.clear()
            open_ = self.open_alerts()
            history = self.history()
            section = self._section(self.tr("Open now (%1)").replace("%1", str(len(open_))) if open_
                                    else self.tr("Open now: nothing — payments arrive as they should"))
            for a in open_:
                self._row(section, a)
            section = self._section(self.tr("History (%1)").replace("%1", str(len(history))) if history
                                    else self.tr("History: nothing has cleared yet"))
            for a in history:
                self._row(section, a)
            tree.expandAll()
            for col in range(1, tree.columnCount()):
                tree.resizeColumnToContents(col)
        finally:
            tree.blockSignals(False)
        self._older.setVisible(self._more_history and bool(history))
        self.tabs.setTabText(0, self.tr("Findings (%1)").replace("%1", str(len(open_))) if open_
                             else self.tr("Findings"))
        item = self._item_of(keep) if keep is not None else None
        if item is None and keep is None and open_:
            item = self._item_of(open_[0].id)
        if item is not None:
            tree.setCurrentItem(item)  # also re-renders the detail with the newest version
        else:
            self._show_detail(None)

    def _section(self, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [text])
        item.setFirstColumnSpanned(True)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(self.tree.font())
        font.setWeight(QFont.Weight.DemiBold)
        item.setFont(COL_WHAT, font)
        return item

    def _row(self, section: QTreeWidgetItem, a: HealthAlert) -> QTreeWidgetItem:
        orphan = a.kind is HealthKind.ORPHAN_SETTLEMENT
        what = health_words.orphan_state(a) if orphan else health_words.title(a.kind)
        if orphan:
            order = a.order_code or ""
            amount = formatting.money(a.amount)
        else:
            orders = a.evidence.get("orders")
            count = len(orders) if isinstance(orders, list) else 0
            order = self.tr("%n orders", "", count) if count else ""
            amount = ""
        started = short_time(a.raised_at, self._tz)
        if a.cleared_at is None:
            when = self.tr("since %1").replace("%1", started)
        else:
            when = self.tr("%1 – %2").replace("%1", started).replace("%2", short_time(a.cleared_at, self._tz))
        item = QTreeWidgetItem(section, [what, order, amount, when])
        item.setData(COL_WHAT, ALERT_ID_ROLE, a.id)
        colour = health_words.colour(a.kind) if a.is_open else health_words.CLEARED_COLOUR
        item.setIcon(COL_WHAT, dot_icon(colour))
        if a.is_open and orphan:
            # the distinct row state: money at stake, in the kind's colour and bold
            font = QFont(self.tree.font())
            font.setBold(True)
            item.setFont(COL_WHAT, font)
            item.setForeground(COL_WHAT, QColor(colour))
        elif not a.is_open:
            for col in range(self.tree.columnCount()):
                item.setForeground(col, self.tree.palette().color(QPalette.ColorRole.PlaceholderText))
        item.setTextAlignment(COL_AMOUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tip = health_words.explanation(a, self._backend_url)
        if not a.is_open:
            tip += "\n\n" + health_words.cleared_words(a)
        item.setToolTip(COL_WHAT, tip)
        times = self.tr("Started %1").replace("%1", formatting.shop_time(a.raised_at, self._tz))
        if a.cleared_at is not None:
            times += "\n" + self.tr("Cleared %1").replace("%1", formatting.shop_time(a.cleared_at, self._tz))
        item.setToolTip(COL_WHEN, times)
        return item

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        alert_id = current.data(COL_WHAT, ALERT_ID_ROLE) if current is not None else None
        if alert_id is None:
            return  # a section header: keep showing what was shown
        self._selected = int(alert_id)
        self._show_detail(self._alerts.get(self._selected))

    def _show_detail(self, alert: HealthAlert | None) -> None:
        if alert is None:
            self._selected = None
            self._detail.setCurrentWidget(self._hint)
            return
        if alert.kind is HealthKind.ORPHAN_SETTLEMENT:
            self.orphan_view.show_alert(alert)
            self._detail.setCurrentWidget(self.orphan_view)
        else:
            self.finding_view.show_alert(alert)
            self._detail.setCurrentWidget(self.finding_view)

    # --- "right now" ------------------------------------------------------------------------------------

    def _picture_soon(self) -> None:
        if not self._picture_later.isActive():
            self._picture_later.start()

    @Slot()
    def refresh_picture(self) -> None:
        """What the rules look at right now (read on a worker thread: it takes the engine's lock)."""
        if self._picture_busy:
            return
        self._picture_busy = True
        self._bridge.call(off_thread(self._engine.health_picture), self._on_picture, self._on_picture_error,
                          context=self)

    def _on_picture(self, picture: Any) -> None:
        self._picture_busy = False
        if picture is None:  # the engine has not started yet
            self._picture.setText(self.tr("Waiting for the first payments and the live connection…"))
            return
        parts = []
        if picture.payments_seen:
            sources = [f"{formatting.found_by_text(DetectedBy(s)).lower()} {n}"
                       for s, n in sorted(picture.sources.items(), key=lambda kv: -kv[1])]
            parts.append(self.tr("Right now — the last %1 payments, by source: %2.")
                         .replace("%1", str(picture.payments_seen)).replace("%2", ", ".join(sources)))
        else:
            parts.append(self.tr("Right now — no payments seen since the start."))
        window = health_words.duration_text(picture.window_seconds)
        parts.append(self.tr("Live connection in the last %1: down %2, drops %3.").replace("%1", window)
                     .replace("%2", health_words.duration_text(picture.stream_down_seconds))
                     .replace("%3", str(picture.stream_drops)))
        self._picture.setText(" ".join(parts))

    def _on_picture_error(self, exc: BaseException) -> None:
        self._picture_busy = False
        log.info("The health picture could not be read: %r", exc)

    # --- visibility and language --------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh_picture()
        self._picture_timer.start()

    def hideEvent(self, event: Any) -> None:
        self._picture_timer.stop()
        super().hideEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Payment health"))
        self.tree.setHeaderLabels([self.tr("Finding"), self.tr("Order"), self.tr("Amount"), self.tr("When")])
        self.tabs.setTabText(1, self.tr("Checks"))
        self._older.setText(self.tr("Show older…"))
        self._hint.setText(self.tr("Select a finding to see what is wrong and what to do."))
        self._picture.setText(self.tr("Waiting for the first payments and the live connection…"))
        if not self._loading:
            self._rebuild()
        else:
            self.tabs.setTabText(0, self.tr("Findings"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class HealthBadge(QToolButton):
    """The status bar's payment-health badge: open findings, in the most serious kind's colour."""

    def __init__(self, panel: HealthPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("healthBadge")
        self._panel = panel
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.clicked.connect(panel.show_findings)
        panel.summary_changed.connect(self.refresh)
        self.refresh()

    @property
    def count(self) -> int:
        return len(self._panel.open_alerts())

    @property
    def colour(self) -> str:
        return health_words.worst_colour(self._panel.open_alerts())

    @Slot()
    def refresh(self) -> None:
        open_ = self._panel.open_alerts()
        colour = health_words.worst_colour(open_)
        self.setIcon(badge_icon(len(open_), colour))
        if open_:
            self.setText(self.tr("%n health findings", "", len(open_)))
            lines = [self.tr("Payment health — open now:")]
            for a in open_[:8]:
                line = health_words.title(a.kind)
                if a.order_code:
                    line += f" ({a.order_code})"
                lines.append("• " + line)
            if len(open_) > 8:
                lines.append(self.tr("and %1 more").replace("%1", str(len(open_) - 8)))
            self.setToolTip("\n".join(lines))
        else:
            self.setText(self.tr("Payment health OK"))
            self.setToolTip(self.tr("No payment-health findings are open. Click for the history and the setup "
                                    "checks."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)


def badge_icon(count: int, colour: str, size: int = 16) -> QIcon:
    """A round badge in ``colour`` with the count (a check mark when nothing is open)."""
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    width = size if count < 10 else round(size * 1.4)
    pix = QPixmap(QSize(round(width * ratio), round(size * ratio)))
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(0, 0, width, size, size / 2, size / 2)
        font = QFont()
        font.setBold(True)
        font.setPixelSize(round(size * 0.68))
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        text = "✓" if count <= 0 else ("99+" if count > 99 else str(count))
        painter.drawText(0, 0, width, size, Qt.AlignmentFlag.AlignCenter, text)
    finally:
        painter.end()
    return QIcon(pix)

