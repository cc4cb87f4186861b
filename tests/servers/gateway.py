"""The local API Gateway (``python -m infrastructure.local_gateway``) as a test server.

``run_gateway()`` starts it as a subprocess on a free loopback port, waits for its
``LOCAL_GATEWAY_READY {json}`` line, and stops it by PID afterwards. Its output goes to a
temp file that a failing start reports.

Stores: given ``dynamodb_endpoint`` / ``s3_endpoint`` are used; whatever is not given comes
from moto in the gateway's process (``--store memory``) unless ``store="local"``, where the
gateway starts DynamoDB Local / SeaweedFS itself under ``data_dir``. With ``data_dir`` the
gateway keeps its stream checkpoints there, so a restart (:meth:`GatewayProcess.restart`, on
the same port) resumes the streams where the killed one stopped — as ``make dev`` does.
"""

from __future__ import annotations

import json
import os
import signal
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


class GatewayProcess:
    """One gateway configuration that can be started, killed and started again on its port."""

    def __init__(self, *, dynamodb_endpoint: str | None = None, s3_endpoint: str | None = None,
                 table_prefix: str = "gwtest", extra_args: list[str] | None = None,
                 env: dict[str, str] | None = None, seed: bool = False, store: str = "memory",
                 data_dir: Path | None = None, port: int | None = None, startup_timeout: float = 90.0) -> None:
        self.port = port or free_port()
        self.startup_timeout = startup_timeout
        child_env = dict(os.environ)
        for name in ("DYNAMODB_ENDPOINT", "S3_ENDPOINT", "WS_MANAGEMENT_ENDPOINT", "AWS_PROFILE", "LOCAL_STORE",
                     "LOCAL_DATA_DIR", "S3_PUBLIC_ENDPOINT"):
            child_env.pop(name, None)
        child_env.update({"PYTHONUNBUFFERED": "1", "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                          "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"})
        # one signing key for every start: sessions and tokens survive a restart
        child_env.setdefault("JWT_SECRET", "gateway-test-signing-key-0123456789-abcdefghijkl")
        child_env.update(env or {})
        self.env = child_env
        args = [sys.executable, "-m", "infrastructure.local_gateway", "--host", "127.0.0.1", "--port", str(self.port),
                "--table-prefix", table_prefix, "--static", str(REPO / "frontend" / "dist"),
                "--poll-interval", "0.1", "--store", store]
        if not seed:
            args.append("--no-seed")
        if dynamodb_endpoint:
            args += ["--dynamodb-endpoint", dynamodb_endpoint]
        if s3_endpoint:
            args += ["--s3-endpoint", s3_endpoint]
        if data_dir is not None:
            args += ["--data-dir", str(data_dir)]
        self.args = args + (extra_args or [])
        self.process: subprocess.Popen[bytes] | None = None
        self.gateway: Gateway | None = None
        self.logs: list[Path] = []

    def start(self) -> Gateway:
        """Start and wait for the ready line (a failed start raises with the output)."""
        log_file = tempfile.NamedTemporaryFile(prefix="local-gateway-", suffix=".log", delete=False)
        log_path = Path(log_file.name)
        self.logs.append(log_path)
        process = subprocess.Popen(self.args, cwd=REPO, env=self.env, stdout=log_file, stderr=subprocess.STDOUT)
        log_file.close()
        self.process = process
        deadline = time.monotonic() + self.startup_timeout
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
                stop(process)
                raise GatewayFailed(f"gateway not ready after {self.startup_timeout:.0f}s:\n{text[-4000:]}")
            time.sleep(0.1)
        url = str(info["url"])
        self.gateway = Gateway(url=url, ws_url=url.replace("http", "ws", 1) + "/ws", info=info, process=process,
                               log_path=log_path)
        return self.gateway

    def kill(self) -> None:
        """``kill -9``: no shutdown at all (no ``$disconnect``, no checkpoint flush)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def restart(self) -> Gateway:
        """Kill (``-9``) and start again on the same port and data."""
        self.kill()
        return self.start()

    def output(self) -> str:
        """The output of every start, oldest first."""
        return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in self.logs if p.exists())

    def cleanup(self) -> None:
        self.stop()
        for path in self.logs:
            try:
                path.unlink()
            except OSError:
                pass


@contextmanager
def gateway_process(**kwargs: Any) -> Iterator[GatewayProcess]:
    """A started :class:`GatewayProcess`; stopped (and its logs removed) afterwards."""
    gp = GatewayProcess(**kwargs)
    try:
        gp.start()
        yield gp
    finally:
        gp.cleanup()


@contextmanager
def run_gateway(*, dynamodb_endpoint: str | None = None, table_prefix: str = "gwtest",
                extra_args: list[str] | None = None, env: dict[str, str] | None = None, seed: bool = False,
                startup_timeout: float = 60.0, s3_endpoint: str | None = None, store: str = "memory",
                data_dir: Path | None = None) -> Iterator[Gateway]:
    """Start the gateway; yields a :class:`Gateway`; stops it (SIGTERM by PID) afterwards."""
    with gateway_process(dynamodb_endpoint=dynamodb_endpoint, s3_endpoint=s3_endpoint, table_prefix=table_prefix,
                         extra_args=extra_args, env=env, seed=seed, store=store, data_dir=data_dir,
                         startup_timeout=startup_timeout) as gp:
        assert gp.gateway is not None
        yield gp.gateway
