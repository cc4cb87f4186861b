"""Typed settings read lazily from the environment — declared once, here.

Each field names its environment variable(s) and its default; :func:`load_settings` reads
them and ``infrastructure/package`` sets every function's environment from the same table
(:func:`declared`), so the app and the deployment cannot drift apart.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any


def _text(raw: str) -> str:
    return raw


def _optional(raw: str) -> str | None:
    return raw or None


def _int(raw: str) -> int:
    return int(raw)


def _float(raw: str) -> float:
    return float(raw)


def _bool(raw: str) -> bool:
    return raw.lower() in {"1", "true", "yes", "on"}


def _csv(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def setting(*env: str, default: Any, parse: Callable[[str], Any] = _text, case: str | None = None,
            aws: bool = True) -> Any:
    """A field read from the first non-empty of ``env``; ``case`` "lower"/"upper" normalises it;
    ``aws=False``: local plumbing or provided by Lambda itself (never set by the package)."""
    return field(default=default, metadata={"env": env, "parse": parse, "case": case, "aws": aws})


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with development defaults."""

    stage: str = setting("STAGE", default="dev")
    region: str = setting("AWS_REGION", "AWS_DEFAULT_REGION", default="us-east-1", aws=False)
    table_prefix: str = setting("TABLE_PREFIX", default="incident-dev")
    dynamodb_endpoint: str | None = setting("DYNAMODB_ENDPOINT", default=None, parse=_optional, aws=False)
    # tokens
    jwt_secret: str = setting("JWT_SECRET", default="", aws=False)
    jwt_secret_parameter: str = setting("JWT_SECRET_PARAMETER", default="")
    jwt_issuer: str = setting("JWT_ISSUER", default="incident-response")
    jwt_audience: str = setting("JWT_AUDIENCE", default="incident-response-spa")
    access_token_ttl: int = setting("ACCESS_TOKEN_TTL", default=900, parse=_int)
    refresh_token_ttl: int = setting("REFRESH_TOKEN_TTL", default=8 * 3600, parse=_int)
    ws_ticket_ttl: int = setting("WS_TICKET_TTL", default=60, parse=_int)
    session_cache_seconds: float = setting("SESSION_CACHE_SECONDS", default=5.0, parse=_float)
    # login lockout
    lockout_threshold: int = setting("LOCKOUT_THRESHOLD", default=5, parse=_int)
    lockout_window: int = setting("LOCKOUT_WINDOW", default=15 * 60, parse=_int)
    login_ip_limit: int = setting("LOGIN_IP_LIMIT", default=30, parse=_int)  # failed logins per source IP ...
    login_ip_window: int = setting("LOGIN_IP_WINDOW", default=5 * 60, parse=_int)  # ... within this many seconds
    # abuse limits on the WebSocket API (per user, per container: see README)
    message_rate: float = setting("MESSAGE_RATE", default=5.0, parse=_float)  # messages/edits/reactions per second
    message_burst: int = setting("MESSAGE_BURST", default=20, parse=_int)
    typing_rate: float = setting("TYPING_RATE", default=1.0, parse=_float)  # typing frames relayed per second
    typing_burst: int = setting("TYPING_BURST", default=3, parse=_int)  # start/stop pairs of quick messages
    max_connections_per_user: int = setting("MAX_CONNECTIONS_PER_USER", default=20, parse=_int)
    # machine events per integration key per second (token bucket, per container: see README)
    integration_event_rate: float = setting("INTEGRATION_EVENT_RATE", default=2.0, parse=_float)
    integration_event_burst: int = setting("INTEGRATION_EVENT_BURST", default=30, parse=_int)
    # directory
    directory_mode: str = setting("DIRECTORY_MODE", default="ldap", case="lower")  # ldap (AD) | dev (demo directory)
    ldap_urls: tuple[str, ...] = setting("LDAP_URLS", default=(), parse=_csv)
    ldap_base_dn: str = setting("LDAP_BASE_DN", default="")
    ldap_upn_suffix: str = setting("LDAP_UPN_SUFFIX", default="", case="lower")
    ldap_netbios_domain: str = setting("LDAP_NETBIOS_DOMAIN", default="", case="upper")
    ldap_tls: str = setting("LDAP_TLS", default="ldaps", case="lower")  # ldaps | starttls | plain (local only)
    ldap_ca_file: str = setting("LDAP_CA_FILE", default="", aws=False)
    ldap_ca_pem: str = setting("LDAP_CA_PEM", default="")  # the DCs' CA certificate(s) as PEM (public)
    ldap_validate_cert: bool = setting("LDAP_VALIDATE_CERT", default=True, parse=_bool)
    ldap_connect_timeout: float = setting("LDAP_CONNECT_TIMEOUT", default=3.0, parse=_float)
    ldap_receive_timeout: float = setting("LDAP_RECEIVE_TIMEOUT", default=5.0, parse=_float)
    dev_directory_file: str = setting("DEV_DIRECTORY_FILE", default="", aws=False)
    admin_emails: tuple[str, ...] = setting("ADMIN_EMAILS", default=(), parse=_csv, case="lower")
    admin_group: str = setting("ADMIN_GROUP", default="")
    report_group: str = setting("REPORT_GROUP", default="")  # AD group whose members read reports
    # realtime
    websocket_api_id: str = setting("WEBSOCKET_API_ID", default="")
    websocket_stage: str = setting("WEBSOCKET_STAGE", default="api")
    ws_management_endpoint: str = setting("WS_MANAGEMENT_ENDPOINT", default="", aws=False)
    connection_ttl: int = setting("CONNECTION_TTL", default=3 * 3600, parse=_int)
    # the response loop
    plant_timezone: str = setting("PLANT_TIMEZONE", default="Asia/Taipei")  # rosters' shift times
    # outbound deliveries (e-mail, Web Push, webhooks): an SQS queue and its consumer
    outbound_queue_url: str = setting("OUTBOUND_QUEUE_URL", default="")
    # large rooms: the fan-out posts the first FANOUT_CHUNK_SIZE connections itself and queues
    # the rest in chunks of that size for parallel invocations (no queue: it posts them all)
    fanout_queue_url: str = setting("FANOUT_QUEUE_URL", default="")
    fanout_chunk_size: int = setting("FANOUT_CHUNK_SIZE", default=200, parse=_int)
    sqs_endpoint: str | None = setting("SQS_ENDPOINT", default=None, parse=_optional, aws=False)
    outbound_max_attempts: int = setting("OUTBOUND_MAX_ATTEMPTS", default=5, parse=_int)
    outbound_backoff_seconds: float = setting("OUTBOUND_BACKOFF_SECONDS", default=30.0, parse=_float)  # ×4 each time
    outbound_lease_seconds: int = setting("OUTBOUND_LEASE_SECONDS", default=90, parse=_int)  # > the sender's timeout
    # Web Push (VAPID): the public key is public; the private key comes from SSM on AWS
    vapid_public_key: str = setting("VAPID_PUBLIC_KEY", default="")
    vapid_private_key: str = setting("VAPID_PRIVATE_KEY", default="", aws=False)
    vapid_private_key_parameter: str = setting("VAPID_PRIVATE_KEY_PARAMETER", default="")
    vapid_subject: str = setting("VAPID_SUBJECT", default="mailto:andon@example.com")
    push_service_hosts: tuple[str, ...] = setting(
        "PUSH_SERVICE_HOSTS", parse=_csv, case="lower",
        default=("fcm.googleapis.com", "push.services.mozilla.com", "push.apple.com", "notify.windows.com"))
    push_allow_any_endpoint: bool = setting("PUSH_ALLOW_ANY_ENDPOINT", default=False, parse=_bool)  # development
    # e-mail notifications (chalicelib/notifications/email.py)
    email_transport: str = setting("EMAIL_TRANSPORT", default="none", case="lower")  # smtp | ses | none
    email_from: str = setting("EMAIL_FROM", default="產線異常通報 <incident-response@localhost>")
    smtp_host: str = setting("SMTP_HOST", default="")
    smtp_port: int = setting("SMTP_PORT", default=587, parse=_int)
    smtp_tls: str = setting("SMTP_TLS", default="starttls", case="lower")  # starttls | tls | none (loopback only)
    smtp_username: str = setting("SMTP_USERNAME", default="")
    smtp_password: str = setting("SMTP_PASSWORD", default="", aws=False)  # locally; on AWS the parameter below
    smtp_password_parameter: str = setting("SMTP_PASSWORD_PARAMETER", default="")  # SSM SecureString name
    smtp_timeout: float = setting("SMTP_TIMEOUT", default=10.0, parse=_float)
    ses_region: str = setting("SES_REGION", default="")  # empty: the function's region
    # the SPA's address in links sent out (e-mail); falls back to the SPA's CORS origin
    public_app_url: str = setting("PUBLIC_APP_URL", "CORS_ALLOW_ORIGIN", default="")
    # webhooks (chalicelib/webhooks): https to public addresses only; development (make dev) may
    # post over http to loopback/private receivers — never settable on AWS (aws=False)
    webhook_allow_private: bool = setting("WEBHOOK_ALLOW_PRIVATE", default=False, parse=_bool, aws=False)
    webhook_connect_timeout: float = setting("WEBHOOK_CONNECT_TIMEOUT", default=3.0, parse=_float)
    webhook_read_timeout: float = setting("WEBHOOK_READ_TIMEOUT", default=5.0, parse=_float)
    # http
    cors_allow_origin: str = setting("CORS_ALLOW_ORIGIN", default="")
    api_reference: bool = setting("API_REFERENCE", default=False, parse=_bool)  # GET /api/reference (development)
    # files (S3 on AWS, or any S3-compatible store: MinIO, SeaweedFS)
    files_bucket: str = setting("FILES_BUCKET", default="incident-dev-files")
    s3_endpoint: str | None = setting("S3_ENDPOINT", default=None, parse=_optional)  # server side (None: AWS)
    # what presigned URLs are signed for (browser-reachable); defaults to S3_ENDPOINT
    s3_public_endpoint: str | None = setting("S3_PUBLIC_ENDPOINT", "S3_ENDPOINT", default=None, parse=_optional)
    s3_region: str = setting("S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION", default="us-east-1")
    s3_addressing_style: str = setting("S3_ADDRESSING_STYLE", default="auto", case="lower")  # path | virtual | auto
    s3_access_key_id: str = setting("S3_ACCESS_KEY_ID", default="")  # empty: the Lambda role
    s3_secret_access_key: str = setting("S3_SECRET_ACCESS_KEY", default="")
    s3_connect_timeout: float = setting("S3_CONNECT_TIMEOUT", default=3.0, parse=_float)
    s3_read_timeout: float = setting("S3_READ_TIMEOUT", default=10.0, parse=_float)
    files_max_image_bytes: int = setting("FILES_MAX_IMAGE_BYTES", default=20 * 1024 * 1024, parse=_int)
    files_max_document_bytes: int = setting("FILES_MAX_DOCUMENT_BYTES", default=50 * 1024 * 1024, parse=_int)
    files_max_image_pixels: int = setting("FILES_MAX_IMAGE_PIXELS", default=40_000_000, parse=_int)
    upload_url_ttl: int = setting("UPLOAD_URL_TTL", default=300, parse=_int)
    download_url_ttl: int = setting("DOWNLOAD_URL_TTL", default=300, parse=_int)

    @property
    def email_enabled(self) -> bool:
        """True when an e-mail transport is configured (``EMAIL_TRANSPORT`` smtp or ses)."""
        return self.email_transport in ("smtp", "ses")


@dataclass(frozen=True)
class Declared:
    """One setting as the deployment sees it."""

    field: str
    env: str  # the primary environment variable
    default: Any
    aws: bool


def declared() -> list[Declared]:
    """Every setting: field, environment variable, default, whether AWS functions get it."""
    return [Declared(f.name, f.metadata["env"][0], f.default, f.metadata["aws"]) for f in fields(Settings)]


def _read(meta: Any, default: Any) -> Any:
    for name in meta["env"]:
        raw = os.environ.get(name, "").strip()
        if raw:
            if meta["case"] == "lower":
                raw = raw.lower()
            elif meta["case"] == "upper":
                raw = raw.upper()
            return meta["parse"](raw)
    return default


def load_settings() -> Settings:
    """Read the settings from the environment now (uncached)."""
    return Settings(**{f.name: _read(f.metadata, f.default) for f in fields(Settings)})


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once per container (tests call ``get_settings.cache_clear()``)."""
    return load_settings()
