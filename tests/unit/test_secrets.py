"""The secret store without a real keyring: the no-keyring path, failures mid-session, the scrubber.

The real GNOME Keyring round trip is in tests/ui/test_keyring.py (that package's conftest starts
a private D-Bus and an unlocked keyring). ``keyring`` caches its backend for the process, so the
tests that change it restore the cached value exactly (including "not chosen yet").
"""

from __future__ import annotations

import logging

import keyring
import keyring.backend
import keyring.core
import keyring.errors
import pytest
from keyring.backends import fail, null

from tests.memory_keyring import MemoryKeyring
from zavera_desktop.logging_setup import scrub
from zavera_desktop.secrets import (
    SERVICE,
    KeyringProblem,
    SecretKind,
    SecretStore,
    Storage,
    account_name,
    session_only_message,
)

URL = "https://api.shop.test"


class LockedKeyring(MemoryKeyring):
    """A keyring whose unlock prompt the admin dismissed."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    get_password = set_password  # type: ignore[assignment]


class DBusErrorResponse(Exception):
    """Named like jeepney's error when the Secret Service vanished from the bus."""


class VanishedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise DBusErrorResponse("org.freedesktop.DBus.Error.ServiceUnknown")


@pytest.fixture
def global_keyring():
    """Set keyring's process-wide backend for one test and restore what was cached before."""
    saved = keyring.core._keyring_backend  # private, but the only way to restore "not chosen yet"

    def use(backend: keyring.backend.KeyringBackend | None) -> None:
        keyring.core._keyring_backend = backend

    yield use
    keyring.core._keyring_backend = saved


def test_no_keyring_keeps_the_secret_for_the_session_and_says_so():
    store = SecretStore(backend=fail.Keyring())
    status = store.available()
    assert not status
    assert status.problem is KeyringProblem.NO_BACKEND
    assert status.reason == ("No password store (keyring) is available on this system; the password will be "
                             "kept only until you close Zavera Desktop.")
    assert store.set(URL, SecretKind.PASSWORD, "hunter2-pw") is Storage.SESSION
    assert store.get(URL, SecretKind.PASSWORD) == "hunter2-pw"
    assert store.get(URL, SecretKind.TOKEN) is None
    store.delete(URL, SecretKind.PASSWORD)
    assert store.get(URL, SecretKind.PASSWORD) is None


def test_the_process_wide_fail_backend_is_detected(global_keyring):
    global_keyring(fail.Keyring())
    store = SecretStore()
    assert store.available().problem is KeyringProblem.NO_BACKEND
    assert store.set(URL, SecretKind.TOKEN, "eyJ.tok.en") is Storage.SESSION


def test_python_keyring_backend_variable(global_keyring, monkeypatch):
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    global_keyring(None)  # let keyring choose again, from the variable
    store = SecretStore()
    assert store.available().problem is KeyringProblem.NO_BACKEND
    assert isinstance(keyring.get_keyring(), fail.Keyring)


def test_null_keyring_is_disabled_not_working():
    status = SecretStore(backend=null.Keyring()).available()
    assert not status and status.problem is KeyringProblem.DISABLED


def test_keyring_round_trip_and_keys_per_backend_and_kind():
    backend = MemoryKeyring()
    store = SecretStore(backend=backend)
    assert store.available()
    assert store.set(URL + "/", SecretKind.PASSWORD, "pw-one") is Storage.KEYRING
    assert store.set(URL, SecretKind.TOKEN, "tok-one") is Storage.KEYRING
    assert store.set("https://other.test", SecretKind.PASSWORD, "pw-two") is Storage.KEYRING
    assert backend.items[(SERVICE, account_name(URL, SecretKind.PASSWORD))] == "pw-one"
    # a fresh store (the next app start) reads them from the keyring
    later = SecretStore(backend=backend)
    assert later.get("HTTPS://API.SHOP.TEST", SecretKind.PASSWORD) == "pw-one"
    assert later.get(URL, SecretKind.TOKEN) == "tok-one"
    assert later.get("https://other.test", SecretKind.PASSWORD) == "pw-two"
    later.delete(URL, SecretKind.PASSWORD)
    later.delete(URL, SecretKind.PASSWORD)  # twice: no error
    assert SecretStore(backend=backend).get(URL, SecretKind.PASSWORD) is None


def test_not_remembering_forgets_an_earlier_remembered_secret():
    backend = MemoryKeyring()
    store = SecretStore(backend=backend)
    store.set(URL, SecretKind.PASSWORD, "old-pw")
    assert store.set(URL, SecretKind.PASSWORD, "new-pw", remember=False) is Storage.SESSION
    assert store.get(URL, SecretKind.PASSWORD) == "new-pw"
    assert backend.items == {}


def test_locked_keyring_falls_back_to_memory_with_the_reason(caplog):
    store = SecretStore(backend=LockedKeyring())
    assert store.available()  # detection cannot know about the lock without asking
    with caplog.at_level(logging.WARNING):
        assert store.set(URL, SecretKind.PASSWORD, "locked-pw-123") is Storage.SESSION
    status = store.available()
    assert status.problem is KeyringProblem.LOCKED
    assert "locked" in status.reason and "until you close Zavera Desktop" in status.reason
    assert store.get(URL, SecretKind.PASSWORD) == "locked-pw-123"
    assert "locked-pw-123" not in caplog.text
    # after the admin unlocked it, a refresh looks again
    assert store.available(refresh=True)


def test_secret_service_vanishing_mid_session_is_no_keyring():
    store = SecretStore(backend=VanishedKeyring())
    assert store.get(URL, SecretKind.TOKEN) is None
    assert store.available().problem is KeyringProblem.NO_BACKEND


def test_every_secret_is_registered_with_the_log_scrubber():
    backend = MemoryKeyring()
    SecretStore(backend=backend).set(URL, SecretKind.MIDTRANS_SERVER_KEY, "SB-Mid-server-s3cr3t")
    backend.items[(SERVICE, account_name(URL, SecretKind.TOKEN))] = "token-read-back-later"
    SecretStore(backend=backend).get(URL, SecretKind.TOKEN)
    assert scrub("key SB-Mid-server-s3cr3t and token-read-back-later") == "key *** and ***"


def test_empty_secret_is_refused():
    with pytest.raises(ValueError):
        SecretStore(backend=MemoryKeyring()).set(URL, SecretKind.PASSWORD, "")


def test_message_names_the_secret():
    assert session_only_message(KeyringProblem.NO_BACKEND, SecretKind.MIDTRANS_SERVER_KEY).endswith(
        "the Midtrans server key will be kept only until you close Zavera Desktop.")
