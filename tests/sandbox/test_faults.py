"""POST /sandbox/faults: every knob (docs/sandbox.md), checked against the contract behaviour it imitates."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.sandbox.helpers import Api, Event, RawStream, parse_events, sentinel, wait_until
from zavera_desktop.sandbox import SandboxServer


def test_fault_cut_streams_fin_drops_mid_event(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """cut_streams=fin: a partial event, then the connection closes without the terminating chunk (§2.4)."""
    stream = open_stream(api)
    applied = api.faults(cut_streams="fin")["applied"]["cut_streams"]
    assert (applied["mode"], applied["streams"]) == ("fin", 1)
    stream.wait(lambda s: s.eof, what="connection close")
    assert not stream.ended_cleanly
    body = bytes(stream.body)
    tail = body[body.rindex(b"\n\n") + 2 :]
    assert tail.startswith(b"id: ") and b"event: notification\n" in tail and tail.endswith(b"\n")
    assert applied["phantom_order_code"].encode() in tail  # a complete data line, but no blank line after it
    assert all(applied["phantom_order_code"] not in e.data for e in stream.events())
    wait_until(lambda: api.state()["stream_clients"] == 0, what="client unregistered")


def test_fault_cut_streams_clean_ends_body(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """cut_streams=clean: the same partial event, then the chunked body ends properly."""
    stream = open_stream(api)
    api.faults(cut_streams="clean")
    stream.wait(lambda s: s.eof, what="end of body")
    assert stream.ended_cleanly
    assert not bytes(stream.body).endswith(b"\n\n")


def test_fault_stall_streams_silences_then_resumes(
    start_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api],
    open_stream: Callable[..., RawStream],
) -> None:
    """stall_streams=S: open but silent (no keepalives, notifications lost), then the same stream resumes."""
    api = make_api(start_sandbox(keepalive=0.1))
    stream = open_stream(api)
    stream.wait(lambda s: b": keepalive" in bytes(s.body), what="a first keepalive")
    applied = api.faults(stall_streams=1.0)["applied"]["stall_streams"]
    assert applied == {"seconds": 1.0, "streams": 1}
    mark = len(stream.body)
    lost = api.order()
    wait_until(lambda: api.state()["faults"]["stalled_streams"] == 0, what="stall to end")
    silent = bytes(stream.body)[mark:]
    after = api.order()
    stream.wait_notification(lambda n: n["data"].get("order_code") == after["order_code"], what="post-stall event")
    assert lost["order_code"].encode() not in bytes(stream.body)
    assert silent.count(b": keepalive") <= 1  # at most one already on the wire when the stall began
    stream.wait(lambda s: bytes(s.body)[mark:].count(b": keepalive") >= 2, what="keepalives again")
    assert not stream.eof


def test_fault_fail_requests_under_a_prefix(api: Api) -> None:
    """fail: the next N requests under a prefix get the status (JSON error or custom body, Retry-After)."""
    applied = api.faults(fail={"prefix": "/api/admin/orders", "status": 503, "count": 2, "retry_after": 2})
    assert applied["applied"]["fail"]["remaining"] == 2
    for _ in range(2):
        failed = api.get("/api/admin/orders")
        assert failed.status_code == 503
        assert failed.headers["retry-after"] == "2"
        assert failed.json() == {"error": "service_unavailable", "message": "sandbox fault injection"}
    assert api.get("/api/admin/orders").status_code == 200
    api.faults(fail={"prefix": "/api/admin/events", "status": 502, "count": 1, "body": "<h1>Bad Gateway</h1>",
                     "content_type": "text/html"})
    events = api.client.get("/api/admin/events", headers=api.auth())
    assert (events.status_code, events.text, events.headers["content-type"]) == (
        502, "<h1>Bad Gateway</h1>", "text/html"
    )
    assert api.client.get("/sandbox/state").status_code == 200  # the control API is never caught by accident


def test_fault_fail_on_webhook_is_retried_like_midtrans(api: Api) -> None:
    """fail on the webhook route: Midtrans gets a non-2xx answer and retries; the order ends up PAID."""
    order = api.order()
    api.faults(fail={"prefix": "/api/webhook/midtrans/core", "status": 500, "count": 1})
    paid = api.pay(order["order_code"])
    assert paid["webhook_responses"][0]["http_status"] == 500
    wait_until(lambda: api.detail(order["order_code"])["status"] == "PAID", what="retried webhook")
    assert api.state()["webhooks"]["retried"] == 1


def test_fault_expire_tokens(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """expire_tokens: issued tokens now fail (REST and SSE wording of §10.8); open streams stay; new logins work."""
    old = api.token()
    stream = open_stream(api)
    assert api.faults(expire_tokens=True)["applied"] == {"expire_tokens": True}
    rest = api.client.get("/api/admin/orders", headers={"Authorization": f"Bearer {old}"})
    assert (rest.status_code, rest.json()) == (401, {"error": "unauthorized", "message": "Invalid or expired token"})
    sse = api.client.get("/api/admin/events", headers={"Authorization": f"Bearer {old}"})
    assert (sse.status_code, sse.content) == (401, b'{"error":"Unauthorized - invalid token"}')
    fresh = api.login()
    assert api.client.get("/api/admin/orders", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    order = api.order()
    stream.wait_notification(lambda n: n["data"].get("order_code") == order["order_code"], what="event on old stream")


def test_fault_malformed_events(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """malformed: non-JSON data, unknown type, > 1 MiB line, multi-line data, CRLF line ends."""
    stream = open_stream(api)
    order = api.order(amount=250000, method="qris")
    for kind in ("non_json", "unknown_type", "huge", "multiline", "crlf"):
        body = {"malformed": kind} | ({"order_code": order["order_code"]} if kind in ("multiline", "crlf") else {})
        applied = api.faults(**body)["applied"]["malformed"]
        assert applied["kind"] == kind and applied["streams"] == 1
    def malformed(s: RawStream) -> list[Event]:
        return [e for e in s.events() if e.event == "notification" and not _is_plain(e)]

    stream.wait(lambda s: len(malformed(s)) == 5, what="all malformed events")
    non_json, unknown, huge, multiline, crlf = malformed(stream)
    assert non_json.data.startswith("{this is not JSON")
    assert unknown.json()["type"] == "flash_sale"
    assert len(huge.data_lines) == 1 and len(huge.data_lines[0]) > 1024 * 1024
    assert len(multiline.data_lines) > 3
    joined = json.loads("\n".join(multiline.data_lines))
    assert joined["type"] == "payment_received"
    assert joined["data"] == {"amount": 250000, "order_code": order["order_code"], "payment_method": "qris"}
    assert b"\r\n" in crlf.raw and crlf.raw.endswith(b"\r\n\r\n") and b"\n" not in crlf.raw.replace(b"\r\n", b"")
    assert crlf.json()["data"]["order_code"] == order["order_code"]
    assert api.detail(order["order_code"])["status"] == "PENDING"  # state unchanged
    events, _ = parse_events(crlf.raw)
    assert events[0].id == crlf.id


def _is_plain(event: Event) -> bool:
    """An ordinary order_created/system notification, as opposed to the injected ones."""
    try:
        data = event.json() if len(event.data_lines) == 1 else {}
    except ValueError:
        return False
    return data.get("type") == "order_created" or data.get("title") == "🎉 SSE Connected"


def test_fault_keepalive_interval_changes_live(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """keepalive: changes the interval of streams already open (and future ones)."""
    stream = open_stream(api)
    assert b": keepalive" not in bytes(stream.body)  # default 30 s
    api.faults(keepalive=0.1)
    stream.wait(lambda s: bytes(s.body).count(b": keepalive") >= 2, what="faster keepalives")
    later = open_stream(api)
    later.wait(lambda s: b": keepalive" in bytes(s.body), what="keepalive on a new stream")


def test_fault_reset_and_validation(api: Api, open_stream: Callable[..., RawStream]) -> None:
    """reset clears every fault; unknown knobs and bad values are 400 and change nothing."""
    api.faults(fail={"prefix": "/health", "status": 500, "count": 5}, midtrans_delay_ms=5000, keepalive=1)
    assert api.client.get("/health").status_code == 500
    api.faults(reset=True)
    assert api.client.get("/health").status_code == 200
    faults = api.state()["faults"]
    assert (faults["fail"], faults["midtrans_delay_ms"], faults["keepalive"]) == ([], 0, 30.0)
    for bad in ({"explode": True}, {"cut_streams": "rst"}, {"fail": {"prefix": "api"}}, {"keepalive": 0},
                {"malformed": "binary"}, {}):
        assert api.client.post("/sandbox/faults", json=bad).status_code == 400, bad
    stream = open_stream(api)
    sentinel(api, stream)
    assert api.state()["faults"]["fail"] == []
