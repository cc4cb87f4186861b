"""Typed settings read lazily from the environment (one place, cached per container)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _int(name: str, default: int) -> int:
    raw = _env(name)
    return int(raw) if raw else default


def _float(name: str, default: float) -> float:
    raw = _env(name)
    return float(raw) if raw else default


def _list(name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _env(name).split(",") if part.strip())


def _bool(name: str, default: bool) -> bool:
    raw = _env(name).lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with development defaults."""

    stage: str = "dev"
    region: str = "us-east-1"
    table_prefix: str = "incident-dev"
    dynamodb_endpoint: str | None = None
    # tokens
    jwt_secret: str = ""
    jwt_secret_parameter: str = ""
    jwt_issuer: str = "incident-response"
    jwt_audience: str = "incident-response-spa"
    access_token_ttl: int = 900
    refresh_token_ttl: int = 8 * 3600
    ws_ticket_ttl: int = 60
    session_cache_seconds: float = 5.0
    # login lockout
    lockout_threshold: int = 5
    lockout_window: int = 15 * 60
    # directory
    directory_mode: str = "ldap"  # "ldap" (real AD) or "dev" (shipped demo directory)
    ldap_urls: tuple[str, ...] = ()
    ldap_base_dn: str = ""
    ldap_upn_suffix: str = ""
    ldap_netbios_domain: str = ""
    ldap_tls: str = "ldaps"  # ldaps | starttls | plain (plain only for local development)
    ldap_ca_file: str = ""
    ldap_ca_pem: str = ""  # the domain controllers' CA certificate(s) as PEM text (public, not a secret)
    ldap_validate_cert: bool = True
    ldap_connect_timeout: float = 3.0
    ldap_receive_timeout: float = 5.0
    dev_directory_file: str = ""
    admin_emails: tuple[str, ...] = ()
    admin_group: str = ""
    # realtime
    websocket_api_id: str = ""
    websocket_stage: str = ""
    ws_management_endpoint: str = ""
    connection_ttl: int = 3 * 3600
    # http
    cors_allow_origin: str = ""
    # files (S3 on AWS, or any S3-compatible store: MinIO, SeaweedFS)
    files_bucket: str = "incident-dev-files"
    s3_endpoint: str | None = None  # server-side calls (None: AWS)
    s3_public_endpoint: str | None = None  # what presigned URLs are signed for (browser-reachable)
    s3_region: str = "us-east-1"
    s3_addressing_style: str = "auto"  # path | virtual | auto
    s3_access_key_id: str = ""  # empty: the default credential chain (the Lambda role)
    s3_secret_access_key: str = ""
    s3_connect_timeout: float = 3.0
    s3_read_timeout: float = 10.0
    files_max_image_bytes: int = 20 * 1024 * 1024
    files_max_document_bytes: int = 50 * 1024 * 1024
    files_max_image_pixels: int = 40_000_000
    upload_url_ttl: int = 300
    download_url_ttl: int = 300


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once per container (tests call ``get_settings.cache_clear()``)."""
    return load_settings()


def load_settings() -> Settings:
    """Read the settings from the environment now (uncached)."""
    return Settings(
        stage=_env("STAGE", "dev"),
        region=_env("AWS_REGION") or _env("AWS_DEFAULT_REGION") or "us-east-1",
        table_prefix=_env("TABLE_PREFIX", "incident-dev"),
        dynamodb_endpoint=_env("DYNAMODB_ENDPOINT") or None,
        jwt_secret=_env("JWT_SECRET"),
        jwt_secret_parameter=_env("JWT_SECRET_PARAMETER"),
        jwt_issuer=_env("JWT_ISSUER", "incident-response"),
        jwt_audience=_env("JWT_AUDIENCE", "incident-response-spa"),
        access_token_ttl=_int("ACCESS_TOKEN_TTL", 900),
        refresh_token_ttl=_int("REFRESH_TOKEN_TTL", 8 * 3600),
        ws_ticket_ttl=_int("WS_TICKET_TTL", 60),
        session_cache_seconds=_float("SESSION_CACHE_SECONDS", 5.0),
        lockout_threshold=_int("LOCKOUT_THRESHOLD", 5),
        lockout_window=_int("LOCKOUT_WINDOW", 15 * 60),
        directory_mode=_env("DIRECTORY_MODE", "ldap").lower(),
        ldap_urls=_list("LDAP_URLS"),
        ldap_base_dn=_env("LDAP_BASE_DN"),
        ldap_upn_suffix=_env("LDAP_UPN_SUFFIX").lower(),
        ldap_netbios_domain=_env("LDAP_NETBIOS_DOMAIN").upper(),
        ldap_tls=_env("LDAP_TLS", "ldaps").lower(),
        ldap_ca_file=_env("LDAP_CA_FILE"),
        ldap_ca_pem=_env("LDAP_CA_PEM"),
        ldap_validate_cert=_bool("LDAP_VALIDATE_CERT", True),
        ldap_connect_timeout=_float("LDAP_CONNECT_TIMEOUT", 3.0),
        ldap_receive_timeout=_float("LDAP_RECEIVE_TIMEOUT", 5.0),
        dev_directory_file=_env("DEV_DIRECTORY_FILE"),
        admin_emails=tuple(e.lower() for e in _list("ADMIN_EMAILS")),
        admin_group=_env("ADMIN_GROUP"),
        websocket_api_id=_env("WEBSOCKET_API_ID"),
        websocket_stage=_env("WEBSOCKET_STAGE", "api"),
        ws_management_endpoint=_env("WS_MANAGEMENT_ENDPOINT"),
        connection_ttl=_int("CONNECTION_TTL", 3 * 3600),
        cors_allow_origin=_env("CORS_ALLOW_ORIGIN"),
        files_bucket=_env("FILES_BUCKET", "incident-dev-files"),
        s3_endpoint=_env("S3_ENDPOINT") or None,
        s3_public_endpoint=_env("S3_PUBLIC_ENDPOINT") or _env("S3_ENDPOINT") or None,
        s3_region=_env("S3_REGION") or _env("AWS_REGION") or _env("AWS_DEFAULT_REGION") or "us-east-1",
        s3_addressing_style=_env("S3_ADDRESSING_STYLE", "auto").lower(),
        s3_access_key_id=_env("S3_ACCESS_KEY_ID"),
        s3_secret_access_key=_env("S3_SECRET_ACCESS_KEY"),
        s3_connect_timeout=_float("S3_CONNECT_TIMEOUT", 3.0),
        s3_read_timeout=_float("S3_READ_TIMEOUT", 10.0),
        files_max_image_bytes=_int("FILES_MAX_IMAGE_BYTES", 20 * 1024 * 1024),
        files_max_document_bytes=_int("FILES_MAX_DOCUMENT_BYTES", 50 * 1024 * 1024),
        files_max_image_pixels=_int("FILES_MAX_IMAGE_PIXELS", 40_000_000),
        upload_url_ttl=_int("UPLOAD_URL_TTL", 300),
        download_url_ttl=_int("DOWNLOAD_URL_TTL", 300),
    )
