"""REST routes of the plant hierarchy (thin: declare, call the service)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.core.http import ANY_CONTENT
from chalicelib.plant import service
from chalicelib.plant.schemas import PlantTree

bp = Blueprint(__name__)


@authed_route(bp, "/plant", methods=["GET"])
def get_plant(principal: Principal) -> dict[str, Any]:
    """The plant: sites, areas, lines, stations."""
    return service.get_plant()


@authed_route(bp, "/plant", methods=["PUT"], body=PlantTree)
def put_plant(principal: Principal, body: PlantTree) -> dict[str, Any]:
    """Replace the plant tree (administrators; removed nodes are retired)."""
    return service.put_plant(principal, body)


@authed_route(bp, "/plant/import", methods=["POST"], content_types=["text/csv", *ANY_CONTENT])
def import_plant(principal: Principal) -> dict[str, Any]:
    """Replace the plant from CSV ``site,area,line,station`` (administrators)."""
    raw = bp.current_request.raw_body or b""
    return service.import_csv(principal, raw.encode("utf-8") if isinstance(raw, str) else raw)
