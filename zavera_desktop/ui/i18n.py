"""Installing the app's translation (English source strings, Bahasa Indonesia in ``zavera_id.qm``).

The language follows the system locale unless the admin picked one in the settings. Switching
at run time is live: installing or removing a ``QTranslator`` makes Qt send ``LanguageChange``
to every widget, and each widget re-reads its texts in ``changeEvent`` (see ``ui.md``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from zavera_desktop.resources_path import resource_path

log = logging.getLogger(__name__)

SYSTEM = "system"
SOURCE_LANGUAGE = "en"
# code → the language's own name (shown as is in every UI language, the usual convention)
LANGUAGES: dict[str, str] = {"en": "English", "id": "Bahasa Indonesia"}

# the installed translators per application, so the next switch can remove them
_installed: dict[int, list[QTranslator]] = {}
_current: dict[int, str] = {}


def translations_dir() -> str:
    return str(resource_path("translations"))


def qm_path(code: str) -> str:
    return str(resource_path(f"translations/zavera_{code}.qm"))


def available_languages() -> list[tuple[str, str]]:
    """``(code, name)`` of every language the app can show, English first."""
    out = []
    for code, name in LANGUAGES.items():
        if code == SOURCE_LANGUAGE or resource_path(f"translations/zavera_{code}.qm").is_file():
            out.append((code, name))
    return out


def system_language(locale: QLocale | None = None) -> str:
    """The first of the system's preferred UI languages that the app has, else English."""
    locale = locale or QLocale.system()
    known = dict(available_languages())
    for tag in locale.uiLanguages():
        code = tag.replace("_", "-").split("-")[0].lower()
        # "in" is the old ISO 639 code for Indonesian that some systems still report
        code = "id" if code == "in" else code
        if code in known:
            return code
    return SOURCE_LANGUAGE


def resolve_language(setting: str | None) -> str:
    """``"system"`` / None / an unknown code → what the system prefers; a known code → itself."""
    if setting and setting != SYSTEM and setting in dict(available_languages()):
        return setting
    return system_language()


def current_language(app: QCoreApplication | None = None) -> str:
    """The language installed on ``app`` (English before any ``install_language``)."""
    app = app or QCoreApplication.instance()
    return _current.get(id(app), SOURCE_LANGUAGE) if app is not None else SOURCE_LANGUAGE


def locale_for(code: str) -> QLocale:
    """The locale for dates and numbers shown in language ``code``."""
    return QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia) if code == "id" \
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def install_language(app: QCoreApplication, code: str | None = SYSTEM) -> str:
    """Install the translation for ``code`` (``"system"`` follows the locale); returns the code used.

    Safe to call again at run time: the previous translators are removed first, and the widgets
    retranslate on the ``LanguageChange`` event this causes.
    """
    wanted = resolve_language(code)
    key = id(app)
    if _current.get(key) == wanted and key in _installed:
        return wanted
    for translator in _installed.pop(key, []):
        app.removeTranslator(translator)
        translator.deleteLater()
    translators: list[QTranslator] = []
    # the app's own strings; English has a file too, for its plural forms ("1 payment" / "2 payments")
    own = QTranslator(app)
    if own.load(qm_path(wanted)):
        translators.append(own)
    elif wanted != SOURCE_LANGUAGE:
        log.warning("The %s translation is missing (%s); showing English", wanted, qm_path(wanted))
        wanted = SOURCE_LANGUAGE
    # Qt's own dialogs (file chooser, standard buttons) where Qt ships that language
    qt_base = QTranslator(app)
    if wanted != SOURCE_LANGUAGE and qt_base.load(
            locale_for(wanted), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt_base)
    for translator in translators:
        app.installTranslator(translator)
    _installed[key] = translators
    _current[key] = wanted
    return wanted
