"""The plant tree as ``PUT /api/plant`` accepts it (ids stable, names plain text)."""

from __future__ import annotations

from pydantic import ConfigDict, Field, field_validator, model_validator

from chalicelib.core.schema import Schema
from chalicelib.core.text import clean_name

NODE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"


class Node(Schema):
    """Common: a name people read (no control or bidi characters, something visible)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)

    _name = field_validator("name")(classmethod(lambda cls, v: clean_name(v).strip()))


class Station(Node):
    station_id: str = Field(pattern=NODE_ID)


class Line(Node):
    line_id: str = Field(pattern=NODE_ID)
    stations: list[Station] = Field(default_factory=list, max_length=200)


class Area(Node):
    area_id: str = Field(pattern=NODE_ID)
    lines: list[Line] = Field(default_factory=list, max_length=200)


class Site(Node):
    site_id: str = Field(pattern=NODE_ID)
    areas: list[Area] = Field(default_factory=list, max_length=100)


class PlantTree(Schema):
    """``PUT /api/plant``: the whole tree."""

    model_config = ConfigDict(extra="forbid")
    sites: list[Site] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _unique_ids(self) -> PlantTree:
        seen: dict[str, set[str]] = {"site": set(), "area": set(), "line": set(), "station": set()}

        def check(kind: str, node_id: str) -> None:
            if node_id in seen[kind]:
                raise ValueError(f"{kind}_id {node_id!r} is used twice")
            seen[kind].add(node_id)

        for site in self.sites:
            check("site", site.site_id)
            for area in site.areas:
                check("area", area.area_id)
                for line in area.lines:
                    check("line", line.line_id)
                    for station in line.stations:
                        check("station", f"{line.line_id}/{station.station_id}")
        return self
