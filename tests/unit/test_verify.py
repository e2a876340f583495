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
