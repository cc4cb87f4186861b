"""The full-text index (``search-terms``), kept from the Messages stream by its own consumer.

``search_index`` (``app.py``) is the stream's second event source beside the fan-out, so a slow
or failing index write never delays or repeats a delivery. One small entry per (room, term,
message), newest first (``messaging.search`` reads it). A batch's changes are merged — a later
record of the same message wins — and written with BatchWriteItem, 25 entries a call: a burst
costs a few calls, not one per message. Writes are idempotent, so a retried batch is harmless.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core.observability import logger
from chalicelib.messaging.models import SearchTermModel
from chalicelib.messaging.text import index_terms
from chalicelib.timeline.models import MessageModel
from chalicelib.timeline.records import images

SEARCHABLE_TYPES = {"text", "image_ref", "file_ref"}

Changes = dict[tuple[str, str], SearchTermModel | None]  # (room#term, position) → entry to write, or None: delete


def searchable_text(message: MessageModel | None) -> str:
    """The text a message is found by ("" when it is not searchable, e.g. deleted)."""
    if message is None or message.deleted_at is not None or message.message_type not in SEARCHABLE_TYPES:
        return ""
    return message.content if isinstance(message.content, str) else ""


def term_changes(old: MessageModel | None, new: MessageModel | None) -> Changes:
    """The entries one change of a message adds (the entry) and removes (``None``)."""
    before = index_terms(searchable_text(old)) if old is not None else set()
    after = index_terms(searchable_text(new)) if new is not None else set()
    current = new or old
    if current is None or before == after:
        return {}
    position = f"{current.created_at}#{int(current.sequence_number):012d}"
    changes: Changes = {(f"{current.room_id}#{term}", position): None for term in before - after}
    for term in after - before:
        changes[(f"{current.room_id}#{term}", position)] = SearchTermModel(
            f"{current.room_id}#{term}", position, room_id=current.room_id,
            sequence_number=int(current.sequence_number))
    return changes


def write(changes: Changes) -> None:
    """Apply merged changes (one operation per entry: BatchWriteItem refuses a key twice)."""
    if not changes:
        return
    with SearchTermModel.batch_write() as batch:
        for (key, position), entry in changes.items():
            if entry is None:
                batch.delete(SearchTermModel(key, position))
            else:
                batch.save(entry)


def reindex(old: MessageModel | None, new: MessageModel | None) -> None:
    """Bring the index in line with one change."""
    write(term_changes(old, new))


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The stream consumer; answers ``batchItemFailures``. A record that cannot be read is
    reported with every record after it (the stream resumes from it; the changes before it are
    written); a failed write reports the whole batch."""
    records = list(event.get("Records") or [])
    changes: Changes = {}
    failed_from = len(records)
    for index, record in enumerate(records):
        if record.get("eventName") not in ("INSERT", "MODIFY"):
            continue
        try:
            new, old = images(record)
            changes.update(term_changes(old, new))
        except Exception:  # noqa: BLE001 - reported as a partial batch failure
            logger.exception("search index: unreadable stream record", extra={"event_id": record.get("eventID")})
            failed_from = index
            break
    try:
        write(changes)
    except Exception:  # noqa: BLE001 - reported: the stream retries the batch
        logger.exception("search index: writing the batch failed", extra={"entries": len(changes)})
        failed_from = 0
    return {"batchItemFailures": [{"itemIdentifier": str(r.get("dynamodb", {}).get("SequenceNumber"))}
                                  for r in records[failed_from:]]}
