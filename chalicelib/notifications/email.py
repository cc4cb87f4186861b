"""E-mail notifications: compose a zh-TW first / English second message and send it through
SMTP (a plant relay) or Amazon SES — the ``email`` sender of the outbound queue.

:func:`send` is called by the queue's worker, never on a request path. It raises
``outbound.Retry`` for what may pass (connection refused, timeouts, SMTP 4xx, SES throttling)
and ``outbound.GiveUp`` for what will not (SMTP 5xx such as a refused recipient, SES
``MessageRejected``, a job that cannot be composed). The ``Message-ID`` derives from the
notification id, so a message sent twice is recognisable as one by every mail system.

The recipient is the user's id: the directory's ``mail`` attribute (its UPN only where AD has
no ``mail``; a relay refusing that address makes the delivery fail, it is not retried).
"""

from __future__ import annotations

import html
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from chalicelib import outbound
from chalicelib.auth import users
from chalicelib.core import clock
from chalicelib.core.observability import logger
from chalicelib.core.settings import Settings, get_settings
from chalicelib.core.text import USER_ID_PATTERN

SETTINGS_PATH = "/settings/notifications"  # the SPA's notification settings (List-Unsubscribe)
_TEMPLATES = Path(__file__).with_name("templates")
_SAFE_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


@dataclass(frozen=True)
class KindText:
    """How one notification kind reads in an e-mail."""

    zh: str  # subject tag, e.g. 【升級通知】
    en: str
    lead_zh: str
    lead_en: str


KINDS = {
    "escalation": KindText("升級通知", "Escalation", "此事件已升級通報給你，請盡快開啟事件室並按「我來處理」。",
                           "This incident has been escalated to you: open the room and acknowledge it (我來處理)."),
    "mention": KindText("提及通知", "Mention", "有人在事件室中提到你。", "You were mentioned in an incident room."),
    "added_to_room": KindText("加入事件", "Added to a room", "你已被加入事件室。",
                              "You were added to an incident room."),
    "room_acknowledged": KindText("已接手", "Acknowledged", "你負責的事件已有人接手處理。",
                                  "Someone acknowledged an incident you own."),
    "room_resolved": KindText("已解決", "Resolved", "你負責的事件已解決。", "An incident you own was resolved."),
}


def enabled(settings: Settings | None = None) -> bool:
    """True when an e-mail transport is configured (``EMAIL_TRANSPORT`` smtp or ses)."""
    return (settings or get_settings()).email_enabled


# ---------------------------------------------------------------------------------- compose
def _text(value: Any, limit: int) -> str:
    """Text that can be encoded (a lone surrogate becomes "?"), at most ``limit`` characters."""
    return str(value or "").encode("utf-8", "replace").decode("utf-8")[:limit]


def _line(value: Any, limit: int) -> str:
    """One line of text for a header or a title: control characters folded to a space."""
    return _CONTROL.sub(" ", _text(value, limit * 2)).strip()[:limit]


def _sender(settings: Settings) -> Address:
    name, addr = parseaddr(settings.email_from)
    try:
        sender = Address(display_name=_line(name, 100), addr_spec=addr)
    except (ValueError, TypeError) as exc:  # email.errors.HeaderDefect is a ValueError
        raise outbound.GiveUp("EMAIL_FROM is not an e-mail address") from exc
    if not sender.username or not sender.domain:
        raise outbound.GiveUp("EMAIL_FROM is not an e-mail address")
    return sender


def _recipient(user_id: Any) -> Address:
    if not isinstance(user_id, str) or len(user_id) > 256 or not re.match(USER_ID_PATTERN, user_id):
        raise outbound.GiveUp("the recipient is not an e-mail address")
    user = users.get_user(user_id)
    return Address(display_name=_line(user.display_name if user else "", 100), addr_spec=user_id)


def _times(created_at: Any, settings: Settings) -> tuple[str, str]:
    try:
        moment = datetime.fromtimestamp(clock.parse_iso(str(created_at)), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        moment = datetime.fromtimestamp(clock.now(), UTC)
    local = moment.astimezone(ZoneInfo(settings.plant_timezone))
    return f"{local:%Y-%m-%d %H:%M}（{settings.plant_timezone}）", f"{moment:%Y-%m-%d %H:%M} UTC"


@lru_cache(maxsize=2)
def _template(name: str) -> Template:
    return Template((_TEMPLATES / name).read_text(encoding="utf-8"))


def compose(job: dict[str, Any], settings: Settings | None = None) -> EmailMessage:
    """The message for one notification job (``outbound.GiveUp`` when it cannot be composed)."""
    settings = settings or get_settings()
    kind = KINDS.get(str(job.get("kind")))
    notification_id, room_id = str(job.get("notification_id") or ""), str(job.get("room_id") or "")
    if kind is None or not _SAFE_ID.match(notification_id) or not room_id:
        raise outbound.GiveUp("not an e-mail notification job")
    sender, recipient = _sender(settings), _recipient(job.get("user_id"))
    base = settings.public_app_url.rstrip("/")
    title = _line(job.get("room_title"), 200) or room_id
    time_local, time_utc = _times(job.get("created_at"), settings)
    values = {"kind_zh": kind.zh, "kind_en": kind.en, "room_title": title, "lead_zh": kind.lead_zh,
              "lead_en": kind.lead_en, "text": _text(job.get("text"), 2000),
              "link": f"{base}/rooms/{quote(room_id, safe='')}", "settings_link": f"{base}{SETTINGS_PATH}",
              "time_local": time_local, "time_utc": time_utc, "subject": f"【{kind.zh}】{title} | {kind.en}"}
    message = EmailMessage()
    message["Subject"] = values["subject"]
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(datetime.fromtimestamp(clock.now(), UTC))
    message["Message-ID"] = f"<notification-{notification_id}@{sender.domain or 'localhost'}>"
    message["List-Unsubscribe"] = f"<{values['settings_link']}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message["X-Auto-Response-Suppress"] = "All"  # the same for Exchange
    message["Content-Language"] = "zh-TW, en"
    message.set_content(_template("email.txt").substitute(values))
    escaped = {key: html.escape(value, quote=True) for key, value in values.items()}
    message.add_alternative(_template("email.html").substitute(escaped), subtype="html")
    return message


# --------------------------------------------------------------------------------- transports
def _smtp_password(settings: Settings) -> str:
    """``SMTP_PASSWORD_PARAMETER`` (SSM SecureString, cached 5 min per container) or ``SMTP_PASSWORD``."""
    if not settings.smtp_password_parameter:
        return settings.smtp_password
    from aws_lambda_powertools.utilities import parameters

    try:
        return str(parameters.get_parameter(settings.smtp_password_parameter, decrypt=True, max_age=300))
    except parameters.exceptions.GetParameterError as exc:
        raise outbound.Retry("the SMTP password parameter could not be read") from exc


def _smtp_failure(exc: Exception) -> Exception:
    """SMTP 5xx about this message → GiveUp; 4xx, connection and configuration problems → Retry."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [int(code) for code, _ in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            return outbound.GiveUp(f"SMTP {max(codes)} recipient refused")
        return outbound.Retry(f"SMTP {min(codes or [0])} recipient deferred")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return outbound.Retry(f"SMTP {exc.smtp_code}: authentication failed")  # configuration, not this message
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        note = f"SMTP {exc.smtp_code} {_line(reply, 120)}".strip()
        return outbound.GiveUp(note) if exc.smtp_code >= 500 else outbound.Retry(note)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return outbound.Retry("the SMTP server does not offer STARTTLS")  # never sent in clear
    return outbound.Retry(f"SMTP unreachable: {type(exc).__name__}")


def _tls_context() -> ssl.SSLContext:
    """Certificates verified against the system's CAs (the seam tests trust their own CA at)."""
    return ssl.create_default_context()


def _send_smtp(message: EmailMessage, settings: Settings) -> str:
    if not settings.smtp_host:
        raise outbound.Retry("SMTP_HOST is not set")
    context = _tls_context()
    client: smtplib.SMTP
    try:
        if settings.smtp_tls == "tls":
            client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout,
                                      context=context)
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout)
        with client:
            if settings.smtp_tls == "starttls":
                client.starttls(context=context)
            if settings.smtp_username:
                client.login(settings.smtp_username, _smtp_password(settings))
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise _smtp_failure(exc) from None  # the chain could carry the server's dialogue
    return f"SMTP accepted by {settings.smtp_host}:{settings.smtp_port}"


_SES_PERMANENT = {"MessageRejected", "MailFromDomainNotVerifiedException", "BadRequestException",
                  "NotFoundException", "AccountSuspendedException"}


@lru_cache(maxsize=2)
def _ses_client(region: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client("sesv2", region_name=region, config=Config(
        connect_timeout=3, read_timeout=10, retries={"max_attempts": 2, "mode": "standard"}))


def _send_ses(message: EmailMessage, settings: Settings) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    client = _ses_client(settings.ses_region or settings.region)
    try:
        answer = client.send_email(FromEmailAddress=parseaddr(str(message["From"]))[1],
                                   Destination={"ToAddresses": [parseaddr(str(message["To"]))[1]]},
                                   Content={"Raw": {"Data": message.as_bytes()}})
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        raise (outbound.GiveUp if code in _SES_PERMANENT else outbound.Retry)(f"SES {code}") from None
    except BotoCoreError as exc:
        raise outbound.Retry(f"SES unreachable: {type(exc).__name__}") from None
    return f"SES {answer.get('MessageId', '')}".strip()


_TRANSPORTS = {"smtp": _send_smtp, "ses": _send_ses}


def send(job: dict[str, Any]) -> str:
    """The outbound sender for channel ``email``: compose and send one notification e-mail."""
    settings = get_settings()
    transport = _TRANSPORTS.get(settings.email_transport)
    if transport is None:
        raise outbound.GiveUp(f"e-mail is off (EMAIL_TRANSPORT={settings.email_transport})")
    message = compose(job, settings)
    note = transport(message, settings)
    logger.info("e-mail sent", extra={"notification_id": job.get("notification_id"), "kind": job.get("kind"),
                                      "user_id": job.get("user_id"), "transport": settings.email_transport})
    return note
