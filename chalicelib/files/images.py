"""Thumbnails with Pillow: orientation applied, metadata stripped, bombs and junk refused.

Every way an image can be hostile (a decompression bomb, a truncated or corrupt file, a
format other than the declared one) ends in :class:`ImageRejected`, never in a crash.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image as PILImage

THUMBNAIL_SIZE = 320
THUMBNAIL_TYPE = "image/webp"
THUMBNAIL_NAME = "thumb.webp"
ORIENTATION_TAG = 0x0112
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


class ImageRejected(Exception):
    """The bytes are not an acceptable image (the message says why, for the user)."""


@dataclass(frozen=True)
class Thumbnail:
    """A generated thumbnail and the original's dimensions (after orientation)."""

    data: bytes
    width: int
    height: int
    original_width: int
    original_height: int


def make_thumbnail(data: bytes, content_type: str, max_pixels: int, size: int = THUMBNAIL_SIZE) -> Thumbnail:
    """Decode ``data`` (of ``content_type``) and return a WebP thumbnail without any metadata."""
    # Pillow loads here, on the first upload, not when a function imports the app (cold start)
    from PIL import Image, ImageOps, UnidentifiedImageError

    expected = PIL_FORMATS.get(content_type)
    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow's own bomb check (warning → error below)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[expected] if expected else None) as image:
                if expected and image.format != expected:
                    raise ImageRejected(f"The file is not a {expected} image")
                width, height = image.size
                if width < 1 or height < 1:
                    raise ImageRejected("The image has no pixels")
                if width * height > max_pixels:
                    raise ImageRejected(f"The image is too large ({width}x{height} pixels; at most "
                                        f"{max_pixels // 1_000_000} megapixels)")
                if image.format == "JPEG":
                    # let libjpeg decode at 1/2..1/8 scale: far less time and memory
                    image.draft("RGB", (size * 2, size * 2))
                image.seek(0)  # first frame of an animation
                # EXIF orientations 5-8 turn the picture by 90°: the displayed sides swap
                turned = image.getexif().get(ORIENTATION_TAG) in (5, 6, 7, 8)
                upright = ImageOps.exif_transpose(image)
                upright.thumbnail((size, size), Image.Resampling.LANCZOS)
                thumb = _without_metadata(upright)
                out = io.BytesIO()
                thumb.save(out, format="WEBP", quality=80, method=4)
                shown = (height, width) if turned else (width, height)
                return Thumbnail(out.getvalue(), thumb.width, thumb.height, shown[0], shown[1])
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(f"The image is too large (at most {max_pixels // 1_000_000} megapixels)") from None
    except UnidentifiedImageError:
        raise ImageRejected("The file is not a readable image") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, ZeroDivisionError,
            MemoryError):
        # truncated / corrupt data: each Pillow decoder has its own way to fail
        raise ImageRejected("The image is damaged or truncated") from None


def _without_metadata(image: PILImage.Image) -> PILImage.Image:
    """A fresh RGB(A) image with the pixels only: no EXIF, GPS, XMP, ICC or comments."""
    from PIL import Image

    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean
