"""The notification rules (ui/notify_policy.py) with an injected clock: no Qt, no waiting."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from zavera_desktop.domain import ConnectionState, ConnectionStatus, DetectedBy, Payment
from zavera_desktop.ui.notify_policy import (
    FLOOD_LIMIT,
    LIMIT,
    WINDOW,
    Alert,
    AlertKind,
    NotifyPolicy,
    NotifySettings,
    in_quiet_hours,
    next_local,
    pause_for_an_hour,
    pause_until_tomorrow,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
# 10:00 in Jakarta (UTC+7): far from the quiet hours the tests set
T0 = datetime(2026, 1, 22, 3, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> datetime:
        self.now += timedelta(**kw)
        return self.now

    def set_local(self, hh: int, mm: int, day_offset: int = 0) -> None:
        local = T0.astimezone(JAKARTA)
        self.now = datetime.combine(local.date() + timedelta(days=day_offset), time(hh, mm), tzinfo=JAKARTA)


_seq = iter(range(1, 1_000_000))


def pay(amount: int | None = 717_000, code: str | None = None, method: str = "bca_va",
        customer: str | None = "Budi Santoso") -> Payment:
    n = next(_seq)
    return Payment(order_code=code or f"ZVR-20260122-{n:08X}", amount=amount, payment_method=method,
                   customer=customer, order_status="PAID", paid_at=T0, detected_at=T0,
                   detected_by=DetectedBy.STREAM)


def status(state: ConnectionState, since: datetime | None = None) -> ConnectionStatus:
    return ConnectionStatus(state=state, since=since)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def policy(clock: Clock, **settings: object) -> NotifyPolicy:
    return NotifyPolicy(NotifySettings(**settings), clock=clock, tz=JAKARTA)  # type: ignore[arg-type]


def shown_codes(alerts: list[Alert]) -> Counter[str]:
    return Counter(code for a in alerts for code in a.codes)


# --- single payments and summaries ------------------------------------------------------------------


def test_one_payment_is_one_notification_at_once(clock):
    p = policy(clock)
    one = pay()
    alerts = p.payments_arrived([one])
    assert alerts == [Alert(AlertKind.PAYMENT, (one,))]
    assert alerts[0].codes == (one.order_code,)


def test_an_empty_batch_never_notifies(clock):
    p = policy(clock)
    assert p.payments_arrived([]) == []
    assert p.next_wakeup() is None
    clock.advance(seconds=60)
    assert p.tick() == []


def test_a_batch_of_three_is_three_notifications_and_of_four_one_summary(clock):
    p = policy(clock)
    three = [pay() for _ in range(3)]
    assert [a.kind for a in p.payments_arrived(three)] == [AlertKind.PAYMENT] * 3
    clock.advance(seconds=10)
    four = [pay(amount=a) for a in (100_000, 200_000, 300_000, 400_000)]
    alerts = p.payments_arrived(four)
    assert len(alerts) == 1 and alerts[0].kind is AlertKind.SUMMARY
    assert alerts[0].codes == tuple(x.order_code for x in four)
    assert alerts[0].total == 1_000_000


def test_a_burst_of_ten_in_one_batch_is_exactly_one_summary(clock):
    p = policy(clock)
    burst = [pay() for _ in range(10)]
    alerts = p.payments_arrived(burst)
    clock.advance(seconds=30)
    alerts += p.tick()
    assert [a.kind for a in alerts] == [AlertKind.SUMMARY]
    assert shown_codes(alerts) == Counter(x.order_code for x in burst)


def test_ten_one_by_one_within_five_seconds_three_at_once_then_one_summary(clock):
    p = policy(clock)
    burst = [pay() for _ in range(10)]
    immediate = []
    for x in burst:
        immediate += p.payments_arrived([x])
        clock.advance(seconds=0.3)
    assert [a.codes for a in immediate] == [(x.order_code,) for x in burst[:LIMIT]]
    assert p.held == 7
    assert p.next_wakeup() == T0 + WINDOW
    clock.now = T0 + WINDOW
    later = p.tick()
    assert len(later) == 1 and later[0].kind is AlertKind.SUMMARY
    assert later[0].codes == tuple(x.order_code for x in burst[LIMIT:])
    everything = immediate + later
    assert shown_codes(everything) == Counter(x.order_code for x in burst)  # each exactly once
    assert sum(a.kind is AlertKind.SUMMARY for a in everything) == 1


def test_a_single_held_payment_gets_its_own_notification(clock):
    p = policy(clock)
    first = [pay() for _ in range(LIMIT)]
    p.payments_arrived(first)
    late = pay()
    clock.advance(seconds=1)
    assert p.payments_arrived([late]) == []
    clock.now = T0 + WINDOW
    assert p.tick() == [Alert(AlertKind.PAYMENT, (late,))]


def test_a_sustained_burst_gives_one_summary_per_window_and_loses_nothing(clock):
    p = policy(clock)
    sent: list[tuple[datetime, Alert]] = []
    payments = []
    end = T0 + timedelta(seconds=30)
    # one payment every 0.5 s for 30 s, ticking whenever the policy asks for it
    while clock.now < end:
        wake = p.next_wakeup()
        nxt = clock.now + timedelta(seconds=0.5)
        if wake is not None and wake < nxt:
            clock.now = wake
            sent += [(clock.now, a) for a in p.tick()]
            continue
        clock.now = nxt
        x = pay()
        payments.append(x)
        sent += [(clock.now, a) for a in p.payments_arrived([x])]
    while (wake := p.next_wakeup()) is not None:  # the burst winds down
        clock.now = wake
        sent += [(clock.now, a) for a in p.tick()]
    assert shown_codes([a for _, a in sent]) == Counter(x.order_code for x in payments)
    # three at once in the first window, then one popup per window
    assert len(sent) <= LIMIT + 30 / WINDOW.total_seconds() + 1
    times = [t for t, _ in sent[LIMIT:]]
    assert all(b - a >= WINDOW for a, b in pairwise(times))
    # after the burst, a calm payment is shown at once again
    clock.advance(seconds=1)
    calm = pay()
    assert p.payments_arrived([calm]) == [Alert(AlertKind.PAYMENT, (calm,))]


def test_a_late_timer_loses_nothing_and_keeps_the_order(clock):
    p = policy(clock)
    burst = [pay() for _ in range(LIMIT + 2)]
    for x in burst:
        p.payments_arrived([x])
    clock.advance(seconds=100)  # the timer never fired (machine asleep)
    after = pay()
    alerts = p.payments_arrived([after])
    assert [a.kind for a in alerts] == [AlertKind.SUMMARY, AlertKind.PAYMENT]
    assert alerts[0].codes == tuple(x.order_code for x in burst[LIMIT:])
    assert alerts[1].codes == (after.order_code,)  # the calm is over: shown at once


def test_a_payment_delivered_twice_is_shown_once(clock):
    p = policy(clock)
    x = pay()
    assert len(p.payments_arrived([x])) == 1
    clock.advance(seconds=10)
    assert p.payments_arrived([x]) == []
    assert p.payments_arrived([x, x]) == []


def test_big_batch_when_the_window_is_full_waits_for_the_summary(clock):
    p = policy(clock)
    p.payments_arrived([pay() for _ in range(LIMIT)])
    burst = [pay() for _ in range(5)]
    clock.advance(seconds=1)
    assert p.payments_arrived(burst) == []
    clock.now = T0 + WINDOW
    alerts = p.tick()
    assert len(alerts) == 1 and alerts[0].codes == tuple(x.order_code for x in burst)


def test_burst_summary_off_shows_each_payment_but_a_flood_is_summarised(clock):
    p = policy(clock, burst_summary=False)
    five = [pay() for _ in range(5)]
    assert [a.codes for a in p.payments_arrived(five)] == [(x.order_code,) for x in five]
    flood = [pay() for _ in range(FLOOD_LIMIT + 1)]
    alerts = p.payments_arrived(flood)
    assert len(alerts) == 1 and alerts[0].kind is AlertKind.SUMMARY and len(alerts[0].codes) == FLOOD_LIMIT + 1


def test_total_leaves_out_unknown_amounts(clock):
    p = policy(clock)
    alerts = p.payments_arrived([pay(amount=None), pay(amount=1_000), pay(amount=None), pay(amount=2_500)])
    assert alerts[0].total == 3_500
    assert Alert(AlertKind.SUMMARY, (pay(amount=None), pay(amount=None))).total is None


# --- the gate: disabled, quiet hours, pause ---------------------------------------------------------


def test_disabled_shows_nothing(clock):
    p = policy(clock, enabled=False)
    assert p.payments_arrived([pay() for _ in range(5)]) == []
    assert p.connection_changed(status(ConnectionState.OFFLINE)) == []
    clock.advance(minutes=10)
    assert p.tick() == []
    assert p.next_wakeup() is None


@pytest.mark.parametrize(("hh", "mm", "day", "quiet"), [
    (21, 59, 0, False), (22, 0, 0, True), (23, 30, 0, True), (0, 0, 1, True), (6, 59, 1, True),
    (7, 0, 1, False), (12, 0, 1, False),
])
def test_quiet_hours_across_midnight(clock, hh, mm, day, quiet):
    p = policy(clock, quiet_start=time(22, 0), quiet_end=time(7, 0))
    clock.set_local(hh, mm, day)
    alerts = p.payments_arrived([pay()])
    assert (alerts == []) is quiet


def test_quiet_hours_rules():
    assert in_quiet_hours(time(13, 0), time(12, 0), time(14, 0))
    assert not in_quiet_hours(time(14, 0), time(12, 0), time(14, 0))
    assert not in_quiet_hours(time(3, 0), time(5, 0), time(5, 0))  # equal: no quiet hours
    assert not in_quiet_hours(time(3, 0), None, time(5, 0))


def test_a_payment_in_quiet_hours_is_not_shown_later(clock):
    p = policy(clock, quiet_start=time(22, 0), quiet_end=time(7, 0))
    clock.set_local(23, 0)
    assert p.payments_arrived([pay()]) == []
    clock.set_local(7, 30, 1)
    assert p.tick() == []


def test_pause_until_a_time(clock):
    p = policy(clock)
    p.pause_until(pause_for_an_hour(clock.now))
    assert p.paused_until == T0 + timedelta(hours=1)
    assert p.payments_arrived([pay()]) == []
    clock.advance(minutes=59)
    assert p.payments_arrived([pay()]) == []
    clock.advance(minutes=1)
    assert p.paused_until is None
    x = pay()
    assert p.payments_arrived([x]) == [Alert(AlertKind.PAYMENT, (x,))]


def test_resume_ends_the_pause(clock):
    p = policy(clock)
    p.pause_until(T0 + timedelta(days=1))
    p.pause_until(None)
    assert p.paused_until is None and len(p.payments_arrived([pay()])) == 1


def test_held_payments_are_dropped_when_the_pause_starts_before_their_summary(clock):
    p = policy(clock)
    p.payments_arrived([pay() for _ in range(LIMIT + 2)])
    clock.advance(seconds=1)
    p.pause_until(T0 + timedelta(hours=1))
    clock.now = T0 + WINDOW
    assert p.tick() == []
    assert p.next_wakeup() is None


def test_pause_until_tomorrow_is_tomorrow_morning_local():
    late_evening = datetime(2026, 1, 22, 23, 30, tzinfo=JAKARTA)
    assert pause_until_tomorrow(late_evening, JAKARTA) == datetime(2026, 1, 23, 8, 0, tzinfo=JAKARTA)
    assert next_local(late_evening, time(7, 0), JAKARTA) == datetime(2026, 1, 23, 7, 0, tzinfo=JAKARTA)
    assert next_local(late_evening, time(23, 45), JAKARTA) == datetime(2026, 1, 22, 23, 45, tzinfo=JAKARTA)


# --- the connection alert and the all-clear ---------------------------------------------------------


def test_connection_alert_after_n_minutes_and_all_clear(clock):
    p = policy(clock, connection_alert_minutes=2)
    assert p.connection_changed(status(ConnectionState.LIVE)) == []
    assert p.connection_changed(status(ConnectionState.RECONNECTING)) == []
    assert p.next_wakeup() == T0 + timedelta(minutes=2)
    clock.advance(seconds=60)
    assert p.connection_changed(status(ConnectionState.OFFLINE)) == []  # still the same outage
    clock.advance(seconds=59)
    assert p.tick() == []
    clock.advance(seconds=1)
    alerts = p.tick()
    assert [a.kind for a in alerts] == [AlertKind.CONNECTION_LOST]
    assert alerts[0].down_since == T0 and alerts[0].status.state is ConnectionState.OFFLINE
    clock.advance(minutes=10)
    assert p.tick() == [] and p.next_wakeup() is None  # once per outage
    back = p.connection_changed(status(ConnectionState.LIVE))
    assert [a.kind for a in back] == [AlertKind.CONNECTION_BACK]
    assert p.connection_changed(status(ConnectionState.LIVE)) == []


def test_no_all_clear_without_an_alert(clock):
    p = policy(clock)
    p.connection_changed(status(ConnectionState.RECONNECTING))
    clock.advance(seconds=90)
    assert p.connection_changed(status(ConnectionState.LIVE)) == []
    clock.advance(minutes=5)
    assert p.tick() == [] and p.next_wakeup() is None


def test_down_counts_from_the_status_since(clock):
    p = policy(clock, connection_alert_minutes=2)
    alerts = p.connection_changed(status(ConnectionState.CONNECTING, since=T0 - timedelta(minutes=3)))
    assert [a.kind for a in alerts] == [AlertKind.CONNECTION_LOST]


def test_stopped_cancels_the_alert(clock):
    p = policy(clock)
    p.connection_changed(status(ConnectionState.OFFLINE))
    clock.advance(minutes=1)
    p.connection_changed(status(ConnectionState.STOPPED))
    clock.advance(minutes=5)
    assert p.tick() == [] and p.next_wakeup() is None


def test_connection_alert_off(clock):
    p = policy(clock, connection_alert_minutes=0)
    p.connection_changed(status(ConnectionState.OFFLINE))
    clock.advance(hours=1)
    assert p.tick() == [] and p.next_wakeup() is None


def test_connection_alert_waits_for_the_end_of_quiet_hours(clock):
    p = policy(clock, quiet_start=time(22, 0), quiet_end=time(7, 0), connection_alert_minutes=2)
    clock.set_local(23, 0)
    p.connection_changed(status(ConnectionState.OFFLINE))
    clock.set_local(23, 5)
    assert p.tick() == []
    assert p.next_wakeup() == datetime.combine(clock.now.date() + timedelta(days=1), time(7, 0), tzinfo=JAKARTA)
    clock.set_local(7, 0, 1)
    assert [a.kind for a in p.tick()] == [AlertKind.CONNECTION_LOST]


def test_connection_alert_waits_for_the_end_of_a_pause(clock):
    p = policy(clock)
    p.pause_until(T0 + timedelta(minutes=30))
    p.connection_changed(status(ConnectionState.AUTH_REQUIRED))
    assert p.next_wakeup() == T0 + timedelta(minutes=30)
    clock.advance(minutes=30)
    assert [a.kind for a in p.tick()] == [AlertKind.CONNECTION_LOST]
