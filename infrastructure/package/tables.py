"""One ``AWS::DynamoDB::Table`` per model of ``chalicelib.tables.MODELS`` (keys, indexes,
stream, TTL, PITR, retention)."""

from __future__ import annotations

import re
from typing import Any

# Tables whose loss costs nothing but a re-login / reconnect; every other table is retained
# when the stack is deleted (and protected from deletion in prod).
EPHEMERAL_TABLES = {"sessions", "refresh-tokens", "login-failures", "ws-tickets", "connections", "subscriptions",
                    "presence"}

def resource_name(logical: str) -> str:
    """``refresh-tokens`` → ``RefreshTokensTable``."""
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", logical) if part) + "Table"


def _keys(key_schema: list[dict[str, str]]) -> list[dict[str, str]]:
    order = {"HASH": 0, "RANGE": 1}
    return [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]}
            for k in sorted(key_schema, key=lambda k: order[k["KeyType"]])]


def _projection(projection: dict[str, Any]) -> dict[str, Any]:
    out = {"ProjectionType": projection["ProjectionType"]}
    if projection.get("NonKeyAttributes"):
        out["NonKeyAttributes"] = list(projection["NonKeyAttributes"])
    return out


def table_resource(model: Any) -> dict[str, Any]:
    """The ``AWS::DynamoDB::Table`` of one pynamodb model."""
    from pynamodb.attributes import TTLAttribute

    schema = model._get_schema()
    logical = model.Meta.logical_name
    props: dict[str, Any] = {
        "TableName": {"Fn::Sub": "${TablePrefix}-" + logical},
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": sorted(
            ({"AttributeName": a["AttributeName"], "AttributeType": a["AttributeType"]}
             for a in schema["attribute_definitions"]), key=lambda a: a["AttributeName"]),
        "KeySchema": _keys(schema["key_schema"]),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
    }
    gsis = sorted(schema.get("global_secondary_indexes") or [], key=lambda i: i["index_name"])
    if gsis:
        props["GlobalSecondaryIndexes"] = [
            {"IndexName": i["index_name"], "KeySchema": _keys(i["key_schema"]),
             "Projection": _projection(i["projection"])} for i in gsis]
    lsis = sorted(schema.get("local_secondary_indexes") or [], key=lambda i: i["index_name"])
    if lsis:
        props["LocalSecondaryIndexes"] = [
            {"IndexName": i["index_name"], "KeySchema": _keys(i["key_schema"]),
             "Projection": _projection(i["projection"])} for i in lsis]
    stream = getattr(model.Meta, "stream_view_type", None)
    if stream:
        props["StreamSpecification"] = {"StreamViewType": stream}
    ttl = [attr.attr_name for attr in model.get_attributes().values() if isinstance(attr, TTLAttribute)]
    if ttl:
        props["TimeToLiveSpecification"] = {"AttributeName": ttl[0], "Enabled": True}
    resource: dict[str, Any] = {"Type": "AWS::DynamoDB::Table", "Properties": props}
    if logical not in EPHEMERAL_TABLES:  # durable data (rooms, messages, files, audit): kept on stack deletion
        props["DeletionProtectionEnabled"] = {"Fn::If": ["IsProd", True, False]}
        resource["DeletionPolicy"] = "Retain"
        resource["UpdateReplacePolicy"] = "Retain"
    return resource


def models_by_logical() -> dict[str, Any]:
    from chalicelib import tables

    return {m.Meta.logical_name: m for m in tables.MODELS}
