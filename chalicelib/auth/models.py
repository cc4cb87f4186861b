"""Storage of the auth domain: users, sessions, refresh tokens, login failures, WS tickets."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.core.db import register


class UserNameIndex(GlobalSecondaryIndex["UserModel"]):
    """All users in one partition by lower-case display name (member picker prefix search)."""

    class Meta:
        index_name = "name-index"
        projection = AllProjection()

    search_partition = UnicodeAttribute(hash_key=True)
    search_key = UnicodeAttribute(range_key=True)


class UserEmailIndex(GlobalSecondaryIndex["UserModel"]):
    """All users in one partition by e-mail (prefix search)."""

    class Meta:
        index_name = "email-index"
        projection = AllProjection()

    search_partition = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)


@register
class UserModel(Model):
    """A person who logged in at least once (user_id = lower-case e-mail)."""

    class Meta:
        table_name = "users"

    user_id = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute()
    display_name = UnicodeAttribute()
    department = UnicodeAttribute(default="")
    is_admin = BooleanAttribute(default=False)
    report_reader = BooleanAttribute(default=False)  # in REPORT_GROUP at the last login
    last_login_at = UnicodeAttribute()
    search_partition = UnicodeAttribute(default="user")
    search_key = UnicodeAttribute()  # lower-case display name
    by_name = UserNameIndex()
    by_email = UserEmailIndex()


@register
class SessionModel(Model):
    """A login session; revoking it stops its access tokens at once."""

    class Meta:
        table_name = "sessions"

    session_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    created_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)
    revoked_reason = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


@register
class RefreshTokenModel(Model):
    """One refresh token (only its hash); ``used_at`` set when rotated, reuse revokes the session."""

    class Meta:
        table_name = "refresh-tokens"

    token_hash = UnicodeAttribute(hash_key=True)
    session_id = UnicodeAttribute()
    user_id = UnicodeAttribute()
    used_at = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


@register
class LoginFailureModel(Model):
    """Recent failed logins of one username (all three forms share the key)."""

    class Meta:
        table_name = "login-failures"

    username_key = UnicodeAttribute(hash_key=True)
    failures: ListAttribute[float] = ListAttribute(default=list)  # epoch seconds
    version = VersionAttribute()
    expires_at = TTLAttribute()


@register
class WsTicketModel(Model):
    """A single-use WebSocket ticket (only its hash), valid for a minute."""

    class Meta:
        table_name = "ws-tickets"

    ticket_hash = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    session_id = UnicodeAttribute()
    valid_until = NumberAttribute()
    expires_at = TTLAttribute()
