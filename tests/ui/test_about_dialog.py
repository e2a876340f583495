"""Help → About: version, log file, data folder, and "Copy diagnostics" — from the real window against the
sandbox, with a password, a token and a Midtrans server key in play, none of which may reach the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from tests.helpers import FAST, SandboxControl
from zavera_desktop import __version__, diagnostics
from zavera_desktop.backend.client import Credentials
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.config import EngineSettings
from zavera_desktop.diagnostics import Diagnostics, diagnostics_text
from zavera_desktop.engine import Engine
from zavera_desktop.secrets import SecretKind, default_store
from zavera_desktop.store import Store
from zavera_desktop.ui.about_dialog import AboutDialog, show_about
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.main_window import MainWindow
from zavera_desktop.ui.settings import AppSettings

WAIT_MS = 20_000

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # offscreen's limit


def _fixed() -> Diagnostics:
    return Diagnostics(backend_url="https://api.shop.example", connection="live", qt_version="6.11.3",
                       counts={"payments stored": 7})


def test_shows_version_log_file_and_data_folder(qtbot, tmp_path):
    log_file = tmp_path / "log" / "zavera-desktop.log"
    dialog = AboutDialog(diagnostics=_fixed, log_file=log_file, data_folder=tmp_path / "data")
    qtbot.addWidget(dialog)
    dialog.show()
    assert __version__ in dialog.findChild(type(dialog._version), "aboutVersion").text()
    assert dialog.log_edit.text() == str(log_file)
    assert dialog.data_edit.text() == str(tmp_path / "data")
    assert dialog._open_log.isEnabled()


def test_without_a_log_file_says_so(qtbot, tmp_path):
    dialog = AboutDialog(diagnostics=_fixed, log_file=None, data_folder=tmp_path)
    qtbot.addWidget(dialog)
    assert "logging is off" in dialog.log_edit.text()
    assert not dialog._open_log.isEnabled()


def test_copy_diagnostics_puts_the_text_on_the_clipboard(qtbot, tmp_path):
    dialog = AboutDialog(diagnostics=_fixed, log_file=None, data_folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == diagnostics_text(_fixed())
    assert dialog.copy_button.text() == "Copied"
    qtbot.waitUntil(lambda: dialog.copy_button.text() == "Copy diagnostics", timeout=WAIT_MS)


# --- the real window ----------------------------------------------------------------------------------


class Running:
    """Store, engine (password login + Midtrans server key), bridge and window against the sandbox."""

    def __init__(self, control: SandboxControl, tmp_path: Path) -> None:
        creds = control.creds
        self.store = Store.open(tmp_path / "app.db")
        self.engine_settings = EngineSettings(backend_url=control.url, **FAST)
        midtrans = MidtransAccess(base_url=f"{control.url}/midtrans", server_key=creds["server_key"])
        self.engine = Engine(self.engine_settings, self.store,
                             credentials=Credentials(creds["admin_email"], creds["admin_password"]), midtrans=midtrans)
        self.bridge = EngineBridge()
        self._unsubscribe = self.engine.subscribe(self.bridge.deliver)
        self.window = MainWindow(engine=self.engine, store=self.store, bridge=self.bridge,
                                 settings=AppSettings(tmp_path / "settings.ini"),
                                 engine_settings=self.engine_settings, actor=creds["admin_email"], persist=False)
        self.window.show()
        self.engine.start()

    def close(self) -> None:
        if shiboken6.isValid(self.window):
            self.window.prepare_quit()
        self.bridge.close()
        self._unsubscribe()
        self.engine.stop(timeout=3.0)
        if shiboken6.isValid(self.window):
            self.window.close()
            shiboken6.delete(self.window)
        self.store.close()


@pytest.fixture
def running(qtbot: Any, sandbox: SandboxControl, tmp_path: Path) -> Iterator[Running]:
    app = Running(sandbox, tmp_path)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def secrets(sandbox: SandboxControl) -> dict[str, str]:
    """The three secrets of this run: the login's password, an admin token, the Midtrans server key —
    kept in the app's secret store as the login would keep them."""
    values = {"password": sandbox.creds["admin_password"], "token": sandbox.admin_token(),
              "server key": sandbox.creds["server_key"]}
    store = default_store()
    store.set(sandbox.url, SecretKind.PASSWORD, values["password"], remember=False)
    store.set(sandbox.url, SecretKind.TOKEN, values["token"], remember=False)
    store.set(sandbox.url, SecretKind.MIDTRANS_SERVER_KEY, values["server key"], remember=False)
    yield values
    store.forget_session()


def test_help_about_copies_diagnostics_of_the_running_window_without_secrets(running, secrets, qtbot, sandbox,
                                                                             monkeypatch):
    qtbot.waitUntil(lambda: running.engine.status.state.value == "live", timeout=WAIT_MS)
    # the scrubber is the second line of defence; switched off, the collected values alone must be clean
    monkeypatch.setattr(diagnostics, "scrub", lambda text: text)
    running.window._actions["about"].trigger()
    dialog = running.window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.copy_button.click()
    text = QApplication.clipboard().text()

    for expected in (f"Zavera Desktop {__version__} (source checkout)", f"Backend: {sandbox.url}", "Connection: live",
                     "payments stored 0", "unread 0", "reconcile runs", "Notifications: ", "Keyring: ",
                     f"Qt: {__import__('PySide6').QtCore.qVersion()}", "Data folder: "):
        assert expected in text, f"{expected!r} not in:\n{text}"
    leaked = [name for name, value in secrets.items() if value in text]
    assert not leaked, f"{leaked} in the diagnostics:\n{text}"
    assert "Bearer" not in text

    # a second Help → About raises the same dialog instead of opening another
    assert show_about(running.window) is dialog
    dialog.close()
