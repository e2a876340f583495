"""SandboxServer lifecycle and the CLI: restart on the same port and DB, parallel instances, exit."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx

from tests.sandbox.conftest import BASE_CONFIG
from tests.sandbox.helpers import Api, RawStream, wait_until
from zavera_desktop.sandbox import SandboxConfig, SandboxServer


def test_restart_same_port_and_db_keeps_state_but_not_streams(tmp_path: Path) -> None:
    """§2.4 "Server restart": DB state survives a restart; open streams drop mid-body; no replay."""
    config = replace(BASE_CONFIG, db=str(tmp_path / "sandbox.db"))
    first = SandboxServer(config)
    first.start()
    api = Api(first.url, first.credentials)
    try:
        order = api.order()
        api.pay(order["order_code"])
        token = api.token()
        stream = api.stream()
        stream.wait_connected()
    finally:
        first.stop()
    stream.wait(lambda s: s.eof, what="stream drop at stop")
    assert not stream.ended_cleanly  # like a process exit: no terminating chunk
    stream.close()

    second = SandboxServer(replace(config, port=first.port))
    second.start()
    try:
        assert second.port == first.port
        again = Api(second.url, second.credentials)
        headers = {"Authorization": f"Bearer {token}"}  # the old token still validates
        detail = again.client.get(f"/api/admin/orders/{order['order_code']}", headers=headers)
        assert detail.status_code == 200 and detail.json()["status"] == "PAID"
        state = again.state()
        assert state["stream_clients"] == 0 and state["notifications"] == {}
        again.close()
    finally:
        second.stop()
    api.close()


def test_file_db_remembers_generated_secrets(tmp_path: Path) -> None:
    """Credentials not given are generated once and remembered in the file DB across restarts."""
    config = SandboxConfig(port=0, db=str(tmp_path / "s.db"), startup_broadcast=False)
    with SandboxServer(config) as first:
        creds = first.credentials
    with SandboxServer(config) as second:
        assert {k: v for k, v in second.credentials.items() if k != "url"} == {
            k: v for k, v in creds.items() if k != "url"
        }
        assert creds["server_key"].startswith("SB-Mid-server-")
        api = Api(second.url, second.credentials)
        assert api.login() and api.login("user")
        api.close()


def test_parallel_instances_are_independent(
    start_sandbox: Callable[..., SandboxServer], make_api: Callable[[SandboxServer], Api],
    open_stream: Callable[..., RawStream],
) -> None:
    """Several sandboxes run in one process at once, each with its own DB and broker."""
    one, two = make_api(start_sandbox()), make_api(start_sandbox())
    assert one.url != two.url
    stream = open_stream(one)
    order = two.order()
    assert one.get("/api/admin/orders").json()["orders"] is None
    assert two.get("/api/admin/orders").json()["total_count"] == 1
    own = one.order()
    stream.wait_notification(lambda n: n["type"] == "order_created", what="own order_created")
    assert [n["data"]["order_code"] for n in stream.notifications("order_created")] == [own["order_code"]]
    assert order["order_code"] != own["order_code"]


def test_stop_is_idempotent_and_frees_the_port() -> None:
    """stop() twice is harmless; the port can be bound again right away."""
    server = SandboxServer(replace(BASE_CONFIG))
    server.start()
    port = server.port
    server.stop()
    server.stop()
    again = SandboxServer(replace(BASE_CONFIG, port=port))
    again.start()
    try:
        assert httpx.get(f"{again.url}/health", trust_env=False).status_code == 200
    finally:
        again.stop()


def test_cli_json_first_line_and_sigterm_exit_zero(tmp_path: Path) -> None:
    """CLI: --port 0 --json prints one JSON object first; SIGTERM stops it with exit code 0."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "zavera_desktop.sandbox", "--port", "0", "--json", "--keepalive", "5",
         "--db", str(tmp_path / "cli.db")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert process.stdout is not None
        first = json.loads(process.stdout.readline())
        assert list(first) == ["url", "admin_email", "admin_password", "user_email", "user_password", "server_key"]
        assert httpx.get(f"{first['url']}/health", trust_env=False, timeout=10).json() == {"status": "ok"}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        stderr = process.stderr.read() if process.stderr else ""
        assert first["admin_password"] in stderr  # printed for the human, on stderr in --json mode
        assert stderr.count(first["server_key"]) == 1  # shown once for the human, never logged
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


def test_cli_human_output_and_bad_arguments(tmp_path: Path) -> None:
    """CLI without --json prints URL and credentials on stdout; invalid options exit non-zero."""
    bad = subprocess.run([sys.executable, "-m", "zavera_desktop.sandbox", "--drop-webhooks", "2"],
                         capture_output=True, text=True, timeout=30, cwd=Path(__file__).resolve().parents[2])
    assert bad.returncode == 2 and "drop-webhooks" in bad.stderr
    process = subprocess.Popen(
        [sys.executable, "-m", "zavera_desktop.sandbox", "--port", "0", "--admin-password", "rahasia-123"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"), cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        assert lines[0].startswith("Zavera sandbox running at http://127.0.0.1:")
        assert "rahasia-123" in lines[1]
        url = lines[0].split()[-1]
        wait_until(lambda: httpx.get(f"{url}/health", trust_env=False).status_code == 200, what="CLI server")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()


def test_file_db_from_an_older_sandbox_gains_the_new_columns(tmp_path: Path) -> None:
    """A file DB made before the recovery endpoints existed is brought up to date at start."""
    config = replace(BASE_CONFIG, db=str(tmp_path / "old.db"))
    with SandboxServer(config):
        pass
    with sqlite3.connect(config.db) as connection:  # what an older sandbox had
        connection.execute("DROP TABLE admin_audit_log")
        for column in ("last_synced_at", "sync_status", "is_reconciled", "reconciled_at"):
            connection.execute(f"ALTER TABLE payments DROP COLUMN {column}")
    with SandboxServer(config) as server:
        api = Api(server.url, server.credentials)
        order = api.order(payment="snap")
        reconciled = api.post(f"/api/admin/payments/{order['order_id']}/reconcile", who="admin",
                              json={"action": "MARK_PAID", "reason": "after upgrade"})
        assert reconciled.status_code == 200, reconciled.text
        assert api.inspect(order["order_code"])["payments"][0]["is_reconciled"] is True
        api.close()
