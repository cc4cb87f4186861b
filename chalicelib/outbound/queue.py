"""The outbound queue (SQS on AWS; the local gateway serves the same SQS API on loopback).

Only the queue's URL differs: ``OUTBOUND_QUEUE_URL`` (set by the template on AWS, by the
gateway locally) and ``SQS_ENDPOINT`` locally. One client per container.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from chalicelib.core.settings import Settings, get_settings

MAX_DELAY_SECONDS = 900  # SQS's limit for DelaySeconds


def queue_name(settings: Settings) -> str:
    """The outbound queue's name (the template creates it; the local gateway serves it)."""
    return f"{settings.table_prefix}-outbound"


@lru_cache(maxsize=4)
def _client(endpoint: str | None, region: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client("sqs", endpoint_url=endpoint, region_name=region,
                        config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}))


def send(body: dict[str, Any], delay_seconds: int = 0) -> None:
    """Put one message on the outbound queue (delayed by up to 15 minutes)."""
    settings = get_settings()
    if not settings.outbound_queue_url:
        raise RuntimeError("OUTBOUND_QUEUE_URL is not configured")
    _client(settings.sqs_endpoint, settings.region).send_message(
        QueueUrl=settings.outbound_queue_url, MessageBody=json.dumps(body, separators=(",", ":")),
        DelaySeconds=max(0, min(MAX_DELAY_SECONDS, int(delay_seconds))))
