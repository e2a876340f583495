"""Where the icons, translations and sounds are, however the app was installed (no Qt here).

Three layouts exist:

* a PyInstaller bundle: everything is unpacked under ``sys._MEIPASS``; the bundle's spec copies
  ``resources/`` to ``zavera_desktop/resources`` inside it (the same place a wheel puts it);
* ``pip install .`` (and the editable install): ``resources/`` is the package
  ``zavera_desktop.resources`` (pyproject.toml maps it), found through the import system;
* a bare source checkout run with ``PYTHONPATH=.``: the package mapping does not exist, so the
  folder is found next to the ``zavera_desktop`` package.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

_PACKAGE = "zavera_desktop.resources"


class ResourceNotFoundError(FileNotFoundError):
    """A resource the app needs is missing from this installation."""


@functools.cache
def resources_root() -> Path:
    """The folder that holds ``icons/``, ``translations/`` and ``sounds/``."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        for candidate in (Path(bundle) / "zavera_desktop" / "resources", Path(bundle) / "resources"):
            if candidate.is_dir():
                return candidate
    # find_spec (not import) so a source tree without the mapping falls through cleanly
    try:
        spec = importlib.util.find_spec(_PACKAGE)
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if Path(location).is_dir():
                return Path(location)
    source = Path(__file__).resolve().parent.parent / "resources"
    if source.is_dir():
        return source
    raise ResourceNotFoundError("The resources folder (icons, translations) is missing from this installation.")


def resource_path(relative: str) -> Path:
    """The absolute path of ``relative`` (e.g. ``"icons/app.svg"``) under the resources folder.

    Does not check that the file exists: callers that need it say so with ``.exists()`` or
    ``require_resource``.
    """
    path = Path(relative)
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"resource paths are relative to the resources folder: {relative!r}")
    return resources_root() / path


def require_resource(relative: str) -> Path:
    """Like ``resource_path``, but raises ``ResourceNotFoundError`` when the file is missing."""
    path = resource_path(relative)
    if not path.exists():
        raise ResourceNotFoundError(f"The file {relative} is missing from this installation ({path}).")
    return path
