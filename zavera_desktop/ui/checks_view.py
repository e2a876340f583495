""""Run checks": the setup checks of ``zavera-desktop doctor``, run by the engine, one line per check.

``engine.run_checks`` runs on the engine thread (network, bounded: the stream check waits at most about
40 s for a keepalive); each result comes back through the bridge as it is known, so the admin watches the
list fill in. A line shows ✓ (passed), ✗ (failed) or – (not checked, because a check it needs failed),
the check's name, what was found and what to do.

Words: the checks report in English (``CheckResult.detail``/``fix``, for the CLI). The English UI shows
them as they are — they name the host, the account, the error. Other languages show a sentence chosen
by the check and its outcome, and the fix for that check, in the UI language; the English report stays
in the line's tooltip and in "Copy report" (for whoever runs the server).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.backend.doctor_checks import CheckResult, summary
from zavera_desktop.backend.errors import ZaveraError
from zavera_desktop.engine import Engine, EngineNotRunning
from zavera_desktop.ui import formatting
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.health_words import CLEARED_COLOUR, CRITICAL, OK_COLOUR, SEVERITY_COLOURS
from zavera_desktop.ui.i18n import SOURCE_LANGUAGE, current_language

log = logging.getLogger(__name__)

translate = QCoreApplication.translate

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
MARKS = {PASSED: "✓", FAILED: "✗", SKIPPED: "–"}
MARK_COLOURS = {PASSED: OK_COLOUR, FAILED: SEVERITY_COLOURS[CRITICAL], SKIPPED: CLEARED_COLOUR}

# The checks in doctor's order (backend/doctor_checks.py CHECKS), with the words for each: the name, what a
# pass and a failure mean, and what to do about a failure.
_TITLES = {
    "backend": QT_TRANSLATE_NOOP("ChecksWords", "Backend reachable"),
    "tls_certificate": QT_TRANSLATE_NOOP("ChecksWords", "TLS certificate"),
    "clock": QT_TRANSLATE_NOOP("ChecksWords", "Clock"),
    "login": QT_TRANSLATE_NOOP("ChecksWords", "Login"),
    "admin": QT_TRANSLATE_NOOP("ChecksWords", "Admin rights"),
    "dashboard": QT_TRANSLATE_NOOP("ChecksWords", "Payment dashboard endpoint"),
    "orders": QT_TRANSLATE_NOOP("ChecksWords", "Orders endpoint"),
    "stream": QT_TRANSLATE_NOOP("ChecksWords", "Live stream"),
    "midtrans_key": QT_TRANSLATE_NOOP("ChecksWords", "Midtrans server key"),
    "webhook_route": QT_TRANSLATE_NOOP("ChecksWords", "Core webhook route"),
}
_PASSED = {
    "backend": QT_TRANSLATE_NOOP("ChecksWords", "The backend answers."),
    "tls_certificate": QT_TRANSLATE_NOOP("ChecksWords", "The certificate is trusted and not about to expire."),
    "clock": QT_TRANSLATE_NOOP("ChecksWords", "This computer's clock agrees with the backend's."),
    "login": QT_TRANSLATE_NOOP("ChecksWords", "The login is accepted."),
    "admin": QT_TRANSLATE_NOOP("ChecksWords", "The account has admin rights."),
    "dashboard": QT_TRANSLATE_NOOP("ChecksWords", "The payment dashboard answers."),
    "orders": QT_TRANSLATE_NOOP("ChecksWords", "The orders list answers."),
    "stream": QT_TRANSLATE_NOOP("ChecksWords", "The live stream connects and delivers events."),
    "midtrans_key": QT_TRANSLATE_NOOP("ChecksWords", "Midtrans accepts the server key."),
    "webhook_route": QT_TRANSLATE_NOOP("ChecksWords", "The Core webhook route exists and refused an unsigned test "
                                                      "notification, as it should."),
}
_FAILED = {
    "backend": QT_TRANSLATE_NOOP("ChecksWords", "The backend cannot be reached, or the server in front of it "
                                               "answers with an error."),
    "tls_certificate": QT_TRANSLATE_NOOP("ChecksWords", "The backend's certificate is not trusted, or expires "
                                                        "soon."),
    "clock": QT_TRANSLATE_NOOP("ChecksWords", "This computer's clock differs from the backend's by more than a "
                                             "minute."),
    "login": QT_TRANSLATE_NOOP("ChecksWords", "The login is refused."),
    "admin": QT_TRANSLATE_NOOP("ChecksWords", "This account is not the shop admin."),
    "dashboard": QT_TRANSLATE_NOOP("ChecksWords", "The payment dashboard does not answer as expected."),
    "orders": QT_TRANSLATE_NOOP("ChecksWords", "The orders list does not answer as expected."),
    "stream": QT_TRANSLATE_NOOP("ChecksWords", "The live stream does not work: it is refused, cut, or held back."),
    "midtrans_key": QT_TRANSLATE_NOOP("ChecksWords", "Midtrans refuses the server key, or cannot be reached."),
    "webhook_route": QT_TRANSLATE_NOOP("ChecksWords", "The Core webhook route is missing or did not refuse an "
                                                      "unsigned test notification."),
}
_FIXES = {
    "backend": QT_TRANSLATE_NOOP("ChecksWords", "Check the backend address and this computer's internet "
                                               "connection, and that the backend is running."),
    "tls_certificate": QT_TRANSLATE_NOOP("ChecksWords", "Renew the backend's certificate (for example with "
                                                        "Let's Encrypt) and check this computer's date and time."),
    "clock": QT_TRANSLATE_NOOP("ChecksWords", "Turn on automatic date and time on this computer; if this computer "
                                             "is right, ask whoever runs the backend to fix the server's clock."),
    "login": QT_TRANSLATE_NOOP("ChecksWords", "Log in again with the shop admin's e-mail and password, or paste a "
                                             "fresh token from the web admin."),
    "admin": QT_TRANSLATE_NOOP("ChecksWords", "Log in with the shop admin's account."),
    "dashboard": QT_TRANSLATE_NOOP("ChecksWords", "Ask whoever runs the backend to look at its logs; the backend "
                                                  "may be an old version."),
    "orders": QT_TRANSLATE_NOOP("ChecksWords", "Ask whoever runs the backend to look at its logs; the backend may "
                                               "be an old version."),
    "stream": QT_TRANSLATE_NOOP("ChecksWords", "A proxy between here and the backend holds the stream back. For "
                                               "nginx, give /api/admin/events “proxy_buffering off; "
                                               "proxy_read_timeout 1h; proxy_http_version 1.1;”; for other "
                                               "proxies, turn off response buffering and raise the idle timeout "
                                               "above 60 s."),
    "midtrans_key": QT_TRANSLATE_NOOP("ChecksWords", "Copy the Server Key again from the Midtrans dashboard "
                                                     "(Settings → Access Keys) of the shop's environment; it is not "
                                                     "the Client Key."),
    "webhook_route": QT_TRANSLATE_NOOP("ChecksWords", "Forward /api/webhook/ to the backend unchanged, or ask "
                                                      "whoever runs the backend."),
}


def outcome(result: CheckResult) -> str:
    if result.skipped:
        return SKIPPED
    return PASSED if result.ok else FAILED


def check_title(check: str) -> str:
    text = _TITLES.get(check)
    return translate("ChecksWords", text) if text else check


def check_words(result: CheckResult, language: str | None = None) -> tuple[str, str]:
    """(what was found, what to do) for one result, in the UI language (see the module docstring)."""
    language = language or current_language()
    if language == SOURCE_LANGUAGE:
        return result.detail, result.fix
    state = outcome(result)
    if state == SKIPPED:
        return translate("ChecksWords", "Not checked: a check it needs failed."), ""
    if result.check == "midtrans_key" and result.ok and result.fix:
        # passed because it is optional: no key configured
        return (translate("ChecksWords", "No Midtrans server key is configured (optional): payments are checked "
                                         "through the backend only, and money Midtrans received for expired or "
                                         "cancelled orders cannot be found."),
                translate("ChecksWords", "To turn it on, give the Midtrans environment and server key in the "
                                         "settings."))
    if state == PASSED:
        text = _PASSED.get(result.check)
        return (translate("ChecksWords", text) if text else translate("ChecksWords", "Passed.")), ""
    text, fix_text = _FAILED.get(result.check), _FIXES.get(result.check)
    return ((translate("ChecksWords", text) if text else translate("ChecksWords", "Failed.")),
            translate("ChecksWords", fix_text) if fix_text else "")


def expected_checks(backend_url: str, probe_webhook: bool) -> int:
    """How many lines a run will have (for the progress bar): TLS only over https, the probe on request."""
    count = len(_TITLES) - 2
    if backend_url.lower().startswith("https://"):
        count += 1
    return count + (1 if probe_webhook else 0)


def report_text(results: Sequence[CheckResult]) -> str:
    """The run as plain text, in the checks' own (English) words: for a ticket or a chat with support."""
    lines = []
    for r in results:
        lines.append(f"{MARKS[outcome(r)]} {r.title}: {r.detail}")
        if r.fix and not r.ok:
            lines.append(f"    → {r.fix}")
    return "\n".join(lines)


class _ResultLine:
    """The widgets of one result in the grid (plain data holder; the grid owns the widgets)."""

    def __init__(self, parent: QWidget, grid: QGridLayout, row: int) -> None:
        self.mark = QLabel(parent)
        self.mark.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        bold = QFont(self.mark.font())
        bold.setBold(True)
        self.mark.setFont(bold)
        self.title = QLabel(parent)
        self.title.setFont(bold)
        self.title.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail = QLabel(parent)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix = QLabel(parent)
        self.fix.setWordWrap(True)
        self.fix.setTextFormat(Qt.TextFormat.PlainText)
        self.fix.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(self.detail)
        box.addWidget(self.fix)
        grid.addWidget(self.mark, row, 0)
        grid.addWidget(self.title, row, 1)
        grid.addLayout(box, row, 2)

    def show(self, result: CheckResult) -> None:
        state = outcome(result)
        self.mark.setText(MARKS[state])
        self.mark.setStyleSheet(f"color: {MARK_COLOURS[state]};")
        self.mark.setToolTip({PASSED: translate("ChecksWords", "Passed"), FAILED: translate("ChecksWords", "Failed"),
                              SKIPPED: translate("ChecksWords", "Not checked")}[state])
        self.title.setText(check_title(result.check))
        detail, fix_text = check_words(result)
        self.detail.setText(detail)
        self.fix.setText(translate("ChecksWords", "What to do: %1").replace("%1", fix_text) if fix_text else "")
        self.fix.setVisible(bool(fix_text))
        if current_language() != SOURCE_LANGUAGE:
            tip = result.detail + (f"\n→ {result.fix}" if result.fix else "")
            self.detail.setToolTip(translate("ChecksWords", "The check's own report (English): %1").replace("%1", tip))
        else:
            self.detail.setToolTip("")


class ChecksView(QWidget):
    """The "Checks" page of the Health panel."""

    # a run ended: the list of CheckResults (empty when it could not run)
    finished = Signal(object)

    def __init__(self, engine: Engine, bridge: EngineBridge, tz: ZoneInfo, backend_url: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checksView")
        self._engine = engine
        self._bridge = bridge
        self._tz = tz
        self._backend_url = backend_url
        self._results: list[CheckResult] = []
        self._lines: list[_ResultLine] = []
        self._run_id = 0
        self._running = False
        self._ran_at: datetime | None = None
        self._error = ""

        self._intro = QLabel(self)
        self._intro.setWordWrap(True)
        self.probe = QCheckBox(self)
        self.probe.setObjectName("probeWebhook")
        self.run_button = QPushButton(self)
        self.run_button.setObjectName("runChecksButton")
        self.run_button.clicked.connect(self.run)
        self._copy = QPushButton(self)
        self._copy.setObjectName("copyChecksReport")
        self._copy.setFlat(True)
        self._copy.clicked.connect(self.copy_report)
        self._copy.hide()
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self._status = QLabel(self)
        self._status.setObjectName("checksStatus")
        self._status.setWordWrap(True)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.run_button)
        top.addWidget(self.probe)
        top.addStretch(1)
        top.addWidget(self._copy)
        status_row = QHBoxLayout()
        status_row.addWidget(self.progress)
        status_row.addWidget(self._status, 1)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._body = QWidget(self._scroll)
        self._grid = QGridLayout(self._body)
        self._grid.setContentsMargins(0, 4, 0, 4)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(8)
        self._grid.setColumnStretch(2, 1)
        self._grid.setColumnMinimumWidth(0, 16)
        self._grid.setRowStretch(len(_TITLES) + 2, 1)
        self._scroll.setWidget(self._body)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addWidget(self._intro)
        layout.addLayout(top)
        layout.addLayout(status_row)
        layout.addWidget(self._scroll, 1)
        self.retranslate()

    # --- running ----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    @property
    def results(self) -> list[CheckResult]:
        return list(self._results)

    @Slot()
    def run(self) -> None:
        """Start a run (ignored while one is running)."""
        if self._running:
            return
        probe = self.probe.isChecked()
        self._run_id += 1
        run_id = self._run_id
        bridge = self._bridge

        progress = bridge.relay(functools.partial(self._on_result, run_id), context=self)
        try:
            future = self._engine.run_checks(probe_webhook=probe, progress=progress)
        except EngineNotRunning:
            self._error = self.tr("The app is not connected to the shop right now; try again in a moment.")
            self._show_status()
            self.finished.emit([])
            return
        self._running = True
        self._error = ""
        self._results = []
        self._clear_lines()
        self.progress.setRange(0, expected_checks(self._backend_url, probe))
        self.progress.setValue(0)
        self._show_status()
        bridge.call(future, lambda results: self._on_done(run_id, results),
                    lambda exc: self._on_error(run_id, exc), context=self, release=progress)

    def _on_result(self, run_id: int, result: CheckResult) -> None:
        if run_id != self._run_id or not self._running:
            return
        self._results.append(result)
        self._add_line(result)
        self.progress.setMaximum(max(self.progress.maximum(), len(self._results) + 1))
        self.progress.setValue(len(self._results))
        self._show_status()

    def _on_done(self, run_id: int, results: list[CheckResult]) -> None:
        if run_id != self._run_id:
            return
        self._running = False
        self._ran_at = datetime.now(UTC)
        # the final list is the truth (a progress hop may still be queued behind this one)
        self._results = list(results)
        self._clear_lines()
        for r in self._results:
            self._add_line(r)
        self._show_status()
        self.finished.emit(list(self._results))

    def _on_error(self, run_id: int, exc: BaseException) -> None:
        if run_id != self._run_id:
            return
        self._running = False
        if isinstance(exc, ZaveraError):
            words = str(exc)
        elif isinstance(exc, EngineNotRunning):
            words = self.tr("The app is not connected to the shop right now.")
        else:
            log.warning("Run checks failed unexpectedly: %r", exc)
            words = self.tr("Something unexpected went wrong; the log file has the details.")
        self._error = self.tr("The checks could not run: %1").replace("%1", words)
        self._show_status()
        self.finished.emit([])

    # --- showing ----------------------------------------------------------------------------------

    def _clear_lines(self) -> None:
        for line in self._lines:
            for w in (line.mark, line.title, line.detail, line.fix):
                self._grid.removeWidget(w)
                w.deleteLater()
        self._lines = []

    def _add_line(self, result: CheckResult) -> None:
        line = _ResultLine(self._body, self._grid, len(self._lines))
        line.show(result)
        self._lines.append(line)

    def _show_status(self) -> None:
        self.run_button.setEnabled(not self._running)
        self.probe.setEnabled(not self._running)
        self.progress.setVisible(self._running)
        self._copy.setVisible(bool(self._results) and not self._running)
        if self._error:
            self._status.setText(self._error)
        elif self._running:
            self._status.setText(self.tr("Running the checks… (%1 done; the live stream check can take up to a "
                                         "minute)").replace("%1", str(len(self._results))))
        elif self._results:
            counts = summary(self._results)
            when = formatting.shop_time(self._ran_at, self._tz) if self._ran_at else ""
            text = self.tr("%1 passed, %2 failed, %3 not checked.").replace("%1", str(counts["ok"])) \
                .replace("%2", str(counts["failed"])).replace("%3", str(counts["skipped"]))
            if when:
                text += " " + self.tr("Run at %1.").replace("%1", when)
            self._status.setText(text)
        else:
            self._status.setText(self.tr("Not run yet."))

    @property
    def status_text(self) -> str:
        return self._status.text()

    def line_texts(self) -> list[tuple[str, str, str, str]]:
        """(mark, title, detail, fix) of every line shown (for tests)."""
        return [(ln.mark.text(), ln.title.text(), ln.detail.text(), ln.fix.text()) for ln in self._lines]

    @Slot()
    def copy_report(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(report_text(self._results))
        self._status.setText(self.tr("The report was copied (in English, as “zavera-desktop doctor” prints it)."))

    # --- language ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self._intro.setText(self.tr("The same checks as “zavera-desktop doctor”: can this computer reach the "
                                    "backend, log in, receive the live stream, and use the Midtrans server key? "
                                    "Nothing is changed in the shop."))
        self.run_button.setText(self.tr("Run checks"))
        self.run_button.setToolTip(self.tr("Run every setup check now (a few seconds, up to a minute)"))
        self.probe.setText(self.tr("Also test the webhook route"))
        self.probe.setToolTip(self.tr("Sends one unsigned test notification to the backend's Core webhook route; "
                                      "a working route refuses it and nothing changes."))
        self._copy.setText(self.tr("Copy report"))
        self._copy.setToolTip(self.tr("Copy the results as text, to send to whoever runs the server"))
        for line, result in zip(self._lines, self._results, strict=False):
            line.show(result)
        self._show_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
