"""The Health panel without a backend: stored alerts load off the UI thread, live ones are raised, replaced and
cleared into the history, the badge counts and colours them, each raised alert asks for one popup (through
the notifier's alert path: gated, never a payment), and the words are the UI language's, not the engine's.

A real store holds the alerts (``store/health.py``) and a real, never started ``Engine`` reads them; live
batches go through the real bridge."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtGui import QColor

from zavera_desktop.config import EngineSettings
from zavera_desktop.domain import ChangeBatch, DetectedBy, HealthAlert, HealthKind, Payment
from zavera_desktop.engine import Engine
from zavera_desktop.resources_path import resource_path
from zavera_desktop.store import Store
from zavera_desktop.store.health import AlertDraft, HealthStore
from zavera_desktop.ui import health_words
from zavera_desktop.ui.banner import NotificationBanner
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.health_panel import COL_WHAT, HealthBadge, HealthPanel
from zavera_desktop.ui.notifier import ALERT_CODE_PREFIX, Notifier, alert_id_of
from zavera_desktop.ui.notify_backends import BannerBackend
from zavera_desktop.ui.notify_policy import NotifySettings

BACKEND = "https://shop.example.test"
T0 = datetime(2026, 1, 22, 3, 0, tzinfo=UTC)
RED, ORANGE, AMBER, GREEN = "#c62828", "#e65100", "#f9a825", "#2e7d32"
WAIT_MS = 5000

ORPHAN = HealthKind.ORPHAN_SETTLEMENT
MISSING = HealthKind.WEBHOOKS_MISSING
STREAM = HealthKind.STREAM_UNRELIABLE


def orphan_draft(code: str = "ZVR-20260122-AAAA0001", status: str = "EXPIRED", amount: int = 717_000) -> AlertDraft:
    return AlertDraft(ORPHAN, "engine English detail", "engine English fix", order_code=code,
                      evidence={"midtrans_order_id": f"{code}-1769050000", "payment_status": status,
                                "can_confirm": status == "PENDING", "dashboard_url": "https://dashboard.midtrans.com"},
                      amount=amount, midtrans_status="settlement", order_status=status)


def missing_draft(orders: list[str]) -> AlertDraft:
    return AlertDraft(MISSING, "engine English detail", "engine English fix",
                      evidence={"orders": orders, "of_last": 10})


def stream_draft() -> AlertDraft:
    return AlertDraft(STREAM, "engine English detail", "engine English fix",
                      evidence={"down_seconds": 900, "window_seconds": 3600, "drops": 7, "typical_live_seconds": 60})


class Rig:
    """Store, engine (never started), bridge and a panel with its badge, as the window wires them."""

    def __init__(self, qtbot: Any, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.store = Store.open(tmp_path / "health.db")
        self.alerts = HealthStore(self.store)
        self.engine = Engine(EngineSettings(backend_url=BACKEND), self.store, token="not-used")
        self.bridge = EngineBridge()
        self.popups: list[tuple[int, str, str]] = []
        self.panel: HealthPanel | None = None
        self.badge: HealthBadge | None = None

    def make_panel(self, *, wait: bool = True) -> HealthPanel:
        self.panel = HealthPanel(self.engine, self.bridge, BACKEND_TZ, "ops@zavera.test", BACKEND)
        self.panel.notify_requested.connect(lambda i, t, b: self.popups.append((i, t, b)))
        self.badge = HealthBadge(self.panel)
        self.qtbot.addWidget(self.panel)
        self.qtbot.addWidget(self.badge)
        self.panel.resize(1100, 420)
        if wait:
            self.qtbot.waitUntil(lambda: not self.panel.is_loading, timeout=WAIT_MS)
        return self.panel

    def live(self, *alerts: HealthAlert) -> None:
        """As the engine hands them out: through the bridge, on to the GUI thread."""
        self.bridge.deliver(ChangeBatch(alerts=list(alerts)))
        self.bridge.flush()

    def raise_(self, draft: AlertDraft, at: datetime = T0) -> HealthAlert:
        alert = self.alerts.raise_alert(draft, at=at, once_per_order=draft.order_code is not None)
        assert alert is not None
        return alert

    def close(self) -> None:
        self.bridge.close()
        self.store.close()


BACKEND_TZ = EngineSettings(backend_url=BACKEND).zone


@pytest.fixture
def rig(qtbot, tmp_path) -> Iterator[Rig]:
    r = Rig(qtbot, tmp_path)
    yield r
    r.close()


def rows(panel: HealthPanel, section: int) -> list[str]:
    item = panel.tree.topLevelItem(section)
    return [item.child(i).text(COL_WHAT) for i in range(item.childCount())]


def section_title(panel: HealthPanel, section: int) -> str:
    return panel.tree.topLevelItem(section).text(COL_WHAT)


# --- start-up -----------------------------------------------------------------------------------------


def test_stored_alerts_load_into_open_and_history_without_a_popup(rig):
    stream = rig.raise_(stream_draft(), at=T0)
    orphan = rig.raise_(orphan_draft(), at=T0 + timedelta(minutes=5))
    old = rig.raise_(missing_draft(["ZVR-1", "ZVR-2", "ZVR-3"]), at=T0 - timedelta(hours=2))
    rig.alerts.clear_alert(old.id, reason="10 payments in a row arrived without having to ask Midtrans.",
                           at=T0 - timedelta(hours=1))
    panel = rig.make_panel()
    # the most serious first: money at stake before a flaky stream
    assert section_title(panel, 0) == "Open now (2)"
    assert rows(panel, 0) == ["Paid at Midtrans — not accepted by the shop", "The live connection keeps dropping"]
    assert section_title(panel, 1) == "History (1)"
    assert rows(panel, 1) == ["Midtrans' payment notifications do not arrive"]
    assert [a.id for a in panel.open_alerts()] == [orphan.id, stream.id]
    assert panel.tabs.tabText(0) == "Findings (2)"
    # the badge: two open, in the orphan's colour
    assert rig.badge.count == 2 and rig.badge.colour == RED
    assert rig.badge.text() == "2 health findings"
    assert "ZVR-20260122-AAAA0001" in rig.badge.toolTip()
    # stored alerts were announced in an earlier run: no popup now
    assert rig.popups == []


def test_the_orphan_row_has_its_own_state_in_words_and_colour(rig):
    rig.raise_(orphan_draft())
    panel = rig.make_panel()
    item = panel.tree.topLevelItem(0).child(0)
    assert item.text(COL_WHAT) == "Paid at Midtrans — not accepted by the shop"
    assert item.text(1) == "ZVR-20260122-AAAA0001" and item.text(2) == "Rp 717.000"
    assert item.foreground(COL_WHAT).color() == QColor(RED) and item.font(COL_WHAT).bold()
    # the first open alert is selected, and its detail is the orphan view
    assert panel.selected_alert is not None and panel.selected_alert.kind is ORPHAN
    view = panel.orphan_view
    assert view.state_text == "Paid at Midtrans — not accepted by the shop"
    assert view.value_text("midtrans_id") == "ZVR-20260122-AAAA0001-1769050000"
    assert "engine English" not in view.explanation_text + view.fix_text


def test_an_empty_store_says_nothing_is_wrong_and_the_badge_is_green(rig):
    panel = rig.make_panel()
    assert section_title(panel, 0) == "Open now: nothing — payments arrive as they should"
    assert rig.badge.count == 0 and rig.badge.colour == GREEN and rig.badge.text() == "Payment health OK"


def test_alerts_that_arrive_while_the_store_is_read_are_applied_after_it(rig, monkeypatch):
    stored = rig.raise_(stream_draft())
    gate = threading.Event()
    original = rig.engine.health_alerts

    def slow(**kw: Any) -> list[HealthAlert]:
        assert gate.wait(5)
        return original(**kw)

    monkeypatch.setattr(rig.engine, "health_alerts", slow)
    panel = rig.make_panel(wait=False)
    assert panel.is_loading
    # meanwhile: the stored finding clears, and an orphan is raised
    cleared = rig.alerts.clear_alert(stored.id, reason="The live connection held for the last hour.",
                                     at=T0 + timedelta(hours=1))
    orphan = rig.raise_(orphan_draft())
    rig.live(cleared, orphan)
    assert [p[0] for p in rig.popups] == [orphan.id]  # the popup does not wait for the list
    gate.set()
    rig.qtbot.waitUntil(lambda: not panel.is_loading, timeout=WAIT_MS)
    assert [a.id for a in panel.open_alerts()] == [orphan.id]
    assert [a.id for a in panel.history()] == [stored.id]
    assert rig.badge.count == 1


# --- live ---------------------------------------------------------------------------------------------


def test_raised_appears_and_asks_for_one_popup_updated_replaces_cleared_moves_to_history(rig):
    panel = rig.make_panel()
    finding = rig.raise_(missing_draft(["ZVR-A", "ZVR-B", "ZVR-C"]))
    rig.live(finding)
    assert rows(panel, 0) == ["Midtrans' payment notifications do not arrive"]
    assert rig.badge.count == 1 and rig.badge.colour == ORANGE
    (popup,) = rig.popups
    assert popup[0] == finding.id and popup[1] == "Midtrans' payment notifications do not arrive"
    assert "3 of the last 10 payments" in popup[2]
    view = panel.finding_view
    assert "3 of the last 10 payments" in view.texts["explanation"]
    assert f"{BACKEND}/api/webhook/midtrans/core" in view.texts["fix"]

    # more evidence: the same row, new words, no second popup
    updated = rig.alerts.update_alert(finding.id, at=T0, evidence={"orders": ["ZVR-A", "ZVR-B", "ZVR-C", "ZVR-D"],
                                                                   "of_last": 10})
    rig.live(updated)
    assert len(rows(panel, 0)) == 1 and len(rig.popups) == 1
    assert "4 of the last 10 payments" in view.texts["explanation"]
    assert "ZVR-D" in view.texts["orders"]

    cleared = rig.alerts.clear_alert(finding.id, reason="10 payments in a row arrived without having to ask "
                                                        "Midtrans.", at=T0 + timedelta(minutes=30))
    rig.live(cleared)
    assert section_title(panel, 0).startswith("Open now: nothing")
    assert rows(panel, 1) == ["Midtrans' payment notifications do not arrive"]
    assert rig.badge.count == 0 and rig.badge.colour == GREEN
    # still selected: now shown as history, with how it ended and no fix
    texts = view.texts
    assert "Payments arrive again without having to ask Midtrans." in texts["when"]
    assert not view._fix.isVisibleTo(view)
    assert len(rig.popups) == 1


def test_the_badge_takes_the_most_serious_open_kind(rig):
    rig.make_panel()
    stream = rig.raise_(stream_draft())
    rig.live(stream)
    assert rig.badge.colour == AMBER
    missing = rig.raise_(missing_draft(["ZVR-A"]))
    rig.live(missing)
    assert rig.badge.colour == ORANGE
    orphan = rig.raise_(orphan_draft())
    rig.live(orphan)
    assert rig.badge.colour == RED and rig.badge.count == 3
    rig.live(rig.alerts.clear_alert(orphan.id, reason="Dismissed by ops@zavera.test: refunded", at=T0))
    assert rig.badge.colour == ORANGE and rig.badge.count == 2


def test_order_links_select_the_order(rig, qtbot):
    panel = rig.make_panel()
    rig.live(rig.raise_(missing_draft(["ZVR-A", "ZVR-B"])))
    asked: list[str] = []
    panel.order_requested.connect(asked.append)
    panel.finding_view._orders.linkActivated.emit("ZVR-B")
    assert asked == ["ZVR-B"]


def test_older_history_comes_in_pages(rig, monkeypatch):
    monkeypatch.setattr("zavera_desktop.ui.health_panel.HISTORY_PAGE", 3)
    for i in range(7):
        alert = rig.raise_(missing_draft([f"ZVR-{i}"]), at=T0 + timedelta(minutes=i))
        rig.alerts.clear_alert(alert.id, reason="cleared", at=T0 + timedelta(minutes=i, seconds=30))
    panel = rig.make_panel()
    assert len(panel.history()) == 3 and panel._older.isVisibleTo(panel)
    panel.load_older()
    rig.qtbot.waitUntil(lambda: len(panel.history()) == 6, timeout=WAIT_MS)
    panel.load_older()
    rig.qtbot.waitUntil(lambda: len(panel.history()) == 7, timeout=WAIT_MS)
    assert not panel._older.isVisibleTo(panel)


def test_show_alert_opens_the_panel_on_that_alert(rig, qtbot):
    a = rig.raise_(stream_draft())
    b = rig.raise_(orphan_draft())
    panel = rig.make_panel()
    panel.hide()
    panel.tabs.setCurrentIndex(1)
    panel.show_alert(a.id)
    assert panel.isVisible() and panel.tabs.currentIndex() == 0
    assert panel.selected_alert.id == a.id
    panel.show_alert(b.id)
    assert panel.selected_alert.id == b.id


# --- words ----------------------------------------------------------------------------------------------


def alert(kind: HealthKind, **kw: Any) -> HealthAlert:
    return HealthAlert(id=kw.pop("id", 1), kind=kind, detail="engine detail", fix="engine fix", raised_at=T0, **kw)


def test_every_kind_has_its_own_words():
    kinds = {k: alert(k, evidence={"orders": ["ZVR-A"], "of_last": 10, "drops": 2, "window_seconds": 3600},
                      order_code="ZVR-A" if k is ORPHAN else None, amount=5000, order_status="EXPIRED",
                      midtrans_status="settlement")
             for k in HealthKind}
    for kind, a in kinds.items():
        assert health_words.title(kind) != kind.value
        assert health_words.explanation(a, BACKEND) not in ("", "engine detail")
        assert health_words.fix(a, BACKEND) not in ("", "engine fix")
        title, body = health_words.notification(a)
        assert title and body


def test_orphan_words_follow_what_the_backend_allows():
    pending = alert(ORPHAN, order_code="ZVR-P", amount=250_000, order_status="PENDING", midtrans_status="settlement",
                    evidence={"payment_status": "FAILED", "midtrans_order_id": "ZVR-P-1"})
    assert health_words.can_confirm(pending)
    assert "Rp 250.000" in health_words.explanation(pending, "") and "failed" in health_words.explanation(pending, "")
    assert "Confirm payment" in health_words.fix(pending, "") and "ZVR-P-1" in health_words.fix(pending, "")
    expired = alert(ORPHAN, order_code="ZVR-E", amount=99_000, order_status="CANCELLED", midtrans_status="capture",
                    evidence={"payment_status": "PENDING"})
    assert not health_words.can_confirm(expired)
    assert "cancelled order" in health_words.explanation(expired, "")
    fix = health_words.fix(expired, "")
    assert "Refund" in fix and "ZVR-E" in fix  # no Midtrans order id known: search for the order code
    _title, body = health_words.notification(expired)
    assert body.startswith("ZVR-E · Rp 99.000 · order cancelled") and "refund" in body


@pytest.mark.parametrize(("reason", "words"), [
    ("Dismissed by ops@zavera.test: refunded by phone", "Dismissed by ops@zavera.test: refunded by phone"),
    ("Dismissed by ops@zavera.test.", "Dismissed by ops@zavera.test."),
    ("Confirmed by ops@zavera.test: the order is now PAID.", "Confirmed by ops@zavera.test: the order is now paid."),
    ("Midtrans reports the payment refunded: the money went back to the customer.",
     "Midtrans reports the payment refunded: the money went back to the customer."),
    ("The shop now has this order as paid (PAID), found by verify.", "The shop now has this order as paid."),
    ("something new", "No longer open."),
])
def test_how_an_orphan_ended_in_words(reason, words):
    a = alert(ORPHAN, order_code="ZVR-A", cleared_at=T0, cleared_reason=reason)
    assert health_words.cleared_words(a) == words


def test_stream_words_name_the_proxy_timeout_when_it_looks_like_one():
    a = alert(STREAM, evidence={"down_seconds": 0, "window_seconds": 3600, "drops": 6, "typical_live_seconds": 60})
    assert "Connection drops in the last 1 h: 6." in health_words.explanation(a, BACKEND)
    assert health_words.fix(a, BACKEND).startswith("The connection was cut after about 60 s each time")


@pytest.fixture
def indonesian(qapp) -> Iterator[None]:
    translator = QTranslator()
    assert translator.load(str(resource_path("translations/zavera_id.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)


def test_indonesian_words_never_show_the_engines_english(indonesian):
    a = alert(ORPHAN, order_code="ZVR-A", amount=717_000, order_status="EXPIRED", midtrans_status="settlement",
              evidence={"payment_status": "EXPIRED", "midtrans_order_id": "ZVR-A-1"})
    assert health_words.title(ORPHAN) == "Dibayar di Midtrans — belum diterima toko"
    text = health_words.explanation(a, BACKEND) + health_words.fix(a, BACKEND)
    assert "Rp 717.000" in text and "ZVR-A-1" in text
    for english in ("Midtrans has", "the shop", "Refund the customer", "engine"):
        assert english not in text
    for kind in (MISSING, STREAM, HealthKind.WEBHOOK_MISROUTED):
        b = alert(kind, evidence={"orders": ["ZVR-A"], "of_last": 10, "drops": 2, "window_seconds": 3600})
        words = health_words.explanation(b, BACKEND) + health_words.fix(b, BACKEND) + health_words.title(kind)
        assert "the " not in words.lower(), words


# --- the notifier's alert path ------------------------------------------------------------------------


class CountingChime:
    def __init__(self) -> None:
        self.plays = 0

    def play(self) -> None:
        self.plays += 1


@pytest.fixture
def notifiers(qapp):
    made: list[Notifier] = []

    def make(*args: Any, **kwargs: Any) -> Notifier:
        kwargs.setdefault("chime", CountingChime())
        notifier = Notifier(*args, **kwargs)
        made.append(notifier)
        return notifier

    yield make
    for notifier in made:
        notifier.close()


def test_an_alert_is_one_notify_through_the_tray_and_never_counts_as_a_payment(make_tray, notifiers, notify_server):
    chime = CountingChime()
    notifier = notifiers(NotifySettings(sound=True), make_tray(), None, chime=chime)
    for i in range(4):  # more than a burst's worth of popups
        assert notifier.alert_raised(100 + i, "Paid at Midtrans — not accepted by the shop", f"ZVR-{i}")
    assert not notifier.alert_raised(100, "again", "again")  # one per alert
    records = notify_server.wait_for(4)
    assert [r["body"] for r in records] == ["ZVR-0", "ZVR-1", "ZVR-2", "ZVR-3"]
    assert chime.plays == 0  # the payment sound is for payments
    # no burst slot was taken: the next payment shows at once, on its own
    notifier.payments_arrived([Payment("ZVR-PAY", 5000, "qris", None, "PAID", T0, T0, DetectedBy.STREAM)])
    records = notify_server.wait_for(5)
    assert records[4]["summary"] == "Payment received" and chime.plays == 1
    assert len(notify_server.settle()) == 5


def test_pause_and_quiet_hours_hold_alert_popups_back(make_tray, notifiers, notify_server):
    from datetime import time

    notifier = notifiers(NotifySettings(sound=False), make_tray(), None)
    notifier.pause_until(datetime.now(UTC) + timedelta(hours=1))
    assert not notifier.alert_raised(1, "title", "paused")
    notifier.pause_until(None)
    now = datetime.now().time()
    quiet = NotifySettings(sound=False, quiet_start=time(0, 0), quiet_end=time(23, 59, 59)) if now < time(23, 59) \
        else NotifySettings(sound=False, enabled=False)
    notifier.set_settings(quiet)
    assert not notifier.alert_raised(2, "title", "quiet")
    notifier.set_settings(NotifySettings(sound=False))
    assert not notifier.alert_raised(1, "title", "not shown later either")
    assert notifier.alert_raised(3, "title", "shown")
    (record,) = notify_server.wait_for(1)
    assert record["body"] == "shown"
    assert len(notify_server.settle()) == 1


def test_a_click_on_an_alert_popup_opens_the_alert_not_an_order(qtbot, notifiers):
    banner = NotificationBanner()
    qtbot.addWidget(banner)
    notifier = notifiers(NotifySettings(sound=False), None, banner, backends=[BannerBackend(banner)])
    alerts: list[int] = []
    orders: list[Any] = []
    notifier.health_activated.connect(alerts.append)
    notifier.activated.connect(orders.append)
    notifier.alert_raised(42, "Payment notifications go to the wrong address", "body")
    assert banner._codes == (ALERT_CODE_PREFIX + "42",)
    banner.activated.emit(banner._codes)
    assert alerts == [42] and orders == []
    banner.activated.emit(("ZVR-A",))
    assert orders == [("ZVR-A",)]
    assert alert_id_of(("ZVR-A",)) is None and alert_id_of(("health-alert:x",)) is None


# --- in the window --------------------------------------------------------------------------------------


def test_the_window_has_the_badge_the_menu_entry_and_the_dock(qtbot, tmp_path):
    from zavera_desktop.ui.main_window import MainWindow
    from zavera_desktop.ui.settings import AppSettings

    store = Store.open(tmp_path / "w.db")
    HealthStore(store).raise_alert(orphan_draft(), at=T0, once_per_order=True)
    settings = AppSettings(tmp_path / "s.ini")
    settings.tray_hint_shown = True
    engine_settings = EngineSettings(backend_url=BACKEND)
    engine = Engine(engine_settings, store, token="not-used")
    bridge = EngineBridge()
    window = MainWindow(engine=engine, store=store, bridge=bridge, settings=settings, engine_settings=engine_settings,
                        actor="ops@zavera.test", persist=False, tray_available=lambda: False)
    try:
        window.show()
        qtbot.waitUntil(lambda: window.health_badge.count == 1, timeout=WAIT_MS)
        assert window.health_badge.isVisibleTo(window.status_bar) and window.health_badge.colour == RED
        assert not window.health.isVisible()
        window.health_badge.click()
        assert window.health.isVisible()
        action = window.findChild(object, "action_health")
        assert action is not None and action.isChecked() and action.text() == "Payment health"
        action.trigger()
        assert not window.health.isVisible()
        # a click on an alert's popup: the window and the panel, on that alert
        window.notifier.health_activated.emit(window.health.open_alerts()[0].id)
        assert window.health.isVisible() and window.health.selected_alert.kind is ORPHAN
    finally:
        window.prepare_quit()
        bridge.close()
        window.close()
        shiboken6.delete(window)
        store.close()
