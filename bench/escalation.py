"""Scheduler cost: one escalation run with 10,000 open rooms of which 20 are due.

    python -m bench.escalation [--rooms 10000] [--due 20]

DynamoDB Local; every open room has a policy and a pending step (so all 10,000 sit in the
sparse due index), 20 of them due now. Reports the read units of finding the due rooms (one
Query) and of the whole run, and its time. A Scan would read every room every minute.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("WS_MANAGEMENT_ENDPOINT", "http://127.0.0.1:9")  # nobody is connected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=20)
    args = parser.parse_args()

    from bench.capacity import metered
    from tests.servers.dynamodb_local import run_dynamodb_local

    with run_dynamodb_local() as ddb:
        os.environ["DYNAMODB_ENDPOINT"] = ddb.endpoint
        os.environ["TABLE_PREFIX"] = "benchesc"
        from chalicelib import tables
        from chalicelib.core import clock
        from chalicelib.rooms import escalation, timers
        from chalicelib.rooms.models import MembershipModel, RoomModel

        tables.create_all()
        now = clock.now()
        policy = {"policy_id": "p", "name": "critical", "repeat": 0,
                  "steps": [{"after_minutes": 0, "notify": {"roles": ["OWNER"]}},
                            {"after_minutes": 60, "notify": {"roles": ["OWNER"]}}]}
        began = time.perf_counter()
        with RoomModel.batch_write() as rooms, MembershipModel.batch_write() as memberships:
            for i in range(args.rooms):
                due = i < args.due
                created = clock.iso(now - 120 if due else now + 3600)  # the rest are due in an hour or more
                room_id = clock.new_id()
                room = RoomModel(room_id, title=f"bench {i}", incident_type="other", severity="critical",
                                 status="active", created_by="wang.owner@panjit.com.tw", created_at=created,
                                 updated_at=created, last_activity_at=created, activity_key=f"{created}#{room_id}",
                                 escalation=policy, escalation_level=0, member_count=1, owner_count=1)
                timers.schedule_next(room)
                rooms.save(room)
                memberships.save(MembershipModel(room_id, "wang.owner@panjit.com.tw", role="OWNER", joined_at=created,
                                                 activity_key=room.activity_key, status="active",
                                                 incident_type="other", severity="critical"))
        print(f"loaded {args.rooms} open rooms ({args.due} due) in {time.perf_counter() - began:.1f} s")
        with metered() as meter:
            meter.reset()
            t0 = time.perf_counter()
            due = escalation.due_room_ids(now)
            find_ms = (time.perf_counter() - t0) * 1000
            find_rcu = meter.read
            meter.reset()
            t0 = time.perf_counter()
            result = escalation.run_due(now)
            run_ms = (time.perf_counter() - t0) * 1000
            print(f"\n{'step':44} {'ms':>8} {'RCU':>8} {'WCU':>8}")
            print(f"{'find due rooms (Query on escalation-due-index)':44} {find_ms:8.1f} {find_rcu:8.1f} {0:8.1f}")
            print(f"{'whole run (fire ' + str(result['fired']) + ' steps)':44} {run_ms:8.1f} {meter.read:8.1f} "
                  f"{meter.write:8.1f}")
            assert len(due) == args.due and result["fired"] == args.due


if __name__ == "__main__":
    main()
