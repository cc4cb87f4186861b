"""Incident report PDF: 500 messages and 20 photo thumbnails rendered in the API Lambda's code.

    .venv/bin/python -m bench.pdf_report [--repeat 5]

Renders the report the export route renders (``exports.pdf.render`` with the shipped Noto Sans TC
subset) from a history like the shop floor's: 500 messages of mixed Chinese and English (a few
edited, a few deleted, some system events), 100 incident-data readings of two fields (the chart)
and 20 WebP thumbnails of 320x240 noisy photos, decoded one at a time as the route does. Prints
the median and worst time of ``--repeat`` runs, the PDF size and the Markdown time. The budget
(plant-and-reports.md) is 3 s; the reads before rendering (one Query page of messages, one of
files, 20 thumbnail GETs) are not in this figure.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

from PIL import Image

from chalicelib.exports import markdown, pdf
from chalicelib.exports.report import Entry, Report

BUDGET_S = 3.0
PHRASES = ["回焊爐第5區溫度262°C，超過上限，已暫停進板", "設備課已到場，檢查加熱器繼電器", "Conveyor speed back to 1.2 m/min",
           "品保確認前10片需全檢，結果 OK", "更換繼電器後溫度恢復正常 245°C，觀察30分鐘"]


def history() -> tuple[Report, bytes]:
    """The report's data and one thumbnail's bytes."""
    report = Report(room={"title": "L3 回焊爐溫度異常 Reflow oven over temperature", "severity": "high",
                          "root_cause_code": "RC-HEATER-RELAY", "downtime_minutes": 42, "mtta_s": 240,
                          "mttr_s": 5400, "resolution_note": "更換第5區加熱器繼電器，恢復生產"},
                    place={"line": "SMT 三線", "station": "回焊爐"})
    for seq in range(1, 501):
        kind = "system" if seq % 25 == 0 else "text"
        text = "member_added (user=huang.tech@panjit.com.tw)" if kind == "system" else PHRASES[seq % len(PHRASES)] * (1 + seq % 3)
        report.entries.append(Entry(seq=seq, at=f"2026-11-30T01:{seq // 60 % 60:02d}:{seq % 60:02d}Z",
                                    sender="chen.editor@panjit.com.tw", kind=kind, text=text,
                                    deleted=seq % 97 == 0, edited=seq % 41 == 0))
    report.series = {"temperature_c": [(str(i), 240 + (i * 7) % 25) for i in range(100)],
                     "conveyor_speed": [(str(i), 1.0 + (i % 5) / 10) for i in range(100)]}
    report.photos = [{"file_id": str(i), "filename": f"爐內照片_{i:02d}.jpg", "thumbnail_key": f"k{i}"} for i in range(20)]
    photo = Image.blend(Image.effect_noise((320, 240), 40).convert("RGB"),
                        Image.linear_gradient("L").resize((320, 240)).convert("RGB"), 0.5)
    out = io.BytesIO()
    photo.save(out, format="WEBP", quality=80)
    return report, out.getvalue()


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    report, thumbnail = history()
    times, size = [], 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        size = len(pdf.render(report, lambda key: thumbnail))
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    markdown.render(report)
    md_ms = (time.perf_counter() - started) * 1000
    median = statistics.median(times)
    verdict = "within" if max(times) <= BUDGET_S else "OVER"
    print(f"pdf_report: 500 messages + 20 photos + chart: median {median:.2f} s, worst {max(times):.2f} s "
          f"({verdict} the {BUDGET_S:.0f} s budget), {size / 1024:.0f} KB; markdown {md_ms:.0f} ms")


if __name__ == "__main__":
    main()
