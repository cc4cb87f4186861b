"""Request bodies of the auth routes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _no_control_chars(value: str) -> str:
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ValueError("must not contain control characters")
    return value


class LoginRequest(BaseModel):
    """``POST /api/auth/login``."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=256)
    password: str = Field(min_length=1, max_length=512)

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        value = _no_control_chars(value)
        if not value.strip():
            raise ValueError("must not be blank")
        return value


class RefreshRequest(BaseModel):
    """``POST /api/auth/refresh``."""

    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=200)


class SearchUsers(BaseModel):
    """Query string of ``GET /api/users``."""

    model_config = ConfigDict(extra="forbid")
    q: str = Field(default="", max_length=100)
    limit: int = Field(default=20, ge=1, le=50)
