"""Builders shared by test modules: REST and WebSocket callers, sample files, stream records.

Plain functions and classes (fixtures live in the ``conftest.py`` files). Test modules import
from here, never from each other. Nothing here imports ``app`` at import time: integration
modules import this file before they configure the environment the app reads.
"""

from __future__ import annotations

import io
import json
import struct
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from botocore.exceptions import ClientError
from PIL import Image

PASSWORD = "Passw0rd!"  # every user of the dev directory (infrastructure/local/dev-directory.json)

LATER = datetime.now(UTC) + timedelta(hours=1)  # an ``expires_at`` that has not passed


# ------------------------------------------------------------------------------ REST
def post_json(client: Any, path: str, body: Any, token: str | None = None) -> Any:
    """POST a JSON body, optionally with a bearer token."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.http.post(path, headers=headers, body=json.dumps(body))


def login(client: Any, username: str = "chen.editor", password: str = PASSWORD) -> dict[str, Any]:
    """Log in through the REST route; returns the token response (asserts success)."""
    response = post_json(client, "/auth/login", {"username": username, "password": password})
    assert response.status_code == 200, response.body
    return dict(response.json_body)


def bearer(token: str) -> dict[str, str]:
    """An Authorization header."""
    return {"Authorization": f"Bearer {token}"}


ROLES = ["outsider", "viewer", "editor", "owner", "admin"]
USERS = {"outsider": "huang.tech", "viewer": "lee.viewer", "editor": "chen.editor",
         "owner": "wang.owner", "admin": "lin.admin"}


class Api:
    """Tiny REST helper over the Chalice test client: one logged-in user per role."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.tokens = {role: login(client, name)["access_token"] for role, name in USERS.items()}
        login(client, "wu.engineer")

    def call(self, role: str, method: str, path: str, body: Any = None) -> Any:
        headers = {"Content-Type": "application/json", **bearer(self.tokens[role])}
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs["body"] = json.dumps(body)
        return getattr(self.client.http, method.lower())(path, **kwargs)

    def standard_room(self) -> str:
        """A room owned by wang.owner with chen.editor (EDITOR) and lee.viewer (VIEWER)."""
        room = self.call("owner", "POST", "/rooms", {"title": "Line 3 回焊爐溫度異常", "incident_type": "equipment_failure",
                                                     "severity": "high", "location": "廠一 / Line 3"})
        assert room.status_code == 201, room.body
        room_id = room.json_body["room_id"]
        for user, role in [("chen.editor@panjit.com.tw", "EDITOR"), ("lee.viewer@panjit.com.tw", "VIEWER")]:
            added = self.call("owner", "POST", f"/rooms/{room_id}/members", {"user_id": user, "role": role})
            assert added.status_code == 201, added.body
        return str(room_id)

    def template(self) -> str:
        made = self.call("admin", "POST", "/room-templates", {"name": "設備異常", "incident_type": "equipment_failure"})
        assert made.status_code == 201
        return str(made.json_body["template_id"])


# ------------------------------------------------------------------------------ files
def png_bytes(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif(size: tuple[int, int] = (400, 200), orientation: int = 6) -> bytes:
    """A landscape JPEG whose EXIF says "rotate 90°" and which carries a GPS position."""
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PlantCam"  # Make
    gps = {1: "N", 2: (25.0, 2.0, 3.0), 3: "E", 4: (121.0, 33.0, 44.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def bomb_png(width: int = 20000, height: int = 20000) -> bytes:
    """A valid single-colour 1-bit PNG of ``width``×``height`` pixels: a few KB on disk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


class Files:
    """The upload dance as a browser does it: request, POST the form, complete."""

    def __init__(self, api: Api, room: str) -> None:
        self.api = api
        self.room = room

    def request(self, role: str, filename: str, content_type: str, size: int, room: str | None = None) -> Any:
        return self.api.call(role, "POST", f"/rooms/{room or self.room}/files",
                             {"filename": filename, "content_type": content_type, "size": size})

    def post_form(self, upload: dict[str, Any], data: bytes, content_type: str | None = None) -> requests.Response:
        fields = dict(upload["fields"])
        if content_type is not None:
            fields["Content-Type"] = content_type
        return requests.post(upload["url"], data=fields, files={"file": ("blob", data)}, timeout=30)

    def upload(self, role: str, filename: str, content_type: str, data: bytes, complete: bool = True,
               declared: int | None = None) -> tuple[str, Any]:
        made = self.request(role, filename, content_type, len(data) if declared is None else declared)
        assert made.status_code == 201, made.body
        posted = self.post_form(made.json_body["upload"], data)
        assert posted.status_code in (200, 201, 204), posted.text
        file_id = str(made.json_body["file_id"])
        if not complete:
            return file_id, None
        return file_id, self.complete(role, file_id)

    def complete(self, role: str, file_id: str, room: str | None = None) -> Any:
        return self.api.call(role, "POST", f"/rooms/{room or self.room}/files/{file_id}/complete")

    def get(self, role: str, file_id: str, room: str | None = None) -> Any:
        return self.api.call(role, "GET", f"/rooms/{room or self.room}/files/{file_id}")


# ------------------------------------------------------------------------------ WebSocket
def ws_event(route: str, connection_id: str, **extra: Any) -> dict[str, Any]:
    """An API Gateway WebSocket event for ``$connect`` / ``$default`` / ``$disconnect``."""
    kinds = {"$connect": "CONNECT", "$default": "MESSAGE", "$disconnect": "DISCONNECT"}
    event = {"requestContext": {"routeKey": route, "eventType": kinds[route], "connectionId": connection_id,
                                "apiId": "local", "stage": "api", "domainName": "localhost",
                                "requestId": "r-1", "connectedAt": 0},
             "isBase64Encoded": False}
    event.update(extra)
    return event


def connect(connection_id: str, ticket: str | None) -> dict[str, Any]:
    """``$connect`` with a ticket (``None``: no query string at all)."""
    import app as app_module

    query = {"ticket": ticket} if ticket is not None else None
    return dict(app_module.ws_connect(ws_event("$connect", connection_id, queryStringParameters=query), None))


def send(connection_id: str, body: str) -> dict[str, Any]:
    """One ``$default`` frame from the connection. The response's body reaches the client as
    API Gateway's two-way route delivers it: after the frames the handler posted (here through
    the Management API's stand-in, so tests read every frame in one place)."""
    import app as app_module
    from chalicelib.connections import sender

    result = dict(app_module.ws_message(ws_event("$default", connection_id, body=body), None))
    if isinstance(result.get("body"), str):
        try:
            sender._client().post_to_connection(ConnectionId=connection_id, Data=result["body"].encode("utf-8"))
        except ClientError:
            pass  # the connection is gone: nothing is delivered
    return result


def open_socket(api: Api, role: str, cid: str) -> None:
    """Connect ``cid`` as ``role`` with a fresh ticket (asserts the connect succeeded)."""
    ticket = api.call(role, "POST", "/auth/ws-ticket").json_body["ticket"]
    assert connect(cid, ticket)["statusCode"] == 200


def message_frame(room: str, content: Any = "Line 3 溫度 85°C", **extra: Any) -> dict[str, Any]:
    """A ``message`` frame (text by default) with a fresh ``client_id``."""
    return {"type": "message", "room_id": room, "client_id": str(uuid.uuid4()), "message_type": "text",
            "content": content, **extra}


def last_frame(fake: Any, cid: str) -> dict[str, Any]:
    """The last frame the fake Management API delivered to ``cid``."""
    return dict(fake.frames(cid)[-1])


# ------------------------------------------------------------------------------ DynamoDB streams
def stream_record(name: str, new: Any = None, old: Any = None, seq: str = "1") -> dict[str, Any]:
    """A DynamoDB stream record as Lambda receives it from a ``NEW_AND_OLD_IMAGES`` stream.

    ``new`` / ``old`` are PynamoDB model instances. The images are what DynamoDB really sends:
    INSERT carries only ``NewImage``, MODIFY both, REMOVE only ``OldImage`` (anything else is
    refused, so a test cannot pass on a record shape that never occurs).
    """
    wanted = {"INSERT": (True, False), "MODIFY": (True, True), "REMOVE": (False, True)}
    if name not in wanted or wanted[name] != (new is not None, old is not None):
        raise ValueError(f"DynamoDB never sends a {name} record with NewImage={new is not None}, "
                         f"OldImage={old is not None}")
    current = new if new is not None else old
    keys = [a.attr_name for a in type(current).get_attributes().values() if a.is_hash_key or a.is_range_key]
    current_image = current.serialize()
    change: dict[str, Any] = {"ApproximateCreationDateTime": 1.0,
                              "Keys": {k: current_image[k] for k in keys},
                              "SequenceNumber": seq, "SizeBytes": 100, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if new is not None:
        change["NewImage"] = new.serialize()
    if old is not None:
        change["OldImage"] = old.serialize()
    table = type(current).Meta.table_name
    return {"eventID": seq, "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1", "dynamodb": change,
            "eventSourceARN": f"arn:aws:dynamodb:us-east-1:000000000000:table/{table}/stream/x"}


class StreamPump:
    """Stands in for a table's DynamoDB stream under in-process moto (whose DynamoDB Streams API
    answers "not yet implemented" with this botocore): it diffs table snapshots into Lambda-shaped
    INSERT / MODIFY / REMOVE records (changes between two pumps coalesce, as a stream would
    show them to a slow consumer only with every step; pump after each step when that matters).
    The local gateway's poller reads real streams; see tests/integration."""

    def __init__(self, table: str) -> None:
        import boto3

        self.table = table
        self.ddb = boto3.client("dynamodb", region_name="us-east-1")
        self.seen: dict[str, dict[str, Any]] = {}
        self.counter = 0
        key_schema = self.ddb.describe_table(TableName=table)["Table"]["KeySchema"]
        self.keys = [k["AttributeName"] for k in key_schema]

    def _snapshot(self) -> dict[str, dict[str, Any]]:
        items: dict[str, dict[str, Any]] = {}
        for page in self.ddb.get_paginator("scan").paginate(TableName=self.table):  # tests only
            for item in page["Items"]:
                items[json.dumps([item[k] for k in self.keys], sort_keys=True)] = item
        return items

    def records(self) -> list[dict[str, Any]]:
        """Changes since the last call, as Lambda records (ordered by key)."""
        now = self._snapshot()
        out = []
        for key in sorted(set(now) | set(self.seen)):
            old, new = self.seen.get(key), now.get(key)
            if old == new:
                continue
            name = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
            self.counter += 1
            change: dict[str, Any] = {"Keys": {k: (new or old)[k] for k in self.keys},  # type: ignore[index]
                                      "SequenceNumber": str(self.counter), "StreamViewType": "NEW_AND_OLD_IMAGES"}
            if new is not None:
                change["NewImage"] = new
            if old is not None:
                change["OldImage"] = old
            out.append({"eventID": str(self.counter), "eventName": name, "eventSource": "aws:dynamodb",
                        "dynamodb": change})
        self.seen = now
        return out

    def pump(self, handler: Any, *consumers: Any) -> dict[str, Any]:
        """Invoke ``handler`` with the pending records (one batch), then each of ``consumers``
        with the same batch (a stream's other event sources); ``handler``'s answer."""
        event = {"Records": self.records()}
        answer = dict(handler(event, None))
        for consumer in consumers:
            consumer(json.loads(json.dumps(event)), None)
        return answer


class Outbox:
    """The outbound queue in unit tests: ``chalicelib.outbound.queue.send`` lands here and
    :meth:`run` hands the messages to the real consumer as SQS records. Delays are honoured by
    moving the clock (``clock.now`` is patched): no test waits for a backoff."""

    def __init__(self, monkeypatch: Any) -> None:
        from chalicelib.core import clock

        self.queued: list[tuple[dict[str, Any], int]] = []
        self.now = clock.now()
        self.sent_delays: list[int] = []
        monkeypatch.setattr(clock, "now", lambda: self.now)

    def send(self, body: dict[str, Any], delay_seconds: int = 0) -> None:
        self.queued.append((json.loads(json.dumps(body)), int(delay_seconds)))
        self.sent_delays.append(int(delay_seconds))

    def event(self, bodies: list[dict[str, Any]]) -> dict[str, Any]:
        return {"Records": [{"messageId": str(uuid.uuid4()), "receiptHandle": "r", "body": json.dumps(b),
                             "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                             "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:0:unit-outbound",
                             "awsRegion": "us-east-1"} for b in bodies]}

    def run(self, senders: dict[str, Any], rounds: int = 20) -> dict[str, Any]:
        """Consume until the queue is empty (moving the clock past each delay); the last response."""
        from chalicelib import outbound

        response: dict[str, Any] = {}
        for _ in range(rounds):
            if not self.queued:
                break
            batch, self.queued = self.queued, []
            self.now += max(delay for _, delay in batch)
            response = outbound.handle_batch(self.event([b for b, _ in batch]), None, senders)
        return response
