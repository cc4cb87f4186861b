"""File use cases: presigned upload, confirmation (size, magic bytes, thumbnail), listing,
presigned download and soft delete.

The browser uploads straight to the bucket with a presigned POST whose policy pins the key,
the Content-Type and the exact size. It uploads under ``uploads/`` (the pending prefix: a
bucket lifecycle rule expires whatever is never confirmed); ``complete`` checks the object
itself (moto and some stores do not enforce policies), makes the thumbnail and copies it to
``rooms/{room_id}/{file_id}/{safe name}``. Deleted objects stay, tagged ``state=deleted``.

Permissions (chat-room.md): VIEWER reads and downloads, EDITOR uploads, the uploader completes
and deletes their own files, OWNER (and administrators) complete or delete anyone's.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from typing import Any, NoReturn
from urllib.parse import quote

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.auth.service import Principal
from chalicelib.core import clock
from chalicelib.core.cursor import decode_cursor, encode_cursor
from chalicelib.core.db import bind_models
from chalicelib.core.errors import Conflict, Forbidden, NotFound, TooLarge, Unavailable, ValidationFailed
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.files import images, storage
from chalicelib.files.models import FileModel
from chalicelib.files.schemas import (
    CONTENT_TYPE_ALIASES,
    FILE_TYPES,
    GENERIC_CONTENT_TYPES,
    FileType,
    ListFiles,
    RequestUpload,
)
from chalicelib.messaging.service import append_system_event

RANK = {"VIEWER": 1, "EDITOR": 2, "OWNER": 3}
UPLOADS_PREFIX = "uploads/"  # pending uploads (lifecycle: expire after 1 day)
ROOMS_PREFIX = "rooms/"  # confirmed files and thumbnails
DELETED_TAG = {"state": "deleted"}  # soft-deleted objects (lifecycle may expire them)
SNIFF_BYTES = 4096
PENDING_GRACE = 3600  # seconds after the upload URL expires before a pending upload is cleaned up
RECORD_TTL = 24 * 3600  # records of unconfirmed / rejected uploads disappear after a day
SAFE_NAME_MAX = 100
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _rooms() -> Any:
    # rooms.service imports messaging.service, which imports this module lazily: keep it lazy here too
    from chalicelib.rooms import service as rooms

    return rooms


# ------------------------------------------------------------------------------ names
def display_name(raw: str) -> str:
    """The name shown and offered on download: the last path segment, without control,
    format (bidi override) or odd space characters. Empty means unusable."""
    name = unicodedata.normalize("NFC", raw)
    name = "".join(" " if ch in "\t\n\r\v\f" or unicodedata.category(ch) in ("Zs", "Zl", "Zp") else ch
                   for ch in name)  # tabs, newlines and odd spaces are spaces
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split()).strip(" .")
    return name[:255]


def safe_name(name: str) -> str:
    """An ASCII object-key segment for ``name``: ``[A-Za-z0-9._-]`` only, no leading dots,
    no reserved device names, at most 100 characters, the extension kept."""
    stem, ext = os.path.splitext(name)
    ext = ext.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,10}", ext) else ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_stem)
    ascii_stem = re.sub(r"_+", "_", ascii_stem).strip("._-")
    if not ascii_stem:
        ascii_stem = "file"
    if ascii_stem.split(".")[0].upper() in WINDOWS_RESERVED:
        ascii_stem = f"_{ascii_stem}"
    return ascii_stem[: SAFE_NAME_MAX - len(ext)] + ext


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """RFC 6266 / 5987: an ASCII fallback plus the exact UTF-8 name (Chinese names survive)."""
    fallback = safe_name(filename)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# ------------------------------------------------------------------------------ types
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


# ------------------------------------------------------------------------------ views
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


def _record(room_id: str, file_id: str) -> FileModel:
    if not clock.is_uuid(file_id):
        raise NotFound("File not found")
    try:
        return FileModel.get(room_id, file_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound("File not found") from None



# ------------------------------------------------------------------------------ upload
def request_upload(room_id: str, principal: Principal, body: RequestUpload) -> dict[str, Any]:
    """``POST /rooms/{room_id}/files`` (EDITOR+): a pending record and a presigned POST."""
    access = _rooms().get_access(room_id, principal, "EDITOR")
    if access.room.status == "archived":
        raise Conflict("An archived room takes no new files")
    name = display_name(body.filename)
    if not name or name in (".", ".."):
        raise ValidationFailed("The file name is empty",
                               details=[{"field": "filename", "message": "no usable characters"}])
    file_type = resolve_type(name, body.content_type)
    limit = size_limit(file_type.kind)
    if body.size > limit:
        raise TooLarge(f"The file is too large: {file_type.kind}s may be at most {limit // (1024 * 1024)} MB",
                       limit=limit)
    try:
        expire_pending(room_id)
    except Unavailable:
        logger.warning("pending uploads not cleaned up (storage unavailable)", extra={"room_id": room_id})
    settings = get_settings()
    now = clock.now()
    file_id = clock.new_id()
    safe = safe_name(name)
    record = FileModel(
        room_id, file_id, filename=name, original_name=body.filename, safe_name=safe,
        object_key=f"{ROOMS_PREFIX}{room_id}/{file_id}/{safe}", upload_key=f"{UPLOADS_PREFIX}{room_id}/{file_id}/{safe}",
        content_type=file_type.content_type, kind=file_type.kind, size=body.size, uploaded_by=principal.user_id,
        created_at=clock.iso(now), status="pending",
        pending_until=clock.iso(now + settings.upload_url_ttl + PENDING_GRACE), expires_at=clock.expires_in(RECORD_TTL),
    )
    upload = storage.presigned_post(record.upload_key, file_type.content_type, body.size, settings.upload_url_ttl)
    record.save(condition=FileModel.file_id.does_not_exist())
    return {"file_id": file_id, "upload": upload, "expires_in": settings.upload_url_ttl}


def complete_upload(room_id: str, file_id: str, principal: Principal) -> dict[str, Any]:
    """``POST .../files/{file_id}/complete``: verify the stored object, thumbnail, publish."""
    access = _rooms().get_access(room_id, principal, "VIEWER")
    record = _record(room_id, file_id)
    if record.status not in ("pending", "complete"):
        raise NotFound("File not found")
    own = record.uploaded_by == principal.user_id
    if not own and access.effective != "OWNER":
        raise Forbidden("Only the uploader or an OWNER may complete this upload")
    if own and RANK[access.effective] < RANK["EDITOR"]:
        raise Forbidden("This needs the EDITOR role")
    if record.status == "complete":
        return file_view(record)  # idempotent
    try:
        thumbnail = _verify_and_publish(record)
    except storage.ObjectMissing:
        raise ValidationFailed("The file has not been uploaded yet",
                               details=[{"field": "file_id", "message": "no uploaded object"}]) from None
    except storage.ObjectChanged:
        raise Conflict("The file changed while it was being checked; complete the upload again") from None
    thumbnail_key = f"{ROOMS_PREFIX}{room_id}/{file_id}/{images.THUMBNAIL_NAME}"
    now = clock.iso()
    actions: list[Action] = [
        FileModel.status.set("complete"), FileModel.completed_at.set(now),
        FileModel.list_key.set(f"{record.created_at}#{file_id}"),
        FileModel.kind_key.set(f"{record.kind}#{record.created_at}#{file_id}"),
        FileModel.pending_until.remove(), FileModel.expires_at.remove(),
        FileModel.has_thumbnail.set(thumbnail is not None),
    ]
    if thumbnail is not None:
        actions += [FileModel.thumbnail_key.set(thumbnail_key), FileModel.width.set(thumbnail.original_width),
                    FileModel.height.set(thumbnail.original_height)]
    try:
        record.update(actions=actions, condition=FileModel.status == "pending")
    except UpdateError:
        record = _record(room_id, file_id)  # a concurrent complete won, or the upload was deleted
        if record.status != "complete":
            raise NotFound("File not found") from None
    return file_view(record)


def _verify_and_publish(record: FileModel) -> images.Thumbnail | None:
    """Size, magic bytes and (images) decoding of the uploaded object; then the thumbnail
    and the object under ``rooms/``. Anything wrong: :func:`_reject`."""
    source = record.upload_key
    info = storage.head(source)
    if info is None:
        source = record.object_key  # a previous attempt copied it already
        info = storage.head(source)
    if info is None:
        raise storage.ObjectMissing(record.upload_key)
    if info.size != int(record.size):
        _reject(record, f"The uploaded file has {info.size} bytes, not the declared {int(record.size)}")
    file_type = FILE_TYPES[record.content_type]
    if sniff(storage.read(source, SNIFF_BYTES, if_match=info.etag)) != file_type.magic:
        _reject(record, f"The file's content is not {file_type.content_type}")
    thumbnail = None
    if record.kind == "image":
        data = storage.read(source, if_match=info.etag)
        try:
            thumbnail = images.make_thumbnail(data, record.content_type, get_settings().files_max_image_pixels)
        except images.ImageRejected as exc:
            _reject(record, str(exc))
        del data
        storage.put(f"{ROOMS_PREFIX}{record.room_id}/{record.file_id}/{images.THUMBNAIL_NAME}", thumbnail.data,
                    images.THUMBNAIL_TYPE)
    if source != record.object_key:
        storage.copy(source, record.object_key, if_match=info.etag)
        storage.delete(source)
    return thumbnail


def _reject(record: FileModel, reason: str) -> NoReturn:
    """Delete what was uploaded, mark the record rejected, answer 400."""
    for key in (record.upload_key, record.object_key, f"{ROOMS_PREFIX}{record.room_id}/{record.file_id}/"
                f"{images.THUMBNAIL_NAME}"):
        storage.delete(key)
    try:
        record.update(actions=[FileModel.status.set("rejected"), FileModel.rejected_reason.set(reason),
                               FileModel.pending_until.remove()],
                      condition=FileModel.status == "pending")
    except UpdateError:
        pass
    logger.info("upload rejected", extra={"room_id": record.room_id, "file_id": record.file_id, "reason": reason})
    raise ValidationFailed(reason, details=[{"field": "file", "message": reason}])


def expire_pending(room_id: str, now: float | None = None) -> int:
    """Remove the room's uploads that were never confirmed in time (objects and records).

    AWS does the same with DynamoDB TTL and the ``uploads/`` lifecycle rule; this keeps local
    stacks tidy and runs whenever someone asks to upload into the room. Returns the count.
    """
    bind_models()
    deadline = clock.iso(clock.now() if now is None else now)
    count = 0
    for key in FileModel.by_pending.query(room_id, FileModel.pending_until < deadline):
        try:
            record = FileModel.get(room_id, key.file_id, consistent_read=True)
        except DoesNotExist:
            continue
        if record.status != "pending":
            continue
        storage.delete(record.upload_key)
        storage.delete(record.object_key)
        try:
            record.delete(condition=FileModel.status == "pending")
            count += 1
        except Exception:  # noqa: BLE001 - completed meanwhile: keep it
            logger.info("pending upload changed during cleanup", extra={"file_id": record.file_id})
    return count


# ------------------------------------------------------------------------------ read
def get_file(room_id: str, file_id: str, principal: Principal) -> dict[str, Any]:
    """``GET .../files/{file_id}`` (VIEWER+): metadata and short-lived URLs."""
    _rooms().get_access(room_id, principal, "VIEWER")
    record = _record(room_id, file_id)
    if record.status != "complete":
        raise NotFound("File not found")
    return file_view(record, with_urls=True)


def list_files(room_id: str, principal: Principal, query: ListFiles) -> dict[str, Any]:
    """``GET /rooms/{room_id}/files`` (VIEWER+): complete files, newest first, by kind."""
    _rooms().get_access(room_id, principal, "VIEWER")
    scope = {"room_id": room_id, "type": query.type}
    start = decode_cursor(query.cursor, principal.user_id, scope)
    results: Any
    if query.type:
        results = FileModel.by_kind.query(room_id, FileModel.kind_key.startswith(f"{query.type}#"),
                                          scan_index_forward=False, limit=query.limit + 1, last_evaluated_key=start)
    else:
        results = FileModel.by_created.query(room_id, scan_index_forward=False, limit=query.limit + 1,
                                             last_evaluated_key=start)
    items = list(results)
    page = items[: query.limit]
    next_key = None
    if len(items) > query.limit:
        last = page[-1]
        next_key = {"room_id": {"S": last.room_id}, "file_id": {"S": last.file_id}}
        if query.type:
            next_key["kind_key"] = {"S": last.kind_key}
        else:
            next_key["list_key"] = {"S": last.list_key}
    return {"files": [file_view(r, with_urls=True) for r in page],
            "next_cursor": encode_cursor(next_key, principal.user_id, scope)}


def is_ready_file(room_id: str, file_id: str | None) -> bool:
    """True when ``file_id`` is a complete (not deleted) file of ``room_id`` (message refs)."""
    if not file_id or not clock.is_uuid(file_id) or not clock.is_uuid(room_id):
        return False
    bind_models()
    try:
        return FileModel.get(room_id, file_id, consistent_read=True).status == "complete"
    except DoesNotExist:
        return False


# ------------------------------------------------------------------------------ delete
def delete_file(room_id: str, file_id: str, principal: Principal) -> None:
    """``DELETE .../files/{file_id}`` (uploader or OWNER): soft delete, objects tagged."""
    access = _rooms().get_access(room_id, principal, "VIEWER")
    record = _record(room_id, file_id)
    if record.status not in ("pending", "complete"):
        raise NotFound("File not found")
    if record.uploaded_by != principal.user_id and access.effective != "OWNER":
        raise Forbidden("Only the uploader or an OWNER may delete this file")
    was_complete = record.status == "complete"
    if record.status == "pending":
        storage.delete(record.upload_key)
    else:
        storage.tag(record.object_key, DELETED_TAG)
        if record.has_thumbnail and record.thumbnail_key:
            storage.tag(record.thumbnail_key, DELETED_TAG)
    try:
        record.update(actions=[
            FileModel.status.set("deleted"), FileModel.deleted_at.set(clock.iso()),
            FileModel.deleted_by.set(principal.user_id), FileModel.list_key.remove(), FileModel.kind_key.remove(),
            FileModel.pending_until.remove(),
        ], condition=FileModel.status.is_in("pending", "complete"))
    except UpdateError:
        raise NotFound("File not found") from None
    if was_complete:
        # in the room's history (audit) and, through the stream, live to everyone viewing it:
        # messages that referenced the file show "file deleted" at once
        append_system_event(room_id, "file_deleted", principal.user_id, file_id=file_id, filename=record.filename)
