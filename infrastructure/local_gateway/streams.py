"""The DynamoDB Streams event source mapping, emulated: poll shards, invoke the handler.

Like Lambda's event source mapping (with ``ReportBatchItemFailures``):

* one poller thread per ``@app.on_dynamodb_record`` handler; the handler runs in that thread;
* the table is the one named in the handler's (placeholder) ``stream_arn``; its real stream
  comes from ``DescribeTable(LatestStreamArn)`` on the configured endpoint;
* shards present at start begin at ``LATEST`` (or ``TRIM_HORIZON`` with ``--stream-start
  trim_horizon``); shards (or streams) found later begin at ``TRIM_HORIZON``; a child shard
  waits until its parent is read to the end;
* a ``batchItemFailures`` answer checkpoints before the lowest failed sequence number and
  retries from there; an exception retries the whole batch; both with backoff, at most
  ``MAX_RETRIES`` times, then the rest of that batch is logged and skipped.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from chalice.local import LambdaContext

from infrastructure.local_gateway.config import log

MAX_RETRIES = 3
BACKOFF_SECONDS = (0.5, 1.0, 2.0)
DISCOVER_EVERY = 2.0
ERROR_BACKOFF = 1.0
_TABLE_IN_ARN = re.compile(r":table/([^/]+)/stream/")


def table_from_stream_arn(arn: str) -> str:
    """``arn:aws:dynamodb:r:a:table/<name>/stream/<label>`` → ``<name>``."""
    match = _TABLE_IN_ARN.search(arn)
    if not match:
        raise ValueError(f"Not a DynamoDB stream ARN: {arn}")
    return match.group(1)


@dataclass
class _Shard:
    shard_id: str
    parent_id: str | None
    start_type: str  # LATEST | TRIM_HORIZON (before the first checkpoint)
    iterator: str | None = None
    checkpoint: str | None = None  # last sequence number handled (or skipped)
    finished: bool = False
    next_poll: float = 0.0


def _error_code(exc: Exception) -> str:
    return exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""


class StreamPoller(threading.Thread):
    """Polls one table's stream and feeds one handler."""

    def __init__(self, handler: Callable[..., Any], name: str, stream_arn: str, batch_size: int,
                 endpoint: str | None, region: str, poll_interval: float = 0.15,
                 start_existing: str = "LATEST", housekeeping: Callable[[], None] | None = None) -> None:
        super().__init__(name=f"stream-{name}", daemon=True)
        self.handler = handler
        self.function_name = name
        self.table = table_from_stream_arn(stream_arn)
        self.batch_size = max(1, min(int(batch_size or 100), 1000))
        self.region = region
        self.poll_interval = poll_interval
        self.start_existing = start_existing.upper()
        self.housekeeping = housekeeping
        self.stopping = threading.Event()
        self.stream_arn: str | None = None
        self.shards: dict[str, _Shard] = {}
        self.batches = 0
        self.records = 0
        self._started_at_stream: str | None = None
        self._first_discovery_done = False
        self._last_error = ""
        cfg = Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 2})
        self._ddb = boto3.session.Session().client("dynamodb", endpoint_url=endpoint, region_name=region,
                                                   config=cfg)
        self._streams = boto3.session.Session().client("dynamodbstreams", endpoint_url=endpoint,
                                                       region_name=region, config=cfg)

    # ----------------------------------------------------------------- lifecycle
    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        last_discovery = 0.0
        last_housekeeping = time.monotonic()
        while not self.stopping.is_set():
            now = time.monotonic()
            try:
                if self.stream_arn is None or now - last_discovery >= DISCOVER_EVERY:
                    last_discovery = now
                    self._discover()
                for shard in list(self.shards.values()):
                    if self.stopping.is_set():
                        break
                    if self._ready(shard, time.monotonic()):
                        self._poll(shard)
                if self.housekeeping and now - last_housekeeping > 30:
                    last_housekeeping = now
                    self.housekeeping()
            except Exception as exc:  # noqa: BLE001 - the poller must survive anything
                self._warn(f"stream poller error: {exc}")
                self.stopping.wait(ERROR_BACKOFF)
            self.stopping.wait(self.poll_interval)

    def _warn(self, message: str) -> None:
        if message != self._last_error:  # one line per distinct problem, not one per poll
            log.warning("%s (%s)", message, self.table)
            self._last_error = message

    # ----------------------------------------------------------------- discovery
    def _discover(self) -> None:
        try:
            table = self._ddb.describe_table(TableName=self.table)["Table"]
        except (ClientError, BotoCoreError) as exc:
            self._warn(f"cannot describe table: {_error_code(exc) or exc}")
            return
        arn = table.get("LatestStreamArn")
        enabled = table.get("StreamSpecification", {}).get("StreamEnabled", bool(arn))
        if not arn or not enabled:
            self._warn("table has no stream enabled")
            return
        if arn != self.stream_arn:
            if self.stream_arn is not None:
                log.info("table %s has a new stream; reading it from TRIM_HORIZON", self.table)
            self.stream_arn = arn
            self.shards = {}
        at_start = not self._first_discovery_done
        self._first_discovery_done = True
        start_type = self.start_existing if at_start else "TRIM_HORIZON"
        kwargs: dict[str, Any] = {"StreamArn": arn}
        while True:
            try:
                desc = self._streams.describe_stream(**kwargs)["StreamDescription"]
            except (ClientError, BotoCoreError) as exc:
                self._warn(f"cannot describe stream: {_error_code(exc) or exc}")
                return
            for raw in desc.get("Shards", []):
                shard_id = raw["ShardId"]
                if shard_id not in self.shards:
                    self.shards[shard_id] = _Shard(shard_id, raw.get("ParentShardId"), start_type)
                    log.debug("stream %s: shard %s from %s", self.table, shard_id, start_type)
            last = desc.get("LastEvaluatedShardId")
            if not last:
                break
            kwargs["ExclusiveStartShardId"] = last
        self._last_error = ""

    def _ready(self, shard: _Shard, now: float) -> bool:
        if shard.finished or now < shard.next_poll:
            return False
        parent = self.shards.get(shard.parent_id or "")
        return parent is None or parent.finished

    # ----------------------------------------------------------------- polling
    def _iterator(self, shard: _Shard) -> str:
        kwargs: dict[str, Any] = {"StreamArn": self.stream_arn, "ShardId": shard.shard_id}
        if shard.checkpoint:
            kwargs.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=shard.checkpoint)
        else:
            kwargs["ShardIteratorType"] = shard.start_type
        return str(self._streams.get_shard_iterator(**kwargs)["ShardIterator"])

    def _poll(self, shard: _Shard) -> None:
        try:
            if shard.iterator is None:
                shard.iterator = self._iterator(shard)
            resp = self._streams.get_records(ShardIterator=shard.iterator, Limit=self.batch_size)
        except (ClientError, BotoCoreError) as exc:
            code = _error_code(exc)
            if code == "TrimmedDataAccessException":
                shard.checkpoint, shard.start_type = None, "TRIM_HORIZON"
            elif code == "ResourceNotFoundException":
                self.stream_arn = None  # rediscover
            elif code != "ExpiredIteratorException":
                self._warn(f"GetRecords failed: {code or exc}")
                shard.next_poll = time.monotonic() + ERROR_BACKOFF
            shard.iterator = None  # next time: a fresh iterator from the checkpoint
            return
        records = resp.get("Records") or []
        if records:
            self._deliver(shard, records)
        shard.iterator = resp.get("NextShardIterator")
        if shard.iterator is None:
            shard.finished = True
            log.debug("stream %s: shard %s closed and read", self.table, shard.shard_id)

    # ----------------------------------------------------------------- invocation
    def lambda_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """A GetRecords record in the shape Lambda hands to the function."""
        change = dict(record.get("dynamodb") or {})
        created = change.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            change["ApproximateCreationDateTime"] = int(created.timestamp())
        out: dict[str, Any] = {
            "eventID": record.get("eventID"),
            "eventName": record.get("eventName"),
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": record.get("awsRegion") or self.region,
            "dynamodb": change,
            "eventSourceARN": self.stream_arn,
        }
        if record.get("userIdentity"):
            out["userIdentity"] = record["userIdentity"]
        return out

    def _failed_index(self, batch: list[dict[str, Any]], response: Any) -> int | None:
        """Index of the first record to retry (``None``: all succeeded)."""
        if not isinstance(response, dict) or not response.get("batchItemFailures"):
            return None
        positions = {r["dynamodb"].get("SequenceNumber"): i for i, r in enumerate(batch)}
        indices = []
        for failure in response["batchItemFailures"]:
            ident = failure.get("itemIdentifier") if isinstance(failure, dict) else None
            if ident not in positions:
                return 0  # an unknown or empty identifier fails the whole batch (as Lambda does)
            indices.append(positions[ident])
        return min(indices)

    def _deliver(self, shard: _Shard, records: list[dict[str, Any]]) -> None:
        batch = [self.lambda_record(r) for r in records]
        attempt = 0
        while batch:
            self.batches += 1
            context = LambdaContext(function_name=self.function_name, memory_size=256, max_runtime_ms=60_000)
            try:
                response = self.handler({"Records": batch}, context)
                failed = self._failed_index(batch, response)
            except Exception:  # noqa: BLE001 - a crashed invocation retries the whole batch
                log.exception("stream handler %s raised; retrying the batch", self.function_name)
                failed = 0
            done = batch if failed is None else batch[:failed]
            if done:
                self.records += len(done)
                shard.checkpoint = done[-1]["dynamodb"]["SequenceNumber"]
            if failed is None:
                return
            batch = batch[failed:]
            if attempt >= MAX_RETRIES or self.stopping.is_set():
                log.error("stream handler %s: giving up on %d record(s) from sequence number %s after %d "
                          "retries", self.function_name, len(batch), batch[0]["dynamodb"]["SequenceNumber"],
                          attempt)
                shard.checkpoint = batch[-1]["dynamodb"]["SequenceNumber"]
                return
            delay = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)]
            attempt += 1
            log.warning("stream handler %s: retry %d/%d of %d record(s) in %.1fs", self.function_name,
                        attempt, MAX_RETRIES, len(batch), delay)
            self.stopping.wait(delay)


def pollers_for(app: Any, app_module: Any, endpoint: str | None, region: str, poll_interval: float,
                start_existing: str, housekeeping: Callable[[], None] | None = None) -> list[StreamPoller]:
    """One poller per ``@app.on_dynamodb_record`` handler of ``app``."""
    from chalice.app import DynamoDBEventConfig

    pollers = []
    for source in getattr(app, "event_sources", []):
        if not isinstance(source, DynamoDBEventConfig):
            continue
        handler = getattr(app_module, source.name)
        pollers.append(StreamPoller(handler, source.name, source.stream_arn, source.batch_size, endpoint,
                                    region, poll_interval, start_existing, housekeeping))
    return pollers
