"""Structured JSON logging and EMF metrics (aws-lambda-powertools), wired once.

:func:`middleware` is registered on the Chalice app for every event type (REST, WebSocket,
DynamoDB Streams): it puts the correlation ids of the invocation on every log line (Lambda
request id, API Gateway request id, WebSocket connection id, room id) and flushes the EMF
metrics the code added during the invocation. It never reads bodies beyond a frame's
``type`` and ``room_id``: passwords, tokens, tickets and message contents stay out of logs.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME", "incident-response")

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "IncidentResponse"), service=SERVICE)

_cold_start = True


_metrics_lock = threading.Lock()


def add_metric(name: str, unit: str, value: float) -> None:
    """Add an EMF metric to this invocation's set (flushed by :func:`middleware`).

    Under the same lock as the flush: where invocations share a process (the local gateway runs
    them on threads; a Lambda container runs one at a time) a metric added during another
    invocation's flush would change the set while it is serialised."""
    with _metrics_lock:
        metrics.add_metric(name=name, unit=unit, value=value)


def flush_metrics() -> None:
    """Print the pending EMF metrics (one JSON line; CloudWatch turns it into metrics).

    Never raises: a metric that cannot be written must not fail the invocation that added it
    (its response — a message's ``ack`` — would be lost). The lock covers taking the set
    ("anything to flush?", serialise, clear: no :func:`add_metric` runs meanwhile) but not the
    write to stdout: where invocations share a process, one adding a metric on a message's ack
    path waited for another's print (a blocked pipe held everyone). powertools' own flush is
    the same three steps with the print in the middle."""
    with _metrics_lock:
        if not metrics.metric_set:
            return
        try:
            line = None if is_metrics_disabled() else json.dumps(metrics.serialize_metric_set(), separators=(",", ":"))
        except Exception:  # noqa: BLE001 - observability must never break a request
            logger.warning("metrics not flushed", exc_info=True)
            line = None
        metrics.clear_metrics()  # a set that cannot be serialised is not tried again with every invocation
    if line is not None:
        print(line)


def _safe_id(value: Any) -> str | None:
    """An id-looking value (never a whole body) or None."""
    if isinstance(value, str) and 0 < len(value) <= 128:
        return value
    return None


def correlation_keys(event: Any) -> dict[str, Any]:
    """Correlation ids of a Chalice event object (Request, WebsocketEvent, DynamoDBEvent...)."""
    global _cold_start
    keys: dict[str, Any] = {"cold_start": _cold_start}
    _cold_start = False
    context = getattr(event, "context", None)
    lambda_context = getattr(event, "lambda_context", None) or context
    request_id = getattr(lambda_context, "aws_request_id", None)
    if request_id:
        keys["function_request_id"] = request_id
    raw: dict[str, Any] = {}
    to_dict = getattr(event, "to_dict", None)
    if callable(to_dict) and not hasattr(event, "method"):  # a REST Request: its context suffices
        try:
            raw = dict(to_dict() or {})
        except Exception:  # noqa: BLE001 - correlation is best effort
            raw = {}
    request_context = raw.get("requestContext") or (context if isinstance(context, dict) else {}) or {}
    if _safe_id(request_context.get("requestId")):
        keys["request_id"] = request_context["requestId"]
    connection_id = _safe_id(getattr(event, "connection_id", None) or request_context.get("connectionId"))
    if connection_id:
        keys["connection_id"] = connection_id
        if request_context.get("routeKey"):
            keys["route"] = request_context["routeKey"]
        body = raw.get("body")
        if isinstance(body, str) and body.startswith("{") and len(body) < 200_000:
            try:
                frame = json.loads(body)
            except ValueError:
                frame = None
            if isinstance(frame, dict):
                for name in ("type", "room_id"):
                    if _safe_id(frame.get(name)):
                        keys["frame_type" if name == "type" else name] = frame[name]
    uri_params = getattr(event, "uri_params", None)
    if isinstance(uri_params, dict) and _safe_id(uri_params.get("room_id")):
        keys["room_id"] = uri_params["room_id"]
    if getattr(event, "method", None) and request_context.get("resourcePath"):
        keys["route"] = f"{event.method} {request_context['resourcePath']}"
    records = raw.get("Records")
    if isinstance(records, list):
        keys["records"] = len(records)
    return keys


def middleware(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Chalice middleware for ``'all'`` event types: correlation ids in, metrics out.

    The ids are the invocation thread's own keys (powertools' thread-safe keys): where
    invocations share a process (the local gateway's threads) one's ids never land on another's
    log lines; on Lambda a container runs one invocation at a time and it is the same."""
    logger.thread_safe_clear_keys()
    try:
        logger.thread_safe_append_keys(**correlation_keys(event))
    except Exception:  # noqa: BLE001 - observability must never break a request
        pass
    started = time.perf_counter()
    try:
        return get_response(event)
    finally:
        try:
            logger.debug("invocation handled", extra={"duration_ms": round((time.perf_counter() - started) * 1000, 1)})
            flush_metrics()
        finally:
            logger.thread_safe_clear_keys()
