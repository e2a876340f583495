"""The header: today's paid count and total, payments per hour, and the connection state.

Totals follow the batches incrementally (``add_payments``); the window re-reads the whole day on a
slow timer and at midnight (``set_summary``), which also corrects the rare payment whose time was
filled in later and moved to another hour.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QEvent, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from zavera_desktop.domain import ConnectionState, ConnectionStatus, Payment
from zavera_desktop.store.queries import TodaySummary
from zavera_desktop.ui import formatting
from zavera_desktop.ui.status_bar import connection_short, state_dot

CHART_HEIGHT = 84
BAR_COLOR = "#5c8db8"  # a quiet blue: the chart is context, not an alarm


def payment_time(p: Payment) -> datetime:
    """The same time the store's totals use: ``coalesce(paid_at, detected_at)``."""
    return p.paid_at or p.detected_at


class HourChart(QChartView):
    """24 bars, one per shop-local hour; no legend, no animation, hours 0-6-12-18 only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(Qt.GlobalColor.transparent)
        self.setStyleSheet("background: transparent")
        self.setFixedHeight(CHART_HEIGHT)
        self.setMinimumWidth(260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self._set = QBarSet("")
        self._set.append([0.0] * 24)
        self._set.setColor(QColor(BAR_COLOR))
        self._set.setBorderColor(QColor(BAR_COLOR))
        series = QBarSeries()
        series.setBarWidth(0.7)
        series.append(self._set)

        chart = QChart()
        chart.addSeries(series)
        chart.legend().hide()
        chart.setBackgroundVisible(False)
        chart.setPlotAreaBackgroundVisible(False)
        chart.setMargins(QMargins(0, 0, 0, 0))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)

        small = QFont(self.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() * 0.75))
        muted = self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        self._x = QBarCategoryAxis()
        # only every sixth hour is labelled; the others get unique blank labels (categories must differ)
        self._x.append([f"{h:02d}" if h % 6 == 0 else " " * (h + 1) for h in range(24)])
        self._x.setGridLineVisible(False)
        self._x.setLabelsFont(small)
        self._x.setLabelsColor(muted)
        self._x.setLinePenColor(muted)
        self._y = QValueAxis()
        self._y.setLabelFormat("%d")
        self._y.setTickCount(2)
        self._y.setRange(0, 1)
        self._y.setVisible(False)
        chart.addAxis(self._x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self._y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(self._x)
        series.attachAxis(self._y)
        self.setChart(chart)
        self._values = [0] * 24

    def set_values(self, per_hour: list[int]) -> None:
        for hour, value in enumerate(per_hour[:24]):
            if self._values[hour] != value:
                self._values[hour] = value
                self._set.replace(hour, float(value))
        self._y.setRange(0, max(1, *self._values))

    def values(self) -> list[int]:
        return list(self._values)


class Header(QWidget):
    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self._tz = tz
        self._day: str | None = None
        self._count = 0
        self._total = 0
        self._per_hour = [0] * 24
        # payments added since the last full read: their counted hour and amount, so an update
        # that fills in paid_at can move them (others are corrected by the next full read)
        self._added: dict[str, tuple[int, int]] = {}
        self._status = ConnectionStatus(ConnectionState.STOPPED)

        self._caption = QLabel(self)
        self._caption.setObjectName("headerCaption")
        self._total_label = QLabel(self)
        self._total_label.setObjectName("headerTotal")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.9)
        big.setWeight(QFont.Weight.DemiBold)
        self._total_label.setFont(big)
        # room for a busy day's total, so the chart does not shift as the total grows
        self._total_label.setMinimumWidth(QFontMetrics(big).horizontalAdvance("Rp 999.999.999"))
        self._count_label = QLabel(self)
        self._count_label.setObjectName("headerCount")
        totals = QVBoxLayout()
        totals.setSpacing(2)
        totals.addWidget(self._caption)
        totals.addWidget(self._total_label)
        totals.addWidget(self._count_label)
        totals.addStretch(1)

        self._chart_caption = QLabel(self)
        self.chart = HourChart(self)
        chart_box = QVBoxLayout()
        chart_box.setSpacing(2)
        chart_box.addWidget(self._chart_caption)
        chart_box.addWidget(self.chart)

        self._dot = QLabel(self)
        self._state = QLabel(self)
        self._state.setObjectName("headerState")
        state_font = QFont(self.font())
        state_font.setWeight(QFont.Weight.DemiBold)
        self._state.setFont(state_font)
        state_row = QHBoxLayout()
        state_row.setSpacing(6)
        state_row.addWidget(self._dot)
        state_row.addWidget(self._state)
        state_box = QVBoxLayout()
        self._state_caption = QLabel(self)
        state_box.addWidget(self._state_caption, 0, Qt.AlignmentFlag.AlignRight)
        state_box.addLayout(state_row)
        state_box.addStretch(1)
        state_row.setAlignment(Qt.AlignmentFlag.AlignRight)

        for caption in (self._caption, self._chart_caption, self._state_caption):
            caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.setSpacing(24)
        layout.addLayout(totals, 0)
        layout.addLayout(chart_box, 1)
        layout.addLayout(state_box, 0)
        self.retranslate()
        self.set_status(self._status)

    # --- totals -----------------------------------------------------------------------------------

    def set_summary(self, summary: TodaySummary, now: datetime) -> None:
        """Today's totals from a full read of the store."""
        self._day = now.astimezone(self._tz).date().isoformat()
        self._count = summary.count
        self._total = summary.total_rupiah
        self._per_hour = list(summary.per_hour[:24]) + [0] * (24 - len(summary.per_hour[:24]))
        self._added.clear()
        self._show_totals()

    def add_payments(self, payments: Iterable[Payment]) -> None:
        """New payments of a batch: those of today count (a payment found late may be yesterday's)."""
        changed = False
        for p in payments:
            slot = self._slot_of(p)
            if slot is None or p.order_code in self._added:
                continue
            self._added[p.order_code] = slot
            self._apply(slot, +1)
            changed = True
        if changed:
            self._show_totals()

    def update_payments(self, payments: Iterable[Payment]) -> None:
        """Known payments whose amount or time was filled in later."""
        changed = False
        for p in payments:
            old = self._added.get(p.order_code)
            if old is None:
                continue
            new = self._slot_of(p)
            if new == old:
                continue
            self._apply(old, -1)
            if new is None:
                del self._added[p.order_code]
            else:
                self._added[p.order_code] = new
                self._apply(new, +1)
            changed = True
        if changed:
            self._show_totals()

    def _slot_of(self, p: Payment) -> tuple[int, int] | None:
        local = payment_time(p).astimezone(self._tz)
        if self._day is not None and local.date().isoformat() != self._day:
            return None
        return local.hour, p.amount or 0

    def _apply(self, slot: tuple[int, int], sign: int) -> None:
        hour, amount = slot
        self._count += sign
        self._total += sign * amount
        self._per_hour[hour] = max(0, self._per_hour[hour] + sign)

    @property
    def count(self) -> int:
        return self._count

    @property
    def total(self) -> int:
        return self._total

    @property
    def per_hour(self) -> list[int]:
        return list(self._per_hour)

    def _show_totals(self) -> None:
        self._total_label.setText(formatting.money(self._total))
        # two strings rather than a %n plural: correct in English and Indonesian without a plural table
        self._count_label.setText(self.tr("1 payment") if self._count == 1 else
                                  self.tr("%1 payments").replace("%1", formatting.number(self._count)))
        self.chart.set_values(self._per_hour)

    # --- connection -------------------------------------------------------------------------------

    def set_status(self, status: ConnectionStatus) -> None:
        self._status = status
        self._dot.setPixmap(state_dot(status.state, 12))
        self._state.setText(connection_short(status.state))
        self._state.setToolTip(status.detail)

    @property
    def state_text(self) -> str:
        return self._state.text()

    # --- language ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self._caption.setText(self.tr("Paid today"))
        self._chart_caption.setText(self.tr("Payments per hour"))
        self._state_caption.setText(self.tr("Connection"))
        self.chart.setToolTip(self.tr("Payments per hour today (shop time)"))
        self._show_totals()
        self.set_status(self._status)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
