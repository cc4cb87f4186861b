"""Reports (plant-and-reports.md) on a hand-computed fixture of 26 rooms on two lines plus range
edges: MTTA/MTTR median/mean/p90 and downtime (false alarms out of MTTR and downtime, a reopened
room counted once), Pareto percentages summing to 100, the CSV matching the API, permissions and
hostile parameters. Every expected figure below was worked out by hand (see the comments)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from tests.builders import Api, StreamPump

PLANT = {"sites": [{"site_id": "S1", "name": "一廠", "areas": [{"area_id": "FOL", "name": "前段", "lines": [
    {"line_id": "L1", "name": "黏晶一線", "stations": [{"station_id": "DB-01", "name": "黏晶機 01"}]},
    {"line_id": "L2", "name": "焊線一線", "stations": [{"station_id": "WB-01", "name": "焊線機 01"}]}]}]}]}
OVEN = {"code": "OVEN", "name": "爐溫異常", "incident_type": "equipment_failure",
        "root_causes": [{"code": "HEATER", "name": "加熱器"}, {"code": "SENSOR", "name": "感測器"}]}
WIRE = {"code": "WIRE", "name": "斷線", "incident_type": "quality_issue",
        "root_causes": [{"code": "CAPILLARY", "name": "瓷嘴"}, {"code": "MATERIAL", "name": "線材"}]}
NOV = "?from=2026-11-01&to=2026-11-30"


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _put(opened: datetime, *, line: str = "L1", code: str = "OVEN", tta_min: float | None = None,
         ttr_min: float | None = None, cause: str | None = None, false_alarm: bool = False,
         downtime: int | None = None, severity: str = "high") -> None:
    """A room as the rooms service stores it (created_at, opened_month and the closure)."""
    from chalicelib.rooms.models import RoomModel

    room_id = str(uuid.uuid4())
    created = _iso(opened)
    RoomModel(room_id, title="異常 Incident", incident_type="equipment_failure", severity=severity,
              status="resolved" if ttr_min is not None else "active", created_by="wang.owner@panjit.com.tw",
              created_at=created, updated_at=created, last_activity_at=created, activity_key=f"{created}#{room_id}",
              line_id=line, station_id="DB-01" if line == "L1" else "WB-01", event_code=code,
              acknowledged_at=_iso(opened + timedelta(minutes=tta_min)) if tta_min is not None else None,
              resolved_at=_iso(opened + timedelta(minutes=ttr_min)) if ttr_min is not None else None,
              root_cause_code=cause, false_alarm=false_alarm or None, downtime_minutes=downtime,
              opened_month=created[:7]).save()


@pytest.fixture
def reports(api: Api, room_stream: StreamPump, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """L1: rooms i = 1..15 opened 2026-11-(i+1) 02:00Z, TTA i min, TTR 10·i min, downtime i,
    cause HEATER (odd i) / SENSOR (even i); i = 14 a false alarm, i = 15 still open.
    L2: rooms j = 1..10 opened 2026-11-(j+16) 02:00Z with the TTA/TTR/downtime lists below,
    causes CAPILLARY (j ≤ 5) / MATERIAL; plus one room through the API, resolved after 60 min,
    reopened, resolved again after 240 min with 30 min downtime, cause MATERIAL."""
    import app
    from chalicelib.core import clock

    assert api.call("admin", "PUT", "/plant", PLANT).status_code == 200
    for body in (OVEN, WIRE):
        assert api.call("admin", "POST", "/event-codes", body).status_code == 201
    for i in range(1, 16):
        _put(datetime(2026, 11, i + 1, 2, tzinfo=UTC), tta_min=i, ttr_min=None if i == 15 else 10 * i,
             cause=None if i >= 14 else ("HEATER" if i % 2 else "SENSOR"), false_alarm=i == 14,
             downtime=None if i == 15 else i)
    tta = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100]
    ttr = [30, 30, 30, 60, 60, 60, 90, 90, 120, 600]
    down = [5, 5, 5, 10, 10, 10, 15, 15, 20, 100]
    for j in range(10):
        _put(datetime(2026, 11, j + 17, 2, tzinfo=UTC), line="L2", code="WIRE", tta_min=tta[j], ttr_min=ttr[j],
             cause="CAPILLARY" if j < 5 else "MATERIAL", downtime=down[j], severity="medium")
    assert room_stream.pump(app.room_events) == {"batchItemFailures": []}
    start = datetime(2026, 11, 27, 2, tzinfo=UTC).timestamp()
    at = {"now": start}
    # the rooms service's clock only (sessions and tokens keep the real one)
    monkeypatch.setattr("chalicelib.rooms.service.clock", SimpleNamespace(
        now=lambda: at["now"], iso=lambda ts=None: clock.iso(at["now"] if ts is None else ts),
        new_id=clock.new_id, is_uuid=clock.is_uuid, parse_iso=clock.parse_iso))
    room = api.call("owner", "POST", "/rooms", {"title": "焊線斷線", "event_code": "WIRE", "line_id": "L2",
                                                "station_id": "WB-01", "severity": "medium"}).json_body["room_id"]
    steps: list[tuple[int, dict[str, Any]]] = [
        (60, {"status": "resolved", "resolution_note": "x", "root_cause_code": "CAPILLARY"}),
        (90, {"status": "active"}),
        (240, {"status": "resolved", "resolution_note": "y", "root_cause_code": "MATERIAL", "downtime_minutes": 30}),
    ]
    for minutes, body in steps:
        at["now"] = start + minutes * 60
        assert api.call("owner", "PATCH", f"/rooms/{room}", body).status_code == 200
        assert room_stream.pump(app.room_events) == {"batchItemFailures": []}
    monkeypatch.undo()
    yield api


def _get(api: Api, path: str, role: str = "admin") -> Any:
    response = api.call(role, "GET", path)
    assert response.status_code == 200, response.body
    return response.json_body


def test_summary_by_line_matches_the_hand_computed_figures(reports: Api) -> None:
    body = _get(reports, f"/reports/summary{NOV}&group_by=line")
    rows = {row["key"]: row for row in body["rows"]}
    # L1: TTA 60..900 s → median 480, mean 480, p90 = 14th of 15 = 840; TTR of i = 1..13
    # (14 false alarm, 15 open) 600·i → median 4200, mean 4200, p90 = 12th of 13 = 7200;
    # downtime 1 + … + 13 = 91
    assert rows["L1"] == {"key": "L1", "label": "黏晶一線", "count": 15, "acknowledged": 15, "resolved": 14,
                          "false_alarms": 1, "mtta_s": {"median": 480, "mean": 480, "p90": 840},
                          "mttr_s": {"median": 4200, "mean": 4200, "p90": 7200}, "downtime_minutes": 91}
    # L2 (11 rooms, the reopened one once: TTA 3600, TTR 14400): TTA sorted 60 … 540, 3600, 6000 →
    # median 360, mean 12300/11 = 1118.2, p90 = 10th = 3600; TTR 1800×3, 3600×3, 5400×2, 7200,
    # 14400, 36000 → median 3600, mean 84600/11 = 7690.9, p90 14400; downtime 195 + 30
    assert rows["L2"] == {"key": "L2", "label": "焊線一線", "count": 11, "acknowledged": 11, "resolved": 11,
                          "false_alarms": 0, "mtta_s": {"median": 360, "mean": 1118.2, "p90": 3600},
                          "mttr_s": {"median": 3600, "mean": 7690.9, "p90": 14400}, "downtime_minutes": 225}
    # all 26: TTA median (420 + 420)/2, mean 19500/26 = 750, p90 = 24th = 900; TTR (24 values)
    # median (3600 + 4200)/2 = 3900, mean 139200/24 = 5800, p90 = 22nd = 7800
    assert body["totals"] == {"count": 26, "acknowledged": 26, "resolved": 25, "false_alarms": 1,
                              "mtta_s": {"median": 420, "mean": 750, "p90": 900},
                              "mttr_s": {"median": 3900, "mean": 5800, "p90": 7800}, "downtime_minutes": 316}


def test_other_groupings_name_their_groups(reports: Api) -> None:
    causes = {r["key"]: r for r in _get(reports, f"/reports/summary{NOV}&group_by=root_cause")["rows"]}
    assert {k: (r["label"], r["count"]) for k, r in causes.items()} == {
        "HEATER": ("加熱器", 7), "SENSOR": ("感測器", 6), "CAPILLARY": ("瓷嘴", 5), "MATERIAL": ("線材", 6),
        "": ("未指定 Unspecified", 2)}
    stations = _get(reports, f"/reports/summary{NOV}&group_by=station")["rows"]
    assert [(r["key"], r["label"], r["count"]) for r in stations] == [("L1/DB-01", "黏晶機 01", 15),
                                                                      ("L2/WB-01", "焊線機 01", 11)]
    codes = _get(reports, f"/reports/summary{NOV}&group_by=event_code")["rows"]
    assert [(r["label"], r["count"]) for r in codes] == [("爐溫異常", 15), ("斷線", 11)]
    severities = _get(reports, f"/reports/summary{NOV}&group_by=severity")["rows"]
    assert [(r["key"], r["count"]) for r in severities] == [("high", 15), ("medium", 11)]


def test_pareto_is_descending_and_its_percentages_sum_to_100(reports: Api) -> None:
    count = _get(reports, f"/reports/pareto{NOV}&by=root_cause&measure=count")["rows"]
    # false alarm left out; the open room has no cause (""): 7, 6, 6, 5, 1 of 25
    assert [(r["key"], r["value"], r["pct"], r["cumulative_pct"]) for r in count] == [
        ("HEATER", 7, 28, 28), ("MATERIAL", 6, 24, 52), ("SENSOR", 6, 24, 76), ("CAPILLARY", 5, 20, 96),
        ("", 1, 4, 100)]
    downtime = _get(reports, f"/reports/pareto{NOV}&by=root_cause&measure=downtime")["rows"]
    # 190, 49, 42, 35 of 316 → 60.1266, 15.5063, 13.2911, 11.0759 %: largest remainder to hundredths
    assert [(r["key"], r["value"], r["pct"]) for r in downtime] == [
        ("MATERIAL", 190, 60.13), ("HEATER", 49, 15.51), ("SENSOR", 42, 13.29), ("CAPILLARY", 35, 11.07)]
    assert round(sum(r["pct"] for r in downtime), 2) == 100 and downtime[-1]["cumulative_pct"] == 100
    assert downtime[0]["label"] == "線材"
    stations = _get(reports, f"/reports/pareto{NOV}&by=station&measure=downtime")["rows"]
    assert [(r["key"], r["value"]) for r in stations] == [("L2/WB-01", 225), ("L1/DB-01", 91)]
    assert _get(reports, "/reports/pareto?from=2025-01-01&to=2025-01-31")["rows"] == []


def test_csv_has_a_bom_chinese_intact_and_the_api_figures(reports: Api) -> None:
    response = reports.client.http.get(f"/reports/incidents.csv{NOV}",
                                       headers={"Authorization": f"Bearer {reports.tokens['admin']}"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    raw = response.body if isinstance(response.body, bytes) else response.body.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 26
    assert {r["line"] for r in rows} == {"黏晶一線", "焊線一線"} and "焊線斷線" in {r["title"] for r in rows}
    from chalicelib.reports import stats

    totals = _get(reports, f"/reports/summary{NOV}&group_by=line")["totals"]
    tta = [float(r["tta_s"]) for r in rows if r["tta_s"]]
    ttr = [float(r["ttr_s"]) for r in rows if r["ttr_s"]]
    assert {"mtta_s": stats.spread(tta), "mttr_s": stats.spread(ttr)} == {"mtta_s": totals["mtta_s"],
                                                                          "mttr_s": totals["mttr_s"]}
    assert sum(int(r["downtime_minutes"]) for r in rows) == totals["downtime_minutes"]
    assert sum(r["false_alarm"] == "true" for r in rows) == totals["false_alarms"]
    reopened = next(r for r in rows if r["title"] == "焊線斷線")
    assert (reopened["tta_s"], reopened["ttr_s"], reopened["root_cause"]) == ("3600.0", "14400.0", "線材")


def test_range_edges_are_plant_days_by_opening(api: Api, room_stream: StreamPump) -> None:
    """A room belongs to the plant day (Asia/Taipei) it opened; one resolved after ``to`` still
    counts with its full TTR; rooms opened outside the range do not."""
    import app

    for opened in ("2026-10-31T15:59:59", "2026-10-31T16:00:00", "2026-11-30T15:59:59", "2026-11-30T16:00:00"):
        _put(datetime.fromisoformat(opened).replace(tzinfo=UTC), tta_min=1, ttr_min=60 * 24 * 5, downtime=1)
    room_stream.pump(app.room_events)
    body = _get(api, f"/reports/summary{NOV}")
    assert body["totals"]["count"] == 2
    assert body["totals"]["mttr_s"]["median"] == 5 * 86400
    assert _get(api, "/reports/summary?from=2026-11-01&to=2026-11-01")["totals"]["count"] == 1
    assert _get(api, "/reports/summary?from=2026-10-31&to=2026-10-31")["totals"]["count"] == 1


def test_the_rollup_follows_the_stream_once_and_only_for_figures(api: Api, room_stream: StreamPump,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary reads the daily rollup: a room counts once its stream record is handled, a
    record handled twice changes nothing, changes that move no figure write nothing, and the
    last change of a room wins (here: a closure corrected)."""
    import app
    from chalicelib.reports import rollup
    from chalicelib.rooms.models import RoomModel

    _put(datetime(2026, 11, 3, 2, tzinfo=UTC), tta_min=2, ttr_min=30, cause="HEATER", downtime=4)
    assert _get(api, f"/reports/summary{NOV}")["totals"]["count"] == 0  # not yet through the stream
    records = room_stream.records()
    for _ in range(2):  # the stream repeats itself
        assert app.room_events({"Records": records}, None) == {"batchItemFailures": []}
    totals = _get(api, f"/reports/summary{NOV}")["totals"]
    assert (totals["count"], totals["downtime_minutes"], totals["mttr_s"]["median"]) == (1, 4, 1800)

    writes: list[str] = []
    monkeypatch.setattr(rollup, "put", lambda room_id, created_at, value: writes.append(room_id))
    room = next(iter(RoomModel.scan()))
    room.update(actions=[RoomModel.last_activity_at.set("2026-11-03T05:00:00.000Z"),
                         RoomModel.member_count.set(3)])
    room_stream.pump(app.room_events)
    assert writes == []  # activity and members move no figure
    monkeypatch.undo()
    room.update(actions=[RoomModel.downtime_minutes.set(9), RoomModel.false_alarm.set(True)])
    room_stream.pump(app.room_events)
    totals = _get(api, f"/reports/summary{NOV}")["totals"]
    assert (totals["false_alarms"], totals["downtime_minutes"], totals["mttr_s"]["median"]) == (1, 0, None)
    room.delete()
    room_stream.pump(app.room_events)
    assert _get(api, f"/reports/summary{NOV}")["totals"]["count"] == 0


def test_a_failing_rollup_write_is_retried_by_the_stream(api: Api, room_stream: StreamPump,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import app
    from chalicelib.reports import rollup

    _put(datetime(2026, 11, 3, 2, tzinfo=UTC), tta_min=2, ttr_min=30, cause="HEATER", downtime=4)
    records = room_stream.records()
    real_put = rollup.put

    def down(*args: Any) -> None:
        raise RuntimeError("DynamoDB throttled")

    monkeypatch.setattr(rollup, "put", down)
    failed = app.room_events({"Records": records}, None)
    assert failed == {"batchItemFailures": [{"itemIdentifier": records[0]["dynamodb"]["SequenceNumber"]}]}
    monkeypatch.setattr(rollup, "put", real_put)
    assert app.room_events({"Records": records}, None) == {"batchItemFailures": []}
    assert _get(api, f"/reports/summary{NOV}")["totals"]["count"] == 1


def test_the_backfill_adds_rooms_from_before_the_reports(api: Api) -> None:
    """Rooms stored before ``opened_month`` and the rollup existed count after the one-off backfill."""
    from chalicelib.rooms.models import RoomModel
    from infrastructure.backfill_reports import backfill

    for day in (3, 4):
        _put(datetime(2026, 11, day, 2, tzinfo=UTC), tta_min=2, ttr_min=30, cause="HEATER", downtime=4)
    for room in RoomModel.scan():
        room.update(actions=[RoomModel.opened_month.remove()])
    assert _get(api, f"/reports/summary{NOV}")["totals"]["count"] == 0
    assert backfill() == 2
    totals = _get(api, f"/reports/summary{NOV}")["totals"]
    assert (totals["count"], totals["downtime_minutes"]) == (2, 8)
    assert backfill() == 2  # rerunnable


@pytest.fixture
def report_group(env: pytest.MonkeyPatch) -> None:
    env.setenv("REPORT_GROUP", "IRS-Reports")


def test_members_of_the_report_group_read_reports_and_others_do_not(report_group: None, reports: Api) -> None:
    from tests.builders import bearer, login

    supervisor = login(reports.client, "tsai.supervisor")  # in IRS-Reports (the dev directory)
    tech = login(reports.client, "huang.tech")  # in Maintenance only
    assert supervisor["user"]["can_read_reports"] is True and tech["user"]["can_read_reports"] is False
    for path in (f"/reports/summary{NOV}", f"/reports/pareto{NOV}", f"/reports/incidents.csv{NOV}"):
        assert reports.client.http.get(path, headers=bearer(supervisor["access_token"])).status_code == 200
        assert reports.client.http.get(path, headers=bearer(tech["access_token"])).status_code == 403


def test_only_administrators_read_reports(reports: Api) -> None:
    for path in (f"/reports/summary{NOV}", f"/reports/pareto{NOV}", f"/reports/incidents.csv{NOV}"):
        for role in ("owner", "editor", "viewer", "outsider"):
            response = reports.call(role, "GET", path)
            assert response.status_code == 403, (role, path)
        assert reports.client.http.get(path).status_code == 401
        assert reports.call("admin", "GET", path).status_code == 200


@pytest.mark.parametrize("params", [
    "?from=2026-11-30&to=2026-11-01", "?from=2016-01-01&to=2026-01-01", "?from=2026-02-30&to=2026-03-01",
    "?from=2026-11-01", "?to=2026-11-01", "?from=yesterday&to=2026-11-01", "?from=2026-11-01&to=2026-11-30&x=1",
    f"{NOV}&group_by=colour", f"{NOV}&group_by=", "?from=%00&to=2026-11-01", "?from=2026-11-01T00:00&to=2026-11-02",
    # days a time zone cannot turn into UTC (the fuzzer found a 500 at the calendar's ends)
    "?from=0001-01-01&to=0001-01-02", "?from=9999-12-31&to=9999-12-31", "?from=1969-12-31&to=1970-01-01",
])
def test_hostile_report_parameters_are_400(api: Api, params: str) -> None:
    response = api.call("admin", "GET", f"/reports/summary{params}")
    assert response.status_code == 400, (params, response.body)
    assert response.json_body["error"]["code"]


@pytest.mark.parametrize("params", [f"{NOV}&by=line", f"{NOV}&measure=cost", f"{NOV}&by=root_cause&measure=",
                                    "?from=0001-01-01&to=0001-01-01", "?from=9999-12-30&to=9999-12-31"])
def test_hostile_pareto_parameters_are_400(api: Api, params: str) -> None:
    assert api.call("admin", "GET", f"/reports/pareto{params}").status_code == 400


def test_reports_at_the_ends_of_the_accepted_days_answer(api: Api) -> None:
    for params in ["?from=1970-01-01&to=1970-01-01", "?from=9998-12-31&to=9998-12-31"]:
        assert api.call("admin", "GET", f"/reports/pareto{params}").status_code == 200, params
        assert api.call("admin", "GET", f"/reports/summary{params}").status_code == 200, params
