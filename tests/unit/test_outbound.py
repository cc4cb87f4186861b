"""Outbound deliveries (issue 12): recorded once, sent once, retried with backoff, logged.

The queue is the ``outbox`` fixture (the real consumer, SQS-shaped records, a movable clock);
senders are plain functions that count their calls.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import Outbox


class Receiver:
    """A sender that fails as told: ``plan`` is a list of exceptions (None: success)."""

    def __init__(self, *plan: Exception | None) -> None:
        self.plan = list(plan)
        self.calls: list[dict[str, Any]] = []

    def __call__(self, job: dict[str, Any]) -> str:
        self.calls.append(job)
        outcome = self.plan.pop(0) if self.plan else None
        if outcome is not None:
            raise outcome
        return "HTTP 200"


def _record(delivery_id: str) -> Any:
    from chalicelib.outbound.models import DeliveryModel

    return DeliveryModel.get(delivery_id, consistent_read=True)


def test_a_delivery_is_recorded_once_and_sent_once_even_when_produced_and_queued_twice(outbox: Outbox) -> None:
    from chalicelib import outbound

    assert outbound.enqueue("webhook", "d-1", "webhook#w", {"event": "room_created", "n": 1}) is True
    assert outbound.enqueue("webhook", "d-1", "webhook#w", {"event": "room_created", "n": 1}) is False
    outbox.queued.append(outbox.queued[0])  # and SQS hands the message over twice as well
    assert len(outbox.queued) == 3
    receiver = Receiver()
    outbox.run({"webhook": receiver})
    assert len(receiver.calls) == 1 and receiver.calls[0]["n"] == 1
    record = _record("d-1")
    assert (record.status, int(record.attempts), record.result) == ("delivered", 1, "HTTP 200")


def test_transient_failures_are_retried_with_growing_delays_until_delivered(outbox: Outbox) -> None:
    from chalicelib import outbound

    outbound.enqueue("webhook", "d-2", "webhook#w", {"event": "room_acknowledged"})
    receiver = Receiver(outbound.Retry("HTTP 503"), outbound.Retry("timeout"))
    outbox.run({"webhook": receiver})
    assert len(receiver.calls) == 3
    assert outbox.sent_delays == [0, 30, 120]  # OUTBOUND_BACKOFF_SECONDS × 4^(n-1)
    record = _record("d-2")
    assert (record.status, int(record.attempts), record.last_error) == ("delivered", 3, None)


def test_a_receiver_down_for_good_ends_failed_after_the_last_attempt_and_blocks_nothing(outbox: Outbox) -> None:
    from chalicelib import outbound

    outbound.enqueue("webhook", "down", "webhook#w", {"event": "room_created"})
    outbound.enqueue("email", "mail", "user#u", {"event": "mention"})
    down = Receiver(*[outbound.Retry("HTTP 502")] * 10)
    mail = Receiver()
    outbox.run({"webhook": down, "email": mail})
    assert len(mail.calls) == 1 and _record("mail").status == "delivered"
    assert len(down.calls) == 5  # OUTBOUND_MAX_ATTEMPTS
    record = _record("down")
    assert (record.status, int(record.attempts), record.last_error) == ("failed", 5, "HTTP 502")
    listed = outbound.deliveries("webhook#w")
    assert [(d["delivery_id"], d["status"], d["attempts"], d["last_error"]) for d in listed] == \
        [("down", "failed", 5, "HTTP 502")]
    assert "job" not in listed[0]


def test_a_permanent_refusal_fails_at_once(outbox: Outbox) -> None:
    from chalicelib import outbound

    outbound.enqueue("email", "bad", "user#u", {})
    receiver = Receiver(outbound.GiveUp("550 no such mailbox"))
    outbox.run({"email": receiver})
    assert len(receiver.calls) == 1
    assert (_record("bad").status, _record("bad").last_error) == ("failed", "550 no such mailbox")


def test_an_unknown_channel_is_failed_not_retried_forever(outbox: Outbox) -> None:
    from chalicelib import outbound

    outbound.enqueue("fax", "f", "user#u", {})
    outbox.run({})
    assert _record("f").status == "failed" and "no sender" in _record("f").last_error


def test_a_retry_that_arrives_before_its_backoff_waits(outbox: Outbox) -> None:
    from chalicelib import outbound

    outbound.enqueue("webhook", "early", "webhook#w", {})
    receiver = Receiver(outbound.Retry("HTTP 503"))
    outbox.run({"webhook": receiver}, rounds=1)
    assert _record("early").status == "retrying"
    # a duplicate of the original message, delivered before the backoff is over: not an attempt
    outbound.handle_batch(outbox.event([{"delivery_id": "early"}]), None, {"webhook": receiver})
    assert len(receiver.calls) == 1
    outbox.run({"webhook": receiver})
    assert len(receiver.calls) == 2 and _record("early").status == "delivered"


def test_a_lease_left_by_a_crashed_worker_is_taken_over_after_it_expires(outbox: Outbox) -> None:
    from chalicelib import outbound
    from chalicelib.outbound.models import DeliveryModel

    outbound.enqueue("email", "crash", "user#u", {})
    _record("crash").update(actions=[DeliveryModel.status.set("sending"),
                                     DeliveryModel.lease_until.set(int(outbox.now) + 90),
                                     DeliveryModel.attempts.set(1)])
    receiver = Receiver()
    outbound.handle_batch(outbox.event([{"delivery_id": "crash"}]), None, {"email": receiver})
    assert receiver.calls == []  # still leased: another worker may be sending right now
    outbox.now += 91
    outbound.handle_batch(outbox.event([{"delivery_id": "crash"}]), None, {"email": receiver})
    assert len(receiver.calls) == 1 and _record("crash").status == "delivered"


def test_our_own_failures_go_back_to_the_queue_as_batch_item_failures(outbox: Outbox,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from pynamodb.exceptions import GetError

    from chalicelib import outbound
    from chalicelib.outbound.models import DeliveryModel

    outbound.enqueue("email", "ok", "user#u", {})

    def down(*_: Any, **__: Any) -> Any:
        raise GetError("DynamoDB is down")

    monkeypatch.setattr(DeliveryModel, "get", down)
    event = outbox.event([{"delivery_id": "ok"}, {"not": "a delivery"}])
    response = outbound.handle_batch(event, None, {"email": Receiver()})
    assert [f["itemIdentifier"] for f in response["batchItemFailures"]] == [r["messageId"] for r in event["Records"]]


def test_the_queue_client_sends_to_the_configured_sqs_queue(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import boto3

    from chalicelib.core.settings import get_settings
    from chalicelib.outbound import queue

    sqs = boto3.client("sqs", region_name="us-east-1")
    url = sqs.create_queue(QueueName="unit-outbound")["QueueUrl"]
    monkeypatch.setenv("OUTBOUND_QUEUE_URL", url)
    get_settings.cache_clear()
    queue.send({"delivery_id": "x"}, delay_seconds=5000)  # SQS's limit is 900 s
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesDelayed"])
    assert attributes["Attributes"]["ApproximateNumberOfMessagesDelayed"] == "1"
    queue.send({"delivery_id": "y"})
    (message,) = sqs.receive_message(QueueUrl=url)["Messages"]
    assert json.loads(message["Body"]) == {"delivery_id": "y"}
