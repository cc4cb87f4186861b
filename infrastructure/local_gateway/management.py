"""The Management API for the functions this gateway hosts, answered in-process.

On AWS a function posts to a connection with an HTTPS call to API Gateway's Management API
(``apigatewaymanagementapi``), a service with its own machines. Here the gateway *is* that
service and runs the functions in its own process, so a post over loopback HTTP made the one
Python process do both sides — botocore signing and sending, aiohttp parsing and answering —
on one interpreter lock, for every delivery: it was the local stack's largest cost per
message (≈ 2 ms per post; a room of 100 subscribers queued for seconds). On AWS the answering
side is API Gateway's own, and the calling side (SigV4 and HTTPS, ≈ 1.3 ms of CPU per post
measured here) is counted in the README's "AWS on paper"; locally both are left out.

:class:`InProcessManagementClient` is handed to ``chalicelib.connections.sender.use_client``:
it has the calls the app makes on boto3's client (``post_to_connection``, ``delete_connection``)
with their answers and errors — ``ClientError`` with ``GoneException`` (410) for an unknown or
closed connection, ``PayloadTooLargeException`` (413) past 128 KB, ``ReadTimeoutError`` when the
socket does not take the frame in time — and the same per-connection order, because both paths
end in :meth:`WebsocketBridge.post_to`. ``--management-api http``
(``LOCAL_MANAGEMENT_API=http``) keeps the functions on the HTTP endpoint ``/@connections/{id}``,
which stays served for other callers either way.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

from botocore.exceptions import ClientError, ReadTimeoutError

T = TypeVar("T")

_ERRORS = {
    410: ("GoneException", None),
    413: ("PayloadTooLargeException", "Payload too large"),
}


def _error(status: int, operation: str) -> ClientError:
    code, message = _ERRORS[status]
    return ClientError({"Error": {"Code": code, "Message": message or ""},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, operation)


class InProcessManagementClient:
    """boto3's ``apigatewaymanagementapi`` calls, answered by a :class:`WebsocketBridge` on its loop."""

    def __init__(self, bridge: Any, loop: asyncio.AbstractEventLoop, timeout: float = 5.0) -> None:
        self._bridge = bridge
        self._loop = loop
        self.timeout = timeout  # as the app's boto3 read_timeout

    def _on_loop(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:  # it would wait for itself
            coro.close()
            raise RuntimeError("call the Management API from a function's thread: on the gateway's loop it "
                               "would wait for itself")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout or self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ReadTimeoutError(endpoint_url="in-process @connections") from None

    def post_to_connection(self, *, ConnectionId: str, Data: bytes | str) -> dict[str, Any]:  # noqa: N803 - boto3's names
        data = Data.encode("utf-8") if isinstance(Data, str) else bytes(Data)
        status = self._on_loop(self._bridge.post_to(ConnectionId, data))
        if status != 200:
            raise _error(status, "PostToConnection")
        return {"ResponseMetadata": {"HTTPStatusCode": 200}}

    def delete_connection(self, *, ConnectionId: str) -> dict[str, Any]:  # noqa: N803
        status = self._on_loop(self._delete(ConnectionId))
        if status != 204:
            raise _error(status, "DeleteConnection")
        return {"ResponseMetadata": {"HTTPStatusCode": 204}}

    def post_to_connections(self, connection_ids: list[str], data: bytes) -> list[str]:
        """One frame to many connections in one hop to the loop (what ``sender.post_many`` does
        with a thread per post on boto3): ``"ok"``, ``"gone"`` or ``"failed"`` (not taken within
        the timeout) for each, in order."""
        return self._on_loop(self._post_all(connection_ids, data), self.timeout + 1.0)

    async def _post_all(self, connection_ids: list[str], data: bytes) -> list[str]:
        tasks = [asyncio.ensure_future(self._bridge.post_to(c, data)) for c in connection_ids]
        if not tasks:
            return []
        done, pending = await asyncio.wait(tasks, timeout=self.timeout)
        for task in pending:
            task.cancel()
        states = []
        for task in tasks:
            status = task.result() if task in done and task.exception() is None else None
            states.append("ok" if status == 200 else "gone" if status == 410 else "failed")
        return states

    async def _delete(self, connection_id: str) -> int:
        return int(self._bridge.delete(connection_id))
