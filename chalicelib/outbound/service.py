"""Deliveries to the outside world (e-mail, Web Push, webhooks), off the request path.

A producer calls :func:`enqueue` with a stable ``delivery_id``: the delivery is recorded once
(``pending``) and queued. The queue's consumer (:func:`handle_batch`) leases the record with a
conditional write — a message the queue hands over twice finds it leased or done and is dropped —
then calls the channel's sender. A sender returns a short note (``"HTTP 200"``) or raises
:class:`Retry` (transient: queued again after an exponential backoff, up to
``OUTBOUND_MAX_ATTEMPTS``) or :class:`GiveUp` (permanent: ``failed`` now). Unexpected errors
(the log's own table down) go back to the queue as batch item failures, and to its DLQ in the end.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from chalicelib.core import clock
from chalicelib.core.db import condition_failed
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.outbound import queue
from chalicelib.outbound.models import DeliveryModel

Sender = Callable[[dict[str, Any]], str]
LOG_DAYS = 30
STATUSES = ("pending", "sending", "retrying", "delivered", "failed")


class Retry(Exception):
    """A transient failure: try again later."""


class GiveUp(Exception):
    """A permanent failure: the delivery is marked failed."""


def view(d: DeliveryModel) -> dict[str, Any]:
    """A delivery as listed (the job itself stays inside: it may hold addresses)."""
    status = "pending" if d.status in ("sending", "retrying") else d.status
    return {"delivery_id": d.delivery_id, "channel": d.channel, "status": status, "attempts": int(d.attempts),
            "last_error": d.last_error, "result": d.result, "event": (d.job or {}).get("event"),
            "created_at": d.created_at, "updated_at": d.updated_at}


def enqueue(channel: str, delivery_id: str, owner: str, job: dict[str, Any]) -> bool:
    """Record the delivery once and queue it; False when it was recorded before (a retried
    producer). A recorded delivery still ``pending`` is queued again: the earlier attempt may
    have stored it and failed to queue it; the lease drops the duplicate if both arrive."""
    now = clock.iso()
    item = DeliveryModel(delivery_id, channel=channel, owner=owner, job=job, status="pending", created_at=now,
                         updated_at=now, expires_at=clock.expires_in(LOG_DAYS * 86400))
    try:
        item.save(condition=DeliveryModel.delivery_id.does_not_exist())
    except PutError as exc:
        if not condition_failed(exc):
            raise
        existing = DeliveryModel.get(delivery_id, consistent_read=True)
        if existing.status == "pending" and int(existing.attempts) == 0:
            queue.send({"delivery_id": delivery_id})
        return False
    queue.send({"delivery_id": delivery_id})
    return True


def deliveries(owner: str, limit: int = 50) -> list[dict[str, Any]]:
    """The newest deliveries of one owner (Query on the owner index)."""
    return [view(d) for d in DeliveryModel.by_owner.query(owner, scan_index_forward=False, limit=limit)]


def backoff(attempt: int) -> int:
    """Seconds before attempt ``attempt + 1``: base × 4^(attempt-1), at most the queue's 15 minutes."""
    base = get_settings().outbound_backoff_seconds
    return int(min(queue.MAX_DELAY_SECONDS, base * 4 ** max(0, attempt - 1)))


def _lease(delivery_id: str) -> DeliveryModel | None:
    """Take the delivery for one attempt, or None when it is done, taken or not due yet."""
    try:
        item = DeliveryModel.get(delivery_id, consistent_read=True)
    except DoesNotExist:
        logger.warning("queued delivery has no record", extra={"delivery_id": delivery_id})
        return None
    now = int(clock.now())
    free = (DeliveryModel.status == "pending") \
        | ((DeliveryModel.status == "retrying") & (DeliveryModel.not_before <= now)) \
        | ((DeliveryModel.status == "sending") & (DeliveryModel.lease_until < now))
    try:
        item.update(actions=[DeliveryModel.status.set("sending"),
                             DeliveryModel.lease_until.set(now + get_settings().outbound_lease_seconds),
                             DeliveryModel.attempts.add(1), DeliveryModel.updated_at.set(clock.iso())],
                    condition=free)
    except UpdateError as exc:
        if condition_failed(exc):
            return None  # delivered, failed, leased by another worker or waiting for its backoff
        raise
    return item


def _finish(item: DeliveryModel, status: str, *, error: str | None = None, result: str | None = None,
            not_before: int = 0) -> None:
    item.update(actions=[DeliveryModel.status.set(status), DeliveryModel.lease_until.set(0),
                         DeliveryModel.not_before.set(not_before), DeliveryModel.updated_at.set(clock.iso()),
                         DeliveryModel.last_error.set(error[:500]) if error else DeliveryModel.last_error.remove(),
                         DeliveryModel.result.set(result[:200]) if result else DeliveryModel.result.remove()])


def attempt(delivery_id: str, senders: Mapping[str, Sender]) -> str | None:
    """One attempt at one delivery; the status it ends in (None: nothing to do)."""
    item = _lease(delivery_id)
    if item is None:
        return None
    attempts = int(item.attempts)
    sender = senders.get(item.channel)
    try:
        if sender is None:
            raise GiveUp(f"no sender for channel {item.channel}")
        result = sender(dict(item.job or {}))
    except GiveUp as exc:
        _finish(item, "failed", error=str(exc) or "refused")
        logger.warning("delivery failed for good", extra={"delivery_id": delivery_id, "channel": item.channel})
        return "failed"
    except Exception as exc:  # noqa: BLE001 - Retry, and anything a sender did not classify, is transient
        error = str(exc) or type(exc).__name__
        if attempts >= get_settings().outbound_max_attempts:
            _finish(item, "failed", error=error)
            logger.warning("delivery failed after the last attempt",
                           extra={"delivery_id": delivery_id, "channel": item.channel, "attempts": attempts})
            return "failed"
        delay = backoff(attempts)
        _finish(item, "retrying", error=error, not_before=int(clock.now()) + delay)
        queue.send({"delivery_id": delivery_id}, delay_seconds=delay)
        logger.info("delivery will be retried",
                    extra={"delivery_id": delivery_id, "channel": item.channel, "attempts": attempts, "delay": delay})
        return "retrying"
    _finish(item, "delivered", result=result)
    return "delivered"


def handle_batch(event: dict[str, Any], context: Any, senders: Mapping[str, Sender]) -> dict[str, Any]:
    """The queue consumer: each message names one delivery; failures of our own (not of the
    receiver) come back as ``batchItemFailures`` so the queue retries just those messages."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    if not event.get("Records"):
        return {"batchItemFailures": []}
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)

    def record_handler(record: Any) -> None:  # an SQSRecord
        body = json.loads(record.body)
        attempt(str(body["delivery_id"]), senders)

    return dict(process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                         context=context))
