"""The local API Gateway end to end: REST, WebSocket, Management API, streams, the SPA.

The gateway runs as a subprocess (``python -m infrastructure.local_gateway``) on embedded
moto (``--store memory``: these single-user checks are about the gateway's own mechanics), and
the WebSocket + stream tests run again with DynamoDB Local behind it. The delivery guarantee
under concurrency, restarts and faults is in ``test_delivery_guarantee.py`` and
``test_restart_and_faults.py``; ``make dev``'s java check and reset are at the end. Rows are
written straight into the gateway's tables with the app's pynamodb models.
"""

from __future__ import annotations

import json
import shutil
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.servers.dynamodb_local import run_dynamodb_local
from tests.servers.gateway import Gateway, run_gateway

pytestmark = pytest.mark.integration

PASSWORD = "Passw0rd!"


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def static_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("spa")
    (folder / "index.html").write_text("<!doctype html><title>spa</title><div id=app></div>", encoding="utf-8")
    (folder / "assets").mkdir()
    (folder / "assets" / "index-abc123.js").write_text("console.log('spa')", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def gateway(static_dir: Path) -> Iterator[Gateway]:
    """The gateway on its embedded default (moto in-process)."""
    with run_gateway(table_prefix="gw-moto", extra_args=["--static", str(static_dir)]) as gw:
        yield gw


@pytest.fixture(scope="module")
def gateway_on_dynamodb_local() -> Iterator[Gateway]:
    """The gateway with ``--dynamodb-endpoint`` pointing at a DynamoDB Local we started."""
    if shutil.which("java") is None:
        pytest.fail("java is not installed: DynamoDB Local cannot run (make test installs default-jre-headless)")
    with run_dynamodb_local() as ddb, run_gateway(dynamodb_endpoint=ddb.endpoint, table_prefix="gw-local") as gw:
        yield gw


@pytest.fixture(scope="module")
def gateway_posting_over_http() -> Iterator[Gateway]:
    """The functions reach ``@connections`` with boto3 over loopback HTTP, as on AWS (by default
    the gateway answers them in-process)."""
    with run_gateway(table_prefix="gw-http", extra_args=["--management-api", "http"]) as gw:
        yield gw


@pytest.fixture(params=["moto", "dynamodb-local", "http-management-api"])
def any_gateway(request: pytest.FixtureRequest) -> Gateway:
    name = {"moto": "gateway", "dynamodb-local": "gateway_on_dynamodb_local",
            "http-management-api": "gateway_posting_over_http"}[request.param]
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def use_tables(gw: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the app's pynamodb models (in this process) at the gateway's tables."""
    from chalicelib import tables
    from chalicelib.core.settings import get_settings

    monkeypatch.setenv("DYNAMODB_ENDPOINT", gw.dynamodb_endpoint)
    monkeypatch.setenv("TABLE_PREFIX", gw.table_prefix)
    monkeypatch.setenv("AWS_REGION", gw.region)
    get_settings.cache_clear()
    tables.bind()


# ----------------------------------------------------------------------------- helpers
def http(gw: Gateway, method: str, path: str, body: Any = None, token: str | None = None,
         raw: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(gw.url + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def login(gw: Gateway, username: str) -> dict[str, Any]:
    status, _, body = http(gw, "POST", "/api/auth/login", {"username": username, "password": PASSWORD})
    assert status == 200, body
    return dict(json.loads(body))


def ws_ticket(gw: Gateway, token: str) -> str:
    status, _, body = http(gw, "POST", "/api/auth/ws-ticket", token=token)
    assert status == 200, body
    return str(json.loads(body)["ticket"])


def open_socket(gw: Gateway, username: str) -> tuple[ClientConnection, str]:
    """Log in, get a ticket, connect; returns the socket and the user id."""
    tokens = login(gw, username)
    ws = connect(f"{gw.ws_url}?ticket={ws_ticket(gw, tokens['access_token'])}", open_timeout=10)
    return ws, str(tokens["user"]["user_id"])


def receive(ws: ClientConnection, want: Callable[[dict[str, Any]], bool], timeout: float = 10.0) -> dict[str, Any]:
    """The first frame matching ``want`` within ``timeout`` (other frames are skipped)."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("no matching frame received in time")
        try:
            frame = json.loads(ws.recv(timeout=left))
        except TimeoutError:
            raise AssertionError("no matching frame received in time") from None
        if want(frame):
            return dict(frame)


def eventually(check: Callable[[], bool], timeout: float = 10.0, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} not reached within {timeout}s")
        time.sleep(0.1)


def connection_ids(user_id: str) -> set[str]:
    from chalicelib.connections.models import ConnectionModel

    return {c.connection_id for c in ConnectionModel.by_user.query(user_id)}


def connect_and_find_id(gw: Gateway, username: str) -> tuple[ClientConnection, str, str]:
    """An open socket, its user id and its connection id (from the user-index Query)."""
    tokens = login(gw, username)
    user_id = str(tokens["user"]["user_id"])
    before = connection_ids(user_id)
    ws = connect(f"{gw.ws_url}?ticket={ws_ticket(gw, tokens['access_token'])}", open_timeout=10)
    new = connection_ids(user_id) - before
    assert len(new) == 1, new
    return ws, user_id, new.pop()


def subscribe_row(room_id: str, connection_id: str, user_id: str) -> None:
    from chalicelib.connections.models import SubscriptionModel

    SubscriptionModel(room_id, connection_id, user_id=user_id, subscribed_at=datetime.now(UTC).isoformat(),
                      expires_at=datetime.now(UTC) + timedelta(hours=3)).save()


def insert_message(room_id: str, sender_id: str, sequence: int = 1, content: str = "溫度上升到85度") -> str:
    from chalicelib.timeline.models import MessageModel

    message_id = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()
    # stored the way messages were before ids named their place (a random id, updated_at set)
    fields: dict[str, Any] = {"stored_message_id": message_id, "client_id": str(uuid.uuid4()), "sender_id": sender_id,
                              "message_type": "text", "content": content, "created_at": now, "updated_at": now}
    MessageModel(room_id, sequence, **fields).save()
    return message_id


def management_client(gw: Gateway) -> Any:
    return boto3.session.Session().client(
        "apigatewaymanagementapi", endpoint_url=gw.url, region_name=gw.region, aws_access_key_id="local",
        aws_secret_access_key="local", config=Config(retries={"max_attempts": 1}))


# ----------------------------------------------------------------------------- (a) REST
def test_rest_login_me_and_errors(gateway: Gateway) -> None:
    tokens = login(gateway, "chen.editor")
    assert tokens["access_token"] and tokens["refresh_token"] and tokens["token_type"] == "Bearer"

    status, headers, body = http(gateway, "GET", "/api/auth/me", token=tokens["access_token"])
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["user_id"] == tokens["user"]["user_id"]

    status, _, body = http(gateway, "GET", "/api/auth/me")
    assert status == 401, body

    status, _, body = http(gateway, "GET", "/api/no/such/route")
    assert status == 404
    assert json.loads(body)["error"]["code"] == "not_found"

    status, _, body = http(gateway, "POST", "/api/auth/login", raw=b'{"username": "chen.editor",')
    assert status == 400
    assert json.loads(body)["error"]["code"] == "validation_error"


def test_spa_static_files_and_client_routes(gateway: Gateway) -> None:
    status, headers, body = http(gateway, "GET", "/rooms/5b0e1c1e")
    assert status == 200 and b'<div id=app>' in body
    assert headers["Content-Type"].startswith("text/html") and headers["Cache-Control"] == "no-cache"

    status, headers, body = http(gateway, "GET", "/assets/index-abc123.js")
    assert status == 200 and body == b"console.log('spa')"
    assert headers["Content-Type"].startswith("text/javascript")
    assert "immutable" in headers["Cache-Control"]

    assert http(gateway, "GET", "/assets/missing-0000.js")[0] == 404
    for escape in ("/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2f..%2fetc/passwd"):
        status, _, body = http(gateway, "GET", escape)
        assert b"root:" not in body and status in (200, 404)  # never a file outside the folder
    status, _, body = http(gateway, "GET", "/__local/info")
    assert status == 200 and json.loads(body)["dynamodb_endpoint"] == gateway.dynamodb_endpoint


# ----------------------------------------------------------------------------- (b) WebSocket
def test_websocket_ticket_ping_and_bad_frames(any_gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    gw = any_gateway
    use_tables(gw, monkeypatch)
    with pytest.raises(InvalidStatus) as refused:
        connect(gw.ws_url, open_timeout=10)
    assert refused.value.response.status_code == 401

    tokens = login(gw, "chen.editor")
    ticket = ws_ticket(gw, tokens["access_token"])
    with connect(f"{gw.ws_url}?ticket={ticket}", open_timeout=10) as ws:
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=10)) == {"type": "pong"}
        ws.send("this is not json")
        error = json.loads(ws.recv(timeout=10))
        assert error["type"] == "error" and error["code"] == "validation_error"
        ws.send(json.dumps({"type": "ping"}))  # still open
        assert json.loads(ws.recv(timeout=10)) == {"type": "pong"}

    with pytest.raises(InvalidStatus) as reused:
        connect(f"{gw.ws_url}?ticket={ticket}", open_timeout=10)
    assert reused.value.response.status_code == 401
    assert ticket not in gw.output()  # /ws query strings (tickets) are never logged


def test_websocket_message_limits(gateway: Gateway) -> None:
    ws, _ = open_socket(gateway, "chen.editor")
    with ws:
        ws.send("x" * (40 * 1024))  # over the 32 KB frame limit: the handler answers
        assert json.loads(ws.recv(timeout=10))["code"] == "too_large"
        ws.send("x" * (129 * 1024))  # over 128 KB: API Gateway closes with 1009
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


# ----------------------------------------------------------------------------- (c) streams + Management API
def test_stream_fanout_reaches_subscriber_and_disconnect_cleans_up(
        any_gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.connections.models import ConnectionModel, SubscriptionModel

    gw = any_gateway
    use_tables(gw, monkeypatch)
    ws, user_id, connection_id = connect_and_find_id(gw, "wang.owner")
    room_id = str(uuid.uuid4())
    with ws:
        subscribe_row(room_id, connection_id, user_id)
        message_id = insert_message(room_id, user_id, 1)
        frame = receive(ws, lambda f: f.get("type") == "message", timeout=10)
        assert frame["message"]["message_id"] == message_id
        assert frame["message"]["room_id"] == room_id and frame["message"]["content"] == "溫度上升到85度"
        second = insert_message(room_id, user_id, 2, content="second")
        assert receive(ws, lambda f: f.get("type") == "message")["message"]["message_id"] == second

    def cleaned() -> bool:
        subs = list(SubscriptionModel.by_connection.query(connection_id))
        try:
            ConnectionModel.get(connection_id)
            return False
        except ConnectionModel.DoesNotExist:
            return not subs

    eventually(cleaned, message="$disconnect cleanup")


def test_management_api_send_info_delete_and_gone(gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.connections.models import ConnectionModel

    use_tables(gateway, monkeypatch)
    client = management_client(gateway)
    ws, _, connection_id = connect_and_find_id(gateway, "huang.tech")
    with ws:
        for i in range(20):  # order is kept per connection
            client.post_to_connection(ConnectionId=connection_id, Data=json.dumps({"n": i}).encode())
        assert [json.loads(ws.recv(timeout=10))["n"] for _ in range(20)] == list(range(20))

        info = client.get_connection(ConnectionId=connection_id)
        assert info["ConnectedAt"] and info["LastActiveAt"] and info["Identity"]["SourceIp"] == "127.0.0.1"

        client.delete_connection(ConnectionId=connection_id)
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=10)

    def gone() -> bool:
        try:
            ConnectionModel.get(connection_id)
            return False
        except ConnectionModel.DoesNotExist:
            return True

    eventually(gone, message="$disconnect after DeleteConnection")
    with pytest.raises(client.exceptions.GoneException):
        client.post_to_connection(ConnectionId=connection_id, Data=b"{}")
    status, headers, body = http(gateway, "POST", "/@connections/NoSuchConn0000A=", raw=b"{}")
    assert status == 410 and headers["x-amzn-ErrorType"] == "GoneException"
    assert json.loads(body) == {"message": None}


def test_the_functions_management_api_is_in_process_unless_asked_for_http(
        gateway: Gateway, gateway_posting_over_http: Gateway) -> None:
    assert json.loads(http(gateway, "GET", "/__local/info")[2])["management_api"] == "inprocess"
    assert json.loads(http(gateway_posting_over_http, "GET", "/__local/info")[2])["management_api"] == "http"


# ----------------------------------------------------------------------------- (d) 410 cleanup
def test_fanout_removes_subscription_of_gone_connection(any_gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.connections.models import SubscriptionModel

    gateway = any_gateway
    use_tables(gateway, monkeypatch)
    room_id = str(uuid.uuid4())
    ghost = "GhostConnAbcdef="
    subscribe_row(room_id, ghost, "nobody@panjit.com.tw")
    ws, user_id, live = connect_and_find_id(gateway, "lee.viewer")
    with ws:
        subscribe_row(room_id, live, user_id)
        message_id = insert_message(room_id, user_id, 1)
        assert receive(ws, lambda f: f.get("type") == "message")["message"]["message_id"] == message_id
        eventually(lambda: [s.connection_id for s in SubscriptionModel.query(room_id)] == [live],
                   message="removal of the gone connection's subscription")


# ----------------------------------------------------------------------------- timeouts
def test_idle_timeout_closes_with_going_away() -> None:
    with run_gateway(table_prefix="gw-idle", env={"LOCAL_WS_IDLE_TIMEOUT": "1.5"}) as gw:
        ws, _ = open_socket(gw, "chen.editor")
        with ws:
            ws.send(json.dumps({"type": "ping"}))
            assert json.loads(ws.recv(timeout=10)) == {"type": "pong"}
            started = time.monotonic()
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
            assert 0.5 < time.monotonic() - started < 5


# ----------------------------------------------------------------------------- make dev: java, reset
def test_without_java_make_dev_prints_the_apt_get_line_and_fails(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import subprocess

    from infrastructure.local_gateway import services

    root = os.geteuid() == 0
    setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
    # the gateway itself (not root): the exact apt-get line, no server started
    which = shutil.which
    monkeypatch.setattr(services.shutil, "which", lambda name: None if name == "java" else which(name))
    monkeypatch.setattr(services.os, "geteuid", lambda: 1000)
    with pytest.raises(services.ServiceError, match=r"sudo apt-get install -y default-jre-headless"):
        services.LocalServices(tmp_path / "data", 8000, start_s3=False).start()
    # the Makefile's check (install-system-deps.sh dev) as an unprivileged user without java on PATH
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").symlink_to(shutil.which("id") or "/usr/bin/id")
    script = Path(__file__).resolve().parents[2] / "infrastructure" / "local" / "install-system-deps.sh"
    runas = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"] if root else []
    result = subprocess.run([*runas, "/bin/bash", str(script), "dev"], capture_output=True, text=True, timeout=30,
                            env={"PATH": str(bin_dir)}, cwd=tmp_path)
    assert result.returncode == 1, result
    assert "Run: sudo apt-get install -y default-jre-headless" in result.stderr


def test_reset_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    from infrastructure.local_gateway import services

    (tmp_path / "thesis.docx").write_text("not dev data", encoding="utf-8")
    with pytest.raises(services.ServiceError, match="does not look like a local data folder"):
        services.reset(tmp_path)
    assert (tmp_path / "thesis.docx").exists()
    data = tmp_path / "data"
    (data / "dynamodb").mkdir(parents=True)
    (data / "stack.json").write_text("{}", encoding="utf-8")
    services.reset(data)
    assert not data.exists()
