"""Plumbing shared by the control API modules: JSON bodies, argument checks, error answers."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zavera_desktop.sandbox import shop
from zavera_desktop.sandbox.gojson import GoJSONResponse
from zavera_desktop.sandbox.runtime import Runtime

Handler = Callable[[Runtime, Request], Awaitable[Any]]


class BadRequest(Exception):
    """A control request that makes no sense: answered 400 ``invalid_request``, nothing changed."""


def bad_request(message: str) -> Response:
    return GoJSONResponse({"error": "invalid_request", "message": message}, status_code=400)


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; an empty body counts as ``{}``."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def number(body: dict[str, Any], key: str, *, minimum: float = 0.0, default: float | None = None) -> float | None:
    value = body.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise BadRequest(f"{key} must be a number >= {minimum:g}")
    return float(value)


def text(body: dict[str, Any], key: str, default: str | None = None) -> str | None:
    value = body.get(key, default)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"{key} must be a string")
    return value


def flag(body: dict[str, Any], key: str, default: bool) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise BadRequest(f"{key} must be true or false")
    return value


def endpoint(rt: Runtime, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a control handler: dict results become JSON; BadRequest/ShopError become error answers."""

    async def serve(request: Request) -> Response:
        try:
            result = await handler(rt, request)
        except BadRequest as exc:
            return bad_request(str(exc))
        except shop.ShopError as exc:
            return GoJSONResponse({"error": exc.error, "message": exc.message}, status_code=exc.status)
        return result if isinstance(result, Response) else GoJSONResponse(result)

    return serve


def route(rt: Runtime, path: str, handler: Handler, method: str) -> Route:
    return Route(path, endpoint(rt, handler), methods=[method])
