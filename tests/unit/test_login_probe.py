"""The login check: each way a login can fail comes out as one problem kind with words for the admin.

Real sandbox for the backend's own answers; real sockets for refused / TLS; an injected
``httpx.MockTransport`` for what only another server would answer (a web page, a proxy).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http.server
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest

from zavera_desktop.backend.login_probe import (
    LoginProblem,
    LoginResult,
    ProblemKind,
    clean_token,
    probe_login,
)

# the sandbox's unverified demo user (docs/sandbox.md) shares the customer's password
UNVERIFIED_EMAIL = "unverified@zavera.test"


def probe(url: str, **kw) -> LoginResult:
    return asyncio.run(probe_login(url, **kw))


def problem(url: str, **kw) -> LoginProblem:
    with pytest.raises(LoginProblem) as info:
        probe(url, **kw)
    return info.value


def assert_no_secret(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text


# --- against the sandbox -------------------------------------------------------------------------


def test_admin_password_login_proves_admin_rights(sandbox):
    creds = sandbox.creds
    result = probe(sandbox.url + "/", email=creds["admin_email"], password=creds["admin_password"])
    assert result.email == creds["admin_email"]
    assert result.auth_kind == "password"
    assert result.backend_url == sandbox.url.rstrip("/")
    assert result.token.count(".") == 2
    # the sandbox's tokens live 24 h, like the backend's default (§1.3)
    left = result.expires_at - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=23) < left <= dt.timedelta(hours=24)
    assert result.expires_within(dt.timedelta(hours=24))
    assert result.token not in repr(result)


def test_wrong_password(sandbox):
    p = problem(sandbox.url, email=sandbox.creds["admin_email"], password="not-the-password")
    assert p.kind is ProblemKind.WRONG_PASSWORD
    assert "Wrong e-mail or password" in p.message and "token" in p.message  # the Google-only hint
    assert_no_secret(str(p), "not-the-password")


def test_customer_is_not_admin(sandbox):
    creds = sandbox.creds
    p = problem(sandbox.url, email=creds["user_email"], password=creds["user_password"])
    assert p.kind is ProblemKind.NOT_ADMIN
    assert creds["user_email"] in p.message and "not this shop's admin" in p.message


def test_unverified_email(sandbox):
    p = problem(sandbox.url, email=UNVERIFIED_EMAIL, password=sandbox.creds["user_password"])
    assert p.kind is ProblemKind.EMAIL_NOT_VERIFIED
    assert "not been verified" in p.message


def test_admin_token(sandbox):
    token = sandbox.admin_token()
    result = probe(sandbox.url, token=f'  "Bearer {token}"\n')
    assert result.auth_kind == "token"
    assert result.email == sandbox.creds["admin_email"]
    assert result.token == token
    assert result.expires_at is not None


def test_customer_token_is_not_admin(sandbox):
    token = sandbox.login(sandbox.creds["user_email"], sandbox.creds["user_password"])
    p = problem(sandbox.url, token=token)
    assert p.kind is ProblemKind.NOT_ADMIN
    assert sandbox.creds["user_email"] in p.message


def test_expired_token_is_refused_without_asking_the_backend(sandbox):
    secret = sandbox.server.runtime.tokens.secret
    past = int(time.time()) - 60
    token = jwt.encode({"email": sandbox.creds["admin_email"], "exp": past, "iat": past - 3600, "user_id": 1},
                       secret, algorithm="HS256")
    p = problem("http://127.0.0.1:9", token=token)  # port 9: nothing listens; never contacted
    assert p.kind is ProblemKind.TOKEN_EXPIRED
    assert p.expired_at == dt.datetime.fromtimestamp(past, dt.UTC)
    assert_no_secret(str(p), token)


def test_token_signed_by_another_backend(sandbox):
    future = int(time.time()) + 3600
    token = jwt.encode({"email": sandbox.creds["admin_email"], "exp": future, "iat": future - 3600, "user_id": 1},
                       "some-other-secret-of-32-bytes-long!", algorithm="HS256")
    p = problem(sandbox.url, token=token)
    assert p.kind is ProblemKind.TOKEN_INVALID
    assert_no_secret(str(p), token)


def test_garbage_token_is_refused_before_the_network():
    p = problem("http://127.0.0.1:9", token="hello, this is not a token")
    assert p.kind is ProblemKind.TOKEN_INVALID
    assert "eyJ" in p.message


def test_backend_url_with_api_suffix_is_not_zavera_and_says_why(sandbox):
    p = problem(sandbox.url + "/api", email=sandbox.creds["admin_email"], password=sandbox.creds["admin_password"])
    assert p.kind is ProblemKind.NOT_ZAVERA
    assert "leave /api out" in p.message
    assert_no_secret(str(p), sandbox.creds["admin_password"])


@pytest.mark.parametrize("url", ["api.shop.id", "ftp://shop.id", "https://", "https://shop.id/?x=1"])
def test_bad_url(url):
    assert problem(url, email="a@b.id", password="pw").kind is ProblemKind.BAD_URL


def test_either_password_or_token():
    with pytest.raises(ValueError):
        probe("http://x.test", email="a@b.id", password="pw", token="t")
    with pytest.raises(ValueError):
        probe("http://x.test", email="a@b.id")


def test_clean_token():
    assert clean_token(" 'Bearer abc.def.ghi' \n") == "abc.def.ghi"


# --- real sockets ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused():
    p = problem(f"http://127.0.0.1:{free_port()}", email="a@b.id", password="pw")
    assert p.kind is ProblemKind.CONNECTION_REFUSED
    assert "127.0.0.1" in p.message


def test_host_not_found():
    # .invalid never resolves (RFC 2606), so this needs no network
    p = problem("https://zavera.invalid", email="a@b.id", password="pw")
    assert p.kind is ProblemKind.HOST_NOT_FOUND


def test_timeout():
    # a listening socket that never accepts: the connection completes in the kernel, no answer comes
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        port = server.getsockname()[1]
        p = problem(f"http://127.0.0.1:{port}", email="a@b.id", password="pw",
                    timeout=httpx.Timeout(0.3))
    assert p.kind is ProblemKind.TIMEOUT


@pytest.fixture(scope="module")
def self_signed_cert(tmp_path_factory) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 generated now, signed by itself (so no client trusts it)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@pytest.fixture
def https_server(self_signed_cert) -> Iterator[str]:
    """A loopback HTTPS server with the self-signed certificate; answers 404 to everything."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, self_signed_cert))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_untrusted_tls_certificate(https_server):
    p = problem(https_server, email="a@b.id", password="pw")
    assert p.kind is ProblemKind.TLS_CERTIFICATE
    assert "certificate" in p.message and "not trusted" in p.message


# --- what other servers answer (injected transport) ----------------------------------------------


def mock(handler) -> httpx.MockTransport:
    return httpx.MockTransport(handler)


def test_web_page_instead_of_the_api():
    page = "<!doctype html><html><body>Welcome to our shop</body></html>"
    transport = mock(lambda request: httpx.Response(200, html=page))
    p = problem("https://shop.test", email="a@b.id", password="secret-pw", transport=transport)
    assert p.kind is ProblemKind.NOT_ZAVERA
    assert "not like a Zavera shop backend" in p.message
    assert_no_secret(str(p), "secret-pw")


def test_404_page_at_the_login_path():
    transport = mock(lambda request: httpx.Response(404, text="Not Found"))
    assert problem("https://shop.test", email="a@b.id", password="pw", transport=transport).kind \
        is ProblemKind.NOT_ZAVERA


def test_proxy_error_is_a_server_error():
    transport = mock(lambda request: httpx.Response(502, html="<h1>Bad Gateway</h1>"))
    p = problem("https://shop.test", email="a@b.id", password="pw", transport=transport)
    assert p.kind is ProblemKind.SERVER_ERROR
    assert "HTTP 502" in p.message


def test_backend_without_jwt_secret_is_a_server_error_not_a_wrong_password():
    body = {"error": "login_failed", "message": "JWT_SECRET environment variable is required"}
    transport = mock(lambda request: httpx.Response(401, json=body))
    assert problem("https://shop.test", email="a@b.id", password="pw", transport=transport).kind \
        is ProblemKind.SERVER_ERROR


def test_tls_failure_from_the_transport():
    def handler(request):
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed "
                                 "certificate", request=request)

    assert problem("https://shop.test", email="a@b.id", password="pw", transport=mock(handler)).kind \
        is ProblemKind.TLS_CERTIFICATE


def test_refused_from_the_transport():
    def handler(request):
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    assert problem("https://shop.test", email="a@b.id", password="pw", transport=mock(handler)).kind \
        is ProblemKind.CONNECTION_REFUSED


def test_timeout_from_the_transport():
    def handler(request):
        raise httpx.ReadTimeout("timed out", request=request)

    assert problem("https://shop.test", email="a@b.id", password="pw", transport=mock(handler)).kind \
        is ProblemKind.TIMEOUT


def test_invalid_email_from_the_validator():
    body = {"error": "invalid_request", "message": "Key: 'LoginRequest.Email' Error:Field validation"}
    transport = mock(lambda request: httpx.Response(400, json=body))
    assert problem("https://shop.test", email="a@b", password="pw", transport=transport).kind \
        is ProblemKind.INVALID_EMAIL


def test_admin_endpoint_missing_means_not_zavera():
    now = int(time.time())
    token = jwt.encode({"email": "a@b.id", "exp": now + 3600, "iat": now, "user_id": 1}, "k" * 32,
                       algorithm="HS256")

    def handler(request):
        return httpx.Response(404, text="404 page not found")

    assert problem("https://shop.test", token=token, transport=mock(handler)).kind is ProblemKind.NOT_ZAVERA
