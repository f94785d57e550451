"""The report file: one Markdown file, one section per benchmark, each between markers so
that a benchmark rewrites its own section and leaves the others as they are."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

TITLE = """# Benchmarks

Written by `python -m bench SUBCOMMAND` (see `bench/`); each section says how it was made.
Figures from a shared machine are indications, not guarantees: compare the systems of one
run with each other (they ran side by side), not runs made on different days.
"""


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A Markdown table; ``align`` has one letter per column, ``l`` or ``r`` (default l)."""
    marks = [
        "---:" if (align[i] if i < len(align) else "l") == "r" else "---"
        for i in range(len(header))
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(marks) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_section(path: Path, name: str, body: str) -> None:
    """Put ``body`` in ``path`` as the section ``name`` (replacing it if it is there)."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    section = f"{start}\n{body.strip()}\n{end}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else TITLE
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
