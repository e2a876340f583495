"""Counters behind ``GET /sandbox/state`` and ``GET /sandbox/core-checks``; in memory, like the broker.

They exist for tests and benchmarks: what reached the webhooks, how often ``/core/check`` was
called and by whom, and who asked the Midtrans simulator for a status.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

# GET /sandbox/core-checks keeps this many of the most recent calls.
CORE_CHECK_HISTORY = 10_000

# Who asked the Midtrans status API: the backend's own calls carry a per-run secret header.
STATUS_CALLERS = ("core_check", "payment_sync", "external")


@dataclass
class Stats:
    webhooks: Counter[str] = field(default_factory=Counter)  # delivered/dropped/duplicated/snap/retried/failed
    notifications: Counter[str] = field(default_factory=Counter)  # broadcast count per type
    broker_dropped: int = 0  # broadcast channel full (256 slots)
    slow_client_skips: int = 0  # a client buffer stayed full for 100 ms
    midtrans_status_requests: int = 0
    midtrans_in_flight: int = 0  # a gauge, not a counter: never reset
    midtrans_status_by_caller: Counter[str] = field(default_factory=Counter)
    # route kind ("core" | "snap") -> outcome ("ok" | "error:<message>") -> count
    webhooks_received: dict[str, Counter[str]] = field(default_factory=lambda: {"core": Counter(), "snap": Counter()})
    core_check_calls: int = 0
    core_checks: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=CORE_CHECK_HISTORY))

    def record_webhook(self, kind: str, error: str | None) -> None:
        self.webhooks_received[kind]["ok" if error is None else f"error:{error}"] += 1

    def record_core_check(self, at: float, payment_id: int | None, user_id: int | None, status_code: int) -> None:
        self.core_check_calls += 1
        self.core_checks.append({"at": at, "payment_id": payment_id, "user_id": user_id, "status_code": status_code})

    def reset(self) -> None:
        """Zero every counter (the in-flight gauge describes live requests and stays)."""
        self.webhooks.clear()
        self.notifications.clear()
        self.broker_dropped = 0
        self.slow_client_skips = 0
        self.midtrans_status_requests = 0
        self.midtrans_status_by_caller.clear()
        for outcomes in self.webhooks_received.values():
            outcomes.clear()
        self.core_check_calls = 0
        self.core_checks.clear()
