"""What the engine's parts share: settings, store, the change sink, counters and error reporting."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from zavera_desktop.config import EngineSettings
from zavera_desktop.engine.changes import ChangeSink
from zavera_desktop.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class EngineStats:
    stream_notifications: int = 0
    stream_payments: int = 0
    malformed_events: int = 0
    reconcile_runs: int = 0
    reconcile_pages: int = 0
    verify_checks: int = 0
    #: direct Midtrans status look-ups made by verify (only with a server key)
    midtrans_lookups: int = 0
    #: payments in the verify set at the last plan (the N of the fairness bound)
    verify_set_size: int = 0
    payments_by_source: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class EngineContext:
    settings: EngineSettings
    store: Store
    sink: ChangeSink
    stats: EngineStats
    #: 401/403 make the connection state fatal; anything else is noted once per distinct message
    handle_rest_error: Callable[[str, Exception], None]
    #: wait while the connection state is fatal (login needed, not the admin)
    wait_resume: Callable[[], Awaitable[None]]
    request_reconcile: Callable[[], None]
    _last_error: dict[str, str] = field(default_factory=dict)

    def note_error(self, where: str, exc: Exception) -> None:
        """Log and show an error once until it changes or clears (a flapping backend is not spam)."""
        text = str(exc)
        if self._last_error.get(where) != text:
            self._last_error[where] = text
            log.warning("%s: %s", where, text)
            self.sink.note("error", f"{where}: {text}")

    def clear_error(self, where: str) -> None:
        self._last_error.pop(where, None)
