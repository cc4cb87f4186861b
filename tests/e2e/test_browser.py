"""Browser tests: Debian's Chromium (driven by playwright-core) against the local stack.

The scenarios live in ``frontend/e2e/*.mjs`` (node:test). This module starts what ``make dev``
runs, on real servers — DynamoDB Local, SeaweedFS as the S3 server, the local gateway with the
built SPA, the development seed and a data folder — and runs them. ``frontend/e2e/restart.mjs``
(the gateway restarts while two users chat) gets a small control server next to the gateway
(``E2E_CONTROL_URL``: ``POST /gateway/kill`` = ``kill -9``, ``POST /gateway/start`` = start it
again on the same port and data, answered once it is ready).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.servers.dynamodb_local import run_dynamodb_local
from tests.servers.gateway import GatewayProcess
from tests.servers.processes import enter_in_parallel
from tests.servers.seaweedfs import run_seaweedfs

REPO = Path(__file__).resolve().parents[2]
FRONTEND = REPO / "frontend"


@contextmanager
def control_server(gateway: GatewayProcess) -> Iterator[str]:
    """``POST /gateway/kill`` and ``POST /gateway/start`` for the restart scenario."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            started = time.monotonic()
            try:
                if self.path == "/gateway/kill":
                    gateway.kill()
                elif self.path == "/gateway/start":
                    gateway.start()
                else:
                    self._answer(404, {"error": "unknown"})
                    return
            except Exception as exc:  # noqa: BLE001 - reported to the scenario
                self._answer(500, {"error": str(exc)[-2000:]})
                return
            self._answer(200, {"seconds": time.monotonic() - started})

        def _answer(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _node(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=FRONTEND, capture_output=True, text=True, timeout=1500, env=env)


@pytest.mark.integration
def test_browser_scenarios(tmp_path: Path) -> None:
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    assert Path(chromium).exists(), f"{chromium} missing: apt-get install chromium (make test does)"
    assert (FRONTEND / "dist" / "index.html").exists(), "build the SPA first: make spa"
    assert shutil.which("node"), "node is required"
    with ExitStack() as servers:
        ddb, s3 = enter_in_parallel(servers, run_dynamodb_local(), run_seaweedfs())
        gateway = GatewayProcess(
            dynamodb_endpoint=ddb.endpoint, s3_endpoint=s3.endpoint, table_prefix="e2e", seed=True, store="local",
            extra_args=["--schedule-every", "3"],  # escalations in seconds, not a minute
            data_dir=tmp_path / "gateway",
            env={"S3_ACCESS_KEY_ID": s3.access_key, "S3_SECRET_ACCESS_KEY": s3.secret_key,
                 "FILES_BUCKET": f"e2e-files-{uuid.uuid4().hex[:8]}"})
        try:
            gw = gateway.start()
            env = {**os.environ, "BASE_URL": gw.url, "CHROMIUM_PATH": chromium}
            result = _node(["npm", "run", "--silent", "e2e"], env)
            print(result.stdout[-6000:])
            assert result.returncode == 0, (result.stdout[-6000:] + result.stderr[-3000:]
                                            + "\n--- gateway ---\n" + gateway.output()[-3000:])
            with control_server(gateway) as control:
                result = _node(["node", "--test", "--test-concurrency=1", "e2e/restart.mjs"],
                               {**env, "E2E_CONTROL_URL": control})
            print(result.stdout[-4000:])
            assert result.returncode == 0, (result.stdout[-6000:] + result.stderr[-3000:]
                                            + "\n--- gateway ---\n" + gateway.output()[-4000:])
        finally:
            gateway.cleanup()
