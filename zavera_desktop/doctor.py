"""``zavera-desktop doctor`` (issue 10: built by the payment-health work)."""

from __future__ import annotations

import argparse

from zavera_desktop.cli_options import add_connection_options
from zavera_desktop.exit_codes import EXIT_USAGE


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_connection_options(p)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    parser.error("doctor: not available yet")
    return EXIT_USAGE
