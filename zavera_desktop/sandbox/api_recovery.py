"""The Snap-table payment recovery routes (contract §3.7, §4.3–4.5), behind Auth + Admin.

``GET /api/admin/payments/stuck``, ``POST /api/admin/payments/sync-all``,
``POST /api/admin/payments/:id/sync``, ``POST /api/admin/payments/:id/reconcile``.
None of them sends SSE; none reads or writes ``order_payments``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from zavera_desktop.sandbox import recovery
from zavera_desktop.sandbox.api_admin import admin_endpoint
from zavera_desktop.sandbox.auth import AuthContext
from zavera_desktop.sandbox.gobind import RECONCILE_PAYMENT_REQUEST, BindError, bind_json, go_atoi
from zavera_desktop.sandbox.gojson import GoJSONResponse, error_response, gin_h
from zavera_desktop.sandbox.reconcile import Admin, ReconcileError, reconcile_payment
from zavera_desktop.sandbox.runtime import Runtime

DEFAULT_STUCK_HOURS = 2


def _payment_ref(request: Request) -> int | Response:
    ref = go_atoi(request.path_params["id"])
    if ref is None:
        return error_response(400, "invalid_payment_id", "Payment ID must be a number")
    return ref


def client_ip(request: Request) -> str:
    """Gin's ``ClientIP`` with its defaults (every proxy trusted): X-Forwarded-For, X-Real-IP, peer."""
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
    if forwarded:
        return forwarded
    real = request.headers.get("x-real-ip", "").strip()
    if real:
        return real
    return request.client.host if request.client is not None else ""


async def stuck(rt: Runtime, request: Request, context: AuthContext) -> Response:
    hours = DEFAULT_STUCK_HOURS
    text = request.query_params.get("hours", "")
    if text:
        parsed = go_atoi(text)
        hours = parsed if parsed is not None else DEFAULT_STUCK_HOURS  # a bad value keeps the default
    with rt.db.session() as session:
        try:
            body = recovery.stuck_payments(session, rt.clock.now(), hours)
        except recovery.QueryFailed as exc:
            return error_response(500, "query_failed", str(exc))
    return GoJSONResponse(body)


async def sync_one(rt: Runtime, request: Request, context: AuthContext) -> Response:
    ref = _payment_ref(request)
    if isinstance(ref, Response):
        return ref
    try:
        body = await recovery.sync_payment(rt, ref, "manual")
    except recovery.RecoveryError as exc:
        return error_response(400, "sync_failed", str(exc))
    return GoJSONResponse(body)


async def sync_all(rt: Runtime, request: Request, context: AuthContext) -> Response:
    synced, errors = await recovery.sync_all(rt)
    return GoJSONResponse(gin_h(synced=synced, errors=errors))


async def reconcile(rt: Runtime, request: Request, context: AuthContext) -> Response:
    ref = _payment_ref(request)
    if isinstance(ref, Response):
        return ref
    try:
        body = bind_json(await request.body(), RECONCILE_PAYMENT_REQUEST)
    except BindError as exc:
        return error_response(400, "invalid_request", str(exc))
    admin = Admin(email=str(context.email), ip=client_ip(request), user_agent=request.headers.get("user-agent", ""))
    try:
        result = reconcile_payment(rt, ref, body, admin)
    except ReconcileError as exc:
        return error_response(400, "reconcile_failed", str(exc))
    return GoJSONResponse(result)


def routes(rt: Runtime) -> list[Route]:
    return [
        Route("/api/admin/payments/stuck", admin_endpoint(rt, stuck), methods=["GET"]),
        Route("/api/admin/payments/sync-all", admin_endpoint(rt, sync_all), methods=["POST"]),
        Route("/api/admin/payments/{id}/sync", admin_endpoint(rt, sync_one), methods=["POST"]),
        Route("/api/admin/payments/{id}/reconcile", admin_endpoint(rt, reconcile), methods=["POST"]),
    ]
