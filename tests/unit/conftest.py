"""Unit fixtures: moto in-process, all tables created, the dev directory, a Chalice test client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from tests.conftest import DEV_DIRECTORY

PASSWORD = "Passw0rd!"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Environment of the development stack (dev directory, admin group)."""
    monkeypatch.setenv("DIRECTORY_MODE", "dev")
    monkeypatch.setenv("DEV_DIRECTORY_FILE", DEV_DIRECTORY)
    monkeypatch.setenv("LDAP_BASE_DN", "dc=panjit,dc=com,dc=tw")
    monkeypatch.setenv("ADMIN_GROUP", "IRS-Admins")
    monkeypatch.setenv("LDAP_NETBIOS_DOMAIN", "PANJIT")
    monkeypatch.setenv("TABLE_PREFIX", "unit")
    monkeypatch.setenv("WS_MANAGEMENT_ENDPOINT", "https://ws.example.test/api")
    monkeypatch.delenv("DYNAMODB_ENDPOINT", raising=False)
    return monkeypatch


@pytest.fixture
def aws(env: pytest.MonkeyPatch) -> Iterator[None]:
    """moto for every AWS call, with every table created."""
    from chalicelib import tables

    with mock_aws():
        tables.create_all()
        yield


@pytest.fixture
def client(aws: None) -> Iterator[Any]:
    """``chalice.test.Client`` over the app (REST paths without the ``/api`` stage prefix)."""
    from chalice.test import Client

    from app import app

    with Client(app) as test_client:
        yield test_client


def post_json(client: Any, path: str, body: Any, token: str | None = None) -> Any:
    """POST a JSON body, optionally with a bearer token."""
    import json

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




@pytest.fixture
def management_api(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Replace the Management API client at its seam (``sender._client``)."""
    from chalicelib.connections import sender
    from tests.unit.fakes import FakeManagementApi

    fake = FakeManagementApi()
    monkeypatch.setattr(sender, "_client", lambda: fake)
    return fake


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
        import json

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

    def pump(self, handler: Any) -> dict[str, Any]:
        """Invoke ``handler`` with the pending records (one batch)."""
        return dict(handler({"Records": self.records()}, None))


@pytest.fixture
def message_stream(aws: None) -> StreamPump:
    """The Messages table's changes (call ``.pump(app.message_fanout)``)."""
    return StreamPump("unit-messages")
