"""The outbound sender of webhooks: ``send(job) -> str`` (``outbound`` calls it once per attempt).

One attempt: the webhook's URL and secret are read now (a deleted webhook gives up), the URL is
checked by the SSRF guard, and the signed JSON body is POSTed to the **checked address itself**
(urllib3 to the IP, with the host name for TLS SNI, certificate check and ``Host``), so DNS
cannot be re-pointed between the check and the connection. Redirects are not followed by the
HTTP client: up to :data:`MAX_REDIRECTS` are followed here, each target checked again, the
same signed body POSTed again (any 3xx with a ``Location``).

Classification: 2xx → delivered; 408, 425, 429, 5xx, timeouts, connection and TLS errors, a
name that does not resolve (now) → :class:`outbound.Retry`; other 4xx, a URL or redirect the guard
refuses, too many redirects → :class:`outbound.GiveUp`. The response body is never read.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

import urllib3

from chalicelib import outbound
from chalicelib.core import clock
from chalicelib.core.settings import get_settings
from chalicelib.webhooks import service, signing, ssrf

MAX_REDIRECTS = 3
TRANSIENT_STATUSES = frozenset({408, 425, 429})
USER_AGENT = "incident-response-webhooks/1"


def encode(payload: dict[str, Any]) -> bytes:
    """The exact bytes POSTed (and signed): compact UTF-8 JSON, Chinese not escaped."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def headers_for(job: dict[str, Any], secret: str, body: bytes) -> dict[str, str]:
    """Signature, event and delivery ids, and the time of this attempt."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        signing.HEADER: signing.sign(secret, body),
        "X-Webhook-Event": str(job.get("event", "")),
        "X-Webhook-Event-Id": str(job.get("event_id", "")),
        "X-Webhook-Delivery-Id": str(job.get("delivery_id", "")),
        "X-Webhook-Timestamp": str(int(clock.now())),
    }


@lru_cache(maxsize=1)
def _ca_file() -> str:
    """The CA bundle: certifi's when installed, else botocore's (always in the package)."""
    try:
        import certifi

        return str(certifi.where())
    except ImportError:  # pragma: no cover - the Lambda package has botocore, not necessarily certifi
        from botocore.httpsession import where

        return str(where())


def _pool(target: ssrf.Target, address: str, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    """A one-connection pool to ``address`` speaking for ``target.host`` (SNI, certificate, Host)."""
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=1,
                                           cert_reqs="CERT_REQUIRED", ca_certs=_ca_file(),
                                           server_hostname=target.host, assert_hostname=target.host)
    return urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=1)


def post(target: ssrf.Target, body: bytes, headers: dict[str, str]) -> tuple[int, str | None]:
    """POST to the first of the target's addresses that accepts a connection; ``(status, Location)``."""
    settings = get_settings()
    timeout = urllib3.Timeout(connect=settings.webhook_connect_timeout, read=settings.webhook_read_timeout,
                              total=settings.webhook_connect_timeout + settings.webhook_read_timeout)
    last: Exception | None = None
    for address in target.addresses:
        pool = _pool(target, address, timeout)
        try:
            response = pool.urlopen("POST", target.path, body=body, headers={**headers, "Host": target.host_header},
                                    redirect=False, retries=False, preload_content=False, assert_same_host=False)
            try:
                return int(response.status), response.headers.get("Location")
            finally:
                response.release_conn()
        except urllib3.exceptions.NewConnectionError as exc:
            last = exc  # refused or unreachable: the next address may answer
        except urllib3.exceptions.HTTPError as exc:
            raise outbound.Retry(f"{_describe(exc)} at {target.host}") from None
        finally:
            pool.close()
    raise outbound.Retry(f"cannot connect to {target.host}: {_describe(last)}")


def _describe(exc: Exception | None) -> str:
    if isinstance(exc, urllib3.exceptions.NewConnectionError):  # before TimeoutError: a subclass of it in urllib3 2
        return "connection refused or unreachable"
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return "timed out"
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "TLS error"
    return type(exc).__name__ if exc else "no address"


def _guard(url: str, hop: int) -> ssrf.Target:
    try:
        return service.check_url(url)
    except ssrf.Unresolvable as exc:
        raise outbound.Retry(str(exc)) from None
    except ssrf.UnsafeUrl as exc:
        raise outbound.GiveUp(f"{'redirect ' if hop else ''}refused: {exc}") from None


def send(job: dict[str, Any]) -> str:
    """Deliver one webhook job ``{"webhook_id", "delivery_id", "event", "event_id", "payload"}``."""
    found = service.signing_target(str(job.get("webhook_id", "")))
    if found is None:
        raise outbound.GiveUp("the webhook was deleted")
    url, secret = found
    body = encode(job["payload"])
    headers = headers_for(job, secret, body)
    for hop in range(MAX_REDIRECTS + 1):
        target = _guard(url, hop)
        status, location = post(target, body, headers)
        if 200 <= status < 300:
            return f"HTTP {status}" + (f" after {hop} redirect(s)" if hop else "")
        if 300 <= status < 400 and location:
            url = urljoin(target.url, location.strip())
            continue
        if status >= 500 or status in TRANSIENT_STATUSES:
            raise outbound.Retry(f"HTTP {status}")
        raise outbound.GiveUp(f"HTTP {status}")
    raise outbound.GiveUp(f"more than {MAX_REDIRECTS} redirects")
