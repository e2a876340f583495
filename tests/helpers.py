"""Test helpers: drive the sandbox's control API and observe the engine, with bounded waits."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from zavera_desktop.backend.client import Credentials
from zavera_desktop.config import EngineSettings
from zavera_desktop.domain import ChangeBatch, ConnectionState, Payment
from zavera_desktop.engine import Engine
from zavera_desktop.sandbox import SandboxConfig, SandboxServer
from zavera_desktop.store import Store


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "condition",
               interval: float = 0.02) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def start_sandbox(**kw: Any) -> SandboxServer:
    kw.setdefault("port", 0)
    kw.setdefault("db", ":memory:")
    kw.setdefault("keepalive", 1.0)
    server = SandboxServer(SandboxConfig(**kw))
    server.start()
    return server


class SandboxControl:
    """The sandbox's control API and the admin endpoints a test needs, as plain calls."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, trust_env=False, timeout=30.0)
        self._admin_token: str | None = None

    def close(self) -> None:
        self.http.close()

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def creds(self) -> dict[str, str]:
        return self.server.credentials

    def rebind(self, server: SandboxServer) -> None:
        """After a restart on the same port and database."""
        self.server = server
        self._admin_token = None

    def _ok(self, response: httpx.Response) -> Any:
        assert response.status_code < 300, f"{response.request.method} {response.request.url}: " \
                                            f"{response.status_code} {response.text[:300]}"
        return response.json()

    def create_order(self, **body: Any) -> dict[str, Any]:
        return self._ok(self.http.post("/sandbox/orders", json=body))

    def pay(self, code: str, webhook: str = "deliver", **body: Any) -> dict[str, Any]:
        return self._ok(self.http.post(f"/sandbox/orders/{code}/pay", json={"webhook": webhook, **body}))

    def expire(self, code: str, webhook: str = "deliver") -> dict[str, Any]:
        return self._ok(self.http.post(f"/sandbox/orders/{code}/expire", json={"webhook": webhook}))

    def cancel(self, code: str) -> dict[str, Any]:
        return self._ok(self.http.post(f"/sandbox/orders/{code}/cancel", json={}))

    def faults(self, **knobs: Any) -> dict[str, Any]:
        return self._ok(self.http.post("/sandbox/faults", json=knobs))

    def state(self) -> dict[str, Any]:
        return self._ok(self.http.get("/sandbox/state"))

    def login(self, email: str, password: str) -> str:
        return self._ok(self.http.post("/api/auth/login", json={"email": email, "password": password}))[
            "access_token"]

    def admin_token(self) -> str:
        if self._admin_token is None:
            self._admin_token = self.login(self.creds["admin_email"], self.creds["admin_password"])
        return self._admin_token

    def admin(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.admin_token()}"}
        return self.http.request(method, path, headers=headers, **kw)

    def confirm_payment(self, code: str) -> dict[str, Any]:
        """The web admin's "Confirm Payment" (PATCH status PAID, no SSE; contract §2.6 item 2)."""
        return self._ok(self.admin("PATCH", f"/api/admin/orders/{code}/status",
                                   json={"status": "PAID", "reason": "checked the bank statement"}))

    def core_check(self, payment_id: int, token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.admin_token()}"}
        return self.http.post("/api/payments/core/check", json={"payment_id": payment_id}, headers=headers)

    def notifications_sent(self, ntype: str = "payment_received") -> int:
        return int(self.state().get("notifications", {}).get(ntype, 0))

    def stream_clients(self) -> int:
        return int(self.state().get("stream_clients", 0))


FAST = dict(poll_interval=0.5, live_reconcile_interval=30.0, verify_interval=0.5, verify_after=0.0,
            read_timeout=5.0, reconnect_min=0.05, reconnect_cap=2.0, honour_server_retry=False,
            healthy_after=1.0, enrich_delay=0.05)


class EngineHarness:
    """An engine against a sandbox, with every announced payment and state change recorded."""

    def __init__(self, control: SandboxControl, *, db_path: Path, token: str | None = None,
                 credentials: Credentials | None = None, start: bool = True, midtrans: Any = None,
                 **settings: Any) -> None:
        self.control = control
        merged = {**FAST, **settings}
        self.settings = EngineSettings(backend_url=control.url, **merged)
        self.store = Store.open(db_path)
        if token is None and credentials is None:
            credentials = Credentials(control.creds["admin_email"], control.creds["admin_password"])
        self.engine = Engine(self.settings, self.store, token=token, credentials=credentials, midtrans=midtrans)
        self._lock = threading.Lock()
        self.announced: list[Payment] = []
        self.updated: list[Payment] = []
        self.states: list[ConnectionState] = []
        self.activity: list[str] = []
        self.engine.subscribe(self._on_batch)
        if start:
            self.engine.start()

    def _on_batch(self, batch: ChangeBatch) -> None:
        with self._lock:
            self.announced.extend(batch.new_payments)
            self.updated.extend(batch.updated_payments)
            if batch.connection is not None:
                self.states.append(batch.connection.state)
            self.activity.extend(f"{a.kind}: {a.message}" for a in batch.activity)

    def close(self) -> None:
        self.engine.stop(timeout=3.0)
        self.store.close()

    # --- observation ----------------------------------------------------------------------------

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(p.order_code for p in self.announced)

    def by_code(self) -> dict[str, Payment]:
        with self._lock:
            return {p.order_code: p for p in self.announced}

    def wait_live(self, timeout: float = 10.0) -> None:
        wait_until(lambda: self.engine.status.state is ConnectionState.LIVE, timeout, "the stream to be live")

    def wait_ready(self, timeout: float = 10.0) -> None:
        """Live and the first (baseline) reconcile done, so new payments are not history."""
        self.wait_live(timeout)
        wait_until(lambda: self.engine.stats.reconcile_runs >= 1, timeout, "the first reconcile")

    def wait_announced(self, codes: set[str] | list[str], timeout: float = 20.0) -> dict[str, Payment]:
        want = set(codes)
        wait_until(lambda: want <= set(self.counts()), timeout,
                   f"{len(want - set(self.counts()))} of {len(want)} payments to be announced")
        return self.by_code()

    def assert_exactly_once(self, expected: set[str] | list[str]) -> None:
        counts = self.counts()
        dupes = {c: n for c, n in counts.items() if n > 1}
        assert not dupes, f"announced more than once: {dupes}"
        missing = set(expected) - set(counts)
        assert not missing, f"never announced: {sorted(missing)}"
        extra = set(counts) - set(expected)
        assert not extra, f"announced but never paid: {sorted(extra)}"
