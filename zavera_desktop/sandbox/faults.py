"""Fault state and the request-failure middleware (docs/sandbox.md, "Fault knobs").

Stream faults (cut, stall, keepalive) act on the broker's clients and live in control.py;
this module holds what the request path consults: injected HTTP failures and the Midtrans
answer delay.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from zavera_desktop.sandbox.gojson import dumpb, gin_h

# Where the ASGI wrapper leaves the connection's transport for the SSE endpoint to cut it.
TRANSPORT_KEY = "zavera.transport"


@dataclass
class FailRule:
    prefix: str
    status: int
    remaining: int
    retry_after: float | None = None
    body: str | None = None
    content_type: str | None = None

    def describe(self) -> dict[str, Any]:
        return {
            "prefix": self.prefix,
            "status": self.status,
            "remaining": self.remaining,
            "retry_after": self.retry_after,
            "content_type": self.content_type,
        }


class Faults:
    def __init__(self, keepalive: float) -> None:
        self.default_keepalive = keepalive
        self.keepalive = keepalive
        self.midtrans_delay = 0.0  # seconds
        self.fail_rules: list[FailRule] = []

    def take_failure(self, path: str) -> FailRule | None:
        """Consume one failure for ``path`` if a rule with budget left matches it."""
        for rule in self.fail_rules:
            if rule.remaining <= 0 or not path.startswith(rule.prefix):
                continue
            # The control API stays reachable unless a rule targets it on purpose.
            if path.startswith("/sandbox/") and not rule.prefix.startswith("/sandbox"):
                continue
            rule.remaining -= 1
            return rule
        return None

    def prune(self) -> None:
        self.fail_rules = [rule for rule in self.fail_rules if rule.remaining > 0]

    def reset(self) -> None:
        self.keepalive = self.default_keepalive
        self.midtrans_delay = 0.0
        self.fail_rules = []

    def describe(self) -> dict[str, Any]:
        self.prune()
        return {
            "keepalive": self.keepalive,
            "midtrans_delay_ms": round(self.midtrans_delay * 1000),
            "fail": [rule.describe() for rule in self.fail_rules],
        }


class FaultMiddleware:
    """Outermost ASGI layer: records the transport, then answers injected failures."""

    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # uvicorn's send is a bound method of its request cycle, which holds the transport.
        # The SSE endpoint needs it to drop a connection without the terminating chunk.
        scope[TRANSPORT_KEY] = getattr(getattr(send, "__self__", None), "transport", None)
        rule = self.faults.take_failure(scope["path"])
        if rule is None:
            await self.app(scope, receive, send)
            return
        await _drain(receive)
        await send_failure(rule, send)


async def _drain(receive: Receive) -> None:
    # Read the request body so the keep-alive connection stays usable after our answer.
    while True:
        message = await asyncio.wait_for(receive(), timeout=5)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def send_failure(rule: FailRule, send: Send) -> None:
    if rule.body is not None:
        body = rule.body.encode("utf-8")
        content_type = rule.content_type or "text/plain; charset=utf-8"
    else:
        try:
            phrase = HTTPStatus(rule.status).phrase
        except ValueError:
            phrase = "Injected Fault"
        body = dumpb(gin_h(error=phrase.lower().replace(" ", "_"), message="sandbox fault injection"))
        content_type = rule.content_type or "application/json; charset=utf-8"
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    if rule.retry_after is not None:
        value = rule.retry_after
        text = str(int(value)) if float(value).is_integer() else str(value)
        headers.append((b"retry-after", text.encode()))
    await send({"type": "http.response.start", "status": rule.status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
