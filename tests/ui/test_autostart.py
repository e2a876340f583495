"""Start at login: the XDG autostart entry (written, read back, removed), its Exec= quoting, the template."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zavera_desktop.resources_path import resource_path
from zavera_desktop.ui import autostart

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG autostart is for Linux desktops")


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop entries
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def unquote_exec(value: str) -> list[str]:
    """What a desktop reads from ``Exec=`` (spec): string unescaping, then the argument quoting."""
    text = value.replace("\\\\", "\\")
    args: list[str] = []
    current: list[str] | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            current = current if current is not None else []
            i += 1
            while text[i] != '"':
                if text[i] == "\\" and text[i + 1] in '"`$\\':
                    i += 1
                current.append(text[i])
                i += 1
        elif ch == " ":
            if current is not None:
                args.append("".join(current))
            current = None
        else:
            current = (current if current is not None else []) + [ch]
        i += 1
    if current is not None:
        args.append("".join(current))
    return args


@pytest.fixture
def config_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


@linux_only
def test_enable_writes_an_entry_that_starts_this_installation(config_home):
    assert not autostart.is_enabled()
    autostart.set_enabled(True)
    path = config_home / "autostart" / "zavera-desktop.desktop"
    assert autostart.entry_path() == path and path.is_file()
    assert autostart.is_enabled()
    entry = read_entry(path)
    assert entry["Type"] == "Application" and entry["Name"] == "Zavera Desktop"
    assert unquote_exec(entry["Exec"]) == [sys.executable, "-m", "zavera_desktop", "gui"]
    assert Path(entry["Icon"]).is_file() and Path(entry["Icon"]) == resource_path("icons/app.svg")
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert "TryExec" not in entry  # a source install has no zavera-desktop launcher on PATH
    autostart.set_enabled(True)  # again: still one valid entry
    assert read_entry(path)["Exec"] == entry["Exec"]
    assert not list(path.parent.glob("*.tmp"))


@linux_only
def test_disable_removes_the_entry(config_home):
    autostart.set_enabled(True)
    autostart.set_enabled(False)
    assert not autostart.entry_path().exists() and not autostart.is_enabled()
    autostart.set_enabled(False)  # nothing to remove: no error


@linux_only
def test_switched_off_in_the_desktops_own_settings_counts_as_off(config_home):
    autostart.set_enabled(True)
    path = autostart.entry_path()
    path.write_text(path.read_text().replace("X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false"))
    assert not autostart.is_enabled()


@linux_only
def test_unwritable_folder_is_said_in_words(config_home):
    config_home.mkdir()
    (config_home / "autostart").write_text("a file where the folder should be")
    with pytest.raises(autostart.AutostartError, match="Could not write"):
        autostart.set_enabled(True)


def test_relative_xdg_config_home_is_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart.autostart_dir() == Path.home() / ".config" / "autostart"


def test_frozen_bundle_starts_its_own_binary(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/Zavera Desktop/zavera-desktop")
    assert autostart.launch_command() == ["/opt/Zavera Desktop/zavera-desktop", "gui"]


@pytest.mark.parametrize("args", [
    ["/usr/bin/python3", "-m", "zavera_desktop", "gui"],
    ["/opt/Zavera Desktop/zavera-desktop", "gui"],
    ["/home/budi/my \"odd\" $dir/`py`", "gui"],
    ["C:\\Python\\python.exe", "100%"],
])
def test_exec_quoting_round_trips(args):
    line = autostart.exec_line(args)
    assert unquote_exec(line.replace("%%", "%")) == args


def test_exec_quoting_follows_the_spec():
    assert autostart.exec_line(["/a b/c", "100%"]) == '"/a b/c" 100%%'
    # a backslash inside a quoted argument is four backslashes on disk (spec, "The Exec key")
    assert autostart.exec_line(["a\\b c"]) == '"a\\\\\\\\b c"'


def test_template_is_a_valid_desktop_entry():
    path = resource_path("zavera-desktop.desktop")
    entry = read_entry(path)
    for key in ("Type", "Name", "Exec", "Icon", "Comment", "Categories"):
        assert entry.get(key), key
    assert entry["Exec"] == "zavera-desktop gui"
    assert "Comment[id]" in entry and "GenericName[id]" in entry
    validate = shutil.which("desktop-file-validate")
    if validate:
        result = subprocess.run([validate, str(path)], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(sys.platform != "win32", reason="the Run key exists on Windows only")
def test_windows_run_key_round_trip():  # pragma: no cover - Windows only
    autostart.set_enabled(True)
    try:
        assert autostart.is_enabled()
    finally:
        autostart.set_enabled(False)
    assert not autostart.is_enabled()
