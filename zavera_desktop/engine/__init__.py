"""The engine: stream + reconcile + verify feeding one idempotent store (DESIGN §2, §4). No Qt here:
``watch`` and the GUI use it the same way.

Where things are:

    core.py           Engine — the thread, the connection state, and where commands go (public API)
    changes.py        ChangeSink — where batches come from: queue, store, deliver, crash-safe redelivery
    stream_events.py  a stream notification → payment claim, activity line or baseline update
    polling.py        the reconcile loop, the payment-dashboard loop, enrichment of new payments
    checks.py         status checks: verify's fair, budgeted loop and the admin's check
    context.py        what the parts share: settings, store, sink, counters, error reporting

Subscribers are called on the engine thread and must return quickly (the GUI's bridge re-emits the
batch as a Qt signal; ``watch`` prints a line).
"""

from zavera_desktop.engine.changes import candidate_from_detail
from zavera_desktop.engine.checks import CheckOutcome
from zavera_desktop.engine.context import EngineStats
from zavera_desktop.engine.core import Engine, EngineNotRunning

__all__ = ["CheckOutcome", "Engine", "EngineNotRunning", "EngineStats", "candidate_from_detail"]
