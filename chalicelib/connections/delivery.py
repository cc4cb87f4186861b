"""Delivering one frame to a room's subscribers or to one user's connections.

Both Query an index (never Scan), post in parallel, forget connections that answer 410 Gone,
and raise :class:`DeliveryFailed` for other failures so the stream record is retried.

A large room is fanned out in parallel: beyond ``FANOUT_CHUNK_SIZE`` connections, the rest are
put on the fan-out queue in chunks of that size first (one SQS message each, handled by parallel
invocations of ``fanout_chunks``), then this invocation posts the first chunk itself — so the
time to reach everyone does not grow with one Lambda's loop. A chunk that fails is retried by
the queue; clients drop a frame they already have (by sequence number and version).
"""

from __future__ import annotations

import json
import time
from typing import Any

from chalicelib.connections import sender
from chalicelib.connections.service import forget_connection, room_connection_ids, user_connection_ids
from chalicelib.core import sqs
from chalicelib.core.observability import add_metric
from chalicelib.core.settings import Settings, get_settings


def fanout_queue_name(settings: Settings) -> str:
    """The fan-out queue's name (the template creates it; the local gateway serves it)."""
    return f"{settings.table_prefix}-fanout"


class DeliveryFailed(Exception):
    """Some connections could not be reached for a reason other than 410 Gone."""


class RoomSubscribers:
    """A stream batch's view of its rooms' subscribed connections: one Query per room per batch,
    not per record. Safe because the batch is read after its records were written, and a client
    that subscribes later gets those records in its subscription's replay."""

    def __init__(self) -> None:
        self._ids: dict[str, list[str]] = {}

    def of(self, room_id: str) -> list[str]:
        if room_id not in self._ids:
            self._ids[room_id] = room_connection_ids(room_id)
        return self._ids[room_id]

    def forget(self, room_id: str, gone: list[str]) -> None:
        if gone and room_id in self._ids:
            dropped = set(gone)
            self._ids[room_id] = [c for c in self._ids[room_id] if c not in dropped]


def _deliver(connection_ids: list[str], frame: dict[str, Any]) -> list[str]:
    """Post to the connections; returns the gone ones (forgotten)."""
    started = time.perf_counter()
    gone, failed = sender.post_many(connection_ids, frame)
    for connection_id in gone:
        forget_connection(connection_id)
    add_metric("FanoutDeliveries", unit="Count", value=len(connection_ids) - len(failed) - len(gone))
    add_metric("FanoutDurationMs", unit="Milliseconds", value=(time.perf_counter() - started) * 1000)
    if failed:
        add_metric("FanoutFailures", unit="Count", value=len(failed))
        raise DeliveryFailed(f"{len(failed)} connection(s) failed")
    return gone


def deliver_to_room(room_id: str, frame: dict[str, Any], subscribers: RoomSubscribers | None = None) -> None:
    """Every connection subscribed to the room (chunks beyond the first on the fan-out queue);
    ``subscribers`` shares one Query among a stream batch's records of the room."""
    ids = subscribers.of(room_id) if subscribers is not None else room_connection_ids(room_id)
    settings = get_settings()
    size = max(1, settings.fanout_chunk_size)
    if len(ids) > size and settings.fanout_queue_url:
        for start in range(size, len(ids), size):
            sqs.send(settings.fanout_queue_url, {"room_id": room_id, "frame": frame,
                                                 "connection_ids": ids[start:start + size]})
        add_metric("FanoutChunksQueued", unit="Count", value=(len(ids) - 1) // size)
        ids = ids[:size]
    gone = _deliver(ids, frame)
    if subscribers is not None:
        subscribers.forget(room_id, gone)


def handle_chunk_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The fan-out queue's consumer: each message is one frame and up to ``FANOUT_CHUNK_SIZE``
    connections; a chunk with failed posts comes back as a ``batchItemFailures`` entry."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    if not event.get("Records"):
        return {"batchItemFailures": []}
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    def record_handler(record: Any) -> None:  # an SQSRecord
        body = json.loads(record.body)
        _deliver([str(c) for c in body["connection_ids"]], body["frame"])

    return dict(process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                         context=context))


def deliver_to_user(user_id: str, frame: dict[str, Any]) -> None:
    """Every open connection of one user."""
    _deliver(user_connection_ids(user_id), frame)
