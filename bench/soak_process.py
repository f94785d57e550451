"""The server's processes as the soak watches them: the process tree, its resident memory and
open file descriptors, read from /proc.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

# ---------------------------------------------------------------- the server's processes


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = (entry / "stat").read_text()
            parents[int(entry.name)] = int(text[text.rindex(")") + 2 :].split()[1])
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return tree


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (VmRSS), 0 if it is gone."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def open_fds(pid: int) -> int:
    """Open file descriptors of one process, 0 if it is gone."""
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the load started
    server_rss: int
    tree_rss: int  # the server and its query workers
    server_fds: int
    tree_fds: int
    processes: int


def sample(pid: int, at: float) -> Sample:
    tree = process_tree(pid)
    return Sample(
        at,
        rss_bytes(pid),
        sum(rss_bytes(p) for p in tree),
        open_fds(pid),
        sum(open_fds(p) for p in tree),
        len(tree),
    )
