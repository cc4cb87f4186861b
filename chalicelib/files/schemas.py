"""Request bodies and query strings of the files routes, and the allow-list of file types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import ConfigDict, Field

from chalicelib.core.cursor import CURSOR_MAX, CURSOR_PATTERN
from chalicelib.core.schema import Schema

Kind = Literal["image", "document"]


@dataclass(frozen=True)
class FileType:
    """One allowed content type: its kind, the extensions it may carry, how its bytes start."""

    content_type: str
    kind: str
    extensions: tuple[str, ...]
    magic: str  # the sniffer's name for its first bytes (see ``sniffing.sniff``)


FILE_TYPES: dict[str, FileType] = {t.content_type: t for t in [
    FileType("image/jpeg", "image", (".jpg", ".jpeg", ".jpe", ".jfif"), "jpeg"),
    FileType("image/png", "image", (".png",), "png"),
    FileType("image/gif", "image", (".gif",), "gif"),
    FileType("image/webp", "image", (".webp",), "webp"),
    FileType("application/pdf", "document", (".pdf",), "pdf"),
    FileType("text/plain", "document", (".txt", ".log"), "text"),
    FileType("text/csv", "document", (".csv",), "text"),
    FileType("application/zip", "document", (".zip",), "zip"),
    FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document", (".xlsx",), "zip"),
    FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document", (".docx",),
             "zip"),
]}

# What browsers and operating systems really report for the same types.
CONTENT_TYPE_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "application/x-pdf": "application/pdf",
    "text/x-log": "text/plain",
    "application/csv": "text/csv",
    "text/x-csv": "text/csv",
    "text/comma-separated-values": "text/csv",
    "application/vnd.ms-excel": "text/csv",  # Windows with Excel installed reports .csv so
    "application/x-zip-compressed": "application/zip",
    "application/x-zip": "application/zip",
    "multipart/x-zip": "application/zip",
}
# Types that say nothing: the extension decides.
GENERIC_CONTENT_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/unknown"}


class Strict(Schema):
    """Unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", str_max_length=5000)


class RequestUpload(Strict):
    """``POST /api/rooms/{room_id}/files``."""

    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(default="", max_length=255)
    size: int = Field(ge=1, strict=True)


class ListFiles(Strict):
    """Query string of ``GET /api/rooms/{room_id}/files``."""

    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=CURSOR_MAX, pattern=CURSOR_PATTERN)
    type: Kind | None = None
