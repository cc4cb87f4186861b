"""The local gateway's in-process Management API (``infrastructure/local_gateway/management.py``):
the functions it hosts post through it with boto3's calls and boto3's errors, and ``sender``
hands it whole fan-outs in one call."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from chalicelib.connections import sender
from infrastructure.local_gateway.management import InProcessManagementClient

LIMIT = 16  # bytes, the stand-in's payload limit


class Bridge:
    """A stand-in :class:`WebsocketBridge`: "ok…" connections take frames, "slow…" never answer,
    anything else is gone; frames over LIMIT bytes are too large."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, bool]] = []  # (connection, data, on the loop's thread)
        self.deleted: list[str] = []
        self.loop_thread: int | None = None

    async def post_to(self, connection_id: str, data: bytes) -> int:
        if len(data) > LIMIT:
            return 413
        if connection_id.startswith("slow"):
            await asyncio.sleep(30)
        if not connection_id.startswith("ok"):
            return 410
        self.sent.append((connection_id, data, threading.get_ident() == self.loop_thread))
        return 200

    def delete(self, connection_id: str) -> int:
        if not connection_id.startswith("ok"):
            return 410
        self.deleted.append(connection_id)
        return 204


@pytest.fixture
def bridge_and_client() -> Iterator[tuple[Bridge, InProcessManagementClient, asyncio.AbstractEventLoop]]:
    loop = asyncio.new_event_loop()
    bridge = Bridge()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    bridge.loop_thread = thread.ident
    try:
        yield bridge, InProcessManagementClient(bridge, loop, timeout=0.3), loop
    finally:
        asyncio.run_coroutine_threadsafe(asyncio.sleep(0.05), loop).result(5)  # cancelled posts end
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
        sender.use_client(None)


def test_posts_run_on_the_loop_and_answer_like_boto3(bridge_and_client: Any) -> None:
    bridge, client, _ = bridge_and_client
    assert client.post_to_connection(ConnectionId="ok1", Data=b'{"n":1}')["ResponseMetadata"]["HTTPStatusCode"] == 200
    client.post_to_connection(ConnectionId="ok1", Data='{"t":"溫"}')  # str is sent as UTF-8, as boto3 does
    assert bridge.sent == [("ok1", b'{"n":1}', True), ("ok1", '{"t":"溫"}'.encode(), True)]


def test_gone_and_too_large_are_boto3s_client_errors(bridge_and_client: Any) -> None:
    _, client, _ = bridge_and_client
    with pytest.raises(ClientError) as gone:
        client.post_to_connection(ConnectionId="closed", Data=b"{}")
    assert gone.value.response["Error"]["Code"] == "GoneException"
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410
    assert sender.is_gone(gone.value)
    with pytest.raises(ClientError) as large:
        client.post_to_connection(ConnectionId="ok1", Data=b"x" * (LIMIT + 1))
    assert large.value.response["Error"]["Code"] == "PayloadTooLargeException"
    assert not sender.is_gone(large.value)


def test_a_frame_not_taken_in_time_is_a_read_timeout(bridge_and_client: Any) -> None:
    _, client, _ = bridge_and_client
    with pytest.raises(ReadTimeoutError):
        client.post_to_connection(ConnectionId="slow1", Data=b"{}")


def test_delete_closes_or_says_gone(bridge_and_client: Any) -> None:
    bridge, client, _ = bridge_and_client
    assert client.delete_connection(ConnectionId="ok9")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert bridge.deleted == ["ok9"]
    with pytest.raises(ClientError) as gone:
        client.delete_connection(ConnectionId="closed")
    assert gone.value.response["Error"]["Code"] == "GoneException"


def test_calling_from_the_loop_itself_is_refused_not_a_deadlock(bridge_and_client: Any) -> None:
    _, client, loop = bridge_and_client

    async def on_loop() -> str:
        try:
            client.post_to_connection(ConnectionId="ok1", Data=b"{}")
        except RuntimeError as exc:
            return str(exc)
        return "posted"

    answer = asyncio.run_coroutine_threadsafe(on_loop(), loop).result(5)
    assert "function's thread" in answer


def test_one_call_for_many_connections_reports_each(bridge_and_client: Any) -> None:
    bridge, client, _ = bridge_and_client
    states = client.post_to_connections(["ok1", "closed", "slow1", "ok2"], b"{}")
    assert states == ["ok", "gone", "failed", "ok"]
    assert [c for c, _, _ in bridge.sent] == ["ok1", "ok2"]
    assert client.post_to_connections([], b"{}") == []


def test_sender_uses_the_handed_client_for_posts_fanouts_and_closes(bridge_and_client: Any) -> None:
    bridge, client, _ = bridge_and_client
    sender.use_client(client)
    assert sender.post("ok1", {"type": "pong"}) is True
    assert sender.post("closed", {"type": "pong"}) is False
    gone, failed = sender.post_many(["ok1", "closed", "slow1", "ok1", "ok2"], {"type": "x"})
    assert (gone, failed) == (["closed"], ["slow1"])
    assert [c for c, _, _ in bridge.sent] == ["ok1", "ok1", "ok2"]  # the repeated id is posted once
    assert sender.close("ok3") is True and sender.close("closed") is True  # gone counts as closed


def test_a_failing_bulk_call_fails_every_post_of_it() -> None:
    class Broken:
        def post_to_connections(self, ids: list[str], data: bytes) -> list[str]:
            raise ConnectionError("loop gone")

    sender.use_client(Broken())
    try:
        assert sender.post_many(["a", "b"], {"type": "x"}) == ([], ["a", "b"])
    finally:
        sender.use_client(None)
