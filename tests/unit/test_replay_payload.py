"""The replay's notification: rebuilt field for field from a Midtrans status answer, signed by the one
signer, shown masked; the webhook URL guard and the bulk summary's words."""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import httpx
import pytest

from zavera_desktop.backend.errors import MidtransError
from zavera_desktop.backend.midtrans import (
    MidtransAccess,
    MidtransClient,
    MidtransStatus,
    masked_notification,
    notification_from_status,
    order_code_of,
    signature,
)
from zavera_desktop.engine.action_types import BulkCheckSummary, BulkItem, OutcomeKind, ReplayPreview
from zavera_desktop.engine.replay import ActionError, check_webhook_url, display_url
from zavera_desktop.sandbox import midtrans as simulator

KEY = "SB-Mid-server-TEST"
ORDER_ID = "ZVR-20260122-26A6A050-1769050000-a1b2"
# printf '%s' "ZVR-20260122-26A6A050-1769050000-a1b2" "200" "150000.00" "SB-Mid-server-TEST" | sha512sum
VECTOR = ("1663489b9ee98e4456745e1ec284aa321a163c60ffe80e7a4e99fae7aa755821"
          "abcc28c9195cf4ddd3ab49a303cbd6690ab534114e622ff441174bce8553ecc5")


def test_the_signer_matches_an_independent_vector():
    assert signature(ORDER_ID, "200", "150000.00", KEY) == VECTOR


def transaction(method: str, status: str):
    """A transaction as the sandbox's Midtrans simulator keeps it (an independent implementation)."""
    rt = SimpleNamespace(cfg=SimpleNamespace(merchant_id="G141532850"), zone=ZoneInfo("Asia/Jakarta"),
                         clock=SimpleNamespace(now=lambda: datetime(2026, 1, 22, 10, 5, 0)))
    tx = simulator.new_transaction(rt, ORDER_ID, Decimal("717000"), method, datetime(2026, 1, 22, 10, 0, 0))
    simulator.force_status(tx, rt, status, None)
    return tx


def status_from_midtrans(body: dict) -> MidtransStatus:
    """Parse the answer the way the replay does: through MidtransClient, over an in-memory transport."""
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path == f"/v2/{ORDER_ID}/status"
        return httpx.Response(200, json=body)

    async def ask() -> MidtransStatus:
        client = MidtransClient(MidtransAccess("https://api.sandbox.midtrans.com", KEY, "sandbox"),
                                transport=httpx.MockTransport(answer))
        try:
            return await client.status(ORDER_ID)
        finally:
            await client.aclose()

    status = asyncio.run(ask())
    assert KEY not in repr(status)
    return status


@pytest.mark.parametrize("method", ["bca_va", "permata_va", "mandiri_va", "qris", "gopay"])
@pytest.mark.parametrize("status", ["settlement", "pending", "expire", "capture"])
def test_the_notification_is_the_one_midtrans_sends_field_for_field(method, status):
    tx = transaction(method, status)
    answer = simulator.status_body(tx, KEY)
    built = notification_from_status(status_from_midtrans(answer), KEY)
    sent_by_midtrans = simulator.notification_body(tx, KEY)
    # status_message is the status answer's own (the issue lists it among the copied fields)
    assert built == {**sent_by_midtrans, "status_message": answer["status_message"]}
    assert all(isinstance(v, str) for k, v in built.items() if k != "va_numbers")
    assert built["signature_key"] == signature(ORDER_ID, built["status_code"], "717000.00", KEY)
    assert KEY not in repr(built)


def test_fields_absent_from_the_answer_are_not_invented():
    body = {"status_code": "200", "order_id": ORDER_ID, "gross_amount": "150000.00",
            "transaction_status": "settlement", "transaction_id": "t-1"}
    built = notification_from_status(MidtransStatus("settlement", "200", ORDER_ID, "t-1", "150000.00", "", body), KEY)
    assert built == {**body, "signature_key": VECTOR}


def test_an_answer_without_the_signed_fields_cannot_be_replayed():
    body = {"status_code": "200", "order_id": ORDER_ID, "transaction_status": "settlement"}
    with pytest.raises(MidtransError, match="gross_amount"):
        notification_from_status(MidtransStatus("settlement", "200", ORDER_ID, "", "", "", body), KEY)


def test_masking_hides_the_signature_only_and_copies():
    payload = notification_from_status(status_from_midtrans(simulator.status_body(transaction("bca_va",
                                                                                              "settlement"), KEY)), KEY)
    shown = masked_notification(payload)
    assert shown["signature_key"] == "***" and payload["signature_key"] != "***"
    assert {k: v for k, v in shown.items() if k != "signature_key"} == {
        k: v for k, v in payload.items() if k != "signature_key"}
    preview = ReplayPreview("ZVR-20260122-26A6A050", "PENDING", "t-1", "order_detail", "settlement", payload,
                            "http://127.0.0.1:1/api/webhook/midtrans/core", "production", "https://api.midtrans.com")
    assert preview.masked_payload == shown and preview.needs_typed_confirmation
    assert payload["signature_key"] not in repr(preview)


@pytest.mark.parametrize(("midtrans_id", "code"), [
    (ORDER_ID, "ZVR-20260122-26A6A050"),
    ("ZVR-20260122-26A6A050-1769050000", "ZVR-20260122-26A6A050"),  # Snap
    ("ZVR-20260122", "ZVR-20260122"),
])
def test_order_code_of_a_midtrans_order_id(midtrans_id, code):
    assert order_code_of(midtrans_id) == code


def test_the_webhook_url_must_be_on_the_backends_origin():
    assert check_webhook_url(" https://shop.id:443/api/webhook/midtrans/core ", "https://Shop.id/") == \
        "https://shop.id:443/api/webhook/midtrans/core"
    assert check_webhook_url("http://127.0.0.1:8080/api/payments/core/webhook", "http://127.0.0.1:8080")
    for bad in ("https://evil.example/api/webhook/midtrans/core", "http://shop.id/api/webhook/midtrans/core",
                "https://shop.id:8443/x", "ftp://shop.id/x", "not a url"):
        with pytest.raises(ActionError) as err:
            check_webhook_url(bad, "https://shop.id")
        assert err.value.reason == "webhook_origin"
    assert display_url("https://user:secret@shop.id:8443/midtrans?x=1#f") == "https://shop.id:8443/midtrans?x=1"


def test_the_bulk_summary_in_words():
    items = (
        BulkItem("ZVR-1", 1, OutcomeKind.PAID, "paid", "PAID", "", True),
        BulkItem("ZVR-2", 2, OutcomeKind.PAID, "already_paid", "PAID", ""),
        BulkItem("ZVR-3", 3, OutcomeKind.PENDING, "pending", "PENDING", ""),
        BulkItem("ZVR-4", 4, OutcomeKind.ERROR, "error", "", "the backend failed (HTTP 500)"),
    )
    summary = BulkCheckSummary(5, items, cancelled=True)
    assert summary.text == ("1 now paid, 1 already paid, 1 still pending, 1 failed: ZVR-4 (the backend failed "
                            "(HTTP 500)) — cancelled after 4 of 5")
    assert summary.counts == {"paid": 2, "pending": 1, "error": 1}
    assert BulkCheckSummary(0, ()).text == "no stuck payments"
