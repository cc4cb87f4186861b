"""No password, token, ticket or message content in any log line, for a whole session.

Drives login (wrong then right password), refresh, ws-ticket, ``$connect`` with the ticket,
subscribe, a message with distinctive content, its stream fan-out (the real stored record
through the messages stream handler), ``$disconnect`` and logout, capturing everything
written: the powertools logger (at DEBUG), every stdlib logger (caplog), stdout/stderr at
the file-descriptor level (EMF metrics, prints). Also checks that the correlation ids and
metrics are there, so the test cannot pass by logging nothing.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from typing import Any

import pytest

import app as app_module
from chalicelib.core.observability import logger as service_logger
from chalicelib.timeline.models import MessageModel
from tests.builders import PASSWORD, Api, bearer, connect, post_json, send, stream_record


def test_a_whole_session_logs_no_secret(client: Any, management_api: Any, captured_logs: io.StringIO,
                                        caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG, logger=service_logger.name)
    caplog.set_level(logging.INFO)
    api = Api(client)
    room = api.standard_room()

    wrong_password = f"Wr0ng-{uuid.uuid4().hex}"
    refused = post_json(client, "/auth/login", {"username": "chen.editor", "password": wrong_password})
    assert refused.status_code == 401
    tokens = post_json(client, "/auth/login", {"username": "chen.editor", "password": PASSWORD}).json_body
    refreshed = post_json(client, "/auth/refresh", {"refresh_token": tokens["refresh_token"]}).json_body
    assert refreshed["refresh_token"] != tokens["refresh_token"]  # (same-second access tokens may be equal)
    ticket = client.http.post("/auth/ws-ticket", headers=bearer(refreshed["access_token"])).json_body["ticket"]

    cid = f"conn-{uuid.uuid4().hex[:8]}"
    assert connect(cid, ticket)["statusCode"] == 200
    send(cid, json.dumps({"type": "subscribe", "room_id": room}))
    content = f"機密 reading SECRET-{uuid.uuid4().hex}"
    send(cid, json.dumps({"type": "message", "room_id": room, "client_id": str(uuid.uuid4()),
                          "message_type": "text", "content": content}))
    ack = management_api.frames(cid)[-1]
    assert ack["type"] == "ack", ack
    stored = next(m for m in MessageModel.query(room) if m.message_id == ack["message_id"])
    records = [stream_record("INSERT", new=stored, seq="111")]
    assert app_module.message_fanout({"Records": records}, None) == {"batchItemFailures": []}
    assert any(frame.get("type") == "message" and frame.get("message", frame).get("content") == content
               for frame in management_api.frames(cid)) or content in json.dumps(management_api.frames(cid),
                                                                                  ensure_ascii=False)
    assert app_module.ws_disconnect({"requestContext": {
        "routeKey": "$disconnect", "eventType": "DISCONNECT", "connectionId": cid, "apiId": "local",
        "stage": "api", "domainName": "localhost", "requestId": "r-2", "connectedAt": 0}}, None)["statusCode"] == 200
    logout = client.http.post("/auth/logout", headers=bearer(refreshed["access_token"]))
    assert logout.status_code == 204

    out, err = capfd.readouterr()
    everything = "\n".join([captured_logs.getvalue(), caplog.text, out, err,
                            "\n".join(r.getMessage() + json.dumps(r.__dict__, default=str, ensure_ascii=False)
                                      for r in caplog.records)])
    secrets = {"password": PASSWORD, "wrong password": wrong_password,
               "access token": tokens["access_token"], "refreshed access token": refreshed["access_token"],
               "refresh token": tokens["refresh_token"], "rotated refresh token": refreshed["refresh_token"],
               "ws ticket": ticket, "message content": content, "content marker": content.split("SECRET-")[1]}
    leaked = [name for name, secret in secrets.items()
              if secret in everything or json.dumps(secret)[1:-1] in everything]  # also JSON-escaped
    assert not leaked, f"leaked into logs: {leaked}"

    # and the logs are really there: structured, correlated, with metrics
    lines = [json.loads(line) for line in captured_logs.getvalue().splitlines() if line.startswith("{")]
    assert any(line.get("connection_id") == cid for line in lines)
    assert any(line.get("room_id") == room for line in lines)
    assert all({"level", "message", "timestamp", "service"} <= set(line) for line in lines)
    emf = [json.loads(line) for line in out.splitlines() if line.startswith('{"_aws"')]
    names = {m["Name"] for doc in emf for d in doc["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
    assert {"Logins", "LoginFailures", "MessagesSent", "FanoutDeliveries"} <= names
