"""Contract §9/§11 encoding details: Go's JSON numbers, escapes and time formats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from zavera_desktop.sandbox.gojson import dumps, gin_h, go_float
from zavera_desktop.sandbox.timeutil import false_z, rfc3339, rfc3339nano_ns

WIB = timezone(timedelta(hours=7))


def test_s9_amounts_render_like_go_float64() -> None:
    """§9: amounts are JSON numbers: 150000 (not 150000.0), 150000.5 stays; Go's exponent rules."""
    assert dumps({"a": Decimal("150000.00"), "b": Decimal("150000.50"), "c": 2.0, "d": 1.7000000000000002}) == (
        '{"a":150000,"b":150000.5,"c":2,"d":1.7000000000000002}'
    )
    assert [go_float(v) for v in (1e21, 1e-7, 123456789012345678.0, 0.000012)] == [
        "1e+21", "1e-7", "123456789012345680", "0.000012",
    ]


def test_s11_json_escapes_and_key_order() -> None:
    """§11: gin.H keys sorted; HTML characters escaped as Go does; emoji left raw; no spaces."""
    assert dumps(gin_h(status="ok", message="<a&b>")) == '{"message":"\\u003ca\\u0026b\\u003e","status":"ok"}'
    assert dumps({"title": "💰 Payment Received", "x": None, "y": [True, False]}) == (
        '{"title":"💰 Payment Received","x":null,"y":[true,false]}'
    )


def test_s9_time_formats() -> None:
    """§9: RFC3339 with the real offset, RFC3339Nano trimmed like Go, and the false ``Z``."""
    assert rfc3339(datetime(2026, 1, 22, 10, 0, tzinfo=WIB)) == "2026-01-22T10:00:00+07:00"
    base = int(datetime(2026, 1, 22, 3, 0, tzinfo=UTC).timestamp()) * 1_000_000_000
    assert rfc3339nano_ns(base + 123_450_000, WIB) == "2026-01-22T10:00:00.12345+07:00"
    assert rfc3339nano_ns(base, WIB) == "2026-01-22T10:00:00+07:00"
    assert rfc3339nano_ns(base, UTC) == "2026-01-22T03:00:00Z"
    assert false_z(datetime(2026, 1, 22, 9, 0, 0, 120000)) == "2026-01-22T09:00:00.12Z"
