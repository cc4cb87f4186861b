"""SQS: one client per container (the local gateway serves the same API on loopback,
``SQS_ENDPOINT``); the queues' URLs come from the settings (template on AWS, gateway locally)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from chalicelib.core.settings import get_settings

MAX_DELAY_SECONDS = 900  # SQS's limit for DelaySeconds


@lru_cache(maxsize=4)
def _client(endpoint: str | None, region: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client("sqs", endpoint_url=endpoint, region_name=region,
                        config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}))


def send(queue_url: str, body: dict[str, Any], delay_seconds: int = 0) -> None:
    """Put one JSON message on a queue (delayed by up to 15 minutes)."""
    settings = get_settings()
    _client(settings.sqs_endpoint, settings.region).send_message(
        QueueUrl=queue_url, MessageBody=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        DelaySeconds=max(0, min(MAX_DELAY_SECONDS, int(delay_seconds))))
