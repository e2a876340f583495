"""The engine → GUI bridge: change batches and Future results, delivered on the GUI thread.

The engine calls its subscribers on its own thread; nothing there may touch a widget. The bridge
queues each batch and re-emits it from the GUI thread as ``batch``. Coalescing, in two ways:

* batches that pile up while the GUI thread is busy are merged into one when it gets to them;
* in a burst — more than ``allowance`` deliveries within ``window`` seconds — the next ones wait
  for the end of the window and go out merged, so 2,000 payments reach the table as a handful of
  inserts.

Anything outside a burst is delivered at once: latency (webhook → row ≤ 50 ms) matters more than
batching when payments trickle in, and a payment often follows another batch closely (the order's
``order_created``, an enrichment), which a plain "one delivery per window" rule would hold back.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from zavera_desktop.domain import ChangeBatch, Payment

# default coalescing window (DESIGN §4: "coalesce ~50 ms") and deliveries allowed in it undelayed
COALESCE_WINDOW = 0.05
BURST_ALLOWANCE = 3


def merge_batches(batches: Sequence[ChangeBatch]) -> list[ChangeBatch]:
    """Merge consecutive batches into as few as possible without changing what they mean.

    A read change applies to the rows known *at that moment*: a payment arriving after "mark all
    read" must stay unread, so a batch with payments or another read change after a read change
    starts a new group. Connection states keep the newest; payments and activity keep their order.
    """
    groups: list[ChangeBatch] = []
    current: ChangeBatch | None = None
    for b in batches:
        has_rows = bool(b.new_payments or b.updated_payments)
        if current is None or (current.read_change is not None and (has_rows or b.read_change is not None)):
            current = ChangeBatch()
            groups.append(current)
        current.new_payments.extend(b.new_payments)
        current.updated_payments.extend(b.updated_payments)
        current.activity.extend(b.activity)
        current.alerts.extend(b.alerts)
        if b.connection is not None:
            current.connection = b.connection
        if b.read_change is not None:
            current.read_change = b.read_change
    for g in groups:
        _fold_updates(g)
    return groups


def _fold_updates(batch: ChangeBatch) -> None:
    """An order updated twice needs one row change; one that is new *and* updated is just new."""
    if not batch.updated_payments:
        return
    latest: dict[str, Payment] = {}
    for p in batch.updated_payments:
        latest[p.order_code] = p
    new_index = {p.order_code: i for i, p in enumerate(batch.new_payments)}
    for code, p in list(latest.items()):
        i = new_index.get(code)
        if i is not None:
            # keep the announcement's source and time; take the filled-in details
            batch.new_payments[i] = p
            del latest[code]
    batch.updated_payments = list(latest.values())


class EngineBridge(QObject):
    """Subscribe with ``engine.subscribe(bridge.deliver)``; connect GUI code to ``batch``."""

    # one merged ``ChangeBatch``, emitted on the GUI thread
    batch = Signal(object)
    # engine thread → GUI thread hops (queued connections)
    _wake = Signal()
    _result = Signal(object)

    def __init__(self, window: float = COALESCE_WINDOW, parent: QObject | None = None, *,
                 allowance: int = BURST_ALLOWANCE) -> None:
        super().__init__(parent)
        self._window = window
        self._allowance = max(1, allowance)
        self._lock = threading.Lock()
        self._pending: list[ChangeBatch] = []
        self._recent: deque[float] = deque()  # monotonic times of the last deliveries
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._drain)
        self._wake.connect(self._on_wake, Qt.ConnectionType.QueuedConnection)
        self._result.connect(self._on_result, Qt.ConnectionType.QueuedConnection)
        self._closed = False
        self._tokens = itertools.count()
        self._handlers: dict[int, tuple[Any, ...]] = {}
        # batches emitted so far (merged), for tests and the benchmark
        self.emitted = 0

    # --- engine thread --------------------------------------------------------------------------

    def deliver(self, batch: ChangeBatch) -> None:
        """The engine's subscriber callback: runs on the engine thread and returns at once."""
        with self._lock:
            if self._closed:
                return
            self._pending.append(batch)
            first = len(self._pending) == 1
        if first:  # one wake-up per group of pending batches is enough
            self._wake.emit()

    # --- GUI thread -----------------------------------------------------------------------------

    def close(self) -> None:
        """Stop delivering (before the window goes away at shutdown)."""
        with self._lock:
            self._closed = True
            self._pending.clear()
        self._timer.stop()

    @Slot()
    def _on_wake(self) -> None:
        if self._timer.isActive():
            return  # a delivery is already scheduled and will take this batch too
        now = time.monotonic()
        while self._recent and self._recent[0] <= now - self._window:
            self._recent.popleft()
        if len(self._recent) < self._allowance:
            self._drain()
        else:  # a burst: wait until the oldest delivery of the window has aged out of it
            wait = self._recent[0] + self._window - now
            self._timer.start(max(1, round(wait * 1000)))

    @Slot()
    def _drain(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
        if not pending:
            return
        self._recent.append(time.monotonic())
        if len(self._recent) > self._allowance:
            self._recent.popleft()
        for merged in merge_batches(pending):
            self.emitted += 1
            self.batch.emit(merged)

    def flush(self) -> None:
        """Deliver whatever is pending now (tests; shutdown)."""
        self._timer.stop()
        self._drain()

    # --- futures and progress -----------------------------------------------------------------
    #
    # The engine thread must never hold the last reference to anything of the UI: a dialog whose
    # last reference drops there is destroyed there, and Qt crashes. So the engine side only ever
    # sees a token; the callbacks and their context stay in ``_handlers``, touched on the GUI thread.

    def _register(self, entry: tuple[Any, ...]) -> Callable[[Any], None]:
        with self._lock:
            token = next(self._tokens)
            self._handlers[token] = entry
        bridge = weakref.ref(self)

        def send(payload: Any) -> None:  # any thread
            alive = bridge()
            if alive is not None:
                alive._result.emit((token, payload))

        send.token = token  # type: ignore[attr-defined]
        return send

    def call(self, future: concurrent.futures.Future[Any], on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None] | None = None, *, context: QObject | None = None,
             release: Callable[..., None] | None = None) -> None:
        """Call ``on_done(result)`` or ``on_error(exception)`` on the GUI thread when ``future`` ends.

        With ``context``, nothing is called once that object is destroyed (a closed dialog, a
        replaced panel). A cancelled future counts as an error (``CancelledError``). ``release``: a
        ``relay()`` used by this operation, forgotten when the future ends.
        """
        send = self._register(("future", on_done, on_error, context, getattr(release, "token", None)))
        future.add_done_callback(send)

    def relay(self, callback: Callable[..., None], *, context: QObject | None = None) -> Callable[..., None]:
        """A function for the engine thread (e.g. a progress callback): ``relay(*args)`` calls
        ``callback(*args)`` on the GUI thread, unless ``context`` is gone by then. Pass it as
        ``release=`` to the ``call()`` of the same operation so it is forgotten afterwards."""
        send = self._register(("relay", callback, None, context, None))

        def relayed(*args: Any) -> None:
            send(args)

        relayed.token = send.token  # type: ignore[attr-defined]
        return relayed

    def post(self, callback: Callable[[], None], *, context: QObject | None = None) -> None:
        """Run ``callback`` on the GUI thread soon."""
        self._register(("once", callback, None, context, None))(None)

    @Slot(object)
    def _on_result(self, item: tuple[int, Any]) -> None:
        token, payload = item
        with self._lock:
            entry = self._handlers.get(token)
            if entry is None:
                return
            kind, on_done, on_error, context, release = entry
            if kind != "relay":
                del self._handlers[token]
                if release is not None:
                    self._handlers.pop(release, None)
        if self._closed or (context is not None and not shiboken6.isValid(context)):
            return
        if kind == "relay":
            on_done(*payload)
            return
        if kind == "once":
            on_done()
            return
        try:
            result = payload.result(timeout=0)
        except BaseException as exc:  # the future's own error, delivered as a value
            if on_error is not None:
                on_error(exc)
            return
        on_done(result)
