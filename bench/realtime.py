"""The real-time path beside a seed-shaped baseline: same client, same run, one table.

    .venv/bin/python -m bench.realtime [--subs 10,100,1000] [--messages 40] [--seconds 10] [--warmup 30]
                                      [--skip-baseline]

Two servers, driven by the same asyncio client in this process:

* **baseline** — the seed's shape (as ``../shared/tools/latency_bench.py``): one process, a
  ``websockets`` server, one SQLite insert + commit per message, the ack to the sender, then an
  in-memory broadcast to the room. It runs as a subprocess of this script (so it does not share
  the client's event loop, like the project's servers) on a free loopback port.
* **project** — DynamoDB Local + the local gateway (REST, WebSocket API, stream poller,
  ``@connections``) as subprocesses, configured as ``make dev`` runs them (DynamoDB Local keeps
  its data on disk, in a temporary directory here; the stream readers poll at the gateway's
  default interval); each connection gets its own single-use ticket (``/api/auth/ws-ticket``)
  and subscribes with ``subscribe``.

Measured for both:

* **send→receive p50/p99** at each ``--subs`` count: N subscribers (opened 50 at a time) and one
  sender in one room; the sender sends ``--messages`` messages at a steady pace (one every
  100 ms, the next one after the ack; the sender is subscribed too, as the SPA is, and its own
  copies are not counted); every subscriber timestamps the matching ``message`` frame.
  Percentiles are over all (message, subscriber) pairs; ``delivered/expected`` counts first
  receipts (a duplicate is counted apart). The drain ends when all arrived or nothing arrived
  for 20 s. Opening the connections is timed too (printed, not in the table).
* **ack p50** — send → the ``ack`` frame at the sender, in the smallest ``--subs`` run.
* **msgs/s** — 8 senders over 10 rooms (2 subscribers each), each sender sending back to back
  (the next after its ack, rooms in turn) for ``--seconds``; msgs/s = acked messages / the time
  until the last of them was delivered to all its room's subscribers (or the send window when
  that is longer); ``delivered/expected`` = deliveries to the rooms' subscribers.

Both servers are first warmed up with ``--warmup`` seconds of the 8-sender load (printed, not in
the table): DynamoDB Local is a JVM that JIT-compiles its request path for about its first
minute (its compiler threads took ~¼ of the machine then), which a ``make dev`` that has been
running has long done; ``--warmup 0`` measures the fresh stack.

The bench drives 1,000 connections and 8 back-to-back senders from the seven demo users, so the
gateway runs with the per-user abuse limits out of the way (``MAX_CONNECTIONS_PER_USER``,
``MESSAGE_RATE``/``MESSAGE_BURST``; otherwise the user's oldest connections are closed with 1001
and senders get ``rate_limited``). Subscribers are spread over six users; the sender is the
rooms' owner. Between phases the bench waits until the gateway has settled (every ``$disconnect``
done: the connections and subscriptions tables are empty) and prints how long that took. Ratios
are project ÷ baseline. A failed phase is reported in its cell (and the gateway's log is kept);
the other phases still run. The machine is shared: figures are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
import uuid
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets

from bench.capacity import percentile
from bench.messaging import PASSWORD, dev_dynamodb, dev_gateway, open_client, rest

BATCH = 50  # connections opened at once
PACE = 0.1  # seconds between latency messages
QUIET = 20.0  # the drain ends after this long without a new delivery
SENDERS, ROOMS, ROOM_SUBS = 8, 10, 2
OWNER = "wang.owner"
SUBSCRIBERS = ["lee.viewer", "chen.editor", "huang.tech", "wu.engineer", "tsai.supervisor", "lin.admin"]
DOMAIN = "panjit.com.tw"
GATEWAY_ENV = {"MAX_CONNECTIONS_PER_USER": "5000", "MESSAGE_RATE": "100000", "MESSAGE_BURST": "100000"}
READY = "BASELINE_READY "


# ---------------------------------------------------------------- the baseline server (subprocess)
async def serve_baseline() -> None:
    """One process: websockets server, SQLite insert + commit, ack, in-memory broadcast."""
    from websockets.asyncio.server import broadcast, serve

    folder = tempfile.TemporaryDirectory(prefix="bench-baseline-")
    db = sqlite3.connect(Path(folder.name) / "messages.db")
    db.execute("create table m (id text primary key, room text, seq integer, client_id text, content text, ts real)")
    rooms: dict[str, set[Any]] = {}
    seqs: dict[str, int] = {}

    async def handler(ws: Any) -> None:
        try:
            async for raw in ws:
                frame = json.loads(raw)
                room = frame.get("room_id")
                if frame.get("type") == "subscribe":
                    rooms.setdefault(room, set()).add(ws)
                    await ws.send(json.dumps({"type": "subscribed", "room_id": room}))
                elif frame.get("type") == "message":
                    seqs[room] = seq = seqs.get(room, 0) + 1
                    message_id = str(uuid.uuid4())
                    db.execute("insert into m values (?,?,?,?,?,?)",
                               (message_id, room, seq, frame["client_id"], frame["content"], time.time()))
                    db.commit()
                    message = {"message_id": message_id, "room_id": room, "client_id": frame["client_id"],
                               "sequence_number": seq, "message_type": "text", "content": frame["content"]}
                    await ws.send(json.dumps({"type": "ack", "client_id": frame["client_id"], "message": message}))
                    broadcast(rooms.get(room, set()), json.dumps({"type": "message", "message": message}))
        finally:
            for members in rooms.values():
                members.discard(ws)

    stop: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set_result, None)
    async with serve(handler, "127.0.0.1", 0, max_size=2**20) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        print(f"{READY}{port}", flush=True)
        await stop  # SIGTERM from the bench
    db.close()
    folder.cleanup()


def start_baseline() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, "-m", "bench.realtime", "--serve-baseline"], stdout=subprocess.PIPE,
                               text=True, cwd=Path(__file__).resolve().parents[1])
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith(READY):
        process.kill()
        raise RuntimeError(f"baseline server did not start: {line!r}")
    return process, f"ws://127.0.0.1:{int(line[len(READY):])}"


# ---------------------------------------------------------------- the two targets
class Baseline:
    name = "baseline"

    def __init__(self, url: str) -> None:
        self.url = url

    def new_room(self, label: str) -> str:
        return f"{label}-{uuid.uuid4().hex[:8]}"

    async def open(self, room: str, index: int, sender: bool = False) -> Any:
        ws = await websockets.connect(self.url, max_size=2**20)
        await ws.send(json.dumps({"type": "subscribe", "room_id": room}))
        while json.loads(await ws.recv())["type"] != "subscribed":
            pass
        return ws

    def settle(self) -> None:
        pass


class Project:
    name = "project"

    def __init__(self, base: str, ws_url: str, dynamodb_endpoint: str, table_prefix: str) -> None:
        import boto3

        self.base, self.ws_url = base, ws_url
        self.dynamodb = boto3.client("dynamodb", endpoint_url=dynamodb_endpoint, region_name="us-east-1",
                                     aws_access_key_id="local", aws_secret_access_key="local")
        self.registry = [f"{table_prefix}-connections", f"{table_prefix}-subscriptions", f"{table_prefix}-presence"]
        self.owner = self.login(OWNER)
        self.tokens = [self.login(user) for user in SUBSCRIBERS]

    def login(self, user: str) -> str:
        return str(rest(self.base, "POST", "/api/auth/login", {"username": user, "password": PASSWORD})["access_token"])

    def new_room(self, label: str) -> str:
        room = str(rest(self.base, "POST", "/api/rooms", {"title": f"bench {label}", "incident_type": "other"},
                        token=self.owner)["room_id"])
        for user in SUBSCRIBERS:
            rest(self.base, "POST", f"/api/rooms/{room}/members", {"user_id": f"{user}@{DOMAIN}", "role": "VIEWER"},
                 token=self.owner)
        return room

    async def open(self, room: str, index: int, sender: bool = False) -> Any:
        token = self.owner if sender else self.tokens[index % len(self.tokens)]
        return await open_client(self.ws_url, self.base, token, room)

    def info(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.base + "/__local/info", timeout=30) as response:
            return dict(json.loads(response.read()))

    def _items(self, table: str) -> int:
        count, start = 0, None
        while True:
            page = self.dynamodb.scan(TableName=table, Select="COUNT", ConsistentRead=True,
                                      **({"ExclusiveStartKey": start} if start else {}))
            count += page["Count"]
            start = page.get("LastEvaluatedKey")
            if not start:
                return count

    def settle(self, timeout: float = 600.0) -> None:
        """Wait until the previous phase is over in the gateway: no connection open, no frame waiting,
        and every ``$disconnect`` done (the connections and subscriptions tables are empty)."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            info = self.info()
            if not info.get("open_connections") and not info.get("frames_waiting") \
                    and not any(self._items(t) for t in self.registry):
                break
            time.sleep(0.5)
        left = {t.rsplit("-", 1)[1]: self._items(t) for t in self.registry}
        print(f"  {'':8} gateway settled in {time.monotonic() - began:.1f}s"
              + ("" if not any(left.values()) else f" (NOT settled: {left} left)"), flush=True)


# ---------------------------------------------------------------- the client (identical for both)
@dataclass
class Inbox:
    """First receipt of each message per subscriber, by client_id."""

    times: dict[str, list[float]] = field(default_factory=dict)
    delivered: int = 0
    duplicates: int = 0
    last: float = 0.0
    closes: Counter[str] = field(default_factory=Counter)
    stopping: bool = False


async def listen(ws: Any, inbox: Inbox) -> None:
    seen: set[str] = set()
    try:
        async for raw in ws:
            frame = json.loads(raw)
            if frame.get("type") != "message":
                continue
            now = time.perf_counter()
            client_id = frame["message"].get("client_id")
            if client_id in seen:
                inbox.duplicates += 1
                continue
            seen.add(client_id)
            inbox.times.setdefault(client_id, []).append(now)
            inbox.delivered += 1
            inbox.last = now
    except websockets.ConnectionClosed:
        pass
    if not inbox.stopping:  # closed before the bench closed it
        inbox.closes[f"{ws.close_code} {ws.close_reason or ''}".strip()] += 1


class Sender:
    """One sending connection; a reader task matches ``ack``/``error`` frames by client_id."""

    def __init__(self, ws: Any, inbox: Inbox) -> None:
        self.ws, self.inbox = ws, inbox
        self.pending: dict[str, asyncio.Future[float]] = {}
        self.errors: Counter[str] = Counter()
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                frame = json.loads(raw)
                future = self.pending.pop(frame.get("client_id", ""), None) if frame.get("type") in ("ack", "error") \
                    else None
                if future is not None and not future.done():
                    if frame["type"] == "ack":
                        future.set_result(time.perf_counter())
                    else:
                        future.set_exception(RuntimeError(frame.get("code") or frame.get("message") or "error"))
        except websockets.ConnectionClosed:
            pass
        if not self.inbox.stopping:
            self.inbox.closes[f"sender {self.ws.close_code} {self.ws.close_reason or ''}".strip()] += 1
        for future in self.pending.values():
            if not future.done():
                future.set_exception(RuntimeError("sender connection closed"))

    async def send(self, room: str, text: str) -> tuple[str, float, float] | None:
        """(client_id, sent at, ack ms), or None after an error frame / no ack within 30 s."""
        client_id = str(uuid.uuid4())
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.pending[client_id] = future
        sent = time.perf_counter()
        try:
            await self.ws.send(json.dumps({"type": "message", "room_id": room, "client_id": client_id,
                                           "message_type": "text", "content": text}))
            acked = await asyncio.wait_for(future, 30)
        except (RuntimeError, TimeoutError, websockets.ConnectionClosed) as exc:
            self.pending.pop(client_id, None)
            self.errors[str(exc) or type(exc).__name__] += 1
            return None
        return client_id, sent, (acked - sent) * 1000


async def open_many(target: Any, room: str, count: int, offset: int = 0) -> list[Any]:
    conns: list[Any] = []
    for start in range(0, count, BATCH):
        conns += await asyncio.gather(*(asyncio.wait_for(target.open(room, offset + i), 120)
                                        for i in range(start, min(count, start + BATCH))))
    return conns


async def drain(inbox: Inbox, expected: int) -> None:
    """Until every delivery arrived or none arrived for QUIET seconds."""
    mark, at = inbox.delivered, time.perf_counter()
    while inbox.delivered < expected and time.perf_counter() - at < QUIET:
        await asyncio.sleep(0.05)
        if inbox.delivered != mark:
            mark, at = inbox.delivered, time.perf_counter()


async def close_all(conns: list[Any], tasks: list[asyncio.Task[Any]], inbox: Inbox) -> None:
    inbox.stopping = True
    for start in range(0, len(conns), 200):
        await asyncio.gather(*(ws.close() for ws in conns[start:start + 200]), return_exceptions=True)
    await asyncio.gather(*tasks, return_exceptions=True)


def _notes(inbox: Inbox, senders: list[Sender]) -> str:
    errors: Counter[str] = sum((s.errors for s in senders), Counter())
    parts = [f"{inbox.duplicates} duplicate(s)"] if inbox.duplicates else []
    parts += [f"closed early: {dict(inbox.closes)}"] if inbox.closes else []
    parts += [f"send errors: {dict(errors)}"] if errors else []
    return "; ".join(parts)


async def latency(target: Any, subscribers: int, messages: int) -> dict[str, Any]:
    room = target.new_room(f"latency {subscribers}")
    began = time.perf_counter()
    receivers = await open_many(target, room, subscribers)
    sender_ws = await target.open(room, 0, sender=True)
    opened = time.perf_counter() - began
    inbox = Inbox()
    tasks = [asyncio.create_task(listen(ws, inbox)) for ws in receivers]
    sender = Sender(sender_ws, inbox)
    sent: dict[str, float] = {}
    acks: list[float] = []
    start = time.perf_counter()
    for i in range(messages):
        await asyncio.sleep(max(0.0, start + i * PACE - time.perf_counter()))
        result = await sender.send(room, f"latency {i} 溫度 {subscribers}")
        if result is not None:
            sent[result[0]] = result[1]
            acks.append(result[2])
    expected = len(sent) * subscribers
    await drain(inbox, expected)
    drained = time.perf_counter() - start
    lat = [(t - sent[cid]) * 1000 for cid, times in inbox.times.items() if cid in sent for t in times]
    await close_all([*receivers, sender_ws], [*tasks, sender.task], inbox)
    return {"p50": percentile(lat, 50), "p99": percentile(lat, 99), "delivered": inbox.delivered,
            "expected": expected, "ack_p50": percentile(acks, 50), "ack_p99": percentile(acks, 99),
            "opened_s": opened, "run_s": drained, "notes": _notes(inbox, [sender])}


async def throughput(target: Any, seconds: float) -> dict[str, Any]:
    rooms = [target.new_room(f"throughput {i}") for i in range(ROOMS)]
    receivers: list[Any] = []
    for r, room in enumerate(rooms):
        receivers += await open_many(target, room, ROOM_SUBS, offset=r * ROOM_SUBS)
    sender_wss = [await target.open(rooms[i % ROOMS], 0, sender=True) for i in range(SENDERS)]
    inbox = Inbox()
    tasks = [asyncio.create_task(listen(ws, inbox)) for ws in receivers]
    senders = [Sender(ws, inbox) for ws in sender_wss]
    sent: dict[str, float] = {}
    acks: list[float] = []
    start = time.perf_counter()
    end = start + seconds

    async def run(index: int) -> None:
        k = 0
        while time.perf_counter() < end:
            result = await senders[index].send(rooms[(index + k) % ROOMS], f"sustained {index}.{k}")
            k += 1
            if result is not None:
                sent[result[0]] = result[1]
                acks.append(result[2])

    await asyncio.gather(*(run(i) for i in range(SENDERS)))
    window = time.perf_counter() - start
    expected = len(sent) * ROOM_SUBS
    await drain(inbox, expected)
    lat = [(t - sent[cid]) * 1000 for cid, times in inbox.times.items() if cid in sent for t in times]
    until = max(window, (inbox.last - start) if inbox.delivered else window)
    await close_all([*receivers, *sender_wss], [*tasks, *(s.task for s in senders)], inbox)
    return {"msgs": len(sent), "msgs_per_s": len(sent) / until, "acked_per_s": len(sent) / window,
            "delivered": inbox.delivered, "expected": expected, "p50": percentile(lat, 50),
            "p99": percentile(lat, 99), "ack_p50": percentile(acks, 50), "run_s": until,
            "notes": _notes(inbox, senders)}


async def measure(target: Any, subs: list[int], messages: int, seconds: float, warmup: float = 0) -> dict[str, Any]:
    results: dict[str, Any] = {}
    if warmup > 0:
        results["warmup"] = await _phase(target, f"warm-up ({warmup:.0f} s of {SENDERS} senders, not in the table)",
                                         throughput(target, warmup))
    for count in subs:
        results[f"subs {count}"] = await _phase(target, f"{count} subscribers", latency(target, count, messages))
    results["throughput"] = await _phase(target, f"{SENDERS} senders × {ROOMS} rooms", throughput(target, seconds))
    return results


async def _phase(target: Any, what: str, run: Coroutine[Any, Any, dict[str, Any]]) -> dict[str, Any]:
    """Run one phase, print its line, and wait for the gateway to settle before the next.
    A failure is reported in the table; the other phases still run."""
    began = time.monotonic()
    try:
        result = await run
    except Exception as exc:  # noqa: BLE001
        result = _failure(exc, began)
    _progress(target.name, what, result)
    await asyncio.to_thread(target.settle)
    return result


def _failure(exc: BaseException, began: float) -> dict[str, Any]:
    """What failed and where (the innermost bench frame)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/bench/" in f.filename]
    where = f" in {frames[-1].name} ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return {"error": f"{type(exc).__name__}: {exc}"[:160] + where, "after_s": time.monotonic() - began}


def _progress(name: str, what: str, r: dict[str, Any]) -> None:
    if "error" in r:
        print(f"  {name:8} {what}: FAILED after {r['after_s']:.1f}s: {r['error']}", flush=True)
        return
    line = (f"  {name:8} {what}: p50 {r['p50']:.1f} ms p99 {r['p99']:.1f} ms, delivered {r['delivered']}/{r['expected']}"
            f", ack p50 {r['ack_p50']:.1f} ms")
    if "opened_s" in r:
        line += f", opened in {r['opened_s']:.1f}s, sent+drained in {r['run_s']:.1f}s"
    else:
        line += f", {r['msgs']} msgs, {r['msgs_per_s']:.1f} msg/s delivered ({r['acked_per_s']:.1f} acked/s)"
    print(line + (f"  [{r['notes']}]" if r.get("notes") else ""), flush=True)


# ---------------------------------------------------------------- the table
def _cell(r: dict[str, Any] | None, kind: str) -> str:
    if r is None:
        return "—"
    if "error" in r:
        return f"failed after {r['after_s']:.0f}s"
    if kind == "lat":
        return f"{r['p50']:.1f} / {r['p99']:.1f} ms ({r['delivered']}/{r['expected']})"
    if kind == "ack":
        return f"{r['ack_p50']:.1f} ms"
    return f"{r['msgs_per_s']:.1f} ({r['delivered']}/{r['expected']})"


def _ratio(b: dict[str, Any] | None, p: dict[str, Any] | None, kind: str) -> str:
    if not b or not p or "error" in b or "error" in p:
        return "—"
    if kind == "lat":
        return f"{p['p50'] / b['p50']:.0f}× / {p['p99'] / b['p99']:.0f}×"
    key = "ack_p50" if kind == "ack" else "msgs_per_s"
    ratio = p[key] / b[key]
    return f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.2f}×"


def table(subs: list[int], base: dict[str, Any] | None, proj: dict[str, Any]) -> str:
    rows = [("send→receive p50 / p99, {n} subs (delivered)".format(n=f"{n:,}"), f"subs {n}", "lat") for n in subs]
    rows += [(f"ack p50 ({subs[0]} subs)", f"subs {subs[0]}", "ack"),
             (f"msgs/s, {SENDERS} senders × {ROOMS} rooms (delivered)", "throughput", "tput")]
    lines = ["| | baseline | project | ratio (project ÷ baseline) |", "|---|---|---|---|"]
    for label, key, kind in rows:
        b = base.get(key) if base else None
        p = proj.get(key)
        lines.append(f"| {label} | {_cell(b, kind)} | {_cell(p, kind)} | {_ratio(b, p, kind)} |")
    return "\n".join(lines)


def raise_open_files(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subs", default="10,100,1000")
    parser.add_argument("--messages", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--warmup", type=float, default=30.0,
                        help="seconds of the 8-sender load before the measured phases (0: none)")
    parser.add_argument("--serve-baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_baseline:
        asyncio.run(serve_baseline())
        return
    subs = [int(x) for x in args.subs.split(",")]
    raise_open_files(4 * max(subs) + 1024)  # the client's sockets, and the servers (children) inherit it
    began = time.monotonic()
    base_results = None
    if not args.skip_baseline:
        process, url = start_baseline()
        try:
            print("baseline (one process, SQLite, in-memory broadcast):", flush=True)
            base_results = asyncio.run(measure(Baseline(url), subs, args.messages, args.seconds, args.warmup))
        finally:
            process.terminate()
            process.wait(10)
    with dev_dynamodb() as (ddb, data), dev_gateway(ddb, data, "benchrt", GATEWAY_ENV) as gw:
        print("project (DynamoDB Local + local gateway):", flush=True)
        project = Project(gw.url, gw.ws_url, gw.dynamodb_endpoint, gw.table_prefix)
        proj_results = asyncio.run(measure(project, subs, args.messages, args.seconds, args.warmup))
        fanout: dict[str, Any] = next((s for s in project.info().get("streams", []) if s.get("function") == "message_fanout"), {})
        log = gw.output()
    if any("error" in r or "closed early" in r.get("notes", "") for r in proj_results.values()) or "Traceback" in log:
        kept = Path(tempfile.gettempdir()) / "bench-realtime-gateway.log"
        kept.write_text(log, encoding="utf-8")
        print(f"a project phase failed, lost a connection or the gateway logged a traceback: its log is in {kept}")
    print()
    print(table(subs, base_results, proj_results))
    print()
    print(f"message_fanout: {fanout.get('records')} records in {fanout.get('batches')} batches, max iterator age "
          f"{fanout.get('max_iterator_age_ms')} ms, {fanout.get('records_given_up')} given up; gateway log: "
          f"{log.count('Traceback')} traceback(s), {log.count('code=1001')} server close(s) with 1001, "
          f"{log.count('Too Many Requests')} throttled; {time.monotonic() - began:.0f}s in all")


if __name__ == "__main__":
    main()
