"""Text loader: documents and pages per second on resolution texts of growing length.

The input is the plain text of an ITU resolution, as `wsiskg load FILE.txt` reads it. For each
length (in pages of ``PAGE_CHARS`` characters) a few seeded synthetic resolutions are written
(``synthetic_resolution``: a WTSA resolution with a header, preambular sections under
"considering", "recalling", "recognizing", "noting", "taking into account" ..., operative
sections under "resolves", "instructs the Director ...", "invites Member States" ..., lettered
and numbered clauses with nested i), ii) and a), b) lists, whose sentences cite WSIS Action
Lines, SDGs and targets, Recommendations and other resolutions), and the real contribution of
``loaders/data/seeds`` is measured as well. The parser reads every synthetic text without a
warning; a longer text has more clauses and more sections, never an invalid label.

Two measures, each repeated over the documents of one length for about ``--seconds`` (at least
three documents):

  parse   ``graph.files.prepare``: read, decode, parse the text, find its references and
          build the triples of its named graph, in this process; nothing is stored
  load    ``graph.files.load_file(kg, path, force=True)`` into an on-disk store
          (``KnowledgeGraph.open``) made for that length: the same, then the transaction that
          replaces the document's named graph, records its provenance and recomputes the
          entailments; one warm-up load first (it also loads the ontology)

``--smoke``: lengths 1 and 4, about 0.3 s each; no report unless ``--output`` is given.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import machine, textformats
from bench.report import write_section
from bench.servers import ROOT
from bench.textload_measure import (
    DEFAULT_LENGTHS,
    DEFAULT_SECONDS,
    FORMAT_PAGES,
    FORMAT_PAGES_SMOKE,
    TextloadRow,
    measure,
    measure_by_format,
    say,
    seed_file,
)
from bench.textload_report import render
from bench.textload_texts import PAGE_CHARS, synthetic_resolution

SMOKE_LENGTHS = (1, 4)
SMOKE_SECONDS = 0.3


SECTION = "textload"


# --------------------------------------------------------------------------- the command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lengths",
        help="document lengths in pages, comma-separated (default 1,4,16,64; with --smoke 1,4)",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        help=f"seconds per measure and length (default {DEFAULT_SECONDS:g}; with --smoke "
        f"{SMOKE_SECONDS:g})",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the documents (default 1)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="lengths 1 and 4, about 0.3 s each: checks that the benchmark works",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="the report (default docs/benchmarks.md; with --smoke none: the section is "
        "printed); its textload section is rewritten",
    )


def parse_lengths(text: str) -> tuple[int, ...]:
    try:
        lengths = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"--lengths: {text!r} is not a list of whole numbers") from None
    if not lengths or min(lengths) < 1:
        raise ValueError("--lengths: give one or more lengths of at least 1 page")
    return lengths


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    command = (
        "python -m bench " + " ".join(sys.argv[1:]) if sys.argv[1:] else "python -m bench textload"
    )
    try:
        if args.lengths is not None:
            lengths = parse_lengths(args.lengths)
        else:
            lengths = SMOKE_LENGTHS if args.smoke else DEFAULT_LENGTHS
    except ValueError as e:
        say(f"error: {e}")
        return 2
    seconds = (
        args.seconds
        if args.seconds is not None
        else (SMOKE_SECONDS if args.smoke else DEFAULT_SECONDS)
    )
    if seconds <= 0:
        say("error: --seconds must be positive")
        return 2
    facts = machine.describe(["pyoxigraph"])
    rows = measure(lengths, seconds, args.seed)
    format_pages = FORMAT_PAGES_SMOKE if args.smoke else FORMAT_PAGES
    by_format = measure_by_format(format_pages, seconds, args.seed)
    facts["load average after the run"] = machine.load_average()
    text = (
        render(rows, command, started, facts) + "\n" + textformats.render(by_format, format_pages)
    )
    output = (
        args.output
        if args.output is not None
        else (None if args.smoke else ROOT / "docs" / "benchmarks.md")
    )
    if output is None:
        print(text)
    else:
        write_section(output, SECTION, text)
        say(f"wrote {output}")
    for f in by_format:
        say(f"{f.fmt}: parse {f.docs_per_s:.2f} docs/s ({f.pages_per_s:.1f} pages/s)")
    for row in rows:
        say(
            f"{row.label}: parse {row.parse_docs_per_s:.1f} docs/s "
            f"({row.parse_pages_per_s:.1f} pages/s), load {row.load_docs_per_s:.1f} docs/s "
            f"({row.load_pages_per_s:.1f} pages/s)"
        )
    return 0


__all__ = [  # what tests and other benchmarks use, wherever it is written
    "PAGE_CHARS",
    "TextloadRow",
    "add_arguments",
    "measure",
    "render",
    "run",
    "seed_file",
    "synthetic_resolution",
]
