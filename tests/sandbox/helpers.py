"""Test helpers: a raw-socket SSE reader, an SSE parser, and bounded waits."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx

DEADLINE = 10.0


def wait_until(predicate: Callable[[], Any], timeout: float = DEADLINE, what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@dataclass
class Event:
    raw: bytes
    id: str | None = None
    event: str | None = None
    retry: str | None = None
    data_lines: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    _parsed: Any = None

    @property
    def data(self) -> str:
        return "\n".join(self.data_lines)

    def json(self) -> Any:
        if self._parsed is None:
            self._parsed = json.loads(self.data)
        return self._parsed


_BLOCK_END = re.compile(rb"(?:\r\n|\r(?!\n)|\n)(?:\r\n|\r(?!\n)|\n)")


def parse_events(body: bytes | bytearray, start: int = 0) -> tuple[list[Event], int]:
    """Complete SSE blocks from ``start`` on (CRLF, CR or LF line ends), and where parsing stopped.

    An unterminated tail is not an event (WHATWG: discarded at end of stream).
    """
    events = []
    position = start
    while True:
        match = _BLOCK_END.search(body, position)
        if match is None:
            return events, position
        content = bytes(body[position : match.start()])
        event = Event(raw=bytes(body[position : match.end()]))
        position = match.end()
        for line in re.split(rb"\r\n|\r|\n", content):
            text = line.decode("utf-8")
            if text.startswith(":"):
                event.comments.append(text)
                continue
            name, _, value = text.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data":
                event.data_lines.append(value)
            elif name in ("id", "event", "retry"):
                setattr(event, name, value)
        events.append(event)


class RawStream:
    """``GET /api/admin/events`` over a plain socket, chunked decoding done here.

    A raw socket lets tests see what the server really did at the end of a stream: a
    terminating ``0`` chunk (clean end) or the connection closed mid-body.
    """

    def __init__(self, url: str, token: str | None, headers: dict[str, str] | None = None,
                 path: str = "/api/admin/events", rcvbuf: int | None = None, read: bool = True) -> None:
        parts = urlsplit(url)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(DEADLINE)
        self.sock.connect((parts.hostname, parts.port))
        lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "Accept: text/event-stream"]
        if token is not None:
            lines.append(f"Authorization: Bearer {token}")
        for key, value in (headers or {}).items():
            lines.append(f"{key}: {value}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.body = bytearray()
        self._events: list[Event] = []
        self._scanned = 0
        self.ended_cleanly = False  # terminating chunk seen
        self.eof = False  # connection closed by the server
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._read, daemon=True)
        if read:
            self._thread.start()

    def start_reading(self) -> None:
        self._thread.start()

    def _recv(self) -> bytes:
        try:
            return self.sock.recv(65536)
        except OSError:
            return b""

    def _read(self) -> None:
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            data = self._recv()
            if not data:
                self._finish()
                return
            buffer += data
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        with self._cond:
            self.status = int(status_line.split()[1])
            self.headers = headers
            self._cond.notify_all()
        if "content-length" in headers:
            length = int(headers["content-length"])
            while len(buffer) < length:
                data = self._recv()
                if not data:
                    break
                buffer += data
            self._append(buffer[:length])
            self._finish(clean=True)
            return
        while True:  # chunked
            while b"\r\n" not in buffer:
                data = self._recv()
                if not data:
                    self._finish()
                    return
                buffer += data
            size_line, _, buffer = buffer.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(buffer) < size + 2:
                data = self._recv()
                if not data:
                    self._append(buffer[:size])
                    self._finish()
                    return
                buffer += data
            if size == 0:
                self._finish(clean=True)
                return
            self._append(buffer[:size])
            buffer = buffer[size + 2 :]

    def _append(self, data: bytes) -> None:
        with self._cond:
            self.body.extend(data)
            # Parsing resumes at the start of the last incomplete block, so nothing is parsed twice.
            events, self._scanned = parse_events(self.body, self._scanned)
            self._events.extend(events)
            self._cond.notify_all()

    def _finish(self, clean: bool = False) -> None:
        with self._cond:
            self.ended_cleanly = clean
            self.eof = True
            self._cond.notify_all()

    def wait(self, predicate: Callable[[RawStream], Any], timeout: float = DEADLINE, what: str = "stream") -> Any:
        end = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate(self)
                if result:
                    return result
                remaining = end - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out waiting for {what}; body so far: {bytes(self.body)[-2000:]!r}")
                self._cond.wait(remaining)

    def wait_status(self) -> int:
        self.wait(lambda s: s.status is not None or s.eof, what="status line")
        assert self.status is not None
        return self.status

    def events(self) -> list[Event]:
        with self._cond:
            return list(self._events)

    def notifications(self, ntype: str | None = None) -> list[dict[str, Any]]:
        found = []
        for event in self.events():
            if event.event != "notification":
                continue
            try:
                data = event.json()
            except ValueError:
                continue
            if ntype is None or data.get("type") == ntype:
                found.append(data)
        return found

    def wait_notification(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = DEADLINE,
                          what: str = "notification") -> dict[str, Any]:
        def found(_stream: RawStream) -> dict[str, Any] | None:
            return next((n for n in self.notifications() if predicate(n)), None)

        return self.wait(found, timeout, what)

    def wait_connected(self) -> None:
        self.wait(lambda s: any(e.event == "connected" for e in s.events()), what="connected event")

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        if self._thread.is_alive():
            self._thread.join(DEADLINE)


class Api:
    """A thin httpx client bound to one sandbox, with the demo logins at hand."""

    def __init__(self, url: str, credentials: dict[str, str]) -> None:
        self.url = url
        self.credentials = credentials
        self.client = httpx.Client(base_url=url, trust_env=False, timeout=DEADLINE)
        self._tokens: dict[str, str] = {}

    def login(self, who: str = "admin") -> str:
        email = self.credentials[f"{who}_email"]
        password = self.credentials[f"{who}_password"]
        response = self.client.post("/api/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def token(self, who: str = "admin") -> str:
        if who not in self._tokens:
            self._tokens[who] = self.login(who)
        return self._tokens[who]

    def auth(self, who: str = "admin") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(who)}"}

    def get(self, path: str, who: str | None = "admin", **kwargs: Any) -> httpx.Response:
        headers = kwargs.pop("headers", {}) | (self.auth(who) if who else {})
        return self.client.get(path, headers=headers, **kwargs)

    def post(self, path: str, who: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = kwargs.pop("headers", {}) | (self.auth(who) if who else {})
        return self.client.post(path, headers=headers, **kwargs)

    def patch(self, path: str, who: str | None = "admin", **kwargs: Any) -> httpx.Response:
        headers = kwargs.pop("headers", {}) | (self.auth(who) if who else {})
        return self.client.patch(path, headers=headers, **kwargs)

    def order(self, **fields: Any) -> dict[str, Any]:
        response = self.client.post("/sandbox/orders", json=fields)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def pay(self, code: str, webhook: str = "deliver", **fields: Any) -> dict[str, Any]:
        response = self.client.post(f"/sandbox/orders/{code}/pay", json={"webhook": webhook, **fields})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def faults(self, **knobs: Any) -> dict[str, Any]:
        response = self.client.post("/sandbox/faults", json=knobs)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def state(self) -> dict[str, Any]:
        return dict(self.client.get("/sandbox/state").json())

    def inspect(self, code: str) -> dict[str, Any]:
        return dict(self.client.get(f"/sandbox/orders/{code}").json())

    def detail(self, code: str) -> dict[str, Any]:
        response = self.get(f"/api/admin/orders/{code}")
        assert response.status_code == 200, response.text
        return dict(response.json())

    def check(self, payment_id: int, who: str = "admin") -> httpx.Response:
        return self.post("/api/payments/core/check", who=who, json={"payment_id": payment_id})

    def stream(self, who: str = "admin", **kwargs: Any) -> RawStream:
        stream = RawStream(self.url, self.token(who), **kwargs)
        return stream

    def close(self) -> None:
        self.client.close()


def shop_time(hours_ago: float = 0.0) -> str:
    """``YYYY-MM-DD HH:MM:SS`` on the sandbox's default shop clock (Asia/Jakarta, UTC+7)."""
    now = datetime.now(timezone(timedelta(hours=7))).replace(tzinfo=None)
    return (now - timedelta(hours=hours_ago)).strftime("%Y-%m-%d %H:%M:%S")


def force_midtrans(api: Api, status: str, **locator: Any) -> dict[str, Any]:
    """``POST /sandbox/midtrans/status``: Midtrans now reports ``status``; nothing is posted."""
    response = api.client.post("/sandbox/midtrans/status", json={"transaction_status": status, **locator})
    assert response.status_code == 200, response.text
    return dict(response.json())


class FakeMidtrans:
    """A stand-in Midtrans status API on a loopback port that answers one fixed body to any request.

    For paths the real Midtrans can never take (a status for the bare order code), and for
    recording exactly what the backend asked.
    """

    def __init__(self, body: dict[str, Any], status: int = 200) -> None:
        self.requests: list[tuple[str, str]] = []  # (path, Authorization header)
        payload = json.dumps(body).encode()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append((self.path, self.headers.get("Authorization", "")))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(DEADLINE)


def sentinel(api: Api, *streams: RawStream) -> None:
    """Broadcast a marker and wait for it, so that anything broadcast earlier has arrived too.

    The broker is first-in first-out, so once the marker is in, an absent notification was
    never broadcast: absence is asserted by order, not by waiting some seconds.
    """
    before = [len(stream.notifications("flash_sale")) for stream in streams]
    api.faults(malformed="unknown_type")
    for stream, count in zip(streams, before, strict=True):
        stream.wait(lambda s, count=count: len(s.notifications("flash_sale")) > count, what="sentinel")
