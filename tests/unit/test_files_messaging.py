"""``image_ref`` / ``file_ref`` messages must point at a completed file of their own room."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.timeline.models import MessageModel
from tests.builders import Api, Files, last_frame, message_frame, open_socket, png_bytes, send

pytestmark = pytest.mark.usefixtures("bucket")  # the files bucket exists


def test_file_refs_need_a_completed_file_of_the_room(api: Api, management_api: Any) -> None:
    room, other = api.standard_room(), api.standard_room()
    files, elsewhere = Files(api, room), Files(api, other)
    ready, _ = files.upload("editor", "defect.png", "image/png", png_bytes())
    pending, _ = files.upload("editor", "later.png", "image/png", png_bytes(), complete=False)
    foreign, _ = elsewhere.upload("editor", "other.png", "image/png", png_bytes())
    gone, _ = files.upload("editor", "gone.txt", "text/plain", b"abc")
    assert api.call("editor", "DELETE", f"/rooms/{room}/files/{gone}").status_code == 204
    open_socket(api, "editor", "e")
    for message_type, file_id in [("image_ref", foreign), ("image_ref", pending), ("file_ref", gone),
                                  ("file_ref", "00000000-0000-4000-8000-000000000000")]:
        send("e", json.dumps(message_frame(room, "看這張", message_type=message_type, file_id=file_id)))
        error = last_frame(management_api, "e")
        assert error["type"] == "error" and error["code"] == "validation_error", (message_type, file_id)
        assert error["message"] == "Unknown file for this room"
    send("e", json.dumps(message_frame(room, "Line 3 缺陷照片", message_type="image_ref", file_id=ready)))
    ack = last_frame(management_api, "e")
    assert ack["type"] == "ack", ack
    stored = [m for m in MessageModel.query(room) if m.message_type == "image_ref"]
    assert [m.file_id for m in stored] == [ready]
