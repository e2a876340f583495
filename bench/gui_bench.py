"""The window's benchmarks (the UI issue's list): figures printed, never pass/fail.

    .venv/bin/python -m bench.gui_bench all                  # everything (~15 minutes)
    .venv/bin/python -m bench.gui_bench latency --payments 200
    .venv/bin/python -m bench.gui_bench burst --payments 2000
    .venv/bin/python -m bench.gui_bench startup --db-1m /tmp/zavera-gui-bench/payments-1m.db
    .venv/bin/python -m bench.gui_bench idle --idle-seconds 60

Every figure comes from the real app: ``zavera-desktop gui --backend … --db …`` in its own process
(``bench/gui_probe.py`` runs it unchanged, plus probes that report GUI-thread timestamps on a pipe),
on the test desktop of ``tests/ui/desktop_env.py`` (Xvfb, a private D-Bus, the fake notification server
which stamps every ``Notify`` call on arrival, the fake tray watcher, gnome-keyring). Notifications
therefore take the admin's path: the tray's ``showMessage`` → D-Bus ``Notify``.

The sandbox runs in a process of its own (``python -m zavera_desktop.sandbox``), not in the
benchmark's or the window's: in one process its request handling (and the webhook senders) would
hold the GIL against the GUI thread and the stalls measured would be the sandbox's. Timestamps are
``time.monotonic()`` (CLOCK_MONOTONIC, one clock for all processes on Linux).

Parts:

* ``latency``: webhook POST → the payment's row in the model (``rowsInserted``, GUI thread) and its
  ``Notify`` at the notification server; beside ``watch --json`` (harness ``Watch``) and the bare
  stream reader, on the same sandbox in the same run. Samples are spaced ``--gap`` s apart (default
  1.75 s: with the default burst summary on, the notifier shows at most 3 popups per 5 s, so every
  sample gets its own popup); ``--no-burst-summary`` (a setting the admin has) with a shorter gap.
* ``burst``: 2,000 settlement webhooks from two threads into the running window: the longest
  event-loop stall (lateness of a 10 ms precise QTimer in the GUI thread), the time until every row
  was inserted, the ``Notify`` calls (summaries), the batches the window applied.
* ``startup``: a fresh process each run, spawn → first paint of the table (rows on screen), with an
  empty database and a million payments (``bench/table_bench.py`` seeds it); RSS after the paint;
  then, in one run on the million, searches typed into the filter bar (→ first page painted) and
  the deep scroll (``--scroll-seconds``).
* ``idle``: CPU time (user + sys, ``/proc/<pid>/stat``) of the app process over ``--idle-seconds``
  with the stream live and nothing happening; the sandbox's keepalive at its real 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench.harness import ROOT, BareReader, Sandbox, Watch, percentile
from tests.ui.desktop_env import DesktopEnv, _deadline_read_line, _die_with_parent

# the notifier's burst rule (ui/notify_policy.py): LIMIT popups per WINDOW seconds
BURST_LIMIT, BURST_WINDOW = 3, 5.0
DEFAULT_1M_DB = Path(tempfile.gettempdir()) / "zavera-gui-bench" / "payments-1m.db"
# py-spy: "--native" pauses the process at each sample (for attribution, not for the stall figure)
PY_SPY_MODE = os.environ.get("GUI_BENCH_PY_SPY", "--nonblocking --rate 250").split()
PYCACHE = Path(tempfile.gettempdir()) / "zavera-gui-bench" / "pycache"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def stats(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": percentile(values, 0.5), "p99": percentile(values, 0.99),
            "max": max(values) if values else float("nan"),
            "mean": statistics.fmean(values) if values else float("nan")}


def fmt(values: list[float]) -> str:
    s = stats(values)
    return (f"n={s['n']} p50 {ms(s['p50'])}  p99 {ms(s['p99'])}  max {ms(s['max'])}  mean {ms(s['mean'])}"
            if values else "n=0")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def proc_cpu(pid: int) -> float:
    """user + sys seconds of a process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_status(pid: int, *keys: str) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in keys:
            out[key] = int(value.split()[0])
    return out


def thread_cpu(pid: int) -> dict[str, float]:
    """user + sys seconds per thread name (threads of the same name summed). Python threads keep the
    process's name ("python"), Qt names its own (QDBusConnection, QXcbEventQueue, ...)."""
    out: dict[str, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = "GUI (main) thread" if task.name == str(pid) else (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


# --- the processes ----------------------------------------------------------------------------------

class SandboxProcess(Sandbox):
    """``harness.Sandbox``'s control calls against a sandbox in its own process."""

    # no super().__init__(): that would start a sandbox in this process
    def __init__(self, workdir: Path, keepalive: float = 30.0) -> None:
        self._log = open(workdir / "sandbox.log", "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        cmd = [sys.executable, "-m", "zavera_desktop.sandbox", "--port", "0", "--json", "--keepalive", str(keepalive)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log,
                                     cwd=ROOT, env={**os.environ, "NO_PROXY": "127.0.0.1,localhost"},
                                     preexec_fn=_die_with_parent)
        assert self.proc.stdout is not None
        # the first line holds the generated credentials: kept in memory, never printed
        self.creds = json.loads(_deadline_read_line(self.proc.stdout, "the sandbox to start", timeout=60))
        self.url = self.creds["url"]
        self.http = httpx.Client(base_url=self.url, trust_env=False, timeout=30.0)

    def close(self) -> None:
        self.http.close()
        stop(self.proc)
        self._log.close()


def stop(proc: subprocess.Popen[Any], timeout: float = 15.0) -> int | None:
    """SIGTERM (the app's clean quit), then SIGKILL after ``timeout``."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
        return None


class Gui:
    """``zavera-desktop gui`` with ``bench/gui_probe.py``'s probes; their lines read as they come."""

    def __init__(self, workdir: Path, sandbox: Sandbox, db: Path, name: str, probe: dict[str, Any] | None = None,
                 burst_summary: bool = True) -> None:
        self.dir = workdir / name
        self.dir.mkdir(parents=True)
        config_home = self.dir / "config"
        if not burst_summary:  # the admin's "Many payments at once: show one summary" unticked
            (config_home / "Zavera").mkdir(parents=True)
            (config_home / "Zavera" / "zavera-desktop.ini").write_text("[notifications]\nburst_summary=false\n")
        read, write = os.pipe()
        env: dict[str, str] = {**os.environ, "ZB_PW": sandbox.creds["admin_password"], "ZAVERA_LOG_FILE": "none",
               # compiled once and reused, as an installed app's bytecode is (this machine's shells set
               # PYTHONDONTWRITEBYTECODE, and every start would compile the app's edited modules again)
               "PYTHONPYCACHEPREFIX": str(PYCACHE),
               "ZAVERA_LOG_LEVEL": "WARNING", "NO_PROXY": "127.0.0.1,localhost", "XDG_CONFIG_HOME": str(config_home),
               "ZAVERA_BENCH_PROBE": json.dumps({"fd": write, **(probe or {})})}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cmd = [sys.executable, "-m", "bench.gui_probe", "gui", "--backend", sandbox.url, "--email",
               sandbox.creds["admin_email"], "--password-env", "ZB_PW", "--db", str(db), "--data-dir", str(self.dir)]
        self.events: list[dict[str, Any]] = []
        self.row_at: dict[str, float] = {}
        self.first: dict[str, dict[str, Any]] = {}  # the first event of each kind (paint: by what)
        self.live = False
        self._cond = threading.Condition()
        with open(self.dir / "stderr.log", "w", encoding="utf-8") as log:
            self.t_spawn = time.monotonic()
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                         pass_fds=[write], env=env, cwd=ROOT, preexec_fn=_die_with_parent)
        os.close(write)
        self._reader = threading.Thread(target=self._read, args=(read,), daemon=True)
        self._reader.start()

    def _read(self, fd: int) -> None:
        with os.fdopen(fd, encoding="utf-8") as lines:
            for raw in lines:
                event = json.loads(raw)
                kind = event["ev"]
                with self._cond:
                    self.events.append(event)
                    key = f"paint:{event['what']}" if kind == "paint" else kind
                    self.first.setdefault(key, event)
                    if kind == "rows":
                        for code in event["codes"]:
                            self.row_at.setdefault(code, event["t_rows"])
                    elif kind == "batch" and event["connection"] is not None:
                        self.live = event["connection"] == "live"
                    self._cond.notify_all()

    def wait(self, predicate: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not predicate()):
                    return predicate()
                self._cond.wait(min(left, 0.5))
        return True

    def of(self, kind: str, since: float = float("-inf")) -> list[dict[str, Any]]:
        with self._cond:
            return [e for e in self.events if e["ev"] == kind and e["t"] >= since]

    def close(self) -> int | None:
        return stop(self.proc)

    def stderr_tail(self) -> str:
        return "".join((self.dir / "stderr.log").read_text(errors="replace").splitlines(keepends=True)[-15:])


def start_gui(*args: Any, live_timeout: float = 60.0, **kwargs: Any) -> Gui:
    gui = Gui(*args, **kwargs)
    if not gui.wait(lambda: gui.live, live_timeout):
        tail = gui.stderr_tail()
        gui.close()
        raise SystemExit(f"the window never went live; its stderr ends with:\n{tail}")
    return gui


def hold_display(display: str) -> socket.socket:
    """An X client that only stays connected. The test desktop's Xvfb runs with ``-terminate`` (it ends
    when its last client leaves: right for one pytest process), and this benchmark starts and ends
    many app processes one after another."""
    number = display.lstrip(":").split(".")[0]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(f"/tmp/.X11-unix/X{number}")
    # the X11 connection setup: little-endian, protocol 11.0, no authorization
    sock.sendall(struct.pack("<cxHHHHxx", b"l", 11, 0, 0, 0))
    if sock.recv(8)[:1] != b"\x01":
        raise SystemExit(f"Xvfb {display} refused the connection")
    return sock


def notifications_since(env: DesktopEnv, since: float) -> list[dict[str, Any]]:
    return [n for n in env.notifications() if n.get("t_monotonic", 0) >= since]


def wait_notify(env: DesktopEnv, code: str, since: float, timeout: float) -> float | None:
    """The arrival time of the first ``Notify`` naming ``code`` (polled: the server is another process)."""
    deadline = time.monotonic() + timeout
    while True:
        for n in notifications_since(env, since):
            if code in n["body"] or code in n["summary"]:
                return float(n["t_monotonic"])
        if time.monotonic() > deadline:
            return None
        time.sleep(0.005)


def summary_size(record: dict[str, Any]) -> int:
    """How many payments a ``Notify`` stands for: 1 for "Payment received", N for "N new payments"."""
    m = re.match(r"(\d[\d.,]*) ", record["summary"])
    return int(re.sub(r"[.,]", "", m.group(1))) if m else 1


def warm_up(sandbox: Sandbox, gui: Gui, watch: Watch | None = None) -> None:
    """Two payments first: imports, the sound system and connections made on first use are not measured;
    then the notifier's burst window closes."""
    for _ in range(2):
        o = sandbox.create_order(notify=False)
        sandbox.pay(o["order_code"])
        gui.wait(lambda c=o["order_code"]: c in gui.row_at, 30)
        if watch is not None:
            watch.wait(lambda c=o["order_code"]: c in watch.payment_at, 30)
        time.sleep(0.3)
    time.sleep(BURST_WINDOW + 0.5)


# --- 1. latency ---------------------------------------------------------------------------------------

def bench_latency(env: DesktopEnv, workdir: Path, n: int, gap: float, burst_summary: bool) -> dict[str, Any]:
    """webhook POST → row in the model and Notify at the server; watch --json and the bare reader beside."""
    print(f"\n## latency: {n} payments one at a time, {gap:g} s apart, burst summary "
          f"{'on (default)' if burst_summary else 'off'}; load {load()}", flush=True)
    sandbox = SandboxProcess(workdir, keepalive=30.0)
    gui = watch = bare = None
    try:
        gui = start_gui(workdir, sandbox, workdir / "latency.db", "latency", {"rows": True},
                        burst_summary=burst_summary)
        watch = Watch(sandbox)
        bare = BareReader(sandbox)
        bare.connected.wait(10)
        if not watch.wait(lambda: "live" in watch.states(), 30):
            raise SystemExit("watch never went live")
        time.sleep(1.0)  # both engines' start-up reconcile
        warm_up(sandbox, gui, watch)
        row, notify, watched, floor, missing = [], [], [], [], []
        load_before = load()
        next_at = time.monotonic()
        for _ in range(n):
            # created and settled just before its webhook: minutes later the engine's verify would find it first
            o = sandbox.create_order(notify=False)
            code = o["order_code"]
            sandbox.pay(code, webhook="drop")
            time.sleep(max(0.0, next_at - time.monotonic()))
            t0 = time.monotonic()
            next_at = t0 + gap
            sandbox.post_webhook(o)
            got_row = gui.wait(lambda c=code: c in gui.row_at, 10)
            t_notify = wait_notify(env, code, t0, 10)
            watch.wait(lambda c=code: c in watch.payment_at, 10)
            if got_row:
                row.append(gui.row_at[code] - t0)
            if t_notify is not None:
                notify.append(t_notify - t0)
            if code in watch.payment_at:
                watched.append(watch.payment_at[code] - t0)  # perf_counter: CLOCK_MONOTONIC too
            if code in bare.seen_at:
                floor.append(bare.seen_at[code] - t0)
            if not (got_row and t_notify is not None):
                missing.append(code)
        notes = notifications_since(env, 0)
        summaries = [x for x in notes if summary_size(x) > 1]
        print(f"load before/after: {load_before} / {load()}")
        print(f"webhook POST → row in the model (rowsInserted):   {fmt(row)}")
        print(f"webhook POST → Notify at the notification server: {fmt(notify)}")
        print(f"webhook POST → watch --json line (same run):      {fmt(watched)}")
        print(f"webhook POST → bare stream reader (floor):        {fmt(floor)}")
        r50, w50 = percentile(row, 0.5), percentile(watched, 0.5)
        print(f"ratio row / watch: p50 {r50 / w50:.2f}×, p99 {percentile(row, 0.99) / percentile(watched, 0.99):.2f}×;"
              f" Notify − row p50 {ms(percentile(notify, 0.5) - r50)}")
        print(f"missing a row or a Notify within 10 s: {len(missing)}; summaries among the {len(notes)} Notify "
              f"calls: {len(summaries)}")
        return {"row": row, "notify": notify, "watch": watched, "floor": floor, "missing": len(missing),
                "summaries": len(summaries), "gap": gap, "burst_summary": burst_summary, "load": load_before}
    finally:
        for thing in (bare, watch, gui):
            if thing is not None:
                thing.close()
        sandbox.close()


# --- 2. burst -----------------------------------------------------------------------------------------

def bench_burst(env: DesktopEnv, workdir: Path, n: int, senders: int = 2, py_spy: str | None = None,
                experiment: dict[str, Any] | None = None) -> dict[str, Any]:
    extra = f" (experiment: {experiment_name(experiment)})" if experiment else ""
    print(f"\n## burst: {n} settlement webhooks from {senders} threads into the running window{extra}; "
          f"load {load()}", flush=True)
    sandbox = SandboxProcess(workdir, keepalive=30.0)
    gui = None
    try:
        probe: dict[str, Any] = {"rows": True, "ticks": True, "buffer": 0.25, "gc": True, "paint_timing": True}
        probe.update(experiment or {})
        name = f"burst-{n}-" + re.sub(r"[^a-z0-9.]+", "-", experiment_name(experiment).lower())
        gui = start_gui(workdir, sandbox, workdir / f"{name}.db", name, probe)
        warm_up(sandbox, gui)
        with ThreadPoolExecutor(senders) as pool:
            orders = list(pool.map(lambda _: sandbox.create_order(notify=False), range(n)))
            list(pool.map(lambda o: sandbox.pay(o["order_code"], webhook="drop"), orders))
        codes = [o["order_code"] for o in orders]
        quiet_from = time.monotonic()
        time.sleep(5.0)  # the quiet baseline of the same 10 ms timer
        cpu0, load_before = proc_cpu(gui.proc.pid), load()
        spy = None
        if py_spy:  # where the GUI thread's time goes during the burst (collapsed stacks, per thread)
            spy = subprocess.Popen([py_spy, "record", "--pid", str(gui.proc.pid), "--threads",
                                    *PY_SPY_MODE, "--format", "raw", "--output",
                                    str(workdir / "burst.pyspy.txt"), "--duration", "600"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1.0)
        t0 = time.monotonic()
        with ThreadPoolExecutor(senders) as pool:
            list(pool.map(sandbox.post_webhook, orders))
        t_sent = time.monotonic()
        drained = gui.wait(lambda: all(c in gui.row_at for c in codes), 300)
        t_rows = max(gui.row_at[c] for c in codes if c in gui.row_at)
        cpu1 = proc_cpu(gui.proc.pid)
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes what it has on SIGINT
            spy.wait(30)
            print(f"(py-spy profile of the burst: {workdir / 'burst.pyspy.txt'})")
        # held payments become a summary when the notifier's window closes (≤ 5 s later)
        deadline = time.monotonic() + 3 * BURST_WINDOW
        while time.monotonic() < deadline:
            shown = sum(summary_size(x) for x in notifications_since(env, t0))
            if shown >= n:
                break
            time.sleep(0.2)
        time.sleep(1.0)
        notes = notifications_since(env, t0)
        ticks = gui.of("ticks", t0)
        quiet = [e["max_late"] for e in gui.of("ticks", quiet_from) if e["t"] < t0]
        during = [e for e in ticks if e["since"] <= t_rows + 0.5]
        stall = max(e["max_late"] for e in during)
        stalls = [e["late"] for e in gui.of("stall", t0) if e["t"] <= t_rows + 0.5]
        batches = [e for e in gui.of("batch", t0) if e["new"]]
        hwm = proc_status(gui.proc.pid, "VmHWM", "VmRSS")
        print(f"load before/after: {load_before} / {load()}")
        print(f"sandbox accepted the {n} webhooks in {t_sent - t0:.2f} s ({n / (t_sent - t0):.0f}/s); "
              f"{'all' if drained else 'NOT all'} {sum(c in gui.row_at for c in codes)} rows inserted; last row "
              f"{t_rows - t0:.2f} s after the first webhook, {ms(t_rows - t_sent)} after the last")
        print(f"GUI event loop, 10 ms precise timer: longest stall (lateness) during the burst {ms(stall)}; "
              f"stalls > 25 ms: {len(stalls)}, > 50 ms: {sum(s > 0.05 for s in stalls)}, > 100 ms: "
              f"{sum(s > 0.1 for s in stalls)}; quiet baseline before the burst: max {ms(max(quiet))}")
        print(f"batches applied: {len(batches)} (payments per batch p50 "
              f"{percentile([b['new'] for b in batches], 0.5):.0f}, max {max(b['new'] for b in batches)}); "
              f"apply_batch time {fmt([b['dt'] for b in batches])}")
        frozen = gui.first.get("gc_frozen")
        if frozen:
            print(f"gc.freeze() after the window was built froze {frozen['objects']:,} objects")
        gcs = [e for e in gui.of("gc", t0) if e["t0"] <= t_rows]
        full = [e for e in gcs if e["generation"] == 2]
        print(f"garbage collector (the probe's gc.callbacks): {len(full)} full collections during the burst, "
              f"{fmt([e['dt'] for e in full])}; collections over 5 ms: {len(gcs)}")
        paints = [e for e in gui.of("table_paint", t0) if e["t0"] <= t_rows]
        quiet_paints = [e["dt"] for e in gui.of("table_paint", quiet_from) if e["t0"] < t0]
        print(f"table paints over 5 ms during the burst: {fmt([e['dt'] for e in paints])}; "
              f"before it: {fmt(quiet_paints)}")
        if paints:
            wall = sum(e["dt"] for e in paints)
            print(f"  of their time: on a CPU {sum(e['cpu'] for e in paints) / wall:.0%}, waiting for a CPU "
                  f"{sum(e['runq'] for e in paints) / wall:.0%}, blocked (GIL) "
                  f"{max(0.0, wall - sum(e['cpu'] + e['runq'] for e in paints)) / wall:.0%}")
        explain_stalls(gui.of("stall", t0), {"apply_batch": batches, "garbage collection": gcs,
                                             "table paint": paints}, t_rows)
        hidden = [c for e in gui.of("not_shown", t0) for c in e["codes"]]
        if hidden:
            print(f"payments of a batch the model did not show: {len(hidden)} (sorted below the loaded pages)")
        print(f"Notify calls from the first webhook on: {len(notes)} ({sum(summary_size(x) > 1 for x in notes)} "
              f"summaries), standing for {sum(summary_size(x) for x in notes)} payments")
        print(f"app process CPU during the burst: {cpu1 - cpu0:.1f} s over {t_rows - t0:.1f} s; "
              f"RSS {hwm.get('VmRSS', 0) / 1024:.0f} MB, peak {hwm.get('VmHWM', 0) / 1024:.0f} MB")
        return {"n": n, "accept_s": t_sent - t0, "rows_s": t_rows - t0, "lag_s": t_rows - t_sent, "stall": stall,
                "quiet": max(quiet), "stalls_over_50": sum(s > 0.05 for s in stalls), "notify": len(notes),
                "summaries": sum(summary_size(x) > 1 for x in notes), "covered": sum(summary_size(x) for x in notes),
                "batches": len(batches), "batch_max_s": max(b["dt"] for b in batches), "drained": drained,
                "rows": sum(c in gui.row_at for c in codes), "peak_mb": hwm.get("VmHWM", 0) / 1024,
                "load": load_before}
    finally:
        if gui is not None:
            gui.close()
        sandbox.close()


EXPERIMENT_WORDS = {"switch_interval": "GIL switch interval {ms}", "gc_freeze": "gc.freeze() after start-up",
                    "model_multidata": "PaymentsModel.multiData, no flags()",
                    "coalesce_window": "bridge coalescing window {ms}"}
_SECONDS = ("switch_interval", "coalesce_window")


def parse_experiment(spec: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in spec.split(","):
        key, _, value = part.partition("=")
        if key not in EXPERIMENT_WORDS:
            raise SystemExit(f"--experiment: unknown {key!r} (one of {', '.join(EXPERIMENT_WORDS)})")
        out[key] = float(value) if key in _SECONDS else bool(int(value or "1"))
    return out


def experiment_name(experiment: dict[str, Any] | None) -> str:
    if not experiment:
        return "as is"
    return " + ".join(EXPERIMENT_WORDS[k].format(ms=f"{v * 1000:g} ms" if k in _SECONDS else "")
                      for k, v in experiment.items() if v)


def explain_stalls(stalls: list[dict[str, Any]], spans: dict[str, list[dict[str, Any]]], until: float) -> None:
    """What the GUI thread was doing when the 10 ms timer came late: whichever measured span (applying a
    batch, a garbage collection in any thread, painting the table) covers most of the stall; "other" is
    the rest (other widgets' paints, the tray, waiting for the GIL held by the engine thread)."""
    big = [s for s in stalls if s["late"] > 0.05 and s["t"] <= until + 0.5]
    if not big:
        return
    kinds: dict[str, list[float]] = {}
    for s in big:
        start, end = s["t"] - s["late"] - 0.010, s["t"]
        cover = {name: sum(max(0.0, min(e["t0"] + e["dt"], end) - max(e["t0"], start)) for e in events)
                 for name, events in spans.items()}
        name, most = max(cover.items(), key=lambda kv: kv[1])
        kinds.setdefault(name if most >= 0.3 * (end - start) else "other", []).append(s["late"])
    print("stalls over 50 ms by what covered most of them: " + "; ".join(
        f"{k} {len(v)} (longest {ms(max(v))})" for k, v in sorted(kinds.items(), key=lambda kv: -len(kv[1]))))
    # where the GUI thread's time went during those stalls (/proc/thread-self/schedstat)
    total = sum(s["late"] + 0.010 for s in big)
    cpu, runq = sum(s["cpu"] for s in big), sum(s["runq"] for s in big)
    print(f"GUI thread during those stalls ({ms(total)} in all): on a CPU {cpu / total:.0%}, waiting for a CPU "
          f"(the machine busy) {runq / total:.0%}, blocked (the GIL held by another thread) "
          f"{max(0.0, total - cpu - runq) / total:.0%}")


# --- 3. start-up with a million payments ---------------------------------------------------------------

def ensure_1m_db(path: Path, rows: int) -> None:
    """The teammate's million-row table (``bench/table_bench.py``), upgraded once so start-up does not."""
    if path.exists():
        return
    from bench.table_bench import make_v1_database
    from zavera_desktop.store import Store

    path.parent.mkdir(parents=True, exist_ok=True)
    make_v1_database(path, rows)
    t0 = time.perf_counter()
    Store.open(path).close()
    print(f"(seeded {path}; schema upgrade {time.perf_counter() - t0:.1f} s)")


def search_terms(db: Path) -> dict[str, str]:
    """Typical searches, from a payment in the middle of the table (as bench/table_bench.py picks them)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT order_code, customer FROM payments WHERE customer IS NOT NULL "
                           "ORDER BY id DESC LIMIT 1 OFFSET 123457").fetchone()
    code, customer = row if row else ("ZVR-20260101-00000000", "Budi Santoso")
    return {"order code tail (8 hex)": code[-8:], "full order code": code, "customer full name": customer,
            "customer first name": customer.split()[0], "customer last name": customer.split()[-1],
            "2 letters (newest only)": "zq", "month in codes (slow case)": "202512", "no match": "qqqzzz"}


def count_rows(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT count(*) FROM payments").fetchone()[0])


def one_startup(workdir: Path, sandbox: Sandbox, db: Path, name: str, probe: dict[str, Any] | None = None,
                timeout: float = 120.0) -> tuple[Gui, dict[str, float]]:
    gui = Gui(workdir, sandbox, db, name, probe)
    if not gui.wait(lambda: "paint:table" in gui.first, timeout):
        tail = gui.stderr_tail()
        gui.close()
        raise SystemExit(f"no first paint within {timeout:.0f} s; the app's stderr ends with:\n{tail}")
    paint = gui.first["paint:table"]
    t = gui.t_spawn
    out = {"first_paint": paint["t"] - t, "window_paint": gui.first.get("paint:window", paint)["t"] - t,
           "python_up": gui.first["probe"]["t_probe"] - t, "window_init": gui.first["window_init"]["t"] - t,
           "window_ready": gui.first["window_ready"]["t"] - t, "rss_mb": paint.get("VmRSS", float("nan"))}
    return gui, out


def bench_startup(env: DesktopEnv, workdir: Path, db_1m: Path, repeat: int, scroll_seconds: float,
                  search_repeat: int) -> dict[str, Any]:
    print(f"\n## start-up to first paint, a fresh process each run ({repeat} runs per database); load {load()}",
          flush=True)
    ensure_1m_db(db_1m, 1_000_000)
    empty = workdir / "empty.db"
    from zavera_desktop.store import Store

    Store.open(empty).close()  # an existing, empty database: the same kind of start as with the million
    sandbox = SandboxProcess(workdir, keepalive=30.0)
    results: dict[str, Any] = {"load": load()}
    try:
        dbs = {"empty": empty, "1M": db_1m}
        for label in dbs:
            results[label] = []
        # alternating, so a change in the machine's load touches both alike; run 0 of each warms the
        # page cache and the bytecode cache and is not counted
        for i in range(repeat + 1):
            for label, db in dbs.items():
                gui, out = one_startup(workdir, sandbox, db, f"startup-{label}-{i}")
                time.sleep(0.5)
                gui.close()
                if i:
                    results[label].append(out)
        for label, db in dbs.items():
            rows = count_rows(db)
            runs = results[label]
            print(f"{label} database ({rows:,} payments), {repeat} runs after a warm-up run:")
            for key, words in (("python_up", "interpreter up (our first line)"),
                               ("window_init", "MainWindow.__init__ starts"),
                               ("window_ready", "MainWindow.__init__ done"),
                               ("window_paint", "first paint of the window"),
                               ("first_paint", "first paint of the table (rows shown)")):
                values = [r[key] for r in runs]
                print(f"  spawn → {words:38s} median {ms(statistics.median(values))}  max {ms(max(values))}")
            print(f"  RSS at the first paint: median {statistics.median(r['rss_mb'] for r in runs):.0f} MB")
        base = statistics.median(r["first_paint"] for r in results["empty"])
        big = statistics.median(r["first_paint"] for r in results["1M"])
        print(f"ratio 1M / empty (median first paint): {big / base:.2f}× (+{ms(big - base)})")

        terms = search_terms(db_1m)
        print(f"\nin the window, 1M payments: searches typed into the filter bar ({search_repeat} runs each), "
              f"then the deep scroll ({scroll_seconds:g} s at most); load {load()}", flush=True)
        probe = {"script": True, "gc": True, "terms": terms, "repeat": search_repeat, "scroll_seconds": scroll_seconds,
                 "debounced": [terms["order code tail (8 hex)"], terms["customer first name"]]}
        gui, _ = one_startup(workdir, sandbox, db_1m, "startup-1M-script", probe)
        try:
            if not gui.wait(lambda: "done" in gui.first, scroll_seconds + 600):
                print("  the scripted run did not finish; its stderr ends with:\n" + gui.stderr_tail())
            searches: dict[str, list[dict[str, Any]]] = {}
            for e in gui.of("search"):
                searches.setdefault(e["label"], []).append(e)
            # the first search of a term differs from the next ones (the planner's match count is kept
            # for a minute, SQLite's page cache): first, then the median of the repeats
            print(f"  {'search':38s} {'term':24s} rows  query+reset: first, then median   "
                  f"→ first page painted: first, then median")
            for label, events in searches.items():
                query = [e["query"] for e in events if e["query"] == e["query"]]  # NaN: not measured
                shown = [e["shown"] for e in events]
                q = f"{ms(query[0]):>10s} {ms(statistics.median(query[1:] or query)):>10s}" if query else ""
                print(f"  {label:38s} {events[0]['term']!r:24s} {events[0]['rows']:4d}  {q:32s} "
                      f"{ms(shown[0]):>10s} {ms(statistics.median(shown[1:] or shown)):>10s}")
            results["searches"] = searches
            scroll = gui.first.get("scroll")
            if scroll:
                full = [e for e in gui.of("gc", gui.first["scroll_start"]["t"]) if e["generation"] == 2]
                print(f"  garbage collector during the scroll: {len(full)} full collections, "
                      f"longest {ms(max((e['dt'] for e in full), default=0.0))}")
                print(f"  deep scroll (scrollToBottom → fetchMore → paint, repeated): {scroll['rows']:,} rows in "
                      f"{scroll['seconds']:.1f} s ({'the end' if scroll['at_end'] else 'stopped by the time limit'}), "
                      f"{scroll['steps']} steps, slowest step {ms(scroll['slowest'])}; RSS {scroll['VmRSS']:.0f} MB")
                results["scroll"] = scroll
            script_live = gui.first.get("script_live", {})
            results["rss_live_mb"] = script_live.get("VmRSS")
        finally:
            gui.close()
        return results
    finally:
        sandbox.close()


# --- 4. idle --------------------------------------------------------------------------------------------

def bench_idle(env: DesktopEnv, workdir: Path, seconds: float, dbs: list[tuple[str, Path]]) -> dict[str, Any]:
    print(f"\n## idle: app process CPU over {seconds:g} s, stream live, keepalive 30 s; load {load()}", flush=True)
    sandbox = SandboxProcess(workdir, keepalive=30.0)
    out: dict[str, Any] = {}
    try:
        for label, db in dbs:
            gui = start_gui(workdir, sandbox, db, f"idle-{label}")
            try:
                time.sleep(10.0)  # start-up work (the first reconcile, the first poll) is not idle
                pid = gui.proc.pid
                load_before = load()
                cpu0, threads0 = proc_cpu(pid), thread_cpu(pid)
                sw0 = proc_status(pid, "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")
                batches0 = len(gui.of("batch"))
                time.sleep(seconds)
                cpu1, threads1 = proc_cpu(pid), thread_cpu(pid)
                sw1 = proc_status(pid, "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")
                used = cpu1 - cpu0
                busy = {k: v - threads0.get(k, 0.0) for k, v in threads1.items() if v - threads0.get(k, 0.0) > 0}
                switches = sum(sw1.values()) - sum(sw0.values())
                batches = len(gui.of("batch")) - batches0
                print(f"{label} database: {used:.2f} s CPU in {seconds:g} s ({used / seconds * 100:.2f} % of one core);"
                      f" GUI thread {switches / seconds:.1f} context switches/s; batches meanwhile:"
                      f" {batches}; still live: {gui.live}; load {load_before} → {load()}")
                ranked = sorted(busy.items(), key=lambda x: -x[1])
                print(f"  by thread: {', '.join(f'{k} {v:.2f} s' for k, v in ranked) or 'none measurable'} "
                      f"(python: the engine's and other Python threads)")
                out[label] = {"cpu_s": used, "seconds": seconds, "switches_per_s": switches / seconds,
                              "threads": busy, "load": load_before}
            finally:
                gui.close()
        return out
    finally:
        sandbox.close()


# --- the summary ------------------------------------------------------------------------------------------

def markdown(results: dict[str, Any]) -> str:
    lines = ["| | figure | budget |", "|---|---|---|"]
    lat = results.get("latency")
    if lat:
        row, notify, watch, floor = lat["row"], lat["notify"], lat["watch"], lat["floor"]
        lines += [
            f"| webhook POST → row in the model (p50 / p99, {len(row)} payments) | {ms(percentile(row, 0.5))} / "
            f"{ms(percentile(row, 0.99))} | p99 ≤ 50 ms |",
            f"| webhook POST → `Notify` at the notification server (p50 / p99) | {ms(percentile(notify, 0.5))} / "
            f"{ms(percentile(notify, 0.99))} | p99 ≤ 100 ms |",
            f"| same run: `watch --json` line (p50 / p99) | {ms(percentile(watch, 0.5))} / "
            f"{ms(percentile(watch, 0.99))} | |",
            f"| same run: bare stream reader, the floor (p50 / p99) | {ms(percentile(floor, 0.5))} / "
            f"{ms(percentile(floor, 0.99))} | |",
            f"| ratio row / `watch` (p50 / p99) | {percentile(row, 0.5) / percentile(watch, 0.5):.2f}× / "
            f"{percentile(row, 0.99) / percentile(watch, 0.99):.2f}× | |",
        ]
    burst = results.get("burst")
    if burst:
        lines += [
            f"| burst of {burst['n']:,}: longest GUI event-loop stall (10 ms timer lateness) | {ms(burst['stall'])} "
            f"(quiet baseline {ms(burst['quiet'])}) | ≤ 100 ms |",
            f"| burst: all {burst['n']:,} rows shown after the first webhook / after the last | "
            f"{burst['rows_s']:.2f} s / {ms(burst['lag_s'])} (sandbox accepted them in {burst['accept_s']:.2f} s) | |",
            f"| burst: `Notify` calls | {burst['notify']} ({burst['summaries']} summaries) for {burst['covered']:,} "
            f"payments | |",
            f"| burst: batches applied / slowest `apply_batch` | {burst['batches']} / {ms(burst['batch_max_s'])} | |",
        ]
    for key, other in results.items():
        if key.startswith("burst (") and other:
            lines.append(f"| {key}: longest stall / slowest `apply_batch` / all rows after the last webhook | "
                         f"{ms(other['stall'])} / {ms(other['batch_max_s'])} / {ms(other['lag_s'])} | |")
    start = results.get("startup")
    if start:
        def med(label: str, key: str) -> float:
            return statistics.median(r[key] for r in start[label])

        lines += [
            f"| start-up → first paint, empty database (median / max) | {ms(med('empty', 'first_paint'))} / "
            f"{ms(max(r['first_paint'] for r in start['empty']))} | |",
            f"| start-up → first paint, 1,000,000 payments (median / max) | {ms(med('1M', 'first_paint'))} / "
            f"{ms(max(r['first_paint'] for r in start['1M']))} | ≤ 1.5 s |",
            f"| RSS after the first paint, empty / 1M | {med('empty', 'rss_mb'):.0f} MB / {med('1M', 'rss_mb'):.0f} MB "
            f"| ≤ 400 MB |",
        ]
        for label, events in start.get("searches", {}).items():
            shown = [e["shown"] for e in events]
            budget = "≤ 100 ms" if "debounce" not in label else "(250 ms debounce)"
            what = (f"search, {label} `{events[0]['term']}`" if events[0]["term"] else "search cleared (all payments)")
            lines.append(f"| {what} → first page painted (first / median of {len(shown) - 1} more) | "
                         f"{ms(shown[0])} / {ms(statistics.median(shown[1:] or shown))} | {budget} |")
        scroll = start.get("scroll")
        if scroll:
            lines.append(f"| deep scroll in the window (fetchMore + paint) | {scroll['rows']:,} rows in "
                         f"{scroll['seconds']:.1f} s{' (the end)' if scroll['at_end'] else ''}, slowest step "
                         f"{ms(scroll['slowest'])}, RSS then {scroll['VmRSS']:.0f} MB | |")
    idle = results.get("idle")
    if idle:
        for label, r in idle.items():
            lines.append(f"| idle, {label} database: app CPU over {r['seconds']:g} s | {r['cpu_s']:.2f} s "
                         f"({r['cpu_s'] / r['seconds'] * 100:.2f} %) | ≈ 0 |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", nargs="+", choices=["latency", "burst", "startup", "idle", "all"])
    parser.add_argument("--payments", type=int, default=None, help="latency: 200, burst: 2000")
    parser.add_argument("--gap", type=float, default=None,
                        help="seconds between latency samples (default 1.75; 0.2 with --no-burst-summary)")
    parser.add_argument("--no-burst-summary", action="store_true", help="latency with the burst summary off")
    parser.add_argument("--db-1m", type=Path, default=DEFAULT_1M_DB, help="the million-payment database (made once)")
    parser.add_argument("--repeat", type=int, default=5, help="start-up runs per database (at least 1)")
    parser.add_argument("--search-repeat", type=int, default=5)
    parser.add_argument("--scroll-seconds", type=float, default=120.0)
    parser.add_argument("--idle-seconds", type=float, default=60.0)
    parser.add_argument("--experiment", action="append", default=[], metavar="K=V,...",
                        help="burst: again with these probe experiments, e.g. switch_interval=0.001, gc_freeze=1, "
                             "model_multidata=1, coalesce_window=0.25 (bench/gui_probe.py; repeatable)")
    parser.add_argument("--py-spy", metavar="BIN", help="burst: profile the window's process with this py-spy")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (logs of every process)")
    args = parser.parse_args()
    which = {"latency", "burst", "startup", "idle"} if "all" in args.which else set(args.which)
    args.repeat = max(1, args.repeat)

    workdir = Path(tempfile.mkdtemp(prefix="zavera-gui-bench-"))
    # a private home: settings, keyring and data of these runs never touch the user's
    for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_RUNTIME_DIR", "run"), ("XDG_STATE_HOME", "state")):
        (workdir / sub).mkdir(mode=0o700)
        os.environ[var] = str(workdir / sub)
    print(f"# {platform.node()} — Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d %H:%M:%S')}; load {load()}", flush=True)
    (workdir / "desktop").mkdir()
    env = DesktopEnv.start(workdir / "desktop")
    x_client = hold_display(env.display)
    results: dict[str, Any] = {}
    try:
        if "latency" in which:
            gap = args.gap if args.gap is not None else (0.2 if args.no_burst_summary else 1.75)
            results["latency"] = bench_latency(env, workdir, args.payments or 200, gap, not args.no_burst_summary)
        if "burst" in which:
            results["burst"] = bench_burst(env, workdir, args.payments or 2000, py_spy=args.py_spy)
            for spec in args.experiment:
                experiment = parse_experiment(spec)
                results[f"burst ({experiment_name(experiment)})"] = bench_burst(
                    env, workdir, args.payments or 2000, experiment=experiment)
        if "startup" in which:
            results["startup"] = bench_startup(env, workdir, args.db_1m, args.repeat, args.scroll_seconds,
                                               args.search_repeat)
        if "idle" in which:
            dbs = [("empty", workdir / "idle-empty.db")]
            if args.db_1m.exists():
                dbs.append(("1M", args.db_1m))
            results["idle"] = bench_idle(env, workdir, args.idle_seconds, dbs)
    finally:
        env.stop(keep_x=False)
        x_client.close()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"(scratch folder kept: {workdir})")
    print("\n## summary (Markdown)\n")
    print("Load average (1/5/15 min) at the start of each part: "
          + "; ".join(f"{k} {v['load'] if 'load' in v else next(iter(v.values()))['load']}"
                      for k, v in results.items()) + "\n")
    print(markdown(results))


if __name__ == "__main__":
    main()
