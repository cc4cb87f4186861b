"""Crash and restart: the gateway killed with -9, DynamoDB Local killed under it, S3 down.

The stack is what ``make dev`` runs, on loopback: DynamoDB Local keeping its data in a folder
(``-dbPath``), SeaweedFS as the S3 server, and the local gateway with a data folder (its stream
checkpoints). Clients are the SPA-like simulated clients of ``tests/servers/chat_clients.py``:
they reconnect by themselves with backoff and resume with ``last_seq`` + ``changed_since``.
Each test prints how long the fault took to recover. No test waits a fixed time for delivery.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from websockets.asyncio.client import connect

from tests.servers import chat_clients as cc
from tests.servers.dynamodb_local import DynamoDBLocal, run_dynamodb_local
from tests.servers.gateway import GatewayProcess
from tests.servers.processes import enter_in_parallel
from tests.servers.seaweedfs import SeaweedFS, run_seaweedfs

pytestmark = pytest.mark.integration


@dataclass
class Stack:
    ddb: DynamoDBLocal
    s3: SeaweedFS
    gateway: GatewayProcess

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.gateway.port}/ws"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    base = Path(tmp_path_factory.mktemp("restart"))
    (base / "dynamodb").mkdir()
    with ExitStack() as servers:
        ddb, s3 = enter_in_parallel(servers, run_dynamodb_local(db_path=base / "dynamodb"), run_seaweedfs())
        gateway = GatewayProcess(
            dynamodb_endpoint=ddb.endpoint, s3_endpoint=s3.endpoint, table_prefix=f"rs{uuid.uuid4().hex[:6]}",
            store="local", data_dir=base / "gateway",
            env={"S3_ACCESS_KEY_ID": s3.access_key, "S3_SECRET_ACCESS_KEY": s3.secret_key,
                 "FILES_BUCKET": f"rs-files-{uuid.uuid4().hex[:8]}", "MESSAGE_RATE": "50", "MESSAGE_BURST": "100"})
        gateway.start()
        try:
            yield Stack(ddb, s3, gateway)
        finally:
            gateway.cleanup()


def report(capsys: pytest.CaptureFixture[str], text: str) -> None:
    with capsys.disabled():
        print(f"\n{text}")


async def _setup(stack: Stack, rooms: int, per_room: int, senders: int, counts: cc.Counts,
                 mix: dict[str, int] | None = None) -> tuple[list[cc.Account], list[str], list[cc.Subscriber],
                                                              list[cc.Sender]]:
    rng = random.Random(7)
    accounts = [await asyncio.to_thread(cc.login, stack.url, name) for name in cc.USERS[:5]]
    room_ids = [await asyncio.to_thread(cc.create_room, stack.url, accounts[0], f"重啟測試 {uuid.uuid4().hex[:6]}",
                                        accounts) for _ in range(rooms)]
    subscribers = [cc.Subscriber(f"sub{r}.{i}", stack.url, stack.ws_url, accounts[(r + i) % len(accounts)], room,
                                 counts, random.Random(rng.random()))
                   for r, room in enumerate(room_ids) for i in range(per_room)]
    pool: dict[str, list[str]] = {room: [] for room in room_ids}
    sender_list = [cc.Sender(f"snd{i}", stack.url, stack.ws_url, accounts[i % len(accounts)], room_ids, counts,
                             random.Random(rng.random()), mix=mix, acked_pool=pool) for i in range(senders)]
    return accounts, room_ids, subscribers, sender_list


async def _converge(stack: Stack, token: str, rooms: list[str], subscribers: list[cc.Subscriber],
                    senders: list[cc.Sender], timeout: float = 60.0) -> float:
    server = {room: await asyncio.to_thread(cc.history, stack.url, token, room) for room in rooms}
    problems = cc.history_problems(server, senders)
    assert not problems, problems
    started = time.monotonic()
    if not await cc.wait_for(lambda: not cc.differences(subscribers, server), timeout, 0.25):
        diffs = cc.differences(subscribers, server)
        pytest.fail("views differ from the history:\n" + "\n".join(diffs[:30]) + "\n--- gateway ---\n"
                    + stack.gateway.output()[-4000:])
    return time.monotonic() - started


# ----------------------------------------------------------------------------- the gateway, kill -9
async def _gateway_crash(stack: Stack) -> dict[str, Any]:
    counts = cc.Counts()
    accounts, rooms, subscribers, senders = await _setup(stack, 2, 4, 3, counts)
    done, stop_sending = asyncio.Event(), asyncio.Event()
    sub_tasks = [asyncio.create_task(s.run(done)) for s in subscribers]
    assert await cc.wait_for(lambda: all(s.subscribed.is_set() for s in subscribers), 30)
    send_tasks = [asyncio.create_task(s.run(stop_sending, {"conflict", "forbidden", "not_found"})) for s in senders]
    assert await cc.wait_for(lambda: counts.acked >= 20, 60), counts.summary()

    # a message on the wire when the gateway dies: sent, not (necessarily) acknowledged
    in_flight = {"type": "message", "room_id": rooms[0], "client_id": str(uuid.uuid4()), "message_type": "text",
                 "content": "送出時閘道被 kill -9"}
    ticket = (await asyncio.to_thread(cc.http, stack.url, "POST", "/api/auth/ws-ticket", None,
                                      accounts[1].token))["ticket"]
    raw = await connect(f"{stack.ws_url}?ticket={ticket}", ping_interval=None)
    await raw.send(json.dumps(in_flight))
    acked_before = {c: dict(a) for s in senders for c, a in s.acks.items()}
    killed = time.monotonic()
    await asyncio.to_thread(stack.gateway.kill)
    raw.transport.abort()
    await asyncio.to_thread(stack.gateway.start)
    restart_s = time.monotonic() - killed
    assert await cc.wait_for(lambda: all(s.subscribed.is_set() for s in subscribers), 60), "not all reconnected"
    reconnected_s = time.monotonic() - killed

    # the client retries the unacknowledged message with the same client_id
    ticket = (await asyncio.to_thread(cc.http, stack.url, "POST", "/api/auth/ws-ticket", None,
                                      accounts[1].token))["ticket"]
    async with connect(f"{stack.ws_url}?ticket={ticket}", ping_interval=None) as ws:
        await ws.send(json.dumps(in_flight))
        while True:
            reply = json.loads(await asyncio.wait_for(ws.recv(), 15))
            if reply.get("client_id") == in_flight["client_id"]:
                assert reply["type"] == "ack", reply
                break

    acked_at_restart = counts.acked
    assert await cc.wait_for(lambda: counts.acked >= acked_at_restart + 15, 60), counts.summary()
    stop_sending.set()
    await asyncio.gather(*send_tasks)
    converge_s = await _converge(stack, accounts[0].token, rooms, subscribers, senders)
    history = await asyncio.to_thread(cc.history, stack.url, accounts[0].token, rooms[0])
    assert [m["client_id"] for m in history].count(in_flight["client_id"]) == 1
    done.set()
    await asyncio.gather(*sub_tasks)
    stored = {m["message_id"] for room in rooms for m in await asyncio.to_thread(cc.history, stack.url,
                                                                                   accounts[0].token, room)}
    assert all(a["message_id"] in stored for a in acked_before.values())
    assert counts.acked == counts.sent, counts.summary()
    return {"acked_before_kill": len(acked_before), "restart_s": restart_s, "reconnected_s": reconnected_s,
            "converge_s": converge_s, "summary": counts.summary()}


def test_gateway_killed_mid_traffic_restarts_on_its_data_and_clients_converge(
        stack: Stack, capsys: pytest.CaptureFixture[str]) -> None:
    result = asyncio.run(_gateway_crash(stack))
    report(capsys, f"gateway kill -9 mid-traffic: {result['acked_before_kill']} messages acked before the kill "
                   f"all in history; gateway answering again {result['restart_s']:.1f}s after the kill, every "
                   f"subscriber reconnected and resubscribed after {result['reconnected_s']:.1f}s, views equal the "
                   f"history {result['converge_s']:.1f}s after the senders stopped; {result['summary']}")


# ----------------------------------------------------------------------------- DynamoDB Local down
async def _dynamodb_outage(stack: Stack) -> dict[str, Any]:
    counts = cc.Counts()
    accounts, rooms, subscribers, senders = await _setup(stack, 1, 3, 0, counts)
    room = rooms[0]
    done = asyncio.Event()
    sub_tasks = [asyncio.create_task(s.run(done)) for s in subscribers]
    assert await cc.wait_for(lambda: all(s.subscribed.is_set() for s in subscribers), 30)
    ticket = (await asyncio.to_thread(cc.http, stack.url, "POST", "/api/auth/ws-ticket", None,
                                      accounts[1].token))["ticket"]
    ws = await connect(f"{stack.ws_url}?ticket={ticket}", ping_interval=None)

    async def send(client_id: str, timeout: float) -> dict[str, Any]:
        await ws.send(json.dumps({"type": "message", "room_id": room, "client_id": client_id,
                                  "message_type": "text", "content": f"DynamoDB 重啟測試 {client_id[:8]}"}))
        while True:
            reply = json.loads(await asyncio.wait_for(ws.recv(), timeout))
            if reply.get("client_id") == client_id:
                return dict(reply)

    assert (await send(str(uuid.uuid4()), 15))["type"] == "ack"
    await asyncio.to_thread(stack.ddb.kill)
    down = time.monotonic()

    # REST: a clear 503, quickly
    started = time.monotonic()
    response = await asyncio.to_thread(requests.get, f"{stack.url}/api/rooms/{room}",
                                       headers={"Authorization": f"Bearer {accounts[0].token}"}, timeout=30)
    rest_s = time.monotonic() - started
    assert response.status_code == 503 and response.json()["error"]["code"] == "unavailable", response.text
    ticket_answer = await asyncio.to_thread(requests.post, f"{stack.url}/api/auth/ws-ticket",
                                            headers={"Authorization": f"Bearer {accounts[0].token}"}, timeout=30)
    assert ticket_answer.status_code == 503, ticket_answer.text
    # WebSocket: an error frame for the frame, the socket stays open
    waiting = str(uuid.uuid4())
    started = time.monotonic()
    error = await send(waiting, 30)
    ws_s = time.monotonic() - started
    assert error["type"] == "error" and error["code"] == "unavailable", error
    await ws.send(json.dumps({"type": "ping"}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 10)) == {"type": "pong"}

    ddb_s = await asyncio.to_thread(stack.ddb.restart)
    back = time.monotonic()
    # the SPA retries with the same client_id until it is acknowledged; the gateway was not restarted
    ack: dict[str, Any] = {}
    while not ack:
        reply = await send(waiting, 15)
        if reply["type"] == "ack":
            ack = reply
        else:
            assert reply["code"] == "unavailable" and time.monotonic() - back < 30, reply
            await asyncio.sleep(0.2)  # the client's retry interval, not a wait for delivery
    ack_s = time.monotonic() - back
    assert await cc.wait_for(lambda: all(ack["message_id"] in s.view.messages for s in subscribers), 30), \
        "the fan-out did not recover"
    delivered_s = time.monotonic() - back
    await ws.close()
    converge_s = await _converge(stack, accounts[0].token, rooms, subscribers, senders)
    history = await asyncio.to_thread(cc.history, stack.url, accounts[0].token, room)
    assert [m["client_id"] for m in history].count(waiting) == 1
    done.set()
    await asyncio.gather(*sub_tasks)
    return {"rest_s": rest_s, "ws_s": ws_s, "ddb_s": ddb_s, "ack_s": ack_s, "delivered_s": delivered_s,
            "outage_s": back - down, "converge_s": converge_s}


def test_dynamodb_local_killed_and_restarted_under_the_gateway(stack: Stack,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    try:
        result = asyncio.run(_dynamodb_outage(stack))
    finally:
        if stack.ddb.process.poll() is not None:
            stack.ddb.restart()
    assert result["rest_s"] < 5 and result["ws_s"] < 5, result  # never a hang
    report(capsys, f"DynamoDB Local kill -9: REST 503 unavailable in {result['rest_s'] * 1000:.0f}ms, WebSocket "
                   f"error frame in {result['ws_s'] * 1000:.0f}ms; DynamoDB Local back after {result['ddb_s']:.1f}s "
                   f"(outage {result['outage_s']:.1f}s); same client_id acknowledged {result['ack_s']:.1f}s and "
                   f"delivered to every subscriber {result['delivered_s']:.1f}s after it was back, without "
                   f"restarting the gateway")


# ----------------------------------------------------------------------------- S3 down
def _form_post(upload: dict[str, Any], data: bytes, content_type: str) -> int:
    answer = requests.post(upload["url"], data=upload["fields"], files={"file": ("f", data, content_type)},
                           timeout=15)
    return int(answer.status_code)


def test_s3_down_uploads_answer_503_and_chat_goes_on(stack: Stack, capsys: pytest.CaptureFixture[str]) -> None:
    owner = cc.login(stack.url, "wang.owner")
    editor = cc.login(stack.url, "chen.editor")
    room = cc.create_room(stack.url, owner, f"S3 停機 {uuid.uuid4().hex[:6]}", [editor])
    headers = {"Authorization": f"Bearer {editor.token}"}
    data = b"%PDF-1.4\n" + b"x" * 2000

    def request_upload() -> requests.Response:
        return requests.post(f"{stack.url}/api/rooms/{room}/files", headers=headers, timeout=30,
                             json={"filename": "爐溫紀錄.pdf", "content_type": "application/pdf", "size": len(data)})

    made = request_upload()
    assert made.status_code == 201, made.text
    stack.s3.kill()
    try:
        started = time.monotonic()
        during = request_upload()
        if during.status_code == 201:  # presigning needs no call to the store: the upload itself fails
            with pytest.raises(requests.ConnectionError):
                _form_post(during.json()["upload"], data, "application/pdf")
        else:
            assert during.status_code == 503, during.text
        completed = requests.post(f"{stack.url}/api/rooms/{room}/files/{made.json()['file_id']}/complete",
                                  headers=headers, timeout=30)
        answer_s = time.monotonic() - started
        assert completed.status_code == 503, completed.text
        assert completed.json()["error"]["code"] == "unavailable"
        # chat is unaffected
        result = asyncio.run(_chat_once(stack, editor, owner, room))
        assert result["acked"] and result["delivered"], result
    finally:
        restart_s = stack.s3.restart()
    back = time.monotonic()
    made = request_upload()
    assert made.status_code == 201, made.text
    assert _form_post(made.json()["upload"], data, "application/pdf") in (200, 201, 204)
    done = requests.post(f"{stack.url}/api/rooms/{room}/files/{made.json()['file_id']}/complete", headers=headers,
                         timeout=30)
    assert done.status_code == 200, done.text
    report(capsys, f"S3 (SeaweedFS) kill -9: upload answers 503 unavailable "
                   f"({'the presign step still answers 201; ' if during.status_code == 201 else ''}"
                   f"complete in {answer_s:.1f}s incl. the check), chat acked and delivered meanwhile "
                   f"({result['chat_s'] * 1000:.0f}ms); SeaweedFS back after {restart_s:.1f}s and an upload "
                   f"completed {time.monotonic() - back:.1f}s later")


async def _chat_once(stack: Stack, sender: cc.Account, listener: cc.Account, room: str) -> dict[str, Any]:
    counts = cc.Counts()
    sub = cc.Subscriber("listener", stack.url, stack.ws_url, listener, room, counts, random.Random(1))
    done = asyncio.Event()
    task = asyncio.create_task(sub.run(done))
    assert await cc.wait_for(sub.subscribed.is_set, 20)
    started = time.monotonic()
    ticket = (await asyncio.to_thread(cc.http, stack.url, "POST", "/api/auth/ws-ticket", None, sender.token))["ticket"]
    client_id = str(uuid.uuid4())
    async with connect(f"{stack.ws_url}?ticket={ticket}", ping_interval=None) as ws:
        await ws.send(json.dumps({"type": "message", "room_id": room, "client_id": client_id,
                                  "message_type": "text", "content": "S3 停機時聊天照常"}))
        reply = json.loads(await asyncio.wait_for(ws.recv(), 15))
    acked = reply.get("type") == "ack"
    delivered = acked and await cc.wait_for(lambda: reply["message_id"] in sub.view.messages, 15)
    chat_s = time.monotonic() - started
    done.set()
    await task
    return {"acked": acked, "delivered": delivered, "chat_s": chat_s}
