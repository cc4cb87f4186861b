"""Table creation from the pynamodb models: keys, GSIs, streams, TTL, on-demand billing."""

from __future__ import annotations

import boto3

from chalicelib import tables


def test_every_table_is_created_with_its_indexes_streams_and_ttl(aws: None) -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    names = {m.Meta.table_name for m in tables.MODELS}
    assert names <= set(client.list_tables()["TableNames"])
    assert tables.create_all() == []  # idempotent
    messages = client.describe_table(TableName="unit-messages")["Table"]
    assert messages["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert messages["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    subs = client.describe_table(TableName="unit-subscriptions")["Table"]
    assert [i["IndexName"] for i in subs["GlobalSecondaryIndexes"]] == ["connection-index"]
    conns = client.describe_table(TableName="unit-connections")["Table"]
    assert [i["IndexName"] for i in conns["GlobalSecondaryIndexes"]] == ["user-index"]
    for table in ["unit-sessions", "unit-refresh-tokens", "unit-ws-tickets", "unit-connections",
                  "unit-subscriptions", "unit-presence", "unit-login-failures"]:
        ttl = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
        assert ttl["TimeToLiveStatus"] == "ENABLED" and ttl["AttributeName"] == "expires_at", table
