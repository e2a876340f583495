"""The "Copy diagnostics" text: what a helper needs to know about this installation, and no secret.

No Qt here: the About dialog gathers plain values (versions, the backend URL, the connection state,
counts, the notification backend) into ``Diagnostics`` and this module turns them into text. Secrets
are kept out twice: ``Diagnostics`` has no field that could hold one (credentials are never passed
in; the URL loses any user name, password, query and fragment), and the finished text goes through
the log scrubber, which masks every secret registered at run time, bearer tokens and JWTs.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from zavera_desktop import __version__
from zavera_desktop.logging_setup import scrub


@dataclass(frozen=True, slots=True)
class Diagnostics:
    """Plain facts about this run; every field is safe to paste into a support chat."""

    version: str = __version__
    platform: str = ""
    python: str = ""
    qt_version: str = ""
    pyside_version: str = ""
    installation: str = ""  # "bundle", "pip install", "source checkout"
    backend_url: str = ""
    demo: bool = False
    connection: str = ""  # the connection state's name ("live", "reconnecting", …)
    connection_detail: str = ""
    connection_since: str = ""
    last_event: str = ""
    counts: Mapping[str, int] = field(default_factory=dict)
    notification_backend: str = ""
    keyring: str = ""
    language: str = ""
    log_file: str = ""
    data_dir: str = ""


def safe_url(url: str) -> str:
    """``url`` without user name, password, query or fragment (where credentials could hide)."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(not a valid URL)"
    if not parts.scheme or not host:
        return "(not a valid URL)"
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return urlunsplit((parts.scheme, host + port, parts.path, "", ""))


def platform_summary() -> str:
    """OS, release and machine, plus the desktop session on Linux (the tray and notifications depend on it)."""
    text = f"{platform.system()} {platform.release()} ({platform.machine()})"
    if sys.platform.startswith("linux"):
        try:
            text = f"{platform.freedesktop_os_release().get('PRETTY_NAME', 'Linux')}, kernel {platform.release()} " \
                   f"({platform.machine()})"
        except OSError:
            pass
        desktop = os.environ.get("XDG_CURRENT_DESKTOP") or "unknown desktop"
        session = os.environ.get("XDG_SESSION_TYPE") or ("wayland" if os.environ.get("WAYLAND_DISPLAY") else
                                                         "x11" if os.environ.get("DISPLAY") else "no display")
        text += f"; {desktop}, {session}"
    elif sys.platform == "win32":
        text = f"Windows {platform.release()} {platform.version()} ({platform.machine()})"
    return text


def installation_kind() -> str:
    if getattr(sys, "frozen", False):
        return "bundle"
    import zavera_desktop

    package = os.path.dirname(os.path.abspath(zavera_desktop.__file__))
    if os.path.isfile(os.path.join(os.path.dirname(package), "pyproject.toml")):
        return "source checkout"
    return "pip install"


def python_summary() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}"


def diagnostics_text(d: Diagnostics) -> str:
    """The text "Copy diagnostics" puts on the clipboard (English: it is for whoever helps the admin)."""
    lines = [
        f"Zavera Desktop {d.version} ({d.installation or installation_kind()})",
        f"Platform: {d.platform or platform_summary()}",
        f"Python: {d.python or python_summary()}",
        f"Qt: {d.qt_version or 'not loaded'}" + (f", PySide6 {d.pyside_version}" if d.pyside_version else ""),
        f"Backend: {safe_url(d.backend_url) or 'not set'}" + (" (the embedded demo sandbox)" if d.demo else ""),
        f"Connection: {d.connection or 'unknown'}" + (f" since {d.connection_since}" if d.connection_since else ""),
    ]
    if d.connection_detail:
        lines.append(f"Connection detail: {' '.join(d.connection_detail.split())}")
    lines.append(f"Last stream event: {d.last_event or 'none yet'}")
    if d.counts:
        lines.append("Counts: " + ", ".join(f"{name} {value}" for name, value in d.counts.items()))
    lines += [
        f"Notifications: {d.notification_backend or 'unknown'}",
        f"Keyring: {d.keyring or 'unknown'}",
    ]
    if d.language:
        lines.append(f"Language: {d.language}")
    lines += [
        f"Log file: {d.log_file or 'none (logging to the terminal only)'}",
        f"Data folder: {d.data_dir or 'unknown'}",
    ]
    return scrub("\n".join(lines)) + "\n"
