"""The local gateway serves the PWA's fixed-name files as a browser needs them: the service worker
and the manifest revalidated on every load (a new build reaches the browser at once), with the
content types browsers insist on, and a CSP that allows the worker and the manifest."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from infrastructure.local_gateway.security import content_security_policy
from infrastructure.local_gateway.static import StaticSite


@pytest.fixture
def site(tmp_path: Path) -> StaticSite:
    (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    (tmp_path / "sw.js").write_text("self.addEventListener('push', () => {});", encoding="utf-8")
    (tmp_path / "manifest.webmanifest").write_text('{"name": "x"}', encoding="utf-8")
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "icon-192.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "icons" / "sw.js").write_text("// not the worker", encoding="utf-8")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-abc123.js").write_text("export {};", encoding="utf-8")
    return StaticSite(tmp_path)


def get(site: StaticSite, path: str) -> web.StreamResponse:
    return asyncio.run(site.handle(make_mocked_request("GET", path)))


def test_service_worker_is_javascript_and_revalidated(site: StaticSite) -> None:
    response = get(site, "/sw.js")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"


def test_manifest_has_the_manifest_type_and_is_revalidated(site: StaticSite) -> None:
    response = get(site, "/manifest.webmanifest")
    assert response.headers["Content-Type"] == "application/manifest+json"
    assert response.headers["Cache-Control"] == "no-cache"


def test_other_files_keep_their_caching(site: StaticSite) -> None:
    assert get(site, "/icons/icon-192.png").headers["Cache-Control"] == "public, max-age=300"
    assert "immutable" in get(site, "/assets/index-abc123.js").headers["Cache-Control"]
    # only the root's sw.js is the worker
    assert get(site, "/icons/sw.js").headers["Cache-Control"] == "public, max-age=300"


def test_csp_allows_the_service_worker_and_manifest_from_this_origin_only() -> None:
    csp = content_security_policy("http://127.0.0.1:8000", None)
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["worker-src"] == ["'self'"]
    assert directives["manifest-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
