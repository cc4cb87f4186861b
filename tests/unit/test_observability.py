"""Metrics never cost a response: flushing is safe across threads and never raises."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from chalicelib.core import observability
from tests.builders import Api, message_frame, open_socket, send


def test_concurrent_invocations_flush_their_metrics_without_failing(capsys: pytest.CaptureFixture[str]) -> None:
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
    assert "metrics not flushed" not in out


def test_a_failing_metrics_flush_does_not_lose_the_ack(api: Api, room: str, management_api: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("EMF serialisation failed")

    monkeypatch.setattr(observability.metrics, "flush_metrics", broken)
    open_socket(api, "editor", "e")
    answer = send("e", json.dumps(message_frame(room, "溫度 85 度")))
    assert answer["statusCode"] == 200 and json.loads(answer["body"])["type"] == "ack"
