"""The Actions view over a store's audit log (no engine needed): rows newest first with the outcome in
words, filters, keyset paging, live refresh, details without secrets, and "Replay again" only for a
replay that holds its notification."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from zavera_desktop.domain import DEFAULT_SHOP_TZ
from zavera_desktop.store import Store
from zavera_desktop.store.audit import BULK_CHECK, REPLAY, STATUS_CHECK
from zavera_desktop.ui.actions_view import ActionsView, AuditModel

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

SIGNATURE = "f" * 128
A, B = "ZVR-20260101-AAAA0001", "ZVR-20260101-BBBB0002"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "audit.db")
    yield s
    s.close()


def log_check(store: Store, code: str, reason: str = "pending", outcome: str = "pending", actor: str = "a@x") -> int:
    response = {"status": "PENDING", "message": "Pembayaran belum diterima", "backend_status": "PENDING",
                "reason": reason, "explanation": "(English for the log)"}
    return store.log_action(actor=actor, action=STATUS_CHECK, order_code=code, request={"order_code": code},
                            response=response, outcome=outcome)


def log_replay(store: Store, code: str, *, reason: str = "paid", outcome: str = "paid",
               message: str = "") -> int:
    request = {"order_code": code, "midtrans_id": "tx-1", "environment": "sandbox", "webhook_url": "http://shop/x",
               "transaction_status": "settlement",
               "payload": {"order_id": f"{code}-1769050000-a1b2", "signature_key": SIGNATURE}}
    response = {"backend_status": "PAID" if outcome == "paid" else "PENDING", "reason": reason,
                "explanation": "(en)", "webhook": {"http_status": 200, "status": "ok" if not message else "error",
                                                   "message": message}}
    return store.log_action(actor="b@x", action=REPLAY, order_code=code, request=request, response=response,
                            outcome=outcome)


@pytest.fixture
def view(qtbot: Any, store: Store) -> ActionsView:
    from zavera_desktop.config import load_zone

    v = ActionsView(store, load_zone(DEFAULT_SHOP_TZ))
    qtbot.addWidget(v)
    v.show()
    return v


def outcomes(view: ActionsView) -> list[str]:
    m = view.model
    return [m.data(m.index(r, AuditModel.COL_OUTCOME)) for r in range(m.rowCount())]


def test_rows_newest_first_in_words_with_details_and_no_secret(qtbot, store):
    log_check(store, A)
    replay_id = log_replay(store, A)
    store.log_action(actor="a@x", action=BULK_CHECK, order_code=None, request={"total": 3},
                     response={"counts": {"paid": 1, "pending": 2}, "now_paid": [A], "errors": [],
                               "cancelled": False, "explanation": "(en)"}, outcome="1 paid, 2 pending")
    log_replay(store, B, reason="bad_signature", outcome="rejected", message="invalid webhook signature")
    from zavera_desktop.config import load_zone

    v = ActionsView(store, load_zone(DEFAULT_SHOP_TZ))
    qtbot.addWidget(v)
    v.show()
    m = v.model
    assert m.rowCount() == 4
    assert [m.data(m.index(r, AuditModel.COL_ACTION)) for r in range(4)] == [
        "Webhook replay", "Check all stuck", "Webhook replay", "Status check"]
    assert outcomes(v) == ["Rejected: wrong server key", "1 now paid, 2 still pending", "Accepted: now paid",
                           "Still pending (or Midtrans unreachable)"]
    # the whole sentence: tooltip and details
    tip = m.data(m.index(0, AuditModel.COL_OUTCOME), Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Rejected: the Midtrans server key set in this app is not the shop's")
    assert tip.endswith('The shop\'s answer: "invalid webhook signature".')
    assert m.outcome_at(3).startswith("Still pending: Midtrans has not received the money yet — or the shop could "
                                      "not reach Midtrans")
    assert m.outcome_at(3).endswith('The shop\'s answer: "Pembayaran belum diterima".')
    assert v.count_label.text() == "4 actions"  # (English plural forms: zavera_en.ts)

    assert v.select_entry(replay_id)
    details = v.details.toPlainText()
    assert '"signature_key": "***"' in details and SIGNATURE not in details
    assert "The shop now shows ZVR-20260101-AAAA0001 as Paid." in details
    assert v.replay_button.isEnabled() and v.order_button.isEnabled()
    with qtbot.waitSignal(v.replay_again_requested, timeout=1000) as asked:
        qtbot.mouseClick(v.replay_button, Qt.MouseButton.LeftButton)
    assert asked.args == [replay_id, A]

    v.table.selectRow(1)  # the bulk run: no order, nothing to replay
    assert not v.replay_button.isEnabled() and not v.order_button.isEnabled()
    v.table.selectRow(3)  # a status check: nothing to replay, but an order to show
    assert not v.replay_button.isEnabled()
    with qtbot.waitSignal(v.order_requested, timeout=1000) as shown:
        qtbot.mouseClick(v.order_button, Qt.MouseButton.LeftButton)
    assert shown.args == [A]


def test_filters(view, store):
    log_check(store, A, actor="a@x")
    log_check(store, B, reason="paid", outcome="paid", actor="c@x")
    log_replay(store, B)
    view.refresh()
    assert view.model.rowCount() == 3
    view.order_filter.setText(B.lower())
    view.apply_filter()
    assert [view.model.entry_at(r).order_code for r in range(view.model.rowCount())] == [B, B]
    view.action_filter.setCurrentIndex(view.action_filter.findData(STATUS_CHECK))
    assert view.model.rowCount() == 1 and outcomes(view) == ["Now paid"]
    view.order_filter.clear()
    view.action_filter.setCurrentIndex(0)
    view.outcome_filter.setCurrentIndex(view.outcome_filter.findData("pending"))
    assert view.model.rowCount() == 1 and view.model.entry_at(0).order_code == A
    view.outcome_filter.setCurrentIndex(0)
    view.actor_filter.setText("c@x")
    view.apply_filter()
    assert view.model.rowCount() == 1 and view.count_label.text().startswith("1 action")
    view.actor_filter.clear()
    view.period_filter.setCurrentIndex(1)  # today: all of them
    view.apply_filter()
    assert view.model.rowCount() == 3


def test_pages_and_live_refresh(qtbot, view, store):
    ids = [log_check(store, f"ZVR-20260101-{i:08X}") for i in range(250)]
    view.refresh()  # what the timer does; the first page reset since all of it is new
    assert view.model.rowCount() == 100
    assert view.model.entry_at(0).id == ids[-1]
    assert view.model.canFetchMore()
    view.model.fetchMore()
    view.model.fetchMore()
    assert view.model.rowCount() == 250 and not view.model.canFetchMore()
    assert view.model.entry_at(249).id == ids[0]

    view.table.selectRow(5)
    kept = view.selected_entry().id
    new = log_replay(store, A)
    qtbot.waitUntil(lambda: view.model.rowCount() == 251, timeout=5000)  # by itself, within REFRESH_MS
    assert view.model.entry_at(0).id == new
    assert view.selected_entry().id == kept  # the admin's selection stays on its row
    assert view.count_label.text() == "251 actions"
