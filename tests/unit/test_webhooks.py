"""Signed webhooks (issue 12 item 4): administrators' CRUD, the secret shown once, the SSRF guard,
signatures, the sender's classification of answers, and the producer (rooms stream → one
delivery per event and webhook, even when a stream record is handled twice).

The guard resolves names through ``ssrf.resolve``, replaced here by a fake DNS (:data:`DNS`).
The sender's HTTP path runs against real HTTP(S) servers on loopback (:class:`Receiver`) with
``WEBHOOK_ALLOW_PRIVATE=true``; with it off, its answers are scripted at ``sender.post``.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.builders import ROLES, Api, Outbox, StreamPump

DNS = {
    "hooks.example.com": ["93.184.216.34"],
    "v6.example.com": ["2606:4700::1111"],
    "internal.example.com": ["10.1.2.3"],
    "mixed.example.com": ["93.184.216.34", "10.1.2.3"],
    "metadata.example.com": ["169.254.169.254"],
    "rebind.example.test": ["127.0.0.1"],
    "tls.example.test": ["127.0.0.1"],
}
URL = "https://hooks.example.com/incident"
EVENTS = ["room_created", "room_acknowledged", "room_escalated", "room_resolved"]


def fake_resolve(host: str, port: int) -> list[str]:
    from chalicelib.webhooks import ssrf

    if host not in DNS:
        raise ssrf.Unresolvable(f"the host {host} does not resolve")
    return list(DNS[host])


@pytest.fixture(autouse=True)
def dns(monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.webhooks import ssrf

    monkeypatch.setattr(ssrf, "resolve", fake_resolve)


@pytest.fixture
def dev_mode(env: pytest.MonkeyPatch) -> Iterator[None]:
    """``WEBHOOK_ALLOW_PRIVATE=true`` with short timeouts (``make dev``)."""
    from chalicelib.core.settings import get_settings

    env.setenv("WEBHOOK_ALLOW_PRIVATE", "true")
    env.setenv("WEBHOOK_READ_TIMEOUT", "0.5")
    env.setenv("WEBHOOK_CONNECT_TIMEOUT", "0.5")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _create(api: Api, url: str = URL, events: list[str] | None = None, role: str = "admin") -> Any:
    return api.call(role, "POST", "/webhooks", {"url": url, "events": events or EVENTS, "description": "MES 告警"})


def _hook(api: Api, url: str = URL, events: list[str] | None = None) -> dict[str, Any]:
    made = _create(api, url, events)
    assert made.status_code == 201, made.body
    return dict(made.json_body)


# ------------------------------------------------------------------------------ a receiver
class Receiver:
    """An HTTP(S) server on loopback that records requests and answers as planned: each plan
    entry is a status, ``("redirect", status, location)`` or ``("sleep", seconds)``; the last
    entry repeats."""

    def __init__(self, *plan: Any, tls: ssl.SSLContext | None = None) -> None:
        self.plan = list(plan) or [200]
        self.requests: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": self.rfile.read(length)})
                step = receiver.plan.pop(0) if len(receiver.plan) > 1 else receiver.plan[0]
                if isinstance(step, tuple) and step[0] == "sleep":
                    time.sleep(step[1])
                    step = 200
                if isinstance(step, tuple) and step[0] == "redirect":
                    self.send_response(step[1])
                    self.send_header("Location", step[2])
                else:
                    self.send_response(int(step))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    made: list[Receiver] = []

    def make(*plan: Any, tls: ssl.SSLContext | None = None) -> Receiver:
        made.append(Receiver(*plan, tls=tls))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


def _job(webhook_id: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"webhook_id": webhook_id, "delivery_id": "d-1", "event": "room_created", "event_id": "e-1",
            "payload": payload or {"event": "room_created", "room": {"title": "L3 回焊爐溫度異常"}}}


# ------------------------------------------------------------------------------ CRUD
CASES = [("GET", "/webhooks", None, 200), ("POST", "/webhooks", {"url": URL, "events": ["room_created"]}, 201),
         ("GET", "/webhooks/{id}/deliveries", None, 200), ("DELETE", "/webhooks/{id}", None, 204)]


@pytest.mark.parametrize(("method", "path", "body", "status"), CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_only_administrators_manage_webhooks(api: Api, method: str, path: str, body: Any, status: int) -> None:
    hook = _hook(api)
    url = path.format(id=hook["webhook_id"])
    for role in ROLES:
        if role == "admin":
            continue
        assert api.call(role, method, url, body).status_code == 403, role
    anonymous = getattr(api.client.http, method.lower())(url, headers={"Content-Type": "application/json"})
    assert anonymous.status_code == 401
    assert anonymous.json_body["error"]["code"] == "unauthorized"
    assert api.call("admin", method, url, body).status_code == status
    assert len(api.call("admin", "GET", "/webhooks").json_body["webhooks"]) == (2 if method == "POST" else
                                                                                0 if method == "DELETE" else 1)


def test_the_secret_is_shown_once_and_never_listed(api: Api) -> None:
    made = _hook(api, events=["room_created", "room_created", "room_resolved"])
    assert made["secret"].startswith("whsec_") and len(made["secret"]) >= 40
    assert made["events"] == ["room_created", "room_resolved"]  # duplicates collapse
    assert set(made) >= {"webhook_id", "url", "events", "secret", "created_at"}
    listed = api.call("admin", "GET", "/webhooks")
    assert listed.status_code == 200
    assert [h["webhook_id"] for h in listed.json_body["webhooks"]] == [made["webhook_id"]]
    assert made["secret"] not in json.dumps(listed.json_body) and "secret" not in listed.json_body["webhooks"][0]
    other = _hook(api)
    assert other["secret"] != made["secret"]


def test_unknown_webhooks_are_404_and_deleting_twice_is_404(api: Api) -> None:
    hook = _hook(api)
    for path in ("/webhooks/not-a-uuid", "/webhooks/00000000-0000-4000-8000-000000000000", "/webhooks/%2F..%2F"):
        assert api.call("admin", "DELETE", path).status_code == 404, path
        assert api.call("admin", "GET", f"{path}/deliveries").status_code == 404, path
    assert api.call("admin", "DELETE", f"/webhooks/{hook['webhook_id']}").status_code == 204
    assert api.call("admin", "DELETE", f"/webhooks/{hook['webhook_id']}").status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"events": ["room_created"]}, "url"),
    ({"url": URL}, "events"),
    ({"url": URL, "events": []}, "events"),
    ({"url": URL, "events": ["room_deleted"]}, "events.0"),
    ({"url": URL, "events": "room_created"}, "events"),
    ({"url": 42, "events": ["room_created"]}, "url"),
    ({"url": URL + "/" + "a" * 2000, "events": ["room_created"]}, "url"),
    ({"url": "https://hooks.example.com/\x00", "events": ["room_created"]}, "url"),
    ({"url": URL, "events": ["room_created"], "secret": "mine"}, "secret"),
    ({"url": URL, "events": ["room_created"], "description": "\u202eevil"}, "description"),
    ({"url": URL, "events": ["room_created"], "description": "x" * 201}, "description"),
])
def test_invalid_bodies_are_400_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    response = api.call("admin", "POST", "/webhooks", body)
    assert response.status_code == 400, response.body
    assert response.json_body["error"]["code"] == "validation_error"
    assert field in [d["field"] for d in response.json_body["error"]["details"]]


@pytest.mark.parametrize("raw", ["", "[]", "null", "{", '"x"', '{"url": "\\ud800", "events": ["room_created"]}'])
def test_bodies_that_are_no_object_are_400(api: Api, raw: str) -> None:
    response = api.client.http.post("/webhooks", body=raw, headers={"Content-Type": "application/json",
                                                                    "Authorization": f"Bearer {api.tokens['admin']}"})
    assert response.status_code == 400, response.body


@pytest.mark.parametrize(("url", "reason"), [
    ("http://hooks.example.com/x", "https"),
    ("https://127.0.0.1/x", "loopback"),
    ("https://169.254.169.254/latest/meta-data/", "metadata"),
    ("https://internal.example.com/x", "private"),
    ("https://admin:pw@hooks.example.com/x", "credentials"),
    ("https://nowhere.example.com/x", "does not resolve"),
    ("https://hooks.example.com:22/x", "port"),
    ("hooks.example.com/x", "https"),
])
def test_unsafe_urls_are_refused_at_creation_with_a_field_error(api: Api, url: str, reason: str) -> None:
    response = _create(api, url)
    assert response.status_code == 400, response.body
    details = response.json_body["error"]["details"]
    assert details[0]["field"] == "url" and reason in details[0]["message"], details
    assert api.call("admin", "GET", "/webhooks").json_body["webhooks"] == []


def test_there_is_a_limit_on_webhooks(api: Api) -> None:
    from chalicelib.webhooks import service

    for _ in range(service.MAX_WEBHOOKS):
        _hook(api)
    assert _create(api).status_code == 409


# ------------------------------------------------------------------------------ SSRF guard
REFUSED = [
    ("https://127.0.0.1/", "loopback"),
    ("https://[::1]/", "loopback"),
    ("https://169.254.169.254/", "metadata"),
    ("https://[fd00:ec2::254]/", "metadata"),
    ("https://[fd00::1]/", "private"),
    ("https://[::ffff:10.0.0.1]/", "private"),
    ("https://[::ffff:127.0.0.1]/", "loopback"),
    ("https://[2002:a00:1::]/", "private"),  # 6to4 around 10.0.0.1
    ("https://[64:ff9b::a9fe:a9fe]/", "metadata"),  # NAT64 around 169.254.169.254
    ("https://10.0.0.8/", "private"),
    ("https://192.168.1.10/", "private"),
    ("https://172.16.5.4/", "private"),
    ("https://100.64.0.1/", "public"),
    ("https://0.0.0.0/", "unspecified"),
    ("https://[::]/", "unspecified"),
    ("https://224.0.0.1/", "multicast"),
    ("https://[fe80::1]/", "link-local"),
    ("https://2130706433/", "loopback"),  # 127.0.0.1 as one number: resolved, then refused
    ("https://internal.example.com/", "private"),
    ("https://mixed.example.com/", "private"),  # every address must pass
    ("https://metadata.example.com/", "metadata"),
    ("http://hooks.example.com/", "https"),
    ("ftp://hooks.example.com/", "https"),
    ("https://user@hooks.example.com/", "credentials"),
    ("https://user:pw@hooks.example.com/", "credentials"),
    ("https://hooks.example.com:25/", "port"),
    ("https://hooks.example.com:99999/", "port"),
    ("https:///path", "host"),
    ("https://exa_mple.com/", "host name"),
    ("https://exa mple.com/", "spaces"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED, ids=[u for u, _ in REFUSED])
def test_the_guard_refuses(url: str, reason: str) -> None:
    from chalicelib.webhooks import ssrf

    def resolve(host: str, port: int) -> list[str]:
        try:
            return [str(ipaddress.ip_address(int(host)))]  # what getaddrinfo does with "2130706433"
        except ValueError:
            return fake_resolve(host, port)

    with pytest.raises(ssrf.UnsafeUrl) as refused:
        ssrf.check_url(url, resolver=resolve)
    assert reason in str(refused.value), str(refused.value)


def test_the_guard_passes_public_https_and_pins_the_addresses() -> None:
    from chalicelib.webhooks import ssrf

    target = ssrf.check_url("https://Hooks.Example.com./a/b?x=1#frag")
    assert (target.scheme, target.host, target.port, target.path, target.addresses) == \
        ("https", "hooks.example.com", 443, "/a/b?x=1", ("93.184.216.34",))
    assert target.host_header == "hooks.example.com"
    v6 = ssrf.check_url("https://v6.example.com:8443")
    assert (v6.addresses, v6.path, v6.host_header) == (("2606:4700::1111",), "/", "v6.example.com:8443")
    assert ssrf.check_url("https://[2606:4700::1111]/").host_header == "[2606:4700::1111]"


def test_development_mode_allows_http_and_private_but_never_metadata() -> None:
    from chalicelib.webhooks import ssrf

    assert ssrf.check_url("http://127.0.0.1:8080/x", allow_private=True).addresses == ("127.0.0.1",)
    assert ssrf.check_url("http://internal.example.com:25/", allow_private=True).port == 25
    for url in ("http://169.254.169.254/", "http://[::ffff:169.254.169.254]/", "http://metadata.example.com/"):
        with pytest.raises(ssrf.UnsafeUrl, match="metadata"):
            ssrf.check_url(url, allow_private=True)
    with pytest.raises(ssrf.UnsafeUrl, match="credentials"):
        ssrf.check_url("http://a:b@127.0.0.1/", allow_private=True)


def test_the_setting_is_off_unless_set_and_never_goes_to_aws() -> None:
    from chalicelib.core.settings import Settings, declared

    assert Settings().webhook_allow_private is False
    assert [d.aws for d in declared() if d.env == "WEBHOOK_ALLOW_PRIVATE"] == [False]


# ------------------------------------------------------------------------------ signing
def test_signatures_verify_and_any_change_breaks_them() -> None:
    from chalicelib.webhooks import sender, signing

    body = sender.encode({"event": "room_created", "room": {"title": "L3 回焊爐溫度異常"}})
    assert "回焊爐".encode() in body  # UTF-8, not \\u escapes: the bytes signed are the bytes sent
    header = signing.sign("whsec_k", body)
    assert header.startswith("sha256=") and len(header) == len("sha256=") + 64
    assert signing.verify("whsec_k", body, header)
    assert not signing.verify("whsec_other", body, header)
    assert not signing.verify("whsec_k", body + b" ", header)
    assert not signing.verify("whsec_k", body, None)
    assert not signing.verify("whsec_k", body, header.upper())


# ------------------------------------------------------------------------------ the sender, real HTTP
def test_one_signed_post_reaches_the_receiver(api: Api, dev_mode: None, receivers: Callable[..., Receiver]) -> None:
    from chalicelib.webhooks import sender, signing

    receiver = receivers(204)
    hook = _hook(api, receiver.url())
    assert sender.send(_job(hook["webhook_id"])) == "HTTP 204"
    [request] = receiver.requests
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert request["path"] == "/hook"
    assert signing.verify(hook["secret"], request["body"], headers["x-signature-256"])
    assert json.loads(request["body"])["room"]["title"] == "L3 回焊爐溫度異常"
    assert headers["x-webhook-event"] == "room_created" and headers["x-webhook-event-id"] == "e-1"
    assert headers["x-webhook-delivery-id"] == "d-1" and abs(int(headers["x-webhook-timestamp"]) - time.time()) < 60
    assert headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(("plan", "outcome"), [
    ((200,), "HTTP 200"), ((202,), "HTTP 202"),
    ((500,), "Retry"), ((503,), "Retry"), ((429,), "Retry"), ((408,), "Retry"),
    ((400,), "GiveUp"), ((401,), "GiveUp"), ((404,), "GiveUp"), ((410,), "GiveUp"),
    ((("sleep", 1.5),), "Retry"),
    ((("redirect", 307, "/moved"), 200), "HTTP 200 after 1 redirect(s)"),
    ((("redirect", 302, "/a"), ("redirect", 301, "/b"), ("redirect", 308, "/c"), 200), "HTTP 200 after 3 redirect(s)"),
    ((("redirect", 307, "/loop"),), "GiveUp"),  # more than 3
    ((304,), "GiveUp"),  # a redirect status without a Location
])
def test_answers_are_classified(api: Api, dev_mode: None, receivers: Callable[..., Receiver], plan: tuple[Any, ...],
                                outcome: str) -> None:
    from chalicelib import outbound
    from chalicelib.webhooks import sender

    receiver = receivers(*plan)
    hook = _hook(api, receiver.url())
    if outcome.startswith("HTTP"):
        assert sender.send(_job(hook["webhook_id"])) == outcome
        return
    with pytest.raises(getattr(outbound, outcome)) as raised:
        sender.send(_job(hook["webhook_id"]))
    expected = "timed out at 127.0.0.1" if plan[0] == ("sleep", 1.5) else "more than 3 redirects" \
        if plan[0] == ("redirect", 307, "/loop") else f"HTTP {plan[0]}"
    assert str(raised.value) == expected


def test_nobody_listening_is_transient(api: Api, dev_mode: None, receivers: Callable[..., Receiver]) -> None:
    from chalicelib import outbound
    from chalicelib.webhooks import sender

    receiver = receivers(200)
    hook = _hook(api, receiver.url())
    receiver.close()
    with pytest.raises(outbound.Retry, match="cannot connect to 127.0.0.1: connection refused"):
        sender.send(_job(hook["webhook_id"]))


def test_the_request_goes_to_the_checked_address_not_a_second_lookup(
        api: Api, dev_mode: None, receivers: Callable[..., Receiver], monkeypatch: pytest.MonkeyPatch) -> None:
    """The name resolves (in the guard) to loopback, where the receiver is; the system resolver
    knows no such name — the request arrives anyway, with the name as Host: it was pinned."""
    from chalicelib.webhooks import sender

    receiver = receivers(200)
    hook = _hook(api, receiver.url(host="rebind.example.test"))
    assert sender.send(_job(hook["webhook_id"])) == "HTTP 200"
    assert receiver.requests[0]["headers"]["Host"] == f"rebind.example.test:{receiver.port}"


def _certificate(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, Path]:
    """A self-signed certificate for ``name`` and a server context with it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file


def test_https_to_a_pinned_address_still_checks_the_certificate_for_the_name(
        api: Api, dev_mode: None, receivers: Callable[..., Receiver], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    from chalicelib import outbound
    from chalicelib.webhooks import sender

    context, cert_file = _certificate(tmp_path, "tls.example.test")
    monkeypatch.setattr(sender, "_ca_file", lambda: str(cert_file))
    receiver = receivers(200, tls=context)
    good = _hook(api, receiver.url(host="tls.example.test"))
    assert sender.send(_job(good["webhook_id"])) == "HTTP 200"  # SNI + certificate for the name
    wrong_name = _hook(api, receiver.url(host="rebind.example.test"))
    with pytest.raises(outbound.Retry, match="TLS"):
        sender.send(_job(wrong_name["webhook_id"]))
    assert len(receiver.requests) == 1  # the second never got past the handshake


def test_a_deleted_webhook_gives_up(api: Api) -> None:
    from chalicelib import outbound
    from chalicelib.webhooks import sender

    hook = _hook(api)
    api.call("admin", "DELETE", f"/webhooks/{hook['webhook_id']}")
    with pytest.raises(outbound.GiveUp, match="deleted"):
        sender.send(_job(hook["webhook_id"]))


# ------------------------------------------------------------------------------ the sender, production rules
class ScriptedPost:
    """``sender.post`` answering from a script, recording which checked targets it was given."""

    def __init__(self, *answers: tuple[int, str | None]) -> None:
        self.answers = list(answers)
        self.targets: list[Any] = []

    def __call__(self, target: Any, body: bytes, headers: dict[str, str]) -> tuple[int, str | None]:
        self.targets.append(target)
        return self.answers.pop(0)


@pytest.mark.parametrize("location", [
    "http://127.0.0.1/steal", "https://127.0.0.1/", "https://[::1]/", "https://169.254.169.254/latest/meta-data/",
    "https://internal.example.com/", "https://[::ffff:10.0.0.1]/", "http://hooks.example.com/plain",
])
def test_a_redirect_to_an_unsafe_place_is_refused(api: Api, monkeypatch: pytest.MonkeyPatch, location: str) -> None:
    from chalicelib import outbound
    from chalicelib.webhooks import sender

    hook = _hook(api)
    scripted = ScriptedPost((302, location))
    monkeypatch.setattr(sender, "post", scripted)
    with pytest.raises(outbound.GiveUp, match="redirect refused"):
        sender.send(_job(hook["webhook_id"]))
    assert len(scripted.targets) == 1  # never called there


def test_a_redirect_to_a_safe_place_is_followed_to_its_checked_addresses(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.webhooks import sender

    hook = _hook(api)
    scripted = ScriptedPost((301, "https://v6.example.com/new"), (200, None))
    monkeypatch.setattr(sender, "post", scripted)
    assert sender.send(_job(hook["webhook_id"])) == "HTTP 200 after 1 redirect(s)"
    assert [t.addresses for t in scripted.targets] == [("93.184.216.34",), ("2606:4700::1111",)]


def test_a_name_that_resolves_to_a_private_address_by_now_is_given_up(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib import outbound
    from chalicelib.webhooks import sender

    hook = _hook(api)
    monkeypatch.setitem(DNS, "hooks.example.com", ["10.9.9.9"])  # re-pointed after creation
    monkeypatch.setattr(sender, "post", ScriptedPost())
    with pytest.raises(outbound.GiveUp, match="private"):
        sender.send(_job(hook["webhook_id"]))
    monkeypatch.delitem(DNS, "hooks.example.com")  # and a name that stops resolving: transient
    with pytest.raises(outbound.Retry, match="does not resolve"):
        sender.send(_job(hook["webhook_id"]))


# ------------------------------------------------------------------------------ the producer
class Capture:
    """A webhook sender that records jobs instead of posting (the producer's tests)."""

    def __init__(self) -> None:
        self.jobs: list[dict[str, Any]] = []

    def __call__(self, job: dict[str, Any]) -> str:
        self.jobs.append(job)
        return "HTTP 200"

    def events(self) -> list[str]:
        return [j["event"] for j in self.jobs]


def _room(api: Api, **extra: Any) -> str:
    made = api.call("owner", "POST", "/rooms", {"title": "L3 回焊爐溫度異常", "incident_type": "equipment_failure",
                                                "severity": "high", **extra})
    assert made.status_code == 201, made.body
    return str(made.json_body["room_id"])


def test_each_room_event_is_enqueued_once_per_subscribed_webhook_even_when_records_repeat(
        api: Api, outbox: Outbox, room_stream: StreamPump) -> None:
    import app

    everything = _hook(api)
    resolved_only = _hook(api, events=["room_resolved"])
    room_stream.records()  # start after the set-up
    room_id = _room(api)
    records = room_stream.records()
    assert app.room_events({"Records": records}, None) == {"batchItemFailures": []}
    assert app.room_events({"Records": records}, None) == {"batchItemFailures": []}  # the stream repeats itself
    capture = Capture()
    outbox.run({"webhook": capture})
    assert capture.events() == ["room_created"]
    [job] = capture.jobs
    assert job["webhook_id"] == everything["webhook_id"]
    payload = job["payload"]
    assert payload["event"] == "room_created" and payload["event_id"] == job["event_id"]
    assert payload["room"]["room_id"] == room_id and payload["room"]["title"] == "L3 回焊爐溫度異常"
    assert payload["room"]["severity"] == "high" and payload["room"]["status"] == "active"
    assert payload["room"]["url"].endswith(f"/rooms/{room_id}")
    assert payload["actor"] == {"user_id": "wang.owner@panjit.com.tw", "display_name": "王小明"}
    assert payload["occurred_at"].endswith("Z")

    # chat activity touches the room: no event
    api.call("owner", "POST", f"/rooms/{room_id}/members", {"user_id": "chen.editor@panjit.com.tw", "role": "EDITOR"})
    assert app.room_events({"Records": room_stream.records()}, None) == {"batchItemFailures": []}
    assert outbox.queued == []

    outbox.now += 1  # later events, later entries in the log
    assert api.call("editor", "POST", f"/rooms/{room_id}/acknowledge").status_code == 200
    room_stream.pump(app.room_events)
    outbox.now += 1
    resolved = api.call("owner", "PATCH", f"/rooms/{room_id}", {"status": "resolved", "resolution_note": "換熱電偶"})
    assert resolved.status_code == 200, resolved.body
    room_stream.pump(app.room_events)
    outbox.run({"webhook": capture})
    assert capture.events() == ["room_created", "room_acknowledged", "room_resolved", "room_resolved"]
    acknowledged = capture.jobs[1]["payload"]
    assert acknowledged["actor"]["user_id"] == "chen.editor@panjit.com.tw"
    assert acknowledged["room"]["acknowledged_by"] == "chen.editor@panjit.com.tw"
    resolutions = {j["webhook_id"]: j for j in capture.jobs[2:]}
    assert set(resolutions) == {everything["webhook_id"], resolved_only["webhook_id"]}
    assert len({j["event_id"] for j in capture.jobs[2:]}) == 1  # one event, two deliveries
    assert resolutions[everything["webhook_id"]]["payload"]["room"]["resolution_note"] == "換熱電偶"

    # the delivery log of each webhook
    log = api.call("admin", "GET", f"/webhooks/{everything['webhook_id']}/deliveries")
    assert log.status_code == 200
    assert [(d["event"], d["status"], d["attempts"]) for d in log.json_body["deliveries"]] == \
        [("room_resolved", "delivered", 1), ("room_acknowledged", "delivered", 1), ("room_created", "delivered", 1)]
    assert len(api.call("admin", "GET", f"/webhooks/{resolved_only['webhook_id']}/deliveries?limit=1")
               .json_body["deliveries"]) == 1
    assert api.call("admin", "GET", f"/webhooks/{resolved_only['webhook_id']}/deliveries?limit=0").status_code == 400


def test_reopening_and_resolving_again_is_a_new_event(api: Api, outbox: Outbox, room_stream: StreamPump) -> None:
    import app

    _hook(api, events=["room_resolved"])
    room_id = _room(api)
    room_stream.pump(app.room_events)
    capture = Capture()
    for _ in range(2):
        api.call("owner", "PATCH", f"/rooms/{room_id}", {"status": "resolved", "resolution_note": "ok"})
        room_stream.pump(app.room_events)
        outbox.now += 1  # a later resolution time
        api.call("owner", "PATCH", f"/rooms/{room_id}", {"status": "active"})
        room_stream.pump(app.room_events)
    outbox.run({"webhook": capture})
    assert capture.events() == ["room_resolved", "room_resolved"]
    assert len({j["event_id"] for j in capture.jobs}) == 2


def test_an_escalation_step_is_an_event_with_its_level(api: Api, outbox: Outbox, room_stream: StreamPump) -> None:
    import app
    from chalicelib.core import clock
    from chalicelib.rooms import escalation

    _hook(api, events=["room_escalated"])
    policy = api.call("admin", "POST", "/escalation-policies", {
        "name": "p", "steps": [{"after_minutes": 0, "notify": {"roles": ["OWNER"]}}]}).json_body["policy_id"]
    room_id = _room(api, escalation_policy_id=policy)
    room_stream.pump(app.room_events)
    assert escalation.run_due(now=clock.now() + 61)["fired"] == 1
    room_stream.pump(app.room_events)
    capture = Capture()
    outbox.run({"webhook": capture})
    [job] = capture.jobs
    assert job["event"] == "room_escalated" and job["payload"]["escalation"] == {"level": 1}
    assert job["payload"]["room"]["room_id"] == room_id and job["payload"]["room"]["escalation_level"] == 1
    assert "actor" not in job["payload"]


def test_a_failing_record_is_reported_and_its_retry_enqueues_only_what_is_missing(
        api: Api, outbox: Outbox, room_stream: StreamPump, monkeypatch: pytest.MonkeyPatch) -> None:
    import app
    from chalicelib import outbound

    first, second = _hook(api), _hook(api)
    _room(api)
    records = room_stream.records()
    real = outbound.enqueue
    calls: list[str] = []

    def flaky(channel: str, delivery_id: str, owner: str, job: dict[str, Any]) -> bool:
        calls.append(owner)
        if len(calls) == 2:
            raise RuntimeError("queue unavailable")
        return real(channel, delivery_id, owner, job)

    monkeypatch.setattr(outbound, "enqueue", flaky)
    failed = app.room_events({"Records": records}, None)
    assert failed == {"batchItemFailures": [{"itemIdentifier": records[0]["dynamodb"]["SequenceNumber"]}]}
    assert app.room_events({"Records": records}, None) == {"batchItemFailures": []}  # the stream retries it
    capture = Capture()
    outbox.run({"webhook": capture})
    assert sorted(j["webhook_id"] for j in capture.jobs) == sorted([first["webhook_id"], second["webhook_id"]])


def test_without_webhooks_the_producer_reads_nothing_for_ordinary_changes(
        api: Api, outbox: Outbox, room_stream: StreamPump, monkeypatch: pytest.MonkeyPatch) -> None:
    import app
    from chalicelib.webhooks import service

    room_id = _room(api)
    room_stream.records()
    queried: list[int] = []

    def subscribers() -> list[Any]:
        queried.append(1)
        return []

    monkeypatch.setattr(service, "subscribers", subscribers)
    api.call("owner", "PATCH", f"/rooms/{room_id}", {"title": "L3 回焊爐 溫度異常（更新）"})
    room_stream.pump(app.room_events)
    assert queried == [] and outbox.queued == []


def test_a_created_room_reaches_a_real_receiver_signed(api: Api, outbox: Outbox, room_stream: StreamPump,
                                                        dev_mode: None, receivers: Callable[..., Receiver]) -> None:
    import app
    from chalicelib.webhooks import sender, signing

    receiver = receivers(500, 200)
    hook = _hook(api, receiver.url(), events=["room_created"])
    room_id = _room(api)
    room_stream.pump(app.room_events)
    outbox.run({"webhook": sender.send})
    assert len(receiver.requests) == 2  # 500, then delivered on the retry
    bodies = {r["body"] for r in receiver.requests}
    assert len(bodies) == 1  # the same event, byte for byte
    for request in receiver.requests:
        assert signing.verify(hook["secret"], request["body"], request["headers"]["X-Signature-256"])
    assert json.loads(receiver.requests[0]["body"])["room"]["room_id"] == room_id
    [delivery] = api.call("admin", "GET", f"/webhooks/{hook['webhook_id']}/deliveries").json_body["deliveries"]
    assert (delivery["status"], delivery["attempts"], delivery["result"]) == ("delivered", 2, "HTTP 200")
