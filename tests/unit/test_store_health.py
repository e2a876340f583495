"""The payment-health table (schema 3, store/health.py): raised once while open, once per order for orphans,
history kept, crash-safe delivery, and the migration from schema 2 (and 1) in place."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.unit.test_store_queries import V1_SCHEMA
from zavera_desktop.domain import DetectedBy, HealthKind, PaymentCandidate
from zavera_desktop.store import SeenUpdate, Store, StoreError
from zavera_desktop.store.health import AlertDraft, HealthStore
from zavera_desktop.store.schema import SCHEMA_VERSION

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
MISSING = HealthKind.WEBHOOKS_MISSING
ORPHAN = HealthKind.ORPHAN_SETTLEMENT


@pytest.fixture
def health(tmp_path):
    store = Store.open(tmp_path / "h.db")
    yield HealthStore(store)
    store.close()


def draft(kind: HealthKind = MISSING, code: str | None = None, **kw) -> AlertDraft:
    return AlertDraft(kind, kw.pop("detail", "3 of the last 10"), kw.pop("fix", "set the URL"), order_code=code, **kw)


def test_a_finding_is_open_once_and_can_be_raised_again_after_it_cleared(health):
    first = health.raise_alert(draft(evidence={"orders": ["A", "B", "C"]}), at=T0)
    assert first is not None and first.change == "raised" and first.is_open
    assert first.evidence == {"orders": ["A", "B", "C"]}
    assert health.raise_alert(draft(), at=T0 + timedelta(minutes=1)) is None
    cleared = health.clear_alert(first.id, reason="fixed", at=T0 + timedelta(hours=1))
    assert cleared is not None and cleared.change == "cleared" and cleared.cleared_reason == "fixed"
    assert cleared.cleared_at == T0 + timedelta(hours=1) and cleared.raised_at == T0
    assert health.clear_alert(first.id, reason="again", at=T0) is None
    second = health.raise_alert(draft(), at=T0 + timedelta(hours=2))
    assert second is not None and second.id != first.id
    assert [(a.id, a.is_open) for a in health.alerts()] == [(second.id, True), (first.id, False)]


def test_an_orphan_settlement_is_raised_once_per_order_ever(health):
    kw = dict(amount=717000, midtrans_status="settlement", order_status="EXPIRED")
    a = health.raise_alert(draft(ORPHAN, "ZVR-A", **kw), at=T0, once_per_order=True)
    assert a is not None and (a.order_code, a.amount, a.midtrans_status, a.order_status) == (
        "ZVR-A", 717000, "settlement", "EXPIRED")
    assert health.raise_alert(draft(ORPHAN, "ZVR-B"), at=T0, once_per_order=True) is not None
    health.clear_alert(a.id, reason="refunded", at=T0)
    assert health.raise_alert(draft(ORPHAN, "ZVR-A"), at=T0, once_per_order=True) is None
    assert health.ever_raised(ORPHAN, "ZVR-A") and not health.ever_raised(ORPHAN, "ZVR-C")
    assert [x.order_code for x in health.open_alerts(ORPHAN)] == ["ZVR-B"]
    assert health.open_alert(ORPHAN, "ZVR-B") is not None and health.open_alert(ORPHAN, "ZVR-A") is None
    assert [x.id for x in health.alerts_for_order("ZVR-A")] == [a.id]


def test_the_database_itself_allows_one_open_alert_per_kind_and_order(health):
    health.raise_alert(draft(), at=T0)
    with health.store.engine.begin() as conn, pytest.raises(IntegrityError):
        conn.execute(text("INSERT INTO health_alerts (kind, dedupe_key, detail, fix, raised_at, cleared_reason) "
                          "VALUES ('webhooks_missing', '', 'd', 'f', '2026-11-27 08:00:00', '')"))


def test_updates_change_words_and_evidence_of_open_alerts_only(health):
    a = health.raise_alert(draft(evidence={"orders": ["A"]}), at=T0)
    assert health.update_alert(a.id, at=T0, evidence={"orders": ["A"]}) is None  # nothing changed
    updated = health.update_alert(a.id, at=T0, detail="4 of the last 10", evidence={"orders": ["A", "B"]})
    assert updated is not None and updated.change == "updated" and updated.detail == "4 of the last 10"
    assert health.alert(a.id).evidence == {"orders": ["A", "B"]}
    health.clear_alert(a.id, reason="fixed", at=T0)
    assert health.update_alert(a.id, at=T0, detail="x") is None


def test_undelivered_alerts_are_found_after_a_crash(health):
    a = health.raise_alert(draft(), at=T0)
    b = health.raise_alert(draft(ORPHAN, "ZVR-A"), at=T0)
    assert [x.id for x in health.unnotified()] == [a.id, b.id]
    health.mark_notified([a.id], at=T0)
    assert [x.id for x in health.unnotified()] == [b.id]


def test_history_pages_newest_first(health):
    ids = []
    for i in range(5):
        alert = health.raise_alert(draft(ORPHAN, f"ZVR-{i}"), at=T0 + timedelta(minutes=i))
        ids.append(alert.id)
    health.clear_alert(ids[1], reason="paid", at=T0)
    page = health.alerts(limit=2)
    assert [a.id for a in page] == ids[:-3:-1]
    assert [a.id for a in health.alerts(limit=10, before_id=page[-1].id)] == ids[2::-1]
    assert ids[1] not in [a.id for a in health.alerts(include_cleared=False)]


def test_orders_that_went_final_recently(health):
    store = health.store
    store.update_seen([SeenUpdate("ZVR-OLD", "PENDING"), SeenUpdate("ZVR-EXP", "PENDING"),
                       SeenUpdate("ZVR-PAID", "PENDING")])
    store.update_seen([SeenUpdate("ZVR-EXP", "EXPIRED"), SeenUpdate("ZVR-OLD", "CANCELLED")])
    store.record_payments([PaymentCandidate("ZVR-PAID", 1000, DetectedBy.STREAM, T0)])
    now = datetime.now(UTC)
    found = health.orders_in_status({"EXPIRED", "CANCELLED"}, since=now - timedelta(hours=1))
    assert sorted(o.order_code for o in found) == ["ZVR-EXP", "ZVR-OLD"]
    assert health.orders_in_status({"EXPIRED"}, since=now + timedelta(hours=1)) == []


# --- the migration -----------------------------------------------------------------------------------------


def make_v2(path) -> None:
    """A schema 2 database: everything of schema 3 except the health table (and a payment in it)."""
    store = Store.open(path)
    store.record_payments([PaymentCandidate("ZVR-20261127-0000AAAA", 717000, DetectedBy.STREAM, T0,
                                            customer="Budi Santoso")])
    store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE health_alerts")
        conn.execute("UPDATE state SET value = '2' WHERE key = 'schema_version'")


def tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def test_schema_2_upgrades_in_place_and_keeps_everything(tmp_path):
    path = tmp_path / "v2.db"
    make_v2(path)
    assert "health_alerts" not in tables(path)
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION == 3
    assert {"health_alerts", "ux_health_alerts_open", "ix_health_alerts_order", "payments_fts"} <= tables(path)
    assert store.payment("ZVR-20261127-0000AAAA").customer == "Budi Santoso"
    assert HealthStore(store).raise_alert(draft(), at=T0) is not None
    store.close()
    store = Store.open(path)  # opening again is a no-op
    assert store.schema_version() == 3 and len(HealthStore(store).alerts()) == 1
    store.close()


def test_schema_1_walks_both_steps(tmp_path):
    path = tmp_path / "v1.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_SCHEMA)
    store = Store.open(path)
    assert store.schema_version() == 3 and {"health_alerts", "payments_fts"} <= tables(path)
    store.close()


def test_the_upgrade_to_3_is_one_transaction(tmp_path, monkeypatch):
    from zavera_desktop.store import schema

    path = tmp_path / "v2.db"
    make_v2(path)

    def broken(conn):
        schema._migrate_to_3(conn)
        raise RuntimeError("disk full")

    monkeypatch.setitem(schema.MIGRATIONS, 3, broken)
    with pytest.raises(StoreError):
        Store.open(path)
    assert "health_alerts" not in tables(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM state WHERE key = 'schema_version'").fetchone()[0] == "2"
