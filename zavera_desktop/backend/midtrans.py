"""Midtrans HTTP notifications as Midtrans builds them (contract §5.2–5.3).

Used to replay a webhook the backend never received, and by the benchmarks to post a webhook at
a known instant. The server key is an argument only: it is never stored or logged here.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

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
