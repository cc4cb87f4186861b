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

from typing import Any, NoReturn

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from chalicelib.auth.principal import Principal
from chalicelib.core import clock
from chalicelib.core.cursor import decode_cursor, encode_cursor
from chalicelib.core.db import condition_failed
from chalicelib.core.errors import Conflict, Forbidden, NotFound, TooLarge, Unavailable, ValidationFailed
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.files import images, storage
from chalicelib.files.models import FileModel
from chalicelib.files.naming import display_name, safe_name
from chalicelib.files.schemas import FILE_TYPES, ListFiles, RequestUpload
from chalicelib.files.sniffing import resolve_type, size_limit, sniff
from chalicelib.files.views import file_view
from chalicelib.rooms.access import at_least, get_access
from chalicelib.timeline.service import append_system_event

UPLOADS_PREFIX = "uploads/"  # pending uploads (lifecycle: expire after 1 day)
ROOMS_PREFIX = "rooms/"  # confirmed files and thumbnails
DELETED_TAG = {"state": "deleted"}  # soft-deleted objects (lifecycle may expire them)
SNIFF_BYTES = 4096
PENDING_GRACE = 3600  # seconds after the upload URL expires before a pending upload is cleaned up
RECORD_TTL = 24 * 3600  # records of unconfirmed / rejected uploads disappear after a day


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
    access = get_access(room_id, principal, "EDITOR")
    access.require_open("An archived room takes no new files")
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
    access = get_access(room_id, principal, "VIEWER")
    record = _record(room_id, file_id)
    if record.status not in ("pending", "complete"):
        raise NotFound("File not found")
    own = record.uploaded_by == principal.user_id
    if not own and not access.is_owner:
        raise Forbidden("Only the uploader or an OWNER may complete this upload")
    if own and not at_least(access.effective, "EDITOR"):
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
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
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
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
    logger.info("upload rejected", extra={"room_id": record.room_id, "file_id": record.file_id, "reason": reason})
    raise ValidationFailed(reason, details=[{"field": "file", "message": reason}])


def expire_pending(room_id: str, now: float | None = None) -> int:
    """Remove the room's uploads that were never confirmed in time (objects and records).

    AWS does the same with DynamoDB TTL and the ``uploads/`` lifecycle rule; this keeps local
    stacks tidy and runs whenever someone asks to upload into the room. Returns the count.
    """
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
        except DeleteError as exc:
            if not condition_failed(exc):
                raise
            logger.info("pending upload changed during cleanup", extra={"file_id": record.file_id})
    return count


# ------------------------------------------------------------------------------ read
def get_file(room_id: str, file_id: str, principal: Principal) -> dict[str, Any]:
    """``GET .../files/{file_id}`` (VIEWER+): metadata and short-lived URLs."""
    get_access(room_id, principal, "VIEWER")
    record = _record(room_id, file_id)
    if record.status != "complete":
        raise NotFound("File not found")
    return file_view(record, with_urls=True)


def list_files(room_id: str, principal: Principal, query: ListFiles) -> dict[str, Any]:
    """``GET /rooms/{room_id}/files`` (VIEWER+): complete files, newest first, by kind."""
    get_access(room_id, principal, "VIEWER")
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
    try:
        return FileModel.get(room_id, file_id, consistent_read=True).status == "complete"
    except DoesNotExist:
        return False


# ------------------------------------------------------------------------------ delete
def delete_file(room_id: str, file_id: str, principal: Principal) -> None:
    """``DELETE .../files/{file_id}`` (uploader or OWNER): soft delete, objects tagged."""
    access = get_access(room_id, principal, "VIEWER")
    record = _record(room_id, file_id)
    if record.status not in ("pending", "complete"):
        raise NotFound("File not found")
    if record.uploaded_by != principal.user_id and not access.is_owner:
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
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        raise NotFound("File not found") from None
    if was_complete:
        # in the room's history (audit) and, through the stream, live to everyone viewing it:
        # messages that referenced the file show "file deleted" at once
        append_system_event(room_id, "file_deleted", principal.user_id, file_id=file_id, filename=record.filename)


def require_ready_file(room_id: str, file_id: str | None) -> None:
    """An ``image_ref`` / ``file_ref`` message must point at a completed upload of this room."""
    if not is_ready_file(room_id, file_id):
        raise ValidationFailed("Unknown file for this room",
                               details=[{"field": "file_id", "message": "not a completed file of this room"}])
