"""Settings → Midtrans: which Midtrans the app asks (sandbox, production, or a custom address such as the
embedded sandbox's own simulator), the merchant's server key, and the backend's webhook URL for replays.

Where each value lives:

* environment, custom address, webhook URL: ``AppSettings`` (QSettings keys ``midtrans/…``) — no secret;
* the server key: the OS keyring through ``SecretStore`` (kind ``MIDTRANS_SERVER_KEY``, per backend URL),
  or this session's memory when there is no keyring — never QSettings, a file, a log or the audit log.

Keyring calls may wait for an unlock prompt, so they run on a worker thread and come back through the
bridge. Saving calls ``engine.set_midtrans`` / ``engine.set_webhook_url`` at once: verify's direct
look-up and the next replay use the new values without a restart. A run that must not save anything
(the demo, ``gui`` with command-line options) changes the running engine only.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.backend.midtrans import MIDTRANS_BASE_URLS, MidtransAccess
from zavera_desktop.engine import ActionError, Engine
from zavera_desktop.engine.replay import check_webhook_url, default_webhook_url
from zavera_desktop.logging_setup import register_secret
from zavera_desktop.secrets import KeyringProblem, SecretKind, SecretStore, Storage, default_store
from zavera_desktop.ui import action_words
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.settings import AppSettings

log = logging.getLogger(__name__)

T = TypeVar("T")

ENVIRONMENT_KEY = "midtrans/environment"  # "" (not set up) | sandbox | production | custom
CUSTOM_URL_KEY = "midtrans/custom_url"
WEBHOOK_URL_KEY = "midtrans/webhook_url"  # "" means {backend}/api/webhook/midtrans/core
ENVIRONMENTS = ("", "sandbox", "production", "custom")
CUSTOM_URL_EXAMPLE = "http://127.0.0.1:8080/midtrans"


# --- what is saved (no Qt widgets; the start-up reads it on a worker thread) ----------------------------

@dataclass(frozen=True, slots=True)
class MidtransPrefs:
    """The saved Midtrans choice, without the key."""

    environment: str = ""
    custom_url: str = ""
    webhook_url: str = ""

    @property
    def base_url(self) -> str:
        return MIDTRANS_BASE_URLS.get(self.environment, self.custom_url if self.environment == "custom" else "")

    def access(self, server_key: str | None) -> MidtransAccess | None:
        """The engine's ``MidtransAccess``, or None when not set up or without a key."""
        if not self.environment or not self.base_url or not server_key:
            return None
        return MidtransAccess(self.base_url, server_key, self.environment)


def load_prefs(settings: AppSettings) -> MidtransPrefs:
    q = settings.qsettings
    environment = str(q.value(ENVIRONMENT_KEY, "") or "")
    if environment not in ENVIRONMENTS:
        environment = ""  # a hand-edited file must not stop the app
    return MidtransPrefs(environment, str(q.value(CUSTOM_URL_KEY, "") or ""), str(q.value(WEBHOOK_URL_KEY, "") or ""))


def save_prefs(settings: AppSettings, prefs: MidtransPrefs) -> None:
    q = settings.qsettings
    q.setValue(ENVIRONMENT_KEY, prefs.environment)
    q.setValue(CUSTOM_URL_KEY, prefs.custom_url)
    q.setValue(WEBHOOK_URL_KEY, prefs.webhook_url)
    settings.sync()


def prefs_of(access: MidtransAccess | None, webhook_url: str = "") -> MidtransPrefs:
    """What an engine uses now, as prefs (the demo's in-memory Midtrans)."""
    if access is None:
        return MidtransPrefs(webhook_url=webhook_url)
    custom = "" if access.environment in MIDTRANS_BASE_URLS else access.base_url
    environment = access.environment if access.environment in ENVIRONMENTS else "custom"
    return MidtransPrefs(environment, custom, webhook_url)


def load_midtrans_access(prefs: MidtransPrefs, backend_url: str,
                         secrets: SecretStore | None = None) -> MidtransAccess | None:
    """The saved Midtrans with its key from the keyring (start-up, on a worker thread: the keyring may wait for
    an unlock prompt; ``prefs`` are read before, on the GUI thread). None when Midtrans is not set up or no key
    is kept for this backend."""
    if not prefs.environment:
        return None
    key = (secrets or default_store()).get(backend_url, SecretKind.MIDTRANS_SERVER_KEY)
    access = prefs.access(key)
    if access is None:
        log.info("Midtrans is set to %s, but no server key is kept for %s: replays need it set again",
                 prefs.environment, backend_url)
    return access


def apply_saved_webhook_url(engine: Engine, settings: AppSettings) -> None:
    """The saved webhook URL to the engine (start-up). One for another backend is left out, with a log line."""
    url = load_prefs(settings).webhook_url
    if not url:
        return
    try:
        engine.set_webhook_url(url)
    except ActionError as exc:
        log.warning("The saved webhook URL is not used: %s", exc)


def check_custom_url(url: str) -> str:
    """A custom Midtrans base URL, tidied; ValueError when it is not an http(s) address."""
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")) or len(url) <= len("https://"):
        raise ValueError(url)
    return url


def off_thread(fn: Callable[[], T]) -> concurrent.futures.Future[T]:
    """``fn`` on a daemon thread (a keyring call may wait for an unlock prompt nobody answers)."""
    future: concurrent.futures.Future[T] = concurrent.futures.Future()

    def work() -> None:
        try:
            future.set_result(fn())
        except BaseException as exc:  # delivered through the future
            future.set_exception(exc)

    threading.Thread(target=work, name="zavera-keyring", daemon=True).start()
    return future


@dataclass(frozen=True, slots=True)
class _Saved:
    access: MidtransAccess | None
    storage: Storage | None  # where a new key went (None: no new key)

    def __repr__(self) -> str:  # the access hides its key; say nothing more
        return f"_Saved(access={self.access!r}, storage={self.storage!r})"


# --- the dialog --------------------------------------------------------------------------------------------

class MidtransSettingsDialog(QDialog):
    """``MidtransSettingsDialog(settings, engine, bridge, backend_url=…, current=…, persist=…)``; ``open()``.

    ``current`` is what the engine uses now (shown when nothing may be saved: the demo). ``applied`` carries
    the new ``MidtransAccess`` (or None) once the engine has it.
    """

    applied = Signal(object)

    def __init__(self, settings: AppSettings, engine: Engine, bridge: EngineBridge, *, backend_url: str,
                 current: MidtransAccess | None = None, persist: bool = True, secrets: SecretStore | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("midtransSettingsDialog")
        self._settings = settings
        self._engine = engine
        self._bridge = bridge
        self._backend_url = backend_url
        self._current = current
        self._persist = persist
        self._secrets = secrets or default_store()
        # whether a key is kept: True/False, None while the keyring is asked (kept as data, never the key)
        self._has_key: bool | None = None if persist else current is not None
        self._busy = False
        # ("ok" | "warning" | "error", text): rendered again on a language change
        self._message: tuple[str, str] | None = None
        self._done = False
        self._build()
        self._load()
        self._retranslate()
        if persist:
            # the worker gets the store and the URL, not this dialog (no widget is touched off the GUI thread)
            secrets, url = self._secrets, backend_url
            self._bridge.call(off_thread(lambda: secrets.get(url, SecretKind.MIDTRANS_SERVER_KEY) is not None),
                              self._on_key_state, self._on_key_state_error, context=self)

    # --- layout -------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.setMinimumWidth(560)
        self._intro = QLabel(self)
        self._intro.setWordWrap(True)
        self.environment = QComboBox(self)
        self.environment.setObjectName("midtransEnvironment")
        for value in ENVIRONMENTS:
            self.environment.addItem("", value)
        self.custom_url = QLineEdit(self)
        self.custom_url.setObjectName("midtransCustomUrl")
        self.custom_url.setPlaceholderText(CUSTOM_URL_EXAMPLE)
        self.server_key = QLineEdit(self)
        self.server_key.setObjectName("midtransServerKey")
        self.server_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.server_key.setClearButtonEnabled(True)
        self._key_state = QLabel(self)
        self._key_state.setObjectName("midtransKeyState")
        self._key_state.setWordWrap(True)
        self._key_state.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.webhook_url = QLineEdit(self)
        self.webhook_url.setObjectName("webhookUrl")
        self.webhook_url.setPlaceholderText(default_webhook_url(self._backend_url))
        self._webhook_note = QLabel(self)
        self._webhook_note.setWordWrap(True)
        self._webhook_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._environment_label, self._url_label = QLabel(self), QLabel(self)
        self._key_label, self._webhook_label = QLabel(self), QLabel(self)
        for label, field in ((self._environment_label, self.environment), (self._url_label, self.custom_url),
                             (self._key_label, self.server_key), (self._webhook_label, self.webhook_url)):
            label.setBuddy(field)
        form = QFormLayout()
        form.addRow(self._environment_label, self.environment)
        form.addRow(self._url_label, self.custom_url)
        # a field and its note in one cell: a wrapped note in a row of its own leaves odd gaps in a form
        form.addRow(self._key_label, self._with_note(self.server_key, self._key_state))
        form.addRow(self._webhook_label, self._with_note(self.webhook_url, self._webhook_note))
        self._form = form
        self._storage_note = QLabel(self)
        self._storage_note.setObjectName("midtransStorageNote")
        self._storage_note.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("midtransMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        self.save_button = QPushButton(self)
        self.save_button.setObjectName("midtransSaveButton")
        self.save_button.setDefault(True)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("midtransCloseButton")
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self._storage_note)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

        self.environment.currentIndexChanged.connect(self._update_enabled)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)

    def _with_note(self, field: QWidget, note: QLabel) -> QWidget:
        cell = QWidget(self)
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(field)
        box.addWidget(note)
        return cell

    def _load(self) -> None:
        if self._persist:
            prefs = load_prefs(self._settings)
        else:
            shown = self._engine.webhook_url
            default = default_webhook_url(self._backend_url)
            prefs = prefs_of(self._current, "" if shown == default else shown)
        self.environment.setCurrentIndex(max(0, self.environment.findData(prefs.environment)))
        self.custom_url.setText(prefs.custom_url)
        self.webhook_url.setText(prefs.webhook_url)
        self._update_enabled()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Midtrans — Zavera Desktop"))
        self._intro.setText(self.tr(
            "To replay a notification the shop never received, the app asks Midtrans itself for the payment's "
            "status and signs the notification with the shop's server key. The automatic checks use it too, to ask "
            "Midtrans directly. The key never leaves this computer except inside that signature and Midtrans' own "
            "login."))
        self._environment_label.setText(self.tr("&Environment:"))
        self.environment.setItemText(0, self.tr("Not set up"))
        self.environment.setItemText(1, self.tr("Sandbox (api.sandbox.midtrans.com)"))
        self.environment.setItemText(2, self.tr("Production (api.midtrans.com, real money)"))
        self.environment.setItemText(3, self.tr("Custom address…"))
        self._url_label.setText(self.tr("Midtrans &address:"))
        self._key_label.setText(self.tr("Server &key:"))
        self.server_key.setToolTip(self.tr("Midtrans dashboard → Settings → Access Keys → Server Key. Sandbox keys "
                                           "start with SB-Mid-server-."))
        self._webhook_label.setText(self.tr("Shop's &webhook:"))
        self._webhook_note.setText(self.tr("Where replays are posted. Leave it empty for the usual address (%1); it "
                                           "must be on the shop's backend.")
                                   .replace("%1", default_webhook_url(self._backend_url)))
        self.save_button.setText(self.tr("&Save"))
        self.close_button.setText(self.tr("Close") if self._done else self.tr("Cancel"))
        self._render_key_state()
        self._render_storage_note()
        self._render_message()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    @Slot()
    def _update_enabled(self) -> None:
        environment = self.environment.currentData()
        self.custom_url.setEnabled(environment == "custom" and not self._busy)
        self._form.setRowVisible(self.custom_url, environment == "custom")
        for widget in (self.server_key, self.webhook_url):
            widget.setEnabled(bool(environment) and not self._busy)
        self.environment.setEnabled(not self._busy)
        self.save_button.setEnabled(not self._busy and not self._done)
        self._render_key_state()

    # --- the words -----------------------------------------------------------------------------------

    def _render_key_state(self) -> None:
        if not self.environment.currentData():
            self._key_state.setText(self.tr("Without Midtrans, replays are not possible; status checks still work "
                                            "(the shop asks Midtrans itself)."))
            self.server_key.setPlaceholderText("")
            return
        where = self.tr("Midtrans dashboard → Settings → Access Keys → Server Key (sandbox keys start with "
                        "SB-Mid-server-).")
        if self._has_key is None:
            self._key_state.setText(self.tr("Looking in the password store…"))
            self.server_key.setPlaceholderText("")
        elif self._has_key:
            self._key_state.setText(self.tr("A server key is set; leave the field empty to keep it, or type a new "
                                            "one.") + " " + where)
            self.server_key.setPlaceholderText(self.tr("(kept — type to replace)"))
        else:
            self._key_state.setText(self.tr("No server key is set yet.") + " " + where)
            self.server_key.setPlaceholderText("SB-Mid-server-…")

    def _render_storage_note(self) -> None:
        if not self._persist:
            self._storage_note.setText(self.tr("This run saves nothing (the demo, or command-line options): what you "
                                               "set here lasts until you quit, and the key stays in memory only."))
            self._storage_note.show()
            return
        status = self._secrets.available()  # detection only: no keyring call, no prompt
        if status:
            self._storage_note.setText(self.tr("The server key is kept in the system's password store (keyring), "
                                               "never in a settings file."))
            self._storage_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        else:
            self._storage_note.setText(self._session_only_text(status.problem))
            self._storage_note.setForegroundRole(QPalette.ColorRole.WindowText)
        self._storage_note.show()

    def _session_only_text(self, problem: KeyringProblem | None) -> str:
        if problem is KeyringProblem.LOCKED:
            return self.tr("The system's password store (keyring) is locked, so the server key will be kept only "
                           "until you close Zavera Desktop; set it again after the next start. It is never written "
                           "to a file.")
        if problem is KeyringProblem.FAILED:
            return self.tr("The system's password store (keyring) reported an error, so the server key will be kept "
                           "only until you close Zavera Desktop; set it again after the next start. It is never "
                           "written to a file.")
        return self.tr("No password store (keyring) is available on this system, so the server key will be kept "
                       "only until you close Zavera Desktop; set it again after the next start. It is never written "
                       "to a file.")

    def _render_message(self) -> None:
        if self._message is None:
            self.message.hide()
            return
        kind, text = self._message
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if kind == "error" else "")
        self.message.show()

    def _say(self, kind: str, text: str) -> None:
        self._message = (kind, text)
        self._render_message()

    # --- the key's state (worker thread → GUI thread) --------------------------------------------------

    def _on_key_state(self, has_key: bool) -> None:
        self._has_key = has_key
        self._render_key_state()
        self._render_storage_note()  # a failed read turns the keyring unavailable, with its reason

    def _on_key_state_error(self, exc: BaseException) -> None:
        log.warning("Reading the Midtrans key state failed (%s)", type(exc).__name__)
        self._on_key_state(False)

    # --- saving ----------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._busy

    @Slot()
    def save(self) -> None:
        """Check what was typed, keep the key (worker thread), then hand everything to the engine."""
        if self._busy or self._done:
            return
        environment = str(self.environment.currentData() or "")
        typed_key = self.server_key.text().strip()
        custom_url = ""
        if environment == "custom":
            try:
                custom_url = check_custom_url(self.custom_url.text())
            except ValueError:
                self._say("error", self.tr("Type the Midtrans address, starting with http:// or https:// (the "
                                           "sandbox's own simulator is e.g. %1).").replace("%1", CUSTOM_URL_EXAMPLE))
                self.custom_url.setFocus()
                return
        webhook = self.webhook_url.text().strip() if environment else ""
        if webhook:
            try:
                webhook = check_webhook_url(webhook, self._backend_url)
            except ActionError as exc:
                self._say("error", action_words.error_sentence(exc))
                self.webhook_url.setFocus()
                return
        if environment and not typed_key and not self._has_key:
            self._say("error", self.tr("Type the server key: Midtrans dashboard → Settings → Access Keys → Server "
                                       "Key."))
            self.server_key.setFocus()
            return
        if typed_key:
            register_secret(typed_key)  # from now on no log line can show it
        prefs = MidtransPrefs(environment, custom_url, webhook)
        self._busy = True
        self._say("ok", self.tr("Saving…"))
        self._update_enabled()
        job = self._job(prefs, typed_key)
        self._bridge.call(off_thread(job), lambda saved: self._on_saved(prefs, saved), self._on_save_error,
                          context=self)

    def _job(self, prefs: MidtransPrefs, typed_key: str) -> Callable[[], _Saved]:
        """The keyring part, for the worker thread: keep (or forget) the key and build the engine's access."""
        secrets, backend_url, persist, current = self._secrets, self._backend_url, self._persist, self._current

        def work() -> _Saved:
            if not prefs.environment:
                if persist:
                    secrets.delete(backend_url, SecretKind.MIDTRANS_SERVER_KEY)
                return _Saved(None, None)
            storage: Storage | None = None
            if typed_key and persist:
                storage = secrets.set(backend_url, SecretKind.MIDTRANS_SERVER_KEY, typed_key, remember=True)
                key: str | None = typed_key
            elif typed_key:
                storage, key = Storage.SESSION, typed_key  # this run saves nothing, the keyring included
            elif persist:
                key = secrets.get(backend_url, SecretKind.MIDTRANS_SERVER_KEY)
            else:
                key = current.server_key if current is not None else None
            if not key:
                raise LookupError("no server key")
            return _Saved(prefs.access(key), storage)

        return work

    def _on_saved(self, prefs: MidtransPrefs, saved: _Saved) -> None:
        self._busy = False
        self._engine.set_midtrans(saved.access)
        try:
            self._engine.set_webhook_url(prefs.webhook_url or None)
        except ActionError as exc:  # checked before saving; the backend cannot have changed since
            log.warning("The webhook URL was not taken: %s", exc)
        if self._persist:
            save_prefs(self._settings, prefs)
        self._current = saved.access
        self._has_key = saved.access is not None
        self.server_key.clear()
        self.applied.emit(saved.access)
        self._done = True
        self._update_enabled()
        self.close_button.setText(self.tr("Close"))
        self.close_button.setDefault(True)
        if saved.access is None:
            self._say("ok", self.tr("Midtrans is not set up any more; the server key was removed."))
        elif saved.storage is Storage.SESSION and self._persist:
            self._say("warning", self.tr("Saved, and in use now. But the key is kept for this session only:") + " "
                      + self._session_only_text(self._secrets.available().problem))
        else:
            self._say("ok", self.tr("Saved, and in use now: %1 at %2.")
                      .replace("%1", action_words.environment_name(saved.access.environment))
                      .replace("%2", saved.access.base_url))
        self._render_storage_note()

    def _on_save_error(self, exc: BaseException) -> None:
        self._busy = False
        self._update_enabled()
        if isinstance(exc, LookupError):
            self._has_key = False
            self._render_key_state()
            self._say("error", self.tr("The saved server key could not be read from the password store; type it "
                                       "again."))
            return
        log.warning("Saving the Midtrans settings failed (%s)", type(exc).__name__)
        self._say("error", self.tr("The Midtrans settings could not be saved; the log file has the details."))

    def result_text(self) -> str:
        """The last message (tests and the window's status bar)."""
        return self._message[1] if self._message else ""

    def message_kind(self) -> str:
        return self._message[0] if self._message else ""

