"""The URL guard of webhooks (SSRF): where the service may POST on an administrator's behalf.

Checked when a webhook is created and again before every request and redirect hop:

* ``https`` only, no credentials in the URL (``user:pass@``), a host name or IP literal;
* ports: 443 or 1024–65535 (not the well-known services below 1024: SMTP, SSH, LDAP …);
* the host is resolved and **every** address must be public: loopback, private (RFC 1918,
  IPv6 ULA), link-local, multicast, reserved, unspecified, shared (100.64/10) and the cloud
  metadata addresses are refused, also when hidden in IPv6 (IPv4-mapped ``::ffff:a.b.c.d``,
  6to4, NAT64 ``64:ff9b::/96``, Teredo).

The addresses that passed are returned so the sender connects to exactly those (pinned), and a
name re-resolving to ``127.0.0.1`` between the check and the connection (DNS rebinding) does
not reach it. ``WEBHOOK_ALLOW_PRIVATE=true`` (``make dev`` only; it cannot be set on AWS) lifts
the address and port rules and allows ``http``; metadata addresses stay refused even then.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Instance metadata / platform endpoints of the clouds (some are public addresses).
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack IMDS
    "169.254.170.2",  # ECS task metadata
    "169.254.169.253",  # AWS VPC DNS
    "fd00:ec2::254",  # AWS IMDS over IPv6
    "fd00:ec2::253",  # AWS VPC DNS over IPv6
    "100.100.100.200",  # Alibaba Cloud
    "192.0.0.192",  # Oracle Cloud
    "168.63.129.16",  # Azure WireServer
))
NAT64 = ipaddress.ip_network("64:ff9b::/96")
LOW_PORTS_ALLOWED = frozenset({443})
DNS_TIMEOUT = 3.0  # getaddrinfo has no timeout of its own
_LOOKUPS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook-dns")

Resolver = Callable[[str, int], list[str]]


class UnsafeUrl(ValueError):
    """The URL may not be called (the message says why, for the 400 and the delivery log)."""


class Unresolvable(UnsafeUrl):
    """The host name does not resolve (now): at creation a 400, when sending a transient failure."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``addresses``, in order) and what to ask for."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, lower case, no brackets
    port: int
    path: str  # path and query, at least "/"
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        """The ``Host`` header (the port only when it is not the scheme's default)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def resolve(host: str, port: int) -> list[str]:
    """The addresses of ``host`` (A and AAAA), in the resolver's order, within :data:`DNS_TIMEOUT`
    (the seam tests replace)."""
    lookup = _LOOKUPS.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=DNS_TIMEOUT)
    except FutureTimeout:
        raise Unresolvable(f"the host {host} did not resolve within {DNS_TIMEOUT:.0f} s") from None
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise Unresolvable(f"the host {host} does not resolve") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def refusal(address: IPAddress, allow_private: bool = False) -> str | None:
    """Why connecting to ``address`` is refused (None: allowed)."""
    if address in METADATA:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return refusal(embedded, allow_private)
        if address.teredo is not None and not allow_private:
            return "a Teredo tunnel address"
        if address.scope_id and not allow_private:
            return "a scoped (link-local) address"
    if allow_private:
        return None
    for flag, reason in (("is_loopback", "a loopback address"), ("is_link_local", "a link-local address"),
                         ("is_multicast", "a multicast address"), ("is_unspecified", "an unspecified address"),
                         ("is_private", "a private address"), ("is_reserved", "a reserved address")):
        if getattr(address, flag):
            return reason
    if not address.is_global:
        return "not a public address"
    return None


def _host(raw: str | None) -> str:
    if not raw:
        raise UnsafeUrl("the URL has no host")
    host = raw.rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise UnsafeUrl("the host name is not valid") from None
    labels = ascii_host.split(".")
    if not ascii_host or len(ascii_host) > 253 or not all(
            label and len(label) <= 63 and label.replace("-", "").isalnum() and label.isascii() for label in labels):
        raise UnsafeUrl("the host name is not valid")
    return ascii_host


def check_url(url: str, *, allow_private: bool = False, resolver: Resolver | None = None) -> Target:
    """Parse, resolve and check ``url``; the :class:`Target` to connect to, or :class:`UnsafeUrl`."""
    try:
        parts = urlsplit(url.strip())
        port_given = parts.port
    except ValueError:
        raise UnsafeUrl("the URL is not valid (host or port)") from None
    scheme = parts.scheme.lower()
    allowed = ("https", "http") if allow_private else ("https",)
    if scheme not in allowed:
        raise UnsafeUrl("the URL must start with https://")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeUrl("the URL must not contain credentials (user:password@)")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise UnsafeUrl("the URL must not contain spaces or control characters")
    host = _host(parts.hostname)
    port = port_given if port_given is not None else (443 if scheme == "https" else 80)
    if not 0 < port < 65536:
        raise UnsafeUrl("the port is not valid")
    if not allow_private and port < 1024 and port not in LOW_PORTS_ALLOWED:
        raise UnsafeUrl("the port must be 443 or 1024–65535")
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    found = [host] if literal is not None else (resolver or resolve)(host, port)
    if not found:
        raise Unresolvable(f"the host {host} does not resolve")
    addresses: list[str] = []
    for text in found:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            raise UnsafeUrl(f"the host {host} resolves to something that is not an address") from None
        reason = refusal(address, allow_private)
        if reason:
            shown = host if literal is not None else f"{host} ({address})"
            raise UnsafeUrl(f"{shown} is {reason}")
        addresses.append(str(address))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(url=url.strip(), scheme=scheme, host=host, port=port, path=path, addresses=tuple(addresses))
