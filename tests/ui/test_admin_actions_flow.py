"""End to end in the window, against the sandbox: an order whose Midtrans notification was lost, found by
its code in the search; two clicks (Replay notification…, Send) or one (Check status) later it is PAID,
the admin reads what happened in words, the payment is announced exactly once (as the replay's or as
the check's), and the action is in the Actions log.

Every wait is bounded; nothing here measures speed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from tests.ui.admin_harness import WAIT_MS, WindowHarness
from zavera_desktop.domain import DetectedBy
from zavera_desktop.ui import replay_dialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def make_window(qtbot: Any, sandbox: Any, tmp_path: Path) -> Iterator[Callable[..., WindowHarness]]:
    made: list[WindowHarness] = []

    def make(**kw: Any) -> WindowHarness:
        harness = WindowHarness(qtbot, sandbox, tmp_path / f"w{len(made)}", **kw)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()


def click(qtbot: Any, widget: Any) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_lost_webhook_replayed_in_two_clicks(qtbot, make_window):
    app = make_window()
    code = app.lost_webhook(amount=717_000, customer_name="Dewi Lestari")["order_code"]
    window, admin = app.window, app.window.admin_actions
    bar = admin.order_bar

    app.search(code)  # the customer's e-mail named the order; the table has no row for it
    qtbot.waitUntil(lambda: bar.isVisible() and bar.code == code and "Pending" in bar.hint.text(), timeout=WAIT_MS)
    assert bar.title.text().startswith(f"{code} is not among the recorded payments")
    assert window.model.rowCount() == 0

    click(qtbot, bar.replay_button)  # click 1
    dialog = admin._replays[code]
    qtbot.waitUntil(lambda: dialog.stage == replay_dialog.PREVIEW, timeout=WAIT_MS)
    assert dialog.findChild(object, "replayStatus").text().startswith("Nothing has been sent yet")
    assert '"signature_key": "***"' in dialog.payload.toPlainText()
    assert app.control.creds["server_key"] not in dialog.payload.toPlainText()
    assert dialog.send_button.isDefault()

    with qtbot.waitSignal(dialog.replay_finished, timeout=WAIT_MS):
        click(qtbot, dialog.send_button)  # click 2
    assert dialog.stage == replay_dialog.DONE
    assert dialog.result.text() == (f"The shop now shows {code} as Paid. The payment was missing here and is now "
                                    "recorded as found by the replay.")
    assert dialog.answer.text().startswith('The shop\'s webhook answered "ok": it accepted the notification.')

    # the payment arrives once, credited to the replay, and is selected in the table
    qtbot.waitUntil(lambda: app.loaded_row(code) is not None and window.detail.current_code == code,
                    timeout=WAIT_MS)
    qtbot.wait(300)  # the webhook's own broadcast arrives too: still one announcement
    assert [p.order_code for p in app.notified] == [code]
    assert app.notified[0].detected_by is DetectedBy.REPLAY
    assert bar.result_text.startswith(f"The shop now shows {code} as Paid.")
    assert bar.title.text() == f"{code} is now among the recorded payments"

    # … and it is in the Actions log
    window.findChild(object, "action_log").trigger()
    view = admin.actions_view
    assert view is not None and view.isVisible()
    model = view.model
    assert model.rowCount() >= 1
    top = model.entry_at(0)
    assert (top.action, top.order_code, top.outcome) == ("replay", code, "paid")
    texts = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert texts[1:4] == [app.control.creds["admin_email"], "Webhook replay", code]
    assert texts[4] == "Accepted: now paid"
    assert view.model.outcome_at(0).startswith(f"The shop now shows {code} as Paid.")  # the whole sentence


def test_lost_webhook_checked_in_one_click(qtbot, make_window):
    app = make_window()
    code = app.lost_webhook()["order_code"]
    bar = app.window.admin_actions.order_bar
    app.search(code.lower())  # typed by hand
    qtbot.waitUntil(lambda: bar.isVisible() and bar.code == code, timeout=WAIT_MS)

    click(qtbot, bar.check_button)  # one click
    qtbot.waitUntil(lambda: bar.result_text.startswith("Midtrans has the money"), timeout=WAIT_MS)
    assert bar.result_text == ("Midtrans has the money: the order is now paid. This payment was missing and has now "
                               "been recorded. The shop's answer: \"Pembayaran berhasil\".")  # its own words
    qtbot.waitUntil(lambda: app.window.detail.current_code == code, timeout=WAIT_MS)
    qtbot.wait(300)
    assert [(p.order_code, p.detected_by) for p in app.notified] == [(code, DetectedBy.VERIFY)]

    view = app.window.admin_actions.show_actions_log()
    top = view.model.entry_at(0)
    assert (top.action, top.order_code, top.outcome) == ("status_check", code, "paid")
    assert view.model.outcome_at(0).startswith("Midtrans has the money")


def test_a_listed_payment_replayed_from_the_context_menu_and_the_detail_panel_is_refused_in_words(
        qtbot, make_window):
    app = make_window()
    code = app.control.create_order()["order_code"]
    app.control.pay(code)  # webhook delivered: the payment is listed
    qtbot.waitUntil(lambda: app.loaded_row(code) is not None, timeout=WAIT_MS)
    window, admin = app.window, app.window.admin_actions
    payment = window.model.payment_at(app.loaded_row(code))

    menu = QMenu(window)
    admin.extend_context_menu(menu, payment)
    menu.findChild(object, "contextReplay").trigger()
    dialog = admin._replays[code]
    qtbot.waitUntil(lambda: dialog.stage == replay_dialog.REFUSED, timeout=WAIT_MS)
    assert dialog.status.text() == ("Nothing to replay: the shop already has this order as Paid. A replay would mark "
                                    "it paid again and e-mail the customer a second time.")
    assert not dialog.send_button.isVisible()
    dialog.close()
    menu.deleteLater()

    assert window.select_order(code)
    click(qtbot, admin.replay_button)  # the detail panel's button
    again = admin._replays[code]
    assert again is not dialog
    qtbot.waitUntil(lambda: again.stage == replay_dialog.REFUSED, timeout=WAIT_MS)
    assert again.status.text().startswith("Nothing to replay")


def test_check_all_stuck_from_the_window_and_a_replay_from_its_list(qtbot, make_window, sandbox):
    app = make_window()
    made = sandbox.http.post("/sandbox/orders/bulk", json={"count": 3, "age_seconds": 7200}).json()["orders"]
    sandbox.pay(made[0]["order_code"], webhook="drop")
    admin = app.window.admin_actions
    click(qtbot, admin.check_all_button)
    bulk = admin.bulk_dialog
    with qtbot.waitSignal(bulk.run_finished, timeout=WAIT_MS):
        pass
    assert bulk.summary_text() == "1 now paid, 2 still pending"
    qtbot.waitUntil(lambda: app.loaded_row(made[0]["order_code"]) is not None, timeout=WAIT_MS)
    # the list puts the still-pending ones first; replay one from there
    first = bulk.items.topLevelItem(0)
    assert first.text(1) == "Still pending"
    bulk.items.setCurrentItem(first)
    click(qtbot, bulk.replay_button)
    dialog = admin._replays[first.text(0)]
    qtbot.waitUntil(lambda: dialog.stage == replay_dialog.PREVIEW, timeout=WAIT_MS)
    assert "not settled" in dialog.findChild(object, "replayWarnings").text()


def test_without_midtrans_the_replay_waits_for_the_settings_and_goes_on(qtbot, make_window):
    app = make_window(midtrans=None)
    code = app.lost_webhook()["order_code"]
    admin = app.window.admin_actions
    app.search(code)
    qtbot.waitUntil(lambda: admin.order_bar.isVisible(), timeout=WAIT_MS)
    click(qtbot, admin.order_bar.replay_button)
    dialog = admin._replays[code]
    qtbot.waitUntil(lambda: dialog.stage == replay_dialog.REFUSED, timeout=WAIT_MS)
    click(qtbot, dialog.settings_button)
    settings = admin._midtrans_dialog
    qtbot.waitUntil(lambda: settings.isVisible(), timeout=WAIT_MS)
    settings.environment.setCurrentIndex(settings.environment.findData("custom"))
    settings.custom_url.setText(f"{app.control.url}/midtrans")
    settings.server_key.setText(app.control.creds["server_key"])
    click(qtbot, settings.save_button)
    qtbot.waitUntil(lambda: dialog.stage == replay_dialog.PREVIEW, timeout=WAIT_MS)  # by itself
    assert admin.midtrans is not None and admin.midtrans.base_url == f"{app.control.url}/midtrans"
    settings.close()


def test_an_unknown_order_code_is_said(qtbot, make_window):
    app = make_window()
    bar = app.window.admin_actions.order_bar
    app.search("ZVR-20200101-DEADBEEF")
    qtbot.waitUntil(lambda: bar.hint.text().startswith("At the shop: no such order."), timeout=WAIT_MS)
    app.search("zvr-2020")  # not an order code: the bar goes
    assert not bar.isVisible()
