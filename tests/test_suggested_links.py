"""Suggestions stored when a text loads (loaders/suggest/triples.py, issue 16): each a plain
triple of its own relation and a qualified link with evidence ``suggested``, its score, method,
version and words, never a stated relation."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.textload_texts import synthetic_resolution
from graph.builtin import _document
from loaders.rdf import LoadReport, TripleBuilder
from loaders.suggest.fusion import PRECISION, WEIGHTS
from loaders.suggest.triples import add_suggestions, suggester, texts_of
from loaders.tables import SEEDS, data_path
from ontology import WSIS
from ontology.ids import Ids

SUGGESTED = (WSIS.suggestedActionLine, WSIS.suggestedSDG)


def _values(triples: list[ox.Triple], node: ox.NamedNode) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for t in triples:
        if t.subject == node:
            found.setdefault(t.predicate.value.rsplit("#", 1)[-1], []).append(t.object.value)
    return found


def _links(triples: list[ox.Triple]) -> list[ox.NamedNode]:
    return [
        t.subject
        for t in triples
        if t.predicate == WSIS.evidence
        and t.object == WSIS.Suggested
        and isinstance(t.subject, ox.NamedNode)
    ]


def test_a_clause_gets_the_action_line_an_analyst_expects() -> None:
    ids = Ids()
    out = TripleBuilder(ids)
    clause = ox.NamedNode("https://example.org/clause/1")
    report = LoadReport("test")
    text = "to strengthen cybersecurity and counter spam and malware in developing countries"
    add_suggestions(out, [(clause, text)], report, clauses=True)
    triples = out.triples()
    assert ox.Triple(clause, WSIS.suggestedActionLine, ids.action_line("C5")) in triples
    (link,) = [
        n for n in _links(triples) if _values(triples, n)["object"] == [ids.action_line("C5").value]
    ]
    values = _values(triples, link)
    assert values["relation"] == [WSIS.suggestedActionLine.value]
    assert values["sourceClause"] == [clause.value]
    assert values["rule"] == [WSIS.TextSimilaritySuggestion.value]
    assert values["suggestionMethod"] == ["fusion"]
    assert "bm25s" in values["methodVersion"][0]
    assert "wordllama" in values["methodVersion"][0]
    # every method ranks C5 first: the fused score is the sum of the weights / (60 + 1)
    assert float(values["suggestionScore"][0]) == pytest.approx(
        sum(WEIGHTS["action_line"]) / 61, abs=1e-6
    )
    assert 0.3 < float(values["semanticSimilarity"][0]) <= 1
    # the curated low grade, whatever the precision measured on the Matrix's sentences
    assert values["confidence"] == [WSIS.LowConfidence.value]
    assert float(values["confidenceScore"][0]) == 0.3 < PRECISION["action_line"]
    assert values["suggestionWords"] == ["counter spam"]
    assert report.counts["suggested links (action_line)"] == 1


def test_the_seed_resolution_loads_with_its_suggestions() -> None:
    """Every clause of the seed is ranked; what passes the threshold is stored, and never with
    a stated relation."""
    result = _document(Ids(), data_path(SEEDS["seed-wtsa-res75-rus"]))
    triples = result.triples
    links = _links(triples)
    assert len(links) >= 10
    clauses = {t.subject for t in triples if t.predicate == WSIS.text}
    for link in links:
        values = _values(triples, link)
        assert values["relation"][0] in {r.value for r in SUGGESTED}
        assert ox.NamedNode(values["subject"][0]) in clauses
        assert values["sourceClause"] == values["subject"]
    plain = {(t.subject, t.object) for t in triples if t.predicate in SUGGESTED}
    assert len(plain) == len(links)


@pytest.mark.slow
def test_suggestions_for_a_20_page_resolution_take_under_a_second(tmp_path: Path) -> None:
    """Issue 16's budget: a 20-page resolution's clauses, every kind, ranked and written as
    triples in at most 1 s (the ranker already built, as it is after the first load)."""
    path = tmp_path / "res.txt"
    path.write_text(synthetic_resolution(20, 1), encoding="utf-8")
    result = _document(Ids(), path)
    out = TripleBuilder(Ids())
    for t in result.triples:
        out.add(t.subject, t.predicate, t.object)  # type: ignore[arg-type]
    texts = texts_of(out, WSIS.Clause, WSIS.text)
    assert len(texts) > 100
    suggester()  # built once per process
    start = time.perf_counter()
    add_suggestions(TripleBuilder(Ids()), texts, LoadReport("timing"), clauses=True)
    assert time.perf_counter() - start <= 1.0
