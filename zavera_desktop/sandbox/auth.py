"""JWT, passwords, demo users and the three auth gates (contract §1.3–1.5, §2.1).

The backend has two JWT validators with different error bodies: ``AuthMiddleware`` for REST
and its own check inside the SSE handler. Both are reproduced here, wording included.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from zavera_desktop.sandbox.db import Database, User
from zavera_desktop.sandbox.gojson import GoJSONResponse, error_response
from zavera_desktop.sandbox.timeutil import Clock, admin_time

_HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"]
_PBKDF2_ROUNDS = 20_000  # a sandbox: cheap enough for many restarts per test run


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, _PBKDF2_ROUNDS)
    return f"pbkdf2_sha256${_PBKDF2_ROUNDS}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, encoded: str) -> bool:
    """An empty hash never matches: that is how Google-created accounts fail password login."""
    try:
        scheme, rounds, salt, digest = encoded.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    computed = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(rounds))
    return hmac.compare_digest(computed, base64.b64decode(digest))


def user_dto(user: User) -> dict[str, Any]:
    """``dto.UserResponse`` in declaration order; name/phone/birthdate are omitempty."""
    body: dict[str, Any] = {"id": user.id, "email": user.email, "first_name": user.first_name}
    if user.name:
        body["name"] = user.name
    if user.phone:
        body["phone"] = user.phone
    if user.birthdate is not None:
        body["birthdate"] = user.birthdate.strftime("%Y-%m-%d")
    body["is_verified"] = user.is_verified
    body["auth_provider"] = user.auth_provider
    body["created_at"] = admin_time(user.created_at)
    return body


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    first_name: str
    name: str
    phone: str
    birthdate: date | None
    is_verified: bool


def ensure_users(db: Database, clock: Clock, users: list[DemoUser]) -> None:
    """Create or refresh the demo accounts so the printed credentials always work."""
    now = clock.now()
    with db.session() as session:
        for demo in users:
            user = session.scalars(select(User).where(User.email == demo.email)).first()
            if user is None:
                user = User(email=demo.email, created_at=now, updated_at=now, auth_provider="local")
                session.add(user)
            user.first_name = demo.first_name
            user.name = demo.name
            user.phone = demo.phone
            user.birthdate = demo.birthdate
            user.is_verified = demo.is_verified
            if not verify_password(demo.password, user.password_hash or ""):
                user.password_hash = hash_password(demo.password)
                user.updated_at = now
        session.commit()


@dataclass(frozen=True)
class AuthContext:
    user_id: int
    email: Any  # the raw claim; AdminMiddleware insists it is a string


class Tokens:
    """Issues and checks HS256 tokens with claims ``user_id, email, exp, iat`` and nothing else."""

    def __init__(self, secret: str, expiry: float) -> None:
        self.secret = secret
        self.expiry = expiry

    def issue(self, user_id: int, email: str) -> str:
        now = time.time()
        # Go marshals a MapClaims map: keys sorted.
        claims = {"email": email, "exp": int(now + self.expiry), "iat": int(now), "user_id": user_id}
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def _decode(self, token: str, check_iat: bool) -> dict[str, Any] | None:
        options = {"verify_aud": False, "verify_iat": check_iat}
        try:
            claims = jwt.decode(token, self.secret, algorithms=_HMAC_ALGORITHMS, options=options)
        except jwt.InvalidTokenError:
            return None
        return claims if isinstance(claims, dict) else None

    def verify_rest(self, token: str) -> dict[str, Any] | None:
        """golang-jwt v5 ``jwt.Parse``: any HMAC algorithm, signature, exp and nbf checked (not iat)."""
        return self._decode(token, check_iat=False)

    def verify_sse(self, token: str) -> dict[str, Any] | None:
        """dgrijalva ``ParseWithClaims`` into a struct: wrongly typed claims fail to unmarshal."""
        claims = self._decode(token, check_iat=True)
        if claims is None:
            return None
        user_id = claims.get("user_id", 0)
        if isinstance(user_id, bool) or not isinstance(user_id, int):
            return None
        for name in ("email", "first_name"):
            if not isinstance(claims.get(name, ""), str):
                return None
        return claims


def unauthorized(message: str, error: str = "unauthorized") -> Response:
    return error_response(401, error, message)


def rest_auth(request: Request, tokens: Tokens, db: Database) -> AuthContext | Response:
    """``AuthMiddleware``: the five 401 cases in the order the Go code checks them."""
    header = request.headers.get("authorization", "")
    if header == "":
        return unauthorized("Authorization header required")
    parts = header.split(" ")
    if len(parts) != 2 or parts[0] != "Bearer":
        return unauthorized("Invalid authorization header format")
    claims = tokens.verify_rest(parts[1])
    if claims is None:
        return unauthorized("Invalid or expired token")
    user_id = claims.get("user_id")
    if isinstance(user_id, bool) or not isinstance(user_id, int | float):
        return unauthorized("Invalid token claims")
    with db.session() as session:
        exists = session.get(User, int(user_id)) is not None
    if not exists:
        return unauthorized("Sesi Anda telah berakhir. Silakan login kembali.", "session_expired")
    return AuthContext(user_id=int(user_id), email=claims.get("email"))


def admin_gate(context: AuthContext, admin_email: str) -> Response | None:
    """``AdminMiddleware``: exact, case-sensitive comparison of the email claim."""
    if not isinstance(context.email, str) or context.email != admin_email:
        return error_response(
            403,
            "forbidden",
            "Admin access required. Only authorized administrators can access this resource.",
        )
    return None


def sse_auth(request_headers: dict[str, str], tokens: Tokens, admin_email: str) -> dict[str, Any] | Response:
    """The SSE handler's own checks, with its own ``{"error": ...}`` wording (contract §2.1)."""
    header = request_headers.get("authorization", "")
    if header == "":
        return GoJSONResponse({"error": "Unauthorized - no token"}, status_code=401)
    if not (len(header) > 7 and header[:7] == "Bearer "):
        return GoJSONResponse({"error": "Unauthorized - invalid token format"}, status_code=401)
    claims = tokens.verify_sse(header[7:])
    if claims is None:
        return GoJSONResponse({"error": "Unauthorized - invalid token"}, status_code=401)
    if claims.get("email", "") != admin_email:
        return GoJSONResponse({"error": "Forbidden - admin only"}, status_code=403)
    return claims


def find_user(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).first()
