"""The service's signing key: from the environment locally, from SSM Parameter Store on AWS."""

from __future__ import annotations

from functools import lru_cache

from chalicelib.core.errors import Unavailable
from chalicelib.core.settings import Settings, get_settings


def signing_key(settings: Settings | None = None) -> str:
    """The HMAC key for tokens and cursors (≥ 32 characters) or ``503 unavailable``."""
    settings = settings or get_settings()
    key = _parameter(settings.jwt_secret_parameter) if settings.jwt_secret_parameter else settings.jwt_secret
    if len(key) < 32:
        raise Unavailable("The signing key is not configured")
    return key


@lru_cache(maxsize=4)
def _parameter(name: str) -> str:
    """Fetch a SecureString once per container (powertools caches as well)."""
    from aws_lambda_powertools.utilities import parameters

    return str(parameters.get_parameter(name, decrypt=True, max_age=300))


def secret_parameter(name: str) -> str:
    """A SecureString from SSM Parameter Store (VAPID private key, SMTP password), cached per
    container; never logged."""
    return _parameter(name)
