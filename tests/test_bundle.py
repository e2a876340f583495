"""The PyInstaller bundle, built from ``build.spec`` and run as an admin would run it.

Slow (the build takes about a minute) but part of the suite: CI builds the bundle. It is built once
per test run, into a temporary folder, and shared by every test here. To test a bundle that exists
already (e.g. the one ``scripts/build-bundle`` made), point ``ZAVERA_TEST_BUNDLE`` at its folder.

Every run of the bundle gets a temporary home: nothing of the user's is read or written.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from zavera_desktop import __version__

ROOT = Path(__file__).resolve().parents[1]
NAME = "zavera-desktop"
BUILD_TIMEOUT_S = 900
RUN_TIMEOUT_S = 120
PARTS = ["timezone", "store", "keyring", "qt-platform", "translations", "icons", "window", "notifications", "sound"]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(BUILD_TIMEOUT_S + 300)]


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("ZAVERA_TEST_BUNDLE")
    if given:
        return Path(given).resolve()
    if shutil.which("objdump") is None and sys.platform.startswith("linux"):
        pytest.fail("PyInstaller needs objdump on Linux (Debian/Ubuntu: apt install binutils)")
    work = tmp_path_factory.mktemp("pyinstaller")
    log = work / "build.log"
    with open(log, "w", encoding="utf-8") as out:
        result = subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
             "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(ROOT / "build.spec")],
            stdout=out, stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT_S, cwd=ROOT,
        )
    assert result.returncode == 0, f"the bundle did not build:\n{log.read_text()[-6000:]}"
    return work / "dist" / NAME


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a clean user account in ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "XDG_", "QT_"))}
    env.pop("PYTHONPATH", None)
    env["HOME"] = str(home)
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        path = home / name.lower()
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        env[name] = str(path)
    env.update(extra)
    return env


def run_bundle(program: Path, *args: str, env: dict[str, str], prefix: tuple[str, ...] = ()) -> \
        subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, str(program), *args], capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                          env=env, cwd=program.parent)


def assert_passed(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"Zavera Desktop {__version__} self-test (bundle at ")
    assert [line.split()[1] for line in lines[1:-1]] == PARTS
    assert all(line.split()[0] == "ok" for line in lines[1:-1]), result.stdout
    assert lines[-1].startswith("Self-test passed")
    return lines


# --- the bundle's contents ------------------------------------------------------------------------------


def test_layout(bundle):
    program = bundle / NAME
    assert program.is_file() and os.access(program, os.X_OK)
    internal = bundle / "_internal"
    resources = internal / "zavera_desktop" / "resources"
    for needed in ("icons/app.svg", "icons/app.png", "icons/app-16.png", "icons/app-256.png", "icons/tray-live.svg",
                   "translations/zavera_id.qm", "translations/zavera_en.qm", "sounds/payment.wav",
                   "zavera-desktop.desktop"):
        assert (resources / needed).is_file(), needed
    assert not list(resources.glob("translations/*.ts")), "translation sources are not shipped"
    assert list(internal.glob("keyring-*.dist-info/entry_points.txt")), "keyring's backend list is missing"
    if sys.platform.startswith("linux"):
        assert (bundle / "install").is_file() and (bundle / "uninstall").is_file()


def test_unused_qt_is_left_out(bundle):
    names = [p.name for p in (bundle / "_internal").rglob("*")]
    for unused in ("Qt6WebEngine", "Qt6QuickControls2", "Qt6Quick3D", "Qt6Pdf", "Qt63D", "Qt6VirtualKeyboard",
                   "QtOpenGL.abi3", "QtQml.abi3", "QtQuick.abi3"):
        assert not [n for n in names if unused in n], f"{unused} is in the bundle"
    for needed in ("Qt6Charts", "Qt6Multimedia", "Qt6Svg", "Qt6Network", "Qt6DBus", "libqxcb", "libqoffscreen",
                   "libqsvgicon", "ffmpegmediaplugin"):
        assert [n for n in names if needed in n], f"{needed} is missing from the bundle"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads ELF dependencies with objdump")
def test_every_bundled_qt_library_and_plugin_has_its_qt_libraries(bundle):
    """Qt skips a plugin whose libraries are missing, silently: the excludes must not cut a kept plugin's
    dependency (the FFmpeg sound plugin links Qt6Quick and Qt6Qml, for instance)."""
    qt = bundle / "_internal" / "PySide6" / "Qt"
    present = {p.name for p in (bundle / "_internal").rglob("libQt6*.so*")}
    missing = {}
    for binary in [*qt.joinpath("plugins").rglob("*.so"), *qt.joinpath("lib").glob("libQt6*.so*")]:
        dump = subprocess.run(["objdump", "-p", str(binary)], capture_output=True, text=True, timeout=60)
        needed = [line.split()[1] for line in dump.stdout.splitlines() if line.strip().startswith("NEEDED")]
        lacking = [lib for lib in needed if lib.startswith("libQt6") and lib not in present]
        if lacking:
            missing[str(binary.relative_to(qt))] = lacking
    assert not missing, f"Qt libraries missing from the bundle: {missing}"


# --- running it ----------------------------------------------------------------------------------------


def test_version_and_help(bundle, tmp_path):
    env = isolated_env(tmp_path)
    version = run_bundle(bundle / NAME, "--version", env=env)
    assert version.returncode == 0 and version.stdout.strip() == f"{NAME} {__version__}"
    watch = run_bundle(bundle / NAME, "watch", "--help", env=env)
    assert watch.returncode == 0 and "example:" in watch.stdout


def test_selftest_offscreen(bundle, tmp_path):
    assert_passed(run_bundle(bundle / NAME, "--selftest", env=isolated_env(tmp_path, QT_QPA_PLATFORM="offscreen")))


def _no_network_prefix() -> tuple[str, ...]:
    """``unshare --net`` (a network namespace with nothing in it) where this account may make one."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    try:
        probe = subprocess.run([unshare, "--net", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return (unshare, "--net") if probe.returncode == 0 else ()


def test_selftest_without_display_or_network(bundle, tmp_path):
    """No DISPLAY, no QT_QPA_PLATFORM, no D-Bus, and (where possible) no network at all: still passes."""
    env = isolated_env(tmp_path)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(name, None)
    prefix = _no_network_prefix()
    lines = assert_passed(run_bundle(bundle / NAME, "--selftest", env=env, prefix=prefix))
    assert "qt-platform    offscreen" in "\n".join(lines)
    if not prefix:
        pytest.skip("passed, but not in a network namespace (unshare --net is not allowed here)")


@pytest.fixture
def desktop(tmp_path) -> Iterator[dict[str, str]]:
    """A desktop session: the UI tests' one when it runs, else one of our own (Xvfb, D-Bus, keyring, tray)."""
    if os.environ.get("DISPLAY") and os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        yield dict(os.environ)
        return
    from tests.ui.desktop_env import DesktopEnv, DesktopEnvError

    saved = dict(os.environ)
    root = tmp_path / "desktop"
    root.mkdir()
    try:
        env = DesktopEnv.start(root)
    except DesktopEnvError as exc:
        os.environ.clear()
        os.environ.update(saved)
        pytest.skip(f"no test desktop here: {exc}")
    try:
        yield dict(os.environ)
    finally:
        env.stop(keep_x=False)
        os.environ.clear()
        os.environ.update(saved)


def test_selftest_on_a_desktop_finds_the_keyring_and_the_tray(bundle, desktop, tmp_path):
    """The frozen app's keyring finds the Secret Service (keyring's metadata is in), Qt runs on xcb."""
    env = {k: v for k, v in desktop.items() if not k.startswith("PYTHON")}
    env.pop("QT_QPA_PLATFORM", None)
    env["HOME"] = str(tmp_path)
    text = "\n".join(assert_passed(run_bundle(bundle / NAME, "--selftest", env=env)))
    assert "qt-platform    xcb" in text
    assert "passwords are remembered in SecretService" in text
    assert "a popup would use the system tray" in text


def test_the_demo_window_runs_and_quits_on_sigterm(bundle, tmp_path):
    """The windowed demo: the embedded sandbox, the engine logs in, the window is up; SIGTERM ends it with 0."""
    env = isolated_env(tmp_path, QT_QPA_PLATFORM="offscreen")
    log = tmp_path / "demo.log"
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen([str(bundle / NAME), "demo", "--traffic", "60", "--log-file", "none"],
                                stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while "Logged in as" not in log.read_text(encoding="utf-8"):
            assert proc.poll() is None, f"the demo ended early ({proc.returncode}):\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the demo did not log in:\n{log.read_text()}"
            time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert "Traceback" not in log.read_text(encoding="utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the install helper is for Linux")
def test_install_run_from_the_menu_command_and_uninstall(bundle, tmp_path):
    """``./install`` from inside the bundle; the installed command (a link) runs; ``uninstall`` removes it."""
    home = tmp_path / "home"
    env = isolated_env(home, QT_QPA_PLATFORM="offscreen")
    env.pop("XDG_DATA_HOME")  # the default, ~/.local/share
    installed = subprocess.run([str(bundle / "install")], capture_output=True, text=True, timeout=300, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "Self-test passed" in installed.stdout
    link = home / ".local" / "bin" / NAME
    assert link.is_symlink()
    version = subprocess.run([str(link), "--version"], capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                             env=env, cwd=tmp_path)
    assert version.stdout.strip() == f"{NAME} {__version__}", version.stderr
    entry = (home / ".local" / "share" / "applications" / f"{NAME}.desktop").read_text()
    program = home / ".local" / "lib" / NAME / NAME
    assert f"Exec={program} gui" in entry.splitlines()
    removed = subprocess.run([str(program.parent / "uninstall")], capture_output=True, text=True, timeout=120, env=env)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not program.parent.exists() and not link.exists()
