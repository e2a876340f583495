"""The app's start-up pieces in-process: signals reach the GUI thread, waits end on quit, and the login
comes from the options, the saved settings + keyring, or the login dialog (first run, "Try the demo").
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from zavera_desktop.backend.client import Credentials
from zavera_desktop.cli import build_parser
from zavera_desktop.secrets import SecretKind, default_store
from zavera_desktop.ui import app as app_module
from zavera_desktop.ui.app import Session, SignalWatcher, cli_overrides_given
from zavera_desktop.ui.login_dialog import LoginDialog
from zavera_desktop.ui.settings import AppSettings, AuthKind

WAIT_MS = 15_000

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # offscreen's limit


@pytest.fixture
def session(qapp):
    s = Session(qapp)
    try:
        yield s
    finally:
        s.close()
        s.deleteLater()


def gui_args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["gui", *argv])


def test_only_connection_options_count_as_overrides():
    assert not cli_overrides_given(gui_args())
    assert not cli_overrides_given(gui_args("--log-level", "DEBUG"))
    assert cli_overrides_given(gui_args("--poll-interval", "5"))
    assert cli_overrides_given(gui_args("--backend", "https://shop.example"))
    assert cli_overrides_given(gui_args("--db", "/tmp/x.db"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_watcher_wakes_the_gui_thread(qtbot, sig):
    before = signal.getsignal(sig)
    watcher = SignalWatcher()
    try:
        with qtbot.waitSignal(watcher.received, timeout=WAIT_MS) as blocker:
            os.kill(os.getpid(), sig)
        assert blocker.args == [sig]
    finally:
        watcher.close()
        watcher.deleteLater()
    assert signal.getsignal(sig) is before


def test_run_off_thread_returns_the_result_and_keeps_the_loop_turning(session, qtbot):
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    done = threading.Event()

    def slow() -> str:
        done.wait(0.3)
        return "secret"

    try:
        assert session.run_off_thread(slow) == "secret"
    finally:
        timer.stop()
    assert ticks  # the GUI loop ran meanwhile


def test_a_quit_ends_a_start_up_wait_without_waiting_for_the_worker(session):
    release = threading.Event()
    QTimer.singleShot(50, session.request_quit)
    try:
        assert session.run_off_thread(lambda: release.wait(10)) is None
        assert not release.is_set()  # returned while the worker still waits (an unanswered keyring prompt)
    finally:
        release.set()
    assert session.quitting


def test_a_quit_closes_an_open_dialog(session):
    dialog = QDialog()
    QTimer.singleShot(50, session.request_quit)
    assert session.exec_dialog(dialog) == QDialog.DialogCode.Rejected
    dialog.deleteLater()


def test_options_win_and_the_saved_settings_fill_the_rest(session, tmp_path, monkeypatch):
    parser = build_parser()
    args = gui_args("--backend", "https://shop.example", "--email", "admin@shop.example", "--password-env", "ZPW",
                    "--poll-interval", "7", "--data-dir", str(tmp_path))
    monkeypatch.setenv("ZPW", "hunter22")
    settings = AppSettings(tmp_path / "s.ini")
    settings.verify_interval = 33
    given = app_module._connection_from_args(args, parser, settings)
    conn = app_module._resolve_login(session, args, parser, settings, given)
    assert conn is not None and not conn.persist
    assert conn.credentials == Credentials("admin@shop.example", "hunter22")
    assert (conn.settings.backend_url, conn.settings.poll_interval, conn.settings.verify_interval) == (
        "https://shop.example", 7.0, 33.0)
    assert conn.db_target == tmp_path / "zavera-desktop.db"
    assert settings.backend_url == ""  # nothing saved


def test_saved_settings_and_the_keyring_log_in_without_a_dialog(session, tmp_path):
    settings = AppSettings(tmp_path / "s.ini")
    settings.backend_url = "https://saved.example"
    settings.email = "admin@saved.example"
    settings.auth_kind = AuthKind.PASSWORD
    store = default_store()
    store.set("https://saved.example", SecretKind.PASSWORD, "pw-from-keyring", remember=False)
    try:
        conn = app_module._resolve_login(session, gui_args("--data-dir", str(tmp_path)), build_parser(), settings,
                                         None)
    finally:
        store.delete("https://saved.example", SecretKind.PASSWORD)
    assert conn is not None and conn.persist
    assert conn.credentials == Credentials("admin@saved.example", "pw-from-keyring")
    assert conn.settings.backend_url == "https://saved.example"


def _answer_login_dialog(act) -> None:
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, LoginDialog):
            act(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def test_first_run_shows_the_login_dialog_and_cancel_quits(session, tmp_path):
    settings = AppSettings(tmp_path / "s.ini")  # nothing saved: first run
    _answer_login_dialog(lambda d: d.reject())
    assert app_module._resolve_login(session, gui_args("--data-dir", str(tmp_path)), build_parser(), settings,
                                     None) is None


def test_try_the_demo_starts_the_embedded_sandbox(session, tmp_path):
    settings = AppSettings(tmp_path / "s.ini")
    _answer_login_dialog(lambda d: d.findChild(object, "demoButton").click())
    conn = app_module._resolve_login(session, gui_args("--data-dir", str(tmp_path)), build_parser(), settings, None)
    assert conn is not None and conn.demo is not None
    try:
        assert not conn.persist
        assert conn.settings.backend_url == conn.demo.credentials["url"]
        assert conn.credentials is not None and conn.credentials.email == conn.demo.credentials["admin_email"]
        assert Path(conn.db_target).parent.is_dir()
    finally:
        conn.demo.stop()
    assert not Path(conn.db_target).parent.exists()  # the demo's database was temporary
