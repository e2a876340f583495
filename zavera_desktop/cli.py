"""The ``zavera-desktop`` command: subcommands and argument checking.

Exit codes: 0 fine; 2 bad arguments (with a message); 3 the account is not the shop admin or the
login failed for good; 1 anything else that stopped the command.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence

from zavera_desktop import __version__
from zavera_desktop.cli_options import (
    add_connection_options,
    add_midtrans_options,
    non_negative,
    positive,
    since_from_args,
    zone,
)
from zavera_desktop.exit_codes import EXIT_ERROR, EXIT_OK, EXIT_USAGE


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on bad arguments already; this only makes the message friendlier."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


# the example at the end of each command's --help (commands that set their own epilog keep it)
EXAMPLES = {
    "": "examples:\n  zavera-desktop --selftest       # check this installation (no network) and exit\n"
        "  zavera-desktop gui              # open the window\n"
        "  zavera-desktop watch --help     # every command's --help ends with an example",
    "demo": "examples:\n  zavera-desktop                  # the demo in a window (the default command)\n"
            "  zavera-desktop demo --headless --traffic 30 --drop-webhooks 0.5",
    "sandbox": "example:\n  zavera-desktop sandbox --port 8080 --traffic 6   # prints its URL, the admin's password "
               "and the server key",
    "watch": "example:\n  ZAVERA_PASSWORD=… zavera-desktop watch --backend https://api.shop.id \\\n"
             "      --email admin@shop.id --password-env ZAVERA_PASSWORD --json",
    "gui": "examples:\n  zavera-desktop gui              # the saved login (first run: the login window)\n"
           "  ZAVERA_TOKEN=… zavera-desktop gui --backend https://api.shop.id --token-env ZAVERA_TOKEN",
    "doctor": "example:\n  ZAVERA_PASSWORD=… zavera-desktop doctor --backend https://api.shop.id \\\n"
              "      --email admin@shop.id --password-env ZAVERA_PASSWORD",
    "payments": "example:\n  zavera-desktop payments --since 2026-11-27 --json",
}


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--log-level", default=os.environ.get("ZAVERA_LOG_LEVEL", "INFO"),
                   choices=["DEBUG", "INFO", "WARNING", "ERROR"], help="log verbosity (stderr and log file)")
    p.add_argument("--log-file", default=os.environ.get("ZAVERA_LOG_FILE", "default"),
                   help="log file path, 'default' (the user log dir) or 'none'")


def _demo_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--traffic", type=positive, default=12.0, help="demo orders per minute (default 12)")
    p.add_argument("--drop-webhooks", type=non_negative, default=0.3,
                   help="fraction of webhooks the simulated Midtrans loses (default 0.3)")
    p.add_argument("--json", action="store_true", help="one JSON object per line (implies --headless)")
    p.add_argument("--headless", action="store_true", help="print payments in the terminal instead of a window")


def _sandbox_arguments(p: argparse.ArgumentParser) -> None:
    from zavera_desktop.sandbox.cli import add_arguments

    add_arguments(p)


def _watch_arguments(p: argparse.ArgumentParser) -> None:
    add_connection_options(p)
    add_midtrans_options(p)
    p.add_argument("--json", action="store_true", help="one JSON object per line on stdout")


def _gui_arguments(p: argparse.ArgumentParser) -> None:
    add_connection_options(p, required=False, with_defaults=False)
    p.add_argument("--data-dir", metavar="DIR", help=argparse.SUPPRESS)


def _action_arguments(name: str) -> Callable[[argparse.ArgumentParser], None]:
    def add(p: argparse.ArgumentParser) -> None:
        from zavera_desktop import actions_cli

        getattr(actions_cli, f"add_{name}_arguments")(p)

    return add


def _doctor_arguments(p: argparse.ArgumentParser) -> None:
    from zavera_desktop import doctor as doctor_cli

    doctor_cli.add_arguments(p)


def _payments_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH", help="local database (file path or SQLAlchemy URL)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--since", metavar="ISO", help="only payments detected at or after this time")
    p.add_argument("--tz", type=zone, default="Asia/Jakarta", metavar="ZONE")


#: every subcommand: its one-line help and what adds its arguments
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "demo": ("run the embedded sandbox with demo traffic and watch it (the default)", _demo_arguments),
    "sandbox": ("run the Zavera-compatible sandbox backend + Midtrans simulator", _sandbox_arguments),
    "watch": ("watch a backend headless and print every new payment once", _watch_arguments),
    "gui": ("open the Zavera Desktop window (saved settings and the keyring)", _gui_arguments),
    "check": ("ask the backend to check one order's payment with Midtrans", _action_arguments("check")),
    "replay": ("replay the Midtrans notification the backend never received", _action_arguments("replay")),
    "actions": ("the audit log of status checks and replays", _action_arguments("actions")),
    "doctor": ("check the whole setup: backend, login, stream, Midtrans key", _doctor_arguments),
    "payments": ("list the payments the local database holds", _payments_arguments),
}


def command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line, if any."""
    return next((a for a in argv if a in COMMANDS), None)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that subcommand gets its arguments — the others would import
    the sandbox, the admin actions and more for nothing, and start-up is what the admin waits for."""
    parser = _Parser(prog="zavera-desktop",
                     description="Zavera Desktop: every Midtrans payment of the Zavera shop, exactly once.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--selftest", action="store_true",
                        help="check that this installation works (no network; nothing of yours is touched) and exit")
    _add_common(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, (text, add_arguments) in COMMANDS.items():
        p = sub.add_parser(name, help=text)
        _add_common(p)
        if only is None or only == name:
            add_arguments(p)
    for name, p in [("", parser), *sub.choices.items()]:
        if not p.epilog and name in EXAMPLES:
            p.epilog, p.formatter_class = EXAMPLES[name], argparse.RawDescriptionHelpFormatter
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(only=command_in(argv) or "demo")
    args = parser.parse_args(argv)
    from zavera_desktop.logging_setup import configure

    if args.selftest:
        configure("WARNING", log_file="none")
        from zavera_desktop.selftest import run_selftest

        return run_selftest()
    command = args.command or "demo"
    if command == "sandbox":
        configure(args.log_level, log_file=args.log_file)
        from zavera_desktop.sandbox.cli import run as run_sandbox

        return run_sandbox(args)
    if command == "payments":
        configure(args.log_level, log_file="none")
        return _payments(args, parser)
    if command == "watch":
        configure(args.log_level, log_file=args.log_file)
        from zavera_desktop.watch import run_watch

        return run_watch(args, parser)
    if command in ("check", "replay", "actions"):
        configure(args.log_level, log_file=args.log_file)
        from zavera_desktop import actions_cli

        return actions_cli.run(command, args, parser)
    if command == "doctor":
        configure(args.log_level, log_file=args.log_file)
        from zavera_desktop import doctor as doctor_cli

        return doctor_cli.run(args, parser)
    if command == "gui":
        configure(args.log_level, log_file=args.log_file)
        from zavera_desktop.ui.app import run_gui

        return run_gui(args, parser)
    if args.command is None:  # bare `zavera-desktop`: defaults of the demo subcommand
        args = parser.parse_args(["demo", *argv])
    configure(args.log_level, log_file=args.log_file)
    if not (args.headless or args.json):
        if has_display():
            from zavera_desktop.ui.app import run_demo_gui

            return run_demo_gui(args)
        print("No display found (DISPLAY / WAYLAND_DISPLAY unset): running the demo in the terminal.",
              file=sys.stderr)
    from zavera_desktop.watch import run_demo

    return run_demo(args)


def has_display() -> bool:
    """Whether a window can be shown; Qt aborts the process when it cannot connect to a display."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _payments(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from zavera_desktop.config import default_db_path, load_zone
    from zavera_desktop.store import Store, StoreError
    from zavera_desktop.watch import payment_line

    tz = load_zone(args.tz)
    since = since_from_args(args.since, args.tz, parser)
    target = args.db or str(default_db_path())
    if not args.db and not default_db_path().exists():
        print("No payments yet: the local database does not exist (run `zavera-desktop watch` first).",
              file=sys.stderr)
        return EXIT_OK
    try:
        store = Store.open(target)
    except StoreError as exc:
        print(f"zavera-desktop: {exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        rows = store.payments(since=since, newest_first=False)
    finally:
        store.close()
    for p in rows:
        print(json.dumps(p.to_json(), ensure_ascii=False) if args.json else payment_line(p, tz))
    if not args.json:
        print(f"{len(rows)} payment(s)", file=sys.stderr)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
