"""The payments table against a million stored payments: start-up, paging, search, deep scroll, export.

Seeds N payments (default 1,000,000) spread over a year into a schema-1 database with one raw
executemany, times the schema 1 → 2 upgrade, then measures on the upgraded store:

* store open (incl. the migration check) + the first page query, in a fresh process each time;
* PaymentsModel creation + first fetch, RSS after it;
* search latency (first page) for typical searches, median / p99 of repeated runs;
* other sorts and filters (first page);
* deep scroll: fetchMore to the end (or --scroll-rows) by keyset, and the time per page there;
* one batch insert into the live model; CSV export of everything.

Figures are printed; nothing passes or fails. ``--db PATH`` keeps the seeded database between runs.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.table_bench [--rows N] [--db PATH]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TZ = ZoneInfo("Asia/Jakarta")
# the seeded year ends here: 23:59:59 shop time, so "today" is a full day
NOW = datetime(2026, 11, 27, 16, 59, 59, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent



def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Budi Siti Agus Dewi Rizky Putri Andi Ayu Fajar Nur Dian Eko Rina Hendra Wulan Yusuf Indah Bayu Sari Dimas "
    "Lestari Arif Fitri Joko Maya Rudi Citra Teguh Nadia Bambang Intan Galih Kartika Hadi Melati Irfan Ratna Wahyu "
    "Anisa Surya Dinda Reza Mega Taufik Sinta Gilang Ratih Ilham Yuni Adi Tiara Farhan Novi Ahmad Laras Bagus"
)
LAST_NAMES = _words(
    "Santoso Wijaya Pratama Saputra Hidayat Lestari Kusuma Nugroho Rahayu Setiawan Purnomo Siregar Nasution "
    "Hutapea Simanjuntak Gunawan Halim Tanjung Wibowo Susanto Utami Permata Syahputra Hakim Rahman Firmansyah "
    "Situmorang Lubis Harahap Sembiring Ginting Tarigan Manurung Sihombing Panjaitan Kurniawan Hartono Suryadi"
)
METHODS = (("bca_va", 30), ("qris", 25), ("gopay", 15), ("bri_va", 10), ("bni_va", 8), ("mandiri_va", 6),
           ("permata_va", 3), ("credit_card", 2), ("bank_transfer", 1))
SOURCES = (("stream", 880), ("reconcile", 90), ("verify", 25), ("replay", 5))
# payments by shop-local hour: quiet at night, busy in the lunch break and the evening
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 11, 13, 12, 10, 9, 9, 10, 12, 15, 17, 16, 11, 5)


def _pick(weighted: tuple[tuple[str, int], ...], rnd: random.Random, n: int) -> list[str]:
    values, weights = zip(*weighted, strict=True)
    return rnd.choices(values, weights=weights, k=n)


def _status(age: timedelta, rnd: random.Random) -> str:
    days = age.total_seconds() / 86400
    if days < 1:
        return rnd.choices(("PAID", "PACKING"), (7, 3))[0]
    if days < 4:
        return rnd.choices(("PACKING", "SHIPPED", "PAID"), (3, 6, 1))[0]
    if days < 10:
        return rnd.choices(("SHIPPED", "DELIVERED"), (4, 6))[0]
    return rnd.choices(("COMPLETED", "REFUNDED", "DELIVERED"), (95, 3, 2))[0]


def seed_rows(n: int, seed: int = 7) -> list[tuple[Any, ...]]:
    """Realistic payments over the year before NOW, in detection order (ids ascend with time).

    ~n/4 customers, a few of them buying often; names repeat (many a "Budi Santoso"), as they do.
    """
    rnd = random.Random(seed)
    # Asia/Jakarta is UTC+7 all year: shop-local day d starts at 17:00 UTC the day before
    first_local_midnight = datetime(2025, 11, 27, 17, 0)  # naive UTC, as the store keeps it
    hours = rnd.choices(range(24), weights=HOUR_WEIGHTS, k=n)
    methods = _pick(METHODS, rnd, n)
    sources = _pick(SOURCES, rnd, n)
    people = [f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}" for _ in range(max(1, n // 4))]
    offsets = sorted(rnd.randrange(365) * 86400 + hours[i] * 3600 + rnd.random() * 3600 for i in range(n))
    now = NOW.replace(tzinfo=None)
    delays = {"stream": (0.05, 2), "reconcile": (5, 300), "verify": (60, 840), "replay": (120, 3600)}
    prices = (89_000, 129_000, 159_000, 199_000, 249_000, 349_000, 459_000, 699_000)
    codes: set[str] = set()
    rows = []
    for i, offset in enumerate(offsets):
        paid_at = first_local_midnight + timedelta(seconds=offset)
        by = sources[i]
        low, spread = delays[by]
        detected = (paid_at + timedelta(seconds=low + rnd.random() * spread)).isoformat(" ", "microseconds")
        day = (paid_at + timedelta(hours=7)).strftime("%Y%m%d")
        code = ""
        while not code or code in codes:
            code = f"ZVR-{day}-{rnd.getrandbits(32):08X}"
        codes.add(code)
        # the reconcile and sync paths leave paid_at NULL (contract §10.12)
        known_paid = None if (by == "reconcile" and rnd.random() < 0.4) else paid_at.isoformat(" ", "microseconds")
        customer = None if rnd.random() < 0.01 else people[int(len(people) * rnd.random() ** 1.5)]
        amount = sum(rnd.choices(prices, k=1 + int(rnd.expovariate(1.2)))) + rnd.choice((0, 9_000, 15_000, 22_000))
        rows.append((code, amount, methods[i], customer, _status(now - paid_at, rnd), known_paid, detected, by,
                     0 if i >= n - 30 else 1, None, detected))
    return rows


def make_v1_database(path: Path, n: int) -> float:
    """A schema-1 database (as the engine wrote before schema 2) holding n payments; returns seconds."""
    from zavera_desktop.store import Store
    from zavera_desktop.store.schema import PAYMENT_INDEXES_V2

    Store.open(path).close()
    t0 = time.perf_counter()
    rows = seed_rows(n)
    gen = time.perf_counter() - t0
    conn = sqlite3.connect(path)
    # back to schema 1: what a database written by the previous release looks like
    for trigger in ("payments_fts_ai", "payments_fts_ad", "payments_fts_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.execute("DROP TABLE IF EXISTS payments_fts")
    for index in PAYMENT_INDEXES_V2:
        conn.execute(f"DROP INDEX IF EXISTS {index.name}")
    conn.execute("UPDATE state SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    t1 = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO payments (order_code, amount, payment_method, customer, order_status, paid_at, detected_at,"
            " detected_by, read, payment_id, notified_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.close()
    print(f"seed: generated {n:,} rows in {gen:.1f} s, inserted (one executemany) in {time.perf_counter() - t1:.1f} s")
    return time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    # same interpolation as bench.harness.percentile; not imported from there, which loads the sandbox
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def fmt(values: list[float]) -> str:
    return (f"median {percentile(values, 0.5) * 1000:7.1f} ms  p99 {percentile(values, 0.99) * 1000:7.1f} ms"
            f"  (n={len(values)})")


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


_STARTUP_PROBE = """
import time, sys
t0 = time.perf_counter()
from zoneinfo import ZoneInfo
from zavera_desktop.store import Store
t1 = time.perf_counter()
store = Store.open(sys.argv[1])
t2 = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from zavera_desktop.ui.payments_model import PaymentsModel, PaymentsView
t3 = time.perf_counter()
model = PaymentsModel(store, ZoneInfo("Asia/Jakarta"))
t4 = time.perf_counter()
view = PaymentsView()
view.setModel(model)
view.resize(1200, 700)
view.show()
app.processEvents()
t5 = time.perf_counter()
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS:")) / 1024
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, rss, model.rowCount())
"""
_PROBE_PARTS = ("import store (SQLAlchemy)", "Store.open (migration check)", "QApplication + import Qt/model",
                "PaymentsModel (first page, 200 rows)", "view shown (first paint)")


def bench_startup(path: Path, repeat: int) -> None:
    parts: list[list[float]] = [[] for _ in range(5)]
    rss: list[float] = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _STARTUP_PROBE, str(path)], capture_output=True, text=True,
                             check=True, cwd=ROOT, timeout=120).stdout.split()
        for i in range(5):
            parts[i].append(float(out[i]))
        rss.append(float(out[5]))
    print("start-up, a fresh process each run:")
    for label, values in zip(_PROBE_PARTS, parts, strict=True):
        print(f"  {label:40s} {fmt(values)}")
    table_share = [parts[1][i] + parts[3][i] + parts[4][i] for i in range(repeat)]
    everything = [sum(p[i] for p in parts) for i in range(repeat)]
    print(f"  {'table share: open + first page + paint':40s} {fmt(table_share)}")
    print(f"  {'all of the above':40s} {fmt(everything)}")
    print(f"  RSS after the first page is painted: median {percentile(rss, 0.5):.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="keep the seeded database here (reused when it exists)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--scroll-rows", type=int, default=0, help="stop the deep scroll here (0: the end)")
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="zavera-table-bench-"))
    path = args.db or workdir / "payments.db"
    fresh = not path.exists()
    if fresh:
        make_v1_database(path, args.rows)
        print(f"database: {path.stat().st_size / 1e6:.0f} MB at schema 1")

    from zavera_desktop.store import Store

    t0 = time.perf_counter()
    store = Store.open(path)
    opened = time.perf_counter() - t0
    print(f"Store.open: {opened:.2f} s" + (" (the schema 1 → 2 upgrade: indexes + FTS build)" if fresh else ""))
    if fresh:
        print(f"database: {path.stat().st_size / 1e6:.0f} MB at schema 2")
    count = store.payment_count()
    print(f"payments stored: {count:,}")
    store.close()

    bench_startup(path, max(3, args.repeat // 4))
    bench_in_process(path, args)
    print(f"(database kept at {path})" if args.db else f"(scratch dir {workdir})")


def bench_in_process(path: Path, args: argparse.Namespace) -> None:
    from PySide6.QtWidgets import QApplication

    from zavera_desktop.domain import ChangeBatch, DetectedBy, PaymentCandidate
    from zavera_desktop.store import Store
    from zavera_desktop.store.queries import PaymentFilter, SortKey, count_payments, query_page, today_summary
    from zavera_desktop.ui.csv_export import CsvExportJob
    from zavera_desktop.ui.payments_model import PaymentsModel

    app = QApplication.instance() or QApplication([])
    store = Store.open(path)
    rss0 = rss_mb()
    t0 = time.perf_counter()
    model = PaymentsModel(store, TZ)
    elapsed = (time.perf_counter() - t0) * 1000
    print(f"PaymentsModel + first page, in process: {elapsed:.1f} ms, {model.rowCount()} rows;"
          f" RSS {rss_mb():.0f} MB (+{rss_mb() - rss0:.1f} MB for the model)")

    print("search, first page (200 rows), store side incl. building Payment objects:")
    base = PaymentFilter()
    sample = query_page(store, base, TZ, offset=123_457, limit=1).rows[0].payment
    searches = {
        "order code tail (8 hex)": sample.order_code[-8:],
        "order code fragment (4)": sample.order_code[-6:-2],
        "order code date part": sample.order_code[4:12],
        "full order code": sample.order_code,
        "customer full name": sample.customer or "Budi Santoso",
        "customer first name": (sample.customer or "Budi").split()[0],
        "customer last name": (sample.customer or "x Santoso").split()[-1],
        "no match": "qqqzzz",
        "1 letter (bounded)": "b",
        "2 letters (bounded)": "zq",
        "month in codes (slow case)": "202512",
    }
    for label, term in searches.items():
        flt = PaymentFilter(search=term)
        n = len(query_page(store, flt, TZ).rows)
        times = timed(lambda f=flt: query_page(store, f, TZ), args.repeat)
        print(f"  {label:28s} {term!r:24s} {n:4d} rows  {fmt(times)}")
    print("model.set_filter(search) + back to the default (two resets, two first pages):")
    for label in ("customer first name", "order code tail (8 hex)"):
        flt = PaymentFilter(search=searches[label])
        print(f"  {label:28s} {fmt(timed(lambda f=flt: (model.set_filter(f), model.set_filter(base)), args.repeat))}")

    print("first page of other sorts and filters:")
    today = NOW.astimezone(TZ).date()
    cases = {
        "amount, ascending": PaymentFilter(sort=SortKey.AMOUNT, descending=False),
        "customer, ascending": PaymentFilter(sort=SortKey.CUSTOMER, descending=False),
        "status REFUNDED, by time": PaymentFilter(statuses=frozenset({"REFUNDED"})),
        "found by verify, by amount": PaymentFilter(found_by=frozenset({DetectedBy.VERIFY}), sort=SortKey.AMOUNT),
        "found by replay, by customer": PaymentFilter(found_by=frozenset({DetectedBy.REPLAY}), sort=SortKey.CUSTOMER),
        "one day, by customer": PaymentFilter(date_from=today - timedelta(days=100),
                                              date_to=today - timedelta(days=100), sort=SortKey.CUSTOMER),
        "30 days, by customer": PaymentFilter(date_from=today - timedelta(days=29), date_to=today,
                                              sort=SortKey.CUSTOMER),
        "unread only": PaymentFilter(unread_only=True),
        "search 'santoso' + COMPLETED": PaymentFilter(search="santoso", statuses=frozenset({"COMPLETED"})),
    }
    for label, flt in cases.items():
        print(f"  {label:28s} {fmt(timed(lambda f=flt: query_page(store, f, TZ), args.repeat))}")
    print(f"  {'count all (capped 10,000)':28s} "
          f"{fmt(timed(lambda: count_payments(store, base, TZ, cap=10_000), args.repeat))}")
    print(f"  {'count all (exact)':28s} {fmt(timed(lambda: count_payments(store, base, TZ), 5))}")
    print(f"  {'today_summary':28s} {fmt(timed(lambda: today_summary(store, TZ, NOW), args.repeat))}")

    def live_batch(label: str) -> None:
        new, _ = store.record_payments([
            PaymentCandidate(order_code=f"ZVR-BENCH-{time.time_ns()}-{i:03d}", amount=150_000,
                             detected_by=DetectedBy.STREAM, detected_at=datetime.now(UTC), payment_method="qris",
                             customer="Bench Customer") for i in range(50)])
        t0 = time.perf_counter()
        model.apply_batch(ChangeBatch(new_payments=new))
        print(f"apply_batch(50 new) with {label}: {(time.perf_counter() - t0) * 1000:.1f} ms")

    model.set_filter(base)
    live_batch("the first page loaded")

    if not args.skip_export:
        out = path.with_suffix(".csv")
        job = CsvExportJob(store, base, TZ, out)
        stamps: list[float] = []
        job.progress.connect(lambda _rows: stamps.append(time.perf_counter()))
        job.finished.connect(lambda _rows, _path: stamps.append(time.perf_counter()))
        t0 = time.perf_counter()
        stamps.append(t0)
        job.start()
        deadline = time.monotonic() + 900
        while job.running and time.monotonic() < deadline:
            app.processEvents()
        slices = [b - a for a, b in itertools.pairwise(stamps)]
        print(f"CSV export of everything, CsvExportJob on the GUI thread: {time.perf_counter() - t0:.1f} s, "
              f"{out.stat().st_size / 1e6:.0f} MB; event-loop stalls (slices) {fmt(slices)}, "
              f"longest {max(slices) * 1000:.0f} ms")
        out.unlink()

    print("deep scroll by keyset (model.fetchMore, 200 rows a page):")
    target = args.scroll_rows or sys.maxsize
    page_times = []
    t0 = time.perf_counter()
    while model.canFetchMore() and model.rowCount() < target:
        t1 = time.perf_counter()
        model.fetchMore()
        page_times.append(time.perf_counter() - t1)
    total = time.perf_counter() - t0
    print(f"  reached row {model.rowCount():,} in {total:.1f} s; per page {fmt(page_times)}; "
          f"last 100 pages {fmt(page_times[-100:])}; RSS {rss_mb():.0f} MB")
    live_batch(f"{model.rowCount():,} rows loaded")
    store.close()


if __name__ == "__main__":
    main()
