"""E-mail notifications (issue 12 item 2): the composed MIME (zh-TW first, English second, the deep
link, escaping, a stable Message-ID) and the transports against REAL servers — aiosmtpd on a free
loopback port (plain, STARTTLS, implicit TLS, AUTH with the password from SSM) and SES on moto —
with the outbound queue's retry semantics: 4xx → Retry, 5xx → GiveUp, exactly one e-mail per
notification even when a send is retried or the queue delivers a message twice."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import ssl
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from chalicelib import outbound
from chalicelib.notifications import email
from tests.builders import Outbox, login
from tests.servers.processes import free_port

HUANG = "huang.tech@panjit.com.tw"
APP = "https://andon.example.com"
SMTP_PASSWORD = "smtp-Pa55-" + uuid.uuid4().hex  # distinctive: searched for in the logs


def _job(**changes: Any) -> dict[str, Any]:
    job = {"user_id": HUANG, "notification_id": str(uuid.uuid4()), "kind": "escalation",
           "room_id": str(uuid.uuid4()), "room_title": "L3 回焊爐溫度異常",
           "text": "第 1 級升級：回焊爐第5區溫度262°C，超過上限", "created_at": "2026-11-30T02:05:00.000Z"}
    job.update(changes)
    return job


def _parse(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def _parts(message: EmailMessage) -> tuple[str, str]:
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


@pytest.fixture
def mail_env(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """huang has logged in once (the directory's name for the To header); links to ``APP``."""
    login(client, "huang.tech")
    monkeypatch.setenv("PUBLIC_APP_URL", APP + "/")
    monkeypatch.setenv("EMAIL_FROM", "產線異常通報 <andon@panjit.com.tw>")
    from chalicelib.core.settings import get_settings

    get_settings.cache_clear()


# ------------------------------------------------------------------------------ a real SMTP server
class Mailbox:
    """aiosmtpd's handler: keeps what it accepts; ``rcpt_answer`` / ``data_answers`` script refusals."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.rcpt_answer: str | None = None
        self.data_answers: deque[str] = deque()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          rcpt_options: list[str]) -> str:
        if self.rcpt_answer:
            return self.rcpt_answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.data_answers:
            return self.data_answers.popleft()
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 queued"

    def only(self) -> tuple[str, list[str], EmailMessage]:
        assert len(self.received) == 1, self.received
        sender, rcpts, raw = self.received[0]
        return sender, rcpts, _parse(raw)


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Mailbox]]:
    """Start an aiosmtpd server on a free loopback port and point the app at it; stopped after."""
    started: list[Controller] = []

    def start(tls: str = "none", **kwargs: Any) -> Mailbox:
        mailbox = Mailbox()
        port = free_port()
        controller = Controller(mailbox, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        started.append(controller)
        monkeypatch.setenv("EMAIL_TRANSPORT", "smtp")
        monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SMTP_PORT", str(port))
        monkeypatch.setenv("SMTP_TLS", tls)
        monkeypatch.setenv("SMTP_TIMEOUT", "5")
        from chalicelib.core.settings import get_settings

        get_settings.cache_clear()
        return mailbox

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA): (certificate, key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("smtp-tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def _trust(monkeypatch: pytest.MonkeyPatch, certificate: tuple[Path, Path]) -> None:
    """The client trusts the test certificate (still verifying it, host name included)."""
    monkeypatch.setattr(email, "_tls_context", lambda: ssl.create_default_context(cafile=str(certificate[0])))


# ---------------------------------------------------------------------------------------- compose
def test_the_message_is_chinese_first_with_the_deep_link_and_a_stable_message_id(mail_env: None) -> None:
    job = _job()
    message = _parse(email.compose(job).as_bytes())

    assert message["Subject"] == "【升級通知】L3 回焊爐溫度異常 | Escalation"
    assert message["To"].addresses[0].addr_spec == HUANG
    assert message["To"].addresses[0].display_name == "黃俊傑"
    assert message["From"].addresses[0].display_name == "產線異常通報"
    assert message.get_content_type() == "multipart/alternative"
    text, html = _parts(message)
    link = f"{APP}/rooms/{job['room_id']}"
    assert link in text and f'href="{link}"' in html
    assert "回焊爐第5區溫度262°C，超過上限" in text and "回焊爐第5區溫度262°C，超過上限" in html
    assert text.index("請盡快開啟事件室") < text.index("This incident has been escalated")  # zh-TW first
    assert "2026-11-30 10:05（Asia/Taipei）" in text  # the plant's time
    assert message["List-Unsubscribe"] == f"<{APP}{email.SETTINGS_PATH}>"
    assert message["Auto-Submitted"] == "auto-generated"
    # the same notification composed again (a retry) carries the same Message-ID
    again = _parse(email.compose(job).as_bytes())
    assert message["Message-ID"] == again["Message-ID"] == f"<notification-{job['notification_id']}@panjit.com.tw>"
    assert _parse(email.compose(_job()).as_bytes())["Message-ID"] != message["Message-ID"]  # another notification


@pytest.mark.parametrize(("kind", "subject"), [
    ("mention", "【提及通知】"), ("added_to_room", "【加入事件】"), ("room_acknowledged", "【已接手】"),
    ("room_resolved", "【已解決】")])
def test_every_kind_has_its_own_subject(mail_env: None, kind: str, subject: str) -> None:
    message = _parse(email.compose(_job(kind=kind)).as_bytes())
    assert message["Subject"].startswith(subject)
    assert email.KINDS[kind].en in message["Subject"]


def test_room_titles_and_text_are_escaped_in_html_and_cannot_inject_headers(mail_env: None) -> None:
    job = _job(room_title='<script>alert("x")</script> & <b>', text='<img src=x onerror=alert(1)>\n"quoted"',
               room_id='a" onmouseover="alert(1)')
    message = _parse(email.compose(job).as_bytes())
    text, html = _parts(message)

    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'onmouseover="' not in html  # the room id is URL-quoted, then attribute-escaped
    assert '<script>alert("x")</script>' in text  # plain text stays as written
    # a line break in a title cannot start a new header
    smuggled = _parse(email.compose(_job(room_title="爐溫\r\nBcc: evil@example.com")).as_bytes())
    assert smuggled["Bcc"] is None
    assert smuggled["Subject"] == "【升級通知】爐溫 Bcc: evil@example.com | Escalation"
    # text that cannot be encoded (a lone surrogate) and a nonsense time still make a message
    odd = _parse(email.compose(_job(room_title="爐\ud800溫", text="溫度\udfff", created_at="9999-99")).as_bytes())
    assert odd["Subject"].startswith("【升級通知】爐?溫") and "溫度?" in _parts(odd)[0]


@pytest.mark.parametrize("job", [
    _job(kind="birthday"), _job(notification_id="x>\r\nBcc: a@b.c"), _job(notification_id=""),
    _job(room_id=""), _job(user_id="not-an-address"), _job(user_id="a@b.c\r\nBcc: evil@example.com"),
    _job(user_id=None)])
def test_a_job_that_cannot_be_composed_is_given_up(mail_env: None, job: dict[str, Any]) -> None:
    with pytest.raises(outbound.GiveUp):
        email.compose(job)


def test_an_unknown_user_is_addressed_by_id_without_a_name(mail_env: None) -> None:
    message = _parse(email.compose(_job(user_id="new.hire@panjit.com.tw")).as_bytes())
    assert str(message["To"]) == "new.hire@panjit.com.tw"


def test_off_unless_a_transport_is_configured(mail_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.core.settings import get_settings

    assert not email.enabled()  # EMAIL_TRANSPORT defaults to none
    with pytest.raises(outbound.GiveUp, match="EMAIL_TRANSPORT"):
        email.send(_job())
    monkeypatch.setenv("EMAIL_TRANSPORT", "SMTP")
    get_settings.cache_clear()
    assert email.enabled()


# ------------------------------------------------------------------------------------------- SMTP
def test_smtp_delivers_the_mime_intact_to_a_real_server(mail_env: None, smtp_server: Callable[..., Mailbox]) -> None:
    mailbox = smtp_server()
    job = _job()

    note = email.send(job)

    assert "SMTP accepted" in note
    sender, rcpts, message = mailbox.only()
    assert sender == "andon@panjit.com.tw" and rcpts == [HUANG]
    assert message["Subject"] == "【升級通知】L3 回焊爐溫度異常 | Escalation"
    text, html = _parts(message)
    assert f"{APP}/rooms/{job['room_id']}" in text and f"{APP}/rooms/{job['room_id']}" in html
    assert "回焊爐第5區溫度262°C，超過上限" in text
    assert message["Message-ID"] == f"<notification-{job['notification_id']}@panjit.com.tw>"


def test_starttls_is_required_unless_turned_off(mail_env: None, smtp_server: Callable[..., Mailbox]) -> None:
    mailbox = smtp_server(tls="starttls")  # a server that offers no STARTTLS
    with pytest.raises(outbound.Retry, match="STARTTLS"):
        email.send(_job())
    assert mailbox.received == []  # never sent in clear


def test_starttls_with_a_verified_certificate_and_login(
        mail_env: None, smtp_server: Callable[..., Mailbox], certificate: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == SMTP_PASSWORD.encode(), handled=False)  # 235 / 535

    caplog.set_level(logging.INFO)  # botocore's own DEBUG lines print SSM answers: never on in Lambda
    caplog.set_level(logging.DEBUG, logger="incident-response")
    mailbox = smtp_server(tls="starttls", tls_context=_server_tls(certificate), require_starttls=True,
                          authenticator=authenticator, auth_required=True)
    _trust(monkeypatch, certificate)
    monkeypatch.setenv("SMTP_USERNAME", "andon")
    monkeypatch.setenv("SMTP_PASSWORD", SMTP_PASSWORD)

    email.send(_job())

    assert logins == [(b"andon", SMTP_PASSWORD.encode())]
    assert len(mailbox.received) == 1
    assert SMTP_PASSWORD not in caplog.text


def test_an_untrusted_certificate_is_a_retry_and_nothing_is_sent(
        mail_env: None, smtp_server: Callable[..., Mailbox], certificate: tuple[Path, Path]) -> None:
    mailbox = smtp_server(tls="starttls", tls_context=_server_tls(certificate), require_starttls=True)
    with pytest.raises(outbound.Retry, match="unreachable"):  # the system CAs do not know the test CA
        email.send(_job())
    assert mailbox.received == []


def test_implicit_tls(mail_env: None, smtp_server: Callable[..., Mailbox], certificate: tuple[Path, Path],
                      monkeypatch: pytest.MonkeyPatch) -> None:
    mailbox = smtp_server(tls="tls", ssl_context=_server_tls(certificate))
    _trust(monkeypatch, certificate)
    email.send(_job())
    assert len(mailbox.received) == 1


def test_the_password_comes_from_ssm_and_a_wrong_one_is_retried(
        mail_env: None, smtp_server: Callable[..., Mailbox], certificate: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import boto3

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        return AuthResult(success=auth_data.password == SMTP_PASSWORD.encode(), handled=False)  # 235 / 535

    caplog.set_level(logging.INFO)  # botocore's own DEBUG lines print SSM answers: never on in Lambda
    caplog.set_level(logging.DEBUG, logger="incident-response")
    ssm = boto3.client("ssm", region_name="us-east-1")
    right, wrong = f"/unit/{uuid.uuid4().hex}/smtp", f"/unit/{uuid.uuid4().hex}/smtp"
    ssm.put_parameter(Name=right, Value=SMTP_PASSWORD, Type="SecureString")
    ssm.put_parameter(Name=wrong, Value="not-" + SMTP_PASSWORD, Type="SecureString")
    mailbox = smtp_server(tls="starttls", tls_context=_server_tls(certificate), require_starttls=True,
                          authenticator=authenticator, auth_required=True)
    _trust(monkeypatch, certificate)
    monkeypatch.setenv("SMTP_USERNAME", "andon")
    monkeypatch.setenv("SMTP_PASSWORD", "ignored-when-a-parameter-is-named")
    from chalicelib.core.settings import get_settings

    monkeypatch.setenv("SMTP_PASSWORD_PARAMETER", wrong)
    get_settings.cache_clear()
    with pytest.raises(outbound.Retry, match="SMTP 535"):  # configuration, not this message: retried
        email.send(_job())
    monkeypatch.setenv("SMTP_PASSWORD_PARAMETER", right)
    get_settings.cache_clear()
    email.send(_job())

    assert len(mailbox.received) == 1
    assert SMTP_PASSWORD not in caplog.text


@pytest.mark.parametrize(("where", "answer", "outcome"), [
    ("data", "451 4.3.0 Try again later", outbound.Retry),
    ("rcpt", "450 4.2.1 Mailbox busy", outbound.Retry),
    ("rcpt", "550 5.1.1 No such user", outbound.GiveUp),
    ("data", "554 5.6.0 Message rejected", outbound.GiveUp)])
def test_smtp_answers_map_to_retry_or_give_up(mail_env: None, smtp_server: Callable[..., Mailbox], where: str,
                                              answer: str, outcome: type[Exception]) -> None:
    mailbox = smtp_server()
    if where == "rcpt":
        mailbox.rcpt_answer = answer
    else:
        mailbox.data_answers.append(answer)
    with pytest.raises(outcome) as raised:
        email.send(_job())
    assert f"SMTP {answer[:3]}" in str(raised.value)
    assert mailbox.received == []


def test_a_server_that_is_not_there_is_a_retry(mail_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from chalicelib.core.settings import get_settings

    monkeypatch.setenv("EMAIL_TRANSPORT", "smtp")
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(free_port()))  # nobody listens
    monkeypatch.setenv("SMTP_TLS", "none")
    get_settings.cache_clear()
    with pytest.raises(outbound.Retry, match="ConnectionRefusedError"):
        email.send(_job())


# ------------------------------------------------------------------------ through the outbound queue
def test_a_deferred_send_is_retried_and_arrives_exactly_once(
        mail_env: None, smtp_server: Callable[..., Mailbox], outbox: Outbox) -> None:
    mailbox = smtp_server()
    mailbox.data_answers.extend(["451 4.3.0 Try again later", "421 4.7.0 Too busy"])
    job = _job()
    assert outbound.enqueue("email", f"email-{job['notification_id']}", f"user#{HUANG}", job)
    assert not outbound.enqueue("email", f"email-{job['notification_id']}", f"user#{HUANG}", job)  # a retried producer

    outbox.run({"email": email.send})

    assert len(mailbox.received) == 1
    [delivery] = outbound.deliveries(f"user#{HUANG}")
    assert delivery["status"] == "delivered" and delivery["attempts"] == 3


def test_a_message_the_queue_hands_over_twice_sends_one_email(
        mail_env: None, smtp_server: Callable[..., Mailbox], outbox: Outbox) -> None:
    mailbox = smtp_server()
    job = _job()
    outbound.enqueue("email", f"email-{job['notification_id']}", f"user#{HUANG}", job)
    outbox.queued.append(outbox.queued[0])  # SQS's at-least-once: the same message twice in a batch

    outbox.run({"email": email.send})

    assert len(mailbox.received) == 1


def test_a_refused_recipient_fails_at_once(mail_env: None, smtp_server: Callable[..., Mailbox],
                                           outbox: Outbox) -> None:
    mailbox = smtp_server()
    mailbox.rcpt_answer = "550 5.1.1 No such user"
    job = _job()
    outbound.enqueue("email", f"email-{job['notification_id']}", f"user#{HUANG}", job)

    outbox.run({"email": email.send})

    [delivery] = outbound.deliveries(f"user#{HUANG}")
    assert delivery["status"] == "failed" and delivery["attempts"] == 1
    assert "550" in delivery["last_error"]


# -------------------------------------------------------------------------------------------- SES
@pytest.fixture
def ses(mail_env: None, monkeypatch: pytest.MonkeyPatch) -> Any:
    """SES on moto; the sender's address verified. Returns moto's SES backend (its sent messages)."""
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from chalicelib.core.settings import get_settings

    monkeypatch.setenv("EMAIL_TRANSPORT", "ses")
    monkeypatch.setenv("SES_REGION", "eu-west-1")
    get_settings.cache_clear()
    email._ses_client.cache_clear()
    boto3.client("ses", region_name="eu-west-1").verify_email_identity(EmailAddress="andon@panjit.com.tw")
    yield ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"]
    email._ses_client.cache_clear()


def test_ses_sends_the_raw_mime(ses: Any) -> None:
    job = _job()
    note = email.send(job)

    assert note.startswith("SES ")
    [sent] = ses.sent_messages
    message = _parse(sent.raw_data.encode())
    assert message["Subject"] == "【升級通知】L3 回焊爐溫度異常 | Escalation"
    assert f"{APP}/rooms/{job['room_id']}" in _parts(message)[0]


def test_ses_rejection_gives_up_and_throttling_retries(ses: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from botocore.exceptions import ClientError

    from chalicelib.core.settings import get_settings

    monkeypatch.setenv("EMAIL_FROM", "unverified@panjit.com.tw")
    get_settings.cache_clear()
    with pytest.raises(outbound.GiveUp, match="MessageRejected"):
        email.send(_job())

    class Throttled:
        def send_email(self, **_: Any) -> dict[str, Any]:
            raise ClientError({"Error": {"Code": "TooManyRequestsException", "Message": "slow down"}}, "SendEmail")

    monkeypatch.setattr(email._ses_client("eu-west-1"), "send_email", Throttled().send_email)
    with pytest.raises(outbound.Retry, match="TooManyRequests"):
        email.send(_job())
