"""Which format x resolution cases of the invariance test fail, and where: a Markdown summary.

    python -m tests.corpus.report [OUT.md]

runs the comparison of ``tests/test_format_invariance.py`` for every case (no pytest), and
writes per format the pass/fail counts, the fields that differ, and for a few failing cases
the differences with the text the reader handed to the parser around the place they concern.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from loaders.errors import DocumentError
from loaders.formats import read_model
from tests.corpus.projection import FIELDS, differences, explain, parse, project
from tests.corpus.render import FORMATS, expected_number, formats_for, write
from tests.corpus.stress import STRESS

DEFAULT_OUT = Path("/work/research/invariance-failures.md")
EXAMPLES = 3


def _excerpt(model_text: str, want: Any, limit: int = 14) -> list[str]:
    """The lines of the reader's text near the expected value (or its first lines)."""
    lines = model_text.split("\n")
    needle = ""
    if isinstance(want, dict) and want.get("text"):
        needle = str(want["text"])[:25]
    elif isinstance(want, str):
        needle = want[:25]
    elif isinstance(want, tuple) and want and isinstance(want[0], str):
        needle = want[0][:25]
    at = 0
    if needle:
        squashed = [" ".join(line.split()) for line in lines]
        at = next((i for i, line in enumerate(squashed) if needle in line), 0)
    start = max(0, at - 3)
    return lines[start : start + limit]


def run(directory: Path) -> list[dict[str, Any]]:
    results = []
    for r in STRESS:
        base = project(parse(write(r, "canonical", directory)))
        for fmt in formats_for(r):
            if fmt == "canonical":
                continue
            want = dict(base)
            want["number"] = expected_number(r, fmt, want["number"])
            path = write(r, fmt, directory)
            try:
                got = project(parse(path))
            except DocumentError as exc:
                results.append({"r": r, "fmt": fmt, "error": f"DocumentError: {exc}", "diffs": []})
                continue
            except Exception as exc:  # a reader's crash is a finding too
                error = f"{type(exc).__name__} (not a DocumentError): {exc}"
                results.append({"r": r, "fmt": fmt, "error": error, "diffs": []})
                continue
            diffs = differences(want, got)
            model = read_model(path, path.name)
            results.append({"r": r, "fmt": fmt, "error": None, "diffs": diffs, "text": model.text})
    return results


def markdown(results: list[dict[str, Any]]) -> str:
    out = [
        "## Generated: pass/fail per format",
        "",
        "Each of the "
        f"{len(STRESS)} stress resolutions is rendered in each format and parsed; its "
        "projection is compared with the canonical text's (`tests/corpus/projection.py`). "
        "A case fails when any field differs; the columns count the cases where each field "
        "differs.",
        "",
        "| format | cases | pass | fail | " + " | ".join(FIELDS) + " |",
        "|---|---|---|---|" + "---|" * len(FIELDS),
    ]
    for fmt in FORMATS:
        rows = [x for x in results if x["fmt"] == fmt]
        if not rows:
            continue
        fails = [x for x in rows if x["diffs"] or x["error"]]
        fields: Counter[str] = Counter()
        for x in fails:
            for where, _, _ in x["diffs"]:
                fields[where.split("[")[0].split(".")[0].split(" ")[0]] += 1
        out.append(
            f"| {fmt} | {len(rows)} | {len(rows) - len(fails)} | {len(fails)} | "
            + " | ".join(str(fields[f] or "") for f in FIELDS)
            + " |"
        )
    out += ["", "## Generated: examples per format", ""]
    for fmt in FORMATS:
        fails = [x for x in results if x["fmt"] == fmt and (x["diffs"] or x["error"])]
        if not fails:
            continue
        out += [f"### {fmt}: {len(fails)} failing", ""]
        first: Counter[str] = Counter(x["diffs"][0][0].split("[")[0] for x in fails if x["diffs"])
        out.append(
            "First differing field: " + ", ".join(f"{k} x{n}" for k, n in first.most_common())
        )
        out.append("")
        for x in fails[:EXAMPLES]:
            out.append(f"**{x['r'].key}-{fmt}**")
            out.append("")
            if x["error"]:
                out += ["```", x["error"], "```", ""]
                continue
            out += ["```", explain(x["diffs"]), "```"]
            where, want, _ = x["diffs"][0]
            out += [
                "",
                "Text the reader gave the parser, near it:",
                "",
                "```",
                *(repr(line)[1:-1] for line in _excerpt(x["text"], want)),
                "```",
                "",
            ]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    with tempfile.TemporaryDirectory() as tmp:
        results = run(Path(tmp))
    generated = markdown(results)
    marker = "<!-- generated below -->"
    # what stands before the marker (a written analysis) is kept; a file without the
    # marker is kept whole, the generated part appended
    head = ""
    if out.exists():
        old = out.read_text(encoding="utf-8")
        head = old.split(marker)[0] if marker in old else old.rstrip("\n") + "\n\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"{head}{marker}\n\n{generated}", encoding="utf-8")
    failed = sum(1 for x in results if x["diffs"] or x["error"])
    print(f"{len(results)} cases, {failed} failing: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
