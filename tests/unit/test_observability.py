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
    # flush must not interleave (powertools raises on an empty flush)
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def invocation() -> None:
        try:
            start.wait()
            for _ in range(200):
                observability.metrics.add_metric(name="MessagesSent", unit="Count", value=1)
                observability.flush_metrics()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            failures.append(exc)

    threads = [threading.Thread(target=invocation) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    # written, never twice (a metric added while another thread flushes may be dropped: the
    # local gateway's threads share one Metrics object; a Lambda container runs one invocation)
    assert 0 < sum(len(line["MessagesSent"]) for line in lines) <= 8 * 200


def test_a_failing_metrics_flush_does_not_lose_the_ack(api: Api, room: str, management_api: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("EMF serialisation failed")

    monkeypatch.setattr(observability.metrics, "flush_metrics", broken)
    open_socket(api, "editor", "e")
    answer = send("e", json.dumps(message_frame(room, "溫度 85 度")))
    assert answer["statusCode"] == 200 and json.loads(answer["body"])["type"] == "ack"
