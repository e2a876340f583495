"""Languages: the system locale decides by default, the setting overrides, switching is live."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from zavera_desktop.backend.login_probe import LoginProblem, ProblemKind
from zavera_desktop.secrets import SecretStore
from zavera_desktop.ui import i18n
from zavera_desktop.ui.login_dialog import LoginDialog
from zavera_desktop.ui.settings import AppSettings
from zavera_desktop.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")  # offscreen's limit


@pytest.fixture
def english_afterwards(qapp):
    """Every other test expects English: put it back whatever happened."""
    yield qapp
    i18n.install_language(qapp, "en")


@pytest.fixture
def login_dialog(qtbot, tmp_path):
    from keyring.backends import fail

    dialog = LoginDialog(settings=AppSettings(tmp_path / "s.ini"), secret_store=SecretStore(backend=fail.Keyring()))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def text_of(dialog, name: str) -> str:
    return dialog.findChild(object, name).text()


def test_available_languages():
    assert i18n.available_languages() == [("en", "English"), ("id", "Bahasa Indonesia")]


@pytest.mark.parametrize(("locale", "code"), [
    (QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia), "id"),
    (QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom), "en"),
    (QLocale(QLocale.Language.German, QLocale.Country.Germany), "en"),  # not translated: English
])
def test_system_language(locale, code):
    assert i18n.system_language(locale) == code


def test_setting_overrides_the_system():
    assert i18n.resolve_language("id") == "id"
    assert i18n.resolve_language("en") == "en"
    assert i18n.resolve_language("system") == i18n.system_language()
    assert i18n.resolve_language("xx") == i18n.system_language()


def test_switching_language_relabels_an_open_window(qtbot, english_afterwards, login_dialog):
    qapp = english_afterwards
    login_dialog.show_problem(LoginProblem(ProblemKind.WRONG_PASSWORD, "wrong"))
    assert i18n.install_language(qapp, "en") == "en"
    assert text_of(login_dialog, "loginButton") == "&Log in"

    assert i18n.install_language(qapp, "id") == "id"
    assert i18n.current_language(qapp) == "id"
    qtbot.waitUntil(lambda: text_of(login_dialog, "loginButton") == "&Masuk", timeout=5000)
    assert text_of(login_dialog, "demoButton") == "Coba &demo"
    assert login_dialog.windowTitle() == "Masuk — Zavera Desktop"
    assert text_of(login_dialog, "statusLabel").startswith("E-mail atau kata sandi salah.")
    assert "Tidak ada penyimpanan kata sandi (keyring)" in text_of(login_dialog, "keyringNote")
    assert QCoreApplication.translate("LoginDialog", "Cancel") == "Batal"

    i18n.install_language(qapp, "en")
    qtbot.waitUntil(lambda: text_of(login_dialog, "loginButton") == "&Log in", timeout=5000)
    assert text_of(login_dialog, "statusLabel").startswith("Wrong e-mail or password.")


def test_choosing_a_language_in_the_settings_applies_at_once(qtbot, english_afterwards, login_dialog, tmp_path):
    i18n.install_language(english_afterwards, "en")
    settings = AppSettings(tmp_path / "settings.ini")
    dialog = SettingsDialog(settings, apply_autostart=None, notification_backend="notify-send")
    qtbot.addWidget(dialog)
    dialog.show()
    combo = dialog.findChild(object, "languageCombo")
    combo.setCurrentIndex(combo.findData("id"))
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.findChild(object, "saveButton").click()
    assert saved.args[0] == frozenset({"language"})
    assert settings.language == "id"
    qtbot.waitUntil(lambda: text_of(login_dialog, "loginButton") == "&Masuk", timeout=5000)


def test_settings_window_retranslates_itself(qtbot, english_afterwards, tmp_path):
    dialog = SettingsDialog(AppSettings(tmp_path / "s.ini"), apply_autostart=None, notification_backend="the tray")
    qtbot.addWidget(dialog)
    i18n.install_language(english_afterwards, "id")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Pengaturan — Zavera Desktop", timeout=5000)
    assert dialog.findChild(object, "notificationBackendLabel").text() == "Notifikasi ditampilkan melalui: the tray"
    assert dialog.findChild(object, "saveButton").text() == "Sim&pan"
