"""Help → About: the version, where the log file and the data are, and "Copy diagnostics".

The diagnostics text (``zavera_desktop/diagnostics.py``) is what someone helping the admin needs:
versions, platform, the backend URL, the connection state, counts and the notification backend —
and never a password, token or server key. It is gathered when the button is pressed, so it shows
the state at that moment, and only from the window's non-secret parts (``window_diagnostics``).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import QEvent, QSize, Qt, QTimer, QUrl, Slot, qVersion
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zavera_desktop import __version__
from zavera_desktop.config import data_dir
from zavera_desktop.diagnostics import (
    Diagnostics,
    diagnostics_text,
    installation_kind,
    platform_summary,
    python_summary,
)
from zavera_desktop.resources_path import resource_path
from zavera_desktop.ui.crash_handler import current_log_file

log = logging.getLogger(__name__)

# how long "Copied" stays on the button
COPIED_MS = 2500


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else ""


def database_folder(store: Any) -> Path | None:
    """The folder of the store's SQLite file (None for an in-memory or non-SQLite database)."""
    try:
        url = store.engine.url
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            return Path(url.database).resolve().parent
    except Exception:  # any other store: there is no folder to show
        return None
    return None


def _keyring_words() -> str:
    from zavera_desktop.secrets import default_store

    status = default_store().available()  # detection only: no keyring read (it was done at start-up)
    return f"{status.backend} (remembers passwords)" if status else f"{status.backend} (session only: {status.reason})"


def window_diagnostics(window: Any) -> Diagnostics:
    """The diagnostics of a running main window, from its non-secret parts only.

    Read defensively (``getattr``): the About dialog must open even when one part is missing.
    """
    engine = getattr(window, "engine", None)
    store = getattr(window, "store", None)
    settings = getattr(window, "engine_settings", None)
    status = getattr(engine, "status", None)
    counts: dict[str, int] = {}
    if store is not None:
        try:
            counts["payments stored"] = store.payment_count()
        except Exception as exc:  # a locked or broken database must not stop the dialog
            log.warning("Diagnostics: cannot count payments (%s)", type(exc).__name__)
    counts["unread"] = int(getattr(window, "unread", 0) or 0)
    stats = getattr(engine, "stats", None)
    if stats is not None:
        for name in ("stream_notifications", "reconcile_runs", "verify_checks", "midtrans_lookups"):
            counts[name.replace("_", " ")] = int(getattr(stats, name, 0) or 0)
        for source, count in sorted((getattr(stats, "payments_by_source", None) or {}).items()):
            counts[f"found by {source}"] = int(count)
    notifier = getattr(window, "notifier", None)
    from zavera_desktop.ui.i18n import current_language

    try:
        keyring = _keyring_words()
    except Exception as exc:
        keyring = f"unknown ({type(exc).__name__})"
    folder = database_folder(store) if store is not None else None
    log_file = current_log_file()
    return Diagnostics(
        version=__version__,
        platform=platform_summary(),
        python=python_summary(),
        qt_version=qVersion(),
        pyside_version=PySide6.__version__,
        installation=installation_kind(),
        backend_url=getattr(settings, "backend_url", "") or "",
        demo=bool(getattr(window, "demo", False)),
        connection=str(getattr(getattr(status, "state", None), "value", "") or ""),
        connection_detail=str(getattr(status, "detail", "") or ""),
        connection_since=_iso(getattr(status, "since", None)),
        last_event=_iso(getattr(engine, "last_event_at", None)),
        counts=counts,
        notification_backend=(f"{notifier.backend_name} ({notifier.backend_id or 'none'})" if notifier is not None
                               else ""),
        keyring=keyring,
        language=current_language(),
        log_file=str(log_file) if log_file else "",
        data_dir=str(folder or data_dir()),
    )


class AboutDialog(QDialog):
    """Version, log file, data folder, and the "Copy diagnostics" button."""

    def __init__(self, parent: QWidget | None = None, *, diagnostics: Callable[[], Diagnostics],
                 log_file: Path | None = None, data_folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self._diagnostics = diagnostics
        self._log_file = log_file
        self._data_folder = data_folder or data_dir()

        icon = QLabel(self)
        icon.setPixmap(QIcon(str(resource_path("icons/app.svg"))).pixmap(QSize(64, 64)))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._title = QLabel(self)
        self._title.setObjectName("aboutTitle")
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self._title.setFont(font)
        self._tagline = QLabel(self)
        self._tagline.setWordWrap(True)

        self._version = QLabel(self)
        self._version.setObjectName("aboutVersion")
        self._version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_edit = self._path_field("aboutLogFile")
        self.data_edit = self._path_field("aboutDataFolder")
        self._open_log = QPushButton(self)
        self._open_log.clicked.connect(self.open_log_folder)
        self._open_data = QPushButton(self)
        self._open_data.clicked.connect(self.open_data_folder)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._version_label = QLabel(self)
        self._log_label = QLabel(self)
        self._data_label = QLabel(self)
        form.addRow(self._version_label, self._version)
        form.addRow(self._log_label, self._row(self.log_edit, self._open_log))
        form.addRow(self._data_label, self._row(self.data_edit, self._open_data))

        self.copy_button = QPushButton(self)
        self.copy_button.setObjectName("copyDiagnostics")
        self.copy_button.clicked.connect(self.copy_diagnostics)
        self._copied_timer = QTimer(self)
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(COPIED_MS)
        self._copied_timer.timeout.connect(self.retranslate)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        head = QHBoxLayout()
        head.addWidget(icon)
        text = QVBoxLayout()
        text.addWidget(self._title)
        text.addWidget(self._tagline)
        text.addStretch(1)
        head.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.retranslate()

    def _path_field(self, name: str) -> QLineEdit:
        # a frameless read-only line edit: the whole path can be selected and copied, nothing wraps
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setReadOnly(True)
        edit.setFrame(False)
        edit.setCursorPosition(0)
        return edit

    @staticmethod
    def _row(edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        return row

    # --- actions -------------------------------------------------------------------------------------

    def diagnostics_text(self) -> str:
        return diagnostics_text(self._diagnostics())

    @Slot()
    def copy_diagnostics(self) -> None:
        QApplication.clipboard().setText(self.diagnostics_text())
        self.copy_button.setText(self.tr("Copied"))
        self._copied_timer.start()

    @Slot()
    def open_log_folder(self) -> None:
        if self._log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._log_file.parent)))

    @Slot()
    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._data_folder)))

    # --- language --------------------------------------------------------------------------------------

    @Slot()
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("About Zavera Desktop"))
        self._title.setText("Zavera Desktop")
        self._tagline.setText(self.tr("Every Midtrans payment of the Zavera shop, live and exactly once."))
        self._version_label.setText(self.tr("Version:"))
        self._version.setText(__version__)
        self._log_label.setText(self.tr("Log file:"))
        self.log_edit.setText(str(self._log_file) if self._log_file else self.tr("none (logging is off)"))
        self._open_log.setText(self.tr("Open folder"))
        self._open_log.setEnabled(self._log_file is not None)
        self._data_label.setText(self.tr("Data folder:"))
        self.data_edit.setText(str(self._data_folder))
        self._open_data.setText(self.tr("Open folder"))
        self.copy_button.setText(self.tr("Copy diagnostics"))
        self.copy_button.setToolTip(self.tr("Versions, platform, backend address, connection state, counts and "
                                            "the notification method, for whoever helps you. No password, token "
                                            "or key is included."))
        for edit in (self.log_edit, self.data_edit):
            edit.setCursorPosition(0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class _WindowDiagnostics:
    """``window_diagnostics`` of a window held weakly: the dialog, a child of the window, must not keep the
    window alive through a reference cycle (see ui.md)."""

    def __init__(self, window: QWidget) -> None:
        self._window = weakref.ref(window)

    def __call__(self) -> Diagnostics:
        window = self._window()
        return window_diagnostics(window) if window is not None else Diagnostics()


def show_about(window: QWidget) -> AboutDialog:
    """Open the About dialog for the main window (non-modal, one at a time; deleted when closed)."""
    existing = window.findChild(AboutDialog)
    if existing is not None and existing.isVisible():
        existing.raise_()
        existing.activateWindow()
        return existing
    store = getattr(window, "store", None)
    dialog = AboutDialog(window, diagnostics=_WindowDiagnostics(window), log_file=current_log_file(),
                         data_folder=database_folder(store) if store is not None else None)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
