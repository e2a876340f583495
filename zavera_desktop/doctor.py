"""``zavera-desktop doctor``: check the whole setup in one run and say what to fix.

The checks themselves are in ``backend/doctor_checks.py`` (the window's "Run checks" runs the same code);
this module only reads the options and prints one line per check — ``✓``/``✗`` (``–`` for a check not
run because an earlier one failed) with the fix underneath — or, with ``--json``, one object per check
``{"check", "ok", "detail", "fix"}`` and then ``{"summary": {"ok", "failed", "skipped"}}``.

Exit code 0 when every check passed, 1 otherwise, 2 for bad options. Secrets come from environment
variables only and never appear in the output.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TextIO

from zavera_desktop.backend.doctor_checks import STREAM_TIMEOUT, CheckResult, run_checks, summary
from zavera_desktop.cli_options import (
    add_connection_options,
    add_midtrans_options,
    credentials_from_args,
    midtrans_from_args,
    positive,
)
from zavera_desktop.exit_codes import EXIT_ERROR, EXIT_OK


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_connection_options(p)
    add_midtrans_options(p)
    p.add_argument("--probe-webhook", action="store_true",
                   help="also post an unsigned probe to the Core webhook route (it must be refused, never processed)")
    p.add_argument("--stream-timeout", type=positive, default=STREAM_TIMEOUT, metavar="S",
                   help=f"how long the stream check waits for each event (default {STREAM_TIMEOUT:g})")
    p.add_argument("--json", action="store_true", help="one JSON object per check, then a summary")


class _Printer:
    """Prints each result as it arrives (a slow stream check should not hide the others)."""

    def __init__(self, out: TextIO, *, as_json: bool) -> None:
        if hasattr(out, "reconfigure"):
            out.reconfigure(errors="replace")  # a C-locale terminal must not lose the report
        self._out = out
        self._json = as_json

    def __call__(self, result: CheckResult) -> None:
        if self._json:
            self._out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        else:
            mark = "–" if result.skipped else ("✓" if result.ok else "✗")
            self._out.write(f"{mark} {result.title}: {result.detail}\n")
            if result.fix and not result.skipped:
                self._out.write(f"    fix: {result.fix}\n")
        self._out.flush()

    def summary(self, results: list[CheckResult]) -> None:
        counts = summary(results)
        if self._json:
            self._out.write(json.dumps({"summary": counts}) + "\n")
        else:
            text = f"{counts['ok']} passed, {counts['failed']} failed"
            if counts["skipped"]:
                text += f", {counts['skipped']} not checked"
            self._out.write(text + "\n")
        self._out.flush()


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    token, credentials = credentials_from_args(args, parser)
    midtrans = midtrans_from_args(args, parser)
    printer = _Printer(sys.stdout, as_json=args.json)
    results = asyncio.run(run_checks(
        args.backend, email=credentials.email if credentials else None,
        password=credentials.password if credentials else None, token=token, midtrans=midtrans,
        probe_webhook=args.probe_webhook, stream_timeout=args.stream_timeout, progress=printer))
    printer.summary(results)
    return EXIT_OK if all(r.ok for r in results) else EXIT_ERROR
