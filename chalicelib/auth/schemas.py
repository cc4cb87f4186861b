"""Request bodies of the auth routes."""

from __future__ import annotations

from pydantic import ConfigDict, Field, field_validator

from chalicelib.core.schema import Schema
from chalicelib.core.text import clean_name


def _login_name(value: str) -> str:
    """A username in one of the accepted forms that still names someone once normalised
    (``PANJIT\\``, ``\\`` or ``@panjit.com.tw`` name nobody)."""
    clean_name(value)
    name = value.strip()
    if "\\" in name:
        name = name.partition("\\")[2]
    elif "@" in name:
        name = name.rpartition("@")[0]
    if not name.strip():
        raise ValueError("must name a user (user, user@domain or DOMAIN\\user)")
    return value


class LoginRequest(Schema):
    """``POST /api/auth/login``."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=256)
    password: str = Field(min_length=1, max_length=512)

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return _login_name(value)


class RefreshRequest(Schema):
    """``POST /api/auth/refresh``."""

    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=200)


class SearchUsers(Schema):
    """Query string of ``GET /api/users``."""

    model_config = ConfigDict(extra="forbid")
    q: str = Field(default="", max_length=100)
    limit: int = Field(default=20, ge=1, le=50)
