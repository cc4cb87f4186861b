"""Metrics never cost a response: flushing is safe across threads and never raises."""

from __future__ import annotations

import io
import json
import sys
import threading
from typing import Any

import pytest

from chalicelib.core import observability
from tests.builders import Api, message_frame, open_socket, send


def test_concurrent_invocations_flush_their_metrics_without_failing(capsys: pytest.CaptureFixture[str],
                                                                   captured_logs: io.StringIO) -> None:
    # the local gateway runs invocations on threads of one process: "anything to flush?" and the
    # flush must not interleave (powertools raises on an empty flush), and a metric added while
    # another invocation flushes must not change the set being serialised ("dictionary changed
    # size during iteration": that flush was lost and logged as a traceback)
    failures: list[BaseException] = []
    start = threading.Barrier(8)
    adding = threading.Event()
    adding.set()

    def adder(index: int) -> None:
        try:
            start.wait()
            for n in range(1000):
                observability.add_metric(f"Metric{(index * 7 + n) % 40}", unit="Count", value=1)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            failures.append(exc)

    def flusher() -> None:
        try:
            start.wait()
            while adding.is_set():
                observability.flush_metrics()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            failures.append(exc)

    adders = [threading.Thread(target=adder, args=(i,)) for i in range(4)]
    flushers = [threading.Thread(target=flusher) for _ in range(4)]
    for t in adders + flushers:
        t.start()
    for t in adders:
        t.join()
    adding.clear()
    for t in flushers:
        t.join()
    observability.flush_metrics()
    assert failures == []
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines() if '"_aws"' in line]
    # every metric written once: none dropped with a failed flush, none twice
    assert sum(len(v) for line in lines for k, v in line.items() if k.startswith("Metric")) == 4 * 1000
    assert "metrics not flushed" not in captured_logs.getvalue()


def test_adding_a_metric_does_not_wait_for_another_invocations_print(monkeypatch: pytest.MonkeyPatch) -> None:
    # the gateway runs invocations on threads of one process: a message's ack path adds a metric
    # while another invocation's flush is writing to a stdout that blocks (a full pipe)
    printing, release = threading.Event(), threading.Event()

    class BlockingStdout(io.StringIO):
        def write(self, text: str) -> int:
            if '"_aws"' in text:
                printing.set()
                release.wait(10)
            return super().write(text)

    out = BlockingStdout()
    monkeypatch.setattr(sys, "stdout", out)
    observability.add_metric("Before", unit="Count", value=1)
    flushing = threading.Thread(target=observability.flush_metrics)
    flushing.start()
    added = threading.Event()
    try:
        assert printing.wait(5)
        threading.Thread(target=lambda: (observability.add_metric("During", unit="Count", value=1),
                                         added.set())).start()
        assert added.wait(2), "add_metric waited for the other flush's print"
    finally:
        release.set()
        flushing.join()
    observability.flush_metrics()
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [[k for k in line if k in ("Before", "During")] for line in lines] == [["Before"], ["During"]]


def test_disabled_metrics_are_dropped_not_printed(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    observability.add_metric("Dropped", unit="Count", value=1)
    observability.flush_metrics()
    assert '"_aws"' not in capsys.readouterr().out
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    observability.add_metric("Kept", unit="Count", value=1)
    observability.flush_metrics()
    [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines() if '"_aws"' in x]
    assert "Kept" in line and "Dropped" not in line


def test_a_failing_metrics_flush_does_not_lose_the_ack(api: Api, room: str, management_api: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("EMF serialisation failed")

    monkeypatch.setattr(observability.metrics, "serialize_metric_set", broken)
    open_socket(api, "editor", "e")
    answer = send("e", json.dumps(message_frame(room, "溫度 85 度")))
    assert answer["statusCode"] == 200 and json.loads(answer["body"])["type"] == "ack"


def test_concurrent_invocations_log_their_own_correlation_ids(captured_logs: io.StringIO) -> None:
    # the gateway runs invocations on threads of one process: each log line carries the ids of the
    # invocation that wrote it, never those of one running beside it
    both_inside = threading.Barrier(2)
    failures: list[BaseException] = []

    class Event:
        def __init__(self, connection_id: str) -> None:
            self.connection_id = connection_id
            self.context = {"requestId": f"req-{connection_id}", "routeKey": "$default"}

    def handler(event: Event) -> dict[str, int]:
        both_inside.wait()  # the other invocation has put its keys on by now
        observability.logger.info("inside", extra={"who": event.connection_id})
        both_inside.wait()
        return {"statusCode": 200}

    def invocation(connection_id: str) -> None:
        try:
            observability.middleware(Event(connection_id), handler)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            failures.append(exc)

    threads = [threading.Thread(target=invocation, args=(c,)) for c in ("conn-a", "conn-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    lines = [json.loads(line) for line in captured_logs.getvalue().splitlines() if '"inside"' in line]
    assert sorted(line["who"] for line in lines) == ["conn-a", "conn-b"]
    for line in lines:
        assert line["connection_id"] == line["who"] and line["request_id"] == f"req-{line['who']}"
    observability.logger.info("after")  # and nothing is left on the logger afterwards
    after = [json.loads(line) for line in captured_logs.getvalue().splitlines() if '"after"' in line]
    assert after and "connection_id" not in after[0]
