"""The live payments table: paging, one insert per batch, SQL-side filter and sort, CSV export."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPixmap

from zavera_desktop.domain import ChangeBatch, DetectedBy, PaymentCandidate, ReadChange
from zavera_desktop.store import Store
from zavera_desktop.store.queries import query_payments
from zavera_desktop.ui import formatting, payments_model
from zavera_desktop.ui.csv_export import CsvExportJob, export_csv
from zavera_desktop.ui.payment_filters import PaymentFilter, SortKey
from zavera_desktop.ui.payments_model import (
    COL_AMOUNT,
    COL_CUSTOMER,
    COL_FOUND_BY,
    COL_METHOD,
    COL_ORDER,
    COL_STATUS,
    COL_TIME,
    COL_UNREAD,
    PaymentRole,
    PaymentsModel,
    PaymentsView,
    UnreadRole,
)

TZ = ZoneInfo("Asia/Jakarta")
T0 = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)  # 12:00 shop time
NAMES = ["Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri", "Andi", "Ayu", "Fajar"]
STORED = 45


def cand(code: str, minute: float, **kw) -> PaymentCandidate:
    kw.setdefault("amount", 150_000)
    kw.setdefault("payment_method", "bca_va")
    kw.setdefault("detected_by", DetectedBy.STREAM)
    return PaymentCandidate(order_code=code, detected_at=T0 + timedelta(minutes=minute), **kw)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "z.db")
    s.record_payments([
        cand(f"ZVR-20261127-{i:08X}", i, customer=f"{NAMES[i % len(NAMES)]} {i:02d}", amount=100_000 + 1_000 * i,
             order_status="PACKING" if i % 3 == 0 else "PAID")
        for i in range(STORED)
    ])
    s.mark_all_read()
    yield s
    s.close()


@pytest.fixture
def model(store, qtbot):
    return PaymentsModel(store, TZ, page_size=10)


def codes_in(model: PaymentsModel) -> list[str]:
    return [model.payment_at(r).order_code for r in range(model.rowCount())]


def expected(store: Store, flt: PaymentFilter, n: int | None = None) -> list[str]:
    return [p.order_code for p in query_payments(store, flt, TZ, limit=n or 10_000)]


def record(store: Store, *cands: PaymentCandidate):
    new, _ = store.record_payments(list(cands))
    return new


def load_all(model: PaymentsModel) -> None:
    for _ in range(100):  # bounded
        if not model.canFetchMore(QModelIndex()):
            return
        model.fetchMore(QModelIndex())
    raise AssertionError("never reached the end")


# --- the Qt contract -------------------------------------------------------------------------------

def test_model_passes_qt_model_tester(model, qtmodeltester):
    qtmodeltester.check(model, force_py=True)


def test_first_page_then_fetch_more_to_the_end(model, store):
    assert model.rowCount() == 10 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 20
    load_all(model)
    assert model.rowCount() == STORED and not model.canFetchMore(QModelIndex())
    assert codes_in(model) == expected(store, PaymentFilter())
    model.fetchMore(QModelIndex())  # nothing left: no change
    assert model.rowCount() == STORED


def test_a_view_fetches_more_when_scrolled_to_the_end(model, qtbot):
    view = PaymentsView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 300)
    view.show()
    qtbot.waitExposed(view)
    start = model.rowCount()
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > start, timeout=3000)


def test_enabling_sorting_on_the_view_does_not_reload(model, qtbot):
    view = PaymentsView()
    qtbot.addWidget(view)
    with qtbot.assertNotEmitted(model.modelReset):
        view.setModel(model)
    header = view.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (COL_TIME, Qt.SortOrder.DescendingOrder)
    assert view.isSortingEnabled()


def test_display_and_custom_roles(store, qtbot):
    record(store, cand("ZVR-20261127-26A6A050", 100, customer="Budi Santoso", amount=717_000,
                       detected_by=DetectedBy.RECONCILE, order_status="PACKING"))
    model = PaymentsModel(store, TZ, page_size=10)
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row == ["2026-11-27 13:40:00", "ZVR-20261127-26A6A050", "Budi Santoso", "BCA VA", "Rp 717.000", "Packing",
                   "Reconcile", ""]
    index = model.index(0, COL_UNREAD)
    assert index.data(UnreadRole) is True
    assert index.data(PaymentRole).order_code == "ZVR-20261127-26A6A050"
    assert isinstance(index.data(Qt.ItemDataRole.DecorationRole), QPixmap)
    assert model.index(0, COL_AMOUNT).data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, COL_ORDER).data(Qt.ItemDataRole.FontRole).bold()
    read = model.index(1, COL_UNREAD)
    assert read.data(UnreadRole) is False and read.data(Qt.ItemDataRole.DecorationRole) is None
    assert model.headerData(COL_CUSTOMER, Qt.Orientation.Horizontal) == "Customer"
    assert model.headerData(COL_UNREAD, Qt.Orientation.Horizontal) == ""
    assert model.payment_at(-1) is None and model.payment_at(10) is None


# --- filter, search, sort ------------------------------------------------------------------------

def test_filter_search_and_sort_happen_in_sql(model, store, qtbot):
    flt = PaymentFilter(search="i 1", statuses=frozenset({"PACKING"}))
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.set_filter(flt)
    assert model.filter() == flt
    # Dewi 12, Andi 15, Budi 18 (PACKING is every third); Siti 10 and Putri 14 are PAID
    assert codes_in(model) == ["ZVR-20261127-00000012", "ZVR-20261127-0000000F", "ZVR-20261127-0000000C"]

    model.set_filter(PaymentFilter())
    model.sort(COL_AMOUNT, Qt.SortOrder.AscendingOrder)
    assert model.filter().sort is SortKey.AMOUNT and not model.filter().descending
    assert codes_in(model) == expected(store, PaymentFilter(sort=SortKey.AMOUNT, descending=False), 10)
    with qtbot.assertNotEmitted(model.modelReset):
        model.sort(COL_AMOUNT, Qt.SortOrder.AscendingOrder)  # same order: nothing to do


@pytest.mark.parametrize("column", [COL_TIME, COL_ORDER, COL_CUSTOMER, COL_METHOD, COL_AMOUNT, COL_STATUS,
                                    COL_FOUND_BY, COL_UNREAD])
def test_every_column_sorts_and_pages(model, store, column):
    model.sort(column, Qt.SortOrder.AscendingOrder)
    load_all(model)
    assert codes_in(model) == expected(store, model.filter())


# --- live batches ----------------------------------------------------------------------------------

def inserted(qtbot, model):
    """Record every rowsInserted (first, last)."""
    seen: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: seen.append((first, last)))
    return seen


def test_a_batch_of_new_payments_is_one_insert_at_the_top(model, store, qtbot):
    seen = inserted(qtbot, model)
    new = record(store, *(cand(f"ZVR-NEW-{i}", 100 + i) for i in range(5)))
    model.apply_batch(ChangeBatch(new_payments=new))
    assert seen == [(0, 4)]
    assert codes_in(model)[:5] == ["ZVR-NEW-4", "ZVR-NEW-3", "ZVR-NEW-2", "ZVR-NEW-1", "ZVR-NEW-0"]
    assert model.rowCount() == 15
    model.apply_batch(ChangeBatch(new_payments=new))  # a repeat changes nothing
    assert seen == [(0, 4)]
    load_all(model)  # later pages do not bring them twice
    assert codes_in(model) == expected(store, PaymentFilter())


def test_new_payments_outside_the_filter_are_not_shown(model, store, qtbot):
    model.set_filter(PaymentFilter(statuses=frozenset({"PACKING"})))
    seen = inserted(qtbot, model)
    new = record(store, cand("ZVR-PAID", 100, order_status="PAID"), cand("ZVR-PACKING", 101, order_status="PACKING"))
    model.apply_batch(ChangeBatch(new_payments=new))
    assert seen == [(0, 0)] and codes_in(model)[0] == "ZVR-PACKING" and "ZVR-PAID" not in codes_in(model)


@pytest.mark.parametrize("splices", [32, 0], ids=["spliced", "rebuilt"])
def test_scattered_inserts_are_one_insert_and_keep_the_selection(model, store, qtbot, monkeypatch, splices):
    monkeypatch.setattr(payments_model, "_SPLICES", splices)
    model.sort(COL_CUSTOMER, Qt.SortOrder.AscendingOrder)
    model.fetchMore(QModelIndex())  # 20 of 45 loaded: "Agus 02" … up to about "Budi 36"
    before = codes_in(model)
    selection = QItemSelectionModel(model)
    watched = {row: QPersistentModelIndex(model.index(row, COL_CUSTOMER)) for row in (0, 3, 7, 12, 19)}
    watched_codes = {row: model.payment_at(row).order_code for row in watched}
    current_code = model.payment_at(7).order_code
    selection.setCurrentIndex(model.index(7, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    seen = inserted(qtbot, model)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles=(): changed.append((a.row(), b.row())))

    new = record(store,
                 cand("ZVR-AAA", 100, customer="Aaron"),  # first of all
                 cand("ZVR-AND", 101, customer="Andi 99"),  # among the Andis
                 cand("ZVR-AYU", 102, customer="ayu 00b"),  # among the Ayus (case-insensitive)
                 cand("ZVR-ZZZ", 103, customer="Zainal"))  # below the loaded part: left to its page
    model.apply_batch(ChangeBatch(new_payments=new))

    assert len(seen) == 1 and seen[0] == (0, 2)
    assert model.rowCount() == len(before) + 3
    assert codes_in(model) == expected(store, model.filter(), model.rowCount())
    assert "ZVR-ZZZ" not in codes_in(model)
    for row, index in watched.items():  # persistent indexes follow their orders
        assert model.payment_at(index.row()).order_code == watched_codes[row]
    assert model.payment_at(selection.currentIndex().row()).order_code == current_code
    assert changed and changed[0][0] == 3  # the rows between the insert places were repainted
    load_all(model)
    assert codes_in(model) == expected(store, model.filter())  # ZVR-ZZZ came with its page, nothing twice


def test_fully_loaded_model_appends_new_rows_that_sort_last(model, store, qtbot):
    model.sort(COL_CUSTOMER, Qt.SortOrder.AscendingOrder)
    load_all(model)
    seen = inserted(qtbot, model)
    model.apply_batch(ChangeBatch(new_payments=record(store, cand("ZVR-ZZZ", 100, customer="Zainal"))))
    assert seen == [(STORED, STORED)] and codes_in(model)[-1] == "ZVR-ZZZ"


def test_an_empty_view_shows_the_first_payment(tmp_path, qtbot):
    s = Store.open(tmp_path / "empty.db")
    model = PaymentsModel(s, TZ)
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    model.apply_batch(ChangeBatch(new_payments=record(s, cand("ZVR-FIRST", 0))))
    assert codes_in(model) == ["ZVR-FIRST"]
    s.close()


def test_updated_payments_change_rows_in_place(model, store, qtbot):
    new = record(store, cand("ZVR-LATE", 100, customer=None, amount=None))
    model.apply_batch(ChangeBatch(new_payments=new))
    assert model.index(0, COL_CUSTOMER).data() == "" and model.index(0, COL_AMOUNT).data() == formatting.UNKNOWN
    _, updated = store.record_payments([cand("ZVR-LATE", 100, customer="Sri Rahayu", amount=250_000,
                                             detected_by=DetectedBy.RECONCILE, order_status="PACKING",
                                             paid_at=T0 + timedelta(minutes=99))])
    with qtbot.waitSignal(model.dataChanged, timeout=1000) as signal, qtbot.assertNotEmitted(model.rowsInserted):
        model.apply_batch(ChangeBatch(updated_payments=updated))
    assert signal.args[0].row() == 0
    assert model.payment_at(0).order_code == "ZVR-LATE"  # its time moved a minute: it stays put
    assert [model.index(0, c).data() for c in (COL_CUSTOMER, COL_AMOUNT, COL_STATUS)] == [
        "Sri Rahayu", "Rp 250.000", "Packing"]


def test_read_changes_flip_unread_dots(model, store, qtbot):
    new = record(store, *(cand(f"ZVR-NEW-{i}", 100 + i) for i in range(3)))
    model.apply_batch(ChangeBatch(new_payments=new))
    unread = [model.index(r, 0).data(UnreadRole) for r in range(4)]
    assert unread == [True, True, True, False]
    store.mark_read(["ZVR-NEW-1"])
    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        model.apply_batch(ChangeBatch(read_change=ReadChange(("ZVR-NEW-1", "ZVR-NOT-LOADED"), True)))
    assert [model.index(r, 0).data(UnreadRole) for r in range(3)] == [True, False, True]
    store.mark_all_read()
    model.apply_batch(ChangeBatch(read_change=ReadChange(None, True)))
    assert not any(model.index(r, 0).data(UnreadRole) for r in range(model.rowCount()))
    model.apply_batch(ChangeBatch(read_change=ReadChange(("ZVR-NEW-0",), False)))
    assert model.index(2, 0).data(UnreadRole) is True


# --- row_of ----------------------------------------------------------------------------------------

def test_row_of_finds_loaded_rows_and_loads_down_to_others(model, store):
    assert model.row_of(model.payment_at(4).order_code) == 4
    oldest = expected(store, PaymentFilter())[-1]
    row = model.row_of(oldest)  # 35 rows below the loaded part: loaded in one go
    assert row == STORED - 1 and model.payment_at(row).order_code == oldest
    assert codes_in(model) == expected(store, PaymentFilter())


def test_row_of_stops_at_the_bound(model, store, monkeypatch):
    monkeypatch.setattr(payments_model, "ROW_OF_LOAD_LIMIT", 5)
    assert model.row_of(expected(store, PaymentFilter())[-1]) is None
    assert model.rowCount() == 10
    assert model.row_of(expected(store, PaymentFilter())[13]) == 13


def test_row_of_an_order_the_filter_hides_or_the_store_lacks(model, store):
    model.set_filter(PaymentFilter(statuses=frozenset({"PACKING"})))
    paid = expected(store, PaymentFilter(statuses=frozenset({"PAID"})))[0]
    assert model.row_of(paid) is None
    assert model.row_of("ZVR-NEVER-SEEN") is None
    model.set_filter(PaymentFilter(order_codes=frozenset({paid})))
    assert model.row_of(paid) == 0


# --- formatting ------------------------------------------------------------------------------------

def test_formatting(qtbot):
    assert formatting.money(717_000) == "Rp 717.000"
    assert formatting.money(1_250_000_000) == "Rp 1.250.000.000"
    assert formatting.money(0) == "Rp 0" and formatting.money(None) == formatting.UNKNOWN
    assert formatting.number(12_345) == "12.345"
    assert formatting.shop_time(datetime(2026, 11, 27, 17, 0, 5, 999, tzinfo=UTC), TZ) == "2026-11-28 00:00:05"
    assert formatting.shop_time(None, TZ) == formatting.UNKNOWN
    assert [formatting.method_text(m) for m in ("bca_va", "qris", "credit_card", "new_wallet", "")] == [
        "BCA VA", "QRIS", "Card", "NEW WALLET", ""]
    assert [formatting.found_by_text(d) for d in DetectedBy] == ["Live stream", "Reconcile", "Status check",
                                                                  "Webhook replay"]
    assert formatting.status_text("PACKING") == "Packing" and formatting.status_text("ON_HOLD") == "On hold"


# --- CSV export ------------------------------------------------------------------------------------

def read_csv(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_csv_export_writes_every_matching_row_in_view_order(model, store, tmp_path, qtbot):
    record(store, cand("ZVR-20261127-FORMULA", 200, customer="=HYPERLINK(\"http://x\")", amount=717_000,
                       paid_at=T0 + timedelta(minutes=199, seconds=30)),
           cand("ZVR-20261127-NOAMOUNT", 201, customer="Ñoño Pérez", amount=None))
    flt = PaymentFilter(sort=SortKey.AMOUNT)
    model.set_filter(flt)  # 10 rows loaded; the export still has all 47
    path = tmp_path / "out.csv"
    assert export_csv(store, model.filter(), TZ, path) == STORED + 2
    rows = read_csv(path)
    assert rows[0][:5] == ["Time (Asia/Jakarta)", "Order", "Customer", "Method", "Amount (Rp)"]
    assert [r[1] for r in rows[1:]] == expected(store, flt)
    by_code = {r[1]: r for r in rows[1:]}
    formula = by_code["ZVR-20261127-FORMULA"]
    assert formula[:8] == ["2026-11-27 15:19:30", "ZVR-20261127-FORMULA", "'=HYPERLINK(\"http://x\")", "BCA VA",
                           "717000", "Paid", "Live stream", "no"]
    assert formula[8:] == ["2026-11-27 15:19:30", "2026-11-27 15:20:00"]
    assert by_code["ZVR-20261127-NOAMOUNT"][2:5] == ["Ñoño Pérez", "BCA VA", ""]
    assert not (tmp_path / "out.csv.part").exists()


def test_csv_export_job_runs_in_slices_and_reports(model, store, tmp_path, qtbot, monkeypatch):
    monkeypatch.setattr("zavera_desktop.ui.csv_export.EXPORT_PAGE", 7)
    job = CsvExportJob(store, PaymentFilter(search="budi"), TZ, tmp_path / "budi.csv")
    job.SLICE_SECONDS = 0  # one page per event-loop turn
    progress: list[int] = []
    job.progress.connect(progress.append)
    with qtbot.waitSignal(job.finished, timeout=5000) as done:
        job.start()
    assert done.args == [5, str(tmp_path / "budi.csv")]
    assert [r[1] for r in read_csv(tmp_path / "budi.csv")[1:]] == expected(store, PaymentFilter(search="budi"))
    assert not job.running


def test_csv_export_job_cancel_leaves_no_file(store, tmp_path, qtbot, monkeypatch):
    monkeypatch.setattr("zavera_desktop.ui.csv_export.EXPORT_PAGE", 5)
    job = CsvExportJob(store, PaymentFilter(), TZ, tmp_path / "all.csv")
    job.SLICE_SECONDS = 0
    job.progress.connect(lambda _rows: job.cancel())
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.start()
    assert list(tmp_path.glob("all.csv*")) == []


def test_csv_export_job_reports_a_file_it_cannot_write(store, tmp_path, qtbot):
    job = CsvExportJob(store, PaymentFilter(), TZ, tmp_path / "missing-dir" / "x.csv")
    with qtbot.waitSignal(job.failed, timeout=1000) as failed:
        job.start()
    assert "missing-dir" in failed.args[0]
