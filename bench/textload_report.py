"""The text loader benchmark's report: documents and pages per second by length, the store
after the loads, and what the figures say, in Markdown.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime

from bench.report import table
from bench.textload_measure import DOCUMENTS_PER_LENGTH, TextloadRow
from bench.textload_texts import PAGE_CHARS

TIMES = "\u00d7"  # the multiplication sign
DRIFT_NOTE = 1.25  # a load drift from this on is explained below the tables


# --------------------------------------------------------------------------- the report

HEADER = [
    "documents",
    "characters",
    "pages",
    "clauses",
    "references",
    "triples",
    "warnings",
    "parse docs/s",
    "parse pages/s",
    "parse p50 ms",
    "load docs/s",
    "load pages/s",
    "load p50 ms",
    "timed (parse/load)",
]


def _n(value: float) -> str:
    """A figure with three significant digits or so, and thousands separators."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def row_cells(row: TextloadRow) -> list[str]:
    return [
        row.label,
        str(row.documents),
        f"{row.characters:,.0f}",
        f"{row.pages:.1f}",
        f"{row.clauses:,.0f}",
        f"{row.references:,.0f}",
        f"{row.triples:,.0f}",
        f"{row.warnings:g}",
        _n(row.parse_docs_per_s),
        _n(row.parse_pages_per_s),
        _n(row.parse_p50_ms),
        _n(row.load_docs_per_s),
        _n(row.load_pages_per_s),
        _n(row.load_p50_ms),
        f"{len(row.parse_times)} / {len(row.load_times)}",
    ]


def store_cells(row: TextloadRow) -> list[str]:
    return [
        row.label,
        str(len(row.load_times)),
        f"{row.load_drift:.2f}{TIMES}",
        f"{row.quads:,}",
        _n(row.scan_start_ms),
        _n(row.scan_ms),
        _n(row.scan_optimized_ms),
    ]


def render(
    rows: Sequence[TextloadRow], command: str, started: datetime, facts: dict[str, str]
) -> str:
    parts = [
        "## The text loader: documents and pages per second",
        f"Command: `{command}`  \nDate: {started:%Y-%m-%d %H:%M} UTC",
        "### Machine\n\n" + table(["", ""], [[k, v] for k, v in facts.items()]),
        "### How\n\n"
        f"A page is {PAGE_CHARS:,} characters. For each length, {DOCUMENTS_PER_LENGTH} seeded "
        "synthetic WTSA resolutions of that many pages (`bench/textload.py`, "
        "`synthetic_resolution`: header, title and history, preambular and operative sections, "
        "lettered and numbered clauses with nested lists, sentences citing Action Lines, SDGs "
        "and targets, ITU-T Recommendations, resolutions and paragraphs of the Tunis Agenda; "
        "a longer text has more clauses and sections) are written to a temporary directory; "
        "the last row is the real contribution of `loaders/data/seeds` (a flattened "
        "tracked-changes text, which the parser reads with warnings). Each measure cycles "
        "through the documents of its row for the time given (at least 3 documents), in "
        "this process:\n\n"
        "- parse: `graph.files.prepare(path, ids)`: read, decode and parse the text, find "
        "its references and build the triples of its named graph (nothing stored);\n"
        "- load: `graph.files.load_file(kg, path, force=True)` into a new on-disk store "
        "(`KnowledgeGraph.open`) per row: the same, then one transaction that replaces the "
        "document's named graph, records its provenance and recomputes the entailments, "
        "after one warm-up load (which also loads the ontology); as the documents of a row "
        "come round again, most timed loads replace the graph an earlier one wrote (as "
        "`wsiskg load --force` of a changed file does). These stores hold the ontology and "
        "the row's documents only: a load into a store that also holds the built-in data "
        "recomputes the entailments of all of it, whatever the size of the document, which "
        "this benchmark does not measure.\n\n"
        "Characters, clauses (nested ones included), references, triples and warnings are "
        "per document (means over the row's documents); docs/s is documents timed divided "
        "by the time they took, pages/s is docs/s times pages; p50 is the median time of "
        "one document.",
        table(["", *HEADER], [row_cells(r) for r in rows], "l" + "r" * len(HEADER)),
        "### The store after a row's loads\n\n"
        "Drift: the median time of the last third of a row's loads over that of its "
        f"first third (1{TIMES}: no change as loads repeat). Scan: "
        "`KnowledgeGraph.named_graphs()`, the count of every named graph's quads that each "
        "load runs after its transaction, timed before the row's loads (after the warm-up), "
        "after them, and again after `Store.optimize()` (a compaction).\n\n"
        + table(
            ["", "loads", "drift", "quads", "scan ms before", "after", "after optimize()"],
            [store_cells(r) for r in rows],
            "lrrrrrr",
        ),
    ]
    parts.extend(observations(rows))
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


def observations(rows: Sequence[TextloadRow]) -> list[str]:
    """How the cost per page changes from one length to the next, and the store's part of a
    load, from the synthetic rows."""
    synthetic = [r for r in rows if r.label.startswith("synthetic")]
    if not synthetic:
        return []
    lines = []
    for before, after in itertools.pairwise(synthetic):
        growth = after.pages / before.pages
        parse = (after.parse_p50_ms / before.parse_p50_ms) / growth
        load = (after.load_p50_ms / before.load_p50_ms) / growth
        lines.append(
            f"- {before.pages:.1f} to {after.pages:.1f} pages ({growth:.1f}{TIMES} the text): "
            f"time per page {parse:.2f}{TIMES} to parse, {load:.2f}{TIMES} to load\n"
        )
    store = ", ".join(
        f"{max(0.0, 1 - r.parse_p50_ms / r.load_p50_ms):.0%} at {r.pages:.0f} page(s)"
        for r in synthetic
    )
    out = [
        "### Scaling\n\n"
        f"Time per page (p50) against the previous length (1{TIMES} is linear; above "
        f"1{TIMES} each page costs more in a longer text):\n\n"
        + "".join(lines)
        + f"\nThe store's part of a load (load p50 less parse p50, of load p50): {store}."
    ]
    drifting = max(rows, key=lambda r: r.load_drift)
    if drifting.load_drift >= DRIFT_NOTE:
        out.append(
            "### Repeated loads\n\n"
            f"Loads slow down as they repeat in one on-disk store: in the row "
            f"'{drifting.label}' ({len(drifting.load_times)} loads) the last third took "
            f"{drifting.load_drift:.2f}{TIMES} the time of the first. Each load drops and "
            "rewrites the document's graph and the entailments graph, and adds provenance "
            "that stays; after its transaction it counts every quad (`named_graphs()`): that "
            f"scan took {_n(drifting.scan_start_ms)} ms before the row's loads, "
            f"{_n(drifting.scan_ms)} ms after them and {_n(drifting.scan_optimized_ms)} ms "
            "after `Store.optimize()`. Rows of short documents make more loads in their time."
        )
    return out
