"""Files on moto S3: presigned upload → browser POST → complete → list/get/delete, and every
hostile upload (lying types, bombs, corrupt images, names that try to become paths)."""

from __future__ import annotations

import base64
import io
import json
import urllib.parse
from typing import Any

import pytest
import requests
from PIL import Image

from chalicelib.files import service, storage
from chalicelib.files.models import FileModel
from tests.builders import EXE, Api, Files, bomb_png, jpeg_with_exif, png_bytes

MB = 1024 * 1024


def _object_exists(key: str) -> bool:
    return storage.head(key) is not None


def _record(room: str, file_id: str) -> FileModel:
    return FileModel.get(room, file_id, consistent_read=True)


# ------------------------------------------------------------------------------ the happy path
def test_upload_request_complete_get_and_download(files: Files, room: str) -> None:
    photo = jpeg_with_exif()
    made = files.request("editor", "回焊爐 溫度異常.jpg", "image/jpeg", len(photo))
    assert made.status_code == 201, made.body
    body = made.json_body
    assert set(body) == {"file_id", "upload", "expires_in"} and body["expires_in"] == 300
    fields = body["upload"]["fields"]
    assert fields["key"] == f"uploads/{room}/{body['file_id']}/file.jpg"
    assert fields["Content-Type"] == "image/jpeg"
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert ["content-length-range", len(photo), len(photo)] in policy["conditions"]
    assert {"Content-Type": "image/jpeg"} in policy["conditions"]
    assert {"key": fields["key"]} in policy["conditions"]

    # Given the browser POSTed the form, When the uploader completes, Then the file is published
    assert files.post_form(body["upload"], photo).status_code == 204
    done = files.complete("editor", body["file_id"])
    assert done.status_code == 200, done.body
    view = done.json_body
    assert view["filename"] == "回焊爐 溫度異常.jpg" and view["content_type"] == "image/jpeg"
    assert view["size"] == len(photo) and view["uploaded_by"] == "chen.editor@panjit.com.tw"
    assert view["kind"] == "image" and (view["width"], view["height"]) == (200, 400)  # EXIF rotation applied
    assert view["created_at"].endswith("Z")
    record = _record(room, body["file_id"])
    assert record.object_key == f"rooms/{room}/{body['file_id']}/file.jpg"
    assert _object_exists(record.object_key) and not _object_exists(record.upload_key)

    # completing twice answers the same object
    again = files.complete("editor", body["file_id"])
    assert again.status_code == 200 and again.json_body == view

    got = files.get("viewer", body["file_id"])
    assert got.status_code == 200
    assert {k: got.json_body[k] for k in view} == view
    url = urllib.parse.urlsplit(got.json_body["download_url"])
    query = urllib.parse.parse_qs(url.query)
    assert query["response-content-disposition"] == [
        "attachment; filename=\"file.jpg\"; filename*=UTF-8''"
        + urllib.parse.quote("回焊爐 溫度異常.jpg", safe="")]
    assert "%E5%9B%9E%E7%84%8A%E7%88%90%20" in query["response-content-disposition"][0]
    assert query["X-Amz-Expires"] == ["300"]
    downloaded = requests.get(got.json_body["download_url"], timeout=30)
    assert downloaded.status_code == 200 and downloaded.content == photo

    thumb = requests.get(got.json_body["thumbnail_url"], timeout=30)
    assert thumb.status_code == 200
    image = Image.open(io.BytesIO(thumb.content))
    assert image.format == "WEBP" and max(image.size) == 320 and image.size[1] > image.size[0]  # upright
    assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info


def test_documents_are_checked_by_their_first_bytes(files: Files) -> None:
    cases = [
        ("SOP 回焊爐.pdf", "application/pdf", b"%PDF-1.7\n" + b"x" * 500),
        ("line3.log", "text/plain", "2025-11-17 10:00 溫度 85°C\n".encode() * 50),
        ("line3-big5.log", "", "溫度過高\r\n".encode("cp950") * 20),  # legacy encodings are text too
        ("readings.csv", "application/vnd.ms-excel", b"time,temp\n10:00,85\n"),
        ("report.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04" + b"\0" * 60),
        ("logs.zip", "application/x-zip-compressed", b"PK\x03\x04" + b"\0" * 60),
    ]
    for name, content_type, data in cases:
        file_id, done = files.upload("editor", name, content_type, data)
        assert done.status_code == 200, (name, done.body)
        assert done.json_body["kind"] == "document"
        assert files.get("viewer", file_id).json_body["thumbnail_url"] is None
    assert {f["content_type"] for f in files.api.call("viewer", "GET", f"/rooms/{files.room}/files").json_body["files"]} \
        == {"application/pdf", "text/plain", "text/csv", "application/zip",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


# ------------------------------------------------------------------------------ hostile uploads
@pytest.mark.parametrize("name,content_type,data,why", [
    ("photo.png", "image/png", EXE, "not image/png"),
    ("photo.jpg", "image/jpeg", png_bytes(), "not image/jpeg"),
    ("manual.pdf", "application/pdf", b"<html><script>alert(1)</script></html>", "not application/pdf"),
    ("notes.txt", "text/plain", EXE, "not text/plain"),
    ("sheet.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", EXE, "not application"),
])
def test_lying_content_is_refused_and_deleted(files: Files, room: str, name: str, content_type: str,
                                              data: bytes, why: str) -> None:
    file_id, done = files.upload("editor", name, content_type, data)
    assert done.status_code == 400 and done.json_body["error"]["code"] == "validation_error"
    assert why in done.json_body["error"]["message"]
    record = _record(room, file_id)
    assert record.status == "rejected"
    assert not _object_exists(record.upload_key) and not _object_exists(record.object_key)
    assert files.get("editor", file_id).status_code == 404
    assert files.complete("editor", file_id).status_code == 404


def test_a_decompression_bomb_is_refused_cleanly(files: Files, room: str) -> None:
    bomb = bomb_png()
    assert len(bomb) < 200_000
    file_id, done = files.upload("editor", "bomb.png", "image/png", bomb)
    assert done.status_code == 400 and "too large" in done.json_body["error"]["message"]
    assert _record(room, file_id).status == "rejected"
    # just above the pixel limit (Pillow's warning, turned into an error)
    file_id, done = files.upload("editor", "big.png", "image/png", bomb_png(8000, 6000))
    assert done.status_code == 400 and "too large" in done.json_body["error"]["message"]


def test_corrupt_and_truncated_images_are_refused(files: Files) -> None:
    photo = jpeg_with_exif((800, 600))
    for name, data in [("truncated.jpg", photo[: len(photo) // 2]),
                       ("garbage.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8),
                       ("broken.png", png_bytes()[:60])]:
        content_type = "image/png" if name.endswith(".png") else "image/jpeg"
        _, done = files.upload("editor", name, content_type, data)
        assert done.status_code == 400, (name, done.body)
        assert done.json_body["error"]["code"] == "validation_error"


def test_a_bigger_object_than_declared_is_refused_at_complete(files: Files, room: str) -> None:
    # moto does not enforce the policy's content-length-range: complete must
    file_id, done = files.upload("editor", "photo.png", "image/png", png_bytes() + b"\0" * 100, declared=50)
    assert done.status_code == 400 and "not the declared 50" in done.json_body["error"]["message"]
    assert not _object_exists(_record(room, file_id).upload_key)


def test_complete_before_upload_is_400_and_retryable(files: Files) -> None:
    data = png_bytes()
    made = files.request("editor", "later.png", "image/png", len(data))
    file_id = made.json_body["file_id"]
    early = files.complete("editor", file_id)
    assert early.status_code == 400 and early.json_body["error"]["details"][0]["field"] == "file_id"
    files.post_form(made.json_body["upload"], data)
    assert files.complete("editor", file_id).status_code == 200


@pytest.mark.parametrize("filename,shown,key_name", [
    ("../../etc/passwd.txt", "passwd.txt", "passwd.txt"),
    ("C:\\Windows\\System32\\evil.txt", "evil.txt", "evil.txt"),
    ("/absolute/path/report.txt", "report.txt", "report.txt"),
    ("line\x00\x01\x1f3\nlog.txt", "line3 log.txt", "line3_log.txt"),
    ("invoice\u202etxt.exe.txt", "invoicetxt.exe.txt", "invoicetxt.exe.txt"),
    ("..txt", "txt", "file"),  # only an extension would be left: still a usable (hidden-free) name
    ("CON.txt", "CON.txt", "_CON.txt"),
    ("  spaced   out  .txt ", "spaced out .txt", "spaced_out.txt"),
    ("a" * 250 + ".txt", "a" * 250 + ".txt", "a" * 96 + ".txt"),
    ("溫度紀錄.txt", "溫度紀錄.txt", "file.txt"),
])
def test_filenames_never_become_paths(files: Files, room: str, filename: str, shown: str, key_name: str) -> None:
    data = b"hello\n"
    made = files.request("editor", filename, "text/plain" if shown.endswith(".txt") else "", len(data))
    if not shown.endswith(".txt"):
        assert made.status_code == 400
        return
    assert made.status_code == 201, made.body
    key = made.json_body["upload"]["fields"]["key"]
    file_id = made.json_body["file_id"]
    assert key == f"uploads/{room}/{file_id}/{key_name}"
    assert ".." not in key.split("/") and "\\" not in key and key.isascii()
    record = _record(room, file_id)
    assert record.filename == shown and record.original_name == filename


@pytest.mark.parametrize("body,status,field", [
    ({"filename": "", "content_type": "text/plain", "size": 5}, 400, "filename"),
    ({"filename": "   ", "content_type": "text/plain", "size": 5}, 400, "filename"),
    ({"filename": "../..", "content_type": "text/plain", "size": 5}, 400, "filename"),
    ({"filename": "x" * 256 + ".txt", "content_type": "text/plain", "size": 5}, 400, "filename"),
    ({"filename": "a.txt", "content_type": "text/plain", "size": 0}, 400, "size"),
    ({"filename": "a.txt", "content_type": "text/plain", "size": -1}, 400, "size"),
    ({"filename": "a.txt", "content_type": "text/plain", "size": 5.5}, 400, "size"),
    ({"filename": "a.txt", "content_type": "text/plain", "size": "5"}, 400, "size"),
    ({"filename": "a.txt", "content_type": "text/plain"}, 400, "size"),
    ({"filename": "a.exe", "content_type": "application/x-msdownload", "size": 5}, 400, "content_type"),
    ({"filename": "a.svg", "content_type": "image/svg+xml", "size": 5}, 400, "content_type"),
    ({"filename": "a.html", "content_type": "text/html", "size": 5}, 400, "content_type"),
    ({"filename": "a.exe", "content_type": "", "size": 5}, 400, "content_type"),
    ({"filename": "photo.exe", "content_type": "image/png", "size": 5}, 400, "filename"),
    ({"filename": "a.txt", "content_type": "text/plain", "size": 5, "extra": 1}, 400, "extra"),
    ({"filename": "a.png", "content_type": "image/png", "size": 20 * MB + 1}, 413, None),
    ({"filename": "a.pdf", "content_type": "application/pdf", "size": 50 * MB + 1}, 413, None),
    ({"filename": "a.pdf", "content_type": "application/pdf", "size": 10**30}, 413, None),
])
def test_upload_requests_are_validated(files: Files, body: dict[str, Any], status: int, field: str | None) -> None:
    response = files.api.call("editor", "POST", f"/rooms/{files.room}/files", body)
    assert response.status_code == status, response.body
    error = response.json_body["error"]
    assert error["code"] == ("too_large" if status == 413 else "validation_error")
    if field:
        assert field in {d["field"] for d in error["details"]}


def test_limits_are_configurable(files: Files, env: pytest.MonkeyPatch) -> None:
    from chalicelib.core.settings import get_settings

    assert files.request("editor", "a.png", "image/png", 2 * MB).status_code == 201
    env.setenv("FILES_MAX_IMAGE_BYTES", str(MB))
    get_settings.cache_clear()
    assert files.request("editor", "a.png", "image/png", 2 * MB).status_code == 413
    assert files.request("editor", "a.pdf", "application/pdf", 2 * MB).status_code == 201


def test_archived_rooms_take_no_new_files(files: Files) -> None:
    assert files.api.call("owner", "DELETE", f"/rooms/{files.room}").status_code == 204
    assert files.request("editor", "a.txt", "text/plain", 3).status_code == 409


# ------------------------------------------------------------------------------ ids and rooms
def test_other_rooms_unknown_and_malformed_ids_are_404(files: Files, api: Api) -> None:
    file_id, _ = files.upload("editor", "a.txt", "text/plain", b"abc")
    other = api.standard_room()
    for path in [f"/rooms/{other}/files/{file_id}", f"/rooms/{files.room}/files/not-a-uuid",
                 f"/rooms/{files.room}/files/{file_id.upper()}x",
                 f"/rooms/{files.room}/files/00000000-0000-4000-8000-000000000000"]:
        for method in ("GET", "DELETE"):
            assert api.call("owner", method, path).status_code == 404, (method, path)
        assert api.call("owner", "POST", f"{path}/complete").status_code == 404, path
    assert api.call("owner", "GET", "/rooms/not-a-room/files").status_code == 404
    assert api.call("outsider", "GET", f"/rooms/{files.room}/files/{file_id}").status_code == 403


def test_completing_someone_elses_upload_is_forbidden(files: Files, room: str) -> None:
    file_id, _ = files.upload("editor", "a.txt", "text/plain", b"abc", complete=False)
    assert files.complete("viewer", file_id).status_code == 403
    assert files.complete("outsider", file_id).status_code == 403
    # an OWNER may finish a colleague's upload
    assert files.complete("owner", file_id).status_code == 200
    owners, _ = files.upload("owner", "b.txt", "text/plain", b"abc", complete=False)
    assert files.complete("editor", owners).status_code == 403


# ------------------------------------------------------------------------------ list and delete
def test_list_newest_first_by_type_with_cursor(files: Files, room: str) -> None:
    names = []
    for i in range(5):
        files.upload("editor", f"photo{i}.png", "image/png", png_bytes((10 + i, 10)))
        files.upload("editor", f"log{i}.txt", "text/plain", f"log {i}\n".encode())
        names += [f"photo{i}.png", f"log{i}.txt"]
    files.upload("editor", "pending.txt", "text/plain", b"never completed", complete=False)
    rejected, _ = files.upload("editor", "fake.png", "image/png", EXE)

    def walk(query: str, limit: int) -> list[str]:
        seen, cursor = [], None
        while True:
            path = f"/rooms/{room}/files?limit={limit}{query}" + (f"&cursor={cursor}" if cursor else "")
            page = files.api.call("viewer", "GET", path)
            assert page.status_code == 200, page.body
            assert len(page.json_body["files"]) <= limit
            seen += [f["filename"] for f in page.json_body["files"]]
            cursor = page.json_body["next_cursor"]
            if cursor is None:
                return seen

    assert walk("", 3) == list(reversed(names))
    assert walk("&type=image", 2) == [f"photo{i}.png" for i in reversed(range(5))]
    assert walk("&type=document", 10) == [f"log{i}.txt" for i in reversed(range(5))]
    first = files.api.call("viewer", "GET", f"/rooms/{room}/files?limit=2").json_body
    assert first["files"][0]["download_url"] and first["files"][0]["thumbnail_url"] is None
    # a cursor belongs to its query and its caller
    assert files.api.call("viewer", "GET", f"/rooms/{room}/files?limit=2&type=image&cursor={first['next_cursor']}") \
        .status_code == 400
    assert files.api.call("editor", "GET", f"/rooms/{room}/files?limit=2&cursor={first['next_cursor']}") \
        .status_code == 400
    for bad in ["limit=0", "limit=101", "type=video", "cursor=junk"]:
        assert files.api.call("viewer", "GET", f"/rooms/{room}/files?{bad}").status_code == 400, bad


def test_delete_is_soft_and_tags_the_objects(files: Files, room: str) -> None:
    file_id, _ = files.upload("editor", "photo.png", "image/png", png_bytes())
    record = _record(room, file_id)
    assert files.api.call("editor", "DELETE", f"/rooms/{room}/files/{file_id}").status_code == 204
    assert files.get("owner", file_id).status_code == 404
    assert files.api.call("editor", "DELETE", f"/rooms/{room}/files/{file_id}").status_code == 404
    assert files.api.call("viewer", "GET", f"/rooms/{room}/files").json_body["files"] == []
    deleted = _record(room, file_id)
    assert deleted.status == "deleted" and deleted.deleted_by == "chen.editor@panjit.com.tw" and deleted.deleted_at
    s3 = storage.client()
    for key in (record.object_key, record.thumbnail_key):
        assert _object_exists(key)  # kept for the audit trail, tagged for the lifecycle rule
        assert s3.get_object_tagging(Bucket=storage.bucket(), Key=key)["TagSet"] == [{"Key": "state", "Value": "deleted"}]
    # the room's history says so (and the stream carries it live to everyone viewing the room)
    from chalicelib.timeline.models import MessageModel

    [event] = [m.content for m in MessageModel.query(room) if m.content.get("event") == "file_deleted"]
    assert event == {"event": "file_deleted", "user_id": "chen.editor@panjit.com.tw", "file_id": file_id,
                     "filename": "photo.png"}


def test_a_pending_upload_can_be_cancelled_and_expires(files: Files, room: str) -> None:
    from chalicelib.core import clock

    cancelled, _ = files.upload("editor", "a.txt", "text/plain", b"abc", complete=False)
    assert files.api.call("editor", "DELETE", f"/rooms/{room}/files/{cancelled}").status_code == 204
    assert not _object_exists(_record(room, cancelled).upload_key)
    stale, _ = files.upload("editor", "b.txt", "text/plain", b"abc", complete=False)
    assert service.expire_pending(room) == 0  # not yet
    assert service.expire_pending(room, now=clock.now() + 300 + 3600 + 1) == 1
    assert not _object_exists(f"uploads/{room}/{stale}/b.txt")
    assert files.complete("editor", stale).status_code == 404


# ------------------------------------------------------------------------------ storage down
def test_storage_down_is_503_unavailable(files: Files, room: str, env: pytest.MonkeyPatch) -> None:
    file_id, _ = files.upload("editor", "a.txt", "text/plain", b"abc")
    pending, _ = files.upload("editor", "b.txt", "text/plain", b"abc", complete=False)
    from chalicelib.core.settings import get_settings

    env.setenv("S3_ENDPOINT", "http://127.0.0.1:9")  # discard port: connection refused
    env.setenv("S3_CONNECT_TIMEOUT", "1")
    get_settings.cache_clear()
    for response in [files.complete("editor", pending),
                     files.api.call("editor", "DELETE", f"/rooms/{room}/files/{file_id}")]:
        assert response.status_code == 503, response.body
        assert response.json_body["error"]["code"] == "unavailable"
        assert "storage" in response.json_body["error"]["message"]
    assert _record(room, file_id).status == "complete"  # nothing half-done
    # nothing on the path of a request needs the store: uploads can still be announced
    assert files.request("editor", "c.txt", "text/plain", 3).status_code == 201


def test_storage_errors_other_than_missing_objects_are_unavailable(aws: None) -> None:
    from chalicelib.core.errors import Unavailable

    with pytest.raises(Unavailable, match="bucket does not exist"):
        storage.head("rooms/x")  # the bucket was never created
