"""Binding of pynamodb models to their tables, and table creation on any endpoint.

Every model declares a short ``Meta.table_name`` (its logical name); :func:`bind_models`
prefixes it with ``TABLE_PREFIX`` and points it at the configured endpoint/region. The same
models therefore serve AWS, DynamoDB Local and moto without any code knowing which.
"""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.connection import Connection
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.core.settings import Settings, get_settings

_REGISTRY: list[type[Model]] = []
_BOUND: dict[type[Model], tuple[str, str | None, str]] = {}


def register(model: type[Model]) -> type[Model]:
    """Class decorator: remember a model so it gets bound and created with the others."""
    model.Meta.logical_name = model.Meta.table_name  # type: ignore[attr-defined]
    model.Meta.billing_mode = "PAY_PER_REQUEST"  # type: ignore[attr-defined]
    _REGISTRY.append(model)
    return model


def table_name(logical: str, settings: Settings | None = None) -> str:
    """Physical table name for a logical one (``messages`` → ``incident-dev-messages``)."""
    return f"{(settings or get_settings()).table_prefix}-{logical}"


def bind_models(settings: Settings | None = None) -> list[type[Model]]:
    """Point every registered model at its table; cheap and idempotent."""
    settings = settings or get_settings()
    for model in _REGISTRY:
        target = (table_name(model.Meta.logical_name, settings), settings.dynamodb_endpoint, settings.region)  # type: ignore[attr-defined]
        if _BOUND.get(model) == target:
            continue
        model.Meta.table_name, model.Meta.host, model.Meta.region = target
        model._connection = None  # drop the cached connection to the old table
        _BOUND[model] = target
    return list(_REGISTRY)


def all_models() -> list[type[Model]]:
    """Every registered model (importing the domain model modules registers them)."""
    import chalicelib.auth.models  # noqa: F401
    import chalicelib.files.models  # noqa: F401
    import chalicelib.messaging.models  # noqa: F401
    import chalicelib.realtime.models  # noqa: F401
    import chalicelib.rooms.models  # noqa: F401

    return list(_REGISTRY)


def create_tables(models: Iterable[type[Model]] | None = None) -> list[str]:
    """Create missing tables (with streams, GSIs, TTL); returns the names created."""
    models = list(models) if models is not None else all_models()
    bind_models()
    created = []
    for model in models:
        if not model.exists():
            model.create_table(wait=True, ignore_update_ttl_errors=True)
            created.append(model.Meta.table_name)
    return created


def delete_tables(models: Iterable[type[Model]] | None = None) -> None:
    """Drop the tables (tests only)."""
    models = list(models) if models is not None else all_models()
    bind_models()
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
