"""Plain data types of the product and the decoding of the backend's money and time quirks.

Nothing here talks to the network, the database or Qt. Money is whole rupiah (``int``) everywhere
after decoding: the backend sends DECIMAL(12,2) values as JSON floats (contract §9) and we never
do float arithmetic on them.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_SHOP_TZ = "Asia/Jakarta"

# "0001-01-01 00:00:00" is how the orders list renders a NULL timestamp (contract §3.1, §10.12).
_GO_ZERO_TIME_PREFIX = "0001-01-01"

#: Order statuses that mean "the money arrived" (DESIGN §2: decide from the order, PAID or later).
PAID_STATUSES = frozenset({"PAID", "PROCESSING", "PACKING", "SHIPPED", "DELIVERED", "COMPLETED", "REFUNDED"})
#: Core (order_payments) payment methods; anything else in a `payment` object is the Snap table.
CORE_METHODS = frozenset({"bca_va", "bri_va", "bni_va", "permata_va", "mandiri_va", "qris", "gopay"})

METHOD_LABELS = {
    "bca_va": "BCA VA",
    "bri_va": "BRI VA",
    "bni_va": "BNI VA",
    "permata_va": "Permata VA",
    "mandiri_va": "Mandiri Bill",
    "qris": "QRIS",
    "gopay": "GoPay",
    "bank_transfer": "Bank transfer",
    "echannel": "Mandiri Bill",
    "credit_card": "Card",
}


class DecodeError(ValueError):
    """A value from the backend that cannot be understood (bad amount, bad timestamp)."""


def is_paid_status(status: str | None) -> bool:
    return (status or "").upper() in PAID_STATUSES


def parse_amount(value: Any) -> int:
    """Whole rupiah from a JSON number, numeric string or Decimal (``"150000.00"`` → 150000).

    Rounds half up at whole-rupiah precision (contract §10.16: compare at whole rupiah).
    """
    if value is None or isinstance(value, bool):
        raise DecodeError(f"not an amount: {value!r}")
    try:
        dec = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DecodeError(f"not an amount: {value!r}") from exc
    if not dec.is_finite():
        raise DecodeError(f"not an amount: {value!r}")
    return int(dec.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_rupiah(amount: int) -> str:
    """``Rp 717.000`` — Indonesian grouping with dots; used by the CLI (the UI uses QLocale)."""
    sign = "-" if amount < 0 else ""
    return f"Rp {sign}{abs(amount):,}".replace(",", ".")


def method_label(method: str | None) -> str:
    if not method:
        return ""
    return METHOD_LABELS.get(method, method.replace("_", " ").upper())


def parse_backend_time(value: Any, tz: ZoneInfo) -> datetime | None:
    """Decode any backend timestamp into an aware datetime.

    * ``YYYY-MM-DD HH:MM:SS`` (admin DTOs) has no zone: it is shop-local wall-clock time.
    * ``...Z`` from DB TIMESTAMP columns is a false UTC label on shop-local time (contract §9).
    * A real offset (SSE timestamps) is kept.
    * ``0001-01-01 00:00:00``, empty and ``None`` mean "no time".
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise DecodeError(f"not a timestamp: {value!r}")
    text = value.strip()
    if not text or text.startswith(_GO_ZERO_TIME_PREFIX):
        return None
    false_utc = text.endswith(("Z", "z"))
    if false_utc:
        text = text[:-1]
    text = _trim_fraction(text.replace("T", " ", 1))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise DecodeError(f"not a timestamp: {value!r}") from exc
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=tz)
    return parsed


def _trim_fraction(text: str) -> str:
    # Go writes up to 9 fractional digits (RFC3339Nano); Python's fromisoformat takes at most 6.
    dot = text.find(".")
    if dot < 0:
        return text
    end = dot + 1
    while end < len(text) and text[end].isdigit():
        end += 1
    digits = text[dot + 1 : end][:6]
    return text[:dot] + ("." + digits if digits else "") + text[end:]


def shop_date(now: datetime, tz: ZoneInfo) -> str:
    """The shop-local calendar date (``YYYY-MM-DD``) the backend's date filters expect."""
    return now.astimezone(tz).strftime("%Y-%m-%d")


def days_ago(now: datetime, days: int, tz: ZoneInfo) -> str:
    return shop_date(now - timedelta(days=days), tz)


class ConnectionState(enum.StrEnum):
    """DESIGN §4: what the admin sees in the status bar at all times."""

    STOPPED = "stopped"
    CONNECTING = "connecting"
    LIVE = "live"
    RECONNECTING = "reconnecting"
    OFFLINE = "offline"
    AUTH_REQUIRED = "auth_required"
    FORBIDDEN = "forbidden"

    @property
    def is_live(self) -> bool:
        return self is ConnectionState.LIVE

    @property
    def is_fatal(self) -> bool:
        """Needs the admin: the engine will not fix it by waiting."""
        return self in (ConnectionState.AUTH_REQUIRED, ConnectionState.FORBIDDEN)


class DetectedBy(enum.StrEnum):
    STREAM = "stream"
    RECONCILE = "reconcile"
    VERIFY = "verify"
    REPLAY = "replay"


@dataclass(frozen=True, slots=True)
class ConnectionStatus:
    state: ConnectionState
    detail: str = ""
    attempt: int = 0
    next_attempt_at: datetime | None = None
    since: datetime | None = None


@dataclass(frozen=True, slots=True)
class PaymentCandidate:
    """A source's claim that an order has been paid; the store decides whether it is new."""

    order_code: str
    amount: int | None
    detected_by: DetectedBy
    detected_at: datetime
    payment_method: str = ""
    customer: str | None = None
    order_status: str = "PAID"
    paid_at: datetime | None = None
    payment_id: int | None = None
    raw: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment as the store holds it; announced to the admin exactly once."""

    order_code: str
    amount: int | None
    payment_method: str
    customer: str | None
    order_status: str
    paid_at: datetime | None
    detected_at: datetime
    detected_by: DetectedBy
    read: bool = False
    payment_id: int | None = None
    id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "event": "payment",
            "order_code": self.order_code,
            "amount": self.amount,
            "payment_method": self.payment_method,
            "customer": self.customer,
            "detected_by": self.detected_by.value,
            "detected_at": self.detected_at.isoformat(),
            "paid_at": self.paid_at.isoformat() if self.paid_at else None,
        }


@dataclass(frozen=True, slots=True)
class Notification:
    """An AdminNotification from the stream (contract §2.3), already parsed from JSON."""

    id: str
    type: str
    title: str
    message: str
    severity: str
    data: dict[str, Any]
    timestamp: datetime | None

    @classmethod
    def from_json(cls, text: str, tz: ZoneInfo) -> Notification:
        """Parse one notification; raises DecodeError for anything that is not one."""
        try:
            obj = json.loads(text, parse_float=Decimal)
        except (ValueError, RecursionError) as exc:
            raise DecodeError(f"notification data is not JSON: {exc}") from exc
        if not isinstance(obj, dict):
            raise DecodeError("notification data is not a JSON object")
        ntype = obj.get("type")
        if not isinstance(ntype, str) or not ntype:
            raise DecodeError("notification has no type")
        data = obj.get("data")
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise DecodeError("notification data field is not an object")
        try:
            ts = parse_backend_time(obj.get("timestamp"), tz)
        except DecodeError:
            ts = None
        return cls(
            id=str(obj.get("id") or ""),
            type=ntype,
            title=str(obj.get("title") or ""),
            message=str(obj.get("message") or ""),
            severity=str(obj.get("severity") or "info"),
            data=data,
            timestamp=ts,
        )


@dataclass(frozen=True, slots=True)
class ActivityItem:
    """A line of the activity log (stream events other than payments, engine notes)."""

    kind: str
    message: str
    at: datetime
    order_code: str | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ReadChange:
    """The admin marked payments read or unread; ``order_codes`` None means every payment."""

    order_codes: tuple[str, ...] | None
    read: bool


# --- payment health (engine/health.py, engine/orphans.py) -----------------------------------------------


class HealthKind(enum.StrEnum):
    """What a payment-health alert is about (docs/architecture.md, "Payment health")."""

    #: several recent payments were found only by asking Midtrans: its notifications do not arrive
    WEBHOOKS_MISSING = "webhooks_missing"
    #: Core settlements reach a Snap webhook route (order PAID, Core payment still PENDING, no broadcast)
    WEBHOOK_MISROUTED = "webhook_misrouted"
    #: the live stream was down too long or dropped too often in the last hour
    STREAM_UNRELIABLE = "stream_unreliable"
    #: Midtrans has the money for an order the shop does not consider paid
    ORPHAN_SETTLEMENT = "orphan_settlement"


@dataclass(frozen=True, slots=True)
class HealthAlert:
    """A payment-health finding (shop-wide) or an orphan settlement (one order), as stored.

    In a ``ChangeBatch``, ``change`` says what happened to it: ``raised``, ``updated`` (more evidence)
    or ``cleared``; an alert whose ``id`` is already shown replaces it. ``detail`` says what is wrong
    and ``fix`` what to do, in English (the window translates by ``kind`` and fills in ``evidence``).
    """

    id: int
    kind: HealthKind
    detail: str
    fix: str
    raised_at: datetime
    order_code: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    amount: int | None = None
    midtrans_status: str | None = None
    order_status: str | None = None
    cleared_at: datetime | None = None
    cleared_reason: str = ""
    change: str = "raised"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None

    def to_json(self) -> dict[str, Any]:
        """``watch --json``: ``{"event": "alert", …}`` when raised, ``{"event": "alert_cleared", …}`` when cleared."""
        if self.cleared_at is not None:
            return {"event": "alert_cleared", "kind": self.kind.value, "order_code": self.order_code,
                    "detail": self.cleared_reason, "raised_at": self.raised_at.isoformat(),
                    "cleared_at": self.cleared_at.isoformat()}
        out: dict[str, Any] = {"event": "alert", "kind": self.kind.value}
        if self.order_code is not None:
            out.update(order_code=self.order_code, amount=self.amount, midtrans_status=self.midtrans_status,
                       order_status=self.order_status)
        out.update(detail=self.detail, fix=self.fix, evidence=self.evidence, raised_at=self.raised_at.isoformat())
        return out


@dataclass(slots=True)
class ChangeBatch:
    """What changed in one engine step; the UI applies a whole batch at once (DESIGN §4).

    ``new_payments`` are announced exactly once in the life of the store; ``updated_payments``
    are known payments whose details were filled in later (customer, paid_at, order status).
    """

    new_payments: list[Payment] = field(default_factory=list)
    updated_payments: list[Payment] = field(default_factory=list)
    connection: ConnectionStatus | None = None
    activity: list[ActivityItem] = field(default_factory=list)
    read_change: ReadChange | None = None
    #: payment-health alerts raised, updated or cleared (``HealthAlert.change``)
    alerts: list[HealthAlert] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.new_payments or self.updated_payments or self.connection or self.activity
                    or self.read_change or self.alerts)
