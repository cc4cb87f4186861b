"""Add rooms created before the reports existed to them (a one-off after upgrading; rerunnable).

    python -m infrastructure.backfill_reports [--endpoint http://127.0.0.1:8001] [--prefix incident-prod]

1. Rooms without ``opened_month`` (created before the ``opened-index``) get it — this step
   Scans the rooms table once, which is why it is an administrator's command and never a request.
2. The daily rollup of every month that has rooms is rebuilt from the ``opened-index``
   (``chalicelib.reports.rollup.rebuild``). Run it at a quiet hour: a room changed while its
   month is rebuilt is set again by its own stream record.
"""

from __future__ import annotations

import argparse

from infrastructure import table_target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    table_target.add_arguments(parser)
    table_target.apply(parser.parse_args())
    print(f"{backfill()} rooms in the reports")


def backfill() -> int:
    """Both steps; returns the number of rooms now in the rollup."""
    from chalicelib import tables
    from chalicelib.reports import rollup
    from chalicelib.rooms.models import RoomModel

    tables.bind()
    months: set[str] = set()
    for room in RoomModel.scan(attributes_to_get=["room_id", "created_at", "opened_month"]):
        month = room.created_at[:7]
        months.add(month)
        if room.opened_month != month:
            room.update(actions=[RoomModel.opened_month.set(month)])
    return sum(rollup.rebuild(month) for month in sorted(months))


if __name__ == "__main__":
    main()
