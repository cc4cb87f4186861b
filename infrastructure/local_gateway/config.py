"""Command line options, the development environment and the embedded moto server.

Everything here runs *before* ``app.py`` is imported: the app reads its settings from the
environment, so the endpoints, the signing key and the dev directory must be in place first.

Stores: ``--store local`` (the default) runs DynamoDB Local and SeaweedFS with their data in
``--data-dir`` (``services.py``); ``--store memory`` is moto in this process — single-user
only (a failed transaction restores deep copies of the tables, which orphans the stream
reader and can drop concurrent writes). ``--dynamodb-endpoint`` / ``--s3-endpoint`` use
servers someone else runs instead of starting one.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("local_gateway")

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO_ROOT / ".local" / "data"
DEV_DIRECTORY_FILE = REPO_ROOT / "infrastructure" / "local" / "dev-directory.json"
DEMO_PASSWORD = "Passw0rd!"  # the dev directory's password for every demo user


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


@dataclass
class Options:
    """Parsed command line (with environment fallbacks)."""

    host: str = "127.0.0.1"
    port: int = 8000
    static: Path | None = None
    dynamodb_endpoint: str | None = None
    s3_endpoint: str | None = None
    table_prefix: str | None = None
    store: str = "local"  # local (DynamoDB Local + SeaweedFS) | memory (moto, single user)
    data_dir: Path | None = None  # local servers' data, stream checkpoints, the dev signing key
    reset: bool = False
    seed: bool = True
    stream_start: str = "trim_horizon"  # latest | trim_horizon (shards without a checkpoint at start)
    poll_interval: float = 0.15
    schedule_every: float | None = None  # seconds between runs of every scheduled function (None: its own rate)
    queue_visibility: float = 5.0  # seconds before a message a queue handler failed is received again
    management_api: str = "inprocess"  # how the hosted functions reach @connections: inprocess | http
    ws_idle_timeout: float = 600.0
    ws_max_lifetime: float = 7200.0
    stage: str = "api"
    verbose: bool = False


def parse_args(argv: list[str] | None = None) -> Options:
    """Parse ``argv`` into :class:`Options`."""
    parser = argparse.ArgumentParser(
        prog="python -m infrastructure.local_gateway",
        description="Development-only local API Gateway: REST (/api), WebSocket (/ws), "
                    "Management API, DynamoDB Streams → Lambda, and the built SPA on one port.",
    )
    parser.add_argument("--host", default=os.environ.get("LOCAL_GATEWAY_HOST", "127.0.0.1"),
                        help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCAL_GATEWAY_PORT", "8000")),
                        help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--static", default=str(REPO_ROOT / "frontend" / "dist"),
                        help="folder of the built SPA (default frontend/dist)")
    parser.add_argument("--store", choices=["local", "memory"], default=os.environ.get("LOCAL_STORE") or "local",
                        help="local (default): DynamoDB Local + SeaweedFS keeping their data in --data-dir; "
                             "memory: moto in this process, data lost on exit, SINGLE USER ONLY")
    parser.add_argument("--data-dir", default=os.environ.get("LOCAL_DATA_DIR") or None,
                        help=f"data folder of the local servers, stream checkpoints and the dev signing key "
                             f"(default {DEFAULT_DATA_DIR.relative_to(REPO_ROOT)} with --store local)")
    parser.add_argument("--reset", action="store_true",
                        help="stop a stack still running on --data-dir, delete the folder, exit (make dev-reset)")
    parser.add_argument("--dynamodb-endpoint", default=os.environ.get("DYNAMODB_ENDPOINT") or None,
                        help="use this DynamoDB (and Streams) endpoint instead of starting one")
    parser.add_argument("--s3-endpoint", default=os.environ.get("S3_ENDPOINT") or None,
                        help="use this S3 endpoint (SeaweedFS, MinIO) instead of starting one")
    parser.add_argument("--table-prefix", default=None, help="TABLE_PREFIX for the app")
    parser.add_argument("--no-seed", action="store_true", help="do not load the development seed")
    parser.add_argument("--stream-start", choices=["latest", "trim_horizon"], default="trim_horizon",
                        help="where to start on stream shards without a saved checkpoint (default trim_horizon)")
    parser.add_argument("--poll-interval", type=float, default=0.15,
                        help="seconds between GetRecords calls per shard (default 0.15)")
    parser.add_argument("--schedule-every", type=float, default=None,
                        help="run the app's scheduled functions every N seconds (default: their own rate)")
    parser.add_argument("--queue-visibility", type=float, default=_env_float("LOCAL_QUEUE_VISIBILITY", 5.0),
                        help="seconds before a queue message whose handler failed is received again (default 5)")
    parser.add_argument("--management-api", choices=["inprocess", "http"],
                        default=os.environ.get("LOCAL_MANAGEMENT_API") or "inprocess",
                        help="how the functions reach @connections: in this process (default) or over "
                             "loopback HTTP with boto3, as on AWS")
    parser.add_argument("--verbose", "-v", action="store_true", help="debug logging of the gateway")
    ns = parser.parse_args(argv)
    data_dir = Path(ns.data_dir).resolve() if ns.data_dir else (
        DEFAULT_DATA_DIR if ns.store == "local" or ns.reset else None)
    return Options(
        host=ns.host,
        port=ns.port,
        static=Path(ns.static).resolve() if ns.static else None,
        dynamodb_endpoint=ns.dynamodb_endpoint,
        s3_endpoint=ns.s3_endpoint,
        table_prefix=ns.table_prefix,
        store=ns.store,
        data_dir=data_dir,
        reset=ns.reset,
        seed=not ns.no_seed,
        stream_start=ns.stream_start,
        poll_interval=max(0.02, ns.poll_interval),
        schedule_every=max(0.5, ns.schedule_every) if ns.schedule_every else None,
        queue_visibility=max(0.1, ns.queue_visibility),
        management_api=ns.management_api,
        ws_idle_timeout=_env_float("LOCAL_WS_IDLE_TIMEOUT", 600.0),
        ws_max_lifetime=_env_float("LOCAL_WS_MAX_LIFETIME", 7200.0),
        verbose=ns.verbose,
    )


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind the listening socket first: the app must know the gateway's port before import."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def free_port(host: str = "127.0.0.1") -> int:
    """A currently free TCP port on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def loopback_url(host: str, port: int) -> str:
    """How processes on this machine reach a server bound to ``host``."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class EmbeddedMoto:
    """moto's server in this process (DynamoDB, DynamoDB Streams and S3 on one endpoint)."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.endpoint = f"http://127.0.0.1:{self.port}"

    @property
    def dynamodb_endpoint(self) -> str:
        return self.endpoint

    @property
    def s3_endpoint(self) -> str:
        return self.endpoint

    def start(self) -> None:
        self._server.start()
        # werkzeug logs every moto request at INFO: far too chatty next to the access log
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def stop(self) -> None:
        try:
            self._server.stop()
        except Exception:  # noqa: BLE001 - best effort at shutdown
            log.debug("moto stop failed", exc_info=True)

    @staticmethod
    def prune_shard_iterators(keep: int = 2000) -> None:
        """moto keeps every shard iterator forever; drop the oldest (like their 15 min expiry)."""
        try:
            from moto.dynamodbstreams.models import dynamodbstreams_backends

            for account in list(dynamodbstreams_backends.values()):
                for backend in list(account.values()):
                    iterators = backend.shard_iterators
                    excess = len(iterators) - keep
                    if excess > 0:
                        for key in list(iterators)[:excess]:
                            iterators.pop(key, None)
        except Exception:  # noqa: BLE001 - moto internals; pruning is only a memory nicety
            log.debug("could not prune moto shard iterators", exc_info=True)


def _chalice_config_env(stage: str = "dev") -> dict[str, str]:
    """Environment variables that ``.chalice/config.json`` gives the functions of ``stage``."""
    path = REPO_ROOT / ".chalice" / "config.json"
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    env = dict(config.get("environment_variables") or {})
    env.update((config.get("stages", {}).get(stage, {}) or {}).get("environment_variables") or {})
    return {str(k): str(v) for k, v in env.items()}


def dev_signing_key(data_dir: Path) -> str:
    """The development signing key kept in the data folder: sessions survive a restart."""
    path = data_dir / "jwt-secret"
    try:
        key = path.read_text(encoding="utf-8").strip()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


def dev_vapid_keys(data_dir: Path | None) -> tuple[str, str]:
    """Web Push keys for development, generated once and kept with the data (browsers'
    subscriptions are bound to the public key): ``(public, private)`` as base64url."""
    from infrastructure.vapid_keys import generate

    path = data_dir / "vapid.json" if data_dir is not None else None
    try:
        if path is not None:
            saved = json.loads(path.read_text(encoding="utf-8"))
            return str(saved["public"]), str(saved["private"])
    except (OSError, ValueError, KeyError):
        pass
    public, private = generate()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"public": public, "private": private}), encoding="utf-8")
        path.chmod(0o600)
    return public, private


def apply_environment(options: Options, dynamodb_endpoint: str, s3_endpoint: str,
                      management_endpoint: str, s3_keys: tuple[str, str] | None = None) -> None:
    """Set the app's environment (defaults only where the developer has not set a value)."""
    env = os.environ
    for key, value in _chalice_config_env().items():
        env.setdefault(key, value)
    if not env.get("AWS_ACCESS_KEY_ID") and not env.get("AWS_PROFILE"):
        env["AWS_ACCESS_KEY_ID"] = "local"
        env["AWS_SECRET_ACCESS_KEY"] = "local"
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
    env["AWS_REGION"] = region
    env.setdefault("AWS_DEFAULT_REGION", region)
    env.setdefault("STAGE", "dev")
    env.setdefault("API_REFERENCE", "true")  # GET /api/reference
    if not env.get("JWT_SECRET") and not env.get("JWT_SECRET_PARAMETER"):
        # kept with the data (sessions survive a restart); in memory a new key per start
        env["JWT_SECRET"] = (dev_signing_key(options.data_dir) if options.data_dir and options.store == "local"
                             else secrets.token_urlsafe(48))
    if not env.get("VAPID_PRIVATE_KEY") and not env.get("VAPID_PRIVATE_KEY_PARAMETER"):
        keep = options.data_dir if options.data_dir and options.store == "local" else None
        env["VAPID_PUBLIC_KEY"], env["VAPID_PRIVATE_KEY"] = dev_vapid_keys(keep)
    env.setdefault("WEBHOOK_ALLOW_PRIVATE", "true")  # development: receivers on this machine or the LAN
    env.setdefault("DIRECTORY_MODE", "dev")
    env.setdefault("DEV_DIRECTORY_FILE", str(DEV_DIRECTORY_FILE))
    env.setdefault("LDAP_BASE_DN", "dc=panjit,dc=com,dc=tw")
    env.setdefault("ADMIN_GROUP", "IRS-Admins")
    env.setdefault("REPORT_GROUP", "IRS-Reports")  # tsai.supervisor reads reports
    # e-mail: by SMTP to the mail catcher the gateway starts (unless SMTP_HOST names a server);
    # links in mails point at this gateway
    for name, value in (("EMAIL_TRANSPORT", "smtp"), ("PUBLIC_APP_URL", management_endpoint)):
        if not env.get(name, "").strip():
            env[name] = value
    if options.table_prefix:
        env["TABLE_PREFIX"] = options.table_prefix
    # these must point at what this process serves / started
    env["DYNAMODB_ENDPOINT"] = dynamodb_endpoint
    env["S3_ENDPOINT"] = s3_endpoint
    env["WS_MANAGEMENT_ENDPOINT"] = management_endpoint
    if s3_keys:  # the identity of the SeaweedFS this gateway started
        env["S3_ACCESS_KEY_ID"], env["S3_SECRET_ACCESS_KEY"] = s3_keys
    env.setdefault("WEBSOCKET_STAGE", options.stage)
    # files: the browser POSTs uploads and GETs downloads straight at the store (presigned)
    env.setdefault("FILES_BUCKET", "incident-dev-files")
    env.setdefault("S3_PUBLIC_ENDPOINT", s3_endpoint)
    env.setdefault("S3_ADDRESSING_STYLE", "path")  # bucket.127.0.0.1 does not resolve
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    ensure_files_bucket(s3_endpoint, gateway_origins(management_endpoint))


def gateway_origins(url: str) -> list[str]:
    """The origins a browser may load the SPA from (127.0.0.1 and localhost, plus CORS_ALLOW_ORIGIN)."""
    origins = [url]
    if "//127.0.0.1:" in url:
        origins.append(url.replace("//127.0.0.1:", "//localhost:"))
    extra = os.environ.get("CORS_ALLOW_ORIGIN", "").strip()
    if extra and extra not in origins:
        origins.append(extra)
    return origins


def ensure_files_bucket(s3_endpoint: str, origins: list[str]) -> None:
    """Create the files bucket (if missing) with CORS for the SPA's origins; a store that
    refuses is logged, not fatal (uploads then fail with the store's own error)."""
    import boto3
    from botocore.config import Config

    env = os.environ
    bucket = env["FILES_BUCKET"]
    region = env.get("S3_REGION") or env.get("AWS_REGION") or "us-east-1"
    keys = {}
    if env.get("S3_ACCESS_KEY_ID") and env.get("S3_SECRET_ACCESS_KEY"):
        keys = {"aws_access_key_id": env["S3_ACCESS_KEY_ID"], "aws_secret_access_key": env["S3_SECRET_ACCESS_KEY"]}
    s3 = boto3.session.Session().client(
        "s3", endpoint_url=s3_endpoint, region_name=region, **keys,
        config=Config(s3={"addressing_style": env.get("S3_ADDRESSING_STYLE") or "path"}, connect_timeout=3,
                      read_timeout=10, retries={"max_attempts": 2}))
    try:
        existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
        if bucket not in existing:
            extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
            s3.create_bucket(Bucket=bucket, **extra)
            log.info("created bucket %s on %s", bucket, s3_endpoint)
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [{
            "AllowedOrigins": origins, "AllowedMethods": ["GET", "HEAD", "POST"], "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag", "Content-Disposition"], "MaxAgeSeconds": 600}]})
    except Exception as exc:  # noqa: BLE001 - the gateway still serves everything else
        log.warning("files bucket %s on %s not prepared: %s", bucket, s3_endpoint, exc)


def demo_logins() -> list[str]:
    """Lines describing the dev directory's users (only in ``DIRECTORY_MODE=dev``)."""
    if os.environ.get("DIRECTORY_MODE", "").lower() != "dev":
        return []
    path = Path(os.environ.get("DEV_DIRECTORY_FILE") or DEV_DIRECTORY_FILE)
    if not path.is_absolute():
        path = REPO_ROOT / path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    admin = os.environ.get("ADMIN_GROUP", "").lower()
    lines = []
    for user in data.get("users", []):
        groups = [str(g).lower() for g in user.get("groups", [])]
        is_admin = bool(admin) and any(g == admin or g.startswith(f"cn={admin},") for g in groups)
        name = user.get("display_name") or user.get("cn") or ""
        lines.append(f"{user.get('sam', '?'):<16} {name}{' (administrator)' if is_admin else ''}")
    return lines
