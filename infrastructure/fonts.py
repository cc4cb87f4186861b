"""Build the report font: the Traditional Chinese face of Debian's Noto Sans CJK, subset.

``python -m infrastructure.fonts`` writes ``chalicelib/exports/fonts/NotoSansTC-subset.otf``
(committed, with the SIL Open Font License beside it). The subset keeps ASCII and Latin-1,
general punctuation, CJK symbols and punctuation, full-width forms and Big5's symbols and
frequently used characters (level 1), so the Lambda package carries ~3 MB instead of the 16 MB
face. Same input, same options: the same bytes (the build
is reproducible: the face's own ``head`` timestamps are kept, none is recalculated).

Needs ``fonts-noto-cjk`` (``apt-get install fonts-noto-cjk``; ``make test`` installs it).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TARGET = Path(__file__).resolve().parent.parent / "chalicelib" / "exports" / "fonts" / "NotoSansTC-subset.otf"
EXTRA_RANGES = [
    (0x20, 0x7E), (0xA0, 0xFF),  # ASCII, Latin-1 (°, ±, ×)
    (0x2010, 0x205E),  # general punctuation (—, …, ‰)
    (0x2100, 0x218F), (0x2190, 0x21FF), (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF),
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3100, 0x312F),  # Bopomofo
    (0xFE30, 0xFE4F), (0xFF01, 0xFFEF),  # CJK compatibility forms, full-width forms
]


def big5_characters() -> set[int]:
    """Big5's symbols and its 5,401 frequently used characters (lead bytes 0xA1-0xC6; the less
    common level 2 would double the file: those render with the fallback glyph)."""
    chars: set[int] = set()
    for lead in range(0xA1, 0xC7):
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            try:
                text = bytes([lead, trail]).decode("big5")
            except UnicodeDecodeError:
                continue
            chars.update(ord(c) for c in text)
    return chars


def codepoints() -> list[int]:
    """What the subset keeps."""
    points = big5_characters()
    for start, end in EXTRA_RANGES:
        points.update(range(start, end + 1))
    return sorted(points)


def tc_face(source: Path) -> bytes:
    """The collection's Traditional Chinese face (``name`` id 4 contains "TC") as OTF bytes."""
    collection = TTCollection(str(source))
    for font in collection.fonts:
        if "TC" in font["name"].getDebugName(4):
            font.recalcTimestamp = False  # keep the face's own head.modified: reproducible bytes
            out = io.BytesIO()
            font.save(out)
            return out.getvalue()
    raise SystemExit(f"no TC face in {source}")


def build(source: Path = SOURCE, target: Path = TARGET) -> int:
    """Write the subset font; its size in bytes."""
    options = subset.Options()
    options.hinting = False  # screen hints are of no use in a printed report
    options.name_IDs = ["*"]  # keep the copyright and licence records (OFL)
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = subset.load_font(io.BytesIO(tc_face(source)), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)
    return target.stat().st_size


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m infrastructure.fonts [--source TTC] [--out OTF]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source} is missing: apt-get install fonts-noto-cjk", file=sys.stderr)
        return 2
    size = build(args.source, args.out)
    print(f"{args.out} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
