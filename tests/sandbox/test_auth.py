"""Contract §0 and §1: health, login, /auth/me, AuthMiddleware and AdminMiddleware."""

from __future__ import annotations

import base64
import json
import time

import jwt

from tests.sandbox.conftest import JWT_SECRET
from tests.sandbox.helpers import Api


def _segment(token: str, index: int) -> dict:
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_s0_health_is_ok_without_auth(api: Api) -> None:
    """§0: GET /health → 200 {"status":"ok"}, no auth."""
    response = api.client.get("/health")
    assert response.status_code == 200
    assert response.content == b'{"status":"ok"}'
    assert response.headers["content-type"] == "application/json; charset=utf-8"


def test_s0_unknown_route_is_gins_plain_404(api: Api) -> None:
    """§0 (Gin defaults): unknown routes and wrong methods answer text ``404 page not found``."""
    for response in (api.client.get("/api/nope"), api.client.delete("/api/auth/login")):
        assert response.status_code == 404
        assert response.text == "404 page not found"


def test_s1_1_login_success_shape_and_claims(api: Api) -> None:
    """§1.1/§1.3: user object in DTO order, access_token only; HS256 claims user_id, email, exp, iat."""
    creds = api.credentials
    login = {"email": creds["admin_email"], "password": creds["admin_password"]}
    response = api.client.post("/api/auth/login", json=login)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["user", "access_token"]
    assert list(body["user"]) == ["id", "email", "first_name", "name", "is_verified", "auth_provider", "created_at"]
    assert body["user"]["email"] == creds["admin_email"]
    assert body["user"]["is_verified"] is True and body["user"]["auth_provider"] == "local"
    token = body["access_token"]
    assert _segment(token, 0) == {"alg": "HS256", "typ": "JWT"}
    claims = _segment(token, 1)
    assert sorted(claims) == ["email", "exp", "iat", "user_id"]
    assert claims["exp"] - claims["iat"] == 86400
    assert isinstance(claims["user_id"], int)

    customer = api.client.post(
        "/api/auth/login", json={"email": creds["user_email"], "password": creds["user_password"]}
    ).json()["user"]
    assert list(customer) == [
        "id", "email", "first_name", "name", "phone", "birthdate", "is_verified", "auth_provider", "created_at",
    ]
    assert customer["birthdate"] == "1995-05-17"


def test_s1_1_login_errors(api: Api) -> None:
    """§1.1: 401 login_failed, 403 email_not_verified, 400 invalid_request with Go's messages."""
    creds = api.credentials
    wrong = api.client.post("/api/auth/login", json={"email": creds["admin_email"], "password": "nope"})
    assert (wrong.status_code, wrong.content) == (
        401, b'{"error":"login_failed","message":"invalid email or password"}'
    )
    unknown = api.client.post("/api/auth/login", json={"email": "ghost@zavera.test", "password": "x"})
    assert unknown.status_code == 401 and unknown.json()["error"] == "login_failed"
    unverified = api.client.post(
        "/api/auth/login", json={"email": "unverified@zavera.test", "password": creds["user_password"]}
    )
    assert (unverified.status_code, unverified.json()) == (
        403, {"error": "email_not_verified", "message": "email not verified"}
    )
    empty = api.client.post("/api/auth/login", content=b"")
    assert (empty.status_code, empty.json()) == (400, {"error": "invalid_request", "message": "EOF"})
    missing = api.client.post("/api/auth/login", json={})
    assert missing.status_code == 400
    assert missing.json()["message"] == (
        "Key: 'LoginRequest.Email' Error:Field validation for 'Email' failed on the 'required' tag\n"
        "Key: 'LoginRequest.Password' Error:Field validation for 'Password' failed on the 'required' tag"
    )
    bad_email = api.client.post("/api/auth/login", json={"email": "not-an-email", "password": "x"})
    assert bad_email.json()["message"] == (
        "Key: 'LoginRequest.Email' Error:Field validation for 'Email' failed on the 'email' tag"
    )
    wrong_type = api.client.post("/api/auth/login", json={"email": 5, "password": "x"})
    assert wrong_type.json()["message"] == (
        "json: cannot unmarshal number into Go struct field LoginRequest.email of type string"
    )


def test_s1_6_me_returns_user_without_token(api: Api) -> None:
    """§1.6: /auth/me returns the same user object, no token, no is_admin flag."""
    response = api.get("/api/auth/me", who="user")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == api.credentials["user_email"]
    assert "access_token" not in body and "is_admin" not in body


def test_s1_4_auth_middleware_errors(api: Api) -> None:
    """§1.4: the five 401 bodies, checked in the backend's order."""
    def me(header: str | None) -> tuple[int, dict]:
        headers = {"Authorization": header} if header is not None else {}
        response = api.client.get("/api/auth/me", headers=headers)
        return response.status_code, response.json()

    assert me(None) == (401, {"error": "unauthorized", "message": "Authorization header required"})
    for header in ("Token abc", "Bearer", "Bearer a b", "bearer abc"):
        assert me(header) == (401, {"error": "unauthorized", "message": "Invalid authorization header format"})
    assert me("Bearer garbage") == (401, {"error": "unauthorized", "message": "Invalid or expired token"})
    now = int(time.time())
    expired = jwt.encode({"email": "x@y.z", "exp": now - 10, "iat": now - 100, "user_id": 1}, JWT_SECRET)
    assert me(f"Bearer {expired}") == (401, {"error": "unauthorized", "message": "Invalid or expired token"})
    other_key = jwt.encode({"email": "x@y.z", "exp": now + 100, "iat": now, "user_id": 1}, "wrong-secret" * 8)
    assert me(f"Bearer {other_key}")[1]["message"] == "Invalid or expired token"
    no_user_id = jwt.encode({"email": "x@y.z", "exp": now + 100, "iat": now}, JWT_SECRET)
    assert me(f"Bearer {no_user_id}") == (401, {"error": "unauthorized", "message": "Invalid token claims"})
    text_user_id = jwt.encode({"email": "x@y.z", "exp": now + 100, "iat": now, "user_id": "1"}, JWT_SECRET)
    assert me(f"Bearer {text_user_id}")[1]["message"] == "Invalid token claims"
    ghost = jwt.encode({"email": "x@y.z", "exp": now + 100, "iat": now, "user_id": 999}, JWT_SECRET)
    assert me(f"Bearer {ghost}") == (
        401, {"error": "session_expired", "message": "Sesi Anda telah berakhir. Silakan login kembali."}
    )
    # §1.3: the REST validator accepts any HMAC algorithm.
    hs512 = jwt.encode({"email": "x@y.z", "exp": now + 100, "iat": now, "user_id": 1}, JWT_SECRET, algorithm="HS512")
    assert me(f"Bearer {hs512}")[0] == 200


def test_s1_5_admin_middleware_by_exact_email(api: Api) -> None:
    """§1.5: a non-admin token gets 403 forbidden; the comparison is exact and case-sensitive."""
    response = api.get("/api/admin/orders", who="user")
    assert response.status_code == 403
    assert response.json() == {
        "error": "forbidden",
        "message": "Admin access required. Only authorized administrators can access this resource.",
    }
    now = int(time.time())
    upper = jwt.encode(
        {"email": api.credentials["admin_email"].upper(), "exp": now + 100, "iat": now, "user_id": 1}, JWT_SECRET
    )
    assert api.client.get("/api/admin/orders", headers={"Authorization": f"Bearer {upper}"}).status_code == 403
    assert api.get("/api/admin/orders").status_code == 200
