"""Spec-correct, size-capped incremental Server-Sent-Events decoder (WHATWG HTML §9.2.6).

Why this wrapper exists: we reuse httpx-sse's line splitter (``SSELineDecoder``: CR, LF, CRLF
only) and field state machine (``SSEDecoder``), but httpx-sse 0.4.3 deviates from the spec in
ways that hurt a payment monitor (see the project's SSE client rules, §3.2), so this module
fixes them around the library:

* bytes are decoded here as UTF-8 (``utf-8-sig``: exactly one leading BOM dropped, also when
  split across chunks; bad bytes → U+FFFD); the ``charset`` header is never consulted;
* a blank line fires an event only if the block had a ``data`` field -- httpx-sse fires phantom
  empty events for id-/event-/retry-only blocks and for every keepalive after the first ``id``;
* ``retry`` is accepted only when all ASCII digits (httpx-sse uses ``int()``: ``-1``, ``+20``,
  ``١٢``) and is kept as stream state instead of being reported on one event only;
* the last event id is only what a *finished* block committed; the end of the stream (or
  ``close()``) drops the partial block and an unterminated last line (httpx-sse flushes it);
* a line ending in a lone CR at the end of a chunk completes at once (httpx-sse holds it back
  until more bytes arrive, delaying the event until the next keepalive);
* data per event and line length are capped (httpx-sse buffers without bound).
"""

from __future__ import annotations

import codecs
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from httpx_sse._decoders import SSEDecoder, SSELineDecoder  # private: pinned httpx-sse>=0.4.3,<0.5

if TYPE_CHECKING:
    import httpx

__all__ = ["EventStreamDecoder", "EventTooLargeError", "SSEEvent", "aiter_events"]

#: A line may exceed ``max_event_bytes`` by this many characters (room for ``data: ``), so an
#: event of exactly ``max_event_bytes`` fits however it is chunked.
LINE_OVERHEAD = 64
#: ``retry`` values with more significant digits than this saturate at ``RETRY_CEILING`` (ms).
RETRY_CEILING = 10**18


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched event (a block that had at least one ``data`` field)."""

    event: str  # "message" when no/empty event field
    data: str
    id: str  # last event id in effect when dispatched (sticky, like EventSource.lastEventId)
    retry: int | None  # persistent reconnection time (ms) in effect at dispatch, None if never set


class EventTooLargeError(Exception):
    """An event's data or a single line exceeded the cap: drop the connection and reconnect.

    ``events`` holds the complete events that preceded the offending one in the same ``feed()``
    call (they are valid and must still be delivered). No part of the oversized event is kept.
    """

    def __init__(self, message: str, events: list[SSEEvent] | None = None) -> None:
        super().__init__(message)
        self.events: list[SSEEvent] = events if events is not None else []


class EventStreamDecoder:
    """Incremental decoder: ``feed()`` bytes as they arrive, ``close()`` at end of stream.

    ``last_event_id`` and ``retry`` persist across ``close()``, so one decoder can follow a stream
    over reconnections (send ``last_event_id`` as ``Last-Event-ID``, wait ``retry`` ms).
    ``comments``/``last_comment`` count comment lines (keepalives) so callers can see liveness;
    ``last_comment`` is the text after the colon, one leading space removed.
    """

    def __init__(self, max_event_bytes: int = 1 << 20) -> None:
        self.max_event_bytes = max_event_bytes
        self.last_event_id: str = ""
        self.retry: int | None = None
        self.comments: int = 0
        self.last_comment: str | None = None
        self._max_line = max_event_bytes + LINE_OVERHEAD
        self.close()

    def close(self) -> list[SSEEvent]:
        """End of stream: discard the partial block and line; get ready for a new stream."""
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
        self._lines = SSELineDecoder()
        self._fields = SSEDecoder()
        self._fields._last_event_id = self.last_event_id  # id buffer starts at the committed id
        self._skip_lf = False  # the previous text ended in CR: a leading LF completes that CRLF
        self._pending = 0  # characters in the unterminated line
        self._data_size = 0  # UTF-8 bytes of this block's data, plus one per data line
        return []

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Decode a chunk; return the events it completed. Any chunking gives the same events."""
        text = self._utf8.decode(chunk)
        if self._skip_lf and text:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
        if not text:
            return []
        lines = self._lines.decode(text)
        if text[-1] == "\r":  # a CR ends a line now; do not wait to see whether LF follows
            lines += self._lines.flush()
            self._skip_lf = True
        buffer = self._lines.buffer  # pieces of the unterminated line; >1 only if text had no EOL
        if len(buffer) > 1:
            self._pending += len(text)
        else:
            self._pending = len(buffer[0]) if buffer else 0
        events: list[SSEEvent] = []
        try:
            for line in lines:
                event = self._process(line)
                if event is not None:
                    events.append(event)
            if self._pending > self._max_line:
                raise EventTooLargeError(f"unterminated line longer than {self._max_line} characters")
        except EventTooLargeError as err:
            err.events = events
            self.close()
            raise
        return events

    def _process(self, line: str) -> SSEEvent | None:
        if not line:  # blank line: dispatch
            fields = self._fields
            had_data = bool(fields._data)
            sse = fields.decode("")  # resets the data and event buffers; may be a phantom
            self.last_event_id = fields._last_event_id
            self._data_size = 0
            if sse is None or not had_data:
                return None
            return SSEEvent(sse.event, sse.data, self.last_event_id, self.retry)
        if len(line) > self._max_line:
            raise EventTooLargeError(f"line longer than {self._max_line} characters")
        first = line[0]
        if first == ":":
            self.comments += 1
            self.last_comment = line[2:] if line[1:2] == " " else line[1:]
            return None
        if first == "r" or first == "d":
            name, _, value = line.partition(":")
            if value[:1] == " ":
                value = value[1:]
            if name == "retry":
                if value.isascii() and value.isdigit():
                    digits = value.lstrip("0")
                    self.retry = int(digits or "0") if len(digits) <= 18 else RETRY_CEILING
                return None
            if name == "data":
                self._data_size += len(value.encode()) + 1
                if self._data_size - 1 > self.max_event_bytes:
                    raise EventTooLargeError(f"event data larger than {self.max_event_bytes} bytes")
        self._fields.decode(line)
        return None


async def aiter_events(
    response: httpx.Response, decoder: EventStreamDecoder | None = None
) -> AsyncIterator[SSEEvent]:
    """Iterate events from an already-checked streaming httpx response via response.aiter_bytes().

    Pass the same ``decoder`` for every reconnection to keep ``last_event_id`` and ``retry``. The
    decoder is closed (partial block dropped) when the body ends, fails or iteration stops.
    ``EventTooLargeError`` is raised after yielding the complete events that preceded it.
    """
    decoder = decoder if decoder is not None else EventStreamDecoder()
    try:
        async for chunk in response.aiter_bytes():
            try:
                events = decoder.feed(chunk)
            except EventTooLargeError as err:
                for event in err.events:
                    yield event
                raise
            for event in events:
                yield event
    finally:
        decoder.close()
