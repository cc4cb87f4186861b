"""Incident report export (plant-and-reports.md): Markdown and PDF per room for any member. The
PDF embeds the Noto Sans TC subset; its text (pypdf) holds the Chinese title, the root cause and
every message that was not deleted; photo thumbnails come from storage."""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

import pytest
from pypdf import PdfReader

from chalicelib.exports import pdf as pdf_renderer
from chalicelib.exports.report import Entry, Report
from chalicelib.messaging import service as messaging
from chalicelib.messaging.schemas import MessageType, NewMessage
from chalicelib.rooms.models import RoomModel
from chalicelib.timeline.models import MessageModel
from tests.builders import ROLES, Api, Files, bearer, png_bytes

EDITOR = "chen.editor@panjit.com.tw"
LIVE = ["回焊爐第5區溫度262°C，超過上限", "已暫停進板，等待設備課", "Heater relay replaced 更換繼電器"]
GONE = "這則訊息會被刪除 secret-deleted-text"


def _send(room: str, content: Any, message_type: MessageType = "text") -> int:
    body = NewMessage(room_id=room, client_id=str(uuid.uuid4()), message_type=message_type, content=content)
    return int(messaging.send_message(EDITOR, body, set())["sequence_number"])


def _history(room: str) -> None:
    """Three live messages (one edited), a deleted one, two readings and a root cause."""
    first = [_send(room, text) for text in LIVE][0]
    gone = _send(room, GONE)
    _send(room, {"temperature_c": 262.5, "conveyor_speed": 1.2}, "incident_data")
    _send(room, {"temperature_c": 241.0, "conveyor_speed": 1.1}, "incident_data")
    record = MessageModel.get(room, gone)
    record.update(actions=[MessageModel.deleted_at.set("2026-11-30T02:00:00Z"), MessageModel.deleted_by.set(EDITOR)])
    MessageModel.get(room, first).update(actions=[MessageModel.edited_at.set("2026-11-30T02:01:00Z")])
    RoomModel.get(room).update(actions=[RoomModel.root_cause_code.set("RC-HEATER-RELAY"),
                                        RoomModel.downtime_minutes.set(42)])


def _get(api: Api, role: str | None, path: str, accept: str = "*/*") -> Any:
    headers = {"Accept": accept, **(bearer(api.tokens[role]) if role else {})}
    return api.client.http.get(path, headers=headers)


def _flat(text: str) -> str:
    """pypdf puts spaces (and NULs) between CJK glyphs: compare without them."""
    return re.sub(r"[\s\x00]", "", text)


def _pdf_text(body: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(body))
    return _flat("".join(page.extract_text() for page in reader.pages)), reader


def test_pdf_holds_title_root_cause_and_every_live_message_and_embeds_the_font(api: Api, room: str) -> None:
    catalog = api.call("admin", "POST", "/event-codes", {
        "code": "E-OVERTEMP", "name": "爐溫過高", "incident_type": "equipment_failure", "default_severity": "high",
        "root_causes": [{"code": "RC-HEATER-RELAY", "name": "加熱繼電器故障"}]})
    assert catalog.status_code == 201, catalog.body
    RoomModel.get(room).update(actions=[RoomModel.event_code.set("E-OVERTEMP")])
    _history(room)
    response = _get(api, "viewer", f"/rooms/{room}/report?format=pdf", accept="application/pdf")
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"] == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.body[:5] == b"%PDF-"
    text, reader = _pdf_text(response.body)
    assert _flat("Line 3 回焊爐溫度異常") in text
    assert "RC-HEATER-RELAY" in text and _flat("加熱繼電器故障") in text and "42min" in text
    assert _flat("E-OVERTEMP 爐溫過高") in text
    for message in LIVE:
        assert _flat(message) in text, message
    assert "secret-deleted-text" not in text and _flat("訊息已刪除") in text
    assert _flat("已編輯") in text  # the edited message is marked
    assert "temperature_c" in text  # the incident-data chart's legend
    fonts: list[Any] = [page["/Resources"]["/Font"] for page in reader.pages]  # type: ignore[index]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
                   for page in fonts for f in page.values()]
    assert descriptors and all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors)


def test_markdown_marks_edits_and_deletions_and_lists_the_header(api: Api, room: str) -> None:
    _history(room)
    response = _get(api, "owner", f"/rooms/{room}/report?format=md")
    assert response.status_code == 200, response.body
    assert response.headers["Content-Type"].startswith("text/markdown")
    text = response.body.decode("utf-8")
    assert text.startswith("# Line 3 回焊爐溫度異常\n")
    assert "RC\\-HEATER\\-RELAY" in text or "RC-HEATER-RELAY" in text
    for message in LIVE:
        assert message in text
    assert "secret-deleted-text" not in text and "訊息已刪除" in text and "已編輯" in text
    assert "| 停機 Downtime | 42 min |" in text
    assert "temperature\\_c (2): 262.5, 241" in text


def test_photos_come_from_storage_as_thumbnails(api: Api, room: str, files: Files) -> None:
    _, completed = files.upload("editor", "爐內照片.png", "image/png", png_bytes((640, 480)))
    assert completed.status_code == 200, completed.body
    response = _get(api, "editor", f"/rooms/{room}/report", accept="application/pdf")
    assert response.status_code == 200, response.body
    text, reader = _pdf_text(response.body)
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 1 and _flat("爐內照片.png") in text
    markdown = _get(api, "editor", f"/rooms/{room}/report?format=md").body.decode("utf-8")
    assert "爐內照片.png" in markdown


@pytest.mark.parametrize("role", ROLES)
def test_any_member_exports_others_are_refused_like_every_room_route(api: Api, room: str, role: str) -> None:
    expected = api.call(role, "GET", f"/rooms/{room}").status_code
    for fmt in ("md", "pdf"):
        response = _get(api, role, f"/rooms/{room}/report?format={fmt}")
        assert response.status_code == expected, (role, fmt, response.body[:200])
        if expected != 200:
            assert response.json_body["error"]["code"] in ("forbidden", "not_found")
    assert expected == (403 if role == "outsider" else 200)


def test_no_token_unknown_rooms_and_bad_formats_are_4xx(api: Api, room: str) -> None:
    assert _get(api, None, f"/rooms/{room}/report").status_code == 401
    assert _get(api, "admin", f"/rooms/{uuid.uuid4()}/report").status_code == 404
    assert _get(api, "admin", "/rooms/not-a-room/report").status_code == 404
    for query in ("format=docx", "format=", "format=PDF", "format=md&x=1", "format=%00"):
        response = _get(api, "admin", f"/rooms/{room}/report?{query}")
        assert response.status_code == 400, (query, response.body)
        assert response.json_body["error"]["code"] == "validation_error"


def test_hostile_content_renders_without_tofu_or_failure() -> None:
    report = Report(room={"title": "標題 <script>\u202e 😀", "false_alarm": True}, place={"line": "L3"})
    report.entries = [Entry(seq=1, at="2026-11-30T01:00:00Z", sender="x@y", kind="text", text="x" * 3000 + "\n" * 20),
                      Entry(seq=2, at="", sender="", kind="system", text="𠀀𪚥 emoji 🔥 \x7f"),
                      Entry(seq=3, at="2026-11-30T01:00:00Z", sender="a", kind="text", text="表" * 2000)]
    report.series = {"flat": [("t", 5.0)], "neg": [("a", -1e15), ("b", 1e15)]}
    report.photos = [{"file_id": "1", "filename": "broken.webp", "thumbnail_key": "k"}]
    body = pdf_renderer.render(report, lambda key: b"not an image")
    text, _ = _pdf_text(body)
    assert _flat("誤報") in text and _flat("標題") in text and "xxxx" in text
