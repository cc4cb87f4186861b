"""Message ids name the room and the sequence number (UUID version 8): found without an index."""

from __future__ import annotations

import re
import uuid

import pytest

from chalicelib.messaging.schemas import UUID_PATTERN
from chalicelib.timeline import ids

ROOM, OTHER = "6f1c1d43-7b7e-4c32-9a57-0d7f1b0c2a11", "0b0e2d10-1111-4c32-9a57-0d7f1b0c2a11"


@pytest.mark.parametrize("seq", [1, 2, 99, 10**9, 2**62 - 1])
def test_an_id_gives_back_its_sequence_number_in_its_room_only(seq: int) -> None:
    text = ids.message_id(ROOM, seq)
    parsed = uuid.UUID(text)
    assert parsed.version == 8 and parsed.variant == uuid.RFC_4122 and text == str(parsed)
    assert re.match(UUID_PATTERN, text)  # the frames' message_id pattern accepts it
    assert ids.sequence_of(ROOM, text) == seq
    assert ids.sequence_of(ROOM, text.upper()) == seq
    assert ids.sequence_of(OTHER, text) is None


def test_ids_differ_by_room_and_number() -> None:
    made = {ids.message_id(room, seq) for room in (ROOM, OTHER) for seq in range(1, 200)}
    assert len(made) == 2 * 199


@pytest.mark.parametrize("text", [str(uuid.uuid4()), "nope", "", "00000000-0000-8000-8000-000000000000",
                                  str(uuid.UUID(int=(8 << 76) | (0b10 << 62) | 5))])
def test_other_texts_name_no_sequence_number(text: str) -> None:
    assert ids.sequence_of(ROOM, text) is None


@pytest.mark.parametrize("seq", [0, -1, 2**62])
def test_numbers_outside_the_id_are_refused(seq: int) -> None:
    with pytest.raises(ValueError):
        ids.message_id(ROOM, seq)
