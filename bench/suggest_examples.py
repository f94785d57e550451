"""The labelled examples ``python -m bench suggest`` measures the suggestions on.

- The WSIS-SDG Matrix's rationale sentences, read at run time from the shared data folder
  (``../shared/data/wsis_sdg_matrix_rationales.csv``, third-party prose: never copied into the
  project): each sentence explains one Action Line -> goal or target link. Rows with the same
  sentence are one example with the union of their labels.
- The clauses of the seed resolution text (``loaders/data/seeds``) that name an Action Line, a
  goal or a target: the names are their labels and are blanked from the text the method sees
  (``loaders.suggest.masking``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loaders.resolution_text import Clause, parse_text
from loaders.suggest.masking import mentions
from loaders.tables import SEEDS, data_path

ROOT = Path(__file__).resolve().parent.parent
RATIONALES = ROOT.parent / "shared" / "data" / "wsis_sdg_matrix_rationales.csv"


@dataclass
class Example:
    """A text and its true labels by kind (a kind with no label is not scored)."""

    text: str
    labels: dict[str, set[str]] = field(default_factory=dict)


def rationale_examples(path: Path = RATIONALES) -> list[Example]:
    """One example per distinct rationale sentence, in the file's order."""
    by_text: dict[str, Example] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            example = by_text.setdefault(
                row["rationale"].strip(),
                Example(
                    row["rationale"].strip(), {"target": set(), "goal": set(), "action_line": set()}
                ),
            )
            sub = row["source_sub_id"]
            example.labels["action_line"].add(row["action_line"])
            example.labels["goal"].add(sub.split(".")[0])
            if "." in sub:
                example.labels["target"].add(sub)
    return list(by_text.values())


def _walk(clauses: tuple[Clause, ...]) -> Iterator[Clause]:
    for clause in clauses:
        yield clause
        yield from _walk(clause.children)


def clause_examples(text: str, source: str) -> list[Example]:
    """The clauses of a resolution ``text`` that name a label, their names masked."""
    examples = []
    for section in parse_text(text, source=source).sections:
        for clause in _walk(section.clauses):
            found = mentions(clause.plain_text)
            if any(found.labels.values()) and found.masked:
                labels = {kind: set(codes) for kind, codes in found.labels.items() if codes}
                examples.append(Example(found.masked, labels))
    return examples


def seed_examples() -> list[Example]:
    """The labelled clauses of the seed (the Russian Federation's proposal on Resolution 75)."""
    (relative,) = SEEDS.values()
    path = data_path(relative)
    return clause_examples(path.read_text(encoding="utf-8"), path.name)
