"""Wiring only: blueprints, WebSocket hooks and stream handlers delegate to ``chalicelib``.

The ``@app.on_ws_*`` decorators must stay in this module (on a Blueprint Chalice registers
them without its wrapper). Settings are read lazily, so importing this module is cheap.
"""

from __future__ import annotations

import gc

# Cold start: every function imports this module, and importing it creates ~57,000 objects the
# cyclic garbage collector tracks (modules, classes, schemas, pynamodb models), all of them kept.
# The collector would walk them again and again while they are being created (~10-15 % of the
# import's CPU); it is paused until the end of this module.
gc.disable()

import os
from importlib import import_module
from typing import Any

from chalice import Chalice, CORSConfig, Rate
from chalice.app import CloudWatchEvent, DynamoDBEvent, SQSEvent, WebsocketEvent

from chalicelib import tables
from chalicelib.connections.delivery import fanout_queue_name
from chalicelib.core.db import table_name
from chalicelib.core.observability import middleware as observability_middleware
from chalicelib.core.settings import load_settings
from chalicelib.outbound.queue import queue_name as outbound_queue_name

# The REST API's blueprints, in registration order.
ROUTE_MODULES = (
    "chalicelib.auth.routes",
    "chalicelib.rooms.routes",
    "chalicelib.messaging.routes",
    "chalicelib.files.routes",
    "chalicelib.notifications.routes",
    "chalicelib.plant.routes",
    "chalicelib.response.routes",
    "chalicelib.integrations.routes",
    "chalicelib.webhooks.routes",
    "chalicelib.catalog.routes",
    "chalicelib.reports.routes",
    "chalicelib.exports.routes",
    "chalicelib.core.openapi",
)

# Each function imports only what it runs. Lambda names the running handler in ``_HANDLER``:
# "app.app" is the REST API, the others are the functions below ("app.message_fanout", ...),
# which import their domain module on their first event. Outside Lambda (the local gateway,
# the tests, ``chalice package``) it is unset and every route is registered.
SERVES_REST_API = os.environ.get("_HANDLER", "app.app") == "app.app"

app = Chalice(app_name="incident-response")
app.experimental_feature_flags.update(["WEBSOCKETS"])
app.api.binary_types.append("application/pdf")  # the incident report (API Gateway returns it as bytes)

_origin = os.environ.get("CORS_ALLOW_ORIGIN", "").strip()
if _origin and SERVES_REST_API:
    # The SPA (CloudFront) and the API (execute-api) are different origins on AWS.
    app.api.cors = CORSConfig(allow_origin=_origin, allow_headers=["Authorization", "Content-Type"],
                              max_age=600)

if SERVES_REST_API:
    for _module in ROUTE_MODULES:
        app.register_blueprint(import_module(_module).bp)


# ------------------------------------------------------------------------------ WebSocket
@app.on_ws_connect()
def ws_connect(event: WebsocketEvent) -> dict[str, int]:
    """``$connect``: a valid single-use ticket or HTTP 401."""
    from chalicelib.realtime import service as realtime

    return realtime.connect(event.connection_id, event.to_dict().get("queryStringParameters"))


@app.on_ws_message()
def ws_message(event: WebsocketEvent) -> dict[str, Any]:
    """``$default``: every client frame (the last reply is the route response's body)."""
    from chalicelib.realtime import service as realtime

    return realtime.handle_frame(event.connection_id, event.to_dict().get("body"))


@app.on_ws_disconnect()
def ws_disconnect(event: WebsocketEvent) -> dict[str, int]:
    """``$disconnect``."""
    from chalicelib.realtime import service as realtime

    return realtime.disconnect(event.connection_id)


# ------------------------------------------------------------------------ stream fan-out
# The ARN is a placeholder at package time; the merge template points the event source
# at the real stream with Fn::GetAtt, and the local gateway reads the table name from it.
_settings = load_settings()  # uncached: importing the app must not freeze the settings


def _stream_arn(logical: str) -> str:
    return f"arn:aws:dynamodb:{_settings.region}:000000000000:table/{table_name(logical, _settings)}/stream/placeholder"


MESSAGES_STREAM_ARN = _stream_arn("messages")
MEMBERSHIPS_STREAM_ARN = _stream_arn("memberships")
ROOMS_STREAM_ARN = _stream_arn("rooms")
NOTIFICATIONS_STREAM_ARN = _stream_arn("notifications")
OUTBOUND_QUEUE_ARN = f"arn:aws:sqs:{_settings.region}:000000000000:{outbound_queue_name(_settings)}"
FANOUT_QUEUE_ARN = f"arn:aws:sqs:{_settings.region}:000000000000:{fanout_queue_name(_settings)}"


@app.on_dynamodb_record(stream_arn=MESSAGES_STREAM_ARN, batch_size=100, starting_position="LATEST")
def message_fanout(event: DynamoDBEvent) -> dict[str, Any]:
    """Messages table stream → every subscribed connection."""
    from chalicelib.messaging import fanout

    return fanout.handle_batch(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=MESSAGES_STREAM_ARN, batch_size=100, starting_position="LATEST")
def search_index(event: DynamoDBEvent) -> dict[str, Any]:
    """Messages table stream → the full-text index (the stream's second consumer)."""
    from chalicelib.messaging import search_index as message_search_index

    return message_search_index.handle_batch(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=MEMBERSHIPS_STREAM_ARN, batch_size=100, starting_position="LATEST")
def membership_fanout(event: DynamoDBEvent) -> dict[str, Any]:
    """Memberships stream → the affected user's connections (live room lists)."""
    from chalicelib.rooms import fanout as room_fanout

    return room_fanout.handle_batch(event.to_dict(), event.context)


@app.on_dynamodb_record(stream_arn=ROOMS_STREAM_ARN, batch_size=100, starting_position="LATEST")
def room_events(event: DynamoDBEvent) -> dict[str, Any]:
    """Rooms stream → the reports' daily rollup, and webhook deliveries (created, acknowledged,
    escalated, resolved) on the outbound queue. Both are idempotent, so a retried record is safe."""
    from chalicelib.core.streams import process_stream_batch

    return process_stream_batch(event.to_dict(), event.context, _room_changed)


def _room_changed(record: dict[str, Any]) -> None:
    from chalicelib.reports import rollup as report_rollup
    from chalicelib.webhooks import events as webhook_events

    report_rollup.handle_record(record)
    webhook_events.handle_record(record)


@app.on_dynamodb_record(stream_arn=NOTIFICATIONS_STREAM_ARN, batch_size=100, starting_position="LATEST")
def notification_fanout(event: DynamoDBEvent) -> dict[str, Any]:
    """Notifications stream → queued e-mails and Web Pushes (each user's settings decide)."""
    from chalicelib.notifications import channels as notification_channels

    return notification_channels.handle_batch(event.to_dict(), event.context)


# ------------------------------------------------------------------------ queues
@app.on_sqs_message(queue_arn=FANOUT_QUEUE_ARN, batch_size=1, maximum_concurrency=10)
def fanout_chunks(event: SQSEvent) -> dict[str, Any]:
    """The fan-out queue → one chunk of a large room's connections per invocation, in parallel."""
    from chalicelib.connections import delivery

    return delivery.handle_chunk_batch(event.to_dict(), event.context)


@app.on_sqs_message(queue_arn=OUTBOUND_QUEUE_ARN, batch_size=10)
def outbound_deliveries(event: SQSEvent) -> dict[str, Any]:
    """The outbound queue → e-mail, Web Push and webhook senders (retried with backoff, logged)."""
    from chalicelib import outbound
    from chalicelib.notifications import email, push
    from chalicelib.webhooks import sender as webhook

    return outbound.handle_batch(event.to_dict(), event.context,
                                 senders={"email": email.send, "push": push.send, "webhook": webhook.send})


# ------------------------------------------------------------------------ scheduled
@app.schedule(Rate(1, unit=Rate.MINUTES), name="escalate")
def escalate(event: CloudWatchEvent) -> dict[str, int]:
    """Every minute (EventBridge): fire the escalation steps that are due."""
    from chalicelib.rooms import escalation

    return escalation.run_due()


# Every invocation (REST, WebSocket and stream handlers alike): the models bound to the
# configured tables once, structured logs with correlation ids, EMF metrics flushed after.
app.register_middleware(tables.bind_middleware, "all")
app.register_middleware(observability_middleware, "all")

gc.enable()  # the import is over (see the top of this module)
