"""Message ids that name their place in the room.

A message id is a UUID of version 8 (RFC 9562, "custom") made of the room and the message's
sequence number: 60 bits of a hash of the room id and the 62-bit sequence number. So the server
finds a message from its id with one GetItem on the table's key — no index entry is written
for it (an index entry is a write unit per message, doubled by the send's transaction).

Messages stored before these ids keep their random (version 4) ids in the ``message_id``
attribute and are found through the ``message-id-index`` as before. An id says nothing a
member cannot already see (the room and the sequence number are in every message), and every
access still checks membership.
"""

from __future__ import annotations

import hashlib
import uuid

_SEQ_BITS = 62
_SEQ_MASK = (1 << _SEQ_BITS) - 1
_VERSION = 8
_VARIANT = 0b10


def _room_bits(room_id: str) -> tuple[int, int]:
    """The room's 60 hash bits, split as the UUID layout needs them (48 high, 12 low)."""
    digest = int.from_bytes(hashlib.blake2b(room_id.encode(), digest_size=8).digest(), "big") >> 4
    return digest >> 12, digest & 0xFFF


def message_id(room_id: str, sequence_number: int) -> str:
    """The id of the room's message at ``sequence_number`` (lower-case UUID text)."""
    if not 0 < sequence_number <= _SEQ_MASK:
        raise ValueError("sequence number out of range")
    high, low = _room_bits(room_id)
    value = (high << 80) | (_VERSION << 76) | (low << 64) | (_VARIANT << 62) | sequence_number
    return str(uuid.UUID(int=value))


def sequence_of(room_id: str, message_id_text: str) -> int | None:
    """The sequence number a version-8 id names in this room, or ``None`` (an older random id,
    another room's id, or not a UUID at all)."""
    try:
        value = uuid.UUID(message_id_text).int
    except ValueError:
        return None
    if (value >> 76) & 0xF != _VERSION or (value >> 62) & 0b11 != _VARIANT:
        return None
    high, low = _room_bits(room_id)
    if value >> 80 != high or (value >> 64) & 0xFFF != low:
        return None
    seq = value & _SEQ_MASK
    return seq or None
