"""bench/generate.py: the graphs the scale benchmark measures are of the size asked, the same
for a seed, and shaped like the real data: the named queries and the search answer on them."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import generate, generate_file
from graph import catalogue
from graph.files import load_file
from graph.service import build_service
from graph.store import KnowledgeGraph

WSIS = "https://w3id.org/wsis-kg/ontology#"


def _text(triples: int, seed: int = 1) -> str:
    out = io.StringIO()
    generate(triples, out, seed)
    return out.getvalue()


@pytest.mark.parametrize("size", [10_000, 30_000])
def test_the_size_asked_to_within_one_entity(size: int) -> None:
    text = _text(size)
    parsed = list(ox.parse(text.encode(), ox.RdfFormat.N_TRIPLES))
    assert size <= len(parsed) <= size + 1_000
    assert len(parsed) == text.count("\n")  # the count it reports is what it wrote


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes() -> None:
    a, b, c = _text(20_000, 7), _text(20_000, 7), _text(20_000, 8)
    assert hashlib.sha256(a.encode()).digest() == hashlib.sha256(b.encode()).digest()
    assert a != c


def test_a_size_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        generate(0, io.StringIO())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    work = tmp_path_factory.mktemp("generated")
    path = work / "graph.nt"
    generate_file(40_000, path, seed=3)
    kg = KnowledgeGraph.open(work / "store")
    load_file(kg, path)
    return kg


def _count(kg: KnowledgeGraph, where: str) -> int:
    result = kg.query(
        f"PREFIX wsis: <{WSIS}> SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", with_prefixes=True
    )
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value)


def test_every_kind_of_thing_the_domain_has(generated: KnowledgeGraph) -> None:
    kg = generated
    assert _count(kg, "?a a wsis:ActionLine") == 19  # C1-C11 and the eight C7 sub-lines
    assert _count(kg, "?g a sdgo:Goal") == 17
    assert _count(kg, "?t a sdgo:Target") == 169
    assert _count(kg, "?s a wsis:StudyGroup") == 77  # 11 in each of 7 periods
    for kind in ("Question", "Recommendation", "Edition", "Resolution", "ResolutionVersion"):
        assert _count(kg, f"?x a wsis:{kind}") > 0, kind
    assert _count(kg, "?c a wsis:Clause ; wsis:text ?t") > 100
    # every link says where it comes from: a table row, a clause (with its document) or a rule
    assert _count(kg, "?l a wsis:Link") > 1000
    unsourced = (
        "?l a wsis:Link FILTER NOT EXISTS { ?l wsis:sourceRow|wsis:sourceClause|wsis:rule ?s }"
    )
    assert _count(kg, unsourced) == 0
    assert _count(kg, "?l wsis:sourceClause ?c ; wsis:sourceDocument ?d ; wsis:quotation ?q") > 0


def test_the_quotations_are_where_the_offsets_say(generated: KnowledgeGraph) -> None:
    result = generated.query(
        "SELECT ?text ?quotation ?start ?end WHERE { ?l wsis:sourceClause ?c ; "
        "wsis:quotation ?quotation ; wsis:startOffset ?start ; wsis:endOffset ?end . "
        "?c wsis:text ?text } LIMIT 200",
        with_prefixes=True,
    )
    assert isinstance(result, ox.QuerySolutions)
    rows = list(result)
    assert rows
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        assert row["text"].value[start:end] == row["quotation"].value


def test_the_named_questions_and_the_search_answer_on_it(generated: KnowledgeGraph) -> None:
    kg = generated
    work = catalogue.run(kg, "supporting-work", {"action_line": "C5"})
    evidence = {row["evidence"] for row in work.rows}
    assert {"stated", "extracted"} <= evidence
    matrix = catalogue.run(kg, "matrix", {})
    linked = [row for row in matrix.rows if int(str(row["links"])) > 0]
    assert {row["source"] for row in linked} >= {"matrix", "resolutions"}
    assert build_service(kg, background=False).search("security", limit=5).total > 0


def test_the_command_writes_the_file(tmp_path: Path) -> None:
    from bench.__main__ import main

    path = tmp_path / "g.nt"
    assert main(["generate", "--triples", "10k", "-o", str(path), "--seed", "2"]) == 0
    assert path.read_text().count("\n") >= 10_000
