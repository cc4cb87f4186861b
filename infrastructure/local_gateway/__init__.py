"""Development-only local API Gateway for the Chalice app.

One aiohttp server that does, on one port, what AWS does around the Lambda functions:

* REST under ``/api/*`` through ``chalice.local.LocalGateway`` (stage prefix ``api``);
* WebSockets at ``/ws`` and ``/ws/{room_id}`` invoking ``$connect``/``$default``/``$disconnect``
  with API Gateway-shaped events, plus the Management API (``/@connections/{id}``);
* the DynamoDB Streams event source mapping (polling, Lambda-shaped batches, partial batch
  failures);
* the built SPA.

Run it with ``python -m infrastructure.local_gateway --help``. Nothing in ``chalicelib``
knows about this package.
"""
