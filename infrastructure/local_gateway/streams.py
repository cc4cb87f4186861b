"""The DynamoDB Streams event source mapping, emulated: poll shards, invoke the handler.

Like Lambda's event source mapping (with ``ReportBatchItemFailures``):

* one poller thread per ``@app.on_dynamodb_record`` handler; the handler runs in that thread;
* the table is the one named in the handler's (placeholder) ``stream_arn``; its real stream
  comes from ``DescribeTable(LatestStreamArn)`` on the configured endpoint;
* shards without a saved checkpoint begin at ``TRIM_HORIZON`` (or ``LATEST`` with
  ``--stream-start latest``; shards found later always at ``TRIM_HORIZON``); a child shard
  waits until its parent is handled to the end;
* the position survives a restart of the gateway (as the event source mapping's does a
  restart of the function): with a :class:`CheckpointStore` (``<data>/stream-checkpoints.json``)
  each shard resumes after the last record handled — records in between are delivered at
  least once, never skipped;
* a reader thread reads the shards ahead of the handler into a per-shard buffer (as Lambda's
  pollers do) while the poller thread invokes the handler, so a slow or failing handler shows
  up as **iterator age**: how long the oldest record read but not yet handled has waited
  (``/__local/info``; a warning past :data:`LAG_WARNING_SECONDS`). It is measured from when the
  reader saw the record (within one poll interval of its write): DynamoDB Local truncates
  ``ApproximateCreationDateTime`` to the minute;
* a ``batchItemFailures`` answer checkpoints before the lowest failed sequence number and
  retries from there; an exception retries the whole batch; both with exponential backoff,
  at most ``MAX_RETRIES`` times (the template's ``MaximumRetryAttempts``), then every record
  given up is logged (event id, keys, sequence number — never the contents) and skipped;
* how soon a write is read: Lambda polls a shard about 4 times a second (≈ 125 ms wait on
  average); the reader polls every ``--poll-interval`` (0.15 s) and, because the gateway runs
  the writers too, is also **nudged** (:func:`nudge`) as soon as a write of any function to its
  table returns (:func:`watch_writes` sees pynamodb's write calls and the tables they name), so
  locally the stream hop is one GetRecords, not the poll wait — the local send→receive is that
  much below AWS's, whose floor the README's "AWS on paper" states. Only the written tables'
  readers are woken: a chat message does not make the rooms, memberships and notifications
  readers read nothing from DynamoDB Local.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from chalice.local import LambdaContext

from infrastructure.local_gateway.config import log

MAX_RETRIES = 5  # as MaximumRetryAttempts of the fan-out event sources in template.yaml
BACKOFF_SECONDS = (0.5, 1.0, 2.0, 4.0, 8.0)
DISCOVER_EVERY = 2.0
ERROR_BACKOFF = 1.0
READ_LIMIT = 1000  # GetRecords' maximum
MAX_BUFFERED = 5000  # records read ahead per shard
LAG_WARNING_SECONDS = 5.0
_TABLE_IN_ARN = re.compile(r":table/([^/]+)/stream/")
_READERS: dict[threading.Event, str] = {}  # each poller's reader wakes on its event; its table
_READERS_LOCK = threading.Lock()
_WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})


def nudge(tables: Iterable[str] | None = None) -> None:
    """Wake the readers of ``tables`` now (every reader when ``None``)."""
    wanted = None if tables is None else set(tables)
    with _READERS_LOCK:
        for wake, table in _READERS.items():
            if wanted is None or table in wanted:
                wake.set()


def written_tables(operation: str, params: dict[str, Any]) -> set[str]:
    """The tables a successful DynamoDB call of ``operation`` with ``params`` wrote to."""
    if operation == "BatchWriteItem":
        return set(params.get("RequestItems") or {})
    if operation == "TransactWriteItems":
        return {str(op.get("TableName")) for item in params.get("TransactItems") or []
                for kind, op in item.items() if kind != "ConditionCheck" and isinstance(op, dict)}
    if operation in _WRITES:
        return {str(params.get("TableName"))}
    return set()


def watch_writes() -> None:
    """Nudge the readers of the tables each pynamodb write wrote to, as the write returns (once
    per process; the app's tables are all pynamodb models)."""
    from pynamodb.connection.base import Connection

    original = Connection._make_api_call
    if getattr(original, "nudges_streams", False):
        return

    def make_api_call(self: Any, operation_name: str, operation_kwargs: dict[str, Any]) -> Any:
        data = original(self, operation_name, operation_kwargs)
        if operation_name in _WRITES:
            nudge(written_tables(operation_name, operation_kwargs))
        return data

    make_api_call.nudges_streams = True  # type: ignore[attr-defined]
    Connection._make_api_call = make_api_call  # type: ignore[method-assign]


def table_from_stream_arn(arn: str) -> str:
    """``arn:aws:dynamodb:r:a:table/<name>/stream/<label>`` → ``<name>``."""
    match = _TABLE_IN_ARN.search(arn)
    if not match:
        raise ValueError(f"Not a DynamoDB stream ARN: {arn}")
    return match.group(1)


def _seq(value: str | None) -> int:
    """DynamoDB stream sequence numbers are decimal strings; compare them as numbers."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


class CheckpointStore:
    """Per stream and shard, the last sequence number handled; kept in one JSON file.

    Written at most every ``flush_every`` seconds (and at stop): after a ``kill -9`` the few
    records handled since the last write are delivered again (at least once, like Lambda)."""

    def __init__(self, path: Path, flush_every: float = 0.25) -> None:
        self.path = path
        self.flush_every = flush_every
        self._lock = threading.Lock()
        self._dirty = False
        self._last_flush = 0.0
        try:
            self._data: dict[str, dict[str, str]] = dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            self._data = {}

    def get(self, stream_arn: str, shard_id: str) -> str | None:
        with self._lock:
            return self._data.get(stream_arn, {}).get(shard_id)

    def set(self, stream_arn: str, shard_id: str, sequence_number: str) -> None:
        with self._lock:
            self._data.setdefault(stream_arn, {})[shard_id] = sequence_number
            self._dirty = True
        if time.monotonic() - self._last_flush >= self.flush_every:
            self.flush()

    def flush(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            text = json.dumps(self._data, indent=0)
            self._dirty = False
            self._last_flush = time.monotonic()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(self.path)


@dataclass
class _Pending:
    record: dict[str, Any]  # Lambda-shaped
    seen: float  # time.time() when GetRecords returned it


@dataclass
class _Shard:
    shard_id: str
    parent_id: str | None
    start_type: str  # LATEST | TRIM_HORIZON (before the first checkpoint)
    stream_arn: str = ""
    iterator: str | None = None
    checkpoint: str | None = None  # last sequence number handled (or given up)
    read_position: str | None = None  # last sequence number read into the buffer
    floor: int = 0  # records at or below this sequence number are never buffered again
    trimmed: bool = False  # the checkpoint fell behind the trim horizon: read from there
    buffer: deque[_Pending] = field(default_factory=deque)
    read_done: bool = False  # the shard is closed and read to its end
    drained: bool = True  # the last read returned less than READ_LIMIT: nothing more was there
    next_read: float = 0.0
    attempts: int = 0  # failed invocations of the batch at the head of the buffer
    retry_at: float = 0.0

    @property
    def finished(self) -> bool:
        return self.read_done and not self.buffer


def _error_code(exc: Exception) -> str:
    return exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""


class StreamPoller(threading.Thread):
    """Polls one table's stream and feeds one handler.

    Two threads: this one invokes the handler (batches from the head of each shard's buffer);
    a reader thread discovers the shards and reads them into those buffers meanwhile. The
    buffers are deques (append by the reader, popleft by this thread)."""

    def __init__(self, handler: Callable[..., Any], name: str, stream_arn: str, batch_size: int,
                 endpoint: str | None, region: str, poll_interval: float = 0.15,
                 start_existing: str = "TRIM_HORIZON", housekeeping: Callable[[], None] | None = None,
                 checkpoints: CheckpointStore | None = None) -> None:
        super().__init__(name=f"stream-{name}", daemon=True)
        self.handler = handler
        self.function_name = name
        self.table = table_from_stream_arn(stream_arn)
        self.batch_size = max(1, min(int(batch_size or 100), 1000))
        self.region = region
        self.poll_interval = poll_interval
        self.start_existing = start_existing.upper()
        self.housekeeping = housekeeping
        self.checkpoints = checkpoints
        self.stopping = threading.Event()
        self.stream_arn: str | None = None
        self.shards: dict[str, _Shard] = {}
        self.batches = 0
        self.records = 0
        self.given_up = 0
        self.iterator_age_ms = 0  # Lambda's IteratorAge: the last batch's last record when handed over
        self.max_iterator_age_ms = 0
        self.oldest_pending_ms = 0  # now: the oldest record read and not handled yet
        self.pending = 0
        self.lag_warnings = 0
        self.last_error = ""
        self._lagging = False
        self._first_discovery_done = False
        self._arrived = threading.Event()  # the reader appended records
        self._wake = threading.Event()  # nudge(): read now
        self._reader = threading.Thread(target=self._read_loop, name=f"stream-read-{name}", daemon=True)
        cfg = Config(connect_timeout=2, read_timeout=10, retries={"max_attempts": 2})
        self._ddb = boto3.session.Session().client("dynamodb", endpoint_url=endpoint, region_name=region,
                                                   config=cfg)
        self._streams = boto3.session.Session().client("dynamodbstreams", endpoint_url=endpoint,
                                                       region_name=region, config=cfg)

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> None:
        with _READERS_LOCK:
            _READERS[self._wake] = self.table
        super().start()
        self._reader.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self._arrived.set()
        self._wake.set()
        with _READERS_LOCK:
            _READERS.pop(self._wake, None)
        for thread in (self._reader, self):
            if thread.is_alive():
                thread.join(timeout)
        if self.checkpoints is not None:
            self.checkpoints.flush()

    def run(self) -> None:
        """The handler's thread: hand each shard's buffered records over, in order."""
        while not self.stopping.is_set():
            self._arrived.clear()
            busy = False
            try:
                for shard in list(self.shards.values()):
                    if self.stopping.is_set():
                        break
                    if self._deliverable(shard, time.monotonic()):
                        self._deliver(shard)
                        busy = True
                if self.checkpoints is not None:
                    self.checkpoints.flush()
            except Exception as exc:  # noqa: BLE001 - the poller must survive anything
                self._warn(f"stream poller error: {exc}")
                self.stopping.wait(ERROR_BACKOFF)
            self._measure()
            if not busy:
                self._arrived.wait(self.poll_interval)

    def _read_loop(self) -> None:
        """The reader's thread: discover shards, read them into their buffers."""
        last_discovery = 0.0
        last_housekeeping = time.monotonic()
        while not self.stopping.is_set():
            now = time.monotonic()
            got = more = False
            try:
                if self.stream_arn is None or now - last_discovery >= DISCOVER_EVERY:
                    last_discovery = now
                    self._discover()
                for shard in list(self.shards.values()):
                    if self.stopping.is_set():
                        break
                    if self._readable(shard, time.monotonic()) and self._read(shard):
                        got = True
                        more |= not shard.drained
                if self.housekeeping and now - last_housekeeping > 30:
                    last_housekeeping = now
                    self.housekeeping()
            except Exception as exc:  # noqa: BLE001 - the reader must survive anything
                self._warn(f"stream reader error: {exc}")
                self.stopping.wait(ERROR_BACKOFF)
            if got:
                self._arrived.set()
            if not more:
                # Read to the end: the next write's nudge (or the poll interval) wakes the reader. A
                # full read (a burst beyond READ_LIMIT) is followed at once, without the pause; a
                # read right after one that emptied the shard would return nothing.
                self._wake.wait(self.poll_interval)
                self._wake.clear()

    def _warn(self, message: str) -> None:
        if message != self.last_error:  # one line per distinct problem, not one per poll
            log.warning("%s (%s)", message, self.table)
            self.last_error = message

    # ----------------------------------------------------------------- iterator age
    def _measure(self) -> None:
        now = time.time()
        oldest = min((s.buffer[0].seen for s in self.shards.values() if s.buffer), default=None)
        self.pending = sum(len(s.buffer) for s in self.shards.values())
        self.oldest_pending_ms = int((now - oldest) * 1000) if oldest is not None else 0
        self.max_iterator_age_ms = max(self.max_iterator_age_ms, self.oldest_pending_ms)
        if self.oldest_pending_ms > LAG_WARNING_SECONDS * 1000 and not self._lagging:
            self._lagging = True
            self.lag_warnings += 1
            failing = any(s.attempts for s in self.shards.values())
            log.warning("stream %s → %s: a record has waited %.1f s (iterator age), %d waiting; %s",
                        self.table, self.function_name, self.oldest_pending_ms / 1000, self.pending,
                        "the handler keeps failing" if failing else "the handler is behind")
        elif self._lagging and self.oldest_pending_ms < LAG_WARNING_SECONDS * 500:
            self._lagging = False
            log.info("stream %s → %s caught up (iterator age %.1f s)", self.table, self.function_name,
                     self.oldest_pending_ms / 1000)

    def info(self) -> dict[str, Any]:
        """What ``/__local/info`` shows for this event source."""
        return {"function": self.function_name, "table": self.table, "stream_arn": self.stream_arn,
                "shards": len(self.shards), "batches": self.batches, "records": self.records,
                "pending_records": self.pending, "iterator_age_ms": self.iterator_age_ms,
                "oldest_pending_ms": self.oldest_pending_ms, "max_iterator_age_ms": self.max_iterator_age_ms,
                "lag_warnings": self.lag_warnings, "records_given_up": self.given_up,
                "last_error": self.last_error or None}

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
        shards = dict(self.shards)  # the handler's thread iterates the current dict: replace, never mutate
        if arn != self.stream_arn:
            if self.stream_arn is not None:
                log.info("table %s has a new stream; reading it from TRIM_HORIZON", self.table)
            self.stream_arn = arn
            shards = {}
        at_start = not self._first_discovery_done
        self._first_discovery_done = True
        start_type = self.start_existing if at_start else "TRIM_HORIZON"
        kwargs: dict[str, Any] = {"StreamArn": arn}
        while True:
            try:
                desc = self._streams.describe_stream(**kwargs)["StreamDescription"]
            except (ClientError, BotoCoreError) as exc:
                self._warn(f"cannot describe stream: {_error_code(exc) or exc}")
                self.shards = shards
                return
            for raw in desc.get("Shards", []):
                shard_id = raw["ShardId"]
                if shard_id not in shards:
                    shard = _Shard(shard_id, raw.get("ParentShardId"), start_type, arn)
                    if self.checkpoints is not None:
                        shard.checkpoint = self.checkpoints.get(arn, shard_id)
                        shard.floor = _seq(shard.checkpoint)
                    shards[shard_id] = shard
                    log.debug("stream %s: shard %s from %s", self.table, shard_id,
                              f"after {shard.checkpoint}" if shard.checkpoint else start_type)
            last = desc.get("LastEvaluatedShardId")
            if not last:
                break
            kwargs["ExclusiveStartShardId"] = last
        self.shards = shards
        if self.last_error.startswith("cannot describe"):
            self.last_error = ""

    def _parent_done(self, shard: _Shard) -> bool:
        parent = self.shards.get(shard.parent_id or "")
        return parent is None or parent.finished

    def _readable(self, shard: _Shard, now: float) -> bool:
        return (not shard.read_done and now >= shard.next_read and len(shard.buffer) < MAX_BUFFERED
                and self._parent_done(shard))

    def _deliverable(self, shard: _Shard, now: float) -> bool:
        return bool(shard.buffer) and now >= shard.retry_at and self._parent_done(shard)

    # ----------------------------------------------------------------- reading
    def _iterator(self, shard: _Shard) -> str:
        kwargs: dict[str, Any] = {"StreamArn": shard.stream_arn or self.stream_arn, "ShardId": shard.shard_id}
        position = shard.read_position or (None if shard.trimmed else shard.checkpoint)
        if position:
            kwargs.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=position)
        else:
            kwargs["ShardIteratorType"] = shard.start_type
        return str(self._streams.get_shard_iterator(**kwargs)["ShardIterator"])

    def _read(self, shard: _Shard) -> bool:
        """One GetRecords into the shard's buffer; True when records came."""
        try:
            if shard.iterator is None:
                shard.iterator = self._iterator(shard)
            resp = self._streams.get_records(ShardIterator=shard.iterator, Limit=READ_LIMIT)
        except (ClientError, BotoCoreError) as exc:
            code = _error_code(exc)
            if code == "TrimmedDataAccessException":
                log.warning("stream %s: shard %s trimmed past the checkpoint; reading from TRIM_HORIZON",
                            self.table, shard.shard_id)
                shard.read_position, shard.trimmed, shard.start_type = None, True, "TRIM_HORIZON"
            elif code == "ResourceNotFoundException":
                self.stream_arn = None  # rediscover
            elif code != "ExpiredIteratorException":
                self._warn(f"GetRecords failed: {code or exc}")
                shard.next_read = time.monotonic() + ERROR_BACKOFF
            shard.iterator = None  # next time: a fresh iterator from the read position
            return False
        if self.last_error.startswith("GetRecords failed"):
            log.info("stream %s readable again", self.table)
            self.last_error = ""
        seen = time.time()
        # never the same record twice (a re-read after a trimmed or reset iterator)
        records = resp.get("Records") or []
        shard.drained = len(records) < READ_LIMIT
        fresh = [r for r in records if _seq(r.get("dynamodb", {}).get("SequenceNumber")) > shard.floor]
        for record in fresh:
            shard.buffer.append(_Pending(self.lambda_record(record), seen))
        if fresh:
            shard.read_position = fresh[-1]["dynamodb"]["SequenceNumber"]
            shard.floor = _seq(shard.read_position)
        shard.iterator = resp.get("NextShardIterator")
        if shard.iterator is None:
            shard.read_done = True
            log.debug("stream %s: shard %s closed and read", self.table, shard.shard_id)
        return bool(fresh)

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

    def _handled(self, shard: _Shard, count: int) -> None:
        last = None
        for _ in range(count):
            last = shard.buffer.popleft()
        if last is not None:
            shard.checkpoint = last.record["dynamodb"]["SequenceNumber"]
            if self.checkpoints is not None and shard.stream_arn:
                self.checkpoints.set(shard.stream_arn, shard.shard_id, shard.checkpoint)

    def _deliver(self, shard: _Shard) -> None:
        """Invoke the handler once with the batch at the head of the shard's buffer."""
        pending = [shard.buffer[i] for i in range(min(self.batch_size, len(shard.buffer)))]
        batch = [p.record for p in pending]
        self.batches += 1
        handed = time.time()
        self.iterator_age_ms = int((handed - pending[-1].seen) * 1000)
        self.max_iterator_age_ms = max(self.max_iterator_age_ms, int((handed - pending[0].seen) * 1000))
        context = LambdaContext(function_name=self.function_name, memory_size=256, max_runtime_ms=60_000)
        try:
            response = self.handler({"Records": batch}, context)
            failed = self._failed_index(batch, response)
        except Exception:  # noqa: BLE001 - a crashed invocation retries the whole batch
            log.exception("stream handler %s raised; retrying the batch", self.function_name)
            failed = 0
        done = len(batch) if failed is None else failed
        if done:
            self.records += done
            self._handled(shard, done)
            shard.attempts = 0
        if failed is None:
            return
        remaining = batch[failed:]
        if shard.attempts >= MAX_RETRIES or self.stopping.is_set():
            if self.stopping.is_set():
                return  # not handled: the checkpoint stays before it, the next start retries it
            for record in remaining:
                change = record["dynamodb"]
                log.error("stream handler %s: gave up on record %s (%s, keys %s, sequence number %s) after %d "
                          "retries", self.function_name, record.get("eventID"), record.get("eventName"),
                          json.dumps(change.get("Keys"), ensure_ascii=False, separators=(",", ":")),
                          change.get("SequenceNumber"), shard.attempts)
            self.given_up += len(remaining)
            self._handled(shard, len(remaining))
            shard.attempts = 0
            return
        delay = BACKOFF_SECONDS[min(shard.attempts, len(BACKOFF_SECONDS) - 1)]
        shard.attempts += 1
        shard.retry_at = time.monotonic() + delay
        log.warning("stream handler %s: retry %d/%d of %d record(s) in %.1fs", self.function_name,
                    shard.attempts, MAX_RETRIES, len(remaining), delay)


def pollers_for(app: Any, app_module: Any, endpoint: str | None, region: str, poll_interval: float,
                start_existing: str, housekeeping: Callable[[], None] | None = None,
                checkpoints: CheckpointStore | None = None) -> list[StreamPoller]:
    """One poller per ``@app.on_dynamodb_record`` handler of ``app``."""
    from chalice.app import DynamoDBEventConfig

    pollers = []
    for source in getattr(app, "event_sources", []):
        if not isinstance(source, DynamoDBEventConfig):
            continue
        handler = getattr(app_module, source.name)
        pollers.append(StreamPoller(handler, source.name, source.stream_arn, source.batch_size, endpoint,
                                    region, poll_interval, start_existing, housekeeping, checkpoints))
    return pollers
