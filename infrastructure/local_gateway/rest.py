"""REST under ``/api/*``: API Gateway's proxy integration via ``chalice.local.LocalGateway``.

Chalice keeps ``app.current_request`` on the app object, so one invocation runs at a time
(a lock — like one warm Lambda container). The handler runs in a worker thread, never on
the event loop.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from chalice.config import Config
from chalice.local import LocalGateway, LocalGatewayException, RouteMatcher
from multidict import CIMultiDict

from infrastructure.local_gateway.config import log

_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}


class _StageGateway(LocalGateway):
    """``LocalGateway`` whose events look more like API Gateway's (stage, request id, caller)."""

    def __init__(self, app: Any, config: Config, stage: str) -> None:
        super().__init__(app, config)
        self.stage = stage
        self.request_info: dict[str, Any] = {}  # set per invocation, under the lock

    def _generate_lambda_event(self, method: str, path: str, headers: Any, body: Any) -> Any:
        event = super()._generate_lambda_event(method, path, headers, body)
        info = self.request_info
        ctx = event["requestContext"]
        ctx.update({
            "stage": self.stage,
            "path": f"/{self.stage}{ctx.get('path') or '/'}",
            "requestId": info.get("request_id") or str(uuid.uuid4()),
            "apiId": "local",
            "domainName": info.get("host", "localhost"),
            "protocol": "HTTP/1.1",
            "requestTimeEpoch": int(time.time() * 1000),
            "identity": {"sourceIp": info.get("source_ip", "127.0.0.1"),
                         "userAgent": info.get("user_agent", "")},
        })
        event["resource"] = ctx.get("resourcePath")
        event["httpMethod"] = method
        event["path"] = unquote(path.split("?", 1)[0])
        if event.get("pathParameters"):
            event["pathParameters"] = {k: unquote(v) for k, v in event["pathParameters"].items()}
        multi = event.get("multiValueQueryStringParameters")
        event["queryStringParameters"] = {k: v[-1] for k, v in multi.items()} if multi else None
        event.setdefault("isBase64Encoded", False)
        return event


def _json_error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


class RestBridge:
    """aiohttp handler for ``/api`` and ``/api/{tail}``."""

    def __init__(self, app: Any, stage: str = "api") -> None:
        config = Config.create(chalice_stage="dev", app_name=app.app_name, function_name="api_handler",
                               lambda_timeout=29, lambda_memory_size=512)
        self._gateway = _StageGateway(app, config, stage)
        self._routes = RouteMatcher(list(app.routes))
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="rest")
        self.prefix = f"/{stage}"

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _invoke(self, method: str, path: str, headers: dict[str, str], body: bytes | None,
                info: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._gateway.request_info = info
            try:
                return dict(self._gateway.handle_request(method=method, path=path, headers=headers, body=body))
            except LocalGatewayException as exc:
                body_bytes = exc.body if isinstance(exc.body, bytes) else (exc.body or b"")
                return {"statusCode": exc.CODE, "headers": dict(exc.headers or {}),
                        "multiValueHeaders": {}, "body": body_bytes.decode("utf-8", "replace")}

    async def handle(self, request: web.Request) -> web.StreamResponse:
        # the raw (still percent-encoded) path: path parameters are decoded once, in the event
        raw_path, _, raw_query = request.raw_path.partition("?")
        path = raw_path[len(self.prefix):] or "/"
        target = path + (f"?{raw_query}" if raw_query else "")
        try:
            self._routes.match_route(target)
        except ValueError:
            return _json_error(404, "not_found", f"No route for {request.method} {self.prefix}{path}")
        headers: dict[str, str] = {}
        for name, value in request.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        body = await request.read() if request.body_exists else b""
        info = {
            "request_id": str(uuid.uuid4()),
            "host": request.host,
            "source_ip": request.remote or "127.0.0.1",
            "user_agent": request.headers.get("User-Agent", ""),
        }
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self._pool, self._invoke, request.method, target,
                                                headers, body or None, info)
        except Exception:  # noqa: BLE001 - API Gateway answers 502 when the integration fails
            log.exception("REST invocation failed: %s %s", request.method, request.path)
            return web.json_response({"message": "Internal server error"}, status=502)
        return self._to_response(result, info["request_id"])

    @staticmethod
    def _to_response(result: dict[str, Any], request_id: str) -> web.Response:
        status = int(result.get("statusCode") or 200)
        out: CIMultiDict[str] = CIMultiDict()
        for name, value in (result.get("headers") or {}).items():
            if name.lower() not in _HOP_BY_HOP:
                out[name] = str(value)
        for name, values in (result.get("multiValueHeaders") or {}).items():
            if name.lower() in _HOP_BY_HOP:
                continue
            out.popall(name, None)
            for value in values if isinstance(values, list) else [values]:
                out.add(name, str(value))
        out.setdefault("x-amzn-RequestId", request_id)
        raw = result.get("body")
        if raw is None:
            payload = b""
        elif result.get("isBase64Encoded"):
            payload = base64.b64decode(raw)
        elif isinstance(raw, bytes):
            payload = raw
        elif isinstance(raw, str):
            payload = raw.encode("utf-8")
        else:
            payload = json.dumps(raw).encode("utf-8")
        if payload and "Content-Type" not in out:
            out["Content-Type"] = "application/json"
        return web.Response(status=status, body=payload, headers=out)
