"""The outbound queue (SQS on AWS; the local gateway serves the same SQS API on loopback).

Only the queue's URL differs: ``OUTBOUND_QUEUE_URL`` (set by the template on AWS, by the
gateway locally) and ``SQS_ENDPOINT`` locally (:mod:`chalicelib.core.sqs`).
"""

from __future__ import annotations

from typing import Any

from chalicelib.core import sqs
from chalicelib.core.settings import Settings, get_settings

MAX_DELAY_SECONDS = sqs.MAX_DELAY_SECONDS


def queue_name(settings: Settings) -> str:
    """The outbound queue's name (the template creates it; the local gateway serves it)."""
    return f"{settings.table_prefix}-outbound"


def send(body: dict[str, Any], delay_seconds: int = 0) -> None:
    """Put one message on the outbound queue (delayed by up to 15 minutes)."""
    settings = get_settings()
    if not settings.outbound_queue_url:
        raise RuntimeError("OUTBOUND_QUEUE_URL is not configured")
    sqs.send(settings.outbound_queue_url, body, delay_seconds)
