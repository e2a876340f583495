"""Shared fixtures: an isolated home for every test run, the in-process sandbox, the engine harness.

Every server listens on 127.0.0.1 with a free port; every wait has a deadline.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

# Isolate the user dirs before anything imports platformdirs-derived paths: tests must never
# touch the real data dir, log dir or keyring of whoever runs them.
_HOME = Path(tempfile.mkdtemp(prefix="zavera-test-home-"))
for _name in ("HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR"):
    _dir = _HOME / _name.lower()
    _dir.mkdir(mode=0o700)
    os.environ[_name] = str(_dir)
os.environ["NO_PROXY"] = "127.0.0.1,localhost"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_proxy, None)

from tests.helpers import EngineHarness, SandboxControl, start_sandbox  # noqa: E402


def _guard_gc_if_qt() -> None:
    """Once a QApplication exists, cycles are collected on this (the GUI) thread only: a collection
    on an engine or worker thread that frees a leftover widget deadlocks or crashes Qt."""
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        from zavera_desktop.ui import gc_guard

        gc_guard.install(app)
        gc_guard.collect_if_due()


@pytest.fixture(autouse=True)
def _gc_on_the_gui_thread():
    _guard_gc_if_qt()
    yield
    _guard_gc_if_qt()


@pytest.fixture
def sandbox():
    """A fresh sandbox (in-memory DB, 1 s keepalive) with a control client."""
    server = start_sandbox()
    control = SandboxControl(server)
    try:
        yield control
    finally:
        control.close()
        server.stop()


@pytest.fixture
def engine_factory(tmp_path):
    """Build engine harnesses against a sandbox; all are stopped at the end of the test."""
    made: list[EngineHarness] = []

    def make(control: SandboxControl, **kw) -> EngineHarness:
        kw.setdefault("db_path", tmp_path / f"engine{len(made)}.db")
        harness = EngineHarness(control, **kw)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()
