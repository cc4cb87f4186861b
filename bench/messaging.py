"""Send→receive latency, sustained throughput and DynamoDB cost per message.

    .venv/bin/python -m bench.messaging [--messages 100] [--fanout 10,100] [--seconds 10]

Runs the real path: DynamoDB Local + the local gateway (REST, WebSocket, stream poller,
@connections) as subprocesses; N WebSocket clients subscribe to one room; a sender posts
messages and every receiver timestamps the matching ``message`` frame. The capacity per
message is measured in-process on the same DynamoDB Local by running the ``$default`` handler
and the fan-out handler with a metered pynamodb (posts go to a no-op Management API), which also
gives the handlers' own time: ingest ms per message and fan-out ms per delivery.
Note: the stream poller polls every ``--poll-interval`` s (the gateway's default, as ``make dev``);
the gateway's own writes wake it at once, so the interval bounds only writes from other processes
(Lambda's event source mapping polls about 4×/s per shard).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path
from typing import Any

import websockets

from bench.capacity import metered, percentile

PASSWORD = "Passw0rd!"
LOCAL_ENV = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_REGION": "us-east-1",
             "JWT_SECRET": "bench-signing-key-that-is-long-enough-0123456789"}


@contextmanager
def dev_dynamodb() -> Iterator[tuple[Any, Path]]:
    """DynamoDB Local as ``make dev`` runs it: its data on disk, here in a temporary directory
    (yielded too: the gateway's data directory). Sets the local AWS variables first."""
    for key, value in LOCAL_ENV.items():
        os.environ.setdefault(key, value)
    from tests.servers.dynamodb_local import run_dynamodb_local

    with tempfile.TemporaryDirectory(prefix="bench-gateway-") as data, \
            run_dynamodb_local(db_path=Path(data) / "dynamodb") as ddb:
        yield ddb, Path(data)


@contextmanager
def dev_gateway(ddb: Any, data: Path, table_prefix: str, env: dict[str, str]) -> Iterator[Any]:
    """The local gateway on ``ddb`` as ``make dev`` runs it (its default stream poll interval).
    S3 is not used by the benches: an address nothing answers on (no moto anywhere)."""
    from infrastructure.local_gateway.config import Options as GatewayOptions
    from tests.servers.gateway import run_gateway

    with run_gateway(dynamodb_endpoint=ddb.endpoint, s3_endpoint="http://127.0.0.1:9", store="local",
                     data_dir=data, table_prefix=table_prefix, env=env,
                     extra_args=["--poll-interval", str(GatewayOptions.poll_interval)]) as gw:
        yield gw


def rest(base: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


async def open_client(ws_url: str, base: str, token: str, room: str) -> Any:
    ticket = rest(base, "POST", "/api/auth/ws-ticket", token=token)["ticket"]
    ws = await websockets.connect(f"{ws_url}?ticket={ticket}", max_size=2**20)
    await ws.send(json.dumps({"type": "subscribe", "room_id": room}))
    while json.loads(await ws.recv())["type"] != "subscribed":
        pass
    return ws


async def receive_loop(ws: Any, seen: dict[str, list[float]], stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=0.5))
        except TimeoutError:
            continue
        except websockets.ConnectionClosed:
            return
        if frame.get("type") == "message":
            seen.setdefault(frame["message"]["client_id"], []).append(time.perf_counter())


async def run_latency(ws_url: str, base: str, token: str, receivers_token: str, room: str,
                      fanout: int, messages: int, seconds: float) -> dict[str, float]:
    receivers = [await open_client(ws_url, base, receivers_token, room) for _ in range(fanout)]
    sender = await open_client(ws_url, base, token, room)
    seen: dict[str, list[float]] = {}
    stop = asyncio.Event()
    tasks = [asyncio.create_task(receive_loop(ws, seen, stop)) for ws in receivers]
    sent: dict[str, float] = {}

    async def send_one(text: str) -> None:
        client_id = str(uuid.uuid4())
        sent[client_id] = time.perf_counter()
        await sender.send(json.dumps({"type": "message", "room_id": room, "client_id": client_id,
                                      "message_type": "text", "content": text}))
        while True:
            frame = json.loads(await sender.recv())
            if frame.get("type") in ("ack", "error") and frame.get("client_id") == client_id:
                if frame["type"] == "error":
                    raise RuntimeError(frame)
                return

    # 1) latency at a steady pace (one message every 100 ms)
    for i in range(messages):
        await send_one(f"latency {i}")
        await asyncio.sleep(0.1)
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and sum(len(v) for v in seen.values()) < messages * fanout:
        await asyncio.sleep(0.1)
    latencies = [(t - sent[cid]) * 1000 for cid, times in seen.items() if cid in sent for t in times]
    delivered = sum(len(v) for v in seen.values())
    # 2) sustained: send back to back (next after the ack) for `seconds`
    seen.clear()
    sent.clear()
    began = time.perf_counter()
    count = 0
    while time.perf_counter() - began < seconds:
        await send_one(f"sustained {count}")
        count += 1
    elapsed = time.perf_counter() - began
    deadline = time.perf_counter() + 20
    while time.perf_counter() < deadline and sum(len(v) for v in seen.values()) < count * fanout:
        await asyncio.sleep(0.1)
    drained = time.perf_counter() - began
    stop.set()
    await asyncio.gather(*tasks)
    for ws in [*receivers, sender]:
        await ws.close()
    return {"p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
            "delivered": delivered, "expected": messages * fanout, "sent_per_s": count / elapsed,
            "deliveries_per_s": sum(len(v) for v in seen.values()) / drained}


def capacity_per_message(endpoint: str, subscribers: int) -> dict[str, Any]:
    """RCU/WCU of one message (``$default`` (send) + the stream fan-out record) and the handlers'
    time: ``$default`` per message (ingest) and the fan-out per delivery (p50 of the invocation
    over the room's subscribers; posts go to a no-op Management API, so this is the function's own
    time — on AWS each post adds its HTTPS call, made in parallel)."""
    # one sender sends every probe's messages at once: the per-user message rate is out of the way
    # (otherwise the second probe's sends are refused with rate_limited and store nothing)
    os.environ.update({"DYNAMODB_ENDPOINT": endpoint, "TABLE_PREFIX": "benchcap",
                       "WS_MANAGEMENT_ENDPOINT": "http://127.0.0.1:9", "MESSAGE_RATE": "100000",
                       "MESSAGE_BURST": "100000", "POWERTOOLS_METRICS_DISABLED": "true"})  # no EMF lines in the table
    from datetime import datetime, timedelta

    import app as app_module
    from chalicelib import tables
    from chalicelib.auth.service import Principal
    from chalicelib.connections import sender as ws_sender
    from chalicelib.connections.models import ConnectionModel, SubscriptionModel
    from chalicelib.core import clock
    from chalicelib.core.settings import get_settings
    from chalicelib.realtime import service as realtime
    from chalicelib.rooms import schemas
    from chalicelib.rooms import service as rooms
    from chalicelib.timeline.models import MessageModel

    get_settings.cache_clear()
    tables.create_all()

    class NoopApi:
        def post_to_connection(self, **_: Any) -> dict[str, Any]:
            return {}

    ws_sender._client = lambda: NoopApi()  # type: ignore[assignment]
    from chalicelib.auth.models import SessionModel, UserModel

    later = datetime.now(UTC) + timedelta(hours=1)
    UserModel("wang.owner@panjit.com.tw", username="wang.owner", display_name="王小明", last_login_at=clock.iso(),
              search_key="王小明").save()
    SessionModel("s1", user_id="wang.owner@panjit.com.tw", created_at=clock.iso(), expires_at=later).save()
    owner = Principal("wang.owner@panjit.com.tw", "王小明", "", False, "s1")
    room = rooms.create_room(owner, schemas.CreateRoom(title="bench", incident_type="other"))["room_id"]
    ConnectionModel("sender", user_id=owner.user_id, session_id="s1", connected_at=clock.iso(), expires_at=later).save()
    for i in range(subscribers):
        SubscriptionModel(room, f"c{i}", user_id=f"u{i}", subscribed_at=clock.iso(), expires_at=later).save()
    samples = 20
    ingest_ms: list[float] = []
    fanout_ms: list[float] = []
    with metered() as meter:
        for i in range(samples):
            frame = {"type": "message", "room_id": room, "client_id": str(uuid.uuid4()), "content": f"m{i}"}
            began = time.perf_counter()
            realtime.handle_frame("sender", json.dumps(frame))
            ingest_ms.append((time.perf_counter() - began) * 1000)
        send_r, send_w = meter.read / samples, meter.write / samples
        calls = dict(meter.calls)
        meter.reset()
        for message in MessageModel.query(room):
            if message.message_type != "text":
                continue  # the room's creation events
            image = message.serialize()
            began = time.perf_counter()
            app_module.message_fanout({"Records": [{"eventID": "1", "eventName": "INSERT",
                                                    "eventSource": "aws:dynamodb",
                                                    "dynamodb": {"NewImage": image, "SequenceNumber": "1"}}]}, None)
            fanout_ms.append((time.perf_counter() - began) * 1000)
        fan_r = meter.read / samples
    return {"rcu": send_r + fan_r, "wcu": send_w, "calls": calls, "ingest_ms": percentile(ingest_ms, 50),
            "delivery_ms": percentile(fanout_ms, 50) / subscribers}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--fanout", default="10,100")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with dev_dynamodb() as (ddb, data):
        # one sender at 10 messages/s and 100 subscribers of one user: the per-user limits out of the way
        limits = {"MAX_CONNECTIONS_PER_USER": "5000", "MESSAGE_RATE": "100000", "MESSAGE_BURST": "100000"}
        with dev_gateway(ddb, data, "benchgw", limits) as gw:
            base = gw.url
            owner = rest(base, "POST", "/api/auth/login", {"username": "wang.owner", "password": PASSWORD})["access_token"]
            viewer = rest(base, "POST", "/api/auth/login", {"username": "lee.viewer", "password": PASSWORD})["access_token"]
            print(f"{'subscribers':>11} {'p50 ms':>8} {'p99 ms':>8} {'delivered':>12} {'sent msg/s':>11} {'deliveries/s':>13}")
            for fanout in [int(x) for x in args.fanout.split(",")]:
                room = rest(base, "POST", "/api/rooms", {"title": f"bench {fanout}", "incident_type": "other"},
                            token=owner)["room_id"]
                rest(base, "POST", f"/api/rooms/{room}/members",
                     {"user_id": "lee.viewer@panjit.com.tw", "role": "VIEWER"}, token=owner)
                result = asyncio.run(run_latency(gw.ws_url, base, owner, viewer, room, fanout,
                                                 args.messages, args.seconds))
                print(f"{fanout:>11} {result['p50']:8.1f} {result['p99']:8.1f} "
                      f"{int(result['delivered']):>5}/{int(result['expected']):<6} {result['sent_per_s']:11.1f} "
                      f"{result['deliveries_per_s']:13.1f}")
            fanout_info = next(s for s in rest(base, "GET", "/__local/info")["streams"]
                               if s["function"] == "message_fanout")
            print(f"message_fanout: {fanout_info['records']} records in {fanout_info['batches']} batches, max iterator "
                  f"age {fanout_info['max_iterator_age_ms']} ms, {fanout_info['lag_warnings']} lag warning(s), "
                  f"{fanout_info['records_given_up']} given up")
        for subscribers in [10, 100]:
            cap = capacity_per_message(ddb.endpoint, subscribers)
            print(f"capacity per message with {subscribers} subscribers: {cap['rcu']:.1f} RCU, {cap['wcu']:.1f} WCU "
                  f"(send path calls per message: { {k: round(v / 20, 1) for k, v in cap['calls'].items()} }); "
                  f"handler time p50: ingest {cap['ingest_ms']:.1f} ms per message, fan-out "
                  f"{cap['delivery_ms']:.3f} ms per delivery")


if __name__ == "__main__":
    main()
