"""The reports' daily rollup, kept up to date from the rooms stream.

Every change of a room that moves a report figure (opened, acknowledged, resolved, reopened,
closure corrected, moved to another line or code) rewrites that room's *fact* in the item of the
UTC day it opened (:class:`chalicelib.reports.models.ReportDayModel`); changes that move no figure
(activity, members, edits) write nothing. A fact is the room's group keys and its figures
(:func:`chalicelib.reports.stats.figures`), so a summary over 90 days reads ~90 items and does
arithmetic only. Writing a fact is idempotent (a stream record handled twice sets the same
value), and a room's records arrive in order (one shard per key), so the last one wins.

Rooms that existed before the rollup are added by ``python -m infrastructure.backfill_reports``.
"""

from __future__ import annotations

import json
from typing import Any, cast

from pynamodb.exceptions import UpdateError

from chalicelib.core.streams import image
from chalicelib.reports import stats
from chalicelib.reports.models import ReportDayModel

KEY_FIELDS = ("line_id", "station_id", "event_code", "root_cause_code", "severity")
FIGURE_FIELDS = ("false_alarm", "acknowledged", "resolved", "tta_s", "ttr_s", "downtime_minutes")
FACT_FIELDS = ("created_at", *KEY_FIELDS, *FIGURE_FIELDS)


def fact(room: dict[str, Any]) -> str | None:
    """The compact JSON fact of a room (None for an item that is no room)."""
    if not room.get("room_id") or not room.get("created_at"):
        return None
    figures = stats.figures(room)
    values = [room["created_at"], *(room.get(k) or None for k in KEY_FIELDS), *(figures[k] for k in FIGURE_FIELDS)]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def decode(room_id: str, value: str) -> dict[str, Any]:
    """A fact back as a dict (``room_id`` and every :data:`FACT_FIELDS` name)."""
    return {"room_id": room_id, **dict(zip(FACT_FIELDS, json.loads(value), strict=True))}


def _day_key(created_at: str) -> tuple[str, str]:
    return created_at[:7], created_at[:10]


def _entry(room_id: str) -> Any:
    """The document path ``rooms.<room_id>`` (pynamodb types the item as a str)."""
    return cast(Any, ReportDayModel.rooms)[room_id]


def put(room_id: str, created_at: str, value: str) -> None:
    """Set one room's fact in its day (creating the day's item on its first room)."""
    month, day = _day_key(created_at)
    item = ReportDayModel(month, day)
    try:
        item.update(actions=[_entry(room_id).set(value)], condition=ReportDayModel.rooms.exists())
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        try:  # the day's first room
            item.update(actions=[ReportDayModel.rooms.set({room_id: value})],
                        condition=ReportDayModel.rooms.does_not_exist())
        except UpdateError as again:
            if again.cause_response_code != "ConditionalCheckFailedException":
                raise
            # another room created the day's map in between
            item.update(actions=[_entry(room_id).set(value)])


def remove(room_id: str, created_at: str) -> None:
    month, day = _day_key(created_at)
    try:
        ReportDayModel(month, day).update(actions=[_entry(room_id).remove()],
                                          condition=ReportDayModel.rooms.exists())
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def handle_record(record: dict[str, Any]) -> None:
    """One rooms-stream record: rewrite the room's fact when a figure moved (raises to be retried)."""
    change = record.get("dynamodb") or {}
    new, old = image(change.get("NewImage")), image(change.get("OldImage"))
    after, before = fact(new) if new else None, fact(old) if old else None
    if after == before:
        return
    if after is None:
        if old and before is not None:
            remove(str(old["room_id"]), str(old["created_at"]))
        return
    assert new is not None
    put(str(new["room_id"]), str(new["created_at"]), after)


def facts(start: str, end: str) -> list[dict[str, Any]]:
    """The facts of the rooms opened in ``[start, end)`` (ISO UTC), oldest first: one Query per
    UTC month the range touches, reading only the days in it."""
    first, last = start[:10], end[:10]
    out: list[dict[str, Any]] = []
    for month in months(start, end):
        for item in ReportDayModel.query(month, ReportDayModel.day.between(first, last)):
            for room_id, value in (item.rooms.as_dict() if item.rooms else {}).items():
                row = decode(room_id, value)
                if start <= row["created_at"] < end:
                    out.append(row)
    out.sort(key=lambda row: (row["created_at"], row["room_id"]))
    return out


def months(start: str, end: str) -> list[str]:
    """The UTC months (``2026-11``) from ISO time ``start`` to ``end``, both included."""
    year, month = int(start[:4]), int(start[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= end[:7]:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def rebuild(month: str) -> int:
    """Rewrite the rollup of one UTC month from the rooms themselves (the ``opened-index``): one
    PutItem per day. For a backfill or a repair; a room that changes while this runs is set again
    by its stream record. Returns the number of rooms."""
    from chalicelib.rooms.models import REPORT_FIELDS, RoomModel  # the backfill only

    days: dict[str, dict[str, str]] = {}
    for item in RoomModel.by_opened.query(month):
        room = {name: getattr(item, name, None) for name in ("room_id", "created_at", *REPORT_FIELDS)}
        value = fact(room)
        if value is not None:
            days.setdefault(item.created_at[:10], {})[item.room_id] = value
    with ReportDayModel.batch_write() as batch:
        for day, rooms in days.items():
            batch.save(ReportDayModel(month, day, rooms=rooms))
    return sum(len(rooms) for rooms in days.values())
