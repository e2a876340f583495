"""Money and time decoding of the backend's quirks (contract §9, §10.12, §10.16)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zavera_desktop.domain import (
    DecodeError,
    Notification,
    format_rupiah,
    is_paid_status,
    method_label,
    parse_amount,
    parse_backend_time,
)

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (150000, 150000),
        (150000.0, 150000),
        (Decimal("150000.5"), 150001),  # half up at whole rupiah
        (Decimal("150000.49"), 150000),
        ("150000.00", 150000),  # Midtrans gross_amount is a string
        (" 717000 ", 717000),
        (0, 0),
    ],
)
def test_parse_amount_gives_whole_rupiah(value, expected):
    assert parse_amount(value) == expected


@pytest.mark.parametrize("value", [None, True, "", "abc", "NaN", "inf", [], {}])
def test_parse_amount_rejects_non_amounts(value):
    with pytest.raises(DecodeError):
        parse_amount(value)


def test_parse_amount_never_goes_through_float():
    # 0.1 + 0.2 style errors would show at these magnitudes if a float slipped in
    assert parse_amount(Decimal("9999999999.995")) == 10000000000


def test_format_rupiah_uses_indonesian_grouping():
    assert format_rupiah(717000) == "Rp 717.000"
    assert format_rupiah(3450000) == "Rp 3.450.000"
    assert format_rupiah(0) == "Rp 0"


def test_zone_less_time_is_shop_local():
    t = parse_backend_time("2026-01-22 10:00:00", WIB)
    assert t == datetime(2026, 1, 22, 3, 0, tzinfo=UTC)


def test_false_z_suffix_is_shop_local_wall_clock():
    # stuck_payments[].created_at: a DB TIMESTAMP labelled Z, really WIB (contract §9 (b))
    t = parse_backend_time("2026-01-22T09:00:00Z", WIB)
    assert t.utcoffset() == timedelta(hours=7)
    assert t.hour == 9


def test_real_offset_is_kept_and_nanoseconds_are_trimmed():
    t = parse_backend_time("2026-01-22T10:00:00.123456789+07:00", WIB)
    assert t == datetime(2026, 1, 22, 3, 0, 0, 123456, tzinfo=UTC)


@pytest.mark.parametrize("value", [None, "", "0001-01-01 00:00:00", "0001-01-01T00:00:00Z"])
def test_null_times(value):
    assert parse_backend_time(value, WIB) is None


def test_garbage_time_is_a_decode_error():
    with pytest.raises(DecodeError):
        parse_backend_time("yesterday", WIB)


def test_configurable_zone():
    t = parse_backend_time("2026-01-22 10:00:00", ZoneInfo("Asia/Makassar"))
    assert t.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("status", ["PAID", "PACKING", "SHIPPED", "DELIVERED", "COMPLETED", "paid"])
def test_paid_statuses(status):
    assert is_paid_status(status)


@pytest.mark.parametrize("status", ["PENDING", "EXPIRED", "KADALUARSA", "CANCELLED", "FAILED", "", None])
def test_unpaid_statuses(status):
    assert not is_paid_status(status)


def test_method_labels():
    assert method_label("bca_va") == "BCA VA"
    assert method_label("") == ""
    assert method_label("new_wallet") == "NEW WALLET"


def test_notification_parses_contract_example():
    text = ('{"id":"1769050123456789012-123","type":"payment_received","title":"💰 Payment Received",'
            '"message":"Order #ZVR-20260122-26A6A050 paid via bca_va (Rp 150000)","severity":"info",'
            '"data":{"order_code":"ZVR-20260122-26A6A050","payment_method":"bca_va","amount":150000.5},'
            '"timestamp":"2026-01-22T10:00:00.5+07:00","read":false}')
    n = Notification.from_json(text, WIB)
    assert n.type == "payment_received"
    assert n.data["amount"] == Decimal("150000.5")  # no float on the way in
    assert n.timestamp.utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize("text", ["not json", "[]", '{"type": 5}', '{"title": "x"}', '{"type":"x","data":[1]}'])
def test_notification_rejects_malformed(text):
    with pytest.raises(DecodeError):
        Notification.from_json(text, WIB)


def test_notification_with_null_data_and_bad_timestamp():
    n = Notification.from_json('{"type":"system","data":null,"timestamp":"garbage"}', WIB)
    assert n.data == {} and n.timestamp is None


def test_midtrans_signature_matches_the_contract_formula():
    import hashlib

    from zavera_desktop.backend.midtrans import build_notification, gross_amount_text, signature

    assert gross_amount_text(150000) == "150000.00"
    expected = hashlib.sha512(b"ZVR-20260122-26A6A050-1769050000-a1b2" + b"200" + b"150000.00" + b"SB-key").hexdigest()
    assert signature("ZVR-20260122-26A6A050-1769050000-a1b2", "200", "150000.00", "SB-key") == expected
    body = build_notification(order_id="ZVR-20260122-26A6A050-1769050000-a1b2", transaction_id="tx",
                              gross_amount=150000, server_key="SB-key")
    assert body["signature_key"] == expected
    assert all(isinstance(v, str) for k, v in body.items() if k != "va_numbers")
    assert "SB-key" not in str(body)
