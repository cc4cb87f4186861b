"""Membership stream → the affected user's connections (live room lists)."""

from __future__ import annotations

from typing import Any

import app as app_module
from chalicelib.connections.models import ConnectionModel
from chalicelib.core import clock
from chalicelib.rooms.models import MembershipModel
from tests.builders import LATER, stream_record

ROOM = "6f1c1d43-7b7e-4c32-9a57-0d7f1b0c2a11"


def _membership(user: str = "chen.editor@panjit.com.tw", **over: Any) -> MembershipModel:
    fields = {"role": "EDITOR", "joined_at": clock.iso(), "activity_key": "2026-01-01T00:00:00.000Z#x",
              "status": "active", "incident_type": "equipment_failure", "severity": "high", "search_text": "t"}
    fields.update(over)
    return MembershipModel(ROOM, user, **fields)


def _connect(cid: str, user: str = "chen.editor@panjit.com.tw") -> None:
    ConnectionModel(cid, user_id=user, session_id="s", connected_at=clock.iso(), expires_at=LATER).save()


def _invoke(*records: dict[str, Any]) -> dict[str, Any]:
    return dict(app_module.membership_fanout({"Records": list(records)}, None))


def test_added_member_hears_it_on_every_tab(aws: None, management_api: Any) -> None:
    _connect("tab-1")
    _connect("tab-2")
    _connect("someone-else", user="lee.viewer@panjit.com.tw")
    assert _invoke(stream_record("INSERT", _membership(), None)) == {"batchItemFailures": []}
    for cid in ["tab-1", "tab-2"]:
        [frame] = management_api.frames(cid)
        assert frame["type"] == "system" and frame["event"] == "member_added"
        assert frame["room_id"] == ROOM and frame["user_id"] == "chen.editor@panjit.com.tw"
        assert frame["role"] == "EDITOR"
    assert management_api.frames("someone-else") == []


def test_removed_status_changed_role_changed(aws: None, management_api: Any) -> None:
    _connect("tab")
    old = _membership()
    _invoke(stream_record("MODIFY", _membership(status="resolved", changed_by="wang.owner@panjit.com.tw"), old, "2"),
            stream_record("MODIFY", _membership(role="OWNER"), old, "3"),
            stream_record("MODIFY", _membership(severity="critical"), old, "4"),
            stream_record("REMOVE", None, old, "5"))
    frames = management_api.frames("tab")
    assert frames[0]["user_id"] == "wang.owner@panjit.com.tw"  # who changed it, not the recipient
    events = [(f["event"], f.get("status"), f.get("role")) for f in frames]
    assert events == [("room_status_changed", "resolved", None), ("role_changed", None, "OWNER"),
                      ("room_updated", None, None), ("member_removed", None, None)]


def test_activity_only_changes_are_not_sent(aws: None, management_api: Any) -> None:
    _connect("tab")
    _invoke(stream_record("MODIFY", _membership(activity_key="2026-02-01T00:00:00.000Z#x"), _membership()))
    assert management_api.sent == []
    # the same change plus a listed field does send: the silence above is the comparison, not a lost image
    _invoke(stream_record("MODIFY", _membership(activity_key="2026-02-01T00:00:00.000Z#x", severity="critical"),
                          _membership()))
    assert [f["event"] for f in management_api.frames("tab")] == ["room_updated"]


def test_gone_tabs_are_forgotten_and_broken_ones_retried(aws: None, management_api: Any) -> None:
    _connect("gone")
    _connect("flaky", user="lee.viewer@panjit.com.tw")
    management_api.gone.add("gone")
    management_api.broken.add("flaky")
    result = _invoke(stream_record("INSERT", _membership(), None, "10"),
                     stream_record("INSERT", _membership(user="lee.viewer@panjit.com.tw"), None, "11"))
    assert result == {"batchItemFailures": [{"itemIdentifier": "11"}]}
    assert ConnectionModel.count("gone") == 0
    assert ConnectionModel.count("flaky") == 1
