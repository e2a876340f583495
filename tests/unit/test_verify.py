"""Verify's schedule: thinning checks as a checkout ages, and the 5 s spacing (contract §4.1)."""

from datetime import UTC, datetime, timedelta

import pytest

from zavera_desktop.backend.verify import CheckLimiter, VerifyTarget, check_interval, due

NOW = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(minutes=3), 60.0),
        (timedelta(minutes=29), 60.0),
        (timedelta(minutes=31), 300.0),
        (timedelta(hours=2, minutes=59), 300.0),
        (timedelta(hours=3, minutes=1), 900.0),
        (timedelta(hours=23, minutes=59), 900.0),
        (timedelta(hours=24, minutes=1), None),
        (timedelta(seconds=-30), 60.0),  # a clock a little ahead of the server's
    ],
)
def test_check_interval_thins_out_with_age(age, expected):
    assert check_interval(age, 60.0) == expected


def target(age, last=None):
    return VerifyTarget("ZVR-1", 41, NOW - age, None if last is None else NOW - last)


def test_due_rules():
    assert due(target(timedelta(minutes=5)), now=NOW, verify_interval=60)
    assert not due(target(timedelta(minutes=5), last=timedelta(seconds=20)), now=NOW, verify_interval=60)
    assert due(target(timedelta(minutes=5), last=timedelta(seconds=60)), now=NOW, verify_interval=60)
    assert not due(target(timedelta(hours=1), last=timedelta(minutes=2)), now=NOW, verify_interval=60)
    assert due(target(timedelta(hours=1), last=timedelta(minutes=5)), now=NOW, verify_interval=60)
    assert not due(target(timedelta(hours=25)), now=NOW, verify_interval=60)


def test_checks_per_day_for_an_abandoned_checkout():
    # Simulate 24 h of rounds every 60 s: ~30 + 30 + 84 checks, not 1,440.
    t0 = NOW
    last = None
    count = 0
    for minute in range(0, 24 * 60 + 5):
        now = t0 + timedelta(minutes=minute)
        tgt = VerifyTarget("Z", 1, t0, last)
        if due(tgt, now=now, verify_interval=60):
            count += 1
            last = now
    assert 130 <= count <= 160


def test_limiter_spacing():
    clock = [100.0]
    lim = CheckLimiter(spacing=5.0, clock=lambda: clock[0])
    assert lim.wait_for(41) == 0
    lim.note(41)
    clock[0] += 2
    assert lim.wait_for(41) == pytest.approx(3.0)
    assert lim.wait_for(42) == 0
    clock[0] += 3
    assert lim.wait_for(41) == 0


# --- fair scheduling (issue 9) ------------------------------------------------------------------------

import random  # noqa: E402

from zavera_desktop.backend.verify import (  # noqa: E402
    REPLAN_AFTER,
    CheckBudget,
    due_at,
    next_due,
    plan,
)


def test_the_longest_overdue_goes_first_and_a_newcomer_queues_behind():
    old = VerifyTarget("OLD", 1, NOW - timedelta(hours=2), NOW - timedelta(minutes=6))  # due 1 min ago
    young = VerifyTarget("YOUNG", 2, NOW - timedelta(minutes=3), NOW - timedelta(seconds=61))  # due 1 s ago
    newcomer = VerifyTarget("NEW", 3, NOW - timedelta(seconds=125), None)  # joined 5 s ago (verify_after 120)
    queue = plan([young, newcomer, old], now=NOW, verify_interval=60, verify_after=120)
    assert [t.order_code for t in queue] == ["OLD", "NEW", "YOUNG"]


def test_held_targets_wait_and_next_due_reports_the_earliest():
    t = VerifyTarget("A", 1, NOW - timedelta(minutes=5), None)
    assert plan([t], now=NOW, verify_interval=60, not_before={"A": NOW + timedelta(seconds=3)}) == []
    assert next_due([t], now=NOW, verify_interval=60, not_before={"A": NOW + timedelta(seconds=3)}) \
        == NOW + timedelta(seconds=3)
    assert plan([VerifyTarget("X", 1, NOW - timedelta(hours=30), None)], now=NOW, verify_interval=60) == []


def test_budget_paces_calls_and_backs_off_on_overload():
    clock = [0.0]
    budget = CheckBudget(2.0, clock=lambda: clock[0])
    assert budget.delay() == 0
    budget.take()
    assert budget.delay() == pytest.approx(0.5)
    clock[0] += 0.5
    budget.take()
    budget.overloaded(retry_after=3.0)
    assert budget.rate == 1.0
    assert budget.delay() == pytest.approx(3.0)  # Retry-After honoured
    for _ in range(10):
        budget.overloaded()
    assert budget.rate == pytest.approx(2.0 / 16)  # never below a sixteenth
    for _ in range(20):
        budget.succeeded()
    assert budget.rate == 2.0  # additive increase back to the full rate, never above


def _simulate(rng: random.Random):
    """Drive the real schedule (plan + CheckBudget) with a fake clock, as the engine's loop does:
    pick the head of the plan, wait for a token, check it (instant), repeat; checkouts keep arriving.
    Returns (rate, verify_interval, events) where each event is (target, due, checked_at, set_size)."""
    interval = rng.choice([10.0, 30.0, 60.0])
    verify_after = rng.choice([0.0, 60.0, 120.0])
    rate = rng.choice([0.2, 0.5, 1.0, 2.0])
    clock = [0.0]
    t0 = NOW
    budget = CheckBudget(rate, clock=lambda: clock[0])
    targets: dict[str, VerifyTarget] = {}
    for i in range(rng.randint(5, 120)):  # what is pending when the app starts: any age up to a day
        age = timedelta(seconds=rng.uniform(0, 24 * 3600))
        targets[f"S{i}"] = VerifyTarget(f"S{i}", i, t0 - age, None)
    arrivals = sorted(rng.uniform(0, 1200) for _ in range(rng.randint(0, 150)))
    events = []
    horizon = 1800.0
    while clock[0] < horizon:
        now = t0 + timedelta(seconds=clock[0])
        while arrivals and arrivals[0] <= clock[0]:
            a = arrivals.pop(0)
            code = f"A{len(targets)}"
            targets[code] = VerifyTarget(code, len(targets), t0 + timedelta(seconds=a), None)
        live = {c: t for c, t in targets.items()
                if t.created_at is not None and now - t.created_at >= timedelta(seconds=verify_after)}
        queue = plan(live.values(), now=now, verify_interval=interval, verify_after=verify_after)
        if not queue:
            nxt = next_due(live.values(), now=now, verify_interval=interval, verify_after=verify_after)
            # the engine sleeps until the next due time, re-reading the set at least every REPLAN_AFTER
            step = REPLAN_AFTER if nxt is None else min(REPLAN_AFTER, max(0.01, (nxt - now).total_seconds()))
            clock[0] += step
            continue
        head = queue[0]
        due = due_at(head, now=now, verify_interval=interval, verify_after=verify_after)
        clock[0] += budget.delay()
        budget.take()
        checked = t0 + timedelta(seconds=clock[0])
        # a payment pending before the app started is due, at the earliest, when the app starts
        events.append((head, max(due, t0), checked, len(live)))
        targets[head.order_code] = VerifyTarget(head.order_code, head.payment_id, head.created_at, checked)
    return rate, interval, events


@pytest.mark.parametrize("seed", range(10))
def test_property_no_due_payment_waits_longer_than_n_over_r(seed):
    rate, verify_interval, events = _simulate(random.Random(seed))
    assert events, "the simulation checked nothing"
    biggest_set = max(size for *_, size in events)
    last_check: dict[str, datetime] = {}
    for target, due_time, checked, _size in events:
        # the guarantee in backend/verify.py: a due payment is checked within N / R (+ one token)
        waited = (checked - due_time).total_seconds()
        bound = biggest_set / rate + 1 / rate + REPLAN_AFTER
        assert waited <= bound + 1e-6, (target.order_code, waited, biggest_set, rate)
        # age-thinning holds: never checked more often than its interval at that age
        prev = last_check.get(target.order_code)
        if prev is not None:
            interval = check_interval(checked - target.created_at, verify_interval)
            assert interval is not None and (checked - prev).total_seconds() >= interval - 1e-6
        last_check[target.order_code] = checked
