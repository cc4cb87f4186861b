"""Integration fixtures shared by modules: one DynamoDB Local per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers.dynamodb_local import DynamoDBLocal, run_dynamodb_local


@pytest.fixture(scope="session")
def dynamodb_local() -> Iterator[DynamoDBLocal]:
    """AWS's DynamoDB Local on a free loopback port (stopped by PID at the end)."""
    with run_dynamodb_local() as server:
        yield server


@pytest.fixture
def on_dynamodb_local(dynamodb_local: DynamoDBLocal, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app's tables on DynamoDB Local under a fresh prefix (dev directory for logins)."""
    import uuid

    from chalicelib import tables
    from chalicelib.core.settings import get_settings
    from tests.conftest import DEV_DIRECTORY

    prefix = f"it{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("DYNAMODB_ENDPOINT", dynamodb_local.endpoint)
    monkeypatch.setenv("TABLE_PREFIX", prefix)
    monkeypatch.setenv("DIRECTORY_MODE", "dev")
    monkeypatch.setenv("DEV_DIRECTORY_FILE", DEV_DIRECTORY)
    monkeypatch.setenv("LDAP_BASE_DN", "dc=panjit,dc=com,dc=tw")
    monkeypatch.setenv("WS_MANAGEMENT_ENDPOINT", "http://127.0.0.1:9")
    get_settings.cache_clear()
    tables.create_all()
    yield prefix
    tables.delete_all()
