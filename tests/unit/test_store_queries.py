"""Reads behind the payments table: filters, search, sort, keyset pages, today's totals, schema 2."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zavera_desktop.domain import DetectedBy, PaymentCandidate
from zavera_desktop.store import Store
from zavera_desktop.store import queries as q
from zavera_desktop.store.queries import PageCursor, PaymentFilter, SortKey
from zavera_desktop.store.schema import SCHEMA_VERSION

TZ = ZoneInfo("Asia/Jakarta")  # UTC+7, no DST: shop midnight is 17:00 UTC
T0 = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)  # 12:00 shop time


def cand(code: str, *, at: datetime, by: DetectedBy = DetectedBy.STREAM, **kw) -> PaymentCandidate:
    kw.setdefault("amount", 150_000)
    kw.setdefault("payment_method", "bca_va")
    return PaymentCandidate(order_code=code, detected_by=by, detected_at=at, **kw)


# Ties on purpose (equal statuses, amounts, customers) and the NULL cases (customer, amount, paid_at).
ROWS = [
    cand("ZVR-20261127-0000000A", at=T0, customer="Budi Santoso", amount=717_000, paid_at=T0 - timedelta(seconds=2)),
    cand("ZVR-20261127-0000000B", at=T0 + timedelta(minutes=1), customer="siti aminah", amount=150_000,
         payment_method="qris", order_status="PACKING", by=DetectedBy.RECONCILE),
    cand("ZVR-20261127-0000000C", at=T0 + timedelta(minutes=2), customer=None, amount=None, payment_method="gopay"),
    cand("ZVR-20261127-0000000D", at=T0 + timedelta(minutes=3), customer="Agus Wijaya", amount=150_000,
         by=DetectedBy.VERIFY),
    cand("ZVR-20261127-0000000E", at=T0 + timedelta(minutes=4), customer="Budi Santoso", amount=89_000,
         order_status="SHIPPED", paid_at=T0 - timedelta(days=1)),  # found late: paid yesterday
    cand("ZVR-20261126-0000000F", at=T0 + timedelta(minutes=5), customer="Dewi 100%_off", amount=2_500_000,
         by=DetectedBy.REPLAY),
    cand("ZVR-20261127-00000010", at=T0 + timedelta(minutes=6), customer="budi hartono", amount=150_000),
]


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "z.db")
    s.record_payments(ROWS)  # the repository's own write path: the FTS triggers are part of the test
    yield s
    s.close()


def codes(payments) -> list[str]:
    return [p.order_code for p in payments]


def all_rows(store: Store, flt: PaymentFilter) -> list[str]:
    return codes(q.query_payments(store, flt, TZ, limit=10_000))


def python_key(p, sort: SortKey):
    """The documented meaning of each sort key, computed independently of the SQL."""
    return {
        SortKey.TIME: p.paid_at or p.detected_at,
        SortKey.ORDER_CODE: p.order_code,
        SortKey.CUSTOMER: (p.customer or "").lower(),
        SortKey.METHOD: p.payment_method,
        SortKey.AMOUNT: -1 if p.amount is None else p.amount,
        SortKey.STATUS: p.order_status,
        SortKey.FOUND_BY: p.detected_by.value,
        SortKey.UNREAD: p.read,
    }[sort]


# --- order and pages -------------------------------------------------------------------------------

def test_default_view_is_newest_first_by_paid_or_detected_time(store):
    got = all_rows(store, PaymentFilter())
    assert got[0] == "ZVR-20261127-00000010"
    # paid yesterday, found today: it sorts by when it was paid, below today's payments
    assert got[-1] == "ZVR-20261127-0000000E"


@pytest.mark.parametrize("sort", list(SortKey))
@pytest.mark.parametrize("descending", [True, False])
def test_keyset_pages_walk_every_row_once_in_order(store, sort, descending):
    store.mark_read(["ZVR-20261127-0000000B", "ZVR-20261127-0000000D"])  # ties on the unread column too
    flt = PaymentFilter(sort=sort, descending=descending)
    everything = q.query_payments(store, flt, TZ, limit=100)
    expected = sorted(everything, key=lambda p: (python_key(p, sort), p.id), reverse=descending)
    assert codes(everything) == codes(expected)

    seen, after = [], None
    for _ in range(10):  # bounded: 7 rows in pages of 2
        page = q.query_page(store, flt, TZ, after=after, limit=2)
        seen += page.payments
        if not page.more:
            break
        after = page.next_cursor
    assert codes(seen) == codes(expected)


def test_offset_paging_agrees_with_keyset(store):
    flt = PaymentFilter(sort=SortKey.AMOUNT)
    assert codes(q.query_payments(store, flt, TZ, offset=2, limit=3)) == all_rows(store, flt)[2:5]


def test_page_reports_whether_more_follow(store):
    assert q.query_page(store, PaymentFilter(), TZ, limit=7).more is False
    assert q.query_page(store, PaymentFilter(), TZ, limit=6).more is True


def test_until_stops_a_page_at_a_known_row_inclusive(store):
    flt = PaymentFilter()
    full = q.query_page(store, flt, TZ, limit=100).rows
    first = q.query_page(store, flt, TZ, limit=2)
    page = q.query_page(store, flt, TZ, after=first.next_cursor, until=full[4].cursor, limit=100)
    assert [r.payment.order_code for r in page.rows] == [r.payment.order_code for r in full[2:5]]
    assert page.more is False


def test_iter_rows_yields_everything_in_pages(store):
    pages = list(q.iter_rows(store, PaymentFilter(sort=SortKey.CUSTOMER), TZ, page_size=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [r.order_code for page in pages for r in page] == all_rows(store, PaymentFilter(sort=SortKey.CUSTOMER))
    assert list(q.iter_rows(store, PaymentFilter(search="nobody"), TZ)) == []


# --- filters ---------------------------------------------------------------------------------------

def test_status_found_by_unread_and_code_filters(store):
    assert all_rows(store, PaymentFilter(statuses=frozenset({"PACKING", "SHIPPED"}))) == [
        "ZVR-20261127-0000000B", "ZVR-20261127-0000000E"]
    assert all_rows(store, PaymentFilter(found_by=frozenset({DetectedBy.VERIFY, DetectedBy.REPLAY}))) == [
        "ZVR-20261126-0000000F", "ZVR-20261127-0000000D"]
    store.mark_all_read()
    store.mark_read(["ZVR-20261127-0000000C"], read=False)
    assert all_rows(store, PaymentFilter(unread_only=True)) == ["ZVR-20261127-0000000C"]
    picked = frozenset({"ZVR-20261127-0000000A", "ZVR-20261127-00000010", "ZVR-NOT-STORED"})
    assert all_rows(store, PaymentFilter(order_codes=picked)) == ["ZVR-20261127-00000010", "ZVR-20261127-0000000A"]
    assert all_rows(store, PaymentFilter(order_codes=frozenset())) == []


def test_date_range_is_in_shop_local_days(tmp_path):
    s = Store.open(tmp_path / "d.db")
    midnight = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # 28 Nov 00:00 in Jakarta
    s.record_payments([
        cand("LATE", at=midnight - timedelta(seconds=1)),  # 27 Nov 23:59:59 shop time
        cand("EARLY", at=midnight),  # 28 Nov 00:00:00
        cand("NEXT", at=midnight + timedelta(days=1)),  # 29 Nov
    ])
    day27, day28 = date(2026, 11, 27), date(2026, 11, 28)
    assert all_rows(s, PaymentFilter(date_from=day27, date_to=day27)) == ["LATE"]
    assert all_rows(s, PaymentFilter(date_from=day28, date_to=day28)) == ["EARLY"]
    assert all_rows(s, PaymentFilter(date_from=day28)) == ["NEXT", "EARLY"]
    assert all_rows(s, PaymentFilter(date_to=day28)) == ["EARLY", "LATE"]
    s.close()


# --- search ----------------------------------------------------------------------------------------

def test_fresh_database_has_the_search_index(store):
    assert q.search_index_available(store)


@pytest.mark.parametrize(("term", "expected"), [
    ("0000000c", ["ZVR-20261127-0000000C"]),  # order code fragment, any case
    ("ZVR-20261126", ["ZVR-20261126-0000000F"]),
    ("budi", ["ZVR-20261127-00000010", "ZVR-20261127-0000000A", "ZVR-20261127-0000000E"]),
    ("SANTOSO", ["ZVR-20261127-0000000A", "ZVR-20261127-0000000E"]),
    ("di sa", ["ZVR-20261127-0000000A", "ZVR-20261127-0000000E"]),  # across the space
    ("100%_", ["ZVR-20261126-0000000F"]),  # LIKE's wildcards are plain characters here
    ("i%", []),  # escaped: as LIKE patterns these two would match most rows
    ("0_", []),
    ('"x', []),  # a quote cannot break the FTS query
    ("nobody", []),
])
def test_search_matches_order_code_or_customer_substrings(store, term, expected):
    assert all_rows(store, PaymentFilter(search=term)) == expected


def test_dense_and_sparse_search_plans_agree(store, monkeypatch):
    sparse = all_rows(store, PaymentFilter(search="budi"))
    monkeypatch.setattr(q, "DENSE_SEARCH_ROWS", 1)  # every term now walks the sort order with LIKE
    q._plans.clear()
    assert all_rows(store, PaymentFilter(search="budi")) == sparse
    assert all_rows(store, PaymentFilter(search="budi", sort=SortKey.AMOUNT)) == [
        "ZVR-20261127-0000000A", "ZVR-20261127-00000010", "ZVR-20261127-0000000E"]


@pytest.mark.parametrize("flt", [
    PaymentFilter(statuses=frozenset({"PAID"})),
    PaymentFilter(found_by=frozenset({DetectedBy.STREAM}), sort=SortKey.AMOUNT),
    PaymentFilter(date_from=date(2026, 11, 27), sort=SortKey.CUSTOMER),
    PaymentFilter(unread_only=True, statuses=frozenset({"PAID", "SHIPPED"})),
], ids=["status", "source", "date", "unread"])
def test_steering_dense_conditions_changes_no_rows(store, monkeypatch, flt):
    store.mark_read(["ZVR-20261127-0000000A"])
    indexed = all_rows(store, flt)
    monkeypatch.setattr(q, "DENSE_ROWS", 1)  # every condition now counts as dense: walked, not indexed
    q._plans.clear()
    assert all_rows(store, flt) == indexed and indexed
    paged, after = [], None
    for _ in range(10):
        page = q.query_page(store, flt, TZ, after=after, limit=2)
        paged += codes(page.payments)
        if not page.more:
            break
        after = page.next_cursor
    assert paged == indexed


def test_a_customer_filled_in_later_becomes_searchable(store):
    assert all_rows(store, PaymentFilter(search="rahayu")) == []
    store.record_payments([cand("ZVR-20261127-0000000C", at=T0, by=DetectedBy.RECONCILE, customer="Sri Rahayu")])
    assert all_rows(store, PaymentFilter(search="rahayu")) == ["ZVR-20261127-0000000C"]
    # and a new payment is searchable at once
    store.record_payments([cand("ZVR-20261127-00000099", at=T0, customer="Sri Rahayu")])
    assert set(all_rows(store, PaymentFilter(search="rahayu"))) == {"ZVR-20261127-0000000C",
                                                                    "ZVR-20261127-00000099"}


def test_short_search_looks_at_the_newest_payments_only(store, monkeypatch):
    flt = PaymentFilter(search="bu")
    assert flt.search_is_bounded and not PaymentFilter(search="bud").search_is_bounded
    assert all_rows(store, flt) == ["ZVR-20261127-00000010", "ZVR-20261127-0000000A", "ZVR-20261127-0000000E"]
    monkeypatch.setattr(q, "SHORT_SEARCH_WINDOW", 3)  # only the last 3 arrivals (ids 5, 6, 7)
    assert all_rows(store, flt) == ["ZVR-20261127-00000010", "ZVR-20261127-0000000E"]
    assert all_rows(store, PaymentFilter(search="d")) == ["ZVR-20261127-00000010", "ZVR-20261126-0000000F",
                                                          "ZVR-20261127-0000000E"]


def test_search_falls_back_to_like_without_the_fts_table(tmp_path):
    path = tmp_path / "nofts.db"
    s = Store.open(path)
    s.record_payments(ROWS)
    s.close()
    with sqlite3.connect(path) as conn:  # as on a database or SQLite build without FTS5
        for trigger in ("payments_fts_ai", "payments_fts_ad", "payments_fts_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE payments_fts")
    s = Store.open(path)
    assert not q.search_index_available(s)
    assert all_rows(s, PaymentFilter(search="santoso")) == ["ZVR-20261127-0000000A", "ZVR-20261127-0000000E"]
    assert all_rows(s, PaymentFilter(search="0000000c")) == ["ZVR-20261127-0000000C"]
    s.close()


# --- rows by id / code, counts ---------------------------------------------------------------------

def test_matching_rows_applies_the_filter_and_returns_sort_keys(store):
    by_code = {p.order_code: p for p in q.query_payments(store, PaymentFilter(), TZ, limit=100)}
    ids = [by_code["ZVR-20261127-0000000A"].id, by_code["ZVR-20261127-0000000B"].id]
    got = q.matching_rows(store, PaymentFilter(statuses=frozenset({"PAID"}), sort=SortKey.AMOUNT), TZ, ids)
    assert [(r.payment.order_code, r.cursor) for r in got] == [
        ("ZVR-20261127-0000000A", PageCursor(717_000, ids[0]))]
    [row] = q.rows_by_code(store, SortKey.CUSTOMER, ["ZVR-20261127-0000000C"])
    assert row.cursor.key == ""  # an unknown customer sorts as the empty name
    assert q.rows_by_id(store, SortKey.TIME, []) == []


def test_counts(store):
    assert q.count_payments(store, PaymentFilter(), TZ) == 7
    assert q.count_payments(store, PaymentFilter(), TZ, cap=3) == 3
    assert q.count_payments(store, PaymentFilter(search="budi"), TZ) == 3
    assert q.unread_count(store) == 7
    store.mark_read(["ZVR-20261127-0000000A"])
    assert q.unread_count(store) == 6


# --- today ----------------------------------------------------------------------------------------

def test_today_summary_counts_by_paid_time_in_the_shop_day(tmp_path):
    s = Store.open(tmp_path / "t.db")
    midnight = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # 28 Nov 00:00 shop time
    s.record_payments([
        cand("A", at=midnight - timedelta(seconds=1), amount=100_000),  # 27 Nov 23:59:59
        cand("B", at=midnight + timedelta(seconds=30), amount=200_000,  # detected 00:00:30,
             paid_at=midnight - timedelta(seconds=30)),  # but paid 23:59:30: yesterday's
        cand("C", at=midnight + timedelta(hours=9, minutes=15), amount=300_000),  # 09:15, no paid_at
        cand("D", at=midnight + timedelta(hours=9, minutes=50), amount=None),  # amount not known yet
        cand("E", at=midnight + timedelta(hours=14), by=DetectedBy.RECONCILE, amount=50_000,
             paid_at=midnight + timedelta(hours=13, minutes=59)),  # 13:59
        cand("F", at=midnight + timedelta(days=1), amount=999_000),  # tomorrow
    ])
    now = midnight + timedelta(hours=15)
    today = q.today_summary(s, TZ, now)
    assert (today.count, today.total_rupiah) == (3, 350_000)
    assert len(today.per_hour) == 24
    assert today.per_hour[9] == 2 and today.per_hour[13] == 1 and sum(today.per_hour) == 3
    yesterday = q.today_summary(s, TZ, midnight - timedelta(hours=1))
    assert (yesterday.count, yesterday.total_rupiah) == (2, 300_000)
    assert yesterday.per_hour[23] == 2
    s.close()


def test_today_summary_of_an_empty_store(tmp_path):
    s = Store.open(tmp_path / "e.db")
    assert q.today_summary(s, TZ, T0) == q.TodaySummary(0, 0, [0] * 24)
    s.close()


# --- schema 2 --------------------------------------------------------------------------------------

# The schema-1 database exactly as the engine created it before schema 2 (sqlite_master of a fresh
# Store.open at commit 192639a), so the upgrade is tested on what users have on disk.
V1_SCHEMA = """
CREATE TABLE payments (
	id INTEGER NOT NULL, order_code VARCHAR(100) NOT NULL, amount INTEGER, payment_method VARCHAR(40) NOT NULL,
	customer VARCHAR(255), order_status VARCHAR(30) NOT NULL, paid_at DATETIME, detected_at DATETIME NOT NULL,
	detected_by VARCHAR(20) NOT NULL, read BOOLEAN NOT NULL, payment_id INTEGER, notified_at DATETIME, raw TEXT,
	PRIMARY KEY (id), UNIQUE (order_code)
);
CREATE INDEX ix_payments_detected_at ON payments (detected_at);
CREATE INDEX ix_payments_unnotified ON payments (notified_at);
CREATE TABLE orders_seen (
	order_code VARCHAR(100) NOT NULL, status VARCHAR(30) NOT NULL, customer VARCHAR(255), amount INTEGER,
	created_at DATETIME, first_seen_at DATETIME NOT NULL, status_seen_at DATETIME NOT NULL, payment_id INTEGER,
	payment_lookup_done BOOLEAN NOT NULL, last_verified_at DATETIME, verify_count INTEGER NOT NULL,
	PRIMARY KEY (order_code)
);
CREATE INDEX ix_orders_seen_status ON orders_seen (status);
CREATE TABLE events (
	id INTEGER NOT NULL, event_id VARCHAR(100), type VARCHAR(40) NOT NULL, order_code VARCHAR(100),
	message TEXT NOT NULL, payload TEXT, received_at DATETIME NOT NULL, PRIMARY KEY (id)
);
CREATE INDEX ix_events_received_at ON events (received_at);
CREATE INDEX ix_events_order ON events (order_code);
CREATE TABLE actions (
	id INTEGER NOT NULL, at DATETIME NOT NULL, actor VARCHAR(255) NOT NULL, action VARCHAR(40) NOT NULL,
	order_code VARCHAR(100), request TEXT, response TEXT, outcome VARCHAR(255) NOT NULL, PRIMARY KEY (id)
);
CREATE INDEX ix_actions_order ON actions (order_code);
CREATE TABLE state ("key" VARCHAR(100) NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key"));
INSERT INTO state VALUES ('schema_version', '1');
INSERT INTO payments VALUES (1, 'ZVR-20261127-0000AAAA', 717000, 'bca_va', 'Budi Santoso', 'PAID',
	'2026-11-27 04:59:58.000000', '2026-11-27 05:00:00.000000', 'stream', 1, NULL, '2026-11-27 05:00:00.000000', NULL);
INSERT INTO payments VALUES (2, 'ZVR-20261127-0000BBBB', 150000, 'qris', NULL, 'PAID',
	NULL, '2026-11-27 05:01:00.000000', 'stream', 0, NULL, '2026-11-27 05:01:00.000000', NULL);
"""


def test_schema_1_database_upgrades_in_place(tmp_path):
    path = tmp_path / "v1.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_SCHEMA)
    s = Store.open(path)
    assert s.schema_version() == SCHEMA_VERSION >= 2
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"payments_fts", "payments_fts_ai", "payments_fts_au", "payments_fts_ad", "ix_payments_time",
            "ix_payments_customer_key", "ix_payments_amount_key", "ix_payments_read"} <= names
    # rows written by schema 1 are found by the new search and sorted by the new keys
    assert all_rows(s, PaymentFilter(search="santoso")) == ["ZVR-20261127-0000AAAA"]
    assert all_rows(s, PaymentFilter(sort=SortKey.CUSTOMER, descending=False)) == [
        "ZVR-20261127-0000BBBB", "ZVR-20261127-0000AAAA"]
    assert q.unread_count(s) == 1
    # the repository's writes keep the index in sync after the upgrade
    s.record_payments([cand("ZVR-20261127-0000BBBB", at=T0, by=DetectedBy.RECONCILE, customer="Sri Rahayu"),
                       cand("ZVR-20261127-0000CCCC", at=T0, customer="Sri Wahyuni")])
    assert all_rows(s, PaymentFilter(search="sri ")) == ["ZVR-20261127-0000BBBB", "ZVR-20261127-0000CCCC"]
    s.close()
    # opening again is a no-op
    s = Store.open(path)
    assert s.schema_version() == SCHEMA_VERSION
    assert all_rows(s, PaymentFilter(search="rahayu")) == ["ZVR-20261127-0000BBBB"]
    s.close()


def test_the_upgrade_is_one_transaction(tmp_path, monkeypatch):
    from zavera_desktop.store import StoreError, schema

    path = tmp_path / "v1.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_SCHEMA)

    def broken(conn):
        schema._migrate_to_2(conn)
        raise RuntimeError("disk full")

    monkeypatch.setitem(schema.MIGRATIONS, 2, broken)
    with pytest.raises(StoreError):
        Store.open(path)
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        version = conn.execute("SELECT value FROM state").fetchone()[0]
    assert version == "1" and "payments_fts" not in names and "ix_payments_time" not in names
