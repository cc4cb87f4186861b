"""Report labels, zh-TW first with English second (shared by the Markdown and PDF renderers)."""

from __future__ import annotations

from typing import Any

HEADER = [
    ("title", "標題 Title"), ("place", "產線／站別 Line / station"), ("equipment_id", "設備 Equipment"),
    ("event_code", "事件代碼 Event code"), ("incident_type", "類型 Type"), ("severity", "嚴重度 Severity"),
    ("status", "狀態 Status"), ("opened", "開立 Opened"), ("acknowledged", "確認 Acknowledged"),
    ("resolved", "解決 Resolved"), ("mtta", "MTTA"), ("mttr", "MTTR"), ("downtime", "停機 Downtime"),
]
RESOLUTION = "處置結果 Resolution"
ROOT_CAUSE = "根本原因 Root cause"
FALSE_ALARM = "誤報 False alarm"
NOTE = "處置說明 Resolution note"
TIMELINE = "時間軸 Timeline"
CHART = "事件數據 Incident data"
PHOTOS = "照片 Photos"
FILES = "檔案 Files"
DELETED = "（訊息已刪除 message deleted）"
EDITED = "（已編輯 edited）"
TRUNCATED = "（僅列出前 {n} 則 only the first {n} entries）"
REPORT = "異常報告 Incident report"


def duration(seconds: int | None) -> str:
    """``1 h 05 min`` / ``12 min`` / ``—``."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def who_when(user: Any, at: Any) -> str:
    """``<user> @ <time>`` (either may be missing)."""
    if not at:
        return "—"
    return f"{at} ({user})" if user else str(at)


def header_values(room: dict[str, Any], place: dict[str, str]) -> dict[str, str]:
    """The header rows' values as text."""
    downtime = room.get("downtime_minutes")
    return {
        "title": str(room.get("title") or ""),
        "place": " / ".join(p for p in (place.get("line"), place.get("station")) if p) or "—",
        "equipment_id": str(room.get("equipment_id") or "—"),
        "event_code": str(room.get("event_code") or "—"),
        "incident_type": str(room.get("incident_type") or "—"),
        "severity": str(room.get("severity") or "—"),
        "status": str(room.get("status") or "—"),
        "opened": who_when(room.get("created_by"), room.get("created_at")),
        "acknowledged": who_when(room.get("acknowledged_by"), room.get("acknowledged_at")),
        "resolved": who_when(room.get("resolved_by"), room.get("resolved_at")),
        "mtta": duration(room.get("mtta_s")),
        "mttr": duration(room.get("mttr_s")),
        "downtime": f"{downtime} min" if downtime is not None else "—",
    }


def root_cause(room: dict[str, Any]) -> str:
    """The root cause as shown (code and text), or the false-alarm mark, or ``—``."""
    if room.get("false_alarm"):
        return FALSE_ALARM
    parts = [str(room[k]) for k in ("root_cause_code", "root_cause") if room.get(k)]
    return " — ".join(dict.fromkeys(parts)) or "—"
