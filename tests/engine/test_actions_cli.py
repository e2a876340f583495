"""`zavera-desktop check`, `replay` and `actions` as an admin runs them: real processes against the sandbox,
secrets only in environment variables; exit codes, the `--json` object, the terminal prompt, and a scan
of everything written for the secrets."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

JSON_KEYS = {"action", "order_code", "outcome", "backend_status", "message"}


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        lines = self.out.strip().splitlines()
        assert len(lines) == 1, f"expected one JSON line, got: {self.out!r} (stderr {self.err!r})"
        return json.loads(lines[0])


class Cli:
    """Runs the CLI against one sandbox and one database; every secret comes from the environment."""

    def __init__(self, sandbox, tmp: Path) -> None:
        self.sandbox = sandbox
        self.db = tmp / "cli.db"
        self.log = tmp / "cli.log"
        self.outputs: list[str] = []
        self.env = {**os.environ, "ZT_PW": sandbox.creds["admin_password"], "ZT_KEY": sandbox.creds["server_key"],
                    "ZT_BAD_KEY": "SB-Mid-server-not-the-key", "ZT_TOKEN": sandbox.admin_token(),
                    "PYTHONUNBUFFERED": "1"}

    def conn(self, token: bool = False) -> list[str]:
        auth = ["--token-env", "ZT_TOKEN"] if token else ["--email", self.sandbox.creds["admin_email"],
                                                           "--password-env", "ZT_PW"]
        return ["--backend", self.sandbox.url, *auth, "--db", str(self.db), "--log-file", str(self.log),
                "--log-level", "DEBUG"]

    def midtrans(self, key_env: str = "ZT_KEY") -> list[str]:
        return ["--midtrans-url", f"{self.sandbox.url}/midtrans", "--server-key-env", key_env]

    def __call__(self, *args: str, stdin: int | None = subprocess.DEVNULL, timeout: float = 60) -> Run:
        proc = subprocess.run([sys.executable, "-m", "zavera_desktop", *args], env=self.env, stdin=stdin,
                              capture_output=True, text=True, timeout=timeout)
        self.outputs += [proc.stdout, proc.stderr]
        return Run(proc.returncode, proc.stdout, proc.stderr)

    def check(self, code: str, *extra: str, token: bool = False) -> Run:
        return self("check", code, *self.conn(token), *extra)

    def replay(self, code: str, *extra: str, key_env: str = "ZT_KEY", **kw) -> Run:
        return self("replay", code, *self.conn(), *self.midtrans(key_env), *extra, **kw)


@pytest.fixture
def cli(sandbox, tmp_path):
    return Cli(sandbox, tmp_path)


def counters(sandbox) -> tuple:
    s = sandbox.state()
    return s["webhooks_received"], s["core_check"], s["notifications"].get("payment_received", 0)


def test_check_exit_codes_and_json(sandbox, cli):
    lost = sandbox.create_order()
    sandbox.pay(lost["order_code"], webhook="drop")
    r = cli.check(lost["order_code"].lower(), "--json")
    assert r.code == 0, r.err
    assert set(r.json) == JSON_KEYS
    assert (r.json["action"], r.json["order_code"], r.json["outcome"], r.json["backend_status"]) == (
        "check", lost["order_code"], "paid", "PAID")

    pending = sandbox.create_order()["order_code"]
    r = cli.check(pending, "--json", token=True)
    assert r.code == 1 and (r.json["outcome"], r.json["backend_status"]) == ("pending", "PENDING")
    assert "could not be reached" in r.json["message"]

    r = cli.check("ZVR-20200101-DEADBEEF", "--json")
    assert r.code == 2 and r.json["outcome"] == "error" and "not found" in r.json["message"]

    cli.env["ZT_PW"] = "wrong-password"
    r = cli.check(pending, "--json")
    assert r.code == 3 and r.json["outcome"] == "error" and "wrong e-mail or password" in r.json["message"]


def test_replay_refuses_without_a_terminal_and_sends_nothing(sandbox, cli):
    code = sandbox.create_order()["order_code"]
    sandbox.pay(code, webhook="drop")
    before = counters(sandbox)
    r = cli.replay(code)
    assert r.code == 2 and "not a terminal" in r.err and "--yes" in r.err
    assert counters(sandbox) == before
    assert sandbox.state()["midtrans"]["status_requests_by_caller"]["external"] == 0


def test_replay_asks_on_the_terminal(sandbox, cli):
    code = sandbox.create_order()["order_code"]
    sandbox.pay(code, webhook="drop")
    leader, follower = pty.openpty()
    try:
        os.write(leader, b"y\n")
        r = cli.replay(code, stdin=follower)
    finally:
        os.close(leader)
        os.close(follower)
    assert r.code == 0, r.err
    assert "Send it? [y/N]" in r.out and f"{code}: paid" in r.out
    assert sandbox.state()["webhooks_received"]["core"] == {"ok": 1}


def test_dry_run_prints_the_payload_and_sends_nothing(sandbox, cli):
    order = sandbox.create_order()
    sandbox.pay(order["order_code"], webhook="drop")
    before = counters(sandbox)
    r = cli.replay(order["order_code"], "--dry-run", "--json")
    assert r.code == 0, r.err
    assert set(r.json) == JSON_KEYS | {"payload"}
    assert (r.json["outcome"], r.json["backend_status"]) == ("dry_run", "PENDING")
    payload = r.json["payload"]
    assert payload["signature_key"] == "***" and payload["order_id"] == order["midtrans_order_id"]
    assert counters(sandbox) == before  # no webhook, no /core/check, no broadcast
    assert sandbox.state()["orders"]["PAID"] == 0

    r = cli.replay(order["order_code"], "--dry-run")  # in words: the preview on stdout
    assert r.code == 0 and '"signature_key": "***"' in r.out and "dry_run" in r.out
    assert counters(sandbox) == before


def test_replay_yes_marks_the_order_paid_and_actions_lists_it(sandbox, cli):
    code = sandbox.create_order()["order_code"]
    sandbox.pay(code, webhook="drop")
    r = cli.replay(code, "--yes", "--json")
    assert r.code == 0, r.err
    assert (r.json["outcome"], r.json["backend_status"]) == ("paid", "PAID")
    assert "Replay for" in r.err  # the preview went to stderr: stdout holds only the object
    r = cli.replay(code, "--yes", "--json")  # again: already paid, nothing sent
    assert r.code == 0 and r.json["outcome"] == "paid" and "nothing was sent" in r.json["message"]
    assert sandbox.state()["webhooks_received"]["core"] == {"ok": 1}

    r = cli("actions", "--db", str(cli.db), "--json", "--order", code.lower())
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert r.code == 0 and [(x["action"], x["outcome"]) for x in rows] == [("replay", "paid"), ("replay", "paid")]
    assert rows[1]["request"]["payload"]["signature_key"] == "***"
    r = cli("actions", "--db", str(cli.db), "--action", "check")
    assert r.code == 0 and r.out == "" and "0 action(s)" in r.err
    r = cli("actions", "--db", str(cli.db), "--outcome", "paid")
    assert r.code == 0 and len(r.out.splitlines()) == 2 and "2 action(s)" in r.err


def test_replay_configuration_errors_exit_2(sandbox, cli):
    order = sandbox.create_order()
    code = order["order_code"]
    r = cli("replay", code, *cli.conn(), "--yes")  # no Midtrans settings at all
    assert r.code == 2 and "--midtrans-env" in r.err
    cli.env.pop("ZT_KEY")
    r = cli.replay(code, "--yes")
    assert r.code == 2 and "ZT_KEY is empty or not set" in r.err
    r = cli.replay(code, "--yes", "--json", key_env="ZT_BAD_KEY")  # Midtrans 401
    assert r.code == 2 and r.json["outcome"] == "error" and "refused the server key" in r.json["message"]
    r = cli.replay(code, "--yes", "--json", "--transaction-id", f"{code}-1769050000-beef", key_env="ZT_BAD_KEY")
    assert r.code == 2
    cli.env["ZT_KEY"] = sandbox.creds["server_key"]
    r = cli.replay(code, "--yes", "--json", "--transaction-id", f"{code}-1769050000-beef")  # Midtrans 404
    assert r.code == 2 and "Midtrans knows no transaction" in r.json["message"]
    r = cli.replay(code, "--yes", "--webhook-url", "http://127.0.0.2:9/api/webhook/midtrans/core")
    assert r.code == 2 and "not on the shop backend" in r.err
    r = cli.replay("ZVR-20200101-DEADBEEF", "--yes", "--json")
    assert r.code == 2 and "not found" in r.json["message"]
    assert sandbox.state()["webhooks_received"]["core"] == {}


def test_missing_transaction_id_path(sandbox, cli):
    from tests.engine.test_actions import blank_transaction_id

    order = sandbox.create_order()
    code = order["order_code"]
    sandbox.pay(code, webhook="drop")
    blank_transaction_id(sandbox, code)
    r = cli.replay(code, "--yes", "--json")
    assert r.code == 2 and "--transaction-id" not in r.json["message"]
    assert "Midtrans order id" in r.json["message"] and "Midtrans dashboard" in r.json["message"]
    r = cli.replay(code, "--yes", "--json", "--transaction-id", order["midtrans_order_id"])
    assert r.code == 0 and r.json["outcome"] == "paid"


def test_rejected_replay_exits_1(sandbox, cli):
    """A settled transaction the backend already dropped (its payment row went final first): the webhook
    answers ok and changes nothing, so the order is still unpaid."""
    code = sandbox.create_order()["order_code"]
    sandbox.expire(code)
    sandbox.pay(code, webhook="drop")
    r = cli.replay(code, "--yes", "--json")
    assert r.code == 1 and (r.json["outcome"], r.json["backend_status"]) == ("failed", "EXPIRED")
    assert "already EXPIRED" in r.json["message"]


def test_help_has_examples(cli):
    for command in ("check", "replay", "actions"):
        r = cli(command, "--help")
        assert r.code == 0 and "example:" in r.out


def test_no_secret_in_logs_database_audit_log_or_output(sandbox, cli):
    secrets = [sandbox.creds["server_key"], sandbox.creds["admin_password"], cli.env["ZT_TOKEN"],
               cli.env["ZT_BAD_KEY"]]
    code = sandbox.create_order()["order_code"]
    sandbox.pay(code, webhook="drop")
    other = sandbox.create_order()["order_code"]
    cli.replay(code, "--dry-run", "--json")
    cli.replay(other, "--yes", "--json", key_env="ZT_BAD_KEY")
    cli.replay(code, "--yes")
    cli.check(other, "--json", token=True)
    cli.check(code, token=True)
    cli("actions", "--db", str(cli.db), "--json")
    cli("actions", "--db", str(cli.db))
    assert cli.log.exists() and cli.log.read_text()  # the log was written, at DEBUG
    written = [cli.log.read_bytes(), *(p.read_bytes() for p in cli.db.parent.glob("cli.db*"))]
    for secret in secrets:
        assert not any(secret.encode() in blob for blob in written), "a secret reached the log or the database"
        assert not any(secret in text for text in cli.outputs), "a secret reached the output"
