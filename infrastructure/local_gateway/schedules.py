"""The app's scheduled functions (``@app.schedule``), run on their schedule like EventBridge.

Each function gets its own thread and a CloudWatch-shaped ``Scheduled Event``. ``Rate``
expressions use their period (``--schedule-every`` overrides it, e.g. 5 s for tests); ``Cron``
expressions are approximated by once a minute (development only). Runs never overlap per
function; a failing run is logged and the next one happens on time.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

log = logging.getLogger("local_gateway")
_SECONDS = {"MINUTES": 60, "HOURS": 3600, "DAYS": 86400}


def _period(expression: Any) -> float:
    unit = getattr(expression, "unit", None)
    value = getattr(expression, "value", None)
    if isinstance(value, int) and unit:
        return float(value * _SECONDS.get(str(unit).upper().rstrip("S") + "S", 60))
    return 60.0  # Cron: once a minute is close enough locally


class Schedule:
    """One scheduled function of the app."""

    def __init__(self, name: str, handler: Any, every: float, region: str) -> None:
        self.name, self.handler, self.every, self.region = name, handler, every, region
        self.runs = self.failures = 0
        self.last_result: Any = None
        self.last_run_at: float | None = None
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"schedule-{name}", daemon=True)

    def _event(self) -> dict[str, Any]:
        return {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event", "source": "aws.events",
                "account": "000000000000", "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "region": self.region, "resources": [f"arn:aws:events:{self.region}:000000000000:rule/{self.name}"],
                "detail": {}}

    def run_once(self) -> Any:
        """Invoke the function now (the loop calls this; tests may too)."""
        self.last_run_at = time.time()
        try:
            self.last_result = self.handler(self._event(), None)
        except Exception:  # noqa: BLE001 - like Lambda: logged, the schedule goes on
            self.failures += 1
            log.exception("scheduled function %s failed", self.name)
        self.runs += 1
        return self.last_result

    def _loop(self) -> None:
        next_at = time.monotonic() + min(self.every, 2.0)  # a first run soon after start
        while not self.stopping.wait(max(0.0, next_at - time.monotonic())):
            self.run_once()
            next_at += self.every

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def info(self) -> dict[str, Any]:
        return {"name": self.name, "every_s": self.every, "runs": self.runs, "failures": self.failures,
                "last_run_at": self.last_run_at, "last_result": self.last_result}


def schedules_for(app: Any, app_module: Any, region: str, every: float | None) -> list[Schedule]:
    """A :class:`Schedule` for every ``@app.schedule`` function of the app."""
    out = []
    for source in app.event_sources:
        expression = getattr(source, "schedule_expression", None)
        if expression is None:
            continue
        handler = getattr(app_module, source.handler_string.rsplit(".", 1)[-1])
        out.append(Schedule(source.name, handler, every or _period(expression), region))
    return out
