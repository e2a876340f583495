"""Garbage collection on the GUI thread only.

Python's cyclic collector runs on whichever thread happens to allocate when a threshold is crossed —
the engine thread, a keyring or store worker. If the garbage includes a Qt object (a closed dialog
caught in a reference cycle), Qt destroys it on that thread: the app deadlocks or crashes. So, as
qutebrowser does, automatic collection is switched off and this timer collects on the GUI thread,
the generation whose count is over its threshold, with the same thresholds Python would use.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


def collect_if_due() -> int:
    """Collect the oldest generation over its threshold (call it on the GUI thread); returns the count."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in (2, 1, 0):
        if counts[generation] > thresholds[generation]:
            return gc.collect(generation)
    return 0


class GuiGarbageCollector(QObject):
    """Owned by the QApplication: once made, cycles are only ever collected on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_if_due)
        self._timer.start(INTERVAL_MS)


def install(app: QObject) -> GuiGarbageCollector:
    """The app's collector (made once, a child of ``app``)."""
    existing = app.findChild(GuiGarbageCollector)
    return existing if existing is not None else GuiGarbageCollector(app)
