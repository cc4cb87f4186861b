"""Integration keys: created by administrators, shown once, stored as the SHA-256 of the secret
(a fast hash is right for a 256-bit random key) and looked up by that hash with one strongly
consistent GetItem; optionally bound to a production line; revoking marks the key (later use
→ 401). Events are rate-limited per key (``INTEGRATION_EVENT_RATE`` / ``_BURST``)."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.auth.principal import Principal
from chalicelib.core import clock, ratelimit
from chalicelib.core.db import condition_failed
from chalicelib.core.errors import Forbidden, NotFound, RateLimited, Unauthorized
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.integrations.models import IntegrationKeyModel
from chalicelib.integrations.schemas import CreateIntegrationKey
from chalicelib.plant import service as plant

KEY_PREFIX = "irk_"
MAX_KEY_LENGTH = 200  # longer headers are not keys (never hashed, never looked up)
LAST_USED_EVERY = 60.0  # seconds: how often an event moves a key's last_used_at
MAX_LISTED = 500


@dataclass(frozen=True)
class IntegrationKey:
    """An authenticated (not revoked) integration key."""

    key_id: str
    key_hash: str
    name: str
    line_id: str | None
    created_by: str
    last_used_at: str | None

    @property
    def sender_id(self) -> str:
        """How the key's messages are signed in a room's history."""
        return f"integration:{self.key_id}"


def _hash(api_key: str) -> str:
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


def _require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden("Only administrators manage integration keys")


def key_view(key: IntegrationKeyModel) -> dict[str, Any]:
    """A key as listed (never its secret)."""
    return {"key_id": key.key_id, "name": key.name, "line_id": key.line_id, "key_hint": key.key_hint,
            "created_by": key.created_by, "created_at": key.created_at, "last_used_at": key.last_used_at,
            "revoked_at": key.revoked_at}


def create_key(principal: Principal, body: CreateIntegrationKey) -> dict[str, Any]:
    """A new key for administrators; the answer carries ``api_key``, shown this once."""
    _require_admin(principal)
    if body.line_id is not None:
        plant.locate(body.line_id)  # 400 naming line_id for a line the plant does not have
    api_key = KEY_PREFIX + secrets.token_urlsafe(32)
    key = IntegrationKeyModel(_hash(api_key), key_id=clock.new_id(), key_hint=api_key[:8], name=body.name,
                              line_id=body.line_id, created_by=principal.user_id, created_at=clock.iso())
    key.save(condition=IntegrationKeyModel.key_hash.does_not_exist())
    logger.info("integration key created", extra={"key_id": key.key_id, "by": principal.user_id})
    return {**key_view(key), "api_key": api_key}


def list_keys(principal: Principal) -> dict[str, Any]:
    """Every key, newest first (administrators; revoked ones marked)."""
    _require_admin(principal)
    listed = IntegrationKeyModel.by_creation.query("key", scan_index_forward=False, limit=MAX_LISTED)
    return {"integration_keys": [key_view(k) for k in listed]}


def revoke_key(principal: Principal, key_id: str) -> None:
    """Revoke a key (administrators): every later event with it is 401. Idempotent."""
    _require_admin(principal)
    if not clock.is_uuid(key_id):
        raise NotFound("Integration key not found")
    for found in IntegrationKeyModel.by_id.query(key_id.lower(), limit=1):
        key = IntegrationKeyModel(found.key_hash)
        try:
            key.update(actions=[IntegrationKeyModel.revoked_at.set(clock.iso()),
                                IntegrationKeyModel.revoked_by.set(principal.user_id)],
                       condition=IntegrationKeyModel.key_hash.exists() & IntegrationKeyModel.revoked_at.does_not_exist())
        except UpdateError as exc:
            if not condition_failed(exc):
                raise
            return  # revoked already
        logger.info("integration key revoked", extra={"key_id": key_id, "by": principal.user_id})
        return
    raise NotFound("Integration key not found")


def authenticate_key(api_key: str | None) -> IntegrationKey:
    """The ``X-Api-Key`` header's key, within its rate; 401 unknown/revoked, 429 over the rate."""
    api_key = (api_key or "").strip()
    if not api_key or len(api_key) > MAX_KEY_LENGTH:
        raise Unauthorized("A valid X-Api-Key header is required")
    try:
        found = IntegrationKeyModel.get(_hash(api_key), consistent_read=True)
    except DoesNotExist:
        raise Unauthorized("Unknown or revoked integration key") from None
    if found.revoked_at:
        raise Unauthorized("Unknown or revoked integration key")
    key = IntegrationKey(found.key_id, found.key_hash, found.name, found.line_id, found.created_by, found.last_used_at)
    _within_rate(key)
    return key


def _within_rate(key: IntegrationKey) -> None:
    """``INTEGRATION_EVENT_RATE`` / ``_BURST`` per key (per container, like the frame rates)."""
    settings = get_settings()
    wait = ratelimit.take("integration_event", key.key_id, settings.integration_event_rate,
                          settings.integration_event_burst)
    if wait:
        retry = max(1, math.ceil(min(wait, 3600.0)))  # a rate of 0 waits "forever": say an hour
        raise RateLimited("Too many events for this integration key; slow down",
                          retry_after=retry).with_headers({"Retry-After": str(retry)})


def mark_used(key: IntegrationKey) -> None:
    """Move the key's ``last_used_at`` (at most once a minute: one write, not one per event)."""
    now = clock.now()
    if key.last_used_at and now - clock.parse_iso(key.last_used_at) < LAST_USED_EVERY:
        return
    try:
        IntegrationKeyModel(key.key_hash).update(actions=[IntegrationKeyModel.last_used_at.set(clock.iso(now))],
                                                 condition=IntegrationKeyModel.key_hash.exists())
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
