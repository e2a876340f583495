"""REST client on an injected transport: quirks decoded once, one exception tree (contract §1, §3, §4.1)."""

import asyncio
import json
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from zavera_desktop.backend.client import Credentials, ZaveraClient, parse_retry_after
from zavera_desktop.backend.errors import (
    AuthError,
    BadResponseError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    RequestRejectedError,
    ServerError,
    ZaveraError,
)

ORDER = {"id": 7, "order_code": "ZVR-20260122-26A6A050", "customer_name": "Budi", "customer_email": "b@x.id",
         "customer_phone": "08", "subtotal": 700000, "shipping_cost": 17000, "tax": 0, "discount": 0,
         "total_amount": 717000.0, "status": "PAID", "items": None, "created_at": "2026-01-22 10:00:00",
         "updated_at": "2026-01-22 10:05:00", "paid_at": "0001-01-01 00:00:00", "shipped_at": "0001-01-01 00:00:00"}


def run(coro):
    return asyncio.run(coro)


def client_for(handler, **kw):
    return ZaveraClient("http://backend.test", transport=httpx.MockTransport(handler), **kw)


def test_orders_list_decodes_quirks():
    def handler(request):
        assert request.url.params["page_size"] == "100"
        assert request.headers["authorization"] == "Bearer T"
        return httpx.Response(200, json={"orders": [ORDER], "page": 1, "page_size": 100, "total_count": 1})

    async def go():
        async with client_for(handler, token="T") as c:
            return await c.list_orders(date_from="2026-01-20")

    page = run(go())
    [o] = page.orders
    assert o.total_amount == 717000 and isinstance(o.total_amount, int)
    assert o.paid_at is None  # "0001-01-01 00:00:00" means null (§3.1)
    assert o.created_at.utcoffset() == timedelta(hours=7)


def test_orders_null_means_empty():
    async def go():
        async with client_for(lambda r: httpx.Response(200, json={"orders": None, "page": 1, "page_size": 100,
                                                                  "total_count": 0}), token="T") as c:
            return await c.list_orders()

    assert run(go()).orders == []


def test_bad_rows_are_skipped_not_fatal():
    body = {"orders": [ORDER, {"id": 1}, "junk"], "page": 1, "page_size": 100, "total_count": 3}

    async def go():
        async with client_for(lambda r: httpx.Response(200, json=body), token="T") as c:
            return await c.list_orders()

    assert [o.order_code for o in run(go()).orders] == [ORDER["order_code"]]


def test_order_detail_knows_core_from_snap_payment_ids():
    core = {**ORDER, "payment": {"id": 41, "status": "PENDING", "payment_method": "bca_va",
                                 "payment_provider": "bca", "amount": 717000, "transaction_id": "tx"}}
    snap = {**ORDER, "payment": {"id": 9, "status": "SUCCESS", "payment_method": "bank_transfer",
                                 "payment_provider": "midtrans", "amount": 717000}}

    async def go(body):
        async with client_for(lambda r: httpx.Response(200, json=body), token="T") as c:
            return await c.order_detail(ORDER["order_code"])

    assert run(go(core)).payment.is_core
    assert not run(go(snap)).payment.is_core
    assert run(go(ORDER)).payment is None


def test_amounts_are_never_floats():
    text = json.dumps({**ORDER, "total_amount": 0.1}).replace("0.1", "150000.50")

    async def go():
        async with client_for(lambda r: httpx.Response(200, content=text.encode()), token="T") as c:
            return await c.order_detail("X")

    assert run(go()).order.total_amount == 150001


def test_dashboard_stuck_payments():
    body = {"pending_count": 1, "today_paid_count": 5, "stuck_payments": [
        {"payment_id": 41, "order_code": "ZVR-1", "payment_method": "bca_va", "bank": "bca", "amount": 150000,
         "created_at": "2026-01-22T09:00:00Z", "hours_pending": 1.7}, {"payment_id": None}]}

    async def go():
        async with client_for(lambda r: httpx.Response(200, json=body), token="T") as c:
            return await c.dashboard_payments()

    d = run(go())
    assert d.today_paid_count == 5
    assert [(s.payment_id, s.order_code) for s in d.stuck_payments] == [(41, "ZVR-1")]
    assert d.stuck_payments[0].created_at.hour == 9  # false Z = shop-local


@pytest.mark.parametrize(
    ("status", "body", "headers", "exc"),
    [
        (401, {"error": "unauthorized", "message": "Invalid or expired token"}, {}, AuthError),
        (403, {"error": "forbidden", "message": "Admin access required."}, {}, ForbiddenError),
        (404, {"error": "not_found", "message": "Order not found"}, {}, NotFoundError),
        (429, {"error": "rate_limited", "message": "Silakan tunggu"}, {"Retry-After": "7"}, RateLimitedError),
        (500, {"error": "server_error", "message": "pq: invalid input value for enum"}, {}, ServerError),
        (502, None, {"Content-Type": "text/html"}, ServerError),
        (400, {"error": "invalid_request", "message": "EOF"}, {}, RequestRejectedError),
    ],
)
def test_status_errors_map_to_the_tree(status, body, headers, exc):
    def handler(request):
        if body is None:
            return httpx.Response(status, content=b"<html>Bad Gateway</html>", headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    async def go():
        async with client_for(handler, token="SECRET-TOKEN-123") as c:
            await c.list_orders()

    with pytest.raises(exc) as info:
        run(go())
    assert isinstance(info.value, ZaveraError)
    assert "SECRET-TOKEN-123" not in str(info.value)
    if exc is RateLimitedError:
        assert info.value.retry_after == 7


def test_network_errors_are_network_errors():
    def handler(request):
        raise httpx.ConnectError("refused", request=request)

    async def go():
        async with client_for(handler, token="T") as c:
            await c.me()

    with pytest.raises(NetworkError, match=r"cannot reach the shop backend at backend\.test"):
        run(go())


def test_non_json_is_a_bad_response():
    async def go():
        async with client_for(lambda r: httpx.Response(200, content=b"<html>"), token="T") as c:
            await c.list_orders()

    with pytest.raises(BadResponseError):
        run(go())


def test_401_relogs_in_once_and_retries():
    calls = {"login": 0, "orders": 0}

    def handler(request):
        if request.url.path == "/api/auth/login":
            calls["login"] += 1
            assert json.loads(request.content) == {"email": "admin@zavera.test", "password": "pw"}
            return httpx.Response(200, json={"user": {"id": 1, "email": "admin@zavera.test"},
                                             "access_token": f"NEW{calls['login']}"})
        calls["orders"] += 1
        if request.headers.get("authorization") != "Bearer NEW1":
            return httpx.Response(401, json={"error": "unauthorized", "message": "Invalid or expired token"})
        return httpx.Response(200, json={"orders": None, "page": 1, "page_size": 100, "total_count": 0})

    async def go():
        async with client_for(handler, token="OLD", credentials=Credentials("admin@zavera.test", "pw")) as c:
            await asyncio.gather(c.list_orders(), c.list_orders(), c.list_orders())
            return c.token

    assert run(go()) == "NEW1"
    assert calls["login"] == 1  # concurrent 401s share one re-login


def test_401_after_relogin_is_an_auth_error_no_loop():
    calls = {"login": 0}

    def handler(request):
        if request.url.path == "/api/auth/login":
            calls["login"] += 1
            return httpx.Response(200, json={"user": {"id": 1}, "access_token": "NEW"})
        return httpx.Response(401, json={"error": "unauthorized", "message": "Invalid or expired token"})

    async def go():
        async with client_for(handler, token="OLD", credentials=Credentials("a@b.c", "pw")) as c:
            await c.list_orders()

    with pytest.raises(AuthError):
        run(go())
    assert calls["login"] == 1


def test_wrong_password_message():
    def handler(request):
        return httpx.Response(401, json={"error": "login_failed", "message": "invalid email or password"})

    async def go():
        async with client_for(handler) as c:
            await c.login("a@b.c", "wrong-password-xyz")

    with pytest.raises(AuthError, match="wrong e-mail or password") as info:
        run(go())
    assert "wrong-password-xyz" not in str(info.value)


def test_core_check():
    def handler(request):
        assert json.loads(request.content) == {"payment_id": 41}
        return httpx.Response(200, json={"message": "Pembayaran berhasil", "payment_id": 41, "status": "PAID"})

    async def go():
        async with client_for(handler, token="T") as c:
            return await c.core_check(41)

    r = run(go())
    assert (r.payment_id, r.status, r.message) == (41, "PAID", "Pembayaran berhasil")


def test_credentials_repr_hides_password():
    assert "hunter2" not in repr(Credentials("a@b.c", "hunter2"))


@pytest.mark.parametrize(("value", "expected"), [("3", 3.0), ("99999", 300.0), (None, 5.0), ("soon", 5.0)])
def test_retry_after(value, expected):
    assert parse_retry_after(value, default=5.0) == expected


def test_retry_after_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", default=5.0, now=1445412480.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", default=5.0, now=1445412490.0) == 0.0


def test_decimal_parse_float_in_list():
    body = b'{"orders":[{"order_code":"ZVR-1","total_amount":1e2}],"total_count":1,"page":1,"page_size":1}'

    async def go():
        async with client_for(lambda r: httpx.Response(200, content=body), token="T") as c:
            return await c.list_orders()

    assert run(go()).orders[0].total_amount == 100
    assert Decimal("1e2") == 100


def test_token_expiry_is_read_without_the_secret():
    import jwt as pyjwt

    from zavera_desktop.backend.client import token_expires_at

    token = pyjwt.encode({"user_id": 1, "email": "a@b.c", "exp": 1769050000, "iat": 1768963600}, "s" * 32,
                         algorithm="HS256")
    assert token_expires_at(token).timestamp() == 1769050000
    assert token_expires_at("not.a.jwt") is None
    assert token_expires_at(None) is None
