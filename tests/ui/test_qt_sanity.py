"""The Qt binding itself must be sound: PySide6 6.12.0 on CPython 3.11 released a reference to None
on every void call and the app aborted after a few thousand widget updates (pyproject pins < 6.12)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_calls_do_not_leak_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("Rp 717.000")
        label.update()
    # other threads may hold a few references to None meanwhile; 4,000 lost ones would show
    assert sys.getrefcount(None) >= before - 100
