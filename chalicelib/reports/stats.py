"""The arithmetic of the reports (pure functions over room records, no storage).

Definitions (also in the spec's reports section and the tests' hand-computed fixture):
- a room is counted in the range when it *opened* in it; one room is one incident however often
  it was reopened (its latest resolution counts);
- MTTA = ``acknowledged_at - created_at``; MTTR = ``resolved_at - created_at`` of rooms resolved
  now (rooms resolved after ``to`` still count: they opened in the range); still-open rooms have
  no MTTR;
- false alarms are counted (``count``, ``false_alarms``, MTTA) but left out of MTTR and downtime;
- median: the middle value (the mean of the two middle ones); p90: nearest rank
  (``sorted[ceil(0.9 n) - 1]``); seconds, rounded to one decimal; ``null`` with no values.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable
from typing import Any

from chalicelib.core import clock


def spread(values: list[float]) -> dict[str, float | None]:
    """``{"median", "mean", "p90"}`` of seconds (``None`` each when there are none)."""
    if not values:
        return {"median": None, "mean": None, "p90": None}
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered), 1), "mean": round(statistics.fmean(ordered), 1),
            "p90": round(ordered[math.ceil(0.9 * len(ordered)) - 1], 1)}


def seconds(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return max(0.0, clock.parse_iso(end) - clock.parse_iso(start))


def figures(room: dict[str, Any]) -> dict[str, Any]:
    """One room's figures: tta_s, ttr_s (None for false alarms), downtime (0 for false alarms)."""
    false_alarm = bool(room.get("false_alarm"))
    resolved = room.get("resolved_at") if room.get("status") in ("resolved", "archived") else None
    return {
        "false_alarm": false_alarm,
        "acknowledged": bool(room.get("acknowledged_at")),
        "resolved": bool(resolved),
        "tta_s": seconds(room["created_at"], room.get("acknowledged_at")),
        "ttr_s": None if false_alarm else seconds(room["created_at"], resolved),
        "downtime_minutes": 0 if false_alarm else int(room.get("downtime_minutes") or 0),
    }


def aggregate(facts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The summary figures of a set of rooms, given each room's :func:`figures` (and anything else)."""
    count = acknowledged = resolved = false_alarms = downtime = 0
    tta: list[float] = []
    ttr: list[float] = []
    for f in facts:
        count += 1
        acknowledged += f["acknowledged"]
        resolved += f["resolved"]
        false_alarms += f["false_alarm"]
        downtime += f["downtime_minutes"]
        if f["tta_s"] is not None:
            tta.append(f["tta_s"])
        if f["ttr_s"] is not None:
            ttr.append(f["ttr_s"])
    return {"count": count, "acknowledged": acknowledged, "resolved": resolved, "false_alarms": false_alarms,
            "mtta_s": spread(tta), "mttr_s": spread(ttr), "downtime_minutes": downtime}


def group(rooms: list[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for room in rooms:
        groups.setdefault(key(room), []).append(room)
    return groups


def pareto(values: dict[str, float]) -> list[dict[str, Any]]:
    """Rows sorted by value (descending, then key) with ``pct`` and ``cumulative_pct``: the
    percentages are rounded to two decimals by largest remainder, so they sum to exactly 100
    and the last cumulative is 100 (no rows when every value is 0)."""
    rows = sorted(((k, v) for k, v in values.items() if v > 0), key=lambda kv: (-kv[1], kv[0]))
    total = sum(v for _, v in rows)
    if not rows:
        return []
    raw = [v * 10000 / total for _, v in rows]  # hundredths of a percent
    cents = [math.floor(x) for x in raw]
    for index in sorted(range(len(raw)), key=lambda i: (cents[i] - raw[i], i))[:10000 - sum(cents)]:
        cents[index] += 1
    out, running = [], 0
    for (key, value), cent in zip(rows, cents, strict=True):
        running += cent
        out.append({"key": key, "value": value, "pct": cent / 100, "cumulative_pct": running / 100})
    return out
