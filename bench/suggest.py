"""Suggestions of SDG targets, goals and Action Lines for a text: how right, how fast.

Issue 16's figures, measured on this machine in one run (``loaders.suggest``):

- precision@1, precision@3 and recall@5 of every method (bm25, wordllama, their fusion) and of
  the baseline (idf word overlap), for targets, goals and Action Lines, over the WSIS-SDG
  Matrix's rationale sentences (read from ``--rationales``, the shared data folder, never
  copied into the project) and over the seed's clauses that name a label (names masked);
  targets: goal precision@3 >= 0.7, Action Line precision@1 >= 0.6 on the rationales;
- the precision and coverage of the fused top suggestion at score thresholds, from which the
  suggestion threshold is chosen;
- the time to suggest every kind for the clauses of a 20-page synthetic resolution (target
  <= 1 s), and the time to build the ranker once.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import machine
from bench.http_systems import say
from bench.report import table, write_section
from bench.servers import ROOT
from bench.suggest_examples import RATIONALES, Example, rationale_examples, seed_examples
from bench.suggest_measure import (
    BM25_WEIGHTS,
    OVERLAP_WEIGHTS,
    Weighing,
    builtin_texts,
    clause_texts,
    cuts,
    quality,
    timing,
    weighing,
)
from loaders.suggest import KINDS
from loaders.suggest import fusion as fused
from loaders.suggest.rank import Suggester

NAMES = {"target": "targets", "goal": "goals", "action_line": "Action Lines"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--smoke", action="store_true", help="a few examples, 2 pages, 1 timing")
    parser.add_argument("--rationales", type=Path, default=RATIONALES)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    if not args.rationales.is_file():
        say(f"error: no rationale file at {args.rationales}")
        return 1
    rationales = rationale_examples(args.rationales)
    seed = seed_examples()
    pages, repeats = (2, 1) if args.smoke else (args.pages, args.repeats)
    if args.smoke:
        rationales = rationales[:12]
    facts = machine.describe(["bm25s", "wordllama", "numpy"])
    begun = time.perf_counter()
    suggester = Suggester()
    build = time.perf_counter() - begun
    texts = clause_texts(pages, seed=1)
    seconds = timing(suggester, texts, repeats)
    builtin = builtin_texts()[: 200 if args.smoke else None]
    builtin_seconds = timing(suggester, builtin, 1)
    facts["load average after the run"] = machine.load_average()
    command = "python -m bench " + " ".join(sys.argv[1:])
    text = render(suggester, rationales, seed, facts, command, started, args.smoke)
    text += _speed(build, seconds, len(texts), pages, repeats)
    text += (
        f"\nFor the built-in data ({len(builtin)} texts: the distinct titles of the ITU-T"
        " Recommendations and the seed's clauses), the same suggestions take"
        f" **{builtin_seconds:.1f} s** (one run); target <= 60 s.\n"
    )
    write_section(args.output, "suggest", text)
    say(f"wrote {args.output}")
    return 0


def _quality_table(suggester: Suggester, examples: list[Example]) -> str:
    rows = []
    for kind in KINDS:
        for method in suggester.methods:
            q = quality(suggester, examples, kind, method)
            if not q.examples:
                continue
            rows.append(
                [NAMES[kind], method, str(q.examples)]
                + [f"{value:.2f}" for value in (q.hit1, q.hit3, q.recall5, q.strict3)]
            )
    header = ["kind", "method", "examples", "p@1", "p@3", "recall@5", "strict p@3"]
    return table(header, rows, "llrrrrr")


def _verdict(suggester: Suggester, rationales: list[Example], weighed: dict[str, Weighing]) -> str:
    goals = quality(suggester, rationales, "goal", fused.NAME).hit3
    lines = quality(suggester, rationales, "action_line", fused.NAME).hit1
    best = max(quality(suggester, rationales, "action_line", m).hit1 for m in suggester.methods)

    def met(value: float, target: float) -> str:
        return "met" if value >= target else "**not met**"

    # the weights were chosen on these sentences: what leave-one-out expects of a new one
    expected = {kind: weighed[kind].left_out for kind in KINDS}
    return (
        f"Against the targets (fusion): goal p@3 {goals:.2f}, {met(goals, 0.7)}; Action Line"
        f" p@1 {lines:.2f} ({round(lines * len(rationales))} of {len(rationales)}),"
        f" {met(lines, 0.6)} (best of any method {best:.2f}). The fusion's weights were chosen"
        f" on these sentences; with weights chosen on the others each time (leave-one-out),"
        f" goal p@3 {expected['goal']:.3f} and Action Line p@1 {expected['action_line']:.3f}."
    )


def render(
    suggester: Suggester,
    rationales: list[Example],
    seed: list[Example],
    facts: dict[str, str],
    command: str,
    started: datetime,
    smoke: bool,
) -> str:
    # each kind's fusion at every pair of weights, once: the verdict and the table read it
    weighed = {kind: weighing(suggester, rationales, kind) for kind in KINDS}
    lines = [
        "## Suggestions: SDG targets, goals and Action Lines for a text (`bench suggest`)",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC: `{command}`."
        + (" A smoke run: a few examples, figures meaningless." if smoke else ""),
        "",
        *[f"- {key}: {value}" for key, value in facts.items()],
        "",
        "p@k: the share of examples with a true label among the method's k best (most examples",
        "have one true label of a kind, so the strict precision@3, true labels among the 3 best",
        "divided by 3, cannot pass 0.33: it is the last column); recall@5: the mean share of",
        "an example's true labels among its 5 best. Methods: `bm25` (lexical), `wordllama`",
        "(static embeddings), `overlap` (the trivial baseline: idf of the shared words),",
        "`fusion` (the weighted reciprocal rank fusion of the three: the one the product uses;",
        "its weights below, the overlap's 0 but for Action Lines).",
        "",
        f"### WSIS-SDG Matrix rationale sentences ({len(rationales)} distinct sentences)",
        "",
        "Targets of issue 16: goal p@3 >= 0.7 and Action Line p@1 >= 0.6.",
        "",
        _quality_table(suggester, rationales),
        _verdict(suggester, rationales, weighed),
        "",
        f"### Seed clauses naming a label, names masked ({len(seed)} clause(s))",
        "",
        "The only resolution text the tests load is the seed; few of its clauses name a label",
        "(the synthetic resolutions of `bench textload` name labels at random, so they cannot",
        "measure anything): these figures are anecdotes, not measures.",
        "",
        _quality_table(suggester, seed),
        _weights(weighed),
        "### The fused top suggestion at score thresholds (rationale sentences)",
        "",
        "threshold: the sum of the kind's weights / (60 + r): the fused score of a label every",
        "method with a weight ranks r-th. coverage: the share of sentences whose top suggestion",
        "reaches the threshold; precision: the share of those that are right.",
        "",
    ]
    rows = []
    for kind in KINDS:
        for cut in cuts(suggester, rationales, kind):
            rows.append(
                [
                    NAMES[kind],
                    str(cut.rank),
                    f"{cut.threshold:.4f}",
                    f"{cut.coverage:.2f}",
                    f"{cut.precision:.2f}",
                ]
            )
    lines.append(table(["kind", "r", "threshold", "coverage", "precision"], rows, "lrrrr"))
    lines += [
        "The threshold the product uses (`loaders/suggest/fusion.py`, `threshold`): r ="
        f" {fused.AGREEMENT_RANK}, a label is suggested only when every method with a weight"
        " (for Action Lines all three) ranks it first. At r = 1 about half the sentences get"
        " a goal or an Action Line, and more than"
        " half of those are right; a looser cut keeps a top suggestion for most sentences,"
        " but fewer of them are right (the table above, this run). Targets stay weak at any"
        " cut: a suggested target is a prompt for the analyst, not a finding.",
        "",
    ]
    return "\n".join(lines) + "\n"


def _weights(weighed_kinds: dict[str, Weighing]) -> str:
    """The fusion at each pair of weights (bm25, overlap), per kind, and the weights the
    product uses."""
    header = [
        "kind",
        "figure",
        "overlap",
        *[f"bm25 = {w:g}" for w in BM25_WEIGHTS],
        "leave-one-out",
        "used",
    ]
    rows = []
    for kind in KINDS:
        weighed = weighed_kinds[kind]
        column = 0 if weighed.criterion == "p@1" else 1
        for overlap in OVERLAP_WEIGHTS:
            rows.append(
                [NAMES[kind], weighed.criterion, f"{overlap:g}"]
                + [f"{weighed.figures[(w, 1.0, overlap)][column]:.2f}" for w in BM25_WEIGHTS]
                + (
                    [
                        f"{weighed.left_out:.2f}",
                        ":".join(f"{w:g}" for w in fused.WEIGHTS[kind]),
                    ]
                    if overlap == OVERLAP_WEIGHTS[0]
                    else ["", ""]
                )
            )
    return "\n".join(
        [
            "### Weights of the fusion (rationale sentences)",
            "",
            "The fused ranking counts bm25 `bm25` times and the idf overlap `overlap` times as",
            "much as wordllama. Each kind's figure of issue 16 (Action Lines: p@1; goals and",
            "targets: p@3) at each pair of weights; `leave-one-out`: the figure when each",
            "sentence is ranked with the pair that does best on the other sentences (what",
            "weights chosen on these sentences can be expected to give on a new one); `used`:",
            "the weights in `loaders/suggest/fusion.py` (WEIGHTS: bm25, wordllama, overlap).",
            "",
            table(header, rows, "lll" + "r" * (len(BM25_WEIGHTS) + 2)),
        ]
    )


def _speed(build: float, seconds: float, clauses: int, pages: int, repeats: int) -> str:
    return (
        "### Speed\n\n"
        f"Suggesting targets, goals and Action Lines (fused, 5 each) for the {clauses} clauses of"
        f" a {pages}-page synthetic resolution (`synthetic_resolution({pages}, 1)`): "
        f"**{seconds:.3f} s** (median of {repeats}); target <= 1 s. Building the ranker once"
        f" (reading the tables, indexing, loading the embeddings): {build:.3f} s.\n"
    )
