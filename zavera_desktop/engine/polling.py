"""The REST side of the engine: the reconcile loop, the payment-dashboard loop, and enrichment.

Reconcile runs at once after every successful connect (the gap fill), every ``poll_interval`` while
the stream is not live, every ``live_reconcile_interval`` while it is, when the dashboard's
``today_paid_count`` changes, and on request. The dashboard loop is the cheap change detector and
the source of ``stuck_payments`` for verify.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from zavera_desktop.backend.client import ZaveraClient, token_expires_at
from zavera_desktop.backend.errors import ZaveraError
from zavera_desktop.backend.reconcile import Reconciler
from zavera_desktop.domain import ChangeBatch, ConnectionState, DetectedBy, Payment
from zavera_desktop.engine.changes import candidate_from_detail
from zavera_desktop.engine.context import EngineContext

log = logging.getLogger(__name__)

MAX_PENDING_ENRICH = 200
TOKEN_WARNING = 3600.0  # seconds before a pasted token's expiry


class Polling:
    def __init__(self, ctx: EngineContext, client: ZaveraClient, reconciler: Reconciler, *,
                 stream_state: Callable[[], ConnectionState]) -> None:
        self._ctx = ctx
        self._client = client
        self.reconciler = reconciler
        self._stream_state = stream_state
        # set to re-evaluate the reconcile schedule; _requested says "run one now"
        self._wake = asyncio.Event()
        self._requested = False
        self.stuck: list[tuple[int, str, datetime | None]] = []
        self._last_paid_count: int | None = None
        self._token_warned = False
        self.last_reconcile_at: datetime | None = None
        self._enrich_tasks: set[asyncio.Task[None]] = set()
        self._enrich_sem = asyncio.Semaphore(4)

    # --- requests from elsewhere -------------------------------------------------------------------

    def request_reconcile(self) -> None:
        self._requested = True
        self._wake.set()

    def stream_state_changed(self) -> None:
        self._wake.set()  # live and not-live reconcile on different intervals

    # --- reconcile -----------------------------------------------------------------------------------

    async def reconcile_loop(self) -> None:
        s = self._ctx.settings
        loop = asyncio.get_running_loop()
        failed = False
        # the first run comes from the connect (the gap fill) or, without a stream, one interval in
        last_run = loop.time()
        while True:
            while not self._requested:
                live = self._stream_state() is ConnectionState.LIVE
                interval = s.live_reconcile_interval if live else s.poll_interval
                if failed:  # a failed reconcile leaves an unknown gap: try again soon, live or not
                    interval = min(interval, s.poll_interval)
                left = last_run + interval - loop.time()
                if left <= 0:
                    break
                self._wake.clear()
                # woken early by a request, or by the stream changing state (a new interval applies)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=left)
            self._requested = False
            await self._ctx.wait_resume()
            try:
                await self.reconcile_once()
                failed = False
            except ZaveraError as exc:
                failed = True
                self._ctx.handle_rest_error("Reconcile", exc)
            last_run = loop.time()

    async def reconcile_once(self) -> list[Payment]:
        ctx = self._ctx
        result = await self.reconciler.run()
        # Record first, then move the baseline: a crash in between repeats work, never loses it.
        new = ctx.sink.record_now(result.candidates)
        updated = ctx.store.enrich_payments(result.enrich)
        ctx.store.update_seen(result.seen_updates)
        if result.baseline:
            self.reconciler.mark_baseline_done()
        ctx.stats.reconcile_runs += 1
        ctx.stats.reconcile_pages += result.pages_read
        self.last_reconcile_at = datetime.now(UTC)
        ctx.clear_error("Reconcile")
        if updated:
            ctx.sink.deliver(ChangeBatch(updated_payments=updated))
        log.debug("Reconcile: %d orders, %d pages, %d new payments", len(result.orders), result.pages_read, len(new))
        return new

    # --- the payment dashboard -----------------------------------------------------------------------

    async def dashboard_loop(self) -> None:
        """The cheap change detector: a new today_paid_count means a full read is due."""
        while True:
            await self._ctx.wait_resume()
            try:
                dash = await self._client.dashboard_payments()
            except ZaveraError as exc:
                self._ctx.handle_rest_error("Payment dashboard", exc)
            else:
                self._ctx.clear_error("Payment dashboard")
                self.stuck = [(s.payment_id, s.order_code, s.created_at) for s in dash.stuck_payments]
                if self._last_paid_count is not None and dash.today_paid_count != self._last_paid_count:
                    self.request_reconcile()
                self._last_paid_count = dash.today_paid_count
            self._warn_token_expiry()
            await asyncio.sleep(self._ctx.settings.poll_interval)

    def _warn_token_expiry(self) -> None:
        """A pasted token cannot be renewed by us: say so an hour before it runs out."""
        if self._client.can_relogin or self._token_warned:
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
            self._ctx.sink.note("warning", text)

    # --- enrichment: the stream knows no customer name or paid_at ---------------------------------------

    def enrich_later(self, payments: list[Payment]) -> None:
        if not payments or not self._ctx.settings.enrich_payments:
            return
        if len(self._enrich_tasks) + len(payments) > MAX_PENDING_ENRICH:
            # a burst: one reconcile fills the details of all of them more cheaply
            self.request_reconcile()
            return
        for p in payments:
            self.spawn(self._enrich(p.order_code))

    def spawn(self, coro: object) -> None:
        task = asyncio.ensure_future(coro)  # type: ignore[arg-type]
        self._enrich_tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(self._enrich_tasks.discard)

    async def _enrich(self, order_code: str) -> None:
        # wait a moment: payment_received can precede the webhook's DB commit (§10.11)
        await asyncio.sleep(self._ctx.settings.enrich_delay)
        async with self._enrich_sem:
            try:
                detail = await self._client.order_detail(order_code)
            except ZaveraError as exc:
                log.debug("Could not read %s for details: %s", order_code, exc)
                return
        updated = self._ctx.store.enrich_payments([candidate_from_detail(detail, DetectedBy.RECONCILE)])
        if updated:
            self._ctx.sink.deliver(ChangeBatch(updated_payments=updated))
