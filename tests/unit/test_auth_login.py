"""AD login through the REST route on the development directory (same ldap3 code path)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from chalicelib.core import clock
from tests.builders import PASSWORD, bearer, login, post_json


@pytest.mark.parametrize("username", ["chen.editor", "chen.editor@panjit.com.tw",
                                      "CHEN.EDITOR@PANJIT.COM.TW", "PANJIT\\chen.editor",
                                      "panjit\\chen.editor", "  chen.editor  "])
def test_all_username_forms_log_in(client: Any, username: str) -> None:
    body = login(client, username)
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["user"] == {"user_id": "chen.editor@panjit.com.tw", "display_name": "陳怡君",
                            "department": "品保部 Quality Assurance", "is_admin": False, "can_read_reports": False}
    assert body["access_token"] and body["refresh_token"]


def test_wrong_password_and_unknown_user_get_the_same_answer(client: Any) -> None:
    wrong = post_json(client, "/auth/login", {"username": "chen.editor", "password": "nope"})
    unknown = post_json(client, "/auth/login", {"username": "nobody.here", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json_body == unknown.json_body == {
        "error": {"code": "invalid_credentials", "message": "Wrong username or password"}}


def test_foreign_netbios_domain_is_refused(client: Any) -> None:
    response = post_json(client, "/auth/login", {"username": "OTHER\\chen.editor", "password": PASSWORD})
    assert response.status_code == 401


@pytest.mark.parametrize("body,field", [
    ({"username": "chen.editor", "password": ""}, "password"),
    ({"username": "chen.editor"}, "password"),
    ({"password": PASSWORD}, "username"),
    ({"username": "   ", "password": PASSWORD}, "username"),
    ({"username": "chen\x00.editor", "password": PASSWORD}, "username"),
    ({"username": "chen.editor\n", "password": PASSWORD}, "username"),
    ({"username": "x" * 257, "password": PASSWORD}, "username"),
    ({"username": 123, "password": PASSWORD}, "username"),
    ({"username": "chen.editor", "password": PASSWORD, "admin": True}, "admin"),
])
def test_invalid_login_bodies_are_400_with_the_field(client: Any, body: dict[str, Any], field: str) -> None:
    response = post_json(client, "/auth/login", body)
    assert response.status_code == 400
    error = response.json_body["error"]
    assert error["code"] == "validation_error"
    assert field in [d["field"] for d in error["details"]]
    assert PASSWORD not in response.body.decode()  # input is never echoed back


@pytest.mark.parametrize("raw", [b"{not json", b"[1,2]", b'"text"', b"\xff\xfe"])
def test_non_object_bodies_are_400(client: Any, raw: bytes) -> None:
    response = client.http.post("/auth/login", headers={"Content-Type": "application/json"}, body=raw)
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "validation_error"


@pytest.mark.parametrize("username", ["*", "chen*", "chen.editor)(|(sAMAccountName=*",
                                      "chen\\editor", "*@panjit.com.tw", "chen.editor@panjit.com.tw)(mail=*"])
def test_ldap_special_characters_never_widen_the_search(client: Any, username: str) -> None:
    response = post_json(client, "/auth/login", {"username": username, "password": PASSWORD})
    assert response.status_code == 401


def test_admin_by_group_and_by_email(client: Any, env: pytest.MonkeyPatch) -> None:
    assert login(client, "lin.admin")["user"]["is_admin"] is True
    assert login(client, "wang.owner")["user"]["is_admin"] is False
    env.setenv("ADMIN_EMAILS", "Wang.Owner@panjit.com.tw")
    from chalicelib.core.settings import get_settings

    get_settings.cache_clear()
    assert login(client, "wang.owner")["user"]["is_admin"] is True


def _fail(client: Any, username: str = "chen.editor") -> int:
    return int(post_json(client, "/auth/login", {"username": username, "password": "bad"}).status_code)


def test_lockout_after_five_failures_covers_every_form_and_ends(client: Any, monkeypatch: Any) -> None:
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    assert [_fail(client) for _ in range(5)] == [401] * 5
    for form in ["chen.editor", "chen.editor@panjit.com.tw", "PANJIT\\chen.editor"]:
        locked = post_json(client, "/auth/login", {"username": form, "password": PASSWORD})
        assert locked.status_code == 423
        assert locked.json_body["error"]["code"] == "account_locked"
        assert 0 < locked.json_body["error"]["retry_after"] <= 15 * 60 + 1
        assert locked.headers["Retry-After"] == str(locked.json_body["error"]["retry_after"])
    # other accounts are not affected
    assert login(client, "wang.owner")["user"]["user_id"] == "wang.owner@panjit.com.tw"
    # the window passes
    monkeypatch.setattr(clock, "now", lambda: start + 15 * 60 + 2)
    assert login(client)["user"]["user_id"] == "chen.editor@panjit.com.tw"


def test_success_resets_the_failure_count(client: Any) -> None:
    assert [_fail(client) for _ in range(4)] == [401] * 4
    login(client)
    assert [_fail(client) for _ in range(4)] == [401] * 4
    login(client)


def test_concurrent_failures_are_all_counted(client: Any) -> None:
    from chalicelib.auth import service

    def attempt() -> None:
        try:
            service.login("huang.tech", "bad")
        except Exception:  # noqa: BLE001 - each attempt is expected to fail
            pass

    threads = [threading.Thread(target=attempt) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    locked = post_json(client, "/auth/login", {"username": "huang.tech", "password": PASSWORD})
    assert locked.status_code == 423


def test_directory_down_is_503_and_not_a_failure(client: Any, env: pytest.MonkeyPatch) -> None:
    import socket

    from chalicelib.core.settings import get_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    env.setenv("DIRECTORY_MODE", "ldap")
    env.setenv("LDAP_URLS", f"ldap://127.0.0.1:{closed_port}")
    env.setenv("LDAP_TLS", "plain")
    env.setenv("LDAP_CONNECT_TIMEOUT", "1")
    get_settings.cache_clear()
    for _ in range(6):
        response = post_json(client, "/auth/login", {"username": "chen.editor", "password": PASSWORD})
        assert response.status_code == 503
        assert response.json_body["error"]["code"] == "directory_unavailable"
    env.setenv("DIRECTORY_MODE", "dev")
    get_settings.cache_clear()
    login(client)  # the outage did not count towards a lockout


def test_unconfigured_directory_is_503(client: Any, env: pytest.MonkeyPatch) -> None:
    from chalicelib.core.settings import get_settings

    env.setenv("DIRECTORY_MODE", "ldap")
    env.delenv("LDAP_URLS", raising=False)
    get_settings.cache_clear()
    response = post_json(client, "/auth/login", {"username": "chen.editor", "password": PASSWORD})
    assert response.status_code == 503


def test_login_upserts_the_user_record(client: Any) -> None:
    from chalicelib.auth.models import UserModel

    login(client, "huang.tech@panjit.com.tw")
    user = UserModel.get("huang.tech@panjit.com.tw")
    assert user.display_name == "黃俊傑"
    assert user.username == "huang.tech"
    assert user.last_login_at.endswith("Z")


def test_unexpected_errors_use_the_contract_shape(client: Any, monkeypatch: Any, caplog: Any) -> None:
    from chalicelib.auth import service

    def boom(*_: Any, **__: Any) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(service, "login", boom)
    response = post_json(client, "/auth/login", {"username": "chen.editor", "password": PASSWORD})
    assert response.status_code == 500
    error = response.json_body["error"]
    assert {k: error[k] for k in ("code", "message")} == {"code": "internal_error", "message": "Internal error"}
    assert "secret detail" not in response.body.decode()
    # the caller's correlation id finds the logged stack
    logged = [r for r in caplog.records if getattr(r, "correlation_id", None) == error["correlation_id"]]
    assert logged and logged[0].exc_info and "secret detail" in str(logged[0].exc_info[1])


def test_me_requires_a_token(client: Any) -> None:
    for headers in [{}, {"Authorization": "Basic Y2hlbjpQYXNz"}, {"Authorization": "Bearer"},
                    {"Authorization": "Bearer not.a.jwt"}]:
        response = client.http.get("/auth/me", headers=headers)
        assert response.status_code == 401
        assert response.json_body["error"]["code"] == "unauthorized"
    token = login(client)["access_token"]
    assert client.http.get("/auth/me", headers=bearer(token)).json_body["user_id"] == "chen.editor@panjit.com.tw"
