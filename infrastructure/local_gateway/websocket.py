"""WebSocket API emulation: ``$connect``/``$default``/``$disconnect`` and the Management API.

* ``GET /ws`` or ``/ws/{room_id}`` (the room id becomes the ``room_id`` query parameter of the
  connect event). ``$connect`` runs *before* the upgrade: a non-2xx answer refuses the
  handshake with that status (401 for a bad ticket) and nothing is opened.
* Frames go to ``$default`` one at a time per connection (a queue and one consumer task), in a
  worker thread; different connections run concurrently.
* ``POST/GET/DELETE /@connections/{id}`` answer like API Gateway's Management API: 410
  ``GoneException`` for an unknown or closed id. Sends to one connection keep their order.
* API Gateway's limits: messages over 128 KB close the connection with 1009; idle timeout
  (10 min) and maximum lifetime (2 h) close with 1001 (both overridable by env for tests).
* Backpressure: at most ``MAX_PENDING_FRAMES`` frames of one connection wait for ``$default``;
  beyond that a frame is refused with API Gateway's throttling answer (``Too Many Requests``)
  instead of queueing without bound, and frames still waiting when the client goes away are
  dropped (only ``$disconnect`` runs).
"""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import json
import secrets
import string
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from infrastructure.local_gateway.config import log

MAX_MESSAGE_BYTES = 128 * 1024  # API Gateway: 128 KB per message (32 KB frames)
MAX_PENDING_FRAMES = 200  # per connection, waiting for $default
_ALPHABET = string.ascii_letters + string.digits
_DISCONNECT = object()  # queue sentinel: run $disconnect after the frames already queued


def new_connection_id() -> str:
    """An id of API Gateway's shape (``L0SM9cOFvHcCIhw=``), safe in a URL path."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(15)) + "="


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _is_loopback(remote: str | None) -> bool:
    try:
        return remote is not None and ipaddress.ip_address(remote.split("%")[0]).is_loopback
    except ValueError:
        return False


def _gone() -> web.Response:
    return web.Response(status=410, body=b'{"message":null}', content_type="application/json",
                        headers={"x-amzn-ErrorType": "GoneException"})


@dataclass
class Connection:
    """One open WebSocket and its bookkeeping."""

    connection_id: str
    ws: web.WebSocketResponse
    source_ip: str
    user_agent: str
    domain_name: str
    connected_at: float = field(default_factory=time.time)
    last_active: float = field(default_factory=time.time)
    queue: asyncio.Queue[Any] = field(default_factory=lambda: asyncio.Queue(maxsize=MAX_PENDING_FRAMES))
    throttled: int = 0  # frames refused because too many were waiting
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    open: bool = True
    close_code: int | None = None
    close_reason: str = ""

    def touch(self) -> None:
        self.last_active = time.time()


class WebsocketBridge:
    """aiohttp handlers for the WebSocket routes and the Management API."""

    def __init__(self, app_module: Any, stage: str, idle_timeout: float, max_lifetime: float,
                 api_id: str = "local") -> None:
        self._connect: Callable[..., Any] = app_module.ws_connect
        self._message: Callable[..., Any] = app_module.ws_message
        self._disconnect: Callable[..., Any] = app_module.ws_disconnect
        self.stage = stage
        self.api_id = api_id
        self.idle_timeout = idle_timeout
        self.max_lifetime = max_lifetime
        self.connections: dict[str, Connection] = {}
        self._sessions: set[asyncio.Task[Any]] = set()
        self._background: set[asyncio.Task[Any]] = set()
        self._pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="ws")

    # ------------------------------------------------------------------ events
    def _request_context(self, conn_id: str, route: str, event_type: str, domain: str,
                         connected_at: float, source_ip: str, user_agent: str) -> dict[str, Any]:
        now = time.time()
        return {
            "routeKey": route,
            "eventType": event_type,
            "messageDirection": "IN",
            "stage": self.stage,
            "apiId": self.api_id,
            "domainName": domain,
            "connectionId": conn_id,
            "connectedAt": int(connected_at * 1000),
            "requestId": str(uuid.uuid4()),
            "extendedRequestId": str(uuid.uuid4()),
            "requestTime": datetime.fromtimestamp(now, tz=UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "requestTimeEpoch": int(now * 1000),
            "identity": {"sourceIp": source_ip, "userAgent": user_agent},
        }

    def _conn_context(self, conn: Connection, route: str, event_type: str) -> dict[str, Any]:
        return self._request_context(conn.connection_id, route, event_type, conn.domain_name,
                                     conn.connected_at, conn.source_ip, conn.user_agent)

    def _spawn(self, coro: Any) -> None:
        """Run ``coro`` in its own task (kept referenced until it ends)."""
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _invoke(self, handler: Callable[..., Any], event: dict[str, Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._pool, handler, event, None)

    # ------------------------------------------------------------------ /ws
    async def handle(self, request: web.Request) -> web.StreamResponse:
        # API Gateway negotiates no permessage-deflate; neither do we
        ws = web.WebSocketResponse(max_msg_size=MAX_MESSAGE_BYTES, autoping=True, compress=False)
        if not ws.can_prepare(request).ok:
            return web.Response(status=426, text="WebSocket upgrade required\n",
                                headers={"Upgrade": "websocket"})
        conn_id = new_connection_id()
        query = {k: request.query.getone(k) for k in request.query.keys()}
        multi = {k: request.query.getall(k) for k in request.query.keys()}
        room_id = request.match_info.get("room_id")
        if room_id:
            query["room_id"] = room_id
            multi["room_id"] = [room_id]
        source_ip = request.remote or "127.0.0.1"
        user_agent = request.headers.get("User-Agent", "")
        domain = request.host
        connected_at = time.time()
        headers = {k: v for k, v in request.headers.items()}
        event = {
            "headers": headers,
            "multiValueHeaders": {k: request.headers.getall(k) for k in request.headers.keys()},
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": multi or None,
            "requestContext": self._request_context(conn_id, "$connect", "CONNECT", domain, connected_at,
                                                    source_ip, user_agent),
            "isBase64Encoded": False,
        }
        try:
            result = await self._invoke(self._connect, event)
        except Exception:  # noqa: BLE001 - a crashing $connect refuses the handshake
            log.exception("$connect failed for %s", conn_id)
            return web.Response(status=500, text="Internal server error\n")
        status = int((result or {}).get("statusCode", 200)) if isinstance(result, dict) else 200
        if not 200 <= status < 300:
            log.info("ws refused %s (%s)", conn_id, status)
            return web.json_response({"message": "Unauthorized" if status == 401 else "Forbidden"},
                                     status=status)

        conn = Connection(conn_id, ws, source_ip, user_agent, domain, connected_at=connected_at)
        try:
            await ws.prepare(request)
        except Exception:  # noqa: BLE001 - the client went away during the upgrade
            log.info("ws upgrade failed for %s", conn_id)
            await self._invoke(self._disconnect, self._disconnect_event(conn, 1006, "upgrade failed"))
            return ws
        self.connections[conn_id] = conn
        log.info("ws open %s", conn_id)
        task = asyncio.current_task()
        if task is not None:
            self._sessions.add(task)
        consumer = asyncio.create_task(self._consume(conn), name=f"ws-consume-{conn_id}")
        watchdog = asyncio.create_task(self._watchdog(conn), name=f"ws-watchdog-{conn_id}")
        try:
            async for msg in ws:
                if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                    conn.touch()
                    item = (msg.data, False) if msg.type == WSMsgType.TEXT else (
                        base64.b64encode(msg.data).decode("ascii"), True)
                    try:
                        conn.queue.put_nowait(item)
                    except asyncio.QueueFull:
                        conn.throttled += 1
                        async with conn.send_lock:  # API Gateway's answer to a throttled message
                            await ws.send_str(json.dumps({"message": "Too Many Requests",
                                                          "connectionId": conn_id}))
                elif msg.type == WSMsgType.ERROR:
                    exc = ws.exception()
                    conn.close_code = int(getattr(exc, "code", 0) or WSCloseCode.INTERNAL_ERROR)
                    log.info("ws %s closed by error: %s", conn_id, exc)
                    break
        finally:
            conn.open = False
            self.connections.pop(conn_id, None)
            watchdog.cancel()
            if not ws.closed:
                await ws.close()
            conn.close_code = conn.close_code or ws.close_code or 1006
            while not conn.queue.empty():  # the client is gone: its waiting frames are dropped
                conn.queue.get_nowait()
            conn.queue.put_nowait(_DISCONNECT)
            try:
                await consumer
            except asyncio.CancelledError:
                pass
            if task is not None:
                self._sessions.discard(task)
            log.info("ws closed %s code=%s after %.1fs", conn_id, conn.close_code,
                     time.time() - conn.connected_at)
        return ws

    def _disconnect_event(self, conn: Connection, code: int, reason: str) -> dict[str, Any]:
        ctx = self._conn_context(conn, "$disconnect", "DISCONNECT")
        ctx.update({"disconnectStatusCode": code, "disconnectReason": reason})
        return {"headers": {}, "requestContext": ctx, "isBase64Encoded": False}

    async def _consume(self, conn: Connection) -> None:
        """Run ``$default`` for each frame in order, then ``$disconnect`` once."""
        while True:
            item = await conn.queue.get()
            if item is _DISCONNECT:
                try:
                    await self._invoke(self._disconnect, self._disconnect_event(
                        conn, conn.close_code or 1006, conn.close_reason))
                except Exception:  # noqa: BLE001
                    log.exception("$disconnect failed for %s", conn.connection_id)
                return
            body, is_b64 = item
            event = {
                "requestContext": self._conn_context(conn, "$default", "MESSAGE"),
                "body": body,
                "isBase64Encoded": is_b64,
            }
            event["requestContext"]["messageId"] = secrets.token_urlsafe(9)
            try:
                result = await self._invoke(self._message, event)
            except Exception:  # noqa: BLE001 - a failed invocation does not close the socket
                log.exception("$default failed for %s", conn.connection_id)
                continue
            # two-way $default route (the template's route response): the body goes to the client
            body = result.get("body") if isinstance(result, dict) else None
            if isinstance(body, str):
                async with conn.send_lock:
                    if conn.open and not conn.ws.closed:
                        try:
                            await conn.ws.send_str(body)
                        except (ConnectionError, RuntimeError):
                            pass  # the client went away: API Gateway drops it too

    async def _watchdog(self, conn: Connection) -> None:
        """Close idle or too old connections like API Gateway (1001 Going Away)."""
        while conn.open:
            now = time.time()
            idle_at = conn.last_active + self.idle_timeout
            end_at = conn.connected_at + self.max_lifetime
            if now >= idle_at or now >= end_at:
                conn.close_reason = "Going away (idle timeout)" if now >= idle_at else "Going away (max lifetime)"
                log.info("ws %s: %s", conn.connection_id, conn.close_reason)
                conn.close_code = int(WSCloseCode.GOING_AWAY)
                # closed from its own task: the session's finally cancels this watchdog
                self._spawn(conn.ws.close(code=WSCloseCode.GOING_AWAY, message=b"Going away"))
                return
            await asyncio.sleep(max(0.05, min(idle_at, end_at) - now))

    # ------------------------------------------------------------------ Management API
    async def post_to(self, connection_id: str, data: bytes) -> int:
        """``POST @connections/{id}``: send one frame; 200, 410 (unknown or closed) or 413 (too large).
        Posts to one connection keep their order (FIFO lock)."""
        if len(data) > MAX_MESSAGE_BYTES:
            return 413
        conn = self.connections.get(connection_id)
        if conn is None or not conn.open:
            return 410
        async with conn.send_lock:
            if not conn.open or conn.ws.closed:
                return 410
            try:
                try:
                    await conn.ws.send_str(data.decode("utf-8"))
                except UnicodeDecodeError:
                    await conn.ws.send_bytes(data)
            except (ConnectionError, RuntimeError):
                return 410
        conn.touch()
        return 200

    def connection_info(self, connection_id: str) -> dict[str, Any] | None:
        """``GET @connections/{id}`` in the wire's names (boto3 shows ConnectedAt, Identity.SourceIp,
        LastActiveAt); ``None`` when gone."""
        conn = self.connections.get(connection_id)
        if conn is None or not conn.open:
            return None
        return {"connectedAt": _iso(conn.connected_at),
                "identity": {"sourceIp": conn.source_ip, "userAgent": conn.user_agent},
                "lastActiveAt": _iso(conn.last_active)}

    def delete(self, connection_id: str) -> int:
        """``DELETE @connections/{id}``: close with 1001 (its ``$disconnect`` runs); 204 or 410."""
        conn = self.connections.get(connection_id)
        if conn is None or not conn.open:
            return 410
        conn.open = False
        self.connections.pop(conn.connection_id, None)
        conn.close_code = int(WSCloseCode.GOING_AWAY)
        conn.close_reason = "Connection deleted"
        self._spawn(conn.ws.close(code=WSCloseCode.GOING_AWAY, message=b"Going away"))
        return 204

    async def management(self, request: web.Request) -> web.StreamResponse:
        """``/@connections/{connection_id}`` over HTTP (POST send, GET info, DELETE close); loopback
        callers only."""
        if not _is_loopback(request.remote):
            return web.json_response({"message": "Forbidden"}, status=403,
                                     headers={"x-amzn-ErrorType": "ForbiddenException"})
        connection_id = request.match_info["connection_id"]
        if request.method == "POST":
            status = await self.post_to(connection_id, await request.read())
            if status == 413:
                return web.json_response({"message": "Payload too large"}, status=413,
                                         headers={"x-amzn-ErrorType": "PayloadTooLargeException"})
            return _gone() if status == 410 else web.Response(status=200)
        if request.method == "GET":
            info = self.connection_info(connection_id)
            return _gone() if info is None else web.json_response(info)
        if request.method == "DELETE":
            return _gone() if self.delete(connection_id) == 410 else web.Response(status=204)
        return web.json_response({"message": "Method not allowed"}, status=405)

    # ------------------------------------------------------------------ shutdown
    async def close_all(self, timeout: float = 5.0) -> None:
        """Close every connection (their ``$disconnect`` runs) and wait a little for it."""
        for conn in list(self.connections.values()):
            conn.close_code = int(WSCloseCode.GOING_AWAY)
            conn.close_reason = "Server shutting down"
            try:
                await asyncio.wait_for(conn.ws.close(code=WSCloseCode.GOING_AWAY, message=b"Server shutting down"),
                                       timeout=1.0)
            except (TimeoutError, ConnectionError, RuntimeError):
                pass
        pending = [t for t in self._sessions if not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=timeout)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def info(self) -> dict[str, Any]:
        return {"open_connections": len(self.connections),
                "frames_waiting": sum(c.queue.qsize() for c in self.connections.values()),
                "frames_throttled": sum(c.throttled for c in self.connections.values())}

