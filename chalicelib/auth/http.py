"""Authenticated REST routes: the view receives the caller as its first argument."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from chalice import Blueprint

from chalicelib.auth.principal import Principal
from chalicelib.auth.service import authenticate_bearer
from chalicelib.core.http import route


def authed_route(bp: Blueprint, path: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """:func:`chalicelib.core.http.route` for callers with a bearer token: ``view(principal, **path_params)``."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def with_principal(**kwargs: Any) -> Any:
            principal: Principal = authenticate_bearer(bp.current_request.headers.get("authorization"))
            return view(principal, **kwargs)

        route(bp, path, **options)(with_principal)
        return view

    return decorator
