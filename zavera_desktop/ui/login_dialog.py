"""The first-run login: backend address, e-mail + password or a pasted token, Remember, "Try the demo".

The check (``backend/login_probe.probe_login``: log in, then prove admin rights) and the keyring
write run on a worker thread with its own asyncio loop; the result comes back to the GUI thread
through a queued signal. The GUI thread never waits on the network, and Cancel stops a check at
once (the coroutine is cancelled, its connection closed).

The caller reads the result with ``outcome()`` after ``exec()`` returns ``Accepted``:
``outcome().demo`` means "Try the demo" (the app then starts the embedded sandbox); otherwise it
carries the backend URL, e-mail, password or token, the Remember flag and where the secret went.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop.backend.client import Credentials
from zavera_desktop.backend.login_probe import (
    LoginProblem,
    LoginResult,
    ProblemKind,
    check_token_shape,
    clean_backend_url,
    clean_token,
    probe_login,
)
from zavera_desktop.logging_setup import register_secret
from zavera_desktop.resources_path import resource_path
from zavera_desktop.secrets import KeyringProblem, SecretKind, SecretStore, Storage, default_store
from zavera_desktop.ui import i18n
from zavera_desktop.ui.settings import AppSettings, AuthKind

log = logging.getLogger(__name__)

# a pasted token that runs out sooner than this gets a warning (tokens live 24 h, no refresh: §1.3)
TOKEN_WARN_WITHIN = timedelta(hours=24)
# how long closing the dialog waits for a cancelled check to wind down (it closes its socket at once)
WORKER_JOIN_TIMEOUT = 5.0

ProbeFn = Callable[..., Awaitable[LoginResult]]


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """What the admin chose. Secrets are in memory only; ``repr`` hides them."""

    demo: bool
    backend_url: str = ""
    email: str = ""
    auth_kind: AuthKind = AuthKind.PASSWORD
    password: str | None = field(default=None, repr=False)
    # the proven token: the pasted one, or the one the password login was given
    token: str | None = field(default=None, repr=False)
    remember: bool = False
    # where the secret was put: the keyring, or this session's memory (None for the demo)
    stored: Storage | None = None
    expires_at: datetime | None = None

    @property
    def credentials(self) -> Credentials | None:
        if self.auth_kind is AuthKind.PASSWORD and self.password:
            return Credentials(self.email, self.password)
        return None


class _Cancelled:
    """The marker result of a cancelled check."""


class _CheckRunner(QObject):
    """Runs one coroutine at a time on a worker thread; ``finished`` arrives on the GUI thread.

    Each check has a generation number, so a result that arrives after a Cancel (or after a newer
    check started) is recognised as stale and dropped.
    """

    finished = Signal(int, object)  # generation, result | LoginProblem | Exception | _Cancelled

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None
        self._cancel_requested = False
        self._thread: threading.Thread | None = None

    @property
    def generation(self) -> int:
        return self._generation

    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, job: Callable[[], Awaitable[Any]]) -> int:
        self._generation += 1
        generation = self._generation
        with self._lock:
            self._cancel_requested = False
            self._loop = self._task = None
        self._thread = threading.Thread(target=self._run, args=(generation, job), name="login-check", daemon=True)
        self._thread.start()
        return generation

    def _run(self, generation: int, job: Callable[[], Awaitable[Any]]) -> None:
        async def main() -> Any:
            with self._lock:
                if self._cancel_requested:
                    raise asyncio.CancelledError
                self._loop = asyncio.get_running_loop()
                self._task = asyncio.current_task()
            return await job()

        result: Any
        try:
            result = asyncio.run(main())
        except asyncio.CancelledError:
            result = _Cancelled()
        except LoginProblem as problem:
            result = problem
        except Exception as exc:  # shown as "unexpected" and logged; never lost silently
            log.exception("The login check failed unexpectedly")
            result = exc
        finally:
            with self._lock:
                self._loop = self._task = None
        try:
            self.finished.emit(generation, result)
        except RuntimeError:
            pass  # the dialog (and this object) is already gone

    def cancel(self) -> None:
        with self._lock:
            self._cancel_requested = True
            loop, task = self._loop, self._task
        if loop is not None and task is not None:
            try:
                loop.call_soon_threadsafe(task.cancel)
            except RuntimeError:
                pass  # the loop just closed: the check is over anyway

    def wait(self, timeout: float) -> bool:
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()


class LoginDialog(QDialog):
    """The login window. ``exec()``, then ``outcome()``."""

    # the result of every finished check: a ``LoginResult`` or a ``LoginProblem`` (for tests, tools)
    check_finished = Signal(object)
    # "Try the demo" was chosen (the dialog then closes with Accepted)
    demo_requested = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        settings: AppSettings | None = None,
        secret_store: SecretStore | None = None,
        probe: ProbeFn = probe_login,
        backend_url: str | None = None,
        email: str | None = None,
        auth_kind: AuthKind | None = None,
        problem: LoginProblem | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self._settings = settings
        self._store = secret_store or default_store()
        self._probe = probe
        self._outcome: LoginOutcome | None = None
        self._pending: dict[str, Any] = {}
        # the status as data, rendered in the current language (no closures over self: a dialog in a
        # reference cycle is freed by the garbage collector on whatever thread runs it, which Qt forbids)
        self._status_message: tuple[str, Any] | None = None
        self._status_kind = "info"
        self._expiry_text: Callable[[], str] | None = None
        self._runner = _CheckRunner(self)
        self._runner.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

        icon = resource_path("icons/app.svg")
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self._build()
        self._prefill(backend_url, email, auth_kind)
        self._retranslate()
        self._update_keyring_note()
        if problem is not None:
            self.show_problem(problem)

    # --- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self._intro = QLabel()
        self._intro.setWordWrap(True)

        self._backend = QLineEdit()
        self._backend.setObjectName("backendEdit")
        self._backend.setInputMethodHints(Qt.InputMethodHint.ImhUrlCharactersOnly)
        self._backend_label = QLabel()
        self._backend_label.setBuddy(self._backend)
        top = QFormLayout()
        top.addRow(self._backend_label, self._backend)

        self._email = QLineEdit()
        self._email.setObjectName("emailEdit")
        self._email.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        self._password = QLineEdit()
        self._password.setObjectName("passwordEdit")
        self._password.setEchoMode(QLineEdit.EchoMode.Password)
        self._email_label, self._password_label = QLabel(), QLabel()
        self._email_label.setBuddy(self._email)
        self._password_label.setBuddy(self._password)
        password_page = QWidget()
        form = QFormLayout(password_page)
        form.addRow(self._email_label, self._email)
        form.addRow(self._password_label, self._password)

        self._token = QLineEdit()
        self._token.setObjectName("tokenEdit")
        self._token.setEchoMode(QLineEdit.EchoMode.Password)
        self._token_label = QLabel()
        self._token_label.setBuddy(self._token)
        self._token_help = QLabel()
        self._token_help.setObjectName("tokenHelp")
        self._token_help.setWordWrap(True)
        self._token_help.setTextFormat(Qt.TextFormat.RichText)
        self._token_expiry = QLabel()
        self._token_expiry.setObjectName("tokenExpiryLabel")
        self._token_expiry.setWordWrap(True)
        self._token_expiry.hide()
        token_page = QWidget()
        token_layout = QVBoxLayout(token_page)
        token_form = QFormLayout()
        token_form.addRow(self._token_label, self._token)
        token_layout.addLayout(token_form)
        token_layout.addWidget(self._token_expiry)
        token_layout.addWidget(self._token_help)
        token_layout.addStretch(1)

        self._tabs = QTabWidget()
        self._tabs.setObjectName("authTabs")
        self._tabs.addTab(password_page, "")
        self._tabs.addTab(token_page, "")

        self._remember = QCheckBox()
        self._remember.setObjectName("rememberCheck")
        self._remember.setChecked(True)
        self._keyring_note = QLabel()
        self._keyring_note.setObjectName("keyringNote")
        self._keyring_note.setWordWrap(True)

        self._status = QLabel()
        self._status.setObjectName("statusLabel")
        self._status.setWordWrap(True)
        self._status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._status.hide()

        self._demo_button = QPushButton()
        self._demo_button.setObjectName("demoButton")
        self._demo_button.setAutoDefault(False)
        self._cancel_button = QPushButton()
        self._cancel_button.setObjectName("cancelButton")
        self._cancel_button.setAutoDefault(False)
        self._login_button = QPushButton()
        self._login_button.setObjectName("loginButton")
        self._login_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self._demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self._cancel_button)
        buttons.addWidget(self._login_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addLayout(top)
        layout.addWidget(self._tabs)
        layout.addWidget(self._remember)
        layout.addWidget(self._keyring_note)
        layout.addWidget(self._status)
        layout.addLayout(buttons)
        self.resize(560, self.sizeHint().height())

        self._login_button.clicked.connect(self._start_check)
        self._cancel_button.clicked.connect(self.reject)
        self._demo_button.clicked.connect(self._choose_demo)
        self._token.textChanged.connect(self._update_token_expiry)

    def _prefill(self, backend_url: str | None, email: str | None, auth_kind: AuthKind | None) -> None:
        saved = self._settings
        self._backend.setText(backend_url if backend_url is not None else (saved.backend_url if saved else ""))
        self._email.setText(email if email is not None else (saved.email if saved else ""))
        kind = auth_kind or (saved.auth_kind if saved else AuthKind.PASSWORD)
        self._tabs.setCurrentIndex(1 if kind is AuthKind.TOKEN else 0)
        if not self._backend.text():
            self._backend.setFocus()
        elif kind is AuthKind.PASSWORD:
            (self._password if self._email.text() else self._email).setFocus()
        else:
            self._token.setFocus()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Log in — Zavera Desktop"))
        self._intro.setText(self.tr(
            "Connect to your shop's backend with the shop admin's account. Zavera Desktop then shows every "
            "payment as it arrives."))
        self._backend_label.setText(self.tr("&Backend address:"))
        self._backend.setPlaceholderText(self.tr("https://api.yourshop.id"))
        self._email_label.setText(self.tr("&E-mail:"))
        self._password_label.setText(self.tr("&Password:"))
        self._token_label.setText(self.tr("&Token:"))
        self._token.setPlaceholderText(self.tr("eyJ…"))
        self._tabs.setTabText(0, self.tr("E-mail and password"))
        self._tabs.setTabText(1, self.tr("Token"))
        self._token_help.setText(self.tr(
            "<b>Admin signs in with Google?</b> Then the account has no password; use a token instead. "
            "Log in to the shop's web admin in your browser, press F12, open the <i>Console</i> tab, type "
            "<code>localStorage.auth_token</code> and press Enter. Copy the long text it shows (without the "
            "quotes) and paste it here. A token works for 24 hours."))
        self._remember.setText(self.tr("&Remember on this computer (in the system's password store)"))
        self._demo_button.setText(self.tr("Try the &demo"))
        self._demo_button.setToolTip(self.tr("Watch a simulated shop with test payments; nothing real is touched."))
        self._login_button.setText(self.tr("&Log in"))
        self._cancel_button.setText(self.tr("Cancel"))
        self._update_keyring_note()
        self._render_status()
        self._update_token_expiry()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --- the keyring note, the token expiry, the status line -------------------------------------

    def _update_keyring_note(self) -> None:
        status = self._store.available()
        if status:
            self._keyring_note.hide()
            return
        self._keyring_note.setText(self._keyring_text(status.problem))
        self._keyring_note.show()

    def _keyring_text(self, problem: KeyringProblem | None) -> str:
        if problem is KeyringProblem.LOCKED:
            return self.tr("The system's password store (keyring) is locked, so the password or token will be "
                           "kept only until you close Zavera Desktop. It is never written to a file.")
        if problem is KeyringProblem.FAILED:
            return self.tr("The system's password store (keyring) reported an error, so the password or token "
                           "will be kept only until you close Zavera Desktop. It is never written to a file.")
        return self.tr("No password store (keyring) is available on this system; the password or token will be "
                       "kept only until you close Zavera Desktop. It is never written to a file.")

    def _format_when(self, when: datetime) -> str:
        local = QDateTime.fromSecsSinceEpoch(int(when.timestamp()))
        return i18n.locale_for(i18n.current_language()).toString(local, "d MMM yyyy, HH:mm")

    def _format_left(self, left: timedelta) -> str:
        minutes = max(0, int(left.total_seconds() // 60))
        hours, minutes = divmod(minutes, 60)
        if hours:
            return self.tr("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
        return self.tr("{minutes} min").format(minutes=minutes)

    @Slot()
    def _update_token_expiry(self) -> None:
        """Warn while pasting: an expired token is refused, one running out within a day is flagged."""
        token = clean_token(self._token.text())
        self._token_expiry.setProperty("severity", "")
        if not token:
            self._token_expiry.hide()
            return
        try:
            _, expires = check_token_shape(token)
        except LoginProblem as problem:
            if problem.kind is ProblemKind.TOKEN_EXPIRED and problem.expired_at is not None:
                text = self.tr("This token expired on {when}. Tokens cannot be renewed: get a new one.").format(
                    when=self._format_when(problem.expired_at))
                self._show_expiry(text, "error")
            else:
                self._show_expiry(self.tr("This does not look like a token yet: it is one long line in three parts "
                                          "separated by dots, starting with eyJ."), "error")
            return
        if expires is None:
            self._token_expiry.hide()
            return
        left = expires - datetime.now(UTC)
        if left <= TOKEN_WARN_WITHIN:
            text = self.tr("This token runs out on {when} (in {left}) and cannot be renewed. After that, paste a "
                           "new token, or log in with e-mail and password.").format(
                when=self._format_when(expires), left=self._format_left(left))
            self._show_expiry(text, "warning")
        else:
            self._token_expiry.hide()

    def _show_expiry(self, text: str, severity: str) -> None:
        self._token_expiry.setText(text)
        self._token_expiry.setProperty("severity", severity)
        color = "#b00020" if severity == "error" else "#8a5a00"
        self._token_expiry.setStyleSheet(f"color: {color};")
        self._token_expiry.show()

    def _set_status(self, message: str | None, arg: Any = None, kind: str = "info") -> None:
        """Show status ``message`` (a key of ``_status_text``); re-rendered when the language changes."""
        self._status_message = None if message is None else (message, arg)
        self._status_kind = kind
        self._render_status()

    def _status_text(self, message: str, arg: Any) -> str:
        if message == "problem":
            return self.problem_text(arg)
        if message == "checking":
            return self.tr("Checking the login at {host}…").format(host=arg)
        if message == "cancelled":
            return self.tr("Cancelled.")
        if message == "need_password":
            return self.tr("Enter the e-mail address and the password.")
        if message == "need_token":
            return self.tr("Paste the token.")
        return self.tr("The check failed unexpectedly; the log file has the details.")

    def _render_status(self) -> None:
        if self._status_message is None:
            self._status.hide()
            self._status.clear()
            return
        self._status.setText(self._status_text(*self._status_message))
        self._status.setProperty("severity", self._status_kind)
        self._status.setStyleSheet("color: #b00020;" if self._status_kind == "error" else "")
        self._status.show()

    def problem_text(self, problem: LoginProblem) -> str:
        """The admin's sentence for a failed check, in the current language."""
        host = problem.host or self._backend.text().strip()
        email = problem.email or self._email.text().strip()
        kind = problem.kind
        if kind is ProblemKind.WRONG_PASSWORD:
            return self.tr("Wrong e-mail or password. If the shop's admin account signs in with Google, it has no "
                           "password: use the Token tab instead.")
        if kind is ProblemKind.NOT_ADMIN:
            return self.tr("{email} is not this shop's admin account, so it cannot see orders or payments. Log in "
                           "with the admin's e-mail address.").format(email=email or self.tr("This account"))
        if kind is ProblemKind.EMAIL_NOT_VERIFIED:
            return self.tr("The e-mail address {email} is not verified yet, so the shop does not let it log in. "
                           "Open the verification e-mail from the shop first.").format(email=email)
        if kind is ProblemKind.CONNECTION_REFUSED:
            return self.tr("Nothing answers at {host}. Check the address and the port, and that the shop's backend "
                           "is running.").format(host=host)
        if kind is ProblemKind.HOST_NOT_FOUND:
            return self.tr("The address {host} cannot be found. Check it for typos, and check the internet "
                           "connection.").format(host=host)
        if kind is ProblemKind.TLS_CERTIFICATE:
            return self.tr("The secure connection to {host} failed: its HTTPS certificate is not trusted "
                           "(self-signed, expired or made for another name), or the address should start with "
                           "http:// instead.").format(host=host)
        if kind is ProblemKind.TIMEOUT:
            return self.tr("The backend at {host} did not answer in time. Try again, or check the "
                           "connection.").format(host=host)
        if kind is ProblemKind.NOT_ZAVERA:
            return self.tr("The server at {host} answered, but it is not a Zavera shop backend (it may be the "
                           "shop's web page). Enter the backend's address, without /api at the end.").format(host=host)
        if kind is ProblemKind.TOKEN_EXPIRED:
            when = self._format_when(problem.expired_at) if problem.expired_at else ""
            return self.tr("This token expired on {when}. Tokens last 24 hours and cannot be renewed: get a new "
                           "one.").format(when=when)
        if kind is ProblemKind.TOKEN_INVALID:
            return self.tr("The backend does not accept this token. Copy it again in full (it starts with eyJ), "
                           "or get a new one.")
        if kind is ProblemKind.SERVER_ERROR:
            return self.tr("The backend at {host} has a problem of its own right now. Try again in a few "
                           "minutes.").format(host=host)
        if kind is ProblemKind.BAD_URL:
            return self.tr("Enter the backend's address starting with https:// (or http://), for example "
                           "https://api.yourshop.id.")
        if kind is ProblemKind.INVALID_EMAIL:
            return self.tr("This is not a valid e-mail address.")
        return problem.message

    def show_problem(self, problem: LoginProblem) -> None:
        """Show why a login failed (also for the caller: e.g. a remembered token that has expired)."""
        self._set_status("problem", problem, kind="error")
        if problem.kind in (ProblemKind.TOKEN_EXPIRED, ProblemKind.TOKEN_INVALID):
            self._tabs.setCurrentIndex(1)
            self._token.setFocus()
        elif problem.kind in (ProblemKind.WRONG_PASSWORD, ProblemKind.INVALID_EMAIL):
            self._tabs.setCurrentIndex(0)
            self._password.setFocus()
            self._password.selectAll()
        elif problem.kind in (ProblemKind.BAD_URL, ProblemKind.NOT_ZAVERA, ProblemKind.HOST_NOT_FOUND):
            self._backend.setFocus()

    # --- the check ------------------------------------------------------------------------------

    def is_checking(self) -> bool:
        return bool(self._pending)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self._backend, self._tabs, self._remember, self._login_button):
            widget.setEnabled(not busy)

    def _auth_kind(self) -> AuthKind:
        return AuthKind.TOKEN if self._tabs.currentIndex() == 1 else AuthKind.PASSWORD

    @Slot()
    def _start_check(self) -> None:
        if self._pending:
            return
        try:
            url = clean_backend_url(self._backend.text())
        except LoginProblem as problem:
            self.show_problem(problem)
            return
        kind = self._auth_kind()
        remember = self._remember.isChecked()
        if kind is AuthKind.PASSWORD:
            email, password = self._email.text().strip(), self._password.text()
            if not email or not password:
                self._set_status("need_password", kind="error")
                return
            register_secret(password)
            kwargs: dict[str, Any] = {"email": email, "password": password}
            secret, secret_kind, other_kind = password, SecretKind.PASSWORD, SecretKind.TOKEN
        else:
            token = clean_token(self._token.text())
            if not token:
                self._set_status("need_token", kind="error")
                return
            register_secret(token)
            email, kwargs = "", {"token": token}
            secret, secret_kind, other_kind = token, SecretKind.TOKEN, SecretKind.PASSWORD
        store, probe = self._store, self._probe

        async def job() -> tuple[LoginResult, Storage]:
            result = await probe(url, **kwargs)
            # the keyring may show an unlock prompt and wait for it: that, too, stays off the GUI thread
            stored = store.set(result.backend_url, secret_kind, secret, remember=remember)
            store.delete(result.backend_url, other_kind)  # one way in per backend: the one just proven
            return result, stored

        self._pending = {"url": url, "kind": kind, "email": email, "remember": remember,
                         "password": secret if kind is AuthKind.PASSWORD else None}
        self._set_busy(True)
        host = url.split("://", 1)[1]
        self._set_status("checking", host)
        self._runner.start(job)

    @Slot(int, object)
    def _on_finished(self, generation: int, result: Any) -> None:
        if generation != self._runner.generation or not self._pending:
            return  # a cancelled or superseded check
        pending, self._pending = self._pending, {}
        self._set_busy(False)
        if isinstance(result, _Cancelled):
            self._set_status("cancelled")
            return
        if isinstance(result, LoginProblem):
            self.show_problem(result)
            self.check_finished.emit(result)
            return
        if isinstance(result, BaseException):
            self._set_status("unexpected", kind="error")
            self.check_finished.emit(result)
            return
        login, stored = result
        self._outcome = LoginOutcome(
            demo=False, backend_url=login.backend_url, email=login.email or pending["email"],
            auth_kind=pending["kind"], password=pending["password"], token=login.token,
            remember=pending["remember"], stored=stored, expires_at=login.expires_at,
        )
        self._save_settings(self._outcome)
        self.check_finished.emit(login)
        self.accept()

    def _save_settings(self, outcome: LoginOutcome) -> None:
        if self._settings is None:
            return
        self._settings.backend_url = outcome.backend_url
        self._settings.email = outcome.email
        self._settings.auth_kind = outcome.auth_kind
        self._settings.sync()

    def cancel_check(self) -> None:
        """Stop a running check (its result, if it still comes, is ignored)."""
        if not self._pending:
            return
        self._runner.cancel()
        self._pending = {}
        self._set_busy(False)
        self._set_status("cancelled")

    @Slot()
    def _choose_demo(self) -> None:
        self.cancel_check()
        self._outcome = LoginOutcome(demo=True)
        self.demo_requested.emit()
        self.accept()

    # --- closing --------------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel (or Esc) stops a running check first; pressed again, it closes the dialog."""
        if self._pending:
            self.cancel_check()
            return
        super().reject()

    def done(self, result: int) -> None:
        self._runner.cancel()
        if not self._runner.wait(WORKER_JOIN_TIMEOUT):
            log.warning("The login check did not stop within %.0f s; closing anyway", WORKER_JOIN_TIMEOUT)
        super().done(result)

    # --- the result -----------------------------------------------------------------------------

    def outcome(self) -> LoginOutcome | None:
        """After ``Accepted``: the demo choice or the proven login; None after Cancel."""
        return self._outcome
