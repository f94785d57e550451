"""What the benchmark ran on: CPU, cores, memory, Python and the versions that matter."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kib = int(line.split()[1])
                return f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def command_version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "not installed"
    return done.stdout.strip() or done.stderr.strip() or "unknown"


def describe(packages: list[str], commands: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Machine facts and the versions of ``packages`` (and of ``commands``), as labelled text."""
    facts = {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count() or "unknown"),
        "RAM": _memory(),
        "OS": platform.platform(),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "load average before the run": load_average(),
    }
    for name in packages:
        facts[name] = version(name)
    for name, command in (commands or {}).items():
        facts[name] = command_version(command)
    # uvicorn's "auto" loop and HTTP parser use these when they are installed
    facts["uvicorn event loop"] = "uvloop" if find_spec("uvloop") else "asyncio"
    facts["uvicorn HTTP parser"] = "httptools" if find_spec("httptools") else "h11"
    return facts
