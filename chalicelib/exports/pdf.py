"""The incident report as PDF, drawn with fpdf2 in the Lambda (no browser): an embedded subset
of Noto Sans TC (``fonts/``, built by ``infrastructure/fonts.py``), the header and resolution
block, the incident-data chart drawn with fpdf2 primitives, photo thumbnails, the timeline and
the files list. Characters the font lacks (emoji, rare ideographs) are left out, never tofu."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF
from PIL import Image

from chalicelib.exports import labels
from chalicelib.exports.report import Entry, Report

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSansTC-subset.otf"
FONT = "NotoSansTC"
CHART_COLOURS = [(200, 40, 40), (30, 90, 200), (20, 140, 60), (200, 120, 0), (120, 40, 160), (0, 130, 150)]
PHOTO_WIDTH = 42.0  # mm; four per row
LINE = 5.5  # mm
logging.getLogger("fpdf").setLevel(logging.ERROR)  # "missing glyph" warnings per character
logging.getLogger("fontTools").setLevel(logging.ERROR)


class ReportPDF(FPDF):
    """A4 portrait with a running footer."""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, f"{self.title_text} — {self.page_no()}", align="C")
        self.set_text_color(0, 0, 0)

    title_text = ""


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, size=13)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(180, 180, 180)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_font(FONT, size=10)


def _line(pdf: FPDF, height: float, text: str) -> None:
    """One paragraph: a plain cell when it fits on one line (fpdf2's line breaking measures
    every prefix of the text, which dominates the time of a long timeline), else wrapped."""
    if "\n" not in text and pdf.get_string_width(text) < pdf.w - pdf.r_margin - pdf.get_x() - 1:
        pdf.cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _text(pdf: FPDF, text: str, size: float = 10) -> None:
    pdf.set_font(FONT, size=size)
    _line(pdf, LINE, text)


def _header(pdf: ReportPDF, report: Report) -> None:
    pdf.set_font(FONT, size=18)
    pdf.multi_cell(0, 9, report.title or "—", new_x="LMARGIN", new_y="NEXT")
    _text(pdf, labels.REPORT, 9)
    pdf.ln(2)
    values = labels.header_values(report.room, report.place)
    pdf.set_font(FONT, size=10)
    for key, label in labels.HEADER[1:]:
        pdf.set_text_color(90, 90, 90)
        pdf.cell(52, LINE, label)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(0, LINE, values[key], new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, labels.RESOLUTION)
    _text(pdf, f"{labels.ROOT_CAUSE}: {labels.root_cause(report.room)}")
    _text(pdf, f"{labels.NOTE}: {report.room.get('resolution_note') or '—'}")


def _chart(pdf: FPDF, report: Report) -> None:
    """One line chart: every series scaled to its own min..max, a legend with the ranges."""
    if not report.series:
        return
    _heading(pdf, labels.CHART)
    width, height = pdf.w - pdf.l_margin - pdf.r_margin, 45.0
    if pdf.get_y() + height + 20 > pdf.h - pdf.b_margin:
        pdf.add_page()
    x0, y0 = pdf.l_margin, pdf.get_y()
    pdf.set_draw_color(120, 120, 120)
    pdf.set_line_width(0.2)
    pdf.rect(x0, y0, width, height)
    longest = max(len(points) for points in report.series.values())
    for index, (name, points) in enumerate(report.series.items()):
        colour = CHART_COLOURS[index % len(CHART_COLOURS)]
        values = [v for _, v in points]
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        step = width / max(1, longest - 1)
        coords = [(x0 + i * step, y0 + height - 3 - (v - low) / span * (height - 6)) for i, v in enumerate(values)]
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.5)
        if len(coords) > 1:
            pdf.polyline(coords)
        for x, y in coords[:200]:
            pdf.circle(x, y, 0.6, style="D")
        pdf.set_xy(x0, y0 + height + 1 + index * LINE)
        pdf.set_text_color(*colour)
        pdf.set_font(FONT, size=9)
        pdf.cell(0, LINE, f"■ {name}: {low:g} – {high:g} ({len(values)})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)


def _photo(data: bytes) -> Image.Image | None:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
        return image.convert("RGB")
    except Exception:  # noqa: BLE001 - a damaged thumbnail is left out, not a failed report
        return None


def _photos(pdf: FPDF, report: Report, load: Callable[[str], bytes | None]) -> None:
    if not report.photos:
        return
    _heading(pdf, labels.PHOTOS)
    column, row_top, row_height = 0, pdf.get_y(), 0.0
    for photo in report.photos:
        data = load(photo["thumbnail_key"])
        image = _photo(data) if data else None
        if image is None:
            continue
        height = PHOTO_WIDTH * image.height / max(1, image.width)
        if column == 4:
            column, row_top, row_height = 0, row_top + row_height + 8, 0.0
        if row_top + height + 8 > pdf.h - pdf.b_margin:
            pdf.add_page()
            row_top = pdf.get_y()
        x = pdf.l_margin + column * (PHOTO_WIDTH + 4)
        pdf.image(image, x=x, y=row_top, w=PHOTO_WIDTH)
        pdf.set_xy(x, row_top + height + 0.5)
        pdf.set_font(FONT, size=7)
        pdf.cell(PHOTO_WIDTH, 4, str(photo["filename"])[:40])
        row_height = max(row_height, height)
        column += 1
        image.close()
    pdf.set_xy(pdf.l_margin, row_top + row_height + 8)


def _entry_text(entry: Entry) -> str:
    at = entry.at[:19].replace("T", " ")
    if entry.kind == "system":
        return f"#{entry.seq}  {at}  · {entry.text}"
    body = labels.DELETED if entry.deleted else entry.text
    kind = "" if entry.kind == "text" or entry.deleted else f"[{entry.kind}] "
    edited = f" {labels.EDITED}" if entry.edited and not entry.deleted else ""
    return f"#{entry.seq}  {at}  {entry.sender}: {kind}{body}{edited}"


def _timeline(pdf: FPDF, report: Report) -> None:
    _heading(pdf, labels.TIMELINE)
    pdf.set_font(FONT, size=9)
    for entry in report.entries:
        pdf.set_text_color(*((110, 110, 110) if entry.kind == "system" or entry.deleted else (0, 0, 0)))
        _line(pdf, 4.8, _entry_text(entry))
    pdf.set_text_color(0, 0, 0)
    if report.truncated:
        _text(pdf, labels.TRUNCATED.format(n=len(report.entries)), 9)


def _files(pdf: FPDF, report: Report) -> None:
    _heading(pdf, labels.FILES)
    if not report.files:
        _text(pdf, "—")
    for item in report.files:
        _text(pdf, f"{item['filename']}  ({item['kind']}, {item['size']:,} B, {item['uploaded_by']}, "
                   f"{str(item['created_at'])[:19].replace('T', ' ')})", 9)


def render(report: Report, load_thumbnail: Callable[[str], bytes | None]) -> bytes:
    """The PDF's bytes; thumbnails are loaded one at a time through ``load_thumbnail(key)``."""
    pdf = ReportPDF(format="A4")
    pdf.title_text = report.title
    pdf.set_title(report.title)
    pdf.set_creator("incident-response")
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font(FONT, "", str(FONT_FILE))
    pdf.add_page()
    _header(pdf, report)
    _chart(pdf, report)
    _photos(pdf, report, load_thumbnail)
    _timeline(pdf, report)
    _files(pdf, report)
    return bytes(pdf.output())
