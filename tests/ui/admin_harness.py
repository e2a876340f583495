"""The window against a sandbox for the admin-action tests: store, engine (with the sandbox's own Midtrans
simulator), bridge and ``MainWindow``, wired as ``ui/app.py`` wires them.

Verify and the reconcile loop are slowed right down (the engine tests' QUIET): a payment whose webhook
was lost stays unknown until the admin acts, as it would in the minutes before verify gets to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtWidgets import QApplication

from tests.helpers import FAST, SandboxControl
from zavera_desktop.backend.client import Credentials
from zavera_desktop.backend.midtrans import MidtransAccess
from zavera_desktop.config import EngineSettings
from zavera_desktop.domain import Payment
from zavera_desktop.engine import Engine
from zavera_desktop.store import Store
from zavera_desktop.ui.bridge import EngineBridge
from zavera_desktop.ui.main_window import MainWindow
from zavera_desktop.ui.settings import AppSettings

WAIT_MS = 20_000
QUIET = dict(verify_interval=3600, verify_after=3600, live_reconcile_interval=3600, poll_interval=3600)


def sandbox_midtrans(control: SandboxControl, environment: str = "custom") -> MidtransAccess:
    return MidtransAccess(f"{control.url}/midtrans", control.creds["server_key"], environment)


class EngineOnly:
    """An engine against the sandbox with a bridge, for dialogs tested without the main window."""

    def __init__(self, qtbot: Any, control: SandboxControl, tmp_path: Path, *,
                 midtrans: MidtransAccess | str | None = "sandbox") -> None:
        self.qtbot = qtbot
        self.control = control
        self.store = Store.open(tmp_path / "engine.db")
        access = sandbox_midtrans(control) if midtrans == "sandbox" else midtrans
        self.midtrans = access
        creds = control.creds
        self.engine = Engine(EngineSettings(backend_url=control.url, **{**FAST, **QUIET}), self.store,
                             credentials=Credentials(creds["admin_email"], creds["admin_password"]),
                             midtrans=access)  # type: ignore[arg-type]
        self.bridge = EngineBridge()
        self._unsubscribe = self.engine.subscribe(self.bridge.deliver)
        self.engine.start()
        qtbot.waitUntil(lambda: self.engine.stats.reconcile_runs >= 1, timeout=WAIT_MS)

    def lost_webhook(self, **order: Any) -> dict[str, Any]:
        """An order the customer paid at Midtrans whose notification never reached the shop."""
        made = self.control.create_order(**order)
        self.control.pay(made["order_code"], webhook="drop")
        return made

    def close(self) -> None:
        self.bridge.close()
        self._unsubscribe()
        self.engine.stop(timeout=3.0)
        self.store.close()


class WindowHarness(EngineOnly):
    """``EngineOnly`` plus the main window, with what the notifier was handed recorded."""

    def __init__(self, qtbot: Any, control: SandboxControl, tmp_path: Path, *,
                 midtrans: MidtransAccess | str | None = "sandbox") -> None:
        self.settings = AppSettings(tmp_path / "settings.ini")
        self.settings.tray_hint_shown = True
        super().__init__(qtbot, control, tmp_path, midtrans=midtrans)
        self.window = MainWindow(engine=self.engine, store=self.store, bridge=self.bridge, settings=self.settings,
                                 engine_settings=self.engine.settings, actor=control.creds["admin_email"],
                                 persist=False, demo=True)
        self.window.admin_actions.midtrans = self.midtrans  # as ui/app.py hands it over
        self.notified: list[Payment] = []
        original = self.window.notifier.payments_arrived

        def spy(payments: list[Payment]) -> None:
            self.notified.extend(payments)
            original(payments)

        self.window.notifier.payments_arrived = spy  # type: ignore[method-assign]
        self.window.resize(1200, 760)
        self.window.show()
        qtbot.waitUntil(lambda: self.window.status_bar.state_text == "Live", timeout=WAIT_MS)

    def search(self, text: str) -> None:
        bar = self.window.filter_bar
        bar.search.setText(text)
        bar.search.returnPressed.emit()  # the admin presses Enter (no debounce wait)

    def loaded_row(self, code: str) -> int | None:
        model = self.window.model
        for row in range(model.rowCount()):
            p = model.payment_at(row)
            if p is not None and p.order_code == code:
                return row
        return None

    def close(self) -> None:
        w = self.window
        if shiboken6.isValid(w):
            w.prepare_quit()
        super().close()
        if shiboken6.isValid(w):
            w.close()
            shiboken6.delete(w)
        QApplication.processEvents()
