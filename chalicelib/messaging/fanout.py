"""Stream-driven fan-out: each change of the Messages table goes to the room's connections.

Invoked by the DynamoDB Streams event source with batches of records; failed records are
reported back (partial batch response) so only they are retried. Delivery is at-least-once:
clients drop duplicates by ``message_id``.
"""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from pynamodb.models import Model

from chalicelib.core.db import bind_models
from chalicelib.core.observability import logger, metrics
from chalicelib.messaging.models import MessageModel
from chalicelib.messaging.views import message_view, system_frame
from chalicelib.realtime import sender
from chalicelib.realtime.models import SubscriptionModel
from chalicelib.realtime.service import forget_connection


class DeliveryFailed(Exception):
    """Some connections could not be reached for a reason other than 410 Gone."""


def _image(model: type[Model], image: dict[str, Any] | None) -> Any:
    return model.from_raw_data(image) if image else None


def frame_for(record: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The room and client frame for one stream record (``None`` when nothing is sent)."""
    change = record.get("dynamodb", {})
    if record.get("eventName") != "INSERT":
        return None
    message = _image(MessageModel, change.get("NewImage"))
    if message.message_type == "system":
        return message.room_id, system_frame(message)
    return message.room_id, {"type": "message", "message": message_view(message)}


def deliver(room_id: str, frame: dict[str, Any]) -> None:
    """Post ``frame`` to every connection subscribed to ``room_id`` (Query, in parallel)."""
    subscribers = [s.connection_id for s in SubscriptionModel.query(room_id)]
    started = time.perf_counter()
    gone, failed = sender.post_many(subscribers, frame)
    for connection_id in gone:
        forget_connection(connection_id)
    metrics.add_metric(name="FanoutDeliveries", unit="Count", value=len(subscribers) - len(failed))
    metrics.add_metric(name="FanoutDurationMs", unit="Milliseconds",
                       value=(time.perf_counter() - started) * 1000)
    if failed:
        metrics.add_metric(name="FanoutFailures", unit="Count", value=len(failed))
        raise DeliveryFailed(f"{len(failed)} connection(s) failed")


def _handle(record: DynamoDBRecord) -> None:
    result = frame_for(record.raw_event)
    if result is not None:
        deliver(*result)


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Entry point for the stream event source; answers ``batchItemFailures``."""
    bind_models()
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)
    response = process_partial_response(event=event, record_handler=_handle,
                                        processor=processor, context=context)
    if response.get("batchItemFailures"):
        logger.warning("fan-out batch had failures",
                       extra={"failed": len(response["batchItemFailures"])})
    return dict(response)
