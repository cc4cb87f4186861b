"""Unit fixtures: moto in-process, all tables created, the dev directory, a Chalice test client,
the REST helper with a standard room, the files bucket, the fake Management API, stream pumps.

Plain helpers (no fixtures) are in ``tests/builders.py``."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from chalicelib.core.observability import logger as service_logger
from tests.builders import Api, Files, Outbox, StreamPump
from tests.conftest import DEV_DIRECTORY


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


@pytest.fixture
def api(client: Any) -> Api:
    """One logged-in user per role (see ``tests.builders.USERS``)."""
    return Api(client)


@pytest.fixture
def room(api: Api) -> str:
    """A room owned by wang.owner with chen.editor (EDITOR) and lee.viewer (VIEWER)."""
    return api.standard_room()


@pytest.fixture
def bucket(aws: None) -> None:
    """The files bucket (moto S3); files tests ask for it, so that others run without one."""
    from chalicelib.files import storage

    storage.ensure_bucket()


@pytest.fixture
def files(bucket: None, api: Api, room: str) -> Files:
    """Uploads into ``room`` (the bucket exists)."""
    return Files(api, room)


@pytest.fixture
def management_api(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Replace the Management API client at its seam (``sender._client``)."""
    from chalicelib.connections import sender
    from tests.unit.fakes import FakeManagementApi

    fake = FakeManagementApi()
    monkeypatch.setattr(sender, "_client", lambda: fake)
    return fake


@pytest.fixture
def message_stream(aws: None) -> StreamPump:
    """The Messages table's changes (call ``.pump(app.message_fanout)``)."""
    return StreamPump("unit-messages")


@pytest.fixture
def room_stream(aws: None) -> StreamPump:
    """The rooms table's changes (``.pump(app.room_events)``: report rollup and webhooks)."""
    return StreamPump("unit-rooms")


@pytest.fixture
def outbox(aws: None, monkeypatch: pytest.MonkeyPatch) -> Outbox:
    """The outbound queue, consumed on demand (``outbox.run(senders)``), with a movable clock."""
    box = Outbox(monkeypatch)
    monkeypatch.setattr("chalicelib.outbound.queue.send", box.send)
    return box


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """The powertools logger's formatted JSON lines, at DEBUG."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(service_logger.registered_formatter)
    inner = service_logger._logger
    previous = inner.level
    inner.addHandler(handler)
    inner.setLevel(logging.DEBUG)
    yield stream
    inner.removeHandler(handler)
    inner.setLevel(previous)
