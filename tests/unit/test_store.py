"""The store: idempotent by order_code, survives restarts, private file (DESIGN §5)."""

import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from zavera_desktop.domain import DetectedBy, PaymentCandidate
from zavera_desktop.store import SeenUpdate, Store, StoreError
from zavera_desktop.store.schema import SCHEMA_VERSION

NOW = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)


def cand(code, by=DetectedBy.STREAM, **kw):
    kw.setdefault("amount", 150000)
    return PaymentCandidate(order_code=code, detected_by=by, detected_at=kw.pop("at", NOW), **kw)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "z.db")
    yield s
    s.close()


def test_a_payment_is_new_once(store):
    new, _ = store.record_payments([cand("ZVR-20261127-0000000A")])
    assert [p.order_code for p in new] == ["ZVR-20261127-0000000A"]
    again, _ = store.record_payments([cand("ZVR-20261127-0000000A", DetectedBy.RECONCILE)])
    assert again == []
    assert store.payment("ZVR-20261127-0000000A").detected_by is DetectedBy.STREAM


def test_duplicates_inside_one_batch_count_once(store):
    new, _ = store.record_payments([cand("ZVR-1"), cand("ZVR-1", DetectedBy.VERIFY), cand("ZVR-2")])
    assert sorted(p.order_code for p in new) == ["ZVR-1", "ZVR-2"]
    assert store.payment("ZVR-1").detected_by is DetectedBy.STREAM  # first claim wins


def test_announced_once_across_restarts(tmp_path):
    path = tmp_path / "z.db"
    s = Store.open(path)
    new, _ = s.record_payments([cand("ZVR-1")])
    s.mark_notified([p.id for p in new])
    s.close()
    s2 = Store.open(path)
    assert s2.record_payments([cand("ZVR-1")])[0] == []
    assert s2.unnotified_payments() == []
    s2.close()


def test_unannounced_payments_survive_a_crash(tmp_path):
    path = tmp_path / "z.db"
    s = Store.open(path)
    s.record_payments([cand("ZVR-1"), cand("ZVR-2")])  # stored, never handed out
    s.close()
    s2 = Store.open(path)
    assert [p.order_code for p in s2.unnotified_payments()] == ["ZVR-1", "ZVR-2"]
    s2.close()


def test_later_sources_fill_gaps_but_never_renew(store):
    store.record_payments([cand("ZVR-1", amount=None, payment_method="")])
    new, updated = store.record_payments([cand("ZVR-1", DetectedBy.RECONCILE, customer="Budi",
                                               payment_method="bca_va", amount=717000, order_status="PACKING")])
    assert new == []
    [p] = updated
    assert (p.customer, p.payment_method, p.amount, p.order_status) == ("Budi", "bca_va", 717000, "PACKING")
    assert p.detected_by is DetectedBy.STREAM


def test_enrich_never_inserts(store):
    assert store.enrich_payments([cand("ZVR-9", DetectedBy.RECONCILE, customer="X")]) == []
    assert store.payment("ZVR-9") is None


def test_a_payment_moves_the_reconcile_baseline(store):
    store.update_seen([SeenUpdate("ZVR-1", "PENDING", "Budi", 1000, NOW)])
    store.record_payments([cand("ZVR-1")])
    assert store.seen_order("ZVR-1").status == "PAID"


def test_seen_updates_and_pending_window(store):
    store.update_seen([
        SeenUpdate("ZVR-OLD", "PENDING", created_at=NOW - timedelta(hours=30)),
        SeenUpdate("ZVR-MID", "PENDING", created_at=NOW - timedelta(hours=2)),
        SeenUpdate("ZVR-NEW", "PENDING", created_at=NOW - timedelta(seconds=30)),
        SeenUpdate("ZVR-PAID", "PAID", created_at=NOW - timedelta(hours=1)),
    ])
    got = store.pending_orders(created_after=NOW - timedelta(hours=24), created_before=NOW - timedelta(minutes=2))
    assert [o.order_code for o in got] == ["ZVR-MID"]
    store.update_seen([SeenUpdate("ZVR-MID", "EXPIRED")])
    assert store.seen_order("ZVR-MID").status == "EXPIRED"
    assert store.seen_order("ZVR-MID").created_at == NOW - timedelta(hours=2)  # kept


def test_times_round_trip_as_aware_utc(store):
    paid = datetime(2026, 1, 22, 10, 0, tzinfo=datetime.now().astimezone().tzinfo)
    store.record_payments([cand("ZVR-1", paid_at=paid)])
    p = store.payment("ZVR-1")
    assert p.paid_at == paid and p.paid_at.tzinfo is not None


def test_naive_datetimes_are_refused(store):
    with pytest.raises(Exception, match="naive"):
        store.record_payments([cand("ZVR-1", at=datetime(2026, 1, 1))])


def test_file_is_private_and_wal(tmp_path):
    path = tmp_path / "sub" / "z.db"
    s = Store.open(path)
    s.record_payments([cand("ZVR-1")])
    with s.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    for f in [path, *path.parent.glob("z.db-*")]:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    s.close()


def test_existing_loose_file_is_tightened(tmp_path):
    path = tmp_path / "z.db"
    path.touch()
    os.chmod(path, 0o644)
    Store.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_schema_version_is_recorded(store):
    assert store.schema_version() == SCHEMA_VERSION


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "z.db"
    s = Store.open(path)
    s.set_state("schema_version", str(SCHEMA_VERSION + 1))
    s.close()
    with pytest.raises(StoreError, match="newer Zavera Desktop"):
        Store.open(path)


def test_migration_path_runs_in_order(tmp_path, monkeypatch):
    from zavera_desktop.store import repository, schema

    path = tmp_path / "z.db"
    Store.open(path).close()
    ran = []

    def step(conn):
        ran.append(2)
        conn.execute(text("ALTER TABLE payments ADD COLUMN note TEXT"))

    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(repository, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, SCHEMA_VERSION + 1, step)
    s = Store.open(path)
    assert ran == [2] and s.schema_version() == SCHEMA_VERSION + 1
    s.close()


def test_bad_url_is_a_store_error():
    with pytest.raises(StoreError):
        Store.open("nosuchdialect://x")


def test_any_sqlalchemy_url_and_memory():
    s = Store.open(":memory:")
    assert s.record_payments([cand("ZVR-1")])[0]
    s.close()


def test_events_and_actions(store):
    from zavera_desktop.domain import ActivityItem

    store.add_events([(ActivityItem("order_created", "Budi placed an order", NOW, "ZVR-1", "1-1"), {"a": 1})])
    [e] = store.events()
    assert (e.kind, e.order_code) == ("order_created", "ZVR-1")
    store.log_action(actor="admin@x", action="status_check", order_code="ZVR-1", request={"payment_id": 4},
                     response={"status": "PAID"}, outcome="PAID")


def test_payments_listing_newest_first_and_since(store):
    for i in range(5):
        store.record_payments([cand(f"ZVR-{i}", at=NOW + timedelta(minutes=i))])
    assert [p.order_code for p in store.payments(limit=2)] == ["ZVR-4", "ZVR-3"]
    assert [p.order_code for p in store.payments(since=NOW + timedelta(minutes=3), newest_first=False)] == [
        "ZVR-3", "ZVR-4"]
    assert store.payment_count() == 5


def test_a_stale_unpaid_read_never_overwrites_a_payment_status(store):
    store.record_payments([cand("ZVR-1")])
    assert store.enrich_payments([cand("ZVR-1", DetectedBy.RECONCILE, order_status="PENDING", customer="Budi")])
    assert store.payment("ZVR-1").order_status == "PAID"
    store.enrich_payments([cand("ZVR-1", DetectedBy.RECONCILE, order_status="SHIPPED")])
    assert store.payment("ZVR-1").order_status == "SHIPPED"
