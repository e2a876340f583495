"""``zavera-desktop --selftest``: does this installation have everything it needs? (No network.)

Made for the bundle — PyInstaller leaves out what it cannot see being imported, and the gaps only
show on the admin's machine — but it runs the same from a source checkout or a pip install. Each
check prints one line (``ok`` / ``FAIL``, the part, what it found) as soon as it is done, so a hang
points at its part; the exit code is 0 when every part works and 1 otherwise, and the last line
names the failed parts.

The parts: the shop time zone, the local store (a real database in a temporary folder, never the
user's), the keyring lookup (which backend would hold the passwords; no password is read or
written), the Qt platform plugin (with the missing system library named, where Qt itself would
only abort), translations, icons, the window's modules (imported, nothing shown), the notification
chain (which way a popup would be shown; none is) and the sound. A machine without a password
store, a notification server or audio passes: the app works there too and the line says what the
admin will miss. What fails is what the app cannot do without or what is missing from the
installation itself.

No window is created: the Qt application is made without showing anything, and without a display
(and no ``QT_QPA_PLATFORM``) the offscreen platform is used, since Qt aborts the process when it
cannot reach the display it was told to use.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from zavera_desktop import __version__
from zavera_desktop.exit_codes import EXIT_ERROR, EXIT_OK

SHOP_ZONE = "Asia/Jakarta"
TRAY_KINDS = ("live", "degraded", "offline")
# keyring's module for this platform's password store, and the packages that module needs
_KEYRING_BACKENDS = {
    "linux": ("SecretService", ("secretstorage", "jeepney")),
    "win32": ("Windows", ("win32ctypes.pywin32.win32cred",)),
    "darwin": ("macOS", ()),
}
_PLYER_PLATFORMS = {"linux": "linux", "win32": "win", "darwin": "macosx"}
# Debian/Ubuntu packages of libraries Qt's xcb plugin needs and a minimal system may lack
_APT_HINTS = {
    "libxcb-cursor": "libxcb-cursor0", "libxcb-icccm": "libxcb-icccm4", "libxcb-keysyms": "libxcb-keysyms1",
    "libxkbcommon-x11": "libxkbcommon-x11-0", "libxkbcommon": "libxkbcommon0", "libEGL": "libegl1",
    "libGL": "libgl1", "libfontconfig": "fontconfig", "libxcb-shape": "libxcb-shape0",
    "libxcb-randr": "libxcb-randr0", "libxcb-render-util": "libxcb-render-util0", "libxcb-image": "libxcb-image0",
    "libxcb-xkb": "libxcb-xkb1", "libdbus-1": "libdbus-1-3", "libwayland-client": "libwayland-client0",
    "libwayland-cursor": "libwayland-cursor0",
}


@dataclass(frozen=True, slots=True)
class CheckResult:
    part: str
    ok: bool
    detail: str

    def line(self) -> str:
        # plain ASCII marks: a Windows console in a legacy code page cannot print ✓/✗
        return f"  {'ok  ' if self.ok else 'FAIL'}  {self.part:<14} {self.detail}"


class SelfTestError(Exception):
    """A check found its part broken; the message says what, in words."""


def _platform_key() -> str:
    return "linux" if sys.platform.startswith("linux") else sys.platform


# --- the checks that need no Qt -----------------------------------------------------------------------


def check_timezone() -> str:
    """The shop's zone loads (Windows and minimal Linux images have no system zoneinfo: tzdata must be in)."""
    import zoneinfo

    from zavera_desktop.config import load_zone

    try:
        zone = load_zone(SHOP_ZONE)
    except ValueError as exc:
        raise SelfTestError(f"{exc}; no time-zone database (install the tzdata package)") from None
    offset = datetime(2026, 1, 1, tzinfo=zone).utcoffset()
    if offset is None or offset.total_seconds() != 7 * 3600:
        raise SelfTestError(f"{SHOP_ZONE} has the wrong offset ({offset})")
    system = [p for p in zoneinfo.TZPATH if os.path.isfile(os.path.join(p, *SHOP_ZONE.split("/")))]
    return f"{SHOP_ZONE} (UTC+7) from {system[0] if system else 'the tzdata package'}"


def check_store(folder: Path) -> str:
    """A real database file in ``folder``: created, migrated, written and read back."""
    import sqlite3

    import sqlalchemy

    from zavera_desktop.domain import DetectedBy, PaymentCandidate
    from zavera_desktop.store import Store, StoreError

    path = folder / "selftest.db"
    try:
        store = Store.open(path)
    except StoreError as exc:
        raise SelfTestError(str(exc)) from None
    try:
        now = datetime.now(UTC)
        new, _ = store.record_payments([PaymentCandidate(
            order_code="SELFTEST-1", amount=717_000, detected_by=DetectedBy.STREAM, detected_at=now,
            payment_method="bca_va", paid_at=now)])
        back = store.payment("SELFTEST-1")
        if len(new) != 1 or back is None or back.amount != 717_000:
            raise SelfTestError("a payment written to the local database did not read back")
        version = store.schema_version()
    finally:
        store.close()
    return (f"SQLite {sqlite3.sqlite_version} via SQLAlchemy {sqlalchemy.__version__}: schema {version} created, "
            f"a payment written and read back (in a temporary folder)")


def check_keyring() -> str:
    """keyring finds its backends (entry points) and this platform's; says which one would hold passwords.

    No password is read or written: that could show an unlock prompt. A machine without any password
    store passes — the app keeps passwords for the session there — but a bundle without keyring's
    metadata does not: that is the frozen app's classic failure (keyring then never finds a backend).
    """
    from importlib import metadata

    import keyring.backend

    from zavera_desktop.secrets import SecretStore

    found = sorted(ep.name for ep in metadata.entry_points(group="keyring.backends"))
    if not found:
        raise SelfTestError("keyring's backend list (its entry-point metadata) is missing from this installation: "
                            "passwords could never be remembered")
    own, needs = _KEYRING_BACKENDS.get(_platform_key(), ("", ()))
    if own:
        if own not in found:
            raise SelfTestError(f"keyring's {own} backend is not registered (found: {', '.join(found)})")
        missing = []
        for module in needs:
            try:
                importlib.import_module(module)
            except ImportError as exc:
                missing.append(f"{module} ({exc})")
        if missing:
            raise SelfTestError(f"the {own} backend cannot work: missing {', '.join(missing)}")
        keyring.backend._load_plugins()  # what keyring does before choosing (imports the backend modules)
        loaded = {cls.__module__.rsplit(".", 1)[-1] for cls in keyring.backend.KeyringBackend._classes}
        if own not in loaded:
            raise SelfTestError(f"keyring's {own} backend module did not load")
    status = SecretStore().available()
    use = f"passwords are remembered in {status.backend}" if status else f"in use: {status.backend}: {status.reason}"
    return f"backends {', '.join(found)}; {use}"


# --- Qt ----------------------------------------------------------------------------------------------------


def has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def choose_platform() -> str:
    """The Qt platform this run will use; sets ``QT_QPA_PLATFORM=offscreen`` when there is no display."""
    forced = os.environ.get("QT_QPA_PLATFORM", "")
    if forced:
        return forced.split(";")[0].split(":")[0]
    if sys.platform.startswith("linux") and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return "offscreen"
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "cocoa"
    # Qt 6 prefers Wayland in a Wayland session (XWayland's DISPLAY notwithstanding), else X11
    wayland = os.environ.get("WAYLAND_DISPLAY") and (os.environ.get("XDG_SESSION_TYPE") == "wayland"
                                                     or not os.environ.get("DISPLAY"))
    return "wayland" if wayland else "xcb"


def _plugin_dirs() -> list[Path]:
    from PySide6.QtCore import QLibraryInfo

    dirs = [Path(p) for p in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    dirs.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)))
    return dirs


def _apt_hint(message: str) -> str:
    for lib, package in _APT_HINTS.items():
        if f"{lib}.so" in message or f"{lib}-" in message:
            return f" (Debian/Ubuntu: apt install {package})"
    return ""


def preflight_platform_plugin(platform_name: str, dirs: list[Path] | None = None) -> Path:
    """The platform plugin's file, after loading it and its system libraries once (Linux).

    Qt aborts the whole process when the plugin cannot load, and its message then blames
    xcb-cursor0 whatever is really missing; the dynamic loader's own error names the library.
    """
    import ctypes

    files = [d / "platforms" / f"libq{platform_name}.so" for d in (dirs if dirs is not None else _plugin_dirs())]
    plugin = next((f for f in files if f.is_file()), None)
    if plugin is None:
        raise SelfTestError(f"Qt's {platform_name!r} platform plugin is missing (looked in "
                            f"{', '.join(str(f.parent) for f in files)})")
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        message = str(exc)
        raise SelfTestError(f"Qt's {platform_name} platform plugin cannot load: {message}{_apt_hint(message)}") \
            from None
    return plugin


def check_qt_platform(platform_name: str) -> str:
    """The platform plugin is there and its system libraries load — before Qt would abort over them."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication

    versions = f"Qt {qVersion()}, PySide6 {pyside_version}"
    if QGuiApplication.instance() is not None:  # a test's application: it already runs on its platform
        return f"{QGuiApplication.platformName()} ({versions})"
    if sys.platform.startswith("linux"):
        preflight_platform_plugin(platform_name)
    return f"{platform_name} ({versions})"


def check_translations() -> str:
    from PySide6.QtCore import QTranslator

    from zavera_desktop.resources_path import ResourceNotFoundError, require_resource
    from zavera_desktop.ui.i18n import LANGUAGES

    found = []
    for code, name in LANGUAGES.items():
        try:
            path = require_resource(f"translations/zavera_{code}.qm")
        except ResourceNotFoundError as exc:
            raise SelfTestError(str(exc)) from None
        translator = QTranslator()
        if not translator.load(str(path)) or translator.isEmpty():
            raise SelfTestError(f"{path.name} cannot be loaded or is empty")
        if not translator.language().lower().startswith(code):
            raise SelfTestError(f"{path.name} is for {translator.language()!r}, not {code!r}")
        found.append(name)
    return ", ".join(found)


def check_icons() -> str:
    from PySide6.QtCore import QRectF, QSize, Qt
    from PySide6.QtGui import QIcon, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from zavera_desktop.resources_path import ResourceNotFoundError, require_resource

    def drawn(image: QImage) -> bool:
        return any(image.pixelColor(x, y).alpha() > 0 for y in range(0, image.height(), 2)
                   for x in range(0, image.width(), 2))

    names = ["icons/app.svg", *(f"icons/tray-{kind}.svg" for kind in TRAY_KINDS)]
    for name in names:
        try:
            path = require_resource(name)
        except ResourceNotFoundError as exc:
            raise SelfTestError(str(exc)) from None
        renderer = QSvgRenderer(str(path))
        image = QImage(32, 32, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        if renderer.isValid():
            painter = QPainter(image)
            renderer.render(painter, QRectF(0, 0, 32, 32))
            painter.end()
        if not renderer.isValid() or not drawn(image):
            raise SelfTestError(f"{name} does not render")
    try:
        png = QImage(str(require_resource("icons/app.png")))
    except ResourceNotFoundError as exc:
        raise SelfTestError(str(exc)) from None
    if png.isNull():
        raise SelfTestError("icons/app.png cannot be read")
    # the window icon is an SVG QIcon: that needs Qt's SVG icon-engine plugin
    if QIcon(str(require_resource("icons/app.svg"))).pixmap(QSize(32, 32)).isNull():
        raise SelfTestError("the SVG window icon cannot be drawn (Qt's iconengines/svg plugin is missing)")
    from zavera_desktop.ui.tray import render_icon

    if not drawn(render_icon("live", 3, 22)):
        raise SelfTestError("the tray icon with its unread badge does not render")
    return f"app.svg, app.png, tray {'/'.join(TRAY_KINDS)} with the unread badge"


# the Qt modules the window loads (beyond QtCore, QtGui and QtWidgets)
WINDOW_QT_MODULES = ("QtCharts", "QtSvg", "QtNetwork", "QtDBus")


def check_window_modules() -> str:
    """Everything the window imports is in this installation (nothing is shown)."""
    for name in WINDOW_QT_MODULES:
        try:
            importlib.import_module(f"PySide6.{name}")
        except ImportError as exc:
            raise SelfTestError(f"Qt's {name} cannot be loaded ({exc})") from None
    importlib.import_module("zavera_desktop.ui.main_window")
    importlib.import_module("zavera_desktop.ui.app")
    return f"the main window's modules load ({', '.join(WINDOW_QT_MODULES)})"


def check_notifications() -> str:
    """Builds the notifier's backend chain as the window does and says which backend a popup would use."""
    from PySide6.QtWidgets import QSystemTrayIcon, QWidget

    from zavera_desktop.ui.banner import NotificationBanner
    from zavera_desktop.ui.notifier import Notifier
    from zavera_desktop.ui.notify_backends import PlyerBackend, _plyer_implementation
    from zavera_desktop.ui.notify_policy import NotifySettings
    from zavera_desktop.ui.tray import TrayIcon

    plyer_os = _PLYER_PLATFORMS.get(_platform_key())
    if plyer_os:
        module = f"plyer.platforms.{plyer_os}.notification"
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise SelfTestError(f"plyer's notification module for this system is missing ({module}: {exc})") from None
    host = QWidget()  # never shown: the banner needs a parent widget, nothing appears on screen
    try:
        banner = NotificationBanner(host)
        plyer = PlyerBackend(host)
        notifier = Notifier(NotifySettings(), tray=None, banner=banner, parent=host, chime=_SilentChime())
        try:
            tray = TrayIcon.available() and QSystemTrayIcon.supportsMessages()
            if _plyer_implementation() is None:
                plyer_words = "plyer (nothing it can use here)"
            else:
                plyer_words = plyer.label() + ("" if plyer.available() else " (no notification server)")
            chain = (["the system tray"] if tray else []) + [plyer_words, "the banner in the window"]
            if not notifier.backend_id:
                raise SelfTestError("no notification backend can be used, not even the in-window banner")
            use = "the system tray" if tray else notifier.backend_name
        finally:
            notifier.close()
            plyer.close()
    finally:
        host.deleteLater()
    return f"a popup would use {use} (in order: {', '.join(chain)})"


class _SilentChime:
    def play(self) -> None:
        """The self-test never makes a sound."""


def _sound_backend_problem() -> tuple[bool, str]:
    """(broken installation?, words) about QtMultimedia's backend plugin; (False, "") when it loads.

    QSoundEffect plays through a backend plugin (FFmpeg's, on Linux); Qt skips one that cannot load and
    stays silent. A missing Qt library means the installation is incomplete; a missing system library
    (libpulse without a sound server) only means no sound on this machine.
    """
    if not sys.platform.startswith("linux"):
        return False, ""
    import ctypes

    plugins = [p for d in _plugin_dirs() for p in sorted((d / "multimedia").glob("lib*.so"))]
    if not plugins:
        return True, "QtMultimedia has no backend plugin (plugins/multimedia) in this installation"
    errors = []
    for plugin in plugins:
        try:
            ctypes.CDLL(str(plugin))
        except OSError as exc:
            errors.append((plugin.name, str(exc)))
        else:
            return False, ""
    name, message = errors[0]
    return "libQt6" in message, f"{name} cannot load ({message})"


def check_sound() -> str:
    from zavera_desktop.resources_path import ResourceNotFoundError, require_resource

    try:
        wav = require_resource("sounds/payment.wav")
    except ResourceNotFoundError as exc:
        raise SelfTestError(str(exc)) from None
    try:
        importlib.import_module("PySide6.QtMultimedia")
    except ImportError as exc:
        if isinstance(exc, ModuleNotFoundError):  # not in the installation at all
            raise SelfTestError(f"QtMultimedia is missing from this installation ({exc})") from None
        # a system library is missing (e.g. libpulse on a machine without a sound server): the app stays silent
        return f"{wav.name}; no sound on this machine: QtMultimedia cannot load ({exc})"
    broken, problem = _sound_backend_problem()
    if broken:
        raise SelfTestError(f"the sound cannot play: {problem}")
    if problem:
        return f"{wav.name}; no sound on this machine: {problem}"
    return f"{wav.name}; QtMultimedia and its backend load"


# --- running ---------------------------------------------------------------------------------------------


def _attempt(part: str, check: Callable[[], str]) -> CheckResult:
    try:
        return CheckResult(part, True, check())
    except SelfTestError as exc:
        return CheckResult(part, False, str(exc))
    except Exception as exc:  # an unexpected failure is a failure of that part, never a crash of the test
        return CheckResult(part, False, f"{type(exc).__name__}: {exc}")


def _where() -> str:
    if getattr(sys, "frozen", False):
        return f"bundle at {Path(sys.executable).resolve().parent}"
    import zavera_desktop

    return f"Python package at {Path(zavera_desktop.__file__).resolve().parent}"


def run_checks(out: TextIO, folder: Path) -> list[CheckResult]:
    """Every check in order, each line printed when it is done; the Qt application is made if needed."""
    results: list[CheckResult] = []

    def report(result: CheckResult) -> None:
        results.append(result)
        print(result.line(), file=out, flush=True)

    report(_attempt("timezone", check_timezone))
    report(_attempt("store", lambda: check_store(folder)))
    report(_attempt("keyring", check_keyring))
    platform_name = choose_platform()
    qt = _attempt("qt-platform", lambda: check_qt_platform(platform_name))
    report(qt)
    if not qt.ok:
        for part in ("translations", "icons", "window", "notifications", "sound"):
            report(CheckResult(part, False, "not checked: Qt cannot start"))
        return results
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "zavera-desktop"])
    report(_attempt("translations", check_translations))
    report(_attempt("icons", check_icons))
    report(_attempt("window", check_window_modules))
    report(_attempt("notifications", check_notifications))
    report(_attempt("sound", check_sound))
    app.processEvents()  # deliver the deleteLater()s of the notification check
    return results


def run_selftest(out: TextIO | None = None) -> int:
    """``zavera-desktop --selftest``: 0 when every part works, 1 otherwise (the failed parts are named)."""
    out = out or sys.stdout
    started = time.monotonic()
    print(f"Zavera Desktop {__version__} self-test ({_where()})", file=out, flush=True)
    with tempfile.TemporaryDirectory(prefix="zavera-selftest-") as folder:
        results = run_checks(out, Path(folder))
    failed = [r.part for r in results if not r.ok]
    elapsed = time.monotonic() - started
    if failed:
        print(f"Self-test FAILED: {', '.join(failed)} ({len(failed)} of {len(results)} parts, {elapsed:.2f} s).",
              file=out, flush=True)
        return EXIT_ERROR
    print(f"Self-test passed: all {len(results)} parts work ({elapsed:.2f} s).", file=out, flush=True)
    return EXIT_OK
