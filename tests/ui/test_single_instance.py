"""One app per data folder: the lock decides, the local socket carries "raise"."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtNetwork import QLocalServer

from zavera_desktop.ui.single_instance import SingleInstance, server_name

# A second process that tries to acquire the same folder and prints what happened.
CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from zavera_desktop.ui.single_instance import SingleInstance
    app = QCoreApplication([])
    inst = SingleInstance(Path(sys.argv[1]))
    print("first" if inst.acquire() else "second", flush=True)
    if len(sys.argv) > 2 and sys.argv[2] == "crash":
        os._exit(9)  # leaves the lock file and the socket behind, like a crash
""")


def run_child(data_dir: Path, *extra: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), *extra], capture_output=True, text=True,
                         timeout=30, env=env)
    return out.stdout.strip()


def test_server_name_depends_on_the_folder(tmp_path):
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "x" / ".." / "a")


def test_second_process_raises_the_first_and_backs_off(qtbot, tmp_path):
    first = SingleInstance(tmp_path)
    try:
        assert first.acquire()
        with qtbot.waitSignal(first.raise_requested, timeout=10000):
            assert run_child(tmp_path) == "second"
    finally:
        first.release()


def test_after_release_the_folder_is_free_again(tmp_path):
    first = SingleInstance(tmp_path)
    assert first.acquire()
    first.release()
    assert run_child(tmp_path) == "first"


def test_a_crashed_instance_does_not_block_the_next_start(qtbot, tmp_path):
    assert run_child(tmp_path, "crash") == "first"
    assert (tmp_path / "instance.lock").exists()  # left behind by the crash
    inst = SingleInstance(tmp_path)
    try:
        assert inst.acquire()  # the stale lock is taken over, the stale socket replaced
        with qtbot.waitSignal(inst.raise_requested, timeout=10000):
            assert run_child(tmp_path) == "second"
    finally:
        inst.release()


def test_different_folders_do_not_interfere(tmp_path):
    a = SingleInstance(tmp_path / "a")
    try:
        assert a.acquire()
        assert run_child(tmp_path / "b") == "first"
    finally:
        a.release()
    QLocalServer.removeServer(server_name(tmp_path / "b"))
