"""When to tell the admin about payments and the connection, and in what form: plain Python, no Qt.

The policy decides; ``ui/notifier.py`` shows (tray, plyer, banner), plays the sound and keeps one
timer. Inputs are the batches' new payments, connection states and the time from an injected clock;
outputs are ``Alert``s to show now and ``next_wakeup()``, the time at which ``tick()`` wants to be
called again (None: no timer needed). Every method first catches up with the clock, so a late timer
never loses or reorders anything.

The gate: a popup is allowed when notifications are enabled, not paused (``pause_until`` in the
future) and not in quiet hours. Quiet hours are ``[quiet_start, quiet_end)`` in local wall-clock
time; ``quiet_start > quiet_end`` wraps midnight (22:00–07:00); equal or unset times mean none. A
payment that arrives while the gate is closed is not shown later, nor is a summary that falls due
while it is closed: the payments are in the table and the unread count. The sound goes with the
popups, so it follows the gate too.

The burst rule (``burst_summary`` on), with LIMIT = 3 popups per WINDOW = 5 s:

1. A window opens with the first popup shown while none is open and closes WINDOW later.
2. A window has LIMIT slots; a popup takes one. In a batch of at most LIMIT payments each payment
   takes a free slot and shows at once; those that find none are held. A batch of more than LIMIT
   payments is one summary, shown at once if a slot is free, else its payments are held.
3. When a window closes, its held payments become one summary (a single held payment: its own
   notification). That popup opens the next window with no free slot (the burst is still going):
   everything arriving in it is held for the next summary. A window that closes with nothing held
   ends the burst; the next payment opens a fresh window and shows at once.

What that guarantees (tests/unit/test_notify_policy.py):

* Every payment that passes the gate is shown exactly once: in its own notification or in exactly
  one summary. Payments are also remembered by order code, so one delivered twice never shows twice.
* The first payment after a calm is shown at once; the policy never delays it.
* A window shows at most LIMIT popups; while a burst lasts, at most one summary per WINDOW follows.
  A held payment waits at most WINDOW.
* A batch of 10 → exactly one summary. Ten arriving one by one within 5 s → three notifications at
  once, then one summary of the other seven when the window closes.

With ``burst_summary`` off every payment is shown on its own, except that a batch of more than
FLOOD_LIMIT payments (a catch-up after a long outage) is still one summary: a hundred popups help
nobody.

The connection alert: the connection is *down* from the first state that is not live (connecting,
reconnecting, offline, auth_required, forbidden), counted from that status's ``since`` when it has
one. After ``connection_alert_minutes`` down the alert is shown once (if the gate is closed then, as
soon as it opens, if still down). When live comes back after an alert was shown, the all-clear
follows (gate permitting). ``stopped`` is not down: the app stopped the engine on purpose; it
cancels a pending alert and needs no all-clear.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo

from zavera_desktop.domain import ConnectionState, ConnectionStatus, Payment

#: Popups per window before the rest of the window is folded into one summary.
LIMIT = 3
#: The burst window.
WINDOW = timedelta(seconds=5)
#: With burst summaries off, a batch larger than this is still one summary.
FLOOD_LIMIT = 10
#: Order codes remembered against double announcement (far more than any burst).
_REMEMBER = 10_000


@dataclass(frozen=True, slots=True)
class NotifySettings:
    """The admin's notification choices (saved by ``ui/settings.py``)."""

    enabled: bool = True
    sound: bool = True
    quiet_start: time | None = None
    quiet_end: time | None = None
    burst_summary: bool = True
    #: minutes without a live connection before the alert; 0 or less: no alert
    connection_alert_minutes: int = 2


class AlertKind(enum.StrEnum):
    PAYMENT = "payment"
    SUMMARY = "summary"
    CONNECTION_LOST = "connection_lost"
    CONNECTION_BACK = "connection_back"


@dataclass(frozen=True, slots=True)
class Alert:
    """One popup to show now."""

    kind: AlertKind
    payments: tuple[Payment, ...] = ()
    #: CONNECTION_LOST: the latest status and since when the connection has been down
    status: ConnectionStatus | None = None
    down_since: datetime | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The order codes a click on this popup opens (none for the connection alerts)."""
        return tuple(p.order_code for p in self.payments)

    @property
    def total(self) -> int | None:
        """The sum of the known amounts (whole rupiah), None when no amount is known."""
        known = [p.amount for p in self.payments if p.amount is not None]
        return sum(known) if known else None


def utc_now() -> datetime:
    return datetime.now(UTC)


def in_quiet_hours(now_local: time, start: time | None, end: time | None) -> bool:
    """Whether the local wall-clock time ``now_local`` is in ``[start, end)`` (wrapping midnight)."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= now_local < end
    return now_local >= start or now_local < end


def next_local(now: datetime, at: time, tz: tzinfo | None = None) -> datetime:
    """The next time after ``now`` when the local clock (``tz``, default: the system's) shows ``at``."""
    local = now.astimezone(tz)
    candidate = datetime.combine(local.date(), at, tzinfo=local.tzinfo)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=local.tzinfo)
    return candidate


def pause_for_an_hour(now: datetime) -> datetime:
    return now + timedelta(hours=1)


def pause_until_tomorrow(now: datetime, tz: tzinfo | None = None, at: time = time(8, 0)) -> datetime:
    """Tomorrow morning (08:00 local): "until tomorrow" should not end at midnight, mid-sleep."""
    local = now.astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=1), at, tzinfo=local.tzinfo)


@dataclass(slots=True)
class _Window:
    ends: datetime
    used: int
    held: list[Payment] = field(default_factory=list)


class NotifyPolicy:
    """The rules above, driven by calls and an injected clock; returns what to show."""

    def __init__(self, settings: NotifySettings, clock: Callable[[], datetime] = utc_now,
                 tz: tzinfo | None = None, window: timedelta = WINDOW) -> None:
        self._settings = settings
        self._clock = clock
        self._tz = tz
        self._window_length = window
        self._window: _Window | None = None
        self._paused_until: datetime | None = None
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._status: ConnectionStatus | None = None
        self._down_since: datetime | None = None
        self._alert_shown = False

    # --- settings and pause ---------------------------------------------------------------------

    @property
    def settings(self) -> NotifySettings:
        return self._settings

    def set_settings(self, settings: NotifySettings) -> list[Alert]:
        self._settings = settings
        return self.tick()

    @property
    def paused_until(self) -> datetime | None:
        """The end of the pause, or None when not paused (a pause that has ended is None too)."""
        if self._paused_until is not None and self._paused_until <= self._clock():
            self._paused_until = None
        return self._paused_until

    def pause_until(self, until: datetime | None) -> list[Alert]:
        """Pause popups until ``until`` (aware); None resumes."""
        self._paused_until = until
        return self.tick()

    def gate_open(self, now: datetime | None = None) -> bool:
        """Whether a popup may be shown at ``now`` (enabled, not paused, not quiet)."""
        now = self._clock() if now is None else now
        s = self._settings
        if not s.enabled:
            return False
        if self._paused_until is not None and now < self._paused_until:
            return False
        return not in_quiet_hours(now.astimezone(self._tz).time(), s.quiet_start, s.quiet_end)

    def _gate_opens(self, now: datetime) -> datetime | None:
        """When the gate opens next (``now`` if open), or None if only the admin can open it."""
        s = self._settings
        if not s.enabled:
            return None
        when = now
        for _ in range(3):  # a pause that ends in quiet hours, quiet hours that end in a pause
            if self._paused_until is not None and when < self._paused_until:
                when = self._paused_until
            elif in_quiet_hours(when.astimezone(self._tz).time(), s.quiet_start, s.quiet_end):
                assert s.quiet_end is not None
                when = next_local(when, s.quiet_end, self._tz)
            else:
                return when
        return when

    # --- payments -------------------------------------------------------------------------------

    def payments_arrived(self, payments: Sequence[Payment]) -> list[Alert]:
        now = self._clock()
        out = self._advance(now)
        fresh = [p for p in payments if self._remember(p.order_code)]
        if not fresh or not self.gate_open(now):
            return out
        if not self._settings.burst_summary:
            if len(fresh) > FLOOD_LIMIT:
                out.append(self._summary(fresh))
            else:
                out.extend(Alert(AlertKind.PAYMENT, (p,)) for p in fresh)
            return out
        window = self._window
        if window is None:
            window = self._window = _Window(ends=now + self._window_length, used=0)
        if len(fresh) > LIMIT:
            if window.used < LIMIT:
                window.used += 1
                out.append(self._summary(fresh))
            else:
                window.held.extend(fresh)
            return out
        for p in fresh:
            if window.used < LIMIT:
                window.used += 1
                out.append(Alert(AlertKind.PAYMENT, (p,)))
            else:
                window.held.append(p)
        return out

    def _remember(self, code: str) -> bool:
        """True the first time an order code is seen."""
        if code in self._seen:
            return False
        self._seen[code] = None
        if len(self._seen) > _REMEMBER:
            self._seen.popitem(last=False)
        return True

    @staticmethod
    def _summary(payments: Sequence[Payment]) -> Alert:
        if len(payments) == 1:
            return Alert(AlertKind.PAYMENT, (payments[0],))
        return Alert(AlertKind.SUMMARY, tuple(payments))

    # --- connection -----------------------------------------------------------------------------

    def connection_changed(self, status: ConnectionStatus) -> list[Alert]:
        now = self._clock()
        out = self._advance(now)
        self._status = status
        if status.state is ConnectionState.LIVE:
            if self._alert_shown and self.gate_open(now):
                out.append(Alert(AlertKind.CONNECTION_BACK, status=status))
            self._down_since, self._alert_shown = None, False
        elif status.state is ConnectionState.STOPPED:
            self._down_since, self._alert_shown = None, False
        elif self._down_since is None:
            since = status.since if status.since is not None and status.since.tzinfo is not None else now
            self._down_since = min(since, now)
        out.extend(self._connection_due(now))
        return out

    def _alert_due(self) -> datetime | None:
        minutes = self._settings.connection_alert_minutes
        if self._down_since is None or self._alert_shown or minutes is None or minutes <= 0:
            return None
        return self._down_since + timedelta(minutes=minutes)

    def _connection_due(self, now: datetime) -> list[Alert]:
        due = self._alert_due()
        if due is None or now < due or not self.gate_open(now):
            return []
        self._alert_shown = True
        return [Alert(AlertKind.CONNECTION_LOST, status=self._status, down_since=self._down_since)]

    # --- time -----------------------------------------------------------------------------------

    def tick(self) -> list[Alert]:
        """Whatever has become due by now (window ends, the connection alert)."""
        now = self._clock()
        out = self._advance(now)
        out.extend(self._connection_due(now))
        return out

    def _advance(self, now: datetime) -> list[Alert]:
        out: list[Alert] = []
        while self._window is not None and now >= self._window.ends:
            closed = self._window
            self._window = None
            if closed.held and self.gate_open(now):
                out.append(self._summary(closed.held))
                # the burst goes on: the next window holds everything for its own summary
                self._window = _Window(ends=closed.ends + self._window_length, used=LIMIT)
        return out

    def next_wakeup(self) -> datetime | None:
        """When ``tick()`` should run next; None when nothing is pending."""
        times: list[datetime] = []
        if self._window is not None:
            times.append(self._window.ends)
        due = self._alert_due()
        if due is not None:
            opens = self._gate_opens(max(due, self._clock()))
            if opens is not None:
                times.append(opens)
        return min(times) if times else None

    @property
    def held(self) -> int:
        """How many payments wait for the current window's summary."""
        return len(self._window.held) if self._window is not None else 0
