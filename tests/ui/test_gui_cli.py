"""``zavera-desktop gui`` and ``demo`` as real processes: options connect without a dialog and save
nothing, SIGTERM and SIGINT quit with 0, a second start raises the first and exits 0.

Each process gets its own config, data and runtime folders; it runs on the offscreen platform.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import SandboxControl, wait_until

START_TIMEOUT = 45.0
EXIT_TIMEOUT = 20.0


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(name, None)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = home / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env.update(QT_QPA_PLATFORM="offscreen", NO_PROXY="127.0.0.1,localhost",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **extra)
    return env


class GuiProcess:
    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "zavera_desktop", *args], env=env, stdout=self._out,
                                     stderr=subprocess.STDOUT, text=True)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(EXIT_TIMEOUT)
        finally:
            self._out.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._out.close()


@pytest.fixture
def run_gui(tmp_path: Path) -> Iterator:
    started: list[GuiProcess] = []

    def start(args: list[str], *, home: Path | None = None, **env: str) -> GuiProcess:
        home = home or tmp_path / "home"
        gui = GuiProcess(args, _env(home, **env), tmp_path / f"gui{len(started)}.log")
        started.append(gui)
        return gui

    yield start
    for gui in started:
        gui.kill()


def gui_args(sandbox: SandboxControl, data: Path) -> list[str]:
    return ["gui", "--backend", sandbox.url, "--email", sandbox.creds["admin_email"], "--password-env", "ZPW",
            "--data-dir", str(data), "--db", str(data / "test.db"), "--poll-interval", "2", "--log-file", "none"]


def wait_streaming(sandbox: SandboxControl, gui: GuiProcess, clients: int = 1) -> None:
    def connected() -> bool:
        assert gui.proc.poll() is None, f"the app exited early ({gui.proc.returncode}):\n{gui.text()[-3000:]}"
        return sandbox.stream_clients() >= clients

    wait_until(connected, START_TIMEOUT, "the app's live stream")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_gui_with_options_connects_without_a_dialog_and_quits_cleanly(sandbox, run_gui, tmp_path, sig):
    home = tmp_path / "home"
    gui = run_gui(gui_args(sandbox, tmp_path / "data"), home=home, ZPW=sandbox.creds["admin_password"])
    wait_streaming(sandbox, gui)  # a login dialog would have stopped it before any connection
    assert gui.stop(sig) == 0, gui.text()[-3000:]
    wait_until(lambda: sandbox.stream_clients() == 0, 10, "the stream to close")
    # the options were for this run only: no backend or e-mail saved
    saved = "\n".join(p.read_text() for p in (home / "xdg_config_home").rglob("*.ini"))
    assert sandbox.url not in saved and sandbox.creds["admin_email"] not in saved
    assert (tmp_path / "data" / "test.db").exists()


@pytest.mark.slow
def test_first_run_shows_the_login_dialog_and_sigterm_closes_it(run_gui, tmp_path):
    gui = run_gui(["gui", "--data-dir", str(tmp_path / "data"), "--log-level", "INFO", "--log-file", "none"])

    def dialog_shown() -> bool:
        assert gui.proc.poll() is None, gui.text()[-3000:]
        return "showing the login dialog" in gui.text()

    wait_until(dialog_shown, START_TIMEOUT, "the login dialog")
    time.sleep(0.3)  # the dialog's own event loop is running now
    assert gui.stop() == 0, gui.text()[-3000:]


@pytest.mark.slow
def test_second_start_raises_the_first_and_exits_0(sandbox, run_gui, tmp_path):
    args = gui_args(sandbox, tmp_path / "data")
    first = run_gui([*args, "--log-level", "INFO"], ZPW=sandbox.creds["admin_password"])
    wait_streaming(sandbox, first)
    second = run_gui(args, ZPW=sandbox.creds["admin_password"])
    assert second.proc.wait(START_TIMEOUT) == 0, second.text()[-3000:]
    assert sandbox.stream_clients() == 1  # the second one never connected
    wait_until(lambda: "asked to show this window" in first.text(), 10, "the first window to be raised")
    assert first.stop() == 0, first.text()[-3000:]


@pytest.mark.slow
def test_a_crashed_instance_does_not_block_the_next_start(sandbox, run_gui, tmp_path):
    args = gui_args(sandbox, tmp_path / "data")
    crashed = run_gui(args, ZPW=sandbox.creds["admin_password"])
    wait_streaming(sandbox, crashed)
    crashed.kill()  # SIGKILL: the lock file and the socket stay behind
    wait_until(lambda: sandbox.stream_clients() == 0, 15, "the dead stream to go")
    again = run_gui(args, ZPW=sandbox.creds["admin_password"])
    wait_streaming(sandbox, again)
    assert again.stop() == 0, again.text()[-3000:]


@pytest.mark.slow
def test_demo_opens_the_window_against_the_embedded_sandbox(run_gui):
    demo = run_gui(["demo", "--traffic", "60", "--log-level", "INFO", "--log-file", "none"])

    def url() -> str | None:
        assert demo.proc.poll() is None, demo.text()[-3000:]
        found = re.search(r"Demo: sandbox at (http://\S+)", demo.text())
        return found.group(1) if found else None

    base = wait_until(url, START_TIMEOUT, "the demo sandbox")
    import httpx

    with httpx.Client(base_url=base, trust_env=False, timeout=10) as http:
        wait_until(lambda: http.get("/sandbox/state").json()["stream_clients"] >= 1, START_TIMEOUT,
                   "the demo's live stream")
    time.sleep(0.5)
    assert demo.stop() == 0, demo.text()[-3000:]
