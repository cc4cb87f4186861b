"""File types: the allowed type of an upload (declared type and extension), size limits, and
what the first bytes really are (magic numbers)."""

from __future__ import annotations

import codecs
import os

from chalicelib.core.errors import ValidationFailed
from chalicelib.core.settings import get_settings
from chalicelib.files.schemas import CONTENT_TYPE_ALIASES, FILE_TYPES, GENERIC_CONTENT_TYPES, FileType


def resolve_type(filename: str, declared: str) -> FileType:
    """The allowed type of an upload from its declared Content-Type and its extension."""
    ext = os.path.splitext(filename.lower())[1]
    content_type = declared.split(";", 1)[0].strip().lower()
    content_type = CONTENT_TYPE_ALIASES.get(content_type, content_type)
    if content_type in GENERIC_CONTENT_TYPES:
        by_ext = [t for t in FILE_TYPES.values() if ext in t.extensions]
        if not by_ext:
            raise ValidationFailed("This type of file is not allowed",
                                   details=[{"field": "content_type", "message": "type not allowed"}])
        return by_ext[0]
    file_type = FILE_TYPES.get(content_type)
    if file_type is None:
        raise ValidationFailed(f"Files of type {content_type[:100]} are not allowed",
                               details=[{"field": "content_type", "message": "type not allowed"}])
    if ext not in file_type.extensions:
        raise ValidationFailed("The file name's extension does not match its type",
                               details=[{"field": "filename",
                                         "message": f"expected {', '.join(file_type.extensions)}"}])
    return file_type


def size_limit(kind: str) -> int:
    """The configured maximum size of a kind of file."""
    settings = get_settings()
    return settings.files_max_image_bytes if kind == "image" else settings.files_max_document_bytes


def sniff(head: bytes) -> str | None:
    """What the first bytes of a file are: jpeg, png, gif, webp, pdf, zip, text or ``None``."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if _looks_like_text(head):
        return "text"
    return None


_TEXT_CONTROLS = {9, 10, 11, 12, 13, 26, 27}  # tab, newlines, form feed, EOF, escape (ANSI colours in logs)


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 (or UTF-16 with a BOM), or a legacy 8-bit encoding such as Big5, without binary
    control bytes in the first kilobytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            codec = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
            text = codecs.getincrementaldecoder(codec)().decode(head[2:], final=False)
        except UnicodeDecodeError:
            return False
        return not any(ord(ch) < 32 and ord(ch) not in _TEXT_CONTROLS for ch in text)
    return not any(byte < 32 and byte not in _TEXT_CONTROLS for byte in head) and b"\x7f" not in head[:64]
