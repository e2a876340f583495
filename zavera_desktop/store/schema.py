"""The local database schema (DESIGN §5) and its migration path.

Times are stored as naive UTC and come back as aware UTC, whatever the database; the UI converts
to the shop timezone for display.

Schema 2 adds what the payments table needs to stay fast at a million rows: one index per sortable
column (each ends in the rowid, so ``ORDER BY key, id`` keyset pages walk an index) and, on SQLite,
an FTS5 ``trigram`` index over order code and customer for substring search. The FTS table uses the
payments table as its external content and is kept in sync by triggers, so the repository's plain
inserts and updates (a customer name filled in later) keep it current without knowing it exists.

Schema 3 adds ``health_alerts``: the payment-health findings and orphan settlements (engine/health.py,
engine/orphans.py, store/health.py), each raised once and kept with when it started and cleared.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Connection,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    event,
    func,
    literal_column,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.schema import CreateIndex

SCHEMA_VERSION = 3


class UTCDateTime(TypeDecorator[datetime]):
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous here; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class PaymentRow(Base):
    """One row per paid order: the unique ``order_code`` is what makes announcing idempotent."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_code: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    amount: Mapped[int | None] = mapped_column(Integer)  # whole rupiah
    payment_method: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    customer: Mapped[str | None] = mapped_column(String(255))
    order_status: Mapped[str] = mapped_column(String(30), default="PAID", nullable=False)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    detected_by: Mapped[str] = mapped_column(String(20), nullable=False)
    read: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    payment_id: Mapped[int | None] = mapped_column(Integer)
    # NULL until every subscriber has been handed the payment; re-delivered after a crash.
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    raw: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_payments_detected_at", "detected_at"),
        Index("ix_payments_unnotified", "notified_at"),
    )


# The sort keys of the payments table, used verbatim by both the indexes below and the queries
# (store/queries.py): SQLite uses an expression index only when the query's expression is the same
# tree, so literals are spelled inline (a bound parameter would not match). None of them is NULL, so
# every row has a place in a keyset page (``key = :k AND id < :id``, ``key < :k``; NULL compares to nothing).
#: "Time" of a payment: the backend's paid_at when known, else when we detected it (watch.py agrees).
PAYMENT_TIME = func.coalesce(PaymentRow.paid_at, PaymentRow.detected_at)
#: Customers sort case-insensitively; an unknown customer sorts as the empty name.
PAYMENT_CUSTOMER_KEY = func.lower(func.coalesce(PaymentRow.customer, literal_column("''")))
#: An unknown amount sorts below every real one.
PAYMENT_AMOUNT_KEY = func.coalesce(PaymentRow.amount, literal_column("-1"))

# Schema 2 indexes (module level: an Index built from mapped columns attaches to their table).
PAYMENT_INDEXES_V2 = (
    Index("ix_payments_time", PAYMENT_TIME),
    Index("ix_payments_customer_key", PAYMENT_CUSTOMER_KEY),
    Index("ix_payments_amount_key", PAYMENT_AMOUNT_KEY),
    Index("ix_payments_method", PaymentRow.payment_method),
    Index("ix_payments_status", PaymentRow.order_status),
    Index("ix_payments_detected_by", PaymentRow.detected_by),
    Index("ix_payments_read", PaymentRow.read),
)

#: The FTS5 table over ``payments`` (SQLite only; see ``has_search_index``).
PAYMENTS_FTS = "payments_fts"

_FTS_DDL = (
    # external content: the text lives once, in payments; the FTS table holds only the index.
    # columnsize=0: no per-row token counts, which only ranking (bm25) would use.
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {PAYMENTS_FTS} USING fts5("
    "order_code, customer, content='payments', content_rowid='id', columnsize=0, tokenize='trigram')",
    # The 'delete' command must be given exactly the values that were indexed, hence old.*.
    f"""CREATE TRIGGER IF NOT EXISTS payments_fts_ai AFTER INSERT ON payments BEGIN
        INSERT INTO {PAYMENTS_FTS}(rowid, order_code, customer) VALUES (new.id, new.order_code, new.customer);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS payments_fts_ad AFTER DELETE ON payments BEGIN
        INSERT INTO {PAYMENTS_FTS}({PAYMENTS_FTS}, rowid, order_code, customer)
        VALUES ('delete', old.id, old.order_code, old.customer);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS payments_fts_au AFTER UPDATE OF order_code, customer ON payments BEGIN
        INSERT INTO {PAYMENTS_FTS}({PAYMENTS_FTS}, rowid, order_code, customer)
        VALUES ('delete', old.id, old.order_code, old.customer);
        INSERT INTO {PAYMENTS_FTS}(rowid, order_code, customer) VALUES (new.id, new.order_code, new.customer);
    END""",
)


def sqlite_supports_trigram(conn: Connection) -> bool:
    """FTS5 compiled in and SQLite ≥ 3.34 (the first with the trigram tokenizer)."""
    if conn.dialect.name != "sqlite":
        return False
    version = conn.exec_driver_sql("SELECT sqlite_version()").scalar() or "0"
    parts = tuple(int(p) for p in str(version).split(".")[:3] if p.isdigit())
    if parts < (3, 34, 0):
        return False
    return bool(conn.exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar())


def create_search_index(conn: Connection) -> bool:
    """Create the FTS table and its triggers where SQLite can; returns whether it exists.

    Elsewhere (PostgreSQL, an SQLite without FTS5) search falls back to LIKE: correct, slower.
    """
    if not sqlite_supports_trigram(conn):
        return False
    for statement in _FTS_DDL:
        conn.exec_driver_sql(statement)
    return True


def has_search_index(conn: Connection) -> bool:
    if conn.dialect.name != "sqlite":
        return False
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (PAYMENTS_FTS,)).scalar()
    return found is not None


@event.listens_for(PaymentRow.__table__, "after_create")
def _create_search_index_with_table(_table: object, conn: Connection, **_kw: object) -> None:
    # Fresh databases are built by create_all at SCHEMA_VERSION; the FTS table comes with them.
    create_search_index(conn)


class SeenOrderRow(Base):
    """The reconcile baseline: each order's last known status (DESIGN §5 ``orders_seen``)."""

    __tablename__ = "orders_seen"

    order_code: Mapped[str] = mapped_column(String(100), primary_key=True)
    status: Mapped[str] = mapped_column(String(30), nullable=False)
    customer: Mapped[str | None] = mapped_column(String(255))
    amount: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    status_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    # Core order_payments.id for /core/check; looked up lazily, once.
    payment_id: Mapped[int | None] = mapped_column(Integer)
    payment_lookup_done: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    last_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verify_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    __table_args__ = (Index("ix_orders_seen_status", "status"),)


class EventRow(Base):
    """The activity log: every stream notification kept (and engine notes)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str | None] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(40), nullable=False)
    order_code: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text, default="", nullable=False)
    payload: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)

    __table_args__ = (Index("ix_events_received_at", "received_at"), Index("ix_events_order", "order_code"))


class ActionRow(Base):
    """Audit log of admin actions (status checks, webhook replays): who, what, and the outcome."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    actor: Mapped[str] = mapped_column(String(255), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    order_code: Mapped[str | None] = mapped_column(String(100))
    request: Mapped[str | None] = mapped_column(Text)
    response: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(255), default="", nullable=False)

    __table_args__ = (Index("ix_actions_order", "order_code"),)


class StateRow(Base):
    __tablename__ = "state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class HealthAlertRow(Base):
    """A payment-health finding or an orphan settlement (schema 3; read and written by store/health.py).

    ``dedupe_key`` is the order code for alerts about one order and "" for shop-wide findings: at most
    one open row per (kind, dedupe_key) (a partial unique index; NULLs would never collide, hence no
    NULL here). A cleared row stays as history; a finding can be raised again later as a new row.
    """

    __tablename__ = "health_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    dedupe_key: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    order_code: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
    fix: Mapped[str] = mapped_column(Text, nullable=False, default="")
    evidence: Mapped[str | None] = mapped_column(Text)  # JSON object
    amount: Mapped[int | None] = mapped_column(Integer)  # whole rupiah
    midtrans_status: Mapped[str | None] = mapped_column(String(30))
    order_status: Mapped[str | None] = mapped_column(String(30))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cleared_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # NULL until subscribers were handed the alert; re-delivered after a crash, like payments
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ux_health_alerts_open", "kind", "dedupe_key", unique=True,
              sqlite_where=text("cleared_at IS NULL"), postgresql_where=text("cleared_at IS NULL")),
        Index("ix_health_alerts_order", "order_code"),
        Index("ix_health_alerts_raised_at", "raised_at"),
    )


def now_utc() -> datetime:
    return datetime.now(UTC)


def _begin_ddl_transaction(conn: Connection) -> None:
    """Make a DDL-only step atomic on SQLite.

    Python's sqlite3 driver opens its implicit transaction only before INSERT/UPDATE/DELETE, so a
    migration that starts with CREATE statements would run them in autocommit mode and a failure
    half-way would leave half a schema. An explicit BEGIN puts the whole step, and the caller's
    version update, inside one transaction that the caller's commit or rollback ends.
    """
    if conn.dialect.name != "sqlite":
        return  # other drivers open a transaction for DDL themselves
    dbapi = conn.connection.dbapi_connection
    if dbapi is not None and not getattr(dbapi, "in_transaction", True):
        conn.exec_driver_sql("BEGIN")


def _migrate_to_2(conn: Connection) -> None:
    """Sort indexes and the search index for the payments table; the FTS index is filled in place.

    Every statement is idempotent (IF NOT EXISTS, 'rebuild'), so even outside a transaction an
    interrupted upgrade would simply run again at the next start. A million payments take ~20 s, once.
    """
    _begin_ddl_transaction(conn)
    for index in PAYMENT_INDEXES_V2:
        conn.execute(CreateIndex(index, if_not_exists=True))
    if create_search_index(conn):
        conn.exec_driver_sql(f"INSERT INTO {PAYMENTS_FTS}({PAYMENTS_FTS}) VALUES ('rebuild')")


def _migrate_to_3(conn: Connection) -> None:
    """The payment-health table and its indexes (an empty new table: instant at any size)."""
    _begin_ddl_transaction(conn)
    HealthAlertRow.__table__.create(conn, checkfirst=True)


# Version N → the function that upgrades a version N-1 database to N. Fresh databases are
# created at SCHEMA_VERSION directly; old ones walk this list in order, each step in a transaction.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _migrate_to_2, 3: _migrate_to_3}


def read_schema_version(conn: Connection) -> int | None:
    try:
        value = conn.execute(text("SELECT value FROM state WHERE key = 'schema_version'")).scalar()
    except Exception:  # no state table yet: a fresh database
        conn.rollback()
        return None
    return int(value) if value is not None else None
