"""``zavera-desktop doctor`` and the checks behind it (backend/doctor_checks.py), against the sandbox: a healthy
setup passes; each broken part is named, with the fix, and nothing secret is ever printed."""

from __future__ import annotations

import asyncio
import datetime as dt
import http.server
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from zavera_desktop.backend.doctor_checks import CheckResult, run_checks, summary
from zavera_desktop.backend.midtrans import MidtransAccess

STREAM_TIMEOUT = 1.5


def check(sandbox, **kw) -> dict[str, CheckResult]:
    creds = sandbox.creds
    kw.setdefault("stream_timeout", STREAM_TIMEOUT)
    if "token" not in kw:
        kw.setdefault("email", creds["admin_email"])
        kw.setdefault("password", creds["admin_password"])
    url = kw.pop("url", sandbox.url)
    results = asyncio.run(run_checks(url, **kw))
    assert len({r.check for r in results}) == len(results)
    secrets = [creds["admin_password"], creds["user_password"], creds["server_key"], kw.get("token") or "x" * 40]
    for r in results:
        for secret in secrets:
            assert secret not in r.detail and secret not in r.fix
    return {r.check: r for r in results}


def failed(results: dict[str, CheckResult]) -> set[str]:
    return {name for name, r in results.items() if not r.ok and not r.skipped}


def skipped(results: dict[str, CheckResult]) -> set[str]:
    return {name for name, r in results.items() if r.skipped}


def midtrans(sandbox, key: str | None = None) -> MidtransAccess:
    return MidtransAccess(f"{sandbox.url}/midtrans", key or sandbox.creds["server_key"], "custom")


def test_a_healthy_sandbox_passes_every_check(sandbox):
    before = sandbox.state()
    results = check(sandbox, midtrans=midtrans(sandbox), probe_webhook=True)
    assert list(results) == ["backend", "clock", "login", "admin", "dashboard", "orders", "stream", "midtrans_key",
                             "webhook_route"]
    assert all(r.ok for r in results.values()), {k: r.detail for k, r in results.items() if not r.ok}
    assert "admin@zavera.test" in results["admin"].detail
    assert "accepts the server key" in results["midtrans_key"].detail
    # the unsigned probe was refused by the signature check and changed nothing
    after = sandbox.state()
    assert after["webhooks_received"]["core"] == {"error:invalid webhook signature": 1}
    assert after["orders"] == before["orders"]
    assert summary(list(results.values())) == {"ok": 9, "failed": 0, "skipped": 0}


def test_a_token_instead_of_a_password(sandbox):
    token = sandbox.admin_token()
    results = check(sandbox, token=token)
    assert all(r.ok for r in results.values())
    assert "token" in results["login"].detail
    assert "Not configured" in results["midtrans_key"].detail and results["midtrans_key"].fix


def test_a_wrong_password_is_named_and_what_needs_it_is_not_checked(sandbox):
    results = check(sandbox, password="not-the-password")
    assert failed(results) == {"login"}
    assert skipped(results) == {"admin", "dashboard", "orders", "stream"}
    assert "Wrong e-mail or password" in results["login"].detail and "token" in results["login"].fix


def test_an_account_that_is_not_the_admin(sandbox):
    creds = sandbox.creds
    results = check(sandbox, email=creds["user_email"], password=creds["user_password"])
    assert results["login"].ok and failed(results) == {"admin"}
    assert skipped(results) == {"dashboard", "orders", "stream"}
    assert creds["user_email"] in results["admin"].detail


def test_a_wrong_server_key(sandbox):
    results = check(sandbox, midtrans=midtrans(sandbox, key="SB-Mid-server-not-the-key"))
    assert failed(results) == {"midtrans_key"}
    assert "refuses the server key" in results["midtrans_key"].detail
    assert "Access Keys" in results["midtrans_key"].fix


def test_a_production_environment_with_a_sandbox_key_says_so(sandbox):
    # the real production API is not reachable from the tests: point "production" at the sandbox's Midtrans
    access = MidtransAccess(f"{sandbox.url}/midtrans", "SB-Mid-server-wrong", "production")
    results = check(sandbox, midtrans=access)
    assert failed(results) == {"midtrans_key"} and "looks like a sandbox key" in results["midtrans_key"].detail


def test_a_dead_backend(sandbox):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    results = check(sandbox, url=f"http://127.0.0.1:{port}", midtrans=midtrans(sandbox), probe_webhook=True)
    assert failed(results) == {"backend"}
    assert skipped(results) == {"clock", "login", "admin", "dashboard", "orders", "stream", "webhook_route"}
    assert results["midtrans_key"].ok  # Midtrans does not need the backend
    assert "refused" in results["backend"].detail and "running" in results["backend"].fix


def test_a_proxy_whose_backend_is_down(sandbox):
    sandbox.faults(fail={"prefix": "/health", "status": 502, "count": 1, "body": "<html>Bad Gateway</html>",
                         "content_type": "text/html"})
    results = check(sandbox)
    assert failed(results) == {"backend"} and "502" in results["backend"].detail


def test_the_clock_difference(sandbox):
    ahead = check(sandbox, now=lambda: dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5))
    assert failed(ahead) == {"clock"}
    # the Date header has whole seconds
    seconds = int(re.search(r"is (\d+) s ahead of the backend", ahead["clock"].detail).group(1))
    assert 298 <= seconds <= 302
    assert "NTP" in ahead["clock"].fix


def test_the_windows_run_checks_button_runs_the_same_checks_with_the_engines_login(sandbox, engine_factory):
    h = engine_factory(sandbox, midtrans=midtrans(sandbox))
    h.wait_ready()
    seen: list[CheckResult] = []
    results = h.engine.run_checks(probe_webhook=True, progress=seen.append).result(60)
    assert [r.check for r in results] == [r.check for r in seen] == [
        "backend", "clock", "login", "admin", "dashboard", "orders", "stream", "midtrans_key", "webhook_route"]
    assert all(r.ok for r in results), [r.detail for r in results if not r.ok]


# --- the stream: a proxy that lets the connected event through and then holds everything back -------------


class StallingProxy:
    """Forwards to the sandbox; on the event stream, only up to the ``connected`` event (then silence)."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> StallingProxy:
        self._thread.start()
        assert self._ready.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    async def _shutdown(self) -> None:
        # end every connection's tasks here, so none is left for the garbage collector
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        first = await reader.read(65536)
        is_stream = first.startswith(b"GET /api/admin/events")
        up_writer.write(first)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, hold_after_connected: bool) -> None:
            seen = b""
            try:
                while data := await src.read(65536):
                    if hold_after_connected:
                        seen += data
                        at = seen.find(b"event: connected")
                        if at >= 0 and b"\n\n" in seen[at:]:
                            dst.write(data)
                            await dst.drain()
                            while await src.read(65536):  # keep reading, forward nothing: a stalled stream
                                pass
                            return
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer, False), pipe(up_reader, writer, is_stream),
                             return_exceptions=True)


def test_a_stalled_stream_is_named(sandbox):
    with StallingProxy(sandbox.server.port) as proxy:
        results = check(sandbox, url=f"http://127.0.0.1:{proxy.port}")
    assert failed(results) == {"stream"}
    assert "Connected, then silence" in results["stream"].detail
    assert "proxy_buffering off" in results["stream"].fix


def test_a_stream_refused_by_a_proxy_page(sandbox):
    sandbox.faults(fail={"prefix": "/api/admin/events", "status": 200, "count": 1, "body": "<html>login</html>",
                         "content_type": "text/html"})
    results = check(sandbox)
    assert failed(results) == {"stream"} and "not an event stream" in results["stream"].detail


def test_a_missing_webhook_route(sandbox):
    sandbox.faults(fail={"prefix": "/api/webhook/midtrans/core", "status": 404, "count": 1,
                         "body": "404 page not found", "content_type": "text/plain"})
    results = check(sandbox, probe_webhook=True)
    assert failed(results) == {"webhook_route"} and "does not exist" in results["webhook_route"].detail


# --- TLS certificate expiry ----------------------------------------------------------------------------


def certificate(folder: Path, days: int) -> tuple[Path, Path]:
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    import ipaddress

    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / f"cert{days}.pem", folder / f"key{days}.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@pytest.fixture
def https_server(tmp_path) -> Iterator:
    servers = []

    def start(days: int) -> tuple[str, ssl.SSLContext]:
        cert_file, key_file = certificate(tmp_path, days)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(cert_file), str(key_file))
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        trust = ssl.create_default_context(cafile=str(cert_file))
        return f"https://127.0.0.1:{httpd.server_address[1]}", trust

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def tls_result(url: str, trust: ssl.SSLContext | None) -> CheckResult:
    results = asyncio.run(run_checks(url, email="a@b.test", password="pw-not-used", ssl_context=trust,
                                     stream_timeout=STREAM_TIMEOUT))
    return next(r for r in results if r.check == "tls_certificate")


def test_tls_certificate_expiry(https_server):
    url, trust = https_server(200)
    good = tls_result(url, trust)
    assert good.ok and re.search(r"valid until \d{4}-\d\d-\d\d \((199|200) days\)", good.detail), good.detail
    url, trust = https_server(5)
    soon = tls_result(url, trust)
    assert not soon.ok and "expires on" in soon.detail and "Renew" in soon.fix
    untrusted = tls_result(url, None)
    assert not untrusted.ok and "not trusted" in untrusted.detail


# --- the command ----------------------------------------------------------------------------------------


def doctor(sandbox, *args: str, password: str | None = None, key: str | None = None) -> subprocess.CompletedProcess:
    creds = sandbox.creds
    env = {**os.environ, "ZAVERA_TEST_PW": password or creds["admin_password"],
           "ZAVERA_TEST_SK": key or creds["server_key"], "ZAVERA_LOG_FILE": "none"}
    cmd = [sys.executable, "-m", "zavera_desktop", "doctor", "--backend", sandbox.url, "--email", creds["admin_email"],
           "--password-env", "ZAVERA_TEST_PW", "--midtrans-url", f"{sandbox.url}/midtrans",
           "--server-key-env", "ZAVERA_TEST_SK", "--stream-timeout", str(STREAM_TIMEOUT), *args]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    for secret in (creds["admin_password"], creds["server_key"], password or "", key or ""):
        if secret:
            assert secret not in result.stdout and secret not in result.stderr
    return result


def test_doctor_json_on_a_healthy_sandbox_exits_0(sandbox):
    r = doctor(sandbox, "--json", "--probe-webhook")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert lines[-1] == {"summary": {"ok": 9, "failed": 0, "skipped": 0}}
    assert all(set(line) == {"check", "ok", "detail", "fix"} and line["ok"] for line in lines[:-1])


def test_doctor_names_the_failing_check_and_exits_1(sandbox):
    r = doctor(sandbox, password="wrong-password-123", key="SB-Mid-server-wrong-key-456")
    assert r.returncode == 1
    out = r.stdout.splitlines()
    assert any(line.startswith("✗ Login: Wrong e-mail or password") for line in out)
    assert any(line.startswith("✗ Midtrans server key:") for line in out)
    assert any(line.startswith("– Admin rights: not checked") for line in out)
    assert any(line.strip().startswith("fix:") for line in out)
    assert out[-1] == "2 passed, 2 failed, 4 not checked"


def test_doctor_without_options_is_a_usage_error(sandbox):
    r = subprocess.run([sys.executable, "-m", "zavera_desktop", "doctor"], capture_output=True, text=True,
                       env={**os.environ, "ZAVERA_LOG_FILE": "none"}, timeout=60)
    assert r.returncode == 2 and "--backend" in r.stderr
