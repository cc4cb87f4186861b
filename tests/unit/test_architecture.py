"""The shape the code keeps: a small fan-out, table-driven frames, one error path, one rule per code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any, Literal

import pytest

from chalicelib.realtime import handlers
from chalicelib.realtime.handlers import FrameCall, FrameSpec
from chalicelib.realtime.schemas import RoomFrame
from tests.builders import Api, last_frame, message_frame, open_socket, send


def test_the_message_fanout_does_not_import_room_use_cases_files_the_websocket_api_or_pydantic() -> None:
    code = "import json, sys; import chalicelib.messaging.fanout; print(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True).stdout))
    assert "chalicelib.messaging.fanout" in loaded
    unwanted = {m for m in loaded if m in {"chalicelib.rooms.service", "chalicelib.rooms.members", "ldap3", "PIL",
                                           "pydantic"}
                or m.startswith(("chalicelib.files", "chalicelib.realtime"))}
    assert not unwanted


def test_importing_the_app_leaves_the_heavy_libraries_for_their_first_use() -> None:
    # every function (REST, WebSocket, streams, queue) imports app.py at cold start: the directory
    # client, Pillow, the JWT library, the PDF/QR/Web Push libraries and powertools' batch
    # utilities load when first used
    code = "import json, sys; import app; print(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           check=True).stdout))
    heavy = {"ldap3", "PIL", "jose", "cryptography", "fpdf", "fontTools", "segno", "pywebpush", "py_vapid",
             "http_ece", "aiohttp", "aws_lambda_powertools.utilities.batch", "smtplib", "chalicelib.notifications.email"}
    assert "app" in loaded and not heavy & loaded


def _app_as(handler: str | None) -> dict[str, Any]:
    """``import app`` in a fresh process as the Lambda running ``handler`` (``_HANDLER``)."""
    code = """if True:
        import json, sys
        import app
        print(json.dumps({"modules": sorted(sys.modules),
                          "routes": sorted(f"{m} {p}" for p, r in app.app.routes.items() for m in r),
                          "handlers": sorted(n for n in ("ws_connect", "ws_message", "ws_disconnect",
                                                         "message_fanout", "search_index", "membership_fanout",
                                                         "room_events", "notification_fanout", "fanout_chunks",
                                                         "outbound_deliveries", "escalate") if hasattr(app, n))}))
    """
    env = {k: v for k, v in os.environ.items() if k != "_HANDLER"}
    if handler is not None:
        env["_HANDLER"] = handler
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return dict(json.loads(result.stdout))


def test_each_lambda_imports_only_what_it_runs() -> None:
    # Lambda names the running handler in _HANDLER: the REST API ("app.app") registers every route,
    # the stream, queue, schedule and WebSocket functions none, and they load neither pydantic nor
    # boto3 nor any route module at init (their domain module comes with their first event)
    everything, rest = _app_as(None), _app_as("app.app")
    assert rest["routes"] == everything["routes"] and len(rest["routes"]) > 60
    assert "pydantic" in rest["modules"]
    for handler in ("app.message_fanout", "app.ws_message", "app.escalate", "app.outbound_deliveries"):
        function = _app_as(handler)
        assert function["routes"] == [] and function["handlers"] == everything["handlers"], handler
        loaded = set(function["modules"])
        assert not loaded & {"pydantic", "boto3", "chalicelib.messaging.fanout", "chalicelib.realtime.service",
                             "chalicelib.rooms.escalation"}, handler
        assert not {m for m in loaded if m.endswith((".routes", ".schemas"))}, handler


def test_importing_the_app_builds_no_request_schema_until_it_is_used() -> None:
    # every route's schemas are imported with app.py; a cold start builds only those it uses
    code = """if True:
        import json
        import app
        from chalicelib.auth.schemas import LoginRequest
        from chalicelib.core.schema import Schema

        def every(cls):
            for sub in cls.__subclasses__():
                yield sub
                yield from every(sub)

        schemas = set(every(Schema))
        built = sorted(f"{c.__module__}.{c.__qualname__}" for c in schemas if c.__pydantic_complete__)
        LoginRequest.model_validate({"username": "wang.owner", "password": "x"})
        print(json.dumps({"schemas": len(schemas), "built": built, "after_use": LoginRequest.__pydantic_complete__}))
    """
    result = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                       check=True).stdout)
    assert result["schemas"] > 50 and result["built"] == [] and result["after_use"] is True


class EchoFrame(RoomFrame):
    """A frame type that exists only in this test."""

    type: Literal["echo"]
    text: str


def echo(call: FrameCall[EchoFrame]) -> list[dict[str, Any]]:
    return [{"type": "echo", "text": call.frame.text, "as": call.room_access.effective}]


@pytest.fixture
def with_echo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(handlers.FRAMES, "echo", FrameSpec(EchoFrame, echo, minimum_role="EDITOR"))
    yield


def test_a_new_frame_type_is_one_registry_entry_and_one_handler(api: Api, room: str, management_api: Any,
                                                                with_echo: None) -> None:
    open_socket(api, "editor", "e")
    open_socket(api, "viewer", "v")
    send("e", json.dumps({"type": "echo", "room_id": room, "text": "你好"}))
    assert last_frame(management_api, "e") == {"type": "echo", "text": "你好", "as": "EDITOR"}
    # the registry's minimum role is checked once, before the handler
    send("v", json.dumps({"type": "echo", "room_id": room, "text": "x", "client_id": "c-1"}))
    refused = last_frame(management_api, "v")
    assert (refused["type"], refused["code"], refused["client_id"]) == ("error", "forbidden", "c-1")
    # and its schema: the error frame names the field
    send("e", json.dumps({"type": "echo", "room_id": room}))
    invalid = last_frame(management_api, "e")
    assert invalid["code"] == "validation_error"
    assert [d["field"] for d in invalid["details"]] == ["text"]


def test_an_unexpected_failure_is_one_error_frame_with_a_logged_correlation_id(
        api: Api, room: str, management_api: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any) -> None:
    def broken(call: FrameCall[EchoFrame]) -> list[dict[str, Any]]:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setitem(handlers.FRAMES, "echo", FrameSpec(EchoFrame, broken, minimum_role="VIEWER"))
    open_socket(api, "viewer", "v")
    send("v", json.dumps({"type": "echo", "room_id": room, "text": "x", "client_id": "c-9"}))
    error = last_frame(management_api, "v")
    assert (error["code"], error["message"], error["client_id"]) == ("internal_error", "Internal error", "c-9")
    assert "hunter2" not in json.dumps(error)
    logged = [r for r in caplog.records if getattr(r, "correlation_id", None) == error["correlation_id"]]
    assert logged and getattr(logged[0], "frame_type", None) == "echo"


def test_an_archived_room_is_the_same_conflict_on_rest_and_websocket(api: Api, room: str,
                                                                     management_api: Any) -> None:
    open_socket(api, "editor", "e")
    assert api.call("owner", "DELETE", f"/rooms/{room}").status_code == 204
    frame = message_frame(room)
    send("e", json.dumps(frame))
    error = last_frame(management_api, "e")
    assert (error["type"], error["code"], error["client_id"]) == ("error", "conflict", frame["client_id"])
    upload = api.call("editor", "POST", f"/rooms/{room}/files",
                      {"filename": "a.png", "content_type": "image/png", "size": 10})
    assert upload.status_code == 409 and upload.json_body["error"]["code"] == "conflict"
    member = api.call("owner", "POST", f"/rooms/{room}/members", {"user_id": "wu.engineer@panjit.com.tw",
                                                                  "role": "VIEWER"})
    assert member.status_code == 409 and member.json_body["error"]["code"] == "conflict"
