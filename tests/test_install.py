"""``scripts/install`` and ``scripts/uninstall`` into a temporary home, with a stand-in bundle.

The stand-in has the real bundle's layout (the program, ``_internal/zavera_desktop/resources`` with the
real icons and menu-entry template, and the two helpers beside the program) and a program that only
answers ``--selftest`` and ``--version``; ``tests/test_bundle.py`` installs the real bundle once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zavera_desktop.ui.autostart import exec_line

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the install helpers are for Linux")

ROOT = Path(__file__).resolve().parents[1]
NAME = "zavera-desktop"
SIZES = (16, 24, 32, 48, 64, 128, 256)
FAKE_PROGRAM = """#!/bin/sh
case "$1" in
    --selftest) echo "Self-test (stand-in)"; exit "${FAKE_SELFTEST_RC:-0}" ;;
    --version) echo "zavera-desktop 0.1.0" ;;
    *) echo "started with: $*" ;;
esac
"""


def make_bundle(where: Path, marker: str = "v1") -> Path:
    bundle = where / NAME
    resources = bundle / "_internal" / "zavera_desktop" / "resources"
    (resources / "icons").mkdir(parents=True)
    for icon in (ROOT / "resources" / "icons").iterdir():
        if icon.suffix in (".png", ".svg", ".ico"):
            shutil.copy(icon, resources / "icons" / icon.name)
    shutil.copy(ROOT / "resources" / f"{NAME}.desktop", resources / f"{NAME}.desktop")
    program = bundle / NAME
    program.write_text(FAKE_PROGRAM)
    program.chmod(0o755)
    (bundle / "_internal" / "marker").write_text(marker)
    for helper in ("install", "uninstall"):
        shutil.copy2(ROOT / "scripts" / helper, bundle / helper)
    return bundle


@pytest.fixture
def home(tmp_path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(home)
    env.update(extra)
    return env


def run(cmd: list[str | Path], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=60, env=env)


def desktop_entry(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


# --- install --------------------------------------------------------------------------------------------


def test_install_puts_program_command_menu_entry_and_icons_in_the_users_folders(tmp_path, home):
    bundle = make_bundle(tmp_path)
    result = run([bundle / "install"], env_for(home))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Self-test (stand-in)" in result.stdout  # the bundle is checked first

    program = home / ".local" / "lib" / NAME / NAME
    assert program.is_file() and os.access(program, os.X_OK)
    assert (program.parent / "uninstall").is_file()
    link = home / ".local" / "bin" / NAME
    assert link.is_symlink() and link.resolve() == program
    assert run([link, "gui"], env_for(home)).stdout.strip() == "started with: gui"

    share = home / ".local" / "share"
    entry_file = share / "applications" / f"{NAME}.desktop"
    entry = desktop_entry(entry_file)
    assert entry["Exec"] == exec_line([str(program), "gui"])
    assert entry["TryExec"] == str(program)
    assert entry["Icon"] == NAME
    template = desktop_entry(ROOT / "resources" / f"{NAME}.desktop")
    for key in ("Name", "GenericName[id]", "Comment[id]", "Categories", "Type"):
        assert entry[key] == template[key]
    if shutil.which("desktop-file-validate"):
        check = run(["desktop-file-validate", entry_file], env_for(home))
        # validators older than the 1.5 spec (desktop-file-utils 0.26, Debian 12) do not know its Version
        problems = [line for line in (check.stdout + check.stderr).splitlines()
                    if line.strip() and 'value "1.5" for key "Version"' not in line]
        assert not problems, "\n".join(problems)

    for size in SIZES:
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        assert icon.read_bytes() == (ROOT / "resources" / "icons" / f"app-{size}.png").read_bytes()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{NAME}.svg").is_file()
    assert not (share / "icons" / "hicolor" / "icon-theme.cache").exists(), "no icon cache where there was none"


def test_xdg_data_home_and_an_install_folder_with_a_space_are_respected(tmp_path, home):
    bundle = make_bundle(tmp_path)
    data = tmp_path / "data home"
    target = tmp_path / "my apps" / NAME
    result = run([bundle / "install"], env_for(home, XDG_DATA_HOME=str(data), ZAVERA_INSTALL_DIR=str(target)))
    assert result.returncode == 0, result.stdout + result.stderr
    entry = desktop_entry(data / "applications" / f"{NAME}.desktop")
    assert entry["Exec"] == exec_line([str(target / NAME), "gui"])
    assert entry["Exec"].startswith('"')  # quoted: the path has a space
    assert (data / "icons" / "hicolor" / "48x48" / "apps" / f"{NAME}.png").is_file()


def test_installing_again_updates_the_program_and_keeps_the_data(tmp_path, home):
    env = env_for(home)
    assert run([make_bundle(tmp_path / "old", "v1") / "install"], env).returncode == 0
    data = home / ".local" / "share" / NAME
    data.mkdir(parents=True)
    (data / f"{NAME}.db").write_text("payments")
    result = run([make_bundle(tmp_path / "new", "v2") / "install"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (home / ".local" / "lib" / NAME / "_internal" / "marker").read_text() == "v2"
    assert (data / f"{NAME}.db").read_text() == "payments"
    assert not list((home / ".local" / "lib").glob(f"{NAME}.*")), "no .new/.old folder is left behind"


def test_a_failing_selftest_installs_nothing(tmp_path, home):
    bundle = make_bundle(tmp_path)
    result = run([bundle / "install"], env_for(home, FAKE_SELFTEST_RC="1"))
    assert result.returncode != 0
    assert "self-test failed" in result.stderr and "nothing was installed" in result.stderr
    assert not (home / ".local").exists()
    forced = run([bundle / "install", "--skip-selftest"], env_for(home, FAKE_SELFTEST_RC="1"))
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert (home / ".local" / "lib" / NAME / NAME).is_file()


def test_a_folder_that_is_not_a_bundle_is_refused(tmp_path, home):
    (tmp_path / "empty").mkdir()
    result = run([ROOT / "scripts" / "install", tmp_path / "empty"], env_for(home))
    assert result.returncode != 0
    assert "is not a Zavera Desktop bundle" in result.stderr
    missing = run([ROOT / "scripts" / "install", tmp_path / "nowhere"], env_for(home))
    assert missing.returncode != 0 and "no bundle at" in missing.stderr


def test_another_installations_command_is_left_alone(tmp_path, home):
    bin_dir = home / ".local" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / NAME).write_text("#!/bin/sh\necho pip-installed\n")
    env = env_for(home)
    result = run([make_bundle(tmp_path) / "install"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "left alone" in result.stdout
    assert (bin_dir / NAME).read_text().endswith("pip-installed\n")
    run([home / ".local" / "lib" / NAME / "uninstall"], env)
    assert (bin_dir / NAME).exists(), "uninstall removes only its own link"


def test_help():
    result = subprocess.run([str(ROOT / "scripts" / "install"), "--help"], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0 and "ZAVERA_INSTALL_DIR" in result.stdout


# --- uninstall ------------------------------------------------------------------------------------------


def _autostart(home: Path, program: str) -> Path:
    path = home / ".config" / "autostart" / f"{NAME}.desktop"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[Desktop Entry]\nType=Application\nExec={program} gui\n")
    return path


def test_uninstall_removes_what_install_made_and_keeps_the_data(tmp_path, home):
    env = env_for(home)
    assert run([make_bundle(tmp_path) / "install"], env).returncode == 0
    program = home / ".local" / "lib" / NAME / NAME
    autostart = _autostart(home, str(program))
    data = home / ".local" / "share" / NAME
    data.mkdir(parents=True)
    (data / f"{NAME}.db").write_text("payments")

    result = run([program.parent / "uninstall"], env)  # from the installed folder, which it deletes
    assert result.returncode == 0, result.stdout + result.stderr
    share = home / ".local" / "share"
    assert not program.parent.exists()
    assert not (home / ".local" / "bin" / NAME).exists()
    assert not (share / "applications" / f"{NAME}.desktop").exists()
    assert not list((share / "icons").rglob(f"{NAME}.*"))
    assert not autostart.exists()
    assert (data / f"{NAME}.db").read_text() == "payments"
    assert "Kept" in result.stdout and str(data) in result.stdout


def test_uninstall_keeps_a_start_at_login_entry_of_another_installation(tmp_path, home):
    env = env_for(home)
    assert run([make_bundle(tmp_path) / "install"], env).returncode == 0
    other = _autostart(home, "/usr/bin/python3 -m zavera_desktop")
    assert run([ROOT / "scripts" / "uninstall"], env).returncode == 0
    assert other.exists()


def test_purge_removes_database_log_settings_and_saved_passwords(tmp_path, home):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    calls = tmp_path / "secret-tool.calls"
    secret_tool = fake_bin / "secret-tool"
    secret_tool.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\n')
    secret_tool.chmod(0o755)
    env = env_for(home, PATH=f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    assert run([make_bundle(tmp_path) / "install"], env).returncode == 0
    data = home / ".local" / "share" / NAME
    log = home / ".local" / "state" / NAME / "log"
    settings = home / ".config" / "Zavera" / f"{NAME}.ini"
    for path in (data / f"{NAME}.db", log / f"{NAME}.log", settings):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")

    result = run([ROOT / "scripts" / "uninstall", "--purge"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not data.exists() and not log.parent.exists() and not settings.exists()
    assert not settings.parent.exists()
    assert calls.read_text().split() == ["clear", "service", NAME]
    assert "nothing of Zavera Desktop is left" in result.stdout


def test_uninstall_when_nothing_is_installed(home):
    result = run([ROOT / "scripts" / "uninstall"], env_for(home))
    assert result.returncode == 0, result.stdout + result.stderr
