"""Icons, translations and sounds, installed as the package ``zavera_desktop.resources``.

The folder lives at the top of the repository (the layout the project was asked for);
pyproject.toml maps it into the package so a plain ``pip install .`` carries it.
"""
