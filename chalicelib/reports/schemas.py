"""Query strings of the report routes: an inclusive range of plant days (at most 366 days, ``from``
not after ``to``) and the grouping."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from chalicelib.core.schema import Schema

MAX_DAYS = 366
DAY = r"^\d{4}-\d{2}-\d{2}$"
EARLIEST, LATEST = date(1970, 1, 1), date(9998, 12, 31)  # plant days a time zone can turn into UTC


class ReportRange(Schema):
    """``from`` / ``to``: ``YYYY-MM-DD`` days in the plant's time zone, both included."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    start: str = Field(alias="from", pattern=DAY)
    end: str = Field(alias="to", pattern=DAY)

    @model_validator(mode="after")
    def _sane(self) -> ReportRange:
        try:
            first, last = date.fromisoformat(self.start), date.fromisoformat(self.end)
        except ValueError:
            raise ValueError("from and to must be real days (YYYY-MM-DD)") from None
        if first < EARLIEST or last > LATEST:
            raise ValueError(f"days are between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
        if last < first:
            raise ValueError("to is before from")
        if (last - first).days + 1 > MAX_DAYS:
            raise ValueError(f"a report covers at most {MAX_DAYS} days")
        return self

    @property
    def days(self) -> tuple[date, date]:
        return date.fromisoformat(self.start), date.fromisoformat(self.end)


class SummaryQuery(ReportRange):
    """``GET /api/reports/summary``."""

    group_by: Literal["line", "station", "event_code", "root_cause", "severity"] = "line"


class ParetoQuery(ReportRange):
    """``GET /api/reports/pareto``."""

    by: Literal["root_cause", "event_code", "station"] = "root_cause"
    measure: Literal["count", "downtime"] = "count"
