"""Webhook signatures: ``X-Signature-256: sha256=<hex HMAC-SHA256 of the exact body>`` with the
webhook's secret (the whole ``whsec_…`` string, UTF-8) as the key — GitHub's scheme, so existing
receiver code verifies it unchanged."""

from __future__ import annotations

import hashlib
import hmac
import secrets

HEADER = "X-Signature-256"
PREFIX = "sha256="


def new_secret() -> str:
    """A fresh secret: 256 random bits, URL-safe text."""
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes) -> str:
    """The header value for ``body``."""
    return PREFIX + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """True when ``header`` is the signature of ``body`` (constant-time comparison)."""
    return bool(header) and hmac.compare_digest(sign(secret, body), str(header).strip())
