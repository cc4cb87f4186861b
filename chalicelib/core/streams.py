"""DynamoDB Streams batches with partial batch failure responses (powertools)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from chalicelib.core.observability import logger


def process_stream_batch(event: dict[str, Any], context: Any,
                         handle_record: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Run ``handle_record`` on each raw record; failed ones come back as ``batchItemFailures``.

    The event source mapping must set ``FunctionResponseTypes: [ReportBatchItemFailures]`` so
    that Lambda retries only the failed records (and those after them in the shard).
    """
    # loaded on the first batch: REST and WebSocket functions import this module but never call it
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    if not event.get("Records"):
        return {"batchItemFailures": []}  # Lambda never sends an empty batch; a poller might
    processor = BatchProcessor(event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False)

    def record_handler(record: Any) -> None:  # a powertools DynamoDBRecord
        handle_record(record.raw_event)

    response: dict[str, Any] = dict(process_partial_response(event=event, record_handler=record_handler,
                                                             processor=processor, context=context))
    failures = list(response.get("batchItemFailures") or [])
    if failures:
        logger.warning("stream batch had failures", extra={"failed": len(failures)})
    return response


_pool: Any = None  # concurrent.futures.ThreadPoolExecutor, made on the first keyed batch
KEYED_WORKERS = 8


def process_stream_batch_by_key(event: dict[str, Any], context: Any, handle_record: Callable[[dict[str, Any]], None],
                                key: Callable[[dict[str, Any]], str]) -> dict[str, Any]:
    """Like :func:`process_stream_batch`, but records of different ``key`` (e.g. rooms) are
    handled side by side (up to :data:`KEYED_WORKERS`), each key's records in stream order.

    When a record fails, the later records of its key are not handled (their order matters) and
    are reported with it; Lambda resumes the shard from the lowest reported sequence number, so
    records of other keys after it come again too (at-least-once, as with any retry).
    """
    global _pool
    records = list(event.get("Records") or [])
    if not records:
        return {"batchItemFailures": []}
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(key(record), []).append(record)

    def run(group: list[dict[str, Any]]) -> list[str]:
        for index, record in enumerate(group):
            try:
                handle_record(record)
            except Exception:  # noqa: BLE001 - reported as a partial batch failure
                logger.exception("stream record failed", extra={"event_id": record.get("eventID")})
                return [str(r.get("dynamodb", {}).get("SequenceNumber")) for r in group[index:]]
        return []

    if len(groups) == 1:
        failed = run(records)
    else:
        if _pool is None:
            from concurrent.futures import ThreadPoolExecutor

            _pool = ThreadPoolExecutor(max_workers=KEYED_WORKERS, thread_name_prefix="stream-key")
        failed = [seq for result in _pool.map(run, groups.values()) for seq in result]
    if failed:
        logger.warning("stream batch had failures", extra={"failed": len(failed)})
    return {"batchItemFailures": [{"itemIdentifier": seq} for seq in failed]}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def image(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    """A record's ``NewImage`` / ``OldImage`` as plain Python (numbers as int or float); None if absent."""
    if not raw:
        return None
    from boto3.dynamodb.types import TypeDeserializer  # on the first record (the stream functions only)

    deserializer = TypeDeserializer()
    return {name: _plain(deserializer.deserialize(value)) for name, value in raw.items()}
