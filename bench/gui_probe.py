"""The real ``zavera-desktop`` with measuring probes, for ``bench/gui_bench.py``; nothing of this is in the app.

    ZAVERA_BENCH_PROBE='{"fd": 5, "rows": true}' python -m bench.gui_probe gui --backend … --db …

runs exactly what ``python -m zavera_desktop gui …`` runs (same arguments, same start-up path), after
installing an import hook that wraps ``MainWindow`` when the app imports it. Every probe reports one
JSON line per event on the file descriptor ``fd`` (inherited from the benchmark), each stamped with
``time.monotonic()`` — CLOCK_MONOTONIC, the same clock in every process on Linux, so the benchmark can
subtract a timestamp taken in its own process (the webhook POST) or in the fake notification server.

Probes (keys of the JSON object in ``ZAVERA_BENCH_PROBE``):

* always: the first paint of the window and of the table's viewport (event filters, GUI thread),
  RSS right after it, when the window's ``__init__`` started and ended, and every batch the window
  applied (``apply_batch`` wrapped: its duration, sizes and connection state);
* ``rows``: for each batch, the new payments the payments model now shows, stamped with the instant of
  its ``rowsInserted``; and those it does not show (sorted below the loaded pages, or filtered out);
* ``paint_timing``: the table's viewport is painted inside the probe's event filter, to time each paint;
* ``gc``: the cyclic garbage collector's full collections and any collection over 5 ms;
* ``ticks``: a 10 ms repeating precise QTimer; how late each timeout is (event-loop stalls);
* ``buffer``: write the lines at most every so many seconds (the burst: fewer GIL hand-offs);
* experiments, not the app: ``switch_interval`` (``sys.setswitchinterval`` before the app starts),
  ``gc_freeze`` (``gc.freeze()`` once the window is built), ``coalesce_window`` (the bridge's batch
  merging window, seconds; the app's is 0.05), ``model_multidata`` (``PaymentsModel`` with
  ``multiData`` and without its ``flags`` override: see ``_fewer_model_callbacks``);
* ``script``: after the first paint and the connection is live, type searches into the filter bar
  (``QTest`` key events) and time each until the table has painted its first page, then scroll to the
  end (``terms``, ``repeat``, ``scroll_seconds``), then report ``done``.

Only the standard library is imported before the app's own imports, so the start-up it measures is the
app's; Qt and the app's modules are imported inside the hooks, after the app imported them.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import runpy
import sys
import time
from collections.abc import Callable, Generator
from typing import Any

T_PROBE = time.monotonic()  # the interpreter is up and running our first line
CONFIG: dict[str, Any] = json.loads(os.environ.get("ZAVERA_BENCH_PROBE", "{}"))
TARGET = "zavera_desktop.ui.main_window"


_BUFFER: list[str] = []
_FLUSHED = [0.0]


def emit(event: str, **data: Any) -> None:
    """One JSON line to the benchmark. With ``buffer`` (seconds) lines are written at most that often:
    every write releases the GIL, and getting it back from a busy engine thread costs the GUI thread
    up to the switch interval (5 ms) — the probe must not add the stalls it measures."""
    fd = CONFIG.get("fd")
    if fd is None:
        return
    now = time.monotonic()
    _BUFFER.append(json.dumps({"ev": event, "t": now, **data}) + "\n")
    if now - _FLUSHED[0] >= CONFIG.get("buffer", 0.0):
        flush()


def flush() -> None:
    if _BUFFER:
        data = "".join(_BUFFER).encode()
        _BUFFER.clear()
        _FLUSHED[0] = time.monotonic()
        os.write(CONFIG["fd"], data)


def memory_mb() -> dict[str, float]:
    out: dict[str, float] = {}
    with open("/proc/self/status") as f:
        for line in f:
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(line.split()[1]) / 1024
    return out


# --- the hook ---------------------------------------------------------------------------------------

class _Finder(importlib.abc.MetaPathFinder):
    """Wraps the loader of ``zavera_desktop.ui.main_window`` so the window class is patched right after
    the app imported it (importing it ourselves earlier would change what start-up measures)."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        original = spec.loader.exec_module

        def exec_module(module: Any) -> None:
            original(module)
            _patch(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


# the rowsInserted instants of the batch being applied (GUI thread only)
inserted_at: list[float] = []


def _gc_callback(phase: str, info: dict[str, int]) -> None:
    """Collections of the cyclic garbage collector: whichever thread runs one holds the GIL throughout."""
    if phase == "start":
        _GC_START[0] = time.monotonic()
    elif info["generation"] == 2 or time.monotonic() - _GC_START[0] > 0.005:
        emit("gc", t0=_GC_START[0], dt=time.monotonic() - _GC_START[0], generation=info["generation"],
             collected=info["collected"])


_GC_START = [0.0]


def schedstat() -> tuple[float, float]:
    """This thread's time on a CPU and time waiting for one (runnable, not running), in seconds.
    The rest of a span is time blocked: for the GUI thread that is waiting for the GIL (or idle)."""
    with open("/proc/thread-self/schedstat", "rb") as f:
        on_cpu, run_queue, _ = f.read().split()
    return int(on_cpu) / 1e9, int(run_queue) / 1e9


def _patch(module: Any) -> None:
    window_class = module.MainWindow
    original_init = window_class.__init__
    original_apply = window_class.apply_batch
    probe_class = _make_probe_class()

    if CONFIG.get("model_multidata"):
        _fewer_model_callbacks(module.PaymentsModel)
    if CONFIG.get("coalesce_window"):  # the bridge is made after this import (ui/app.py _run_window)
        bridge_init = module.EngineBridge.__init__
        bridge_init.__defaults__ = (float(CONFIG["coalesce_window"]), *bridge_init.__defaults__[1:])

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        emit("window_init")
        original_init(self, *args, **kwargs)
        emit("window_ready")
        if CONFIG.get("gc_freeze"):  # an experiment: what start-up made is never scanned again
            import gc

            gc.freeze()
            emit("gc_frozen", objects=gc.get_freeze_count())
        probe_class(self)  # a child of the window: Qt owns it, no Python reference to keep

    def apply_batch(self: Any, batch: Any) -> None:
        # a plain function (no @Slot): connected in __init__ as the bound method, like the original
        t0 = time.monotonic()
        inserted_at.clear()
        original_apply(self, batch)
        if CONFIG.get("rows") and batch.new_payments:
            # which of the batch's payments the model now shows, stamped with the batch's rowsInserted.
            # Not the codes at rows first..last of the signal: a batch whose times interleave with the
            # loaded rows is spliced in at several places and announced as one block (payments_model.py)
            shown = self.model._ids  # the probe may read the model's private set; the app does not change
            codes = [p.order_code for p in batch.new_payments if p.id in shown]
            if codes:
                emit("rows", t_rows=inserted_at[-1] if inserted_at else time.monotonic(), codes=codes)
            hidden = [p.order_code for p in batch.new_payments if p.id not in shown]
            if hidden:
                emit("not_shown", codes=hidden, model_rows=self.model.rowCount(), more=self.model.canFetchMore())
        emit("batch", t0=t0, dt=time.monotonic() - t0, new=len(batch.new_payments),
             updated=len(batch.updated_payments), activity=len(batch.activity),
             connection=batch.connection.state.value if batch.connection is not None else None,
             by=sorted({p.detected_by.value for p in batch.new_payments}))

    window_class.__init__ = __init__
    window_class.apply_batch = apply_batch


def _fewer_model_callbacks(model_class: Any) -> None:
    """An experiment, the proposed change to ``PaymentsModel``: one Python call per painted cell.

    A delegate asks ``multiData`` for ~7 roles per cell, and Qt's default implementation calls the
    Python ``data()`` once per role; each call from C++ into Python takes the GIL, which a busy engine
    thread hands back only after the switch interval. ``multiData`` fills every role in one call, and
    ``flags`` is left to ``QAbstractTableModel`` (which returns the same flags) so it is no call at all.
    """
    def multiData(self: Any, index: Any, span: Any) -> None:
        data = self.data
        for i in range(len(span)):
            role_data = span[i]
            role_data.setData(data(index, role_data.role()))

    model_class.multiData = multiData
    if "flags" in model_class.__dict__:
        del model_class.flags


# --- the probe (made once Qt is imported) -----------------------------------------------------------

def _make_probe_class() -> Any:
    """The Qt side of the probe; defined only after the app imported Qt."""
    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    class _Probe(QObject):
        def __init__(self, window: Any) -> None:
            super().__init__(window)
            # no reference to the window itself: it owns this probe, and a cycle would be freed by
            # the garbage collector on whatever thread runs it (docs/ui.md)
            self.model = window.model
            self.table = window.table
            self.search = window.filter_bar.search
            self.viewport = window.table.viewport()
            self._painted: set[str] = set()
            self._paint_waiters: list[Callable[[], None]] = []
            self._live = False
            self._steps: Generator[Any, None, None] | None = None
            window.installEventFilter(self)
            self.viewport.installEventFilter(self)
            if CONFIG.get("rows"):
                self.model.rowsInserted.connect(self._rows_inserted)
            window.bridge.batch.connect(self._batch)
            if CONFIG.get("buffer"):
                self._flush_timer = QTimer(self)
                self._flush_timer.timeout.connect(flush)
                self._flush_timer.start(int(CONFIG["buffer"] * 1000))
            if CONFIG.get("ticks"):
                self._tick_timer = QTimer(self)
                self._tick_timer.setTimerType(Qt.TimerType.PreciseTimer)
                self._tick_timer.setInterval(10)
                self._tick_timer.timeout.connect(self._tick)
                self._last_tick = time.monotonic()
                self._last_sched = schedstat()
                self._tick_n = 0
                self._tick_max = 0.0
                self._tick_window_start = self._last_tick
                self._tick_timer.start()

        # --- paints ---
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                what = "table" if watched is self.viewport else "window" if watched is self.parent() else ""
                if what and what not in self._painted:
                    self._painted.add(what)
                    emit("paint", what=what, **memory_mb())
                    if what == "table" and CONFIG.get("script"):
                        self._steps = self._script()
                        QTimer.singleShot(0, self._advance)
                if watched is self.viewport and CONFIG.get("paint_timing"):
                    # paint here, inside the filter, to time it (QAbstractScrollArea routes the
                    # viewport's events to viewportEvent; returning True stops the second paint)
                    t0, (cpu0, wait0) = time.monotonic(), schedstat()
                    self.table.viewportEvent(event)
                    dt, (cpu1, wait1) = time.monotonic() - t0, schedstat()
                    if dt > 0.005:
                        emit("table_paint", t0=t0, dt=dt, cpu=cpu1 - cpu0, runq=wait1 - wait0)
                    self._after_paint()
                    return True
                if watched is self.viewport:
                    self._after_paint()
            return False

        def _after_paint(self) -> None:
            if self._paint_waiters:
                # run after this paint has been done, not before it
                waiters, self._paint_waiters = self._paint_waiters, []
                now = time.monotonic()
                for waiter in waiters:
                    QTimer.singleShot(0, lambda w=waiter, t=now: w(t))  # type: ignore[misc]

        # --- live rows and batches ---
        def _rows_inserted(self, _parent: Any, first: int, last: int) -> None:
            inserted_at.append(time.monotonic())

        def _batch(self, batch: Any) -> None:
            if batch.connection is not None:
                self._live = batch.connection.state.value == "live"

        # --- event-loop lateness ---
        def _tick(self) -> None:
            now, sched = time.monotonic(), schedstat()
            late = now - self._last_tick - 0.010
            (cpu0, wait0), self._last_sched = self._last_sched, sched
            self._last_tick = now
            self._tick_n += 1
            if late > self._tick_max:
                self._tick_max = late
            if late > 0.025:
                # of the interval (late + 10 ms): on a CPU, waiting for one, the rest blocked (the GIL)
                emit("stall", late=late, cpu=sched[0] - cpu0, runq=sched[1] - wait0)
            if now - self._tick_window_start >= 1.0:
                emit("ticks", n=self._tick_n, max_late=self._tick_max, since=self._tick_window_start)
                self._tick_n, self._tick_max, self._tick_window_start = 0, 0.0, now

        # --- the scripted part: searches, then the deep scroll ---
        def _advance(self, value: Any = None) -> None:
            """Run the script up to its next wait: ('sleep', s), ('paint',) or ('live',)."""
            assert self._steps is not None
            try:
                step = self._steps.send(value)
            except StopIteration:
                return
            if step[0] == "sleep":
                QTimer.singleShot(int(step[1] * 1000), self._advance)
            elif step[0] == "paint":
                self._paint_waiters.append(self._advance)  # the model reset has asked for the repaint
            elif step[0] == "live":
                self._wait_live(time.monotonic() + step[1])

        def _wait_live(self, deadline: float) -> None:
            if self._live or time.monotonic() >= deadline:
                self._advance(self._live)
            else:
                QTimer.singleShot(50, lambda: self._wait_live(deadline))

        def _script(self) -> Generator[Any, Any, None]:
            from PySide6.QtTest import QTest  # here, not at start-up: it is not part of the app

            live = yield ("live", 60.0)
            emit("script_live", live=bool(live), **memory_mb())
            yield ("sleep", CONFIG.get("settle", 2.0))  # the engine's start-up reconcile is over
            search, model = self.search, self.model
            for label, term in CONFIG.get("terms", {}).items():
                for _ in range(CONFIG.get("repeat", 5)):
                    search.setFocus()
                    search.selectAll()
                    QTest.keyClicks(search, term)  # debounced: no query yet
                    t0 = time.monotonic()
                    QTest.keyClick(search, Qt.Key.Key_Return)  # the filter now, without the debounce
                    t1 = time.monotonic()
                    t2 = yield ("paint",)
                    emit("search", label=label, term=term, query=t1 - t0, shown=t2 - t0, rows=model.rowCount())
                    QTest.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
                    QTest.keyClick(search, Qt.Key.Key_Delete)
                    t0 = time.monotonic()
                    QTest.keyClick(search, Qt.Key.Key_Return)
                    t2 = yield ("paint",)
                    emit("search", label="(cleared: all payments)", term="", query=float("nan"), shown=t2 - t0,
                         rows=model.rowCount())
                    yield ("sleep", 0.05)
            # typed as the admin types, no Enter: the last key press → the page (includes the debounce)
            for term in CONFIG.get("debounced", []):
                search.setFocus()
                search.selectAll()
                QTest.keyClicks(search, term)
                t0 = time.monotonic()
                t2 = yield ("paint",)
                while model.filter().search != term and time.monotonic() - t0 < 5:
                    t2 = yield ("paint",)  # a paint before the debounce fired (the cursor blinking)
                emit("search", label=f"typed, no Enter (debounce): {term}", term=term, query=float("nan"),
                     shown=t2 - t0, rows=model.rowCount())
                search.clear()
                QTest.keyClick(search, Qt.Key.Key_Return)
                yield ("paint",)
            yield ("sleep", 0.5)
            budget = CONFIG.get("scroll_seconds", 0)
            if budget:
                emit("scroll_start", rows=model.rowCount(), **memory_mb())
                table = self.table
                app = QApplication.instance()
                t0 = time.monotonic()
                slowest = 0.0
                steps = 0
                while model.canFetchMore() and time.monotonic() - t0 < budget:
                    t1 = time.monotonic()
                    table.scrollToBottom()  # at the scroll bar's end the view calls fetchMore
                    app.processEvents()  # and paints the new rows
                    slowest = max(slowest, time.monotonic() - t1)
                    steps += 1
                emit("scroll", rows=model.rowCount(), seconds=time.monotonic() - t0, steps=steps, slowest=slowest,
                     at_end=not model.canFetchMore(), **memory_mb())
            emit("done", **memory_mb())

    return _Probe


def main() -> None:
    if "switch_interval" in CONFIG:  # an experiment: the GIL hand-off interval (Python's default 5 ms)
        sys.setswitchinterval(CONFIG["switch_interval"])
    if CONFIG.get("gc"):
        import gc

        gc.callbacks.append(_gc_callback)
    sys.meta_path.insert(0, _Finder())
    emit("probe", t_probe=T_PROBE)
    sys.argv = ["zavera_desktop", *sys.argv[1:]]
    runpy.run_module("zavera_desktop", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
