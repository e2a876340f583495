"""``SandboxServer``: the app assembled and served by uvicorn on a background thread."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator
from types import TracebackType

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from zavera_desktop.sandbox import api_admin, api_auth, api_recovery, control, midtrans, payments, shop, webhooks
from zavera_desktop.sandbox.config import SandboxConfig
from zavera_desktop.sandbox.faults import FaultMiddleware
from zavera_desktop.sandbox.runtime import Runtime
from zavera_desktop.sandbox.sse import EventsEndpoint
from zavera_desktop.sandbox.traffic import TrafficGenerator

log = logging.getLogger("zavera_desktop.sandbox.server")

ORDER_EXPIRY_INTERVAL = 300.0  # the backend's job ticks every 5 minutes
START_TIMEOUT = 15.0
STREAM_DROP_TIMEOUT = 1.0


async def _gin_not_found(request: Request, exc: Exception) -> Response:
    # Gin answers unknown routes and wrong methods alike (HandleMethodNotAllowed is off).
    return PlainTextResponse("404 page not found", status_code=404, media_type="text/plain")


class _NoHead:
    """Gin registers no HEAD routes (Starlette adds one per GET): answer HEAD like Gin, 404."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            await PlainTextResponse("404 page not found", status_code=404, media_type="text/plain")(
                scope, receive, send
            )
            return
        await self.app(scope, receive, send)


async def _order_expiry_loop(rt: Runtime) -> None:
    while True:  # runs at start, then every 5 minutes, as OrderExpiryJob.Start does
        shop.expire_old_orders(rt)
        await asyncio.sleep(ORDER_EXPIRY_INTERVAL)


def build_app(rt: Runtime) -> ASGIApp:
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await rt.startup()
        if rt.cfg.order_expiry_job:
            rt.spawn(_order_expiry_loop(rt), name="order-expiry-job")
        if rt.cfg.traffic > 0:
            generator = TrafficGenerator(rt, rt.cfg.traffic, rt.cfg.drop_webhooks, rt.cfg.seed)
            rt.spawn(generator.run(), name="traffic-generator")
        try:
            yield
        finally:
            await rt.shutdown()

    routes = [
        *api_auth.routes(rt),
        Route("/api/admin/events", EventsEndpoint(rt), methods=["GET"]),
        *api_admin.routes(rt),
        *api_recovery.routes(rt),
        *payments.routes(rt),
        *webhooks.routes(rt),
        *midtrans.routes(rt),
        *control.routes(rt),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={404: _gin_not_found, 405: _gin_not_found},
    )
    return FaultMiddleware(_NoHead(app), rt.faults)


class _Server(uvicorn.Server):
    """uvicorn's server, woken at once by stop() instead of at its next 100 ms tick."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.exit_requested: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self.exit_requested = asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.exit_requested.wait(), 0.1)


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto says
    # TCP, and without it every small response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        # Restart on the same port while old connections sit in TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def _url_host(host: str) -> str:
    connect = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"[{connect}]" if ":" in connect else connect


class SandboxServer:
    """A Zavera backend + Midtrans simulator on a real port, in a background thread."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.port: int = self.config.port
        self.url: str = ""
        self._runtime: Runtime | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("sandbox not started")
        return self._runtime

    @property
    def credentials(self) -> dict[str, str]:
        return self.runtime.credentials

    def start(self) -> None:
        """Bind, start serving, and return once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("sandbox already started")
        sock = _listening_socket(self.config.host, self.config.port)
        try:
            self.port = sock.getsockname()[1]
            self.url = f"http://{_url_host(self.config.host)}:{self.port}"
            runtime = Runtime(self.config, self.url)
        except BaseException:
            sock.close()
            raise
        server = _Server(
            uvicorn.Config(
                build_app(runtime),
                lifespan="on",
                log_config=None,  # never reconfigure the host application's logging
                log_level=None,
                access_log=self.config.access_log,
                http="h11",
                ws="none",
                loop="asyncio",
                timeout_keep_alive=5,
                server_header=False,  # Go's net/http sends Date but no Server header
                timeout_graceful_shutdown=1,
            )
        )
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"zavera-sandbox-{self.port}", daemon=True
        )
        self._runtime, self._server, self._thread = runtime, server, thread
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                thread.join(2)
                sock.close()
                runtime.close()
                self._runtime = self._server = self._thread = None
                raise RuntimeError(f"sandbox did not start on {self.url}")
            time.sleep(0.01)
        log.info("sandbox listening on %s", self.url)

    def stop(self) -> None:
        """Like a process exit: open streams drop mid-body, then the server stops."""
        if self._thread is None or self._server is None or self._runtime is None:
            return
        runtime, server, thread = self._runtime, self._server, self._thread
        loop = runtime.loop
        if loop is not None and loop.is_running():
            future = asyncio.run_coroutine_threadsafe(_drop_streams(runtime), loop)
            with contextlib.suppress(Exception):
                future.result(timeout=STREAM_DROP_TIMEOUT + 0.5)
        server.should_exit = True
        if loop is not None and loop.is_running() and server.exit_requested is not None:
            with contextlib.suppress(RuntimeError):  # the loop may have closed meanwhile
                loop.call_soon_threadsafe(server.exit_requested.set)
        thread.join(10)
        if thread.is_alive():
            log.warning("sandbox thread did not stop in time")
        runtime.close()
        self._runtime = self._server = self._thread = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


async def _drop_streams(rt: Runtime) -> None:
    """Close every stream's socket under it, as a process exit would (FIN, no terminating chunk).

    uvicorn's graceful shutdown would otherwise wait for each open stream to end on its own.
    """
    loop = asyncio.get_running_loop()
    for client in rt.broker.clients:
        client.cut = "drop"
        client.poke()
        if client.transport is not None and not client.transport.is_closing():
            client.transport.close()
    for final in (False, True):
        deadline = loop.time() + STREAM_DROP_TIMEOUT / 2
        while rt.broker.clients and loop.time() < deadline:
            await asyncio.sleep(0.01)
        if final or not rt.broker.clients:
            return
        # A peer that stopped reading keeps close() waiting on unsent data: reset it instead.
        for client in rt.broker.clients:
            if client.transport is not None:
                client.transport.abort()
