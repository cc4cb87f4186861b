"""Compiled bytecode in the deployment package: a faster cold start.

Lambda's ``/var/task`` is read-only, so Python cannot cache what it compiles there: without
``__pycache__`` in the zip, every cold start compiles ``app.py``, ``chalicelib`` and the
dependencies from source again (~120 ms of this app's ``import app`` on the development
machine). The ``.pyc`` files are written as *unchecked hash-based* (PEP 552): valid whatever the
zip does to file times, and the package is immutable anyway. They must come from the runtime's
Python version (the magic number): ``build`` refuses another interpreter.
"""

from __future__ import annotations

import compileall
import py_compile
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

RUNTIME = (3, 11)  # .chalice/config.json does not name it: chalice packages for the running Python
# Large packages that load only on a rare first use (the PDF report; Web Push's HTTP client): their
# bytecode would cost ~3.5 MB of the zip for no cold start; they compile once per container.
FIRST_USE_ONLY = ("fontTools", "fpdf", "aiohttp")


def add_bytecode(zip_path: Path) -> int:
    """Rewrite ``zip_path`` with every module's ``__pycache__`` ``.pyc`` (but ``FIRST_USE_ONLY``'s);
    returns how many were added."""
    if sys.version_info[:2] != RUNTIME:
        raise SystemExit(f"package with Python {RUNTIME[0]}.{RUNTIME[1]} (the Lambda runtime), "
                         f"not {sys.version_info[0]}.{sys.version_info[1]}: its bytecode would not load")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pkg"
        with zipfile.ZipFile(zip_path) as source:
            source.extractall(root)
            modes = {info.filename: info.external_attr for info in source.infolist()}
        before = sum(1 for _ in root.rglob("*.pyc"))
        skip = "|".join(re.escape(f"{root.as_posix()}/{name}/") for name in FIRST_USE_ONLY)
        compileall.compile_dir(root, quiet=2, workers=0, legacy=False, ddir="/var/task", rx=re.compile(skip),
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        rebuilt = Path(tmp) / "deployment.zip"
        with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                name = path.relative_to(root).as_posix()
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                info.external_attr = modes.get(name, 0o644 << 16)
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, path.read_bytes())
        added = sum(1 for _ in root.rglob("*.pyc")) - before
        shutil.move(str(rebuilt), zip_path)
    return added
