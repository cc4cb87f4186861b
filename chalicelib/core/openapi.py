"""The OpenAPI 3.1 document of the REST API, generated from the registered operations and
their pydantic models (``core.http.OPERATIONS``) — one source of truth, no hand-written YAML.

``GET /api/openapi.json`` serves it; with ``API_REFERENCE=true`` (``make dev``)
``GET /api/reference`` renders a plain reference page. Tests feed the document to schemathesis.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from chalice import Blueprint, Response
from pydantic import BaseModel

from chalicelib.core.errors import NotFound
from chalicelib.core.http import OPERATIONS, Operation, route
from chalicelib.core.settings import get_settings
from chalicelib.core.text import USER_ID_MAX, USER_ID_PATTERN

bp = Blueprint(__name__)

ERROR_CODES = ["validation_error", "invalid_credentials", "unauthorized", "forbidden", "not_found", "conflict",
               "too_large", "account_locked", "rate_limited", "directory_unavailable", "unavailable",
               "internal_error"]
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "enum": ERROR_CODES},
            "message": {"type": "string"},
            "details": {"type": "array", "items": {
                "type": "object", "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
            "retry_after": {"type": "integer", "minimum": 1},
            "correlation_id": {"type": "string"},
        }}},
}
_REF = "#/components/schemas/{model}"
_UUID = {"type": "string", "format": "uuid",
         "pattern": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"}
PATH_PARAMETERS: dict[str, dict[str, Any]] = {
    "room_id": _UUID, "file_id": _UUID, "template_id": _UUID, "webhook_id": _UUID,
    "user_id": {"type": "string", "maxLength": USER_ID_MAX, "pattern": USER_ID_PATTERN},
    "event_code": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"},
}


def _model_schema(model: type[BaseModel], components: dict[str, Any]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=_REF)
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": _REF.format(model=model.__name__)}


def _parameters(op: Operation, components: dict[str, Any]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": PATH_PARAMETERS.get(name, {"type": "string"})}
        for name in re.findall(r"{(\w+)}", op.path)]
    if op.query is not None:
        schema = op.query.model_json_schema(ref_template=_REF)
        for name, definition in schema.pop("$defs", {}).items():
            components[name] = definition
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    return params


def _operation(op: Operation, components: dict[str, Any]) -> dict[str, Any]:
    success: dict[str, Any] = {"description": "No content"} if op.status == 204 else {
        "description": "Success", "content": {
            media: {"schema": {"type": "object"} if media == "application/json" else {"type": "string"}}
            for media in op.media_types}}
    spec: dict[str, Any] = {
        "operationId": op.name,
        "summary": op.summary,
        "tags": [op.path.strip("/").split("/")[0]],
        "parameters": _parameters(op, components),
        "responses": {str(op.status): success,
                      "default": {"description": "Error (the contract's error shape)",
                                  "content": {"application/json": {"schema": {"$ref": _REF.format(model="Error")}}}}},
    }
    if op.authenticated:
        spec["security"] = [{op.security: []}]
    if op.body is not None:
        spec["requestBody"] = {"required": True,
                               "content": {"application/json": {"schema": _model_schema(op.body, components)}}}
    return spec


def document() -> dict[str, Any]:
    """The whole document (every operation registered by the imported blueprints)."""
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "生產線異常即時反應系統 Production-line incident response API", "version": "1"},
        "servers": [{"url": "/api"}],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(components.items())),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                                           "api_key": {"type": "apiKey", "in": "header", "name": "X-Api-Key",
                                                       "description": "An integration key (machines, MES)"}}},
    }


@route(bp, "/openapi.json", methods=["GET"])
def openapi_json() -> dict[str, Any]:
    """This document."""
    return document()


@route(bp, "/reference", methods=["GET"], documented=False)
def reference() -> Response:
    """A plain reference page of the document (development stacks only)."""
    if not get_settings().api_reference:
        raise NotFound()
    doc = document()
    rows = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body:
                body = doc["components"]["schemas"].get(body["$ref"].rsplit("/", 1)[-1], body)
            params = [f"{p['name']} ({p['in']}{', required' if p['required'] else ''})" for p in op["parameters"]]
            rows.append(
                f"<section><h2>{method.upper()} /api{html.escape(path)}</h2><p>{html.escape(op['summary'])}"
                f"{' — ' + next(iter(op['security'][0])) if 'security' in op else ''}</p>"
                + (f"<p>Parameters: {html.escape(', '.join(params))}</p>" if params else "")
                + (f"<pre>{html.escape(json.dumps(body, ensure_ascii=False, indent=2))}</pre>" if body else "")
                + "</section>")
    page = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>API reference</title></head>"
            f"<body><main><h1>{html.escape(doc['info']['title'])}</h1>"
            "<p><a href=\"/api/openapi.json\">openapi.json</a></p>" + "".join(rows) + "</main></body></html>")
    return Response(body=page, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"})
