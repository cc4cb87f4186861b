"""Simulated chat clients for the delivery tests: they behave like the SPA, over real sockets.

* :class:`Subscriber` — one WebSocket subscribed to one room. It keeps the room's messages
  by ``message_id`` (newest ``version`` wins, patches of an equal version apply, older ones are
  dropped — the SPA's reducer rules), reconnects with backoff when its socket dies and resumes
  with ``last_seq`` (highest contiguous sequence number) and ``changed_since`` (the
  ``server_time`` of its previous subscription), fetches ``has_more`` and gaps over REST
  (``?after_seq=``) like the SPA's gap check.

  One difference from the SPA, on purpose: the resume point ``changed_since`` advances to a
  subscription's ``server_time`` only once that subscription's replay has arrived. The replay
  frames follow ``subscribed``; a socket that dies in between loses them, and resuming from the
  new ``server_time`` would skip the edits, deletions and reactions they carried (this test
  found exactly that). A ``ping`` sent right after ``subscribe`` is answered after the last
  replay frame (one connection's frames are handled in order, and posts to one connection keep
  theirs), so its ``pong`` marks the replay as complete. The SPA commits ``server_time`` on
  ``subscribed`` (``frontend/src/features/chat/store/chat-reducer.ts``) and needs the same.
  (On AWS two frames of one connection may run in concurrent invocations, so there the marker
  should come from the server — e.g. a ``replay_count`` in ``subscribed``.)

  A second one: versions. Each stored change bumps a message's ``version`` by one. A change
  frame whose version skips one (``held + 1 < version``: a change was missed while the socket
  was down, and its live frame overtook the replay) is applied, but the message is marked
  stale and fetched again over REST; and a full message (replay, REST) replaces the held one
  at an equal version too — a snapshot of the server at that version is never wrong. The
  SPA's rules (patches move the version up whatever was skipped, full messages only when
  strictly newer) left a reaction missing for good when a patch v4 arrived over v2 before the
  replay's v4 (this test found that too).

  Like the SPA, a change frame for a message not held yet is kept and applied when the message
  arrives (``RoomView.held``): a change stored right after a subscription's replay was read is
  delivered live, and its frame can reach the socket before the replay frames do (a clean-clone
  run found a client that dropped such an edit and kept v1 for good).
* :class:`Sender` — one WebSocket sending a mix of messages, edits, deletions and reactions.
  A message not acknowledged before the socket died is sent again with the same
  ``client_id``; every frame is followed by a ``ping`` whose ``pong`` marks that the frame was
  handled (frames of one connection are handled in order), so nothing is left in flight.
* :func:`chaos` — closes random subscriber sockets abruptly (TCP abort, no close frame).
* :func:`differences` — each subscriber's view against the server's history, field by field.

Counters (:class:`Counts`) say what happened: sent, acked, delivered live / by replay / by
REST, duplicates suppressed, reconnects.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

PASSWORD = "Passw0rd!"
USERS = ["wang.owner", "chen.editor", "huang.tech", "wu.engineer", "tsai.supervisor", "lee.viewer", "lin.admin"]
EMOJI = ["👍", "🔥", "✅", "👀"]
GAP_FILL_DELAY = 1.5  # seconds a gap may stay before the REST fetch (the SPA's GAP_FILL_DELAY_MS)


class HttpError(RuntimeError):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body[:300]}")
        self.status = status
        self.body = body


def http(base: str, method: str, path: str, body: Any = None, token: str | None = None,
         timeout: float = 15.0) -> Any:
    """A JSON request; raises :class:`HttpError` for non-2xx, ``OSError`` when unreachable."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as err:
        raise HttpError(err.code, err.read().decode("utf-8", "replace")) from None
    return json.loads(raw) if raw else None


@dataclass
class Account:
    username: str
    user_id: str
    token: str


def login(base: str, username: str) -> Account:
    answer = http(base, "POST", "/api/auth/login", {"username": username, "password": PASSWORD})
    return Account(username, str(answer["user"]["user_id"]), str(answer["access_token"]))


def create_room(base: str, owner: Account, title: str, members: list[Account], role: str = "EDITOR") -> str:
    room = http(base, "POST", "/api/rooms", {"title": title, "incident_type": "equipment_failure",
                                             "severity": "high", "location": "Line 3"}, owner.token)
    for member in members:
        if member.user_id != owner.user_id:
            http(base, "POST", f"/api/rooms/{room['room_id']}/members", {"user_id": member.user_id, "role": role},
                 owner.token)
    return str(room["room_id"])


def history(base: str, token: str, room_id: str) -> list[dict[str, Any]]:
    """The room's whole history, oldest first (``after_seq`` pages, strongly consistent)."""
    out: list[dict[str, Any]] = []
    after = 0
    while True:
        page = http(base, "GET", f"/api/rooms/{room_id}/messages?after_seq={after}&limit=100", token=token)
        out.extend(page["messages"])
        if not page["has_more"] or not page["messages"]:
            return out
        after = int(page["messages"][-1]["sequence_number"])


@dataclass
class Counts:
    """What the clients did and saw (shared by all clients of a run)."""

    sent: int = 0  # distinct client_ids sent
    acked: int = 0
    resent: int = 0  # message frames sent again (same client_id) after a lost connection
    ops: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    delivered_live: int = 0  # first copy of a message came as a live frame
    delivered_replay: int = 0  # ... in the replay after (re)subscribing
    delivered_rest: int = 0  # ... from the REST gap fill
    duplicates: int = 0  # message frames already known (same or older version): suppressed
    stale_patches: int = 0  # change frames older than the message already held: suppressed
    unknown_patches: int = 0  # change frames for a message not held yet (kept until it arrives)
    version_gaps: int = 0  # change frames that skipped a version: the message was fetched again
    patches: int = 0
    reconnects: int = 0
    connect_failures: int = 0
    chaos_closes: int = 0
    gap_fills: int = 0

    def summary(self) -> str:
        return (f"sent {self.sent} messages (acked {self.acked}, resent {self.resent}), ops {dict(self.ops)}, "
                f"errors {dict(self.errors)}; delivered {self.delivered_live + self.delivered_replay + self.delivered_rest}"
                f" (live {self.delivered_live}, replay {self.delivered_replay}, REST gap fill {self.delivered_rest}), "
                f"change frames applied {self.patches}, duplicates suppressed {self.duplicates + self.stale_patches} "
                f"(messages {self.duplicates}, change frames {self.stale_patches}), change frames for unknown "
                f"messages {self.unknown_patches}, version gaps refetched {self.version_gaps}; reconnects "
                f"{self.reconnects} (chaos closes {self.chaos_closes}, "
                f"failed connects {self.connect_failures}), gap fills {self.gap_fills}")


# ------------------------------------------------------------------------------ one room's view
def _reactions(value: Any) -> dict[str, list[str]]:
    return {k: sorted(v) for k, v in (value or {}).items() if v}


COMPARED = ("message_id", "sequence_number", "sender_id", "message_type", "content", "client_id", "edited_at",
            "deleted_at", "version", "file_id")


class RoomView:
    """A room's messages as one client holds them (the SPA's merge rules)."""

    def __init__(self, room_id: str, counts: Counts) -> None:
        self.room_id = room_id
        self.counts = counts
        self.messages: dict[str, dict[str, Any]] = {}
        self.by_seq: dict[int, str] = {}
        self.last_seq = 0  # every sequence number up to here is present
        self.known_seq = 0
        self.server_time: str | None = None
        self.gap_since: float | None = None
        # what happened to each message (and to the connection, under ""): for failure reports
        self.journal: dict[str, list[str]] = {}
        self.stale: dict[str, int] = {}  # message id → the version a change frame skipped to
        # change frames for a message not held yet: its live frame overtook the replay (or page)
        # that brings the message — a change stored right after the replay was read
        self.held: dict[str, list[dict[str, Any]]] = {}

    def note(self, key: str, text: str) -> None:
        self.journal.setdefault(key, []).append(f"{time.strftime('%H:%M:%S')}.{int(time.time() * 1000) % 1000:03d} "
                                                f"{text}")

    def _advance(self) -> None:
        while self.last_seq + 1 in self.by_seq:
            self.last_seq += 1
        self.known_seq = max(self.known_seq, self.last_seq)
        if self.known_seq > self.last_seq:
            self.gap_since = self.gap_since or time.monotonic()
        else:
            self.gap_since = None

    def merge(self, view: dict[str, Any], source: str) -> None:
        message_id = view["message_id"]
        current = self.messages.get(message_id)
        self.note(message_id, f"{source} v{view.get('version')} reactions={_reactions(view.get('reactions'))} "
                              f"deleted={bool(view.get('deleted_at'))} (held v{current.get('version') if current else '-'})")
        incoming = dict(view)
        incoming["reactions"] = _reactions(view.get("reactions"))
        if current is None:
            self.messages[message_id] = incoming
            seq = int(view["sequence_number"])
            self.by_seq[seq] = message_id
            self.known_seq = max(self.known_seq, seq)
            if source == "live":
                self.counts.delivered_live += 1
            elif source == "replay":
                self.counts.delivered_replay += 1
            else:
                self.counts.delivered_rest += 1
        else:
            have, got = int(current.get("version") or 1), int(incoming.get("version") or 1)
            if got > have or (got == have and not incoming.get("system")):
                self.messages[message_id] = incoming  # a server snapshot: right at an equal version too
            if got <= have:
                self.counts.duplicates += 1
        if message_id in self.stale and int(incoming.get("version") or 1) >= self.stale[message_id]:
            del self.stale[message_id]
        for frame in sorted(self.held.pop(message_id, []), key=lambda f: int(f.get("version") or 0)):
            self.patch(frame)  # an older one is dropped there as stale
        self._advance()

    def system(self, frame: dict[str, Any]) -> None:
        """A live ``system`` frame: a persisted event with its place in the history."""
        if not frame.get("message_id") or frame.get("sequence_number") is None:
            return
        view = {"message_id": frame["message_id"], "sequence_number": frame["sequence_number"],
                "message_type": "system", "version": 1, "system": True}
        self.merge(view, "live")

    def patch(self, frame: dict[str, Any]) -> None:
        current = self.messages.get(frame.get("message_id") or "")
        held = current.get("version") if current else "-"
        self.note(frame.get("message_id") or "",
                  f"{frame['type']} v{frame.get('version')} {frame.get('emoji', '')}{frame.get('user_id', '')} (held v{held})")
        if current is None:
            self.counts.unknown_patches += 1
            self.held.setdefault(frame.get("message_id") or "", []).append(frame)
            return
        version = int(frame.get("version") or 0)
        held = int(current.get("version") or 1)
        if version < held:
            self.counts.stale_patches += 1
            return
        if version > held + 1:  # a change in between was missed: fetch the message again
            self.counts.version_gaps += 1
            self.stale[frame["message_id"]] = max(version, self.stale.get(frame["message_id"], 0))
        kind = frame["type"]
        if kind == "message_edited":
            current.update(content=frame.get("content"), edited_at=frame.get("edited_at"))
        elif kind == "message_deleted":
            current.update(content=None, deleted_at=frame.get("deleted_at"), reactions={})
        else:
            users = set(current["reactions"].get(frame["emoji"], []))
            (users.add if kind == "reaction_added" else users.discard)(frame["user_id"])
            current["reactions"][frame["emoji"]] = sorted(users)
            current["reactions"] = _reactions(current["reactions"])
        current["version"] = max(version, int(current.get("version") or 1))
        self.counts.patches += 1

    def differences(self, server: list[dict[str, Any]], name: str) -> list[str]:
        problems: list[str] = []
        expected = {m["message_id"]: m for m in server}
        missing = [m["sequence_number"] for m in server if m["message_id"] not in self.messages]
        extra = [m["sequence_number"] for mid, m in self.messages.items() if mid not in expected]
        if missing:
            problems.append(f"{name}: missing seq {missing[:10]}{'…' if len(missing) > 10 else ''} ({len(missing)})")
        if extra:
            problems.append(f"{name}: not on the server: seq {extra[:10]}")
        for message_id, want in expected.items():
            have = self.messages.get(message_id)
            if have is None:
                continue
            if have.get("system"):
                if (have["sequence_number"], want["message_type"]) != (want["sequence_number"], "system"):
                    problems.append(f"{name}: system event {message_id} differs")
                continue
            for key in COMPARED:
                if have.get(key) != want.get(key):
                    problems.append(f"{name}: seq {want['sequence_number']} {key}: {have.get(key)!r} != "
                                    f"{want.get(key)!r}")
            if have["reactions"] != _reactions(want.get("reactions")):
                problems.append(f"{name}: seq {want['sequence_number']} reactions: {have['reactions']} != "
                                f"{_reactions(want.get('reactions'))}")
        return problems


# ------------------------------------------------------------------------------ subscriber
def _backoff(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    nominal = min(cap, base * 2 ** min(attempt, 10))
    return max(0.05, nominal * (1 + 0.2 * (rng.random() * 2 - 1)))


class Subscriber:
    """One socket subscribed to one room, resuming like the SPA after every drop."""

    def __init__(self, name: str, base: str, ws_url: str, account: Account, room_id: str, counts: Counts,
                 rng: random.Random, backoff: tuple[float, float] = (0.25, 2.0)) -> None:
        self.name = name
        self.base = base
        self.ws_url = ws_url
        self.account = account
        self.view = RoomView(room_id, counts)
        self.counts = counts
        self.rng = rng
        self.backoff = backoff
        self.ws: ClientConnection | None = None
        self.subscribed = asyncio.Event()
        self.connects = 0
        self.errors: Counter[str] = Counter()
        self._resyncing = False
        self._pending_server_time: str | None = None  # committed when the replay is complete
        self._replay_pending = False

    @property
    def room_id(self) -> str:
        return self.view.room_id

    def abort(self) -> bool:
        """Chaos: drop the TCP connection without a close frame."""
        ws = self.ws
        if ws is None or not self.subscribed.is_set():
            return False
        ws.transport.abort()
        return True

    async def _close_on(self, stop: asyncio.Event) -> None:
        await stop.wait()
        ws = self.ws
        if ws is not None:
            await ws.close()

    async def run(self, stop: asyncio.Event) -> None:
        attempt = 0
        gap_task = asyncio.create_task(self._gap_loop(stop))
        closer = asyncio.create_task(self._close_on(stop))
        try:
            while not stop.is_set():
                try:
                    ticket = (await asyncio.to_thread(http, self.base, "POST", "/api/auth/ws-ticket",
                                                      None, self.account.token, 10.0))["ticket"]
                    async with connect(f"{self.ws_url}?ticket={ticket}", open_timeout=10, ping_interval=None,
                                       max_size=2 ** 20, close_timeout=2) as ws:
                        self.ws = ws
                        self.connects += 1
                        attempt = 0
                        frame: dict[str, Any] = {"type": "subscribe", "room_id": self.room_id,
                                                 "last_seq": self.view.last_seq}
                        if self.view.server_time:
                            frame["changed_since"] = self.view.server_time
                        self._pending_server_time, self._replay_pending = None, True
                        self.view.note("", f"connected; subscribe last_seq={frame['last_seq']} "
                                           f"changed_since={frame.get('changed_since')}")
                        await ws.send(json.dumps(frame))
                        await ws.send(json.dumps({"type": "ping"}))  # its pong follows the whole replay
                        async for raw in ws:
                            self._on_frame(json.loads(raw))
                except (OSError, ConnectionClosed, InvalidHandshake, InvalidStatus, TimeoutError, HttpError):
                    if self.ws is None:
                        self.counts.connect_failures += 1
                finally:
                    if self.ws is not None:
                        self.view.note("", "connection closed")
                    self.ws = None
                    self.subscribed.clear()
                if stop.is_set():
                    break
                self.counts.reconnects += 1
                delay = _backoff(attempt, *self.backoff, self.rng)
                attempt += 1
                try:
                    await asyncio.wait_for(stop.wait(), delay)
                except TimeoutError:
                    pass
        finally:
            gap_task.cancel()
            closer.cancel()

    def _on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "pong" and self._replay_pending:
            self._replay_pending = False
            self.view.server_time = self._pending_server_time or self.view.server_time
            self.view.note("", f"replay complete; resume point {self.view.server_time}")
        elif kind == "subscribed" and frame.get("room_id") == self.room_id:
            self._pending_server_time = frame.get("server_time")
            self.view.note("", f"subscribed server_time={frame.get('server_time')} last_seq={frame.get('last_seq')}")
            self.view.known_seq = max(self.view.known_seq, int(frame.get("last_seq") or 0))
            self.view._advance()
            self.subscribed.set()
            if frame.get("has_more"):
                asyncio.get_running_loop().create_task(self._resync())
        elif kind == "message" and frame["message"].get("room_id") == self.room_id:
            self.view.merge(frame["message"], "replay" if frame.get("replay") else "live")
        elif kind == "system" and frame.get("room_id") == self.room_id:
            self.view.system(frame)
        elif kind in ("message_edited", "message_deleted", "reaction_added", "reaction_removed"):
            if frame.get("room_id") == self.room_id:
                self.view.patch(frame)
        elif kind == "error":
            self.errors[str(frame.get("code"))] += 1

    async def _gap_loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(0.25)
            since = self.view.gap_since
            if since is not None and time.monotonic() - since >= GAP_FILL_DELAY:
                await self._resync()
            for message_id in list(self.view.stale):
                await self._refetch(message_id)

    async def _refetch(self, message_id: str) -> None:
        """One message again (``after_seq=seq-1&limit=1``): after a change frame skipped a version."""
        held = self.view.messages.get(message_id)
        if held is None:
            return
        seq = int(held["sequence_number"])
        try:
            page = await asyncio.to_thread(
                http, self.base, "GET", f"/api/rooms/{self.room_id}/messages?after_seq={seq - 1}&limit=1",
                None, self.account.token, 10.0)
        except (OSError, HttpError):
            return  # tried again on the next round
        for view in page["messages"]:
            if view["message_id"] == message_id:
                self.view.merge(view, "rest")

    async def _resync(self) -> None:
        """``GET …/messages?after_seq=`` until there is no more (the SPA's resync)."""
        if self._resyncing:
            return
        self._resyncing = True
        try:
            for _ in range(100):
                after = self.view.last_seq
                page = await asyncio.to_thread(
                    http, self.base, "GET", f"/api/rooms/{self.room_id}/messages?after_seq={after}&limit=100",
                    None, self.account.token, 10.0)
                self.counts.gap_fills += 1
                for view in page["messages"]:
                    self.view.merge(view, "rest")
                if not page["has_more"] or self.view.last_seq <= after:
                    break
        except (OSError, HttpError):
            pass  # the next gap check or reconnect tries again
        finally:
            self._resyncing = False


async def chaos(subscribers: list[Subscriber], stop: asyncio.Event, counts: Counts, rng: random.Random,
                interval: tuple[float, float] = (0.2, 0.6)) -> None:
    """Abort a random subscribed socket every ``interval`` seconds until ``stop``."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), rng.uniform(*interval))
        except TimeoutError:
            pass
        if stop.is_set():
            return
        live = [s for s in subscribers if s.ws is not None and s.subscribed.is_set()]
        if live and rng.choice(live).abort():
            counts.chaos_closes += 1


# ------------------------------------------------------------------------------ sender
class Sender:
    """One socket sending a mix of operations into its rooms, each handled before the next."""

    def __init__(self, name: str, base: str, ws_url: str, account: Account, rooms: list[str], counts: Counts,
                 rng: random.Random, mix: dict[str, int] | None = None, think: tuple[float, float] = (0.1, 0.3),
                 acked_pool: dict[str, list[str]] | None = None, backoff: tuple[float, float] = (0.25, 2.0)) -> None:
        self.name = name
        self.base = base
        self.ws_url = ws_url
        self.account = account
        self.rooms = rooms
        self.counts = counts
        self.rng = rng
        self.mix = mix or {"message": 50, "edit_message": 15, "delete_message": 10, "add_reaction": 18,
                           "remove_reaction": 7}
        self.think = think
        self.pool = acked_pool if acked_pool is not None else {r: [] for r in rooms}  # acked ids per room
        self.backoff = backoff
        self.ws: ClientConnection | None = None
        self.mine: dict[str, list[tuple[str, str]]] = {r: [] for r in rooms}  # (message_id, content), not deleted
        self.reacted: dict[str, set[tuple[str, str]]] = {r: set() for r in rooms}
        self.acks: dict[str, dict[str, Any]] = {}  # client_id → ack
        self.attempted: dict[str, str] = {}  # client_id → room_id (every message ever sent)
        self.n = 0
        self.unexpected: list[dict[str, Any]] = []

    async def _connect(self, stop: asyncio.Event) -> ClientConnection:
        attempt = 0
        while True:
            try:
                ticket = (await asyncio.to_thread(http, self.base, "POST", "/api/auth/ws-ticket", None,
                                                  self.account.token, 10.0))["ticket"]
                ws = await connect(f"{self.ws_url}?ticket={ticket}", open_timeout=10, ping_interval=None,
                                   max_size=2 ** 20, close_timeout=2)
                self.ws = ws
                return ws
            except (OSError, InvalidHandshake, InvalidStatus, TimeoutError, HttpError):
                self.counts.connect_failures += 1
            if stop.is_set() and attempt > 50:
                raise RuntimeError(f"{self.name} cannot connect")
            await asyncio.sleep(_backoff(attempt, *self.backoff, self.rng))
            attempt += 1

    def _next(self) -> dict[str, Any] | None:
        room = self.rng.choice(self.rooms)
        kind = self.rng.choices(list(self.mix), weights=list(self.mix.values()))[0]
        if kind == "edit_message" and self.mine[room]:
            index = self.rng.randrange(len(self.mine[room]))
            message_id, content = self.mine[room][index]
            new = f"{content} ✎"
            self.mine[room][index] = (message_id, new)
            return {"type": kind, "room_id": room, "message_id": message_id, "content": new}
        if kind == "delete_message" and self.mine[room]:
            message_id, _ = self.mine[room].pop(self.rng.randrange(len(self.mine[room])))
            return {"type": kind, "room_id": room, "message_id": message_id}
        if kind == "add_reaction" and self.pool[room]:
            message_id = self.rng.choice(self.pool[room][-40:])
            emoji = self.rng.choice(EMOJI)
            self.reacted[room].add((message_id, emoji))
            return {"type": kind, "room_id": room, "message_id": message_id, "emoji": emoji}
        if kind == "remove_reaction" and self.reacted[room]:
            message_id, emoji = self.rng.choice(sorted(self.reacted[room]))
            self.reacted[room].discard((message_id, emoji))
            return {"type": kind, "room_id": room, "message_id": message_id, "emoji": emoji}
        self.n += 1
        words = self.rng.choice(["Z5 溫度 245°C", "reflow profile ok", "推拉力測試中", "Lot 24A0312 hold",
                                 "氮氣流量 check", "conveyor 0.9 m/min"])
        return {"type": "message", "room_id": room, "client_id": str(uuid.uuid4()), "message_type": "text",
                "content": f"{self.name} #{self.n} {words}"}

    async def run(self, stop: asyncio.Event, expected_errors: set[str] | None = None) -> None:
        """Send until ``stop``; the operation in hand when it is set is still completed."""
        expected = expected_errors if expected_errors is not None else {"conflict", "forbidden", "not_found"}
        ws = await self._connect(stop)
        try:
            while not stop.is_set():
                frame = self._next()
                if frame is None:
                    continue
                if frame["type"] == "message":
                    self.attempted[frame["client_id"]] = frame["room_id"]
                    self.counts.sent += 1
                ws = await self._complete(ws, frame, stop, expected)
                await asyncio.sleep(self.rng.uniform(*self.think))
        finally:
            if self.ws is not None:
                await self.ws.close()
            self.ws = None

    async def _complete(self, ws: ClientConnection, frame: dict[str, Any], stop: asyncio.Event,
                        expected: set[str]) -> ClientConnection:
        """Send ``frame`` (+ ping) until its pong came back on one connection; messages until acked."""
        kind = frame["type"]
        self.counts.ops[kind] += 1
        tries = 0
        while True:
            tries += 1
            if tries > 1 and kind == "message":
                self.counts.resent += 1
            outcome = await self._exchange(ws, frame)
            if outcome == "lost":
                ws = await self._connect(stop)
                continue
            if outcome == "retry" and tries < 30:
                await asyncio.sleep(0.2 * tries)
                continue
            if isinstance(outcome, dict) and outcome.get("type") == "error":
                code = str(outcome.get("code"))
                self.counts.errors[code] += 1
                if code not in expected:
                    self.unexpected.append({"frame": frame, "error": outcome})
            return ws

    async def _exchange(self, ws: ClientConnection, frame: dict[str, Any]) -> Any:
        """One try: ``"lost"`` (socket died), ``"retry"`` (busy/unavailable), the error frame, or ``None``."""
        ops_id = frame.get("client_id") or str(uuid.uuid4())
        payload = {**frame, "client_id": ops_id}
        try:
            await ws.send(json.dumps(payload))
            await ws.send(json.dumps({"type": "ping"}))
            result: Any = None
            deadline = time.monotonic() + 20
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    ws.transport.abort()
                    return "lost"
                reply = json.loads(await asyncio.wait_for(ws.recv(), left))
                if reply.get("type") == "ack" and reply.get("client_id") == ops_id:
                    if ops_id not in self.acks:
                        self.acks[ops_id] = reply
                        self.counts.acked += 1
                        self.pool[frame["room_id"]].append(reply["message_id"])
                        self.mine[frame["room_id"]].append((reply["message_id"], frame["content"]))
                elif reply.get("type") == "error" and reply.get("client_id") == ops_id:
                    if reply.get("code") in ("rate_limited", "unavailable"):
                        self.counts.errors[str(reply.get("code"))] += 1
                        result = "retry"
                    else:
                        result = reply
                elif reply.get("type") == "pong":
                    if frame["type"] == "message" and ops_id not in self.acks and result is None:
                        return "retry"
                    return result
        except (ConnectionClosed, OSError, TimeoutError):
            return "lost"


# ------------------------------------------------------------------------------ checks
def differences(subscribers: list[Subscriber], server: dict[str, list[dict[str, Any]]]) -> list[str]:
    problems: list[str] = []
    for sub in subscribers:
        problems += sub.view.differences(server[sub.room_id], sub.name)
    return problems


def explain(subscribers: list[Subscriber], server: dict[str, list[dict[str, Any]]], limit: int = 3) -> str:
    """For the first differing subscribers: the server's message and what the client saw of it."""
    out: list[str] = []
    for sub in subscribers:
        expected = {m["message_id"]: m for m in server[sub.room_id]}
        wrong = [mid for mid, want in expected.items()
                 if mid in sub.view.messages and any(f"seq {want['sequence_number']} " in line
                                                     for line in sub.view.differences(server[sub.room_id], sub.name))]
        for mid in wrong[:2]:
            want = expected[mid]
            out.append(f"{sub.name} seq {want['sequence_number']}: server v{want['version']} "
                       f"reactions={_reactions(want.get('reactions'))} updated_at={want.get('updated_at')}")
            out += [f"    {line}" for line in sub.view.journal.get(mid, [])]
            out += [f"    conn {line}" for line in sub.view.journal.get("", [])]
        if wrong:
            limit -= 1
            if limit == 0:
                break
    return "\n".join(out)


def history_problems(server: dict[str, list[dict[str, Any]]], senders: list[Sender]) -> list[str]:
    """The server side: contiguous numbers, every acknowledged message once, every sent one once."""
    problems: list[str] = []
    for room_id, messages in server.items():
        seqs = [int(m["sequence_number"]) for m in messages]
        if seqs != list(range(1, len(seqs) + 1)):
            problems.append(f"room {room_id}: sequence numbers not contiguous from 1")
        by_client = Counter(m.get("client_id") for m in messages if m.get("client_id"))
        twice = [c for c, n in by_client.items() if n > 1]
        if twice:
            problems.append(f"room {room_id}: client_ids stored twice: {twice[:5]}")
    stored = {m["message_id"]: room for room, ms in server.items() for m in ms}
    stored_clients = {m.get("client_id") for ms in server.values() for m in ms}
    for sender in senders:
        for client_id, ack in sender.acks.items():
            if stored.get(ack["message_id"]) != sender.attempted.get(client_id):
                problems.append(f"{sender.name}: acknowledged message {ack['message_id']} not in its room's history")
        lost = [c for c in sender.attempted if c not in stored_clients]
        if lost:
            problems.append(f"{sender.name}: {len(lost)} sent message(s) never stored: {lost[:3]}")
    return problems


async def wait_for(check: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    """Poll ``check`` until true or ``timeout`` (never a fixed sleep: returns as soon as it holds)."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(interval)
