"""Counters behind ``GET /sandbox/state``; in memory, like the broker they describe."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Stats:
    webhooks: Counter[str] = field(default_factory=Counter)  # delivered/dropped/duplicated/snap/retried/failed
    notifications: Counter[str] = field(default_factory=Counter)  # broadcast count per type
    broker_dropped: int = 0  # broadcast channel full (256 slots)
    slow_client_skips: int = 0  # a client buffer stayed full for 100 ms
    midtrans_status_requests: int = 0
    midtrans_in_flight: int = 0
