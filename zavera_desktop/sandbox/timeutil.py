"""Shop-local time and the three timestamp formats the backend emits (contract §9).

The real backend stores every timestamp as PostgreSQL ``TIMESTAMP`` without zone, written
with the DB's local wall clock (probably WIB). We do the same: all stored datetimes are
naive shop-local wall-clock values.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Midtrans documents transaction_time/expiry_time/settlement_time as GMT+7 whatever the shop zone.
MIDTRANS_ZONE = timezone(timedelta(hours=7))

# What lib/pq gives for a NULL time scanned through FormatTimePtr(&nullTime.Time).
ZERO_TIME_TEXT = "0001-01-01 00:00:00"


def load_zone(name: str) -> tzinfo:
    """Return the zone called ``name``; fixed offsets stand in when tzdata is missing (Windows)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fallback = {"Asia/Jakarta": MIDTRANS_ZONE, "UTC": UTC, "Etc/UTC": UTC}
        if name in fallback:
            return fallback[name]
        raise ValueError(f"unknown time zone: {name}") from None


class Clock:
    """The shop's wall clock."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone

    def now(self) -> datetime:
        """Naive shop-local now, like PostgreSQL ``NOW()`` in a WIB session stored as TIMESTAMP."""
        return datetime.now(self.zone).replace(tzinfo=None)

    def today(self) -> date:
        return self.now().date()

    def aware(self, naive_local: datetime) -> datetime:
        return naive_local.replace(tzinfo=self.zone)


def admin_time(value: datetime) -> str:
    """Go ``Format("2006-01-02 15:04:05")``: seconds precision, no zone (admin DTOs)."""
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _offset_text(offset: timedelta | None) -> str:
    if not offset:
        return "Z"
    total = int(offset.total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    return f"{sign}{total // 3600:02d}:{(total % 3600) // 60:02d}"


def _fraction(digits: str) -> str:
    digits = digits.rstrip("0")
    return f".{digits}" if digits else ""


def rfc3339(value: datetime) -> str:
    """Go ``time.RFC3339`` (no fraction) of an aware datetime: the ``connected`` event timestamp."""
    return value.strftime("%Y-%m-%dT%H:%M:%S") + _offset_text(value.utcoffset())


def rfc3339nano_ns(unix_ns: int, zone: tzinfo) -> str:
    """Go JSON encoding of ``time.Now()``: RFC3339Nano, trailing zeros trimmed, real offset."""
    seconds, nanos = divmod(unix_ns, 1_000_000_000)
    local = datetime.fromtimestamp(seconds, zone)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + _fraction(f"{nanos:09d}") + _offset_text(local.utcoffset())


def false_z(value: datetime) -> str:
    """Go JSON of a TIMESTAMP column read by lib/pq: local wall clock labelled ``Z`` (contract §9b)."""
    return value.strftime("%Y-%m-%dT%H:%M:%S") + _fraction(f"{value.microsecond:06d}") + "Z"


def midtrans_time(naive_local: datetime, zone: tzinfo) -> str:
    """Midtrans ``YYYY-MM-DD HH:MM:SS`` in GMT+7 for a shop-local naive datetime."""
    return naive_local.replace(tzinfo=zone).astimezone(MIDTRANS_ZONE).strftime("%Y-%m-%d %H:%M:%S")


def unix_now() -> int:
    return int(time.time())


def unix_of(naive_local: datetime, zone: tzinfo) -> int:
    return int(naive_local.replace(tzinfo=zone).timestamp())


def parse_local(text: str) -> datetime:
    """Parse the control API's ``YYYY-MM-DD HH:MM:SS`` (shop-local) into a naive datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
