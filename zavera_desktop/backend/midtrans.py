"""Midtrans itself: notifications as Midtrans builds them (contract §5.2–5.3), and its status API (§6).

The signer serves the webhook replay and the benchmarks (one signer for both); the status client
serves verify's direct look-up and the replay. The server key is an argument only: it is never
stored or logged here, and leaves the machine only in Midtrans' own Authorization header or as a
signature.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import httpx

from zavera_desktop.backend.client import parse_retry_after
from zavera_desktop.backend.errors import (
    MidtransAuthError,
    MidtransError,
    MidtransNotFoundError,
    MidtransUnavailableError,
)

MIDTRANS_TZ = ZoneInfo("Asia/Jakarta")  # Midtrans documents its times as GMT+7


def gross_amount_text(amount: int | Decimal | str) -> str:
    """``150000`` → ``"150000.00"``, the exact string Midtrans signs."""
    if isinstance(amount, str):
        return amount
    return f"{Decimal(amount):.2f}"


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """Lowercase hex SHA-512 of the plain concatenation, as the backend verifies it."""
    return hashlib.sha512((order_id + status_code + gross_amount + server_key).encode("utf-8")).hexdigest()


def build_notification(
    *,
    order_id: str,
    transaction_id: str,
    gross_amount: int | Decimal | str,
    server_key: str,
    transaction_status: str = "settlement",
    status_code: str = "200",
    payment_type: str = "bank_transfer",
    bank: str | None = "bca",
    va_number: str | None = None,
    transaction_time: datetime | None = None,
    settlement_time: datetime | None = None,
    merchant_id: str = "G000000000",
) -> dict[str, Any]:
    """A Midtrans Core notification body: every field a string, signed."""
    gross = gross_amount_text(gross_amount)
    now = datetime.now(MIDTRANS_TZ)
    body: dict[str, Any] = {
        "transaction_time": (transaction_time or now).astimezone(MIDTRANS_TZ).strftime("%Y-%m-%d %H:%M:%S"),
        "transaction_status": transaction_status,
        "transaction_id": transaction_id,
        "status_message": "midtrans payment notification",
        "status_code": status_code,
        "signature_key": signature(order_id, status_code, gross, server_key),
        "payment_type": payment_type,
        "order_id": order_id,
        "merchant_id": merchant_id,
        "gross_amount": gross,
        "fraud_status": "accept",
        "currency": "IDR",
    }
    if transaction_status in ("settlement", "capture"):
        body["settlement_time"] = (settlement_time or now).astimezone(MIDTRANS_TZ).strftime("%Y-%m-%d %H:%M:%S")
    if payment_type == "bank_transfer" and bank:
        body["va_numbers"] = [{"bank": bank, "va_number": va_number or ""}]
    return body


# --- Midtrans' own status API (contract §6, call 2) ------------------------------------------------

MIDTRANS_BASE_URLS = {
    "sandbox": "https://api.sandbox.midtrans.com",
    "production": "https://api.midtrans.com",
}
#: Midtrans statuses that mean the customer's money arrived (the backend maps both to PAID, §4.1)
SETTLED_STATUSES = frozenset({"settlement", "capture"})
#: Midtrans statuses after which the transaction can no longer be paid
FINAL_UNPAID_STATUSES = frozenset({"expire", "cancel", "deny", "failure"})


@dataclass(frozen=True, slots=True)
class MidtransAccess:
    """Where Midtrans is and the merchant's server key (kept in memory; from the keyring or env)."""

    base_url: str
    server_key: str
    environment: str = "custom"  # sandbox | production | custom

    def __repr__(self) -> str:  # the key must never reach a log or a traceback
        return f"MidtransAccess(base_url={self.base_url!r}, environment={self.environment!r}, server_key=***)"

    @classmethod
    def for_environment(cls, environment: str, server_key: str) -> MidtransAccess:
        try:
            return cls(MIDTRANS_BASE_URLS[environment], server_key, environment)
        except KeyError:
            raise ValueError(f"unknown Midtrans environment {environment!r} (use sandbox or production)") from None


@dataclass(frozen=True, slots=True)
class MidtransStatus:
    """A ``GET /v2/{id}/status`` answer: every field a string, as Midtrans sends it."""

    transaction_status: str
    status_code: str
    order_id: str
    transaction_id: str
    gross_amount: str
    fraud_status: str
    raw: dict[str, Any]

    @property
    def settled(self) -> bool:
        return self.transaction_status in SETTLED_STATUSES


def basic_auth(server_key: str) -> str:
    """Midtrans' Authorization header: Basic base64(server_key + ":")."""
    return "Basic " + base64.b64encode(f"{server_key}:".encode()).decode("ascii")


class MidtransClient:
    """Asks Midtrans itself about a transaction. The key goes only into the Authorization header."""

    def __init__(self, access: MidtransAccess, *, transport: httpx.AsyncBaseTransport | None = None,
                 timeout: float = 15.0) -> None:
        self.access = access
        self.http = httpx.AsyncClient(
            base_url=access.base_url.rstrip("/"), transport=transport, timeout=timeout,
            headers={"Accept": "application/json", "Authorization": basic_auth(access.server_key)},
        )

    async def aclose(self) -> None:
        await self.http.aclose()

    async def status(self, order_or_transaction_id: str) -> MidtransStatus:
        """The transaction's status; ``{id}`` may be the Midtrans order id or the transaction id."""
        what = "Asking Midtrans"
        try:
            response = await self.http.get(f"/v2/{quote(order_or_transaction_id, safe='')}/status")
        except httpx.HTTPError as exc:
            host = urlsplit(self.access.base_url).netloc or self.access.base_url
            raise MidtransUnavailableError(f"{what}: cannot reach Midtrans at {host} "
                                           f"({exc.__class__.__name__}).") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        # Midtrans repeats the outcome in the body's status_code, sometimes with HTTP 200 (§6).
        code = str(body.get("status_code") or response.status_code)
        message = str(body.get("status_message") or "")
        if response.status_code == 401 or code == "401":
            raise MidtransAuthError("Midtrans refused the server key (it is wrong, or belongs to the other "
                                    "environment: sandbox keys start with SB-Mid-server-).")
        if response.status_code == 404 or code == "404":
            raise MidtransNotFoundError(f"Midtrans knows no transaction {order_or_transaction_id!r}"
                                        f"{': ' + message if message else ''}.")
        if response.status_code == 429 or code == "429" or response.status_code >= 500 or code.startswith("5"):
            retry_after = None
            if "retry-after" in response.headers:
                retry_after = parse_retry_after(response.headers.get("retry-after"), default=5.0)
            raise MidtransUnavailableError(f"{what}: Midtrans answered {code} {message}".strip() + ".",
                                           retry_after=retry_after)
        if response.status_code >= 400 or "transaction_status" not in body:
            raise MidtransError(f"{what}: unexpected answer (HTTP {response.status_code}, status_code {code}"
                                f"{': ' + message if message else ''}).")
        return MidtransStatus(
            transaction_status=str(body.get("transaction_status") or ""),
            status_code=code,
            order_id=str(body.get("order_id") or ""),
            transaction_id=str(body.get("transaction_id") or ""),
            gross_amount=str(body.get("gross_amount") or ""),
            fraud_status=str(body.get("fraud_status") or ""),
            raw={k: v for k, v in body.items() if k != "signature_key"},
        )


# --- the replay: a notification rebuilt from Midtrans' own status answer (contract §5.2–5.4) --------

#: the notification fields taken from the status answer, every one a string (§5.2), in Midtrans' order
NOTIFICATION_FIELDS = ("transaction_time", "transaction_status", "transaction_id", "status_message", "status_code",
                       "payment_type", "order_id", "merchant_id", "gross_amount", "fraud_status", "currency")
#: string fields a notification carries only when the transaction has them (times, other VA shapes)
OPTIONAL_NOTIFICATION_FIELDS = ("settlement_time", "expiry_time", "permata_va_number", "bill_key", "biller_code",
                                "acquirer")
#: what a preview shows instead of the signature
MASK = "***"


def order_code_of(midtrans_order_id: str) -> str:
    """The backend's ``extractOrderCode`` (§5.4): the first three ``-`` parts, or the whole id."""
    parts = midtrans_order_id.split("-")
    return "-".join(parts[:3]) if len(parts) >= 3 else midtrans_order_id


def notification_from_status(status: MidtransStatus, server_key: str) -> dict[str, Any]:
    """The HTTP notification Midtrans would post for this status answer, signed with ``signature()``.

    Every field is copied from the answer as the string Midtrans sent; nothing is invented, so a
    field the answer lacks is left out. ``va_numbers`` (a list) is copied when present. The server key
    goes into the signature only.
    """
    raw = status.raw
    for needed in ("order_id", "status_code", "gross_amount", "transaction_status"):
        if not isinstance(raw.get(needed), str) or not raw.get(needed):
            raise MidtransError(f"Midtrans' answer has no {needed}, so no notification can be built from it.")
    body: dict[str, Any] = {}
    for name in NOTIFICATION_FIELDS:
        if raw.get(name) is not None:
            body[name] = str(raw[name])
    for name in OPTIONAL_NOTIFICATION_FIELDS:
        if raw.get(name) is not None:
            body[name] = str(raw[name])
    vas = raw.get("va_numbers")
    if isinstance(vas, list):
        body["va_numbers"] = [{str(k): str(v) for k, v in va.items() if v is not None}
                              for va in vas if isinstance(va, dict)]
    body["signature_key"] = signature(body["order_id"], body["status_code"], body["gross_amount"], server_key)
    return body


def masked_notification(payload: dict[str, Any]) -> dict[str, Any]:
    """A copy for previews, logs and the terminal: the signature is hidden (the key is never in it)."""
    shown = dict(payload)
    if "signature_key" in shown:
        shown["signature_key"] = MASK
    return shown
