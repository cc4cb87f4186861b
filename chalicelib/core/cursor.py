"""Opaque, signed pagination cursors bound to the caller and the query they came from.

A cursor carries DynamoDB's ``LastEvaluatedKey``. It is HMAC-signed and names its owner and
a digest of the query, so a tampered cursor, or one from someone else's (or another) query,
is a ``400 validation_error`` rather than a peek into other data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from chalicelib.core.errors import ValidationFailed
from chalicelib.core.keys import signing_key

# An opaque cursor as the API accepts it: base64url payload "." base64url signature (ASCII only,
# bounded), so a query string stays far below API Gateway's URL limits.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,2000}\.[A-Za-z0-9_-]{1,100}$"
CURSOR_MAX = 2101


def _sign(payload: bytes) -> str:
    mac = hmac.new(signing_key().encode(), payload, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _scope_digest(owner: str, query: dict[str, Any]) -> str:
    blob = json.dumps([owner, query], sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def encode_cursor(key: dict[str, Any] | None, owner: str, query: dict[str, Any]) -> str | None:
    """Wrap a ``LastEvaluatedKey`` (``None`` → ``None``: the end of the list)."""
    if not key:
        return None
    payload = json.dumps({"k": key, "s": _scope_digest(owner, query)}, separators=(",", ":")).encode()
    body = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    return f"{body}.{_sign(payload)}"


def decode_cursor(cursor: str | None, owner: str, query: dict[str, Any]) -> dict[str, Any] | None:
    """Unwrap a cursor made by :func:`encode_cursor` for the same owner and query."""
    if not cursor:
        return None
    invalid = ValidationFailed("Invalid cursor", details=[{"field": "cursor", "message": "invalid cursor"}])
    body, _, mac = cursor.partition(".")
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, TypeError):
        raise invalid from None
    if not mac or not hmac.compare_digest(mac, _sign(payload)):
        raise invalid
    data = json.loads(payload)
    if data.get("s") != _scope_digest(owner, query) or not isinstance(data.get("k"), dict):
        raise invalid
    key: dict[str, Any] = data["k"]
    return key
