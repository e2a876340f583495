"""Settings → Midtrans: environment, custom address, server key and webhook URL. The key goes to the OS
keyring (GNOME Keyring on the tests' private bus) or, without one, stays in memory with a clear message;
it is never in QSettings or any file (the data and config folders are scanned). Saving hands the new
values to the engine at once; the start-up reads them back; a run that saves nothing (the demo) changes
the engine only.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from zavera_desktop.backend.midtrans import MIDTRANS_BASE_URLS, MidtransAccess
from zavera_desktop.config import EngineSettings
from zavera_desktop.engine import Engine
from zavera_desktop.secrets import SecretKind, SecretStore
from zavera_desktop.store import Store
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.midtrans_settings import (
    MidtransPrefs,
    MidtransSettingsDialog,
    load_midtrans_access,
    load_prefs,
)
from zavera_desktop.ui.settings import AppSettings

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DBUS_SESSION_BUS_ADDRESS"),
                       reason="needs the private session bus and unlocked gnome-keyring of tests/ui/conftest.py"),
    pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)"),
]

URL = "https://api.shop.test"
KEY = "SB-Mid-server-rahasia-" + uuid.uuid4().hex  # unique: a scan finds only this run's copies
WAIT_MS = 5000


class RecordingEngine(Engine):
    """A real engine (not started: its setters need no loop) that remembers what Midtrans it was given."""

    def __init__(self, store: Store) -> None:
        super().__init__(EngineSettings(backend_url=URL), store, token="t")
        self.midtrans_calls: list[MidtransAccess | None] = []

    def set_midtrans(self, access: MidtransAccess | None) -> None:
        self.midtrans_calls.append(access)
        super().set_midtrans(access)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[RecordingEngine]:
    store = Store.open(tmp_path / "m.db")
    yield RecordingEngine(store)
    store.close()


@pytest.fixture
def keyring_store() -> SecretStore:
    from keyring.backends import SecretService

    # a service of its own per test: runs never see each other's items
    return SecretStore(f"zavera-desktop-test-{uuid.uuid4().hex[:12]}", backend=SecretService.Keyring())


@pytest.fixture
def make_dialog(qtbot: Any, tmp_path: Path, engine: RecordingEngine) -> Callable[..., MidtransSettingsDialog]:
    bridge = EngineBridge()

    def make(secrets: SecretStore, *, persist: bool = True, current: MidtransAccess | None = None,
             settings: AppSettings | None = None) -> MidtransSettingsDialog:
        dialog = MidtransSettingsDialog(settings or AppSettings(tmp_path / "settings.ini"), engine, bridge,
                                        backend_url=URL, current=current, persist=persist, secrets=secrets)
        qtbot.addWidget(dialog)
        dialog.show()
        if persist:
            qtbot.waitUntil(lambda: dialog._has_key is not None, timeout=WAIT_MS)  # the keyring was asked
        return dialog

    return make


def choose(dialog: MidtransSettingsDialog, environment: str) -> None:
    dialog.environment.setCurrentIndex(dialog.environment.findData(environment))


def save(qtbot: Any, dialog: MidtransSettingsDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)


def files_containing(secret: str, roots: list[Path]) -> list[Path]:
    found = []
    for root in roots:
        for path in root.rglob("*") if root.exists() else ():
            try:
                if path.is_file() and not path.is_symlink() and secret.encode() in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
    return found


def data_and_config_dirs(tmp_path: Path) -> list[Path]:
    dirs = [tmp_path]
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        if os.environ.get(name):
            dirs.append(Path(os.environ[name]))
    return dirs


def test_the_key_goes_to_the_keyring_and_nowhere_else_and_the_engine_uses_it_at_once(
        qtbot, make_dialog, engine, keyring_store, tmp_path):
    dialog = make_dialog(keyring_store)
    assert dialog.environment.currentData() == ""  # not set up yet
    assert not dialog.server_key.isEnabled()
    assert "kept in the system's password store" in dialog._storage_note.text()
    choose(dialog, "sandbox")
    assert dialog._key_state.text().startswith("No server key is set yet.")
    assert not dialog.custom_url.isVisible()
    dialog.server_key.setText(KEY)
    dialog.webhook_url.setText(f"{URL}/api/payments/core/webhook")
    save(qtbot, dialog)

    assert dialog.message_kind() == "ok"
    assert dialog.result_text() == "Saved, and in use now: Sandbox (test payments) at https://api.sandbox.midtrans.com."
    access = MidtransAccess(MIDTRANS_BASE_URLS["sandbox"], KEY, "sandbox")
    assert engine.midtrans_calls == [access]
    assert engine.webhook_url == f"{URL}/api/payments/core/webhook"
    assert dialog.server_key.text() == "" and dialog.close_button.text() == "Close"
    settings = AppSettings(tmp_path / "settings.ini")
    prefs = load_prefs(settings)
    assert prefs == MidtransPrefs("sandbox", "", f"{URL}/api/payments/core/webhook")

    # the next start: the saved choice and the key from the keyring (a new store: nothing in memory)
    later = SecretStore(keyring_store.service, backend=keyring_store._keyring())
    assert load_midtrans_access(prefs, URL + "/", later) == access

    # never in QSettings or any file of the app's folders
    settings.sync()
    assert KEY not in (tmp_path / "settings.ini").read_text()
    assert files_containing(KEY, data_and_config_dirs(tmp_path)) == []

    # open again: the key is kept without showing it; another environment reuses it
    again = make_dialog(keyring_store)
    assert again.environment.currentData() == "sandbox"
    assert again._key_state.text().startswith("A server key is set")
    assert again.server_key.text() == ""
    choose(again, "production")
    save(qtbot, again)
    assert engine.midtrans_calls[-1] == MidtransAccess(MIDTRANS_BASE_URLS["production"], KEY, "production")

    # "Not set up": the key is removed from the keyring, the engine has no Midtrans
    third = make_dialog(keyring_store)
    choose(third, "")
    save(qtbot, third)
    assert engine.midtrans_calls[-1] is None
    assert third.result_text() == "Midtrans is not set up any more; the server key was removed."
    assert SecretStore(keyring_store.service, backend=keyring_store._keyring()).get(
        URL, SecretKind.MIDTRANS_SERVER_KEY) is None
    assert load_prefs(AppSettings(tmp_path / "settings.ini")).environment == ""


def test_without_a_keyring_the_key_lasts_this_session_and_it_says_so(qtbot, make_dialog, engine, tmp_path):
    from keyring.backends import fail

    secrets = SecretStore(backend=fail.Keyring())
    dialog = make_dialog(secrets)
    note = dialog._storage_note.text()
    assert note.startswith("No password store (keyring) is available on this system, so the server key will be "
                           "kept only until you close Zavera Desktop")
    assert "never written to a file" in note
    choose(dialog, "custom")
    assert dialog.custom_url.isVisible()
    dialog.custom_url.setText("http://127.0.0.1:8080/midtrans/")
    dialog.server_key.setText(KEY)
    save(qtbot, dialog)
    assert dialog.message_kind() == "warning"
    assert dialog.result_text().startswith("Saved, and in use now. But the key is kept for this session only: No "
                                           "password store (keyring) is available")
    assert engine.midtrans_calls == [MidtransAccess("http://127.0.0.1:8080/midtrans", KEY, "custom")]
    assert secrets.get(URL, SecretKind.MIDTRANS_SERVER_KEY) == KEY  # memory
    assert load_prefs(AppSettings(tmp_path / "settings.ini")) == MidtransPrefs("custom",
                                                                                "http://127.0.0.1:8080/midtrans", "")
    assert files_containing(KEY, data_and_config_dirs(tmp_path)) == []


def test_mistakes_are_said_and_nothing_is_saved(qtbot, make_dialog, engine, keyring_store, tmp_path):
    dialog = make_dialog(keyring_store)
    choose(dialog, "custom")
    dialog.custom_url.setText("127.0.0.1:8080/midtrans")
    dialog.server_key.setText(KEY)
    save(qtbot, dialog)
    assert dialog.message_kind() == "error" and "starting with http:// or https://" in dialog.result_text()

    dialog.custom_url.setText("http://127.0.0.1:8080/midtrans")
    dialog.webhook_url.setText("https://elsewhere.test/api/webhook/midtrans/core")
    save(qtbot, dialog)
    assert dialog.result_text() == ("The webhook address https://elsewhere.test/api/webhook/midtrans/core is not on "
                                    "the shop's backend (https://api.shop.test): a replay is only sent to the "
                                    "configured backend.")

    dialog.webhook_url.clear()
    dialog.server_key.clear()
    save(qtbot, dialog)
    assert dialog.result_text().startswith("Type the server key")
    assert engine.midtrans_calls == []
    assert load_prefs(AppSettings(tmp_path / "settings.ini")).environment == ""
    assert keyring_store.get(URL, SecretKind.MIDTRANS_SERVER_KEY) is None


def test_a_run_that_saves_nothing_changes_the_engine_only(qtbot, make_dialog, engine, keyring_store, tmp_path):
    current = MidtransAccess("http://127.0.0.1:9999/midtrans", "SB-Mid-server-demo", "custom")
    dialog = make_dialog(keyring_store, persist=False, current=current)
    assert dialog.environment.currentData() == "custom"
    assert dialog.custom_url.text() == "http://127.0.0.1:9999/midtrans"
    assert dialog._key_state.text().startswith("A server key is set")
    assert dialog._storage_note.text().startswith("This run saves nothing")
    save(qtbot, dialog)  # the key kept in memory is used again
    assert engine.midtrans_calls == [current]
    again = make_dialog(keyring_store, persist=False, current=current)
    again.server_key.setText(KEY)
    save(qtbot, again)
    assert engine.midtrans_calls[-1] == MidtransAccess("http://127.0.0.1:9999/midtrans", KEY, "custom")
    assert keyring_store.get(URL, SecretKind.MIDTRANS_SERVER_KEY) is None
    ini = tmp_path / "settings.ini"
    assert not ini.exists() or "midtrans" not in ini.read_text()


def test_the_settings_window_opens_it(qtbot, tmp_path):
    from zavera_desktop.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(AppSettings(tmp_path / "s.ini"), apply_autostart=None)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.midtrans_requested, timeout=1000):
        qtbot.mouseClick(dialog.findChild(object, "midtransButton"), Qt.MouseButton.LeftButton)


def test_the_demo_comes_with_the_sandbox_simulator(qapp):
    from zavera_desktop.ui.app import DemoBackend

    demo = DemoBackend(traffic=1.0)
    try:
        conn = demo.start()
        creds = demo.credentials
        assert conn.midtrans == MidtransAccess(f"{creds['url']}/midtrans", creds["server_key"], "custom")
        assert not conn.persist
    finally:
        demo.stop()


def test_the_start_up_hands_the_saved_midtrans_to_the_engine_and_a_replay_works(qapp, sandbox, tmp_path):
    """``ui/app.py``'s ``_run_window`` with saved Midtrans settings: the key comes from the secret store (here this
    session's memory), the engine and the window get it, and the saved webhook URL is the one posted to."""
    import time

    import shiboken6
    from PySide6.QtCore import QTimer

    from tests.helpers import FAST
    from tests.ui.admin_harness import QUIET
    from zavera_desktop.backend.client import Credentials
    from zavera_desktop.secrets import default_store
    from zavera_desktop.ui import app as app_module
    from zavera_desktop.ui.midtrans_settings import save_prefs
    from zavera_desktop.ui.replay_dialog import DONE, PREVIEW

    settings = AppSettings(tmp_path / "s.ini")
    webhook = f"{sandbox.url}/api/payments/core/webhook"  # the other Core route: shows the saved URL is used
    save_prefs(settings, MidtransPrefs("custom", f"{sandbox.url}/midtrans", webhook))
    secrets = default_store()
    secrets.set(sandbox.url, SecretKind.MIDTRANS_SERVER_KEY, sandbox.creds["server_key"], remember=False)
    creds = sandbox.creds
    conn = app_module.Connection(EngineSettings(backend_url=sandbox.url, **{**FAST, **QUIET}), None,
                                 Credentials(creds["admin_email"], creds["admin_password"]), creds["admin_email"],
                                 tmp_path / "app.db", persist=False)
    code = sandbox.create_order()["order_code"]
    sandbox.pay(code, webhook="drop")
    session = app_module.Session(qapp)
    seen: dict[str, Any] = {}
    deadline = time.monotonic() + 30

    def drive(window: Any) -> None:
        seen.setdefault("window", window)
        seen.setdefault("midtrans", window.admin_actions.midtrans)
        dialog = seen.get("dialog")
        if time.monotonic() > deadline:
            seen["timeout"] = dialog.stage if dialog is not None else "no dialog"
        elif dialog is None and window.engine.running and window.status_bar.state_text == "Live":
            seen["dialog"] = window.admin_actions.open_replay(code)
        elif dialog is not None and dialog.stage == PREVIEW and "webhook_url" not in seen:
            seen["webhook_url"] = dialog.preview.webhook_url
            dialog.send()
        elif dialog is not None and dialog.stage == DONE:
            seen["result"] = dialog.result.text()
        if "result" in seen or "timeout" in seen:
            session.request_quit()
            return
        QTimer.singleShot(50, lambda: drive(window))

    try:
        assert app_module._run_window(session, settings, conn,
                                      on_started=lambda w: QTimer.singleShot(0, lambda: drive(w))) == 0
    finally:
        secrets.delete(sandbox.url, SecretKind.MIDTRANS_SERVER_KEY)
        session.close()
        session.deleteLater()
        # _run_window's deleteLater comes after the loop ended: delete the window (and its tray icon, which holds
        # the tray's D-Bus paths) now, as the process exit would
        window = seen.pop("window", None)
        if window is not None and shiboken6.isValid(window):
            shiboken6.delete(window)
        # Qt's quit() with a window open finishes after exec() returned and leaves the thread "quitting": every
        # later event loop (pytest-qt's waits) would return at once. One more, empty exec() settles that.
        QTimer.singleShot(0, qapp.quit)
        qapp.exec()
    assert "timeout" not in seen, seen
    assert seen["midtrans"] == MidtransAccess(f"{sandbox.url}/midtrans", creds["server_key"], "custom")
    assert seen["webhook_url"] == webhook
    assert seen["result"].startswith(f"The shop now shows {code} as Paid.")
