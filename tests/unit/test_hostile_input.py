"""Hostile input (issue 16): every row found by the black-box attack has a regression test here.

Invalid Unicode, control characters, invisible or bidi-override names, JSON nested deep enough
to blow the parser's recursion, usernames that normalise to nobody, impossible passwords and
JWTs with missing or mistyped claims: each gets a clear 4xx (or an ``error`` frame), never a
500, a silent drop or a stored message that cannot be delivered.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from jose import jwt

from tests.builders import PASSWORD, Api, bearer, last_frame, login, message_frame, open_socket, post_json, send

SECRET = "test-signing-key-that-is-long-enough-0123456789"  # tests/conftest.py


def _history(api: Api, room: str) -> list[dict[str, Any]]:
    return list(api.call("viewer", "GET", f"/rooms/{room}/messages").json_body["messages"])


# ------------------------------------------------------------------------------ WebSocket
@pytest.mark.parametrize("where", ["content", "type", "client_id", "key"])
def test_a_lone_surrogate_anywhere_in_a_frame_is_answered_and_never_stored(
        api: Api, room: str, management_api: Any, where: str) -> None:
    open_socket(api, "editor", "e")
    before = len(_history(api, room))
    frame = message_frame(room)
    text = json.dumps(frame)
    text = {"content": text.replace(json.dumps(frame["content"]), '"bad \\ud800 text"'),
            "type": text.replace('"message"', '"mess\\udc00age"', 1),
            "client_id": text.replace(frame["client_id"], "\\ud83d"),
            "key": text[:-1] + ', "\\ud800": 1}'}[where]
    send("e", text)
    reply = last_frame(management_api, "e")
    assert reply["type"] == "error" and reply["code"] == "validation_error"
    assert "client_id" not in reply  # nothing of the bad frame is echoed back
    assert len(_history(api, room)) == before


def test_json_nested_too_deeply_is_an_error_frame_and_the_socket_keeps_working(
        api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "editor", "e")
    send("e", '{"type": "message", "content": ' + "[" * 5000 + "]" * 5000 + "}")
    assert last_frame(management_api, "e")["code"] == "validation_error"
    send("e", json.dumps({"type": "ping"}))
    assert last_frame(management_api, "e") == {"type": "pong"}


def test_every_frame_gets_a_reply(api: Api, room: str, management_api: Any) -> None:
    open_socket(api, "editor", "e")
    bodies = ["", "null", "[]", "1e999", '"x"', "{", '{"type": 5}', '{"type": "nope"}', "\x00",
              '{"type": "message", "room_id": "' + room + '", "content": {"a": ' + "9" * 5000 + "}}"]
    for body in bodies:
        count = len(management_api.frames("e"))
        send("e", body)
        assert len(management_api.frames("e")) == count + 1, body
        assert last_frame(management_api, "e")["type"] == "error", body


def test_a_stored_message_with_invalid_unicode_is_still_deliverable() -> None:
    """Messages stored before input was strict must not make the fan-out drop them."""
    from chalicelib.connections.sender import encode

    frame = {"type": "message", "message": {"content": "bad \ud800 text 溫度"}}
    assert json.loads(encode(frame)) == frame


# ------------------------------------------------------------------------------ REST
@pytest.mark.parametrize("path", ["/auth/login", "/auth/refresh", "/rooms"])
def test_json_nested_too_deeply_is_400_on_rest(api: Api, path: str) -> None:
    body = '{"username": ' + "[" * 990 + "]" * 990 + "}"
    response = api.client.http.post(path, headers={"Content-Type": "application/json", **bearer(api.tokens["editor"])},
                                     body=body)
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "validation_error"


@pytest.mark.parametrize("user_id", ["%20", "%00", "nobody", "a" * 300 + "@panjit.com.tw", "a%2Fb", "@@"])
@pytest.mark.parametrize("method", ["DELETE", "PATCH"])
def test_member_paths_that_name_no_user_are_400_before_any_key(api: Api, room: str, user_id: str,
                                                                method: str) -> None:
    # an empty or over-long key is refused by DynamoDB itself: the fuzzer found a 500 for "%20"
    body = {"role": "VIEWER"} if method == "PATCH" else None
    response = api.call("owner", method, f"/rooms/{room}/members/{user_id}", body)
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["details"] == [{"field": "user_id",
                                                       "message": "expected an e-mail-shaped user id"}]
    members = api.call("owner", "GET", f"/rooms/{room}/members").json_body["members"]
    assert len(members) >= 3  # nobody was removed


def test_a_percent_encoded_member_path_still_names_the_member(api: Api, room: str) -> None:
    response = api.call("owner", "DELETE", f"/rooms/{room}/members/CHEN.editor%40panjit.com.tw")
    assert response.status_code == 204, response.body


@pytest.mark.parametrize("username", ["\\", "PANJIT\\", "@panjit.com.tw", " @ ", "PANJIT\\ "])
def test_usernames_that_name_nobody_are_400(client: Any, username: str) -> None:
    response = post_json(client, "/auth/login", {"username": username, "password": PASSWORD})
    assert response.status_code == 400
    assert response.json_body["error"]["details"][0]["field"] == "username"


@pytest.mark.parametrize("password", ["Passw0rd!\x00", "Pass\tw0rd!", "Passw0rd!\n", "\u200fPassw0rd!"])
def test_passwords_no_directory_can_hold_are_wrong_passwords(client: Any, password: str) -> None:
    response = post_json(client, "/auth/login", {"username": "chen.editor", "password": password})
    assert response.status_code == 401
    assert response.json_body["error"]["code"] == "invalid_credentials"


@pytest.mark.parametrize(("title", "field"), [("\u200b", "title"), ("\ufeff\u200b ", "title"),
                                              ("Line 3 \u202eexe.txt", "title"),
                                              ("bad \udc00", "body")])  # refused while decoding the body
def test_titles_must_be_visible_plain_text(api: Api, title: str, field: str) -> None:
    response = api.call("owner", "POST", "/rooms", {"title": title, "incident_type": "safety"})
    assert response.status_code == 400
    assert response.json_body["error"]["details"][0]["field"] == field


def test_chinese_emoji_and_ordinary_punctuation_stay_welcome(api: Api) -> None:
    response = api.call("owner", "POST", "/rooms", {"title": "回焊爐 #3 溫度 > 250°C 🔥", "incident_type": "safety",
                                                    "description": "第一行\n\t第二行"})
    assert response.status_code == 201, response.body


# ------------------------------------------------------------------------------ JWT
def _claims(client: Any) -> dict[str, Any]:
    token = login(client)["access_token"]
    return dict(jwt.get_unverified_claims(token))


@pytest.mark.parametrize("change", ["no aud", "no iss", "no sid", "iat in the future", "exp as text",
                                    "iat as text", "sid as number"])
def test_tokens_need_every_claim_with_its_type(client: Any, change: str) -> None:
    claims = _claims(client)
    now = int(time.time())
    if change.startswith("no "):
        claims.pop(change[3:])
    elif change == "iat in the future":
        claims["iat"] = now + 3600
    elif change == "exp as text":
        claims["exp"] = str(now + 600)
    elif change == "iat as text":
        claims["iat"] = str(now)
    else:
        claims["sid"] = 12345
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    response = client.http.get("/auth/me", headers=bearer(token))
    assert response.status_code == 401, change


def test_a_token_with_every_claim_still_works(client: Any) -> None:
    token = jwt.encode(_claims(client), SECRET, algorithm="HS256")
    assert client.http.get("/auth/me", headers=bearer(token)).status_code == 200
