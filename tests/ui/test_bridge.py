"""EngineBridge: batches and Future results cross from the engine thread to the GUI thread."""

from __future__ import annotations

import concurrent.futures
import threading
from datetime import UTC, datetime

import shiboken6
from PySide6.QtCore import QObject, QThread

from zavera_desktop.domain import ChangeBatch, ConnectionState, ConnectionStatus, DetectedBy, Payment, ReadChange
from zavera_desktop.ui.bridge import EngineBridge, merge_batches

NOW = datetime(2026, 1, 22, 3, 0, tzinfo=UTC)


def payment(code: str, customer: str | None = None) -> Payment:
    return Payment(order_code=code, amount=150000, payment_method="bca_va", customer=customer, order_status="PAID",
                   paid_at=None, detected_at=NOW, detected_by=DetectedBy.STREAM)


def from_thread(fn) -> None:
    t = threading.Thread(target=fn)
    t.start()
    t.join(5)


def test_batch_is_emitted_on_the_gui_thread(qtbot):
    bridge = EngineBridge()
    seen: list[tuple[ChangeBatch, bool]] = []
    bridge.batch.connect(lambda b: seen.append((b, QThread.currentThread() is bridge.thread())))
    from_thread(lambda: bridge.deliver(ChangeBatch(new_payments=[payment("ZVR-1")])))
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    batch, on_gui = seen[0]
    assert on_gui
    assert [p.order_code for p in batch.new_payments] == ["ZVR-1"]


def test_first_batch_after_a_quiet_period_is_not_held_back(qtbot):
    # a window far longer than the wait: the batch can only arrive in time if it is not held
    bridge = EngineBridge(window=30.0)
    with qtbot.waitSignal(bridge.batch, timeout=2000):
        from_thread(lambda: bridge.deliver(ChangeBatch(new_payments=[payment("ZVR-1")])))


def test_a_payment_right_after_another_batch_is_not_held_back(qtbot):
    # the order's order_created and then its payment, moments apart: both go out at once
    bridge = EngineBridge(window=30.0)
    with qtbot.waitSignal(bridge.batch, timeout=2000):
        from_thread(lambda: bridge.deliver(ChangeBatch(activity=[])))
    with qtbot.waitSignal(bridge.batch, timeout=2000):
        from_thread(lambda: bridge.deliver(ChangeBatch(new_payments=[payment("ZVR-1")])))


def test_in_a_burst_batches_wait_for_the_window_and_go_out_merged(qtbot):
    bridge = EngineBridge(window=0.3, allowance=2)
    got: list[ChangeBatch] = []
    bridge.batch.connect(got.append)
    for i in range(2):  # the allowance
        with qtbot.waitSignal(bridge.batch, timeout=2000):
            from_thread(lambda i=i: bridge.deliver(ChangeBatch(new_payments=[payment(f"A-{i}")])))
    for i in range(5):  # a burst: each arrives after the GUI loop ran, yet they leave together
        bridge.deliver(ChangeBatch(new_payments=[payment(f"B-{i}")]))
        qtbot.wait(5)
    qtbot.waitUntil(lambda: len(got) == 3, timeout=5000)
    qtbot.wait(50)
    assert len(got) == 3
    assert [p.order_code for p in got[2].new_payments] == [f"B-{i}" for i in range(5)]


def test_a_burst_becomes_one_batch(qtbot):
    bridge = EngineBridge(window=0.3)
    got: list[ChangeBatch] = []
    bridge.batch.connect(got.append)
    with qtbot.waitSignal(bridge.batch, timeout=2000):
        from_thread(lambda: bridge.deliver(ChangeBatch(new_payments=[payment("ZVR-0")])))

    def burst() -> None:
        for i in range(1, 201):
            bridge.deliver(ChangeBatch(new_payments=[payment(f"ZVR-{i}")]))

    # every batch of the burst is queued before the GUI loop runs again: they must merge
    from_thread(burst)
    with qtbot.waitSignal(bridge.batch, timeout=5000):
        pass
    assert len(got) == 2
    assert [p.order_code for p in got[1].new_payments] == [f"ZVR-{i}" for i in range(1, 201)]
    assert bridge.emitted == 2


def test_flush_delivers_pending_batches_at_once(qtbot):
    bridge = EngineBridge(window=30.0, allowance=1)
    got: list[ChangeBatch] = []
    bridge.batch.connect(got.append)
    with qtbot.waitSignal(bridge.batch, timeout=2000):
        bridge.deliver(ChangeBatch(new_payments=[payment("ZVR-1")]))
    bridge.deliver(ChangeBatch(new_payments=[payment("ZVR-2")]))
    qtbot.wait(20)  # the wake-up runs and schedules the (30 s) trailing delivery
    assert len(got) == 1
    bridge.flush()
    assert [p.order_code for p in got[1].new_payments] == ["ZVR-2"]


def test_closed_bridge_delivers_nothing(qtbot):
    bridge = EngineBridge()
    got: list[ChangeBatch] = []
    bridge.batch.connect(got.append)
    bridge.close()
    bridge.deliver(ChangeBatch(new_payments=[payment("ZVR-1")]))
    qtbot.wait(20)
    assert got == []


def test_merge_keeps_newest_connection_and_order_of_payments():
    live = ConnectionStatus(ConnectionState.LIVE)
    merged = merge_batches([
        ChangeBatch(new_payments=[payment("A")], connection=ConnectionStatus(ConnectionState.CONNECTING)),
        ChangeBatch(new_payments=[payment("B")], connection=live),
        ChangeBatch(updated_payments=[payment("C", "Sari")]),
    ])
    assert len(merged) == 1
    assert [p.order_code for p in merged[0].new_payments] == ["A", "B"]
    assert merged[0].connection is live
    assert [p.order_code for p in merged[0].updated_payments] == ["C"]


def test_merge_folds_an_update_into_the_announcement():
    merged = merge_batches([ChangeBatch(new_payments=[payment("A")]),
                            ChangeBatch(updated_payments=[payment("A", "Budi")]),
                            ChangeBatch(updated_payments=[payment("B", "x"), payment("B", "y")])])
    assert [(p.order_code, p.customer) for p in merged[0].new_payments] == [("A", "Budi")]
    assert [(p.order_code, p.customer) for p in merged[0].updated_payments] == [("B", "y")]


def test_merge_never_marks_a_later_payment_read():
    merged = merge_batches([
        ChangeBatch(new_payments=[payment("A")]),
        ChangeBatch(read_change=ReadChange(None, True)),
        ChangeBatch(new_payments=[payment("B")]),
    ])
    assert [([p.order_code for p in b.new_payments], b.read_change) for b in merged] == [
        (["A"], ReadChange(None, True)), (["B"], None)]


def test_merge_keeps_two_read_changes_apart():
    merged = merge_batches([ChangeBatch(read_change=ReadChange(("A",), True)),
                            ChangeBatch(read_change=ReadChange(("A",), False))])
    assert [b.read_change.read for b in merged] == [True, False]


def test_call_delivers_result_on_the_gui_thread(qtbot):
    bridge = EngineBridge()
    pool = concurrent.futures.ThreadPoolExecutor(1)
    got: list[tuple[object, bool]] = []
    try:
        future = pool.submit(lambda: 42)
        bridge.call(future, lambda r: got.append((r, QThread.currentThread() is bridge.thread())))
        qtbot.waitUntil(lambda: bool(got), timeout=2000)
    finally:
        pool.shutdown()
    assert got == [(42, True)]


def test_call_delivers_errors_and_respects_a_destroyed_context(qtbot):
    bridge = EngineBridge()
    errors: list[BaseException] = []
    failing: concurrent.futures.Future[int] = concurrent.futures.Future()
    bridge.call(failing, lambda r: None, errors.append)
    failing.set_exception(ValueError("backend said no"))
    qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    assert str(errors[0]) == "backend said no"

    context = QObject()
    late: concurrent.futures.Future[int] = concurrent.futures.Future()
    called: list[object] = []
    bridge.call(late, called.append, called.append, context=context)
    context.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(context), timeout=2000)
    late.set_result(1)
    qtbot.wait(30)
    assert called == []


def test_the_engine_side_never_holds_the_ui(qtbot):
    """What the engine thread keeps (a progress function, a future's done-callback) must not keep a
    widget alive: a widget whose last reference drops on the engine thread is destroyed there, and Qt
    crashes. Only a token crosses; the callbacks stay with the bridge on the GUI thread."""
    import concurrent.futures
    import gc
    import weakref

    from PySide6.QtWidgets import QLabel

    bridge = EngineBridge()
    label = QLabel()
    seen: list[str] = []
    future: concurrent.futures.Future[str] = concurrent.futures.Future()
    progress = bridge.relay(label.setText, context=label)
    bridge.call(future, seen.append, context=label, release=progress)
    progress("half way")  # the engine's progress
    future.set_result("done")  # the engine finishes
    qtbot.waitUntil(lambda text=label.text: seen == ["done"] and text() == "half way", timeout=2000)
    alive = weakref.ref(label)
    del label
    gc.collect()
    # the engine side still holds both the progress function and the finished future
    assert progress is not None and future.done()
    assert alive() is None
