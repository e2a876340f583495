"""Start Zavera Desktop when the admin logs in to the computer.

* Linux (and other XDG desktops): a ``.desktop`` file in ``$XDG_CONFIG_HOME/autostart``, made from
  the template ``resources/zavera-desktop.desktop`` (the one an installer puts in the menu) with
  ``Exec=`` pointing at *this* installation, so it starts the same program the admin runs now.
* Windows: a value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.

No Qt: nothing here needs it, and the settings window calls ``set_enabled``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from zavera_desktop.resources_path import ResourceNotFoundError, require_resource, resource_path

ENTRY_NAME = "zavera-desktop.desktop"
TEMPLATE = ENTRY_NAME  # under resources/
ICON = "icons/app.svg"
WINDOWS_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
WINDOWS_VALUE_NAME = "Zavera Desktop"


class AutostartError(Exception):
    """Start-at-login could not be switched; the message says why in words."""


def launch_command() -> list[str]:
    """How to start this installation: the bundle's own binary, else this Python and the module."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "gui"]
    return [sys.executable, "-m", "zavera_desktop", "gui"]


def is_supported() -> bool:
    return sys.platform == "win32" or sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


# --- XDG ------------------------------------------------------------------------------------------


def autostart_dir() -> Path:
    """``$XDG_CONFIG_HOME/autostart`` (``~/.config/autostart`` when unset or not absolute, per the spec)."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"
    return root / "autostart"


def entry_path() -> Path:
    return autostart_dir() / ENTRY_NAME


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _quote_exec_arg(arg: str) -> str:
    """One argument of ``Exec=`` (Desktop Entry spec, "The Exec key")."""
    arg = arg.replace("%", "%%")  # a literal % is written %% (field codes start with %)
    if arg and not (_RESERVED & set(arg)):
        return arg
    inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return f'"{inner}"'


def exec_line(command: list[str]) -> str:
    """The ``Exec=`` value for ``command``.

    Quoting happens twice by the spec: once for the argument, then the whole value is a string
    in which a backslash itself is escaped — so ``\\`` inside quotes becomes ``\\\\`` on disk.
    """
    quoted = " ".join(_quote_exec_arg(a) for a in command)
    return quoted.replace("\\", "\\\\")


def render_entry(command: list[str] | None = None, icon: Path | None = None) -> str:
    """The autostart entry: the template with this installation's ``Exec=`` and ``Icon=``."""
    try:
        template = require_resource(TEMPLATE).read_text(encoding="utf-8")
    except ResourceNotFoundError as exc:
        raise AutostartError(f"Start at login cannot be set up: {exc}") from None
    command = command or launch_command()
    icon = icon or resource_path(ICON)
    lines = []
    for line in template.splitlines():
        key = line.split("=", 1)[0].strip()
        if key == "Exec":
            line = f"Exec={exec_line(command)}"
        elif key == "TryExec":
            continue  # names the installed launcher, which a source or pip install may not have
        elif key == "Icon":
            line = f"Icon={icon}"
        elif key == "X-GNOME-Autostart-enabled":
            continue
        lines.append(line)
    lines.append("X-GNOME-Autostart-enabled=true")
    return "\n".join(lines) + "\n"


def _xdg_enable() -> None:
    path = entry_path()
    text = render_entry()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # write beside, then rename: a session starting meanwhile never reads half a file
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise AutostartError(f"Could not write {path} ({exc.strerror or exc}).") from None


def _xdg_disable() -> None:
    path = entry_path()
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise AutostartError(f"Could not remove {path} ({exc.strerror or exc}).") from None


def _xdg_enabled() -> bool:
    path = entry_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    # the admin may have switched it off in the desktop's own startup settings
    return "Hidden=true" not in text and "X-GNOME-Autostart-enabled=false" not in text


# --- Windows --------------------------------------------------------------------------------------


def _windows_set(enabled: bool) -> None:  # pragma: no cover - runs on Windows only
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, WINDOWS_RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            if enabled:
                winreg.SetValueEx(key, WINDOWS_VALUE_NAME, 0, winreg.REG_SZ,
                                  subprocess.list2cmdline(launch_command()))
            else:
                try:
                    winreg.DeleteValue(key, WINDOWS_VALUE_NAME)
                except FileNotFoundError:
                    pass
    except OSError as exc:
        raise AutostartError(f"Could not change the Windows start-up list ({exc.strerror or exc}).") from None


def _windows_enabled() -> bool:  # pragma: no cover - runs on Windows only
    import winreg

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, WINDOWS_RUN_KEY) as key:
            winreg.QueryValueEx(key, WINDOWS_VALUE_NAME)
    except OSError:
        return False
    return True


# --- the interface --------------------------------------------------------------------------------


def is_enabled() -> bool:
    """Whether this computer starts Zavera Desktop at login (the system's state, not the setting)."""
    if sys.platform == "win32":
        return _windows_enabled()
    return is_supported() and _xdg_enabled()


def set_enabled(enabled: bool) -> None:
    """Switch start-at-login on or off; ``AutostartError`` says in words what went wrong."""
    if not is_supported():
        raise AutostartError("Starting at login is not supported on this system.")
    if sys.platform == "win32":
        _windows_set(enabled)
    elif enabled:
        _xdg_enable()
    else:
        _xdg_disable()
