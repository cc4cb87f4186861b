"""Files against a real S3-compatible store (SeaweedFS on loopback): real multipart POSTs to the
presigned form, policy enforcement by the store, downloads with the Chinese file name.

DynamoDB stays on moto here (the files logic under test is the S3 side); S3 calls go to
SeaweedFS through the same settings a MinIO deployment uses (endpoint, keys, path style).
"""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from moto import mock_aws
from PIL import Image

from chalicelib.files import storage
from tests.builders import EXE, Api, Files, jpeg_with_exif
from tests.servers.seaweedfs import SeaweedFS, run_seaweedfs

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def seaweedfs() -> Iterator[SeaweedFS]:
    """One SeaweedFS for the module (S3 gateway with an identity for presigned POST)."""
    with run_seaweedfs() as server:
        yield server


BUCKET = f"files-{uuid.uuid4().hex[:12]}"  # one bucket (a SeaweedFS collection) for the module


def _keys(room: str) -> set[str]:
    s3 = storage.client()
    found: set[str] = set()
    for prefix in (f"rooms/{room}/", f"uploads/{room}/"):
        found |= {o["Key"] for o in s3.list_objects_v2(Bucket=storage.bucket(), Prefix=prefix).get("Contents", [])}
    return found


@pytest.fixture
def files(seaweedfs: SeaweedFS, monkeypatch: pytest.MonkeyPatch) -> Iterator[Files]:
    """The app with DynamoDB on moto and S3 on SeaweedFS (a fresh room, so a fresh key prefix, per test)."""
    from chalice.test import Client

    from chalicelib import tables
    from chalicelib.core.settings import get_settings
    from tests.conftest import DEV_DIRECTORY

    for key, value in {
        "DIRECTORY_MODE": "dev", "DEV_DIRECTORY_FILE": DEV_DIRECTORY, "LDAP_BASE_DN": "dc=panjit,dc=com,dc=tw",
        "ADMIN_GROUP": "IRS-Admins", "LDAP_NETBIOS_DOMAIN": "PANJIT", "TABLE_PREFIX": "itfiles",
        "WS_MANAGEMENT_ENDPOINT": "http://127.0.0.1:9",
        "S3_ENDPOINT": seaweedfs.endpoint, "S3_ACCESS_KEY_ID": seaweedfs.access_key,
        "S3_SECRET_ACCESS_KEY": seaweedfs.secret_key, "S3_ADDRESSING_STYLE": "path",
        "FILES_BUCKET": BUCKET,
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DYNAMODB_ENDPOINT", raising=False)
    monkeypatch.delenv("S3_PUBLIC_ENDPOINT", raising=False)
    get_settings.cache_clear()
    with mock_aws():
        tables.create_all()
        storage.ensure_bucket(["http://127.0.0.1:8000"])
        from app import app

        with Client(app) as client:
            api = Api(client)
            yield Files(api, api.standard_room())
    get_settings.cache_clear()


def _photo_5mb_ish() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((1200, 900), 80).convert("RGB").save(out, format="JPEG", quality=95)
    return out.getvalue()


def test_full_flow_with_a_real_multipart_post(files: Files) -> None:
    photo = jpeg_with_exif((1600, 1200))
    made = files.request("editor", "回焊爐 缺陷照片.jpg", "image/jpeg", len(photo))
    assert made.status_code == 201, made.body
    upload = made.json_body["upload"]
    assert upload["url"].startswith(storage.client().meta.endpoint_url)
    posted = files.post_form(upload, photo)
    assert posted.status_code == 204, posted.text

    done = files.complete("editor", made.json_body["file_id"])
    assert done.status_code == 200, done.body
    assert (done.json_body["width"], done.json_body["height"]) == (1200, 1600)
    got = files.get("viewer", made.json_body["file_id"]).json_body

    download = requests.get(got["download_url"], timeout=30)
    assert download.status_code == 200 and download.content == photo
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"file.jpg\"; filename*=UTF-8''"
        "%E5%9B%9E%E7%84%8A%E7%88%90%20%E7%BC%BA%E9%99%B7%E7%85%A7%E7%89%87.jpg")
    assert download.headers["Content-Type"] == "image/jpeg"
    thumb = requests.get(got["thumbnail_url"], timeout=30)
    assert thumb.status_code == 200 and thumb.headers["Content-Type"] == "image/webp"
    image = Image.open(io.BytesIO(thumb.content))
    assert image.format == "WEBP" and image.size == (240, 320) and not image.getexif()

    # the pending copy is gone; the published object and thumbnail sit under rooms/
    room, file_id = files.room, made.json_body["file_id"]
    assert _keys(room) == {f"rooms/{room}/{file_id}/file.jpg", f"rooms/{room}/{file_id}/thumb.webp"}

    assert files.api.call("editor", "DELETE", f"/rooms/{room}/files/{file_id}").status_code == 204
    tags = storage.client().get_object_tagging(Bucket=storage.bucket(), Key=f"rooms/{room}/{file_id}/file.jpg")
    assert tags["TagSet"] == [{"Key": "state", "Value": "deleted"}]


def test_the_store_enforces_the_size_in_the_policy(files: Files) -> None:
    data = b"hello, line 3\n" * 10
    made = files.request("editor", "notes.txt", "text/plain", len(data))
    upload = made.json_body["upload"]
    bigger = files.post_form(upload, data + b"one byte too many")
    assert bigger.status_code == 400 and "EntityTooLarge" in bigger.text
    smaller = files.post_form(upload, data[:-1])
    assert smaller.status_code == 400 and "EntityTooSmall" in smaller.text
    assert storage.head(upload["fields"]["key"]) is None
    early = files.complete("editor", made.json_body["file_id"])
    assert early.status_code == 400 and early.json_body["error"]["code"] == "validation_error"
    assert files.post_form(upload, data).status_code == 204
    assert files.complete("editor", made.json_body["file_id"]).status_code == 200


def test_the_store_enforces_type_key_and_expiry(files: Files, monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"%PDF-1.7\n" + b"x" * 100
    made = files.request("editor", "SOP.pdf", "application/pdf", len(data))
    upload = made.json_body["upload"]
    wrong_type = files.post_form(upload, data, content_type="text/html")
    assert wrong_type.status_code == 403 and "Policy" in wrong_type.text
    other_key = dict(upload, fields={**upload["fields"], "key": f"rooms/{files.room}/evil.pdf"})
    assert files.post_form(other_key, data).status_code == 403
    assert storage.head(f"rooms/{files.room}/evil.pdf") is None

    from chalicelib.core.settings import get_settings

    monkeypatch.setenv("UPLOAD_URL_TTL", "1")
    get_settings.cache_clear()
    short = files.request("editor", "late.pdf", "application/pdf", len(data)).json_body["upload"]
    time.sleep(2.2)
    expired = files.post_form(short, data)
    assert expired.status_code == 403 and "expired" in expired.text


def test_lying_content_passes_the_policy_but_not_complete(files: Files) -> None:
    file_id, done = files.upload("editor", "photo.png", "image/png", EXE)
    assert done.status_code == 400
    assert _keys(files.room) == set()
    assert files.get("editor", file_id).status_code == 404


def test_a_large_photo_round_trip(files: Files) -> None:
    photo = _photo_5mb_ish()
    started = time.perf_counter()
    file_id, done = files.upload("editor", "large.jpg", "image/jpeg", photo)
    elapsed = time.perf_counter() - started
    assert done.status_code == 200, done.body
    assert files.get("viewer", file_id).json_body["thumbnail_url"]
    assert elapsed < 30


def test_cors_lets_the_spa_post_and_download(files: Files, seaweedfs: SeaweedFS) -> None:
    spa = "http://127.0.0.1:8000"
    file_id, _ = files.upload("editor", "a.txt", "text/plain", b"abc")
    bucket_url = f"{seaweedfs.endpoint}/{storage.bucket()}"
    object_url = f"{bucket_url}/rooms/{files.room}/{file_id}/a.txt"
    answers: dict[tuple[str, str], Any] = {}
    for url in (bucket_url, object_url):
        for origin in (spa, "https://evil.example"):
            answers[(url, origin)] = requests.options(
                url, headers={"Origin": origin, "Access-Control-Request-Method": "POST" if url == bucket_url else "GET"},
                timeout=10).headers.get("Access-Control-Allow-Origin")
    # the upload form (POST to the bucket URL) and the download (GET of the object) are allowed for the SPA
    assert answers[(bucket_url, spa)] in (spa, "*")
    assert answers[(object_url, spa)] == spa
    # the bucket's CORS rules apply to objects (SeaweedFS answers bucket-level preflights with "*")
    assert answers[(object_url, "https://evil.example")] is None
