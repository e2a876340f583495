"""CSV of the payments table's current view: every matching row (not only the loaded ones), in order.

Rows are streamed from the store in keyset pages, so memory stays flat at a million rows. Amounts are
integer rupiah (a number Excel can sum), times are shop-local; the file is UTF-8 with a BOM so Excel
reads names like "Dwi Ayu Lestari" or "Ñ" correctly, and it is written to ``<name>.part`` and renamed
only when complete, so a cancelled or failed export never leaves a truncated file under the name.

Two ways to run it:

* ``export_csv(...)`` — plain and blocking; for scripts, tests, or a worker that is not the GUI thread.
* ``CsvExportJob`` — for the window. It exports on the GUI thread in slices of one page, returning to
  the event loop between slices (a zero-time QTimer), so the window stays responsive and the job can
  be cancelled. A worker thread was the alternative, but the work is pure Python (formatting rows),
  so a thread would hold the GIL against the GUI thread; Qt calls back into Python for every cell it
  paints, and each of those calls would wait for the worker to let go — the UI would stutter longer
  than it does with short slices, and sharing the store across threads buys nothing here.
"""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from zavera_desktop.domain import Payment
from zavera_desktop.store import Store
from zavera_desktop.store.queries import PageCursor, PaymentFilter, PaymentPage, query_page
from zavera_desktop.ui import formatting

#: Rows read per page; also one slice of ``CsvExportJob`` (a few milliseconds of work).
EXPORT_PAGE = 1000
# Spreadsheets run a cell starting with these as a formula; customer names come from the public shop.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _tr(text: str) -> str:
    return QCoreApplication.translate("CsvExport", text)


def header(tz: ZoneInfo) -> list[str]:
    zone = str(tz)
    return [
        _tr("Time (%1)").replace("%1", zone), _tr("Order"), _tr("Customer"), _tr("Method"), _tr("Amount (Rp)"),
        _tr("Status"), _tr("Found by"), _tr("Read"), _tr("Paid at (%1)").replace("%1", zone),
        _tr("Detected at (%1)").replace("%1", zone),
    ]


def _text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _time(when: datetime | None, tz: ZoneInfo) -> str:
    return formatting.local_time_text(when, tz) if when is not None else ""


def row(p: Payment, tz: ZoneInfo, yes: str, no: str) -> list[Any]:
    """One payment as CSV cells; the amount stays an int (empty when unknown)."""
    return [
        _time(p.paid_at or p.detected_at, tz), _text(p.order_code), _text(p.customer),
        formatting.method_text(p.payment_method), "" if p.amount is None else p.amount,
        formatting.status_text(p.order_status), formatting.found_by_text(p.detected_by), yes if p.read else no,
        _time(p.paid_at, tz), _time(p.detected_at, tz),
    ]


class _CsvFile:
    """The ``.part`` file being written; ``commit`` renames it into place, ``abort`` removes it."""

    def __init__(self, path: str | os.PathLike[str], tz: ZoneInfo, delimiter: str) -> None:
        self.path = Path(path)
        self.part = self.path.with_name(self.path.name + ".part")
        self.tz = tz
        self.rows = 0
        self._yes, self._no = _tr("yes"), _tr("no")
        # utf-8-sig writes the BOM; newline="" lets the csv module end lines with \r\n as Excel expects
        self._file: IO[str] = open(self.part, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._file, delimiter=delimiter)
        self._writer.writerow(header(tz))

    def write(self, page: PaymentPage) -> None:
        tz, yes, no = self.tz, self._yes, self._no
        self._writer.writerows(row(r.payment, tz, yes, no) for r in page.rows)
        self.rows += len(page.rows)

    def commit(self) -> None:
        self._file.close()
        os.replace(self.part, self.path)

    def abort(self) -> None:
        self._file.close()
        self.part.unlink(missing_ok=True)


def _pages(store: Store, flt: PaymentFilter, tz: ZoneInfo) -> Iterator[PaymentPage]:
    after: PageCursor | None = None
    while True:
        page = query_page(store, flt, tz, after=after, limit=EXPORT_PAGE)
        yield page
        if not page.more:
            return
        after = page.next_cursor


def export_csv(store: Store, flt: PaymentFilter, tz: ZoneInfo, path: str | os.PathLike[str], *,
               progress: Callable[[int], None] | None = None, delimiter: str = ",") -> int:
    """Write every payment matching ``flt``, in its order, to ``path``; returns the row count.

    Blocking (see ``CsvExportJob`` for the window). Raises ``OSError`` when the file cannot be written;
    the partial file is removed then.
    """
    out = _CsvFile(path, tz, delimiter)
    try:
        for page in _pages(store, flt, tz):
            out.write(page)
            if progress is not None:
                progress(out.rows)
    except BaseException:
        out.abort()
        raise
    out.commit()
    return out.rows


class CsvExportJob(QObject):
    """Export on the GUI thread in slices, yielding to the event loop between them.

    Connect the signals, then ``start()``. Exactly one of ``finished(rows, path)``, ``failed(message)``
    or ``cancelled()`` is emitted at the end; ``progress(rows)`` after every slice.
    """

    progress = Signal(int)
    finished = Signal(int, str)
    failed = Signal(str)
    cancelled = Signal()

    #: Work per event-loop turn: a slice ends after this long (at least one page).
    SLICE_SECONDS = 0.03

    def __init__(self, store: Store, flt: PaymentFilter, tz: ZoneInfo, path: str | os.PathLike[str],
                 parent: QObject | None = None, *, delimiter: str = ",") -> None:
        super().__init__(parent)
        self._store, self._filter, self._tz = store, flt, tz
        self._path = Path(path)
        self._delimiter = delimiter
        self._out: _CsvFile | None = None
        self._pages: Iterator[PaymentPage] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        if self.running:
            return
        try:
            self._out = _CsvFile(self._path, self._tz, self._delimiter)
        except OSError as exc:
            self.failed.emit(self._message(exc))
            return
        self._pages = _pages(self._store, self._filter, self._tz)
        self._timer.start()

    def cancel(self) -> None:
        if not self.running:
            return
        self._stop()
        if self._out is not None:
            self._out.abort()
        self.cancelled.emit()

    def _slice(self) -> None:
        assert self._out is not None and self._pages is not None
        deadline = time.monotonic() + self.SLICE_SECONDS
        try:
            while True:
                page = next(self._pages, None)
                if page is None:
                    self._stop()
                    self._out.commit()
                    self.finished.emit(self._out.rows, str(self._path))
                    return
                self._out.write(page)
                if time.monotonic() >= deadline:
                    break
        except Exception as exc:  # a disk error or a database error ends the export, in words
            self._stop()
            self._out.abort()
            self.failed.emit(self._message(exc))
            return
        self.progress.emit(self._out.rows)

    def _stop(self) -> None:
        self._timer.stop()
        self._pages = None

    def _message(self, exc: Exception) -> str:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return self.tr("Could not write %1: %2").replace("%1", str(self._path)).replace("%2", detail)
