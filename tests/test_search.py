"""Full-text search (graph/search/, GET /search): real stores on disk with the built-in data,
real loads through the product's loaders, a real server over HTTP."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.search import CSV_COLUMNS
from graph import search as fts
from graph.files import load_file
from graph.search import QueryError, SearchIndex, Snippet, parse_query
from graph.service import QueryService, build_service
from graph.store import KnowledgeGraph
from loaders.tables import SEEDS, data_path
from tests.servers import running_server

SEED = data_path(SEEDS["seed-wtsa-res75-rus"])
SEED_GRAPH = "https://w3id.org/wsis-kg/id/graph/document-000_104f64d2c729d048"
# Queries that are FTS5 syntax, or broken FTS5 syntax: each must be searched for as words or
# refused with a reason, never be a server error.
HOSTILE = [
    '"',
    '""',
    '"unterminated phrase',
    "NEAR(",
    "NEAR(a b, 3)",
    "a NEAR/2 b",
    "a OR",
    "OR",
    "a AND",
    "NOT x",
    "-x",
    "-",
    "*",
    "***",
    "a*b*",
    "(",
    ")",
    "(a OR b",
    "text:internet",
    "{text}: x",
    "^internet",
    "+internet",
    "internet'",
    "\\",
    "a \u0000 b",
    "Ω≈ç√ ∫µ",
    "x" * 600,
]

RESOLUTION_TEXT = """RESOLUTION 999 (Rev. Geneva, 2022)
Quokka telemetry for standardization
(Hammamet, 2016; Geneva, 2022)
The World Telecommunication Standardization Assembly (Geneva, 2022),
considering
a)\tthat {word} sensors need interoperable standards;
resolves
1\tto study telemetry protocols in support of Action Line C5,
"""


def _write_resolution(folder: Path, word: str) -> Path:
    path = folder / "999_search_test.txt"
    path.write_text(RESOLUTION_TEXT.format(word=word), encoding="utf-8")
    return path


def _service(kg: KnowledgeGraph) -> QueryService:
    """The query service of ``kg``, following its writes (the owner of its search index)."""
    return build_service(kg, precompute=False)


@pytest.fixture
def builtin_disk(store_copy: Path) -> Iterator[QueryService]:
    """The service of an on-disk store with the built-in data (loaded by the real `wsiskg
    load`), no index yet."""
    kg = KnowledgeGraph.open(store_copy)
    service = _service(kg)
    yield service
    service.close()
    kg.close()


# ---------------------------------------------------------------------------- queries


def test_every_term_is_quoted_and_anded() -> None:
    query = parse_query('enhanced "public policy" NEAR( secur* -governance')
    assert query.expression == (
        '("enhanced" AND "public policy" AND "NEAR(" AND "secur" *) NOT ("governance")'
    )
    assert query.prefix
    assert query.terms == ("enhanced", '"public policy"', "NEAR(", "secur*", "-governance")
    assert parse_query("recognising").expression == '("recognising" OR "recognizing")'
    # an unterminated quote opens a phrase to the end
    assert parse_query('say "hi"" there').expression == '"say" AND "hi" AND " there"'


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ('"', "no words"),
        ("* - ( )", "no words"),
        ("-x -y", "only excludes"),
        ("x" * 501, "longer than 500"),
        ("a\x00b", "control characters"),
        (" ".join(["w"] * 40), "more than 32 terms"),
    ],
)
def test_a_query_with_nothing_to_search_for_is_refused_with_a_reason(
    text: str, reason: str
) -> None:
    with pytest.raises(QueryError, match=reason):
        parse_query(text)


@pytest.fixture(scope="module")
def empty_index() -> Iterator[SearchIndex]:
    with SearchIndex() as index:
        yield index


@pytest.mark.parametrize("text", HOSTILE)
def test_fts5_syntax_in_a_query_is_never_an_fts5_error(text: str, empty_index: SearchIndex) -> None:
    try:
        result = empty_index.search(text)
    except QueryError:
        return
    assert result.total == 0


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab *-\"():^+{}NEARORNOT\\'.,é\u200b "), max_size=40))
def test_any_text_is_a_valid_query_or_a_query_error(text: str) -> None:
    with SearchIndex() as index, contextlib.suppress(QueryError):
        index.search(text)


def test_snippet_markers_become_offsets_and_escaped_html() -> None:
    snippet = Snippet.from_marked("<b>\x02CWG-WSIS&SDG\x03</b> and \x02ITU\x03…")
    assert snippet.text == "<b>CWG-WSIS&SDG</b> and ITU…"
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["CWG-WSIS&SDG", "ITU"]
    assert snippet.html == (
        "&lt;b&gt;<mark>CWG-WSIS&amp;SDG</mark>&lt;/b&gt; and <mark>ITU</mark>…"
    )


# ---------------------------------------------------------------------------- the index


def test_the_index_of_the_builtin_data_sits_beside_the_store(
    builtin_disk: QueryService,
) -> None:
    kg = builtin_disk.kg
    assert kg.location is not None
    index = builtin_disk.search_index()
    assert index.path == kg.location.with_name(kg.location.name + ".search.sqlite")
    assert index.release is None  # a new index: nothing synced yet
    report = index.sync(kg)
    assert report.changed
    assert index.release == kg.current_release()
    assert index.path is not None
    assert index.path.is_file()
    assert SEED_GRAPH in report.graphs_read
    assert index.kinds()["clause"] == 61  # every clause of the seed, once
    assert index.kinds()["section"] == 13
    assert index.graphs()[SEED_GRAPH] == 61 + 13 + 1  # clauses, headings, the draft's title
    assert not index.sync(kg).changed  # the same release: nothing to do
    assert index.stats.syncs == 1


def test_hits_are_ranked_and_highlight_the_words_found(builtin_disk: QueryService) -> None:
    result = builtin_disk.search("enhanced cooperation")
    assert result.total == 5
    assert result.release == builtin_disk.kg.current_release()
    assert [h.label for h in result.hits][:2] == [
        "recognizing further h)",
        "recognizing further g)",
    ]
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert scores[-1] > 0
    for hit in result.hits:
        assert hit.kind == "clause"
        assert hit.graph == SEED_GRAPH
        assert hit.resolution is not None
        assert hit.resolution.label == "WTSA Resolution 75"
        assert hit.document is not None
        assert hit.document.iri.endswith("/000_104f64d2c729d048")
        words = {hit.snippet.text[s:e].lower() for s, e in hit.snippet.highlights}
        assert words == {"enhanced", "cooperation"}
        assert "<mark>enhanced</mark>" in hit.snippet.html.lower()
    phrase = builtin_disk.search('"enhanced cooperation"').hits[0]
    start, end = phrase.snippet.highlights[0]
    assert phrase.snippet.text[start:end] == "enhanced cooperation"


def test_stems_spellings_prefixes_and_exclusions(builtin_disk: QueryService) -> None:
    service = builtin_disk
    found = service.search("affordable").hits
    assert [(h.label, h.snippet.text[slice(*h.snippet.highlights[0])]) for h in found] == [
        ("recognising b)", "affordability")
    ]
    headings = {h.label for h in service.search("recognize", kinds=["section"]).hits}
    assert headings == {"recognising", "recognizing", "recognizing further"}
    assert service.search("cooperat*").total > service.search('"cooperat"').total == 0
    every = service.search("Tunis Agenda").total
    assert service.search("Tunis Agenda -enhanced").total == every - 3
    amp = service.search("CWG-WSIS&SDG", kinds=["clause"]).hits[0]
    assert "<mark>CWG\u2011WSIS&amp;SDG</mark>" in amp.snippet.html


def test_filters_by_kind_resolution_and_document(builtin_disk: QueryService) -> None:
    service, kg = builtin_disk, builtin_disk.kg
    titles = service.search("cybersecurity", kinds=["title"]).hits
    assert [h.label for h in titles] == ["WTSA Resolution 50"]
    res75 = "https://w3id.org/wsis-kg/id/resolution/wtsa/75"
    internet = service.search("internet", resolution=res75, limit=100)
    assert internet.total > 10
    assert all(h.resolution and h.resolution.iri == res75 for h in internet.hits)
    seed = kg.ids.document("000_104f64d2c729d048").value
    assert service.search("internet", document=seed).total == internet.total
    assert service.search("internet", document=seed + "-other").total == 0
    page = service.search("internet", resolution=res75, limit=5, offset=5)
    assert [h.iri for h in page.hits] == [h.iri for h in internet.hits[5:10]]


def test_a_new_document_is_found_at_once_and_a_replaced_one_is_gone(
    builtin_disk: QueryService, tmp_path: Path
) -> None:
    service, kg = builtin_disk, builtin_disk.kg
    index = service.search_index()
    index.ensure_current(kg)
    before = service.search("enhanced cooperation").total

    record = load_file(kg, _write_resolution(tmp_path, "quokkanet")).record
    assert record is not None
    assert record.release is not None
    # the service's commit hook has synced the index, reading only the new graph
    assert index.release == record.release == kg.current_release()
    assert index.stats.last is not None
    assert index.stats.last.graphs_read == (record.graph,)
    hits = index.search("quokkanet").hits
    assert [(h.kind, h.label, h.graph) for h in hits] == [
        ("clause", "considering a)", record.graph)
    ]
    assert hits[0].resolution is not None
    assert hits[0].resolution.label == "WTSA Resolution 999"
    assert [h.kind for h in index.search("quokka telemetry").hits] == ["title"]

    record = load_file(kg, _write_resolution(tmp_path, "wombatnet")).record
    assert record is not None
    assert index.release == record.release
    assert index.search("quokkanet").total == 0
    assert index.search("wombatnet").total == 1
    assert index.search("enhanced cooperation").total == before
    assert index.stats.errors == []


def test_a_reopened_store_reuses_its_index_and_catches_up_with_loads_made_without_it(
    store_copy: Path, tmp_path: Path
) -> None:
    kg = KnowledgeGraph.open(store_copy)
    service = _service(kg)
    service.search_index().ensure_current(kg)
    release = kg.current_release()
    service.close()
    kg.close()
    del kg, service  # releases the store's lock

    kg = KnowledgeGraph.open(store_copy)
    service = _service(kg)
    index = service.search_index()
    assert index.release == release == kg.current_release()  # read from the index file
    assert service.search("enhanced cooperation").total == 5
    assert index.stats.syncs == 0  # nothing rebuilt
    service.close()
    # a load while no index is open (as `wsiskg load` does, in another process)
    record = load_file(kg, _write_resolution(tmp_path, "quokkanet")).record
    assert record is not None
    kg.close()
    del kg, index, service

    kg = KnowledgeGraph.open(store_copy)
    service = _service(kg)
    try:
        index = service.search_index()
        assert index.release == release != kg.current_release()
        assert service.search("quokkanet").total == 1  # the first search catches up
        assert index.stats.syncs == 1
        assert index.stats.last is not None
        # what the loads wrote, and nothing else (load_file reloads the ontology first when
        # the loader version changed since the store was loaded)
        read = set(index.stats.last.graphs_read)
        assert record.graph in read
        assert read <= {record.graph, kg.ontology_graph.value}
    finally:
        service.close()
        kg.close()


def test_a_sparql_update_is_found_by_the_next_search(disk_kg: KnowledgeGraph) -> None:
    """An update leaves the loads' records alone and may change any graph: the index reads
    every graph again, including a graph that no load wrote."""
    kg = disk_kg
    kg.load_ontology()
    load_file(kg, SEED)
    service = _service(kg)
    index = service.search_index()
    try:
        index.ensure_current(kg)
        assert index.search("affordability").total == 1
        kg.update(
            "DELETE { GRAPH ?g { ?c wsis:text ?t } } INSERT { GRAPH ?g { ?c wsis:text ?new } } "
            "WHERE { GRAPH ?g { ?c wsis:text ?t FILTER(CONTAINS(?t, 'affordability')) } "
            "BIND(REPLACE(?t, 'affordability', 'platypusness') AS ?new) }"
        )
        kg.update(
            "INSERT DATA { GRAPH <https://example.org/extra> { "
            "<https://example.org/c1> a wsis:Clause ; wsis:text 'echidna standards' } }"
        )
        assert index.release == kg.current_release()
        assert index.search("affordability").total == 0
        assert [h.label for h in index.search("platypusness").hits] == ["recognising b)"]
        (extra,) = index.search("echidna").hits
        assert (extra.iri, extra.graph) == ("https://example.org/c1", "https://example.org/extra")
        assert index.kinds()["clause"] == 62
    finally:
        service.close()


def test_a_damaged_index_file_is_rebuilt(disk_kg: KnowledgeGraph) -> None:
    disk_kg.load_ontology()
    load_file(disk_kg, SEED)
    path = fts.index_path(disk_kg)
    assert path is not None
    path.write_bytes(b"not a database" * 100)
    service = _service(disk_kg)
    try:
        assert service.search("enhanced cooperation").total == 5
    finally:
        service.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 75
    connection.close()


def test_readers_see_one_release_or_the_next_while_loads_commit(
    disk_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    """Searches from several threads while another thread loads two versions of a text in
    turn: every answer is exactly the index of the release it names, never half of a sync."""
    kg = disk_kg
    kg.load_ontology()
    load_file(kg, SEED)
    expected: dict[str | None, str | None] = {kg.current_release(): None}
    service = _service(kg)
    service.search_index()
    seen: list[tuple[str | None, str, int]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def write() -> None:
        try:
            for turn in range(8):
                word = ("alphaword", "betaword")[turn % 2]
                folder = tmp_path / str(turn)
                folder.mkdir()
                record = load_file(kg, _write_resolution(folder, word)).record
                assert record is not None
                expected[record.release] = word
        except BaseException as e:
            errors.append(e)
        finally:
            done.set()

    def read() -> None:
        try:
            while not done.is_set():
                for word in ("alphaword", "betaword"):
                    result = service.search(word)
                    seen.append((result.release, word, result.total))
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    try:
        assert not errors, errors
        assert len(seen) > 20
        for release, word, total in seen:
            assert release in expected
            assert total == (1 if expected[release] == word else 0), (release, word, total)
        assert len({r for r, _, _ in seen}) > 1
    finally:
        service.close()


# ---------------------------------------------------------------------------- over HTTP


@pytest.fixture(scope="module")
def search_server(
    tmp_path_factory: pytest.TempPathFactory, loaded_store: Path
) -> Iterator[tuple[str, Path]]:
    """`wsiskg serve` over a copy of a store loaded by `wsiskg load` (which made no index)."""
    store = tmp_path_factory.mktemp("search-serve") / "store"
    shutil.copytree(loaded_store, store)
    with running_server(store, {"WSISKG_QUERY_TIMEOUT": "3"}) as base:
        yield base, store


def test_search_over_http(search_server: tuple[str, Path]) -> None:
    base, store = search_server
    # the service built the index beside the store when it started
    assert store.with_name("store.search.sqlite").is_file()
    response = httpx.get(f"{base}/search", params={"q": "enhanced cooperation", "limit": 3})
    assert response.status_code == 200
    assert response.headers["etag"]
    body = response.json()
    assert body["release"] == httpx.get(f"{base}/health").json()["release"]
    assert (body["query"], body["total"], len(body["hits"])) == ("enhanced cooperation", 5, 3)
    hit = body["hits"][0]
    assert set(hit) == {
        "kind",
        "iri",
        "label",
        "resolution",
        "version",
        "in_force_with",
        "document",
        "section",
        "clause",
        "snippet",
        "snippet_html",
        "highlights",
        "score",
        "graph",
    }
    # a clause of the proposal that the 2022 text already had: in force with that version
    assert hit["in_force_with"]["label"] == "WTSA Resolution 75 (Rev. Geneva, 2022)"
    assert (hit["kind"], hit["label"], hit["section"], hit["clause"]) == (
        "clause",
        "recognizing further h)",
        "recognizing further",
        "h)",
    )
    assert hit["resolution"] == {
        "iri": "https://w3id.org/wsis-kg/id/resolution/wtsa/75",
        "label": "WTSA Resolution 75",
    }
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]][:2] == ["enhanced", "cooperation"]
    assert hit["snippet_html"].count("<mark>") == len(hit["highlights"])
    assert hit["graph"] == SEED_GRAPH


def test_no_query_is_a_server_error(search_server: tuple[str, Path]) -> None:
    base, _ = search_server
    for text in HOSTILE:
        response = httpx.get(f"{base}/search", params={"q": text})
        assert response.status_code in (200, 422), (text, response.text)
        if response.status_code == 422:
            assert response.json()["error"].startswith("parameter 'q'")
    empty = httpx.get(f"{base}/search", params={"q": " "})
    assert empty.status_code == 422
    assert "empty" in empty.json()["error"]
    assert httpx.get(f"{base}/search").status_code == 422
    assert httpx.get(f"{base}/search", params={"q": "x", "limit": 101}).status_code == 422
    bad = httpx.get(f"{base}/search", params={"q": "x", "resolution": "XYZ 7"})
    assert bad.status_code == 422
    assert "XYZ" in bad.json()["error"]


def test_search_filters_and_csv_over_http(search_server: tuple[str, Path]) -> None:
    base, _ = search_server
    params = {"q": "internet", "resolution": "wtsa 75", "kind": "clause", "limit": 100}
    hits = httpx.get(f"{base}/search", params=params).json()["hits"]
    assert hits
    assert all(h["resolution"]["label"] == "WTSA Resolution 75" for h in hits)
    assert all(h["kind"] == "clause" for h in hits)
    seed = httpx.get(f"{base}/search", params={**params, "document": "000_104f64d2c729d048"}).json()
    assert len(seed["hits"]) == len(hits)
    response = httpx.get(f"{base}/search", params={**params, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0].split(",") == list(CSV_COLUMNS)
    assert len(lines) == len(hits) + 1


def test_search_is_documented_in_openapi(search_server: tuple[str, Path]) -> None:
    base, _ = search_server
    operation = httpx.get(f"{base}/openapi.json").json()["paths"]["/search"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["q"]["required"] is True
    assert params["q"]["schema"]["examples"] == ["cybersecurity"]
    for name in ("q", "limit", "offset", "kind", "resolution", "document", "format"):
        assert params[name]["description"], name
