"""Payment-health alerts in the admin's language: title, explanation, fix, state and colour per kind.

The engine words every alert in English (``HealthAlert.detail``/``fix``, for ``watch`` and the log). The
window words it again here, chosen by ``kind`` and filled in from ``evidence`` and the alert's fields, so
the Indonesian UI never shows the engine's English. The English source strings below follow the engine's
wording closely.

Only the reason an alert cleared has no stable code: ``cleared_words`` recognises the engine's few fixed
sentences (engine/health.py, engine/orphans.py) and falls back to a plain "cleared" in other languages.

Plain functions over ``QCoreApplication.translate("HealthWords", …)``: lupdate finds the literals, and a
language switch needs nothing but calling them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from zavera_desktop.domain import HealthAlert, HealthKind
from zavera_desktop.ui import formatting

# lupdate finds ``translate("Context", "literal")`` calls: keep both arguments literal
translate = QCoreApplication.translate

#: where Midtrans must post its payment notifications (contract §5.1; engine/health.py's CORE_WEBHOOK_PATH)
CORE_WEBHOOK_PATH = "/api/webhook/midtrans/core"
SNAP_WEBHOOK_PATHS = ("/api/payments/webhook", "/api/midtrans/webhook", "/api/payment/callback")
#: order codes named in one sentence before "and N more"
CODES_NAMED = 5

# How serious each kind is, for the badge's colour and the order of the list. Money the shop ignores
# comes first: a customer paid and nobody will ship. Lost or misrouted notifications delay every payment;
# an unstable stream only delays them by a polling interval.
CRITICAL, WARNING, NOTICE = 3, 2, 1
SEVERITY: dict[HealthKind, int] = {
    HealthKind.ORPHAN_SETTLEMENT: CRITICAL,
    HealthKind.WEBHOOKS_MISSING: WARNING,
    HealthKind.WEBHOOK_MISROUTED: WARNING,
    HealthKind.STREAM_UNRELIABLE: NOTICE,
}
# Material 800/700 tones, readable on light and dark themes (the status bar's palette)
SEVERITY_COLOURS = {CRITICAL: "#c62828", WARNING: "#e65100", NOTICE: "#f9a825"}
OK_COLOUR = "#2e7d32"
CLEARED_COLOUR = "#757575"

_TITLES = {
    HealthKind.ORPHAN_SETTLEMENT: QT_TRANSLATE_NOOP("HealthWords", "Paid at Midtrans — not accepted by the shop"),
    HealthKind.WEBHOOKS_MISSING: QT_TRANSLATE_NOOP("HealthWords", "Midtrans' payment notifications do not arrive"),
    HealthKind.WEBHOOK_MISROUTED: QT_TRANSLATE_NOOP("HealthWords", "Payment notifications go to the wrong address"),
    HealthKind.STREAM_UNRELIABLE: QT_TRANSLATE_NOOP("HealthWords", "The live connection keeps dropping"),
}


def severity(kind: HealthKind) -> int:
    return SEVERITY.get(kind, NOTICE)


def colour(kind: HealthKind) -> str:
    """The kind's colour (#rrggbb) for dots, the badge and an orphan's row state."""
    return SEVERITY_COLOURS[severity(kind)]


def worst_colour(alerts: Sequence[HealthAlert]) -> str:
    """The most serious open alert's colour; green when nothing is open."""
    open_ = [a for a in alerts if a.is_open]
    if not open_:
        return OK_COLOUR
    return SEVERITY_COLOURS[max(severity(a.kind) for a in open_)]


def title(kind: HealthKind) -> str:
    """What the alert is about, in a few words (list rows, notification titles)."""
    text = _TITLES.get(kind)
    return translate("HealthWords", text) if text else str(kind)


def orphan_state(alert: HealthAlert) -> str:
    """An orphan's row state in words: what the admin must take in at a glance (and, closed, how it ended)."""
    if alert.is_open:
        return translate("HealthWords", "Paid at Midtrans — not accepted by the shop")
    ending = _orphan_ending(alert.cleared_reason or "")
    if ending == "confirmed":
        return translate("HealthWords", "Paid at Midtrans — confirmed")
    if ending == "dismissed":
        return translate("HealthWords", "Paid at Midtrans — dismissed")
    if ending == "refunded":
        return translate("HealthWords", "Paid at Midtrans — refunded")
    if ending == "paid":
        return translate("HealthWords", "Paid at Midtrans — accepted by the shop")
    return translate("HealthWords", "Paid at Midtrans — closed")


def _orphan_ending(reason: str) -> str:
    """How an orphan ended, from the engine's fixed sentences (engine/orphans.py, engine/health.py)."""
    if reason.startswith("Dismissed by "):
        return "dismissed"
    if reason.startswith("Confirmed by "):
        return "confirmed"
    if "refunded" in reason:
        return "refunded"
    if "has this order as paid" in reason:
        return "paid"
    return ""


# --- small pieces -----------------------------------------------------------------------------------------


def codes_text(codes: Sequence[str], limit: int = CODES_NAMED) -> str:
    """``A, B, C and 2 more``."""
    codes = list(codes)
    text = ", ".join(codes[:limit])
    if len(codes) > limit:
        text = translate("HealthWords", "%1 and %2 more").replace("%1", text).replace("%2", str(len(codes) - limit))
    return text


def duration_text(seconds: float) -> str:
    """``45 s``, ``12 min``, ``2 h`` (rounded: the findings are about minutes, not seconds)."""
    seconds = max(0, round(seconds))
    if seconds < 120:
        return translate("HealthWords", "%1 s").replace("%1", str(seconds))
    if seconds < 2 * 3600 and seconds != 3600:
        return translate("HealthWords", "%1 min").replace("%1", str(round(seconds / 60)))
    return translate("HealthWords", "%1 h").replace("%1", f"{seconds / 3600:.0f}")


def midtrans_status_text(status: str | None) -> str:
    """Midtrans' ``transaction_status`` in words (``settlement`` → "settled")."""
    words = {
        "settlement": translate("HealthWords", "settled"),
        "capture": translate("HealthWords", "captured (card)"),
        "refund": translate("HealthWords", "refunded"),
        "partial_refund": translate("HealthWords", "partly refunded"),
    }
    return words.get((status or "").lower(), status or "—")


def webhook_url(backend_url: str) -> str:
    return backend_url.rstrip("/") + CORE_WEBHOOK_PATH


def midtrans_search(alert: HealthAlert) -> str:
    """What to type into the Midtrans dashboard's search: its order id (``ZVR-…-suffix``), else the code."""
    found = alert.evidence.get("midtrans_order_id")
    return str(found) if found else (alert.order_code or "")


def can_confirm(alert: HealthAlert) -> bool:
    """Whether "Confirm payment" can work: the backend lets only a PENDING order become PAID (§3.3)."""
    if alert.order_status is not None:
        return alert.order_status.upper() == "PENDING"
    return bool(alert.evidence.get("can_confirm"))


def _orders(alert: HealthAlert) -> list[str]:
    orders = alert.evidence.get("orders")
    return [str(c) for c in orders] if isinstance(orders, list) else []


def _int(evidence: dict[str, Any], key: str) -> int:
    try:
        return int(evidence.get(key) or 0)
    except (TypeError, ValueError):
        return 0


# --- the explanation and the fix --------------------------------------------------------------------------


def explanation(alert: HealthAlert, backend_url: str) -> str:
    """What is wrong, in plain words, filled in from the evidence."""
    kind, ev = alert.kind, alert.evidence
    if kind is HealthKind.ORPHAN_SETTLEMENT:
        return _orphan_explanation(alert)
    if kind is HealthKind.WEBHOOKS_MISSING:
        orders = _orders(alert)
        return (translate("HealthWords", "%1 of the last %2 payments reached the shop only because Zavera Desktop "
                                         "asked Midtrans (%3): the backend never received Midtrans' payment "
                                         "notification for them, so it did not know they were paid until asked.")
                .replace("%1", str(len(orders))).replace("%2", str(_int(ev, "of_last") or len(orders)))
                .replace("%3", codes_text(orders)))
    if kind is HealthKind.WEBHOOK_MISROUTED:
        return (translate("HealthWords", "Midtrans' notifications reach one of the backend's Snap routes instead of "
                                         "the Core route: %1 became paid while their VA, QRIS or GoPay payment is "
                                         "still pending, and no “payment received” was announced (or someone "
                                         "marked them paid with the Snap recovery tools).")
                .replace("%1", codes_text(_orders(alert))))
    if kind is HealthKind.STREAM_UNRELIABLE:
        return _stream_explanation(ev, backend_url)
    return alert.detail


def _orphan_explanation(alert: HealthAlert) -> str:
    money = formatting.money(alert.amount) if alert.amount is not None else translate("HealthWords", "the money")
    midtrans = midtrans_status_text(alert.midtrans_status)
    order_status = (alert.order_status or "").upper()
    payment_status = str(alert.evidence.get("payment_status") or "").upper()
    if payment_status in ("EXPIRED", "CANCELLED", "FAILED"):
        text = translate("HealthWords", "Midtrans has %1 for this order (%2), but the shop does not consider it "
                                        "paid. The order is %3: its payment was already final (%4) when the money "
                                        "came, and the backend ignores a notification that arrives after a payment "
                                        "went final.")
        text = text.replace("%4", formatting.status_text(payment_status).lower())
    elif order_status == "CANCELLED":
        text = translate("HealthWords", "Midtrans has %1 for this order (%2), but the shop does not consider it "
                                        "paid. The order is %3: the backend neither accepts a late notification for "
                                        "a cancelled order nor asks Midtrans about it.")
    else:
        text = translate("HealthWords", "Midtrans has %1 for this order (%2), but the shop does not consider it "
                                        "paid: the backend did not apply the payment to an order that is already %3.")
    text = (text.replace("%1", money).replace("%2", midtrans)
            .replace("%3", formatting.status_text(order_status).lower()))
    if alert.is_open:
        text += " " + translate("HealthWords", "Nobody will ship this order unless you act.")
    return text


def _stream_explanation(ev: dict[str, Any], backend_url: str) -> str:
    window = duration_text(_int(ev, "window_seconds") or 3600)
    parts = []
    down = _int(ev, "down_seconds")
    if down:
        parts.append(translate("HealthWords", "The live connection to the shop was down for %1 of the last %2.")
                     .replace("%1", duration_text(down)).replace("%2", window))
    drops = _int(ev, "drops")
    if drops:
        # lupdate reads no plural form from translate(): a count that needs none
        parts.append(translate("HealthWords", "Connection drops in the last %1: %2.").replace("%1", window)
                     .replace("%2", str(drops)))
    if not parts:
        parts.append(translate("HealthWords", "The live connection to the shop is unstable."))
    typical = _int(ev, "typical_live_seconds")
    if typical:
        parts.append(translate("HealthWords", "Each time it had been up for about %1.")
                     .replace("%1", duration_text(typical)))
    parts.append(translate("HealthWords", "Payments are still found, by polling, but later."))
    last_error = ev.get("last_error")
    if last_error:
        # the error as the network layer reported it (technical; for whoever runs the server)
        parts.append(translate("HealthWords", "Last error: %1").replace("%1", str(last_error)))
    return " ".join(parts)


def fix(alert: HealthAlert, backend_url: str) -> str:
    """What the admin should do, in plain words."""
    kind = alert.kind
    core = webhook_url(backend_url)
    if kind is HealthKind.ORPHAN_SETTLEMENT:
        if can_confirm(alert):
            return (translate("HealthWords", "Check the payment in the Midtrans dashboard (search for %1), then use "
                                             "“Confirm payment”: the order becomes paid, as with the web admin's "
                                             "Confirm Payment button.")
                    .replace("%1", midtrans_search(alert)))
        return (translate("HealthWords", "The shop can no longer accept this payment: an order that is %1 cannot "
                                         "become paid (the backend allows that only from pending). Refund the "
                                         "customer in the Midtrans dashboard (search for %2), or contact them.")
                .replace("%1", formatting.status_text(alert.order_status).lower())
                .replace("%2", midtrans_search(alert)))
    if kind is HealthKind.WEBHOOKS_MISSING:
        return (translate("HealthWords", "In the Midtrans dashboard, Settings → Payment → Payment notification URL: "
                                         "it must be %1, and that address must be reachable from the internet (not "
                                         "localhost, not behind a login, a VPN or a firewall). “Run checks” with "
                                         "the webhook test tries the route from here.")
                .replace("%1", core))
    if kind is HealthKind.WEBHOOK_MISROUTED:
        backend = backend_url.rstrip("/")
        return (translate("HealthWords", "In the Midtrans dashboard, Settings → Payment → Payment notification URL: "
                                         "replace the Snap route (%1, %2 or %3) by %4.")
                .replace("%1", backend + SNAP_WEBHOOK_PATHS[0]).replace("%2", backend + SNAP_WEBHOOK_PATHS[1])
                .replace("%3", SNAP_WEBHOOK_PATHS[2]).replace("%4", core))
    if kind is HealthKind.STREAM_UNRELIABLE:
        text = translate("HealthWords", "Something between this computer and the backend cuts long-lived "
                                        "connections. If the backend runs behind nginx, give the /api/admin/events "
                                        "location “proxy_read_timeout 1h; proxy_buffering off; proxy_http_version "
                                        "1.1;” (nginx cuts a quiet connection after 60 s by default); behind another "
                                        "proxy or load balancer, raise its idle timeout well above 60 s and turn off "
                                        "response buffering for text/event-stream. Also check this computer's "
                                        "network.")
        typical = _int(alert.evidence, "typical_live_seconds")
        if 25 <= typical <= 125:
            text = (translate("HealthWords", "The connection was cut after about %1 each time: that is a proxy's idle "
                                             "or request timeout.").replace("%1", duration_text(typical))
                    + " " + text)
        return text
    return alert.fix


# --- how it ended ------------------------------------------------------------------------------------------


def cleared_words(alert: HealthAlert) -> str:
    """Why the alert is no longer open, from the engine's fixed sentences (see the module docstring)."""
    reason = alert.cleared_reason or ""
    if alert.kind is HealthKind.WEBHOOKS_MISSING:
        return translate("HealthWords", "Payments arrive again without having to ask Midtrans.")
    if alert.kind is HealthKind.WEBHOOK_MISROUTED:
        return translate("HealthWords", "The latest payments did not come through a Snap route.")
    if alert.kind is HealthKind.STREAM_UNRELIABLE:
        return translate("HealthWords", "The live connection held for a whole hour.")
    ending = _orphan_ending(reason)
    if ending == "dismissed":
        who, _, why = reason[len("Dismissed by "):].partition(": ")
        who = who.rstrip(".")
        if why.strip():
            # the admin's own words, as typed
            return translate("HealthWords", "Dismissed by %1: %2").replace("%1", who).replace("%2", why.strip())
        return translate("HealthWords", "Dismissed by %1.").replace("%1", who)
    if ending == "confirmed":
        who = reason[len("Confirmed by "):].partition(":")[0]
        return translate("HealthWords", "Confirmed by %1: the order is now paid.").replace("%1", who)
    if ending == "refunded":
        if "partially refunded" in reason:
            return translate("HealthWords", "Midtrans reports the payment partly refunded.")
        return translate("HealthWords", "Midtrans reports the payment refunded: the money went back to the "
                                        "customer.")
    if ending == "paid":
        return translate("HealthWords", "The shop now has this order as paid.")
    return translate("HealthWords", "No longer open.")


# --- the popup ---------------------------------------------------------------------------------------------


def notification(alert: HealthAlert) -> tuple[str, str]:
    """(title, body) of the one popup a raised alert gets."""
    head = title(alert.kind)
    if alert.kind is HealthKind.ORPHAN_SETTLEMENT:
        parts = [alert.order_code or ""]
        if alert.amount is not None:
            parts.append(formatting.money(alert.amount))
        parts.append(translate("HealthWords", "order %1").replace("%1", formatting.status_text(alert.order_status)
                                                                   .lower()))
        action = (translate("HealthWords", "Check it and confirm the payment in Zavera Desktop.") if can_confirm(alert)
                  else translate("HealthWords", "The shop cannot accept it any more: refund it from the Midtrans "
                                                "dashboard."))
        return head, " · ".join(p for p in parts if p) + "\n" + action
    if alert.kind is HealthKind.WEBHOOKS_MISSING:
        orders = _orders(alert)
        body = (translate("HealthWords", "%1 of the last %2 payments were found only by asking Midtrans.")
                .replace("%1", str(len(orders))).replace("%2", str(_int(alert.evidence, "of_last") or len(orders))))
    elif alert.kind is HealthKind.WEBHOOK_MISROUTED:
        body = translate("HealthWords", "Payments reach the shop through the Snap route and are not announced.")
    else:
        body = translate("HealthWords", "Payments are still found, by polling, but later.")
    return head, body + " " + translate("HealthWords", "Open Payment health for the fix.")
