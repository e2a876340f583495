"""The resilient SSE consumer on an injected transport (sse-client-rules §1.5, §6; contract §2)."""

import asyncio
import json
import random
from zoneinfo import ZoneInfo

import httpx
import pytest

from zavera_desktop.backend.client import Credentials, ZaveraClient
from zavera_desktop.backend.stream import StreamConsumer, backoff_delay, content_type_is_event_stream
from zavera_desktop.domain import DEFAULT_SHOP_TZ, ConnectionState

SSE = {"content-type": "text/event-stream"}
CONNECTED = (b"id: welcome-1769050000\nevent: connected\nretry: 3000\n"
             b'data: {"admin":"admin","message":"Connected to admin notification stream"}\n\n')


def notification(code, ntype="payment_received", nid="1769050123456789012-123"):
    data = {"id": nid, "type": ntype, "title": "t", "message": "m", "severity": "info",
            "data": {"order_code": code, "payment_method": "bca_va", "amount": 150000},
            "timestamp": "2026-01-22T10:00:00+07:00", "read": False}
    return f"id: {nid}\nevent: notification\nretry: 3000\ndata: {json.dumps(data)}\n\n".encode()


class Harness:
    def __init__(self, handler, *, credentials=None, token="T", **kw):
        self.client = ZaveraClient("http://backend.test", token=token, credentials=credentials,
                                   transport=httpx.MockTransport(handler))
        self.notifications, self.states, self.malformed = [], [], []
        self.connected = 0
        kw.setdefault("reconnect_min", 0.01)
        kw.setdefault("honour_server_retry", False)
        self.consumer = StreamConsumer(
            self.client, tz=ZoneInfo(DEFAULT_SHOP_TZ), on_notification=self.notifications.append,
            on_state=self.states.append, on_connected=self._conn, on_malformed=self.malformed.append,
            rng=random.Random(1), **kw)

    def _conn(self):
        self.connected += 1

    async def run_until(self, predicate, timeout=5.0):
        task = asyncio.ensure_future(self.consumer.run())
        try:
            deadline = asyncio.get_running_loop().time() + timeout
            while not predicate():
                if asyncio.get_running_loop().time() > deadline:
                    raise AssertionError(f"condition not met; states={[s.state for s in self.states]}")
                await asyncio.sleep(0.005)
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await self.client.aclose()


def test_payments_are_delivered_and_keepalives_are_not_events():
    def handler(request):
        body = CONNECTED + b": keepalive 1769050030\n\n" + notification("ZVR-1") + b": keepalive 1\n\n"
        return httpx.Response(200, headers=SSE, content=body)

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: len(h.notifications) >= 1))
    assert [n.data["order_code"] for n in h.notifications][:1] == ["ZVR-1"]
    assert all(n.type == "payment_received" for n in h.notifications)
    assert h.states[1].state is ConnectionState.LIVE


def test_clean_end_reconnects_and_sends_last_event_id():
    seen_headers = []

    def handler(request):
        seen_headers.append(request.headers.get("last-event-id"))
        n = len(seen_headers)
        return httpx.Response(200, headers=SSE, content=CONNECTED + notification(f"ZVR-{n}", nid=f"id-{n}"))

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: len(h.notifications) >= 3))
    assert seen_headers[0] is None
    assert seen_headers[1] == "id-1" and seen_headers[2] == "id-2"
    assert h.connected >= 3  # every connect triggers the gap fill


def test_status_is_checked_before_content_type_and_never_hot_loops():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(502, headers={"content-type": "text/html"}, content=b"<html>Bad Gateway</html>")

    h = Harness(handler, reconnect_min=0.05)
    asyncio.run(h.run_until(lambda: len(calls) >= 4))
    reconnecting = [s for s in h.states if s.state is ConnectionState.RECONNECTING and s.next_attempt_at]
    assert reconnecting and "HTTP 502" in reconnecting[0].detail
    assert [s.attempt for s in reconnecting][:3] == [1, 2, 3]  # attempts grow: backoff, not a loop


def test_wrong_content_type_is_an_error_of_the_right_kind():
    def handler(request):
        return httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html>login</html>")

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: any(s.state is ConnectionState.RECONNECTING for s in h.states)))
    assert "instead of an event stream" in h.states[-1].detail
    assert h.connected == 0


def test_content_type_is_case_insensitive():
    assert content_type_is_event_stream("Text/Event-Stream; charset=utf-8")
    assert content_type_is_event_stream("text/event-stream;")
    assert not content_type_is_event_stream("text/x-bogus")
    assert not content_type_is_event_stream(None)

    def handler(request):
        return httpx.Response(200, headers={"content-type": "Text/Event-Stream"}, content=CONNECTED + notification("Z"))

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: h.notifications))


def test_401_relogin_once_then_auth_required_without_looping():
    calls = {"events": 0, "login": 0}

    def handler(request):
        if request.url.path == "/api/auth/login":
            calls["login"] += 1
            return httpx.Response(200, json={"user": {"id": 1}, "access_token": "NEW"})
        calls["events"] += 1
        return httpx.Response(401, json={"error": "Unauthorized - invalid token"})

    h = Harness(handler, credentials=Credentials("admin@zavera.test", "pw"))

    async def go():
        await h.run_until(lambda: any(s.state is ConnectionState.AUTH_REQUIRED for s in h.states))

    asyncio.run(go())
    assert calls == {"events": 2, "login": 1}


def test_401_with_a_pasted_token_is_auth_required_at_once():
    calls = []

    def handler(request):
        calls.append(request.url.path)
        return httpx.Response(401, json={"error": "Unauthorized - invalid token"})

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: any(s.state is ConnectionState.AUTH_REQUIRED for s in h.states)))
    assert calls == ["/api/admin/events"]


def test_403_is_forbidden_and_parks():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(403, json={"error": "Forbidden - admin only"})

    h = Harness(handler)

    async def go():
        await h.run_until(lambda: any(s.state is ConnectionState.FORBIDDEN for s in h.states))

    asyncio.run(go())
    assert len(calls) == 1
    assert "not the shop admin" in next(s for s in h.states if s.state is ConnectionState.FORBIDDEN).detail


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(status):
    def handler(request):
        return httpx.Response(status, headers={"Retry-After": "30"}, json={"error": "busy"})

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: any(s.next_attempt_at for s in h.states)))
    s = next(s for s in h.states if s.next_attempt_at)
    assert (s.next_attempt_at - s.since).total_seconds() >= 29


def test_reconnect_now_skips_the_wait():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(503, headers={"Retry-After": "300"}, json={"error": "busy"})

    h = Harness(handler)

    async def go():
        async def poke():
            while len(calls) < 1:
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)
            h.consumer.reconnect_now()

        poker = asyncio.ensure_future(poke())
        await h.run_until(lambda: len(calls) >= 2, timeout=3)
        await poker

    asyncio.run(go())


def test_malformed_events_are_skipped_not_fatal():
    def handler(request):
        body = (CONNECTED + b"event: notification\ndata: {not json\n\n"
                + b'event: notification\ndata: {"type":"mystery","data":{}}\n\n'
                + b"event: surprise\ndata: x\n\n" + notification("ZVR-OK"))
        return httpx.Response(200, headers=SSE, content=body)

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: any(n.data.get("order_code") == "ZVR-OK" for n in h.notifications)))
    assert len(h.malformed) >= 1
    assert {n.type for n in h.notifications} <= {"mystery", "payment_received"}


def test_oversized_event_drops_the_connection_and_reconnects():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            big = b"event: notification\ndata: " + b"x" * ((1 << 20) + 1) + b"\n\n"
            return httpx.Response(200, headers=SSE, content=CONNECTED + notification("ZVR-BEFORE") + big)
        return httpx.Response(200, headers=SSE, content=CONNECTED + notification("ZVR-AFTER"))

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: any(n.data["order_code"] == "ZVR-AFTER" for n in h.notifications)))
    codes = [n.data["order_code"] for n in h.notifications]
    assert "ZVR-BEFORE" in codes  # the valid event sharing the chunk is kept
    assert any("size limit" in m for m in h.malformed)


def test_connection_refused_is_offline():
    def handler(request):
        raise httpx.ConnectError("refused", request=request)

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: any(s.state is ConnectionState.OFFLINE for s in h.states)))


def test_broken_stream_reconnects():
    calls = []

    class Broken(httpx.AsyncByteStream):
        async def __aiter__(self):
            yield CONNECTED
            yield notification("ZVR-1")[:40]
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(200, headers=SSE, stream=Broken())
        return httpx.Response(200, headers=SSE, content=CONNECTED + notification("ZVR-2"))

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: h.notifications))
    assert [n.data["order_code"] for n in h.notifications] == ["ZVR-2"]  # no partial event surfaced


def test_backoff_full_jitter_bounds():
    rng = random.Random(3)
    for attempt in range(12):
        d = backoff_delay(attempt, 3.0, 60.0, rng)
        assert 0.25 <= d <= min(60.0, 3.0 * 2**attempt)
    # large attempts stay capped
    assert backoff_delay(500, 3.0, 60.0, rng) <= 60.0


def test_server_retry_sets_the_base():
    def handler(request):
        return httpx.Response(200, headers=SSE, content=CONNECTED)

    h = Harness(handler, honour_server_retry=True, reconnect_min=1.0)
    asyncio.run(h.run_until(lambda: h.consumer.server_retry_ms == 3000))
    assert h.consumer._base_delay() == 3.0


class _Body(httpx.AsyncByteStream):
    """A body that is really streamed (MockTransport pre-reads `content=`, a network never does)."""

    def __init__(self, data: bytes):
        self.data = data

    async def __aiter__(self):
        yield self.data


def test_streamed_error_bodies_are_read_before_being_classified():
    calls = []

    def handler(request):
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(503, headers={"content-type": "application/json"},
                                  stream=_Body(b'{"error":"service_unavailable"}'))
        if len(calls) == 2:
            return httpx.Response(502, headers={"content-type": "text/html"}, stream=_Body(b"<html>" * 50000))
        return httpx.Response(401, stream=_Body(b'{"error":"Unauthorized - invalid token"}'))

    h = Harness(handler)
    asyncio.run(h.run_until(lambda: any(s.state is ConnectionState.AUTH_REQUIRED for s in h.states)))
    details = [s.detail for s in h.states]
    assert any("HTTP 503" in d for d in details) and any("HTTP 502" in d for d in details)
