"""CSV of the payments table's current view: every matching row (not only the loaded ones), in order.

Rows are streamed from the store in keyset pages, so memory stays flat at a million rows. Amounts are
integer rupiah (a number Excel can sum), times are shop-local; the file is UTF-8 with a BOM so Excel
reads names like "Ñoño Pérez" correctly, and it is written to ``<name>.part`` and renamed
only when complete, so a cancelled or failed export never leaves a truncated file under the name.

Two ways to run it:

* ``export_csv(...)`` — plain and blocking; for scripts, tests, or a worker that is not the GUI thread.
* ``CsvExportJob`` — for the window. It exports on the GUI thread in slices of about 30 ms (one page
  of 1,000 rows, or more small ones), returning to the event loop between slices (a zero-time
  QTimer), so the window stays responsive and the job can be cancelled. A worker thread was the
  alternative, but the work is pure Python (reading and formatting rows), so a thread would hold the
  GIL against the GUI thread; Qt calls back into Python for every cell it paints, and each of those
  calls would wait for the worker to let go (the interpreter hands the GIL over every 5 ms), so the
  UI would stutter more than with bounded slices, and the export would not finish sooner.

Spreadsheet formula injection is defused: a text cell starting with ``= + - @`` gets a leading quote.
"""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from sqlalchemy import Row

from zavera_desktop.store import Store
from zavera_desktop.store.queries import PaymentFilter, iter_rows
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


class _Cells:
    """Turns result rows into CSV cells. Words are looked up once per distinct value (a handful of
    statuses, methods and sources), not once per row: a Qt call per cell would double the export time."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._words: dict[tuple[str, str], str] = {}
        self._read = {True: _tr("yes"), False: _tr("no")}

    def _word(self, kind: str, value: str, say: Callable[[str], str]) -> str:
        word = self._words.get((kind, value))
        if word is None:
            word = self._words[kind, value] = say(value)
        return word

    def row(self, r: Row[Any]) -> list[Any]:
        """One payment's cells; the amount stays an int (empty when unknown)."""
        # unpacking the row is several times cheaper than reading its attributes one by one
        _id, code, amount, method, customer, status, paid_at, detected_at, source, read, _pid, _key = r
        paid = formatting.local_time_text(paid_at, self.tz) if paid_at is not None else ""
        seen = formatting.local_time_text(detected_at, self.tz)
        return [
            paid or seen, _text(code), _text(customer), self._word("method", method, formatting.method_text),
            "" if amount is None else amount, self._word("status", status, formatting.status_text),
            self._word("source", source, formatting.found_by_text), self._read[bool(read)], paid, seen,
        ]


class _CsvFile:
    """The ``.part`` file being written; ``commit`` renames it into place, ``abort`` removes it."""

    def __init__(self, path: str | os.PathLike[str], tz: ZoneInfo, delimiter: str) -> None:
        self.path = Path(path)
        self.part = self.path.with_name(self.path.name + ".part")
        self.rows = 0
        self._cells = _Cells(tz)
        # utf-8-sig writes the BOM; newline="" lets the csv module end lines with \r\n as Excel expects
        self._file: IO[str] = open(self.part, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._writer = csv.writer(self._file, delimiter=delimiter)
        self._writer.writerow(header(tz))

    def write(self, rows: Sequence[Row[Any]]) -> None:
        self._writer.writerows(map(self._cells.row, rows))
        self.rows += len(rows)

    def commit(self) -> None:
        self._file.close()
        os.replace(self.part, self.path)

    def abort(self) -> None:
        self._file.close()
        self.part.unlink(missing_ok=True)


def export_csv(store: Store, flt: PaymentFilter, tz: ZoneInfo, path: str | os.PathLike[str], *,
               progress: Callable[[int], None] | None = None, delimiter: str = ",") -> int:
    """Write every payment matching ``flt``, in its order, to ``path``; returns the row count.

    Blocking (see ``CsvExportJob`` for the window). Raises ``OSError`` when the file cannot be written;
    the partial file is removed then.
    """
    out = _CsvFile(path, tz, delimiter)
    try:
        for page in iter_rows(store, flt, tz, page_size=EXPORT_PAGE):
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

    #: Work per event-loop turn: as many pages as fit in this (at least one; a page of 1,000 rows
    #: takes ~25 ms here), so the window never waits longer than about this for its events.
    SLICE_SECONDS = 0.03

    def __init__(self, store: Store, flt: PaymentFilter, tz: ZoneInfo, path: str | os.PathLike[str],
                 parent: QObject | None = None, *, delimiter: str = ",") -> None:
        super().__init__(parent)
        self._store, self._filter, self._tz = store, flt, tz
        self._path = Path(path)
        self._delimiter = delimiter
        self._out: _CsvFile | None = None
        self._pages: Iterator[Sequence[Row[Any]]] | None = None
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
        self._pages = iter_rows(self._store, self._filter, self._tz, page_size=EXPORT_PAGE)
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
        start = time.monotonic()
        try:
            while True:
                began = time.monotonic()
                page = next(self._pages, None)
                if page is None:
                    self._stop()
                    self._out.commit()
                    self.finished.emit(self._out.rows, str(self._path))
                    return
                self._out.write(page)
                now = time.monotonic()
                # another page only if it, too, fits in the slice (pages take about the same time)
                if now - start + (now - began) > self.SLICE_SECONDS:
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
