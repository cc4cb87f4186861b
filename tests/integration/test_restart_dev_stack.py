"""``make dev``'s stack as a whole: the gateway starting its own DynamoDB Local and SeaweedFS.

One run of what ``make dev`` does (``--store local --data-dir``): the seed's demo incident is
there, the S3 server refuses an upload that breaks the presigned policy (the store enforces it,
as S3 does), a stop (SIGTERM, as Ctrl-C) leaves no process behind, a second start finds the
same data (seed not duplicated), and a ``kill -9`` of the gateway takes its servers with it.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
import requests

from tests.servers import chat_clients as cc
from tests.servers.gateway import GatewayProcess

pytestmark = pytest.mark.integration


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _children(gateway: GatewayProcess) -> list[int]:
    info = gateway.gateway.info if gateway.gateway else {}
    assert sorted(info.get("started_servers", [])) == ["dynamodb", "seaweedfs"], info
    import json

    state = json.loads((Path(info["data_dir"]) / "stack.json").read_text())
    return [int(state["services"][name]["pid"]) for name in ("dynamodb", "seaweedfs")]


def _demo(url: str) -> tuple[str, int]:
    owner = cc.login(url, "wang.owner")
    rooms = cc.http(url, "GET", "/api/rooms?q=ir-demo-0001", token=owner.token)["rooms"]
    assert len(rooms) == 1, rooms
    history = cc.history(url, owner.token, rooms[0]["room_id"])
    return str(rooms[0]["room_id"]), len(history)


def test_the_dev_stack_keeps_its_data_stops_cleanly_and_dies_with_the_gateway(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    gateway = GatewayProcess(store="local", data_dir=data, seed=True, table_prefix="devstack",
                             env={"S3_ACCESS_KEY_ID": "", "S3_SECRET_ACCESS_KEY": ""})
    try:
        started = time.monotonic()
        gw = gateway.start()
        first_start = time.monotonic() - started
        pids = _children(gateway)
        room, count = _demo(gw.url)
        kinds = {m["message_type"] for m in cc.history(gw.url, cc.login(gw.url, "wang.owner").token, room)}
        assert {"text", "incident_data", "image_ref"} <= kinds

        # the store enforces the presigned POST's policy: more bytes than declared are refused there
        editor = cc.login(gw.url, "chen.editor")
        headers = {"Authorization": f"Bearer {editor.token}"}
        made = requests.post(f"{gw.url}/api/rooms/{room}/files", headers=headers, timeout=30,
                             json={"filename": "log.txt", "content_type": "text/plain", "size": 10})
        assert made.status_code == 201, made.text
        upload = made.json()["upload"]
        refused = requests.post(upload["url"], data=upload["fields"], timeout=30,
                                files={"file": ("log.txt", b"x" * 4000, "text/plain")})
        assert 400 <= refused.status_code < 500, (refused.status_code, refused.text)

        # Ctrl-C (SIGTERM here): everything stops, nothing is left running
        assert gateway.process is not None
        stopping = time.monotonic()
        os.kill(gateway.process.pid, signal.SIGINT)
        gateway.process.wait(30)
        stop_s = time.monotonic() - stopping
        assert not any(_alive(pid) for pid in pids), "a server outlived the stopped gateway"

        # again on the same folder: the same room and messages, the seed not loaded twice
        started = time.monotonic()
        gw = gateway.start()
        second_start = time.monotonic() - started
        assert _demo(gw.url) == (room, count)
        pids = _children(gateway)

        # kill -9 of the gateway: its servers die with it
        gateway.kill()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in pids), "servers orphaned by a killed gateway"
    finally:
        gateway.cleanup()
    with capsys.disabled():
        print(f"\ndev stack: first start {first_start:.1f}s (servers, tables, seed), Ctrl-C stop {stop_s:.1f}s with "
              f"nothing left running, second start {second_start:.1f}s on the same data ({count} demo messages "
              f"kept), kill -9 of the gateway took DynamoDB Local and SeaweedFS with it")
