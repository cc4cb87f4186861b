"""Cold start per Lambda function: ``import app`` as each function, beside ``import chalice, boto3``.

    .venv/bin/python -m bench.coldstart [--runs 11]

Every function imports ``app.py``; Lambda names the one running in ``_HANDLER`` and ``app.py``
registers routes only for the REST API's (``app.app``). Each row is a fresh process with that
``_HANDLER``, measured three ways, medians of ``--runs`` (the rows interleaved, so a busy moment
of the machine falls on all of them):

- ``-X importtime`` total: the sum of every module's own import time (one process);
- CPU seconds and wall seconds of the whole process (a second process, without ``-X importtime``);
- "+ first event": the same process also importing what the handler loads on its first event
  (the function's whole import cost, at init and in its first invocation together).

The baseline is ``import chalice, boto3`` in a process of its own, measured the same way.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# function → (its _HANDLER, the modules its handler imports on its first event)
FUNCTIONS: dict[str, tuple[str | None, str]] = {
    "baseline: import chalice, boto3": (None, ""),
    "REST API (app.app)": ("app.app", ""),
    "WebSocket $default (app.ws_message)": ("app.ws_message", "chalicelib.realtime.service"),
    "message fan-out (app.message_fanout)": ("app.message_fanout", "chalicelib.messaging.fanout, boto3.dynamodb.types"),
    "search index (app.search_index)": ("app.search_index", "chalicelib.messaging.search_index, boto3.dynamodb.types"),
    "escalation (app.escalate)": ("app.escalate", "chalicelib.rooms.escalation"),
}
_LINE = re.compile(r"^import time:\s+(\d+) \|")


def _code(handler: str | None, first_event: str, with_first_event: bool) -> str:
    imports = "chalice, boto3" if handler is None else "app"
    if with_first_event and first_event:
        imports += ", " + first_event
    return f"import {imports}"


def _env(handler: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "_HANDLER"}
    if handler:
        env["_HANDLER"] = handler
    return env


def importtime_ms(handler: str | None, first_event: str, with_first_event: bool = False) -> float:
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", _code(handler, first_event, with_first_event)],
                            capture_output=True, text=True, check=True, cwd=ROOT, env=_env(handler))
    return sum(int(m.group(1)) for m in map(_LINE.match, result.stderr.splitlines()) if m) / 1000


def process_seconds(handler: str | None, first_event: str) -> tuple[float, float]:
    """CPU and wall seconds of ``python -c "import ..."`` as a whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _code(handler, first_event, False)], check=True, cwd=ROOT,
                   env=_env(handler))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    samples: dict[str, dict[str, list[float]]] = {name: {"imp": [], "first": [], "cpu": [], "wall": []}
                                                  for name in FUNCTIONS}
    # the app's bytecode compiled first, as `make package` ships it (PYTHONDONTWRITEBYTECODE, set on
    # some machines, would otherwise have every run compile the changed modules again)
    compileall.compile_file(str(ROOT / "app.py"), quiet=1)
    compileall.compile_dir(str(ROOT / "chalicelib"), quiet=1)
    for handler, first_event in FUNCTIONS.values():  # warm the file cache
        importtime_ms(handler, first_event, with_first_event=True)
    for _ in range(args.runs):
        for name, (handler, first_event) in FUNCTIONS.items():
            samples[name]["imp"].append(importtime_ms(handler, first_event))
            samples[name]["first"].append(importtime_ms(handler, first_event, with_first_event=True))
            cpu, wall = process_seconds(handler, first_event)
            samples[name]["cpu"].append(cpu)
            samples[name]["wall"].append(wall)
    median = {name: {k: statistics.median(v) for k, v in s.items()} for name, s in samples.items()}
    base = median["baseline: import chalice, boto3"]
    print(f"medians of {args.runs} runs each, interleaved; ratio = ÷ the baseline's")
    print("| function | -X importtime total | + first event | process CPU | process wall |")
    print("|---|---|---|---|---|")
    for name, m in median.items():
        print(f"| {name} | {m['imp']:.0f} ms ({m['imp'] / base['imp']:.2f}×) | {m['first']:.0f} ms "
              f"({m['first'] / base['imp']:.2f}×) | {m['cpu']:.3f} s ({m['cpu'] / base['cpu']:.2f}×) | "
              f"{m['wall']:.3f} s ({m['wall'] / base['wall']:.2f}×) |")


if __name__ == "__main__":
    main()
