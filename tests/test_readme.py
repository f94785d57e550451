"""The README's example questions give exactly the answers it shows."""

from __future__ import annotations

import re

import pytest

from graph.store import KnowledgeGraph
from ontology import sparql_prefixes
from tests.conftest import ROOT

EXAMPLE = re.compile(r"```sparql\n(?P<query>.*?)```\s*\n(?P<table>(?:\|[^\n]*\|\n)+)", re.S)


def examples() -> list[tuple[str, list[str], list[list[str]]]]:
    found = []
    for m in EXAMPLE.finditer((ROOT / "README.md").read_text(encoding="utf-8")):
        lines = [ln.strip().strip("|").split("|") for ln in m["table"].strip().splitlines()]
        header = [c.strip() for c in lines[0]]
        rows = [[c.strip() for c in ln] for ln in lines[2:]]
        found.append((m["query"], header, rows))
    return found


def test_the_readme_has_examples() -> None:
    assert len(examples()) >= 3


@pytest.mark.parametrize(("query", "header", "rows"), examples())
def test_readme_example(
    builtin_kg: KnowledgeGraph, query: str, header: list[str], rows: list[list[str]]
) -> None:
    result = builtin_kg.select(sparql_prefixes() + query)
    got = [[r[h].value if h in r else "" for h in header] for r in result]
    assert got == rows
