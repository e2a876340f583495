"""`zavera-desktop watch` and `payments` as a user runs them: real processes, real signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.helpers import wait_until


class Watcher:
    """A `watch --json` subprocess whose stdout lines are collected in the background."""

    def __init__(self, sandbox, db: Path, *extra: str, email: str | None = None, password: str | None = None):
        env = {**os.environ, "ZAVERA_TEST_PW": password or sandbox.creds["admin_password"],
               "ZAVERA_LOG_FILE": "none", "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", "zavera_desktop", "watch", "--backend", sandbox.url,
               "--email", email or sandbox.creds["admin_email"], "--password-env", "ZAVERA_TEST_PW",
               "--db", str(db), "--json", "--poll-interval", "0.5", "--verify-interval", "0.5",
               "--verify-after", "0", "--read-timeout", "5", "--reconnect-min", "0.05", "--ignore-server-retry",
               *extra]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        self.lines: list[dict] = []
        self.stderr = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._err_reader = threading.Thread(target=self._read_err, daemon=True)
        self._err_reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(json.loads(line))

    def _read_err(self):
        self.stderr = self.proc.stderr.read()

    def payments(self) -> list[str]:
        return [line["order_code"] for line in self.lines if line["event"] == "payment"]

    def states(self) -> list[str]:
        return [line["state"] for line in self.lines if line["event"] == "connection"]

    def wait_live(self):
        wait_until(lambda: "live" in self.states(), 15, "watch to be live")

    def finish(self, timeout=10) -> int:
        rc = self.proc.wait(timeout)
        self._reader.join(5)
        self._err_reader.join(5)
        return rc


def paid(sandbox, n, webhook="deliver"):
    codes = []
    for _ in range(n):
        o = sandbox.create_order()
        sandbox.pay(o["order_code"], webhook=webhook)
        codes.append(o["order_code"])
    return codes


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_watch_prints_json_lines_and_exits_cleanly_on_signal(sandbox, tmp_path, sig):
    w = Watcher(sandbox, tmp_path / "w.db")
    w.wait_live()
    wait_until(lambda: sandbox.state().get("stream_clients", 0) >= 1, 10, "the stream client")
    time.sleep(0.3)  # the baseline reconcile
    codes = paid(sandbox, 2) + paid(sandbox, 1, webhook="snap")
    wait_until(lambda: set(codes) <= set(w.payments()), 20, "the payment lines")
    line = next(x for x in w.lines if x["event"] == "payment" and x["order_code"] == codes[0])
    assert set(line) == {"event", "order_code", "amount", "payment_method", "customer", "detected_by",
                         "detected_at", "paid_at"}
    assert isinstance(line["amount"], int) and line["detected_by"] == "stream"
    w.proc.send_signal(sig)
    assert w.finish(timeout=5) == 0
    assert sorted(w.payments()) == sorted(codes)
    assert sandbox.creds["admin_password"] not in w.stderr


def test_watch_non_admin_exits_3(sandbox, tmp_path):
    w = Watcher(sandbox, tmp_path / "w.db", email=sandbox.creds["user_email"], password=sandbox.creds["user_password"])
    assert w.finish(timeout=20) == 3
    assert "forbidden" in w.states()
    assert "not the shop admin" in w.stderr


def test_watch_wrong_password_exits_3(sandbox, tmp_path):
    w = Watcher(sandbox, tmp_path / "w.db", password="definitely-wrong")
    assert w.finish(timeout=20) == 3
    assert "wrong e-mail or password" in w.stderr
    assert "definitely-wrong" not in w.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["watch", "--backend", "http://x"], "one of the arguments --token-env --email is required"),
        (["watch", "--backend", "http://x", "--email", "a@b.c"], "--email needs --password-env"),
        (["watch", "--backend", "http://x", "--token-env", "ZAVERA_NOPE_UNSET"], "ZAVERA_NOPE_UNSET is empty"),
        (["watch", "--backend", "ftp://x", "--token-env", "HOME"], "must start with http"),
        (["watch", "--backend", "http://x", "--token-env", "HOME", "--poll-interval", "0"], "greater than 0"),
        (["watch", "--backend", "http://x", "--token-env", "HOME", "--tz", "Mars/Olympus"], "unknown time zone"),
        (["payments", "--since", "last tuesday"], "not an ISO date"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(args, message):
    env = {**os.environ, "ZAVERA_LOG_FILE": "none"}
    env.pop("ZAVERA_NOPE_UNSET", None)
    r = subprocess.run([sys.executable, "-m", "zavera_desktop", *args], capture_output=True, text=True, env=env,
                       timeout=30)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr


def test_sigkill_and_restart_on_the_same_database(sandbox, tmp_path):
    """Killed without warning while payments continue: across both runs, every payment once."""
    db = tmp_path / "w.db"
    w1 = Watcher(sandbox, db)
    w1.wait_live()
    time.sleep(0.3)
    first = paid(sandbox, 3)
    wait_until(lambda: set(first) <= set(w1.payments()), 20, "the first payments")
    stop = threading.Event()
    during: list[str] = []

    def keep_paying():
        i = 0
        while not stop.is_set():
            webhook = ("deliver", "drop", "snap")[i % 3]
            during.extend(paid(sandbox, 1, webhook=webhook))
            i += 1
            time.sleep(0.05)

    payer = threading.Thread(target=keep_paying)
    payer.start()
    time.sleep(1.0)
    w1.proc.kill()
    w1.finish()
    time.sleep(0.5)
    w2 = Watcher(sandbox, db)
    time.sleep(1.0)
    stop.set()
    payer.join(10)
    everything = first + during
    wait_until(lambda: set(everything) <= set(w1.payments()) | set(w2.payments()), 40, "every payment")
    time.sleep(1.0)  # let any duplicate show itself
    w2.proc.send_signal(signal.SIGTERM)
    assert w2.finish() == 0
    printed = w1.payments() + w2.payments()
    dupes = {c for c in printed if printed.count(c) > 1}
    assert not dupes, f"printed twice: {dupes}"
    assert set(printed) == set(everything)


def test_payments_command_lists_the_store(sandbox, tmp_path):
    db = tmp_path / "w.db"
    w = Watcher(sandbox, db)
    w.wait_live()
    time.sleep(0.3)
    codes = paid(sandbox, 2)
    wait_until(lambda: set(codes) <= set(w.payments()), 20, "payments")
    w.proc.send_signal(signal.SIGINT)
    assert w.finish() == 0
    env = {**os.environ, "ZAVERA_LOG_FILE": "none"}
    r = subprocess.run([sys.executable, "-m", "zavera_desktop", "payments", "--db", str(db), "--json"],
                       capture_output=True, text=True, env=env, timeout=30)
    assert r.returncode == 0, r.stderr
    listed = [json.loads(line)["order_code"] for line in r.stdout.splitlines()]
    assert sorted(listed) == sorted(codes)
    r = subprocess.run([sys.executable, "-m", "zavera_desktop", "payments", "--db", str(db)],
                       capture_output=True, text=True, env=env, timeout=30)
    assert "Rp " in r.stdout and "found by stream" in r.stdout
