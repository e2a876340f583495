"""``zavera-desktop check``, ``replay`` and ``actions`` (issue 7: built by the actions work)."""

from __future__ import annotations

import argparse

from zavera_desktop.cli_options import add_connection_options
from zavera_desktop.exit_codes import EXIT_USAGE


def add_check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_code", metavar="ORDER_CODE")
    add_connection_options(p)


def add_replay_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_code", metavar="ORDER_CODE")
    add_connection_options(p)


def add_actions_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH")


def run(command: str, args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    parser.error(f"{command}: not available yet")
    return EXIT_USAGE
