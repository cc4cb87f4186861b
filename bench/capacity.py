"""Count DynamoDB consumed capacity of the app's own calls (bench only).

Wraps pynamodb's one seam to the wire (``Connection._make_api_call``): every data-plane call
asks for ``ReturnConsumedCapacity=TOTAL`` and the units are added up per operation.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pynamodb.connection import base

DATA_PLANE = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
              "BatchWriteItem", "TransactWriteItems", "TransactGetItems"}


class Meter:
    """Read/write capacity units and call counts, per operation."""

    def __init__(self) -> None:
        self.read = 0.0
        self.write = 0.0
        self.calls: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def add(self, operation: str, consumed: Any) -> None:
        items = consumed if isinstance(consumed, list) else [consumed] if consumed else []
        with self._lock:
            self.calls[operation] += 1
            for item in items:
                self.read += float(item.get("ReadCapacityUnits", 0) or 0)
                self.write += float(item.get("WriteCapacityUnits", 0) or 0)
                if "ReadCapacityUnits" not in item and "WriteCapacityUnits" not in item:
                    units = float(item.get("CapacityUnits", 0) or 0)
                    if operation in {"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}:
                        self.read += units
                    else:
                        self.write += units

    def reset(self) -> None:
        with self._lock:
            self.read = self.write = 0.0
            self.calls.clear()


@contextmanager
def metered() -> Iterator[Meter]:
    """Meter every pynamodb call made inside the block."""
    meter = Meter()
    original = base.Connection._make_api_call

    def wrapped(self: Any, operation_name: str, operation_kwargs: dict[str, Any]) -> dict[str, Any]:
        if operation_name in DATA_PLANE:
            operation_kwargs = {**operation_kwargs, "ReturnConsumedCapacity": "TOTAL"}
        data: dict[str, Any] = original(self, operation_name, operation_kwargs)
        if operation_name in DATA_PLANE:
            meter.add(operation_name, data.get("ConsumedCapacity"))
        return data

    base.Connection._make_api_call = wrapped  # type: ignore[method-assign]
    try:
        yield meter
    finally:
        base.Connection._make_api_call = original  # type: ignore[method-assign]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (values need not be sorted)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]
