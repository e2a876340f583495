"""The local database schema (DESIGN §5) and its migration path.

Times are stored as naive UTC and come back as aware UTC, whatever the database; the UI converts
to the shop timezone for display.
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
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCHEMA_VERSION = 1


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


def now_utc() -> datetime:
    return datetime.now(UTC)


# Version N → the function that upgrades a version N-1 database to N. Fresh databases are
# created at SCHEMA_VERSION directly; old ones walk this list in order, each step in a transaction.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {}


def read_schema_version(conn: Connection) -> int | None:
    try:
        value = conn.execute(text("SELECT value FROM state WHERE key = 'schema_version'")).scalar()
    except Exception:  # no state table yet: a fresh database
        conn.rollback()
        return None
    return int(value) if value is not None else None
