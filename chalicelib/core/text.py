"""Strict text input: one set of rules for every REST body, query and WebSocket frame.

Rejected (400 ``validation_error`` / an ``error`` frame), never stored: invalid Unicode (lone
surrogates — they cannot be encoded as UTF-8, so a stored one could never be delivered),
control characters where text is expected, and in names/titles bidi overrides or text made only
of invisible characters. JSON nested deeper than :data:`MAX_JSON_DEPTH` is refused before the
parser recurses.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any
from urllib.parse import unquote

from chalicelib.core.errors import ValidationFailed

MAX_JSON_DEPTH = 32
# A user id is the directory's e-mail-shaped UPN (bodies, path parameters and the OpenAPI document).
USER_ID_PATTERN = r"^[^@\s\x00-\x1f]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$"
USER_ID_MAX = 256
# Bidirectional controls: they reorder what a reader sees (U+202E turns "exe.txt" around).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def has_surrogate(value: str) -> bool:
    """True when ``value`` holds a lone surrogate (not valid Unicode text)."""
    return any("\ud800" <= ch <= "\udfff" for ch in value)


def clean_text(value: str, *, multiline: bool = True) -> str:
    """``value`` if it is valid text: no lone surrogates, no control characters (tab and
    newlines allowed when ``multiline``). Raises ``ValueError`` (pydantic's field error)."""
    if has_surrogate(value):
        raise ValueError("must be valid Unicode text")
    allowed = "\t\n\r" if multiline else ""
    if any((ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F) and ch not in allowed for ch in value):
        raise ValueError("must not contain control characters")
    return value


def clean_name(value: str) -> str:
    """A single-line name or title: :func:`clean_text`, no bidi controls, something visible."""
    clean_text(value, multiline=False)
    if any(ch in BIDI_CONTROLS for ch in value):
        raise ValueError("must not contain bidirectional control characters")
    if value and not any(unicodedata.category(ch)[0] not in ("C", "Z") for ch in value):
        raise ValueError("must contain visible characters")
    return value


def _walk_strings(value: Any) -> Any:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _walk_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk_strings(item)


def parse_json(raw: str | bytes, what: str = "body") -> Any:
    """Decode JSON text strictly: valid UTF-8, depth ≤ :data:`MAX_JSON_DEPTH` (checked before
    parsing), no lone surrogates in any key or string. Raises ``ValidationFailed``."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise ValidationFailed(f"The {what} is not valid UTF-8",
                               details=[{"field": what, "message": "not valid UTF-8"}]) from None
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            raise ValidationFailed(f"The {what} is nested too deeply (at most {MAX_JSON_DEPTH} levels)",
                                   details=[{"field": what, "message": "nested too deeply"}])
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationFailed(f"The {what} is not valid JSON",
                               details=[{"field": what, "message": "not valid JSON"}]) from None
    if any(has_surrogate(s) for s in _walk_strings(data)):
        raise ValidationFailed(f"The {what} holds invalid Unicode (a lone surrogate)",
                               details=[{"field": what, "message": "invalid Unicode"}])
    return data


def user_id_path(value: str) -> str:
    """A user id from a URL path (API Gateway hands path parameters over still percent-encoded):
    decoded, trimmed, lower case; anything not shaped like a user id is a 400 naming the field,
    before it reaches a key (DynamoDB refuses an empty or over-long key with a 500-shaped error)."""
    user_id = unquote(value).strip().lower()
    if len(user_id) > USER_ID_MAX or not re.fullmatch(USER_ID_PATTERN, user_id):
        raise ValidationFailed("Invalid user id",
                               details=[{"field": "user_id", "message": "expected an e-mail-shaped user id"}])
    return user_id
