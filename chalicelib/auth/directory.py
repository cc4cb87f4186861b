"""Active Directory login with ldap3: bind as the user, then read their attributes.

Three username forms are accepted: ``john.doe``, ``john.doe@panjit.com.tw`` (UPN / e-mail)
and ``PANJIT\\john.doe``. Every value placed into a filter is escaped; an empty password is
refused before any bind (an AD unauthenticated bind must never count as success).
"""

from __future__ import annotations

import json
import math
import ssl
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ldap3 import (
    FIRST,
    MOCK_SYNC,
    OFFLINE_AD_2012_R2,
    SIMPLE,
    Connection,
    Server,
    ServerPool,
    Tls,
)
from ldap3.core import exceptions as ldap_errors
from ldap3.core.results import RESULT_INVALID_CREDENTIALS
from ldap3.utils.conv import escape_filter_chars

from chalicelib.core.errors import DirectoryUnavailable, InvalidCredentials
from chalicelib.core.settings import Settings, get_settings

ATTRIBUTES = ["displayName", "mail", "department", "sAMAccountName", "userPrincipalName", "memberOf"]
# ldap3 raises these when the directory cannot be reached or does not answer in time.
_UNREACHABLE = (
    ldap_errors.LDAPSocketOpenError,
    ldap_errors.LDAPSocketReceiveError,
    ldap_errors.LDAPSocketSendError,
    ldap_errors.LDAPSessionTerminatedByServerError,
    ldap_errors.LDAPServerPoolExhaustedError,
    ldap_errors.LDAPResponseTimeoutError,
    ldap_errors.LDAPStartTLSError,
    ldap_errors.LDAPCommunicationError,
    ldap_errors.LDAPSSLConfigurationError,
    OSError,
)


@dataclass(frozen=True)
class LoginName:
    """A username in any accepted form, reduced to its parts."""

    sam: str  # sAMAccountName as typed (case preserved)
    upn: str | None  # set when the user typed a UPN / e-mail

    @property
    def lockout_key(self) -> str:
        """All forms of one account share this key (lower-case account name)."""
        return self.sam.lower()


@dataclass(frozen=True)
class DirectoryUser:
    """What AD says about a person who just proved their password."""

    username: str
    email: str
    display_name: str
    department: str
    groups: tuple[str, ...]


def parse_login_name(username: str, settings: Settings | None = None) -> LoginName:
    """Split ``DOMAIN\\user`` / ``user@domain`` / ``user`` into a :class:`LoginName`."""
    settings = settings or get_settings()
    name = username.strip()
    if "\\" in name:
        domain, _, sam = name.partition("\\")
        if settings.ldap_netbios_domain and domain.upper() != settings.ldap_netbios_domain:
            raise InvalidCredentials()
        return LoginName(sam=sam, upn=None)
    if "@" in name:
        local, _, _domain = name.rpartition("@")
        return LoginName(sam=local, upn=name.lower())
    return LoginName(sam=name, upn=None)


def _entry_value(attrs: dict[str, Any], key: str) -> str:
    value = attrs.get(key)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")


class LdapDirectory:
    """Authenticates against AD (LDAPS / StartTLS; plain LDAP only when configured)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    # -- hooks -----------------------------------------------------------------------------
    def _server(self) -> Server | ServerPool:
        s = self.settings
        if not s.ldap_urls:
            raise DirectoryUnavailable("No directory server is configured")
        tls = None
        if s.ldap_tls in ("ldaps", "starttls"):
            tls = Tls(
                validate=ssl.CERT_REQUIRED if s.ldap_validate_cert else ssl.CERT_NONE,
                ca_certs_file=s.ldap_ca_file or None,
                ca_certs_data=s.ldap_ca_pem.replace("\\n", "\n") or None,
                version=ssl.PROTOCOL_TLS_CLIENT,
            )
        servers = [
            Server(url, use_ssl=url.lower().startswith("ldaps://"), tls=tls,
                   connect_timeout=s.ldap_connect_timeout, get_info=None)
            for url in s.ldap_urls
        ]
        if len(servers) == 1:
            return servers[0]
        return ServerPool(servers, FIRST, active=1, exhaust=False)

    def _bind_name(self, name: LoginName) -> str:
        if name.upn:
            return name.upn
        if self.settings.ldap_upn_suffix:
            return f"{name.sam}@{self.settings.ldap_upn_suffix}"
        return f"{self.settings.ldap_netbios_domain}\\{name.sam}"

    def _connection(self, bind_name: str, password: str) -> Connection:
        return Connection(
            self._server(), user=bind_name, password=password, authentication=SIMPLE,
            # ldap3 packs receive_timeout into SO_RCVTIMEO as an integer ("LL"): a float such as
            # the default 5.0 makes every socket open fail, so round up to whole seconds.
            receive_timeout=max(1, math.ceil(self.settings.ldap_receive_timeout)), raise_exceptions=False,
            read_only=True,
        )

    # -- the use case ------------------------------------------------------------------------
    def authenticate(self, username: str, password: str) -> DirectoryUser:
        """Bind as the user and read their entry; raise on bad credentials or an unreachable AD."""
        if not password or not username.strip():
            raise InvalidCredentials()
        name = parse_login_name(username, self.settings)
        if not name.sam:
            raise InvalidCredentials()
        try:
            conn = self._connection(self._bind_name(name), password)
            try:
                if self.settings.ldap_tls == "starttls":
                    conn.open()
                    if not conn.start_tls():
                        raise DirectoryUnavailable("StartTLS with the directory failed")
                if not conn.bind():
                    if conn.result and conn.result.get("result") == RESULT_INVALID_CREDENTIALS:
                        raise InvalidCredentials()
                    # anything else (strongerAuthRequired, busy, ...) is a directory problem
                    raise DirectoryUnavailable()
                return self._read_user(conn, name)
            finally:
                conn.unbind()
        except (InvalidCredentials, DirectoryUnavailable):
            raise
        except _UNREACHABLE as exc:
            raise DirectoryUnavailable() from exc
        except ldap_errors.LDAPException as exc:
            raise DirectoryUnavailable() from exc

    def _read_user(self, conn: Connection, name: LoginName) -> DirectoryUser:
        if name.upn:
            upn = escape_filter_chars(name.upn)
            who = f"(|(userPrincipalName={upn})(mail={upn}))"
        else:
            who = f"(sAMAccountName={escape_filter_chars(name.sam)})"
        ok = conn.search(self.settings.ldap_base_dn, f"(&(objectClass=user){who})",
                         attributes=ATTRIBUTES, size_limit=2)
        if not ok and conn.result and conn.result.get("result") not in (0, 4, 32):
            raise DirectoryUnavailable()
        entries = [e for e in conn.response or [] if e.get("type") == "searchResEntry"]
        if len(entries) != 1:
            raise InvalidCredentials()
        attrs = dict(entries[0].get("attributes") or {})
        sam = _entry_value(attrs, "sAMAccountName") or name.sam
        email = (_entry_value(attrs, "mail") or _entry_value(attrs, "userPrincipalName")).lower()
        if not email:
            raise InvalidCredentials()
        groups = attrs.get("memberOf") or []
        return DirectoryUser(
            username=sam,
            email=email,
            display_name=_entry_value(attrs, "displayName") or sam,
            department=_entry_value(attrs, "department"),
            groups=tuple(str(g) for g in (groups if isinstance(groups, list) else [groups])),
        )


class DevDirectory(LdapDirectory):
    """The development directory: ldap3's offline mock server seeded from a JSON file.

    Same code path as :class:`LdapDirectory` (bind, escaped search, attribute mapping); the one
    difference is that ldap3's mock binds by DN only, so the UPN / account name is first
    resolved to the entry's DN with an escaped search.
    """

    def _server(self) -> Server:
        return _dev_server(self.settings.dev_directory_file, self.settings.ldap_base_dn)

    def _bind_name(self, name: LoginName) -> str:
        server = self._server()
        probe = Connection(server, client_strategy=MOCK_SYNC)
        probe.bind()
        if name.upn:
            upn = escape_filter_chars(name.upn)
            who = f"(|(userPrincipalName={upn})(mail={upn}))"
        else:
            who = f"(sAMAccountName={escape_filter_chars(name.sam)})"
        probe.search(self.settings.ldap_base_dn, f"(&(objectClass=user){who})", attributes=["cn"])
        entries = [e for e in probe.response or [] if e.get("type") == "searchResEntry"]
        return str(entries[0]["dn"]) if len(entries) == 1 else f"cn=unknown,{self.settings.ldap_base_dn}"

    def _connection(self, bind_name: str, password: str) -> Connection:
        return Connection(self._server(), user=bind_name, password=password,
                          client_strategy=MOCK_SYNC, raise_exceptions=False)


@lru_cache(maxsize=4)
def _dev_server(path: str, base_dn: str) -> Server:
    """Build the mock directory once per container from the JSON file of demo users."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    server = Server("dev-directory", get_info=OFFLINE_AD_2012_R2)
    loader = Connection(server, client_strategy=MOCK_SYNC)
    loader.bind()
    for group in data.get("groups", []):
        loader.strategy.add_entry(group["dn"], {"objectClass": ["group"], "cn": group["cn"]})
    for user in data["users"]:
        dn = f"cn={user['cn']},{data.get('users_ou', base_dn)}"
        loader.strategy.add_entry(dn, {
            "objectClass": ["top", "person", "organizationalPerson", "user"],
            "cn": user["cn"],
            "sAMAccountName": user["sam"],
            "userPrincipalName": user["mail"],
            "mail": user["mail"],
            "displayName": user["display_name"],
            "department": user.get("department", ""),
            "memberOf": user.get("groups", []),
            "userPassword": user["password"],
        })
    return server


def get_directory(settings: Settings | None = None) -> LdapDirectory:
    """The configured directory (the seam tests replace)."""
    settings = settings or get_settings()
    if settings.directory_mode == "dev":
        return DevDirectory(settings)
    return LdapDirectory(settings)
