"""Token buckets in this container's memory (the clock seam makes them testable).

Used for per-user frame rates on the WebSocket API, where a DynamoDB write per frame would
double the cost of a message. On AWS each container keeps its own buckets, so the effective
limit is at most (containers × rate); API Gateway's stage throttling bounds the total.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from chalicelib.core import clock

MAX_KEYS = 10_000  # forget the oldest buckets beyond this (a container serves a bounded crowd)


@dataclass
class _Bucket:
    tokens: float
    at: float


_buckets: dict[tuple[str, str], _Bucket] = {}
_lock = threading.Lock()


def take(kind: str, key: str, rate: float, burst: float) -> float:
    """Take one token from ``key``'s ``kind`` bucket; 0.0 when allowed, else seconds to wait."""
    now = clock.now()
    with _lock:
        bucket = _buckets.get((kind, key))
        if bucket is None:
            if len(_buckets) >= MAX_KEYS:
                _buckets.pop(next(iter(_buckets)))
            bucket = _buckets[(kind, key)] = _Bucket(tokens=burst, at=now)
        bucket.tokens = min(burst, bucket.tokens + max(0.0, now - bucket.at) * rate)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / rate if rate > 0 else float("inf")


def reset() -> None:
    """Forget every bucket (tests)."""
    with _lock:
        _buckets.clear()
