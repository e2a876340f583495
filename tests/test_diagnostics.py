"""The "Copy diagnostics" text: what it says, and that no password, token or server key gets into it."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.memory_keyring import MemoryKeyring
from zavera_desktop import diagnostics
from zavera_desktop.diagnostics import Diagnostics, diagnostics_text, safe_url
from zavera_desktop.secrets import SecretKind, SecretStore

ROOT = Path(__file__).resolve().parents[1]
BACKEND = "https://api.shop.example"


def _jwt(claims: dict[str, object]) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"


@pytest.fixture
def seeded():
    """A password, a token and a Midtrans server key, kept the way the app keeps them."""
    password = "Rahasia-Sekali-8841"
    token = _jwt({"sub": "admin@shop.example", "exp": 4102444800})
    server_key = "SB-Mid-server-Zq81kLmN0pQr"
    store = SecretStore(service="zavera-desktop-test", backend=MemoryKeyring())
    store.set(BACKEND, SecretKind.PASSWORD, password)
    store.set(BACKEND, SecretKind.TOKEN, token)
    store.set(BACKEND, SecretKind.MIDTRANS_SERVER_KEY, server_key)
    return {"password": password, "token": token, "server key": server_key}


def _full(**over: object) -> Diagnostics:
    values: dict[str, object] = dict(
        version="0.1.0", platform="Debian GNU/Linux 12 (bookworm); GNOME, wayland", python="CPython 3.11.7",
        qt_version="6.11.3", pyside_version="6.11.3", installation="bundle", backend_url=BACKEND,
        connection="live", connection_detail="", connection_since="2026-11-27T08:00:00+00:00",
        last_event="2026-11-27T08:01:02+00:00",
        counts={"payments stored": 42, "unread": 3, "found by verify": 2},
        notification_backend="the system tray (tray)", keyring="SecretService Keyring (remembers passwords)",
        language="id", log_file="/home/a/.local/state/zavera-desktop/log/zavera-desktop.log",
        data_dir="/home/a/.local/share/zavera-desktop",
    )
    values.update(over)
    return Diagnostics(**values)  # type: ignore[arg-type]


def test_the_text_says_what_a_helper_needs():
    text = diagnostics_text(_full())
    for expected in ("Zavera Desktop 0.1.0 (bundle)", "Platform: Debian GNU/Linux 12", "Qt: 6.11.3, PySide6 6.11.3",
                     f"Backend: {BACKEND}", "Connection: live since 2026-11-27T08:00:00+00:00",
                     "Last stream event: 2026-11-27T08:01:02+00:00",
                     "Counts: payments stored 42, unread 3, found by verify 2",
                     "Notifications: the system tray (tray)", "Keyring: SecretService", "Language: id",
                     "Log file: /home/a/.local/state/zavera-desktop/log/zavera-desktop.log",
                     "Data folder: /home/a/.local/share/zavera-desktop"):
        assert expected in text, f"{expected!r} not in:\n{text}"


def test_empty_values_read_as_words():
    text = diagnostics_text(Diagnostics(demo=True, backend_url="http://127.0.0.1:41093"))
    assert "Qt: not loaded" in text
    assert "Backend: http://127.0.0.1:41093 (the embedded demo sandbox)" in text
    assert "Last stream event: none yet" in text
    assert "Log file: none" in text


@pytest.mark.parametrize(("url", "safe"), [
    ("https://admin:Rahasia@api.shop.example:8443/base/?token=abc#frag", "https://api.shop.example:8443/base/"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ("not a url", "(not a valid URL)"),
    ("http://host:99999", "(not a valid URL)"),
    ("", ""),
])
def test_urls_lose_credentials_query_and_fragment(url, safe):
    assert safe_url(url) == safe


def test_no_secret_reaches_the_text(seeded):
    """The secrets are put wherever a careless caller could put them; none comes out."""
    password, token, key = seeded["password"], seeded["token"], seeded["server key"]
    text = diagnostics_text(_full(
        backend_url=f"https://admin:{password}@api.shop.example/?token={token}&key={key}",
        connection="auth_required",
        connection_detail=f"401 for Bearer {token}; login with password={password} failed; server key {key}",
        notification_backend=f"tray {key}", keyring=f"SecretService {password}",
        log_file=f"/tmp/{token}.log", data_dir=f"/tmp/{key}",
    ))
    leaked = [name for name, value in seeded.items() if value in text]
    assert not leaked, f"{leaked} in the diagnostics:\n{text}"
    assert "Bearer ***" in text


def test_an_unregistered_token_is_masked_by_its_shape():
    token = _jwt({"sub": "someone", "exp": 1})
    text = diagnostics_text(_full(connection_detail=f"the backend said: token {token} expired"))
    assert token not in text
    assert "***" in text


def test_no_field_could_hold_a_secret():
    names = set(Diagnostics.__dataclass_fields__) - {"keyring"}  # the keyring's name, never its contents
    assert not {n for n in names if any(w in n for w in ("password", "token", "secret", "key", "credential"))}


def test_the_module_does_not_import_qt():
    code = "import sys, zavera_desktop.diagnostics; print(any(m.startswith('PySide6') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_platform_and_installation_describe_this_machine():
    assert diagnostics.platform_summary()
    assert diagnostics.installation_kind() == "source checkout"
    assert diagnostics.python_summary().startswith(("CPython", "PyPy"))
