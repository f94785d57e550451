"""The curated tables as RDF: counts, and every record's invariants walked one by one."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.store import KnowledgeGraph
from loaders.errors import TableError
from loaders.recommendations import check_parse, parse_docid
from loaders.reference import load_sdg_targets, load_wsis_sdg_matrix
from loaders.tables import table_path
from ontology import sparql_prefixes
from ontology.ids import Ids

P = sparql_prefixes()


def count(kg: KnowledgeGraph, where: str, var: str = "x") -> int:
    rows = kg.select(P + f"SELECT (COUNT(DISTINCT ?{var}) AS ?n) WHERE {{ {where} }}")
    return int(rows[0]["n"].value)


def rows_of(name: str) -> list[dict[str, str]]:
    with table_path(name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("?x a wsis:ActionLine", 19),
        ("?x a wsis:ActionSubLine", 8),
        ("?x a sdgo:Goal", 17),
        ("?x a sdgo:Target", 169),
        ("?x a wsis:StudyGroup", 80),  # 21 of 2022-2028, 59 of 2001-2020
        ("?x a wsis:Publication", 16_172),
        (
            "?x a wsis:Link ; wsis:sourceRow/dcterms:isPartOf/wsis:fileName 'wsis_sdg_matrix.csv'",
            204,
        ),
        (  # the reviewed table replaces itut_wsis_links.csv, whose rows give no link
            "?l a wsis:Link ; wsis:sourceRow ?x . ?x dcterms:isPartOf/wsis:fileName "
            "'itut_wsis_links.csv'",
            0,
        ),
        (
            "?l a wsis:Link ; wsis:sourceRow ?x . ?x dcterms:isPartOf/wsis:fileName "
            "'itu_action_line_links.csv'",
            50,  # every row of the reviewed table gives links
        ),
        (
            "?x a wsis:Resolution ; wsis:adoptedBy/skos:notation 'WTSA' ; "
            "prov:wasDerivedFrom/dcterms:isPartOf/wsis:fileName 'wtsa_resolutions.csv'",
            28,
        ),
    ],
)
def test_counts(builtin_kg: KnowledgeGraph, where: str, expected: int) -> None:
    assert count(builtin_kg, where) == expected


def test_at_least_248_indicators(builtin_kg: KnowledgeGraph) -> None:
    assert count(builtin_kg, "?x a sdgo:Indicator") >= 248


def test_every_target_belongs_to_its_goal(builtin_kg: KnowledgeGraph) -> None:
    for row in rows_of("sdg-targets"):
        found = builtin_kg.select(
            P + "SELECT ?t ?goal WHERE { ?t sdgo:isTargetOf ?g . "
            "?g skos:notation ?goal . ?g sdgo:hasTarget ?t }",
            {"t": Ids.sdg_target(row["target"])},
        )
        assert [r["goal"].value for r in found] == [row["goal"]], row["target"]


def test_every_indicator_belongs_to_its_target(builtin_kg: KnowledgeGraph) -> None:
    for row in rows_of("sdg-indicators"):
        found = builtin_kg.select(
            P + "SELECT ?i ?target WHERE { ?i sdgo:isIndicatorOf ?t . ?t skos:notation ?target }",
            {"i": Ids.sdg_indicator(row["indicator"])},
        )
        assert [r["target"].value for r in found] == [row["target"]], row["indicator"]


def test_every_link_has_a_source(builtin_kg: KnowledgeGraph) -> None:
    total = count(builtin_kg, "?x a wsis:Link")
    sourced = count(
        builtin_kg,
        "?x a wsis:Link . "
        "{ ?x wsis:sourceRow ?s } UNION { ?x wsis:rule ?s } UNION "
        "{ ?x wsis:sourceClause ?s }",
    )
    assert total > 1000
    assert sourced == total


def test_every_matrix_row_is_a_link_with_its_source(builtin_kg: KnowledgeGraph) -> None:
    ids = Ids()
    for number, row in enumerate(rows_of("wsis-sdg-matrix"), start=1):
        obj = (
            ids.sdg_target(row["sdg_target"])
            if row["sdg_target"]
            else ids.sdg_goal(row["sdg_goal"])
        )
        found = builtin_kg.select(
            P + "SELECT ?link ?al ?obj ?row ?src ?copy WHERE { ?link wsis:subject ?al ; "
            "wsis:object ?obj ; wsis:sourceRow ?row ; dcterms:source ?src ; "
            "wsis:mirror ?copy ; wsis:evidence wsis:Stated }",
            {
                "al": ids.action_line(row["action_line"]),
                "obj": obj,
                "row": ids.row("wsis-sdg-matrix", number),
            },
        )
        assert len(found) == 1, (number, row)
        # the official matrix, and the transcription the row was read from as a copy
        assert found[0]["src"].value == "https://www.itu.int/net4/wsis/sdg/"
        assert found[0]["copy"].value.endswith(row["source_path"])


def test_general_knowledge_values_are_marked(builtin_kg: KnowledgeGraph) -> None:
    ids = Ids()
    for row in rows_of("action-lines"):
        unsourced = builtin_kg.select(
            P + "SELECT ?al WHERE { ?al wsis:unsourced wsis:genevaPlanParagraph }",
            {"al": ids.action_line(row["id"])},
        )
        assert bool(unsourced) == row["gpoa_para_source"].startswith("general-knowledge"), row
    for row in rows_of("itut-study-groups"):
        node = ids.study_group(row["study_period"], row["study_group"])
        marked = builtin_kg.select(
            P + "SELECT ?g WHERE { ?g wsis:unsourced dcterms:title }", {"g": node}
        )
        assert bool(marked) == row["title_source"].startswith("general-knowledge"), row


def test_general_knowledge_links_are_low_confidence_without_source(
    builtin_kg: KnowledgeGraph,
) -> None:
    gk = builtin_kg.select(
        P + "SELECT ?l ?c WHERE { ?l wsis:generalKnowledge true ; "
        "wsis:confidence ?c . FILTER NOT EXISTS { ?l dcterms:source ?s } }"
    )
    assert len(gk) >= 19  # the Tunis Agenda annex facilitators, one or more per Action Line
    assert {r["c"].value for r in gk} == {Ids().base.replace("id/", "ontology#") + "LowConfidence"}
    official = count(
        builtin_kg,
        "?x a wsis:Link ; wsis:generalKnowledge true ; "
        "wsis:evidence wsis:Stated ; dcterms:source ?s",
    )
    assert official == 0


def test_sub_lines_are_narrower_than_c7(builtin_kg: KnowledgeGraph) -> None:
    rows = builtin_kg.select(
        P + "SELECT DISTINCT ?code WHERE { ?s a wsis:ActionSubLine ; "
        "skos:notation ?code ; skos:broader/skos:notation 'C7' . "
        "?c7 skos:notation 'C7' ; skos:narrower ?s }"
    )
    assert sorted(r["code"].value for r in rows) == sorted(
        r["id"] for r in rows_of("action-lines") if r["parent"] == "C7"
    )


def test_study_group_succession(builtin_kg: KnowledgeGraph) -> None:
    ids = Ids()
    sg17_new, sg17_old = ids.study_group("2025-2028", "SG17"), ids.study_group("2022-2024", "SG17")
    assert sg17_new != sg17_old
    rows = builtin_kg.select(
        P + "SELECT ?new ?old WHERE { ?new wsis:succeeds ?old . ?old wsis:succeededBy ?new }",
        {"new": sg17_new},
    )
    assert [r["old"] for r in rows] == [sg17_old]
    rows = builtin_kg.select(
        P + "SELECT DISTINCT ?sg21 ?n WHERE { ?sg21 wsis:succeeds ?o . ?o skos:notation ?n }",
        {"sg21": ids.study_group("2025-2028", "SG21")},
    )
    assert sorted(r["n"].value for r in rows) == ["SG16", "SG9"]


def test_itu_facilitates_c2_c5_c6_as_stated(builtin_kg: KnowledgeGraph) -> None:
    """ITU (the Union) leads the facilitation of C2, C5 and C6 (sole facilitator); it
    co-facilitates two C7 sub-lines; ITU-T, its Sector, facilitates none."""

    def codes(who: str, role: str) -> list[str]:
        rows = builtin_kg.select(
            P + f"SELECT DISTINCT ?code WHERE {{ ?o skos:notation '{who}' ; a wsis:Organ ; "
            f"wsis:{role}/skos:notation ?code }}"
        )
        return sorted(r["code"].value for r in rows)

    assert codes("ITU", "leadFacilitatorOf") == ["C2", "C5", "C6"]
    assert codes("ITU", "coFacilitatorOf") == ["C7.e-environment", "C7.e-health"]
    assert codes("ITU-T", "facilitatesActionLine") == []


def test_every_docid_reads_and_is_one_publication(builtin_kg: KnowledgeGraph) -> None:
    check_parse(table_path("itut-recommendations"))
    docids = [r["docid"] for r in rows_of("itut-recommendations")]
    assert len(set(docids)) == len(docids) == 16_172
    assert count(builtin_kg, "?x wsis:docId ?d", "d") == 16_172


@pytest.mark.parametrize(
    ("docid", "work", "kind"),
    [
        ("ITU-T X.1205 (04/2008)", "X.1205", "edition"),
        ("ITU-T G.7041/Y.1303 (04/2011)", "G.7041", "edition"),
        ("ITU-T J.52 (1996) Amd. 1 (09/1999)", "J.52", "amendment"),
        ("ITU-T X.882 (1994) Technical Cor. 1 (07/1995)", "X.882", "corrigendum"),
        ("ITU-T G.671 (2005) Amd. 1 Err. 1 (11/2006)", "G.671", "erratum"),
        ("ITU-T V.250 Suppl. 1 (06/2001)", "V.250 Suppl. 1", "supplement"),
        ("ITU-T Z.100 Annex F1 (01/2015)", "Z.100 Annex F1", "annex"),
        ("ITU-T F.742 (V2) (03/2025)", "F.742", "edition"),
    ],
)
def test_docids(docid: str, work: str, kind: str) -> None:
    parsed = parse_docid(docid)
    assert (parsed.work, parsed.kind) == (work, kind)


def test_recommendation_editions_and_changes_hang_off_the_work(
    builtin_kg: KnowledgeGraph,
) -> None:
    ids = Ids()
    rows = builtin_kg.select(
        P + "SELECT ?rec ?d WHERE { ?p dcterms:isVersionOf ?rec ; wsis:docId ?d }",
        {"rec": ids.recommendation("X.1205")},
    )
    assert {r["d"].value for r in rows} >= {"ITU-T X.1205 (04/2008)"}
    amended = builtin_kg.select(
        P + "SELECT ?rec ?d WHERE { ?p wsis:amends ?rec ; wsis:docId ?d }",
        {"rec": ids.recommendation("J.52")},
    )
    assert "ITU-T J.52 (1996) Amd. 1 (09/1999)" in {r["d"].value for r in amended}


def test_series_rule_links_are_inferred_and_name_their_rule(builtin_kg: KnowledgeGraph) -> None:
    ids = Ids()
    rows = builtin_kg.select(
        P + "SELECT ?rec ?rel ?obj ?rule ?e WHERE { ?l wsis:subject ?rec ; wsis:relation ?rel ; "
        "wsis:object ?obj ; wsis:rule ?r ; wsis:evidence ?e . ?r rdfs:label ?rule }",
        {"rec": ids.recommendation("X.1205")},
    )
    got = {(r["obj"], r["e"].value.rsplit("#")[1]) for r in rows}
    assert got == {
        (ids.study_group("2025-2028", "SG17"), "Inferred"),
        (ids.action_line("C5"), "Inferred"),
    }
    assert all("x-security-1000" in r["rule"].value for r in rows)
    # a Recommendation outside every rule's range gets no guessed study group
    assert not builtin_kg.select(
        P + "SELECT ?rec ?g WHERE { ?rec wsis:responsibleStudyGroup ?g }",
        {"rec": ids.recommendation("A.1")},
    )


def test_a_broken_table_names_the_file_row_and_column(tmp_path: Path) -> None:
    text = table_path("sdg-targets").read_text(encoding="utf-8").splitlines()
    assert text[10].startswith("2.3,2,")
    text[10] = text[10].replace("2.3,2,", "2.3,4,", 1)  # target 2.3 under goal 4
    broken = tmp_path / "sdg_targets.csv"
    broken.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(TableError) as caught:
        load_sdg_targets(Ids(), broken)
    assert str(caught.value) == (
        "sdg_targets.csv, row 10 (line 11), column 'goal': target 2.3 does not belong to goal 4"
    )


def test_a_table_missing_a_column_says_which(tmp_path: Path) -> None:
    broken = tmp_path / "wsis_sdg_matrix.csv"
    broken.write_text("action_line,sdg_goal\nC1,1\n", encoding="utf-8")
    with pytest.raises(
        TableError,
        match=r"wsis_sdg_matrix.csv, header: missing column\(s\) "
        r"sdg_target",
    ):
        load_wsis_sdg_matrix(Ids(), broken)
