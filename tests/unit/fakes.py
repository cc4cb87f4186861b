"""A fake API Gateway Management API client that records frames and answers 410 for the gone."""

from __future__ import annotations

import json
import threading
from typing import Any

from botocore.exceptions import ClientError


class FakeManagementApi:
    """Stands in for boto3's ``apigatewaymanagementapi`` client."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.closed: list[str] = []
        self.gone: set[str] = set()
        self.broken: set[str] = set()
        self.gone_posts: list[str] = []  # posts answered 410 Gone
        self._lock = threading.Lock()

    def post_to_connection(self, ConnectionId: str, Data: bytes) -> dict[str, Any]:  # noqa: N803
        if ConnectionId in self.gone:
            with self._lock:
                self.gone_posts.append(ConnectionId)
            raise ClientError({"Error": {"Code": "GoneException", "Message": ""},
                               "ResponseMetadata": {"HTTPStatusCode": 410}}, "PostToConnection")
        if ConnectionId in self.broken:
            raise ClientError({"Error": {"Code": "InternalServerError", "Message": ""},
                               "ResponseMetadata": {"HTTPStatusCode": 500}}, "PostToConnection")
        with self._lock:
            self.sent.append((ConnectionId, json.loads(Data)))
        return {}

    def delete_connection(self, ConnectionId: str) -> dict[str, Any]:  # noqa: N803
        if ConnectionId in self.gone:
            raise ClientError({"Error": {"Code": "GoneException", "Message": ""},
                               "ResponseMetadata": {"HTTPStatusCode": 410}}, "DeleteConnection")
        with self._lock:
            self.closed.append(ConnectionId)
        self.gone.add(ConnectionId)
        return {}

    def frames(self, connection_id: str) -> list[dict[str, Any]]:
        """Frames delivered to one connection, in order."""
        return [frame for cid, frame in self.sent if cid == connection_id]
