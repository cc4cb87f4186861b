"""The object store: one boto3 S3 code path for AWS S3, MinIO and SeaweedFS.

Endpoint, bucket, region, credentials and addressing style come from the settings. Two
clients are cached: one for server-side calls (``S3_ENDPOINT``, reachable from the Lambda)
and one that only signs URLs for the browser (``S3_PUBLIC_ENDPOINT``). Every failure of the
store itself (refused connection, timeout, 5xx, missing bucket, bad credentials) becomes
``503 unavailable``; a missing object is ``None`` / :class:`ObjectMissing` for the caller.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core.errors import Unavailable
from chalicelib.core.observability import logger
from chalicelib.core.settings import Settings, get_settings

MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


class ObjectMissing(Exception):
    """The object does not exist (not a storage failure)."""


class ObjectChanged(Exception):
    """The object is no longer the one that was checked (its ETag changed)."""


@dataclass(frozen=True)
class ObjectInfo:
    """What a HeadObject tells."""

    size: int
    content_type: str
    etag: str


@dataclass(frozen=True)
class _ClientKey:
    endpoint: str | None
    region: str
    addressing_style: str
    access_key_id: str
    secret_access_key: str
    connect_timeout: float
    read_timeout: float


def _key(settings: Settings, endpoint: str | None) -> _ClientKey:
    style = settings.s3_addressing_style if settings.s3_addressing_style in ("path", "virtual", "auto") else "auto"
    return _ClientKey(endpoint, settings.s3_region, style, settings.s3_access_key_id,
                      settings.s3_secret_access_key, settings.s3_connect_timeout, settings.s3_read_timeout)


_LOCK = threading.Lock()


@lru_cache(maxsize=8)
def _build(key: _ClientKey) -> Any:
    config = Config(
        region_name=key.region, signature_version="s3v4",
        s3={"addressing_style": key.addressing_style},
        connect_timeout=key.connect_timeout, read_timeout=key.read_timeout,
        retries={"max_attempts": 2, "mode": "standard"},
    )
    credentials: dict[str, str] = {}
    if key.access_key_id and key.secret_access_key:
        credentials = {"aws_access_key_id": key.access_key_id, "aws_secret_access_key": key.secret_access_key}
    import boto3  # on first use: the functions that never touch the store do not import it

    with _LOCK:  # boto3 sessions are not thread-safe while building clients
        return boto3.session.Session().client("s3", endpoint_url=key.endpoint, config=config, **credentials)


def client() -> Any:
    """The S3 client for server-side calls (cached per configuration)."""
    settings = get_settings()
    return _build(_key(settings, settings.s3_endpoint))


def signing_client() -> Any:
    """The S3 client whose presigned URLs the browser uses (``S3_PUBLIC_ENDPOINT``)."""
    settings = get_settings()
    return _build(_key(settings, settings.s3_public_endpoint or settings.s3_endpoint))


def bucket() -> str:
    """The files bucket."""
    return get_settings().files_bucket


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextmanager
def _guard(action: str) -> Iterator[None]:
    """Map store failures to ``Unavailable``; a missing object to :class:`ObjectMissing`."""
    try:
        yield
    except ClientError as exc:
        code = _error_code(exc)
        if code in MISSING_CODES:
            raise ObjectMissing(code) from None
        if code in ("PreconditionFailed", "412"):
            raise ObjectChanged(code) from None
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        logger.warning("file storage error", extra={"action": action, "code": code, "status": status})
        if code == "NoSuchBucket":
            raise Unavailable("File storage is not set up (the files bucket does not exist)") from None
        raise Unavailable(f"File storage refused the request ({code or status}); try again later") from None
    except BotoCoreError as exc:  # connection refused, timeouts, no credentials, ...
        logger.warning("file storage unreachable", extra={"action": action, "error": type(exc).__name__})
        raise Unavailable("File storage is unavailable; try again later") from None


# ------------------------------------------------------------------------------ presigning
def presigned_post(key: str, content_type: str, size: int, expires_in: int) -> dict[str, Any]:
    """A browser upload form for exactly ``key``, whose policy pins the type and the size."""
    with _guard("presign_post"):
        form: dict[str, Any] = signing_client().generate_presigned_post(
            Bucket=bucket(), Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
            ExpiresIn=expires_in,
        )
    return {"url": form["url"], "fields": dict(form["fields"])}


def presigned_get(key: str, expires_in: int, disposition: str, content_type: str) -> str:
    """A short-lived GET URL whose response carries our Content-Disposition and type."""
    with _guard("presign_get"):
        url: str = signing_client().generate_presigned_url(
            "get_object",
            Params={"Bucket": bucket(), "Key": key, "ResponseContentDisposition": disposition,
                    "ResponseContentType": content_type},
            ExpiresIn=expires_in,
        )
    return url


# ------------------------------------------------------------------------------ objects
def head(key: str) -> ObjectInfo | None:
    """Size and type of an object, or ``None`` when it does not exist."""
    try:
        with _guard("head"):
            meta = client().head_object(Bucket=bucket(), Key=key)
    except ObjectMissing:
        return None
    return ObjectInfo(size=int(meta["ContentLength"]), content_type=str(meta.get("ContentType") or ""),
                      etag=str(meta.get("ETag") or ""))


def read(key: str, first: int | None = None, if_match: str = "") -> bytes:
    """The object's bytes (only the first ``first`` bytes with a Range GET); ``if_match``: an
    ETag the object must still have (it was checked: it must not be swapped underneath)."""
    params: dict[str, Any] = {"Bucket": bucket(), "Key": key}
    if first is not None:
        params["Range"] = f"bytes=0-{max(0, first - 1)}"
    if if_match:
        params["IfMatch"] = if_match
    with _guard("get"):
        response = client().get_object(**params)
        data: bytes = response["Body"].read()
    return data


def put(key: str, body: bytes, content_type: str) -> None:
    """Store ``body`` at ``key``."""
    with _guard("put"):
        client().put_object(Bucket=bucket(), Key=key, Body=body, ContentType=content_type)


def copy(source: str, target: str, if_match: str = "") -> None:
    """Server-side copy (metadata and type kept); ``if_match``: the source's expected ETag."""
    params: dict[str, Any] = {"Bucket": bucket(), "Key": target, "CopySource": {"Bucket": bucket(), "Key": source},
                              "MetadataDirective": "COPY"}
    if if_match:
        params["CopySourceIfMatch"] = if_match
    with _guard("copy"):
        client().copy_object(**params)


def delete(key: str) -> None:
    """Delete an object (a missing one is fine)."""
    try:
        with _guard("delete"):
            client().delete_object(Bucket=bucket(), Key=key)
    except ObjectMissing:
        pass


def tag(key: str, tags: dict[str, str]) -> bool:
    """Replace the object's tags; ``False`` when the object does not exist."""
    try:
        with _guard("tag"):
            client().put_object_tagging(
                Bucket=bucket(), Key=key,
                Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]})
    except ObjectMissing:
        return False
    return True


def ensure_bucket(cors_origins: list[str] | None = None) -> bool:
    """Create the bucket if missing (local stacks and tests); ``True`` when created.

    ``cors_origins`` lets those browser origins POST uploads and GET downloads directly.
    """
    created = False
    s3 = client()
    with _guard("create_bucket"):
        try:
            s3.head_bucket(Bucket=bucket())
        except ClientError as exc:
            if _error_code(exc) not in MISSING_CODES | {"NoSuchBucket"}:
                raise
            region = get_settings().s3_region
            extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
            s3.create_bucket(Bucket=bucket(), **extra)
            created = True
        if cors_origins:
            s3.put_bucket_cors(Bucket=bucket(), CORSConfiguration={"CORSRules": [{
                "AllowedOrigins": cors_origins, "AllowedMethods": ["GET", "HEAD", "POST"],
                "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag", "Content-Disposition"], "MaxAgeSeconds": 600,
            }]})
    return created
