"""SQLite schema after contract §7, through SQLAlchemy.

Only the columns the sandbox reads or writes are modelled. Timestamps are naive shop-local
wall-clock values (the real columns are ``TIMESTAMP`` without zone). Money is stored as
integer cents and exposed as ``Decimal`` so SQLite never rounds through binary floats.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    create_engine,
    event,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

ORDER_STATUSES = (
    "PENDING",
    "PAID",
    "PROCESSING",
    "SHIPPED",
    "DELIVERED",
    "CANCELLED",
    "FAILED",
    "PACKING",
    "REFUNDED",
    "EXPIRED",
    "COMPLETED",
    "MENUNGGU_PEMBAYARAN",
    "KADALUARSA",
)
CORE_PAYMENT_STATUSES = ("PENDING", "PAID", "EXPIRED", "CANCELLED", "FAILED")
CORE_FINAL = frozenset(CORE_PAYMENT_STATUSES) - {"PENDING"}
SNAP_FINAL = frozenset({"SUCCESS", "FAILED", "EXPIRED", "CANCELLED"})
PAID_OR_LATER = ("PAID", "PACKING", "SHIPPED", "DELIVERED", "COMPLETED")

CENT = Decimal("0.01")


def to_money(value: Decimal | int | float | str) -> Decimal:
    """Round like PostgreSQL storing into DECIMAL(12,2)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


class Money(TypeDecorator[Decimal]):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int(to_money(value) * 100)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    name: Mapped[str] = mapped_column(String(255), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    birthdate: Mapped[date | None] = mapped_column(Date, nullable=True)
    is_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    google_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    auth_provider: Mapped[str] = mapped_column(String(20), default="local")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_code: Mapped[str] = mapped_column(String(100), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    customer_name: Mapped[str] = mapped_column(String(255))
    customer_email: Mapped[str] = mapped_column(String(255))
    customer_phone: Mapped[str] = mapped_column(String(50))
    subtotal: Mapped[Decimal] = mapped_column(Money)
    shipping_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    discount: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    total_amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(30), default="PENDING", index=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    stock_reserved: Mapped[bool] = mapped_column(Boolean, default=True)
    resi: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(Integer)
    product_name: Mapped[str] = mapped_column(String(255))
    product_image: Mapped[str | None] = mapped_column(Text, nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)
    price_per_unit: Mapped[Decimal] = mapped_column(Money)
    subtotal: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class OrderPayment(Base):
    """Core (VA/QRIS/GoPay) payment attempts; ``id`` is the ``payment_id`` of /core/check."""

    __tablename__ = "order_payments"
    __table_args__ = (
        # idx_order_payments_one_pending: at most one PENDING row per order.
        Index(
            "idx_order_payments_one_pending",
            "order_id",
            unique=True,
            sqlite_where=text("payment_status = 'PENDING'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    payment_method: Mapped[str] = mapped_column(String(20))
    bank: Mapped[str] = mapped_column(String(20))
    va_number: Mapped[str] = mapped_column(String(255))
    transaction_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    midtrans_order_id: Mapped[str] = mapped_column(String(150), unique=True)
    expiry_time: Mapped[datetime] = mapped_column(DateTime)
    payment_status: Mapped[str] = mapped_column(String(20), default="PENDING")
    raw_response: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    qr_code_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    deeplink_url: Mapped[str | None] = mapped_column(Text, nullable=True)


class Payment(Base):
    """Legacy Snap payments (the Snap webhook writes here)."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    payment_method: Mapped[str] = mapped_column(String(50), default="")
    payment_provider: Mapped[str] = mapped_column(String(100), default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(20), default="PENDING")
    external_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    transaction_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    provider_response: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    expired_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # migrate_hardening.sql: what the recovery service (sync) and reconcile write.
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    sync_status: Mapped[str | None] = mapped_column(String(50), nullable=True)
    is_reconciled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))
    reconciled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class CorePaymentSyncLog(Base):
    __tablename__ = "core_payment_sync_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("order_payments.id"), nullable=True)
    order_id: Mapped[int] = mapped_column(Integer)
    order_code: Mapped[str] = mapped_column(String(100))
    sync_type: Mapped[str] = mapped_column(String(20))
    sync_status: Mapped[str] = mapped_column(String(20))
    local_payment_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    local_order_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    gateway_status: Mapped[str | None] = mapped_column(String(50), nullable=True)
    gateway_transaction_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    has_mismatch: Mapped[bool] = mapped_column(Boolean, default=False)
    error_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PaymentSyncLog(Base):
    """Snap-side sync log: the Snap webhook and the recovery service (sync, sync-all) write here."""

    __tablename__ = "payment_sync_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"))
    order_id: Mapped[int] = mapped_column(Integer)
    order_code: Mapped[str] = mapped_column(String(100))
    sync_type: Mapped[str] = mapped_column(String(20))
    sync_status: Mapped[str] = mapped_column(String(20))  # PENDING IN_PROGRESS SYNCED MISMATCH FAILED RESOLVED
    local_payment_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    local_order_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    gateway_status: Mapped[str | None] = mapped_column(String(50), nullable=True)
    gateway_transaction_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    has_mismatch: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    gateway_response: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON text, "null" allowed
    mismatch_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    mismatch_detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("0"))
    resolution_action: Mapped[str | None] = mapped_column(Text, nullable=True)
    retry_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AdminAuditLog(Base):
    """``admin_audit_log`` (migrate_hardening.sql + migrate_audit_fixes.sql: admin_user_id nullable)."""

    __tablename__ = "admin_audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    admin_user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    admin_email: Mapped[str] = mapped_column(String(255))
    admin_ip: Mapped[str | None] = mapped_column(String(50), nullable=True)
    admin_user_agent: Mapped[str | None] = mapped_column(Text, nullable=True)
    action_type: Mapped[str] = mapped_column(String(30))
    action_detail: Mapped[str] = mapped_column(Text)
    target_type: Mapped[str] = mapped_column(String(50))
    target_id: Mapped[int] = mapped_column(Integer)
    target_code: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    state_before: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON text
    state_after: Mapped[str | None] = mapped_column(Text, nullable=True)
    success: Mapped[bool] = mapped_column(Boolean)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    metadata_json: Mapped[str | None] = mapped_column("metadata", Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class OrderStatusHistory(Base):
    __tablename__ = "order_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_status: Mapped[str] = mapped_column(String(30))
    changed_by: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class MidtransTransaction(Base):
    """The Midtrans simulator's own ledger; the backend tables never read it directly."""

    __tablename__ = "midtrans_transactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transaction_id: Mapped[str] = mapped_column(String(64), unique=True)
    order_id: Mapped[str] = mapped_column(String(150), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(50))
    gross_amount: Mapped[str] = mapped_column(String(30))  # Midtrans speaks strings: "150000.00"
    currency: Mapped[str] = mapped_column(String(3), default="IDR")
    payment_type: Mapped[str] = mapped_column(String(30))
    method: Mapped[str] = mapped_column(String(20))  # the shop's method, e.g. bca_va
    bank: Mapped[str | None] = mapped_column(String(20), nullable=True)
    va_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    bill_key: Mapped[str | None] = mapped_column(String(32), nullable=True)
    biller_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    transaction_status: Mapped[str] = mapped_column(String(20), default="pending")
    fraud_status: Mapped[str] = mapped_column(String(20), default="accept")
    transaction_time: Mapped[str] = mapped_column(String(19))
    settlement_time: Mapped[str | None] = mapped_column(String(19), nullable=True)
    expiry_time: Mapped[str] = mapped_column(String(19))


class SandboxMeta(Base):
    """Sandbox-only settings that must survive a restart on the same file (secrets, demo passwords)."""

    __tablename__ = "sandbox_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Database:
    """Engine plus a session factory. All use happens on the server's event-loop thread."""

    def __init__(self, location: str) -> None:
        self.location = location
        if location == ":memory:":
            # One shared connection, otherwise every pooled connection sees its own empty DB.
            self.engine: Engine = create_engine(
                "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            self.engine = create_engine(
                f"sqlite:///{location}", connect_args={"check_same_thread": False, "timeout": 30}
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        _add_missing_columns(self.engine)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def get_meta(self, key: str) -> str | None:
        with self.session() as session:
            row = session.get(SandboxMeta, key)
            return row.value if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.session() as session:
            row = session.get(SandboxMeta, key)
            if row is None:
                session.add(SandboxMeta(key=key, value=value))
            else:
                row.value = value
            session.commit()

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _add_missing_columns(engine: Engine) -> None:
    """Bring a file database made by an older sandbox up to the current models.

    ``create_all`` creates missing tables but never alters existing ones; every column added
    since is nullable or has a server default, so a plain ``ADD COLUMN`` is enough.
    """
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            present = {row[1] for row in connection.execute(text(f'PRAGMA table_info("{table.name}")'))}
            for column in table.columns:
                if column.name in present:
                    continue
                definition = f'"{column.name}" {column.type.compile(dialect=engine.dialect)}'
                if column.server_default is not None:
                    definition += f" DEFAULT {column.server_default.arg.text}"
                connection.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN {definition}'))


def latest_core_payment(session: Session, order_id: int) -> OrderPayment | None:
    """``FindByOrderID``: the latest ``order_payments`` row (``ORDER BY created_at DESC``)."""
    return session.scalars(
        select(OrderPayment)
        .where(OrderPayment.order_id == order_id)
        .order_by(OrderPayment.created_at.desc(), OrderPayment.id.desc())
        .limit(1)
    ).first()


def latest_snap_payment(session: Session, order_id: int) -> Payment | None:
    """``PaymentRepository.FindByOrderID``: the latest Snap ``payments`` row of an order."""
    return session.scalars(
        select(Payment)
        .where(Payment.order_id == order_id)
        .order_by(Payment.created_at.desc(), Payment.id.desc())
        .limit(1)
    ).first()


def order_by_code(session: Session, code: str) -> Order | None:
    return session.scalars(select(Order).where(Order.order_code == code)).first()
