"""An error escaping a slot or a thread: logged with its traceback (secrets masked), shown to the admin once
with the log file's location, never swallowed; the event loop and the engine keep running.

pytest-qt turns such errors into test failures by hooking ``sys.excepthook`` itself; the in-process tests
here switch that off (``qt_no_exception_capture``) so the app's own handler is the one that sees them.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.helpers import EngineHarness
from zavera_desktop.logging_setup import configure, register_secret
from zavera_desktop.ui.crash_handler import CrashHandler, current_log_file

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 10_000


def crash_dialogs() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "crashDialog" and w.isVisible()]


@pytest.fixture
def log_file(tmp_path) -> Iterator[Path]:
    """The app's real logging (file handler with the secret scrubber) into a temporary file."""
    root = logging.getLogger()
    level = root.level
    path = configure("INFO", log_file=str(tmp_path / "zavera-desktop.log"))
    assert path is not None
    try:
        yield path
    finally:
        for handler in [h for h in root.handlers if getattr(h, "_zavera", False)]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)


@pytest.fixture
def handler(qapp, log_file) -> Iterator[CrashHandler]:
    made = CrashHandler()
    made.install()
    try:
        yield made
    finally:
        made.uninstall()
        for box in crash_dialogs():
            box.close()
        made.deleteLater()


def raise_in_a_slot(message: str) -> None:
    def boom() -> None:
        raise RuntimeError(message)

    QTimer.singleShot(0, boom)


def test_the_log_file_is_found(log_file):
    assert current_log_file() == log_file


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_logged_and_shown_once_and_the_loop_goes_on(handler, log_file, qtbot):
    register_secret("Sandi-Rahasia-42")
    raise_in_a_slot("the chart broke (password Sandi-Rahasia-42)")
    qtbot.waitUntil(lambda: len(crash_dialogs()) == 1, timeout=WAIT_MS)
    [box] = crash_dialogs()
    assert str(log_file) in box.informativeText()
    assert "keeps running" in box.text()
    assert "RuntimeError: the chart broke" in box.detailedText()
    assert "Sandi-Rahasia-42" not in box.detailedText()

    text = log_file.read_text(encoding="utf-8")
    assert "Unhandled error in thread MainThread" in text
    assert "Traceback (most recent call last)" in text and "in boom" in text
    assert "RuntimeError: the chart broke" in text
    assert "Sandi-Rahasia-42" not in text, "the traceback's secret reached the log"

    raise_in_a_slot("and again")
    qtbot.waitUntil(lambda: "and again" in log_file.read_text(encoding="utf-8"), timeout=WAIT_MS)
    ticks: list[int] = []
    QTimer.singleShot(50, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: ticks == [1], timeout=WAIT_MS)  # the event loop still runs
    assert handler.errors == 2
    assert len(crash_dialogs()) == 1, "one message per run, however many errors"


@pytest.mark.qt_no_exception_capture
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_an_error_in_a_thread_is_logged_with_the_threads_name_and_shown(handler, log_file, qtbot):
    def work() -> None:
        raise ValueError("the worker broke")

    thread = threading.Thread(target=work, name="export-worker")
    thread.start()
    thread.join(5)
    qtbot.waitUntil(lambda: len(crash_dialogs()) == 1, timeout=WAIT_MS)  # queued to the GUI thread
    text = log_file.read_text(encoding="utf-8")
    assert "Unhandled error in thread export-worker" in text and "ValueError: the worker broke" in text


def test_uninstall_puts_the_previous_hooks_back(qapp):
    before, before_thread = sys.excepthook, threading.excepthook
    made = CrashHandler()
    made.install()
    assert sys.excepthook != before and threading.excepthook != before_thread
    made.uninstall()
    assert sys.excepthook == before and threading.excepthook == before_thread
    made.deleteLater()


def test_an_earlier_hook_still_sees_the_error(qapp, log_file):
    """pytest-qt's capture (or any earlier hook) is called after ours: tests still fail on errors."""
    seen: list[str] = []
    previous = sys.excepthook
    sys.excepthook = lambda t, v, tb: seen.append(str(v))
    made = CrashHandler()
    made.install()
    try:
        try:
            raise KeyError("x")
        except KeyError:
            sys.excepthook(*sys.exc_info())
    finally:
        made.uninstall()
        sys.excepthook = previous
        made.deleteLater()
    assert seen == ["'x'"]
    assert made.errors == 1


@pytest.mark.qt_no_exception_capture
def test_the_engine_keeps_running_after_an_error_in_the_window(handler, qtbot, sandbox, tmp_path):
    harness = EngineHarness(sandbox, db_path=tmp_path / "engine.db")
    try:
        harness.wait_ready()
        raise_in_a_slot("a widget broke")
        qtbot.waitUntil(lambda: len(crash_dialogs()) == 1, timeout=WAIT_MS)
        code = sandbox.create_order()["order_code"]
        sandbox.pay(code, webhook="deliver")
        harness.wait_announced({code})
        assert harness.engine.running
    finally:
        harness.close()


def test_the_app_installs_it_and_a_real_process_survives(tmp_path):
    """A real process (no pytest hooks): the app's Session installs the handler; an error in a slot is
    logged, the message appears once, and the program carries on to a normal exit."""
    log = tmp_path / "app.log"
    script = f"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from zavera_desktop.logging_setup import configure
from zavera_desktop.ui.app import Session

configure("INFO", log_file={str(log)!r})
app = QApplication([])
session = Session(app)

def boom():
    raise RuntimeError("slot failure")

def finish():
    boxes = [w for w in app.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    print("alive, message boxes:", len(boxes), flush=True)
    app.quit()

QTimer.singleShot(0, boom)
QTimer.singleShot(10, boom)
QTimer.singleShot(500, finish)
app.exec()
session.close()
print("hook restored:", sys.excepthook is sys.__excepthook__, flush=True)
"""
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env,
                            cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "alive, message boxes: 1" in result.stdout
    assert "hook restored: True" in result.stdout
    text = log.read_text(encoding="utf-8")
    assert text.count("Unhandled error in thread MainThread") == 2
    assert "RuntimeError: slot failure" in text
