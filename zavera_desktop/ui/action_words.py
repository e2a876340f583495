"""What the admin actions did, in the admin's language: status checks, waits, "check all stuck", webhook
replays, refusals and audit-log rows. No widgets: the detail panel, the order bar, the replay and bulk
dialogs and the Actions view all take their sentences from here, so one outcome reads the same everywhere.

The engine words every outcome in English for logs, the CLI and the audit log; the window never shows or
parses that English. A sentence is chosen by ``outcome`` / ``reason`` (engine/action_types.py lists them)
and filled from ``params``. The backend's own message (the shop writes Indonesian) is quoted as it came.
Words are translated at call time (context "ActionWords"), so a language switch needs no restart.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from zavera_desktop.backend.errors import (
    AuthError,
    ForbiddenError,
    MidtransAuthError,
    MidtransNotFoundError,
    MidtransUnavailableError,
    NetworkError,
    NotFoundError,
    ZaveraError,
)
from zavera_desktop.engine import ActionError, ActionProgress, BulkCheckSummary, EngineNotRunning
from zavera_desktop.engine.action_types import CheckActionOutcome, OutcomeKind, ReplayOutcome
from zavera_desktop.store.audit import BULK_CHECK, CONFIRM_PAYMENT, DISMISS_ALERT, REPLAY, STATUS_CHECK, AuditEntry
from zavera_desktop.ui import formatting

log = logging.getLogger(__name__)

#: what a Midtrans order id looks like (Midtrans dashboard → Transactions → "Order ID")
MIDTRANS_ID_EXAMPLE = "ZVR-20260122-26A6A050-1769050000-a1b2"

# lupdate finds ``translate("Context", "literal")`` calls: keep both arguments literal
translate = QCoreApplication.translate


def _tr(text: str) -> str:
    """A string marked with ``QT_TRANSLATE_NOOP`` in one of the tables below, translated now."""
    return translate("ActionWords", text)


def _fill(text: str, *values: str) -> str:
    # %1, %2… filled from the highest number down, so "%1" never eats the start of "%10"
    for i in range(len(values), 0, -1):
        text = text.replace(f"%{i}", values[i - 1])
    return text


def _status(status: object) -> str:
    return formatting.status_text(str(status or ""))


# --- names -------------------------------------------------------------------------------------------

_ACTION_NAMES = {
    STATUS_CHECK: QT_TRANSLATE_NOOP("ActionWords", "Status check"),
    BULK_CHECK: QT_TRANSLATE_NOOP("ActionWords", "Check all stuck"),
    REPLAY: QT_TRANSLATE_NOOP("ActionWords", "Webhook replay"),
    CONFIRM_PAYMENT: QT_TRANSLATE_NOOP("ActionWords", "Confirm payment"),
    DISMISS_ALERT: QT_TRANSLATE_NOOP("ActionWords", "Dismiss alert"),
}
_KIND_NAMES = {
    OutcomeKind.PAID.value: QT_TRANSLATE_NOOP("ActionWords", "Paid"),
    OutcomeKind.PENDING.value: QT_TRANSLATE_NOOP("ActionWords", "Still pending"),
    OutcomeKind.CANCELLED.value: QT_TRANSLATE_NOOP("ActionWords", "Cancelled"),
    OutcomeKind.FAILED.value: QT_TRANSLATE_NOOP("ActionWords", "Expired or denied"),
    OutcomeKind.REJECTED.value: QT_TRANSLATE_NOOP("ActionWords", "Rejected by the shop"),
    OutcomeKind.DRY_RUN.value: QT_TRANSLATE_NOOP("ActionWords", "Shown, not sent"),
    OutcomeKind.ERROR.value: QT_TRANSLATE_NOOP("ActionWords", "Did not work"),
}
_ENVIRONMENTS = {
    "sandbox": QT_TRANSLATE_NOOP("ActionWords", "Sandbox (test payments)"),
    "production": QT_TRANSLATE_NOOP("ActionWords", "Production (real money)"),
    "custom": QT_TRANSLATE_NOOP("ActionWords", "Custom address"),
}


def action_name(action: str) -> str:
    """``replay`` → "Webhook replay"; an action this version does not know keeps its own name."""
    text = _ACTION_NAMES.get(action)
    return _tr(text) if text else action.replace("_", " ").capitalize()


def action_names() -> list[tuple[str, str]]:
    """(action, words) for every action the audit log knows, for a filter."""
    return [(action, _tr(text)) for action, text in _ACTION_NAMES.items()]


def kind_name(kind: str) -> str:
    """An outcome kind (``OutcomeKind`` value) as a short word: "Paid", "Still pending", …"""
    text = _KIND_NAMES.get(kind)
    return _tr(text) if text else kind.replace("_", " ").capitalize()


def kind_names() -> list[tuple[str, str]]:
    return [(kind, _tr(text)) for kind, text in _KIND_NAMES.items()]


def environment_name(environment: str) -> str:
    text = _ENVIRONMENTS.get(environment)
    return _tr(text) if text else environment


# --- the status check ----------------------------------------------------------------------------------

# %1 the answer (or the order status when the shop was not asked), %2 the order status, %3 the payment status
_CHECK = {
    "already_paid": QT_TRANSLATE_NOOP(
        "ActionWords", "The shop already has this order as paid (%1). Midtrans was not asked again, so the customer "
                       "gets no second e-mail."),
    "no_core_payment": QT_TRANSLATE_NOOP(
        "ActionWords", "This order has no VA, QRIS or GoPay payment (order status: %1), so the shop cannot ask "
                       "Midtrans about it. If the customer paid, replay the Midtrans notification."),
    "paid": QT_TRANSLATE_NOOP("ActionWords", "Midtrans has the money: the order is now paid."),
    "pending": QT_TRANSLATE_NOOP(
        "ActionWords", "Still pending: Midtrans has not received the money yet — or the shop could not reach "
                       "Midtrans, because it answers \"pending\" then too, without saying so. If the customer has "
                       "proof of payment, look in the Midtrans dashboard or replay the notification."),
    "cancelled_by_admin": QT_TRANSLATE_NOOP(
        "ActionWords", "An admin cancelled this order, so the shop did not ask Midtrans at all. If the customer paid "
                       "anyway, replay the Midtrans notification: it marks even a cancelled order paid."),
    "payment_cancelled": QT_TRANSLATE_NOOP(
        "ActionWords", "Midtrans cancelled the transaction; only the payment changed, the order is still %2."),
    "expired": QT_TRANSLATE_NOOP(
        "ActionWords", "The virtual account expired: the payment and the order are expired."),
    "payment_failed": QT_TRANSLATE_NOOP(
        "ActionWords", "Midtrans declined the transaction; only the payment changed, the order is still %2."),
    "payment_final": QT_TRANSLATE_NOOP(
        "ActionWords", "The payment was already final (%3), so the shop answered from its records without asking "
                       "Midtrans. A payment that settled later cannot be found this way: check the Midtrans "
                       "dashboard and confirm it in the web admin."),
    "other": QT_TRANSLATE_NOOP("ActionWords", "The shop answered: %1."),
}


def check_sentence(o: CheckActionOutcome) -> str:
    """A status check's outcome, chosen by ``reason``; the shop's own message is quoted after it."""
    params = o.params
    status = _status(params.get("status") or o.backend_status or o.status)
    order_status = _status(params.get("order_status") or o.backend_status)
    payment_status = _status(params.get("payment_status"))
    text = _fill(_tr(_CHECK.get(o.reason, _CHECK["other"])), status, order_status, payment_status)
    if o.newly_detected:
        text += " " + translate("ActionWords", "This payment was missing and has now been recorded.")
    if o.backend_message:
        text += " " + shops_answer(o.backend_message)
    if o.waited >= 1:
        text += " " + _fill(translate("ActionWords", "(Waited %1 s for the shop's limit of one check per payment "
                                                     "every 5 seconds.)"), str(round(o.waited)))
    return text


def shops_answer(message: str) -> str:
    return _fill(translate("ActionWords", "The shop's answer: \"%1\"."), message)


def check_busy() -> str:
    return translate("ActionWords", "Asking the shop to check this payment with Midtrans…")


def waiting_sentence(p: ActionProgress) -> str:
    """A wait inside a check: our own spacing, or the backend's 429."""
    seconds = str(max(1, round(p.wait_seconds)))
    if p.why == "rate_limited":
        return _fill(translate("ActionWords", "The shop refused a check made a moment ago (this admin account checked "
                                              "it elsewhere): waiting %1 s, then asking once more…"), seconds)
    return _fill(translate("ActionWords", "Waiting %1 s: the shop allows one check per payment every 5 seconds…"),
                 seconds)


# --- check all stuck -----------------------------------------------------------------------------------

def _summary_parts(now_paid: int, already_paid: int, pending: int, failed: int, cancelled: int) -> list[str]:
    texts = (
        (now_paid, translate("ActionWords", "%1 now paid")),
        (already_paid, translate("ActionWords", "%1 already paid")),
        (pending, translate("ActionWords", "%1 still pending")),
        (failed, translate("ActionWords", "%1 expired or denied at Midtrans")),
        (cancelled, translate("ActionWords", "%1 cancelled")),
    )
    return [_fill(text, formatting.number(n)) for n, text in texts if n]


def _failed_part(count: int, listed: str) -> str:
    # the why of each is the backend layer's own message (e.g. "HTTP 500"), quoted as it came
    return _fill(translate("ActionWords", "%1 failed: %2"), formatting.number(count), listed)


def nothing_stuck() -> str:
    return translate("ActionWords", "No payment is stuck: nothing to check.")


def bulk_summary(s: BulkCheckSummary) -> str:
    """"3 now paid, 12 still pending, 1 failed: ZVR-… (why)" from the summary's counts (not its English text)."""
    parts = _summary_parts(s.now_paid, s.already_paid, s.count(OutcomeKind.PENDING), s.count(OutcomeKind.FAILED),
                           s.count(OutcomeKind.CANCELLED))
    errors = s.errors
    if errors:
        parts.append(_failed_part(len(errors), "; ".join(f"{e.order_code} ({e.explanation})" for e in errors)))
    text = ", ".join(parts) if parts else nothing_stuck()
    done, total = formatting.number(len(s.items)), formatting.number(s.total)
    if s.cancelled:
        text += " — " + _fill(translate("ActionWords", "cancelled after %1 of %2"), done, total)
    elif s.stopped:
        text += " — " + _fill(translate("ActionWords", "stopped after %1 of %2, because the shop could not be "
                                                       "reached or refused the login: %3"), done, total, s.stopped)
    return text


def bulk_progress(p: ActionProgress) -> str:
    """"Checked 3 of 30 — now ZVR-…" (or the wait)."""
    head = _fill(translate("ActionWords", "Checked %1 of %2"), formatting.number(p.done), formatting.number(p.total))
    if p.stage == "waiting":
        return head + " — " + waiting_sentence(p)
    if p.stage == "checking" and p.order_code:
        return head + " — " + _fill(translate("ActionWords", "now %1"), p.order_code)
    return head


def counts_sentence(counts: Mapping[str, int]) -> str:
    """The running tally during a run (outcome kind → number); paid is not yet split into now/already."""
    parts = _summary_parts(0, 0, counts.get("pending", 0), counts.get("failed", 0), counts.get("cancelled", 0))
    if counts.get("paid"):
        parts.insert(0, _fill(translate("ActionWords", "%1 paid"), formatting.number(counts["paid"])))
    if counts.get("error"):
        parts.append(_fill(translate("ActionWords", "%1 could not be checked"), formatting.number(counts["error"])))
    return ", ".join(parts)


def bulk_item_sentence(outcome: OutcomeKind, reason: str, status: str) -> str:
    """One payment of a run, short (the run's list)."""
    if outcome is OutcomeKind.ERROR:
        return translate("ActionWords", "Could not be checked")
    if reason == "paid":
        return translate("ActionWords", "Now paid")
    if reason == "already_paid":
        return _fill(translate("ActionWords", "Already paid (%1)"), _status(status))
    return kind_name(outcome.value)


# --- the webhook replay --------------------------------------------------------------------------------

# %1 order code, %2 order status after, %3 Midtrans' transaction status, %4 payment status, %5 the error
_REPLAY = {
    "already_paid": QT_TRANSLATE_NOOP("ActionWords", "Nothing was sent: the shop already has %1 as %2."),
    "dry_run": QT_TRANSLATE_NOOP("ActionWords", "Nothing was sent: the notification was only shown."),
    "paid": QT_TRANSLATE_NOOP("ActionWords", "The shop now shows %1 as %2."),
    "midtrans_not_settled": QT_TRANSLATE_NOOP(
        "ActionWords", "Still %2: Midtrans says \"%3\", not settled, so there was no payment for the shop to apply."),
    "payment_final": QT_TRANSLATE_NOOP(
        "ActionWords", "Still %2: the shop ignored the notification because its payment record was already %4 (it "
                       "drops a late settlement). Check the Midtrans dashboard and confirm the payment in the web "
                       "admin."),
    "not_applied": QT_TRANSLATE_NOOP(
        "ActionWords", "Still %2: the shop accepted the notification, but the order did not change."),
    "reread_failed": QT_TRANSLATE_NOOP(
        "ActionWords", "The shop accepted the notification, but reading the order afterwards failed (%5); look at "
                       "the order again in a moment."),
    "bad_signature": QT_TRANSLATE_NOOP(
        "ActionWords", "Rejected: the Midtrans server key set in this app is not the shop's (a wrong key, or the "
                       "other environment's). Nothing changed; check the key in Settings → Midtrans."),
    "order_not_found": QT_TRANSLATE_NOOP("ActionWords", "Rejected: the shop found no such order. Nothing changed."),
    "payment_not_found": QT_TRANSLATE_NOOP(
        "ActionWords", "Rejected: the order has no VA, QRIS or GoPay payment for the webhook to apply it to. Nothing "
                       "changed."),
    "rejected": QT_TRANSLATE_NOOP("ActionWords", "Rejected by the shop. Nothing changed."),
}


_MIDTRANS_STATUS = {
    "settlement": QT_TRANSLATE_NOOP("ActionWords", "settled: the money arrived"),
    "capture": QT_TRANSLATE_NOOP("ActionWords", "captured (card): the money arrived"),
    "pending": QT_TRANSLATE_NOOP("ActionWords", "not paid yet"),
    "expire": QT_TRANSLATE_NOOP("ActionWords", "expired unpaid"),
    "cancel": QT_TRANSLATE_NOOP("ActionWords", "cancelled"),
    "deny": QT_TRANSLATE_NOOP("ActionWords", "denied"),
    "failure": QT_TRANSLATE_NOOP("ActionWords", "failed"),
    "refund": QT_TRANSLATE_NOOP("ActionWords", "refunded"),
}


def midtrans_status(status: str) -> str:
    """Midtrans' ``transaction_status`` as it came, and what it means: ``"settlement" (settled: …)``."""
    meaning = _MIDTRANS_STATUS.get(status.lower())
    return f'"{status}" ({_tr(meaning)})' if meaning else f'"{status}"'


def replay_sentence(o: ReplayOutcome) -> str:
    """What the replay changed, from the order read again afterwards."""
    params = o.params
    text = _fill(_tr(_REPLAY.get(o.reason, _REPLAY["rejected"])), o.order_code,
                 _status(params.get("status") or o.backend_status),
                 str(params.get("transaction_status") or o.transaction_status),
                 _status(params.get("payment_status")), str(params.get("error") or ""))
    if o.newly_detected:
        text += " " + translate("ActionWords", "The payment was missing here and is now recorded as found by the "
                                               "replay.")
    return text


def webhook_answer(o: ReplayOutcome) -> str:
    """The webhook's verdict. It answers HTTP 200 to everything, so only its body says what happened."""
    if not o.webhook_status:
        return ""
    if o.webhook_status == "ok":
        return translate("ActionWords", "The shop's webhook answered \"ok\": it accepted the notification. (It "
                                        "answers HTTP 200 to everything; the body of the answer is what counts.)")
    message = o.backend_message or translate("ActionWords", "no message")
    return _fill(translate("ActionWords", "The shop's webhook answered \"%1\": \"%2\". (It answers HTTP 200 to "
                                          "everything; the body of the answer is what counts.)"),
                 o.webhook_status, message)


def where_to_find_the_id() -> str:
    return _fill(translate("ActionWords", "The shop has no Midtrans transaction id for this order, so the app cannot "
                                          "tell Midtrans which payment to look up. Type its Midtrans order id: in the "
                                          "Midtrans dashboard open Transactions, search for the order code and copy "
                                          "the \"Order ID\" column. It looks like %1 (the order code, then a number "
                                          "and a short code). Midtrans' payment e-mail shows it too; a Midtrans "
                                          "transaction id works as well."), MIDTRANS_ID_EXAMPLE)


def warning_sentence(code: str, transaction_status: str) -> str:
    """A preview's warning (``ReplayPreview.warnings`` code) before anything is sent."""
    if code == "midtrans_not_settled":
        return _fill(translate("ActionWords", "Midtrans says \"%1\", not settled: this notification will not mark "
                                              "the order paid."), transaction_status)
    if code == "payment_final":
        return translate("ActionWords", "The shop's payment record is already final; the webhook ignores a "
                                        "notification for a final payment, so this replay will probably change "
                                        "nothing.")
    return ""


# --- refusals and errors -----------------------------------------------------------------------------------

def not_connected() -> str:
    return translate("ActionWords", "The app is not connected to the shop right now.")


def error_sentence(exc: BaseException) -> str:
    """Why an action could not go ahead, for any exception an action's future may raise."""
    if isinstance(exc, ActionError):
        return _refusal(exc)
    if isinstance(exc, EngineNotRunning):
        return not_connected()
    if isinstance(exc, MidtransAuthError):
        return translate("ActionWords", "Midtrans refused the server key: it is wrong, or belongs to the other "
                                        "environment (sandbox keys start with SB-Mid-server-). Fix it in Settings "
                                        "→ Midtrans.")
    if isinstance(exc, MidtransNotFoundError):
        return _fill(translate("ActionWords", "Midtrans knows no such transaction. Check the id: a Midtrans order id "
                                              "looks like %1."), MIDTRANS_ID_EXAMPLE)
    if isinstance(exc, MidtransUnavailableError):
        return _fill(translate("ActionWords", "Midtrans could not be reached or is busy; try again in a moment. (%1)"),
                     str(exc))
    if isinstance(exc, NotFoundError):
        return translate("ActionWords", "The shop knows no such order.")
    if isinstance(exc, AuthError):
        return translate("ActionWords", "The shop refused the login: log in again (Connection → Log in again).")
    if isinstance(exc, ForbiddenError):
        return translate("ActionWords", "This account is not the shop's admin account.")
    if isinstance(exc, NetworkError):
        return _fill(translate("ActionWords", "The shop could not be reached: %1"), str(exc))
    if isinstance(exc, ZaveraError):
        return str(exc)  # the backend layer words its errors for the admin
    log.warning("Unexpected error from an admin action: %r", exc)
    return translate("ActionWords", "Something unexpected went wrong; the log file has the details.")


def _refusal(exc: ActionError) -> str:
    p = exc.params
    if exc.reason == "already_paid":
        return _fill(translate("ActionWords", "Nothing to replay: the shop already has this order as %1. A replay "
                                              "would mark it paid again and e-mail the customer a second time."),
                     _status(p.get("status")))
    if exc.reason == "transaction_id_needed":
        return where_to_find_the_id()
    if exc.reason == "no_midtrans":
        return translate("ActionWords", "Set the Midtrans environment and server key first (Settings → Midtrans).")
    if exc.reason == "other_order":
        return _fill(translate("ActionWords", "The Midtrans id %1 belongs to order %2, not this one; nothing was "
                                              "sent. Check the id you typed."),
                     str(p.get("midtrans_order_id", "")), str(p.get("belongs_to", "")))
    if exc.reason == "webhook_origin":
        return _fill(translate("ActionWords", "The webhook address %1 is not on the shop's backend (%2): a replay is "
                                              "only sent to the configured backend."),
                     str(p.get("webhook_url", "")), str(p.get("backend_url", "")))
    if exc.reason == "confirmation_required":
        return translate("ActionWords", "This goes to the live shop: type the order code to confirm.")
    if exc.reason == "not_replayable":
        return _fill(translate("ActionWords", "Log entry %1 holds no notification to send again."),
                     str(p.get("action_id", "")))
    return str(exc)


# --- the audit log ---------------------------------------------------------------------------------------

_CHECK_SHORT = {
    "already_paid": QT_TRANSLATE_NOOP("ActionWords", "Already paid; Midtrans not asked"),
    "no_core_payment": QT_TRANSLATE_NOOP("ActionWords", "No VA, QRIS or GoPay payment to check"),
    "paid": QT_TRANSLATE_NOOP("ActionWords", "Now paid"),
    "pending": QT_TRANSLATE_NOOP("ActionWords", "Still pending (or Midtrans unreachable)"),
    "cancelled_by_admin": QT_TRANSLATE_NOOP("ActionWords", "Cancelled by an admin; Midtrans not asked"),
    "payment_cancelled": QT_TRANSLATE_NOOP("ActionWords", "Payment cancelled at Midtrans"),
    "expired": QT_TRANSLATE_NOOP("ActionWords", "Expired"),
    "payment_failed": QT_TRANSLATE_NOOP("ActionWords", "Denied at Midtrans"),
    "payment_final": QT_TRANSLATE_NOOP("ActionWords", "Payment already final; Midtrans not asked"),
}
_REPLAY_SHORT = {
    "already_paid": QT_TRANSLATE_NOOP("ActionWords", "Not sent: already paid"),
    "dry_run": QT_TRANSLATE_NOOP("ActionWords", "Shown, not sent"),
    "paid": QT_TRANSLATE_NOOP("ActionWords", "Accepted: now paid"),
    "midtrans_not_settled": QT_TRANSLATE_NOOP("ActionWords", "Accepted; not settled at Midtrans"),
    "payment_final": QT_TRANSLATE_NOOP("ActionWords", "Ignored: payment already final"),
    "not_applied": QT_TRANSLATE_NOOP("ActionWords", "Accepted; nothing changed"),
    "reread_failed": QT_TRANSLATE_NOOP("ActionWords", "Accepted; the order could not be read after"),
    "bad_signature": QT_TRANSLATE_NOOP("ActionWords", "Rejected: wrong server key"),
    "order_not_found": QT_TRANSLATE_NOOP("ActionWords", "Rejected: no such order"),
    "payment_not_found": QT_TRANSLATE_NOOP("ActionWords", "Rejected: no VA, QRIS or GoPay payment"),
    "rejected": QT_TRANSLATE_NOOP("ActionWords", "Rejected by the shop"),
}


def audit_outcome_short(entry: AuditEntry) -> str:
    """The audit table's column: a few words (``audit_outcome`` is the whole sentence)."""
    response = entry.response or {}
    if entry.action == BULK_CHECK:
        return _audit_bulk(entry, response)
    error = response.get("error")
    if entry.outcome == OutcomeKind.ERROR.value and isinstance(error, str):
        return _fill(translate("ActionWords", "Did not work: %1"), error)
    reason = str(response.get("reason") or "")
    table = _CHECK_SHORT if entry.action == STATUS_CHECK else _REPLAY_SHORT if entry.action == REPLAY else {}
    text = table.get(reason)
    return _tr(text) if text else kind_name(entry.outcome)


def audit_outcome(entry: AuditEntry) -> str:
    """One row of the audit log in words, from what the engine stored with it (reason, statuses, counts)."""
    response = entry.response or {}
    if entry.action == BULK_CHECK:
        return _audit_bulk(entry, response)
    error = response.get("error")
    reason = str(response.get("reason") or "")
    if entry.outcome == OutcomeKind.ERROR.value and isinstance(error, str):
        return _fill(translate("ActionWords", "Did not work: %1"), error)
    if entry.action == STATUS_CHECK and reason in _CHECK:
        status = _status(response.get("status") or response.get("backend_status"))
        text = _fill(_tr(_CHECK[reason]), status, _status(response.get("backend_status")), status)
        message = response.get("message")
        return text + (" " + shops_answer(message) if isinstance(message, str) and message else "")
    if entry.action == REPLAY and reason in _REPLAY:
        request = entry.request or {}
        webhook = response.get("webhook")
        text = _fill(_tr(_REPLAY[reason]), entry.order_code or "", _status(response.get("backend_status")),
                     str(request.get("transaction_status") or ""), "", "")
        if entry.outcome == OutcomeKind.REJECTED.value and isinstance(webhook, dict) and webhook.get("message"):
            text += " " + shops_answer(str(webhook["message"]))
        return text
    return kind_name(entry.outcome)


def _audit_bulk(entry: AuditEntry, response: Mapping[str, Any]) -> str:
    counts = response.get("counts")
    if not isinstance(counts, dict):
        error = response.get("error")
        return _fill(translate("ActionWords", "Did not work: %1"), error) if isinstance(error, str) else entry.outcome
    now_paid = response.get("now_paid")
    now = len(now_paid) if isinstance(now_paid, list) else 0
    errors = [e for e in response.get("errors") or [] if isinstance(e, dict)]
    parts = _summary_parts(now, max(0, int(counts.get("paid", 0)) - now), int(counts.get("pending", 0)),
                           int(counts.get("failed", 0)), int(counts.get("cancelled", 0)))
    if errors:
        parts.append(_failed_part(len(errors), "; ".join(f"{e.get('order_code', '')} ({e.get('error', '')})"
                                                         for e in errors)))
    text = ", ".join(parts) if parts else nothing_stuck()
    if response.get("cancelled"):
        text += " — " + translate("ActionWords", "cancelled by the admin")
    return text
