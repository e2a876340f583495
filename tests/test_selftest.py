"""The self-test's checks one by one (in-process), how a broken part is named, and ``--selftest`` as a
real command, with and without a display.

The bundle's own self-test run is in ``tests/test_bundle.py``.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from zavera_desktop import resources_path, selftest
from zavera_desktop.selftest import CheckResult, SelfTestError

ROOT = Path(__file__).resolve().parents[1]
PARTS = ["timezone", "store", "keyring", "qt-platform", "translations", "icons", "window", "notifications", "sound"]


@pytest.fixture
def broken_resources(tmp_path, monkeypatch):
    """A copy of resources/ the test can break; the app looks there instead of the real one."""
    copy = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", copy, ignore=shutil.ignore_patterns("__pycache__", "*.ts"))
    monkeypatch.setattr(resources_path, "resources_root", lambda: copy)
    return copy


# --- the parts without Qt ------------------------------------------------------------------------------


def test_timezone():
    assert "Asia/Jakarta (UTC+7)" in selftest.check_timezone()


def test_timezone_without_a_database_names_the_fix(monkeypatch):
    from zavera_desktop import config

    def no_zone(name: str):
        raise ValueError(f"unknown time zone {name!r}")

    monkeypatch.setattr(config, "load_zone", no_zone)
    with pytest.raises(SelfTestError, match="tzdata"):
        selftest.check_timezone()


def test_store_writes_and_reads_in_the_given_folder(tmp_path):
    detail = selftest.check_store(tmp_path)
    assert (tmp_path / "selftest.db").is_file()
    assert "SQLite" in detail and "read back" in detail


def test_store_that_cannot_be_created_is_a_failure(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = selftest._attempt("store", lambda: selftest.check_store(blocker))
    assert not result.ok
    assert result.part == "store"
    assert "FAIL" in result.line() and "store" in result.line()


def test_keyring_lists_the_backends_and_the_one_in_use():
    detail = selftest.check_keyring()
    assert "SecretService" in detail
    assert "remembered in" in detail or "in use:" in detail


def test_keyring_without_its_entry_point_metadata_fails(monkeypatch):
    """What a bundle without ``copy_metadata('keyring')`` looks like from the inside."""
    real = metadata.entry_points

    def without_keyring(**kw):
        return [] if kw.get("group") == "keyring.backends" else real(**kw)

    monkeypatch.setattr(metadata, "entry_points", without_keyring)
    with pytest.raises(SelfTestError, match="entry-point metadata"):
        selftest.check_keyring()


def test_keyring_without_the_backends_package_fails(monkeypatch):
    monkeypatch.setitem(selftest._KEYRING_BACKENDS, selftest._platform_key(), ("SecretService", ("no_such_module",)))
    with pytest.raises(SelfTestError, match="no_such_module"):
        selftest.check_keyring()


# --- the Qt platform -----------------------------------------------------------------------------------


def test_without_a_display_the_offscreen_platform_is_chosen(monkeypatch):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert selftest.choose_platform() == "offscreen"
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"


@pytest.mark.parametrize(("session", "display", "wayland", "expected"), [
    ("x11", ":0", "", "xcb"),
    ("wayland", ":0", "wayland-0", "wayland"),  # GNOME on Wayland with XWayland
    ("", "", "wayland-0", "wayland"),
    ("", ":1", "wayland-0", "xcb"),
])
def test_the_platform_qt_would_pick_on_linux(monkeypatch, session, display, wayland, expected):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    for name, value in (("XDG_SESSION_TYPE", session), ("DISPLAY", display), ("WAYLAND_DISPLAY", wayland)):
        monkeypatch.setenv(name, value)
    assert selftest.choose_platform() == expected


def test_a_chosen_platform_is_respected(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb;offscreen")
    assert selftest.choose_platform() == "xcb"


def test_platform_check_with_a_running_application(qapp):
    detail = selftest.check_qt_platform("ignored")
    assert qapp.platformName() in detail and "Qt 6" in detail


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the plugin preflight is Linux only")
def test_a_platform_plugin_that_cannot_load_is_named(tmp_path):
    """Qt itself would abort (and blame the wrong library); the check says what the loader said."""
    plugins = tmp_path / "platforms"
    plugins.mkdir()
    (plugins / "libqxcb.so").write_bytes(b"not a shared library")
    with pytest.raises(SelfTestError, match="xcb platform plugin cannot load"):
        selftest.preflight_platform_plugin("xcb", [tmp_path])
    with pytest.raises(SelfTestError, match="'wayland' platform plugin is missing"):
        selftest.preflight_platform_plugin("wayland", [tmp_path])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the plugin preflight is Linux only")
def test_the_installed_offscreen_plugin_loads():
    assert selftest.preflight_platform_plugin("offscreen").name == "libqoffscreen.so"


def test_missing_library_messages_point_at_the_debian_package():
    message = "libxcb-cursor.so.0: cannot open shared object file: No such file or directory"
    assert selftest._apt_hint(message) == " (Debian/Ubuntu: apt install libxcb-cursor0)"
    assert selftest._apt_hint("something else") == ""


# --- the parts with Qt ---------------------------------------------------------------------------------


def test_translations(qapp):
    assert selftest.check_translations() == "English, Bahasa Indonesia"


def test_a_missing_translation_is_named(qapp, broken_resources):
    (broken_resources / "translations" / "zavera_id.qm").unlink()
    with pytest.raises(SelfTestError, match=r"zavera_id\.qm is missing"):
        selftest.check_translations()


def test_icons(qapp):
    assert "tray live/degraded/offline" in selftest.check_icons()


@pytest.mark.qt_log_ignore(r"Cannot read file .*tray-offline\.svg")  # Qt's own word on the broken file
def test_a_broken_tray_icon_is_named(qapp, broken_resources):
    (broken_resources / "icons" / "tray-offline.svg").write_text("<svg")
    with pytest.raises(SelfTestError, match=r"tray-offline\.svg does not render"):
        selftest.check_icons()


def test_window_modules(qapp):
    assert "QtCharts" in selftest.check_window_modules()


def test_notifications_say_which_backend_a_popup_would_use(qapp):
    detail = selftest.check_notifications()
    assert "a popup would use" in detail
    assert "the banner in the window" in detail  # the last resort is always in the chain


def test_notifications_without_plyers_platform_module_fail(qapp, monkeypatch):
    import importlib

    real = importlib.import_module

    def missing(name, *args):
        if name.startswith("plyer.platforms."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real(name, *args)

    monkeypatch.setattr(selftest.importlib, "import_module", missing)
    with pytest.raises(SelfTestError, match="plyer's notification module"):
        selftest.check_notifications()


def test_sound(qapp):
    assert selftest.check_sound().startswith("payment.wav")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the backend preflight is Linux only")
@pytest.mark.parametrize(("message", "broken"), [
    ("libQt6Quick.so.6: cannot open shared object file: No such file or directory", True),  # the bundle lacks it
    ("libpulse.so.0: cannot open shared object file: No such file or directory", False),  # this machine lacks it
])
def test_the_sound_backend_plugin_that_cannot_load(tmp_path, monkeypatch, message, broken):
    import ctypes

    (tmp_path / "multimedia").mkdir()
    (tmp_path / "multimedia" / "libffmpegmediaplugin.so").write_bytes(b"")

    def cannot_load(path: str, *args: object) -> None:
        raise OSError(message)

    monkeypatch.setattr(selftest, "_plugin_dirs", lambda: [tmp_path])
    monkeypatch.setattr(ctypes, "CDLL", cannot_load)
    assert selftest._sound_backend_problem() == (broken, f"libffmpegmediaplugin.so cannot load ({message})")


def test_no_sound_backend_plugin_at_all_is_a_broken_installation(tmp_path, monkeypatch):
    monkeypatch.setattr(selftest, "_plugin_dirs", lambda: [tmp_path])
    broken, words = selftest._sound_backend_problem()
    assert broken == sys.platform.startswith("linux")
    assert "no backend plugin" in words or not broken


def test_a_missing_sound_is_named(qapp, broken_resources):
    (broken_resources / "sounds" / "payment.wav").unlink()
    with pytest.raises(SelfTestError, match=r"payment\.wav is missing"):
        selftest.check_sound()


# --- the whole run -------------------------------------------------------------------------------------


def test_run_prints_every_part_and_passes(qapp):
    out = io.StringIO()
    assert selftest.run_selftest(out) == 0
    text = out.getvalue()
    assert [line.split()[1] for line in text.splitlines()[1:-1]] == PARTS
    assert text.splitlines()[-1].startswith("Self-test passed")


def test_run_fails_with_the_broken_parts_named(qapp, broken_resources):
    (broken_resources / "translations" / "zavera_id.qm").unlink()
    (broken_resources / "icons" / "app.svg").unlink()
    out = io.StringIO()
    assert selftest.run_selftest(out) == 1
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("Self-test FAILED: translations, icons")


def test_run_uses_a_temporary_folder_not_the_users(qapp, monkeypatch):
    """Nothing lands in the data folder (the test home's, isolated by conftest)."""
    from zavera_desktop.config import data_dir

    before = sorted(data_dir().rglob("*")) if data_dir().exists() else []
    assert selftest.run_selftest(io.StringIO()) == 0
    after = sorted(data_dir().rglob("*")) if data_dir().exists() else []
    assert after == before


def test_results_print_in_plain_ascii():
    line = CheckResult("icons", False, "x").line()
    assert line.isascii() and "FAIL" in line


# --- as a command --------------------------------------------------------------------------------------


def _command_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    env.update(extra)
    return env


@pytest.mark.parametrize("platform", ["offscreen", None], ids=["offscreen", "no-display"])
def test_the_command_passes(platform):
    """``--selftest`` with ``QT_QPA_PLATFORM=offscreen``, and with no display and nothing set (Qt would abort
    there if the self-test did not pick offscreen itself)."""
    env = _command_env(**({"QT_QPA_PLATFORM": platform} if platform else {}))
    result = subprocess.run([sys.executable, "-m", "zavera_desktop", "--selftest"], capture_output=True, text=True,
                            timeout=120, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "qt-platform    offscreen" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("Self-test passed")
