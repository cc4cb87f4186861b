"""Development-only local API Gateway for the Chalice app.

One aiohttp server that does, on one port, what AWS does around the Lambda functions:

* REST under ``/api/*`` through ``chalice.local.LocalGateway`` (stage prefix ``api``);
* WebSockets at ``/ws`` and ``/ws/{room_id}`` invoking ``$connect``/``$default``/``$disconnect``
  with API Gateway-shaped events, plus the Management API (``/@connections/{id}``);
* the DynamoDB Streams event source mapping (polling, Lambda-shaped batches, partial batch
  failures, checkpoints that survive a restart, iterator age);
* the built SPA.

Behind it, by default (``make dev``), real servers that keep their data under one folder
(``.local/data``): DynamoDB Local and SeaweedFS, started and stopped by the gateway
(``services.py``); ``--store memory`` is moto in-process, single user only. The stream
pollers' iterator age and records given up are in ``/__local/info``;
``python -m infrastructure.local_gateway.burst`` checks a running stack under a concurrent burst.

Run it with ``python -m infrastructure.local_gateway --help``. Nothing in ``chalicelib``
knows about this package.
"""
