""""Check all stuck" in its window, against the sandbox: progress (done/total, the order being checked,
the waits), Cancel through the run's ``threading.Event``, and the summary worded from the counts in the
UI language (never the engine's English ``text``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.engine.test_actions import force_midtrans
from tests.ui.admin_harness import WAIT_MS, EngineOnly
from zavera_desktop.engine import BulkCheckSummary, EngineNotRunning
from zavera_desktop.engine.action_types import BulkItem, OutcomeKind
from zavera_desktop.ui import action_words, i18n
from zavera_desktop.ui.bulk_check_dialog import BulkCheckDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def engine(qtbot: Any, sandbox: Any, tmp_path: Path) -> Iterator[EngineOnly]:
    h = EngineOnly(qtbot, sandbox, tmp_path)
    yield h
    h.close()


def make_dialog(qtbot: Any, h: EngineOnly) -> BulkCheckDialog:
    dialog = BulkCheckDialog(h.engine, h.bridge, "admin@zavera.test")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def stuck(sandbox: Any, count: int) -> list[dict[str, Any]]:
    made = sandbox.http.post("/sandbox/orders/bulk", json={"count": count, "age_seconds": 7200})
    return made.json()["orders"]


def test_a_run_reports_progress_and_sums_up_in_words(qtbot, engine, sandbox):
    orders = stuck(sandbox, 6)
    for o in orders[:2]:
        sandbox.pay(o["order_code"], webhook="drop")
    force_midtrans(sandbox, orders[2]["order_code"], "deny")
    dialog = make_dialog(qtbot, engine)
    seen: list[str] = []
    dialog.bar.valueChanged.connect(lambda _v: seen.append(dialog.current.text()))
    with qtbot.waitSignal(dialog.run_finished, timeout=WAIT_MS) as finished:
        dialog.start()
        assert dialog.running and dialog.cancel_button.isVisible()
    summary = finished.args[0]
    assert isinstance(summary, BulkCheckSummary) and summary.total == 6
    assert dialog.summary_text() == "2 now paid, 3 still pending, 1 expired or denied at Midtrans"
    assert any(t.startswith("Checked ") and " of 6 — now ZVR-" in t for t in seen), seen
    assert dialog.bar.maximum() == 6 and dialog.bar.value() == 6
    assert not dialog.running and not dialog.cancel_button.isVisible()
    assert dialog.again_button.text() == "Check &again"
    # the list: still pending first (what may need a replay), then the rest
    rows = [(dialog.items.topLevelItem(i).text(0), dialog.items.topLevelItem(i).text(1))
            for i in range(dialog.items.topLevelItemCount())]
    assert [w for _, w in rows] == ["Still pending"] * 3 + ["Now paid", "Now paid", "Expired or denied"]
    paid_row = next(i for i, (_, w) in enumerate(rows) if w == "Now paid")
    dialog.items.setCurrentItem(dialog.items.topLevelItem(paid_row))
    assert not dialog.replay_button.isEnabled()  # nothing to replay for a paid order
    dialog.items.setCurrentItem(dialog.items.topLevelItem(0))
    assert dialog.replay_button.isEnabled()
    with qtbot.waitSignal(dialog.replay_requested, timeout=1000) as asked:
        qtbot.mouseClick(dialog.replay_button, Qt.MouseButton.LeftButton)
    assert asked.args == [rows[0][0]]


def test_cancel_stops_between_payments_and_says_how_far_it_got(qtbot, engine, sandbox):
    orders = stuck(sandbox, 4)
    # checked a moment ago: the run leaves it for last and has to wait out the 5 s spacing — cancel meanwhile
    engine.engine.check_order(orders[0]["order_code"], actor="a@x").result(15)
    dialog = make_dialog(qtbot, engine)
    dialog.start()
    qtbot.waitUntil(lambda: "Waiting" in dialog.current.text(), timeout=WAIT_MS)
    assert dialog.current.text().startswith("Checked 3 of 4 — Waiting ")
    assert "one check per payment every 5 seconds" in dialog.current.text()
    assert dialog.tally.text() == "So far: 3 still pending"
    with qtbot.waitSignal(dialog.run_finished, timeout=WAIT_MS) as finished:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        assert dialog.current.text() == "Stopping after the payment being checked…"
        assert not dialog.cancel_button.isEnabled()
    assert finished.args[0].cancelled
    assert dialog.summary_text() == "3 still pending — cancelled after 3 of 4"


def test_not_connected_is_said(qtbot, engine):
    engine.engine.stop(timeout=3.0)
    dialog = make_dialog(qtbot, engine)
    dialog.start()
    assert not dialog.running
    assert dialog.summary_text() == ("Check all stuck did not work: The app is not connected to the shop right now.")
    assert isinstance(dialog._error, EngineNotRunning)


def summary(**kw: Any) -> BulkCheckSummary:
    items = (
        BulkItem("ZVR-1", 1, OutcomeKind.PAID, "paid", "PAID", ""),
        BulkItem("ZVR-2", 2, OutcomeKind.PAID, "paid", "PAID", ""),
        BulkItem("ZVR-3", 3, OutcomeKind.PAID, "already_paid", "PAID", ""),
        BulkItem("ZVR-4", 4, OutcomeKind.PENDING, "pending", "PENDING", ""),
        BulkItem("ZVR-5", 5, OutcomeKind.ERROR, "error", "", "HTTP 500"),
    )
    return BulkCheckSummary(total=kw.pop("total", 5), items=items, **kw)


def test_the_summary_is_worded_from_the_counts(qapp):
    assert action_words.bulk_summary(summary()) == ("2 now paid, 1 already paid, 1 still pending, 1 failed: ZVR-5 "
                                                    "(HTTP 500)")
    assert action_words.bulk_summary(summary(total=9, cancelled=True)).endswith(" — cancelled after 5 of 9")
    assert "stopped after 5 of 9" in action_words.bulk_summary(summary(total=9, stopped="3 checks in a row failed"))
    assert action_words.bulk_summary(BulkCheckSummary(0, ())) == "No payment is stuck: nothing to check."
    try:
        i18n.install_language(qapp, "id")
        text = action_words.bulk_summary(summary(total=1_200, cancelled=True))
        assert text.startswith("2 kini dibayar, 1 sudah dibayar, 1 masih tertunda, 1 gagal: ZVR-5 (HTTP 500)")
        assert text.endswith("dari 1.200")  # Indonesian grouping of the numbers too
        assert "now paid" not in text
    finally:
        i18n.install_language(qapp, "en")
