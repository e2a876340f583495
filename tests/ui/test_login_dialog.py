"""The login dialog: every failure in words, the demo choice, token expiry, Remember, Cancel.

The checks run for real against the sandbox (wrong password, not admin, unverified, a working
login) or real sockets (refused, a server that never answers); what only a foreign server would
answer (a web page, a bad certificate) comes from an injected ``httpx.MockTransport``.
"""

from __future__ import annotations

import functools
import gc
import os
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import platformdirs
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from tests.memory_keyring import MemoryKeyring
from zavera_desktop import APP_NAME
from zavera_desktop.backend.login_probe import LoginProblem, LoginResult, ProblemKind, probe_login
from zavera_desktop.secrets import SecretKind, SecretStore, Storage
from zavera_desktop.ui.login_dialog import LoginDialog
from zavera_desktop.ui.settings import AppSettings, AuthKind

WAIT_MS = 15_000

# The offscreen platform (the tests' default) cannot pass size hints to a window system and warns
# for every shown top-level window with a layout: a limit of that platform, not of this dialog.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def settings(tmp_path) -> AppSettings:
    return AppSettings(tmp_path / "settings.ini")


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def make_dialog(qtbot, settings, memory_keyring):
    def make(**kw) -> LoginDialog:
        kw.setdefault("settings", settings)
        kw.setdefault("secret_store", SecretStore(backend=memory_keyring))
        dialog = LoginDialog(**kw)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return make


def status(dialog: LoginDialog) -> str:
    return dialog.findChild(object, "statusLabel").text()


def fill_password(qtbot, dialog: LoginDialog, url: str, email: str, password: str) -> None:
    dialog.findChild(object, "backendEdit").setText(url)
    dialog.findChild(object, "authTabs").setCurrentIndex(0)
    dialog.findChild(object, "emailEdit").setText(email)
    dialog.findChild(object, "passwordEdit").setText(password)


def fill_token(dialog: LoginDialog, url: str, token: str) -> None:
    dialog.findChild(object, "backendEdit").setText(url)
    dialog.findChild(object, "authTabs").setCurrentIndex(1)
    dialog.findChild(object, "tokenEdit").setText(token)


def click_login_and_wait(qtbot, dialog: LoginDialog):
    with qtbot.waitSignal(dialog.check_finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.findChild(object, "loginButton"), Qt.MouseButton.LeftButton)
    return blocker.args[0]


def forge(sandbox, email: str, lifetime: float) -> str:
    """A token signed with the sandbox's own secret, running out ``lifetime`` seconds from now."""
    now = int(time.time())
    return jwt.encode({"email": email, "exp": now + int(lifetime), "iat": now - 60, "user_id": 1},
                      sandbox.server.runtime.tokens.secret, algorithm="HS256")


# --- a working login ----------------------------------------------------------------------------


def test_admin_login_is_accepted_remembered_and_saved(qtbot, make_dialog, sandbox, settings, memory_keyring):
    checked_on: list[bool] = []

    async def probe(*args, **kw) -> LoginResult:
        checked_on.append(threading.current_thread() is threading.main_thread())
        return await probe_login(*args, **kw)

    dialog = make_dialog(probe=probe)
    creds = sandbox.creds
    fill_password(qtbot, dialog, sandbox.url + "/", creds["admin_email"], creds["admin_password"])
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.findChild(object, "loginButton"), Qt.MouseButton.LeftButton)
    assert checked_on == [False]  # the network check ran off the GUI thread
    outcome = dialog.outcome()
    assert outcome is not None and not outcome.demo
    assert outcome.backend_url == sandbox.url.rstrip("/")
    assert outcome.email == creds["admin_email"]
    assert outcome.auth_kind is AuthKind.PASSWORD
    assert outcome.password == creds["admin_password"]
    assert outcome.credentials.password == creds["admin_password"]
    assert outcome.token and outcome.expires_at is not None
    assert outcome.remember and outcome.stored is Storage.KEYRING
    assert creds["admin_password"] not in repr(outcome) and outcome.token not in repr(outcome)
    assert SecretStore(backend=memory_keyring).get(outcome.backend_url, SecretKind.PASSWORD) == creds["admin_password"]
    assert (settings.backend_url, settings.email, settings.auth_kind) == (
        outcome.backend_url, creds["admin_email"], AuthKind.PASSWORD)
    assert creds["admin_password"] not in Path(settings.file_name()).read_text()


def test_admin_token_login(qtbot, make_dialog, sandbox, memory_keyring):
    dialog = make_dialog()
    token = sandbox.admin_token()
    fill_token(dialog, sandbox.url, token)
    dialog.findChild(object, "rememberCheck").setChecked(False)
    result = click_login_and_wait(qtbot, dialog)
    assert isinstance(result, LoginResult)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=WAIT_MS)
    outcome = dialog.outcome()
    assert outcome.auth_kind is AuthKind.TOKEN and outcome.token == token and outcome.password is None
    assert outcome.email == sandbox.creds["admin_email"]
    assert outcome.stored is Storage.SESSION and memory_keyring.items == {}


# --- each failure in words ------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "kind", "words"), [
    ("wrong", ProblemKind.WRONG_PASSWORD, "Wrong e-mail or password"),
    ("customer", ProblemKind.NOT_ADMIN, "is not this shop's admin account"),
    ("unverified", ProblemKind.EMAIL_NOT_VERIFIED, "is not verified yet"),
])
def test_backend_refusals_in_words(qtbot, make_dialog, sandbox, who, kind, words):
    creds = sandbox.creds
    email, password = {
        "wrong": (creds["admin_email"], "not-the-password"),
        "customer": (creds["user_email"], creds["user_password"]),
        "unverified": ("unverified@zavera.test", creds["user_password"]),
    }[who]
    dialog = make_dialog()
    fill_password(qtbot, dialog, sandbox.url, email, password)
    result = click_login_and_wait(qtbot, dialog)
    assert isinstance(result, LoginProblem) and result.kind is kind
    assert words in status(dialog)
    assert dialog.isVisible() and dialog.outcome() is None
    assert dialog.findChild(object, "loginButton").isEnabled()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_in_words(qtbot, make_dialog):
    dialog = make_dialog()
    port = free_port()
    fill_password(qtbot, dialog, f"http://127.0.0.1:{port}", "admin@zavera.test", "pw")
    result = click_login_and_wait(qtbot, dialog)
    assert result.kind is ProblemKind.CONNECTION_REFUSED
    assert f"Nothing answers at 127.0.0.1:{port}" in status(dialog)


def mock_probe(handler):
    return functools.partial(probe_login, transport=httpx.MockTransport(handler))


def _tls_failure(request):
    raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed", request=request)


def _timeout(request):
    raise httpx.ReadTimeout("timed out", request=request)


@pytest.mark.parametrize(("handler", "words"), [
    (_tls_failure, "HTTPS certificate is not trusted"),
    (lambda request: httpx.Response(200, html="<html><body>Toko kami</body></html>"), "not a Zavera shop backend"),
    (lambda request: httpx.Response(404, text="Not Found"), "not a Zavera shop backend"),
    (_timeout, "did not answer in time"),
    (lambda request: httpx.Response(503, text="down"), "has a problem of its own"),
])
def test_foreign_answers_in_words(qtbot, make_dialog, handler, words):
    dialog = make_dialog(probe=mock_probe(handler))
    fill_password(qtbot, dialog, "https://shop.test", "admin@zavera.test", "pw")
    click_login_and_wait(qtbot, dialog)
    assert words in status(dialog)
    assert "shop.test" in status(dialog) or "Zavera" in status(dialog)


def test_missing_fields_and_bad_address_are_said_before_any_check(qtbot, make_dialog):
    dialog = make_dialog()
    dialog.findChild(object, "backendEdit").setText("api.shop.test")
    qtbot.mouseClick(dialog.findChild(object, "loginButton"), Qt.MouseButton.LeftButton)
    assert "starting with https://" in status(dialog) and not dialog.is_checking()
    dialog.findChild(object, "backendEdit").setText("https://api.shop.test")
    qtbot.mouseClick(dialog.findChild(object, "loginButton"), Qt.MouseButton.LeftButton)
    assert status(dialog) == "Enter the e-mail address and the password." and not dialog.is_checking()


# --- the demo -------------------------------------------------------------------------------------


def test_try_the_demo(qtbot, make_dialog, settings):
    dialog = make_dialog()
    with qtbot.waitSignals([dialog.demo_requested, dialog.accepted], timeout=WAIT_MS):
        qtbot.mouseClick(dialog.findChild(object, "demoButton"), Qt.MouseButton.LeftButton)
    assert dialog.outcome().demo is True
    assert settings.backend_url == ""  # the demo leaves the saved login alone


# --- pasted tokens and their expiry ---------------------------------------------------------------


def expiry_label(dialog: LoginDialog):
    return dialog.findChild(object, "tokenExpiryLabel")


def test_token_running_out_within_a_day_is_warned_about(qtbot, make_dialog, sandbox):
    dialog = make_dialog()
    fill_token(dialog, sandbox.url, forge(sandbox, sandbox.creds["admin_email"], 3 * 3600))
    label = expiry_label(dialog)
    assert label.isVisible() and label.property("severity") == "warning"
    assert "runs out on" in label.text() and "cannot be renewed" in label.text()
    assert "2 h 59 min" in label.text() or "3 h 0 min" in label.text()
    # a warning, not a refusal: the login goes ahead
    result = click_login_and_wait(qtbot, dialog)
    assert isinstance(result, LoginResult)


def test_token_with_days_left_has_no_warning(make_dialog, sandbox):
    dialog = make_dialog()
    fill_token(dialog, sandbox.url, forge(sandbox, sandbox.creds["admin_email"], 3 * 86400))
    assert not expiry_label(dialog).isVisible()


def test_expired_token_is_refused_in_words(qtbot, make_dialog, sandbox):
    dialog = make_dialog()
    fill_token(dialog, sandbox.url, forge(sandbox, sandbox.creds["admin_email"], -120))
    label = expiry_label(dialog)
    assert label.isVisible() and label.property("severity") == "error" and "expired on" in label.text()
    result = click_login_and_wait(qtbot, dialog)
    assert result.kind is ProblemKind.TOKEN_EXPIRED
    assert "This token expired on" in status(dialog) and "get a new one" in status(dialog)
    assert dialog.outcome() is None


def test_garbled_token_is_said_while_pasting(make_dialog):
    dialog = make_dialog()
    fill_token(dialog, "https://shop.test", "eyJhbGciOiJIUzI1NiJ9.cut-off-while-copy")
    assert "does not look like a token" in expiry_label(dialog).text()


def test_google_only_admins_are_told_how_to_get_a_token(make_dialog):
    dialog = make_dialog()
    help_text = dialog.findChild(object, "tokenHelp").text()
    assert "Google" in help_text and "localStorage.auth_token" in help_text and "F12" in help_text


# --- Remember without a keyring --------------------------------------------------------------------


def _files_containing(secret: bytes, roots: list[Path]) -> list[Path]:
    found = []
    for root in roots:
        if not root.exists():
            continue
        for path in root.rglob("*"):
            try:
                if path.is_file() and not path.is_symlink() and secret in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
    return found


def test_remember_without_keyring_keeps_the_secret_in_memory_only(qtbot, make_dialog, sandbox, settings, tmp_path):
    store = SecretStore(backend=fail.Keyring())
    dialog = make_dialog(secret_store=store)
    note = dialog.findChild(object, "keyringNote")
    assert note.isVisible()
    assert "No password store (keyring) is available on this system" in note.text()
    assert "kept only until you close Zavera Desktop" in note.text()

    creds = sandbox.creds
    fill_password(qtbot, dialog, sandbox.url, creds["admin_email"], creds["admin_password"])
    assert dialog.findChild(object, "rememberCheck").isChecked()
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.findChild(object, "loginButton"), Qt.MouseButton.LeftButton)
    outcome = dialog.outcome()
    assert outcome.remember and outcome.stored is Storage.SESSION
    assert store.get(outcome.backend_url, SecretKind.PASSWORD) == creds["admin_password"]

    settings.sync()
    roots = {tmp_path, Path(platformdirs.user_data_dir(APP_NAME)), Path(platformdirs.user_log_dir(APP_NAME))}
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        if os.environ.get(name):
            roots.add(Path(os.environ[name]))
    secret = creds["admin_password"].encode()
    assert _files_containing(secret, sorted(roots)) == []
    assert _files_containing(outcome.token.encode(), sorted(roots)) == []


# --- Cancel ---------------------------------------------------------------------------------------


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections (in the kernel) and never answers: a check against it hangs."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_cancel_stops_a_hanging_check_and_keeps_the_dialog(qtbot, make_dialog, silent_server):
    dialog = make_dialog()
    fill_password(qtbot, dialog, silent_server, "admin@zavera.test", "pw")
    qtbot.mouseClick(dialog.findChild(object, "loginButton"), Qt.MouseButton.LeftButton)
    assert dialog.is_checking()
    assert "Checking the login at 127.0.0.1" in status(dialog)
    assert not dialog.findChild(object, "loginButton").isEnabled()
    # the GUI thread keeps running while the check hangs
    ticks = []
    qtbot.waitUntil(lambda: ticks.append(1) or len(ticks) > 3, timeout=WAIT_MS)

    qtbot.mouseClick(dialog.findChild(object, "cancelButton"), Qt.MouseButton.LeftButton)
    assert not dialog.is_checking()
    assert status(dialog) == "Cancelled."
    assert dialog.isVisible() and dialog.findChild(object, "loginButton").isEnabled()
    assert dialog._runner.wait(5.0)  # the worker really stopped

    with qtbot.waitSignal(dialog.rejected, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.findChild(object, "cancelButton"), Qt.MouseButton.LeftButton)
    assert dialog.outcome() is None


def test_closing_during_a_check_cancels_it(qtbot, make_dialog, silent_server):
    dialog = make_dialog()
    fill_password(qtbot, dialog, silent_server, "admin@zavera.test", "pw")
    qtbot.mouseClick(dialog.findChild(object, "loginButton"), Qt.MouseButton.LeftButton)
    assert dialog.is_checking()
    dialog.done(QDialog.DialogCode.Rejected)
    assert not dialog.isVisible()
    assert dialog._runner.wait(0.0)


def test_problem_given_by_the_caller_is_shown(make_dialog):
    problem = LoginProblem(ProblemKind.TOKEN_INVALID, "remembered token refused")
    dialog = make_dialog(problem=problem, auth_kind=AuthKind.TOKEN)
    assert "does not accept this token" in status(dialog)
    assert dialog.findChild(object, "authTabs").currentIndex() == 1


# --- lifetime -------------------------------------------------------------------------------------


def test_dialog_is_freed_without_the_garbage_collector(qtbot, sandbox, memory_keyring):
    """No reference cycles through the dialog: the cyclic collector may run on any thread (a worker,
    the sandbox's), and a QWidget deleted off the GUI thread crashes the app."""
    gc.collect()
    enabled = gc.isenabled()  # the app's collector may have switched it off already (ui/gc_guard.py)
    gc.disable()
    try:
        dialog = LoginDialog(secret_store=SecretStore(backend=memory_keyring))
        dialog.show_problem(LoginProblem(ProblemKind.TIMEOUT, "slow", host="x"))
        fill_password(qtbot, dialog, sandbox.url, "not-admin@zavera.test", "pw")
        with qtbot.waitSignal(dialog.check_finished, timeout=WAIT_MS):
            dialog.findChild(object, "loginButton").click()
        dialog.findChild(object, "tokenEdit").setText("eyJ.garbled")
        dialog.done(QDialog.DialogCode.Rejected)
        ref = weakref.ref(dialog)
        del dialog
        assert ref() is None
    finally:
        if enabled:
            gc.enable()
