"""``zavera-desktop sandbox``: run the sandbox in the foreground until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from typing import Any, TextIO

from zavera_desktop.sandbox.config import SandboxConfig
from zavera_desktop.sandbox.server import SandboxServer

log = logging.getLogger("zavera_desktop.sandbox.cli")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = SandboxConfig()
    parser.add_argument("--host", default=defaults.host, help="address to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=defaults.port, help="0 picks a free port (default %(default)s)")
    parser.add_argument("--db", default=defaults.db, metavar="PATH|:memory:", help="SQLite file, or :memory:")
    parser.add_argument("--keepalive", type=float, default=defaults.keepalive, metavar="S",
                        help="seconds between SSE keepalive comments (default %(default)s)")
    parser.add_argument("--jwt-expiry", type=float, default=defaults.jwt_expiry, metavar="S",
                        help="token lifetime in seconds (default %(default)s)")
    parser.add_argument("--traffic", type=float, default=defaults.traffic, metavar="RATE",
                        help="demo orders per minute, 0 = off (default %(default)s)")
    parser.add_argument("--drop-webhooks", type=float, default=defaults.drop_webhooks, metavar="F",
                        help="fraction of paid demo orders whose webhook is lost (default %(default)s)")
    parser.add_argument("--seed", type=int, default=None, help="seed for reproducible demo traffic")
    parser.add_argument("--timezone", default=defaults.timezone, metavar="ZONE",
                        help="shop-local time zone (default %(default)s)")
    parser.add_argument("--admin-email", default=defaults.admin_email)
    parser.add_argument("--admin-password", default=None, help="random unless given (or remembered in --db)")
    parser.add_argument("--user-email", default=defaults.user_email)
    parser.add_argument("--user-password", default=None, help="random unless given (or remembered in --db)")
    parser.add_argument("--server-key", default=None, help="Midtrans server key; random unless given")
    parser.add_argument("--json", action="store_true",
                        help="first stdout line: one JSON object with url and credentials")
    parser.add_argument("--access-log", action="store_true", help="log every HTTP request")


def _config(args: argparse.Namespace) -> SandboxConfig:
    if not 0.0 <= args.drop_webhooks <= 1.0:
        raise ValueError("--drop-webhooks must be between 0 and 1")
    if args.keepalive <= 0 or args.jwt_expiry <= 0 or args.traffic < 0:
        raise ValueError("--keepalive and --jwt-expiry must be > 0, --traffic >= 0")
    return SandboxConfig(
        host=args.host,
        port=args.port,
        db=args.db,
        keepalive=args.keepalive,
        jwt_expiry=args.jwt_expiry,
        traffic=args.traffic,
        drop_webhooks=args.drop_webhooks,
        seed=args.seed,
        timezone=args.timezone,
        admin_email=args.admin_email,
        admin_password=args.admin_password,
        user_email=getattr(args, "user_email", SandboxConfig.user_email),
        user_password=getattr(args, "user_password", None),
        server_key=args.server_key,
        access_log=getattr(args, "access_log", False),
    )


def _setup_logging(access_log: bool) -> None:
    if not logging.getLogger().handlers:  # the desktop CLI may have configured logging already
        logging.basicConfig(
            level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    # Only the sandbox runs in this process: a line per webhook POST it makes to itself is noise.
    for noisy in ("httpx", "httpcore") if access_log else ("uvicorn", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _describe(creds: dict[str, str], cfg: SandboxConfig, out: TextIO) -> None:
    url = creds["url"]
    login = json.dumps({"email": creds["admin_email"], "password": creds["admin_password"]})
    print(f"Zavera sandbox running at {url}", file=out)
    print(f"  admin:    {creds['admin_email']}  password: {creds['admin_password']}", file=out)
    print(f"  customer: {creds['user_email']}  password: {creds['user_password']}", file=out)
    print(f"  Midtrans server key: {creds['server_key']}", file=out)
    print(f"  Midtrans simulator:  {url}/midtrans/v2/<order_id>/status", file=out)
    print(f"  control API:         {url}/sandbox/state  (see docs/sandbox.md)", file=out)
    if cfg.traffic > 0:
        print(f"  demo traffic: {cfg.traffic:g} orders/min, {cfg.drop_webhooks:.0%} of webhooks dropped", file=out)
    print("Try:", file=out)
    print(f"  TOKEN=$(curl -s -X POST {url}/api/auth/login -H 'Content-Type: application/json' \\", file=out)
    print(f"          -d '{login}' | python3 -c 'import sys,json; print(json.load(sys.stdin)[\"access_token\"])')",
          file=out)
    print(f'  curl -N -H "Authorization: Bearer $TOKEN" {url}/api/admin/events', file=out)
    print("Press Ctrl-C to stop.", file=out, flush=True)


def _wait_for_signal() -> None:
    stop = threading.Event()

    def handle(signum: int, frame: Any) -> None:
        stop.set()

    previous = {}
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, handle)
    except ValueError:  # not the main thread: Ctrl-C arrives as KeyboardInterrupt instead
        pass
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C/SIGTERM; returns the process exit code."""
    try:
        cfg = _config(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _setup_logging(cfg.access_log)
    server = SandboxServer(cfg)
    try:
        server.start()
    except (OSError, RuntimeError, ValueError) as exc:
        print(f"error: cannot start the sandbox: {exc}", file=sys.stderr)
        return 1
    try:
        creds = server.credentials
        if args.json:
            print(json.dumps(creds), flush=True)
            _describe(creds, cfg, sys.stderr)
        else:
            _describe(creds, cfg, sys.stdout)
        _wait_for_signal()
    finally:
        server.stop()
    log.info("sandbox stopped")
    return 0
