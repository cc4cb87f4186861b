"""Delivering one frame to a room's subscribers or to one user's connections.

Both Query an index (never Scan), post in parallel, forget connections that answer 410 Gone,
and raise :class:`DeliveryFailed` for other failures so the stream record is retried.
"""

from __future__ import annotations

import time
from typing import Any

from chalicelib.connections import sender
from chalicelib.connections.service import forget_connection, room_connection_ids, user_connection_ids
from chalicelib.core.observability import metrics


class DeliveryFailed(Exception):
    """Some connections could not be reached for a reason other than 410 Gone."""


def _deliver(connection_ids: list[str], frame: dict[str, Any]) -> None:
    started = time.perf_counter()
    gone, failed = sender.post_many(connection_ids, frame)
    for connection_id in gone:
        forget_connection(connection_id)
    metrics.add_metric(name="FanoutDeliveries", unit="Count", value=len(connection_ids) - len(failed) - len(gone))
    metrics.add_metric(name="FanoutDurationMs", unit="Milliseconds", value=(time.perf_counter() - started) * 1000)
    if failed:
        metrics.add_metric(name="FanoutFailures", unit="Count", value=len(failed))
        raise DeliveryFailed(f"{len(failed)} connection(s) failed")


def deliver_to_room(room_id: str, frame: dict[str, Any]) -> None:
    """Every connection subscribed to the room."""
    _deliver(room_connection_ids(room_id), frame)


def deliver_to_user(user_id: str, frame: dict[str, Any]) -> None:
    """Every open connection of one user."""
    _deliver(user_connection_ids(user_id), frame)
