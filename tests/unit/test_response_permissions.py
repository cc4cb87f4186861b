"""Permission matrix of the response-loop and plant routes: who may call what (401/403/2xx)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import ROLES, Api

PLANT = {"sites": [{"site_id": "S1", "name": "一廠", "areas": [{"area_id": "EOL", "name": "後段", "lines": [
    {"line_id": "L-WB1", "name": "焊線 1", "stations": []}]}]}]}
POLICY = {"name": "p", "steps": [{"after_minutes": 0, "notify": {"roles": ["OWNER"]}}]}
ROSTER = {"shifts": [{"name": "日班", "start": "08:00", "end": "20:00", "users": []}]}
ADMIN_ONLY = {"admin": True}


def _allowed(role: str, rule: dict[str, bool]) -> bool:
    return rule.get(role, False)


@pytest.fixture
def setup(api: Api) -> dict[str, str]:
    assert api.call("admin", "PUT", "/plant", PLANT).status_code == 200
    policy = api.call("admin", "POST", "/escalation-policies", POLICY).json_body["policy_id"]
    return {"policy": policy}


CASES: list[tuple[str, str, Any, dict[str, bool], int]] = [
    ("GET", "/plant", None, dict.fromkeys(ROLES, True), 200),
    ("PUT", "/plant", PLANT, ADMIN_ONLY, 200),
    ("GET", "/escalation-policies", None, dict.fromkeys(ROLES, True), 200),
    ("POST", "/escalation-policies", POLICY, ADMIN_ONLY, 201),
    ("PATCH", "/escalation-policies/{policy}", {"name": "q"}, ADMIN_ONLY, 200),
    ("GET", "/rosters/L-WB1", None, dict.fromkeys(ROLES, True), 200),
    ("PUT", "/rosters/L-WB1", ROSTER, ADMIN_ONLY, 200),
    ("GET", "/notifications", None, dict.fromkeys(ROLES, True), 200),
    ("POST", "/notifications/read-all", None, dict.fromkeys(ROLES, True), 200),
    ("DELETE", "/escalation-policies/{policy}", None, ADMIN_ONLY, 204),
]


@pytest.mark.parametrize(("method", "path", "body", "rule", "status"), CASES,
                         ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_each_role(api: Api, setup: dict[str, str], method: str, path: str, body: Any, rule: dict[str, bool],
                   status: int) -> None:
    url = path.format(**setup)
    for role in ROLES:
        response = api.call(role, method, url, body)
        expected = status if _allowed(role, rule) else 403
        assert response.status_code == expected, (role, response.body)
    anonymous = getattr(api.client.http, method.lower())(url, headers={"Content-Type": "application/json"})
    assert anonymous.status_code == 401


def test_acknowledge_by_role(api: Api, room: str) -> None:
    expected = {"outsider": 403, "viewer": 403, "editor": 200, "owner": 200, "admin": 200}
    for role in ROLES:
        assert api.call(role, "POST", f"/rooms/{room}/acknowledge").status_code == expected[role], role
    assert api.call("editor", "POST", "/rooms/not-a-room/acknowledge").status_code == 404
