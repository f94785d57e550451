"""Servers under test: each one a child process on a free port of 127.0.0.1, started and
stopped by the benchmark, its output in a log file; and the CPU time its processes used."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from ontology.errors import WsisKgError

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent


class BenchError(WsisKgError):
    """The benchmark cannot go on (a server did not start, answers differ ...)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def executable(name: str) -> str:
    """A console script of this environment (next to the interpreter), else from PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"{name!r} is not installed: pip install -e '.[bench]'")
    return found


def wsiskg() -> list[str]:
    """The `wsiskg` command as a user runs it (the module where it is not installed)."""
    beside = Path(sys.executable).parent / "wsiskg"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "api.cli"]


def run_step(command: Sequence[str], log: Path, env: Mapping[str, str] | None = None) -> float:
    """Run a preparation step to completion; its seconds. Its output goes to ``log``."""
    started = time.monotonic()
    with log.open("ab") as out:
        done = subprocess.run(
            list(command),
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    if done.returncode != 0:
        raise BenchError(f"{' '.join(command)} failed (exit {done.returncode}):\n{tail(log)}")
    return time.monotonic() - started


def tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Server:
    """A server in a child process (its own process group), on ``port`` of 127.0.0.1."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        port: int,
        ready_path: str,
        log: Path,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.port = port
        self.ready_path = ready_path
        self.log = log
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.started_in: float | None = None  # seconds from start to the first answer
        self._started = 0.0

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self._started = time.monotonic()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def poll_ready(self) -> bool:
        """Whether the server answers ``ready_path`` (any 2xx) now; fail with its log if it
        exited."""
        assert self.process is not None
        if self.process.poll() is not None:
            raise BenchError(
                f"{self.name} exited with {self.process.returncode}:\n{tail(self.log)}"
            )
        try:
            ready = httpx.get(self.base + self.ready_path, timeout=5).is_success
        except httpx.TransportError:
            return False
        if ready:
            self.started_in = time.monotonic() - self._started
        return ready

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        # the whole group this benchmark started (e.g. query workers left behind)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def cpu_seconds(self) -> float | None:
        """User + system CPU seconds of the server process and all its descendants, so far
        (Linux /proc; None elsewhere)."""
        if self.process is None:
            return None
        return tree_cpu_seconds(self.process.pid)


def wait_ready(servers: Sequence[Server], timeout: float = 300) -> None:
    """Until every server answers (each one's start-up time measured on its own)."""
    deadline = time.monotonic() + timeout
    waiting = list(servers)
    while waiting:
        waiting = [server for server in waiting if not server.poll_ready()]
        if not waiting:
            return
        if time.monotonic() > deadline:
            names = ", ".join(server.name for server in waiting)
            raise BenchError(f"{names} did not answer within {timeout:.0f} s")
        time.sleep(0.2)


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: str) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, from /proc/PID/stat."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    # after the command: state ppid ... utime (14th field) stime (15th)
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def tree_cpu_seconds(root: int) -> float | None:
    if not Path("/proc/self/stat").exists():
        return None
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(entry.name)) is not None:
            stats[int(entry.name)] = stat
    if root not in stats:
        return None
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += stats[pid][1]
        todo.extend(children.get(pid, []))
    return total
