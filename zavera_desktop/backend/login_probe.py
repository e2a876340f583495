"""Check a backend URL and a login, and say what is wrong in words an admin understands (no Qt).

Used by the login dialog and, later, by a ``doctor`` command. The check is the real thing: log in
(or take the pasted token), then read one admin endpoint (``GET /api/admin/dashboard/payments``),
because the backend has no "is admin" flag — only 200 versus 403 tells (contract §1.5, §1.6).

Every failure comes out as ``LoginProblem`` with a ``ProblemKind`` (for the UI to pick its
translated sentence) and an English ``message`` (for logs and the command line). No message ever
contains the password or the token.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

import httpx
import jwt

from zavera_desktop.backend.client import ZaveraClient, token_expires_at
from zavera_desktop.backend.errors import (
    AuthError,
    BadResponseError,
    ForbiddenError,
    HTTPStatusError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    RequestRejectedError,
    ServerError,
    ZaveraError,
)
from zavera_desktop.logging_setup import register_secret

#: per-request limits of the check: long enough for a slow shop server, short enough for a dialog
PROBE_TIMEOUT = httpx.Timeout(connect=10.0, read=20.0, write=10.0, pool=10.0)
ADMIN_PROBE_PATH = "/api/admin/dashboard/payments"


class ProblemKind(StrEnum):
    WRONG_PASSWORD = "wrong_password"
    NOT_ADMIN = "not_admin"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    CONNECTION_REFUSED = "connection_refused"
    HOST_NOT_FOUND = "host_not_found"
    TLS_CERTIFICATE = "tls_certificate"
    TIMEOUT = "timeout"
    NOT_ZAVERA = "not_zavera"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_INVALID = "token_invalid"
    SERVER_ERROR = "server_error"
    BAD_URL = "bad_url"
    INVALID_EMAIL = "invalid_email"


class LoginProblem(ZaveraError):
    """The login check failed; ``kind`` says why, ``str()`` says it in English."""

    def __init__(self, kind: ProblemKind, message: str, *, host: str = "", email: str = "",
                 status: int | None = None, expired_at: datetime | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.host = host
        self.email = email
        self.status = status
        self.expired_at = expired_at


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A login proved to have admin rights on ``backend_url``."""

    backend_url: str
    email: str
    auth_kind: str  # "password" or "token"
    token: str = field(repr=False)
    expires_at: datetime | None  # the token's exp (aware UTC), None when it has none

    def expires_within(self, delta: timedelta, now: datetime | None = None) -> bool:
        if self.expires_at is None:
            return False
        return self.expires_at - (now or datetime.now(UTC)) <= delta


def clean_backend_url(url: str) -> str:
    """The base URL as the client wants it, or ``LoginProblem(BAD_URL)``."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise LoginProblem(
            ProblemKind.BAD_URL,
            f"{url!r} is not a backend address; it must look like https://api.example.com",
        )
    if parts.query or parts.fragment:
        raise LoginProblem(ProblemKind.BAD_URL, "The backend address must not contain '?' or '#'.")
    return url


def clean_token(token: str) -> str:
    """A pasted token without the quotes, spaces and ``Bearer`` a copy from a browser may bring."""
    token = token.strip().strip("\"'").strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    return token


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it was raised from or during (the client raises ``from None``,
    which hides the cause from tracebacks but keeps it as ``__context__``)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend((current.__cause__, current.__context__))


def classify_network_error(exc: BaseException, host: str) -> LoginProblem:
    """Timeout, refused, unknown host or a TLS problem, from a (wrapped) httpx transport error."""
    chain = list(_chain(exc))
    texts = " ".join(str(e) for e in chain)
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or "CERTIFICATE_VERIFY_FAILED" in texts:
        return LoginProblem(
            ProblemKind.TLS_CERTIFICATE,
            f"The HTTPS certificate of {host} is not trusted (self-signed, expired or issued for another "
            f"name), so the connection was not made.",
            host=host,
        )
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return LoginProblem(
            ProblemKind.TLS_CERTIFICATE,
            f"The secure (HTTPS) connection to {host} failed; check whether the address should start with "
            f"http:// instead of https://.",
            host=host,
        )
    if any(isinstance(e, httpx.TimeoutException | TimeoutError) for e in chain):
        return LoginProblem(ProblemKind.TIMEOUT, f"The backend at {host} did not answer in time.", host=host)
    if any(isinstance(e, socket.gaierror) for e in chain):
        return LoginProblem(
            ProblemKind.HOST_NOT_FOUND,
            f"The host name {host} cannot be found; check the address for typos and the internet connection.",
            host=host,
        )
    return LoginProblem(
        ProblemKind.CONNECTION_REFUSED,
        f"Nothing answers at {host}: the connection was refused or the host is unreachable. Check the address "
        f"and port, and that the backend is running.",
        host=host,
    )


def _not_zavera(host: str, status: int | None, what: str, url_path: str) -> LoginProblem:
    hint = " (leave /api out of the address)" if url_path.rstrip("/").endswith("/api") else ""
    return LoginProblem(
        ProblemKind.NOT_ZAVERA,
        f"The server at {host} answered, but not like a Zavera shop backend ({what}){hint}. "
        f"Check the backend address.",
        host=host, status=status,
    )


def _server_error(host: str, exc: HTTPStatusError) -> LoginProblem:
    if isinstance(exc, RateLimitedError):
        text = f"The backend at {host} asks to wait {exc.retry_after:.0f} s before trying again."
    else:
        text = f"The backend at {host} failed (HTTP {exc.status}); try again later or ask whoever runs the server."
    return LoginProblem(ProblemKind.SERVER_ERROR, text, host=host, status=exc.status)


def _classify_login(exc: ZaveraError, host: str, email: str, url_path: str) -> LoginProblem:
    """``POST /api/auth/login`` failed: what does that mean for the admin?"""
    if isinstance(exc, NetworkError):
        return classify_network_error(exc, host)
    if isinstance(exc, BadResponseError):
        return _not_zavera(host, None, "its answer to the login is not Zavera's JSON", url_path)
    if isinstance(exc, AuthError):
        if exc.code == "login_failed":
            if exc.server_message in ("", "invalid email or password"):
                return LoginProblem(
                    ProblemKind.WRONG_PASSWORD,
                    "Wrong e-mail or password. If this shop's admin account signs in with Google, it has no "
                    "password: paste a token instead.",
                    host=host, email=email, status=401,
                )
            # the same code also reports a server without JWT_SECRET or a database failure (§1.1)
            return LoginProblem(
                ProblemKind.SERVER_ERROR,
                f"The backend at {host} cannot log anyone in right now (it reports a problem on its side).",
                host=host, status=401,
            )
        return _not_zavera(host, 401, "the login answered 401 without Zavera's error", url_path)
    if isinstance(exc, ForbiddenError):
        if exc.code == "email_not_verified":
            return LoginProblem(
                ProblemKind.EMAIL_NOT_VERIFIED,
                f"The e-mail address {email} has not been verified yet, so the shop does not let it log in. "
                f"Open the verification e-mail from the shop first.",
                host=host, email=email, status=403,
            )
        return _not_zavera(host, 403, "the login answered 403", url_path)
    if isinstance(exc, RequestRejectedError) and exc.status == 400 and exc.code == "invalid_request":
        return LoginProblem(
            ProblemKind.INVALID_EMAIL,
            f"The backend did not accept {email!r} as an e-mail address.",
            host=host, email=email, status=400,
        )
    if isinstance(exc, ServerError | RateLimitedError):
        return _server_error(host, exc)
    if isinstance(exc, HTTPStatusError):
        return _not_zavera(host, exc.status, f"HTTP {exc.status} at /api/auth/login", url_path)
    return _not_zavera(host, None, type(exc).__name__, url_path)


def _classify_admin_check(exc: ZaveraError, host: str, email: str, url_path: str,
                          auth_kind: str) -> LoginProblem:
    """The login worked (or a token was given); the admin endpoint refused or failed."""
    if isinstance(exc, NetworkError):
        return classify_network_error(exc, host)
    if isinstance(exc, ForbiddenError):
        who = f"The account {email}" if email else "This account"
        return LoginProblem(
            ProblemKind.NOT_ADMIN,
            f"{who} is not this shop's admin account, so it cannot see orders or payments. "
            f"Log in with the admin's e-mail address.",
            host=host, email=email, status=403,
        )
    if isinstance(exc, AuthError):
        if auth_kind == "token":
            if exc.code == "session_expired":
                text = "The account this token belongs to no longer exists on the backend."
            else:
                text = ("The backend does not accept this token: it was issued by another backend, has been "
                        "cut or changed while copying, or has expired. Copy it again.")
            return LoginProblem(ProblemKind.TOKEN_INVALID, text, host=host, email=email, status=401)
        return LoginProblem(
            ProblemKind.SERVER_ERROR,
            f"The backend at {host} issued a login it then refused (its configuration may be broken).",
            host=host, status=401,
        )
    if isinstance(exc, NotFoundError):
        if auth_kind == "token" and exc.code == "not_found":
            return LoginProblem(ProblemKind.TOKEN_INVALID, "The account this token belongs to was not found.",
                                host=host, email=email, status=404)
        return _not_zavera(host, 404, f"no {ADMIN_PROBE_PATH}", url_path)
    if isinstance(exc, BadResponseError):
        return _not_zavera(host, None, "the admin data is not Zavera's JSON", url_path)
    if isinstance(exc, ServerError | RateLimitedError):
        return _server_error(host, exc)
    if isinstance(exc, HTTPStatusError):
        return _not_zavera(host, exc.status, f"HTTP {exc.status} at {ADMIN_PROBE_PATH}", url_path)
    return _not_zavera(host, None, type(exc).__name__, url_path)


def check_token_shape(token: str, now: datetime | None = None) -> tuple[str, datetime | None]:
    """The e-mail claim and expiry of a pasted token, or ``LoginProblem`` (no network).

    Read without verifying the signature (only the backend knows the secret), so this catches
    what a copy-paste can break and an expired token; the backend's answer is the real check.
    """
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise LoginProblem(
            ProblemKind.TOKEN_INVALID,
            "This is not a login token (a token is one long line of letters and digits in three parts "
            "separated by dots, starting with eyJ). Copy it again.",
        ) from None
    email = claims.get("email")
    email = email if isinstance(email, str) else ""
    expires = token_expires_at(token)
    if expires is not None and expires <= (now or datetime.now(UTC)):
        raise LoginProblem(
            ProblemKind.TOKEN_EXPIRED,
            f"This token expired at {expires:%Y-%m-%d %H:%M} UTC. Tokens last 24 hours and cannot be renewed: "
            f"get a new one.",
            email=email, expired_at=expires,
        )
    return email, expires


async def probe_login(
    backend_url: str,
    *,
    email: str | None = None,
    password: str | None = None,
    token: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: httpx.Timeout = PROBE_TIMEOUT,
) -> LoginResult:
    """Log in (e-mail + password) or take ``token``, then prove admin rights.

    Returns the proven login; raises ``LoginProblem`` with what is wrong. Give either
    ``email`` and ``password`` or ``token``.
    """
    url = clean_backend_url(backend_url)
    parts = urlsplit(url)
    host = parts.netloc
    if token is not None:
        if email is not None or password is not None:
            raise ValueError("give either email and password, or a token")
        token = clean_token(token)
        register_secret(token)
        claim_email, expires = check_token_shape(token)
        auth_kind = "token"
    else:
        if not email or not password:
            raise ValueError("email and password are required without a token")
        email = email.strip()
        register_secret(password)
        auth_kind = "password"

    client = ZaveraClient(url, token=token, transport=transport, timeout=timeout)
    try:
        if auth_kind == "password":
            try:
                user = await client.login(email, password)
            except ZaveraError as exc:
                raise _classify_login(exc, host, email or "", parts.path) from None
            token = client.token or ""
            register_secret(token)
            account = user.email or email or ""
            expires = token_expires_at(token)
        else:
            account = claim_email
        try:
            await client.dashboard_payments()
        except ZaveraError as exc:
            raise _classify_admin_check(exc, host, account, parts.path, auth_kind) from None
    finally:
        await client.aclose()
    return LoginResult(backend_url=url, email=account, auth_kind=auth_kind, token=token or "", expires_at=expires)
