"""Unhandled errors: logged with their traceback, told to the admin once, and the app keeps running.

PySide6 hands an exception that escapes a slot, a timer callback or an overridden Qt method to
``sys.excepthook`` and then carries on with the event loop; a Python thread's uncaught exception goes
to ``threading.excepthook``. Both defaults only print to stderr, which a desktop app started from the
menu does not have — so the error would be lost. ``CrashHandler`` takes both hooks:

* every error is logged at CRITICAL with its traceback (the log handlers scrub secrets from it);
* the first one of the run opens a small, non-modal message with the log file's location and a
  button that opens its folder; later ones are only logged (one message box per bug is enough,
  a storm of them would bury the window);
* nothing is stopped: the engine runs on its own thread, the event loop carries on.

The message is opened through a queued signal, so it never appears inside the failing call and a
thread's error reaches the GUI thread safely. A hook that was installed before (pytest-qt's, for
instance) is still called after ours.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from zavera_desktop.logging_setup import scrub

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def current_log_file() -> Path | None:
    """The log file the app writes to (``logging_setup.configure``'s file handler), or None."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler) and getattr(handler, "_zavera", False):
            return Path(handler.baseFilename)
    return None


class CrashHandler(QObject):
    """Installs ``sys.excepthook`` and ``threading.excepthook``; see the module docstring."""

    # (one-line summary, thread name): queued to the GUI thread
    _report = Signal(str, str)
    # the message box was opened (for tests and for the window, e.g. to raise itself)
    shown = Signal(object)

    def __init__(self, parent: QObject | None = None, *,
                 log_file: Callable[[], Path | None] = current_log_file) -> None:
        super().__init__(parent)
        self._log_file = log_file
        self._installed = False
        self._previous_hook: Callable[..., object] | None = None
        self._previous_thread_hook: Callable[[threading.ExceptHookArgs], object] | None = None
        self._lock = threading.Lock()
        self._told = False
        self.errors = 0
        self.dialog: QMessageBox | None = None
        self._report.connect(self._tell, Qt.ConnectionType.QueuedConnection)

    # --- the hooks --------------------------------------------------------------------------------

    def install(self) -> None:
        if self._installed:
            return
        self._previous_hook, sys.excepthook = sys.excepthook, self._excepthook
        self._previous_thread_hook, threading.excepthook = threading.excepthook, self._thread_excepthook
        self._installed = True

    def uninstall(self) -> None:
        """Put the previous hooks back (only where ours is still the one installed)."""
        if not self._installed:
            return
        if sys.excepthook == self._excepthook:
            sys.excepthook = self._previous_hook or sys.__excepthook__
        if threading.excepthook == self._thread_excepthook:
            threading.excepthook = self._previous_thread_hook or threading.__excepthook__
        self._installed = False

    @property
    def installed(self) -> bool:
        return self._installed

    def _excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        previous = self._previous_hook
        if issubclass(exc_type, (KeyboardInterrupt, SystemExit)):  # not errors: the default behaviour
            (previous or sys.__excepthook__)(exc_type, exc, tb)
            return
        self.handle((exc_type, exc, tb), threading.current_thread().name)
        if previous is not None and previous is not sys.__excepthook__:
            previous(exc_type, exc, tb)  # e.g. pytest-qt's capture, which fails the test

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        previous = self._previous_thread_hook
        if args.exc_type is SystemExit or args.exc_value is None:  # a thread ending itself
            return
        name = args.thread.name if args.thread is not None else "unknown"
        self.handle((args.exc_type, args.exc_value, args.exc_traceback), name)
        if previous is not None and previous is not threading.__excepthook__:
            previous(args)

    # --- what happens to an error ------------------------------------------------------------------

    def handle(self, exc_info: ExcInfo, thread_name: str) -> None:
        """Log the error with its traceback and, the first time, tell the admin (from any thread)."""
        try:
            with self._lock:
                self.errors += 1
                first = not self._told
                self._told = True
            log.critical("Unhandled error in thread %s; Zavera Desktop keeps running", thread_name, exc_info=exc_info)
            if first:
                summary = scrub("".join(traceback.format_exception_only(exc_info[0], exc_info[1])).strip())
                self._report.emit(summary, thread_name)
        except Exception:  # the handler itself must never be the next crash: fall back to stderr
            sys.__excepthook__(*exc_info)

    @Slot(str, str)
    def _tell(self, summary: str, _thread_name: str) -> None:
        if QApplication.instance() is None:
            return
        path = self._log_file()
        box = QMessageBox(QApplication.activeWindow())
        box.setObjectName("crashDialog")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(self.tr("Zavera Desktop: unexpected error"))
        box.setText(self.tr("Something went wrong inside Zavera Desktop. It keeps running and keeps watching "
                            "payments, but part of the window may not work until you restart it."))
        if path is not None:
            box.setInformativeText(self.tr("The details are in the log file:\n%1\n\nIf this happens again, send "
                                           "that file and the text of Help → About Zavera Desktop → Copy "
                                           "diagnostics to whoever looks after Zavera Desktop.").replace("%1",
                                                                                                  str(path)))
            open_folder = box.addButton(self.tr("Open log folder"), QMessageBox.ButtonRole.ActionRole)
            # the box closes after a button; opening the folder is all this one does
            open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
        else:
            box.setInformativeText(self.tr("No log file is being written (logging is off), so the details "
                                           "were printed to the terminal only."))
        box.setDetailedText(summary)
        box.addButton(QMessageBox.StandardButton.Close)
        box.destroyed.connect(self._forget_dialog)
        self.dialog = box
        box.show()
        self.shown.emit(box)

    @Slot()
    def _forget_dialog(self) -> None:
        self.dialog = None


def install_crash_handler(parent: QObject | None = None) -> CrashHandler:
    """Make a ``CrashHandler`` and install its hooks (``uninstall()`` at shut-down)."""
    handler = CrashHandler(parent)
    handler.install()
    return handler
