"""The local API Gateway (``python -m infrastructure.local_gateway``) as a test server.

``run_gateway()`` starts it as a subprocess on a free loopback port (embedded moto, or a
given DynamoDB endpoint), waits for its ``LOCAL_GATEWAY_READY {json}`` line, and stops it by
PID afterwards. Its output goes to a temp file that a failing start reports.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.servers.processes import free_port, stop

REPO = Path(__file__).resolve().parents[2]
READY = "LOCAL_GATEWAY_READY "


class GatewayFailed(RuntimeError):
    """The gateway did not start."""


@dataclass
class Gateway:
    """A running local gateway."""

    url: str  # http://127.0.0.1:<port>
    ws_url: str  # ws://127.0.0.1:<port>/ws
    info: dict[str, Any]
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def dynamodb_endpoint(self) -> str:
        return str(self.info["dynamodb_endpoint"])

    @property
    def table_prefix(self) -> str:
        return str(self.info["table_prefix"])

    @property
    def region(self) -> str:
        return str(self.info["region"])

    def output(self) -> str:
        """Everything the gateway printed so far (for assertion messages)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextmanager
def run_gateway(*, dynamodb_endpoint: str | None = None, table_prefix: str = "gwtest",
                extra_args: list[str] | None = None, env: dict[str, str] | None = None, seed: bool = False,
                startup_timeout: float = 60.0) -> Iterator[Gateway]:
    """Start the gateway; yields a :class:`Gateway`; stops it (SIGTERM by PID) afterwards."""
    port = free_port()
    child_env = dict(os.environ)
    for name in ("DYNAMODB_ENDPOINT", "S3_ENDPOINT", "WS_MANAGEMENT_ENDPOINT", "AWS_PROFILE"):
        child_env.pop(name, None)
    child_env.update({"PYTHONUNBUFFERED": "1", "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                      "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"})
    child_env.update(env or {})
    args = [sys.executable, "-m", "infrastructure.local_gateway", "--host", "127.0.0.1", "--port", str(port),
            "--table-prefix", table_prefix, "--static", str(REPO / "frontend" / "dist"),
            "--poll-interval", "0.1"]
    if not seed:
        args.append("--no-seed")
    if dynamodb_endpoint:
        args += ["--dynamodb-endpoint", dynamodb_endpoint]
    args += extra_args or []
    log_file = tempfile.NamedTemporaryFile(prefix="local-gateway-", suffix=".log", delete=False)
    log_path = Path(log_file.name)
    process = subprocess.Popen(args, cwd=REPO, env=child_env, stdout=log_file, stderr=subprocess.STDOUT)
    log_file.close()
    try:
        deadline = time.monotonic() + startup_timeout
        info: dict[str, Any] | None = None
        while info is None:
            text = log_path.read_text(encoding="utf-8", errors="replace")
            for line in text.splitlines():
                if line.startswith(READY):
                    info = json.loads(line[len(READY):])
                    break
            if info is not None:
                break
            if process.poll() is not None:
                raise GatewayFailed(f"gateway exited with {process.returncode}:\n{text[-4000:]}")
            if time.monotonic() > deadline:
                raise GatewayFailed(f"gateway not ready after {startup_timeout:.0f}s:\n{text[-4000:]}")
            time.sleep(0.1)
        url = str(info["url"])
        yield Gateway(url=url, ws_url=url.replace("http", "ws", 1) + "/ws", info=info, process=process,
                      log_path=log_path)
    finally:
        stop(process)
        try:
            log_path.unlink()
        except OSError:
            pass
