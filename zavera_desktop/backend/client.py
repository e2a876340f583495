"""REST client for the Zavera backend (contract §1, §3, §4.1), on ``httpx.AsyncClient``.

It decodes the backend's quirks once, so nothing above it sees them: ``null`` lists, the
``0001-01-01 00:00:00`` null time, float amounts (→ integer rupiah), zone-less and falsely
``Z``-suffixed times (→ aware datetimes in the shop timezone). Errors come out as the tree in
``errors.py``. The transport is injectable, so tests can run without sockets.

A 401 on a REST call triggers one re-login with the stored credentials and one retry
(contract §1.7, §10.8: tokens last 24 h and cannot be refreshed).
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import httpx
import jwt

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
)
from zavera_desktop.domain import CORE_METHODS, DecodeError, parse_amount, parse_backend_time

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=10.0, pool=10.0)
MAX_RETRY_AFTER = 300.0


@dataclass(frozen=True, slots=True)
class Credentials:
    """E-mail + password kept in memory only, for re-login after a 401."""

    email: str
    password: str

    def __repr__(self) -> str:  # never let the password reach a log or traceback
        return f"Credentials(email={self.email!r}, password=***)"


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    first_name: str
    auth_provider: str


@dataclass(frozen=True, slots=True)
class OrderSummary:
    order_id: int
    order_code: str
    customer_name: str
    customer_email: str
    total_amount: int
    status: str
    created_at: datetime | None
    updated_at: datetime | None
    paid_at: datetime | None


@dataclass(frozen=True, slots=True)
class OrdersPage:
    orders: list[OrderSummary]
    total_count: int
    page: int
    page_size: int


@dataclass(frozen=True, slots=True)
class PaymentInfo:
    """The ``payment`` object of an order detail. ``is_core`` says whether ``id`` is an
    ``order_payments.id`` (usable with /core/check) or a Snap ``payments.id`` (contract §3.2)."""

    id: int
    status: str
    payment_method: str
    payment_provider: str
    amount: int | None
    transaction_id: str
    paid_at: datetime | None

    @property
    def is_core(self) -> bool:
        return self.payment_method in CORE_METHODS and not self.payment_provider.startswith("midtrans")


@dataclass(frozen=True, slots=True)
class OrderDetail:
    order: OrderSummary
    payment: PaymentInfo | None
    raw: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StuckPayment:
    payment_id: int
    order_code: str
    payment_method: str
    amount: int | None
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class DashboardPayments:
    today_paid_count: int
    pending_count: int
    stuck_payments: list[StuckPayment]


@dataclass(frozen=True, slots=True)
class CheckResult:
    payment_id: int
    status: str
    message: str


@dataclass(frozen=True, slots=True)
class WebhookAnswer:
    """What a webhook route answered. The Core webhook says 200 to everything (§5.5), so the verdict is
    in the body: ``{"status": "ok"}`` or ``{"status": "error", "message": …}``."""

    http_status: int
    status: str
    message: str

    @property
    def accepted(self) -> bool:
        return self.status == "ok"


def token_expires_at(token: str | None) -> datetime | None:
    """The ``exp`` claim of a JWT, read without verifying it (we cannot: the secret is the
    backend's). Used only to warn the admin before a pasted token runs out (§1.3: 24 h, no refresh)."""
    if not token:
        return None
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return None
    return datetime.fromtimestamp(exp, UTC)


def parse_retry_after(value: str | None, *, default: float, now: float | None = None) -> float:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), clamped."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when is None:
        return default
    delta = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, min(delta, MAX_RETRY_AFTER))


def _error_fields(content: bytes) -> tuple[str, str]:
    try:
        body = json.loads(content)
    except ValueError:
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    code = body.get("error")
    message = body.get("message")
    return (code if isinstance(code, str) else ""), (message if isinstance(message, str) else "")


def error_for_response(response: httpx.Response, *, what: str, content: bytes | None = None) -> HTTPStatusError:
    """Map an error status to the exception tree with an admin-readable message.

    ``content`` is the body when the response is streamed (its ``.content`` is not readable).
    """
    status = response.status_code
    code, server_message = _error_fields(response.content if content is None else content)
    if status == 401:
        if code == "login_failed":
            text = "The backend refused the login: wrong e-mail or password."
        elif code == "session_expired":
            text = "The session has ended (the account no longer exists); log in again."
        else:
            text = "The backend did not accept the login (the token is missing or expired); log in again."
        return AuthError(text, status=status, code=code, server_message=server_message)
    if status == 403:
        if code == "email_not_verified":
            text = "This account's e-mail address is not verified, so it cannot log in."
        else:
            text = "This account is not the shop admin, so it cannot read orders or payments."
        return ForbiddenError(text, status=status, code=code, server_message=server_message)
    if status == 404:
        return NotFoundError(f"{what}: not found.", status=status, code=code, server_message=server_message)
    if status == 429:
        wait = parse_retry_after(response.headers.get("retry-after"), default=5.0)
        return RateLimitedError(
            f"{what}: the backend asks to wait {wait:.0f} s before trying again.",
            status=status, code=code, server_message=server_message, retry_after=wait,
        )
    if status >= 500:
        retry_after = None
        if "retry-after" in response.headers:
            retry_after = parse_retry_after(response.headers.get("retry-after"), default=5.0)
        return ServerError(
            f"{what}: the backend failed (HTTP {status}).",
            status=status, code=code, server_message=server_message, retry_after=retry_after,
        )
    return RequestRejectedError(
        f"{what}: the backend rejected the request (HTTP {status}{': ' + server_message if server_message else ''}).",
        status=status, code=code, server_message=server_message,
    )


def network_error(exc: httpx.HTTPError, base_url: str, *, what: str) -> NetworkError:
    host = urlsplit(base_url).netloc or base_url
    if isinstance(exc, httpx.TimeoutException):
        reason = "it did not answer in time"
    elif isinstance(exc, httpx.ConnectError):
        reason = "the connection was refused or the host is unreachable"
    else:
        reason = "the connection broke"
    return NetworkError(f"{what}: cannot reach the shop backend at {host} ({reason}).")


def _json(response: httpx.Response, *, what: str) -> Any:
    try:
        return json.loads(response.content, parse_float=Decimal)
    except ValueError as exc:
        raise BadResponseError(f"{what}: the backend's answer is not JSON.") from exc


def _obj(value: Any, *, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadResponseError(f"{what}: expected a JSON object from the backend.")
    return value


def _int(value: Any, default: int = 0) -> int:
    if isinstance(value, bool) or value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError, ArithmeticError):
        return default


def _amount(value: Any) -> int | None:
    try:
        return parse_amount(value)
    except DecodeError:
        return None


def _time(value: Any, tz: ZoneInfo) -> datetime | None:
    try:
        return parse_backend_time(value, tz)
    except DecodeError:
        return None


def decode_order(obj: dict[str, Any], tz: ZoneInfo) -> OrderSummary:
    code = obj.get("order_code")
    if not isinstance(code, str) or not code:
        raise BadResponseError("An order in the backend's answer has no order code.")
    return OrderSummary(
        order_id=_int(obj.get("id")),
        order_code=code,
        customer_name=str(obj.get("customer_name") or ""),
        customer_email=str(obj.get("customer_email") or ""),
        total_amount=_amount(obj.get("total_amount")) or 0,
        status=str(obj.get("status") or "").upper(),
        created_at=_time(obj.get("created_at"), tz),
        updated_at=_time(obj.get("updated_at"), tz),
        paid_at=_time(obj.get("paid_at"), tz),
    )


class ZaveraClient:
    """Async REST client. One instance per backend + account; not thread-safe (one event loop)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        credentials: Credentials | None = None,
        tz: ZoneInfo | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        on_token: Callable[[str], Awaitable[None] | None] | None = None,
    ) -> None:
        from zavera_desktop.domain import DEFAULT_SHOP_TZ

        self.base_url = base_url.rstrip("/")
        self.tz = tz or ZoneInfo(DEFAULT_SHOP_TZ)
        self._token = token
        self._credentials = credentials
        self._on_token = on_token
        self._login_lock = asyncio.Lock()
        self._token_generation = 0
        self.http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=timeout,
            trust_env=transport is None,
            follow_redirects=True,
            limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
            headers={"User-Agent": "ZaveraDesktop/0.1", "Accept": "application/json"},
        )

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> ZaveraClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- auth ---------------------------------------------------------------------------------

    @property
    def token(self) -> str | None:
        return self._token

    @property
    def token_generation(self) -> int:
        """Increments on every new token, so concurrent 401s trigger only one re-login."""
        return self._token_generation

    @property
    def can_relogin(self) -> bool:
        return self._credentials is not None

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    async def login(self, email: str | None = None, password: str | None = None) -> User:
        """POST /api/auth/login (§1.1). With no arguments, uses the stored credentials."""
        if email is None or password is None:
            if self._credentials is None:
                raise AuthError("No e-mail and password are stored; log in again.", status=401)
            email, password = self._credentials.email, self._credentials.password
        else:
            self._credentials = Credentials(email, password)
        what = "Login"
        try:
            response = await self.http.post("/api/auth/login", json={"email": email, "password": password})
        except httpx.HTTPError as exc:
            raise network_error(exc, self.base_url, what=what) from None
        if response.status_code != 200:
            raise error_for_response(response, what=what)
        body = _obj(_json(response, what=what), what=what)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise BadResponseError("Login: the backend's answer has no access token.")
        self._set_token(token)
        if self._on_token is not None:
            result = self._on_token(token)
            if asyncio.iscoroutine(result):
                await result
        return self._decode_user(_obj(body.get("user"), what=what))

    def _set_token(self, token: str) -> None:
        self._token = token
        self._token_generation += 1

    def set_token(self, token: str) -> None:
        self._set_token(token)

    async def relogin(self, failed_generation: int) -> bool:
        """Log in again unless another task already did since ``failed_generation``.

        Returns True when a token newer than the failed one is available.
        """
        async with self._login_lock:
            if self._token_generation != failed_generation:
                return True
            if self._credentials is None:
                return False
            log.info("Token rejected; logging in again as %s", self._credentials.email)
            try:
                await self.login()
            except AuthError:
                return False
            return True

    @staticmethod
    def _decode_user(obj: dict[str, Any]) -> User:
        return User(
            id=_int(obj.get("id")),
            email=str(obj.get("email") or ""),
            first_name=str(obj.get("first_name") or ""),
            auth_provider=str(obj.get("auth_provider") or ""),
        )

    async def me(self) -> User:
        body = await self._get_json("/api/auth/me", what="Reading the account")
        return self._decode_user(_obj(body, what="Reading the account"))

    # --- requests -----------------------------------------------------------------------------

    async def _request(self, method: str, path: str, *, what: str, **kwargs: Any) -> httpx.Response:
        for attempt in (0, 1):
            generation = self._token_generation
            try:
                response = await self.http.request(method, path, headers=self.auth_headers(), **kwargs)
            except httpx.HTTPError as exc:
                raise network_error(exc, self.base_url, what=what) from None
            if (response.status_code == 401 and attempt == 0 and self.can_relogin
                    and await self.relogin(generation)):
                continue
            if response.status_code >= 400:
                raise error_for_response(response, what=what)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    async def _get_json(self, path: str, *, what: str, params: dict[str, Any] | None = None) -> Any:
        response = await self._request("GET", path, what=what, params=params)
        return _json(response, what=what)

    async def list_orders(
        self,
        *,
        page: int = 1,
        page_size: int = 100,
        date_from: str | None = None,
        date_to: str | None = None,
        status: str | None = None,
        search: str | None = None,
    ) -> OrdersPage:
        """GET /api/admin/orders (§3.1), newest created first; ``orders: null`` → []."""
        what = "Reading the orders list"
        params: dict[str, Any] = {"page": page, "page_size": page_size}
        for key, value in (("date_from", date_from), ("date_to", date_to), ("status", status),
                           ("search", search)):
            if value:
                params[key] = value
        body = _obj(await self._get_json("/api/admin/orders", what=what, params=params), what=what)
        rows = body.get("orders")
        if rows is None:
            rows = []
        if not isinstance(rows, list):
            raise BadResponseError(f"{what}: 'orders' is not a list.")
        orders = []
        for row in rows:
            if not isinstance(row, dict):
                log.warning("Skipping an order row that is not an object")
                continue
            try:
                orders.append(decode_order(row, self.tz))
            except BadResponseError as exc:
                log.warning("Skipping an order row: %s", exc)
        return OrdersPage(
            orders=orders,
            total_count=_int(body.get("total_count")),
            page=_int(body.get("page"), page),
            page_size=_int(body.get("page_size"), page_size),
        )

    async def order_detail(self, order_code: str) -> OrderDetail:
        """GET /api/admin/orders/:code (§3.2)."""
        what = f"Reading order {order_code}"
        body = _obj(await self._get_json(f"/api/admin/orders/{quote(order_code, safe='')}", what=what),
                    what=what)
        payment = None
        raw_payment = body.get("payment")
        if isinstance(raw_payment, dict) and raw_payment.get("id") is not None:
            payment = PaymentInfo(
                id=_int(raw_payment.get("id")),
                status=str(raw_payment.get("status") or "").upper(),
                payment_method=str(raw_payment.get("payment_method") or ""),
                payment_provider=str(raw_payment.get("payment_provider") or ""),
                amount=_amount(raw_payment.get("amount")),
                transaction_id=str(raw_payment.get("transaction_id") or ""),
                paid_at=_time(raw_payment.get("paid_at"), self.tz),
            )
        return OrderDetail(order=decode_order(body, self.tz), payment=payment, raw=body)

    async def dashboard_payments(self) -> DashboardPayments:
        """GET /api/admin/dashboard/payments (§3.6): the cheap change detector."""
        what = "Reading the payment dashboard"
        body = _obj(await self._get_json("/api/admin/dashboard/payments", what=what), what=what)
        stuck = []
        for row in body.get("stuck_payments") or []:
            if not isinstance(row, dict) or not row.get("payment_id") or not row.get("order_code"):
                continue
            stuck.append(StuckPayment(
                payment_id=_int(row.get("payment_id")),
                order_code=str(row.get("order_code")),
                payment_method=str(row.get("payment_method") or ""),
                amount=_amount(row.get("amount")),
                created_at=_time(row.get("created_at"), self.tz),
            ))
        return DashboardPayments(
            today_paid_count=_int(body.get("today_paid_count")),
            pending_count=_int(body.get("pending_count")),
            stuck_payments=stuck,
        )

    async def core_check(self, payment_id: int) -> CheckResult:
        """POST /api/payments/core/check (§4.1) with an ``order_payments.id``.

        Side effect on the backend: may mark the order PAID/EXPIRED and broadcast SSE.
        """
        what = f"Checking payment {payment_id}"
        response = await self._request("POST", "/api/payments/core/check", what=what,
                                       json={"payment_id": payment_id})
        body = _obj(_json(response, what=what), what=what)
        status = body.get("status")
        if not isinstance(status, str):
            raise BadResponseError(f"{what}: the answer has no status.")
        return CheckResult(payment_id=_int(body.get("payment_id"), payment_id), status=status.upper(),
                           message=str(body.get("message") or ""))

    async def update_order_status(self, order_code: str, status: str, reason: str) -> str:
        """PATCH /api/admin/orders/:code/status (§3.3, §11): the web admin's status buttons, "Confirm Payment"
        included. No SSE. A transition ``ValidOrderTransitions`` forbids is a ``RequestRejectedError`` whose
        ``server_message`` is the backend's own words. Returns the backend's message."""
        what = f"Changing the status of order {order_code}"
        response = await self._request("PATCH", f"/api/admin/orders/{quote(order_code, safe='')}/status", what=what,
                                       json={"status": status, "reason": reason})
        body = _json(response, what=what)
        message = body.get("message") if isinstance(body, dict) else None
        return message if isinstance(message, str) else ""

    async def post_webhook(self, url: str, payload: dict[str, Any]) -> WebhookAnswer:
        """POST a Midtrans notification to a webhook route (§5.1: no auth, so no token is sent).

        Redirects are not followed: the notification goes to exactly the URL the caller checked.
        """
        what = "Sending the notification to the backend's webhook"
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        try:
            response = await self.http.post(url, content=body, follow_redirects=False,
                                             headers={"Content-Type": "application/json"})
        except httpx.HTTPError as exc:
            raise network_error(exc, self.base_url, what=what) from None
        if 300 <= response.status_code < 400:
            raise BadResponseError(f"{what}: the webhook URL redirects (HTTP {response.status_code}); "
                                   f"give the final URL.")
        if response.status_code >= 400:
            raise error_for_response(response, what=what)
        try:
            answer = json.loads(response.content)
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or not isinstance(answer.get("status"), str):
            raise BadResponseError(f"{what}: the answer (HTTP {response.status_code}) is not a webhook answer; "
                                   f"is the URL the backend's Core webhook?")
        message = answer.get("message")
        return WebhookAnswer(http_status=response.status_code, status=answer["status"],
                             message=message if isinstance(message, str) else "")
