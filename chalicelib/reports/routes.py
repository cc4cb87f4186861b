"""REST routes of the reports (thin: declare, call the service)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.auth.http import authed_route
from chalicelib.auth.principal import Principal
from chalicelib.reports import export, service
from chalicelib.reports.schemas import ParetoQuery, ReportRange, SummaryQuery

bp = Blueprint(__name__)


@authed_route(bp, "/reports/summary", methods=["GET"], query=SummaryQuery)
def report_summary(principal: Principal, query: SummaryQuery) -> dict[str, Any]:
    """Counts, MTTA/MTTR (median, mean, p90) and downtime per group (administrators)."""
    return service.summary(principal, query)


@authed_route(bp, "/reports/pareto", methods=["GET"], query=ParetoQuery)
def report_pareto(principal: Principal, query: ParetoQuery) -> dict[str, Any]:
    """Causes by count or downtime, descending, with cumulative % (administrators)."""
    return service.pareto(principal, query)


@authed_route(bp, "/reports/incidents.csv", methods=["GET"], query=ReportRange, media_types=("text/csv",))
def report_incidents_csv(principal: Principal, query: ReportRange) -> Response:
    """One row per room opened in the range, UTF-8 with BOM (administrators)."""
    filename = f"incidents_{query.start}_{query.end}.csv"
    return Response(body=export.incidents_csv(principal, query), status_code=200,
                    headers={"Content-Type": "text/csv; charset=utf-8",
                             "Content-Disposition": f'attachment; filename="{filename}"'})
