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
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import httpx

from tests.conftest import ROOT, WSISKG


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class ServerExitedError(AssertionError):
    """A server process ended before it answered; the message holds its log."""


def wait_until_ready(
    process: subprocess.Popen[bytes],
    name: str,
    log: Path,
    ready: Callable[[], bool],
    timeout: float,
    pause: float = 0.3,
) -> None:
    """Until ``ready()`` is true (a connection refused counts as not yet); AssertionError when
    the process exits (:class:`ServerExitedError`, with its log) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ServerExitedError(f"{name} exited:\n{log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if ready():
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} did not start within {timeout} s")
        time.sleep(pause)


def stop(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Terminate, then kill what did not stop within ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running_server(
    store: Path,
    env: Mapping[str, str] | None = None,
    *,
    start_timeout: float = 600,
    args: Sequence[str] = (),
    log: Path | None = None,
) -> Iterator[str]:
    """`wsiskg serve` over ``store`` with extra environment ``env`` (and extra command-line
    ``args``); yields its base URL. Its standard output and error go to ``log`` (by default
    ``serve-<port>.log`` beside the store). With ``WSISKG_STORE_URL`` in ``env`` the store
    is that SPARQL server, and ``store`` only the place of the log.

    A copy of the session's loaded store (the ``store_copy`` fixture) starts in about a
    second: the built-in data is unchanged, so nothing is reloaded."""
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("WSISKG_")},
        "WSISKG_STORE": str(store),
        # every test's requests come from 127.0.0.1, one client whose query time the whole
        # session would share: no budget, unless a test sets one (tests/test_fair_share.py)
        "WSISKG_QUERY_BUDGET": "0",
        **(env or {}),
    }
    log_path = log or store.parent / f"serve-{port}.log"
    with log_path.open("w") as output:
        process = subprocess.Popen(
            [*WSISKG, "serve", "--port", str(port), *args],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_ready(
                process,
                "wsiskg serve",
                log_path,
                lambda: httpx.get(f"{base}/health", timeout=2).status_code == 200,
                start_timeout,
            )
            yield base
        finally:
            stop(process)


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
        try:
            try:
                wait_until_ready(
                    process,
                    "oxigraph serve",
                    log_path,
                    lambda url=f"{base}/query": (
                        httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200
                    ),
                    start_timeout,
                    pause=0.2,
                )
            except ServerExitedError as e:
                if "Address already in use" in str(e):
                    continue  # another process took the port: try another
                raise
            yield base
            return
        finally:
            stop(process)
    raise AssertionError("no free port for oxigraph serve after 3 attempts")
