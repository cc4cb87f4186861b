"""Authentication use cases: login with lockout, refresh rotation, logout, WebSocket tickets."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from chalicelib.auth.models import (
    LoginFailureModel,
    RefreshTokenModel,
    SessionModel,
    UserModel,
    WsTicketModel,
)
from chalicelib.auth.principal import Principal
from chalicelib.auth.tokens import digest, issue_access_token, new_secret, verify_access_token
from chalicelib.connections import service as connections
from chalicelib.core import clock
from chalicelib.core.db import condition_failed
from chalicelib.core.errors import AccountLocked, InvalidCredentials, RateLimited, Unauthorized
from chalicelib.core.observability import add_metric, logger
from chalicelib.core.settings import Settings, get_settings
from chalicelib.core.text import clean_name

if TYPE_CHECKING:  # ldap3 is loaded on the first login only (not by WebSocket or stream functions)
    from chalicelib.auth.directory import DirectoryUser, LdapDirectory


# ---------------------------------------------------------------------------------- login
@dataclass(frozen=True)
class _Window:
    """A failure counter: at most ``limit`` failures within ``seconds``."""

    limit: int
    seconds: int


def login(username: str, password: str, directory: LdapDirectory | None = None,
          source_ip: str | None = None) -> dict[str, Any]:
    """Check the source's rate and the username's lockout, ask AD, open a session.

    Two counters of failed logins, both in DynamoDB (every container sees them): per username
    (``LOCKOUT_*``: ``423``) and per source IP across usernames (``LOGIN_IP_*``: ``429``), so one
    machine cannot spray passwords over many accounts."""
    settings = get_settings()
    from chalicelib.auth.directory import get_directory, parse_login_name

    key = parse_login_name(username, settings).lockout_key
    account = _Window(settings.lockout_threshold, settings.lockout_window)
    source = _Window(settings.login_ip_limit, settings.login_ip_window)
    ip_key = f"ip#{source_ip}" if source_ip else None
    if ip_key is not None:
        retry = _retry_after(ip_key, source)
        if retry:
            add_metric("LoginSourceLimited", unit="Count", value=1)
            raise RateLimited("Too many failed logins from this address; try again later",
                              retry_after=retry).with_headers({"Retry-After": str(retry)})
    retry = _retry_after(key, account)
    if retry:
        add_metric("LoginLockouts", unit="Count", value=1)
        raise AccountLocked(retry_after=retry)
    try:
        if not _possible_password(password):
            raise InvalidCredentials()  # AD holds no such password: do not ask it
        person = (directory or get_directory(settings)).authenticate(username, password)
    except InvalidCredentials:
        _record_failure(key, account)
        if ip_key is not None:
            _record_failure(ip_key, source)
        add_metric("LoginFailures", unit="Count", value=1)
        raise
    _clear_failures(key)
    user = _upsert_user(person, settings)
    add_metric("Logins", unit="Count", value=1)
    logger.info("login succeeded", extra={"user_id": user.user_id})
    return _open_session(user, settings)


def _possible_password(password: str) -> bool:
    """False for text no AD password can be: control characters, lone surrogates, bidi controls."""
    try:
        clean_name(password)
    except ValueError:
        return False
    return True


def _recent(failures: list[float], window: _Window) -> list[float]:
    horizon = clock.now() - window.seconds
    return sorted(f for f in failures if f > horizon)


def _retry_after(key: str, window: _Window) -> int:
    """Seconds until ``key`` may try again (0: now)."""
    try:
        record = LoginFailureModel.get(key, consistent_read=True)
    except DoesNotExist:
        return 0
    recent = _recent([float(f) for f in record.failures or []], window)
    if len(recent) < window.limit:
        return 0
    unlock_at = recent[-window.limit] + window.seconds
    return max(1, int(unlock_at - clock.now()) + 1)


def _record_failure(key: str, window: _Window) -> None:
    """Append a failure with optimistic locking (concurrent failures are all counted)."""
    for _attempt in range(5):
        try:
            record = LoginFailureModel.get(key, consistent_read=True)
        except DoesNotExist:
            record = LoginFailureModel(key)
        recent = _recent([float(f) for f in record.failures or []], window)
        recent.append(clock.now())
        record.failures = recent[-(window.limit * 2):]
        record.expires_at = clock.expires_in(window.seconds + 60)
        try:
            record.save()
            return
        except PutError as exc:  # a concurrent failure was recorded (version check): count again
            if not condition_failed(exc):
                raise
            continue


def _clear_failures(key: str) -> None:
    LoginFailureModel(key).delete(add_version_condition=False)  # absent: not an error


def _is_admin(person: DirectoryUser, settings: Settings) -> bool:
    return person.email.lower() in settings.admin_emails or _in_group(person, settings.admin_group)


def _in_group(person: DirectoryUser, group: str) -> bool:
    """Member of ``group`` (a DN or a CN; empty: nobody)."""
    group = group.lower()
    if not group:
        return False
    for dn in person.groups:
        first = dn.split(",", 1)[0]
        if dn.lower() == group or first.lower() == f"cn={group}":
            return True
    return False


def _upsert_user(person: DirectoryUser, settings: Settings) -> UserModel:
    user = UserModel(
        person.email.lower(),
        username=person.username,
        display_name=person.display_name,
        department=person.department,
        is_admin=_is_admin(person, settings),
        report_reader=_in_group(person, settings.report_group),
        last_login_at=clock.iso(),
        search_key=person.display_name.lower(),
    )
    user.save()
    return user



def _principal(user: UserModel, session_id: str) -> Principal:
    return Principal(
        user_id=user.user_id,
        display_name=user.display_name,
        department=user.department,
        is_admin=bool(user.is_admin),
        session_id=session_id,
        can_read_reports=bool(user.is_admin) or bool(user.report_reader),
    )


def _open_session(user: UserModel, settings: Settings) -> dict[str, Any]:
    session = SessionModel(
        clock.new_id(), user_id=user.user_id, created_at=clock.iso(),
        expires_at=clock.expires_in(settings.refresh_token_ttl),
    )
    session.save()
    return _token_response(_principal(user, session.session_id), settings)


def _token_response(principal: Principal, settings: Settings) -> dict[str, Any]:
    refresh = new_secret()
    RefreshTokenModel(
        digest(refresh), session_id=principal.session_id, user_id=principal.user_id,
        expires_at=clock.expires_in(settings.refresh_token_ttl),
    ).save()
    access, expires_in = issue_access_token(principal.user_id, principal.session_id, settings)
    return {
        "access_token": access,
        "refresh_token": refresh,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "user": principal.public(),
    }


# -------------------------------------------------------------------------------- refresh
def refresh(refresh_token: str) -> dict[str, Any]:
    """Rotate a refresh token; presenting a rotated one revokes the whole session."""
    settings = get_settings()
    try:
        record = RefreshTokenModel.get(digest(refresh_token), consistent_read=True)
    except DoesNotExist:
        raise Unauthorized("Invalid refresh token") from None
    if record.expires_at.timestamp() <= clock.now():
        raise Unauthorized("Refresh token expired")
    try:
        record.update(
            actions=[RefreshTokenModel.used_at.set(clock.iso())],
            condition=RefreshTokenModel.used_at.does_not_exist(),
        )
    except UpdateError as exc:
        if not condition_failed(exc):
            raise  # throttling or an outage is not reuse: never revoke the session for it
        revoke_session(record.session_id, reason="refresh_token_reuse")
        logger.warning("refresh token reuse; session revoked", extra={"user_id": record.user_id})
        raise Unauthorized("Refresh token already used; the session was revoked") from None
    principal = _load_principal(record.session_id, record.user_id, use_cache=False)
    return _token_response(principal, settings)


# ------------------------------------------------------------------------------ sessions
_CACHE: dict[str, tuple[float, Principal | None]] = {}
_CACHE_LOCK = threading.Lock()


def revoke_session(session_id: str, reason: str = "logout") -> None:
    """Mark a session revoked: its access tokens stop working at once in this container (in
    the others within ``SESSION_CACHE_SECONDS``) and its WebSocket connections are closed now."""
    session = SessionModel(session_id)
    known = True
    try:
        session.update(actions=[
            SessionModel.revoked_at.set(clock.iso()),
            SessionModel.revoked_reason.set(reason),
        ], condition=SessionModel.session_id.exists())
    except UpdateError as exc:
        if not condition_failed(exc):
            raise  # unknown sessions are fine; a revocation that did not happen is not
        known = False
    with _CACHE_LOCK:
        _CACHE.pop(session_id, None)
    if known:
        closed = connections.close_session(session.user_id, session_id)
        logger.info("session revoked", extra={"reason": reason, "connections_closed": closed})


def _load_principal(session_id: str, user_id: str, use_cache: bool = True) -> Principal:
    settings = get_settings()
    now = clock.now()
    if use_cache:
        with _CACHE_LOCK:
            hit = _CACHE.get(session_id)
        if hit and now - hit[0] < settings.session_cache_seconds:
            if hit[1] is None or hit[1].user_id != user_id:
                raise Unauthorized("Session ended")
            return hit[1]
    principal: Principal | None = None
    try:
        session = SessionModel.get(session_id, consistent_read=True)
        if (session.revoked_at is None and session.user_id == user_id
                and session.expires_at.timestamp() > now):
            principal = _principal(UserModel.get(user_id), session_id)
    except DoesNotExist:
        principal = None
    with _CACHE_LOCK:
        if len(_CACHE) > 10_000:
            _CACHE.clear()
        _CACHE[session_id] = (now, principal)
    if principal is None:
        raise Unauthorized("Session ended")
    return principal


def principal_for_session(session_id: str, user_id: str) -> Principal:
    """The principal of a live session (cached a few seconds); ``Unauthorized`` once it ended."""
    return _load_principal(session_id, user_id)


def authenticate_bearer(authorization: str | None) -> Principal:
    """Resolve ``Authorization: Bearer <jwt>`` to a principal or raise ``Unauthorized``."""
    if not authorization:
        raise Unauthorized()
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    claims = verify_access_token(token.strip())
    return _load_principal(claims.session_id, claims.user_id)


def logout(principal: Principal) -> None:
    """End the caller's session."""
    revoke_session(principal.session_id)


# ----------------------------------------------------------------------------- WS tickets
def issue_ws_ticket(principal: Principal) -> dict[str, Any]:
    """A single-use ticket for the WebSocket connect URL."""
    settings = get_settings()
    ticket = new_secret()
    WsTicketModel(
        digest(ticket), user_id=principal.user_id, session_id=principal.session_id,
        valid_until=clock.now() + settings.ws_ticket_ttl, expires_at=clock.expires_in(settings.ws_ticket_ttl + 60),
    ).save()
    return {"ticket": ticket, "expires_in": settings.ws_ticket_ttl}


def redeem_ws_ticket(ticket: str | None) -> Principal:
    """Consume a ticket (exactly once) and return its principal; raise ``Unauthorized``."""
    if not ticket or len(ticket) > 200:
        raise Unauthorized("Missing ticket")
    key = digest(ticket)
    try:
        record = WsTicketModel.get(key, consistent_read=True)
        record.delete(condition=WsTicketModel.ticket_hash.exists())
    except (DoesNotExist, DeleteError):
        raise Unauthorized("Invalid or used ticket") from None
    if record.valid_until <= clock.now():
        raise Unauthorized("Ticket expired")
    return _load_principal(record.session_id, record.user_id, use_cache=False)
