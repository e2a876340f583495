"""The Engine: its thread, its connection state, and every command (the public API).

``Engine.start()`` runs an asyncio loop in its own thread with four supervised tasks — the stream,
the reconcile loop, the payment-dashboard loop and verify — which all write through one
``ChangeSink``. Public methods are safe to call from any thread and return at once: commands are
scheduled on the engine loop; questions that need the network return a ``concurrent.futures.Future``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import random
import threading
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from sqlalchemy.exc import SQLAlchemyError

from zavera_desktop.backend.client import Credentials, OrderDetail, ZaveraClient
from zavera_desktop.backend.doctor_checks import CheckResult, run_checks
from zavera_desktop.backend.errors import AuthError, ForbiddenError, NetworkError, ZaveraError
from zavera_desktop.backend.midtrans import MidtransAccess, MidtransClient
from zavera_desktop.backend.reconcile import Reconciler
from zavera_desktop.backend.stream import StreamConsumer, backoff_delay
from zavera_desktop.backend.verify import CheckLimiter
from zavera_desktop.config import EngineSettings
from zavera_desktop.domain import ChangeBatch, ConnectionState, ConnectionStatus, HealthAlert, Payment, ReadChange
from zavera_desktop.engine.action_types import (
    ActionProgress,
    BulkCheckSummary,
    CheckActionOutcome,
    ReplayOutcome,
    ReplayPreview,
)
from zavera_desktop.engine.actions import AdminActions
from zavera_desktop.engine.changes import ChangeSink
from zavera_desktop.engine.checks import StatusChecks
from zavera_desktop.engine.context import EngineContext, EngineStats
from zavera_desktop.engine.health import HealthMonitor, HealthPicture, HealthThresholds
from zavera_desktop.engine.orphans import ConfirmOutcome, OrphanScanner, PaymentConfirmation, midtrans_dashboard_url
from zavera_desktop.engine.polling import Polling
from zavera_desktop.engine.replay import check_webhook_url, default_webhook_url
from zavera_desktop.engine.stream_events import StreamEvents
from zavera_desktop.store import Store, StoreError
from zavera_desktop.store.health import HealthStore

log = logging.getLogger(__name__)

T = TypeVar("T")


class EngineNotRunning(RuntimeError):
    pass


class Engine:
    def __init__(
        self,
        settings: EngineSettings,
        store: Store,
        *,
        token: str | None = None,
        credentials: Credentials | None = None,
        midtrans: MidtransAccess | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        midtrans_transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
        health_thresholds: HealthThresholds | None = None,
    ) -> None:
        settings.validate()
        if token is None and credentials is None:
            raise ValueError("the engine needs a token or an e-mail and password")
        self.settings = settings
        self.store = store
        self.tz = settings.zone
        self._token = token
        self._credentials = credentials
        self._midtrans_access = midtrans
        self._transport = transport
        self._midtrans_transport = midtrans_transport
        self._rng = rng or random.Random()
        self._status = ConnectionStatus(ConnectionState.STOPPED)
        self._status_lock = threading.Lock()
        self._fatal: ConnectionStatus | None = None
        self.stats = EngineStats()
        self.limiter = CheckLimiter()
        self.sink = ChangeSink(store, on_new=self._enrich_later, on_recorded=self._count_sources)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._main_task: asyncio.Task[None] | None = None
        self._ready = threading.Event()
        self._finished = threading.Event()
        # loop-only parts (created in the loop by _main)
        self._client: ZaveraClient | None = None
        self._stream: StreamConsumer | None = None
        self._events: StreamEvents | None = None
        self._polling: Polling | None = None
        self._checks: StatusChecks | None = None
        self._actions: AdminActions | None = None
        self._webhook_url: str | None = None
        self._resume: asyncio.Event | None = None
        # payment health (engine/health.py, engine/orphans.py)
        self._health_thresholds = health_thresholds
        self._health: HealthMonitor | None = None
        self._orphans: OrphanScanner | None = None
        self._confirmation: PaymentConfirmation | None = None

    # --- public API (any thread) -----------------------------------------------------------------------

    def subscribe(self, callback: Callable[[ChangeBatch], None]) -> Callable[[], None]:
        """Receive every change batch (on the engine thread). Returns an unsubscribe function."""
        return self.sink.subscribe(callback)

    @property
    def status(self) -> ConnectionStatus:
        with self._status_lock:
            return self._fatal or self._status

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def last_event_at(self) -> datetime | None:
        return self._events.last_event_at if self._events is not None else None

    @property
    def last_reconcile_at(self) -> datetime | None:
        return self._polling.last_reconcile_at if self._polling is not None else None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the engine was already started")
        self._thread = threading.Thread(target=self._thread_main, name="zavera-engine", daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def stop(self, timeout: float = 2.0) -> None:
        loop, task = self._loop, self._main_task
        if loop is not None and task is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(task.cancel)
        if self._thread is not None:
            self._thread.join(timeout)

    def wait_finished(self, timeout: float | None = None) -> bool:
        return self._finished.wait(timeout)

    def reconnect_now(self) -> None:
        """Skip any backoff wait; also the way out of auth_required/forbidden after a fix."""
        self._call(self._cmd_reconnect)

    def refresh(self) -> None:
        """Run a reconcile now."""
        self._call(self._cmd_refresh)

    def set_token(self, token: str) -> None:
        self._call(lambda: self._cmd_new_auth(token, None))

    def set_credentials(self, credentials: Credentials) -> None:
        self._call(lambda: self._cmd_new_auth(None, credentials))

    def mark_read(self, order_codes: Sequence[str], read: bool = True) -> None:
        """Mark payments read (or unread again); the change comes back as a batch."""
        codes = tuple(order_codes)
        self._call(lambda: self._cmd_mark_read(codes, read))

    def mark_all_read(self) -> None:
        self._call(lambda: self._cmd_mark_read(None, True))

    def order_detail(self, order_code: str) -> concurrent.futures.Future[OrderDetail]:
        """Read one order from the backend (for the detail panel); never blocks the caller."""
        return self._submit(lambda: self._need(self._client).order_detail(order_code))

    # --- admin actions (engine/actions.py; outcome types in engine/action_types.py) ------------------
    # ``progress`` callbacks run on the engine thread; every action is written to the audit log.

    def check_order(self, order_code: str, *, actor: str = "admin",
                    progress: Callable[[ActionProgress], None] | None = None,
                    ) -> concurrent.futures.Future[CheckActionOutcome]:
        """Ask the backend to check one order's payment with Midtrans (``/core/check``), in words, audited.
        Waits out the rate limit (reported as ``waiting``); backend errors come out of the future."""
        return self._submit(lambda: self._need(self._actions).check(order_code, actor, progress))

    def check_all_stuck(self, *, actor: str = "admin", progress: Callable[[ActionProgress], None] | None = None,
                        cancel: threading.Event | None = None) -> concurrent.futures.Future[BulkCheckSummary]:
        """Check every stuck payment of the dashboard; set ``cancel`` to stop between payments (the
        summary then says how far it got)."""
        return self._submit(lambda: self._need(self._actions).check_all_stuck(actor, progress, cancel))

    def replay_preview(self, order_code: str, *, actor: str = "admin",
                       transaction_id: str | None = None) -> concurrent.futures.Future[ReplayPreview]:
        """Ask Midtrans and build the notification to replay; nothing is sent. Raises
        ``TransactionIdNeeded`` when the admin must type the Midtrans order id (pass it as ``transaction_id``)."""
        return self._submit(lambda: self._need(self._actions).replay_preview(order_code, actor, transaction_id))

    def replay_send(self, preview: ReplayPreview, *, actor: str = "admin", confirmation: str | None = None,
                    dry_run: bool = False) -> concurrent.futures.Future[ReplayOutcome]:
        """Send a previewed notification (production: ``confirmation`` = the order code the admin typed)."""
        return self._submit(lambda: self._need(self._actions).replay_send(preview, actor, confirmation=confirmation,
                                                                          dry_run=dry_run))

    def stored_replay(self, action_id: int, *, actor: str = "admin") -> concurrent.futures.Future[ReplayPreview]:
        """The notification an audited replay sent, as a preview for "Replay again" (Midtrans is not asked)."""
        return self._submit(lambda: self._need(self._actions).stored_replay(action_id, actor))

    def replay_again(self, action_id: int, *, actor: str = "admin",
                     confirmation: str | None = None) -> concurrent.futures.Future[ReplayOutcome]:
        """Re-send an audited replay's notification as-is."""
        async def run() -> ReplayOutcome:
            actions = self._need(self._actions)
            preview = await actions.stored_replay(action_id, actor)
            return await actions.replay_send(preview, actor, confirmation=confirmation)

        return self._submit(run)

    def set_midtrans(self, access: MidtransAccess | None) -> None:
        """The Midtrans environment or server key changed (``None``: none): verify and replay use it."""
        self._midtrans_access = access
        if self._loop is not None and self.running:
            self._call(lambda: self._cmd_set_midtrans(access))

    @property
    def webhook_url(self) -> str:
        """Where replays are posted: the setting, or ``{backend}/api/webhook/midtrans/core``."""
        return self._webhook_url or default_webhook_url(self.settings.backend_url)

    def set_webhook_url(self, url: str | None) -> None:
        """Change the webhook URL (``None``/"" = the default). Raises ``ActionError`` (``webhook_origin``) for a
        URL outside the backend's origin: a replay goes to the configured backend only."""
        self._webhook_url = check_webhook_url(url, self.settings.backend_url) if url and url.strip() else None
        if self._loop is not None and self.running:
            self._call(lambda: self._need(self._actions).replay.set_webhook_url(self._webhook_url))

    def _call(self, fn: Callable[[], None]) -> None:
        if self._loop is None or not self.running:
            raise EngineNotRunning("the engine is not running")
        self._loop.call_soon_threadsafe(fn)

    def _submit(self, make: Callable[[], Coroutine[Any, Any, T]]) -> concurrent.futures.Future[T]:
        if self._loop is None or not self.running:
            raise EngineNotRunning("the engine is not running")

        async def run() -> T:
            while self._checks is None:  # a command right after start(): the parts are being built
                await asyncio.sleep(0.01)
            return await make()

        return asyncio.run_coroutine_threadsafe(run(), self._loop)

    @staticmethod
    def _need(part: T | None) -> T:
        assert part is not None
        return part

    # --- payment health (engine/health.py, engine/orphans.py, backend/doctor_checks.py) -------------------
    # Alerts arrive in batches (``ChangeBatch.alerts``, each a ``HealthAlert`` raised, updated or cleared);
    # the reads below are the Health panel's list and work from any thread, the engine running or not.

    def health_alerts(self, *, include_cleared: bool = True, limit: int = 200,
                      before_id: int | None = None) -> list[HealthAlert]:
        """Findings and orphan settlements, newest first, in keyset pages (``before_id``)."""
        return HealthStore(self.store).alerts(limit=limit, before_id=before_id, include_cleared=include_cleared)

    def alerts_for_order(self, order_code: str) -> list[HealthAlert]:
        """Every alert ever raised about one order (the detail panel), newest first."""
        return HealthStore(self.store).alerts_for_order(order_code.strip().upper())

    def health_picture(self) -> HealthPicture | None:
        """What the rules look at right now (recent payments by source, stream down time and drops)."""
        return self._health.picture() if self._health is not None else None

    def confirm_payment(self, order_code: str, *, actor: str = "admin",
                        reason: str = "") -> concurrent.futures.Future[ConfirmOutcome]:
        """"Confirm payment" for money Midtrans has: the web admin's PATCH status PAID where the backend allows
        it (a PENDING order), refused in words otherwise; audited; the payment is then announced once."""
        return self._submit(lambda: self._need(self._confirmation).confirm(order_code, actor, reason))

    def dismiss_alert(self, alert_id: int, *, actor: str = "admin",
                      reason: str = "") -> concurrent.futures.Future[HealthAlert]:
        """Close an orphan-settlement alert the admin dealt with (refunded, say); audited."""
        async def run() -> HealthAlert:
            return self._need(self._confirmation).dismiss(alert_id, actor, reason)

        return self._submit(run)

    def midtrans_dashboard_url(self) -> str:
        """The Midtrans dashboard of the configured environment (the live one when none is configured)."""
        return midtrans_dashboard_url(self._midtrans_access)

    def run_checks(self, *, probe_webhook: bool = False,
                   progress: Callable[[CheckResult], None] | None = None,
                   ) -> concurrent.futures.Future[list[CheckResult]]:
        """The ``doctor`` checks with this engine's backend, login and Midtrans key ("Run checks"), one
        ``CheckResult`` per check in order; ``progress`` gets each as it is known (on the engine thread)."""
        async def run() -> list[CheckResult]:
            client = self._need(self._client)
            creds = self._credentials
            if creds is not None:
                return await run_checks(self.settings.backend_url, email=creds.email, password=creds.password,
                                        midtrans=self._midtrans_access, probe_webhook=probe_webhook,
                                        progress=progress)
            return await run_checks(self.settings.backend_url, token=client.token or "",
                                    midtrans=self._midtrans_access, probe_webhook=probe_webhook, progress=progress)

        return self._submit(run)

    # --- thread and main coroutine ---------------------------------------------------------------------

    def _thread_main(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            self._main_task = loop.create_task(self._main())
            self._ready.set()
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(self._main_task)
        except Exception:
            log.exception("The engine stopped on an unexpected error")
        finally:
            try:
                pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for t in pending:
                    t.cancel()
                if pending:
                    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                loop.close()
                self._set_status(ConnectionStatus(ConnectionState.STOPPED, since=datetime.now(UTC)))
                self._finished.set()

    def _build(self) -> EngineContext:
        """Create the loop-bound parts: client, stream consumer, polling and status checks."""
        s = self.settings
        self._resume = asyncio.Event()
        self.sink.attach(asyncio.get_running_loop())
        ctx = EngineContext(settings=s, store=self.store, sink=self.sink, stats=self.stats,
                            handle_rest_error=self._handle_rest_error, wait_resume=self._wait_resume,
                            request_reconcile=self._cmd_refresh)
        self._ctx = ctx
        self._client = ZaveraClient(s.backend_url, token=self._token, credentials=self._credentials,
                                    tz=self.tz, transport=self._transport)
        midtrans = None
        if self._midtrans_access is not None:
            midtrans = MidtransClient(self._midtrans_access, transport=self._midtrans_transport)
        self._checks = StatusChecks(ctx, self._client, limiter=self.limiter, midtrans=midtrans)
        self._actions = AdminActions(ctx, self._client, self._checks, midtrans=self._midtrans_access,
                                     webhook_url=self._webhook_url, midtrans_transport=self._midtrans_transport)
        self._events = StreamEvents(self.sink, checking=self._checks.checking, on_malformed=self._on_malformed)
        self._stream = StreamConsumer(
            self._client, tz=self.tz, on_notification=self._on_notification, on_state=self._on_stream_state,
            on_connected=self._cmd_refresh, on_malformed=self._on_malformed, read_timeout=s.read_timeout,
            reconnect_min=s.reconnect_min, reconnect_cap=s.reconnect_cap,
            honour_server_retry=s.honour_server_retry, healthy_after=s.healthy_after,
            max_event_bytes=s.max_event_bytes, rng=self._rng,
        )
        reconciler = Reconciler(self._client, self.store, tz=self.tz, lookback_days=s.lookback_days)
        stream = self._stream
        self._polling = Polling(ctx, self._client, reconciler, stream_state=lambda: stream.status.state)
        # payment health: fed by the sink's batches; orphan look-ups share verify's Midtrans budget
        self._health = HealthMonitor(ctx, self._client, thresholds=self._health_thresholds)
        self.sink.subscribe(self._health.on_batch)
        self._orphans = OrphanScanner(ctx, self._client, self._checks, self._health,
                                      refresh=max(1.0, min(30.0, 2 * s.poll_interval)))
        self.sink.subscribe(self._orphans.on_batch)
        self._confirmation = PaymentConfirmation(ctx, self._client, self._checks, self._health,
                                                 access=lambda: self._midtrans_access)
        return ctx

    async def _main(self) -> None:
        self._build()
        assert self._client is not None and self._stream is not None
        assert self._polling is not None and self._checks is not None
        polling, checks = self._polling, self._checks
        try:
            polling.reconciler.first_started_at()
            self.sink.redeliver_unannounced()
            if not await self._initial_login():
                await self._wait_resume()
            await asyncio.gather(
                self._supervise("Live stream", self._stream.run),
                self._supervise("Reconcile", polling.reconcile_loop),
                self._supervise("Payment dashboard", polling.dashboard_loop),
                self._supervise("Status checks", lambda: checks.verify_loop(lambda: polling.stuck)),
                self._supervise("Payment health", self._need(self._health).run),
                self._supervise("Orphan settlements", self._need(self._orphans).run),
            )
        finally:
            self.sink.cancel_pending_flush()
            self.sink.flush()
            await self._client.aclose()
            if checks.midtrans is not None:
                await checks.midtrans.aclose()

    async def _initial_login(self) -> bool:
        """Log in with the stored credentials, retrying while the backend is unreachable."""
        assert self._client is not None
        if self._credentials is None or self._token is not None:
            return True
        attempt = 0
        while True:
            try:
                user = await self._client.login()
                log.info("Logged in as %s", user.email)
                return True
            except AuthError as exc:
                self._set_fatal(ConnectionState.AUTH_REQUIRED, str(exc))
                return False
            except ForbiddenError as exc:
                self._set_fatal(ConnectionState.FORBIDDEN, str(exc))
                return False
            except ZaveraError as exc:
                delay = backoff_delay(attempt, self.settings.reconnect_min, self.settings.reconnect_cap, self._rng)
                attempt += 1
                state = ConnectionState.OFFLINE if isinstance(exc, NetworkError) else ConnectionState.RECONNECTING
                self._set_status(ConnectionStatus(state, str(exc), attempt, since=datetime.now(UTC)))
                await asyncio.sleep(delay)

    async def _supervise(self, name: str, loop_fn: Callable[[], Awaitable[None]]) -> None:
        """Keep a long-lived task alive: a bug in one path must not stop the watcher."""
        while True:
            try:
                await loop_fn()
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.exception("%s stopped on an unexpected error; restarting it in 1 s", name)
                self._ctx.note_error(name, RuntimeError(f"internal error ({exc.__class__.__name__}); restarted"))
                await asyncio.sleep(1.0)

    # --- connection state ------------------------------------------------------------------------------

    def _set_status(self, status: ConnectionStatus) -> None:
        with self._status_lock:
            self._status = status
            fatal = self._fatal
        if fatal is None:
            self.sink.deliver(ChangeBatch(connection=status))

    def _set_fatal(self, state: ConnectionState, detail: str) -> None:
        status = ConnectionStatus(state, detail, since=datetime.now(UTC))
        with self._status_lock:
            if self._fatal is not None and self._fatal.state == state:
                return
            self._fatal = status
        log.warning("%s: %s", state.value, detail)
        if self._resume is not None:
            self._resume.clear()
        self.sink.deliver(ChangeBatch(connection=status))

    def _handle_rest_error(self, where: str, exc: Exception) -> None:
        if isinstance(exc, AuthError):
            self._set_fatal(ConnectionState.AUTH_REQUIRED, str(exc))
        elif isinstance(exc, ForbiddenError):
            self._set_fatal(ConnectionState.FORBIDDEN, str(exc))
        else:
            self._ctx.note_error(where, exc)

    def _on_stream_state(self, status: ConnectionStatus) -> None:
        was_live = self._status.state is ConnectionState.LIVE
        if (status.state is ConnectionState.LIVE) != was_live and self._polling is not None:
            self._polling.stream_state_changed()
        if status.state.is_fatal:
            self._set_fatal(status.state, status.detail)
        else:
            self._set_status(status)

    async def _wait_resume(self) -> None:
        assert self._resume is not None
        while self._fatal is not None:
            self._resume.clear()
            await self._resume.wait()

    # --- stream callbacks --------------------------------------------------------------------------------

    def _on_notification(self, notification: Any) -> None:
        assert self._events is not None
        self._events(notification)
        self.stats.stream_notifications = self._events.notifications
        self.stats.stream_payments = self._events.payments

    def _on_malformed(self, detail: str) -> None:
        self.stats.malformed_events += 1
        log.warning("Stream: %s", detail)
        self.sink.note("malformed", detail)

    def _count_sources(self, new: list[Payment]) -> None:
        for p in new:
            by = p.detected_by.value
            self.stats.payments_by_source[by] = self.stats.payments_by_source.get(by, 0) + 1

    def _enrich_later(self, payments: list[Payment]) -> None:
        if self._polling is not None:
            self._polling.enrich_later(payments)

    # --- commands (run on the engine loop) ---------------------------------------------------------------

    def _cmd_reconnect(self) -> None:
        was_fatal = self._fatal is not None
        with self._status_lock:
            self._fatal = None
        if self._resume is not None:
            self._resume.set()
        if self._stream is not None:
            self._stream.reconnect_now()
        if was_fatal:
            self.sink.deliver(ChangeBatch(connection=self._status))

    def _cmd_refresh(self) -> None:
        if self._polling is not None:
            self._polling.request_reconcile()

    def _cmd_mark_read(self, codes: tuple[str, ...] | None, read: bool) -> None:
        try:
            if codes is None:
                self.store.mark_all_read()
            else:
                self.store.mark_read(codes, read)
        except (StoreError, SQLAlchemyError) as exc:
            self._ctx.note_error("Marking read", exc)
            return
        self.sink.deliver(ChangeBatch(read_change=ReadChange(codes, read)))

    def _cmd_set_midtrans(self, access: MidtransAccess | None) -> None:
        checks = self._need(self._checks)
        self._need(self._actions).replay.set_midtrans(access)
        old = checks.midtrans
        checks.midtrans = MidtransClient(access, transport=self._midtrans_transport) if access else None
        if old is not None:
            async def close_later() -> None:
                await asyncio.sleep(30.0)  # a look-up in flight on the old client finishes first (15 s timeout)
                await old.aclose()

            self._need(self._polling).spawn(close_later())

    def _cmd_new_auth(self, token: str | None, credentials: Credentials | None) -> None:
        assert self._client is not None and self._polling is not None
        if token is not None:
            self._client.set_token(token)
        if credentials is not None:
            self._client._credentials = credentials
            self._credentials = credentials

            async def relogin() -> None:
                try:
                    await self._need(self._client).login()
                except ZaveraError as exc:
                    self._set_fatal(ConnectionState.AUTH_REQUIRED, str(exc))
                    return
                self._cmd_reconnect()

            self._polling.spawn(relogin())
            return
        self._cmd_reconnect()

    # --- for tests and benchmarks --------------------------------------------------------------------------

    async def reconcile_once(self) -> list[Payment]:
        assert self._polling is not None
        return await self._polling.reconcile_once()
