"""Time and id helpers: ISO-8601 UTC with ``Z`` and millisecond precision, UUID checks."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime


def now() -> float:
    """Seconds since the epoch (one seam for tests)."""
    return time.time()


def iso(ts: float | None = None) -> str:
    """Format epoch seconds as ``2025-11-17T10:00:00.123Z``."""
    moment = datetime.fromtimestamp(now() if ts is None else ts, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(stamp: str) -> float:
    """Epoch seconds of an ISO-8601 UTC time written by :func:`iso` (milliseconds optional)."""
    moment = datetime.strptime(stamp.rstrip("Z")[:23], "%Y-%m-%dT%H:%M:%S.%f" if "." in stamp else "%Y-%m-%dT%H:%M:%S")
    return moment.replace(tzinfo=UTC).timestamp()


def expires_in(seconds: float) -> datetime:
    """The moment ``seconds`` from now, for a DynamoDB TTL attribute."""
    return datetime.fromtimestamp(now() + seconds, tz=UTC)


def new_id() -> str:
    """A random UUID string."""
    return str(uuid.uuid4())


def is_uuid(value: str) -> bool:
    """True when ``value`` is a canonical UUID string."""
    try:
        return str(uuid.UUID(value)) == value.lower()
    except (ValueError, AttributeError, TypeError):
        return False
