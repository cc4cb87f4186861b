"""Thumbnails, magic bytes, names and Content-Disposition (pure functions, no AWS)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from chalicelib.files import images
from chalicelib.files.naming import content_disposition, display_name, safe_name
from chalicelib.files.sniffing import resolve_type, sniff
from tests.builders import EXE, bomb_png, jpeg_with_exif, png_bytes

LIMIT = 40_000_000


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_thumbnail_is_upright_small_webp_without_metadata() -> None:
    thumb = images.make_thumbnail(jpeg_with_exif((4000, 2000), orientation=6), "image/jpeg", LIMIT)
    image = _open(thumb.data)
    assert image.format == "WEBP" and image.size == (thumb.width, thumb.height)
    assert image.size[1] == 320 and image.size[0] in (159, 160, 161)  # turned upright
    assert (thumb.original_width, thumb.original_height) == (2000, 4000)
    assert not image.getexif() and not {"exif", "xmp", "icc_profile"} & set(image.info)
    assert b"PlantCam" not in thumb.data and b"GPS" not in thumb.data


def test_small_images_are_not_enlarged_and_alpha_survives() -> None:
    source = io.BytesIO()
    Image.new("RGBA", (40, 30), (255, 0, 0, 128)).save(source, format="PNG")
    thumb = images.make_thumbnail(source.getvalue(), "image/png", LIMIT)
    image = _open(thumb.data)
    assert image.size == (40, 30) and image.mode == "RGBA"


def test_animated_gif_uses_its_first_frame() -> None:
    frames = [Image.new("P", (500, 100), i) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    assert _open(images.make_thumbnail(out.getvalue(), "image/gif", LIMIT).data).size == (320, 64)


@pytest.mark.parametrize("data,content_type,message", [
    (bomb_png(), "image/png", "too large"),
    (bomb_png(8000, 6000), "image/png", "too large"),
    (png_bytes(), "image/jpeg", "not a readable image"),
    (EXE, "image/png", "not a readable image"),
    (png_bytes()[:60], "image/png", "damaged"),
    (jpeg_with_exif((800, 600))[:900], "image/jpeg", "damaged"),
    (b"", "image/png", "not a readable image"),
])
def test_bad_images_are_refused_not_crashed(data: bytes, content_type: str, message: str) -> None:
    with pytest.raises(images.ImageRejected, match=message):
        images.make_thumbnail(data, content_type, LIMIT)


def test_sniffing() -> None:
    assert sniff(png_bytes()) == "png"
    assert sniff(jpeg_with_exif()) == "jpeg"
    assert sniff(b"GIF89a....") == "gif"
    assert sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff(b"%PDF-1.4\n") == "pdf"
    assert sniff(b"PK\x03\x04\x14\x00") == "zip"
    assert sniff("溫度 85°C\n".encode()) == "text"
    assert sniff("溫度 85°C\r\n".encode("cp950")) == "text"
    assert sniff("\ufefftemp,85\n".encode("utf-16")) == "text"
    assert sniff(b"2025 \x1b[31mERROR\x1b[0m\n") == "text"
    assert sniff(EXE) is None
    assert sniff(b"\x7fELF\x02\x01\x01\x00") is None
    assert sniff(b"text with a \x00 NUL") is None


@pytest.mark.parametrize("raw,shown,safe", [
    ("回焊爐 溫度異常.JPG", "回焊爐 溫度異常.JPG", "file.jpg"),
    ("Line 3 photo (1).png", "Line 3 photo (1).png", "Line_3_photo_1.png"),
    ("../../../etc/passwd", "passwd", "passwd"),
    ("..\\..\\boot.ini", "boot.ini", "boot.ini"),
    (".hidden.txt", "hidden.txt", "hidden.txt"),
    ("report.pdf.", "report.pdf", "report.pdf"),
    ("nul.txt", "nul.txt", "_nul.txt"),
    ("Café déjà vu.txt", "Café déjà vu.txt", "Cafe_deja_vu.txt"),
    ("tab\there.txt", "tab here.txt", "tab_here.txt"),
    ("\u200bzero\u200dwidth.txt", "zerowidth.txt", "zerowidth.txt"),
])
def test_names(raw: str, shown: str, safe: str) -> None:
    assert display_name(raw) == shown
    assert safe_name(display_name(raw)) == safe


def test_content_disposition_keeps_chinese_names() -> None:
    assert content_disposition("回焊爐.pdf") == \
        "attachment; filename=\"file.pdf\"; filename*=UTF-8''%E5%9B%9E%E7%84%8A%E7%88%90.pdf"
    assert content_disposition('a"b;c.txt') == "attachment; filename=\"a_b_c.txt\"; filename*=UTF-8''a%22b%3Bc.txt"
    assert content_disposition("x.webp", "inline").startswith("inline; ")


def test_type_resolution() -> None:
    assert resolve_type("a.JPG", "image/jpg").content_type == "image/jpeg"
    assert resolve_type("a.log", "").content_type == "text/plain"
    assert resolve_type("a.csv", "text/csv; charset=utf-8").content_type == "text/csv"
    assert resolve_type("a.zip", "application/octet-stream").content_type == "application/zip"
