"""The mapping sets as SSSOM/TSV (graph/mappings.py, graph/sssom_tsv.py, api/mappings.py,
``wsiskg export --format sssom``): valid for sssom-py, read back to the same mappings, as
many as the named queries count, and saying what an expert would check (the WSIS-SDG
Matrix's C5 -> 9.c with its table row; the withdrawn link left out; the justification of
each evidence kind)."""

from __future__ import annotations

import asyncio
import csv
import io
from collections import Counter
from typing import Any

import httpx
import pytest

from api.app import create_app
from graph import catalogue, mappings, sssom_tsv
from graph.mappings import COSINE, SEMAPV, Mapping
from graph.store import KnowledgeGraph
from ontology import sparql_prefixes

BASE = "https://w3id.org/wsis-kg/id/"
SDG = "http://metadata.un.org/sdg/"
WSIS = "https://w3id.org/wsis-kg/ontology#"
MATRIX = "https://www.itu.int/net4/wsis/sdg/"
# sssom-py and the libraries under it (pandas, linkml) warn about their own deprecations
THIRD_PARTY_WARNINGS = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning", "ignore::FutureWarning", "ignore::PendingDeprecationWarning"
)
SUPPORTS = {
    WSIS + p
    for p in (
        "supportsActionLine",
        "facilitatesActionLine",
        "participatesInActionLine",
        "leadFacilitatorOf",
        "coFacilitatorOf",
        "moderatorFacilitatorOf",
        "partnerInActionLine",
    )
}


@pytest.fixture(scope="module")
def texts(builtin_kg: KnowledgeGraph) -> dict[str, str]:
    """Every set as SSSOM/TSV, exported once for the module."""
    return {name: sssom_tsv.export(builtin_kg, name) for name in mappings.SETS}


@pytest.fixture(scope="module")
def parsed(texts: dict[str, str]) -> dict[str, list[Mapping]]:
    return {name: sssom_tsv.parse(text)[1] for name, text in texts.items()}


# ------------------------------------------------------------------------ sssom-py


@THIRD_PARTY_WARNINGS
@pytest.mark.parametrize("name", list(mappings.SETS))
def test_sssom_py_reads_and_validates_each_set(
    texts: dict[str, str], builtin_kg: KnowledgeGraph, name: str
) -> None:
    from sssom.constants import SchemaValidationType, SSSOMSchemaView
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(io.StringIO(texts[name]))
    reports = validate(
        msdf,
        [
            SchemaValidationType.JsonSchema,
            SchemaValidationType.PrefixMapCompleteness,
            SchemaValidationType.StrictCurieFormat,
        ],
        fail_on_error=True,
    )
    assert all(not report.results for report in reports.values())
    meta = msdf.metadata
    assert meta["mapping_set_id"] == f"{BASE}mapping-set/{name}"
    assert meta["mapping_set_version"] == builtin_kg.current_release()
    assert meta["license"] == "https://www.apache.org/licenses/LICENSE-2.0"
    assert len(msdf.df) == len(sssom_tsv.parse(texts[name])[1]) > 0
    # SSSOM 1.0: no column or slot of a later version (sssom_version is one of 1.1)
    assert "sssom_version" not in meta
    view = SSSOMSchemaView().view
    for slot in [*msdf.df.columns, *meta]:
        added = view.get_slot(slot).annotations.get("added_in")
        assert added is None or added.value == "1.0", slot


@pytest.mark.parametrize("name", list(mappings.SETS))
def test_the_curie_map_has_every_prefix_used_and_no_other(texts: dict[str, str], name: str) -> None:
    lines = [line for line in texts[name].splitlines() if not line.startswith("#")]
    used = {"wsis"}  # the extension slot's property, wsis:evidence
    for row in csv.DictReader(lines, delimiter="\t"):
        for column in sssom_tsv.ENTITY_COLUMNS:
            for curie in filter(None, (row.get(column) or "").split("|")):
                used.add(curie.split(":", 1)[0])
    assert set(sssom_tsv.parse(texts[name])[0]["curie_map"]) == used


@THIRD_PARTY_WARNINGS
def test_sssom_py_refuses_a_justification_outside_semapv(texts: dict[str, str]) -> None:
    """The validation has teeth: a made-up justification fails it."""
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    bad = texts["clause"].replace("semapv:LexicalMatching", "semapv:GutFeeling")
    with pytest.raises(Exception, match="validation error"):
        validate(
            parse_sssom_table(io.StringIO(bad)),
            [SchemaValidationType.JsonSchema],
            fail_on_error=True,
        )


# ------------------------------------------------------------------------ round trip


@pytest.mark.parametrize("name", list(mappings.SETS))
def test_export_then_parse_gives_the_stores_mappings(
    builtin_kg: KnowledgeGraph, parsed: dict[str, list[Mapping]], name: str
) -> None:
    assert parsed[name] == mappings.mappings(builtin_kg, name)


def test_the_mappings_are_the_stores_links(
    builtin_kg: KnowledgeGraph, parsed: dict[str, list[Mapping]]
) -> None:
    """Read back, the rows are the qualified links of the store (by a query of their own):
    subject, property, object and evidence of each link, every link once; its IRI is the
    first address of see_also."""
    links = {
        (r["l"].value, r["s"].value, r["p"].value, r["o"].value, r["e"].value)
        for r in builtin_kg.select(
            sparql_prefixes()
            + "SELECT ?l ?s ?p ?o ?e WHERE { ?l a wsis:Link ; wsis:subject ?s ; wsis:relation ?p ;"
            " wsis:object ?o ; wsis:evidence/rdfs:label ?e ."
            " FILTER NOT EXISTS { ?l wsis:withdrawnBy ?x } }"
        )
    }
    for name, rows in parsed.items():
        assert len({m.link for m in rows}) == len(rows), name
        for m in rows:
            predicate = WSIS + "contributesToSDG" if name == "action-line-sdg" else m.predicate_id
            key = (m.link, m.subject_id, predicate, m.object_id, m.evidence)
            assert key in links, key
    every = {link[0] for link in links if link[2] == WSIS + "contributesToSDG"}
    assert {m.link for m in parsed["action-line-sdg"]} == every


# ------------------------------------------------------------------------ the named queries


def test_the_matrix_set_has_the_matrix_links(
    builtin_kg: KnowledgeGraph, parsed: dict[str, list[Mapping]]
) -> None:
    """As many rows as the links sdg-action-lines gives (for all 17 goals, less the one an
    erratum withdraws), and per Action Line and goal as many goals and targets as the matrix
    counts (C7 with its sub-lines)."""
    rows = parsed["action-line-sdg"]
    listed = {
        str(r["link"])
        for goal in range(1, 18)
        for r in catalogue.run(builtin_kg, "sdg-action-lines", {"goal": str(goal)}).rows
    }
    withdrawn = {r["l"].value for r in builtin_kg.select(
        sparql_prefixes() + "SELECT ?l WHERE { ?l wsis:withdrawnBy ?erratum }"
    )}  # fmt: skip
    assert len(withdrawn) == 1
    assert {m.link for m in rows} == listed - withdrawn
    counted: dict[tuple[str, str], set[str]] = {}
    for m in rows:
        code = m.subject_id.rsplit("/", 1)[1]
        goal = m.object_id.removeprefix(SDG).split(".")[0]
        for line in {code, code.split(".")[0]}:
            counted.setdefault((line, goal), set()).add(m.object_id)
    matrix = catalogue.run(builtin_kg, "matrix", {"evidence": ["stated"], "source": ["matrix"]})
    expected = {(str(r["action_line"]), str(r["goal"])): r["links"] for r in matrix.rows}
    assert {k: len(v) for k, v in counted.items()} == {k: n for k, n in expected.items() if n}


@pytest.mark.parametrize("line", ["C5", "C7", "C7.e-health"])
def test_the_work_and_clause_sets_have_the_supporting_work(
    builtin_kg: KnowledgeGraph, parsed: dict[str, list[Mapping]], line: str
) -> None:
    """The links of supporting-work for an Action Line (all evidence, all Sectors) are the
    work and clause rows of a supporting property to it (relatedToActionLine is not support).
    A mapping set is every link, whatever its dates: supporting-work as_of=any."""
    answer = catalogue.run(builtin_kg, "supporting-work", {"action_line": line, "as_of": "any"})
    ours = {
        m.link
        for name in ("work-action-line", "clause")
        for m in parsed[name]
        if m.object_id == f"{BASE}action-line/{line}" and m.predicate_id in SUPPORTS
    }
    assert ours == {str(r["link"]) for r in answer.rows}
    assert ours


# ------------------------------------------------------------------------ what an expert checks


def test_c5_contributes_to_target_9c_as_the_matrix_row_says(
    parsed: dict[str, list[Mapping]],
) -> None:
    """wsis_sdg_matrix.csv, data row 64: C5, goal 9, target 9.c, confidence high."""
    found = [
        m
        for m in parsed["action-line-sdg"]
        if m.subject_id == f"{BASE}action-line/C5" and m.object_id == f"{SDG}9.c"
    ]
    assert len(found) == 1
    c5 = found[0]
    assert c5.predicate_id == "http://www.w3.org/2004/02/skos/core#relatedMatch"
    assert c5.mapping_justification == SEMAPV + "ManualMappingCuration"
    assert c5.evidence == "stated"
    assert c5.confidence == 0.9
    assert c5.mapping_provider == MATRIX
    assert f"{BASE}dataset/wsis-sdg-matrix/row/64" in c5.see_also
    assert c5.object_label
    assert "access to information and communications technology" in c5.object_label
    assert c5.comment
    assert c5.comment.startswith("WSIS-SDG Matrix")
    # the erratum's link (C7 e-environment x SDG 16, an empty entry of the source) is out
    assert not [
        m
        for m in parsed["action-line-sdg"]
        if m.subject_id.endswith("/C7.e-environment") and m.object_id == f"{SDG}16"
    ]


def test_each_evidence_kind_has_its_justification(parsed: dict[str, list[Mapping]]) -> None:
    kinds: Counter[tuple[str, str]] = Counter()
    for rows in parsed.values():
        for m in rows:
            justification = m.mapping_justification.removeprefix(SEMAPV)
            kinds[(m.evidence, justification)] += 1
            if m.evidence == "extracted":
                assert justification == "LexicalMatching"
                assert m.match_string
                assert m.see_also[0].startswith(m.subject_id + "#")
                assert m.mapping_tool
            elif m.evidence == "stated":
                assert justification == "ManualMappingCuration"
                assert m.see_also
                assert not m.curation_rule
            elif m.evidence == "suggested":
                # the fusion of a lexical and a semantic method: composite matching
                assert justification == "CompositeMatching"
                # the cosine of the text's and the label's embeddings: it varies, where the
                # fused score of a label every method ranks first does not
                assert m.similarity_score is not None
                assert 0 < m.similarity_score <= 1
                assert m.similarity_measure == COSINE
                assert m.mapping_tool == "wsis-kg suggester"
                assert m.mapping_tool_version
                assert "bm25s" in m.mapping_tool_version
                assert m.curation_rule == (WSIS + "TextSimilaritySuggestion",)
            else:
                assert m.evidence == "inferred"
                by_rule = justification == "LogicalReasoning"
                assert by_rule == bool(m.curation_rule), m
                assert by_rule or justification == "ManualMappingCuration"
            assert m.confidence is None or 0 < m.confidence <= 1
    assert {k for k, _ in kinds} == {"stated", "extracted", "inferred", "suggested"}
    # only the suggested set has suggestions, and nothing else
    assert {m.evidence for m in parsed["suggested"]} == {"suggested"}
    assert all(
        m.evidence != "suggested" for n, rows in parsed.items() if n != "suggested" for m in rows
    )


def test_a_suggestion_says_why_and_how_sure(parsed: dict[str, list[Mapping]]) -> None:
    """A Recommendation on security suggested for C5: the words that led to it, and the
    confidence of a curated low link (the precision measured on the Matrix's sentences is
    not a title's)."""
    c5 = [
        m
        for m in parsed["suggested"]
        if m.object_id.endswith("/action-line/C5") and "/itu-t/rec/X." in m.subject_id
    ]
    assert c5
    assert {m.predicate_id for m in c5} == {WSIS + "suggestedActionLine"}
    # a curated low link's confidence, never the precision measured on the Matrix's sentences
    assert {m.confidence for m in c5} == {0.3}
    assert all(m.match_string for m in c5[:20])
    assert any("security" in (m.match_string or "").split() for m in c5)


def test_a_series_rule_and_a_clause_cite_their_sources(
    parsed: dict[str, list[Mapping]],
) -> None:
    """X.1205 supports C5 by the X.1000-X.1299 rule; the seed's recognising a) names C5."""
    x1205 = [
        m
        for m in parsed["work-action-line"]
        if m.subject_id == f"{BASE}itu-t/rec/X.1205" and m.object_id.endswith("/C5")
    ]
    assert [m.curation_rule for m in x1205] == [(f"{BASE}rule/x-security-1000",)]
    assert x1205[0].evidence == "inferred"
    assert x1205[0].confidence == 0.3
    clause = [
        m
        for m in parsed["clause"]
        if m.object_id.endswith("/C5") and m.subject_id.endswith("/recognising/a")
    ]
    assert len(clause) == 1
    assert clause[0].predicate_id == WSIS + "moderatorFacilitatorOf"
    assert clause[0].match_string
    assert clause[0].match_string.startswith("C5")


# ------------------------------------------------------------------------ the format


def test_the_evidence_filter_is_a_subset_with_its_own_id(builtin_kg: KnowledgeGraph) -> None:
    meta, rows = sssom_tsv.parse(sssom_tsv.export(builtin_kg, "work-action-line", ["stated"]))
    assert meta["mapping_set_id"] == f"{BASE}mapping-set/work-action-line/stated"
    assert rows
    assert {m.evidence for m in rows} == {"stated"}
    assert meta["extension_definitions"] == [{"slot_name": "evidence", "property": "wsis:evidence"}]


def test_an_iri_outside_the_known_namespaces_gets_a_prefix() -> None:
    row = Mapping(
        link=f"{BASE}link/1",
        subject_id="https://example.org/a/thing",
        subject_label="a\tthing",
        predicate_id=WSIS + "mentions",
        predicate_label=None,
        object_id=f"{SDG}9",
        object_label=None,
        mapping_justification=SEMAPV + "UnspecifiedMatching",
        evidence="suggested",
        see_also=("https://example.org/x",),
    )
    text = sssom_tsv.write({"mapping_set_id": "x"}, [row], sssom_tsv.namespaces(_ids()))
    assert '#   ns1: "https://example.org/a/"' in text
    assert sssom_tsv.parse(text)[1] == [row]
    with pytest.raises(sssom_tsv.SssomError, match="no prefix"):
        sssom_tsv.parse(text.replace("ns1:thing", "nope:thing"))


def test_a_future_evidence_kind_is_unspecified_matching() -> None:
    assert mappings.justification("guessed", by_rule=False) == SEMAPV + "UnspecifiedMatching"
    lexical = mappings.justification("suggested", by_rule=True, method="bm25")
    assert lexical == SEMAPV + "LexicalSimilarityThresholdMatching"
    semantic = mappings.justification("suggested", by_rule=True, method="wordllama")
    assert semantic == SEMAPV + "SemanticSimilarityThresholdMatching"


def _ids() -> Any:
    from ontology.ids import Ids

    return Ids()


# ------------------------------------------------------------------------ HTTP


def _get(kg: KnowledgeGraph, url: str) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(kg))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(url)

    return asyncio.run(call())


def test_get_mappings_lists_the_sets_and_serves_each(
    builtin_kg: KnowledgeGraph, texts: dict[str, str], parsed: dict[str, list[Mapping]]
) -> None:
    listed = _get(builtin_kg, "/mappings").json()
    assert listed["release"] == builtin_kg.current_release()
    assert [s["name"] for s in listed["sets"]] == list(mappings.SETS)
    for entry in listed["sets"]:
        rows = parsed[entry["name"]]
        assert entry["mappings"] == len(rows)
        assert entry["evidence"] == dict(sorted(Counter(m.evidence for m in rows).items()))
    sdg = listed["sets"][0]
    answer = _get(builtin_kg, sdg["sssom"])
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/tab-separated-values; charset=utf-8"
    assert answer.text == texts["action-line-sdg"]
    missing = _get(builtin_kg, "/mappings/nothing.sssom.tsv")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "no mapping set 'nothing': the sets are action-line-sdg, work-action-line, "
        "clause, suggested"
    }
    assert _get(builtin_kg, "/mappings/clause.sssom.tsv?evidence=guessed").status_code == 422


def test_the_openapi_document_shows_the_tsv_and_the_404(builtin_kg: KnowledgeGraph) -> None:
    document = _get(builtin_kg, "/openapi.json").json()
    responses = document["paths"]["/mappings/{set}.sssom.tsv"]["get"]["responses"]
    assert responses["200"]["content"] == {
        "text/tab-separated-values": {"schema": {"type": "string"}}
    }
    assert responses["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
