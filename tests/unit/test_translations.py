"""Translations: every UI string is translated, the compiled .qm files match their .ts sources.

A widget string without an Indonesian translation fails here, so CI catches it. The fix is always
``scripts/update-translations``, translating what it reports, and running it again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
UI_SOURCES = sorted((ROOT / "zavera_desktop" / "ui").glob("*.py"))
QT_TOOLS = Path(PySide6.__file__).parent
FIX = "run scripts/update-translations, translate what it reports, and run it again"


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    unfinished: bool
    forms: tuple[str, ...]


def messages(ts: Path) -> list[Message]:
    out = []
    for ctx in ET.parse(ts).getroot().findall("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.findall("message"):
            tr = m.find("translation")
            numerus = m.get("numerus") == "yes"
            forms = tuple(f.text or "" for f in tr.findall("numerusform")) if numerus else (tr.text or "",)
            out.append(Message(name, m.findtext("source") or "", m.findtext("comment") or "", numerus,
                               tr.get("type") in ("unfinished", "vanished", "obsolete"), forms))
    return out


def tool(name: str) -> Path:
    path = QT_TOOLS / name
    if not path.exists():
        found = shutil.which(f"pyside6-{name}")
        if found is None:
            pytest.fail(f"{name} not found next to PySide6 or on PATH")
        return Path(found)
    return path


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_message_is_translated(language):
    ts = TRANSLATIONS / f"zavera_{language}.ts"
    todo = [f"{m.context}: {m.source!r}" for m in messages(ts) if m.unfinished or not all(m.forms)]
    assert not todo, f"untranslated in {ts.name} ({FIX}):\n" + "\n".join(todo)


def test_indonesian_covers_the_strings_it_should():
    found = messages(TRANSLATIONS / "zavera_id.ts")
    sources = {m.source for m in found}
    for text in ("&Log in", "&Password:", "Try the &demo", "Payment received"):
        assert text in sources
    by_source = {m.source: m.forms[0] for m in found}
    assert by_source["&Log in"] == "&Masuk"
    assert by_source["Payment received"] == "Pembayaran diterima"


_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%L?\d|%n")


@pytest.mark.parametrize("language", ["id", "en"])
def test_placeholders_and_accelerators_survive_translation(language):
    bad = []
    for m in messages(TRANSLATIONS / f"zavera_{language}.ts"):
        want = sorted(set(_PLACEHOLDER.findall(m.source)))
        for form in m.forms:
            if sorted(set(_PLACEHOLDER.findall(form))) != want and not (m.numerus and "%n" in want):
                bad.append(f"{m.context}: {m.source!r} → {form!r} (placeholders)")
            if ("&" in m.source.replace("&&", "")) != ("&" in form.replace("&&", "")) and "<" not in m.source:
                bad.append(f"{m.context}: {m.source!r} → {form!r} (keyboard accelerator &)")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("language", ["id", "en"])
def test_compiled_qm_matches_its_ts(language):
    """Every translation in the .ts comes out of the committed .qm (independent of the lrelease version)."""
    ts, qm = TRANSLATIONS / f"zavera_{language}.ts", TRANSLATIONS / f"zavera_{language}.qm"
    assert qm.exists(), f"{qm.name} is missing ({FIX})"
    translator = QTranslator()
    assert translator.load(str(qm)) or not messages(ts), f"{qm.name} cannot be loaded"
    stale = []
    for m in messages(ts):
        if m.numerus:
            # QTranslator picks the plural form itself (English: 1 → first, else second; Indonesian: one form)
            def form(n: int, m: Message = m) -> str:
                return m.forms[0 if n == 1 or len(m.forms) == 1 else 1]

            ok = all(translator.translate(m.context, m.source, m.comment or None, n) == form(n) for n in (1, 2, 5))
        else:
            ok = translator.translate(m.context, m.source, m.comment or None) == m.forms[0]
        if not ok:
            stale.append(f"{m.context}: {m.source!r}")
    assert not stale, f"{qm.name} is older than {ts.name} ({FIX}):\n" + "\n".join(stale)


def test_every_ui_string_is_in_the_translation_sources(tmp_path):
    """lupdate over the widgets now: a tr() string missing from zavera_id.ts means nobody translated it."""
    copy = tmp_path / "zavera_id.ts"
    shutil.copy(TRANSLATIONS / "zavera_id.ts", copy)
    result = subprocess.run(
        [str(tool("lupdate")), "-silent", "-no-obsolete", "-locations", "none", "-source-language", "en",
         "-target-language", "id_ID", *map(str, UI_SOURCES), "-ts", str(copy)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    missing = [f"{m.context}: {m.source!r}" for m in messages(copy) if m.unfinished]
    assert not missing, f"UI strings without a translation ({FIX}):\n" + "\n".join(missing)
