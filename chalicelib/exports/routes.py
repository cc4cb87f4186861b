"""REST routes of the exports (thin: declare, call the service)."""

from __future__ import annotations

from chalice import Blueprint, Response

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.exports import qr, service
from chalicelib.exports.schemas import ReportQuery

bp = Blueprint(__name__)


@authed_route(bp, "/rooms/{room_id}/report", methods=["GET"], query=ReportQuery,
              media_types=("text/markdown", "application/pdf"))
def room_report(principal: Principal, room_id: str, query: ReportQuery) -> Response:
    """The room's incident report as Markdown or PDF (any member)."""
    body, content_type, name = service.export(room_id, principal, query.format)
    return Response(body=body, status_code=200,
                    headers={"Content-Type": content_type, "Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@authed_route(bp, "/plant/lines/{line_id}/qr-sheet", methods=["GET"], media_types=("image/svg+xml",))
def line_qr_sheet(principal: Principal, line_id: str) -> Response:
    """One QR code per station of the line, as SVG to print (administrators)."""
    headers = bp.current_request.headers
    origin = headers.get("origin") or f"{headers.get('x-forwarded-proto', 'http')}://{headers.get('host', 'localhost')}"
    return Response(body=qr.qr_sheet(principal, line_id, origin), status_code=200,
                    headers={"Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "no-store"})
