"""Engine benchmarks (engine issue "Benchmarks"): figures printed, never pass/fail.

    .venv/bin/python -m bench.engine_bench all          # everything (~4 minutes)
    .venv/bin/python -m bench.engine_bench latency --payments 500
    .venv/bin/python -m bench.engine_bench lost-webhook --verify-interval 60 --samples 3
    .venv/bin/python -m bench.engine_bench stream-down --poll-interval 15 --samples 3
    .venv/bin/python -m bench.engine_bench burst --payments 2000

Every figure comes from a real `zavera-desktop watch --json` process against the in-process
sandbox on loopback; each line is timestamped when the benchmark reads it.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time

from bench.harness import BareReader, Sandbox, Watch, percentile, summary


def _ready(watch: Watch, sandbox: Sandbox) -> None:
    if not watch.wait(lambda: "live" in watch.states(), 30):
        raise SystemExit("watch never went live")
    # the baseline reconcile right after connect; new payments after it are not history
    time.sleep(1.0)
    # warm-up payment: first-time imports and connections are not what we measure
    o = sandbox.create_order(notify=False)
    sandbox.pay(o["order_code"])
    watch.wait(lambda: o["order_code"] in watch.payment_at, 30)


def bench_latency(n: int, gap: float) -> dict[str, float]:
    """webhook POST → payment line of `watch --json`, and the same for a bare stream reader."""
    sandbox = Sandbox(keepalive=30.0)
    watch = Watch(sandbox)
    bare = BareReader(sandbox)
    try:
        bare.connected.wait(10)
        _ready(watch, sandbox)
        orders = [sandbox.create_order(notify=False) for _ in range(n)]
        for o in orders:
            sandbox.pay(o["order_code"], webhook="drop")  # Midtrans settles; we deliver the webhook ourselves
        sent: dict[str, float] = {}
        for o in orders:
            code = o["order_code"]
            sent[code] = time.perf_counter()
            sandbox.post_webhook(o)
            watch.wait(lambda c=code: c in watch.payment_at, 10)
            time.sleep(gap)
        watch.wait(lambda: all(o["order_code"] in watch.payment_at for o in orders), 30)
        ours = [watch.payment_at[c] - t for c, t in sent.items() if c in watch.payment_at]
        floor = [bare.seen_at[c] - t for c, t in sent.items() if c in bare.seen_at]
        lost = n - len(ours)
        print(f"latency webhook POST → watch --json line: {summary(ours)}  (missing {lost})")
        print(f"latency webhook POST → bare stream reader: {summary(floor)}")
        ratio50 = percentile(ours, 0.5) / percentile(floor, 0.5)
        ratio99 = percentile(ours, 0.99) / percentile(floor, 0.99)
        print(f"ratio watch/bare: p50 {ratio50:.2f}×, p99 {ratio99:.2f}×; "
              f"watch minus bare p50: {(percentile(ours, 0.5) - percentile(floor, 0.5)) * 1000:.1f} ms")
        by = {watch.payment_by.get(c) for c in sent}
        print(f"detected_by of the measured payments: {sorted(b for b in by if b)}")
        return {"p50": percentile(ours, 0.5), "p99": percentile(ours, 0.99),
                "floor_p50": percentile(floor, 0.5), "floor_p99": percentile(floor, 0.99)}
    finally:
        bare.close()
        watch.close()
        sandbox.close()


def _time_detection(watch: Watch, sandbox: Sandbox, webhook: str, timeout: float, times: list[float]) -> None:
    """Check out (order_created is broadcast, as in the real shop), pay, and time the watch line."""
    o = sandbox.create_order()
    t0 = time.perf_counter()
    sandbox.pay(o["order_code"], webhook=webhook)
    if not watch.wait(lambda c=o["order_code"]: c in watch.payment_at, timeout):
        print("  not detected in time")
        return
    times.append(watch.payment_at[o["order_code"]] - t0)
    print(f"  detected after {times[-1]:.1f} s by {watch.payment_by[o['order_code']]}")


def _report(label: str, times: list[float]) -> None:
    if times:
        print(f"{label}: median {statistics.median(times):.1f} s, max {max(times):.1f} s over {len(times)}")


def bench_lost_webhook(verify_interval: float, samples: int) -> list[float]:
    """A settlement whose webhook Midtrans never delivered → the line from `watch` (via verify)."""
    sandbox = Sandbox(keepalive=30.0)
    watch = Watch(sandbox, "--verify-interval", str(verify_interval), "--verify-after", "0")
    try:
        _ready(watch, sandbox)
        times = []
        rng = random.Random(7)
        for _ in range(samples):
            time.sleep(rng.uniform(0, verify_interval))  # land at a random point of the verify cycle
            _time_detection(watch, sandbox, "drop", verify_interval * 3 + 30, times)
        _report(f"lost webhook → detected (verify interval {verify_interval:g} s, verify-after 0)", times)
        return times
    finally:
        watch.close()
        sandbox.close()


def bench_stream_down(poll_interval: float, samples: int) -> list[float]:
    """The stream is down (every reconnect gets 503) → a payment the backend knows is printed."""
    sandbox = Sandbox(keepalive=30.0)
    watch = Watch(sandbox, "--poll-interval", str(poll_interval), "--verify-interval", "3600")
    try:
        _ready(watch, sandbox)
        sandbox.faults(fail={"prefix": "/api/admin/events", "status": 503, "count": 100000})
        sandbox.faults(cut_streams="fin")
        watch.wait(lambda: watch.states()[-1] != "live", 10)
        time.sleep(poll_interval / 2)
        times = []
        for i in range(samples):
            # the webhook is delivered, but its broadcast reaches nobody
            _time_detection(watch, sandbox, "deliver", poll_interval * 3 + 30, times)
            time.sleep(poll_interval * (0.3 + 0.2 * i))  # land at different points of the poll cycle
        _report(f"stream down → backend-known payment detected (poll interval {poll_interval:g} s)", times)
        return times
    finally:
        watch.close()
        sandbox.close()


def bench_burst(n: int, senders: int = 2) -> dict[str, float]:
    """n settlement webhooks posted as fast as the sandbox accepts them (from `senders` threads):
    how long until `watch` printed the last one, and its peak RSS."""
    from concurrent.futures import ThreadPoolExecutor

    sandbox = Sandbox(keepalive=30.0)
    watch = Watch(sandbox)
    try:
        _ready(watch, sandbox)
        orders = [sandbox.create_order(notify=False) for _ in range(n)]
        for o in orders:
            sandbox.pay(o["order_code"], webhook="drop")  # Midtrans settles; the webhooks come below
        codes = [o["order_code"] for o in orders]
        rss_before = watch.peak_rss_mb()
        t0 = time.perf_counter()
        with ThreadPoolExecutor(senders) as pool:
            list(pool.map(sandbox.post_webhook, orders))
        t_sent = time.perf_counter()
        ok = watch.wait(lambda: all(c in watch.payment_at for c in codes), 300)
        t_done = max(watch.payment_at[c] for c in codes if c in watch.payment_at)
        got = sum(1 for c in codes if c in watch.payment_at)
        by: dict[str, int] = {}
        for c in codes:
            b = watch.payment_by.get(c)
            if b:
                by[b] = by.get(b, 0) + 1
        printed = [line["order_code"] for _, line in watch.lines if line.get("event") == "payment"]
        dupes = len(printed) - len(set(printed))
        print(f"burst of {n} webhooks from {senders} threads: {'drained' if ok else 'NOT drained'}, "
              f"{got}/{n} printed, {dupes} duplicates; the sandbox accepted them in {t_sent - t0:.2f} s "
              f"({n / (t_sent - t0):.0f}/s); last line {t_done - t0:.2f} s after the first webhook "
              f"({t_done - t_sent:.2f} s after the last); sources {by}; peak RSS of watch "
              f"{watch.peak_rss_mb():.0f} MB (before the burst {rss_before:.0f} MB)")
        return {"drain_s": t_done - t0, "lag_s": t_done - t_sent, "rss_mb": watch.peak_rss_mb()}
    finally:
        watch.close()
        sandbox.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=["latency", "lost-webhook", "stream-down", "burst", "all"])
    parser.add_argument("--payments", type=int, default=None)
    parser.add_argument("--gap", type=float, default=0.02, help="seconds between latency samples")
    parser.add_argument("--verify-interval", type=float, default=60.0)
    parser.add_argument("--poll-interval", type=float, default=15.0)
    parser.add_argument("--samples", type=int, default=3)
    args = parser.parse_args()
    print(f"# {platform.node()} — Python {platform.python_version()}, {platform.machine()}, "
          f"{time.strftime('%Y-%m-%d %H:%M:%S')}")
    if args.which in ("latency", "all"):
        bench_latency(args.payments or 500, args.gap)
    if args.which in ("lost-webhook", "all"):
        bench_lost_webhook(args.verify_interval, args.samples)
    if args.which in ("stream-down", "all"):
        bench_stream_down(args.poll_interval, args.samples)
    if args.which in ("burst", "all"):
        bench_burst(args.payments or 2000)


if __name__ == "__main__":
    main()
