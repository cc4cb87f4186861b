"""The gateway's stream event source mapping: records, partial batch failures, retries.

These drive :class:`StreamPoller` against moto's DynamoDB Streams in this process (real
GetRecords responses), with stand-in handlers that fail on purpose.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from infrastructure.local_gateway import streams
from infrastructure.local_gateway.streams import StreamPoller, table_from_stream_arn

pytestmark = pytest.mark.integration

TABLE = "gwstream-messages"
PLACEHOLDER = f"arn:aws:dynamodb:us-east-1:000000000000:table/{TABLE}/stream/placeholder"


@pytest.fixture
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    from infrastructure.local_gateway.config import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
    client.create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    try:
        yield endpoint
    finally:
        client.delete_table(TableName=TABLE)  # moto's state is per process, not per server
        server.stop()


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streams, "BACKOFF_SECONDS", (0.05,) * streams.MAX_RETRIES)


class Recorder:
    """A stand-in handler: records each batch's keys and answers with ``respond(batch)``."""

    def __init__(self, respond: Any = None) -> None:
        self.batches: list[list[str]] = []
        self.events: list[dict[str, Any]] = []
        self.respond = respond
        self.called = threading.Event()

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(event)
        self.batches.append([r["dynamodb"]["Keys"]["pk"]["S"] for r in event["Records"]])
        self.called.set()
        return self.respond(event["Records"]) if self.respond else {"batchItemFailures": []}


def put(endpoint: str, *keys: str) -> None:
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")
    for key in keys:
        client.put_item(TableName=TABLE, Item={"pk": {"S": key}, "n": {"N": "1"}})


def run_until(poller: StreamPoller, check: Any, timeout: float = 10.0) -> None:
    poller.start()
    try:
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, "timed out"
            time.sleep(0.05)
    finally:
        poller.stop()


def wait_until_reading(poller: StreamPoller) -> None:
    """Wait until the started ``poller`` holds an iterator on its shards (it reads from there on)."""
    deadline = time.monotonic() + 5
    while not poller.shards or all(s.iterator is None for s in poller.shards.values()):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def make_poller(endpoint: str, handler: Any, start: str = "TRIM_HORIZON") -> StreamPoller:
    return StreamPoller(handler, "fanout", PLACEHOLDER, 10, endpoint, "us-east-1", poll_interval=0.05,
                        start_existing=start)


def test_table_name_from_placeholder_arn() -> None:
    assert table_from_stream_arn(PLACEHOLDER) == TABLE
    with pytest.raises(ValueError):
        table_from_stream_arn("arn:aws:sqs:us-east-1:000000000000:queue")


def test_lambda_shaped_records(moto_endpoint: str) -> None:
    put(moto_endpoint, "a", "b")
    handler = Recorder()
    poller = make_poller(moto_endpoint, handler)
    run_until(poller, lambda: sum(len(b) for b in handler.batches) >= 2)
    record = handler.events[0]["Records"][0]
    assert record["eventName"] == "INSERT" and record["eventSource"] == "aws:dynamodb"
    assert record["eventVersion"] == "1.1" and record["awsRegion"] == "us-east-1"
    assert record["eventSourceARN"] == poller.stream_arn and "/stream/" in record["eventSourceARN"]
    assert record["eventSourceARN"] != PLACEHOLDER
    change = record["dynamodb"]
    assert change["Keys"] == {"pk": {"S": "a"}} and change["NewImage"]["n"] == {"N": "1"}
    assert isinstance(change["ApproximateCreationDateTime"], int | float)
    assert change["StreamViewType"] == "NEW_AND_OLD_IMAGES" and change["SequenceNumber"]


def test_latest_skips_records_written_before_start(moto_endpoint: str) -> None:
    put(moto_endpoint, "old")
    handler = Recorder()
    poller = make_poller(moto_endpoint, handler, start="LATEST")
    poller.start()
    try:
        wait_until_reading(poller)
        put(moto_endpoint, "new")
        assert handler.called.wait(5)
    finally:
        poller.stop()
    assert handler.batches == [["new"]]


def test_partial_failure_retries_from_the_lowest_failed_record(moto_endpoint: str) -> None:
    put(moto_endpoint, "a", "b", "c", "d")
    failed_once: set[str] = set()

    def respond(records: list[dict[str, Any]]) -> dict[str, Any]:
        failures = []
        for r in records:
            key = r["dynamodb"]["Keys"]["pk"]["S"]
            if key in ("b", "d") and key not in failed_once:
                failed_once.add(key)
                failures.append({"itemIdentifier": r["dynamodb"]["SequenceNumber"]})
        return {"batchItemFailures": failures}

    handler = Recorder(respond)
    poller = make_poller(moto_endpoint, handler)
    run_until(poller, lambda: len(handler.batches) >= 2)
    # checkpoint before "b" (the lowest failure); "b" onwards is retried, "a" is not
    assert handler.batches[:2] == [["a", "b", "c", "d"], ["b", "c", "d"]]


def test_exception_retries_whole_batch_then_gives_up(moto_endpoint: str) -> None:
    put(moto_endpoint, "a", "b")

    def respond(records: list[dict[str, Any]]) -> Any:
        raise RuntimeError("boom")

    handler = Recorder(respond)
    poller = make_poller(moto_endpoint, handler)
    run_until(poller, lambda: poller.given_up == 2)  # given up after the last retry: no attempt follows
    assert handler.batches == [["a", "b"]] * (streams.MAX_RETRIES + 1)
    # and the poller moves on: later records are delivered
    later = Recorder()
    poller2 = make_poller(moto_endpoint, later)
    poller2.shards = poller.shards
    poller2.stream_arn = poller.stream_arn
    poller2._first_discovery_done = True
    put(moto_endpoint, "c")
    run_until(poller2, lambda: bool(later.batches))
    assert later.batches == [["c"]]


def test_unknown_failure_identifier_fails_whole_batch(moto_endpoint: str) -> None:
    put(moto_endpoint, "a", "b")
    answers = iter([{"batchItemFailures": [{"itemIdentifier": "nonsense"}]}])

    handler = Recorder(lambda records: next(answers, {"batchItemFailures": []}))
    poller = make_poller(moto_endpoint, handler)
    run_until(poller, lambda: len(handler.batches) >= 2)
    assert handler.batches[:2] == [["a", "b"], ["a", "b"]]


# ----------------------------------------------------------------------------- iterator age, checkpoints
def test_a_slow_handler_shows_as_iterator_age_and_a_warning(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(streams, "LAG_WARNING_SECONDS", 0.3)
    put(moto_endpoint, "a", "b", "c")
    done: list[str] = []

    def slow(event: dict[str, Any], context: Any) -> dict[str, Any]:
        time.sleep(0.25)  # the handler under test is slow on purpose
        done.extend(r["dynamodb"]["Keys"]["pk"]["S"] for r in event["Records"])
        return {"batchItemFailures": []}

    poller = StreamPoller(slow, "fanout", PLACEHOLDER, 1, moto_endpoint, "us-east-1", poll_interval=0.05,
                          start_existing="TRIM_HORIZON")
    with caplog.at_level("WARNING", logger="local_gateway"):
        run_until(poller, lambda: len(done) == 3)
    info = poller.info()
    # the third record was read with the first and waited for two slow invocations
    assert info["max_iterator_age_ms"] >= 400 and info["lag_warnings"] >= 1, info
    assert info["pending_records"] == 0 and info["records"] == 3
    assert any("iterator age" in r.getMessage() for r in caplog.records)


def test_records_given_up_are_logged_one_by_one(moto_endpoint: str, caplog: pytest.LogCaptureFixture) -> None:
    put(moto_endpoint, "x", "y")

    def failing(event: dict[str, Any], context: Any) -> Any:
        raise RuntimeError("boom")

    poller = make_poller(moto_endpoint, failing)
    with caplog.at_level("ERROR", logger="local_gateway"):
        run_until(poller, lambda: poller.given_up == 2)
    gave_up = [r.getMessage() for r in caplog.records if "gave up on record" in r.getMessage()]
    assert len(gave_up) == 2
    assert '{"pk":{"S":"x"}}' in gave_up[0] and '{"pk":{"S":"y"}}' in gave_up[1]
    assert poller.info()["records_given_up"] == 2


def test_checkpoints_resume_a_restarted_poller_after_the_last_record_handled(
        moto_endpoint: str, tmp_path: Any) -> None:
    store_path = tmp_path / "stream-checkpoints.json"
    put(moto_endpoint, "a", "b")
    first = Recorder()
    poller = StreamPoller(first, "fanout", PLACEHOLDER, 10, moto_endpoint, "us-east-1", poll_interval=0.05,
                          start_existing="TRIM_HORIZON", checkpoints=streams.CheckpointStore(store_path))
    run_until(poller, lambda: sum(len(b) for b in first.batches) == 2)
    put(moto_endpoint, "c")  # written while no poller runs
    second = Recorder()
    again = StreamPoller(second, "fanout", PLACEHOLDER, 10, moto_endpoint, "us-east-1", poll_interval=0.05,
                         start_existing="TRIM_HORIZON", checkpoints=streams.CheckpointStore(store_path))
    run_until(again, lambda: bool(second.batches))
    assert second.batches == [["c"]]  # neither skipped nor delivered twice


def test_template_alarms_on_fanout_iterator_age_and_the_failure_queue() -> None:
    from pathlib import Path

    from chalice.package import YAMLTemplateSerializer

    template = Path(__file__).resolve().parents[2] / "infrastructure" / "template.yaml"
    resources = YAMLTemplateSerializer().load_template(template.read_text(encoding="utf-8"), str(template))["Resources"]
    alarms = [r["Properties"] for r in resources.values() if r.get("Type") == "AWS::CloudWatch::Alarm"]
    ages = {a["Dimensions"][0]["Value"]["Ref"]: a for a in alarms if a["MetricName"] == "IteratorAge"}
    assert set(ages) == {"MessageFanout", "MembershipFanout"}
    assert ages["MessageFanout"]["Threshold"] == 5000 and ages["MessageFanout"]["Statistic"] == "Maximum"
    assert all(a["Namespace"] == "AWS/Lambda" for a in ages.values())
    queues = {a["Dimensions"][0]["Value"]["Fn::GetAtt"][0]: a for a in alarms if a["Namespace"] == "AWS/SQS"}
    # records given up; deliveries; chunks of large rooms
    assert set(queues) == {"StreamFailuresQueue", "OutboundDeadLetterQueue", "FanoutDeadLetterQueue"}
    for queue in queues.values():
        assert queue["MetricName"] == "ApproximateNumberOfMessagesVisible" and queue["Threshold"] == 0
        assert queue["Dimensions"][0]["Value"]["Fn::GetAtt"][1] == "QueueName"
    failure_queues = {s["Properties"]["DestinationConfig"]["OnFailure"]["Destination"]["Fn::GetAtt"][0]
                      for fn in ("MessageFanout", "MembershipFanout")
                      for s in resources[fn]["Properties"]["Events"].values()}
    assert failure_queues == {"StreamFailuresQueue"}


# ----------------------------------------------------------------------------- nudges
def test_the_tables_a_write_wrote_to() -> None:
    assert streams.written_tables("PutItem", {"TableName": "a"}) == {"a"}
    assert streams.written_tables("UpdateItem", {"TableName": "a"}) == {"a"}
    assert streams.written_tables("DeleteItem", {"TableName": "a"}) == {"a"}
    assert streams.written_tables("BatchWriteItem", {"RequestItems": {"a": [], "b": []}}) == {"a", "b"}
    transaction = {"TransactItems": [{"Put": {"TableName": "m"}}, {"Update": {"TableName": "c"}},
                                     {"Delete": {"TableName": "d"}}, {"ConditionCheck": {"TableName": "x"}}]}
    assert streams.written_tables("TransactWriteItems", transaction) == {"m", "c", "d"}
    assert streams.written_tables("Query", {"TableName": "a"}) == set()
    assert streams.written_tables("GetItem", {"TableName": "a"}) == set()


def test_a_nudge_wakes_only_the_written_tables_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    messages, rooms = threading.Event(), threading.Event()
    monkeypatch.setattr(streams, "_READERS", {messages: "p-messages", rooms: "p-rooms"})
    streams.nudge({"p-messages", "p-other"})
    assert messages.is_set() and not rooms.is_set()
    streams.nudge()
    assert rooms.is_set()


def test_a_pynamodb_write_is_read_at_once_not_at_the_next_poll(moto_endpoint: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from pynamodb.attributes import UnicodeAttribute
    from pynamodb.connection.base import Connection
    from pynamodb.models import Model

    class Row(Model):
        class Meta:
            table_name = TABLE
            host = moto_endpoint
            region = "us-east-1"

        pk = UnicodeAttribute(hash_key=True)

    monkeypatch.setattr(Connection, "_make_api_call", Connection._make_api_call)  # undone after the test
    streams.watch_writes()
    wrapped = Connection._make_api_call
    streams.watch_writes()  # once per process: a second call does not wrap again
    assert Connection._make_api_call is wrapped
    handler = Recorder()
    poller = StreamPoller(handler, "fanout", PLACEHOLDER, 10, moto_endpoint, "us-east-1", poll_interval=30.0,
                          start_existing="LATEST")
    poller.start()
    try:
        wait_until_reading(poller)
        time.sleep(0.2)  # the reader is waiting out its 30 s poll interval now
        Row("nudged").save()
        assert handler.called.wait(5), "the write was not read within 5 s (the poll interval is 30 s)"
    finally:
        poller.stop()
    assert handler.batches == [["nudged"]]


def test_a_reader_follows_a_full_read_at_once_and_waits_after_one_that_emptied_the_shard(
        moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # as Lambda's poller: a read that came back full is followed at once; one that emptied the shard
    # is not followed by a read that would find nothing — the next write's nudge wakes the reader
    monkeypatch.setattr(streams, "READ_LIMIT", 2)
    handler = Recorder()
    poller = StreamPoller(handler, "fanout", PLACEHOLDER, 10, moto_endpoint, "us-east-1", poll_interval=30.0,
                          start_existing="LATEST")
    reads: list[int] = []
    poller.start()
    try:
        wait_until_reading(poller)
        time.sleep(0.2)  # waiting out the 30 s poll interval now
        get_records = poller._streams.get_records

        def counted(**kwargs: Any) -> Any:
            response = get_records(**kwargs)
            reads.append(len(response.get("Records") or []))
            return response

        monkeypatch.setattr(poller._streams, "get_records", counted)
        put(moto_endpoint, "a", "b", "c")
        streams.nudge({TABLE})
        deadline = time.monotonic() + 5
        while sum(len(b) for b in handler.batches) < 3:
            assert time.monotonic() < deadline, "the three records were not read within 5 s"
            time.sleep(0.05)
        time.sleep(0.5)
    finally:
        poller.stop()
    assert reads == [2, 1]  # full, then the rest; no third read of an empty shard
