"""A text's explicit mentions of Action Lines and SDGs, and the text with them hidden.

The evaluation takes a clause's own mentions ("Action Line C5 (Building confidence ...)",
"target 9.c", "SDG 9") as its labels and gives the ranker the clause without them, so that a
method is measured on what it infers, not on what it reads. The mentions are the project's
reference finder's (``loaders.references``), the same the loaders link clauses with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.references import find_references

_TYPES = {
    "action_line": "action_line",
    "geneva_plan_paragraph": "action_line",  # "§ 12 of the Geneva Plan of Action": C5
    "sdg_goal": "goal",
    "sdg_target": "target",
}
MASK = " "


@dataclass(frozen=True)
class Mentions:
    """The labels a text names, by kind, and the text with every such mention blanked."""

    labels: dict[str, frozenset[str]]
    masked: str


def mentions(text: str) -> Mentions:
    """What ``text`` names explicitly (a target also names its goal) and ``text`` without it.

    Mentions of the SDGs in general ("the SDGs", "Agenda 2030") name no label but are
    blanked too: they are a clue the method must not be given either.
    """
    labels: dict[str, set[str]] = {kind: set() for kind in ("target", "goal", "action_line")}
    spans = []
    for reference in find_references(text).references:
        if reference.type not in _TYPES and reference.type != "agenda_2030":
            continue
        spans.append((reference.start, reference.end))
        code = getattr(reference, "code", None)
        if reference.type in _TYPES and code:
            labels[_TYPES[reference.type]].add(code)
            if reference.type == "sdg_target":
                labels["goal"].add(code.split(".")[0])
    masked = text
    for start, end in sorted(spans, reverse=True):
        masked = masked[:start] + MASK + masked[end:]
    masked = re.sub(r"\s+", " ", masked).strip()
    return Mentions({kind: frozenset(found) for kind, found in labels.items()}, masked)
