"""The labels a text can be suggested: the 169 SDG targets, the 17 goals and the 19 Action
Lines (C1-C11, C7 and its eight sub-lines), each with the text a ranker compares a text with.

Texts come only from the built-in tables (their sources are in ``loaders/data``): a target is
its text; a goal its short and full titles and the texts of its targets; an Action Line its
titles (``reference/action_lines.csv``), the heading of the Geneva Plan of Action paragraph
that sets it out (``wsis_paragraphs.csv``) and the keywords of ``suggest_keywords.csv``, each
keyword citing the paragraph it was read in.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from loaders.tables import read_table, table_path

KINDS = ("target", "goal", "action_line")
_CITATION = ("source", "locator", "source_url", "date_read")
_KEYWORD_COLUMNS = ("action_line", "keyword", *_CITATION)


@dataclass(frozen=True)
class Label:
    """One thing a text can serve: ``kind`` is one of :data:`KINDS`, ``id`` its code ("9.c",
    "9", "C5", "C7.e-health")."""

    kind: str
    id: str
    text: str


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def keyword_rows() -> list[dict[str, str]]:
    """The curated keywords of the Action Lines; a row citing no source is an error."""
    rows = []
    for row in read_table(table_path("suggest-keywords"), _KEYWORD_COLUMNS):
        for column in ("action_line", "keyword", *_CITATION):
            if not row[column].strip():
                raise row.error("empty: every keyword cites where it was read", column)
        rows.append(row.values)
    return rows


@cache
def catalogue() -> dict[str, tuple[Label, ...]]:
    """kind -> its labels, in the tables' order (the same every call)."""
    targets = _rows(table_path("sdg-targets"))
    by_goal: dict[str, list[str]] = defaultdict(list)
    for row in targets:
        by_goal[row["goal"]].append(row["text"])
    goals = [
        Label(
            "goal",
            row["goal"],
            " ".join([row["short_title"], row["full_title"], *by_goal[row["goal"]]]),
        )
        for row in _rows(table_path("sdg-goals"))
    ]
    headings: dict[str, list[str]] = defaultdict(list)
    for row in _rows(table_path("wsis-paragraphs")):
        if row["action_line"]:
            headings[row["action_line"]].append(row["heading"])
    for row in keyword_rows():
        headings[row["action_line"]].append(row["keyword"])
    lines = [
        Label(
            "action_line",
            row["id"],
            " ".join([row["title"], row["heading_in_wsis_sdg_matrix_app"], *headings[row["id"]]]),
        )
        for row in _rows(table_path("action-lines"))
    ]
    return {
        "target": tuple(Label("target", row["target"], row["text"]) for row in targets),
        "goal": tuple(goals),
        "action_line": tuple(lines),
    }
