"""Payment health: from what the engine already sees, say why payments go missing and what to do.

The monitor keeps a rolling picture — the last ``window_payments`` payments with the source that found
each one and, for those found by reconcile, whether the order detail shows the Snap-route signature;
and the stream's connection states over the last hour — and raises a finding, once until it clears:

==================== ===================================================== ================================
kind                 raised when                                           cleared when
==================== ===================================================== ================================
webhooks_missing     ≥ 3 of the last 10 payments were found by verify       10 payments in a row arrived
                     (or replayed): the backend knew nothing until asked    without (hysteresis: no flapping)
webhook_misrouted    a payment found by reconcile whose order is PAID while the last 10 payments were all
                     its Core payment is still PENDING (contract §2.6.1:    checked clean
                     the Snap route's signature)
stream_unreliable    the stream was down > 10 % of the last hour, or        a fully observed hour without
                     dropped more than 5 times in it                        either
==================== ===================================================== ================================

Orphan settlements (money at Midtrans the shop does not consider paid) are found by
``engine/orphans.py`` and raised through this monitor, which clears them when the order is paid after
all. All alerts are stored (``store/health.py``) before they are handed out as ``ChangeBatch.alerts``.

The rules (``PaymentWindow``, ``ConnectionHistory``, ``HealthRules``) are pure: the clock is passed in,
so tests drive an hour of connection history in microseconds.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from zavera_desktop.backend.client import OrderDetail, ZaveraClient
from zavera_desktop.backend.errors import ZaveraError
from zavera_desktop.domain import (
    ChangeBatch,
    ConnectionState,
    DetectedBy,
    HealthAlert,
    HealthKind,
    Payment,
    is_paid_status,
)
from zavera_desktop.engine.context import EngineContext
from zavera_desktop.store import StoreError
from zavera_desktop.store.health import AlertDraft, HealthStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

#: sources meaning "the backend knew nothing until we asked": verify's check, the admin's check, a replay
LOST_WEBHOOK_SOURCES = frozenset({DetectedBy.VERIFY, DetectedBy.REPLAY})
#: connection states that count as "the stream is down" (auth and admin problems have their own words)
DOWN_STATES = frozenset({ConnectionState.CONNECTING, ConnectionState.RECONNECTING, ConnectionState.OFFLINE})
#: the Core webhook route Midtrans must post to (contract §5.1; the design spec's URL)
CORE_WEBHOOK_PATH = "/api/webhook/midtrans/core"
SNAP_WEBHOOK_PATHS = ("/api/payments/webhook", "/api/midtrans/webhook", "/api/payment/callback")


@dataclass(frozen=True, slots=True)
class HealthThresholds:
    """When a pattern becomes a finding (defaults from the issue; tests shrink the time window)."""

    window_payments: int = 10
    missing_min: int = 3
    misrouted_min: int = 1
    stream_window: float = 3600.0
    stream_max_down_fraction: float = 0.10
    stream_max_drops: int = 5


# --- the rolling picture (pure) ---------------------------------------------------------------------


@dataclass(slots=True)
class _Seen:
    order_code: str
    found_by: DetectedBy
    #: "ok", "misrouted" or "unknown" (a reconcile payment whose order detail was not read yet)
    route: str


class PaymentWindow:
    """The last N payments, each with its source and what its order detail says about the route."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: deque[_Seen] = deque(maxlen=size)

    def add(self, order_code: str, found_by: DetectedBy, route: str = "ok") -> bool:
        """Append a payment; False when it is already in the window (a redelivery)."""
        if any(i.order_code == order_code for i in self._items):
            return False
        self._items.append(_Seen(order_code, found_by, route))
        return True

    def set_route(self, order_code: str, route: str) -> None:
        for item in self._items:
            if item.order_code == order_code:
                item.route = route

    def __len__(self) -> int:
        return len(self._items)

    @property
    def full(self) -> bool:
        return len(self._items) >= self.size

    def lost(self) -> list[str]:
        """Payments the backend knew nothing of until asked (verify, replay)."""
        return [i.order_code for i in self._items if i.found_by in LOST_WEBHOOK_SOURCES]

    def with_route(self, route: str) -> list[str]:
        return [i.order_code for i in self._items if i.route == route]

    def sources(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in self._items:
            out[i.found_by.value] = out.get(i.found_by.value, 0) + 1
        return out


class ConnectionHistory:
    """The stream's connection states over time: how long it was down, how often it dropped."""

    def __init__(self, started_at: datetime, *, keep: float = 3600.0) -> None:
        self.started_at = started_at
        self._keep = keep
        # (since, state, detail); the first entry is the state at start
        self._spans: list[tuple[datetime, ConnectionState, str]] = [(started_at, ConnectionState.STOPPED, "")]

    def note(self, state: ConnectionState, at: datetime, detail: str = "") -> None:
        if state is self._spans[-1][1]:
            return
        self._spans.append((max(at, self._spans[-1][0]), state, detail))
        self._prune(at)

    def _prune(self, now: datetime) -> None:
        # keep one span that started before the window, so the window's start has a known state
        horizon = now - timedelta(seconds=self._keep)
        while len(self._spans) > 1 and self._spans[1][0] <= horizon:
            self._spans.pop(0)

    @property
    def state(self) -> ConnectionState:
        return self._spans[-1][1]

    @property
    def last_detail(self) -> str:
        for _, state, detail in reversed(self._spans):
            if state in DOWN_STATES and detail:
                return detail
        return ""

    def down_seconds(self, now: datetime, window: float) -> float:
        start = now - timedelta(seconds=window)
        total = 0.0
        for i, (since, state, _) in enumerate(self._spans):
            until = self._spans[i + 1][0] if i + 1 < len(self._spans) else now
            if state not in DOWN_STATES:
                continue
            lo, hi = max(since, start), min(until, now)
            if hi > lo:
                total += (hi - lo).total_seconds()
        return total

    def drops(self, now: datetime, window: float) -> list[float]:
        """One entry per drop (live → down) in the window: how long the connection had been live."""
        start = now - timedelta(seconds=window)
        out = []
        for i in range(1, len(self._spans)):
            since, state, _ = self._spans[i]
            prev_since, prev_state, _ = self._spans[i - 1]
            if prev_state is ConnectionState.LIVE and state in DOWN_STATES and start <= since <= now:
                out.append((since - prev_since).total_seconds())
        return out

    def observed(self, now: datetime) -> float:
        return (now - self.started_at).total_seconds()


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one rule says now: raise, clear, or neither (keep the current state); with the evidence."""

    raise_it: bool
    clear_it: bool
    evidence: dict[str, Any] = field(default_factory=dict)


class HealthRules:
    """The rules of the table in the module docstring, over the pure picture."""

    def __init__(self, thresholds: HealthThresholds) -> None:
        self.t = thresholds

    def webhooks_missing(self, window: PaymentWindow) -> Verdict:
        lost = window.lost()
        return Verdict(raise_it=len(lost) >= self.t.missing_min, clear_it=window.full and not lost,
                       evidence={"orders": lost, "of_last": len(window)})

    def webhook_misrouted(self, window: PaymentWindow) -> Verdict:
        bad = window.with_route("misrouted")
        unknown = window.with_route("unknown")
        return Verdict(raise_it=len(bad) >= self.t.misrouted_min, clear_it=window.full and not bad and not unknown,
                       evidence={"orders": bad, "of_last": len(window)})

    def stream_unreliable(self, history: ConnectionHistory, now: datetime) -> Verdict:
        w = self.t.stream_window
        down = history.down_seconds(now, w)
        drops = history.drops(now, w)
        bad = down > self.t.stream_max_down_fraction * w or len(drops) > self.t.stream_max_drops
        evidence: dict[str, Any] = {"down_seconds": round(down), "window_seconds": round(w), "drops": len(drops)}
        if drops:
            evidence["typical_live_seconds"] = round(statistics.median(drops))
        if history.last_detail:
            evidence["last_error"] = history.last_detail
        # clearing needs a whole observed window: after a restart the history is empty, not healthy
        return Verdict(raise_it=bad, clear_it=not bad and history.observed(now) >= w, evidence=evidence)


# --- the words ------------------------------------------------------------------------------------------


def _codes(codes: Iterable[str], limit: int = 5) -> str:
    codes = list(codes)
    text = ", ".join(codes[:limit])
    return text + (f" and {len(codes) - limit} more" if len(codes) > limit else "")


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 120:
        return f"{seconds} s"
    return f"{round(seconds / 60)} min"


def describe(kind: HealthKind, evidence: dict[str, Any], backend_url: str) -> tuple[str, str]:
    """(detail, fix) of a shop-wide finding, in plain English."""
    backend = backend_url.rstrip("/")
    core_url = backend + CORE_WEBHOOK_PATH
    where = "In the Midtrans dashboard, Settings → Payment → Payment notification URL"
    if kind is HealthKind.WEBHOOKS_MISSING:
        orders = evidence.get("orders", [])
        detail = (f"{len(orders)} of the last {evidence.get('of_last', 0)} payments reached the shop only because "
                  f"Zavera Desktop asked Midtrans ({_codes(orders)}): the backend never received Midtrans' payment "
                  f"notification for them, so it did not know they were paid until asked.")
        fix = (f"{where}: it must be {core_url}, and that address must be reachable from the internet (not "
               f"localhost, not behind a login, a VPN or a firewall). `zavera-desktop doctor --probe-webhook` tests "
               f"the route from here.")
        return detail, fix
    if kind is HealthKind.WEBHOOK_MISROUTED:
        orders = evidence.get("orders", [])
        detail = (f"Midtrans' notifications reach one of the backend's Snap routes instead of the Core route: "
                  f"{_codes(orders)} became PAID while their VA/QRIS/GoPay payment is still PENDING, and no "
                  f"'payment received' was announced (or someone marked them paid with the Snap recovery tools).")
        fix = (f"{where}: replace the Snap route ({', '.join(backend + p for p in SNAP_WEBHOOK_PATHS[:2])} or "
               f"{SNAP_WEBHOOK_PATHS[2]}) by {core_url}.")
        return detail, fix
    if kind is HealthKind.STREAM_UNRELIABLE:
        window = evidence.get("window_seconds", 3600)
        parts = []
        if evidence.get("down_seconds"):
            parts.append(f"was down for {_duration(evidence['down_seconds'])} of the last {_duration(window)}")
        if evidence.get("drops"):
            parts.append(f"dropped {evidence['drops']} times")
        detail = (f"The live connection to {backend}/api/admin/events " + " and ".join(parts or ["is unstable"])
                  + ". Payments are still found, by polling, but later.")
        typical = evidence.get("typical_live_seconds")
        if typical:
            detail += f" Each time it had been up for about {_duration(typical)}."
        if evidence.get("last_error"):
            detail += f" Last error: {evidence['last_error']}"
        fix = ("Something between this computer and the backend cuts long-lived connections. If the backend runs "
               "behind nginx, give the /api/admin/events location `proxy_read_timeout 1h; proxy_buffering off; "
               "proxy_http_version 1.1;` (nginx cuts a quiet connection after 60 s by default); behind another proxy "
               "or load balancer, raise its idle timeout well above 60 s and turn off response buffering for "
               "text/event-stream. Also check this computer's network.")
        if typical and 25 <= typical <= 125:
            fix = (f"The connection was cut after about {_duration(typical)} each time: that is a proxy's idle or "
                   f"request timeout. ") + fix
        return detail, fix
    raise ValueError(f"{kind} is not a shop-wide finding")


# --- the monitor (engine thread) -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HealthPicture:
    """A snapshot for the Health panel: what the rules look at right now."""

    payments_seen: int
    sources: dict[str, int]
    lost_webhooks: tuple[str, ...]
    misrouted: tuple[str, ...]
    #: payments found by reconcile whose order detail was not read yet
    unchecked: tuple[str, ...]
    stream_state: ConnectionState
    stream_down_seconds: float
    stream_drops: int
    window_seconds: float
    open_alerts: tuple[HealthAlert, ...]


class HealthMonitor:
    """Feeds the rules from the change sink, stores and hands out the alerts they raise and clear."""

    def __init__(self, ctx: EngineContext, client: ZaveraClient, *, thresholds: HealthThresholds | None = None,
                 clock: Clock | None = None, tick: float | None = None) -> None:
        self._ctx = ctx
        self._client = client
        self.thresholds = thresholds or HealthThresholds()
        self.rules = HealthRules(self.thresholds)
        self._clock = clock or (lambda: datetime.now(UTC))
        # the time-based rule is re-judged a few dozen times per window (every 15 s for an hour)
        self._tick = tick if tick is not None else max(0.1, min(15.0, self.thresholds.stream_window / 60))
        self.store = HealthStore(ctx.store)
        self._lock = threading.Lock()  # the picture is read by the window's thread
        self.window = PaymentWindow(self.thresholds.window_payments)
        self.history = ConnectionHistory(self._clock(), keep=self.thresholds.stream_window)
        self._open: dict[tuple[HealthKind, str], int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._sem: asyncio.Semaphore | None = None
        self._seed()

    def _now(self) -> datetime:
        return self._clock()

    def _seed(self) -> None:
        """Start from the stored truth: the last payments and the alerts still open."""
        try:
            recent = self._ctx.store.payments(limit=self.thresholds.window_payments)
            opened = self.store.open_alerts()
        except (StoreError, SQLAlchemyError) as exc:
            log.error("Payment health starts without history: %s", exc.__class__.__name__)
            return
        for p in reversed(recent):
            # an older reconcile payment's route is unknown: an open misrouted finding waits for fresh ones
            self.window.add(p.order_code, p.detected_by, "unknown" if p.detected_by is DetectedBy.RECONCILE else "ok")
        for alert in opened:
            self._open[(alert.kind, alert.order_code or "")] = alert.id

    # --- inputs ----------------------------------------------------------------------------------------

    def on_batch(self, batch: ChangeBatch) -> None:
        """A sink subscriber (engine thread): payments and connection states feed the picture."""
        if batch.connection is not None:
            with self._lock:
                self.history.note(batch.connection.state, self._now(), batch.connection.detail)
            self.evaluate_stream()
        if batch.new_payments:
            self._on_payments(batch.new_payments)

    def _on_payments(self, payments: list[Payment]) -> None:
        to_classify = []
        with self._lock:
            for p in payments:
                reconcile = p.detected_by is DetectedBy.RECONCILE
                if self.window.add(p.order_code, p.detected_by, "unknown" if reconcile else "ok") and reconcile:
                    to_classify.append(p.order_code)
        # only the newest can still be in the window when their reads finish
        for code in to_classify[-self.thresholds.window_payments:]:
            self._spawn(self._classify(code))
        paid_orphans = [p for p in payments if (HealthKind.ORPHAN_SETTLEMENT, p.order_code) in self._open]
        for p in paid_orphans:
            self.clear(HealthKind.ORPHAN_SETTLEMENT, p.order_code,
                       f"The shop now has this order as paid ({p.order_status}), found by {p.detected_by.value}.")
        self.evaluate_payments()

    def _spawn(self, coro: Any) -> None:
        try:
            task = asyncio.get_running_loop().create_task(coro)
        except RuntimeError:  # no loop (a unit test feeding batches by hand): nothing to read with
            coro.close()
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _classify(self, order_code: str) -> None:
        """Read a reconcile payment's order: PAID with its Core payment PENDING is the Snap-route signature."""
        if self._sem is None:
            self._sem = asyncio.Semaphore(2)
        async with self._sem:
            try:
                detail = await self._client.order_detail(order_code)
            except ZaveraError as exc:
                log.debug("Payment health could not read %s: %s", order_code, exc)
                return  # stays "unknown" and ages out of the window
        route = "misrouted" if snap_route_signature(detail) else "ok"
        with self._lock:
            self.window.set_route(order_code, route)
        self.evaluate_payments()

    # --- the rules -------------------------------------------------------------------------------------

    def evaluate_payments(self) -> None:
        with self._lock:
            missing = self.rules.webhooks_missing(self.window)
            misrouted = self.rules.webhook_misrouted(self.window)
        n = self.thresholds.window_payments
        self._apply(HealthKind.WEBHOOKS_MISSING, missing,
                    f"{n} payments in a row arrived without having to ask Midtrans.")
        self._apply(HealthKind.WEBHOOK_MISROUTED, misrouted,
                    f"The last {n} payments did not come through a Snap route.")

    def evaluate_stream(self) -> None:
        now = self._now()
        with self._lock:
            verdict = self.rules.stream_unreliable(self.history, now)
        self._apply(HealthKind.STREAM_UNRELIABLE, verdict, "The live connection held for the last hour.")

    def _apply(self, kind: HealthKind, verdict: Verdict, cleared_words: str) -> None:
        open_id = self._open.get((kind, ""))
        if open_id is None:
            if verdict.raise_it:
                detail, fix = describe(kind, verdict.evidence, self._ctx.settings.backend_url)
                self.raise_alert(AlertDraft(kind, detail, fix, evidence=verdict.evidence))
            return
        if verdict.clear_it:
            self.clear(kind, None, cleared_words)
        elif verdict.raise_it:
            # still true: keep the words current (which orders), without raising again
            detail, fix = describe(kind, verdict.evidence, self._ctx.settings.backend_url)
            self._store_call(lambda: self.store.update_alert(open_id, at=self._now(), detail=detail, fix=fix,
                                                             evidence=verdict.evidence))

    # --- raising and clearing (also for engine/orphans.py) ------------------------------------------------

    def is_open(self, kind: HealthKind, order_code: str | None = None) -> bool:
        return (kind, order_code or "") in self._open

    def open_id(self, kind: HealthKind, order_code: str | None = None) -> int | None:
        return self._open.get((kind, order_code or ""))

    def open_orders(self, kind: HealthKind) -> list[str]:
        return [key for (k, key), _ in self._open.items() if k is kind and key]

    def raise_alert(self, draft: AlertDraft, *, once_per_order: bool = False) -> HealthAlert | None:
        alert = self._store_call(lambda: self.store.raise_alert(draft, at=self._now(), once_per_order=once_per_order),
                                 publish=False)
        if alert is None:
            return None
        self._open[(alert.kind, alert.order_code or "")] = alert.id
        log.warning("Payment health: %s%s: %s", alert.kind.value,
                    f" ({alert.order_code})" if alert.order_code else "", alert.detail)
        self._ctx.sink.note("alert", alert.detail, alert.order_code)
        self._publish([alert])
        return alert

    def clear(self, kind: HealthKind, order_code: str | None, reason: str) -> HealthAlert | None:
        alert_id = self._open.get((kind, order_code or ""))
        if alert_id is None:
            return None
        return self.clear_id(alert_id, reason)

    def clear_id(self, alert_id: int, reason: str) -> HealthAlert | None:
        alert = self._store_call(lambda: self.store.clear_alert(alert_id, reason=reason, at=self._now()))
        for key, value in list(self._open.items()):
            if value == alert_id:
                del self._open[key]
        if alert is not None:
            log.info("Payment health: %s%s cleared: %s", alert.kind.value,
                     f" ({alert.order_code})" if alert.order_code else "", reason)
        return alert

    def update(self, alert_id: int, **changes: Any) -> HealthAlert | None:
        return self._store_call(lambda: self.store.update_alert(alert_id, at=self._now(), **changes))

    def _store_call(self, fn: Callable[[], HealthAlert | None], *, publish: bool = True) -> HealthAlert | None:
        try:
            alert = fn()
        except (StoreError, SQLAlchemyError) as exc:
            # the rule is evaluated again with the next change, so nothing is lost for good
            log.error("Cannot write a payment-health alert (%s)", exc.__class__.__name__)
            return None
        if alert is not None and publish:
            self._publish([alert])
        return alert

    def _publish(self, alerts: list[HealthAlert], *, notified: list[int] | None = None) -> None:
        """Hand alerts out in their own batch, after the batch being delivered now (no re-entry); then mark
        the raised ones (or ``notified``) as handed out."""
        ids = notified if notified is not None else [a.id for a in alerts if a.change == "raised"]

        def send() -> None:
            self._ctx.sink.deliver(ChangeBatch(alerts=alerts))
            if not ids:
                return
            try:
                self.store.mark_notified(ids, at=self._now())
            except (StoreError, SQLAlchemyError) as exc:  # delivered once more at the next start
                log.error("Cannot mark alerts delivered (%s)", exc.__class__.__name__)

        try:
            asyncio.get_running_loop().call_soon(send)
        except RuntimeError:
            send()

    def redeliver_unannounced(self) -> None:
        """Alerts stored but never handed out before a crash are delivered now (once)."""
        try:
            pending = self.store.unnotified()
        except (StoreError, SQLAlchemyError) as exc:
            log.error("Cannot read undelivered alerts (%s)", exc.__class__.__name__)
            return
        if pending:
            self._publish(pending, notified=[a.id for a in pending])

    # --- the long-running task -----------------------------------------------------------------------------

    async def run(self) -> None:
        """Deliver what a crash left undelivered, then re-judge the time-based rule now and then."""
        self.redeliver_unannounced()
        while True:
            self.evaluate_stream()
            await asyncio.sleep(self._tick)

    # --- for the window ------------------------------------------------------------------------------------

    def picture(self) -> HealthPicture:
        now = self._now()
        with self._lock:
            w = self.thresholds.stream_window
            picture = HealthPicture(
                payments_seen=len(self.window), sources=self.window.sources(),
                lost_webhooks=tuple(self.window.lost()), misrouted=tuple(self.window.with_route("misrouted")),
                unchecked=tuple(self.window.with_route("unknown")),
                stream_state=self.history.state, stream_down_seconds=self.history.down_seconds(now, w),
                stream_drops=len(self.history.drops(now, w)), window_seconds=w, open_alerts=(),
            )
        return replace(picture, open_alerts=tuple(self.store.open_alerts()))


def snap_route_signature(detail: OrderDetail) -> bool:
    """The order is paid while its latest Core payment is still PENDING (contract §2.6.1, §10.13).

    Only the Snap handler (and the Snap-table recovery tools) leaves that state: the Core webhook,
    ``/core/check`` and the web admin's "Confirm Payment" all move the Core payment to PAID too.
    """
    payment = detail.payment
    return (is_paid_status(detail.order.status) and payment is not None and payment.is_core
            and payment.status == "PENDING")
