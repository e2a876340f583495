"""The setup checks behind ``zavera-desktop doctor`` and the window's "Run checks" (no Qt, no printing).

One ``CheckResult`` per check, in this order; a check that needs an earlier one which failed is reported
as not checked (``skipped``) instead of failing again for the same reason:

    backend          the backend answers (``GET /health``); 5xx from a proxy means the backend behind it is down
    tls_certificate  (https only) the certificate is trusted and not about to expire
    clock            this computer's clock against the backend's HTTP ``Date``
    login            e-mail + password accepted, or the pasted token (``backend/login_probe.py``)
    admin            the account has admin rights (an admin endpoint answers 200, not 403)
    dashboard        ``GET /api/admin/dashboard/payments``
    orders           ``GET /api/admin/orders``
    stream           ``GET /api/admin/events``: the ``connected`` event, then a keepalive or the ``system`` event
    midtrans_key     the server key, by asking Midtrans about a made-up order (404 = key accepted, 401 = refused)
    webhook_route    (``probe_webhook``) the Core webhook route answers an unsigned probe with its signature error

Every message is for a shop admin and never contains the password, the token or the server key (the
key is only ever an Authorization header; the messages name hosts, not URLs with credentials).
Opening the stream makes the backend broadcast its ``system`` "SSE Connected" event to every connected
admin (contract §2.2) — the web admin shows a toast; that is the backend's doing and harmless.
"""

from __future__ import annotations

import asyncio
import email.utils
import secrets
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from zavera_desktop.backend.client import ZaveraClient
from zavera_desktop.backend.errors import (
    MidtransAuthError,
    MidtransError,
    MidtransNotFoundError,
    MidtransUnavailableError,
    ZaveraError,
)
from zavera_desktop.backend.login_probe import (
    PROBE_TIMEOUT,
    LoginProblem,
    LoginResult,
    ProblemKind,
    classify_network_error,
    clean_backend_url,
    probe_login,
)
from zavera_desktop.backend.midtrans import MidtransAccess, MidtransClient
from zavera_desktop.backend.stream import EVENTS_PATH, content_type_is_event_stream

#: the order of the checks, with a short title for printing
CHECKS: dict[str, str] = {
    "backend": "Backend reachable",
    "tls_certificate": "TLS certificate",
    "clock": "Clock",
    "login": "Login",
    "admin": "Admin rights",
    "dashboard": "Payment dashboard endpoint",
    "orders": "Orders endpoint",
    "stream": "Live stream",
    "midtrans_key": "Midtrans server key",
    "webhook_route": "Core webhook route",
}
CORE_WEBHOOK_PATH = "/api/webhook/midtrans/core"
#: how long the stream check waits for each of its two signals (the backend's keepalive is every 30 s)
STREAM_TIMEOUT = 40.0
#: clock differences above this fail the clock check
CLOCK_TOLERANCE = 60.0
#: a certificate that expires sooner than this fails the TLS check (renew it now)
CERT_WARNING_DAYS = 14


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check: ``check`` is a stable id (see ``CHECKS``), ``detail`` what was found and ``fix`` what to do
    (English, for the CLI; the window translates by ``check`` and ``ok``)."""

    check: str
    ok: bool
    detail: str
    fix: str = ""
    #: not run because a check it needs failed (``ok`` is False)
    skipped: bool = False

    @property
    def title(self) -> str:
        return CHECKS.get(self.check, self.check)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "ok": self.ok, "detail": self.detail, "fix": self.fix}
        if self.skipped:
            out["skipped"] = True
        return out


def summary(results: list[CheckResult]) -> dict[str, int]:
    return {"ok": sum(r.ok for r in results), "failed": sum(not r.ok and not r.skipped for r in results),
            "skipped": sum(r.skipped for r in results)}


def _skip(check: str, because: str) -> CheckResult:
    return CheckResult(check, False, f"not checked: {because}", skipped=True)


def _host(url: str) -> str:
    """host[:port] without any user:password@ part."""
    parts = urlsplit(url)
    host = parts.hostname or url
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port else host


_NETWORK_FIXES = {
    ProblemKind.CONNECTION_REFUSED: "Check the address and port, and that the backend is running.",
    ProblemKind.HOST_NOT_FOUND: "Check the address for typos and this computer's internet connection (DNS).",
    ProblemKind.TIMEOUT: "Check this computer's internet connection and that the backend is running; a firewall "
                         "may be dropping the connection.",
    ProblemKind.TLS_CERTIFICATE: "Give the backend a certificate from a public authority (e.g. Let's Encrypt) for "
                                 "this exact host name, or use the address its certificate is issued for. Also check "
                                 "this computer's date and time.",
}
_LOGIN_FIXES = {
    ProblemKind.WRONG_PASSWORD: "Type the shop admin's e-mail and password again. An admin account created with "
                                "Google has no password: paste a token instead (--token-env).",
    ProblemKind.EMAIL_NOT_VERIFIED: "Open the verification e-mail the shop sent to this address, then try again.",
    ProblemKind.INVALID_EMAIL: "Give the full e-mail address of the shop admin.",
    ProblemKind.TOKEN_EXPIRED: "Tokens last 24 hours: copy a fresh one from the web admin (or log in with e-mail "
                               "and password).",
    ProblemKind.TOKEN_INVALID: "Copy the token again, completely (three parts separated by dots), from this same "
                               "backend.",
    ProblemKind.NOT_ZAVERA: "Check the backend address: it must be the shop's API server (without /api at the end).",
    ProblemKind.SERVER_ERROR: "Try again later, or ask whoever runs the backend to look at its logs.",
    ProblemKind.BAD_URL: "Give the backend address as https://host (or http://host:port for a test server).",
    ProblemKind.NOT_ADMIN: "Log in with the shop admin's account (the backend's ADMIN_GOOGLE_EMAIL address).",
}
#: kinds that mean "the admin check failed" — everything else is about the login itself
_ADMIN_KINDS = frozenset({ProblemKind.NOT_ADMIN})


class _Backend:
    """What the first check learned, for the later ones."""

    def __init__(self) -> None:
        self.reachable = False
        self.date: datetime | None = None
        self.local_mid: datetime | None = None


async def _check_backend(url: str, transport: httpx.AsyncBaseTransport | None,
                         now: Callable[[], datetime], seen: _Backend) -> CheckResult:
    host = _host(url)
    async with httpx.AsyncClient(timeout=PROBE_TIMEOUT, transport=transport, trust_env=transport is None,
                                 follow_redirects=False, headers={"User-Agent": "ZaveraDesktop/doctor"}) as http:
        before = now()
        started = time.monotonic()
        try:
            response = await http.get(url + "/health")
        except httpx.HTTPError as exc:
            problem = classify_network_error(exc, host)
            return CheckResult("backend", False, problem.message, _NETWORK_FIXES.get(problem.kind, ""))
        elapsed_ms = (time.monotonic() - started) * 1000
        after = now()
    seen.local_mid = before + (after - before) / 2
    date = response.headers.get("date")
    if date:
        try:
            seen.date = email.utils.parsedate_to_datetime(date).astimezone(UTC)
        except (TypeError, ValueError):
            seen.date = None
    status = response.status_code
    if status >= 500:
        return CheckResult("backend", False, f"{host} answers HTTP {status}: a proxy in front of the backend is up, "
                                             f"but the backend behind it does not answer.",
                           "Start the backend (or ask whoever runs the server), then run the checks again.")
    seen.reachable = True
    if status == 200:
        return CheckResult("backend", True, f"{host} answers ({elapsed_ms:.0f} ms).")
    # a proxy that forwards only /api/ hides /health; the login check proves the rest
    return CheckResult("backend", True, f"{host} answers, but /health gave HTTP {status} (a proxy may forward only "
                                        f"/api/; the next checks tell whether the API works).")


def _peer_certificate(host: str, port: int, context: ssl.SSLContext, timeout: float) -> dict[str, Any]:
    with socket.create_connection((host, port), timeout=timeout) as sock, \
            context.wrap_socket(sock, server_hostname=host) as tls:
        return tls.getpeercert() or {}


async def _check_tls(url: str, context: ssl.SSLContext | None, now: Callable[[], datetime]) -> CheckResult:
    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or 443
    if context is None:
        context = ssl.create_default_context()
        try:
            import certifi  # httpx's own trust store, so this check trusts what the app's requests trust

            context.load_verify_locations(certifi.where())
        except (ImportError, OSError):
            pass
    try:
        cert = await asyncio.to_thread(_peer_certificate, host, port, context, 10.0)
    except ssl.SSLCertVerificationError as exc:
        reason = exc.verify_message or "not trusted"
        return CheckResult("tls_certificate", False, f"The certificate of {_host(url)} is not trusted ({reason}).",
                           _NETWORK_FIXES[ProblemKind.TLS_CERTIFICATE])
    except (OSError, ssl.SSLError) as exc:
        return CheckResult("tls_certificate", False, f"No secure connection to {_host(url)} "
                                                     f"({exc.__class__.__name__}).",
                           _NETWORK_FIXES[ProblemKind.TLS_CERTIFICATE])
    not_after = cert.get("notAfter")
    if not isinstance(not_after, str):
        return CheckResult("tls_certificate", True, "The certificate is trusted (its expiry date was not readable).")
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), UTC)
    days = (expires - now()).total_seconds() / 86400
    when = expires.strftime("%Y-%m-%d")
    if days < 0:
        return CheckResult("tls_certificate", False, f"The certificate expired on {when}.",
                           "Renew the backend's certificate now (e.g. certbot renew) and reload the web server.")
    if days < CERT_WARNING_DAYS:
        return CheckResult("tls_certificate", False, f"The certificate expires on {when}, in {days:.0f} days.",
                           "Renew the backend's certificate before then (check that automatic renewal works).")
    return CheckResult("tls_certificate", True, f"Trusted, valid until {when} ({days:.0f} days).")


def _check_clock(seen: _Backend, tolerance: float) -> CheckResult:
    if seen.date is None or seen.local_mid is None:
        return CheckResult("clock", True, "Not measurable: the backend sent no Date header.")
    diff = (seen.local_mid - seen.date).total_seconds()
    # the Date header has whole seconds: up to a second of difference is the header's, not the clocks'
    words = "the same as" if abs(diff) < 1.5 else (
        f"{abs(diff):.0f} s {'ahead of' if diff > 0 else 'behind'}")
    detail = f"This computer's clock is {words} the backend's."
    if abs(diff) <= tolerance:
        return CheckResult("clock", True, detail)
    return CheckResult("clock", False, detail + " Token expiry warnings and the 'last hour' health picture use this "
                                                "computer's clock.",
                       "Turn on automatic date and time (NTP) on this computer; if this computer is right, ask whoever "
                       "runs the backend to fix the server's clock.")


def _login_results(result: LoginResult | LoginProblem, auth_kind: str) -> tuple[CheckResult, CheckResult]:
    if isinstance(result, LoginResult):
        who = result.email or "the account"
        login = (f"Logged in as {who}." if auth_kind == "password" else f"The token of {who} is accepted"
                 + (f" (valid until {result.expires_at:%Y-%m-%d %H:%M} UTC)." if result.expires_at else "."))
        return CheckResult("login", True, login), CheckResult("admin", True, f"{who} has admin rights.")
    fix = _LOGIN_FIXES.get(result.kind) or _NETWORK_FIXES.get(result.kind, "")
    if result.kind in _ADMIN_KINDS:
        who = result.email or "the account"
        return (CheckResult("login", True, f"Logged in as {who}." if auth_kind == "password"
                            else f"The token of {who} is accepted."),
                CheckResult("admin", False, result.message, fix))
    return CheckResult("login", False, result.message, fix), _skip("admin", "the login failed")


async def _check_endpoints(url: str, token: str, transport: httpx.AsyncBaseTransport | None,
                           ) -> tuple[CheckResult, CheckResult]:
    client = ZaveraClient(url, token=token, transport=transport, timeout=PROBE_TIMEOUT)
    try:
        try:
            dash = await client.dashboard_payments()
            stuck = len(dash.stuck_payments)
            dashboard = CheckResult("dashboard", True, f"{dash.pending_count} payments pending, {stuck} stuck, "
                                                       f"{dash.today_paid_count} paid today.")
        except ZaveraError as exc:
            dashboard = CheckResult("dashboard", False, str(exc), _endpoint_fix(exc))
        try:
            page = await client.list_orders(page=1, page_size=1)
            orders = CheckResult("orders", True, f"{page.total_count} orders in total.")
        except ZaveraError as exc:
            orders = CheckResult("orders", False, str(exc), _endpoint_fix(exc))
    finally:
        await client.aclose()
    return dashboard, orders


def _endpoint_fix(exc: ZaveraError) -> str:
    status = getattr(exc, "status", None)
    if status is not None and status >= 500:
        return "The backend fails on this endpoint (often its database): ask whoever runs it to look at its logs."
    return "Check that the backend is the Zavera shop's, at a version with the admin payment monitor."


async def _check_stream(url: str, token: str, transport: httpx.AsyncBaseTransport | None,
                        timeout: float) -> CheckResult:
    """Open the stream; wait (bounded) for ``connected``, then for a keepalive comment or any notification."""
    host = _host(url)
    started = time.monotonic()
    connected_at: float | None = None
    proxy_fix = ("A proxy between here and the backend holds the stream back. nginx: in the /api/admin/events "
                 "location set `proxy_buffering off; proxy_read_timeout 1h; proxy_http_version 1.1;` (and no gzip "
                 "for text/event-stream); other proxies: turn off response buffering, raise the idle timeout above "
                 "60 s.")
    stream_timeout = httpx.Timeout(connect=10.0, read=timeout, write=10.0, pool=10.0)
    async with httpx.AsyncClient(base_url=url, transport=transport, trust_env=transport is None,
                                 timeout=stream_timeout) as http:
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache", "Authorization": f"Bearer {token}"}
        try:
            async with asyncio.timeout(2 * timeout + 15), http.stream("GET", EVENTS_PATH, headers=headers) as resp:
                if resp.status_code in (401, 403):
                    return CheckResult("stream", False, f"The stream refused this login (HTTP {resp.status_code}).",
                                       "Log in again with the shop admin's account.")
                if resp.status_code != 200 or not content_type_is_event_stream(resp.headers.get("content-type")):
                    ctype = resp.headers.get("content-type", "none")
                    return CheckResult("stream", False, f"{EVENTS_PATH} answered HTTP {resp.status_code} ({ctype}), "
                                                        f"not an event stream.",
                                       "A proxy or another server answers instead of the backend: forward "
                                       f"{EVENTS_PATH} to the backend unchanged.")
                async for line in resp.aiter_lines():
                    if connected_at is None:
                        if line.strip() == "event: connected":
                            connected_at = time.monotonic()
                        continue
                    if line.startswith(":") or (line.startswith("data:") and '"type"' in line):
                        waited = time.monotonic() - connected_at
                        what = "a keepalive" if line.startswith(":") else "an event"
                        return CheckResult("stream", True, f"Connected in {connected_at - started:.1f} s; {what} "
                                                           f"followed {waited:.1f} s later.")
                ended = "the backend ended the stream"
        except (TimeoutError, httpx.ReadTimeout):
            ended = ""
        except httpx.HTTPError as exc:
            if connected_at is None and isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
                problem = classify_network_error(exc, host)
                return CheckResult("stream", False, problem.message, _NETWORK_FIXES.get(problem.kind, ""))
            ended = f"the connection broke ({exc.__class__.__name__})"
    if connected_at is None:
        if ended:
            return CheckResult("stream", False, f"The stream opened but {ended} before its first event.", proxy_fix)
        return CheckResult("stream", False, f"The stream opened, but no event arrived in {timeout:.0f} s.", proxy_fix)
    after = time.monotonic() - connected_at
    if ended:
        return CheckResult("stream", False, f"Connected, then {ended} after {after:.0f} s.", proxy_fix)
    return CheckResult("stream", False, f"Connected, then silence for {timeout:.0f} s: neither a keepalive (the "
                                        f"backend sends one every 30 s) nor an event came through.", proxy_fix)


async def _check_midtrans(access: MidtransAccess | None, transport: httpx.AsyncBaseTransport | None) -> CheckResult:
    if access is None:
        return CheckResult("midtrans_key", True,
                           "Not configured (optional): without it, payments are checked through the backend only, and "
                           "money Midtrans received for expired or cancelled orders cannot be found.",
                           "To turn it on, give the Midtrans environment and the server key (--midtrans-env and "
                           "--server-key-env; in the window, the settings).")
    where = {"sandbox": "Midtrans sandbox", "production": "Midtrans production"}.get(
        access.environment, f"Midtrans at {_host(access.base_url)}")
    client = MidtransClient(access, transport=transport, timeout=15.0)
    try:
        # a made-up order: 404 means the key was accepted, 401 that it was refused; nothing is created
        await client.status(f"ZAVERA-DOCTOR-{secrets.token_hex(6).upper()}")
    except MidtransNotFoundError:
        return CheckResult("midtrans_key", True, f"{where} accepts the server key.")
    except MidtransAuthError:
        hint = ""
        looks_sandbox = access.server_key.startswith("SB-")
        if access.environment == "production" and looks_sandbox:
            hint = " The key looks like a sandbox key (SB-…), but the production environment was chosen."
        elif access.environment == "sandbox" and not looks_sandbox:
            hint = " The key does not look like a sandbox key (those start with SB-), but sandbox was chosen."
        return CheckResult("midtrans_key", False, f"{where} refuses the server key.{hint}",
                           "Copy the Server Key again from the Midtrans dashboard (Settings → Access Keys) of the "
                           "same environment as the shop; it is not the Client Key.")
    except MidtransUnavailableError as exc:
        return CheckResult("midtrans_key", False, str(exc), "Check this computer's internet connection; if Midtrans "
                                                            "itself has trouble, try again later.")
    except MidtransError as exc:
        return CheckResult("midtrans_key", False, str(exc), "Check the Midtrans address and environment.")
    finally:
        await client.aclose()
    return CheckResult("midtrans_key", True, f"{where} accepts the server key.")


async def _check_webhook(url: str, transport: httpx.AsyncBaseTransport | None) -> CheckResult:
    """POST an unsigned notification: a working Core route refuses it (signature), nothing is processed."""
    target = url + CORE_WEBHOOK_PATH
    # unsigned, a status that changes nothing even if accepted, for an order that does not exist
    probe = {"order_id": f"ZAVERA-DOCTOR-PROBE-{secrets.token_hex(4)}", "transaction_status": "pending",
             "status_code": "201", "gross_amount": "0.00", "signature_key": "unsigned-doctor-probe",
             "transaction_id": "", "payment_type": "bank_transfer", "status_message": "zavera-desktop doctor probe"}
    client = ZaveraClient(url, transport=transport, timeout=PROBE_TIMEOUT)
    try:
        answer = await client.post_webhook(target, probe)
    except ZaveraError as exc:
        status = getattr(exc, "status", None)
        if status == 404:
            return CheckResult("webhook_route", False, f"{CORE_WEBHOOK_PATH} does not exist on {_host(url)} (404).",
                               "Forward /api/webhook/ to the backend (proxy), or update the backend.")
        return CheckResult("webhook_route", False, f"{CORE_WEBHOOK_PATH}: {exc}",
                           "The Core webhook route must answer Midtrans with the backend's JSON; check the proxy.")
    finally:
        await client.aclose()
    if answer.status == "error" and "signature" in answer.message.lower():
        return CheckResult("webhook_route", True, f"{CORE_WEBHOOK_PATH} exists and refused an unsigned notification "
                                                  f"(“{answer.message}”). Midtrans must reach this same address from "
                                                  f"the internet.")
    return CheckResult("webhook_route", False, f"{CORE_WEBHOOK_PATH} answered an unsigned notification with "
                                               f"“{answer.status}: {answer.message or '-'}” instead of a signature "
                                               f"error.",
                       "The route may not be the backend's Core webhook, or its signature check is broken: ask whoever "
                       "runs the backend.")


async def run_checks(
    backend_url: str,
    *,
    email: str | None = None,
    password: str | None = None,
    token: str | None = None,
    midtrans: MidtransAccess | None = None,
    probe_webhook: bool = False,
    stream_timeout: float = STREAM_TIMEOUT,
    clock_tolerance: float = CLOCK_TOLERANCE,
    transport: httpx.AsyncBaseTransport | None = None,
    midtrans_transport: httpx.AsyncBaseTransport | None = None,
    ssl_context: ssl.SSLContext | None = None,
    now: Callable[[], datetime] | None = None,
    progress: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Run every check (see the module docstring); give ``email`` and ``password`` or ``token``.

    ``progress`` is called with each result as soon as it is known (the window shows them one by one).
    Every network wait is bounded; the whole run takes seconds, up to about ``2 × stream_timeout`` when the
    stream stays silent.
    """
    clock = now or (lambda: datetime.now(UTC))
    results: list[CheckResult] = []

    def done(result: CheckResult) -> None:
        results.append(result)
        if progress is not None:
            progress(result)

    try:
        url = clean_backend_url(backend_url)
    except LoginProblem as problem:
        done(CheckResult("backend", False, problem.message, _LOGIN_FIXES[ProblemKind.BAD_URL]))
        for check in ("login", "admin", "dashboard", "orders", "stream"):
            done(_skip(check, "the backend address is not valid"))
        done(await _check_midtrans(midtrans, midtrans_transport))
        return results
    seen = _Backend()
    done(await _check_backend(url, transport, clock, seen))
    if url.lower().startswith("https://") and transport is None:
        done(await _check_tls(url, ssl_context, clock))
    if not seen.reachable:
        for check in ("clock", "login", "admin", "dashboard", "orders", "stream"):
            done(_skip(check, "the backend cannot be reached"))
    else:
        done(_check_clock(seen, clock_tolerance))
        auth_kind = "token" if token is not None else "password"
        try:
            login: LoginResult | LoginProblem = await probe_login(url, email=email, password=password, token=token,
                                                                  transport=transport)
        except LoginProblem as problem:
            login = problem
        login_result, admin_result = _login_results(login, auth_kind)
        done(login_result)
        done(admin_result)
        if isinstance(login, LoginResult):
            dashboard, orders = await _check_endpoints(url, login.token, transport)
            done(dashboard)
            done(orders)
            done(await _check_stream(url, login.token, transport, stream_timeout))
        else:
            why = "the login failed" if not login_result.ok else "the account is not the shop admin"
            for check in ("dashboard", "orders", "stream"):
                done(_skip(check, why))
    done(await _check_midtrans(midtrans, midtrans_transport))
    if probe_webhook:
        done(await _check_webhook(url, transport) if seen.reachable
             else _skip("webhook_route", "the backend cannot be reached"))
    return results
