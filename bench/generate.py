"""Generate a domain-shaped graph of a given size: seeded, reproducible N-Triples.

``python -m bench generate --triples 1000000 -o graph.nt [--seed 1]``

The graph uses the vocabulary and the identifiers the loaders write (ontology/wsis.ttl,
``https://w3id.org/wsis-kg/id/...``), so that the named queries, the REST routes and the
search run on it as they do on the real data:

fixed part (about 7,000 triples, whatever the size)
    the Action Lines C1 to C11 and the eight C7 sub-lines (with their facilitating agencies),
    the 17 goals with 169 targets and 231 indicators, seven study periods (2001-2004 to
    2025-2028) with eleven study groups each, the Recommendation series, the datasets, and
    the WSIS-SDG Matrix: about 200 links from Action Lines to targets, each stated by a row of
    the table ``wsis_sdg_matrix.csv``
growing part, in a fixed rotation until the size is reached
    Recommendations, each with one to four editions (and now and then an amendment), the
    responsible study group (an inferred link, by rule), a table row per publication, and one
    time in three a link to an Action Line stated by a row of ``itut_wsis_links.csv``;
    every 20 Recommendations an ITU-T Question of a study group of a period, which supports
    one or two Action Lines (stated, table row); every 40 Recommendations a resolution version
    (WTSA, PP or WTDC; a resolution has up to four versions) from a contribution: five to
    eight preambular and operative sections of three to eight clauses, each clause with its
    text, and the links its text gives (extracted, with the clause, the document, the
    quotation and its offsets): the Action Lines it names, now and then a target it names
    (an Action Line to SDG link from a resolution), the resolutions and the Recommendations
    it cites

Every link is qualified (``wsis:Link`` with subject, relation, object, evidence, confidence
and its source: a table row, a clause and document, or a rule) next to its plain triple, as
the loaders write them. The size is reached to within one entity (a few hundred triples at
most); the generator counts what it writes. The same seed and size give the same bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from bench.generate_graph import Generator


def generate(triples: int, out: TextIO, seed: int = 1) -> int:
    """Write about ``triples`` N-Triples to ``out``; the number written."""
    if triples <= 0:
        raise ValueError("the number of triples must be positive")
    generator = Generator(out, seed)
    generator.fixed()
    steps = generator.growing()
    while generator.w.count < triples:
        next(steps)
    return generator.w.count


def generate_file(triples: int, path: Path, seed: int = 1) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        return generate(triples, out, seed)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--triples", type=_size, required=True, help="e.g. 10k, 1m, 2500000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True, help="the N-Triples file")


def _size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor > 1 else text
    try:
        value = int(float(number) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 10k, 1m)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"not a positive size: {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    count = generate_file(args.triples, args.output, args.seed)
    print(f"wrote {count:,} triples to {args.output}", file=sys.stderr)
    return 0
