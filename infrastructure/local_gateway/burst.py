"""A concurrent burst against a running local stack: does every message reach an observer?

    python -m infrastructure.local_gateway.burst [--url http://127.0.0.1:8000] [--clients 3]
                                                [--messages 15] [--room <room id>]

``--clients`` WebSocket clients (demo users) each send ``--messages`` messages at once into one
room (created by wang.owner unless ``--room`` is given); an observer subscribed to the room
counts the distinct messages it receives. Prints sent / acknowledged / delivered and the room
id, exits 0 only when the observer got every acknowledged message (within ``--timeout`` s).
This is the check of issue 10: with the old embedded moto, 45 were acknowledged and one arrived.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import urllib.request
import uuid
from typing import Any

from websockets.asyncio.client import connect

PASSWORD = "Passw0rd!"
SENDERS = ["chen.editor", "huang.tech", "wu.engineer", "tsai.supervisor", "lee.viewer", "lin.admin"]


def _http(base: str, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the local stack
        raw = response.read()
    return json.loads(raw) if raw else None


def _login(base: str, username: str) -> dict[str, Any]:
    return dict(_http(base, "POST", "/api/auth/login", {"username": username, "password": PASSWORD}))


async def _socket(base: str, token: str) -> Any:
    ticket = _http(base, "POST", "/api/auth/ws-ticket", token=token)["ticket"]
    ws_url = base.replace("http", "ws", 1) + "/ws"
    return await connect(f"{ws_url}?ticket={ticket}", max_size=2 ** 20)


async def run(base: str, clients: int, messages: int, room: str | None, timeout: float) -> int:
    owner = _login(base, "wang.owner")
    senders = [_login(base, name) for name in SENDERS[:clients]]
    if room is None:
        created = _http(base, "POST", "/api/rooms", {"title": f"Burst {time.strftime('%H:%M:%S')}",
                                                     "incident_type": "equipment_failure", "severity": "low"},
                        owner["access_token"])
        room = str(created["room_id"])
        for sender in senders:
            _http(base, "POST", f"/api/rooms/{room}/members", {"user_id": sender["user"]["user_id"], "role": "EDITOR"},
                  owner["access_token"])
    observer = await _socket(base, owner["access_token"])
    await observer.send(json.dumps({"type": "subscribe", "room_id": room}))
    while json.loads(await observer.recv()).get("type") != "subscribed":
        pass
    seen: set[str] = set()

    async def observe() -> None:
        async for raw in observer:
            frame = json.loads(raw)
            if frame.get("type") == "message" and frame["message"].get("message_type") != "system":
                seen.add(frame["message"]["client_id"])

    watcher = asyncio.create_task(observe())
    sockets = [await _socket(base, s["access_token"]) for s in senders]
    acked: set[str] = set()

    async def burst(index: int, ws: Any) -> None:
        ids = [str(uuid.uuid4()) for _ in range(messages)]
        for n, client_id in enumerate(ids):  # all at once: no waiting for acks in between
            await ws.send(json.dumps({"type": "message", "room_id": room, "client_id": client_id,
                                      "message_type": "text", "content": f"client {index} #{n + 1}"}))
        pending = set(ids)
        while pending:
            frame = json.loads(await ws.recv())
            if frame.get("client_id") in pending:
                pending.discard(frame["client_id"])
                if frame.get("type") == "ack":
                    acked.add(frame["client_id"])
                else:
                    print(f"client {index}: {frame.get('type')} {frame.get('code')}: {frame.get('message')}")

    started = time.monotonic()
    await asyncio.gather(*(burst(i, ws) for i, ws in enumerate(sockets)))
    deadline = time.monotonic() + timeout
    while not acked <= seen and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    elapsed = time.monotonic() - started
    watcher.cancel()
    for ws in [*sockets, observer]:
        await ws.close()
    delivered = len(acked & seen)
    print(f"room {room}: sent {clients * messages}, acknowledged {len(acked)}, delivered to the observer "
          f"{delivered} ({elapsed:.1f}s)")
    return 0 if acked and delivered == len(acked) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=3, choices=range(1, len(SENDERS) + 1))
    parser.add_argument("--messages", type=int, default=15)
    parser.add_argument("--room", default=None, help="an existing room (wang.owner's; the senders must be members)")
    parser.add_argument("--timeout", type=float, default=30.0)
    ns = parser.parse_args(argv)
    return asyncio.run(run(ns.url.rstrip("/"), ns.clients, ns.messages, ns.room, ns.timeout))


if __name__ == "__main__":
    sys.exit(main())
