"""The engine: stream + reconcile + verify feeding one idempotent store (DESIGN §2, §4).

It runs an asyncio loop in its own thread, owns the REST client, the stream consumer, the
reconciler, the verifier and all store writes, and hands subscribers *batches* of changes. It has
no Qt in it: the CLI's ``watch`` and the GUI use it the same way.

Subscribers are called on the engine thread and must return quickly (the GUI's bridge re-emits
the batch as a Qt signal; ``watch`` prints a line).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import random
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy.exc import SQLAlchemyError

from zavera_desktop.backend.client import Credentials, OrderDetail, ZaveraClient, token_expires_at
from zavera_desktop.backend.errors import (
    AuthError,
    ForbiddenError,
    NetworkError,
    RateLimitedError,
    ZaveraError,
)
from zavera_desktop.backend.reconcile import Reconciler
from zavera_desktop.backend.stream import StreamConsumer, backoff_delay
from zavera_desktop.backend.verify import CheckLimiter, Verifier, VerifyTarget
from zavera_desktop.config import EngineSettings
from zavera_desktop.domain import (
    ActivityItem,
    ChangeBatch,
    ConnectionState,
    ConnectionStatus,
    DecodeError,
    DetectedBy,
    Notification,
    Payment,
    PaymentCandidate,
    ReadChange,
    is_paid_status,
    parse_amount,
)
from zavera_desktop.store import SeenUpdate, Store, StoreError

log = logging.getLogger(__name__)

#: Stream types that never alert (contract §10.10); kept out of the activity log as noise.
IGNORED_TYPES = frozenset({"connected", "system", "user_login", "user_registered"})
#: Stream types kept in the activity log.
ACTIVITY_TYPES = frozenset({"order_created", "payment_expired", "shipment_update", "stock_low",
                            "refund_request", "dispute_created"})
MAX_PENDING_ENRICH = 200
TOKEN_WARNING = 3600.0  # seconds before a pasted token's expiry


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """The result of an admin's status check, in words."""

    order_code: str
    payment_id: int | None
    status: str
    message: str
    newly_detected: bool = False


@dataclass(slots=True)
class EngineStats:
    stream_notifications: int = 0
    stream_payments: int = 0
    malformed_events: int = 0
    reconcile_runs: int = 0
    reconcile_pages: int = 0
    verify_rounds: int = 0
    verify_checks: int = 0
    payments_by_source: dict[str, int] = field(default_factory=dict)


def candidate_from_detail(detail: OrderDetail, detected_by: DetectedBy) -> PaymentCandidate:
    """Everything an order detail says about a paid order, as a claim for the store."""
    payment = detail.payment
    return PaymentCandidate(
        order_code=detail.order.order_code, amount=detail.order.total_amount, detected_by=detected_by,
        detected_at=datetime.now(UTC), payment_method=payment.payment_method if payment else "",
        customer=detail.order.customer_name or None, order_status=detail.order.status,
        paid_at=detail.order.paid_at or (payment.paid_at if payment else None),
        payment_id=payment.id if payment is not None and payment.is_core else None,
    )


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
        transport: httpx.AsyncBaseTransport | None = None,
        rng: random.Random | None = None,
    ) -> None:
        settings.validate()
        if token is None and credentials is None:
            raise ValueError("the engine needs a token or an e-mail and password")
        self.settings = settings
        self.store = store
        self.tz = settings.zone
        self._token = token
        self._credentials = credentials
        self._transport = transport
        self._rng = rng or random.Random()
        self._subscribers: list[Callable[[ChangeBatch], None]] = []
        self._status = ConnectionStatus(ConnectionState.STOPPED)
        self._status_lock = threading.Lock()
        self._fatal: ConnectionStatus | None = None
        self.stats = EngineStats()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._main_task: asyncio.Task[None] | None = None
        self._ready = threading.Event()
        self._finished = threading.Event()
        # loop-only state (created in the loop)
        self._client: ZaveraClient | None = None
        self._stream: StreamConsumer | None = None
        self._reconciler: Reconciler | None = None
        self._verifier: Verifier | None = None
        self._limiter = CheckLimiter()
        # set to re-evaluate the reconcile schedule; _reconcile_requested says "run one now"
        self._reconcile_wake: asyncio.Event | None = None
        self._reconcile_requested = False
        self._resume: asyncio.Event | None = None
        self._pending_payments: list[PaymentCandidate] = []
        self._pending_activity: list[tuple[ActivityItem, dict[str, Any] | None]] = []
        self._pending_seen: list[SeenUpdate] = []
        self._flush_handle: asyncio.Handle | None = None
        self._inflight: dict[str, int] = {}
        self._stuck: list[tuple[int, str, datetime | None]] = []
        self._last_paid_count: int | None = None
        self._enrich_tasks: set[asyncio.Task[None]] = set()
        self._enrich_sem: asyncio.Semaphore | None = None
        self._last_error: dict[str, str] = {}
        self._token_warned = False
        self.last_reconcile_at: datetime | None = None
        self.last_event_at: datetime | None = None

    # --- public API (any thread) ---------------------------------------------------------------

    def subscribe(self, callback: Callable[[ChangeBatch], None]) -> Callable[[], None]:
        """Receive every change batch (on the engine thread). Returns an unsubscribe function."""
        self._subscribers = [*self._subscribers, callback]

        def unsubscribe() -> None:
            self._subscribers = [s for s in self._subscribers if s is not callback]

        return unsubscribe

    @property
    def status(self) -> ConnectionStatus:
        with self._status_lock:
            return self._fatal or self._status

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

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
        if self._loop is None or not self.running:
            raise EngineNotRunning("the engine is not running")
        return asyncio.run_coroutine_threadsafe(self._order_detail(order_code), self._loop)

    async def _order_detail(self, order_code: str) -> OrderDetail:
        assert self._client is not None
        return await self._client.order_detail(order_code)

    def check_order(self, order_code: str, *, actor: str = "admin") -> concurrent.futures.Future[CheckOutcome]:
        """Ask the backend to check one order's payment with Midtrans (``/core/check``)."""
        if self._loop is None or not self.running:
            raise EngineNotRunning("the engine is not running")
        return asyncio.run_coroutine_threadsafe(self._check_order(order_code, actor), self._loop)

    def _call(self, fn: Callable[[], None]) -> None:
        if self._loop is None or not self.running:
            raise EngineNotRunning("the engine is not running")
        self._loop.call_soon_threadsafe(fn)

    # --- thread and main coroutine ----------------------------------------------------------------

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

    async def _main(self) -> None:
        s = self.settings
        self._reconcile_wake = asyncio.Event()
        self._resume = asyncio.Event()
        self._enrich_sem = asyncio.Semaphore(4)
        self._client = ZaveraClient(s.backend_url, token=self._token, credentials=self._credentials,
                                    tz=self.tz, transport=self._transport)
        self._reconciler = Reconciler(self._client, self.store, tz=self.tz, lookback_days=s.lookback_days)
        self._verifier = Verifier(self._client, self.store, verify_interval=s.verify_interval,
                                  verify_after=s.verify_after, max_per_round=s.verify_max_per_round,
                                  limiter=self._limiter)
        self._stream = StreamConsumer(
            self._client, tz=self.tz, on_notification=self._on_notification, on_state=self._on_stream_state,
            on_connected=self._on_connected, on_malformed=self._on_malformed, read_timeout=s.read_timeout,
            reconnect_min=s.reconnect_min, reconnect_cap=s.reconnect_cap,
            honour_server_retry=s.honour_server_retry, healthy_after=s.healthy_after,
            max_event_bytes=s.max_event_bytes, rng=self._rng,
        )
        try:
            self._reconciler.first_started_at()
            self._redeliver_unannounced()
            if not await self._initial_login():
                await self._wait_resume()
            await asyncio.gather(
                self._supervise("Live stream", self._stream.run),
                self._supervise("Reconcile", self._reconcile_loop),
                self._supervise("Payment dashboard", self._dashboard_loop),
                self._supervise("Status checks", self._verify_loop),
            )
        finally:
            if self._flush_handle is not None:
                self._flush_handle.cancel()
            self._flush()
            await self._client.aclose()

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

    # --- connection state -------------------------------------------------------------------------

    def _set_status(self, status: ConnectionStatus) -> None:
        with self._status_lock:
            self._status = status
            fatal = self._fatal
        if fatal is None:
            self._deliver(ChangeBatch(connection=status))

    def _set_fatal(self, state: ConnectionState, detail: str) -> None:
        status = ConnectionStatus(state, detail, since=datetime.now(UTC))
        with self._status_lock:
            if self._fatal is not None and self._fatal.state == state:
                return
            self._fatal = status
        log.warning("%s: %s", state.value, detail)
        if self._resume is not None:
            self._resume.clear()
        self._deliver(ChangeBatch(connection=status))

    def _on_stream_state(self, status: ConnectionStatus) -> None:
        was_live = self._status.state is ConnectionState.LIVE
        if (status.state is ConnectionState.LIVE) != was_live and self._reconcile_wake is not None:
            self._reconcile_wake.set()  # live and not-live reconcile on different intervals
        if status.state.is_fatal:
            self._set_fatal(status.state, status.detail)
        else:
            self._set_status(status)

    async def _wait_resume(self) -> None:
        assert self._resume is not None
        while self._fatal is not None:
            self._resume.clear()
            await self._resume.wait()

    def _cmd_reconnect(self) -> None:
        was_fatal = self._fatal is not None
        with self._status_lock:
            self._fatal = None
        if self._resume is not None:
            self._resume.set()
        if self._stream is not None:
            self._stream.reconnect_now()
        if was_fatal:
            self._deliver(ChangeBatch(connection=self._status))

    def _cmd_mark_read(self, codes: tuple[str, ...] | None, read: bool) -> None:
        try:
            if codes is None:
                self.store.mark_all_read()
            else:
                self.store.mark_read(codes, read)
        except (StoreError, SQLAlchemyError) as exc:
            self._note_error("Marking read", exc)
            return
        self._deliver(ChangeBatch(read_change=ReadChange(codes, read)))

    def _cmd_refresh(self) -> None:
        self._reconcile_requested = True
        if self._reconcile_wake is not None:
            self._reconcile_wake.set()

    def _cmd_new_auth(self, token: str | None, credentials: Credentials | None) -> None:
        assert self._client is not None
        if token is not None:
            self._client.set_token(token)
        if credentials is not None:
            self._client._credentials = credentials
            self._credentials = credentials

            async def relogin() -> None:
                try:
                    await self._client.login()  # type: ignore[union-attr]
                except ZaveraError as exc:
                    self._set_fatal(ConnectionState.AUTH_REQUIRED, str(exc))
                    return
                self._cmd_reconnect()

            task = asyncio.ensure_future(relogin())
            self._enrich_tasks.add(task)  # keep a reference until it is done
            task.add_done_callback(self._enrich_tasks.discard)
            return
        self._cmd_reconnect()

    # --- announcing: batch, store, deliver ---------------------------------------------------------

    def _deliver(self, batch: ChangeBatch) -> None:
        if not batch:
            return
        for callback in self._subscribers:
            try:
                callback(batch)
            except Exception:
                log.exception("A change subscriber failed")

    def _redeliver_unannounced(self) -> None:
        """Payments stored but not handed out before a crash are announced now (once)."""
        pending = self.store.unnotified_payments()
        if pending:
            log.info("Announcing %d payment(s) recorded before an unclean stop", len(pending))
            self._deliver(ChangeBatch(new_payments=pending))
            self.store.mark_notified([p.id for p in pending if p.id is not None])

    def _queue(self, payments: Sequence[PaymentCandidate] = (),
               activity: Sequence[tuple[ActivityItem, dict[str, Any] | None]] = (),
               seen: Sequence[SeenUpdate] = ()) -> None:
        """Collect changes produced in this loop iteration; one flush stores and delivers them."""
        self._pending_payments.extend(payments)
        self._pending_activity.extend(activity)
        self._pending_seen.extend(seen)
        if self._flush_handle is None and self._loop is not None:
            self._flush_handle = self._loop.call_soon(self._flush)

    def _record_now(self, payments: Sequence[PaymentCandidate]) -> list[Payment]:
        """Store and announce at once (reconcile and verify must record before moving on)."""
        self._pending_payments.extend(payments)
        return self._flush()

    def _flush(self) -> list[Payment]:
        self._flush_handle = None
        cands, self._pending_payments = self._pending_payments, []
        activity, self._pending_activity = self._pending_activity, []
        seen, self._pending_seen = self._pending_seen, []
        if not cands and not activity and not seen:
            return []
        try:
            # the baseline first: an order_created and its payment can share a batch
            self.store.update_seen(seen)
            seen = []
            cands = self._fill_from_seen(cands)
            new, updated = self.store.record_payments(cands)
            self.store.add_events(activity)
        except (StoreError, SQLAlchemyError) as exc:
            # Keep every claim and try again shortly: losing a payment is the one thing we never do.
            log.error("Cannot write the local database (%s); retrying in 1 s", exc.__class__.__name__)
            self._pending_payments[:0] = cands
            self._pending_activity[:0] = activity
            self._pending_seen[:0] = seen
            if self._loop is not None and self._flush_handle is None:
                self._flush_handle = self._loop.call_later(1.0, self._flush)
            return []
        for p in new:
            self.stats.payments_by_source[p.detected_by.value] = \
                self.stats.payments_by_source.get(p.detected_by.value, 0) + 1
        self._deliver(ChangeBatch(new_payments=new, updated_payments=updated,
                                  activity=[a for a, _ in activity]))
        if new:
            self.store.mark_notified([p.id for p in new if p.id is not None])
            self._schedule_enrich([p for p in new if p.customer is None or p.paid_at is None])
        return new

    def _fill_from_seen(self, cands: list[PaymentCandidate]) -> list[PaymentCandidate]:
        """The stream knows no customer name; the reconcile baseline often does."""
        missing = [c.order_code for c in cands if c.customer is None or c.amount is None]
        if not missing:
            return cands
        seen = self.store.seen_orders(missing)
        out = []
        for c in cands:
            s = seen.get(c.order_code)
            if s is not None and (c.customer is None or c.amount is None):
                c = PaymentCandidate(
                    order_code=c.order_code, amount=c.amount if c.amount is not None else s.amount,
                    detected_by=c.detected_by, detected_at=c.detected_at, payment_method=c.payment_method,
                    customer=c.customer or s.customer, order_status=c.order_status, paid_at=c.paid_at,
                    payment_id=c.payment_id or s.payment_id, raw=c.raw,
                )
            out.append(c)
        return out

    def _schedule_enrich(self, payments: list[Payment]) -> None:
        if not payments or not self.settings.enrich_payments:
            return
        if len(self._enrich_tasks) + len(payments) > MAX_PENDING_ENRICH:
            # a burst: one reconcile fills the details of all of them more cheaply
            self._cmd_refresh()
            return
        for p in payments:
            task = asyncio.ensure_future(self._enrich(p.order_code))
            self._enrich_tasks.add(task)
            task.add_done_callback(self._enrich_tasks.discard)

    async def _enrich(self, order_code: str) -> None:
        assert self._client is not None and self._enrich_sem is not None
        await asyncio.sleep(self.settings.enrich_delay)
        async with self._enrich_sem:
            try:
                detail = await self._client.order_detail(order_code)
            except ZaveraError as exc:
                log.debug("Could not read %s for details: %s", order_code, exc)
                return
        updated = self.store.enrich_payments([candidate_from_detail(detail, DetectedBy.RECONCILE)])
        if updated:
            self._deliver(ChangeBatch(updated_payments=updated))

    # --- the stream -------------------------------------------------------------------------------

    def _on_connected(self) -> None:
        # The gap fill: anything paid while we were not connected is only visible through REST.
        self._cmd_refresh()

    def _on_malformed(self, detail: str) -> None:
        self.stats.malformed_events += 1
        log.warning("Stream: %s", detail)
        self._queue(activity=[(ActivityItem("malformed", detail, datetime.now(UTC)), None)])

    def _on_notification(self, n: Notification) -> None:
        now = datetime.now(UTC)
        self.last_event_at = now
        self.stats.stream_notifications += 1
        if n.type in IGNORED_TYPES:
            return
        payload = {"id": n.id, "type": n.type, "title": n.title, "message": n.message, "data": n.data}
        code = n.data.get("order_code")
        code = code if isinstance(code, str) and code else None
        if n.type == "payment_received":
            if code is None:
                self._on_malformed("a payment notification without an order code was skipped")
                return
            try:
                amount: int | None = parse_amount(n.data.get("amount"))
            except DecodeError:
                amount = None
            method = n.data.get("payment_method")
            # The broadcast of a /core/check carries an empty method (§2.3). If it is for an order
            # we are checking right now, it is our check's doing: credit verify (DESIGN §2).
            ours = method == "" and code in self._inflight
            by = DetectedBy.VERIFY if ours else DetectedBy.STREAM
            self.stats.stream_payments += 1
            self._queue(
                payments=[PaymentCandidate(order_code=code, amount=amount, detected_by=by, detected_at=now,
                                           payment_method=method if isinstance(method, str) else "",
                                           raw=payload)],
                activity=[(ActivityItem(n.type, n.message, now, code, n.id), payload)],
            )
            return
        if n.type in ACTIVITY_TYPES:
            if code is not None and n.type == "order_created":
                try:
                    total: int | None = parse_amount(n.data.get("total_amount"))
                except DecodeError:
                    total = None
                customer = n.data.get("customer")
                seen = [SeenUpdate(code, "PENDING", customer if isinstance(customer, str) else None, total,
                                   n.timestamp or now)]
            elif code is not None and n.type == "payment_expired":
                seen = [SeenUpdate(code, "EXPIRED")]
            else:
                seen = []
            self._queue(activity=[(ActivityItem(n.type, n.message, now, code, n.id), payload)], seen=seen)
            return
        log.info("Skipping a stream notification of unknown type %r", n.type[:40])
        self._queue(activity=[(ActivityItem("unknown", f"Skipped an unknown notification type {n.type[:40]!r}",
                                            now, code, n.id), payload)])

    # --- reconcile ---------------------------------------------------------------------------------

    def _note_error(self, where: str, exc: Exception) -> None:
        text = str(exc)
        if self._last_error.get(where) != text:
            self._last_error[where] = text
            log.warning("%s: %s", where, text)
            self._queue(activity=[(ActivityItem("error", f"{where}: {text}", datetime.now(UTC)), None)])

    def _handle_rest_error(self, where: str, exc: ZaveraError) -> None:
        if isinstance(exc, AuthError):
            self._set_fatal(ConnectionState.AUTH_REQUIRED, str(exc))
        elif isinstance(exc, ForbiddenError):
            self._set_fatal(ConnectionState.FORBIDDEN, str(exc))
        else:
            self._note_error(where, exc)

    async def _reconcile_loop(self) -> None:
        assert self._reconcile_wake is not None and self._loop is not None
        failed = False
        # the first run comes from the connect (the gap fill) or, without a stream, one interval in
        last_run = self._loop.time()
        while True:
            while not self._reconcile_requested:
                live = self._stream is not None and self._stream.status.state is ConnectionState.LIVE
                interval = self.settings.live_reconcile_interval if live else self.settings.poll_interval
                if failed:  # a failed reconcile leaves an unknown gap: try again soon, live or not
                    interval = min(interval, self.settings.poll_interval)
                left = last_run + interval - self._loop.time()
                if left <= 0:
                    break
                self._reconcile_wake.clear()
                # woken early by a request, or by the stream changing state (a new interval applies)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._reconcile_wake.wait(), timeout=left)
            self._reconcile_requested = False
            await self._wait_resume()
            try:
                await self.reconcile_once()
                failed = False
            except ZaveraError as exc:
                failed = True
                self._handle_rest_error("Reconcile", exc)
            last_run = self._loop.time()

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
                self._note_error(name, RuntimeError(f"internal error ({exc.__class__.__name__}); restarted"))
                await asyncio.sleep(1.0)

    async def reconcile_once(self) -> list[Payment]:
        assert self._reconciler is not None
        result = await self._reconciler.run()
        # Record first, then move the baseline: a crash in between repeats work, never loses it.
        new = self._record_now(result.candidates)
        updated = self.store.enrich_payments(result.enrich)
        self.store.update_seen(result.seen_updates)
        if result.baseline:
            self._reconciler.mark_baseline_done()
        self.stats.reconcile_runs += 1
        self.stats.reconcile_pages += result.pages_read
        self.last_reconcile_at = datetime.now(UTC)
        self._last_error.pop("Reconcile", None)
        if updated:
            self._deliver(ChangeBatch(updated_payments=updated))
        log.debug("Reconcile: %d orders, %d pages, %d new payments", len(result.orders), result.pages_read,
                  len(new))
        return new

    async def _dashboard_loop(self) -> None:
        """The cheap change detector: a new today_paid_count means a full read is due."""
        assert self._client is not None
        while True:
            await self._wait_resume()
            try:
                dash = await self._client.dashboard_payments()
            except ZaveraError as exc:
                self._handle_rest_error("Payment dashboard", exc)
            else:
                self._last_error.pop("Payment dashboard", None)
                self._stuck = [(s.payment_id, s.order_code, s.created_at) for s in dash.stuck_payments]
                if self._last_paid_count is not None and dash.today_paid_count != self._last_paid_count:
                    self._cmd_refresh()
                self._last_paid_count = dash.today_paid_count
            self._warn_token_expiry()
            await asyncio.sleep(self.settings.poll_interval)

    def _warn_token_expiry(self) -> None:
        """A pasted token cannot be renewed by us: say so an hour before it runs out."""
        if self._client is None or self._client.can_relogin or self._token_warned:
            return
        expires = token_expires_at(self._client.token)
        if expires is None:
            return
        left = expires - datetime.now(UTC)
        if left.total_seconds() < TOKEN_WARNING:
            self._token_warned = True
            minutes = max(0, int(left.total_seconds() // 60))
            text = (f"The login token expires in {minutes} min and cannot be renewed automatically; "
                    "paste a new token or log in with e-mail and password.")
            log.warning(text)
            self._queue(activity=[(ActivityItem("warning", text, datetime.now(UTC)), None)])

    # --- verify --------------------------------------------------------------------------------------

    async def _verify_loop(self) -> None:
        assert self._verifier is not None
        delay = self.settings.verify_interval
        while True:
            await asyncio.sleep(delay)
            delay = self.settings.verify_interval
            await self._wait_resume()
            try:
                await self._verifier.run_round(now=datetime.now(UTC), stuck=list(self._stuck),
                                               check=self._verify_check)
                self.stats.verify_rounds += 1
            except RateLimitedError as exc:
                delay = max(delay, exc.retry_after)
                self._note_error("Status checks", exc)
            except ZaveraError as exc:
                self._handle_rest_error("Status checks", exc)

    def _hold_inflight(self, order_code: str) -> None:
        self._inflight[order_code] = self._inflight.get(order_code, 0) + 1

    def _release_inflight(self, order_code: str) -> None:
        # No grace period needed: a PAID answer is recorded before this task yields again, so a
        # broadcast arriving after the answer is a duplicate either way.
        left = self._inflight.get(order_code, 0) - 1
        if left <= 0:
            self._inflight.pop(order_code, None)
        else:
            self._inflight[order_code] = left

    async def _run_check(self, order_code: str, payment_id: int,
                         detail: OrderDetail | None = None) -> tuple[str, str, bool]:
        """One /core/check; records a PAID answer. Returns (status, message, newly_detected)."""
        assert self._client is not None
        self._hold_inflight(order_code)
        try:
            self._limiter.note(payment_id)
            result = await self._client.core_check(payment_id)
        finally:
            self._release_inflight(order_code)
        now = datetime.now(UTC)
        self.stats.verify_checks += 1
        self.store.note_verified(order_code, now)
        newly = False
        if result.status == "PAID":
            order = detail.order if detail is not None else None
            method = detail.payment.payment_method if detail is not None and detail.payment else ""
            new = self._record_now([PaymentCandidate(
                order_code=order_code, amount=order.total_amount if order else None,
                detected_by=DetectedBy.VERIFY, detected_at=now, payment_method=method,
                customer=(order.customer_name or None) if order else None, payment_id=payment_id)])
            newly = bool(new)
        elif result.status in ("EXPIRED", "CANCELLED", "FAILED"):
            # final on the backend: further checks would only repeat the stored value (§4.1 step 3)
            self.store.update_seen([SeenUpdate(order_code, result.status)])
        return result.status, result.message, newly

    def _record_known_paid(self, detail: OrderDetail) -> bool:
        """The backend already says PAID: record it as reconcile would. Returns True when new."""
        self.store.note_verified(detail.order.order_code, datetime.now(UTC))
        return bool(self._record_now([candidate_from_detail(detail, DetectedBy.RECONCILE)]))

    async def _verify_check(self, target: VerifyTarget) -> None:
        """Re-read the order first: /core/check on an order already PAID through another path
        marks it PAID again, overwrites paid_at and e-mails the customer a second time (§4.1, §10.12)."""
        assert self._client is not None
        detail = await self._client.order_detail(target.order_code)
        status = detail.order.status
        if is_paid_status(status):
            self._record_known_paid(detail)
            return
        if status != "PENDING":
            self.store.note_verified(target.order_code, datetime.now(UTC))
            self.store.update_seen([SeenUpdate(target.order_code, status)])
            return
        await self._run_check(target.order_code, target.payment_id, detail)

    async def _check_order(self, order_code: str, actor: str) -> CheckOutcome:
        """The admin's "check status" for one order, recorded in the audit log."""
        assert self._client is not None
        order_code = order_code.strip().upper()
        request = {"order_code": order_code}
        try:
            detail = await self._client.order_detail(order_code)
            order, payment = detail.order, detail.payment
            if is_paid_status(order.status):
                newly = self._record_known_paid(detail)
                outcome = CheckOutcome(order_code, payment.id if payment else None, order.status,
                                       "The backend already has this order as paid; Midtrans was not asked again "
                                       "(that would e-mail the customer a second time).", newly)
            elif payment is None or not payment.is_core:
                outcome = CheckOutcome(order_code, None, order.status,
                                       "This order has no VA/QRIS/GoPay payment, so Midtrans cannot be asked "
                                       "about it from here.")
            else:
                wait = self._limiter.wait_for(payment.id)
                if wait > 0:  # the backend allows one check per payment per 5 s
                    await asyncio.sleep(wait)
                request["payment_id"] = str(payment.id)
                status, message, newly = await self._run_check(order_code, payment.id, detail)
                outcome = CheckOutcome(order_code, payment.id, status, message, newly)
        except ZaveraError as exc:
            self.store.log_action(actor=actor, action="status_check", order_code=order_code, request=request,
                                  response=None, outcome=f"failed: {exc}")
            raise
        self.store.log_action(actor=actor, action="status_check", order_code=order_code, request=request,
                              response={"status": outcome.status, "message": outcome.message},
                              outcome=outcome.status)
        return outcome
