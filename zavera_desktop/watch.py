"""``zavera-desktop watch``: the engine, headless, printing each new payment exactly once.

Also ``demo``: the same watcher against the embedded sandbox with demo traffic (the default
command until the GUI exists).
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from zavera_desktop.backend.client import Credentials
from zavera_desktop.cli_options import credentials_from_args, midtrans_from_args, settings_from_args
from zavera_desktop.config import EngineSettings, default_db_path, load_zone
from zavera_desktop.domain import ChangeBatch, ConnectionStatus, HealthAlert, Payment, format_rupiah, method_label
from zavera_desktop.engine import Engine
from zavera_desktop.exit_codes import EXIT_AUTH, EXIT_ERROR, EXIT_OK
from zavera_desktop.logging_setup import register_secret
from zavera_desktop.store import Store, StoreError

log = logging.getLogger(__name__)


def payment_line(p: Payment, tz: ZoneInfo) -> str:
    """One payment as a human-readable line (shop-local time, ``Rp 717.000``)."""
    when = (p.paid_at or p.detected_at).astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
    amount = format_rupiah(p.amount) if p.amount is not None else "Rp ?"
    method = method_label(p.payment_method) or "-"
    return f"{when}  {p.order_code}  {amount:>14}  {method:<12} {p.customer or '-':<22} found by {p.detected_by.value}"


class Printer:
    """Writes payment and connection lines; flushes each batch so a kill loses no printed line."""

    def __init__(self, out: TextIO, *, as_json: bool, tz_name: str) -> None:
        if hasattr(out, "reconfigure"):
            out.reconfigure(errors="replace")  # a C-locale terminal must not kill the watcher
        self._out = out
        self._json = as_json
        self._tz = load_zone(tz_name)
        self._lock = threading.Lock()
        self.broken = threading.Event()

    def __call__(self, batch: ChangeBatch) -> None:
        lines = [self._payment(p) for p in batch.new_payments]
        if batch.connection is not None:
            lines.append(self._connection(batch.connection))
        # payment health: raised and cleared alerts (an "updated" one only refreshes its evidence)
        lines.extend(self._alert(a) for a in batch.alerts if a.change != "updated")
        if not lines:
            return
        with self._lock:
            try:
                self._out.write("".join(line + "\n" for line in lines))
                self._out.flush()
            except (BrokenPipeError, ValueError, OSError):
                self.broken.set()
                raise

    def _payment(self, p: Payment) -> str:
        if self._json:
            return json.dumps(p.to_json(), ensure_ascii=False)
        return "💰 " + payment_line(p, self._tz)

    def _alert(self, alert: HealthAlert) -> str:
        if self._json:
            return json.dumps(alert.to_json(), ensure_ascii=False)
        about = f" {alert.order_code}" if alert.order_code else ""
        if not alert.is_open:
            return f"✓ cleared: {alert.kind.value}{about}: {alert.cleared_reason}"
        amount = f" {format_rupiah(alert.amount)}" if alert.amount is not None else ""
        return f"⚠ {alert.kind.value}{about}{amount}: {alert.detail}\n   → {alert.fix}"

    def _connection(self, status: ConnectionStatus) -> str:
        if self._json:
            return json.dumps({"event": "connection", "state": status.state.value, "detail": status.detail},
                              ensure_ascii=False)
        extra = f" (attempt {status.attempt})" if status.attempt else ""
        return f"-- {status.state.value}{extra}: {status.detail}" if status.detail else f"-- {status.state.value}"


def _run_engine(engine: Engine, printer: Printer, *, stop_event: threading.Event) -> int:
    """Run until a signal, a fatal auth state, or a broken stdout."""
    engine.subscribe(printer)
    engine.start()
    while not stop_event.is_set():
        if engine.status.state.is_fatal or printer.broken.is_set() or engine.wait_finished(0):
            break
        stop_event.wait(0.1)
    fatal = engine.status.state.is_fatal
    died = engine.wait_finished(0)
    engine.stop(timeout=1.5)
    if fatal:
        print(f"zavera-desktop: {engine.status.detail}", file=sys.stderr)
        return EXIT_AUTH
    if died and not stop_event.is_set():
        print("zavera-desktop: the engine stopped unexpectedly; see the log", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _install_signals(stop_event: threading.Event) -> None:
    def handler(signum: int, _frame: object) -> None:
        stop_event.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def run_watch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    token, credentials = credentials_from_args(args, parser)
    settings = settings_from_args(args, parser)
    midtrans = midtrans_from_args(args, parser)
    try:
        store = Store.open(args.db or default_db_path())
    except StoreError as exc:
        print(f"zavera-desktop: {exc}", file=sys.stderr)
        return EXIT_ERROR
    stop_event = threading.Event()
    _install_signals(stop_event)
    printer = Printer(sys.stdout, as_json=args.json, tz_name=args.tz)
    engine = Engine(settings, store, token=token, credentials=credentials, midtrans=midtrans)
    try:
        return _run_engine(engine, printer, stop_event=stop_event)
    finally:
        store.close()


def run_demo(args: argparse.Namespace) -> int:
    """The embedded sandbox with demo traffic, watched by the engine in this same process."""
    from zavera_desktop.sandbox import SandboxConfig, SandboxServer

    if args.log_level != "DEBUG":  # the demo's own server chatter is not what the admin came to see
        for name in ("zavera_desktop.sandbox", "uvicorn", "uvicorn.error"):
            logging.getLogger(name).setLevel(logging.WARNING)
    stop_event = threading.Event()
    _install_signals(stop_event)
    server = SandboxServer(SandboxConfig(port=0, traffic=args.traffic, drop_webhooks=args.drop_webhooks))
    server.start()
    creds = server.credentials
    register_secret(creds["admin_password"])
    register_secret(creds["server_key"])
    print(f"Zavera sandbox running at {creds['url']} with {args.traffic:g} demo orders per minute "
          f"({args.drop_webhooks:.0%} of webhooks lost).", file=sys.stderr)
    print("Watching it; every payment appears once, with the source that found it. Ctrl-C stops.",
          file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="zavera-demo-") as tmp:
        store = Store.open(Path(tmp) / "demo.db")
        settings = EngineSettings(backend_url=creds["url"], poll_interval=5.0, verify_interval=15.0,
                                  verify_after=20.0)
        engine = Engine(settings, store, credentials=Credentials(creds["admin_email"], creds["admin_password"]))
        printer = Printer(sys.stdout, as_json=args.json, tz_name="Asia/Jakarta")
        try:
            return _run_engine(engine, printer, stop_event=stop_event)
        finally:
            store.close()
            server.stop()
