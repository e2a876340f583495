"""The Zavera sandbox: a faithful local Zavera backend plus a Midtrans simulator.

It is an independent peer of the desktop client and imports nothing from the rest of
``zavera_desktop``, so a misreading of the backend contract cannot hide by being shared.
"""

from zavera_desktop.sandbox.config import SandboxConfig
from zavera_desktop.sandbox.server import SandboxServer

__all__ = ["SandboxConfig", "SandboxServer"]
