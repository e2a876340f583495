"""Words and numbers as the admin reads them: money, shop-local time, methods, sources, statuses.

Shared by every widget. Money is whole rupiah (``int``) and is only grouped here, never computed
with floats. Grouping follows Indonesian convention (``Rp 717.000``) whatever the UI language: it
is the shop's currency. Words are translated at call time (``QCoreApplication.translate`` in the
"Formatting" context), so a language switch needs no restart.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from zavera_desktop.domain import DetectedBy, method_label

_ID_LOCALE = QLocale("id_ID")
#: How an unknown amount or time is shown.
UNKNOWN = "—"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Formatting", text)


def number(value: int) -> str:
    """``1234567`` → ``1.234.567`` (Indonesian grouping)."""
    return _ID_LOCALE.toString(int(value))


def money(amount: int | None) -> str:
    """``717000`` → ``Rp 717.000``; ``None`` (not known yet) → ``—``."""
    if amount is None:
        return UNKNOWN
    return "Rp " + number(amount)


def shop_time(when: datetime | None, tz: ZoneInfo) -> str:
    """An aware time as shop-local wall-clock time, ``2026-11-27 19:00:05``."""
    if when is None:
        return UNKNOWN
    return local_time_text(when, tz)


def local_time_text(when: datetime, tz: ZoneInfo) -> str:
    # isoformat, not strftime: strftime imports `time` on every call, which PySide's import hook
    # makes cost ~10 µs — it dominated painting the time column and exporting a million rows.
    # The first 19 characters are "YYYY-MM-DD HH:MM:SS" (the fraction and offset follow).
    return when.astimezone(tz).isoformat(" ")[:19]


def method_text(method: str | None) -> str:
    """``bca_va`` → ``BCA VA``. Brand names stay as they are; the two generic ones are translated."""
    if method == "bank_transfer":
        return _tr("Bank transfer")
    if method == "credit_card":
        return _tr("Card")
    return method_label(method)


# Source strings marked for lupdate; translated when shown (one lookup per cell, not a table of them).
_FOUND_BY = {
    DetectedBy.STREAM: QT_TRANSLATE_NOOP("Formatting", "Live stream"),
    DetectedBy.RECONCILE: QT_TRANSLATE_NOOP("Formatting", "Reconcile"),
    DetectedBy.VERIFY: QT_TRANSLATE_NOOP("Formatting", "Status check"),
    DetectedBy.REPLAY: QT_TRANSLATE_NOOP("Formatting", "Webhook replay"),
}
_STATUS = {
    "PENDING": QT_TRANSLATE_NOOP("Formatting", "Pending"),
    "PAID": QT_TRANSLATE_NOOP("Formatting", "Paid"),
    "SUCCESS": QT_TRANSLATE_NOOP("Formatting", "Paid"),
    "PROCESSING": QT_TRANSLATE_NOOP("Formatting", "Processing"),
    "PACKING": QT_TRANSLATE_NOOP("Formatting", "Packing"),
    "SHIPPED": QT_TRANSLATE_NOOP("Formatting", "Shipped"),
    "DELIVERED": QT_TRANSLATE_NOOP("Formatting", "Delivered"),
    "COMPLETED": QT_TRANSLATE_NOOP("Formatting", "Completed"),
    "REFUNDED": QT_TRANSLATE_NOOP("Formatting", "Refunded"),
    "CANCELLED": QT_TRANSLATE_NOOP("Formatting", "Cancelled"),
    "EXPIRED": QT_TRANSLATE_NOOP("Formatting", "Expired"),
    "FAILED": QT_TRANSLATE_NOOP("Formatting", "Failed"),
}


def found_by_text(source: DetectedBy | str) -> str:
    """Which of the three sources (or a replay) saw the payment first."""
    try:
        return _tr(_FOUND_BY[DetectedBy(source)])
    except ValueError:
        return str(source)


def status_text(status: str | None) -> str:
    """An order (or payment) status in words: ``PACKING`` → ``Packing``; unknown ones tidied up."""
    key = (status or "").upper()
    if key in _STATUS:
        return _tr(_STATUS[key])
    return key.replace("_", " ").capitalize()
