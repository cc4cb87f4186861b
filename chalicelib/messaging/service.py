"""Messaging use cases: sending with contiguous per-room sequence numbers, history, resync.

Sequence numbers are assigned optimistically: read the room's last number (strongly
consistent Query, newest first, limit 1) and write ``last + 1`` with a condition that it does
not exist yet, in one transaction with the sender's ``client_id`` record. A concurrent sender
that loses the race retries with the next number. So numbers are contiguous (no gaps), and a
number becomes visible only after every smaller one — a client resuming "after N" never skips
a message that was still being written. A resent ``client_id`` finds its record and gets the
original ``ack`` (durably, hours later too) instead of a second message.
"""

from __future__ import annotations

import random
import time
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError

from chalicelib.core import clock
from chalicelib.core.db import bind_models, transaction
from chalicelib.core.errors import Conflict, ValidationFailed
from chalicelib.core.observability import metrics
from chalicelib.messaging.models import ClientIdModel, MessageModel
from chalicelib.messaging.schemas import HistoryQuery, NewMessage
from chalicelib.messaging.views import message_view

SYSTEM_SENDER = "system"
MAX_ATTEMPTS = 60
REPLAY_LIMIT = 200


def last_sequence(room_id: str) -> int:
    """The room's newest sequence number (0 for an empty room)."""
    for item in MessageModel.query(room_id, scan_index_forward=False, limit=1, consistent_read=True,
                                   attributes_to_get=["room_id", "sequence_number"]):
        return int(item.sequence_number)
    return 0


def _backoff(attempt: int) -> None:
    """Full jitter, capped: concurrent senders spread out instead of colliding again."""
    time.sleep(random.uniform(0, min(0.25, 0.01 * 2 ** min(attempt, 6))))


def _put_next(room_id: str, build: Any) -> MessageModel:
    """Write ``build(seq)`` at the next free sequence number (retrying lost races)."""
    for attempt in range(MAX_ATTEMPTS):
        record: MessageModel = build(last_sequence(room_id) + 1)
        try:
            record.save(condition=MessageModel.sequence_number.does_not_exist())
            return record
        except PutError:
            _backoff(attempt)
    raise Conflict("The room is too busy; try again")


def append_system_event(room_id: str, event: str, user_id: str, **data: Any) -> dict[str, Any]:
    """Persist a system event in the room's history; the stream fans it out as a ``system`` frame."""
    bind_models()
    now = clock.iso()
    content = {"event": event, "user_id": user_id, **data}

    def build(seq: int) -> MessageModel:
        return MessageModel(room_id, seq, message_id=clock.new_id(), sender_id=SYSTEM_SENDER,
                            message_type="system", content=content, created_at=now, updated_at=now)

    _put_next(room_id, build)
    return content


def _ack(client_id: str, message_id: str, seq: int, created_at: str) -> dict[str, Any]:
    return {"type": "ack", "client_id": client_id, "message_id": message_id,
            "sequence_number": seq, "created_at": created_at}


def _previous(room_id: str, key: str) -> ClientIdModel | None:
    try:
        return ClientIdModel.get(room_id, key, consistent_read=True)
    except DoesNotExist:
        return None


def send_message(sender_id: str, body: NewMessage, members: set[str]) -> dict[str, Any]:
    """Store a message exactly once per ``client_id``; returns the ``ack`` frame."""
    bind_models()
    key = f"{sender_id}#{body.client_id.lower()}"
    earlier = _previous(body.room_id, key)
    if earlier is not None:
        return _ack(body.client_id, earlier.message_id, int(earlier.sequence_number), earlier.created_at)
    mentions = [m for m in body.mentions if m in members and m != sender_id]
    for attempt in range(MAX_ATTEMPTS):
        seq = last_sequence(body.room_id) + 1
        now = clock.iso()
        message = MessageModel(
            body.room_id, seq, message_id=clock.new_id(), client_id=body.client_id, sender_id=sender_id,
            message_type=body.message_type, content=body.content, mentions=mentions, file_id=body.file_id,
            created_at=now, updated_at=now,
        )
        marker = ClientIdModel(body.room_id, key, message_id=message.message_id, sequence_number=seq,
                               created_at=now)
        try:
            with transaction() as tx:
                tx.save(message, condition=MessageModel.sequence_number.does_not_exist())
                tx.save(marker, condition=ClientIdModel.client_key.does_not_exist())
        except TransactWriteError as exc:
            reasons = [getattr(r, "code", None) if r else None for r in (exc.cancellation_reasons or [])]
            if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                earlier = _previous(body.room_id, key)
                if earlier is not None:
                    return _ack(body.client_id, earlier.message_id, int(earlier.sequence_number), earlier.created_at)
            _backoff(attempt)
            continue
        metrics.add_metric(name="MessagesSent", unit="Count", value=1)
        return _ack(body.client_id, message.message_id, seq, now)
    raise Conflict("The room is too busy; try again")


def history(room_id: str, query: HistoryQuery) -> dict[str, Any]:
    """Newest first (``before`` a sequence number), or oldest first ``after_seq`` for resync."""
    bind_models()
    if query.after_seq is not None:
        items = list(MessageModel.query(room_id, MessageModel.sequence_number > query.after_seq,
                                        limit=query.limit + 1, consistent_read=True))
        more = len(items) > query.limit
        items = items[: query.limit]
        return {"messages": [message_view(m) for m in items], "has_more": more,
                "next_before": None, "next_after_seq": int(items[-1].sequence_number) if items and more else None}
    condition = MessageModel.sequence_number < query.before if query.before is not None else None
    items = list(MessageModel.query(room_id, condition, scan_index_forward=False, limit=query.limit + 1))
    more = len(items) > query.limit
    items = items[: query.limit]
    return {"messages": [message_view(m) for m in items], "has_more": more,
            "next_before": int(items[-1].sequence_number) if items and more else None}


def replay(room_id: str, after_seq: int, changed_since: str | None) -> tuple[list[dict[str, Any]], bool]:
    """What a resubscribing client missed: new messages after ``after_seq`` and messages
    changed since ``changed_since`` (edits, deletions, reactions). Oldest first; capped."""
    new = list(MessageModel.query(room_id, MessageModel.sequence_number > after_seq,
                                  limit=REPLAY_LIMIT + 1, consistent_read=True))
    truncated = len(new) > REPLAY_LIMIT
    views = [message_view(m) for m in new[:REPLAY_LIMIT]]
    if changed_since:
        seen = {v["message_id"] for v in views}
        for m in MessageModel.by_update.query(room_id, MessageModel.updated_at >= changed_since,
                                              limit=REPLAY_LIMIT, consistent_read=True):
            if int(m.sequence_number) <= after_seq and m.message_id not in seen:
                views.append(message_view(m))
    return views, truncated


def require_ready_file(room_id: str, file_id: str | None) -> None:
    """An ``image_ref`` / ``file_ref`` must point at a completed upload of this room."""
    from chalicelib.files import service as files  # lazy: files → rooms → messaging

    if not files.is_ready_file(room_id, file_id):
        raise ValidationFailed("Unknown file for this room",
                               details=[{"field": "file_id", "message": "not a completed file of this room"}])
