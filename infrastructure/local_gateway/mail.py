"""Development-only mail catcher: an SMTP server on loopback (aiosmtpd) that keeps what the app
sends in memory, and pages to read it — ``GET /__local/mail`` (the list), ``/__local/mail/<n>``
(one message: headers, the text part, the HTML part in a sandboxed frame) and
``/__local/mail.json`` (for tests and scripts).

The gateway starts it when ``EMAIL_TRANSPORT=smtp`` and no ``SMTP_HOST`` is given, and points the
app at it (``SMTP_TLS=none``: loopback only). Nothing is relayed anywhere. Never part of the
Lambda package.
"""

from __future__ import annotations

import html
import threading
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiohttp import web

from infrastructure.local_gateway.config import free_port, log

KEEP = 200  # messages kept (the oldest are dropped)
MAX_BYTES = 2 * 1024 * 1024  # one message's size limit (the server answers 552 above it)
# no script, no network: remote images in a caught message stay unloaded
PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
            "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


@dataclass(frozen=True)
class CaughtMail:
    """One message as the catcher received it."""

    number: int
    received_at: str
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    def parsed(self) -> EmailMessage:
        message = BytesParser(policy=policy.default).parsebytes(self.raw)
        assert isinstance(message, EmailMessage)
        return message

    def summary(self) -> dict[str, Any]:
        """Headers and decoded parts (what tests assert on)."""
        message = self.parsed()
        parts = {"text": None, "html": None}
        for kind in ("plain", "html"):
            body = message.get_body(preferencelist=(kind,))
            if body is not None and body.get_content_subtype() == kind:
                parts["text" if kind == "plain" else "html"] = body.get_content()
        return {"number": self.number, "received_at": self.received_at, "mail_from": self.mail_from,
                "rcpt_tos": list(self.rcpt_tos), "subject": str(message.get("Subject", "")),
                "from": str(message.get("From", "")), "to": str(message.get("To", "")),
                "date": str(message.get("Date", "")), "message_id": str(message.get("Message-ID", "")),
                "list_unsubscribe": str(message.get("List-Unsubscribe", "")), **parts}


class _Handler:
    """aiosmtpd's handler: keep every message (bounded)."""

    def __init__(self, catcher: MailCatcher) -> None:
        self.catcher = catcher

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        self.catcher.keep(str(envelope.mail_from or ""), tuple(envelope.rcpt_tos or ()), raw)
        return "250 2.0.0 Caught (development mail catcher)"


class MailCatcher:
    """The SMTP server and what it caught."""

    def __init__(self, host: str = "127.0.0.1", keep: int = KEEP) -> None:
        self.host = host
        self.port = 0
        self._mails: deque[CaughtMail] = deque(maxlen=keep)
        self._count = 0
        self._lock = threading.Lock()
        self._controller: Any = None

    def start(self) -> None:
        """Listen on a free loopback port (a thread with its own event loop)."""
        from aiosmtpd.controller import Controller

        for _attempt in range(3):  # the port found free may be taken before the server binds it
            port = free_port(self.host)
            controller = Controller(_Handler(self), hostname=self.host, port=port, data_size_limit=MAX_BYTES,
                                    ident="local mail catcher")
            try:
                controller.start()
            except (OSError, RuntimeError):
                log.debug("mail catcher could not bind %s; trying another port", port, exc_info=True)
                continue
            self._controller, self.port = controller, port
            log.info("mail catcher on smtp://%s:%s", self.host, port)
            return
        raise RuntimeError("the mail catcher could not bind a loopback port")

    def stop(self) -> None:
        if self._controller is not None:
            try:
                self._controller.stop()
            except Exception:  # noqa: BLE001 - best effort at shutdown
                log.debug("mail catcher stop failed", exc_info=True)
            self._controller = None

    def keep(self, mail_from: str, rcpt_tos: tuple[str, ...], raw: bytes) -> None:
        with self._lock:
            self._count += 1
            stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
            self._mails.append(CaughtMail(self._count, stamp, mail_from, rcpt_tos, raw))

    def mails(self) -> list[CaughtMail]:
        """What is kept, newest first."""
        with self._lock:
            return list(reversed(self._mails))

    def get(self, number: int) -> CaughtMail | None:
        with self._lock:
            return next((m for m in self._mails if m.number == number), None)

    def info(self) -> dict[str, Any]:
        """For ``/__local/info`` and the banner."""
        with self._lock:
            return {"smtp": f"{self.host}:{self.port}", "caught": self._count, "kept": len(self._mails),
                    "page": "/__local/mail"}

    # -- pages ---------------------------------------------------------------------------------
    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/__local/mail", self._list_page)
        app.router.add_get("/__local/mail.json", self._list_json)
        app.router.add_get(r"/__local/mail/{number:\d{1,9}}", self._message_page)

    async def _list_json(self, _: web.Request) -> web.Response:
        return web.json_response({"mails": [m.summary() for m in self.mails()]})

    async def _list_page(self, _: web.Request) -> web.Response:
        rows = []
        for mail in self.mails():
            s = mail.summary()
            rows.append(f"<tr><td>{mail.number}</td><td>{_e(s['date'] or mail.received_at)}</td>"
                        f"<td>{_e(s['to'] or ', '.join(mail.rcpt_tos))}</td>"
                        f"<td><a href=\"/__local/mail/{mail.number}\">{_e(s['subject'] or '(無主旨 no subject)')}</a>"
                        "</td></tr>")
        body = ("<table><thead><tr><th>#</th><th>時間 Date</th><th>收件人 To</th><th>主旨 Subject</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>" if rows else "<p>尚無郵件。No mail caught yet.</p>")
        return _page("本機郵件 Local mail", f"<p>SMTP {_e(self.host)}:{self.port} · 只保留最近 {KEEP} 封 "
                                              f"(the newest {KEEP} are kept)</p>{body}")

    async def _message_page(self, request: web.Request) -> web.Response:
        mail = self.get(int(request.match_info["number"]))
        if mail is None:
            raise web.HTTPNotFound(text="no such message")
        s = mail.summary()
        headers = "".join(f"<tr><th>{_e(name)}</th><td>{_e(s[key])}</td></tr>" for name, key in (
            ("From", "from"), ("To", "to"), ("Subject", "subject"), ("Date", "date"), ("Message-ID", "message_id"),
            ("List-Unsubscribe", "list_unsubscribe"), ("Envelope", "rcpt_tos")))
        parts = ""
        if s["html"] is not None:  # sandbox="": no script, no forms, no same-origin access, no navigation
            parts += (f"<h2>HTML</h2><iframe sandbox=\"\" referrerpolicy=\"no-referrer\" title=\"HTML part\" "
                      f"srcdoc=\"{_e(s['html'])}\"></iframe>"
                      f"<details><summary>HTML 原始碼 source</summary><pre>{_e(s['html'])}</pre></details>")
        if s["text"] is not None:
            parts += f"<h2>純文字 Text</h2><pre>{_e(s['text'])}</pre>"
        raw = mail.raw.decode("utf-8", "replace")
        parts += f"<details><summary>原始郵件 Raw message</summary><pre>{_e(raw)}</pre></details>"
        return _page(f"#{mail.number} {s['subject']}", f"<p><a href=\"/__local/mail\">← 全部 All mail</a></p>"
                                                        f"<table>{headers}</table>{parts}")


def _e(value: Any) -> str:
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    return html.escape(str(value), quote=True)


def _page(title: str, body: str) -> web.Response:
    doc = ("<!DOCTYPE html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\">"
           f"<title>{_e(title)}</title><style>body{{font-family:sans-serif;margin:24px}}"
           "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
           "iframe{width:100%;height:480px;border:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;"
           f"padding:8px}}</style></head><body><h1>{_e(title)}</h1>{body}</body></html>")
    return web.Response(text=doc, content_type="text/html", charset="utf-8",
                        headers={"Content-Security-Policy": PAGE_CSP, "X-Frame-Options": "SAMEORIGIN",
                                 "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})


def wanted() -> bool:
    """Whether the gateway should run the catcher (e-mail by SMTP, no server named)."""
    import os

    return os.environ.get("EMAIL_TRANSPORT", "").strip().lower() == "smtp" and not os.environ.get(
        "SMTP_HOST", "").strip()


def point_app_at(catcher: MailCatcher) -> None:
    """The app's SMTP settings for the catcher (before the app reads its settings)."""
    import os

    os.environ["SMTP_HOST"] = catcher.host
    os.environ["SMTP_PORT"] = str(catcher.port)
    os.environ["SMTP_TLS"] = "none"  # loopback, development only
