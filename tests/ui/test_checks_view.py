""""Run checks" in the Health panel: the doctor's checks, run by the engine off the UI thread, one line per check
as it comes (✓ / ✗ / – not checked), the detail and the fix; in Indonesian, the UI's own words."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtGui import QGuiApplication

from tests.helpers import FAST, SandboxControl
from zavera_desktop.backend.client import Credentials
from zavera_desktop.backend.doctor_checks import CheckResult
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.config import EngineSettings
from zavera_desktop.engine import Engine
from zavera_desktop.resources_path import resource_path
from zavera_desktop.store import Store
from zavera_desktop.ui import checks_view
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.checks_view import ChecksView, check_words, expected_checks, report_text

WAIT_MS = 60_000
ALL_CHECKS = ["Backend reachable", "Clock", "Login", "Admin rights", "Payment dashboard endpoint", "Orders endpoint",
              "Live stream", "Midtrans server key"]


class ChecksRig:
    def __init__(self, qtbot: Any, control: SandboxControl, tmp_path: Path, *, password: str | None = None,
                 start: bool = True) -> None:
        self.qtbot = qtbot
        self.store = Store.open(tmp_path / "checks.db")
        creds = control.creds
        settings = EngineSettings(backend_url=control.url, **FAST)
        self.engine = Engine(settings, self.store,
                             credentials=Credentials(creds["admin_email"], password or creds["admin_password"]),
                             midtrans=MidtransAccess(f"{control.url}/midtrans", creds["server_key"], "custom"))
        self.bridge = EngineBridge()
        self.view = ChecksView(self.engine, self.bridge, settings.zone, control.url)
        qtbot.addWidget(self.view)
        self.view.resize(900, 500)
        self.view.show()
        if start:
            self.engine.start()

    def close(self) -> None:
        self.bridge.close()
        self.engine.stop(timeout=3.0)
        self.store.close()


@pytest.fixture
def rigs(qtbot, sandbox, tmp_path) -> Iterator[Any]:
    made: list[ChecksRig] = []

    def make(**kw: Any) -> ChecksRig:
        rig = ChecksRig(qtbot, sandbox, tmp_path / f"r{len(made)}", **kw)
        made.append(rig)
        return rig

    yield make
    for rig in made:
        rig.close()


def test_run_checks_fills_in_one_line_per_check_off_the_ui_thread(rigs, sandbox):
    rig = rigs()
    view = rig.view
    seen_running: list[int] = []
    # the stream check waits for the sandbox's keepalive: while it waits, the list already shows lines
    view.progress.valueChanged.connect(lambda v: seen_running.append(v) if view.running else None)
    view.run_button.click()
    assert view.running and not view.run_button.isEnabled() and view.progress.isVisible()
    assert view.status_text.startswith("Running the checks…")
    with rig.qtbot.waitSignal(view.finished, timeout=WAIT_MS) as blocker:
        pass
    results: list[CheckResult] = blocker.args[0]
    assert [r.check for r in results] == ["backend", "clock", "login", "admin", "dashboard", "orders", "stream",
                                          "midtrans_key"]
    assert seen_running and max(seen_running) >= 1  # lines came one by one
    lines = view.line_texts()
    assert [t for _, t, _, _ in lines] == ALL_CHECKS
    assert {m for m, _, _, _ in lines} == {"✓"}
    # English: the checks' own words, which name what they found
    assert sandbox.creds["admin_email"] in lines[3][2]
    assert "accepts the server key" in lines[7][2]
    assert view.status_text.startswith("8 passed, 0 failed, 0 not checked.")
    assert view.run_button.isEnabled() and not view.progress.isVisible()
    # nothing secret on screen
    shown = "\n".join(" ".join(line) for line in lines)
    for secret in (sandbox.creds["admin_password"], sandbox.creds["server_key"]):
        assert secret not in shown
    view.copy_report()
    assert QGuiApplication.clipboard().text().startswith("✓ Backend reachable: ")


def test_the_webhook_test_is_one_more_line(rigs):
    rig = rigs()
    rig.view.probe.setChecked(True)
    with rig.qtbot.waitSignal(rig.view.finished, timeout=WAIT_MS) as blocker:
        rig.view.run()
    assert blocker.args[0][-1].check == "webhook_route" and blocker.args[0][-1].ok
    assert rig.view.line_texts()[-1][:2] == ("✓", "Core webhook route")


def test_a_refused_login_is_a_cross_with_the_fix_and_what_needs_it_is_not_checked(rigs):
    rig = rigs(password="not-the-password")
    with rig.qtbot.waitSignal(rig.view.finished, timeout=WAIT_MS):
        rig.view.run()
    lines = {title: (mark, detail, fix) for mark, title, detail, fix in rig.view.line_texts()}
    assert lines["Login"][0] == "✗" and "Wrong e-mail or password" in lines["Login"][1]
    assert lines["Login"][2].startswith("What to do: ")
    for title in ("Admin rights", "Payment dashboard endpoint", "Orders endpoint", "Live stream"):
        assert lines[title][0] == "–" and lines[title][1].startswith("not checked")
    assert lines["Backend reachable"][0] == "✓"
    assert rig.view.status_text.startswith("3 passed, 1 failed, 4 not checked.")


def test_without_a_running_engine_it_says_so(rigs):
    rig = rigs(start=False)
    with rig.qtbot.waitSignal(rig.view.finished, timeout=1000) as blocker:
        rig.view.run()
    assert blocker.args[0] == []
    assert rig.view.status_text.startswith("The app is not connected to the shop right now")
    assert rig.view.run_button.isEnabled()


def test_a_run_is_not_started_twice(rigs, monkeypatch):
    rig = rigs(start=False)
    calls: list[bool] = []
    import concurrent.futures

    def fake_run_checks(**kw: Any) -> concurrent.futures.Future[list[CheckResult]]:
        calls.append(kw["probe_webhook"])
        future: concurrent.futures.Future[list[CheckResult]] = concurrent.futures.Future()
        progress = kw["progress"]

        def later() -> None:
            progress(CheckResult("backend", True, "answers"))
            future.set_result([CheckResult("backend", True, "answers")])

        threading.Timer(0.2, later).start()
        return future

    monkeypatch.setattr(rig.engine, "run_checks", fake_run_checks)
    rig.view.run()
    rig.view.run()
    with rig.qtbot.waitSignal(rig.view.finished, timeout=5000):
        pass
    assert calls == [False]
    assert rig.view.line_texts() == [("✓", "Backend reachable", "answers", "")]


def test_expected_lines_for_the_progress_bar():
    assert expected_checks("http://x", False) == 8
    assert expected_checks("https://x", False) == 9
    assert expected_checks("https://x", True) == 10


def test_the_report_is_the_doctors_english():
    text = report_text([CheckResult("backend", True, "x answers (3 ms)."),
                        CheckResult("login", False, "Wrong e-mail or password.", "Type it again."),
                        CheckResult("admin", False, "not checked: the login failed", skipped=True)])
    assert text.splitlines() == ["✓ Backend reachable: x answers (3 ms).", "✗ Login: Wrong e-mail or password.",
                                 "    → Type it again.", "– Admin rights: not checked: the login failed"]


@pytest.fixture
def indonesian(qapp) -> Iterator[None]:
    translator = QTranslator()
    assert translator.load(str(resource_path("translations/zavera_id.qm")))
    QCoreApplication.installTranslator(translator)
    try:
        yield
    finally:
        QCoreApplication.removeTranslator(translator)


@pytest.mark.parametrize("result", [
    CheckResult("backend", False, "127.0.0.1:9 refused the connection.", "Check the address and port."),
    CheckResult("stream", True, "Connected in 0.1 s; a keepalive followed 0.9 s later."),
    CheckResult("admin", False, "not checked: the login failed", skipped=True),
    CheckResult("midtrans_key", True, "Not configured (optional): …", "To turn it on, give …"),
])
def test_other_languages_get_the_uis_words_not_the_checks_english(indonesian, result):
    detail, fix = check_words(result, language="id")
    assert detail and detail != result.detail and "the " not in detail.lower()
    assert "the " not in fix.lower() and (fix != result.fix or not result.fix)
    if not result.ok and not result.skipped:
        assert fix
    assert check_words(result, language="en") == (result.detail, result.fix)
    assert checks_view.check_title(result.check) != result.title
