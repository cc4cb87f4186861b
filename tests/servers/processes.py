"""What every test server shares: free loopback ports and stopping by PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, ExitStack
from typing import Any


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """Stop a server we started, by its PID (TERM, then KILL)."""
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(5)


def enter_in_parallel(stack: ExitStack, *managers: AbstractContextManager[Any]) -> list[Any]:
    """Enter slow-starting servers' context managers at the same time (each registers its own
    stop on ``stack``, also when another one fails to start)."""
    with ThreadPoolExecutor(max_workers=len(managers)) as pool:
        futures = [pool.submit(stack.enter_context, manager) for manager in managers]
    return [future.result() for future in futures]
