"""``image_ref`` / ``file_ref`` messages must point at a completed file of their own room."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.files import storage
from chalicelib.timeline.models import MessageModel
from tests.unit.test_files import Files, png_bytes
from tests.unit.test_messaging import _msg, _open, last
from tests.unit.test_realtime_connection import send
from tests.unit.test_rooms_permissions import Api


@pytest.fixture
def api(client: Any) -> Api:
    storage.ensure_bucket()
    return Api(client)


def test_file_refs_need_a_completed_file_of_the_room(api: Api, management_api: Any) -> None:
    room, other = api.standard_room(), api.standard_room()
    files, elsewhere = Files(api, room), Files(api, other)
    ready, _ = files.upload("editor", "defect.png", "image/png", png_bytes())
    pending, _ = files.upload("editor", "later.png", "image/png", png_bytes(), complete=False)
    foreign, _ = elsewhere.upload("editor", "other.png", "image/png", png_bytes())
    gone, _ = files.upload("editor", "gone.txt", "text/plain", b"abc")
    assert api.call("editor", "DELETE", f"/rooms/{room}/files/{gone}").status_code == 204
    _open(api, "editor", "e")
    for message_type, file_id in [("image_ref", foreign), ("image_ref", pending), ("file_ref", gone),
                                  ("file_ref", "00000000-0000-4000-8000-000000000000")]:
        send("e", json.dumps(_msg(room, "看這張", message_type=message_type, file_id=file_id)))
        error = last(management_api, "e")
        assert error["type"] == "error" and error["code"] == "validation_error", (message_type, file_id)
        assert error["message"] == "Unknown file for this room"
    send("e", json.dumps(_msg(room, "Line 3 缺陷照片", message_type="image_ref", file_id=ready)))
    ack = last(management_api, "e")
    assert ack["type"] == "ack", ack
    stored = [m for m in MessageModel.query(room) if m.message_type == "image_ref"]
    assert [m.file_id for m in stored] == [ready]
