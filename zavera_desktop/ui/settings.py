"""``AppSettings``: everything the app remembers that is **not** a secret, over ``QSettings``.

Passwords, tokens and keys never come here (they live in ``zavera_desktop.secrets``): a QSettings
file is plain text. The file is an ini file on every platform, so it can be read, backed up and
inspected the same way everywhere; tests point it at a temporary path.

Values read back from an ini file are strings, so every getter converts and falls back to the
default when the stored text is unusable (a hand-edited file must not stop the app).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings

from zavera_desktop.config import EngineSettings, load_zone
from zavera_desktop.domain import DEFAULT_SHOP_TZ

if TYPE_CHECKING:
    from zavera_desktop.ui.notify_policy import NotifySettings

ORGANIZATION = "Zavera"
APPLICATION = "zavera-desktop"
LANGUAGE_CHOICES = ("system", "en", "id")


class AuthKind(StrEnum):
    PASSWORD = "password"
    TOKEN = "token"


# defaults in one place (the engine's own defaults for the engine values)
_ENGINE_DEFAULTS = EngineSettings(backend_url="")
DEFAULTS: dict[str, Any] = {
    "account/backend_url": "",
    "account/email": "",
    "account/auth_kind": AuthKind.PASSWORD.value,
    "shop/timezone": DEFAULT_SHOP_TZ,
    "engine/poll_interval": _ENGINE_DEFAULTS.poll_interval,
    "engine/verify_interval": _ENGINE_DEFAULTS.verify_interval,
    "engine/lookback_days": _ENGINE_DEFAULTS.lookback_days,
    "notifications/enabled": True,
    "notifications/sound": True,
    "notifications/quiet_start": "",
    "notifications/quiet_end": "",
    "notifications/burst_summary": True,
    # the notifier's own default (notify_policy.NotifySettings); 0 means "never alert"
    "notifications/connection_alert_minutes": 2,
    "ui/language": "system",
    "ui/start_minimised": False,
    "ui/start_at_login": False,
    "ui/tray_hint_shown": False,
}


def _to_bool(value: Any, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off"):
            return False
    if isinstance(value, int):
        return bool(value)
    return default


def _to_float(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def _to_int(value: Any, default: int, minimum: int) -> int:
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return default
    return number if number >= minimum else default


def _to_time(value: Any) -> dt.time | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.time.fromisoformat(value.strip())
    except ValueError:
        return None


class AppSettings:
    """Typed access to the saved settings. ``path`` (an ini file) is for tests and portable use."""

    def __init__(self, path: str | Path | None = None) -> None:
        if path is not None:
            self._q = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self._q = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)

    @property
    def qsettings(self) -> QSettings:
        return self._q

    def file_name(self) -> str:
        return self._q.fileName()

    def sync(self) -> None:
        """Write pending changes to disk now (QSettings also does it on its own, later)."""
        self._q.sync()

    def _get(self, key: str) -> Any:
        return self._q.value(key, DEFAULTS.get(key))

    def _set(self, key: str, value: Any) -> None:
        self._q.setValue(key, value)

    # --- account (the secrets themselves are in the keyring) ------------------------------------

    @property
    def backend_url(self) -> str:
        return str(self._get("account/backend_url") or "")

    @backend_url.setter
    def backend_url(self, url: str) -> None:
        self._set("account/backend_url", url.strip().rstrip("/"))

    @property
    def email(self) -> str:
        return str(self._get("account/email") or "")

    @email.setter
    def email(self, email: str) -> None:
        self._set("account/email", email.strip())

    @property
    def auth_kind(self) -> AuthKind:
        try:
            return AuthKind(str(self._get("account/auth_kind")))
        except ValueError:
            return AuthKind.PASSWORD

    @auth_kind.setter
    def auth_kind(self, kind: AuthKind | str) -> None:
        self._set("account/auth_kind", AuthKind(kind).value)

    # --- the shop and the engine ----------------------------------------------------------------

    @property
    def timezone(self) -> str:
        name = str(self._get("shop/timezone") or DEFAULT_SHOP_TZ)
        try:
            load_zone(name)
        except ValueError:
            return DEFAULT_SHOP_TZ
        return name

    @timezone.setter
    def timezone(self, name: str) -> None:
        load_zone(name)  # ValueError with words for an unknown zone
        self._set("shop/timezone", name)

    @property
    def poll_interval(self) -> float:
        return _to_float(self._get("engine/poll_interval"), DEFAULTS["engine/poll_interval"])

    @poll_interval.setter
    def poll_interval(self, seconds: float) -> None:
        self._set("engine/poll_interval", _positive(seconds, "poll interval"))

    @property
    def verify_interval(self) -> float:
        return _to_float(self._get("engine/verify_interval"), DEFAULTS["engine/verify_interval"])

    @verify_interval.setter
    def verify_interval(self, seconds: float) -> None:
        self._set("engine/verify_interval", _positive(seconds, "verify interval"))

    @property
    def lookback_days(self) -> int:
        return _to_int(self._get("engine/lookback_days"), DEFAULTS["engine/lookback_days"], 1)

    @lookback_days.setter
    def lookback_days(self, days: int) -> None:
        if int(days) < 1:
            raise ValueError("lookback days must be at least 1")
        self._set("engine/lookback_days", int(days))

    def engine_settings(self, backend_url: str | None = None) -> EngineSettings:
        """The engine's settings from what is saved (``backend_url`` overrides the saved one)."""
        url = (backend_url or self.backend_url).strip().rstrip("/")
        if not url:
            raise ValueError("no backend URL is saved yet")
        settings = EngineSettings(
            backend_url=url,
            timezone=self.timezone,
            poll_interval=self.poll_interval,
            verify_interval=self.verify_interval,
            lookback_days=self.lookback_days,
        )
        settings.validate()
        return settings

    # --- notifications --------------------------------------------------------------------------

    @property
    def notifications_enabled(self) -> bool:
        return _to_bool(self._get("notifications/enabled"), True)

    @notifications_enabled.setter
    def notifications_enabled(self, on: bool) -> None:
        self._set("notifications/enabled", bool(on))

    @property
    def notification_sound(self) -> bool:
        return _to_bool(self._get("notifications/sound"), True)

    @notification_sound.setter
    def notification_sound(self, on: bool) -> None:
        self._set("notifications/sound", bool(on))

    @property
    def quiet_start(self) -> dt.time | None:
        return _to_time(self._get("notifications/quiet_start"))

    @quiet_start.setter
    def quiet_start(self, when: dt.time | None) -> None:
        self._set("notifications/quiet_start", when.strftime("%H:%M") if when else "")

    @property
    def quiet_end(self) -> dt.time | None:
        return _to_time(self._get("notifications/quiet_end"))

    @quiet_end.setter
    def quiet_end(self, when: dt.time | None) -> None:
        self._set("notifications/quiet_end", when.strftime("%H:%M") if when else "")

    @property
    def burst_summary(self) -> bool:
        return _to_bool(self._get("notifications/burst_summary"), True)

    @burst_summary.setter
    def burst_summary(self, on: bool) -> None:
        self._set("notifications/burst_summary", bool(on))

    @property
    def connection_alert_minutes(self) -> int:
        """Minutes without a live connection before the alert; 0: never alert."""
        return _to_int(self._get("notifications/connection_alert_minutes"),
                       DEFAULTS["notifications/connection_alert_minutes"], 0)

    @connection_alert_minutes.setter
    def connection_alert_minutes(self, minutes: int) -> None:
        if int(minutes) < 0:
            raise ValueError("the connection alert minutes must not be negative")
        self._set("notifications/connection_alert_minutes", int(minutes))

    def notify_settings(self) -> NotifySettings:
        """The notifier's settings (``ui/notify_policy.NotifySettings``) from what is saved."""
        # imported here: the policy module belongs to the notifier and needs nothing from us
        from zavera_desktop.ui.notify_policy import NotifySettings

        return NotifySettings(
            enabled=self.notifications_enabled,
            sound=self.notification_sound,
            quiet_start=self.quiet_start,
            quiet_end=self.quiet_end,
            burst_summary=self.burst_summary,
            connection_alert_minutes=self.connection_alert_minutes,
        )

    # --- the window and the app -----------------------------------------------------------------

    @property
    def language(self) -> str:
        """``"system"``, ``"en"`` or ``"id"``."""
        value = str(self._get("ui/language") or "system")
        return value if value in LANGUAGE_CHOICES else "system"

    @language.setter
    def language(self, code: str) -> None:
        if code not in LANGUAGE_CHOICES:
            raise ValueError(f"unknown language {code!r} (one of {', '.join(LANGUAGE_CHOICES)})")
        self._set("ui/language", code)

    @property
    def start_minimised(self) -> bool:
        return _to_bool(self._get("ui/start_minimised"), False)

    @start_minimised.setter
    def start_minimised(self, on: bool) -> None:
        self._set("ui/start_minimised", bool(on))

    @property
    def start_at_login(self) -> bool:
        return _to_bool(self._get("ui/start_at_login"), False)

    @start_at_login.setter
    def start_at_login(self, on: bool) -> None:
        self._set("ui/start_at_login", bool(on))

    @property
    def tray_hint_shown(self) -> bool:
        """Whether "closing keeps Zavera Desktop running in the tray" was already said once."""
        return _to_bool(self._get("ui/tray_hint_shown"), False)

    @tray_hint_shown.setter
    def tray_hint_shown(self, shown: bool) -> None:
        self._set("ui/tray_hint_shown", bool(shown))

    @property
    def window_geometry(self) -> QByteArray | None:
        """``QWidget.saveGeometry()`` of the main window, or None before the first close."""
        value = self._q.value("ui/window_geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_geometry.setter
    def window_geometry(self, geometry: QByteArray | None) -> None:
        if geometry is None:
            self._q.remove("ui/window_geometry")
        else:
            self._set("ui/window_geometry", geometry)

    @property
    def window_state(self) -> QByteArray | None:
        """``QMainWindow.saveState()`` (docks, toolbars), or None."""
        value = self._q.value("ui/window_state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @window_state.setter
    def window_state(self, state: QByteArray | None) -> None:
        if state is None:
            self._q.remove("ui/window_state")
        else:
            self._set("ui/window_state", state)


def _positive(value: float, name: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError(f"the {name} must be more than 0 seconds")
    return number
