"""Resources are found however the app was installed: source tree, a fresh ``pip install .``, a bundle.

The wheel is built from a copy of the project (so the build leaves nothing in the working tree)
with pip's normal build isolation, then installed with ``--target`` and run with ``python -S``
so neither the editable install of the development venv nor the source tree can stand in for it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from zavera_desktop import resources_path
from zavera_desktop.resources_path import ResourceNotFoundError, require_resource, resource_path, resources_root

ROOT = Path(__file__).resolve().parents[1]
SITE_PACKAGES = sysconfig.get_paths()["purelib"]
NEEDED = [
    "zavera_desktop/resources/translations/zavera_id.qm",
    "zavera_desktop/resources/translations/zavera_en.qm",
    "zavera_desktop/resources/icons/app.svg",
    "zavera_desktop/resources/icons/app.png",
    "zavera_desktop/resources_path.py",
]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))}
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env


@pytest.fixture(autouse=True)
def fresh_root():
    """``resources_root`` is cached per process; every test here looks again."""
    resources_root.cache_clear()
    yield
    resources_root.cache_clear()


# --- in this process ------------------------------------------------------------------------------


def test_source_tree():
    assert resources_root() == ROOT / "resources"
    assert require_resource("translations/zavera_id.qm").is_file()
    assert require_resource("icons/app.svg").is_file()


def test_bad_paths_are_refused():
    for bad in ("/etc/passwd", "../pyproject.toml", "icons/../../x"):
        with pytest.raises(ValueError):
            resource_path(bad)
    with pytest.raises(ResourceNotFoundError, match="missing from this installation"):
        require_resource("icons/no-such-icon.svg")


def test_pyinstaller_bundle(tmp_path, monkeypatch):
    bundled = tmp_path / "zavera_desktop" / "resources"
    (bundled / "icons").mkdir(parents=True)
    (bundled / "icons" / "app.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_root() == bundled
    assert resource_path("icons/app.svg").read_text() == "<svg/>"


def test_bare_checkout_without_the_package_mapping(tmp_path):
    """``PYTHONPATH=.`` on a checkout: no ``zavera_desktop.resources`` package, the folder beside it."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "zavera_desktop", checkout / "zavera_desktop",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", checkout / "resources", ignore=shutil.ignore_patterns("__pycache__"))
    code = "from zavera_desktop.resources_path import resources_root; print(resources_root())"
    result = subprocess.run([sys.executable, "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60, env=_clean_env(PYTHONPATH=os.pathsep.join([str(checkout), SITE_PACKAGES])))
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == checkout / "resources"


# --- a fresh pip install --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("zavera_desktop", "resources"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(work / "dist"), str(src)],
        capture_output=True, text=True, timeout=600, env=_clean_env(),
    )
    assert result.returncode == 0, f"building the wheel failed:\n{result.stdout}\n{result.stderr}"
    [built] = (work / "dist").glob("zavera_desktop-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300, env=_clean_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return target


@pytest.mark.slow
def test_wheel_contains_the_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [n for n in NEEDED if n not in names]
    assert not missing, f"not in the wheel: {missing}"


@pytest.mark.slow
def test_wheel_contains_the_desktop_entry_template(wheel):
    if "zavera_desktop/resources/zavera-desktop.desktop" not in zipfile.ZipFile(wheel).namelist():
        pytest.xfail('pyproject.toml [tool.setuptools.package-data] needs "*.desktop" for '
                     '"zavera_desktop.resources" (start at login from a pip install needs the template)')


@pytest.mark.slow
def test_fresh_install_finds_and_loads_the_resources(installed, tmp_path):
    code = "\n".join([
        "import zavera_desktop",
        "from zavera_desktop.resources_path import resource_path, resources_root",
        "from PySide6.QtCore import QTranslator",
        "print(zavera_desktop.__file__)",
        "print(resources_root())",
        "t = QTranslator()",
        "assert t.load(str(resource_path('translations/zavera_id.qm')))",
        "print(t.translate('LoginDialog', '&Log in'))",
        "print(resource_path('icons/app.svg').is_file())",
    ])
    # -S: no site processing, so the development venv's editable install cannot answer instead
    result = subprocess.run(
        [sys.executable, "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env=_clean_env(PYTHONPATH=os.pathsep.join([str(installed), SITE_PACKAGES])),
    )
    assert result.returncode == 0, result.stderr
    package_file, root, log_in, icon = result.stdout.strip().splitlines()
    assert Path(package_file).is_relative_to(installed)
    assert Path(root) == installed / "zavera_desktop" / "resources"
    assert log_in == "&Masuk"
    assert icon == "True"


def test_module_has_no_qt():
    assert "PySide6" not in Path(resources_path.__file__).read_text()
