"""Shared pieces of the benchmarks: an in-process sandbox, a `watch --json` subprocess whose lines
are timestamped on arrival, a bare stream reader as the floor, and percentiles.

Benchmarks print figures; they never pass or fail.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from zavera_desktop.backend.midtrans import build_notification
from zavera_desktop.sandbox import SandboxConfig, SandboxServer

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(values: list[float]) -> str:
    return (f"n={len(values)} p50={percentile(values, 0.5) * 1000:.1f} ms p99={percentile(values, 0.99) * 1000:.1f} ms "
            f"mean={statistics.fmean(values) * 1000:.1f} ms" if values else "n=0")


class Sandbox:
    def __init__(self, **config: Any) -> None:
        config.setdefault("port", 0)
        config.setdefault("db", ":memory:")
        self.server = SandboxServer(SandboxConfig(**config))
        self.server.start()
        self.creds = self.server.credentials
        self.url = self.server.url
        self.http = httpx.Client(base_url=self.url, trust_env=False, timeout=30.0)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.http.post(path, json=body)
        r.raise_for_status()
        return r.json()

    def create_order(self, **body: Any) -> dict[str, Any]:
        return self.post("/sandbox/orders", body)

    def pay(self, code: str, webhook: str = "deliver", **body: Any) -> dict[str, Any]:
        return self.post(f"/sandbox/orders/{code}/pay", {"webhook": webhook, **body})

    def post_webhook(self, order: dict[str, Any]) -> None:
        """POST the signed settlement notification ourselves, so t0 is the webhook's own instant."""
        body = build_notification(order_id=order["midtrans_order_id"], transaction_id=order["transaction_id"],
                                  gross_amount=int(order["amount"]), server_key=self.creds["server_key"])
        r = self.http.post("/api/webhook/midtrans/core", json=body)
        assert r.json().get("status") == "ok", r.text

    def faults(self, **knobs: Any) -> dict[str, Any]:
        return self.post("/sandbox/faults", knobs)

    def token(self) -> str:
        r = self.http.post("/api/auth/login", json={"email": self.creds["admin_email"],
                                                     "password": self.creds["admin_password"]})
        return r.json()["access_token"]

    def close(self) -> None:
        self.http.close()
        self.server.stop()


class Watch:
    """`zavera-desktop watch --json` in its own process; every stdout line timestamped on arrival."""

    def __init__(self, sandbox: Sandbox, *extra: str, db: Path | None = None) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="zavera-bench-")
        db = db or Path(self.tmp.name) / "bench.db"
        env = {**os.environ, "ZB_PW": sandbox.creds["admin_password"], "ZAVERA_LOG_FILE": "none",
               "ZAVERA_LOG_LEVEL": "WARNING", "NO_PROXY": "127.0.0.1,localhost"}
        cmd = [sys.executable, "-m", "zavera_desktop", "watch", "--backend", sandbox.url, "--email",
               sandbox.creds["admin_email"], "--password-env", "ZB_PW", "--db", str(db), "--json", *extra]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
        self.lines: list[tuple[float, dict[str, Any]]] = []
        self.payment_at: dict[str, float] = {}
        self.payment_by: dict[str, str] = {}
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            now = time.perf_counter()
            line = json.loads(raw)
            with self._cond:
                self.lines.append((now, line))
                if line.get("event") == "payment":
                    self.payment_at.setdefault(line["order_code"], now)
                    self.payment_by.setdefault(line["order_code"], line["detected_by"])
                self._cond.notify_all()

    def wait(self, predicate: Any, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def states(self) -> list[str]:
        with self._cond:
            return [line["state"] for _, line in self.lines if line.get("event") == "connection"]

    def peak_rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.tmp.cleanup()


class BareReader:
    """The floor: raw httpx streaming of /api/admin/events, splitting lines and nothing else."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.seen_at: dict[str, float] = {}
        self._token = sandbox.token()
        self._url = sandbox.url
        self._stop = threading.Event()
        self.connected = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "text/event-stream"}
        try:
            with httpx.Client(trust_env=False, timeout=httpx.Timeout(10, read=None)) as client, \
                    client.stream("GET", self._url + "/api/admin/events", headers=headers) as response:
                self.connected.set()
                for line in response.iter_lines():
                    if self._stop.is_set():
                        return
                    if line.startswith("data:") and '"payment_received"' in line:
                        now = time.perf_counter()
                        start = line.find('"order_code":"') + len('"order_code":"')
                        code = line[start:line.find('"', start)]
                        self.seen_at.setdefault(code, now)
        except httpx.HTTPError:
            return  # the sandbox stopped at the end of the benchmark

    def close(self) -> None:
        self._stop.set()
