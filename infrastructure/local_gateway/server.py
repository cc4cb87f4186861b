"""Assembly and lifecycle: environment → backends → app import → tables → server.

Start-up order matters: the app reads its settings (endpoints, signing key, directory) from
the environment, and ``app.py`` reads some at import, so the environment is complete before
``import app``. Ctrl-C / SIGTERM close the WebSockets (their ``$disconnect`` runs), stop the
stream pollers and the embedded moto server.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from infrastructure.local_gateway.config import (
    DEMO_PASSWORD,
    EmbeddedMoto,
    Options,
    apply_environment,
    bind_socket,
    demo_logins,
    log,
    loopback_url,
    parse_args,
)


class AccessLogger(AbstractAccessLogger):
    """``METHOD path status bytes ms``; no query string for /ws (the ticket), never headers."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        path = request.path
        if not (path == "/ws" or path.startswith("/ws/")) and request.query_string:
            path = request.path_qs
        if path.startswith("/@connections/") and response.status < 400:
            return  # the Management API is chatty and internal; errors still show
        self.logger.info("%s %s %s %s %.0fms", request.method, path, response.status,
                         response.body_length, time * 1000)


@dataclass
class Runtime:
    """Everything started, so that it can be stopped."""

    options: Options
    url: str = ""
    dynamodb_endpoint: str = ""
    s3_endpoint: str = ""
    management_endpoint: str = ""
    moto: EmbeddedMoto | None = None
    pollers: list[Any] = field(default_factory=list)
    started: float = field(default_factory=time.time)


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s.%(msecs)03d %(name)s %(message)s", "%H:%M:%S"))
    for name in ("local_gateway", "local_gateway.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.DEBUG if verbose and name == "local_gateway" else logging.INFO)
        logger.propagate = False
    logging.getLogger("aiohttp.access").disabled = True


def _seed() -> None:
    """The development seed (templates, demo data); it lives here, outside the Lambda package."""
    from infrastructure.local_gateway.seed import load_dev_seed

    load_dev_seed()
    log.info("development seed loaded")


def _prepare_app(runtime: Runtime) -> Any:
    """Import ``app.py``, bind the models, create the tables, seed."""
    from chalicelib.core.settings import get_settings

    get_settings.cache_clear()
    app_module = importlib.import_module("app")
    app = app_module.app
    # app.websocket_api.send() (if anything uses it) must reach this gateway too
    import boto3

    if getattr(app.websocket_api, "session", None) is None:
        app.websocket_api.session = boto3.session.Session()
    app.websocket_api._endpoint = runtime.management_endpoint
    from chalicelib import tables

    created = tables.create_all()
    if created:
        log.info("created tables: %s", ", ".join(created))
    if runtime.options.seed:
        _seed()
    return app_module


def build_web_app(runtime: Runtime, app_module: Any) -> tuple[web.Application, Any]:
    """The aiohttp application: /api, /ws, /@connections, /__local/info and the SPA."""
    from infrastructure.local_gateway.rest import RestBridge
    from infrastructure.local_gateway.static import StaticSite
    from infrastructure.local_gateway.websocket import WebsocketBridge

    options = runtime.options
    rest = RestBridge(app_module.app, stage=options.stage)
    sockets = WebsocketBridge(app_module, options.stage, options.ws_idle_timeout, options.ws_max_lifetime)
    site = StaticSite(options.static)

    async def info(_: web.Request) -> web.Response:
        return web.json_response(runtime_info(runtime, sockets))

    web_app = web.Application(client_max_size=10 * 1024 * 1024)
    web_app.router.add_route("*", "/api", rest.handle)
    web_app.router.add_route("*", "/api/{tail:.*}", rest.handle)
    web_app.router.add_get("/ws", sockets.handle)
    web_app.router.add_get("/ws/{room_id}", sockets.handle)
    web_app.router.add_route("*", "/@connections/{connection_id}", sockets.management)
    web_app.router.add_get("/__local/info", info)
    web_app.router.add_route("*", "/{tail:.*}", site.handle)

    async def on_shutdown(_: web.Application) -> None:
        await sockets.close_all()
        rest.close()

    web_app.on_shutdown.append(on_shutdown)
    return web_app, sockets


def runtime_info(runtime: Runtime, sockets: Any = None) -> dict[str, Any]:
    """What tests and tools need to reach the stack (no secrets)."""
    from chalicelib.core.settings import get_settings

    settings = get_settings()
    data = {
        "url": runtime.url,
        "websocket_url": runtime.url.replace("http", "ws", 1) + "/ws",
        "dynamodb_endpoint": runtime.dynamodb_endpoint,
        "s3_endpoint": runtime.s3_endpoint,
        "ws_management_endpoint": runtime.management_endpoint,
        "embedded_moto": runtime.moto is not None,
        "table_prefix": settings.table_prefix,
        "region": settings.region,
        "stage": runtime.options.stage,
        "pid": os.getpid(),
        "streams": [{"function": p.function_name, "table": p.table, "stream_arn": p.stream_arn,
                     "shards": len(p.shards), "batches": p.batches, "records": p.records}
                    for p in runtime.pollers],
    }
    if sockets is not None:
        data.update(sockets.info())
    return data


def _banner(runtime: Runtime) -> str:
    url = runtime.url.replace("//127.0.0.1:", "//localhost:")
    lines = [
        "",
        f"  Incident response (local)   {url}",
        f"  REST {url}/api   WebSocket {url.replace('http', 'ws', 1)}/ws",
        f"  DynamoDB {runtime.dynamodb_endpoint}   S3 {runtime.s3_endpoint}"
        + ("   (embedded moto: data is lost on exit)" if runtime.moto else ""),
    ]
    logins = demo_logins()
    if logins:
        lines.append(f"  Demo logins (password {DEMO_PASSWORD}):")
        lines.extend(f"    {line}" for line in logins)
    lines += ["  Ctrl-C to stop.", ""]
    return "\n".join(lines)


async def _serve(runtime: Runtime, app_module: Any, sock: Any) -> None:
    web_app, _sockets = build_web_app(runtime, app_module)
    runner = web.AppRunner(web_app, access_log_class=AccessLogger,
                           access_log=logging.getLogger("local_gateway.access"), handle_signals=False,
                           shutdown_timeout=3.0)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - non-POSIX
            signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
    for poller in runtime.pollers:
        poller.start()
    print(_banner(runtime), flush=True)
    print("LOCAL_GATEWAY_READY " + json.dumps(runtime_info(runtime)), flush=True)
    await stop.wait()
    for sig in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C interrupts a slow shutdown
        try:
            loop.remove_signal_handler(sig)
        except (NotImplementedError, RuntimeError):  # pragma: no cover
            pass
    log.info("stopping ...")
    await runner.cleanup()
    log.debug("web server stopped")


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    _setup_logging(options.verbose)
    runtime = Runtime(options)
    try:
        sock = bind_socket(options.host, options.port)
    except OSError as exc:
        print(f"Cannot listen on {options.host}:{options.port}: {exc}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    runtime.url = runtime.management_endpoint = loopback_url(options.host, port)
    try:
        if not (options.dynamodb_endpoint and options.s3_endpoint):
            runtime.moto = EmbeddedMoto()
            runtime.moto.start()
        runtime.dynamodb_endpoint = options.dynamodb_endpoint or runtime.moto.endpoint  # type: ignore[union-attr]
        runtime.s3_endpoint = options.s3_endpoint or runtime.moto.endpoint  # type: ignore[union-attr]
        apply_environment(options, runtime.dynamodb_endpoint, runtime.s3_endpoint, runtime.management_endpoint)
        app_module = _prepare_app(runtime)
        from chalicelib.core.settings import get_settings
        from infrastructure.local_gateway.streams import pollers_for

        settings = get_settings()
        runtime.pollers = pollers_for(
            app_module.app, app_module, runtime.dynamodb_endpoint, settings.region, options.poll_interval,
            "TRIM_HORIZON" if options.stream_start == "trim_horizon" else "LATEST",
            housekeeping=EmbeddedMoto.prune_shard_iterators if runtime.moto and not options.dynamodb_endpoint
            else None,
        )
        asyncio.run(_serve(runtime, app_module, sock))
    except KeyboardInterrupt:
        pass
    finally:
        for poller in runtime.pollers:
            poller.stopping.set()
        for poller in runtime.pollers:
            poller.stop()
        log.debug("stream pollers stopped")
        if runtime.moto:
            runtime.moto.stop()
        sock.close()
        log.info("stopped")
    return 0
