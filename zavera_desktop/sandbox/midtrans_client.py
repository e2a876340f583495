"""The backend's outbound Midtrans status call (contract §6 calls 2 and 3), as both Go clients make it.

``Authorization: Basic base64(server_key + ":")`` and ``Accept: application/json``. The extra
``X-Sandbox-Caller`` header only tells the simulator which backend path asked; it carries a
per-run secret so that outside requests are never counted as the backend's.
"""

from __future__ import annotations

import base64

import httpx

from zavera_desktop.sandbox.runtime import Runtime

CALLER_HEADER = "X-Sandbox-Caller"


def caller_value(rt: Runtime, caller: str) -> str:
    return f"{rt.caller_secret}:{caller}"


def status_url(rt: Runtime, key: str) -> str:
    return f"{rt.midtrans_url}/v2/{key}/status"


async def get_status(rt: Runtime, key: str, caller: str) -> httpx.Response:
    """``GET {midtrans}/v2/{key}/status`` with a 30 s timeout; transport errors propagate."""
    token = base64.b64encode(f"{rt.server_key}:".encode()).decode()
    return await rt.http.get(
        status_url(rt, key),
        headers={
            "Accept": "application/json",
            "Authorization": f"Basic {token}",
            CALLER_HEADER: caller_value(rt, caller),
        },
    )
