"""Browser tests: Debian's Chromium (driven by playwright-core) against the local stack.

The scenarios live in ``frontend/e2e/*.mjs`` (node:test); this module starts the local gateway
with the built SPA and the development seed, runs them, and reports their output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.servers.gateway import run_gateway

REPO = Path(__file__).resolve().parents[2]
FRONTEND = REPO / "frontend"


@pytest.mark.integration
def test_browser_scenarios() -> None:
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    assert Path(chromium).exists(), f"{chromium} missing: apt-get install chromium (make test does)"
    assert (FRONTEND / "dist" / "index.html").exists(), "build the SPA first: make spa"
    assert shutil.which("node"), "node is required"
    with run_gateway(seed=True, table_prefix="e2e") as gateway:
        result = subprocess.run(
            ["npm", "run", "--silent", "e2e"], cwd=FRONTEND, capture_output=True, text=True, timeout=600,
            env={**os.environ, "BASE_URL": gateway.url, "CHROMIUM_PATH": chromium},
        )
        print(result.stdout[-6000:])
        assert result.returncode == 0, (result.stdout[-6000:] + result.stderr[-3000:]
                                        + "\n--- gateway ---\n" + gateway.output()[-3000:])
