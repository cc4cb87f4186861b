"""Delivery guarantee: every acknowledged message reaches every subscriber exactly once.

DynamoDB Local + the local gateway (REST, WebSocket, Management API, the stream event source
mapping), 5 rooms × 10 subscribers, 8 senders sending concurrently for ≥ 20 s (messages,
edits, deletions, reactions), while a chaos task drops random subscriber sockets without a
close frame. Subscribers reconnect with backoff and resume with ``last_seq`` +
``changed_since`` like the SPA (``tests/servers/chat_clients.py``). At the end each
subscriber's view of its room must equal the server's history exactly; then a second burst
(no chaos) must be delivered too — the fan-out never dies. Nothing waits a fixed time for
delivery: every wait is a condition with a deadline.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import chat_clients as cc
from tests.servers.dynamodb_local import DynamoDBLocal
from tests.servers.gateway import Gateway, run_gateway

pytestmark = pytest.mark.integration

ROOMS = 5
SUBSCRIBERS_PER_ROOM = 10
SENDERS = 8
BURST_SECONDS = float(os.environ.get("DELIVERY_BURST_SECONDS", "20"))
SECOND_BURST_SECONDS = 3.0
CONVERGE_TIMEOUT = 90.0


@pytest.fixture(scope="module")
def gateway(dynamodb_local: DynamoDBLocal, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """The gateway on DynamoDB Local (S3 is not used here: an address nothing answers on)."""
    data = tmp_path_factory.mktemp("gateway-data")
    with run_gateway(dynamodb_endpoint=dynamodb_local.endpoint, s3_endpoint="http://127.0.0.1:9",
                     table_prefix=f"dlv{uuid.uuid4().hex[:6]}", store="local", data_dir=Path(data),
                     # 8 senders over 7 users: the per-user frame rate is not what this test is about
                     env={"MESSAGE_RATE": "50", "MESSAGE_BURST": "100"}) as gw:
        yield gw


def _stream_info(gw: Gateway) -> dict[str, object]:
    info = cc.http(gw.url, "GET", "/__local/info")
    return next(s for s in info["streams"] if s["function"] == "message_fanout")


async def _run(gw: Gateway) -> dict[str, object]:
    rng = random.Random(20240611)
    counts = cc.Counts()
    accounts = [await asyncio.to_thread(cc.login, gw.url, name) for name in cc.USERS]
    owner = accounts[0]
    rooms = [await asyncio.to_thread(cc.create_room, gw.url, owner, f"送達測試 {i} {uuid.uuid4().hex[:4]}", accounts)
             for i in range(ROOMS)]
    subscribers = [cc.Subscriber(f"sub{r}.{i}", gw.url, gw.ws_url, accounts[(r + i) % len(accounts)], room, counts,
                                 random.Random(rng.random()))
                   for r, room in enumerate(rooms) for i in range(SUBSCRIBERS_PER_ROOM)]
    pool: dict[str, list[str]] = {room: [] for room in rooms}
    senders = [cc.Sender(f"snd{i}", gw.url, gw.ws_url, accounts[i % len(accounts)], rooms, counts,
                         random.Random(rng.random()), acked_pool=pool) for i in range(SENDERS)]

    done = asyncio.Event()  # subscribers run until the very end
    sub_tasks = [asyncio.create_task(s.run(done)) for s in subscribers]
    assert await cc.wait_for(lambda: all(s.subscribed.is_set() for s in subscribers), 60), "subscribers not up"

    # ---- burst 1: ≥ 20 s of mixed traffic with chaos
    stop_sending, stop_chaos = asyncio.Event(), asyncio.Event()
    started = time.monotonic()
    chaos_task = asyncio.create_task(cc.chaos(subscribers, stop_chaos, counts, rng))
    send_tasks = [asyncio.create_task(s.run(stop_sending)) for s in senders]
    await asyncio.sleep(BURST_SECONDS)  # the length of the burst, not a wait for delivery
    stop_sending.set()
    await asyncio.gather(*send_tasks)
    stop_chaos.set()
    await chaos_task
    burst = time.monotonic() - started

    server = {room: await asyncio.to_thread(cc.history, gw.url, owner.token, room) for room in rooms}
    problems = cc.history_problems(server, senders)
    assert not problems, problems
    converge_started = time.monotonic()
    converged = await cc.wait_for(lambda: not cc.differences(subscribers, server), CONVERGE_TIMEOUT, 0.25)
    converge = time.monotonic() - converge_started
    if not converged:
        diffs = cc.differences(subscribers, server)
        pytest.fail(f"views differ from the history after {CONVERGE_TIMEOUT:.0f}s ({len(diffs)} differences):\n"
                    + "\n".join(diffs[:40]) + f"\n{counts.summary()}\n--- what the clients saw ---\n"
                    + cc.explain(subscribers, server) + "\n--- gateway ---\n"
                    + "\n".join(line for line in gw.output().splitlines() if not line.startswith("{"))[-6000:])
    first = {"burst_s": burst, "converge_s": converge, "summary": counts.summary(),
             "messages": sum(len(v) for v in server.values()), "stream": _stream_info(gw)}

    # ---- burst 2: the fan-out is still alive
    acked_before = counts.acked
    stop_sending = asyncio.Event()
    send_tasks = [asyncio.create_task(s.run(stop_sending)) for s in senders]
    await asyncio.sleep(SECOND_BURST_SECONDS)
    stop_sending.set()
    await asyncio.gather(*send_tasks)
    server = {room: await asyncio.to_thread(cc.history, gw.url, owner.token, room) for room in rooms}
    problems = cc.history_problems(server, senders)
    assert not problems, problems
    second_started = time.monotonic()
    converged = await cc.wait_for(lambda: not cc.differences(subscribers, server), 30, 0.25)
    assert converged, cc.differences(subscribers, server)[:40]
    second = {"acked": counts.acked - acked_before, "converge_s": time.monotonic() - second_started}

    done.set()
    await asyncio.gather(*sub_tasks)
    unexpected = [u for s in senders for u in s.unexpected]
    assert not unexpected, unexpected[:5]
    assert counts.acked == counts.sent, counts.summary()
    assert counts.chaos_closes >= 10, counts.summary()
    assert burst >= 20 or BURST_SECONDS < 20
    return {"first": first, "second": second, "counts": counts, "server_messages": sum(len(v) for v in server.values())}


def test_every_acknowledged_message_reaches_every_subscriber_once(gateway: Gateway,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    result = asyncio.run(_run(gateway))
    first, second, counts = result["first"], result["second"], result["counts"]
    assert isinstance(first, dict) and isinstance(second, dict) and isinstance(counts, cc.Counts)
    stream = first["stream"]
    assert isinstance(stream, dict)
    with capsys.disabled():
        print(f"\ndelivery guarantee: {ROOMS} rooms × {SUBSCRIBERS_PER_ROOM} subscribers, {SENDERS} senders; "
              f"burst 1 ({first['burst_s']:.1f}s, chaos): {first['summary']}; all {SUBSCRIBERS_PER_ROOM * ROOMS} "
              f"views equal the history ({first['messages']} messages incl. system events) "
              f"{first['converge_s']:.1f}s after the burst; burst 2 ({SECOND_BURST_SECONDS:.0f}s, no chaos): "
              f"{second['acked']} more acked, every view equal again {second['converge_s']:.1f}s later; "
              f"message_fanout after burst 1: {stream['records']} records in {stream['batches']} batches, max "
              f"iterator age {stream['max_iterator_age_ms']}ms, {stream['lag_warnings']} lag warning(s), "
              f"{stream['records_given_up']} given up")


def test_the_clients_rules_recover_from_a_change_frame_that_skipped_a_version() -> None:
    """What the chaos run found (the SPA's rules would keep the second state for good): v3 was
    missed while the socket was down, the live edit v4 overtook the replay's v4 snapshot."""
    view = cc.RoomView("room", cc.Counts())
    base = {"message_id": "m", "room_id": "room", "sequence_number": 9, "message_type": "text", "content": "a",
            "reactions": {}, "version": 1}
    view.merge(base, "live")
    view.patch({"type": "reaction_added", "room_id": "room", "message_id": "m", "emoji": "🔥", "user_id": "lee",
                "version": 2})
    view.patch({"type": "message_edited", "room_id": "room", "message_id": "m", "content": "b",
                "edited_at": "t4", "version": 4})  # v3 (wang's 🔥) never arrived
    assert view.stale == {"m": 4} and view.counts.version_gaps == 1
    snapshot = {**base, "content": "b", "edited_at": "t4", "reactions": {"🔥": ["lee", "wang"]}, "version": 4}
    view.merge(snapshot, "replay")  # an equal version: the snapshot wins
    assert view.messages["m"]["reactions"] == {"🔥": ["lee", "wang"]} and not view.stale
    view.patch({"type": "reaction_removed", "room_id": "room", "message_id": "m", "emoji": "🔥", "user_id": "lee",
                "version": 5})
    assert view.messages["m"]["reactions"] == {"🔥": ["wang"]} and view.messages["m"]["version"] == 5


def test_the_clients_rules_keep_a_change_frame_that_overtook_its_message() -> None:
    """What a clean-clone run found: a client subscribed, the replay was read (seq 11 at v1), the
    message was edited and its live ``message_edited`` v2 reached the new subscription before the
    replay frames did — dropped as a change to an unknown message, the client kept v1 for good."""
    view = cc.RoomView("room", cc.Counts())
    view.patch({"type": "message_edited", "room_id": "room", "message_id": "m", "content": "b ✎",
                "edited_at": "t2", "version": 2})
    view.patch({"type": "reaction_added", "room_id": "room", "message_id": "old", "emoji": "🔥", "user_id": "lee",
                "version": 1})  # older than the copy that arrives below: dropped then
    assert view.counts.unknown_patches == 2 and "m" not in view.messages
    view.merge({"message_id": "m", "room_id": "room", "sequence_number": 11, "message_type": "text",
                "content": "b", "reactions": {}, "version": 1}, "replay")
    assert view.messages["m"]["content"] == "b ✎" and view.messages["m"]["version"] == 2
    view.merge({"message_id": "old", "room_id": "room", "sequence_number": 3, "message_type": "text",
                "content": "x", "reactions": {"🔥": ["wang"]}, "version": 3}, "replay")
    assert view.messages["old"]["reactions"] == {"🔥": ["wang"]} and view.counts.stale_patches == 1
    assert view.held == {}
