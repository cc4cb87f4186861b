"""Authenticated REST routes: the view receives the caller as its first argument."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Blueprint

from chalicelib.auth.principal import Principal
from chalicelib.auth.service import authenticate_bearer
from chalicelib.core.http import route


def caller(request: Any) -> Principal:
    """The bearer token's principal (``Unauthorized`` otherwise)."""
    return authenticate_bearer(request.headers.get("authorization"))


def authed_route(bp: Blueprint, path: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """:func:`chalicelib.core.http.route` for callers with a bearer token: ``view(principal, ...)``."""
    return route(bp, path, authenticate=caller, **options)
