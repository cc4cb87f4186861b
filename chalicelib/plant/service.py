"""The plant hierarchy: read it, replace it (administrators; removed nodes are retired, never
deleted, so old rooms keep their place), import it from CSV, and locate a line/station.

Line ids are unique in the plant (rosters and escalation steps name lines); station ids are
unique within their line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from typing import Any

from pydantic import ValidationError
from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.auth.principal import Principal
from chalicelib.core import clock
from chalicelib.core.db import condition_failed
from chalicelib.core.errors import Conflict, Forbidden, ValidationFailed
from chalicelib.core.http import validation_details
from chalicelib.core.text import clean_name
from chalicelib.plant.models import PlantModel
from chalicelib.plant.schemas import PlantTree

LEVELS = (("sites", "site_id"), ("areas", "area_id"), ("lines", "line_id"), ("stations", "station_id"))
CSV_HEADER = ["site", "area", "line", "station"]
MAX_CSV_BYTES = 512 * 1024


def _load() -> PlantModel | None:
    try:
        return PlantModel.get("plant", consistent_read=True)
    except DoesNotExist:
        return None


def _active(nodes: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    out = []
    for node in nodes:
        if node.get("retired"):
            continue
        copy = {k: v for k, v in node.items() if k != "retired"}
        if depth + 1 < len(LEVELS):
            child = LEVELS[depth + 1][0]
            copy[child] = _active(node.get(child, []), depth + 1)
        out.append(copy)
    return out


def get_plant() -> dict[str, Any]:
    """``GET /api/plant``: the active tree (empty when none is set)."""
    plant = _load()
    return {"sites": _active(plant.tree["sites"]) if plant else []}


def _merge(old: list[dict[str, Any]], new: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    """``new`` plus the nodes of ``old`` it no longer names, marked retired (recursively)."""
    key = LEVELS[depth][1]
    child = LEVELS[depth + 1][0] if depth + 1 < len(LEVELS) else None
    old_by_id = {n[key]: n for n in old}
    merged = []
    for node in new:
        node = dict(node)
        node.pop("retired", None)
        if child is not None:
            node[child] = _merge(old_by_id.get(node[key], {}).get(child, []), node.get(child, []), depth + 1)
        merged.append(node)
    named = {n[key] for n in new}
    for node in old:
        if node[key] not in named:
            merged.append({**node, "retired": True})
    return merged


def put_plant(principal: Principal, tree: PlantTree) -> dict[str, Any]:
    """Replace the tree (administrators). Nodes left out are retired, not deleted."""
    if not principal.is_admin:
        raise Forbidden("Only administrators change the plant")
    plant = _load()
    new_sites = tree.model_dump()["sites"]
    merged = _merge(plant.tree["sites"] if plant else [], new_sites)
    record = plant or PlantModel("plant")
    record.tree = {"sites": merged}
    record.updated_at = clock.iso()
    record.updated_by = principal.user_id
    try:
        record.save()  # the version attribute refuses a concurrent replacement
    except PutError as exc:
        if not condition_failed(exc):
            raise
        raise Conflict("The plant changed meanwhile; reload and try again") from None
    return get_plant()


def _node_id(prefix: str, name: str, existing: dict[str, str]) -> str:
    if name in existing:
        return existing[name]
    ascii_part = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:40]
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]
    return f"{prefix}-{ascii_part}-{digest}" if ascii_part else f"{prefix}-{digest}"


def import_csv(principal: Principal, raw: bytes) -> dict[str, Any]:
    """``POST /api/plant/import``: ``site,area,line,station`` rows (UTF-8, BOM optional) become
    the tree; existing nodes keep their ids (matched by name under the same parent). Every bad
    row is named in the 400."""
    if not principal.is_admin:
        raise Forbidden("Only administrators change the plant")
    if len(raw) > MAX_CSV_BYTES:
        raise ValidationFailed("The CSV is too large", details=[{"field": "body", "message": "at most 512 KB"}])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("The CSV must be UTF-8", details=[{"field": "body", "message": "not UTF-8"}]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0]] != CSV_HEADER:
        raise ValidationFailed("The first row must be the header site,area,line,station",
                               details=[{"field": "row 1", "message": "expected site,area,line,station"}])
    problems = []
    current = get_plant()["sites"]
    ids = _existing_ids(current)
    sites: dict[str, dict[str, Any]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 4:
            problems.append({"field": f"row {number}", "message": f"expected 4 columns, got {len(row)}"})
            continue
        try:
            site, area, line, station = (clean_name(cell).strip() for cell in row)
        except ValueError as exc:
            problems.append({"field": f"row {number}", "message": str(exc)})
            continue
        if not (site and area and line):
            problems.append({"field": f"row {number}", "message": "site, area and line are required"})
            continue
        if max(len(site), len(area), len(line), len(station)) > 100:
            problems.append({"field": f"row {number}", "message": "names are at most 100 characters"})
            continue
        s = sites.setdefault(site, {"site_id": _node_id("S", site, ids["site"]), "name": site, "areas": {}})
        a = s["areas"].setdefault(area, {"area_id": _node_id("A", area, ids["area"].get(site, {})), "name": area,
                                         "lines": {}})
        ln = a["lines"].setdefault(line, {"line_id": _node_id("L", line, ids["line"]), "name": line, "stations": {}})
        if station:
            ln["stations"].setdefault(station, {"station_id": _node_id("ST", station, ids["station"].get(line, {})),
                                                "name": station})
    if problems:
        raise ValidationFailed(f"{len(problems)} bad row(s) in the CSV", details=problems[:50])
    tree = {"sites": [{**s, "areas": [{**a, "lines": [{**ln, "stations": list(ln["stations"].values())}
                                                      for ln in a["lines"].values()]}
                                      for a in s["areas"].values()]} for s in sites.values()]}
    try:
        parsed = PlantTree.model_validate(tree)
    except ValidationError as exc:
        raise ValidationFailed("The CSV does not make a valid plant", details=validation_details(exc)) from None
    return put_plant(principal, parsed)


def _existing_ids(sites: list[dict[str, Any]]) -> dict[str, Any]:
    ids: dict[str, Any] = {"site": {}, "area": {}, "line": {}, "station": {}}
    for site in sites:
        ids["site"][site["name"]] = site["site_id"]
        for area in site.get("areas", []):
            ids["area"].setdefault(site["name"], {})[area["name"]] = area["area_id"]
            for line in area.get("lines", []):
                ids["line"][line["name"]] = line["line_id"]
                for station in line.get("stations", []):
                    ids["station"].setdefault(line["name"], {})[station["name"]] = station["station_id"]
    return ids


def locate(line_id: str, station_id: str | None = None) -> dict[str, str]:
    """Where an active line (and station) is: ``{"site_id", "area_id", "line_id", "station_id"?}``;
    ``ValidationFailed`` naming the field when unknown."""
    plant = _load()
    for site in _active(plant.tree["sites"]) if plant else []:
        for area in site.get("areas", []):
            for line in area.get("lines", []):
                if line["line_id"] != line_id:
                    continue
                place = {"site_id": site["site_id"], "area_id": area["area_id"], "line_id": line_id}
                if station_id is not None:
                    if station_id not in {s["station_id"] for s in line.get("stations", [])}:
                        raise ValidationFailed("Unknown station on this line",
                                               details=[{"field": "station_id", "message": "not a station of the line"}])
                    place["station_id"] = station_id
                return place
    raise ValidationFailed("Unknown production line", details=[{"field": "line_id", "message": "not a line of the plant"}])
