"""The event catalog: read it (any user), create/update/retire codes (administrators), and look a
code up for rooms (pre-fill on create, root causes on resolve) and reports (names).

Codes are never deleted: a retired code disappears from the list and cannot open new rooms, but
old rooms keep resolving and reporting under it; a root cause left out of an update is retired
the same way.
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.auth.principal import Principal
from chalicelib.catalog.models import EventCatalogModel
from chalicelib.catalog.schemas import CreateEventCode, EventCodeFields
from chalicelib.core import clock
from chalicelib.core.db import condition_failed
from chalicelib.core.errors import Conflict, Forbidden, NotFound


def _load() -> EventCatalogModel | None:
    try:
        return EventCatalogModel.get("catalog", consistent_read=True)
    except DoesNotExist:
        return None


def _all_codes() -> list[dict[str, Any]]:
    catalog = _load()
    return list(catalog.codes) if catalog else []


def _public(entry: dict[str, Any], include_retired: bool = False) -> dict[str, Any]:
    view = {k: v for k, v in entry.items() if k != "root_causes" and (include_retired or k != "retired")}
    view["root_causes"] = [c if include_retired else {"code": c["code"], "name": c["name"]}
                           for c in entry.get("root_causes", []) if include_retired or not c.get("retired")]
    return view


def list_codes(principal: Principal, include_retired: bool = False) -> dict[str, Any]:
    """``GET /api/event-codes``: active codes (administrators may ask for retired ones too)."""
    if include_retired and not principal.is_admin:
        raise Forbidden("Only administrators see retired event codes")
    return {"event_codes": [_public(e, include_retired) for e in _all_codes()
                            if include_retired or not e.get("retired")]}


def _save(principal: Principal, codes: list[dict[str, Any]]) -> None:
    record = _load() or EventCatalogModel("catalog")
    record.codes = codes
    record.updated_at = clock.iso()
    record.updated_by = principal.user_id
    try:
        record.save()  # the version attribute refuses a concurrent change
    except PutError as exc:
        if not condition_failed(exc):
            raise
        raise Conflict("The event catalog changed meanwhile; reload and try again") from None


def _entry(fields: EventCodeFields, code: str, old: dict[str, Any] | None) -> dict[str, Any]:
    data = fields.model_dump(exclude={"code"})
    entry = {"code": code, **{k: v for k, v in data.items() if v is not None and k != "root_causes"}}
    named = {c["code"] for c in data["root_causes"]}
    kept = [{**c, "retired": True} for c in (old or {}).get("root_causes", []) if c["code"] not in named]
    entry["root_causes"] = [*data["root_causes"], *kept]
    return entry


def create_code(principal: Principal, body: CreateEventCode) -> dict[str, Any]:
    """``POST /api/event-codes`` (administrators; 409 when the code exists, even retired)."""
    if not principal.is_admin:
        raise Forbidden("Only administrators change the event catalog")
    codes = _all_codes()
    if any(e["code"] == body.code for e in codes):
        raise Conflict("This event code exists already")
    entry = _entry(body, body.code, None)
    _save(principal, [*codes, entry])
    return _public(entry)


def update_code(principal: Principal, code: str, body: EventCodeFields) -> dict[str, Any]:
    """``PUT /api/event-codes/{event_code}`` (administrators): replace a code's fields; a retired
    code becomes active again; root causes left out are retired."""
    if not principal.is_admin:
        raise Forbidden("Only administrators change the event catalog")
    codes = _all_codes()
    for index, old in enumerate(codes):
        if old["code"] == code:
            codes[index] = _entry(body, code, old)
            _save(principal, codes)
            return _public(codes[index])
    raise NotFound("Event code not found")


def retire_code(principal: Principal, code: str) -> None:
    """``DELETE /api/event-codes/{event_code}`` (administrators): retire (never delete)."""
    if not principal.is_admin:
        raise Forbidden("Only administrators change the event catalog")
    codes = _all_codes()
    for index, old in enumerate(codes):
        if old["code"] == code:
            if not old.get("retired"):
                codes[index] = {**old, "retired": True}
                _save(principal, codes)
            return
    raise NotFound("Event code not found")


# --------------------------------------------------------------------- used by other packages
def lookup(code: str) -> dict[str, Any] | None:
    """A code's entry, retired or not (``retired`` and retired root causes included), or None."""
    return next((e for e in _all_codes() if e["code"] == code), None)


def active_entry(code: str) -> dict[str, Any] | None:
    """An active code's public entry (what opens a room), or None when unknown or retired."""
    entry = lookup(code)
    return _public(entry) if entry and not entry.get("retired") else None


def names() -> dict[str, Any]:
    """``{"codes": {code: name}, "root_causes": {code: name}}`` including retired ones (reports)."""
    codes: dict[str, str] = {}
    causes: dict[str, str] = {}
    for entry in _all_codes():
        codes[entry["code"]] = entry["name"]
        for cause in entry.get("root_causes", []):
            causes.setdefault(cause["code"], cause["name"])
    return {"codes": codes, "root_causes": causes}
