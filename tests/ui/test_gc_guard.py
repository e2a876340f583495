"""Cycles are collected on the GUI thread only (a Qt object freed on a worker thread deadlocked the
suite: the store-reading thread of the Health panel collected a leftover window)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from zavera_desktop.ui import gc_guard


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.obj = QObject()


def test_a_worker_thread_never_collects_and_the_gui_timer_does(qapp, qtbot):
    guard = gc_guard.install(qapp)
    assert gc_guard.install(qapp) is guard  # one per application
    assert not gc.isenabled()
    cycle = _Cycle()
    gone = weakref.ref(cycle)
    del cycle

    def allocate() -> None:  # far past every threshold: with automatic collection this would collect
        junk = [[] for _ in range(50_000)]
        del junk

    worker = threading.Thread(target=allocate)
    worker.start()
    worker.join(10)
    assert gone() is not None, "a worker thread collected the cycle"
    gc.collect()  # what the GUI thread's timer does once a generation is over its threshold
    assert gone() is None


def test_collect_if_due_picks_the_generation_over_its_threshold(monkeypatch):
    monkeypatch.setattr(gc, "get_count", lambda: (5, 20, 3))
    monkeypatch.setattr(gc, "get_threshold", lambda: (700, 10, 10))
    chosen: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda generation=2: chosen.append(generation) or 0)
    gc_guard.collect_if_due()
    assert chosen == [1]
