"""SQS on loopback for ``make dev``: the app's boto3 client sends to it, ``@app.on_sqs_message``
handlers are fed from it the way Lambda's event source mapping would.

The HTTP side speaks the AWS JSON protocol that botocore uses for SQS (``SendMessage``,
``SendMessageBatch``, ``GetQueueUrl``, ``GetQueueAttributes`` with the approximate counts). The
consumer side invokes the handler with SQS-shaped records (up to the batch size), honours
``DelaySeconds``, reads ``batchItemFailures`` (partial batch responses), makes failed messages
visible again after the visibility timeout and moves a message to the queue's dead-letter list
after ``max_receive`` receives — as a redrive policy would. With a data folder the queues are
kept in ``queues.json`` (written on every change), so a restart loses nothing queued.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from chalice.local import LambdaContext

log = logging.getLogger("local_gateway")
ACCOUNT = "000000000000"


@dataclass
class Message:
    message_id: str
    body: str
    sent_at: float
    visible_at: float
    receive_count: int = 0


@dataclass
class Queue:
    name: str
    messages: list[Message] = field(default_factory=list)
    dead: list[Message] = field(default_factory=list)
    sent: int = 0
    delivered: int = 0


class LocalQueues:
    """Every queue of the gateway, their HTTP endpoint and their store."""

    def __init__(self, store: Path | None = None, visibility_timeout: float = 5.0, max_receive: int = 5) -> None:
        self.store = store
        self.visibility_timeout = visibility_timeout
        self.max_receive = max_receive
        self.queues: dict[str, Queue] = {}
        self.changed = threading.Condition()
        self.endpoint = ""
        self._server: ThreadingHTTPServer | None = None
        self._load()

    # ----------------------------------------------------------------- store
    def _load(self) -> None:
        if self.store is None or not self.store.exists():
            return
        try:
            data = json.loads(self.store.read_text(encoding="utf-8"))
            for name, q in data.items():
                self.queues[name] = Queue(name, [Message(**m) for m in q.get("messages", [])],
                                          [Message(**m) for m in q.get("dead", [])])
        except (OSError, ValueError, TypeError) as exc:
            log.warning("queues: %s unreadable (%s); starting empty", self.store, exc)

    def _save(self) -> None:
        if self.store is None:
            return
        data = {name: {"messages": [asdict(m) for m in q.messages], "dead": [asdict(m) for m in q.dead]}
                for name, q in self.queues.items()}
        tmp = self.store.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(self.store)

    # ----------------------------------------------------------------- producer side
    def queue(self, name: str) -> Queue:
        return self.queues.setdefault(name, Queue(name))

    def url(self, name: str) -> str:
        return f"{self.endpoint}/{ACCOUNT}/{name}"

    def send(self, name: str, body: str, delay_seconds: int = 0) -> str:
        message = Message(str(uuid.uuid4()), body, time.time(), time.time() + max(0, min(900, int(delay_seconds))))
        with self.changed:
            q = self.queue(name)
            q.messages.append(message)
            q.sent += 1
            self._save()
            self.changed.notify_all()
        return message.message_id

    # ----------------------------------------------------------------- consumer side
    def receive(self, name: str, limit: int, timeout: float) -> list[Message]:
        """Up to ``limit`` visible messages, made invisible for the visibility timeout; waits up
        to ``timeout`` seconds for one (long polling)."""
        deadline = time.time() + timeout
        with self.changed:
            while True:
                now = time.time()
                q = self.queue(name)
                ready = [m for m in q.messages if m.visible_at <= now][:limit]
                if ready:
                    for m in ready:
                        m.receive_count += 1
                        m.visible_at = now + self.visibility_timeout
                    self._save()
                    return ready
                upcoming = [m.visible_at for m in q.messages if m.visible_at > now]
                wait = min([deadline - now] + [t - now for t in upcoming])
                if wait <= 0:
                    return []
                self.changed.wait(wait)

    def settle(self, name: str, done: list[Message], failed: list[Message]) -> None:
        """Delete the handled messages; failed ones wait for their visibility timeout, or go to
        the dead-letter list after ``max_receive`` receives."""
        with self.changed:
            q = self.queue(name)
            gone = {m.message_id for m in done}
            for m in failed:
                if m.receive_count >= self.max_receive:
                    gone.add(m.message_id)
                    q.dead.append(m)
                    log.error("queue %s: message %s moved to the dead-letter list after %d receives", name,
                              m.message_id, m.receive_count)
            q.messages = [m for m in q.messages if m.message_id not in gone]
            q.delivered += len(done)
            self._save()

    def info(self) -> dict[str, Any]:
        now = time.time()
        with self.changed:
            return {"endpoint": self.endpoint, "queues": [
                {"name": q.name, "visible": sum(1 for m in q.messages if m.visible_at <= now),
                 "delayed_or_in_flight": sum(1 for m in q.messages if m.visible_at > now), "dead": len(q.dead),
                 "sent": q.sent, "delivered": q.delivered} for q in self.queues.values()]}

    # ----------------------------------------------------------------- HTTP (AWS JSON 1.0)
    def start(self, host: str = "127.0.0.1") -> None:
        queues = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:  # the access log is the gateway's, not stderr
                pass

            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                length = int(self.headers.get("Content-Length") or 0)
                target = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
                try:
                    request = json.loads(self.rfile.read(length) or b"{}")
                    status, reply = queues.answer(target, request)
                except (ValueError, KeyError, TypeError) as exc:
                    status, reply = 400, {"__type": "com.amazonaws.sqs#InvalidParameterValue", "message": str(exc)}
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer((host, 0), Handler)
        self._server.daemon_threads = True
        self.endpoint = f"http://{host}:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, name="local-sqs", daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        with self.changed:
            self._save()
            self.changed.notify_all()

    def answer(self, target: str, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """One SQS API call."""
        if target == "GetQueueUrl":
            return 200, {"QueueUrl": self.url(request["QueueName"])}
        name = str(request.get("QueueUrl", "")).rstrip("/").rpartition("/")[2]
        if not name:
            raise ValueError("QueueUrl is required")
        if target == "SendMessage":
            body = str(request["MessageBody"])
            message_id = self.send(name, body, int(request.get("DelaySeconds") or 0))
            return 200, {"MessageId": message_id, "MD5OfMessageBody": hashlib.md5(body.encode()).hexdigest()}
        if target == "SendMessageBatch":
            ok = []
            for entry in request.get("Entries", []):
                body = str(entry["MessageBody"])
                ok.append({"Id": entry["Id"], "MessageId": self.send(name, body, int(entry.get("DelaySeconds") or 0)),
                           "MD5OfMessageBody": hashlib.md5(body.encode()).hexdigest()})
            return 200, {"Successful": ok, "Failed": []}
        if target == "GetQueueAttributes":
            info = next((q for q in self.info()["queues"] if q["name"] == name), {"visible": 0,
                                                                                   "delayed_or_in_flight": 0})
            return 200, {"Attributes": {"ApproximateNumberOfMessages": str(info["visible"]),
                                        "ApproximateNumberOfMessagesNotVisible": str(info["delayed_or_in_flight"])}}
        return 400, {"__type": "com.amazonaws.sqs#UnsupportedOperation", "message": f"{target} is not emulated"}


class QueuePoller(threading.Thread):
    """Feeds one ``@app.on_sqs_message`` handler from its local queue (like an event source mapping)."""

    def __init__(self, queues: LocalQueues, handler: Callable[..., Any], name: str, queue_arn: str,
                 batch_size: int, region: str) -> None:
        super().__init__(name=f"sqs-{name}", daemon=True)
        self.queues, self.handler, self.function_name = queues, handler, name
        self.queue_arn = queue_arn
        self.queue_name = queue_arn.rpartition(":")[2]
        self.batch_size = max(1, min(int(batch_size or 10), 10))
        self.region = region
        self.stopping = threading.Event()
        self.batches = self.failures = 0

    def _record(self, m: Message) -> dict[str, Any]:
        return {"messageId": m.message_id, "receiptHandle": m.message_id, "body": m.body,
                "attributes": {"ApproximateReceiveCount": str(m.receive_count),
                               "SentTimestamp": str(int(m.sent_at * 1000)),
                               "ApproximateFirstReceiveTimestamp": str(int(time.time() * 1000))},
                "messageAttributes": {}, "md5OfBody": hashlib.md5(m.body.encode()).hexdigest(),
                "eventSource": "aws:sqs", "eventSourceARN": self.queue_arn, "awsRegion": self.region}

    def run(self) -> None:
        while not self.stopping.is_set():
            batch = self.queues.receive(self.queue_name, self.batch_size, timeout=1.0)
            if not batch:
                continue
            self.batches += 1
            context = LambdaContext(function_name=self.function_name, memory_size=256, max_runtime_ms=60_000)
            try:
                response = self.handler({"Records": [self._record(m) for m in batch]}, context)
                ids = {str(f.get("itemIdentifier")) for f in (response or {}).get("batchItemFailures") or []}
            except Exception:  # noqa: BLE001 - a crashed invocation: every message comes back
                log.exception("queue handler %s raised; the batch becomes visible again", self.function_name)
                ids = {m.message_id for m in batch}
            failed = [m for m in batch if m.message_id in ids]
            self.failures += len(failed)
            self.queues.settle(self.queue_name, [m for m in batch if m.message_id not in ids], failed)

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout)

    def info(self) -> dict[str, Any]:
        return {"function": self.function_name, "queue": self.queue_name, "batches": self.batches,
                "failed_messages": self.failures}


def queue_pollers_for(app: Any, app_module: Any, queues: LocalQueues, region: str) -> list[QueuePoller]:
    """One poller per ``@app.on_sqs_message`` handler of ``app``."""
    from chalice.app import SQSEventConfig

    pollers = []
    for source in getattr(app, "event_sources", []):
        if isinstance(source, SQSEventConfig):
            arn = source.queue_arn or f"arn:aws:sqs:{region}:{ACCOUNT}:{source.queue}"
            # ``maximum_concurrency``: that many invocations at once, as Lambda would run them
            for _ in range(max(1, source.maximum_concurrency or 1)):
                pollers.append(QueuePoller(queues, getattr(app_module, source.name), source.name, arn,
                                           source.batch_size, region))
    return pollers
