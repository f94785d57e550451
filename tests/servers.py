"""Real `wsiskg serve` processes on 127.0.0.1 for the tests: started, waited for, stopped."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx

from tests.conftest import ROOT, WSISKG


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(
    store: Path, env: Mapping[str, str] | None = None, *, start_timeout: float = 180
) -> Iterator[str]:
    """`wsiskg serve` over ``store`` with extra environment ``env``; yields its base URL.

    A copy of the session's loaded store (the ``store_copy`` fixture) starts in about a
    second: the built-in data is unchanged, so nothing is reloaded."""
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("WSISKG_")},
        "WSISKG_STORE": str(store),
        **(env or {}),
    }
    log_path = store.parent / f"serve-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*WSISKG, "serve", "--port", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + start_timeout
        try:
            while True:
                if process.poll() is not None:
                    raise AssertionError(log_path.read_text())
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise AssertionError(f"the server did not start within {start_timeout} s")
                time.sleep(0.3)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
