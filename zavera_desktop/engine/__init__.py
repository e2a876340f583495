"""The engine: stream + reconcile + verify feeding one idempotent store (DESIGN §2, §4). No Qt here:
``watch`` and the GUI use it the same way.

Where things are:

    core.py           Engine — the thread, the connection state, and where commands go (public API)
    changes.py        ChangeSink — where batches come from: queue, store, deliver, crash-safe redelivery
    stream_events.py  a stream notification → payment claim, activity line or baseline update
    polling.py        the reconcile loop, the payment-dashboard loop, enrichment of new payments
    checks.py         status checks: verify's fair, budgeted loop; one /core/check for any caller
    actions.py        the admin's status check and "check all stuck" (progress, cancel, summary)
    replay.py         the webhook replay: Midtrans status → signed notification → preview → POST → re-read
    action_types.py   what admin actions answer: outcome kinds, reasons, progress, previews, audit rows
    oneshot.py        the same parts without the stream, for one CLI action (`check`, `replay`)
    health.py         payment health: the rolling picture, findings with their fix, alert delivery
    orphans.py        money at Midtrans the shop ignored (late settlements); "Confirm payment"
    context.py        what the parts share: settings, store, sink, counters, error reporting

Subscribers are called on the engine thread and must return quickly (the GUI's bridge re-emits the
batch as a Qt signal; ``watch`` prints a line).
"""

from zavera_desktop.engine.action_types import (
    ActionError,
    ActionProgress,
    BulkCheckSummary,
    CheckActionOutcome,
    OutcomeKind,
    ReplayOutcome,
    ReplayPreview,
    TransactionIdNeeded,
)
from zavera_desktop.engine.changes import candidate_from_detail
from zavera_desktop.engine.context import EngineStats
from zavera_desktop.engine.core import Engine, EngineNotRunning
from zavera_desktop.engine.replay import AlreadyPaid

__all__ = [
    "ActionError",
    "ActionProgress",
    "AlreadyPaid",
    "BulkCheckSummary",
    "CheckActionOutcome",
    "Engine",
    "EngineNotRunning",
    "EngineStats",
    "OutcomeKind",
    "ReplayOutcome",
    "ReplayPreview",
    "TransactionIdNeeded",
    "candidate_from_detail",
]
