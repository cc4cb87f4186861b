"""AD login against a real Active Directory (Samba AD DC on loopback) through the REST routes.

The whole real path runs: ``chalice.test.Client`` → ``/auth/login`` → pydantic schema →
lockout in DynamoDB (moto) → ldap3 bind over validated LDAPS / StartTLS to Samba → search →
user upsert → tokens. Only DynamoDB is mocked. Nothing here skips: if Samba is missing the
session fixture fails and says how to install it.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from tests.servers.samba import LOCKOUT_PSO_THRESHOLD, SambaDC, SambaUnavailable, samba_dc

pytestmark = [pytest.mark.integration, pytest.mark.ad]

INVALID = {"error": {"code": "invalid_credentials", "message": "Wrong username or password"}}
CONNECT_TIMEOUT = 1
RECEIVE_TIMEOUT = 2


# ----------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def ad() -> Iterator[SambaDC]:
    """One Samba AD DC for the whole session (provisioned in a temp dir, stopped by PID)."""
    problem = ""
    try:
        with samba_dc() as dc:
            yield dc
    except SambaUnavailable as exc:
        problem = str(exc)
    if problem:  # fail (never skip): the AD tests are part of the suite
        pytest.fail(f"Samba AD DC unavailable: {problem}", pytrace=False)


@pytest.fixture
def ad_env(ad: SambaDC, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The app configured for the Samba domain over LDAPS with the certificate validated."""
    from chalicelib.core.settings import get_settings

    values = {
        "DIRECTORY_MODE": "ldap",
        "LDAP_URLS": ad.ldaps_url,
        "LDAP_BASE_DN": ad.base_dn,
        "LDAP_UPN_SUFFIX": ad.upn_suffix,
        "LDAP_NETBIOS_DOMAIN": ad.domain,
        "LDAP_TLS": "ldaps",
        "LDAP_VALIDATE_CERT": "true",
        "LDAP_CA_FILE": ad.ca_file,
        "LDAP_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        "LDAP_RECEIVE_TIMEOUT": str(RECEIVE_TIMEOUT),
        "ADMIN_GROUP": ad.admin_group,
        "TABLE_PREFIX": "adit",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    for name in ("ADMIN_EMAILS", "DYNAMODB_ENDPOINT", "DEV_DIRECTORY_FILE", "LOCKOUT_THRESHOLD",
                 "LOCKOUT_WINDOW"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    return monkeypatch


def reconfigure(env: pytest.MonkeyPatch, **values: str) -> None:
    """Change the environment mid-test and drop the cached settings."""
    from chalicelib.core.settings import get_settings

    for name, value in values.items():
        env.setenv(name, value)
    get_settings.cache_clear()


@pytest.fixture
def client(ad_env: pytest.MonkeyPatch) -> Iterator[Any]:
    """The Chalice app over moto DynamoDB (fresh tables, so the lockout counters are fresh)."""
    from chalice.test import Client

    from app import app
    from chalicelib import tables

    with mock_aws():
        tables.create_all()
        with Client(app) as test_client:
            yield test_client


@pytest.fixture
def binds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every LDAP connection the directory opens for a bind (the bind name)."""
    from chalicelib.auth.directory import LdapDirectory

    seen: list[str] = []
    original = LdapDirectory._connection

    def spy(self: LdapDirectory, bind_name: str, password: str) -> Any:
        seen.append(bind_name)
        return original(self, bind_name, password)

    monkeypatch.setattr(LdapDirectory, "_connection", spy)
    return seen


def post_login(client: Any, username: Any, password: Any) -> Any:
    return client.http.post("/auth/login", headers={"Content-Type": "application/json"},
                            body=json.dumps({"username": username, "password": password}))


def header(response: Any, name: str) -> str | None:
    for key, value in response.headers.items():
        if key.lower() == name.lower():
            return str(value)
    return None


# -------------------------------------------------------------------------------- happy paths
@pytest.mark.parametrize("form", ["sam", "upn", "upn_upper", "netbios", "netbios_lower", "padded"])
def test_every_username_form_logs_in(client: Any, ad: SambaDC, form: str) -> None:
    john = ad.users["john.doe"]
    username = {
        "sam": "john.doe",
        "upn": "john.doe@plant.test",
        "upn_upper": "JOHN.DOE@PLANT.TEST",
        "netbios": "PLANT\\john.doe",
        "netbios_lower": "plant\\John.Doe",
        "padded": "  john.doe  ",
    }[form]
    response = post_login(client, username, john.password)
    assert response.status_code == 200, response.body
    body = response.json_body
    assert body["token_type"] == "Bearer"
    assert body["access_token"] and body["refresh_token"]
    assert isinstance(body["expires_in"], int) and body["expires_in"] > 0
    assert body["user"] == {"user_id": "john.doe@plant.test", "display_name": "張志豪",
                            "department": "設備課", "is_admin": False, "can_read_reports": False}


def test_user_id_is_the_lower_case_mail_and_the_user_is_stored(client: Any, ad: SambaDC) -> None:
    from chalicelib.auth.models import UserModel

    mary = ad.users["mary.chen"]  # mail in AD is "Mary.Chen@plant.test"
    response = post_login(client, "Mary.Chen@plant.test", mary.password)
    assert response.status_code == 200, response.body
    assert response.json_body["user"] == {"user_id": "mary.chen@plant.test", "display_name": "陳美玲",
                                          "department": "品管課", "is_admin": False, "can_read_reports": False}
    stored = UserModel.get("mary.chen@plant.test")
    assert (stored.username, stored.display_name, stored.department) == ("mary.chen", "陳美玲", "品管課")
    assert stored.is_admin is False and stored.last_login_at.endswith("Z")


def test_admin_comes_from_the_ad_group(client: Any, ad: SambaDC) -> None:
    admin = post_login(client, "lin.admin", ad.users["lin.admin"].password)
    normal = post_login(client, "john.doe", ad.users["john.doe"].password)
    assert admin.status_code == normal.status_code == 200
    assert admin.json_body["user"] == {"user_id": "lin.admin@plant.test", "display_name": "林建宏",
                                       "department": "資訊課", "is_admin": True, "can_read_reports": True}
    assert normal.json_body["user"]["is_admin"] is False


def test_admin_by_configured_email_without_the_group(client: Any, ad: SambaDC, ad_env: Any) -> None:
    reconfigure(ad_env, ADMIN_EMAILS="John.Doe@plant.test", ADMIN_GROUP="Nobody-Group")
    assert post_login(client, "john.doe", ad.users["john.doe"].password).json_body["user"]["is_admin"] is True
    assert post_login(client, "lin.admin", ad.users["lin.admin"].password).json_body["user"]["is_admin"] is False


def test_token_round_trip_after_an_ad_login(client: Any, ad: SambaDC) -> None:
    login = post_login(client, "PLANT\\john.doe", ad.users["john.doe"].password).json_body
    auth = {"Authorization": f"Bearer {login['access_token']}"}
    me = client.http.get("/auth/me", headers=auth)
    assert me.status_code == 200, me.body
    assert me.json_body == login["user"]

    refreshed = client.http.post("/auth/refresh", headers={"Content-Type": "application/json"},
                                 body=json.dumps({"refresh_token": login["refresh_token"]}))
    assert refreshed.status_code == 200, refreshed.body
    assert refreshed.json_body["user"] == login["user"]

    assert client.http.post("/auth/logout", headers=auth).status_code == 204
    assert client.http.get("/auth/me", headers=auth).status_code == 401


# ---------------------------------------------------------------------------- wrong credentials
def test_wrong_password_and_unknown_user_get_the_same_401(client: Any, ad: SambaDC) -> None:
    wrong = post_login(client, "john.doe", ad.users["john.doe"].password + "x")
    unknown = post_login(client, "nobody.here", ad.users["john.doe"].password)
    unknown_upn = post_login(client, "nobody.here@plant.test", "Whatever!1")
    assert wrong.status_code == unknown.status_code == unknown_upn.status_code == 401
    assert wrong.json_body == unknown.json_body == unknown_upn.json_body == INVALID
    assert wrong.body == unknown.body


def test_another_users_password_does_not_work(client: Any, ad: SambaDC) -> None:
    response = post_login(client, "john.doe", ad.users["mary.chen"].password)
    assert response.status_code == 401
    assert response.json_body == INVALID


def test_foreign_netbios_domain_is_refused_without_a_bind(client: Any, ad: SambaDC, binds: list[str]) -> None:
    response = post_login(client, "OTHER\\john.doe", ad.users["john.doe"].password)
    assert response.status_code == 401
    assert response.json_body == INVALID
    assert binds == []


@pytest.mark.parametrize("password", ["", None])
def test_empty_password_is_a_400_and_never_reaches_ad(client: Any, ad: SambaDC, binds: list[str],
                                                      password: Any) -> None:
    response = post_login(client, "john.doe", password)
    assert response.status_code == 400
    error = response.json_body["error"]
    assert error["code"] == "validation_error"
    assert "password" in [d["field"] for d in error["details"]]
    assert binds == []


def test_directory_refuses_an_empty_password_before_any_bind(ad_env: Any, binds: list[str]) -> None:
    """Below the schema: the directory itself must never attempt an unauthenticated bind."""
    from chalicelib.auth.directory import LdapDirectory
    from chalicelib.core.errors import InvalidCredentials

    for password in ("", None):
        with pytest.raises(InvalidCredentials):
            LdapDirectory().authenticate("john.doe", password)  # type: ignore[arg-type]
    assert binds == []


def test_whitespace_password_is_just_wrong(client: Any, ad: SambaDC) -> None:
    response = post_login(client, "john.doe", " ")
    assert response.status_code == 401
    assert response.json_body == INVALID


# ------------------------------------------------------------------------------- LDAP injection
@pytest.mark.parametrize("username", [
    "john*",
    "*",
    "john.doe)(|(sAMAccountName=*",
    "jo\\hn",
    "john.doe@plant.test)(mail=*",
    "*@plant.test",
    "john.doe)(objectClass=*",
    "PLANT\\*",
    "PLANT\\john.doe)(|(cn=*",
    "CN=John Doe,CN=Users,DC=plant,DC=test",
    "john.doe\\2a",
    "(sAMAccountName=john.doe)",
])
def test_ldap_special_characters_never_log_in(client: Any, ad: SambaDC, username: str) -> None:
    response = post_login(client, username, ad.users["john.doe"].password)
    assert response.status_code == 401, (username, response.status_code, response.body)
    assert response.json_body == INVALID


def test_a_username_naming_nobody_is_refused_before_the_directory(client: Any, ad: SambaDC) -> None:
    # "DOMAIN\" with an empty user: no account is named, so AD is not asked (issue 16)
    response = post_login(client, "john.doe@plant.test\\", ad.users["john.doe"].password)
    assert response.status_code == 400
    assert response.json_body["error"]["details"][0]["field"] == "username"


@pytest.mark.parametrize("username", ["john\x00.doe", "john.doe\x00", "\x00", "PLANT\\john.doe\x00*"])
def test_nul_in_username_is_a_400_without_a_bind(client: Any, ad: SambaDC, binds: list[str],
                                                 username: str) -> None:
    response = post_login(client, username, ad.users["john.doe"].password)
    assert response.status_code == 400
    assert response.json_body["error"]["code"] == "validation_error"
    assert binds == []


# ------------------------------------------------------------------------------------ lockout
def test_five_failures_lock_every_form_of_the_account(client: Any, ad: SambaDC, binds: list[str]) -> None:
    mary = ad.users["mary.chen"]
    for attempt in range(5):
        response = post_login(client, "mary.chen", f"wrong-{attempt}")
        assert response.status_code == 401, (attempt, response.body)
    assert len(binds) == 5
    for username in ("mary.chen", "Mary.Chen@plant.test", "PLANT\\mary.chen", "plant\\MARY.CHEN",
                     " mary.chen "):
        response = post_login(client, username, mary.password)  # the right password
        assert response.status_code == 423, (username, response.body)
        assert response.json_body["error"]["code"] == "account_locked"
        retry_after = header(response, "Retry-After")
        assert retry_after is not None and 1 <= int(retry_after) <= 15 * 60 + 1
        assert response.json_body["error"]["retry_after"] == int(retry_after)
    assert len(binds) == 5  # a locked account never reaches AD
    # other accounts are not affected
    assert post_login(client, "john.doe", ad.users["john.doe"].password).status_code == 200


def test_failures_spread_over_forms_count_for_one_account(client: Any, ad: SambaDC) -> None:
    forms = ["mary.chen", "mary.chen@plant.test", "PLANT\\mary.chen", "MARY.CHEN", "Mary.Chen@Plant.Test"]
    for username in forms:
        assert post_login(client, username, "Wrong!Pass1").status_code == 401
    response = post_login(client, "mary.chen", ad.users["mary.chen"].password)
    assert response.status_code == 423
    assert header(response, "Retry-After")


def test_a_success_before_the_threshold_clears_the_failures(client: Any, ad: SambaDC) -> None:
    mary = ad.users["mary.chen"]
    for _ in range(4):
        assert post_login(client, "mary.chen", "Wrong!Pass1").status_code == 401
    assert post_login(client, "mary.chen", mary.password).status_code == 200
    for _ in range(4):
        assert post_login(client, "mary.chen", "Wrong!Pass1").status_code == 401
    assert post_login(client, "mary.chen", mary.password).status_code == 200


def test_account_locked_by_ad_itself_is_401(client: Any, ad: SambaDC) -> None:
    """A fine-grained policy locks wu.locked after LOCKOUT_PSO_THRESHOLD bad passwords in AD."""
    wu = ad.users["wu.locked"]
    ad.unlock_user("wu.locked")
    try:
        assert post_login(client, "wu.locked", wu.password).status_code == 200
        for _ in range(LOCKOUT_PSO_THRESHOLD):
            assert post_login(client, "wu.locked", "Wrong!Pass1").status_code == 401
        assert ad.is_locked_out("wu.locked"), "AD did not lock the account; the test proves nothing"
        # (these count as failures for the app's own lockout too: 2 + 2 stays below its 5)
        for username in ("wu.locked@plant.test", "PLANT\\wu.locked"):
            response = post_login(client, username, wu.password)  # right password, AD-locked account
            assert response.status_code == 401, (username, response.body)
            assert response.json_body == INVALID
    finally:
        ad.unlock_user("wu.locked")
    assert not ad.is_locked_out("wu.locked")
    assert post_login(client, "wu.locked", wu.password).status_code == 200


def test_disabled_ad_account_is_401(client: Any, ad: SambaDC) -> None:
    huang = ad.users["huang.off"]
    assert post_login(client, "huang.off", huang.password).status_code == 200
    ad.disable_user("huang.off")
    try:
        for username in ("huang.off", "huang.off@plant.test", "PLANT\\huang.off"):
            response = post_login(client, username, huang.password)
            assert response.status_code == 401, (username, response.body)
            assert response.json_body == INVALID
    finally:
        ad.enable_user("huang.off")
    assert post_login(client, "huang.off", huang.password).status_code == 200


# ---------------------------------------------------------------------------- transport / TLS
def test_starttls_on_389_works(client: Any, ad: SambaDC, ad_env: Any) -> None:
    reconfigure(ad_env, LDAP_TLS="starttls", LDAP_URLS=ad.ldap_url)
    response = post_login(client, "PLANT\\lin.admin", ad.users["lin.admin"].password)
    assert response.status_code == 200, response.body
    assert response.json_body["user"]["is_admin"] is True
    wrong = post_login(client, "lin.admin", "Wrong!Pass1")
    assert wrong.status_code == 401 and wrong.json_body == INVALID


def test_plain_ldap_simple_bind_is_refused_by_the_dc_as_503(client: Any, ad: SambaDC, ad_env: Any) -> None:
    """Samba refuses simple binds without TLS (strongerAuthRequired): a directory problem, not 200/500."""
    reconfigure(ad_env, LDAP_TLS="plain", LDAP_URLS=ad.ldap_url)
    response = post_login(client, "john.doe", ad.users["john.doe"].password)
    assert response.status_code == 503, response.body
    assert response.json_body["error"]["code"] == "directory_unavailable"


def test_certificate_validation_is_enforced(client: Any, ad: SambaDC, ad_env: Any) -> None:
    john = ad.users["john.doe"]
    for url, tls in ((ad.ldaps_url, "ldaps"), (ad.ldap_url, "starttls")):
        reconfigure(ad_env, LDAP_URLS=url, LDAP_TLS=tls, LDAP_CA_FILE=ad.tls.unrelated_ca)
        response = post_login(client, "john.doe", john.password)
        assert response.status_code == 503, (tls, response.body)
        assert response.json_body["error"]["code"] == "directory_unavailable"
    # no CA configured: the system trust store does not know the DC's private CA either
    reconfigure(ad_env, LDAP_URLS=ad.ldaps_url, LDAP_TLS="ldaps", LDAP_CA_FILE="")
    assert post_login(client, "john.doe", john.password).status_code == 503


def test_certificate_for_another_host_name_is_refused(client: Any, ad: SambaDC, ad_env: Any) -> None:
    """A server whose certificate our CA issued, but for ``other-dc.example``, is not 127.0.0.1."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(ad.tls.other_name_cert, ad.tls.other_name_key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(5)
    handshakes: list[str] = []

    def serve() -> None:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        try:
            with context.wrap_socket(conn, server_side=True) as tls_conn:
                handshakes.append(tls_conn.version() or "")
                tls_conn.settimeout(3)
                tls_conn.recv(1024)  # the client hangs up instead of sending a bind
        except OSError:
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        reconfigure(ad_env, LDAP_URLS=f"ldaps://127.0.0.1:{listener.getsockname()[1]}",
                    LDAP_CA_FILE=ad.ca_file)
        response = post_login(client, "john.doe", ad.users["john.doe"].password)
        thread.join(timeout=5)
    finally:
        listener.close()
    assert handshakes, "the TLS handshake never completed; the test proves nothing"
    assert response.status_code == 503, response.body
    assert response.json_body["error"]["code"] == "directory_unavailable"


def test_ca_given_as_pem_text_validates_the_dc(client: Any, ad: SambaDC, ad_env: Any) -> None:
    """On AWS the CA comes as a parameter (LDAP_CA_PEM, newlines may be written as \\n)."""
    pem = Path(ad.ca_file).read_text(encoding="ascii")
    reconfigure(ad_env, LDAP_CA_FILE="", LDAP_CA_PEM=pem.replace("\n", "\\n"))
    assert post_login(client, "john.doe", ad.users["john.doe"].password).status_code == 200
    unrelated = Path(ad.tls.unrelated_ca).read_text(encoding="ascii")
    reconfigure(ad_env, LDAP_CA_FILE="", LDAP_CA_PEM=unrelated)
    assert post_login(client, "john.doe", ad.users["john.doe"].password).status_code == 503


def test_unvalidated_tls_still_logs_in(client: Any, ad: SambaDC, ad_env: Any) -> None:
    reconfigure(ad_env, LDAP_VALIDATE_CERT="false", LDAP_CA_FILE="")
    assert post_login(client, "john.doe", ad.users["john.doe"].password).status_code == 200


def test_second_dc_is_used_when_the_first_is_down(client: Any, ad: SambaDC, ad_env: Any) -> None:
    port = _closed_port()
    reconfigure(ad_env, LDAP_URLS=f"ldaps://127.0.0.1:{port},{ad.ldaps_url}")
    response = post_login(client, "john.doe", ad.users["john.doe"].password)
    assert response.status_code == 200, response.body


# ---------------------------------------------------------------------------------- AD outage
def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SilentServer:
    """Accepts TCP connections on loopback and never answers (a hung DC)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self.sock.settimeout(0.2)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted.append(conn)

    def close(self) -> None:
        self._stop.set()
        self.thread.join(timeout=2)
        for conn in self.accepted:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()


@pytest.mark.parametrize("tls", ["ldaps", "starttls"])
def test_ad_down_is_a_quick_503(client: Any, ad: SambaDC, ad_env: Any, tls: str) -> None:
    scheme = "ldaps" if tls == "ldaps" else "ldap"
    reconfigure(ad_env, LDAP_URLS=f"{scheme}://127.0.0.1:{_closed_port()}", LDAP_TLS=tls)
    started = time.monotonic()
    response = post_login(client, "john.doe", ad.users["john.doe"].password)
    elapsed = time.monotonic() - started
    assert response.status_code == 503, response.body
    assert response.json_body["error"]["code"] == "directory_unavailable"
    assert elapsed < CONNECT_TIMEOUT + 2, elapsed


def test_ad_down_does_not_count_as_a_failed_login(client: Any, ad: SambaDC, ad_env: Any) -> None:
    reconfigure(ad_env, LDAP_URLS=f"ldaps://127.0.0.1:{_closed_port()}")
    for _ in range(6):
        assert post_login(client, "john.doe", "Wrong!Pass1").status_code == 503
    reconfigure(ad_env, LDAP_URLS=ad.ldaps_url)
    assert post_login(client, "john.doe", ad.users["john.doe"].password).status_code == 200


@pytest.mark.parametrize("tls", ["ldaps", "starttls"])
def test_ad_that_never_answers_is_a_503_within_the_receive_timeout(
        client: Any, ad: SambaDC, ad_env: Any, silent_server: SilentServer, tls: str) -> None:
    scheme = "ldaps" if tls == "ldaps" else "ldap"
    reconfigure(ad_env, LDAP_URLS=f"{scheme}://127.0.0.1:{silent_server.port}", LDAP_TLS=tls)
    started = time.monotonic()
    response = post_login(client, "john.doe", ad.users["john.doe"].password)
    elapsed = time.monotonic() - started
    assert response.status_code == 503, response.body
    assert response.json_body["error"]["code"] == "directory_unavailable"
    assert silent_server.accepted, "the login never reached the silent server"
    assert elapsed < RECEIVE_TIMEOUT + 2, elapsed


def test_default_and_fractional_timeouts_work(client: Any, ad: SambaDC, ad_env: Any,
                                          silent_server: SilentServer) -> None:
    """LDAP_RECEIVE_TIMEOUT=1.5 must not break the socket set-up (ldap3 packs it as an integer)."""
    ad_env.delenv("LDAP_CONNECT_TIMEOUT")
    ad_env.delenv("LDAP_RECEIVE_TIMEOUT")
    reconfigure(ad_env)  # the defaults (3.0 / 5.0 s, floats)
    assert post_login(client, "john.doe", ad.users["john.doe"].password).status_code == 200
    reconfigure(ad_env, LDAP_CONNECT_TIMEOUT="1.5", LDAP_RECEIVE_TIMEOUT="1.5")
    assert post_login(client, "john.doe", ad.users["john.doe"].password).status_code == 200
    reconfigure(ad_env, LDAP_URLS=f"ldaps://127.0.0.1:{silent_server.port}")
    started = time.monotonic()
    assert post_login(client, "john.doe", ad.users["john.doe"].password).status_code == 503
    assert time.monotonic() - started < 2 + 2
