"""Contract §2: GET /api/admin/events — auth, wire format byte for byte, broker behaviour."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable

import jwt

from tests.sandbox.conftest import JWT_SECRET
from tests.sandbox.helpers import Api, RawStream, sentinel, wait_until
from zavera_desktop.sandbox import SandboxServer

CONNECTED = re.compile(
    rb"id: welcome-(\d+)\nevent: connected\nretry: 3000\n"
    rb'data: \{"admin":"admin","message":"Connected to admin notification stream",'
    rb'"timestamp":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00)"\}\n\n'
)
NOTIFICATION_ID = re.compile(r"(\d{19})-(\d{1,3})")
NANO_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?\+07:00")


def _error(api: Api, headers: dict[str, str]) -> tuple[int, bytes]:
    response = api.client.get("/api/admin/events", headers=headers)
    return response.status_code, response.content


def test_s2_1_sse_auth_errors_have_their_own_wording(api: Api) -> None:
    """§2.1: {"error": ...} only, with the SSE handler's wording; token only in the header."""
    assert _error(api, {}) == (401, b'{"error":"Unauthorized - no token"}')
    exactly_bearer = RawStream(api.url, token="")  # sends "Authorization: Bearer " (httpx refuses to)
    exactly_bearer.wait(lambda s: s.eof, what="response")
    exactly_bearer.close()
    assert (exactly_bearer.status, bytes(exactly_bearer.body)) == (
        401, b'{"error":"Unauthorized - invalid token format"}'
    )
    assert _error(api, {"Authorization": "Basic abc"}) == (401, b'{"error":"Unauthorized - invalid token format"}')
    assert _error(api, {"Authorization": "Bearer nope"}) == (401, b'{"error":"Unauthorized - invalid token"}')
    now = int(time.time())
    expired = jwt.encode({"email": api.credentials["admin_email"], "exp": now - 5, "iat": now - 50, "user_id": 1},
                         JWT_SECRET)
    assert _error(api, {"Authorization": f"Bearer {expired}"}) == (401, b'{"error":"Unauthorized - invalid token"}')
    assert _error(api, {"Authorization": f"Bearer {api.token('user')}"}) == (403, b'{"error":"Forbidden - admin only"}')
    query = api.client.get(f"/api/admin/events?token={api.token()}")
    assert query.status_code == 401


def test_s2_1_s2_2_connected_event_and_headers_byte_for_byte(
    api: Api, open_stream: Callable[..., RawStream]
) -> None:
    """§2.1 headers; §2.2 the first message: id welcome-<unix>, event connected, retry 3000, one data line."""
    before = int(time.time())
    stream = open_stream(api)
    assert stream.status == 200
    assert stream.headers["content-type"] == "text/event-stream"
    assert stream.headers["cache-control"] == "no-cache"
    assert stream.headers["connection"] == "keep-alive"
    assert stream.headers["x-accel-buffering"] == "no"
    assert stream.headers["transfer-encoding"] == "chunked"
    match = CONNECTED.match(bytes(stream.body))
    assert match is not None, bytes(stream.body)
    assert before <= int(match.group(1)) <= int(time.time())


def test_s2_2_keepalive_comment_every_interval(
    start_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api],
    open_stream: Callable[..., RawStream],
) -> None:
    """§2.2: ``: keepalive <unix>`` plus a blank line, no id or event line, per connection."""
    api = make_api(start_sandbox(keepalive=0.2))
    stream = open_stream(api)
    stream.wait(lambda s: len(re.findall(rb"\n\n: keepalive \d+\n\n", bytes(s.body))) >= 2, what="keepalives")
    keepalives = [e for e in stream.events() if e.comments]
    assert all(e.raw == f"{e.comments[0]}\n\n".encode() for e in keepalives)
    assert all(e.id is None and e.event is None and not e.data_lines for e in keepalives)


def test_s2_3_notification_wire_format(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§2.3/§11: id <UnixNano>-<unix mod 1000>, retry on every notification, one data line, field order."""
    stream = open_stream(api)
    order = api.order(amount=150000, method="bca_va")
    api.pay(order["order_code"])
    received = stream.wait_notification(lambda n: n["type"] == "payment_received", what="payment_received")
    event = next(e for e in stream.events() if e.event == "notification" and e.json()["id"] == received["id"])
    notification_id = received["id"]
    assert event.raw == (
        f"id: {notification_id}\nevent: notification\nretry: 3000\ndata: {event.data_lines[0]}\n\n".encode()
    )
    assert len(event.data_lines) == 1
    match = NOTIFICATION_ID.fullmatch(notification_id)
    assert match is not None
    assert int(match.group(2)) == (int(match.group(1)) // 1_000_000_000) % 1000
    assert list(received) == ["id", "type", "title", "message", "severity", "data", "timestamp", "read"]
    assert received["title"] == "💰 Payment Received"
    assert received["message"] == f"Order #{order['order_code']} paid via bca_va (Rp 150000)"
    assert received["severity"] == "info" and received["read"] is False
    assert event.data_lines[0].count('"data":{"amount":150000,"order_code":') == 1  # map keys sorted, a number
    assert received["data"] == {"amount": 150000, "order_code": order["order_code"], "payment_method": "bca_va"}
    assert NANO_TIMESTAMP.fullmatch(received["timestamp"])
    assert "🛍️ New Order" in bytes(stream.body).decode()  # emoji raw, not \u-escaped


def test_s2_2_system_broadcast_reaches_every_client_on_each_connect(
    api: Api, open_stream: Callable[..., RawStream]
) -> None:
    """§2.2/§10.10: ~2 s after each connect a global "SSE Connected" notification reaches everyone."""
    first = open_stream(api)
    second = open_stream(api)
    first.wait(lambda s: len(s.notifications("system")) >= 2, what="two system notifications on the first stream")
    second.wait(lambda s: len(s.notifications("system")) >= 1, what="system notification on the second stream")
    system = first.notifications("system")[0]
    assert system["title"] == "🎉 SSE Connected"
    assert system["message"] == "Welcome admin! Real-time notifications are now active."
    assert system["data"] == {"admin": "admin"}
    assert re.fullmatch(r"test-\d+", system["id"])


def test_s2_2_startup_test_broadcast(
    start_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api],
    open_stream: Callable[..., RawStream],
) -> None:
    """§2.2/§11: ~3 s after process start one "System Test" notification goes to whoever is connected."""
    api = make_api(start_sandbox(startup_broadcast=True))
    stream = open_stream(api)
    startup = stream.wait_notification(lambda n: n["id"].startswith("test-startup-"), what="startup broadcast")
    assert (startup["type"], startup["title"], startup["data"]) == ("system", "🧪 System Test", {"test": True})
    assert startup["message"] == "SSE Broker is running!"


def test_s2_4_no_replay_and_last_event_id_ignored(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§2.4: a notification broadcast while nobody listens is gone; Last-Event-ID changes nothing."""
    first = open_stream(api)
    order = api.order()
    created = first.wait_notification(lambda n: n["type"] == "order_created", what="order_created")
    first.close()
    wait_until(lambda: api.state()["stream_clients"] == 0, what="stream to unregister")
    missed = api.order()
    again = open_stream(api, headers={"Last-Event-ID": created["id"]})
    sentinel(api, again)
    codes = [n["data"]["order_code"] for n in again.notifications("order_created")]
    assert missed["order_code"] not in codes and order["order_code"] not in codes


def test_s1_1_non_admin_login_broadcasts_user_login(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§1.1/§11: a customer's password login notifies ``user_login``; the admin's does not."""
    stream = open_stream(api)
    api.login("admin")
    api.login("user")
    login = stream.wait_notification(lambda n: n["type"] == "user_login", what="user_login")
    assert login["title"] == "🔐 User Login"
    assert login["message"] == "Budi logged in"
    assert login["data"] == {"email": api.credentials["user_email"], "name": "Budi"}
    sentinel(api, stream)
    assert len(stream.notifications("user_login")) == 1


def test_s2_4_slow_client_is_skipped_without_stalling_others(
    api: Api, open_stream: Callable[..., RawStream]
) -> None:
    """§2.4: a client whose buffer stays full for 100 ms misses events; others still get them all."""
    healthy = open_stream(api)
    open_stream(api, connected=False, rcvbuf=4096, read=False)  # never reads a byte
    wait_until(lambda: api.state()["stream_clients"] == 2, what="both streams registered")
    # Fill the slow socket's kernel buffers and the server's write buffer, then overflow its 100 slots.
    for _ in range(8):
        api.faults(malformed="huge")
    for _ in range(110):
        api.faults(malformed="unknown_type")
    healthy.wait(lambda s: len(s.notifications("flash_sale")) >= 110, timeout=30, what="every event, healthy stream")
    assert api.state()["broker"]["slow_client_skips"] >= 1


def test_s2_3_order_created_notification(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """§2.3/§11: order_created: "<name> placed an order #<code> (Rp <%.0f>)", data customer/order_code/total."""
    stream = open_stream(api)
    order = api.order(amount=250000.5, customer_name="Dewi Lestari")
    created = stream.wait_notification(lambda n: n["type"] == "order_created", what="order_created")
    assert created["title"] == "🛍️ New Order"
    assert created["message"] == f"Dewi Lestari placed an order #{order['order_code']} (Rp 250000)"
    assert created["data"] == {"customer": "Dewi Lestari", "order_code": order["order_code"], "total_amount": 250000.5}
    raw = next(e for e in stream.events() if e.event == "notification" and "order_created" in e.data).data
    assert list(json.loads(raw)["data"]) == ["customer", "order_code", "total_amount"]
