"""The local gateway's SQS (``infrastructure/local_gateway/queues.py``): boto3's own client sends
to it (the AWS JSON protocol, MD5 checked by botocore), handlers get SQS-shaped batches, partial
batch failures come back after the visibility timeout, a message failing ``max_receive`` times
goes to the dead-letter list, delays are honoured and a restart keeps what was queued."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from infrastructure.local_gateway.queues import LocalQueues, QueuePoller

ARN = "arn:aws:sqs:us-east-1:000000000000:t-outbound"


@pytest.fixture
def queues(tmp_path: Path) -> Iterator[LocalQueues]:
    q = LocalQueues(tmp_path / "queues.json", visibility_timeout=0.2, max_receive=3)
    q.start()
    yield q
    q.stop()


def _client(q: LocalQueues) -> Any:
    return boto3.client("sqs", endpoint_url=q.endpoint, region_name="us-east-1", aws_access_key_id="local",
                        aws_secret_access_key="local")


def _poll(q: LocalQueues, handler: Any) -> QueuePoller:
    poller = QueuePoller(q, handler, "outbound_deliveries", ARN, 10, "us-east-1")
    poller.start()
    return poller


def _until(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_boto3_sends_and_the_handler_receives_sqs_records(queues: LocalQueues) -> None:
    sqs = _client(queues)
    url = sqs.get_queue_url(QueueName="t-outbound")["QueueUrl"]
    assert url == queues.url("t-outbound")
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"delivery_id": "a", "text": "溫度"}))
    events: list[dict[str, Any]] = []
    poller = _poll(queues, lambda event, context: events.append(event) or {"batchItemFailures": []})
    _until(lambda: events)
    poller.stop()
    (record,) = events[0]["Records"]
    assert json.loads(record["body"]) == {"delivery_id": "a", "text": "溫度"}
    assert record["eventSource"] == "aws:sqs" and record["eventSourceARN"] == ARN
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert queues.info()["queues"][0]["delivered"] == 1


def test_failed_items_come_back_and_end_in_the_dead_letter_list(queues: LocalQueues) -> None:
    sqs = _client(queues)
    url = queues.url("t-outbound")
    sqs.send_message(QueueUrl=url, MessageBody='{"n": 1}')
    sqs.send_message(QueueUrl=url, MessageBody='{"n": 2}')
    seen: list[int] = []

    def handler(event: dict[str, Any], _: Any) -> dict[str, Any]:
        failures = []
        for record in event["Records"]:
            n = json.loads(record["body"])["n"]
            seen.append(n)
            if n == 2:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    poller = _poll(queues, handler)
    _until(lambda: queues.info()["queues"][0]["dead"] == 1)
    poller.stop()
    assert seen.count(1) == 1 and seen.count(2) == 3  # max_receive
    assert queues.info()["queues"][0]["visible"] == 0


def test_a_crashing_handler_gets_the_whole_batch_again(queues: LocalQueues) -> None:
    _client(queues).send_message(QueueUrl=queues.url("t-outbound"), MessageBody="{}")
    calls: list[int] = []

    def handler(event: dict[str, Any], _: Any) -> None:
        calls.append(len(event["Records"]))
        if len(calls) == 1:
            raise RuntimeError("boom")

    poller = _poll(queues, handler)
    _until(lambda: len(calls) == 2)
    poller.stop()
    assert queues.info()["queues"][0]["delivered"] == 1


def test_delays_are_honoured_and_a_restart_keeps_the_queue(tmp_path: Path) -> None:
    first = LocalQueues(tmp_path / "queues.json")
    first.start()
    _client(first).send_message(QueueUrl=first.url("t-outbound"), MessageBody='{"later": true}', DelaySeconds=1)
    assert first.receive("t-outbound", 10, timeout=0.1) == []  # not yet
    first.stop()
    second = LocalQueues(tmp_path / "queues.json")
    started = time.monotonic()
    (message,) = second.receive("t-outbound", 10, timeout=3)
    assert json.loads(message.body) == {"later": True} and time.monotonic() - started < 1.5
