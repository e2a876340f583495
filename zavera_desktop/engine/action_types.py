"""What the admin actions answer: outcome kinds, results, progress and refusals (no logic, no Qt).

The engine words everything in English for logs, the CLI and the audit log. The window translates by
``outcome`` and ``reason`` and fills its sentences from ``params``; it never parses the English.

Reasons (stable identifiers) and their ``params``:

status check (``CheckActionOutcome.reason``)
    ``already_paid`` {status}        the backend already has the order paid; /core/check was not called
    ``no_core_payment`` {status}     no VA/QRIS/GoPay payment, so the backend cannot ask Midtrans
    ``paid``                         /core/check: Midtrans has the money, the order is now PAID
    ``pending``                      PENDING — also what the backend says when Midtrans was unreachable
    ``cancelled_by_admin``           the order was cancelled by an admin; Midtrans was not asked
    ``payment_cancelled``            Midtrans cancelled the transaction; only the payment row changed
    ``expired``                      the VA expired; payment and order are EXPIRED
    ``payment_failed``               Midtrans denied the transaction; only the payment row changed
    ``payment_final`` {status}       the payment row was already final; answered from the DB
    ``other`` {status}               any other answer

replay (``ReplayOutcome.reason``)
    ``already_paid`` {status}        nothing was sent: the order is already paid
    ``dry_run``                      nothing was sent: the payload was only shown
    ``paid``                         accepted; the order is now paid
    ``midtrans_not_settled`` {transaction_status, status}   accepted; Midtrans has no money to report
    ``payment_final`` {payment_status, status}   accepted but ignored: the payment row was already final
    ``not_applied`` {status}         accepted, but the order did not change
    ``reread_failed`` {error}        accepted, but reading the order afterwards failed
    ``bad_signature`` {message}      rejected: the backend's server key is not the one used here
    ``order_not_found`` {message}    rejected: the backend knows no such order
    ``payment_not_found`` {message}  rejected: the order has no Core payment for the webhook to apply
    ``rejected`` {message}           rejected for another reason (the backend's message)

refusals (``ActionError.reason``): ``transaction_id_needed``, ``no_midtrans``, ``other_order``
{midtrans_order_id, belongs_to}, ``webhook_origin`` {webhook_url, backend_url}, ``confirmation_required``,
``not_replayable`` {action_id}.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from zavera_desktop.backend.errors import ZaveraError
from zavera_desktop.backend.midtrans import masked_notification
from zavera_desktop.domain import is_paid_status
from zavera_desktop.store import Store, StoreError

log = logging.getLogger(__name__)


class OutcomeKind(enum.StrEnum):
    PAID = "paid"  # the order is paid afterwards (now, or it already was)
    PENDING = "pending"  # still waiting for the money
    CANCELLED = "cancelled"  # the order, or its payment, is cancelled
    FAILED = "failed"  # the payment failed or expired
    REJECTED = "rejected"  # the backend refused the replayed notification
    DRY_RUN = "dry_run"  # a replay was shown, not sent
    ERROR = "error"  # the action could not be completed


def kind_for_order_status(status: str) -> OutcomeKind:
    """What an order status means for the admin: paid, cancelled, failed/expired or still pending."""
    status = status.upper()
    if is_paid_status(status):
        return OutcomeKind.PAID
    if status == "CANCELLED":
        return OutcomeKind.CANCELLED
    if status in ("EXPIRED", "KADALUARSA", "FAILED"):
        return OutcomeKind.FAILED
    return OutcomeKind.PENDING


class ActionError(ZaveraError):
    """An action that cannot go ahead as asked. ``reason`` is stable (see the module docstring); the
    message is English for the admin and never contains a secret."""

    def __init__(self, reason: str, message: str, *, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.params: dict[str, Any] = dict(params or {})


class TransactionIdNeeded(ActionError):
    """The order detail has no Midtrans transaction id: the admin has to type the Midtrans order id."""


@dataclass(frozen=True, slots=True)
class ActionProgress:
    """A progress report, called on the engine thread (marshal it to the UI thread yourself).

    ``stage``: ``checking`` (an order is being checked), ``waiting`` (``wait_seconds`` from now; ``why``
    is ``spacing`` — our one-check-per-payment-per-5-s rule — or ``rate_limited`` — the backend
    answered 429) or ``done`` (a bulk check finished).
    ``done``/``total``/``counts`` (outcome kind → number) are filled in by "check all stuck".
    """

    stage: str
    order_code: str | None = None
    wait_seconds: float = 0.0
    why: str = ""
    done: int = 0
    total: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CheckActionOutcome:
    """An admin's status check, in words. Field-compatible with ``checks.CheckOutcome``."""

    order_code: str
    payment_id: int | None
    #: the backend's answer (``/core/check`` status), or the order status when the backend was not asked
    status: str
    #: the backend's own message when it answered, else the explanation (one line to show)
    message: str
    newly_detected: bool
    outcome: OutcomeKind
    reason: str
    explanation: str
    #: the order's status read from the backend after the check ("" when not re-read)
    backend_status: str
    backend_message: str = ""
    #: seconds spent waiting for the rate limit
    waited: float = 0.0
    params: Mapping[str, Any] = field(default_factory=dict)
    action_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``--json`` object."""
        return {"action": "check", "order_code": self.order_code, "outcome": self.outcome.value,
                "backend_status": self.backend_status, "message": self.explanation}

    def audit_response(self) -> dict[str, Any]:
        return {"status": self.status, "message": self.backend_message, "backend_status": self.backend_status,
                "reason": self.reason, "explanation": self.explanation, "newly_detected": self.newly_detected,
                "waited_s": round(self.waited, 1)}


@dataclass(frozen=True, slots=True)
class BulkItem:
    order_code: str
    payment_id: int | None
    outcome: OutcomeKind
    reason: str
    status: str
    explanation: str
    newly_detected: bool = False


@dataclass(frozen=True, slots=True)
class BulkCheckSummary:
    """The end of "check all stuck": one item per stuck payment that was reached."""

    total: int
    items: tuple[BulkItem, ...]
    cancelled: bool = False
    #: why the run stopped early other than the admin's cancel: logged out, or the backend down (3 in a row)
    stopped: str = ""
    action_id: int | None = None

    def count(self, kind: OutcomeKind) -> int:
        return sum(1 for i in self.items if i.outcome is kind)

    @property
    def now_paid(self) -> int:
        return sum(1 for i in self.items if i.outcome is OutcomeKind.PAID and i.reason == "paid")

    @property
    def already_paid(self) -> int:
        return sum(1 for i in self.items if i.outcome is OutcomeKind.PAID and i.reason != "paid")

    @property
    def errors(self) -> tuple[BulkItem, ...]:
        return tuple(i for i in self.items if i.outcome is OutcomeKind.ERROR)

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.items:
            out[item.outcome.value] = out.get(item.outcome.value, 0) + 1
        return out

    @property
    def text(self) -> str:
        """"3 now paid, 12 still pending, 1 failed: ZVR-… (why)" — English, for logs and the CLI."""
        parts = []
        for n, words in ((self.now_paid, "now paid"), (self.already_paid, "already paid"),
                         (self.count(OutcomeKind.PENDING), "still pending"),
                         (self.count(OutcomeKind.FAILED), "expired or denied at Midtrans"),
                         (self.count(OutcomeKind.CANCELLED), "cancelled")):
            if n:
                parts.append(f"{n} {words}")
        errors = self.errors
        if errors:
            parts.append(f"{len(errors)} failed: " + "; ".join(f"{e.order_code} ({e.explanation})" for e in errors))
        text = ", ".join(parts) if parts else "no stuck payments"
        if self.cancelled:
            text += f" — cancelled after {len(self.items)} of {self.total}"
        elif self.stopped:
            text += f" — stopped after {len(self.items)} of {self.total}: {self.stopped}"
        return text


@dataclass(frozen=True, slots=True)
class ReplayPreview:
    """What a replay would send, for the admin to confirm. ``payload`` carries the real signature
    (the key itself is never here); show ``masked_payload`` instead."""

    order_code: str
    #: the order's status when the preview was made
    order_status: str
    #: the id Midtrans was asked about, where it came from ("order_detail", "admin") and its answer
    midtrans_id: str
    id_source: str
    transaction_status: str
    payload: Mapping[str, Any]
    webhook_url: str
    #: sandbox | production | custom (| the environment stored with a replayed row)
    environment: str
    midtrans_url: str
    #: (code, English text): ``midtrans_not_settled`` {transaction_status}, ``payment_final`` {payment_status}
    warnings: tuple[tuple[str, str], ...] = ()
    #: set when this re-sends a stored replay ("Replay again"): that audit row's id
    replay_of: int | None = None

    @property
    def masked_payload(self) -> dict[str, Any]:
        return masked_notification(dict(self.payload))

    @property
    def needs_typed_confirmation(self) -> bool:
        """Production: the admin types the order code to confirm (pass it as ``confirmation``)."""
        return self.environment == "production"

    def __repr__(self) -> str:  # keep the signature out of logs and tracebacks too
        return (f"ReplayPreview(order_code={self.order_code!r}, midtrans_id={self.midtrans_id!r}, "
                f"transaction_status={self.transaction_status!r}, webhook_url={self.webhook_url!r}, "
                f"environment={self.environment!r}, replay_of={self.replay_of!r})")


@dataclass(frozen=True, slots=True)
class ReplayOutcome:
    order_code: str
    outcome: OutcomeKind
    reason: str
    explanation: str
    #: the order's status re-read after sending ("" when it could not be read)
    backend_status: str
    #: the webhook's verdict ("ok" / "error", "" when nothing was sent) and its own message
    webhook_status: str = ""
    backend_message: str = ""
    transaction_status: str = ""
    newly_detected: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)
    #: the audit row of this replay (for "Replay again")
    action_id: int | None = None
    #: the payload shown or sent, masked (a dry run prints it)
    masked_payload: Mapping[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": "replay", "order_code": self.order_code, "outcome": self.outcome.value,
                               "backend_status": self.backend_status, "message": self.explanation}
        if self.outcome is OutcomeKind.DRY_RUN and self.masked_payload is not None:
            out["payload"] = dict(self.masked_payload)
        return out


def record_action(store: Store, *, actor: str, action: str, order_code: str | None, request: dict[str, Any] | None,
                  response: dict[str, Any] | None, outcome: str) -> int | None:
    """Append an audit row; a failing database is logged, not raised — the admin still sees the outcome."""
    try:
        return store.log_action(actor=actor, action=action, order_code=order_code, request=request,
                                response=response, outcome=outcome)
    except (StoreError, SQLAlchemyError) as exc:
        log.error("Cannot write the audit log (%s): %s %s for %s was not recorded",
                  exc.__class__.__name__, action, outcome, order_code)
        return None
