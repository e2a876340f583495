"""Command-line options shared by ``watch``, ``gui`` and the admin-action commands.

One place defines the connection and tuning options, so every command that talks to a backend
spells them the same way and turns them into the same settings and credentials.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from datetime import UTC, datetime

from zavera_desktop.backend.client import Credentials
from zavera_desktop.backend.midtrans import MIDTRANS_BASE_URLS, MidtransAccess
from zavera_desktop.config import EngineSettings, load_zone
from zavera_desktop.logging_setup import register_secret

#: the tuning options and their defaults (``gui`` leaves them unset so saved settings can apply)
TUNING_DEFAULTS = {
    "poll_interval": 15.0,
    "verify_interval": 60.0,
    "verify_after": 120.0,
    "read_timeout": 75.0,
    "lookback_days": 3,
    "tz": "Asia/Jakarta",
    "check_rate": 1.0,
}


def positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be greater than 0")
    return value


def non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 day")
    return value


def zone(text: str) -> str:
    try:
        load_zone(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def add_connection_options(p: argparse.ArgumentParser, *, required: bool = True, with_defaults: bool = True) -> None:
    """``--backend``, the login options, ``--db`` and the tuning options of ``watch``.

    With ``required=False`` (``gui``) nothing is mandatory; with ``with_defaults=False`` unset
    options stay ``None`` so the caller can tell "given" from "default".
    """
    def default(name: str) -> object:
        return TUNING_DEFAULTS[name] if with_defaults else None

    p.add_argument("--backend", required=required, metavar="URL",
                   help="the shop backend, e.g. https://api.shop.id")
    auth = p.add_mutually_exclusive_group(required=required)
    auth.add_argument("--token-env", metavar="VAR", help="read an admin token (JWT) from this environment variable")
    auth.add_argument("--email", metavar="E", help="admin e-mail (with --password-env)")
    p.add_argument("--password-env", metavar="VAR", help="read the admin password from this environment variable")
    p.add_argument("--db", metavar="PATH", help="local database (file path or SQLAlchemy URL)")
    p.add_argument("--poll-interval", type=positive, default=default("poll_interval"), metavar="S",
                   help="reconcile every S seconds while the stream is down (default 15)")
    p.add_argument("--verify-interval", type=positive, default=default("verify_interval"), metavar="S",
                   help="check a young pending payment with Midtrans every S seconds (default 60)")
    p.add_argument("--verify-after", type=non_negative, default=default("verify_after"), metavar="S",
                   help="first check a pending payment S seconds after checkout (default 120)")
    p.add_argument("--read-timeout", type=positive, default=default("read_timeout"), metavar="S",
                   help="reconnect when the stream is silent this long (default 75)")
    p.add_argument("--lookback-days", type=days, default=default("lookback_days"), metavar="N",
                   help="how many days of orders reconcile reads (default 3)")
    p.add_argument("--tz", type=zone, default=default("tz"), metavar="ZONE",
                   help="the shop's time zone for zone-less backend times (default Asia/Jakarta)")
    p.add_argument("--check-rate", type=positive, default=None if not with_defaults else TUNING_DEFAULTS["check_rate"],
                   metavar="R", help="at most R /core/check calls per second from verify (default 1)")
    p.add_argument("--reconnect-min", type=positive, default=1.0, metavar="S", help=argparse.SUPPRESS)
    p.add_argument("--ignore-server-retry", action="store_true", help=argparse.SUPPRESS)


def credentials_from_args(args: argparse.Namespace,
                          parser: argparse.ArgumentParser) -> tuple[str | None, Credentials | None]:
    """The token or e-mail + password named by the options; secrets come from the environment only."""
    if args.token_env:
        token = os.environ.get(args.token_env, "").strip()
        if not token:
            parser.error(f"--token-env: the environment variable {args.token_env} is empty or not set")
        if token.lower().startswith("bearer "):
            token = token[7:].strip()
        register_secret(token)
        return token, None
    if not args.email:
        parser.error("give --email E --password-env VAR, or --token-env VAR")
    if not args.password_env:
        parser.error("--email needs --password-env VAR (the password is never taken on the command line)")
    password = os.environ.get(args.password_env, "")
    if not password:
        parser.error(f"--password-env: the environment variable {args.password_env} is empty or not set")
    register_secret(password)
    return None, Credentials(args.email, password)


def settings_from_args(args: argparse.Namespace, parser: argparse.ArgumentParser,
                       base: EngineSettings | None = None) -> EngineSettings:
    """Engine settings from the options; options left unset (``None``) keep ``base``'s values."""
    values = {
        "backend_url": args.backend.rstrip("/") if args.backend else None,
        "timezone": args.tz,
        "poll_interval": args.poll_interval,
        "verify_interval": args.verify_interval,
        "verify_after": args.verify_after,
        "read_timeout": args.read_timeout,
        "lookback_days": args.lookback_days,
        "check_rate": args.check_rate,
        "midtrans_rate": getattr(args, "midtrans_rate", None),
    }
    given = {k: v for k, v in values.items() if v is not None}
    given.update(reconnect_min=args.reconnect_min, honour_server_retry=not args.ignore_server_retry)
    if base is not None:
        settings = replace(base, **given)
    elif "backend_url" in given:
        settings = EngineSettings(**given)
    else:
        parser.error("--backend URL is required")
    try:
        settings.validate()
    except ValueError as exc:
        parser.error(str(exc))
    return settings


def add_midtrans_options(p: argparse.ArgumentParser, *, required: bool = False) -> None:
    """Where Midtrans is and which environment variable holds the server key (never the key itself)."""
    where = p.add_mutually_exclusive_group(required=required)
    where.add_argument("--midtrans-env", choices=sorted(MIDTRANS_BASE_URLS),
                       help="Midtrans environment: sandbox (api.sandbox.midtrans.com) or production")
    where.add_argument("--midtrans-url", metavar="URL",
                       help="a custom Midtrans base URL, e.g. the embedded sandbox's http://127.0.0.1:8080/midtrans")
    p.add_argument("--server-key-env", metavar="VAR",
                   help="read the Midtrans server key from this environment variable")
    p.add_argument("--midtrans-rate", type=positive, default=None, metavar="R",
                   help="at most R direct Midtrans look-ups per second (default 10)")


def midtrans_from_args(args: argparse.Namespace, parser: argparse.ArgumentParser, *,
                       required: bool = False) -> MidtransAccess | None:
    """The Midtrans access named by the options, or None when not configured (and not required)."""
    where = args.midtrans_env or args.midtrans_url
    if not where and not args.server_key_env:
        if required:
            parser.error("give --midtrans-env sandbox|production (or --midtrans-url URL) and --server-key-env VAR")
        return None
    if not where:
        parser.error("--server-key-env needs --midtrans-env sandbox|production or --midtrans-url URL")
    if not args.server_key_env:
        parser.error("--midtrans-env/--midtrans-url needs --server-key-env VAR (the key is never taken on the "
                     "command line)")
    key = os.environ.get(args.server_key_env, "").strip()
    if not key:
        parser.error(f"--server-key-env: the environment variable {args.server_key_env} is empty or not set")
    register_secret(key)
    if args.midtrans_url:
        url = args.midtrans_url.rstrip("/")
        if not url.startswith(("http://", "https://")):
            parser.error(f"--midtrans-url must start with http:// or https:// (got {url!r})")
        return MidtransAccess(url, key, "custom")
    return MidtransAccess.for_environment(args.midtrans_env, key)


def since_from_args(text: str | None, tz_name: str, parser: argparse.ArgumentParser) -> datetime | None:
    """``--since`` as an aware UTC time; a date or time without a zone is in the shop's zone."""
    if not text:
        return None
    try:
        since = datetime.fromisoformat(text)
    except ValueError:
        parser.error(f"--since: {text!r} is not an ISO date or time (e.g. 2026-11-27 or 2026-11-27T08:00)")
    if since.tzinfo is None:
        since = since.replace(tzinfo=load_zone(tz_name))
    return since.astimezone(UTC)
