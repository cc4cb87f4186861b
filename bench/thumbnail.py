"""Thumbnail latency and memory for a ~5 MB 4000x3000 photo, alone and upload→complete on SeaweedFS.

    .venv/bin/python -m bench.thumbnail [--repeat 5] [--no-seaweedfs]

1. ``images.make_thumbnail`` alone, each run in a fresh child process so the peak RSS
   (``VmHWM``; Pillow's pixel buffers are not seen by tracemalloc) is the thumbnail's own.
2. The whole flow through the app's service on a real S3-compatible store: request, browser
   POST of the 5 MB file to the presigned form, ``complete`` (HeadObject, Range GET, full GET,
   decode, WebP encode, PutObject of the thumbnail, CopyObject, DeleteObject, record update).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("JWT_SECRET", "bench-signing-key-that-is-long-enough-0123456789")


def make_photo(path: str) -> int:
    """A noisy 4000x3000 JPEG of about 5 MB (noise defeats compression, like a real photo)."""
    from PIL import Image

    noise = Image.effect_noise((4000, 3000), 40).convert("RGB")
    gradient = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    photo = Image.blend(noise, gradient, 0.55)
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=88)
    data = out.getvalue()
    with open(path, "wb") as handle:
        handle.write(data)
    return len(data)


def _peak_rss_kb() -> int:
    """This process's peak resident set (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _child(path: str) -> None:
    from chalicelib.files import images

    with open(path, "rb") as handle:
        data = handle.read()
    before = _peak_rss_kb()
    started = time.perf_counter()
    thumb = images.make_thumbnail(data, "image/jpeg", 40_000_000)
    elapsed = time.perf_counter() - started
    peak = _peak_rss_kb()
    print(json.dumps({"ms": elapsed * 1000, "rss_before_mb": before / 1024, "rss_peak_mb": peak / 1024,
                      "thumb_bytes": len(thumb.data), "thumb_size": [thumb.width, thumb.height]}))


def bench_alone(path: str, repeat: int) -> None:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-m", "bench.thumbnail", "--child", path], check=True,
                             capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    ms = [r["ms"] for r in runs]
    print(f"make_thumbnail alone: median {statistics.median(ms):.0f} ms (min {min(ms):.0f}, max {max(ms):.0f}); "
          f"RSS {runs[0]['rss_before_mb']:.0f} MB before → peak {max(r['rss_peak_mb'] for r in runs):.0f} MB "
          f"(+{max(r['rss_peak_mb'] - r['rss_before_mb'] for r in runs):.0f} MB); thumbnail "
          f"{runs[0]['thumb_size'][0]}x{runs[0]['thumb_size'][1]} {runs[0]['thumb_bytes']} bytes WebP")


def bench_flow(path: str, repeat: int) -> None:
    import requests
    from moto import mock_aws

    from tests.servers.seaweedfs import run_seaweedfs

    with open(path, "rb") as handle:
        data = handle.read()
    with run_seaweedfs() as sw:
        os.environ.update({"S3_ENDPOINT": sw.endpoint, "S3_ACCESS_KEY_ID": sw.access_key,
                           "S3_SECRET_ACCESS_KEY": sw.secret_key, "S3_ADDRESSING_STYLE": "path",
                           "FILES_BUCKET": "bench-files", "TABLE_PREFIX": "bench"})
        from chalicelib import tables
        from chalicelib.auth.service import Principal
        from chalicelib.core.settings import get_settings
        from chalicelib.files import service, storage
        from chalicelib.files.schemas import RequestUpload
        from chalicelib.rooms import schemas as room_schemas
        from chalicelib.rooms import service as rooms

        get_settings.cache_clear()
        with mock_aws():  # DynamoDB only: S3 goes to SeaweedFS
            tables.create_all()
            storage.ensure_bucket()
            owner = Principal("bench@panjit.com.tw", "Bench", "QA", False, "s")
            room = rooms.create_room(owner, room_schemas.CreateRoom(title="bench", incident_type="other"))["room_id"]
            posts, completes = [], []
            for _ in range(repeat):
                made = service.request_upload(room, owner, RequestUpload(filename="photo.jpg", content_type="image/jpeg",
                                                                         size=len(data)))
                started = time.perf_counter()
                response = requests.post(made["upload"]["url"], data=made["upload"]["fields"],
                                         files={"file": ("photo.jpg", data)}, timeout=60)
                assert response.status_code == 204, response.text
                posts.append(time.perf_counter() - started)
                started = time.perf_counter()
                service.complete_upload(room, made["file_id"], owner)
                completes.append(time.perf_counter() - started)
    print(f"SeaweedFS, {len(data) / 1e6:.1f} MB: browser POST median {statistics.median(posts) * 1000:.0f} ms; "
          f"complete (verify + thumbnail + publish) median {statistics.median(completes) * 1000:.0f} ms "
          f"(min {min(completes) * 1000:.0f}, max {max(completes) * 1000:.0f}); "
          f"upload→thumbnail {statistics.median(posts) * 1000 + statistics.median(completes) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-seaweedfs", action="store_true")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    import tempfile

    path = os.path.join(tempfile.mkdtemp(prefix="thumb-bench-"), "photo.jpg")
    size = make_photo(path)
    print(f"photo: 4000x3000 JPEG, {size / 1e6:.2f} MB")
    bench_alone(path, args.repeat)
    if not args.no_seaweedfs:
        bench_flow(path, args.repeat)


if __name__ == "__main__":
    main()
