"""Access tokens (pinned algorithm), refresh rotation with reuse detection, logout, WS tickets."""

from __future__ import annotations

import base64
import json
import os
import time
from typing import Any

import pytest
from jose import jwt

from chalicelib.core import clock
from tests.builders import bearer, login, post_json

SECRET = os.environ["JWT_SECRET"]


def _claims(**over: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"sub": "chen.editor@panjit.com.tw", "sid": "x", "iat": now, "exp": now + 600,
              "iss": "incident-response", "aud": "incident-response-spa"}
    claims.update(over)
    return claims


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _me(client: Any, token: str) -> int:
    return int(client.http.get("/auth/me", headers=bearer(token)).status_code)


def test_forged_tokens_are_refused(client: Any) -> None:
    real = login(client)["access_token"]
    sid = jwt.get_unverified_claims(real)["sid"]
    assert _me(client, real) == 200
    forged = [
        _b64({"alg": "none", "typ": "JWT"}) + "." + _b64(_claims(sid=sid)) + ".",
        jwt.encode(_claims(sid=sid), SECRET, algorithm="HS512"),
        jwt.encode(_claims(sid=sid), "another-key-that-is-long-enough-0123456789", algorithm="HS256"),
        jwt.encode(_claims(sid=sid, exp=int(time.time()) - 5), SECRET, algorithm="HS256"),
        jwt.encode(_claims(sid=sid, aud="someone-else"), SECRET, algorithm="HS256"),
        jwt.encode(_claims(sid=sid, iss="someone-else"), SECRET, algorithm="HS256"),
        jwt.encode({k: v for k, v in _claims(sid=sid).items() if k != "sid"}, SECRET, algorithm="HS256"),
        jwt.encode(_claims(sid="not-a-session"), SECRET, algorithm="HS256"),
        jwt.encode(_claims(sid=sid, sub="lin.admin@panjit.com.tw"), SECRET, algorithm="HS256"),
        real[:-3] + ("AAA" if not real.endswith("AAA") else "BBB"),
    ]
    for token in forged:
        assert _me(client, token) == 401, token


def test_refresh_rotates_and_reuse_revokes_the_session(client: Any) -> None:
    first = login(client)
    second = post_json(client, "/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    rotated = second.json_body
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["user"]["user_id"] == "chen.editor@panjit.com.tw"
    assert _me(client, rotated["access_token"]) == 200
    # the old refresh token is presented again: theft assumed, the whole session ends
    reused = post_json(client, "/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert _me(client, rotated["access_token"]) == 401
    assert _me(client, first["access_token"]) == 401
    assert post_json(client, "/auth/refresh", {"refresh_token": rotated["refresh_token"]}).status_code == 401


def test_refresh_with_garbage_or_expired_token(client: Any, monkeypatch: Any) -> None:
    for body in [{"refresh_token": "nope"}, {"refresh_token": ""}, {}, {"refresh_token": "x" * 500}]:
        assert post_json(client, "/auth/refresh", body).status_code in (400, 401)
    tokens = login(client)
    later = clock.now() + 8 * 3600 + 5
    monkeypatch.setattr(clock, "now", lambda: later)
    assert post_json(client, "/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_logout_revokes_at_once(client: Any) -> None:
    tokens = login(client)
    other = login(client)  # another device keeps its own session
    response = client.http.post("/auth/logout", headers=bearer(tokens["access_token"]))
    assert response.status_code == 204
    assert _me(client, tokens["access_token"]) == 401
    assert post_json(client, "/auth/refresh", {"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert _me(client, other["access_token"]) == 200
    assert client.http.post("/auth/logout").status_code == 401


def test_revocation_reaches_other_containers_within_the_cache_window(client: Any, monkeypatch: Any) -> None:
    from chalicelib.auth import service

    tokens = login(client)
    assert _me(client, tokens["access_token"]) == 200
    sid = jwt.get_unverified_claims(tokens["access_token"])["sid"]
    # another container revokes: only the DynamoDB record changes, this cache still says valid
    from chalicelib.auth.models import SessionModel

    SessionModel(sid).update(actions=[SessionModel.revoked_at.set(clock.iso())])
    later = clock.now() + 6
    monkeypatch.setattr(clock, "now", lambda: later)
    assert _me(client, tokens["access_token"]) == 401
    assert sid not in {k for k, v in service._CACHE.items() if v[1] is not None}


def test_ws_ticket_needs_a_session_and_is_short_lived(client: Any) -> None:
    assert client.http.post("/auth/ws-ticket").status_code == 401
    tokens = login(client)
    response = client.http.post("/auth/ws-ticket", headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    assert response.json_body["expires_in"] == 60
    assert len(response.json_body["ticket"]) >= 32


def test_secret_too_short_is_refused(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.core.settings import get_settings

    monkeypatch.setenv("JWT_SECRET", "short")
    get_settings.cache_clear()
    response = post_json(client, "/auth/login", {"username": "chen.editor", "password": "Passw0rd!"})
    assert response.status_code == 503
