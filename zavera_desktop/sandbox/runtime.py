"""Everything one running sandbox shares: config, DB, clock, broker, faults, HTTP client."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date
from typing import Any

import httpx

from zavera_desktop.sandbox.auth import DemoUser, Tokens, ensure_users
from zavera_desktop.sandbox.broker import Broker
from zavera_desktop.sandbox.config import SandboxConfig
from zavera_desktop.sandbox.db import Database
from zavera_desktop.sandbox.faults import Faults
from zavera_desktop.sandbox.notifications import Notifier
from zavera_desktop.sandbox.stats import Stats
from zavera_desktop.sandbox.timeutil import Clock, load_zone

log = logging.getLogger("zavera_desktop.sandbox.runtime")

UNVERIFIED_EMAIL = "unverified@zavera.test"


def _random_server_key() -> str:
    return "SB-Mid-server-" + secrets.token_urlsafe(18)


def _random_password() -> str:
    return secrets.token_urlsafe(9)


class Runtime:
    def __init__(self, cfg: SandboxConfig, url: str) -> None:
        self.cfg = cfg
        self.url = url
        self.zone = load_zone(cfg.timezone)
        self.clock = Clock(self.zone)
        self.db = Database(cfg.db)
        self.server_key = self._secret("server_key", cfg.server_key, _random_server_key)
        self.admin_password = self._secret("admin_password", cfg.admin_password, _random_password)
        self.user_password = self._secret("user_password", cfg.user_password, _random_password)
        self.tokens = Tokens(self._secret("jwt_secret", cfg.jwt_secret, lambda: secrets.token_hex(32)), cfg.jwt_expiry)
        ensure_users(
            self.db,
            self.clock,
            [
                DemoUser(cfg.admin_email, self.admin_password, "Admin", "Admin Zavera", "", None, True),
                DemoUser(
                    cfg.user_email, self.user_password, "Budi", "Budi Santoso", "081234567890",
                    date(1995, 5, 17), True,
                ),
                # Same password as the customer; exists so the 403 email_not_verified path is reachable.
                DemoUser(UNVERIFIED_EMAIL, self.user_password, "Sari", "Sari Wulandari", "", None, False),
            ],
        )
        self.stats = Stats()
        self.broker = Broker(self.stats)
        self.notifier = Notifier(self.broker, self.zone, self.stats)
        self.faults = Faults(cfg.keepalive)
        self.rate_limits: dict[tuple[int, int], float] = {}
        # Marks the backend's own Midtrans status calls, so the simulator can count them apart
        # from outside ones; random per run, so an outside client cannot pass for the backend.
        self.caller_secret = secrets.token_hex(16)
        self.midtrans_url = (cfg.midtrans_url or f"{url}/midtrans").rstrip("/")
        self.core_webhook_url = cfg.core_webhook_url or f"{url}/api/webhook/midtrans/core"
        self.snap_webhook_url = cfg.snap_webhook_url or f"{url}/api/payments/webhook"
        self.loop: asyncio.AbstractEventLoop | None = None
        self._http: httpx.AsyncClient | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def _secret(self, key: str, given: str | None, generate: Callable[[], str]) -> str:
        if given is not None:
            self.db.set_meta(key, given)
            return given
        stored = self.db.get_meta(key)
        if stored:
            return stored
        value = generate()
        self.db.set_meta(key, value)
        return value

    @property
    def credentials(self) -> dict[str, str]:
        return {
            "url": self.url,
            "admin_email": self.cfg.admin_email,
            "admin_password": self.admin_password,
            "user_email": self.cfg.user_email,
            "user_password": self.user_password,
            "server_key": self.server_key,
        }

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            raise RuntimeError("sandbox runtime not started")
        return self._http

    async def startup(self) -> None:
        self.loop = asyncio.get_running_loop()
        # trust_env=False: a proxy from the environment must never see loopback webhooks.
        self._http = httpx.AsyncClient(timeout=30.0, trust_env=False)
        self.broker.start()
        if self.cfg.startup_broadcast:
            self.later(3.0, self.notifier.system_startup)

    async def shutdown(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.broker.stop()
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str = "sandbox-task") -> asyncio.Task[Any]:
        """Run ``coro`` in the background; it is cancelled at shutdown and its errors are logged."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    def later(self, delay: float, action: Callable[[], Any | Awaitable[Any]]) -> asyncio.Task[Any]:
        async def run() -> None:
            await asyncio.sleep(delay)
            result = action()
            if asyncio.iscoroutine(result):
                await result

        return self.spawn(run(), name="sandbox-later")

    def expire_tokens(self) -> None:
        """Every token issued so far stops validating; later ones are fine.

        Rotating the signing key gives exactly the backend's answers for an expired token
        (REST ``Invalid or expired token``, SSE ``Unauthorized - invalid token``) without
        comparing ``iat`` seconds, and it survives a restart on the same file.
        """
        secret = secrets.token_hex(32)
        self.db.set_meta("jwt_secret", secret)
        self.tokens.secret = secret

    def close(self) -> None:
        self.db.dispose()
