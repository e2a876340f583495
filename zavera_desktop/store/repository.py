"""The store: the only writer of the local database.

Every write is idempotent: payments are keyed by ``order_code``, so replaying any source twice
changes nothing and a payment is announced once, across restarts (DESIGN §2, §5).
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from zavera_desktop.domain import ActivityItem, DetectedBy, Payment, PaymentCandidate, is_paid_status
from zavera_desktop.store.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    ActionRow,
    Base,
    EventRow,
    PaymentRow,
    SeenOrderRow,
    StateRow,
    now_utc,
    read_schema_version,
)

log = logging.getLogger(__name__)

_CHUNK = 500  # stay well below SQLite's bound-parameter limit in IN (...) queries


class StoreError(Exception):
    """The local database cannot be opened or written."""


@dataclass(frozen=True, slots=True)
class SeenOrder:
    order_code: str
    status: str
    customer: str | None
    amount: int | None
    created_at: datetime | None
    first_seen_at: datetime
    status_seen_at: datetime
    payment_id: int | None
    payment_lookup_done: bool
    last_verified_at: datetime | None
    verify_count: int


@dataclass(frozen=True, slots=True)
class SeenUpdate:
    """What one reconcile read of an order says about it."""

    order_code: str
    status: str
    customer: str | None = None
    amount: int | None = None
    created_at: datetime | None = None


def database_url(target: str | os.PathLike[str]) -> str:
    """A path becomes a SQLite URL; anything with ``://`` is taken as a SQLAlchemy URL."""
    text_target = os.fspath(target)
    if "://" in text_target:
        return text_target
    if text_target == ":memory:":
        return "sqlite://"
    return f"sqlite:///{Path(text_target).expanduser().resolve()}"


def _prepare_sqlite_file(path: Path) -> None:
    # Create the file ourselves with 0600 before SQLite does (its default honours the umask,
    # typically 0644); SQLite gives the -wal/-shm files the same mode as the database.
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, 0o600)


def _payment(row: PaymentRow) -> Payment:
    return Payment(
        id=row.id,
        order_code=row.order_code,
        amount=row.amount,
        payment_method=row.payment_method,
        customer=row.customer,
        order_status=row.order_status,
        paid_at=row.paid_at,
        detected_at=row.detected_at,
        detected_by=DetectedBy(row.detected_by),
        read=row.read,
        payment_id=row.payment_id,
    )


def _seen(row: SeenOrderRow) -> SeenOrder:
    return SeenOrder(
        order_code=row.order_code, status=row.status, customer=row.customer, amount=row.amount,
        created_at=row.created_at, first_seen_at=row.first_seen_at, status_seen_at=row.status_seen_at,
        payment_id=row.payment_id, payment_lookup_done=row.payment_lookup_done,
        last_verified_at=row.last_verified_at, verify_count=row.verify_count,
    )


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _merge_claims(first: PaymentCandidate, later: PaymentCandidate) -> PaymentCandidate:
    return replace(
        first,
        amount=first.amount if first.amount is not None else later.amount,
        payment_method=first.payment_method or later.payment_method,
        customer=first.customer or later.customer,
        paid_at=first.paid_at or later.paid_at,
        payment_id=first.payment_id if first.payment_id is not None else later.payment_id,
    )


class Store:
    """Repository over SQLAlchemy. Writes come from one thread (the engine's)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, target: str | os.PathLike[str]) -> Store:
        url = make_url(database_url(target))
        is_sqlite = url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {}
        if is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
            if url.database and url.database != ":memory:":
                _prepare_sqlite_file(Path(url.database))
            else:
                from sqlalchemy.pool import StaticPool

                kwargs["poolclass"] = StaticPool
        try:
            engine = create_engine(url, **kwargs)
        except Exception as exc:  # bad URL or missing driver
            raise StoreError(f"Cannot open the local database: {exc.__class__.__name__}: {exc}") from exc
        if is_sqlite:
            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA busy_timeout=10000")
                cur.close()
        store = cls(engine)
        store._migrate()
        return store

    def close(self) -> None:
        self.engine.dispose()

    # --- schema ---------------------------------------------------------------------------------

    def _migrate(self) -> None:
        try:
            with self.engine.begin() as conn:
                version = read_schema_version(conn)
            if version is None:
                with self.engine.begin() as conn:
                    Base.metadata.create_all(conn)
                    conn.execute(
                        StateRow.__table__.insert().values(key="schema_version", value=str(SCHEMA_VERSION))
                    )
                return
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"The local database was written by a newer Zavera Desktop (schema {version}, "
                    f"this version knows {SCHEMA_VERSION}). Update the app or choose another database."
                )
            for target in range(version + 1, SCHEMA_VERSION + 1):
                with self.engine.begin() as conn:
                    MIGRATIONS[target](conn)
                    conn.execute(update(StateRow).where(StateRow.key == "schema_version")
                                 .values(value=str(target)))
                log.info("Migrated the local database to schema %d", target)
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"Cannot prepare the local database: {exc.__class__.__name__}: {exc}") from exc

    def schema_version(self) -> int | None:
        with self.engine.connect() as conn:
            return read_schema_version(conn)

    # --- payments -------------------------------------------------------------------------------

    def record_payments(self, candidates: Sequence[PaymentCandidate]) -> tuple[list[Payment], list[Payment]]:
        """Insert the candidates that are new; fill gaps in known ones.

        Returns ``(new, updated)``. ``new`` are payments nobody has announced yet — the caller
        announces exactly these. A candidate for a known order never makes it new again.
        """
        if not candidates:
            return [], []
        by_code: dict[str, PaymentCandidate] = {}
        for cand in candidates:
            first = by_code.get(cand.order_code)
            # the first claim in a batch wins, like the first across batches; later claims in the same
            # batch only fill what it did not know (a check's broadcast has no method, its answer has)
            by_code[cand.order_code] = cand if first is None else _merge_claims(first, cand)
        codes = list(by_code)
        new: list[Payment] = []
        updated: list[Payment] = []
        with self._session.begin() as session:
            existing: dict[str, PaymentRow] = {}
            for part in _chunks(codes):
                for row in session.scalars(select(PaymentRow).where(PaymentRow.order_code.in_(part))):
                    existing[row.order_code] = row
            fresh_rows = []
            for code, cand in by_code.items():
                row = existing.get(code)
                if row is None:
                    row = PaymentRow(
                        order_code=code,
                        amount=cand.amount,
                        payment_method=cand.payment_method or "",
                        customer=cand.customer,
                        order_status=cand.order_status or "PAID",
                        paid_at=cand.paid_at,
                        detected_at=cand.detected_at,
                        detected_by=cand.detected_by.value,
                        payment_id=cand.payment_id,
                        raw=json.dumps(cand.raw, default=str) if cand.raw else None,
                    )
                    session.add(row)
                    fresh_rows.append(row)
                elif self._enrich(row, cand):
                    updated.append(row)
            session.flush()
            self._mark_seen_paid(session, by_code.values())
            new = [_payment(r) for r in fresh_rows]
            updated_payments = [_payment(r) for r in updated]
        return new, updated_payments

    def enrich_payments(self, candidates: Sequence[PaymentCandidate]) -> list[Payment]:
        """Fill gaps in payments already stored; never inserts. Returns the ones that changed."""
        by_code = {c.order_code: c for c in candidates}
        if not by_code:
            return []
        changed: list[PaymentRow] = []
        with self._session.begin() as session:
            for part in _chunks(list(by_code)):
                for row in session.scalars(select(PaymentRow).where(PaymentRow.order_code.in_(part))):
                    if self._enrich(row, by_code[row.order_code]):
                        changed.append(row)
            session.flush()
            return [_payment(r) for r in changed]

    @staticmethod
    def _enrich(row: PaymentRow, cand: PaymentCandidate) -> bool:
        """Fill fields a faster source could not know (the stream has no customer name)."""
        changed = False
        if not row.customer and cand.customer:
            row.customer, changed = cand.customer, True
        if not row.payment_method and cand.payment_method:
            row.payment_method, changed = cand.payment_method, True
        if row.amount is None and cand.amount is not None:
            row.amount, changed = cand.amount, True
        if row.paid_at is None and cand.paid_at is not None:
            row.paid_at, changed = cand.paid_at, True
        if row.payment_id is None and cand.payment_id is not None:
            row.payment_id, changed = cand.payment_id, True
        # only a fresh read of a paid order moves its status on (PAID → PACKING → …); a read taken
        # before the webhook's commit still says PENDING (§10.11) and must not overwrite it
        if (cand.detected_by is DetectedBy.RECONCILE and is_paid_status(cand.order_status)
                and cand.order_status != row.order_status):
            row.order_status, changed = cand.order_status, True
        return changed

    @staticmethod
    def _mark_seen_paid(session: Session, cands: Iterable[PaymentCandidate]) -> None:
        # A payment from any source also moves the reconcile baseline, so reconcile does not
        # see "unpaid → paid" again for it.
        now = now_utc()
        cands = list(cands)
        seen: dict[str, SeenOrderRow] = {}
        for part in _chunks([c.order_code for c in cands]):
            for row in session.scalars(select(SeenOrderRow).where(SeenOrderRow.order_code.in_(part))):
                seen[row.order_code] = row
        for cand in cands:
            row = seen.get(cand.order_code)
            status = cand.order_status or "PAID"
            if row is None:
                session.add(SeenOrderRow(order_code=cand.order_code, status=status, customer=cand.customer,
                                         amount=cand.amount, first_seen_at=now, status_seen_at=now,
                                         payment_id=cand.payment_id))
            elif not is_paid_status(row.status):
                row.status, row.status_seen_at = status, now

    def mark_notified(self, payment_ids: Sequence[int]) -> None:
        if not payment_ids:
            return
        now = now_utc()
        with self._session.begin() as session:
            for part in _chunks(list(payment_ids)):
                session.execute(update(PaymentRow).where(PaymentRow.id.in_(part)).values(notified_at=now))

    def unnotified_payments(self) -> list[Payment]:
        with self._session() as session:
            rows = session.scalars(select(PaymentRow).where(PaymentRow.notified_at.is_(None))
                                   .order_by(PaymentRow.id))
            return [_payment(r) for r in rows]

    def mark_read(self, order_codes: Sequence[str], read: bool = True) -> None:
        with self._session.begin() as session:
            for part in _chunks(list(order_codes)):
                session.execute(update(PaymentRow).where(PaymentRow.order_code.in_(part)).values(read=read))

    def mark_all_read(self) -> None:
        with self._session.begin() as session:
            session.execute(update(PaymentRow).where(PaymentRow.read.is_(False)).values(read=True))

    def unread_count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(PaymentRow)
                                  .where(PaymentRow.read.is_(False))) or 0

    def payment(self, order_code: str) -> Payment | None:
        with self._session() as session:
            row = session.scalar(select(PaymentRow).where(PaymentRow.order_code == order_code))
            return _payment(row) if row else None

    def payments(self, *, since: datetime | None = None, limit: int | None = None,
                 offset: int = 0, newest_first: bool = True) -> list[Payment]:
        with self._session() as session:
            query = select(PaymentRow)
            if since is not None:
                query = query.where(PaymentRow.detected_at >= since)
            order = (PaymentRow.detected_at.desc(), PaymentRow.id.desc()) if newest_first else (
                PaymentRow.detected_at, PaymentRow.id)
            query = query.order_by(*order).offset(offset)
            if limit is not None:
                query = query.limit(limit)
            return [_payment(r) for r in session.scalars(query)]

    def payment_count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(PaymentRow)) or 0

    def paid_codes(self, codes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with self._session() as session:
            for part in _chunks(list(codes)):
                found.update(session.scalars(select(PaymentRow.order_code)
                                             .where(PaymentRow.order_code.in_(part))))
        return found

    # --- reconcile baseline ---------------------------------------------------------------------

    def seen_orders(self, codes: Sequence[str]) -> dict[str, SeenOrder]:
        result: dict[str, SeenOrder] = {}
        with self._session() as session:
            for part in _chunks(list(codes)):
                for row in session.scalars(select(SeenOrderRow).where(SeenOrderRow.order_code.in_(part))):
                    result[row.order_code] = _seen(row)
        return result

    def seen_order(self, code: str) -> SeenOrder | None:
        return self.seen_orders([code]).get(code)

    def update_seen(self, updates: Sequence[SeenUpdate]) -> None:
        if not updates:
            return
        now = now_utc()
        with self._session.begin() as session:
            rows: dict[str, SeenOrderRow] = {}
            for part in _chunks([u.order_code for u in updates]):
                for row in session.scalars(select(SeenOrderRow).where(SeenOrderRow.order_code.in_(part))):
                    rows[row.order_code] = row
            for upd in updates:
                row = rows.get(upd.order_code)
                if row is None:
                    row = SeenOrderRow(order_code=upd.order_code, status=upd.status, customer=upd.customer,
                                       amount=upd.amount, created_at=upd.created_at, first_seen_at=now,
                                       status_seen_at=now)
                    session.add(row)
                    rows[upd.order_code] = row
                    continue
                if row.status != upd.status:
                    row.status, row.status_seen_at = upd.status, now
                if upd.customer:
                    row.customer = upd.customer
                if upd.amount is not None:
                    row.amount = upd.amount
                if upd.created_at is not None:
                    row.created_at = upd.created_at

    def pending_orders(self, *, created_after: datetime, created_before: datetime) -> list[SeenOrder]:
        """Orders last seen PENDING, created in the window: the verify candidates."""
        with self._session() as session:
            rows = session.scalars(
                select(SeenOrderRow)
                .where(SeenOrderRow.status == "PENDING")
                .where(SeenOrderRow.created_at.is_not(None))
                .where(SeenOrderRow.created_at > created_after)
                .where(SeenOrderRow.created_at <= created_before)
                .order_by(SeenOrderRow.created_at.desc())
            )
            return [_seen(r) for r in rows]

    def set_payment_lookup(self, order_code: str, payment_id: int | None) -> None:
        with self._session.begin() as session:
            session.execute(update(SeenOrderRow).where(SeenOrderRow.order_code == order_code)
                            .values(payment_id=payment_id, payment_lookup_done=True))

    def note_verified(self, order_code: str, at: datetime) -> None:
        with self._session.begin() as session:
            session.execute(update(SeenOrderRow).where(SeenOrderRow.order_code == order_code)
                            .values(last_verified_at=at, verify_count=SeenOrderRow.verify_count + 1))

    # --- activity and audit logs ----------------------------------------------------------------

    def add_events(self, items: Sequence[tuple[ActivityItem, dict[str, Any] | None]]) -> None:
        if not items:
            return
        with self._session.begin() as session:
            session.add_all([
                EventRow(event_id=item.event_id, type=item.kind, order_code=item.order_code,
                         message=item.message,
                         payload=json.dumps(payload, default=str, ensure_ascii=False) if payload else None,
                         received_at=item.at)
                for item, payload in items
            ])

    def events(self, *, limit: int = 100, order_code: str | None = None) -> list[ActivityItem]:
        with self._session() as session:
            query = select(EventRow)
            if order_code:
                query = query.where(EventRow.order_code == order_code)
            rows = session.scalars(query.order_by(EventRow.id.desc()).limit(limit))
            return [ActivityItem(kind=r.type, message=r.message, at=r.received_at, order_code=r.order_code,
                                 event_id=r.event_id) for r in rows]

    def log_action(self, *, actor: str, action: str, order_code: str | None, request: dict[str, Any] | None,
                   response: dict[str, Any] | None, outcome: str) -> int:
        """Append one audit row; returns its id (a replay's "Replay again" refers to it)."""
        with self._session.begin() as session:
            row = ActionRow(at=now_utc(), actor=actor, action=action, order_code=order_code,
                            request=json.dumps(request, default=str) if request else None,
                            response=json.dumps(response, default=str) if response else None,
                            outcome=outcome)
            session.add(row)
            session.flush()
            return row.id

    # --- key/value state ------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        with self._session() as session:
            return session.scalar(select(StateRow.value).where(StateRow.key == key))

    def set_state(self, key: str, value: str) -> None:
        with self._session.begin() as session:
            row = session.get(StateRow, key)
            if row is None:
                session.add(StateRow(key=key, value=value))
            else:
                row.value = value
