"""``GET /api/admin/events`` (contract §2.1–2.4) plus the stream-level fault behaviour.

A raw ASGI endpoint rather than a Starlette response class, because the fault knobs need to
do what a network does to a stream: go silent, or drop the connection in the middle of an
event without the terminating chunk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from datetime import datetime
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from zavera_desktop.sandbox.auth import sse_auth
from zavera_desktop.sandbox.broker import StreamClient
from zavera_desktop.sandbox.faults import TRANSPORT_KEY
from zavera_desktop.sandbox.gojson import dumps, gin_h
from zavera_desktop.sandbox.notifications import (
    RETRY_MS,
    build_notification,
    format_event,
    keepalive_comment,
    notification_event,
)
from zavera_desktop.sandbox.runtime import Runtime
from zavera_desktop.sandbox.timeutil import rfc3339

log = logging.getLogger("zavera_desktop.sandbox.sse")

SSE_HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-cache"),
    (b"connection", b"keep-alive"),
    (b"x-accel-buffering", b"no"),
]


class _StreamCut(Exception):
    """Raised only when the transport is unknown: uvicorn then closes the socket for us."""


def phantom_event(rt: Runtime) -> tuple[str, bytes]:
    """A ``payment_received`` for an order that does not exist, without its closing blank line.

    A client that dispatches an unterminated event at end of stream would announce it.
    """
    code = f"ZVR-{rt.clock.today():%Y%m%d}-{secrets.token_hex(4).upper()}"
    notification = build_notification(
        "payment_received",
        "💰 Payment Received",
        f"Order #{code} paid via bca_va (Rp 999000)",
        "info",
        {"order_code": code, "payment_method": "bca_va", "amount": 999000},
        zone=rt.zone,
    )
    return code, notification_event(notification)[:-1]


async def _wait_disconnect(receive: Receive) -> None:
    while True:
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            return


class EventsEndpoint:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rt = self.rt
        claims = sse_auth(Headers(scope=scope), rt.tokens, rt.cfg.admin_email)
        if isinstance(claims, Response):
            await claims(scope, receive, send)
            return
        username = claims.get("first_name") or "admin"
        client = StreamClient(username, scope.get(TRANSPORT_KEY))
        rt.broker.register(client)
        try:
            await send({"type": "http.response.start", "status": 200, "headers": SSE_HEADERS})
            await self._serve(client, receive, send)
        finally:
            rt.broker.unregister(client)

    async def _serve(self, client: StreamClient, receive: Receive, send: Send) -> None:
        rt = self.rt
        loop = asyncio.get_running_loop()
        welcome = gin_h(
            message="Connected to admin notification stream",
            timestamp=rfc3339(datetime.now(rt.zone)),
            admin=client.username,
        )
        await _write(send, format_event(f"welcome-{int(time.time())}", "connected", RETRY_MS, dumps(welcome)))
        # The handler's goroutine: a global broadcast, so every connected client sees it.
        rt.later(2.0, lambda: rt.notifier.system_connected(client.username))

        disconnect = asyncio.ensure_future(_wait_disconnect(receive))
        getter: asyncio.Future[bytes] | None = None
        waker: asyncio.Future[Any] | None = None
        keepalive_at = loop.time() + rt.faults.keepalive
        try:
            while True:
                if client.cut:
                    await self._cut(client, send, disconnect)
                    return
                if getter is None:
                    getter = asyncio.ensure_future(client.queue.get())
                if waker is None:
                    waker = asyncio.ensure_future(client.wake.wait())
                timeout = max(0.0, keepalive_at - loop.time())
                done, _ = await asyncio.wait(
                    {getter, waker, disconnect}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
                )
                if disconnect in done:
                    return
                if waker in done:
                    client.wake.clear()
                    waker = None
                    if client.keepalive_changed:
                        client.keepalive_changed = False
                        keepalive_at = loop.time() + rt.faults.keepalive
                    continue
                stalled = loop.time() < client.stalled_until
                if getter in done:
                    message = getter.result()
                    getter = None
                    if stalled:
                        client.lost_while_stalled += 1  # like bytes into a half-open connection
                    else:
                        await _write(send, message)
                if loop.time() >= keepalive_at:
                    if not stalled:
                        await _write(send, keepalive_comment(int(time.time())))
                    keepalive_at = loop.time() + rt.faults.keepalive
        finally:
            for task in (getter, waker, disconnect):
                if task is not None and not task.done():
                    task.cancel()

    async def _cut(self, client: StreamClient, send: Send, disconnect: asyncio.Future[None]) -> None:
        mode = client.cut
        if mode in ("fin", "clean"):
            await _write(send, client.cut_payload or phantom_event(self.rt)[1])
        if mode == "clean":
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        transport = client.transport
        if transport is None:
            raise _StreamCut("stream cut")
        # Close the socket under the response: the chunked body never gets its last chunk.
        if not transport.is_closing():
            transport.close()
        await asyncio.wait({disconnect}, timeout=1.0)
        if not disconnect.done():
            transport.abort()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(disconnect), 1.0)


async def _write(send: Send, data: bytes) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": True})
