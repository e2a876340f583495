"""The resilient consumer of ``GET /api/admin/events`` (contract §2, sse-client-rules §1.5, §6).

httpx-sse parses; this module adds what it does not do: status and content-type checks in the
right order, reconnect with full-jitter backoff that never gives up, Retry-After, one re-login on
401, a read-timeout watchdog for half-open connections, a size cap, and Last-Event-ID.

Events are handed to ``on_notification`` as parsed ``Notification`` objects; deciding which are
payments is the engine's job.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from zavera_desktop.backend.client import ZaveraClient, error_for_response, parse_retry_after
from zavera_desktop.backend.errors import RateLimitedError, ServerError
from zavera_desktop.backend.sse import EventStreamDecoder, EventTooLargeError, SSEEvent
from zavera_desktop.domain import ConnectionState, ConnectionStatus, DecodeError, Notification

log = logging.getLogger(__name__)

EVENTS_PATH = "/api/admin/events"


@dataclass(frozen=True, slots=True)
class _Outcome:
    """Why one connection attempt ended, and what to do next."""

    kind: str  # ended | network | offline | stalled | too_large | http | auth | forbidden | retry_now
    detail: str
    retry_after: float | None = None
    healthy: bool = False


def content_type_is_event_stream(value: str | None) -> bool:
    """MIME essence comparison, case-insensitive, parameters ignored (sse-client-rules §1.4)."""
    if not value:
        return False
    return value.split(";", 1)[0].strip().lower() == "text/event-stream"


async def _error_body(response: httpx.Response, limit: int = 65536) -> bytes:
    """The start of an error response's body; a proxy's error page can be large or never end."""
    body = b""
    try:
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) >= limit:
                break
    except httpx.HTTPError:
        pass
    return body[:limit]


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Full jitter: uniform in [0, min(cap, base·2^attempt)], with a small floor against hot loops."""
    ceiling = min(cap, base * (2 ** min(attempt, 30)))
    return max(min(0.25, ceiling), rng.uniform(0.0, ceiling))


class StreamConsumer:
    """Keeps one SSE connection alive for as long as ``run()`` runs."""

    def __init__(
        self,
        client: ZaveraClient,
        *,
        tz: ZoneInfo,
        on_notification: Callable[[Notification], None],
        on_state: Callable[[ConnectionStatus], None],
        on_connected: Callable[[], None] = lambda: None,
        on_malformed: Callable[[str], None] = lambda detail: None,
        read_timeout: float = 75.0,
        reconnect_min: float = 1.0,
        reconnect_cap: float = 60.0,
        honour_server_retry: bool = True,
        healthy_after: float = 20.0,
        max_event_bytes: int = 1 << 20,
        rng: random.Random | None = None,
    ) -> None:
        self._client = client
        self._tz = tz
        self._on_notification = on_notification
        self._on_state = on_state
        self._on_connected = on_connected
        self._on_malformed = on_malformed
        self._timeout = httpx.Timeout(connect=10.0, read=read_timeout, write=10.0, pool=10.0)
        self._reconnect_min = reconnect_min
        self._reconnect_cap = reconnect_cap
        self._honour_server_retry = honour_server_retry
        self._healthy_after = healthy_after
        self._max_event_bytes = max_event_bytes
        self._rng = rng or random.Random()
        self._wake = asyncio.Event()
        self._drop_now = asyncio.Event()
        # Both persist across connections, as the spec requires (sse-client-rules §1.3).
        self.last_event_id = ""
        self.server_retry_ms: int | None = None
        self.status = ConnectionStatus(ConnectionState.STOPPED)
        self.connections = 0
        self.last_activity: float | None = None

    # --- commands (call from the engine's loop) -------------------------------------------------

    def reconnect_now(self, *, drop_current: bool = False) -> None:
        """Skip the backoff wait; with ``drop_current`` also abandon a live connection."""
        self._wake.set()
        if drop_current:
            self._drop_now.set()

    # --- internals ------------------------------------------------------------------------------

    def _set_state(self, state: ConnectionState, detail: str = "", *, attempt: int = 0,
                   next_at: datetime | None = None) -> None:
        status = ConnectionStatus(state, detail, attempt, next_at, datetime.now(UTC))
        if (status.state, status.detail, status.attempt) == (self.status.state, self.status.detail,
                                                              self.status.attempt):
            return
        self.status = status
        self._on_state(status)

    def _base_delay(self) -> float:
        base = self._reconnect_min
        if self._honour_server_retry and self.server_retry_ms is not None:
            base = max(base, self.server_retry_ms / 1000.0)
        return min(base, self._reconnect_cap)

    async def _sleep_or_wake(self, delay: float) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=delay)
        except TimeoutError:
            pass
        self._wake.clear()

    async def run(self) -> None:
        attempt = 0
        relogin_used = False
        self._set_state(ConnectionState.CONNECTING)
        while True:
            outcome = await self._connect_once(allow_relogin=not relogin_used)
            if outcome.kind == "retry_now":  # fresh token after one re-login
                relogin_used = True
                continue
            if outcome.healthy:
                attempt = 0
                relogin_used = False
            if outcome.kind in ("auth", "forbidden"):
                state = ConnectionState.AUTH_REQUIRED if outcome.kind == "auth" else ConnectionState.FORBIDDEN
                self._set_state(state, outcome.detail)
                # Never loop on 401/403: wait until the admin acts (reconnect now / new login).
                self._wake.clear()
                await self._wake.wait()
                self._wake.clear()
                attempt, relogin_used = 0, False
                self._set_state(ConnectionState.CONNECTING)
                continue
            if outcome.retry_after is not None:
                delay = min(max(outcome.retry_after, 0.0), max(self._reconnect_cap, outcome.retry_after))
            else:
                delay = backoff_delay(attempt, self._base_delay(), self._reconnect_cap, self._rng)
            attempt += 1
            next_at = datetime.now(UTC) + timedelta(seconds=delay)
            state = ConnectionState.OFFLINE if outcome.kind == "offline" else ConnectionState.RECONNECTING
            self._set_state(state, outcome.detail, attempt=attempt, next_at=next_at)
            log.info("Stream %s (%s); reconnecting in %.1f s (attempt %d)", outcome.kind, outcome.detail,
                     delay, attempt)
            await self._sleep_or_wake(delay)
            self._set_state(state, outcome.detail + " — connecting now", attempt=attempt)

    async def _connect_once(self, *, allow_relogin: bool) -> _Outcome:
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache", **self._client.auth_headers()}
        generation = self._client.token_generation
        request = self._client.http.build_request("GET", EVENTS_PATH, headers=headers, timeout=self._timeout)
        if self.last_event_id:
            # bytes, not str: a non-ASCII id would make httpx raise (sse-client-rules §3.4)
            request.headers["Last-Event-ID"] = self.last_event_id.encode("utf-8").decode("latin-1")
        started = time.monotonic()
        self._drop_now.clear()
        try:
            response = await self._client.http.send(request, stream=True)
        except httpx.ConnectError:
            return _Outcome("offline", "cannot reach the shop backend")
        except httpx.TimeoutException:
            return _Outcome("offline", "the shop backend did not answer in time")
        except httpx.HTTPError as exc:
            return _Outcome("network", f"connection failed ({exc.__class__.__name__})")
        try:
            return await self._consume(response, started, generation, allow_relogin)
        finally:
            await response.aclose()

    async def _consume(self, response: httpx.Response, started: float, generation: int,
                       allow_relogin: bool) -> _Outcome:
        status = response.status_code
        # Status before content type: a 502 HTML page must not look like a parse error.
        if status == 401:
            if allow_relogin and self._client.can_relogin and await self._client.relogin(generation):
                return _Outcome("retry_now", "logged in again")
            err = error_for_response(response, what="Live stream", content=await _error_body(response))
            return _Outcome("auth", str(err))
        if status == 403:
            return _Outcome("forbidden", "This account is not the shop admin, so it cannot receive payments.")
        if status != 200:
            err = error_for_response(response, what="Live stream", content=await _error_body(response))
            retry_after = None
            if isinstance(err, RateLimitedError):
                retry_after = err.retry_after
            elif isinstance(err, ServerError) and status == 503 and "retry-after" in response.headers:
                retry_after = parse_retry_after(response.headers.get("retry-after"), default=5.0)
            return _Outcome("http", str(err), retry_after=retry_after)
        if not content_type_is_event_stream(response.headers.get("content-type")):
            ctype = response.headers.get("content-type", "none")
            return _Outcome("http", f"the backend answered with {ctype!r} instead of an event stream "
                                    "(a proxy in the way?)")

        self.connections += 1
        self._set_state(ConnectionState.LIVE, "connected")
        self._on_connected()
        reader = asyncio.ensure_future(self._read(response, started))
        drop = asyncio.ensure_future(self._drop_now.wait())
        try:
            await asyncio.wait({reader, drop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            drop.cancel()
            if not reader.done():
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader
        if reader.cancelled():
            return _Outcome("ended", "reconnect requested", healthy=True)
        return reader.result()

    async def _read(self, response: httpx.Response, started: float) -> _Outcome:
        """Read one accepted stream to its end; the outcome says how it ended."""
        decoder = EventStreamDecoder(max_event_bytes=self._max_event_bytes)
        healthy = False
        comments_seen = 0
        try:
            async for chunk in response.aiter_bytes():
                self.last_activity = time.monotonic()
                try:
                    events = decoder.feed(chunk)
                except EventTooLargeError as exc:
                    for event in exc.events:  # complete events before the oversized one still count
                        self._handle(event)
                    self.last_event_id = decoder.last_event_id or self.last_event_id
                    raise
                if decoder.comments != comments_seen:
                    comments_seen = decoder.comments
                    healthy = True
                if decoder.retry is not None:
                    self.server_retry_ms = decoder.retry
                for event in events:
                    self.last_event_id = decoder.last_event_id
                    if self._handle(event):
                        healthy = True
                if not healthy and time.monotonic() - started >= self._healthy_after:
                    healthy = True
        except EventTooLargeError:
            self._on_malformed("an event larger than the size limit arrived; reconnecting")
            return _Outcome("too_large", "an oversized event was dropped", healthy=healthy)
        except httpx.TimeoutException:
            return _Outcome("stalled", "the stream went silent (no keepalive); reconnecting", healthy=healthy)
        except httpx.HTTPError as exc:
            return _Outcome("network", f"the stream broke ({exc.__class__.__name__})", healthy=healthy)
        self.last_event_id = decoder.last_event_id or self.last_event_id
        healthy = healthy or time.monotonic() - started >= self._healthy_after
        return _Outcome("ended", "the backend closed the stream", healthy=healthy)

    def _handle(self, event: SSEEvent) -> bool:
        """Deliver one event; True when it counts as proof the connection is healthy."""
        if event.event == "connected":
            return False
        if event.event != "notification":
            log.debug("Ignoring stream event of unknown name %r", event.event[:40])
            return True
        try:
            notification = Notification.from_json(event.data, self._tz)
        except DecodeError as exc:
            self._on_malformed(f"a malformed notification was skipped: {exc}")
            return True
        self._on_notification(notification)
        return True
