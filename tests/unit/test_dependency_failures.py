"""DynamoDB throttling and outages answer 429 / 503 (REST) and error frames (WebSocket), never 500."""

from __future__ import annotations

import json
import uuid
from typing import Any

from botocore.exceptions import ClientError, EndpointConnectionError
from pynamodb.exceptions import GetError, QueryError

from tests.builders import Api, last_frame, message_frame, open_socket, send


def _throttled(operation: str) -> ClientError:
    return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                       operation)


def test_throttled_query_is_429_with_retry_after(api: Api, monkeypatch: Any) -> None:
    from chalicelib.rooms.models import MembershipModel

    def throttled(*_: Any, **__: Any) -> Any:
        raise QueryError("Failed to query items", _throttled("Query"))

    monkeypatch.setattr(MembershipModel.by_user, "query", throttled)
    response = api.call("viewer", "GET", "/rooms")
    assert response.status_code == 429
    assert response.json_body["error"]["code"] == "rate_limited"
    assert response.headers["Retry-After"] == "1"


def test_unreachable_dynamodb_is_503(api: Api, monkeypatch: Any) -> None:
    from chalicelib.rooms.models import RoomModel

    room = api.standard_room()

    def down(*_: Any, **__: Any) -> Any:
        raise GetError("Failed to get item", EndpointConnectionError(endpoint_url="http://dynamodb"))

    monkeypatch.setattr(RoomModel, "get", down)
    response = api.call("viewer", "GET", f"/rooms/{room}")
    assert response.status_code == 503
    assert response.json_body["error"]["code"] == "unavailable"


def test_throttled_send_is_an_error_frame_with_the_client_id(api: Api, management_api: Any,
                                                            monkeypatch: Any) -> None:
    from chalicelib.timeline import service

    room = api.standard_room()
    open_socket(api, "editor", "e")

    def throttled(*_: Any, **__: Any) -> Any:
        raise QueryError("Failed to query items", _throttled("Query"))

    monkeypatch.setattr(service, "last_sequence", throttled)
    service.forget_sequences()  # a container that has not written to the room yet reads its last number
    message = message_frame(room, client_id=str(uuid.uuid4()))
    send("e", json.dumps(message))
    error = last_frame(management_api, "e")
    assert error == {"type": "error", "code": "rate_limited", "message": "The service is busy; retry in a moment",
                     "client_id": message["client_id"]}
