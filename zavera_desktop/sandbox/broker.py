"""The SSE broker: a copy of the backend's ``SSEBroker`` semantics (contract §2.4).

One task takes pre-formatted messages from a 256-slot broadcast queue and offers each to
every client's 100-slot buffer, waiting at most 100 ms per client before skipping it. The
wait happens client after client, so one slow client delays everyone, as in Go.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging

from zavera_desktop.sandbox.stats import Stats

log = logging.getLogger("zavera_desktop.sandbox.broker")

BROADCAST_SLOTS = 256
CLIENT_SLOTS = 100
SLOW_CLIENT_WAIT = 0.1

_ids = itertools.count(1)


class StreamClient:
    """One open ``/api/admin/events`` connection, as the broker and the fault knobs see it."""

    def __init__(self, username: str, transport: asyncio.Transport | None) -> None:
        self.id = f"sse-{next(_ids)}"
        self.username = username
        self.transport = transport
        self.queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=CLIENT_SLOTS)
        self.wake = asyncio.Event()  # set when a fault knob wants the writer's attention
        self.cut: str | None = None  # "fin" | "clean" | "drop"
        self.cut_payload = b""  # what a "fin"/"clean" cut writes before ending the stream
        self.stalled_until = 0.0  # loop time; silent until then
        self.keepalive_changed = False
        self.lost_while_stalled = 0

    def poke(self) -> None:
        self.wake.set()


class Broker:
    def __init__(self, stats: Stats) -> None:
        self._stats = stats
        self._queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=BROADCAST_SLOTS)
        self._clients: dict[str, StreamClient] = {}
        self._task: asyncio.Task[None] | None = None

    @property
    def clients(self) -> list[StreamClient]:
        return list(self._clients.values())

    @property
    def backlog(self) -> int:
        """Messages waiting in the broadcast channel."""
        return self._queue.qsize()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="sse-broker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def register(self, client: StreamClient) -> None:
        self._clients[client.id] = client
        log.info("SSE client connected: %s (total %d)", client.id, len(self._clients))

    def unregister(self, client: StreamClient) -> None:
        if self._clients.pop(client.id, None) is not None:
            log.info("SSE client disconnected: %s (total %d)", client.id, len(self._clients))

    def publish(self, message: bytes) -> bool:
        """``BroadcastNotification``: a non-blocking send; a full channel drops the message."""
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            self._stats.broker_dropped += 1
            log.warning("SSE broker broadcast channel full, notification dropped")
            return False
        return True

    async def _run(self) -> None:
        while True:
            message = await self._queue.get()
            for client in list(self._clients.values()):
                try:
                    client.queue.put_nowait(message)
                    continue
                except asyncio.QueueFull:
                    pass
                try:
                    await asyncio.wait_for(client.queue.put(message), SLOW_CLIENT_WAIT)
                except TimeoutError:
                    self._stats.slow_client_skips += 1
                    log.warning("Slow client detected: %s, skipping event", client.id)
