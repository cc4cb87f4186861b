"""REST routes of incident rooms.

The foundation ships the list endpoint the SPA's room list needs; rooms, members and
templates proper arrive with their own issue (they will be served by Query on indexes).
"""

from __future__ import annotations

from typing import Any, Literal

from chalice import Blueprint
from pydantic import BaseModel, ConfigDict, Field

from chalicelib.auth.service import authenticate_bearer
from chalicelib.core.http import parse_query, route

bp = Blueprint(__name__)


class ListRoomsQuery(BaseModel):
    """Query string of ``GET /api/rooms``."""

    model_config = ConfigDict(extra="forbid")
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)
    status: Literal["active", "resolved", "archived"] | None = None
    incident_type: Literal["equipment_failure", "quality_issue", "material_shortage", "safety", "other"] | None = None
    severity: Literal["low", "medium", "high", "critical"] | None = None
    q: str | None = Field(default=None, max_length=200)
    scope: Literal["mine", "all"] = "mine"


@route(bp, "/rooms", methods=["GET"])
def list_rooms() -> dict[str, Any]:
    authenticate_bearer(bp.current_request.headers.get("authorization"))
    parse_query(bp.current_request, ListRoomsQuery)
    return {"rooms": [], "next_cursor": None}
