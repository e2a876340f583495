"""``zavera-desktop check``, ``replay`` and ``actions``: the admin actions without a window.

``check`` and ``replay`` run the engine's own code (``engine/actions.py``) through the one-shot runner
(``engine/oneshot.py``): the same re-read, rate limiting, words and audit rows as the window, minus
the stream and the background loops. ``actions`` prints the audit log.

Exit codes: 0 the order is paid afterwards (or a dry run printed its payload); 1 the action ran and the
order is still not paid, the backend rejected the notification, or the action could not finish
(network, server); 2 usage or configuration (unknown order, missing or refused Midtrans key, unknown
Midtrans id, no terminal to confirm on); 3 the admin login failed or the account is not the admin.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TextIO

from zavera_desktop.backend.errors import (
    AuthError,
    ForbiddenError,
    MidtransAuthError,
    MidtransNotFoundError,
    NotFoundError,
    ZaveraError,
)
from zavera_desktop.cli_options import (
    add_connection_options,
    add_midtrans_options,
    credentials_from_args,
    midtrans_from_args,
    settings_from_args,
    since_from_args,
    zone,
)
from zavera_desktop.config import EngineSettings, default_db_path, load_zone
from zavera_desktop.engine.action_types import (
    ActionError,
    ActionProgress,
    CheckActionOutcome,
    OutcomeKind,
    ReplayOutcome,
    ReplayPreview,
)
from zavera_desktop.engine.oneshot import OneShot, one_shot
from zavera_desktop.engine.replay import AlreadyPaid, check_webhook_url, default_webhook_url
from zavera_desktop.exit_codes import EXIT_AUTH, EXIT_ERROR, EXIT_OK, EXIT_USAGE
from zavera_desktop.store import Store, StoreError
from zavera_desktop.store.audit import ACTION_KINDS, STATUS_CHECK, AuditFilter, read_actions

CHECK_EPILOG = """\
example:
  ZAVERA_PASSWORD=… zavera-desktop check ZVR-20260122-26A6A050 \\
      --backend https://api.shop.id --email admin@shop.id --password-env ZAVERA_PASSWORD --json

The backend asks Midtrans (POST /api/payments/core/check). An order already paid is not checked
again. Exit 0 when the order is paid afterwards, 1 when it is not, 2 unknown order, 3 login failed.
"""

REPLAY_EPILOG = """\
example:
  MIDTRANS_SERVER_KEY=… ZAVERA_PASSWORD=… zavera-desktop replay ZVR-20260122-26A6A050 \\
      --backend https://api.shop.id --email admin@shop.id --password-env ZAVERA_PASSWORD \\
      --midtrans-env production --server-key-env MIDTRANS_SERVER_KEY --dry-run

Asks Midtrans for the payment's status, rebuilds the notification Midtrans would have sent (signed
with the server key; the key itself is never sent or stored), shows it and asks before posting it to
the backend's Core webhook. Without --yes it asks on the terminal (production: type the order code)
and refuses when stdin is not a terminal. When the backend shows no Midtrans transaction id, give
the Midtrans order id (e.g. ZVR-20260122-26A6A050-1769050000-a1b2, in the Midtrans dashboard) with
--transaction-id.
"""

ACTIONS_EPILOG = """\
example:
  zavera-desktop actions --order ZVR-20260122-26A6A050
  zavera-desktop actions --action replay --outcome rejected --since 2026-01-22 --json
"""

#: what ``--action`` accepts → the audit log's action names
ACTION_NAMES = {"check": STATUS_CHECK, **{kind: kind for kind in ACTION_KINDS}}


def _epilog(p: argparse.ArgumentParser, text: str) -> None:
    p.epilog = text
    p.formatter_class = argparse.RawDescriptionHelpFormatter


def add_check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_code", metavar="ORDER_CODE", help="the order, e.g. ZVR-20260122-26A6A050")
    add_connection_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object: action, order_code, outcome, "
                                                       "backend_status, message")
    _epilog(p, CHECK_EPILOG)


def add_replay_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_code", metavar="ORDER_CODE", help="the order, e.g. ZVR-20260122-26A6A050")
    add_connection_options(p)
    add_midtrans_options(p)
    p.add_argument("--webhook-url", metavar="URL",
                   help="the backend's Core webhook (default {backend}/api/webhook/midtrans/core); must be on the "
                        "backend's own origin")
    p.add_argument("--transaction-id", metavar="ID",
                   help="the Midtrans order id or transaction id to ask Midtrans about, when the backend shows "
                        "none (Midtrans dashboard → Transactions)")
    p.add_argument("--dry-run", action="store_true", help="ask Midtrans and print the notification; send nothing")
    p.add_argument("--yes", action="store_true", help="send without asking (also confirms a production replay)")
    p.add_argument("--json", action="store_true", help="print one JSON object: action, order_code, outcome, "
                                                       "backend_status, message (and payload for a dry run)")
    _epilog(p, REPLAY_EPILOG)


def add_actions_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH", help="local database (file path or SQLAlchemy URL)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--order", metavar="ORDER_CODE", help="only this order")
    p.add_argument("--action", choices=sorted(ACTION_NAMES), help="only this kind of action")
    p.add_argument("--outcome", metavar="OUTCOME",
                   help="only this outcome: paid, pending, cancelled, failed, rejected, dry_run or error")
    p.add_argument("--since", metavar="ISO", help="only actions at or after this date or time")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N entries, newest first (default 50)")
    p.add_argument("--tz", type=zone, default="Asia/Jakarta", metavar="ZONE", help="time zone of the times shown")
    _epilog(p, ACTIONS_EPILOG)


def run(command: str, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if command == "actions":
        return _list_actions(args, parser)
    token, credentials = credentials_from_args(args, parser)
    settings = settings_from_args(args, parser)
    code = args.order_code.strip().upper()
    out = _Output(command, code, as_json=args.json)
    if command == "check":
        action: Callable[[OneShot], Coroutine[Any, Any, int]] = lambda shot: _check(shot, code, out)  # noqa: E731
        midtrans = webhook_url = None
    else:
        midtrans = midtrans_from_args(args, parser, required=True)
        webhook_url = _webhook_url(args, settings, parser)
        if not (args.yes or args.dry_run) and not sys.stdin.isatty():
            parser.error("replay: stdin is not a terminal, so the replay cannot be confirmed; add --yes to send "
                         "it (or --dry-run to only see it)")
        action = lambda shot: _replay(shot, code, args, out)  # noqa: E731
    try:
        store = Store.open(args.db or default_db_path())
    except StoreError as exc:
        return out.error(f"zavera-desktop: {exc}", EXIT_ERROR)
    try:
        return asyncio.run(_with_engine(settings, store, token, credentials, midtrans, webhook_url, action, out))
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    finally:
        store.close()


def _webhook_url(args: argparse.Namespace, settings: EngineSettings, parser: argparse.ArgumentParser) -> str:
    url = args.webhook_url or default_webhook_url(settings.backend_url)
    try:
        return check_webhook_url(url, settings.backend_url)
    except ActionError as exc:
        parser.error(f"--webhook-url: {exc}")
        raise AssertionError("unreachable") from None  # parser.error exits


async def _with_engine(settings: EngineSettings, store: Store, token: str | None, credentials: Any, midtrans: Any,
                       webhook_url: str | None, action: Callable[[OneShot], Coroutine[Any, Any, int]],
                       out: _Output) -> int:
    try:
        async with one_shot(settings, store, token=token, credentials=credentials, midtrans=midtrans,
                            webhook_url=webhook_url) as shot:
            return await action(shot)
    except AlreadyPaid as exc:  # a replay on an order that is paid: nothing to do, and the order is paid
        return out.result(OutcomeKind.PAID, str(exc.params.get("status", "")), str(exc), EXIT_OK)
    except (AuthError, ForbiddenError) as exc:
        return out.error(str(exc), EXIT_AUTH)
    except (NotFoundError, ActionError, MidtransAuthError, MidtransNotFoundError) as exc:
        return out.error(str(exc), EXIT_USAGE)
    except ZaveraError as exc:
        return out.error(str(exc), EXIT_ERROR)


class _Output:
    """Human lines on stdout (progress and previews on stderr), or exactly one JSON object on stdout."""

    def __init__(self, action: str, order_code: str, *, as_json: bool) -> None:
        self.action = action
        self.order_code = order_code
        self.json = as_json
        self.notes: TextIO = sys.stderr if as_json else sys.stdout

    def progress(self, event: ActionProgress) -> None:
        if event.stage == "waiting":
            why = ("the backend refused a check made a moment ago by this account elsewhere (429)"
                   if event.why == "rate_limited" else "the backend allows one check per payment every 5 s")
            print(f"Waiting {event.wait_seconds:.0f} s: {why}…", file=sys.stderr, flush=True)

    def outcome(self, outcome: CheckActionOutcome | ReplayOutcome) -> int:
        code = EXIT_OK if outcome.outcome in (OutcomeKind.PAID, OutcomeKind.DRY_RUN) else EXIT_ERROR
        if self.json:
            print(json.dumps(outcome.to_json(), ensure_ascii=False), flush=True)
            return code
        print(f"{outcome.order_code}: {outcome.outcome.value} — {outcome.explanation}")
        if outcome.backend_status:
            print(f"The backend now shows the order as {outcome.backend_status}.")
        return code

    def result(self, kind: OutcomeKind, backend_status: str, message: str, code: int) -> int:
        if self.json:
            print(json.dumps({"action": self.action, "order_code": self.order_code, "outcome": kind.value,
                              "backend_status": backend_status or None, "message": message}, ensure_ascii=False))
        else:
            print(f"{self.order_code}: {kind.value} — {message}")
        return code

    def error(self, message: str, code: int) -> int:
        if self.json:
            return self.result(OutcomeKind.ERROR, "", message, code)
        print(f"zavera-desktop {self.action}: {message}", file=sys.stderr)
        return code


async def _check(shot: OneShot, code: str, out: _Output) -> int:
    return out.outcome(await shot.actions.check(code, shot.actor, progress=out.progress))


async def _replay(shot: OneShot, code: str, args: argparse.Namespace, out: _Output) -> int:
    preview = await shot.actions.replay_preview(code, shot.actor, args.transaction_id)
    if not (args.dry_run and args.json):
        _show_preview(preview, out.notes if not args.dry_run else sys.stdout)
    if args.dry_run:
        return out.outcome(await shot.actions.replay_send(preview, shot.actor, dry_run=True))
    confirmation: str | None = code
    if not args.yes:
        # on this thread, blocking: nothing else runs in a one-shot command, and Ctrl-C must reach input()
        confirmation = _ask(preview)
        if confirmation is None:
            return out.result(OutcomeKind.ERROR, preview.order_status, "Not sent: the replay was not confirmed.",
                              EXIT_ERROR)
    return out.outcome(await shot.actions.replay_send(preview, shot.actor, confirmation=confirmation))


def _show_preview(preview: ReplayPreview, stream: TextIO) -> None:
    source = {"order_detail": "from the order detail", "admin": "as given"}.get(preview.id_source, preview.id_source)
    lines = [
        f"Replay for {preview.order_code} (the backend shows it {preview.order_status})",
        f"  Midtrans ({preview.environment}, {preview.midtrans_url}) says: {preview.transaction_status} "
        f"[asked about {preview.midtrans_id}, {source}]",
        f"  Will POST to: {preview.webhook_url}",
        "  Notification (signature masked):",
        *("    " + line for line in json.dumps(preview.masked_payload, indent=2, ensure_ascii=False).splitlines()),
    ]
    lines += [f"  Warning: {text}" for _code, text in preview.warnings]
    print("\n".join(lines), file=stream, flush=True)


def _ask(preview: ReplayPreview) -> str | None:
    """The admin's confirmation on the terminal: the typed order code, or None for "no"."""
    try:
        if preview.needs_typed_confirmation:
            typed = input(f"This goes to PRODUCTION. Type the order code {preview.order_code} to send it: ")
            return typed if typed.strip().upper() == preview.order_code else None
        answer = input("Send it? [y/N] ")
    except EOFError:
        return None
    return preview.order_code if answer.strip().lower() in ("y", "yes") else None


# --- the audit log ---------------------------------------------------------------------------------


def _list_actions(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    tz = load_zone(args.tz)
    since = since_from_args(args.since, args.tz, parser)
    if args.limit < 1:
        parser.error("--limit must be at least 1")
    if not args.db and not default_db_path().exists():
        print("No actions yet: the local database does not exist.", file=sys.stderr)
        return EXIT_OK
    try:
        store = Store.open(args.db or default_db_path())
    except StoreError as exc:
        print(f"zavera-desktop: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        flt = AuditFilter(order_code=args.order, actions=[ACTION_NAMES[args.action]] if args.action else (),
                          outcomes=[args.outcome] if args.outcome else (), since=since)
        entries = read_actions(store, flt, limit=args.limit)
    finally:
        store.close()
    for e in entries:
        if args.json:
            print(json.dumps(e.to_json(), ensure_ascii=False))
            continue
        when = e.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")
        what = e.explanation or (e.response or {}).get("error", "")
        print(f"{when}  #{e.id:<5} {e.actor:<24} {e.action:<12} {e.order_code or '-':<22} {e.outcome:<10} {what}")
    if not args.json:
        print(f"{len(entries)} action(s)", file=sys.stderr)
    return EXIT_OK
