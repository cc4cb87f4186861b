"""Shared test setup: fake AWS credentials, a signing key, fresh settings per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# Before anything imports boto3/pynamodb: never touch a real AWS account from tests.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.pop("AWS_PROFILE", None)
os.environ.setdefault("JWT_SECRET", "test-signing-key-that-is-long-enough-0123456789")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "IncidentResponseTest")
os.environ.setdefault("POWERTOOLS_DEV", "false")

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV_DIRECTORY = os.path.join(REPO, "infrastructure", "local", "dev-directory.json")


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings, cached clients and rate buckets are per test (tests change the environment)."""
    from chalicelib.connections import sender
    from chalicelib.connections.service import forget_known
    from chalicelib.core import ratelimit
    from chalicelib.core.settings import get_settings
    from chalicelib.rooms.access import forget_access
    from chalicelib.timeline.service import forget_sequences

    get_settings.cache_clear()
    sender._endpoint.cache_clear()
    sender._local.__dict__.clear()
    ratelimit.reset()
    forget_known()
    forget_access()
    forget_sequences()
    yield
    get_settings.cache_clear()
