"""Passwords, tokens and keys: in the OS keyring, or in memory for this session (no Qt here).

A secret lives in exactly two possible places: the OS password store through ``keyring``
(GNOME Keyring / KWallet via the Secret Service, Windows Credential Manager, macOS Keychain),
or this process's memory. Never a file: ``keyrings.alt`` (plain-text file backends) must not be
installed, and there is no "encrypted file" fallback on purpose.

When no keyring is usable (none installed, headless session without D-Bus, locked and the
unlock prompt dismissed, …) the store says so in words and keeps secrets in an in-memory dict
until the app quits. Every secret that passes through here is registered with the log scrubber.

Keyring calls may show an OS unlock prompt and wait for it, so the UI calls them off its thread.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import StrEnum

import keyring
import keyring.backend
import keyring.errors

from zavera_desktop.logging_setup import register_secret

log = logging.getLogger(__name__)

SERVICE = "zavera-desktop"


class SecretKind(StrEnum):
    PASSWORD = "password"
    TOKEN = "token"
    MIDTRANS_SERVER_KEY = "midtrans-server-key"


class Storage(StrEnum):
    """Where a secret was put."""

    KEYRING = "keyring"
    SESSION = "session"  # memory only, gone when the app quits


class KeyringProblem(StrEnum):
    NO_BACKEND = "no_backend"  # nothing installed / no Secret Service on the session bus
    DISABLED = "disabled"  # the user configured keyring's null backend
    LOCKED = "locked"  # the unlock prompt was dismissed
    FAILED = "failed"  # the store answered with an error


_PROBLEM_TEXT = {
    KeyringProblem.NO_BACKEND: "No password store (keyring) is available on this system",
    KeyringProblem.DISABLED: "The password store (keyring) is switched off in this account's keyring settings",
    KeyringProblem.LOCKED: "The password store (keyring) is locked and was not unlocked",
    KeyringProblem.FAILED: "The password store (keyring) reported an error",
}

_KIND_TEXT = {
    SecretKind.PASSWORD: "the password",
    SecretKind.TOKEN: "the token",
    SecretKind.MIDTRANS_SERVER_KEY: "the Midtrans server key",
}


def session_only_message(problem: KeyringProblem, kind: SecretKind = SecretKind.PASSWORD) -> str:
    """The admin-facing sentence for a secret that can only be kept for this session."""
    return (f"{_PROBLEM_TEXT[problem]}; {_KIND_TEXT[kind]} will be kept only until you close "
            f"Zavera Desktop.")


@dataclass(frozen=True, slots=True)
class KeyringStatus:
    """Whether secrets can be remembered across restarts; falsy when they cannot."""

    available: bool
    backend: str  # the keyring backend's name, for "doctor" and the settings window
    problem: KeyringProblem | None = None

    def __bool__(self) -> bool:
        return self.available

    @property
    def reason(self) -> str:
        """Why secrets are session-only (empty when the keyring works)."""
        return "" if self.problem is None else session_only_message(self.problem)


def normalize_backend_url(url: str) -> str:
    """One spelling per backend, so ``https://Shop.id/`` and ``https://shop.id`` share secrets."""
    url = url.strip().rstrip("/")
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def account_name(backend_url: str, kind: SecretKind) -> str:
    """The keyring "username" of one secret: its kind and the backend it belongs to."""
    return f"{kind.value}@{normalize_backend_url(backend_url)}"


def _problem_for(exc: BaseException) -> KeyringProblem:
    if isinstance(exc, keyring.errors.NoKeyringError):
        return KeyringProblem.NO_BACKEND
    if isinstance(exc, keyring.errors.KeyringLocked):
        return KeyringProblem.LOCKED
    if isinstance(exc, keyring.errors.InitError):
        return KeyringProblem.NO_BACKEND
    name = type(exc).__name__
    # secretstorage / jeepney errors when the Secret Service vanished from the bus
    if "NotAvailable" in name or "DBus" in name:
        return KeyringProblem.NO_BACKEND
    return KeyringProblem.FAILED


class SecretStore:
    """get / set / delete secrets per backend URL and kind, with a session-only fallback.

    Thread-safe: the UI calls it from a worker thread, the engine from its own.
    ``backend`` is for tests and tools that need a particular keyring; by default the one
    ``keyring`` selects is used (looked up lazily: keyring caches its choice for the process).
    """

    def __init__(self, service: str = SERVICE, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self.service = service
        self._backend = backend
        self._session: dict[str, str] = {}
        self._lock = threading.RLock()
        self._status: KeyringStatus | None = None

    # --- status ---------------------------------------------------------------------------------

    def _keyring(self) -> keyring.backend.KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def available(self, *, refresh: bool = False) -> KeyringStatus:
        """Whether the keyring can remember secrets; ``.reason`` says why not, in words.

        Detection makes no keyring call (that could pop up an unlock prompt); a failure of a
        later real call turns the status to unavailable with the matching reason, until
        ``refresh=True`` looks again (e.g. after the admin unlocked the keyring).
        """
        with self._lock:
            if self._status is None or refresh:
                self._status = self._detect()
            return self._status

    def _detect(self) -> KeyringStatus:
        from keyring.backends import chainer, fail, null

        try:
            backend = self._keyring()
        except Exception as exc:  # a broken keyring config must not stop the app
            log.warning("No usable keyring backend (%s)", type(exc).__name__)
            return KeyringStatus(False, "none", KeyringProblem.NO_BACKEND)
        name = _backend_name(backend)
        if isinstance(backend, fail.Keyring):
            return KeyringStatus(False, name, KeyringProblem.NO_BACKEND)
        if isinstance(backend, null.Keyring):
            return KeyringStatus(False, name, KeyringProblem.DISABLED)
        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            return KeyringStatus(False, name, KeyringProblem.NO_BACKEND)
        return KeyringStatus(True, name)

    def _mark_failed(self, exc: BaseException, action: str) -> KeyringProblem:
        problem = _problem_for(exc)
        # the class name only: a backend's message could in theory echo what it was given
        log.warning("Keyring %s failed (%s); secrets are kept for this session only", action, type(exc).__name__)
        with self._lock:
            self._status = KeyringStatus(False, self._status.backend if self._status else "unknown", problem)
        return problem

    # --- secrets --------------------------------------------------------------------------------

    def get(self, backend_url: str, kind: SecretKind) -> str | None:
        """The secret from this session, else from the keyring, else None."""
        key = account_name(backend_url, kind)
        with self._lock:
            value = self._session.get(key)
        if value is None and self.available():
            try:
                value = self._keyring().get_password(self.service, key)
            except Exception as exc:  # any backend error means "not available now", never a crash
                self._mark_failed(exc, "read")
                value = None
        if value:
            register_secret(value)
            with self._lock:
                self._session[key] = value
        return value or None

    def set(self, backend_url: str, kind: SecretKind, value: str, *, remember: bool = True) -> Storage:
        """Keep ``value``; with ``remember`` in the keyring when possible.

        Returns where it went. ``remember=False`` keeps it for this session only and removes a
        copy remembered earlier, so unticking "Remember" really forgets.
        """
        if not value:
            raise ValueError("an empty secret cannot be stored")
        register_secret(value)
        key = account_name(backend_url, kind)
        with self._lock:
            self._session[key] = value
        if not remember:
            self._delete_from_keyring(key)
            return Storage.SESSION
        if not self.available():
            return Storage.SESSION
        try:
            self._keyring().set_password(self.service, key, value)
        except Exception as exc:  # any backend error: fall back to memory and say why
            self._mark_failed(exc, "write")
            return Storage.SESSION
        return Storage.KEYRING

    def delete(self, backend_url: str, kind: SecretKind) -> None:
        """Forget the secret here and in the keyring (no error when there was none)."""
        key = account_name(backend_url, kind)
        with self._lock:
            self._session.pop(key, None)
        self._delete_from_keyring(key)

    def _delete_from_keyring(self, key: str) -> None:
        if not self.available():
            return
        try:
            self._keyring().delete_password(self.service, key)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing was stored: the wanted state already
        except Exception as exc:  # see get()
            self._mark_failed(exc, "delete")

    def forget_session(self) -> None:
        """Drop every in-memory copy (log out); the keyring keeps what was remembered."""
        with self._lock:
            self._session.clear()


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    name = getattr(backend, "name", None)
    return name if isinstance(name, str) and name else type(backend).__name__


_default: SecretStore | None = None
_default_lock = threading.Lock()


def default_store() -> SecretStore:
    """The process-wide store (one session memory for the whole app)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = SecretStore()
        return _default
