"""The incident report as Markdown (CommonMark; tables for the header and the files)."""

from __future__ import annotations

import re

from chalicelib.exports import labels
from chalicelib.exports.report import Entry, Report

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


def escape(text: str) -> str:
    """Text safe inside a Markdown paragraph or table cell (one line)."""
    return _SPECIAL.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


def _line(entry: Entry) -> str:
    prefix = f"- `#{entry.seq}` {escape(entry.at)} **{escape(entry.sender)}**"
    if entry.kind == "system":
        return f"- `#{entry.seq}` {escape(entry.at)} _{escape(entry.text)}_"
    if entry.deleted:
        return f"{prefix}: {labels.DELETED}"
    kind = "" if entry.kind == "text" else f"[{entry.kind}] "
    return f"{prefix}: {kind}{escape(entry.text)}{' ' + labels.EDITED if entry.edited else ''}"


def render(report: Report) -> str:
    """The whole report."""
    room = report.room
    values = labels.header_values(room, report.place)
    out = [f"# {escape(report.title)}", "", f"_{labels.REPORT}_", "", "| | |", "|---|---|"]
    out += [f"| {label} | {escape(values[key])} |" for key, label in labels.HEADER]
    out += ["", f"## {labels.RESOLUTION}", "", f"- {labels.ROOT_CAUSE}: {escape(labels.root_cause(room))}",
            f"- {labels.NOTE}: {escape(str(room.get('resolution_note') or '—'))}", ""]
    out += [f"## {labels.TIMELINE}", ""]
    out += [_line(e) for e in report.entries]
    if report.truncated:
        out.append(labels.TRUNCATED.format(n=len(report.entries)))
    if report.series:
        out += ["", f"## {labels.CHART}", ""]
        for name, points in report.series.items():
            values_text = ", ".join(f"{v:g}" for _, v in points[:50])
            out.append(f"- {escape(name)} ({len(points)}): {values_text}")
    out += ["", f"## {labels.FILES}", ""]
    if report.files:
        out += ["| 檔名 Name | 類型 Kind | 大小 Size | 上傳者 By | 時間 At |", "|---|---|---|---|---|"]
        out += [f"| {escape(f['filename'])} | {f['kind']} | {f['size']} | {escape(f['uploaded_by'])} | {f['created_at']} |"
                for f in report.files]
    else:
        out.append("—")
    return "\n".join(out) + "\n"
