"""Lost webhook → detected, versus the number of abandoned checkouts pending (issue 9).

For each count of pending checkouts (default 10, 100, 1,000) and each mode — `/core/check` only
(the default) and with the direct Midtrans look-up (a server key configured) — a fresh sandbox gets
that many abandoned checkouts (ages 3 min to 3 h, so all are in the verify set), `watch --json`
starts with **default settings** (verify interval 60 s, verify-after 120 s, 1 check/s, 10 Midtrans
look-ups/s), and as soon as it is live a customer checks out and pays with the webhook lost. The
figure is the time from the payment to the `watch` line — measured at the worst moment: right after
start-up, when every pending checkout is due at once. Also printed: the `/core/check` rate the
backend received (the maximum in any 1 s window and the mean) and the direct look-ups Midtrans saw.

    .venv/bin/python -m bench.verify_bench [--counts 10 100 1000] [--modes check direct] [--samples 1]

Prints figures; never passes or fails.
"""

from __future__ import annotations

import argparse
import os
import time

from bench.harness import Sandbox, Watch


def max_per_window(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def run_one(pending: int, mode: str, samples: int) -> None:
    sandbox = Sandbox(keepalive=30.0)
    extra: list[str] = []
    if mode == "direct":
        os.environ["ZB_SK"] = sandbox.creds["server_key"]  # the watch process inherits it
        extra = ["--midtrans-url", sandbox.url + "/midtrans", "--server-key-env", "ZB_SK"]
    try:
        sandbox.post("/sandbox/orders/bulk", {"count": pending, "age_seconds": 180, "spread_seconds": 3 * 3600,
                                              "method": "mixed"})
        started = time.time()
        watch = Watch(sandbox, *extra)
        try:
            if not watch.wait(lambda: "live" in watch.states(), 60):
                print(f"{pending:>5} pending, {mode:<6}: watch never went live")
                return
            times = []
            for _ in range(samples):
                o = sandbox.create_order()
                t0 = time.perf_counter()
                sandbox.pay(o["order_code"], webhook="drop")
                bound = pending / 1.0 + 60 + 120 + 60  # N / R + interval + verify-after + slack
                if watch.wait(lambda c=o["order_code"]: c in watch.payment_at, bound + 120):
                    times.append(watch.payment_at[o["order_code"]] - t0)
                    by = watch.payment_by[o["order_code"]]
                else:
                    by = "NOT FOUND"
                print(f"  {pending:>5} pending, {mode:<6}: detected after "
                      f"{times[-1] if times and by != 'NOT FOUND' else float('nan'):.1f} s by {by}", flush=True)
            elapsed = time.time() - started
            calls = [c["at"] for c in sandbox.http.get("/sandbox/core-checks").json()]
            state = sandbox.http.get("/sandbox/state").json()
            external = state.get("midtrans", {}).get("status_requests_by_caller", {}).get("external", 0)
            print(f"{pending:>5} pending, {mode:<6}: detected {', '.join(f'{t:.1f} s' for t in times)}; backend saw "
                  f"{len(calls)} /core/check calls in {elapsed:.0f} s (mean {len(calls) / elapsed:.2f}/s, "
                  f"max {max_per_window(calls)} in any 1 s); direct Midtrans look-ups {external}", flush=True)
        finally:
            watch.close()
    finally:
        sandbox.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--modes", nargs="+", choices=["check", "direct"], default=["check", "direct"])
    parser.add_argument("--samples", type=int, default=1)
    args = parser.parse_args()
    for pending in args.counts:
        for mode in args.modes:
            run_one(pending, mode, args.samples)


if __name__ == "__main__":
    main()
