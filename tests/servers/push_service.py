"""A Web Push service and a browser for tests: the service records each POST on loopback and
answers with planned statuses; the browser holds a subscription's keys and decrypts payloads
(RFC 8291 ``aes128gcm``) the way a real one would."""

from __future__ import annotations

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Browser:
    """A push subscription's keys, as a browser holds them."""

    def __init__(self, endpoint: str) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        point = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                   serialization.PublicFormat.UncompressedPoint)
        self.subscription = {"endpoint": endpoint, "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)},
                             "expirationTime": None}

    def decrypt(self, body: bytes) -> dict[str, Any]:
        import http_ece

        return dict(json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth,
                                                version="aes128gcm")))


class FakePushService:
    """A push service on loopback: records each POST, answers with the next planned status."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        self.arrived = threading.Event()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                service.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(service.statuses.pop(0) if service.statuses else 201)
                self.send_header("Content-Length", "0")
                self.end_headers()
                service.arrived.set()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def vapid_env() -> dict[str, str]:
    """A fresh VAPID key pair as the app's environment (the deploy tool's own generator)."""
    from infrastructure.vapid_keys import generate

    public, private = generate()
    return {"VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public}
