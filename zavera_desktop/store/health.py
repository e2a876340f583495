"""The payment-health alerts in the local database (schema 3, ``health_alerts``); no Qt.

The engine (engine/health.py, engine/orphans.py) raises, updates and clears alerts here; the window's
Health panel reads them (current findings, their evidence, when each started and cleared).

* A finding is open at most once per (kind, order) — a partial unique index — so "raised once, until
  it clears" survives restarts. A shop-wide finding (no order) can be raised again after it cleared, as a
  new row; an orphan settlement is raised once per order, ever (``once_per_order``).
* Alerts are stored with ``notified_at`` NULL, handed to subscribers, then marked notified; one stored
  but never handed out (a crash in between) is delivered at the next start, as payments are.
* ``detail``/``fix``/``evidence`` never hold a secret: they are built from order codes, statuses, amounts
  and the backend URL only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zavera_desktop.domain import HealthAlert, HealthKind
from zavera_desktop.store.repository import SeenOrder, Store
from zavera_desktop.store.schema import HealthAlertRow, SeenOrderRow

log = logging.getLogger(__name__)

#: rows per page of ``alerts()`` unless asked otherwise
PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class AlertDraft:
    """An alert to raise: what, about which order (None: the whole shop), and the words."""

    kind: HealthKind
    detail: str
    fix: str
    order_code: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    amount: int | None = None
    midtrans_status: str | None = None
    order_status: str | None = None


def _evidence(row: HealthAlertRow) -> dict[str, Any]:
    if not row.evidence:
        return {}
    try:
        value = json.loads(row.evidence)
    except ValueError:
        log.warning("Health alert %s has unreadable evidence", row.id)
        return {}
    return value if isinstance(value, dict) else {}


def _alert(row: HealthAlertRow, change: str | None = None) -> HealthAlert:
    return HealthAlert(
        id=row.id, kind=HealthKind(row.kind), detail=row.detail, fix=row.fix, raised_at=row.raised_at,
        order_code=row.order_code, evidence=_evidence(row), amount=row.amount, midtrans_status=row.midtrans_status,
        order_status=row.order_status, cleared_at=row.cleared_at, cleared_reason=row.cleared_reason,
        change=change or ("cleared" if row.cleared_at is not None else "raised"),
    )


def _dump(evidence: dict[str, Any]) -> str | None:
    return json.dumps(evidence, default=str, ensure_ascii=False, sort_keys=True) if evidence else None


def _seen(row: SeenOrderRow) -> SeenOrder:
    return SeenOrder(
        order_code=row.order_code, status=row.status, customer=row.customer, amount=row.amount,
        created_at=row.created_at, first_seen_at=row.first_seen_at, status_seen_at=row.status_seen_at,
        payment_id=row.payment_id, payment_lookup_done=row.payment_lookup_done,
        last_verified_at=row.last_verified_at, verify_count=row.verify_count,
    )


class HealthStore:
    """Repository of ``health_alerts`` over the store's database. Writes come from the engine thread."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _session(self) -> Session:
        return Session(self.store.engine, expire_on_commit=False)

    # --- writes (engine thread) ---------------------------------------------------------------------

    def raise_alert(self, draft: AlertDraft, *, at: datetime, once_per_order: bool = False) -> HealthAlert | None:
        """Store a new open alert; None when one of this kind is already open for the order (or, with
        ``once_per_order``, was ever raised for it)."""
        key = draft.order_code or ""
        with self._session() as session, session.begin():
            query = select(HealthAlertRow.id).where(HealthAlertRow.kind == draft.kind.value,
                                                    HealthAlertRow.dedupe_key == key)
            if not once_per_order:
                query = query.where(HealthAlertRow.cleared_at.is_(None))
            if session.scalar(query.limit(1)) is not None:
                return None
            row = HealthAlertRow(kind=draft.kind.value, dedupe_key=key, order_code=draft.order_code,
                                 detail=draft.detail, fix=draft.fix, evidence=_dump(draft.evidence),
                                 amount=draft.amount, midtrans_status=draft.midtrans_status,
                                 order_status=draft.order_status, raised_at=at, updated_at=at, cleared_reason="")
            session.add(row)
            try:
                session.flush()
            except IntegrityError:  # the partial unique index: an open one appeared meanwhile
                session.rollback()
                return None
            return _alert(row, "raised")

    def update_alert(self, alert_id: int, *, at: datetime, detail: str | None = None, fix: str | None = None,
                     evidence: dict[str, Any] | None = None, order_status: str | None = None,
                     midtrans_status: str | None = None) -> HealthAlert | None:
        """New words or evidence for an open alert; None when it is cleared, gone, or nothing changed."""
        with self._session() as session, session.begin():
            row = session.get(HealthAlertRow, alert_id)
            if row is None or row.cleared_at is not None:
                return None
            changes = {"detail": detail, "fix": fix, "order_status": order_status,
                       "midtrans_status": midtrans_status}
            changed = False
            for name, value in changes.items():
                if value is not None and getattr(row, name) != value:
                    setattr(row, name, value)
                    changed = True
            if evidence is not None and _dump(evidence) != row.evidence:
                row.evidence = _dump(evidence)
                changed = True
            if not changed:
                return None
            row.updated_at = at
            return _alert(row, "updated")

    def clear_alert(self, alert_id: int, *, reason: str, at: datetime) -> HealthAlert | None:
        """Close an open alert with the reason in words; None when it was not open."""
        with self._session() as session, session.begin():
            row = session.get(HealthAlertRow, alert_id)
            if row is None or row.cleared_at is not None:
                return None
            row.cleared_at, row.cleared_reason, row.updated_at = at, reason, at
            return _alert(row, "cleared")

    def mark_notified(self, alert_ids: Sequence[int], *, at: datetime) -> None:
        if not alert_ids:
            return
        with self._session() as session, session.begin():
            session.execute(update(HealthAlertRow).where(HealthAlertRow.id.in_(list(alert_ids)))
                            .values(notified_at=at))

    # --- reads (any thread) -------------------------------------------------------------------------

    def alert(self, alert_id: int) -> HealthAlert | None:
        with self._session() as session:
            row = session.get(HealthAlertRow, alert_id)
            return _alert(row) if row is not None else None

    def open_alerts(self, kind: HealthKind | None = None) -> list[HealthAlert]:
        """Every open alert (of one kind), oldest first."""
        with self._session() as session:
            query = select(HealthAlertRow).where(HealthAlertRow.cleared_at.is_(None))
            if kind is not None:
                query = query.where(HealthAlertRow.kind == kind.value)
            return [_alert(r) for r in session.scalars(query.order_by(HealthAlertRow.id))]

    def open_alert(self, kind: HealthKind, order_code: str | None = None) -> HealthAlert | None:
        with self._session() as session:
            row = session.scalar(select(HealthAlertRow).where(
                HealthAlertRow.kind == kind.value, HealthAlertRow.dedupe_key == (order_code or ""),
                HealthAlertRow.cleared_at.is_(None)))
            return _alert(row) if row is not None else None

    def alerts_for_order(self, order_code: str) -> list[HealthAlert]:
        """Everything ever raised about one order (the detail panel), newest first."""
        with self._session() as session:
            rows = session.scalars(select(HealthAlertRow).where(HealthAlertRow.order_code == order_code)
                                   .order_by(HealthAlertRow.id.desc()))
            return [_alert(r) for r in rows]

    def alerts(self, *, limit: int = PAGE_SIZE, before_id: int | None = None,
               include_cleared: bool = True) -> list[HealthAlert]:
        """The Health panel's history, newest first, in keyset pages (``before_id``)."""
        with self._session() as session:
            query = select(HealthAlertRow)
            if not include_cleared:
                query = query.where(HealthAlertRow.cleared_at.is_(None))
            if before_id is not None:
                query = query.where(HealthAlertRow.id < before_id)
            return [_alert(r) for r in session.scalars(query.order_by(HealthAlertRow.id.desc()).limit(limit))]

    def unnotified(self) -> list[HealthAlert]:
        """Alerts stored but never handed out (a crash in between), oldest first."""
        with self._session() as session:
            rows = session.scalars(select(HealthAlertRow).where(HealthAlertRow.notified_at.is_(None))
                                   .order_by(HealthAlertRow.id))
            return [_alert(r) for r in rows]

    def ever_raised(self, kind: HealthKind, order_code: str) -> bool:
        with self._session() as session:
            return session.scalar(select(HealthAlertRow.id).where(
                HealthAlertRow.kind == kind.value, HealthAlertRow.dedupe_key == order_code).limit(1)) is not None

    def orders_in_status(self, statuses: Collection[str], *, since: datetime,
                         limit: int = 5000) -> list[SeenOrder]:
        """Orders the reconcile baseline last saw in one of ``statuses``, entered at or after ``since``
        (``status_seen_at``), most recent first: where orphan settlements are looked for."""
        with self._session() as session:
            rows = session.scalars(
                select(SeenOrderRow)
                .where(SeenOrderRow.status.in_(list(statuses)))
                .where(SeenOrderRow.status_seen_at >= since)
                .order_by(SeenOrderRow.status_seen_at.desc())
                .limit(limit))
            return [_seen(r) for r in rows]
