"""Assembly and lifecycle: stale processes → backends → environment → app import → tables → server.

Start-up order matters: whatever a previous start on the same data folder left running is
stopped first (it may hold the port); the backends come up (DynamoDB Local and SeaweedFS by
default, moto in memory with ``--store memory``); the app reads its settings (endpoints,
signing key, directory) from the environment, and ``app.py`` reads some at import, so the
environment is complete before ``import app``. Ctrl-C / SIGTERM close the WebSockets (their
``$disconnect`` runs), stop the stream pollers (checkpoints saved), then the servers.
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
    REPO_ROOT,
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
    """``METHOD path status bytes ms``; query strings as names only (no values), none for /ws (the
    ticket), never headers."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        path = request.path
        if request.query_string and not (path == "/ws" or path.startswith("/ws/")):
            # names only: a value may be a token a client put where it does not belong
            path += "?" + "&".join(f"{name}=…" for name in dict.fromkeys(request.query))
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
    services: Any = None  # services.LocalServices when this gateway started servers
    pollers: list[Any] = field(default_factory=list)
    schedules: list[Any] = field(default_factory=list)
    queues: Any = None  # queues.LocalQueues: SQS on loopback
    queue_pollers: list[Any] = field(default_factory=list)
    mail: Any = None  # mail.MailCatcher when EMAIL_TRANSPORT=smtp and no SMTP_HOST was given
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
    """The development seed (templates, demo users, a demo incident); it lives here, outside
    the Lambda package, and is idempotent (a restart finds it in place)."""
    from infrastructure.local_gateway.seed import load_dev_seed

    try:
        summary = load_dev_seed()
    except Exception:  # noqa: BLE001 - a broken seed must not keep the stack from starting
        log.exception("development seed failed (the stack runs without it)")
        return
    log.info("development seed: %s", summary)


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
    web_app.router.add_route("*", r"/api/{tail:[\s\S]*}", rest.handle)  # any byte, newlines too
    web_app.router.add_get("/ws", sockets.handle)
    web_app.router.add_get("/ws/{room_id}", sockets.handle)
    web_app.router.add_route("*", "/@connections/{connection_id}", sockets.management)
    web_app.router.add_get("/__local/info", info)
    if runtime.mail is not None:
        runtime.mail.add_routes(web_app)  # /__local/mail: what the app sent (development only)
    web_app.router.add_route("*", "/{tail:.*}", site.handle)
    from infrastructure.local_gateway.security import headers_signal

    web_app.on_response_prepare.append(
        headers_signal(runtime.url, os.environ.get("S3_PUBLIC_ENDPOINT") or runtime.s3_endpoint))

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
        "management_api": runtime.options.management_api,
        "store": runtime.options.store,
        "data_dir": str(runtime.options.data_dir) if runtime.options.data_dir else None,
        "started_servers": sorted(runtime.services.children) if runtime.services else [],
        "embedded_moto": runtime.moto is not None,
        "table_prefix": settings.table_prefix,
        "region": settings.region,
        "stage": runtime.options.stage,
        "pid": os.getpid(),
        "streams": [p.info() for p in runtime.pollers],
        "schedules": [s.info() for s in runtime.schedules],
        "mail": runtime.mail.info() if runtime.mail is not None else None,
        "queues": {**runtime.queues.info(), "consumers": [p.info() for p in runtime.queue_pollers]}
        if runtime.queues is not None else None,
    }
    if sockets is not None:
        data.update(sockets.info())
    return data


SWITCH_INTERVAL = 0.001  # seconds (sys.setswitchinterval; see main)

MEMORY_WARNING = ("  WARNING: --store memory is moto in this process: SINGLE USER ONLY. Under concurrent use\n"
                  "  (two senders in one room) a failed transaction restores deep copies of the tables, the\n"
                  "  stream reader is orphaned and messages stop arriving; concurrent writes can be lost.\n"
                  "  Data is lost on exit. Use the default store (make dev) for anything with several users.")


def _banner(runtime: Runtime) -> str:
    url = runtime.url.replace("//127.0.0.1:", "//localhost:")
    lines = [
        "",
        f"  Incident response (local)   {url}",
        f"  REST {url}/api   WebSocket {url.replace('http', 'ws', 1)}/ws",
        f"  DynamoDB {runtime.dynamodb_endpoint}   S3 {runtime.s3_endpoint}",
    ]
    data_dir = runtime.options.data_dir
    if runtime.services is not None and data_dir is not None:
        try:
            shown = data_dir.relative_to(REPO_ROOT)
        except ValueError:
            shown = data_dir
        lines.append(f"  Data kept in {shown}/ ({' + '.join(sorted(runtime.services.children))}); "
                     "make dev-reset empties it")
    if runtime.moto is not None:
        lines.append(MEMORY_WARNING)
    logins = demo_logins()
    if logins:
        lines.append(f"  Demo logins (password {DEMO_PASSWORD}):")
        lines.extend(f"    {line}" for line in logins)
    if runtime.mail is not None:
        lines.append(f"  E-mail caught locally: {url}/__local/mail (SMTP {runtime.mail.host}:{runtime.mail.port})")
    lines += ["  Ctrl-C to stop.", ""]
    return "\n".join(lines)


async def _serve(runtime: Runtime, app_module: Any, sock: Any) -> None:
    from chalicelib.connections import sender

    web_app, sockets = build_web_app(runtime, app_module)
    if runtime.options.management_api == "inprocess":
        from infrastructure.local_gateway.management import InProcessManagementClient

        sender.use_client(InProcessManagementClient(sockets, asyncio.get_running_loop()))
    # long request lines reach the app (which answers in the contract's shape) instead of
    # aiohttp's plain-text 400 at 8 KB
    runner = web.AppRunner(web_app, max_line_size=65536, max_field_size=65536,
                           access_log_class=AccessLogger,
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
    for schedule in runtime.schedules:
        schedule.start()
    for queue_poller in runtime.queue_pollers:
        queue_poller.start()
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
    if runtime.options.management_api == "inprocess":
        sender.use_client(None)  # this loop ends: what still posts finds the endpoint closed
    log.debug("web server stopped")


def _start_queues(options: Options, local: bool) -> Any:
    """SQS on loopback; the app's queue URLs point at it (set before the app reads its settings)."""
    from chalicelib.connections.delivery import fanout_queue_name
    from chalicelib.core.settings import load_settings
    from chalicelib.outbound.queue import queue_name
    from infrastructure.local_gateway.queues import LocalQueues

    store = options.data_dir / "queues.json" if local and options.data_dir is not None else None
    queues = LocalQueues(store, visibility_timeout=options.queue_visibility)
    queues.start()
    os.environ["SQS_ENDPOINT"] = queues.endpoint
    os.environ["OUTBOUND_QUEUE_URL"] = queues.url(queue_name(load_settings()))
    os.environ["FANOUT_QUEUE_URL"] = queues.url(fanout_queue_name(load_settings()))
    return queues


def _start_mail() -> Any:
    """The local mail catcher, when the app sends by SMTP and no server was named (before the app
    reads its settings)."""
    from infrastructure.local_gateway import mail

    if not mail.wanted():
        return None
    catcher = mail.MailCatcher()
    catcher.start()
    mail.point_app_at(catcher)
    return catcher


def _terminate_startup(*_: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM while starting: the same orderly stop as Ctrl-C


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    _setup_logging(options.verbose)
    from infrastructure.local_gateway import services

    if options.reset:
        assert options.data_dir is not None
        try:
            stopped = services.reset(options.data_dir)
        except services.ServiceError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        for what in stopped:
            print(f"stopped {what}")
        print(f"emptied {options.data_dir}")
        return 0
    signal.signal(signal.SIGTERM, _terminate_startup)
    # One process plays API Gateway and every Lambda function: the event loop (sockets,
    # @connections) competes for the GIL with the handler threads. Python's default 5 ms switch
    # interval makes each of its wake-ups wait behind a busy handler; 1 ms keeps it responsive.
    sys.setswitchinterval(SWITCH_INTERVAL)
    runtime = Runtime(options)
    local = options.store == "local"
    if local and options.data_dir is not None:
        services.stop_stale(options.data_dir)  # a previous start killed with -9 may hold ports and files
    try:
        sock = bind_socket(options.host, options.port)
    except OSError as exc:
        print(f"Cannot listen on {options.host}:{options.port}: {exc}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    runtime.url = runtime.management_endpoint = loopback_url(options.host, port)
    checkpoints = None
    try:
        if local and options.data_dir is not None:
            services.register_gateway(options.data_dir, port)
        if local and not (options.dynamodb_endpoint and options.s3_endpoint):
            assert options.data_dir is not None
            from infrastructure.local_gateway.config import gateway_origins

            runtime.services = services.LocalServices(
                options.data_dir, port, origins=gateway_origins(runtime.url),
                start_dynamodb=not options.dynamodb_endpoint, start_s3=not options.s3_endpoint)
            log.info("starting %s under %s ...", " and ".join(
                n for n, on in (("DynamoDB Local", not options.dynamodb_endpoint),
                                ("SeaweedFS", not options.s3_endpoint)) if on), options.data_dir)
            runtime.services.start()
        elif not local and not (options.dynamodb_endpoint and options.s3_endpoint):
            print(MEMORY_WARNING, file=sys.stderr, flush=True)
            runtime.moto = EmbeddedMoto()
            runtime.moto.start()
        backing = runtime.services or runtime.moto
        runtime.dynamodb_endpoint = options.dynamodb_endpoint or backing.dynamodb_endpoint  # type: ignore[union-attr]
        runtime.s3_endpoint = options.s3_endpoint or backing.s3_endpoint  # type: ignore[union-attr]
        s3_keys = None
        if runtime.services is not None and runtime.services.s3_endpoint:
            s3_keys = (runtime.services.s3_access_key, runtime.services.s3_secret_key)
        apply_environment(options, runtime.dynamodb_endpoint, runtime.s3_endpoint, runtime.management_endpoint,
                          s3_keys)
        runtime.queues = _start_queues(options, local)
        runtime.mail = _start_mail()
        app_module = _prepare_app(runtime)
        from chalicelib.core.settings import get_settings
        from infrastructure.local_gateway.streams import CheckpointStore, pollers_for, watch_writes

        settings = get_settings()
        if local and options.data_dir is not None:
            checkpoints = CheckpointStore(options.data_dir / "stream-checkpoints.json")
        runtime.pollers = pollers_for(
            app_module.app, app_module, runtime.dynamodb_endpoint, settings.region, options.poll_interval,
            "TRIM_HORIZON" if options.stream_start == "trim_horizon" else "LATEST",
            housekeeping=EmbeddedMoto.prune_shard_iterators if runtime.moto and not options.dynamodb_endpoint
            else None,
            checkpoints=checkpoints,
        )
        watch_writes()
        from infrastructure.local_gateway.schedules import schedules_for

        runtime.schedules = schedules_for(app_module.app, app_module, settings.region, options.schedule_every)
        from infrastructure.local_gateway.queues import queue_pollers_for

        runtime.queue_pollers = queue_pollers_for(app_module.app, app_module, runtime.queues, settings.region)
        asyncio.run(_serve(runtime, app_module, sock))
    except KeyboardInterrupt:
        pass
    except services.ServiceError as exc:
        print(f"\n{exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for schedule in runtime.schedules:
            schedule.stop()
        for queue_poller in runtime.queue_pollers:
            queue_poller.stop()
        if runtime.mail is not None:
            runtime.mail.stop()
        if runtime.queues is not None:
            runtime.queues.stop()
        for poller in runtime.pollers:
            poller.stopping.set()
        for poller in runtime.pollers:
            poller.stop()
        if checkpoints is not None:
            checkpoints.flush()
        log.debug("stream pollers stopped")
        if runtime.moto:
            runtime.moto.stop()
        sock.close()
        if runtime.services is not None:
            runtime.services.stop()
        if local and options.data_dir is not None:
            services.unregister_gateway(options.data_dir)
        log.info("stopped")
    return 0
