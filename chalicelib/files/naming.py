"""File names: what is shown and offered on download, the ASCII object-key segment, and the
``Content-Disposition`` header that keeps Chinese names."""

from __future__ import annotations

import os
import re
import unicodedata
from urllib.parse import quote

SAFE_NAME_MAX = 100
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


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
