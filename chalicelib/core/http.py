"""REST edge helpers: the route decorator (validation, one error path, the operation registry
the OpenAPI document is generated from), pydantic validation of bodies and query strings."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from chalice import Blueprint, Response
from pydantic import BaseModel, ValidationError

from chalicelib.core.errors import AppError, ValidationFailed, to_app_error
from chalicelib.core.text import parse_json

M = TypeVar("M", bound=BaseModel)
# Accept any declared body type at the Chalice layer; :func:`parse_body` answers in the
# contract's error shape instead of Chalice's own 415 body.
ANY_CONTENT = ["application/json", "text/plain", "application/x-www-form-urlencoded",
               "multipart/form-data", "application/octet-stream"]


def error_response(err: AppError) -> Response:
    """An ``AppError`` as the contract's ``{"error": {...}}`` response."""
    return Response(body=err.body(), status_code=err.status,
                    headers={"Content-Type": "application/json", **err.headers})


def validation_details(exc: ValidationError) -> list[dict[str, str]]:
    """Pydantic errors as ``[{"field", "message"}]`` without echoing the input back."""
    return [
        {"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]}
        for e in exc.errors(include_url=False, include_input=False)
    ]


def validate(model: type[M], data: Any) -> M:
    """Validate ``data`` with ``model``; raise the contract's 400 ``validation_error``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed("Invalid input", details=validation_details(exc)) from None


def parse_body(request: Any, model: type[M]) -> M:
    """Parse the JSON body of a request into ``model``."""
    raw = request.raw_body or b""
    data: Any = parse_json(raw) if raw.strip() else {}
    if not isinstance(data, dict):
        raise ValidationFailed("The body must be a JSON object",
                               details=[{"field": "body", "message": "expected an object"}])
    return validate(model, data)


def parse_query(request: Any, model: type[M]) -> M:
    """Validate the query string with ``model``."""
    return validate(model, dict(request.query_params or {}))


@dataclass(frozen=True)
class Operation:
    """One REST operation as registered (the OpenAPI document is generated from these)."""

    path: str
    method: str
    name: str
    summary: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    status: int
    authenticated: bool
    security: str = "bearer"  # the OpenAPI security scheme: bearer (JWT) | api_key (X-Api-Key)
    media_types: tuple[str, ...] = ("application/json",)  # of the success response (a file: its types)


OPERATIONS: list[Operation] = []


def route(bp: Blueprint, path: str, *, methods: list[str], body: type[BaseModel] | None = None,
          query: type[BaseModel] | None = None, status: int = 200,
          authenticate: Callable[[Any], Any] | None = None, documented: bool = True,
          security: str = "bearer", media_types: tuple[str, ...] = ("application/json",),
          **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a REST operation: ``bp.route`` plus the contract around the view.

    In order: ``authenticate(request)`` (its result is the view's first argument), the JSON
    body validated with ``body`` (keyword ``body``), the query string with ``query`` (keyword
    ``query``), the view; its result is answered with ``status`` (204: no body). Every failure
    goes through the one error path and is answered in the contract's error shape.
    """
    options.setdefault("content_types", ANY_CONTENT)

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(**kwargs: Any) -> Any:
            try:
                request = bp.current_request
                args = [authenticate(request)] if authenticate is not None else []
                if body is not None:
                    kwargs["body"] = parse_body(request, body)
                if query is not None:
                    kwargs["query"] = parse_query(request, query)
                result = view(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the contract forbids Chalice's own 500 shape
                return error_response(to_app_error(exc, path=path))
            if status == 204:
                return no_content()
            return Response(body=result, status_code=status) if status != 200 else result

        bp.route(path, methods=methods, **options)(wrapped)
        summary = (view.__doc__ or view.__name__.replace("_", " ")).strip().split("\n")[0]
        for method in methods if documented else []:
            OPERATIONS.append(Operation(path, method.upper(), view.__name__, summary, body, query, status,
                                        authenticate is not None, security, media_types))
        return view

    return decorator


def source_ip(request: Any) -> str | None:
    """The caller's address as API Gateway saw it (``requestContext.identity.sourceIp``)."""
    identity = (getattr(request, "context", None) or {}).get("identity") or {}
    ip = identity.get("sourceIp")
    return ip if isinstance(ip, str) and ip else None


def no_content() -> Response:
    """204 with an empty body."""
    return Response(body="", status_code=204)
