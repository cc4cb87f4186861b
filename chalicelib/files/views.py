"""The wire form of a file (with short-lived presigned URLs on request)."""

from __future__ import annotations

import os
from typing import Any

from chalicelib.core.settings import get_settings
from chalicelib.files import images, storage
from chalicelib.files.models import FileModel
from chalicelib.files.naming import content_disposition


def file_view(record: FileModel, with_urls: bool = False) -> dict[str, Any]:
    """The contract's file object (``with_urls``: plus presigned download and thumbnail URLs)."""
    data: dict[str, Any] = {
        "file_id": record.file_id,
        "room_id": record.room_id,
        "filename": record.filename,
        "content_type": record.content_type,
        "kind": record.kind,
        "size": int(record.size),
        "uploaded_by": record.uploaded_by,
        "created_at": record.created_at,
        "width": int(record.width) if record.width is not None else None,
        "height": int(record.height) if record.height is not None else None,
    }
    if with_urls:
        ttl = get_settings().download_url_ttl
        data["download_url"] = storage.presigned_get(
            record.object_key, ttl, content_disposition(record.filename), record.content_type)
        data["thumbnail_url"] = storage.presigned_get(
            record.thumbnail_key, ttl, content_disposition(f"{os.path.splitext(record.filename)[0]}.webp", "inline"),
            images.THUMBNAIL_TYPE) if record.has_thumbnail and record.thumbnail_key else None
        data["expires_in"] = ttl
    return data
