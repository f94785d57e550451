"""The WSIS outcome documents by paragraph: the curated table, references to paragraphs in
resolution texts, and an outcome document loaded from its text."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.store import KnowledgeGraph
from loaders.documents import load_document
from loaders.errors import DocumentError
from loaders.outcome import OutcomeDocument, detect_outcome, parse_outcome
from loaders.references import find_references
from loaders.tables import table_path
from loaders.wsis_paragraphs import action_line_of, load_wsis_paragraphs
from ontology import RDF, WSIS, sparql_prefixes
from ontology.ids import Ids

P = sparql_prefixes()
PLAN = "WSIS-03/GENEVA/DOC/5-E"
PLAN_P, DECL_P = "geneva_plan_paragraph", "geneva_declaration_paragraph"


def rows() -> list[dict[str, str]]:
    with table_path("wsis-paragraphs").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def objects(triples: list[ox.Triple], s: object, p: ox.NamedNode) -> set[object]:
    return {t.object for t in triples if t.subject == s and t.predicate == p}


# ---- the curated table


def test_every_action_line_and_sub_line_has_its_plan_paragraph() -> None:
    with table_path("action-lines").open(encoding="utf-8") as f:
        codes = {r["id"] for r in csv.DictReader(f)}
    table = rows()
    sets_out = {r["action_line"]: int(r["paragraph"]) for r in table if r["relation"] == "sets_out"}
    assert set(sets_out) == codes  # C1-C11 and the eight C7 sub-lines
    assert sets_out["C5"] == 12
    assert sets_out["C7"] == 14
    assert sets_out["C7.e-government"] == 15
    assert sets_out["C11"] == 26
    assert sorted(sets_out.values()) == list(range(8, 27))
    assert all(r["document"] == "geneva-plan" for r in table if r["relation"] == "sets_out")


def test_every_row_names_its_source_and_general_knowledge_is_never_stated() -> None:
    for r in rows():
        assert r["document_symbol"]
        assert r["date_read"]
        assert r["source_kind"]
        if r["source_kind"] == "general-knowledge":
            assert r["evidence"] == "inferred"
            assert r["confidence"] == "low"
        else:
            assert r["official_url"] or r["mirror_url"]
        if r["source_kind"] == "official":
            assert "itu.int" in r["official_url"] or "un.org" in r["official_url"]
    c5 = next(r for r in rows() if r["action_line"] == "C5")
    assert (c5["source_kind"], c5["evidence"], c5["document_symbol"]) == (
        "official",
        "stated",
        PLAN,
    )


def test_the_table_loads_paragraph_nodes_and_sourced_links() -> None:
    ids = Ids()
    result = load_wsis_paragraphs(ids)
    triples = result.triples
    p12 = ids.outcome_paragraph("geneva-plan", 12)
    assert WSIS.OutcomeParagraph in objects(triples, p12, RDF.type)
    assert objects(triples, p12, WSIS.setsOutActionLine) == {ids.action_line("C5")}
    assert objects(triples, p12, WSIS.paragraphOf) == {ids.outcome_document("geneva-plan")}
    link = next(t.subject for t in triples if t.predicate == WSIS.subject and t.object == p12)
    assert objects(triples, link, WSIS.evidence) == {WSIS.Stated}
    assert objects(triples, link, WSIS.dateRead)
    assert ox.NamedNode("http://www.itu.int/osg/csd/cybersecurity/WSIS/background2nd.html") in (
        objects(triples, link, ox.NamedNode("http://purl.org/dc/terms/source"))
    )
    # a paragraph only general knowledge places is marked so, never stated
    p8 = ids.outcome_paragraph("geneva-plan", 8)
    gk = next(t.subject for t in triples if t.predicate == WSIS.subject and t.object == p8)
    assert objects(triples, gk, WSIS.evidence) == {WSIS.Inferred}
    assert objects(triples, gk, WSIS.generalKnowledge) == {
        ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    }
    assert WSIS.setsOutActionLine in objects(triples, p8, WSIS.unsourced)


@pytest.mark.slow
def test_the_default_graph_has_the_paragraph_nodes(builtin_kg: KnowledgeGraph) -> None:
    rows_ = builtin_kg.select(
        P + "SELECT ?code WHERE { ?p wsis:paragraphOf ?d ; wsis:paragraphNumber 12 ; "
        "wsis:setsOutActionLine/skos:notation ?code . ?d dcterms:identifier "
        f"'{PLAN}' }}"
    )
    assert [r["code"].value for r in rows_] == ["C5"]


# ---- references in resolution texts


@pytest.mark.parametrize(
    ("text", "kind", "paragraphs", "subs", "code"),
    [
        ("as set out in § 12 of the Geneva Plan of Action", PLAN_P, ("12",), (), "C5"),
        ("§§ 26 and 27 of the Geneva Action Plan", PLAN_P, ("26", "27"), (), None),
        ("in line with § 35 of the Tunis Agenda,", "tunis_agenda_paragraph", ("35",), (), None),
        ("paragraphs 8 to 10 of the Plan of Action", PLAN_P, ("8", "9", "10"), (), None),
        ("para. 12 of the WSIS Geneva Plan of Action", PLAN_P, ("12",), (), "C5"),
        ("the Geneva Plan of Action, paragraph 12 a), on", PLAN_P, ("12",), ("a",), "C5"),
        ("§ 12 a) of the Geneva Plan of Action", PLAN_P, ("12",), ("a",), "C5"),
        ("paragraph 15 of the Geneva Plan of Action", PLAN_P, ("15",), (), "C7.e-government"),
        ("§ 20 of the Plan of Action", PLAN_P, ("20",), (), "C7.e-environment"),
        ("§ 4 of the Tunis Commitment", "tunis_commitment_paragraph", ("4",), (), None),
        ("§ 11 of the Geneva Declaration of Principles", DECL_P, ("11",), (), None),
    ],
)  # fmt: skip
def test_paragraph_references(
    text: str, kind: str, paragraphs: tuple[str, ...], subs: tuple[str, ...], code: str | None
) -> None:
    (ref,) = [r for r in find_references(text).references if r.type == kind]
    assert (ref.paragraphs, ref.subparagraphs, ref.code) == (paragraphs, subs, code)


def test_a_document_name_then_a_number_in_other_words_is_no_paragraph_reference() -> None:
    refs = find_references("the Geneva Plan of Action and 12 Member States").references
    assert not [r for r in refs if r.type.endswith("_paragraph")]


def test_the_table_gives_the_plan_paragraph_action_lines() -> None:
    assert action_line_of("geneva-plan", 12) == "C5"
    assert action_line_of("geneva-plan", 22) == "C7.e-science"
    assert action_line_of("geneva-plan", 3) is None


RESOLUTION = """RESOLUTION 99 (Geneva, 2022)

Test resolution citing the Plan of Action

(Geneva, 2022)

The World Telecommunication Standardization Assembly (Geneva, 2022),

recalling

a)	§ 12 of the Geneva Plan of Action, on building confidence and security in the use of ICTs;
b)	§ 99 of the Plan of Action;

resolves

1	to continue its work on security.
"""


def test_a_resolution_citing_a_plan_paragraph_links_the_paragraph_and_c5(tmp_path: Path) -> None:
    path = tmp_path / "res99.txt"
    path.write_text(RESOLUTION, encoding="utf-8")
    ids = Ids()
    result, _ = load_document(path, ids)
    triples = result.triples
    p12 = ids.outcome_paragraph("geneva-plan", 12)
    c5 = ids.action_line("C5")
    clauses = {t.subject for t in triples if t.predicate == WSIS.citesParagraph and t.object == p12}
    assert len(clauses) == 1
    (clause,) = clauses
    assert c5 in objects(triples, clause, WSIS.supportsActionLine)
    links = {
        t.subject: objects(triples, t.subject, WSIS.object)
        for t in triples
        if t.predicate == WSIS.subject and t.object == clause
    }
    # the clause's words may also lead the ranker to suggest C5: a link of its own, with
    # evidence wsis:Suggested, never the extracted one
    suggested = {
        link for link in links if objects(triples, link, WSIS.evidence) == {WSIS.Suggested}
    }
    to_c5 = [link for link, obj in links.items() if obj == {c5} and link not in suggested]
    to_p12 = [link for link, obj in links.items() if obj == {p12} and link not in suggested]
    assert len(to_c5) == 1
    assert len(to_p12) == 1
    for link in (to_c5[0], to_p12[0]):
        assert objects(triples, link, WSIS.evidence) == {WSIS.Extracted}
        assert objects(triples, link, WSIS.quotation) == {
            ox.Literal("§ 12 of the Geneva Plan of Action")
        }
        assert objects(triples, link, WSIS.confidence) == {WSIS.HighConfidence}
    # the paragraph node does not dangle: typed, labelled, in its document
    assert WSIS.OutcomeParagraph in objects(triples, p12, RDF.type)
    # § 99: the Plan of Action has no such paragraph: a warning, no link
    p99 = ox.NamedNode(p12.value.rsplit("/", 1)[0] + "/99")
    assert not [t for t in triples if p99 in (t.object, t.subject)]
    assert any("paragraph 99" in w.message for w in result.report.warnings)


# ---- an outcome document given as text (synthetic words, not the documents' own)

SYNTHETIC = """Document WSIS-03/GENEVA/DOC/5-E
12 December 2003
Original: English

Plan of Action

A. Opening part
1. This first paragraph says only that the test text begins here.
2. The second paragraph has two items:
a) a first item about widgets;
b) a second item, whose words go on
over a second line.

C5. Trust in the test
3. A paragraph under the test heading, with one item:
a) an item about locks.

E-test
4. A last paragraph under a short heading.
"""


def test_detect_outcome() -> None:
    assert detect_outcome(SYNTHETIC) == "geneva-plan"
    assert detect_outcome("Document WSIS-05/TUNIS/DOC/6(Rev.1)-E\n\n1. Words.") == "tunis-agenda"
    assert detect_outcome("TUNIS COMMITMENT\n\n1. Words.") == "tunis-commitment"
    assert detect_outcome(RESOLUTION) is None
    assert detect_outcome("recalling the Tunis Agenda for the Information Society, and") is None


def test_parse_outcome_gives_paragraphs_items_and_headings() -> None:
    parsed = parse_outcome(SYNTHETIC, "synthetic.txt")
    assert isinstance(parsed, OutcomeDocument)
    assert [p.number for p in parsed.paragraphs] == [1, 2, 3, 4]
    second = parsed.paragraphs[1]
    assert [i.label for i in second.items] == ["a", "b"]
    assert second.items[1].text == "a second item, whose words go on over a second line."
    assert second.text.startswith("The second paragraph has two items:\na) a first item")
    assert parsed.paragraphs[2].heading == "C5. Trust in the test"
    assert parsed.paragraphs[3].heading == "E-test"
    assert parsed.paragraphs[0].heading == "A. Opening part"
    assert not parsed.warnings
    with pytest.raises(DocumentError):
        parse_outcome("just some words", "x.txt")


def test_an_outcome_document_loads_one_node_per_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "plan-synthetic.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    ids = Ids()
    result, parsed = load_document(path, ids)
    assert isinstance(parsed, OutcomeDocument)
    triples = result.triples
    paragraphs = {t.subject for t in triples if t.object == WSIS.OutcomeParagraph}
    assert paragraphs == {ids.outcome_paragraph("geneva-plan", n) for n in (1, 2, 3, 4)}
    p3 = ids.outcome_paragraph("geneva-plan", 3)
    assert objects(triples, p3, WSIS.text) == {
        ox.Literal("A paragraph under the test heading, with one item:\na) an item about locks.")
    }
    assert objects(triples, p3, WSIS.underHeading) == {ox.Literal("C5. Trust in the test")}
    item = ids.outcome_item(ids.outcome_paragraph("geneva-plan", 2), "b")
    assert objects(triples, item, WSIS.itemOf) == {ids.outcome_paragraph("geneva-plan", 2)}
    assert result.graph == ids.graph("document-plan-synthetic")
    assert result.report.counts["paragraphs"] == 4
    assert result.report.counts["items"] == 3


def test_a_loaded_outcome_document_and_the_table_conform(tmp_path: Path) -> None:
    from graph.validate import validate_shacl

    path = tmp_path / "plan-synthetic.txt"
    path.write_text(SYNTHETIC, encoding="utf-8")
    kg = KnowledgeGraph.in_memory()
    kg.load_ontology()
    ids = kg.ids
    kg.load(load_wsis_paragraphs(ids))
    kg.load(load_document(path, ids)[0])
    report = validate_shacl(kg)
    messages = {v.message for v in report.violations}
    # the Action Lines themselves are in another graph, not loaded here
    assert not {m for m in messages if "Action Lines of the scheme" not in m}, messages
