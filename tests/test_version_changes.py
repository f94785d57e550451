"""Version to version (issue 17): ``GET /resolutions/{body}/{number}/changes`` aligns the
clauses of two versions of a resolution, two loaded texts or a proposal and its base, in the
model of a proposal's changes (``GET /documents/{id}/changes``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph import version_diff
from graph.files import load_file
from graph.store import KnowledgeGraph
from tests.loaders.test_docx_revisions import document, seed_paragraphs, write_docx
from tests.test_catalogue import SEED, Client

CHANGES = "/resolutions/WTSA/{number}/changes"
DRAFT = f"2024-new-delhi/proposed-by/{SEED}"

# a made-up resolution in two revisions, in the layout of a resolution text (.txt): from
# 2016 to 2022, considering b) is deleted, c) becomes b), a new c) is added, recognizing a)
# moves to a new section noting, resolves 1 gains two words, the rest stays
HAMMAMET = """RESOLUTION 998 (Hammamet, 2016)
Quokka telemetry for standardization
(Hammamet, 2016)
The World Telecommunication Standardization Assembly (Hammamet, 2016),
considering
a)\tthat quokka sensors need interoperable standards;
b)\tthat telemetry data crosses borders every day;
c)\tthat developing countries need affordable sensors;
recognizing
a)\tthe role of ITU-T in building confidence and security in the use of ICTs;
resolves
1\tto study telemetry protocols in support of Action Line C5;
2\tto report to the next assembly.
"""
GENEVA = """RESOLUTION 998 (Rev. Geneva, 2022)
Quokka telemetry for standardization
(Hammamet, 2016; Geneva, 2022)
The World Telecommunication Standardization Assembly (Geneva, 2022),
considering
a)\tthat quokka sensors need interoperable standards;
b)\tthat developing countries need affordable sensors;
c)\tthat wombat sensors are a new field of study;
noting
a)\tthe role of ITU-T in building confidence and security in the use of ICTs;
resolves
1\tto study telemetry and tracking protocols in support of Action Line C5;
2\tto report to the next assembly.
"""


@pytest.fixture(scope="module")
def two_texts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """A store on disk holding the two revisions, loaded as files are; the application."""
    folder = tmp_path_factory.mktemp("res998")
    kg = KnowledgeGraph.open(folder / "store")
    for name, text in (("res998-2016.txt", HAMMAMET), ("res998-2022.txt", GENEVA)):
        (folder / name).write_text(text, encoding="utf-8")
        load_file(kg, folder / name)
    yield Client(kg)
    kg.close()


@pytest.fixture(scope="module")
def client(builtin_kg: KnowledgeGraph) -> Client:
    return Client(builtin_kg)


def _changes(client: Client, number: str, old: str, new: str, **params: str) -> Any:
    response = client.get(CHANGES.format(number=number), params={"from": old, "to": new, **params})
    assert response.status_code == 200, response.text
    return response.json() if "format" not in params else response.text


def _by_label(answer: Any) -> dict[str, dict[str, Any]]:
    return {c["label"]: c for c in answer["clauses"]}


# ------------------------------------------------------------------ two loaded texts


def test_two_texts_clause_by_clause(two_texts: Client) -> None:
    answer = _changes(two_texts, "998", "2016-hammamet", "2022-geneva")
    assert answer["counts"] == {
        "added": 1, "deleted": 1, "modified": 1, "moved": 1, "relabelled": 1, "unchanged": 2
    }  # fmt: skip
    for side, path in (("from_version", "2016-hammamet"), ("to_version", "2022-geneva")):
        read = answer[side]
        assert (read["path"], read["source"], read["status"]) == (path, "text", "adopted")
        assert read["file"] == f"res998-{path[:4]}.txt"
        assert read["graph"].endswith(f"/graph/document-res998-{path[:4]}")
        assert (read["draft"], read["flattened"]) == (None, False)
    rows = [(c["status"], c["label"], c["previous_label"]) for c in answer["clauses"]]
    # in the order of the new text, the deleted clause where it stood
    assert rows == [
        ("unchanged", "considering a)", None),
        ("deleted", "considering b)", "b)"),
        ("relabelled", "considering b)", "c)"),
        ("added", "considering c)", None),
        ("moved", "noting a)", None),
        ("modified", "resolves 1", None),
        ("unchanged", "resolves 2", None),
    ]
    by = _by_label(answer)
    moved = by["noting a)"]
    assert (moved["section"], moved["previous_section"], moved["similarity"]) == (
        "noting", "recognizing", 1.0
    )  # fmt: skip
    relabelled = next(c for c in answer["clauses"] if c["status"] == "relabelled")
    assert relabelled["text_before"] == relabelled["text_after"]
    assert relabelled["iri"].endswith("/998/2022-geneva/considering/b")
    assert relabelled["previous_iri"].endswith("/998/2016-hammamet/considering/c")
    modified = by["resolves 1"]
    assert [w for w in modified["words"] if w["op"] != "equal"] == [
        {"op": "insert", "before": None, "after": "and tracking"}
    ]
    assert modified["words"][0] == {
        "op": "equal", "before": "to study telemetry", "after": "to study telemetry"
    }  # fmt: skip
    assert 0.5 < modified["similarity"] < 1
    added = by["considering c)"]
    assert (added["text_before"], added["previous_iri"], added["words"]) == (None, None, None)
    deleted = next(c for c in answer["clauses"] if c["status"] == "deleted")
    assert deleted["text_before"] == "that telemetry data crosses borders every day;"
    assert deleted["text_after"] is None


def test_the_other_way_round_swaps_added_and_deleted(two_texts: Client) -> None:
    back = _changes(two_texts, "998", "2022-geneva", "2016-hammamet")
    assert back["counts"] == {
        "added": 1, "deleted": 1, "modified": 1, "moved": 1, "relabelled": 1, "unchanged": 2
    }  # fmt: skip
    rows = [(c["status"], c["label"], c["previous_label"]) for c in back["clauses"]]
    assert rows == [
        ("unchanged", "considering a)", None),
        ("added", "considering b)", None),
        ("relabelled", "considering c)", "b)"),
        ("deleted", "considering c)", "c)"),
        ("moved", "recognizing a)", None),
        ("modified", "resolves 1", None),
        ("unchanged", "resolves 2", None),
    ]
    assert [w for w in _by_label(back)["resolves 1"]["words"] if w["op"] != "equal"] == [
        {"op": "delete", "before": "and tracking", "after": None}
    ]


def test_csv_one_line_per_clause_with_a_word_diff(two_texts: Client) -> None:
    text = _changes(two_texts, "998", "2016-hammamet", "2022-geneva", format="csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["status"] for r in rows] == [
        "unchanged", "deleted", "relabelled", "added", "moved", "modified", "unchanged"
    ]  # fmt: skip
    modified = rows[5]
    assert modified["words"] == (
        "to study telemetry {+and tracking+} protocols in support of Action Line C5;"
    )
    assert rows[1]["words"] == ""  # deleted: nothing to compare


def test_errors_name_what_is_known(two_texts: Client) -> None:
    url = CHANGES.format(number="998")
    same = two_texts.get(url, params={"from": "2022-geneva", "to": "2022-geneva"})
    assert same.status_code == 422
    assert "same version" in same.json()["error"]
    unknown = two_texts.get(url, params={"from": "2019-nowhere", "to": "2022-geneva"})
    assert unknown.status_code == 404
    assert unknown.json()["error"] == (
        "no version 2019-nowhere (from) of WTSA 998; its versions: 2016-hammamet, 2022-geneva"
    )
    no_such = two_texts.get(CHANGES.format(number="997"), params={"from": "a", "to": "b"})
    assert no_such.status_code == 404
    missing = two_texts.get(url, params={"from": "2016-hammamet"})
    assert missing.status_code == 422
    assert "error" in missing.json()


# ------------------------------------------------------------------ a proposal and its base


def test_the_seed_against_its_base(client: Client) -> None:
    answer = _changes(client, "75", "2022-geneva", DRAFT)
    old, new = answer["from_version"], answer["to_version"]
    # the base's own text is not loaded: read from the proposal, the text before each change
    assert (old["source"], old["document"], old["file"]) == ("proposal", SEED, f"{SEED}.txt")
    assert old["graph"].endswith(f"/graph/document-{SEED}")
    assert (new["source"], new["document"], new["status"]) == ("text", SEED, "proposed")
    assert old["draft"] == new["draft"] == new["iri"]
    assert old["flattened"] is new["flattened"] is True  # a .txt: no tracked changes
    # README: 3 added, 4 deleted, 10 likely deleted, 11 modified (all relabelled: flattened
    # text tells their labels apart, not their words), 3 moved, 30 undetermined
    assert answer["counts"] == {
        "added": 3, "deleted": 4, "likely deleted": 10, "moved": 3, "relabelled": 11,
        "undetermined": 30,
    }  # fmt: skip
    a = next(c for c in answer["clauses"] if c["label"] == "recognising a)")
    assert (a["status"], a["previous_label"], a["previous_section"]) == (
        "moved", "g)", "consideringrecalling"
    )  # fmt: skip
    # one flattened text read for both sides: its words are not compared
    assert (a["similarity"], a["words"]) == (None, None)
    viii = next(c for c in answer["clauses"] if c["status"] == "likely deleted")
    assert "';:'" in viii["status_cues"]


def test_statuses_agree_with_the_proposals_own(client: Client) -> None:
    """Clause by clause, what the comparison says is what the proposal says of its clauses
    (``document-changes``); relabelled is its modified whose words are the same or cannot
    be told apart."""
    answer = _changes(client, "75", "2022-geneva", DRAFT)
    proposal = client.get(f"/documents/{SEED}/changes").json()
    said = {c["iri"]: c["status"] for c in proposal["clauses"]}
    compared = {c["iri"]: c["status"] for c in answer["clauses"]}
    assert set(compared) == set(said)
    alike = {"relabelled": "modified"}
    assert {iri: alike.get(s, s) for iri, s in compared.items()} == said


def test_a_docx_proposal_and_its_base_compare_words(kg: KnowledgeGraph, tmp_path: Path) -> None:
    """A proposal with tracked changes records the words before each change: its base is read
    from them, and the words compared, as two texts would be."""
    load_file(kg, write_docx(tmp_path / "res75-changes.docx", document(*seed_paragraphs())))
    client = Client(kg)
    answer = _changes(client, "75", "2022-geneva", "2024-new-delhi/proposed-by/res75-changes")
    assert answer["from_version"]["file"] == "res75-changes.docx"
    assert answer["from_version"]["flattened"] is answer["to_version"]["flattened"] is False
    proposal = client.get("/documents/res75-changes/changes").json()
    said = {c["iri"]: c["status"] for c in proposal["clauses"]}
    compared = {c["iri"]: c["status"] for c in answer["clauses"]}
    assert {i: {"relabelled": "modified"}.get(s, s) for i, s in compared.items()} == said
    resolves = _by_label(answer)["resolves 1"]
    assert resolves["status"] == "modified"
    assert [w for w in resolves["words"] if w["op"] != "equal"] == [
        {"op": "replace", "before": "outcomes;", "after": "outcomes within its mandate;"}
    ]
    # the reverse: the proposal to its base
    back = _changes(client, "75", "2024-new-delhi/proposed-by/res75-changes", "2022-geneva")
    assert back["counts"]["added"] == answer["counts"]["deleted"]
    assert back["counts"]["deleted"] == answer["counts"]["added"]


def test_a_version_without_text_is_named_with_those_that_have_one(client: Client) -> None:
    params = {"from": "2016-hammamet", "to": DRAFT}
    response = client.get(CHANGES.format(number="75"), params=params)
    assert response.status_code == 404
    assert response.json()["error"].endswith(f"versions with a text: 2022-geneva, {DRAFT}")


# ------------------------------------------------------------------ the alignment itself


def _clause(iri: str, section: str, label: str | None, text: str, order: int) -> Any:
    return version_diff.Clause(iri, section, label, label, text, order)


def _side(document: str, *clauses: Any) -> version_diff.Side:
    return version_diff.Side(f"urn:{document}", "text", document, None, None, clauses)


def test_similar_words_under_another_label_and_the_thresholds() -> None:
    old = _side(
        "old",
        _clause("o1", "resolves", "1", "to study sensor networks for rural areas", 0),
        _clause("o2", "resolves", "2", "to report every year to the Council", 1),
    )
    new = _side(
        "new",
        # the same place, half the words: the same clause, modified
        _clause("n1", "resolves", "1", "to study sensor networks in cities", 0),
        # another place, four words in five: the same clause, relabelled
        _clause("n2", "resolves", "3", "to report every second year to the Council", 1),
    )
    changes = version_diff.compare(old, new)
    assert [(c.status, c.old and c.old.iri, c.new and c.new.iri) for c in changes] == [
        ("modified", "o1", "n1"),
        ("relabelled", "o2", "n2"),
    ]
    assert changes[0].similarity is not None
    assert changes[0].similarity >= version_diff.SAME_PLACE
    assert changes[1].similarity is not None
    assert changes[1].similarity >= version_diff.ELSEWHERE
    # below the threshold elsewhere: deleted and added, not paired
    far = _side("far", _clause("f", "invites", "1", "to invite members to act", 0))
    assert [c.status for c in version_diff.compare(old, far)] == ["deleted", "deleted", "added"]


def test_word_diff_operations() -> None:
    similarity, ops = version_diff.word_diff("a b c d", "a x c d e")
    assert [(o.op, o.before, o.after) for o in ops] == [
        ("equal", "a", "a"),
        ("replace", "b", "x"),
        ("equal", "c d", "c d"),
        ("insert", None, "e"),
    ]
    assert similarity == round(2 * 3 / 9, 3)


def test_a_heading_spelt_otherwise_is_the_same_section() -> None:
    text = "the role of ITU-T in building the information society;"
    old = _side("old", _clause("o", "recognising", "a)", text, 0))
    new = _side("new", _clause("n", "Recognizing,", "a)", text, 0))
    assert [c.status for c in version_diff.compare(old, new)] == ["unchanged"]
    elsewhere = _side("new", _clause("n", "noting", "a)", text, 0))
    assert [c.status for c in version_diff.compare(old, elsewhere)] == ["moved"]
