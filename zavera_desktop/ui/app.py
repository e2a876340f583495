"""Start and stop the desktop app: ``zavera-desktop gui`` and the windowed ``demo``.

Start-up, in order (every step that can wait keeps the event loop turning, so SIGTERM works):

1. check the command-line options (a mistake exits 2 before any window);
2. the QApplication, its translation, and the SIGINT/SIGTERM watcher;
3. ``gui`` only: one instance per data folder — a second start raises the first window, exits 0;
4. the login: the options, or the saved settings + keyring, or the login dialog (first run);
   "Try the demo" there, and the ``demo`` command, start the embedded sandbox instead;
5. the store, the engine, the bridge (subscribed before the engine starts: no batch is missed),
   the window; then the engine starts and the event loop runs.

Shut-down (Quit in the menu or tray, SIGINT, SIGTERM, or closing the window where there is no
tray): the window saves its geometry, the bridge stops delivering, the engine stops (bounded
wait), the store closes, the demo sandbox stops, the instance lock is released. Exit code 0.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import gc
import logging
import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QSocketNotifier, Qt, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from zavera_desktop.backend.client import Credentials
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.cli_options import credentials_from_args, settings_from_args
from zavera_desktop.config import EngineSettings, data_dir, default_db_path
from zavera_desktop.exit_codes import EXIT_ERROR, EXIT_OK
from zavera_desktop.logging_setup import register_secret
from zavera_desktop.ui import gc_guard

log = logging.getLogger(__name__)

T = TypeVar("T")

# the options of ``gui`` that mean "this run, not the saved settings" (``watch``'s options)
CONNECTION_OPTIONS = ("backend", "email", "password_env", "token_env", "db", "poll_interval", "verify_interval",
                      "verify_after", "read_timeout", "lookback_days", "tz")
ENGINE_STOP_TIMEOUT = 3.0
# the demo's engine settings, as ``watch.run_demo`` uses them
DEMO_ENGINE = dict(poll_interval=5.0, verify_interval=15.0, verify_after=20.0)


# --- the login this run uses -----------------------------------------------------------------------

@dataclass
class Connection:
    """What the engine connects with, and whether this run may save anything."""

    settings: EngineSettings
    token: str | None
    credentials: Credentials | None
    actor: str
    db_target: str | Path
    persist: bool
    demo: DemoBackend | None = None
    # Midtrans for replays and direct look-ups; None: the saved settings + keyring are read at start-up
    midtrans: MidtransAccess | None = None


@dataclass
class DemoBackend:
    """The embedded sandbox with demo traffic and a temporary database."""

    traffic: float = 12.0
    drop_webhooks: float = 0.3
    server: Any = None
    tmp: tempfile.TemporaryDirectory[str] | None = None
    credentials: dict[str, str] = field(default_factory=dict)

    def start(self) -> Connection:
        from zavera_desktop.sandbox import SandboxConfig, SandboxServer

        for name in ("zavera_desktop.sandbox", "uvicorn", "uvicorn.error"):
            if logging.getLogger().level > logging.DEBUG:  # its server chatter is not what the admin came to see
                logging.getLogger(name).setLevel(logging.WARNING)
        self.server = SandboxServer(SandboxConfig(port=0, traffic=self.traffic, drop_webhooks=self.drop_webhooks))
        self.server.start()
        self.credentials = creds = self.server.credentials
        register_secret(creds["admin_password"])
        register_secret(creds["server_key"])
        self.tmp = tempfile.TemporaryDirectory(prefix="zavera-demo-")
        log.info("Demo: sandbox at %s with %g orders per minute", creds["url"], self.traffic)
        return Connection(
            settings=EngineSettings(backend_url=creds["url"], **DEMO_ENGINE),  # type: ignore[arg-type]
            token=None, credentials=Credentials(creds["admin_email"], creds["admin_password"]),
            actor=creds["admin_email"], db_target=Path(self.tmp.name) / "demo.db", persist=False, demo=self,
            # the sandbox's own Midtrans simulator and key (memory only), so a replay works out of the box
            midtrans=MidtransAccess(f"{creds['url']}/midtrans", creds["server_key"], "custom"),
        )

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                self.tmp.cleanup()
            self.tmp = None


def cli_overrides_given(args: argparse.Namespace) -> bool:
    return any(getattr(args, name, None) is not None for name in CONNECTION_OPTIONS)


def _gui_data_dir(args: argparse.Namespace) -> Path:
    given = getattr(args, "data_dir", None)
    return Path(given).expanduser() if given else data_dir()


def _default_db(args: argparse.Namespace) -> Path:
    given = getattr(args, "data_dir", None)
    return Path(given).expanduser() / "zavera-desktop.db" if given else default_db_path()


# --- signals ----------------------------------------------------------------------------------------

class SignalWatcher(QObject):
    """SIGINT / SIGTERM → ``received`` on the GUI thread.

    Python runs its signal handlers only when the interpreter gets control, and Qt's loop may sleep
    in C for a long time. ``signal.set_wakeup_fd`` makes the C-level handler write the signal number
    to a socket that a QSocketNotifier watches, which wakes the loop at once (also on Windows,
    where the wakeup fd must be a socket).
    """

    received = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        self._old_fd = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        self._old_handlers = {}
        for sig in (signal.SIGINT, signal.SIGTERM):
            # a Python-level handler must exist for the C handler to write to the wakeup fd
            self._old_handlers[sig] = signal.signal(sig, self._noop)
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)

    @staticmethod
    def _noop(_signum: int, _frame: object) -> None:
        """The work happens in ``_on_readable``, on the GUI thread."""

    @Slot()
    def _on_readable(self) -> None:
        try:
            data = self._read.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        for signum in data:
            if signum in (signal.SIGINT, signal.SIGTERM):
                log.info("Received %s; quitting", signal.Signals(signum).name)
                self.received.emit(signum)

    def close(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._old_fd)
        for sig, handler in self._old_handlers.items():
            with contextlib.suppress(TypeError, ValueError):
                signal.signal(sig, handler)
        self._read.close()
        self._write.close()


class _Relay(QObject):
    """Carries a worker thread's "done" to the GUI thread."""

    done = Signal()


class Session(QObject):
    """The life of one app run: quitting from any step, and waiting without freezing."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.quitting = False
        self._waits: list[Callable[[], None]] = []
        # told before the loops end: Qt 6's quit() first asks every window to close, and a window
        # that hides to the tray would refuse
        self.before_quit: list[Callable[[], None]] = []
        self._relay = _Relay(self)
        self.signals = SignalWatcher(self)
        self.signals.received.connect(self.request_quit)
        # an error escaping a slot is logged and shown once; the app and the engine keep running
        from zavera_desktop.ui.crash_handler import install_crash_handler

        self.crash_handler = install_crash_handler(self)

    @Slot()
    def request_quit(self) -> None:
        """Quit from wherever we are: a start-up wait, a dialog, or the main loop."""
        self.quitting = True
        for hook in list(self.before_quit):
            hook()
        for stop in list(self._waits):
            stop()
        self.app.quit()  # does nothing before the main loop runs; the flag covers that

    def run_off_thread(self, fn: Callable[[], T]) -> T | None:
        """Run ``fn`` on a worker thread while the GUI loop keeps turning (keyring reads may wait
        for an unlock prompt). None when the app is quitting meanwhile — without waiting for ``fn``:
        the worker is a daemon thread, so a prompt nobody answers cannot hold up the exit."""
        loop = QEventLoop()
        # the relay belongs to the session (the GUI thread), so a worker that finishes late never
        # holds the last reference to a QObject
        relay = self._relay
        relay.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def work() -> None:
            try:
                future.set_result(fn())
            except BaseException as exc:  # delivered to the caller below
                future.set_exception(exc)
            relay.done.emit()

        threading.Thread(target=work, name="zavera-startup", daemon=True).start()
        self._waits.append(loop.quit)
        try:
            if not future.done() and not self.quitting:
                loop.exec()
        finally:
            self._waits.remove(loop.quit)
            relay.done.disconnect(loop.quit)
        if self.quitting or not future.done():
            return None
        return future.result()

    def exec_dialog(self, dialog: QDialog) -> int:
        """``dialog.exec()`` that a signal can end (QCoreApplication.quit does not before exec)."""
        def stop() -> None:
            dialog.done(QDialog.DialogCode.Rejected)

        self._waits.append(stop)
        try:
            return QDialog.DialogCode.Rejected if self.quitting else dialog.exec()
        finally:
            self._waits.remove(stop)

    def close(self) -> None:
        self.crash_handler.uninstall()
        self.signals.close()


# --- the QApplication -------------------------------------------------------------------------------

def make_app() -> QApplication:
    from zavera_desktop.resources_path import resource_path
    from zavera_desktop.ui.settings import APPLICATION, ORGANIZATION

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    gc_guard.install(app)  # reference cycles holding Qt objects are freed on the GUI thread only
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QApplication.setApplicationDisplayName("Zavera Desktop")
    QApplication.setDesktopFileName("zavera-desktop")
    icon = resource_path("icons/app.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    # the tray keeps the app alive when the window closes; quitting is always explicit
    app.setQuitOnLastWindowClosed(False)
    return app


# --- the login ---------------------------------------------------------------------------------------

def _connection_from_args(args: argparse.Namespace, parser: argparse.ArgumentParser, saved: Any) -> tuple[
        EngineSettings, str | None, Credentials | None]:
    """``gui`` with ``watch``'s options: they win for this run (the saved settings fill the rest)."""
    try:
        base: EngineSettings | None = saved.engine_settings(args.backend)
    except ValueError:
        base = None
    engine_settings = settings_from_args(args, parser, base=base)
    token: str | None = None
    creds: Credentials | None = None
    if args.token_env or args.email or args.password_env:
        token, creds = credentials_from_args(args, parser)
    return engine_settings, token, creds


def _saved_secret(settings: Any, backend_url: str) -> tuple[str | None, Credentials | None]:
    """The remembered login for this backend from the keyring (runs on a worker thread)."""
    from zavera_desktop.secrets import SecretKind, default_store
    from zavera_desktop.ui.settings import AuthKind

    store = default_store()
    if settings.auth_kind is AuthKind.TOKEN:
        token = store.get(backend_url, SecretKind.TOKEN)
        return (token, None) if token else (None, None)
    password = store.get(backend_url, SecretKind.PASSWORD)
    if password and settings.email:
        return None, Credentials(settings.email, password)
    return None, None


def _resolve_login(session: Session, args: argparse.Namespace, parser: argparse.ArgumentParser,
                   settings: Any, given: tuple[EngineSettings, str | None, Credentials | None] | None,
                   ) -> Connection | None:
    """The connection for this run; None when the admin cancelled the login or the app is quitting."""
    if given is not None:  # options: no dialog, nothing saved
        engine_settings, token, creds = given
        if token is None and creds is None:
            found = session.run_off_thread(lambda: _saved_secret(settings, engine_settings.backend_url))
            if found is None:
                return None
            token, creds = found
            if token is None and creds is None:
                parser.error(f"no saved login for {engine_settings.backend_url}: give --email E --password-env VAR "
                             "or --token-env VAR")
        actor = creds.email if creds else (settings.email or "admin")
        return Connection(engine_settings, token, creds, actor, args.db or _default_db(args), persist=False)

    if settings.backend_url:
        found = session.run_off_thread(lambda: _saved_secret(settings, settings.backend_url))
        if found is None:
            return None
        token, creds = found
        if token is not None or creds is not None:
            engine_settings = settings.engine_settings()
            return Connection(engine_settings, token, creds, settings.email or "admin", _default_db(args),
                              persist=True)
    return _login_dialog(session, args, settings)


def _login_dialog(session: Session, args: argparse.Namespace, settings: Any) -> Connection | None:
    from zavera_desktop.ui.login_dialog import LoginDialog
    from zavera_desktop.ui.settings import AuthKind

    log.info("No saved login: showing the login dialog")
    dialog = LoginDialog(settings=settings)
    try:
        if session.exec_dialog(dialog) != QDialog.DialogCode.Accepted or session.quitting:
            return None
        outcome = dialog.outcome()
    finally:
        dialog.deleteLater()
    if outcome is None:
        return None
    if outcome.demo:
        return DemoBackend().start()
    engine_settings = settings.engine_settings(outcome.backend_url)
    if outcome.auth_kind is AuthKind.PASSWORD and outcome.credentials is not None:
        return Connection(engine_settings, None, outcome.credentials, outcome.email, _default_db(args), persist=True)
    return Connection(engine_settings, outcome.token, None, outcome.email or "admin", _default_db(args),
                      persist=True)


# --- running ------------------------------------------------------------------------------------------

def _run_window(session: Session, settings: Any, conn: Connection, *, on_started: Callable[[Any], None] | None = None,
                ) -> int:
    """Store → engine → bridge → window → event loop; then the orderly shut-down."""
    from zavera_desktop.engine import Engine
    from zavera_desktop.store import Store, StoreError
    from zavera_desktop.ui.bridge import EngineBridge
    from zavera_desktop.ui.main_window import MainWindow
    from zavera_desktop.ui.midtrans_settings import apply_saved_webhook_url, load_midtrans_access, load_prefs

    midtrans = conn.midtrans
    if midtrans is None and conn.demo is None:
        # the saved Midtrans and its server key from the keyring: off the GUI thread (an unlock prompt may wait)
        prefs, backend_url = load_prefs(settings), conn.settings.backend_url
        midtrans = session.run_off_thread(lambda: load_midtrans_access(prefs, backend_url))
        if session.quitting:
            return EXIT_OK
    try:
        store = Store.open(conn.db_target)
    except StoreError as exc:
        QMessageBox.critical(None, QCoreApplication.translate("App", "Zavera Desktop"), str(exc))
        return EXIT_ERROR
    engine = Engine(conn.settings, store, token=conn.token, credentials=conn.credentials, midtrans=midtrans)
    if conn.demo is None:
        apply_saved_webhook_url(engine, settings)
    bridge = EngineBridge(parent=session)
    unsubscribe = engine.subscribe(bridge.deliver)  # before start: the first batch is not missed
    window = MainWindow(engine=engine, store=store, bridge=bridge, settings=settings,
                        engine_settings=conn.settings, actor=conn.actor, persist=conn.persist,
                        demo=conn.demo is not None)
    window.admin_actions.midtrans = midtrans  # what Settings → Midtrans shows when this run saves nothing
    window.quit_requested.connect(session.request_quit)
    session.before_quit.append(window.mark_quitting)
    try:
        if on_started is not None:
            on_started(window)
        window.start_visible()
        # What start-up built (modules, Qt wrappers, the first page) lives as long as the app: keep it
        # out of every later full garbage collection, which otherwise stalls a burst by 60–330 ms.
        gc.freeze()
        engine.start()
        if session.quitting:
            return EXIT_OK
        session.app.exec()
        return EXIT_OK
    finally:
        gc.unfreeze()  # the app is shutting down; in-process callers (tests) carry on as before
        session.before_quit.remove(window.mark_quitting)
        window.prepare_quit()
        bridge.close()
        unsubscribe()
        engine.stop(timeout=ENGINE_STOP_TIMEOUT)
        if engine.running:
            log.warning("The engine did not stop within %.0f s; closing anyway", ENGINE_STOP_TIMEOUT)
        window.deleteLater()
        store.close()


def run_gui(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """``zavera-desktop gui``."""
    from zavera_desktop.ui.i18n import install_language
    from zavera_desktop.ui.settings import AppSettings
    from zavera_desktop.ui.single_instance import SingleInstance

    settings = AppSettings()
    given = _connection_from_args(args, parser, settings) if cli_overrides_given(args) else None
    app = make_app()
    install_language(app, settings.language)
    session = Session(app)
    instance = SingleInstance(_gui_data_dir(args))
    conn: Connection | None = None
    try:
        if not instance.acquire():
            log.info("Zavera Desktop is already running for %s; raised its window", instance.data_dir)
            return EXIT_OK
        conn = _resolve_login(session, args, parser, settings, given)
        if conn is None:
            return EXIT_OK
        return _run_window(session, settings, conn,
                           on_started=lambda w: instance.raise_requested.connect(w.raise_for_second_start))
    finally:
        if conn is not None and conn.demo is not None:
            conn.demo.stop()
        instance.release()
        session.close()


def run_demo_gui(args: argparse.Namespace) -> int:
    """``zavera-desktop demo`` with a window: the embedded sandbox, logged in as its demo admin."""
    from zavera_desktop.ui.i18n import install_language
    from zavera_desktop.ui.settings import AppSettings

    app = make_app()
    settings = AppSettings()
    install_language(app, settings.language)
    session = Session(app)
    demo = DemoBackend(traffic=args.traffic, drop_webhooks=args.drop_webhooks)
    try:
        return _run_window(session, settings, demo.start())
    finally:
        demo.stop()
        session.close()
