"""``/health``, ``POST /api/auth/login`` and ``GET /api/auth/me`` (contract §0, §1.1, §1.6)."""

from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zavera_desktop.sandbox.auth import AuthContext, find_user, rest_auth, user_dto, verify_password
from zavera_desktop.sandbox.db import User
from zavera_desktop.sandbox.gobind import LOGIN_REQUEST, BindError, bind_json
from zavera_desktop.sandbox.gojson import GoJSONResponse, error_response
from zavera_desktop.sandbox.runtime import Runtime


async def health(request: Request) -> Response:
    return GoJSONResponse({"status": "ok"})


async def login(rt: Runtime, request: Request) -> Response:
    try:
        body = bind_json(await request.body(), LOGIN_REQUEST)
    except BindError as exc:
        return error_response(400, "invalid_request", str(exc))
    with rt.db.session() as session:
        user = find_user(session, body["email"])
        if user is None or not verify_password(body["password"], user.password_hash or ""):
            return error_response(401, "login_failed", "invalid email or password")
        if not user.is_verified:
            return error_response(403, "email_not_verified", "email not verified")
        token = rt.tokens.issue(user.id, user.email)
        dto = user_dto(user)
        email, first_name = user.email, user.first_name
    if email != rt.cfg.admin_email:
        rt.notifier.user_login(email, first_name)
    return GoJSONResponse({"user": dto, "access_token": token})


async def me(rt: Runtime, request: Request) -> Response:
    context = rest_auth(request, rt.tokens, rt.db)
    if not isinstance(context, AuthContext):
        return context
    with rt.db.session() as session:
        user = session.get(User, context.user_id)
        if user is None:
            return error_response(404, "not_found", "User not found")
        return GoJSONResponse(user_dto(user))


def routes(rt: Runtime) -> list[Route]:
    return [
        Route("/health", health, methods=["GET"]),
        Route("/api/auth/login", partial(login, rt), methods=["POST"]),
        Route("/api/auth/me", partial(me, rt), methods=["GET"]),
    ]
