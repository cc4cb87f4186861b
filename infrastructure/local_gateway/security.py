"""Security headers on what the gateway serves, as CloudFront's response-headers policy sets
them on AWS (``SpaSecurityHeaders`` in ``infrastructure/template.yaml``): a CSP without inline
script whose ``connect-src`` names only this gateway (REST and WebSocket) and the files store,
``frame-ancestors 'none'``, ``nosniff``, referrer and permissions policies. API responses get
``nosniff`` too."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web


def _origin(url: str | None) -> str:
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(gateway_url: str, files_url: str | None) -> str:
    """The SPA's CSP for a gateway at ``gateway_url`` with files at ``files_url``."""
    ws = _origin(gateway_url).replace("http", "ws", 1)
    files = _origin(files_url)
    return ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob: {files}; font-src 'self' data:; "
            f"connect-src 'self' {ws} {files}; worker-src 'self'; manifest-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'").replace("  ", " ")


def headers_signal(gateway_url: str, files_url: str | None):  # type: ignore[no-untyped-def]
    """An ``on_response_prepare`` handler adding the headers."""
    csp = content_security_policy(gateway_url, files_url)

    async def add_headers(request: web.Request, response: web.StreamResponse) -> None:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        path = request.path
        if path.startswith(("/api", "/@connections", "/ws", "/__local")):
            return
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()")

    return add_headers
