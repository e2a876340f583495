"""Settings and well-known paths. No secrets here: those live in the keyring or in memory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from zavera_desktop import APP_NAME
from zavera_desktop.domain import DEFAULT_SHOP_TZ


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "zavera-desktop.db"


def load_zone(name: str) -> ZoneInfo:
    """A shop timezone by IANA name, with a clear error for a typo."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Asia/Jakarta)") from exc


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """How the engine watches one backend. Defaults follow DESIGN §4 and the engine issue."""

    backend_url: str
    timezone: str = DEFAULT_SHOP_TZ
    #: reconcile cadence while the stream is not live, and the dashboard change-detector cadence
    poll_interval: float = 15.0
    #: reconcile cadence while the stream is live (the safety net for silent losses)
    live_reconcile_interval: float = 300.0
    verify_interval: float = 60.0
    #: an order must be pending this long before verify asks Midtrans about it
    verify_after: float = 120.0
    #: /core/check calls per second verify may make (backend/verify.py explains the default)
    check_rate: float = 1.0
    #: direct Midtrans status look-ups per second (only with a Midtrans server key)
    midtrans_rate: float = 10.0
    #: with a server key, Midtrans itself is first asked this soon after checkout (it costs the backend nothing)
    midtrans_verify_after: float = 30.0
    #: 2.5 × the backend's 30 s keepalive: the watchdog for half-open connections
    read_timeout: float = 75.0
    lookback_days: int = 3
    reconnect_cap: float = 60.0
    #: floor of the reconnect backoff base; the server's `retry` raises it (3000 ms on Zavera)
    reconnect_min: float = 1.0
    honour_server_retry: bool = True
    #: a connection that stayed up this long resets the backoff
    healthy_after: float = 20.0
    max_event_bytes: int = 1 << 20
    #: read the order detail after a stream payment to learn customer and paid_at
    enrich_payments: bool = True
    #: wait this long before enriching: `payment_received` can precede the DB commit (§10.11)
    enrich_delay: float = 0.5

    @property
    def zone(self) -> ZoneInfo:
        return load_zone(self.timezone)

    def validate(self) -> None:
        if not self.backend_url.startswith(("http://", "https://")):
            raise ValueError(f"the backend URL must start with http:// or https:// (got {self.backend_url!r})")
        load_zone(self.timezone)
        for name in ("poll_interval", "live_reconcile_interval", "verify_interval", "read_timeout",
                     "reconnect_cap", "reconnect_min", "check_rate", "midtrans_rate"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name.replace('_', '-')} must be positive")
        if self.verify_after < 0:
            raise ValueError("verify-after must not be negative")
        if self.lookback_days < 1:
            raise ValueError("lookback-days must be at least 1")
