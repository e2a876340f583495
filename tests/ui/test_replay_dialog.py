"""The replay dialog against the sandbox: preview with the signature hidden, the missing-transaction-id
path (asks for the Midtrans order id and says where to find it), production's typed confirmation, the
webhook's always-200 verdict and the effect in words, "Replay again", and the refusals. Plus the wording
of outcomes the sandbox cannot easily produce (a rejected signature), and the Indonesian.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.engine.test_actions import blank_transaction_id
from tests.ui.admin_harness import WAIT_MS, EngineOnly, sandbox_midtrans
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.engine import ActionError, ReplayOutcome
from zavera_desktop.engine.action_types import OutcomeKind
from zavera_desktop.ui import action_words, i18n
from zavera_desktop.ui.replay_dialog import DONE, NEED_ID, PREVIEW, REFUSED, ReplayDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def make_engine(qtbot: Any, sandbox: Any, tmp_path: Path) -> Iterator[Callable[..., EngineOnly]]:
    made: list[EngineOnly] = []

    def make(**kw: Any) -> EngineOnly:
        harness = EngineOnly(qtbot, sandbox, tmp_path / f"e{len(made)}", **kw)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()


def open_dialog(qtbot: Any, h: EngineOnly, **kw: Any) -> ReplayDialog:
    dialog = ReplayDialog(h.engine, h.bridge, "admin@zavera.test", **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    return dialog


def wait_stage(qtbot: Any, dialog: ReplayDialog, *stages: str) -> None:
    qtbot.waitUntil(lambda: dialog.stage in stages, timeout=WAIT_MS)


def send(qtbot: Any, dialog: ReplayDialog) -> None:
    with qtbot.waitSignal(dialog.replay_finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)


def test_preview_shows_the_fields_with_the_signature_hidden_then_sends(qtbot, make_engine):
    h = make_engine()
    order = h.lost_webhook(amount=412_000)
    dialog = open_dialog(qtbot, h, order_code=order["order_code"].lower())
    wait_stage(qtbot, dialog, PREVIEW)
    values = {k: v.text() for k, v in dialog._values.items()}
    assert values["order"] == order["order_code"]
    assert values["amount"] == "Rp 412.000"
    assert values["order_status"] == "Pending"
    assert values["midtrans_says"] == '"settlement" (settled: the money arrived)'
    assert values["midtrans_id"] == f"{order['transaction_id']} (from the shop's order)"
    assert values["webhook_url"] == f"{h.control.url}/api/webhook/midtrans/core"
    payload = dialog.payload.toPlainText()
    assert '"signature_key": "***"' in payload and f'"order_id": "{order["midtrans_order_id"]}"' in payload
    assert dialog.preview.payload["signature_key"] not in payload
    assert h.control.creds["server_key"] not in payload
    assert not dialog._confirm_box.isVisible()  # not production
    assert dialog.send_button.isEnabled()

    send(qtbot, dialog)
    assert dialog.stage == DONE
    assert dialog.outcome.outcome is OutcomeKind.PAID
    assert dialog.result.text().startswith(f"The shop now shows {order['order_code']} as Paid.")
    assert "answers HTTP 200 to everything" in dialog.answer.text()
    assert dialog.close_button.text() == "Close" and not dialog.send_button.isVisible()


def test_missing_transaction_id_asks_for_the_midtrans_order_id(qtbot, make_engine):
    h = make_engine()
    order = h.lost_webhook()
    code = order["order_code"]
    blank_transaction_id(h.control, code)
    dialog = open_dialog(qtbot, h, order_code=code)
    wait_stage(qtbot, dialog, NEED_ID)
    help_text = dialog._id_help.text()
    assert "Midtrans dashboard" in help_text and "Transactions" in help_text and '"Order ID"' in help_text
    assert "ZVR-20260122-26A6A050-1769050000-a1b2" in help_text
    assert dialog.id_edit.isVisible() and dialog.lookup_button.isEnabled()
    assert not dialog.send_button.isVisible()

    other = h.control.create_order()
    dialog.id_edit.setText(other["midtrans_order_id"])
    qtbot.mouseClick(dialog.lookup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "belongs to order" in dialog.status.text(), timeout=WAIT_MS)
    assert dialog.stage == NEED_ID
    assert dialog.status.text() == (f"The Midtrans id {other['midtrans_order_id']} belongs to order "
                                    f"{other['order_code']}, not this one; nothing was sent. Check the id you typed.")

    dialog.id_edit.setText(f" {order['midtrans_order_id']} ")
    dialog.id_edit.returnPressed.emit()
    wait_stage(qtbot, dialog, PREVIEW)
    assert dialog._values["midtrans_id"].text() == f"{order['midtrans_order_id']} (typed by you)"
    assert dialog.status.text().startswith("Nothing has been sent yet")
    send(qtbot, dialog)
    assert dialog.outcome.outcome is OutcomeKind.PAID


def test_production_needs_the_order_code_typed(qtbot, make_engine):
    h = make_engine(midtrans=None)
    h.engine.set_midtrans(sandbox_midtrans(h.control, "production"))
    code = h.lost_webhook()["order_code"]
    dialog = open_dialog(qtbot, h, order_code=code)
    wait_stage(qtbot, dialog, PREVIEW)
    assert dialog._confirm_box.isVisible()
    assert f"Type the order code {code} to confirm" in dialog._confirm_label.text()
    assert not dialog.send_button.isEnabled()
    dialog.confirm_edit.setText("ZVR-WRONG")
    assert not dialog.send_button.isEnabled()
    dialog.send()  # Enter on a disabled button: still nothing
    assert dialog.stage == PREVIEW
    dialog.confirm_edit.setText(code.lower())
    assert dialog.send_button.isEnabled()
    send(qtbot, dialog)
    assert dialog.outcome.outcome is OutcomeKind.PAID
    assert h.control.state()["webhooks_received"]["core"] == {"ok": 1}


def test_a_pending_transaction_is_warned_about_and_said_plainly(qtbot, make_engine):
    h = make_engine()
    code = h.control.create_order()["order_code"]  # not paid at Midtrans either
    dialog = open_dialog(qtbot, h, order_code=code)
    wait_stage(qtbot, dialog, PREVIEW)
    warnings = dialog.findChild(object, "replayWarnings")
    assert warnings.isVisible()
    assert warnings.text() == 'Midtrans says "pending", not settled: this notification will not mark the order paid.'
    send(qtbot, dialog)
    assert dialog.result.text() == ('Still Pending: Midtrans says "pending", not settled, so there was no payment for '
                                    'the shop to apply.')


def test_without_midtrans_it_says_where_to_set_it(qtbot, make_engine):
    h = make_engine(midtrans=None)
    code = h.lost_webhook()["order_code"]
    dialog = open_dialog(qtbot, h, order_code=code)
    wait_stage(qtbot, dialog, REFUSED)
    assert dialog.status.text() == "Set the Midtrans environment and server key first (Settings → Midtrans)."
    assert dialog.settings_button.isVisible() and dialog.retry_button.isVisible()
    with qtbot.waitSignal(dialog.settings_requested, timeout=1000):
        qtbot.mouseClick(dialog.settings_button, Qt.MouseButton.LeftButton)
    dialog.retry_after_settings()  # nothing changed yet: refused again, in the same words
    wait_stage(qtbot, dialog, REFUSED)
    h.engine.set_midtrans(sandbox_midtrans(h.control))
    dialog.retry_after_settings()
    wait_stage(qtbot, dialog, PREVIEW)
    assert dialog.status.text().startswith("Nothing has been sent yet")


def test_a_wrong_key_at_midtrans_is_said_and_nothing_is_sent(qtbot, make_engine):
    h = make_engine(midtrans=None)
    h.engine.set_midtrans(MidtransAccess(f"{h.control.url}/midtrans", "SB-Mid-server-typo", "sandbox"))
    code = h.lost_webhook()["order_code"]
    dialog = open_dialog(qtbot, h, order_code=code)
    wait_stage(qtbot, dialog, REFUSED)
    assert dialog.status.text().startswith("Midtrans refused the server key")
    assert "SB-Mid-server-typo" not in dialog.status.text()
    assert dialog.settings_button.isVisible()
    assert h.control.state()["webhooks_received"]["core"] == {}


def test_replay_again_sends_the_stored_notification_as_is(qtbot, make_engine):
    h = make_engine()
    code = h.lost_webhook()["order_code"]
    preview = h.engine.replay_preview(code, actor="a@x").result(15)
    dry = h.engine.replay_send(preview, actor="a@x", dry_run=True).result(15)
    dialog = open_dialog(qtbot, h, order_code=code, action_id=dry.action_id)
    wait_stage(qtbot, dialog, PREVIEW)
    assert dialog._title.text() == f"Replay again: {code}"
    assert f"log entry {dry.action_id} again, exactly as it was sent" in dialog.findChild(object,
                                                                                           "replayWarnings").text()
    assert dialog._values["midtrans_id"].text().endswith("(as sent before)")
    assert dict(dialog.preview.payload) == dict(preview.payload)
    send(qtbot, dialog)
    assert dialog.outcome.outcome is OutcomeKind.PAID
    from zavera_desktop.store.audit import AuditFilter, read_actions

    top = read_actions(h.store, AuditFilter(actions=("replay",)), limit=1)[0]
    assert top.request["replay_of"] == dry.action_id and top.actor == "admin@zavera.test"


def test_an_order_the_shop_already_has_as_paid_is_not_replayed(qtbot, make_engine):
    h = make_engine()
    code = h.control.create_order()["order_code"]
    h.control.confirm_payment(code)
    dialog = open_dialog(qtbot, h, order_code=code)
    wait_stage(qtbot, dialog, REFUSED)
    assert dialog.status.text().startswith("Nothing to replay: the shop already has this order as Paid.")
    assert not dialog.settings_button.isVisible() and not dialog.retry_button.isVisible()


# --- words the sandbox does not produce on its own ---------------------------------------------------------


def outcome(reason: str, kind: OutcomeKind = OutcomeKind.REJECTED, **kw: Any) -> ReplayOutcome:
    base: dict[str, Any] = dict(order_code="ZVR-20260101-AAAA0001", outcome=kind, reason=reason, explanation="(en)",
                                backend_status="PENDING", webhook_status="error",
                                backend_message="invalid webhook signature")
    base.update(kw)
    return ReplayOutcome(**base)


def test_a_rejected_signature_quotes_the_shop_and_names_the_key(qapp):
    o = outcome("bad_signature", params={"message": "invalid webhook signature"})
    assert action_words.replay_sentence(o).startswith("Rejected: the Midtrans server key set in this app is not the "
                                                      "shop's")
    assert action_words.webhook_answer(o) == ('The shop\'s webhook answered "error": "invalid webhook signature". (It '
                                              'answers HTTP 200 to everything; the body of the answer is what counts.)')
    late = outcome("payment_final", OutcomeKind.FAILED, webhook_status="ok", backend_message="",
                   params={"payment_status": "EXPIRED", "status": "EXPIRED"})
    assert "already Expired" in action_words.replay_sentence(late)
    refusal = ActionError("webhook_origin", "(en)", params={"webhook_url": "http://evil.test/x",
                                                            "backend_url": "https://api.shop.id"})
    assert action_words.error_sentence(refusal) == ("The webhook address http://evil.test/x is not on the shop's "
                                                    "backend (https://api.shop.id): a replay is only sent to the "
                                                    "configured backend.")


def test_indonesian(qapp):
    try:
        i18n.install_language(qapp, "id")
        o = outcome("paid", OutcomeKind.PAID, backend_status="PAID", webhook_status="ok", backend_message="")
        text = action_words.replay_sentence(o)
        assert text.startswith("Toko sekarang") and "ZVR-20260101-AAAA0001" in text and "Dibayar" in text
        assert "HTTP 200" in action_words.webhook_answer(o) and "diterima" in action_words.webhook_answer(o)
        assert "Midtrans" in action_words.where_to_find_the_id() and "Transaksi" in action_words.where_to_find_the_id()
    finally:
        i18n.install_language(qapp, "en")
