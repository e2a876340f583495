"""The real OS keyring: GNOME Keyring over the Secret Service, on the private session bus that
tests/ui/conftest.py starts (with an unlocked keyring) for the whole tests/ui session.

The backend is built explicitly rather than taken from ``keyring.get_keyring()``: keyring picks
its backend once per process, and another test may have made it choose before the bus was up.
"""

from __future__ import annotations

import os
import uuid

import pytest
from PySide6.QtCore import Qt

from zavera_desktop.secrets import SecretKind, SecretStore, Storage, account_name
from zavera_desktop.ui.login_dialog import LoginDialog
from zavera_desktop.ui.settings import AppSettings

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DBUS_SESSION_BUS_ADDRESS"),
                       reason="needs the private session bus and unlocked gnome-keyring of tests/ui/conftest.py"),
    pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)"),  # offscreen's limit
]

URL = "https://api.shop.test"


@pytest.fixture
def secret_service():
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    try:
        backend.priority  # noqa: B018 - raises when no Secret Service daemon is on the bus
    except RuntimeError as exc:
        pytest.fail(f"the Secret Service is not available on the session bus: {exc}")
    return backend


@pytest.fixture
def service() -> str:
    # a service name of its own per test, so runs never see each other's items
    return f"zavera-desktop-test-{uuid.uuid4().hex[:12]}"


def test_round_trip_through_gnome_keyring(secret_service, service):
    store = SecretStore(service, backend=secret_service)
    status = store.available()
    assert status and status.problem is None
    assert store.set(URL, SecretKind.PASSWORD, "kata-sandi-rahasia") is Storage.KEYRING
    assert store.set(URL, SecretKind.TOKEN, "eyJ.token.value") is Storage.KEYRING

    # the next start of the app: a new store, nothing in memory, read from the daemon
    later = SecretStore(service, backend=secret_service)
    assert later.get(URL + "/", SecretKind.PASSWORD) == "kata-sandi-rahasia"
    assert later.get(URL, SecretKind.TOKEN) == "eyJ.token.value"
    assert secret_service.get_password(service, account_name(URL, SecretKind.PASSWORD)) == "kata-sandi-rahasia"

    later.delete(URL, SecretKind.PASSWORD)
    assert secret_service.get_password(service, account_name(URL, SecretKind.PASSWORD)) is None
    assert SecretStore(service, backend=secret_service).get(URL, SecretKind.PASSWORD) is None
    later.delete(URL, SecretKind.TOKEN)
    assert secret_service.get_password(service, account_name(URL, SecretKind.TOKEN)) is None


def test_unticking_remember_removes_the_stored_secret(secret_service, service):
    store = SecretStore(service, backend=secret_service)
    store.set(URL, SecretKind.PASSWORD, "old-password")
    assert store.set(URL, SecretKind.PASSWORD, "new-password", remember=False) is Storage.SESSION
    assert secret_service.get_password(service, account_name(URL, SecretKind.PASSWORD)) is None
    assert store.get(URL, SecretKind.PASSWORD) == "new-password"


def test_login_dialog_remembers_in_gnome_keyring(qtbot, sandbox, secret_service, service, tmp_path):
    dialog = LoginDialog(settings=AppSettings(tmp_path / "s.ini"),
                         secret_store=SecretStore(service, backend=secret_service))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.findChild(object, "keyringNote").isVisible()
    creds = sandbox.creds
    dialog.findChild(object, "backendEdit").setText(sandbox.url)
    dialog.findChild(object, "emailEdit").setText(creds["admin_email"])
    dialog.findChild(object, "passwordEdit").setText(creds["admin_password"])
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        qtbot.mouseClick(dialog.findChild(object, "loginButton"), Qt.MouseButton.LeftButton)
    outcome = dialog.outcome()
    assert outcome.stored is Storage.KEYRING
    fresh = SecretStore(service, backend=secret_service)
    try:
        assert fresh.get(outcome.backend_url, SecretKind.PASSWORD) == creds["admin_password"]
    finally:
        fresh.delete(outcome.backend_url, SecretKind.PASSWORD)
