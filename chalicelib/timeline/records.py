"""The Messages table's stream records, read the same way by each of its consumers."""

from __future__ import annotations

from typing import Any

from chalicelib.timeline.models import MessageModel


def images(record: dict[str, Any]) -> tuple[MessageModel | None, MessageModel | None]:
    """``(new, old)``: the record's message after and before the change (``None`` when absent)."""
    change = record.get("dynamodb", {})
    new, old = change.get("NewImage"), change.get("OldImage")
    return (MessageModel.from_raw_data(new) if new else None, MessageModel.from_raw_data(old) if old else None)


def room_of(record: dict[str, Any]) -> str:
    """The room a record is about (its partition key)."""
    return str(record.get("dynamodb", {}).get("Keys", {}).get("room_id", {}).get("S", ""))
