"""Real `wsiskg serve` processes on 127.0.0.1 for the tests, and real Oxigraph servers
(`oxigraph serve`) as their store: started, waited for, stopped."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
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
    store: Path,
    env: Mapping[str, str] | None = None,
    *,
    start_timeout: float = 600,
    args: Sequence[str] = (),
) -> Iterator[str]:
    """`wsiskg serve` over ``store`` with extra environment ``env`` (and extra command-line
    ``args``); yields its base URL. With ``WSISKG_STORE_URL`` in ``env`` the store is that
    SPARQL server, and ``store`` only the place of the log.

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
            [*WSISKG, "serve", "--port", str(port), *args],
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


def oxigraph_binary() -> str:
    """The `oxigraph` server command (the bench extra, which `make test` installs): the tests
    against a real server fail without it, they are never skipped."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise AssertionError(
            "the `oxigraph` server is not installed: pip install -e '.[dev,bench]' (or "
            "pip install oxigraph)"
        )
    return found


@contextlib.contextmanager
def oxigraph_server(
    location: Path, *, start_timeout: float = 60, args: Sequence[str] = ()
) -> Iterator[str]:
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT`; yields its base URL.

    ``location`` may be a copy of an embedded store: the server and pyoxigraph are the same
    Oxigraph (0.5), with the same database format. A port taken meanwhile by another process
    is retried with another."""
    binary = oxigraph_binary()
    for _attempt in range(3):
        port = free_port()
        log_path = location.parent / f"{location.name}-oxigraph-{port}.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [
                    binary,
                    "serve",
                    "--location",
                    str(location),
                    "--bind",
                    f"127.0.0.1:{port}",
                    *args,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + start_timeout
        try:
            while True:
                if process.poll() is not None:
                    text = log_path.read_text()
                    if "Address already in use" in text:
                        break  # another process took the port: try another
                    raise AssertionError(f"oxigraph serve exited:\n{text}")
                with contextlib.suppress(httpx.TransportError):
                    ask = httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2)
                    if ask.status_code == 200:
                        yield base
                        return
                if time.monotonic() > deadline:
                    raise AssertionError(f"oxigraph serve did not start within {start_timeout} s")
                time.sleep(0.2)
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    raise AssertionError("no free port for oxigraph serve after 3 attempts")
