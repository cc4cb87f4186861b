"""JWT access tokens (python-jose, algorithm pinned) and opaque random secrets."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, TypeGuard

from chalicelib.core import clock
from chalicelib.core.errors import Unauthorized
from chalicelib.core.keys import signing_key
from chalicelib.core.settings import Settings, get_settings

ALGORITHM = "HS256"  # pinned: verification accepts nothing else (no "none", no RS/HS confusion)
ISSUED_AT_LEEWAY = 60  # seconds a token's ``iat`` may lie in the future (clock skew between containers)


def _is_time(value: Any) -> TypeGuard[float]:
    """A NumericDate: a number, not a string or a boolean."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class AccessClaims:
    """The claims this system relies on."""

    user_id: str
    session_id: str
    expires_at: int


def issue_access_token(user_id: str, session_id: str, settings: Settings | None = None) -> tuple[str, int]:
    """Sign a short-lived access token; returns it and its lifetime in seconds."""
    settings = settings or get_settings()
    issued = int(clock.now())
    claims = {
        "sub": user_id,
        "sid": session_id,
        "iat": issued,
        "exp": issued + settings.access_token_ttl,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    from jose import jwt  # on first use: the stream and queue functions never load it

    return jwt.encode(claims, signing_key(settings), algorithm=ALGORITHM), settings.access_token_ttl


def verify_access_token(token: str, settings: Settings | None = None) -> AccessClaims:
    """Check signature (HS256 only), expiry, issuer and audience, and that every claim this
    system relies on is present with its type (``iat`` not in the future); raise ``Unauthorized``."""
    from jose import JWTError, jwt  # on first use: the stream and queue functions never load it

    settings = settings or get_settings()
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != ALGORITHM:
            raise Unauthorized("Invalid token")
        claims: dict[str, Any] = jwt.decode(
            token, signing_key(settings), algorithms=[ALGORITHM],
            audience=settings.jwt_audience, issuer=settings.jwt_issuer,
            options={"require_exp": True, "require_iat": True, "require_sub": True, "require_aud": True,
                     "require_iss": True},
        )
    except JWTError as exc:
        raise Unauthorized("Invalid or expired token") from exc
    sub, sid, iat, exp = claims.get("sub"), claims.get("sid"), claims.get("iat"), claims.get("exp")
    if not isinstance(sub, str) or not sub or not isinstance(sid, str) or not sid:
        raise Unauthorized("Invalid token")
    if not _is_time(iat) or not _is_time(exp) or iat > clock.now() + ISSUED_AT_LEEWAY:
        raise Unauthorized("Invalid token")
    return AccessClaims(user_id=sub, session_id=sid, expires_at=int(claims["exp"]))


def new_secret() -> str:
    """A fresh opaque secret (refresh token, WebSocket ticket)."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """The stored form of a secret: its SHA-256 hex digest."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
