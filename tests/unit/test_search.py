"""Full-text search: CJK substrings, English words, numbers, mixed; membership; edits/deletes."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import quote

import pytest

import app as app_module
from tests.builders import Api, last_frame, message_frame, open_socket, send

CORPUS = [
    "設備溫度上升到85度", "Line 3 回焊爐溫度異常，已通知設備課", "溫度恢復正常 temperature back to normal",
    "LINE 3 wire bonder stopped", "pipeline cleaning done", "錫膏 SAC305 缺料，預計 14:00 斷線",
    "Temperature alarm on Line 3 again", "請確認 85 度是否超規", "溫控器 TC-12 更換完成", "良率 97.5% 回升",
    "度假中 out of office", "The line is down", "3 號機溫度 OK",
]
QUERIES = ["溫度", "度", "line", "LINE 3", "Line 3 溫度", "85", "sac305", "temperature", "溫度 OK", "設備",
           "97.5", "tc-12", "不存在", "line 溫度 85"]


def oracle(content: str, q: str) -> bool:
    """Independent ground truth: CJK runs as substrings, other runs as whole words (case-insensitive)."""
    text = content.lower()
    for piece in re.findall(r"[\u4e00-\u9fff]+|[0-9a-z]+", q.lower()):
        if re.match(r"[\u4e00-\u9fff]", piece):
            if piece not in text:
                return False
        elif not re.search(rf"(?<![0-9a-z]){re.escape(piece)}(?![0-9a-z])", text):
            return False
    return True


def _fill(api: Api, management_api: Any, message_stream: Any, texts: list[str]) -> tuple[str, dict[str, str]]:
    room = api.standard_room()
    open_socket(api, "editor", f"e-{room[:4]}")
    ids = {}
    for text in texts:
        send(f"e-{room[:4]}", json.dumps(message_frame(room, text)))
        ids[last_frame(management_api, f"e-{room[:4]}")["message_id"]] = text
    message_stream.pump(app_module.message_fanout, app_module.search_index)
    return room, ids


def _search(api: Api, role: str, q: str, extra: str = "") -> dict[str, Any]:
    response = api.call(role, "GET", f"/messages/search?q={quote(q)}&limit=100{extra}")
    assert response.status_code == 200, response.body
    return dict(response.json_body)


def test_precision_recall_and_highlights(api: Api, management_api: Any, message_stream: Any) -> None:
    room, ids = _fill(api, management_api, message_stream, CORPUS)
    for q in QUERIES:
        body = _search(api, "viewer", q)
        found = {r["message"]["message_id"] for r in body["results"]}
        expected = {mid for mid, text in ids.items() if oracle(text, q)}
        assert found == expected, q
        for result in body["results"]:
            content = result["message"]["content"]
            assert result["highlights"], q
            terms = sorted(re.findall(r"[\u4e00-\u9fff]+|[0-9a-z]+", q.lower()), key=len, reverse=True)
            for span in result["highlights"]:
                piece = content[span["start"]:span["end"]].lower()
                for term in terms:  # a highlight is made of query terms only
                    piece = piece.replace(term, "")
                assert piece == "", (q, content, span)
    newest_first = [r["message"]["sequence_number"] for r in _search(api, "viewer", "溫度")["results"]]
    assert newest_first == sorted(newest_first, reverse=True)
    hit = _search(api, "viewer", "溫度")["results"][-1]
    assert hit["room_title"] == "Line 3 回焊爐溫度異常"
    assert hit["message"]["content"] == "設備溫度上升到85度" and hit["highlights"] == [{"start": 2, "end": 4}]


def test_only_rooms_the_caller_belongs_to(api: Api, management_api: Any, message_stream: Any) -> None:
    mine, _ = _fill(api, management_api, message_stream, ["溫度 A"])
    other = api.call("owner", "POST", "/rooms", {"title": "私人", "incident_type": "other"}).json_body["room_id"]
    open_socket(api, "owner", "o")
    send("o", json.dumps(message_frame(other, "溫度 B")))
    message_stream.pump(app_module.message_fanout, app_module.search_index)
    assert [r["message"]["content"] for r in _search(api, "viewer", "溫度")["results"]] == ["溫度 A"]
    assert len(_search(api, "owner", "溫度")["results"]) == 2
    assert _search(api, "outsider", "溫度")["results"] == []
    assert api.call("viewer", "GET", f"/messages/search?q=x&room_id={other}").status_code == 403
    assert _search(api, "admin", "溫度", f"&room_id={other}")["results"] == []  # admins search their own rooms
    only = _search(api, "owner", "溫度", f"&room_id={mine}")["results"]
    assert [r["message"]["content"] for r in only] == ["溫度 A"]


def test_edits_reindex_and_deletions_drop_out(api: Api, management_api: Any, message_stream: Any) -> None:
    room, ids = _fill(api, management_api, message_stream, ["壓力 120 kPa", "溫度 85"])
    by_text = {text: mid for mid, text in ids.items()}
    cid = f"e-{room[:4]}"
    send(cid, json.dumps({"type": "edit_message", "room_id": room, "message_id": by_text["壓力 120 kPa"],
                          "content": "壓力 118 kPa"}))
    send(cid, json.dumps({"type": "delete_message", "room_id": room, "message_id": by_text["溫度 85"]}))
    message_stream.pump(app_module.message_fanout, app_module.search_index)
    assert _search(api, "viewer", "120")["results"] == []
    assert [r["message"]["content"] for r in _search(api, "viewer", "118")["results"]] == ["壓力 118 kPa"]
    assert _search(api, "viewer", "溫度")["results"] == []


def test_pagination(api: Api, management_api: Any, message_stream: Any) -> None:
    _fill(api, management_api, message_stream, [f"溫度 第{i}筆" for i in range(7)])
    seen: list[str] = []
    cursor = ""
    for _ in range(5):
        response = api.call("viewer", "GET", f"/messages/search?q={quote('溫度')}&limit=3{cursor}").json_body
        seen += [r["message"]["content"] for r in response["results"]]
        if not response["next_cursor"]:
            break
        cursor = f"&cursor={response['next_cursor']}"
    assert seen == [f"溫度 第{i}筆" for i in reversed(range(7))]


@pytest.mark.parametrize("query", ["", "?q=", "?q=" + "x" * 101, "?q=a&limit=0", "?q=a&room_id=nope",
                                   "?q=a&cursor=forged", "?q=a&bogus=1"])
def test_hostile_search_queries(api: Api, query: str) -> None:
    assert api.call("viewer", "GET", f"/messages/search{query}").status_code == 400


def test_punctuation_only_query_finds_nothing(api: Api, management_api: Any, message_stream: Any) -> None:
    _fill(api, management_api, message_stream, ["溫度"])
    assert _search(api, "viewer", "***")["results"] == []
    assert api.call("viewer", "GET", f"/messages/search?q=x&room_id={uuid.uuid4()}").status_code == 404
