"""Messaging use cases: sending (through the timeline), history and resync after a reconnect."""

from __future__ import annotations

from typing import Any

from chalicelib.messaging.schemas import HistoryQuery, NewMessage
from chalicelib.timeline import service as timeline
from chalicelib.timeline.models import MessageModel
from chalicelib.timeline.views import message_view

REPLAY_LIMIT = 200


def send_message(sender_id: str, body: NewMessage, members: set[str]) -> dict[str, Any]:
    """Store a message exactly once per ``client_id`` (mentions kept only for members other
    than the sender); returns the ``ack`` frame."""
    mentions = [m for m in body.mentions if m in members and m != sender_id]
    return timeline.store_message(sender_id, body, mentions)


def history(room_id: str, query: HistoryQuery) -> dict[str, Any]:
    """Newest first (``before`` a sequence number), or oldest first ``after_seq`` for resync."""
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
