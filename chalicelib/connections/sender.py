"""Posting frames to WebSocket connections through the API Gateway Management API.

The client is owned here (not borrowed from ``app.websocket_api``) so that every Lambda —
the WebSocket handlers and the stream fan-out alike — sends the same way. Its endpoint is
``WS_MANAGEMENT_ENDPOINT`` when set (the local gateway) or derived from the WebSocket API id.
A host that *is* the Management API (the local gateway runs the functions in its own process)
may hand in a client of the same calls instead (:func:`use_client`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings

_POOL_SIZE = 16
_local = threading.local()
_override: Any = None  # use_client()


@lru_cache(maxsize=1)
def _endpoint() -> str:
    settings = get_settings()
    if settings.ws_management_endpoint:
        return settings.ws_management_endpoint.rstrip("/")
    return (f"https://{settings.websocket_api_id}.execute-api.{settings.region}"
            f".amazonaws.com/{settings.websocket_stage}")


def use_client(client: Any) -> None:
    """Make Management API calls on ``client`` (``post_to_connection`` and ``delete_connection``
    as boto3's, thread-safe) instead of a boto3 client per thread; ``None`` goes back to boto3.
    A client with ``post_to_connections(ids, data)`` (``"ok"``/``"gone"``/``"failed"`` per id, in
    order) gets :func:`post_many`'s whole list in one call."""
    global _override
    _override = client


def _client() -> Any:
    if _override is not None:
        return _override
    client = getattr(_local, "client", None)
    if client is None:
        import boto3  # on first use: the functions that never post do not import it

        client = boto3.session.Session().client(
            "apigatewaymanagementapi", endpoint_url=_endpoint(), region_name=get_settings().region,
            config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2},
                          max_pool_connections=_POOL_SIZE),
        )
        _local.client = client
    return client


def encode(frame: dict[str, Any]) -> bytes:
    """A frame as compact UTF-8 JSON (text that is not valid Unicode — stored before input was
    strict — goes out as JSON escapes rather than making the frame undeliverable)."""
    try:
        return json.dumps(frame, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(frame, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def is_gone(exc: ClientError) -> bool:
    """True when API Gateway says the connection no longer exists (410)."""
    err = exc.response.get("Error", {})
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return err.get("Code") == "GoneException" or status == 410


def post(connection_id: str, frame: dict[str, Any] | bytes) -> bool:
    """Send one frame; returns False when the connection is gone (other errors raise)."""
    data = frame if isinstance(frame, bytes) else encode(frame)
    try:
        _client().post_to_connection(ConnectionId=connection_id, Data=data)
        return True
    except ClientError as exc:
        if is_gone(exc):
            return False
        raise


def close(connection_id: str) -> bool:
    """Close a connection from the server side; False when the Management API failed (logged:
    the caller forgets the connection anyway, so nothing is delivered to it any more)."""
    try:
        _client().delete_connection(ConnectionId=connection_id)
        return True
    except ClientError as exc:
        if is_gone(exc):
            return True
        logger.warning("closing a connection failed", extra={"connection_id": connection_id,
                                                              "code": exc.response.get("Error", {}).get("Code")})
    except BotoCoreError as exc:
        logger.warning("closing a connection failed", extra={"connection_id": connection_id,
                                                              "cause": type(exc).__name__})
    return False


_executor: ThreadPoolExecutor | None = None


def post_many(connection_ids: Iterable[str], frame: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Send one frame to many connections in parallel; returns (gone, failed) ids."""
    ids = list(dict.fromkeys(connection_ids))
    if not ids:
        return [], []
    data = encode(frame)
    bulk = getattr(_override, "post_to_connections", None)
    if bulk is not None:  # a client that takes the whole list in one call (use_client)
        try:
            states = list(zip(ids, bulk(ids, data), strict=True))
        except Exception:  # noqa: BLE001 - every post of the call failed
            states = [(cid, "failed") for cid in ids]
    else:
        states = list(_pool().map(_attempt, ids, [data] * len(ids)))
    gone = [cid for cid, state in states if state == "gone"]
    failed = [cid for cid, state in states if state == "failed"]
    return gone, failed


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=_POOL_SIZE, thread_name_prefix="ws-send")
    return _executor


def _attempt(connection_id: str, data: bytes) -> tuple[str, str]:
    try:
        return connection_id, "ok" if post(connection_id, data) else "gone"
    except Exception:  # noqa: BLE001 - reported to the caller as a failed delivery
        return connection_id, "failed"
