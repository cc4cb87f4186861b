"""The last-OWNER rule under real concurrency (DynamoDB Local): two OWNERs demoting or removing
each other at the same moment never leave a room without an OWNER (issue 16, item 5)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from chalicelib.auth.principal import Principal
from chalicelib.core.errors import Conflict

pytestmark = pytest.mark.integration


def _user(user_id: str) -> Principal:
    from chalicelib.auth.models import UserModel

    UserModel(user_id, username=user_id.split("@")[0], display_name=user_id, last_login_at="2026-01-01T00:00:00Z",
              search_key=user_id).save()
    return Principal(user_id=user_id, display_name=user_id, department="", is_admin=False, session_id="s")


def _race(*calls: Any) -> list[BaseException | None]:
    barrier = threading.Barrier(len(calls))
    outcome: list[BaseException | None] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            calls[i]()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            outcome[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcome


@pytest.mark.parametrize("how", ["demote", "remove"])
def test_two_owners_taking_each_others_role_leave_one_owner(on_dynamodb_local: str, how: str) -> None:
    from chalicelib.rooms import members, schemas, service
    from chalicelib.rooms.models import MembershipModel

    a, b = _user("a.owner@plant.test"), _user("b.owner@plant.test")
    for _ in range(8):
        room = service.create_room(a, schemas.CreateRoom(title="race", incident_type="other"))["room_id"]
        members.add_member(room, a, schemas.AddMember(user_id=b.user_id, role="OWNER"))
        if how == "demote":
            outcome = _race(lambda r=room: members.change_role(r, a, b.user_id, schemas.ChangeRole(role="EDITOR")),
                            lambda r=room: members.change_role(r, b, a.user_id, schemas.ChangeRole(role="EDITOR")))
        else:
            outcome = _race(lambda r=room: members.remove_member(r, a, b.user_id),
                            lambda r=room: members.remove_member(r, b, a.user_id))
        owners = [m.user_id for m in MembershipModel.query(room, consistent_read=True) if m.role == "OWNER"]
        assert len(owners) == 1, (how, owners, outcome)
        # the loser was told why: the room needs an OWNER (or its caller lost OWNER meanwhile)
        assert sorted(type(e).__name__ for e in outcome if e is not None) in (["Conflict"], ["Forbidden"]), outcome
        assert all(e is None or isinstance(e, Conflict) or type(e).__name__ == "Forbidden" for e in outcome)
        room_record = service.get_room(room, a if owners == [a.user_id] else b)
        assert room_record["member_count"] == (2 if how == "demote" else 1)
