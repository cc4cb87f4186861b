"""Binding of pynamodb models to their tables, and table creation on any endpoint.

Every model declares a short ``Meta.table_name`` (its logical name); :func:`bind_models`
prefixes it with ``TABLE_PREFIX`` and points it at the configured endpoint/region. The same
models therefore serve AWS, DynamoDB Local and moto without any code knowing which.
"""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.connection import Connection
from pynamodb.exceptions import PynamoDBException
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.core.settings import Settings, get_settings

_BOUND: dict[type[Model], tuple[str, str | None, str]] = {}


def register(model: type[Model]) -> type[Model]:
    """Class decorator: remember the model's logical table name and use on-demand billing.

    The app's list of models is ``chalicelib.tables.MODELS``; this only prepares one model."""
    model.Meta.logical_name = model.Meta.table_name  # type: ignore[attr-defined]
    model.Meta.billing_mode = "PAY_PER_REQUEST"  # type: ignore[attr-defined]
    return model


def logical_name(model: type[Model]) -> str:
    """A model's short table name (``messages``)."""
    return str(model.Meta.logical_name)  # type: ignore[attr-defined]


def table_name(logical: str, settings: Settings | None = None) -> str:
    """Physical table name for a logical one (``messages`` → ``incident-dev-messages``)."""
    return f"{(settings or get_settings()).table_prefix}-{logical}"


def bind_models(models: Iterable[type[Model]], settings: Settings | None = None) -> None:
    """Point the models at their tables on the configured endpoint; cheap and idempotent."""
    settings = settings or get_settings()
    for model in models:
        target = (table_name(logical_name(model), settings), settings.dynamodb_endpoint, settings.region)
        if _BOUND.get(model) == target:
            continue
        model.Meta.table_name, model.Meta.host, model.Meta.region = target
        model._connection = None  # drop the cached connection to the old table
        _BOUND[model] = target


def create_tables(models: Iterable[type[Model]]) -> list[str]:
    """Create the missing tables (with streams, GSIs, TTL); returns the names created."""
    models = list(models)
    bind_models(models)
    created = []
    for model in models:
        if not model.exists():
            model.create_table(wait=True, ignore_update_ttl_errors=True)
            created.append(model.Meta.table_name)
    return created


def delete_tables(models: Iterable[type[Model]]) -> None:
    """Drop the tables (tests only)."""
    models = list(models)
    bind_models(models)
    for model in models:
        if model.exists():
            model.delete_table()


_CONNECTIONS: dict[tuple[str, str | None], Connection] = {}


def transaction() -> TransactWrite:
    """A ``TransactWrite`` on the configured endpoint (its connection is built once: botocore
    clients are expensive to create)."""
    settings = get_settings()
    key = (settings.region, settings.dynamodb_endpoint)
    connection = _CONNECTIONS.get(key)
    if connection is None:
        connection = _CONNECTIONS[key] = Connection(region=settings.region, host=settings.dynamodb_endpoint)
    return TransactWrite(connection=connection)


def condition_failed(exc: PynamoDBException) -> bool:
    """True when a write was refused by its condition — not throttling, not an outage (those
    must reach the caller as 429/503, never be mistaken for "changed meanwhile")."""
    return exc.cause_response_code == "ConditionalCheckFailedException"
