"""Zavera Desktop: the shop admin's payment monitor for the Zavera backend."""

__version__ = "0.1.0"
APP_NAME = "zavera-desktop"
