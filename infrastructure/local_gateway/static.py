"""The built SPA: files from ``--static``, ``index.html`` for client-side routes.

Hashed build output under ``assets/`` is cached for a year; ``index.html``, the service worker
(``sw.js``, scope ``/``) and ``manifest.webmanifest`` are ``no-cache`` so a rebuild shows up on reload.
Without a build, a short page says how to make one.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from aiohttp import web

for _ext, _type in {
    ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
    ".json": "application/json", ".map": "application/json", ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2", ".woff": "font/woff", ".wasm": "application/wasm", ".ico": "image/x-icon",
    ".webp": "image/webp", ".avif": "image/avif", ".txt": "text/plain",
}.items():
    mimetypes.add_type(_type, _ext)

IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
SHORT = "public, max-age=300"
# The service worker (scope "/": it sits at the root) and the PWA manifest keep fixed names, so a
# new build must reach the browser on its next check rather than after a cache lifetime.
REVALIDATED = frozenset({"sw.js", "manifest.webmanifest"})

NOT_BUILT = """The SPA is not built yet ({folder} is missing).

Build it with:

    cd frontend && npm ci && npm run build

(or run `make dev`), then reload. The API is up: /api/..., WebSocket: /ws
"""


class StaticSite:
    """aiohttp handler for every GET/HEAD outside the API paths."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder.resolve() if folder else None

    @property
    def available(self) -> bool:
        return bool(self.folder and (self.folder / "index.html").is_file())

    def _file(self, url_path: str) -> Path | None:
        assert self.folder is not None
        parts = [p for p in PurePosixPath(unquote(url_path)).parts if p not in ("/", "")]
        if any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
            return None
        candidate = self.folder.joinpath(*parts) if parts else self.folder / "index.html"
        try:
            candidate = candidate.resolve()
            candidate.relative_to(self.folder)
        except (ValueError, OSError):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            return web.Response(status=405, text="Method not allowed\n", headers={"Allow": "GET, HEAD"})
        if not self.available:
            return web.Response(text=NOT_BUILT.format(folder=self.folder or "the static folder"),
                                content_type="text/plain", headers={"Cache-Control": NO_CACHE})
        assert self.folder is not None
        path = self._file(request.path)
        if path is None:
            last = PurePosixPath(request.path).name
            if "." in last or request.path.startswith("/assets/"):
                return web.Response(status=404, text="Not found\n")
            path = self.folder / "index.html"  # a client-side route such as /rooms/abc
        rel = path.relative_to(self.folder).as_posix()
        if rel == "index.html" or rel.endswith("/index.html") or rel in REVALIDATED:
            cache = NO_CACHE
        elif rel.startswith("assets/"):
            cache = IMMUTABLE
        else:
            cache = SHORT
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/json", "image/svg+xml"):
            content_type += "; charset=utf-8"
        return web.FileResponse(path, headers={"Cache-Control": cache, "Content-Type": content_type})
