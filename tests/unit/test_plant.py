"""The plant hierarchy (plant-and-reports.md): read by everyone, replaced by administrators with
removed nodes retired, imported from CSV with bad rows named; rooms carry their line and
station and the room list filters by area and line."""

from __future__ import annotations

from typing import Any

from tests.builders import Api

PLANT: dict[str, Any] = {"sites": [{"site_id": "S1", "name": "一廠", "areas": [
    {"area_id": "FOL", "name": "前段 Front of line", "lines": [
        {"line_id": "L-DB1", "name": "黏晶 Die bond 1", "stations": [{"station_id": "DB-01", "name": "DB-01"}]}]},
    {"area_id": "EOL", "name": "後段 End of line", "lines": [
        {"line_id": "L-WB1", "name": "焊線 Wire bond 1", "stations": [{"station_id": "WB-01", "name": "WB-01"}]},
        {"line_id": "L-TS1", "name": "測試 Test 1", "stations": []}]}]}]}


def _csv(api: Api, text: str, role: str = "admin") -> Any:
    return api.client.http.post("/plant/import", body=text.encode("utf-8"),
                                headers={"Content-Type": "text/csv", "Authorization": f"Bearer {api.tokens[role]}"})


def test_everyone_reads_administrators_replace_and_removed_nodes_retire(api: Api) -> None:
    assert api.call("viewer", "GET", "/plant").json_body == {"sites": []}
    assert api.call("owner", "PUT", "/plant", PLANT).status_code == 403
    assert api.call("admin", "PUT", "/plant", PLANT).json_body == PLANT
    room = api.call("owner", "POST", "/rooms", {"title": "測試機當機", "incident_type": "equipment_failure",
                                                "line_id": "L-TS1"}).json_body
    smaller = {"sites": [{**PLANT["sites"][0], "areas": PLANT["sites"][0]["areas"][:1]}]}
    assert api.call("admin", "PUT", "/plant", smaller).json_body == smaller
    # the room on a retired line keeps its place
    assert api.call("owner", "GET", f"/rooms/{room['room_id']}").json_body["line_id"] == "L-TS1"
    assert api.call("owner", "POST", "/rooms", {"title": "x", "incident_type": "other",
                                                "line_id": "L-TS1"}).status_code == 400


def test_bad_trees_are_400_naming_the_problem(api: Api) -> None:
    twice = {"sites": [{**PLANT["sites"][0], "areas": [PLANT["sites"][0]["areas"][0]] * 2}]}
    for body in (twice, {"sites": []}, {"sites": [{"site_id": "bad id!", "name": "x"}]},
                 {"sites": [{"site_id": "S1", "name": "\u202e"}]}):
        response = api.call("admin", "PUT", "/plant", body)
        assert response.status_code == 400, body
        assert response.json_body["error"]["details"]


def test_csv_import_with_a_bom_keeps_ids_and_names_bad_rows(api: Api) -> None:
    api.call("admin", "PUT", "/plant", PLANT)
    good = ("\ufeffsite,area,line,station\n一廠,後段 End of line,焊線 Wire bond 1,WB-01\n"
            "一廠,後段 End of line,焊線 Wire bond 1,WB-02\n")
    response = _csv(api, good)
    assert response.status_code == 200, response.body
    tree = response.json_body
    lines = tree["sites"][0]["areas"][0]["lines"]
    assert [line["line_id"] for line in lines] == ["L-WB1"]  # matched by name: the id is kept
    assert [s["name"] for s in lines[0]["stations"]] == ["WB-01", "WB-02"]
    bad = "site,area,line,station\n一廠,後段,,x\n一廠,後段,L,S,extra\n一廠,後段\u0000,L,S\n"
    response = _csv(api, bad)
    assert response.status_code == 400
    assert [d["field"] for d in response.json_body["error"]["details"]] == ["row 2", "row 3", "row 4"]
    assert _csv(api, "line,station\nx,y\n").status_code == 400
    assert _csv(api, good, role="owner").status_code == 403


def test_rooms_carry_their_place_and_the_list_filters_by_area_and_line(api: Api) -> None:
    api.call("admin", "PUT", "/plant", PLANT)
    made = {}
    for line, station in (("L-DB1", "DB-01"), ("L-WB1", "WB-01"), ("L-WB1", None), ("L-TS1", None)):
        body: dict[str, Any] = {"title": f"{line} 異常", "incident_type": "equipment_failure", "line_id": line,
                                "equipment_id": "WB-07"}
        if station:
            body["station_id"] = station
        room = api.call("owner", "POST", "/rooms", body)
        assert room.status_code == 201, room.body
        made.setdefault(line, []).append(room.json_body)
    assert made["L-DB1"][0]["area_id"] == "FOL" and made["L-DB1"][0]["station_id"] == "DB-01"
    for role, scope in (("owner", "mine"), ("admin", "all")):
        by_area = api.call(role, "GET", f"/rooms?scope={scope}&area_id=EOL").json_body["rooms"]
        assert sorted(r["line_id"] for r in by_area) == ["L-TS1", "L-WB1", "L-WB1"]
        first = api.call(role, "GET", f"/rooms?scope={scope}&line_id=L-WB1&limit=1").json_body
        second = api.call(role, "GET", f"/rooms?scope={scope}&line_id=L-WB1&limit=1&cursor={first['next_cursor']}")
        assert {first["rooms"][0]["room_id"], second.json_body["rooms"][0]["room_id"]} == \
            {r["room_id"] for r in made["L-WB1"]}
    for body, field in (({"line_id": "L-NOPE"}, "line_id"), ({"line_id": "L-WB1", "station_id": "DB-01"}, "station_id"),
                        ({"station_id": "WB-01"}, "line_id")):
        response = api.call("owner", "POST", "/rooms", {"title": "x", "incident_type": "other", **body})
        assert response.status_code == 400 and response.json_body["error"]["details"][0]["field"] == field
