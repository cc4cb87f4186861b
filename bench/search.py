"""Search latency and read cost with 100,000 stored messages, against a Scan+contains baseline.

    .venv/bin/python -m bench.search [--messages 100000] [--rooms 50] [--member-of 10] [--repeat 20]

Loads messages (and their index entries, as the stream handler would write them) into DynamoDB
Local, then times ``messaging.search.search`` for a member of ``--member-of`` rooms and, in the
same run, the naive alternative: a Scan of the Messages table with ``contains(content, q)``.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
os.environ.setdefault("AWS_REGION", "us-east-1")
os.environ.setdefault("JWT_SECRET", "bench-signing-key-that-is-long-enough-0123456789")

PHRASES = ["設備溫度上升到{n}度", "Line {n} 回焊爐溫度異常", "wire bonder #{n} stopped", "錫膏 SAC305 缺料 {n} 箱",
           "良率 {n}% 回升", "請確認 {n} 號機", "pressure {n} kPa normal", "更換熱電偶後恢復 {n}",
           "Molding 溢膠 lot {n}", "交班：{n} 批待判"]
QUERIES = ["溫度", "SAC305", "line 3", "熱電偶", "stopped", "溢膠 lot"]


def load(total: int, rooms: list[str], workers: int = 8) -> None:
    from chalicelib.core import clock
    from chalicelib.messaging.search_index import reindex
    from chalicelib.timeline.models import MessageModel

    per_room = total // len(rooms)
    start = time.time() - total

    def fill(room: str) -> None:
        batch_messages = []
        with MessageModel.batch_write() as batch:
            for seq in range(1, per_room + 1):
                at = clock.iso(start + seq)
                text = random.choice(PHRASES).format(n=random.randint(1, 99))
                message = MessageModel(room, seq, sender_id="chen.editor@panjit.com.tw", message_type="text",
                                       content=text, created_at=at)
                batch.save(message)
                batch_messages.append(message)
        for message in batch_messages:
            reindex(None, message)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(fill, rooms))


def scan_baseline(client: Any, table: str, q: str, rooms: list[str]) -> tuple[int, float]:
    """The naive way: Scan everything, filter ``contains`` (every page; RCU of the whole table)."""
    values = {":q": {"S": q}, **{f":r{i}": {"S": r} for i, r in enumerate(rooms)}}
    expression = f"contains(content, :q) AND room_id IN ({', '.join(f':r{i}' for i in range(len(rooms)))})"
    hits, units = 0, 0.0
    for page in client.get_paginator("scan").paginate(TableName=table, FilterExpression=expression,
                                                      ExpressionAttributeValues=values,
                                                      ReturnConsumedCapacity="TOTAL"):
        hits += page["Count"]
        units += page["ConsumedCapacity"]["CapacityUnits"]
    return hits, units


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--member-of", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from bench.capacity import metered, percentile
    from tests.servers.dynamodb_local import run_dynamodb_local

    with run_dynamodb_local() as ddb:
        os.environ["DYNAMODB_ENDPOINT"] = ddb.endpoint
        os.environ["TABLE_PREFIX"] = "benchsearch"
        from chalicelib import tables
        from chalicelib.messaging import search
        from chalicelib.timeline.models import MessageModel

        tables.create_all()
        rooms = [str(uuid.uuid4()) for _ in range(args.rooms)]
        began = time.perf_counter()
        load(args.messages, rooms)
        print(f"loaded {args.messages} messages in {args.rooms} rooms with their index in "
              f"{time.perf_counter() - began:.0f} s; the caller belongs to {args.member_of} rooms")
        mine = rooms[: args.member_of]
        print(f"\n{'query':12} {'index p50':>10} {'p95 ms':>8} {'RCU':>8} {'hits':>5} | "
              f"{'scan p50':>9} {'RCU':>9} {'hits':>5} | {'RCU ratio':>9}")
        client = boto3.client("dynamodb", endpoint_url=ddb.endpoint, region_name="us-east-1")
        with metered() as meter:
            for q in QUERIES:
                timings, reads, hits = [], [], 0
                for _ in range(args.repeat):
                    meter.reset()
                    t0 = time.perf_counter()
                    hits = len(search.search("bench", mine, q, 20, None)["results"])
                    timings.append((time.perf_counter() - t0) * 1000)
                    reads.append(meter.read)
                scan_t, scan_reads, scan_hits = [], [], 0
                for _ in range(max(1, args.repeat // 10)):
                    t0 = time.perf_counter()
                    scan_hits, units = scan_baseline(client, MessageModel.Meta.table_name, q, mine)
                    scan_t.append((time.perf_counter() - t0) * 1000)
                    scan_reads.append(units)
                ratio = (sum(scan_reads) / len(scan_reads)) / max(sum(reads) / len(reads), 0.5)
                print(f"{q:12} {percentile(timings, 50):10.1f} {percentile(timings, 95):8.1f} "
                      f"{sum(reads) / len(reads):8.1f} {hits:5d} | {percentile(scan_t, 50):9.1f} "
                      f"{sum(scan_reads) / len(scan_reads):9.1f} {scan_hits:5d} | {ratio:8.0f}x")
        print("\n(index: first page of 20 newest hits with highlights; scan: every match, all pages, "
              "no highlights; `contains` is case-sensitive and finds words inside words)")


if __name__ == "__main__":
    main()
