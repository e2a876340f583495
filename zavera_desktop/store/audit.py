"""Reading the audit log of admin actions (status checks, bulk checks, webhook replays); no Qt.

The engine writes rows with ``Store.log_action``; the ``actions`` CLI and the window's Actions view
read them here: filtered by order, action, outcome, actor and time, newest first, in keyset pages
(``before_id``), so a long history costs what a short one does.

``request`` and ``response`` are the JSON the engine stored. They never hold a password, token or
server key; a replay's request holds the notification it sent, whose signature is shown masked by
``AuditEntry.shown_request``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from zavera_desktop.store.repository import Store
from zavera_desktop.store.schema import ActionRow

log = logging.getLogger(__name__)

#: the ``action`` values the engine writes
STATUS_CHECK = "status_check"
BULK_CHECK = "bulk_check"
REPLAY = "replay"
#: payment health (engine/orphans.py): the admin accepted money Midtrans has, or dismissed the alert
CONFIRM_PAYMENT = "confirm_payment"
DISMISS_ALERT = "dismiss_alert"
ACTION_KINDS = (STATUS_CHECK, BULK_CHECK, REPLAY, CONFIRM_PAYMENT, DISMISS_ALERT)
#: rows per page unless asked otherwise
PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    order_code: str | None
    request: dict[str, Any] | None
    response: dict[str, Any] | None
    outcome: str

    @property
    def explanation(self) -> str:
        """The admin-readable sentence the engine stored with the outcome ("" when none)."""
        text = (self.response or {}).get("explanation")
        return text if isinstance(text, str) else ""

    @property
    def replayable(self) -> bool:
        """Whether "Replay again" can re-send this row's notification as-is."""
        req = self.request or {}
        return self.action == REPLAY and isinstance(req.get("payload"), dict) and isinstance(req.get("webhook_url"),
                                                                                             str)

    @property
    def shown_request(self) -> dict[str, Any] | None:
        """The request for display: a stored notification's signature is masked."""
        if self.request is None:
            return None
        shown = dict(self.request)
        payload = shown.get("payload")
        if isinstance(payload, dict) and "signature_key" in payload:
            shown["payload"] = {**payload, "signature_key": "***"}
        return shown

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor, "action": self.action,
                "order_code": self.order_code, "outcome": self.outcome, "explanation": self.explanation,
                "request": self.shown_request, "response": self.response}


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Empty fields do not filter. Times are aware datetimes (``until`` exclusive)."""

    order_code: str | None = None
    actions: Sequence[str] = field(default_factory=tuple)
    outcomes: Sequence[str] = field(default_factory=tuple)
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.order_code:
            where.append(ActionRow.order_code == self.order_code.strip().upper())
        if self.actions:
            where.append(ActionRow.action.in_(list(self.actions)))
        if self.outcomes:
            where.append(ActionRow.outcome.in_(list(self.outcomes)))
        if self.actor:
            where.append(ActionRow.actor == self.actor)
        if self.since is not None:
            where.append(ActionRow.at >= self.since)
        if self.until is not None:
            where.append(ActionRow.at < self.until)
        return where


def _json(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        log.warning("An audit row holds JSON that cannot be read; showing it as text")
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}


def _entry(row: ActionRow) -> AuditEntry:
    return AuditEntry(id=row.id, at=row.at, actor=row.actor, action=row.action, order_code=row.order_code,
                      request=_json(row.request), response=_json(row.response), outcome=row.outcome)


def read_actions(store: Store, flt: AuditFilter | None = None, *, limit: int = PAGE_SIZE,
                 before_id: int | None = None) -> list[AuditEntry]:
    """One page, newest first. The next page starts ``before_id=<last entry's id>``."""
    query = select(ActionRow)
    for cond in (flt or AuditFilter()).conditions():
        query = query.where(cond)
    if before_id is not None:
        query = query.where(ActionRow.id < before_id)
    # ids grow with time (one writer), so the primary key orders newest first without another index
    query = query.order_by(ActionRow.id.desc()).limit(max(1, limit))
    with Session(store.engine) as session:
        return [_entry(row) for row in session.scalars(query)]


def count_actions(store: Store, flt: AuditFilter | None = None) -> int:
    query = select(func.count()).select_from(ActionRow)
    for cond in (flt or AuditFilter()).conditions():
        query = query.where(cond)
    with Session(store.engine) as session:
        return int(session.scalar(query) or 0)


def action_entry(store: Store, action_id: int) -> AuditEntry | None:
    """One row by id (for "Replay again")."""
    with Session(store.engine) as session:
        row = session.get(ActionRow, action_id)
        return _entry(row) if row is not None else None
