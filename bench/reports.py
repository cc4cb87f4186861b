"""Report cost: 10,000 rooms over 90 days, a 90-day and a 7-day summary.

    python -m bench.reports [--rooms 10000] [--days 90] [--runs 20]

DynamoDB Local. Rooms are written as the rooms service stores them (``opened_month`` for the
``opened-index``), spread evenly over the last ``--days`` days, most of them resolved with a
root cause and downtime; their daily rollup (kept from the rooms stream when the system runs)
is rebuilt once. Reports the 90-day summary's p50/p95 time and read units, and the read units
of a 7-day summary — the rollup's one item per day makes the cost follow the days asked (a Scan
would read every room every time).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("WS_MANAGEMENT_ENDPOINT", "http://127.0.0.1:9")
os.environ.setdefault("PLANT_TIMEZONE", "UTC")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from bench.capacity import metered
    from tests.servers.dynamodb_local import run_dynamodb_local

    with run_dynamodb_local() as ddb:
        os.environ["DYNAMODB_ENDPOINT"] = ddb.endpoint
        os.environ["TABLE_PREFIX"] = "benchrep"
        from chalicelib import tables
        from chalicelib.auth.principal import Principal
        from chalicelib.core import clock
        from chalicelib.reports import service
        from chalicelib.reports.schemas import SummaryQuery
        from chalicelib.rooms.models import RoomModel

        tables.create_all()
        rng = random.Random(13)
        today = datetime.now(UTC).date()
        first = today - timedelta(days=args.days - 1)
        start = datetime.combine(first, datetime.min.time(), UTC).timestamp()
        span = args.days * 86400
        began = time.perf_counter()
        with RoomModel.batch_write() as batch:
            for i in range(args.rooms):
                opened = start + span * i / args.rooms
                created = clock.iso(opened)
                room_id = clock.new_id()
                resolved = rng.random() < 0.9
                batch.save(RoomModel(
                    room_id, title=f"bench {i} 回焊爐溫度異常", incident_type="equipment_failure",
                    severity=rng.choice(["low", "medium", "high", "critical"]),
                    status="resolved" if resolved else "active", created_by="wang.owner@panjit.com.tw",
                    created_at=created, updated_at=created, last_activity_at=created,
                    activity_key=f"{created}#{room_id}", description="x" * 400, search_text="x" * 400,
                    line_id=f"L{i % 8}", station_id=f"ST{i % 5}", event_code=f"E{i % 12}",
                    acknowledged_at=clock.iso(opened + rng.uniform(30, 1800)),
                    resolved_at=clock.iso(opened + rng.uniform(600, 20000)) if resolved else None,
                    root_cause_code=f"RC{i % 9}" if resolved else None, downtime_minutes=rng.randint(0, 120),
                    false_alarm=True if resolved and rng.random() < 0.05 else None, opened_month=created[:7]))
        print(f"loaded {args.rooms} rooms over {args.days} days in {time.perf_counter() - began:.1f} s")
        # the rollup the rooms stream keeps in the running system, built here in one go
        began = time.perf_counter()
        from chalicelib.reports import rollup

        rolled = sum(rollup.rebuild(month) for month in rollup.months(clock.iso(start), clock.iso(start + span)))
        print(f"daily rollup of {rolled} rooms rebuilt in {time.perf_counter() - began:.1f} s")
        admin = Principal("lin.admin@panjit.com.tw", "林志明", "IT", True, "bench")

        def run(days: int) -> tuple[list[float], float, int]:
            query = SummaryQuery.model_validate({"from": (today - timedelta(days=days - 1)).isoformat(),
                                                 "to": today.isoformat(), "group_by": "root_cause"})
            times = []
            with metered() as meter:
                for _ in range(args.runs):
                    meter.reset()
                    t0 = time.perf_counter()
                    body = service.summary(admin, query)
                    times.append((time.perf_counter() - t0) * 1000)
                return times, meter.read, body["totals"]["count"]

        print(f"\n{'summary (group_by=root_cause)':32} {'rooms':>7} {'p50 ms':>8} {'p95 ms':>8} {'RCU':>8}")
        for days in (args.days, 7):
            times, rcu, count = run(days)
            p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
            print(f"{str(days) + ' days':32} {count:7d} {statistics.median(times):8.1f} {p95:8.1f} {rcu:8.1f}")


if __name__ == "__main__":
    main()
