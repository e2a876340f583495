"""The engine's parts without the stream, for one command (``zavera-desktop check`` / ``replay``).

The window's engine and these commands run the same code — ``AdminActions`` over ``StatusChecks``,
the shared limiter and the ``ChangeSink`` — built the way ``Engine._build`` builds them. Only the
long-running tasks (stream, reconcile, verify) are left out, so a one-shot command never checks
payments nobody asked about, and ends as soon as its action does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from zavera_desktop.backend.client import Credentials, ZaveraClient
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.backend.verify import CheckLimiter
from zavera_desktop.config import EngineSettings
from zavera_desktop.engine.actions import AdminActions
from zavera_desktop.engine.changes import ChangeSink
from zavera_desktop.engine.checks import StatusChecks
from zavera_desktop.engine.context import EngineContext, EngineStats
from zavera_desktop.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OneShot:
    actions: AdminActions
    #: the logged-in admin's e-mail, for the audit log
    actor: str


async def _no_wait() -> None:
    return None


def _log_rest_error(where: str, exc: Exception) -> None:
    log.warning("%s: %s", where, exc)


@contextlib.asynccontextmanager
async def one_shot(settings: EngineSettings, store: Store, *, token: str | None = None,
                   credentials: Credentials | None = None, midtrans: MidtransAccess | None = None,
                   webhook_url: str | None = None, transport: httpx.AsyncBaseTransport | None = None,
                   midtrans_transport: httpx.AsyncBaseTransport | None = None) -> AsyncIterator[OneShot]:
    """Log in (or check the token), then yield the admin actions. Auth errors come out as ``AuthError``
    / ``ForbiddenError`` before anything is done."""
    if token is None and credentials is None:
        raise ValueError("a one-shot command needs a token or an e-mail and password")
    sink = ChangeSink(store, on_new=lambda _payments: None)
    sink.attach(asyncio.get_running_loop())
    ctx = EngineContext(settings=settings, store=store, sink=sink, stats=EngineStats(),
                        handle_rest_error=_log_rest_error, wait_resume=_no_wait, request_reconcile=lambda: None)
    client = ZaveraClient(settings.backend_url, token=token, credentials=credentials, tz=settings.zone,
                          transport=transport)
    try:
        user = await client.login() if token is None else await client.me()
        checks = StatusChecks(ctx, client, limiter=CheckLimiter())
        actions = AdminActions(ctx, client, checks, midtrans=midtrans, webhook_url=webhook_url,
                               midtrans_transport=midtrans_transport)
        yield OneShot(actions, user.email or (credentials.email if credentials else "admin"))
    finally:
        sink.cancel_pending_flush()
        sink.flush()
        await client.aclose()
