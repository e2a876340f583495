"""The admin REST routes (contract §3): AuthMiddleware, then AdminMiddleware, then the view."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zavera_desktop.sandbox import admin_views, shop
from zavera_desktop.sandbox.auth import AuthContext, admin_gate, rest_auth
from zavera_desktop.sandbox.gobind import UPDATE_ORDER_STATUS_REQUEST, BindError, bind_json
from zavera_desktop.sandbox.gojson import GoJSONResponse, error_response, gin_h
from zavera_desktop.sandbox.runtime import Runtime

Handler = Callable[[Runtime, Request, AuthContext], Awaitable[Response]]


def admin_endpoint(rt: Runtime, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """AuthMiddleware, then AdminMiddleware (same bodies as the backend), then ``handler``."""

    async def endpoint(request: Request) -> Response:
        context = rest_auth(request, rt.tokens, rt.db)
        if not isinstance(context, AuthContext):
            return context
        refused = admin_gate(context, rt.cfg.admin_email)
        if refused is not None:
            return refused
        return await handler(rt, request, context)

    return endpoint


def _query(request: Request) -> dict[str, str]:
    # Gin's c.Query returns the first value of a repeated parameter.
    query: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        query.setdefault(key, value)
    return query


async def list_orders(rt: Runtime, request: Request, context: AuthContext) -> Response:
    with rt.db.session() as session:
        try:
            body = admin_views.list_orders(session, _query(request))
        except admin_views.QueryError as exc:
            return error_response(500, "server_error", str(exc))
    return GoJSONResponse(body)


async def order_detail(rt: Runtime, request: Request, context: AuthContext) -> Response:
    with rt.db.session() as session:
        body = admin_views.order_detail(session, request.path_params["code"])
    if body is None:
        return error_response(404, "not_found", "Order not found")
    return GoJSONResponse(body)


async def order_stats(rt: Runtime, request: Request, context: AuthContext) -> Response:
    with rt.db.session() as session:
        return GoJSONResponse(admin_views.order_stats(session, rt.clock))


async def payment_monitor(rt: Runtime, request: Request, context: AuthContext) -> Response:
    with rt.db.session() as session:
        return GoJSONResponse(admin_views.payment_monitor(session, rt.clock))


async def update_status(rt: Runtime, request: Request, context: AuthContext) -> Response:
    try:
        body = bind_json(await request.body(), UPDATE_ORDER_STATUS_REQUEST)
    except BindError as exc:
        return error_response(400, "invalid_request", str(exc))
    try:
        shop.admin_update_status(
            rt, request.path_params["code"], body["status"], body["reason"], str(context.email)
        )
    except shop.ShopError as exc:
        return error_response(exc.status, exc.error, exc.message)
    return GoJSONResponse(gin_h(message="Order status updated"))


def routes(rt: Runtime) -> list[Route]:
    return [
        Route("/api/admin/orders", admin_endpoint(rt, list_orders), methods=["GET"]),
        # Gin matches the static segment before :code.
        Route("/api/admin/orders/stats", admin_endpoint(rt, order_stats), methods=["GET"]),
        Route("/api/admin/orders/{code}", admin_endpoint(rt, order_detail), methods=["GET"]),
        Route("/api/admin/orders/{code}/status", admin_endpoint(rt, update_status), methods=["PATCH"]),
        Route("/api/admin/dashboard/payments", admin_endpoint(rt, payment_monitor), methods=["GET"]),
    ]

