"""Changing messages: edit (sender, 15 min), soft delete (sender, OWNER, admin), reactions.

Every change bumps the message's ``version`` and ``updated_at`` (so a resuming client gets it)
and goes out through the Messages stream as ``message_edited`` / ``message_deleted`` /
``reaction_added`` / ``reaction_removed``. Edits and deletions keep the content before and
after in the audit log.
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.core import clock
from chalicelib.core.db import condition_failed
from chalicelib.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chalicelib.messaging.models import AuditModel
from chalicelib.messaging.schemas import validate_content
from chalicelib.timeline import ids
from chalicelib.timeline.models import MessageModel

EDIT_WINDOW = 15 * 60  # seconds
MAX_DISTINCT_REACTIONS = 20


def find_message(room_id: str, message_id: str) -> MessageModel:
    """A room's message by id: GetItem at the sequence number the id names (``timeline.ids``),
    or, for a message stored before those ids, a Query on the room's ``message-id-index``."""
    wanted = message_id.lower()
    seq = ids.sequence_of(room_id, wanted)
    if seq is None:
        for key in MessageModel.by_id.query(room_id, MessageModel.stored_message_id == wanted, limit=1):
            seq = int(key.sequence_number)
    if seq is not None:
        try:
            message = MessageModel.get(room_id, seq, consistent_read=True)
        except DoesNotExist:
            pass
        else:
            if message.message_id == wanted:
                return message
    raise NotFound("Message not found")


def _audit(message: MessageModel, action: str, actor: str, at: str, before: Any, after: Any, version: int) -> None:
    AuditModel(message.room_id, f"{at}#{message.message_id}#{version:06d}", action=action,
               message_id=message.message_id, actor_id=actor, at=at, before=before, after=after).save()


def edit_message(user_id: str, room_id: str, message_id: str, content: Any) -> None:
    """The sender changes their own message within 15 minutes."""
    message = find_message(room_id, message_id)
    if message.sender_id != user_id:
        raise Forbidden("Only the sender may edit a message")
    if message.deleted_at is not None:
        raise Forbidden("A deleted message cannot be edited")
    if message.message_type == "system":
        raise Forbidden("System events cannot be edited")
    now = clock.now()
    if now - clock.parse_iso(message.created_at) > EDIT_WINDOW:
        raise Forbidden("Messages can be edited for 15 minutes")
    content = validate_content(message.message_type, content)
    if content == message.content:
        return
    at = clock.iso(now)
    version = int(message.version)
    before = message.content
    try:
        message.update(actions=[MessageModel.content.set(content), MessageModel.edited_at.set(at),
                                MessageModel.updated_at.set(at), MessageModel.version.add(1)],
                       condition=(MessageModel.version == version) & MessageModel.deleted_at.does_not_exist())
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        raise Conflict("The message changed meanwhile; try again") from None
    _audit(message, "edit", user_id, at, before, content, version + 1)


def delete_message(user_id: str, is_owner: bool, room_id: str, message_id: str) -> None:
    """Soft delete by the sender, the room's OWNER or an administrator (idempotent)."""
    message = find_message(room_id, message_id)
    if message.sender_id != user_id and not is_owner:
        raise Forbidden("Only the sender or the room owner may delete a message")
    if message.message_type == "system":
        raise Forbidden("System events cannot be deleted")
    if message.deleted_at is not None:
        return
    at = clock.iso()
    before = message.content
    version = int(message.version)
    try:
        message.update(actions=[MessageModel.deleted_at.set(at), MessageModel.deleted_by.set(user_id),
                                MessageModel.updated_at.set(at), MessageModel.version.add(1)],
                       condition=MessageModel.deleted_at.does_not_exist())
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        return  # deleted meanwhile
    _audit(message, "delete", user_id, at, before, None, version + 1)


def validate_emoji(value: str) -> str:
    """Exactly one emoji (ZWJ and skin-tone sequences included), nothing else."""
    import emoji as emoji_lib  # imported on first use: keeps the Lambda cold start lean

    if not isinstance(value, str) or not value or len(value) > 32 or not emoji_lib.is_emoji(value):
        raise ValidationFailed("emoji must be a single emoji", details=[{"field": "emoji", "message": "not an emoji"}])
    return value


def react(user_id: str, room_id: str, message_id: str, emoji: str, add: bool) -> None:
    """Add or remove the caller's reaction; idempotent per user and emoji."""
    emoji = validate_emoji(emoji)
    message = find_message(room_id, message_id)
    if message.deleted_at is not None:
        raise Conflict("The message was deleted")
    if message.message_type == "system":
        raise Forbidden("System events take no reactions")
    current = message.reactions.as_dict() if message.reactions else {}
    if add and emoji not in current and len(current) >= MAX_DISTINCT_REACTIONS:
        raise Conflict("Too many different reactions on this message")
    path = MessageModel.reactions[emoji]
    at = clock.iso()
    changes = [path.add({user_id}) if add else path.delete({user_id}),
               MessageModel.updated_at.set(at), MessageModel.version.add(1)]
    condition = ~path.contains(user_id) if add else path.contains(user_id)
    try:
        message.update(actions=changes, condition=condition & MessageModel.deleted_at.does_not_exist())
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        return  # already in that state (or deleted meanwhile): nothing changes, nothing is sent
