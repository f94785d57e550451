"""The `wsiskg` command, run as a user runs it: a child process over a store on disk."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from loaders.tables import table_path
from tests.conftest import run_cli

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def test_load_then_count_every_quad(loaded_store: Path) -> None:
    result = run_cli("query", COUNT_ALL, "--format", "csv", store=loaded_store, check=True)
    n = int(next(iter(csv.DictReader(io.StringIO(result.stdout))))["n"])
    assert n > 300_000
    table = run_cli("query", COUNT_ALL, store=loaded_store, check=True)
    assert str(n) in table.stdout
    assert "1 row" in table.stdout


def test_a_second_load_skips_unchanged_inputs(store_copy: Path) -> None:
    result = run_cli("load", store=store_copy, check=True)
    # the ontology, thirteen tables (organs, the reviewed ITU links, the WSIS paragraphs and
    # the schemes' days among them) and the seed
    assert result.stdout.count("unchanged") == 16


def test_query_formats(loaded_store: Path, tmp_path: Path) -> None:
    q = (
        "SELECT ?code ?title WHERE { ?g a sdgo:Goal ; skos:notation ?code ; "
        "skos:altLabel ?title } ORDER BY xsd:integer(?code) LIMIT 3"
    )
    as_json = json.loads(
        run_cli("query", q, "--format", "json", store=loaded_store, check=True).stdout
    )
    assert [b["code"]["value"] for b in as_json["results"]["bindings"]] == ["1", "2", "3"]
    tsv = run_cli("query", q, "--format", "tsv", store=loaded_store, check=True).stdout
    assert tsv.splitlines()[:2] == ["code\ttitle", "1\tNo poverty"]
    ask = run_cli("query", "ASK { ?s skos:notation 'C5' }", store=loaded_store, check=True)
    assert ask.stdout.strip() == "true"
    construct = run_cli(
        "query",
        "CONSTRUCT WHERE { ?s skos:notation 'C5' ; skos:prefLabel ?l }",
        store=loaded_store,
        check=True,
    )
    graph = rdflib.Graph().parse(data=construct.stdout, format="turtle")
    assert len(graph) == 2  # the notation and the preferred label of C5
    query_file = tmp_path / "q.rq"
    query_file.write_text(q, encoding="utf-8")
    from_file = run_cli(
        "query", "--file", str(query_file), "--format", "tsv", store=loaded_store, check=True
    )
    assert from_file.stdout == tsv


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "SELEC nothing"), "error: SPARQL syntax error: error at 1:1"),
        (("load", "/nonexistent/file.csv"), "error: /nonexistent/file.csv: no such file"),
        (("query",), "error: give a query as an argument or with --file"),
        (("export", "--format", "png"), "error: unknown format 'png'"),
    ],
)
def test_errors_are_one_line_without_a_traceback(
    loaded_store: Path, args: tuple[str, ...], message: str
) -> None:
    # the installed console script, in a new interpreter (elsewhere a child forked from one
    # that imported the CLI: tests/cli_child.py)
    result = run_cli(*args, store=loaded_store, script=True)
    assert result.returncode != 0
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_bad_table_is_refused_with_its_place_and_changes_nothing(
    store_copy: Path, tmp_path: Path
) -> None:
    before = run_cli("query", COUNT_ALL, "--format", "csv", store=store_copy, check=True).stdout
    bad = tmp_path / "sdg_targets.csv"
    lines = table_path("sdg-targets").read_text(encoding="utf-8").splitlines()
    lines[50] = lines[50].replace("http://metadata.un.org/sdg/", "http://example.org/", 1)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("load", str(bad), store=store_copy)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: sdg_targets.csv, row 50 (line 51), column "
        "'un_kos_uri': expected http://metadata.un.org/sdg/"
    )
    after = run_cli("query", COUNT_ALL, "--format", "csv", store=store_copy, check=True).stdout
    assert after == before


def test_bad_turtle_names_the_place(store_copy: Path, tmp_path: Path) -> None:
    bad = tmp_path / "extra.ttl"
    bad.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e .\n", encoding="utf-8"
    )
    result = run_cli("load", str(bad), store=store_copy)
    assert result.returncode == 1
    assert "extra.ttl: not valid Turtle: Parser error at line 3 column 11" in result.stderr


@pytest.mark.slow
def test_validate_passes_on_the_builtin_data(loaded_store: Path) -> None:
    """The whole built-in graph conforms to the shapes and HermiT finds it consistent, as an
    analyst checks it (`wsiskg validate`); the only run of both over the whole graph in the
    suite (test_shapes and test_ontology check the shapes and the axioms on small graphs)."""
    result = run_cli("validate", store=loaded_store)
    assert result.returncode == 0, result.stdout + result.stderr
    shacl = re.search(r"SHACL: conforms \((\d+) triples", result.stdout)
    owl = re.search(r"OWL: HermiT: consistent.*\((\d+) triples\)", result.stdout)
    assert shacl, result.stdout
    assert owl, result.stdout
    assert int(shacl.group(1)) > 300_000
    assert int(owl.group(1)) > 300_000


def test_validate_fails_and_reports_a_violation(tmp_path: Path) -> None:
    """A link without its qualified Link node is reported, exit 1. On a small store: the
    tables the link touches (the Action Lines, the goals, the organs they name), which
    conform on their own, so the one violation is the added link's (the whole built-in
    data is validated by the test above)."""
    store = tmp_path / "store"
    tables = [table_path(name) for name in ("organs", "action-lines", "sdg-goals")]
    run_cli("load", *map(str, tables), store=store, check=True)
    before = run_cli("validate", "--no-owl", store=store)
    assert before.returncode == 0, before.stdout + before.stderr
    assert "SHACL: conforms" in before.stdout
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix wsis: <https://w3id.org/wsis-kg/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/wsis-kg/id/action-line/C5> wsis:contributesToSDG "
        "<http://metadata.un.org/sdg/16> .\n",
        encoding="utf-8",
    )
    run_cli("load", str(extra), store=store, check=True)
    result = run_cli("validate", "--no-owl", store=store)
    assert result.returncode == 1
    assert "SHACL: 1 violation(s)" in result.stdout
    assert "has no qualified wsis:Link node" in result.stdout


def test_export_nquads_round_trips_every_named_graph(loaded_store: Path, tmp_path: Path) -> None:
    """Every named graph read back with its size. The whole file (530k quads) is read by
    Oxigraph's parser (rdflib's takes some 20 s for it); rdflib, an independent parser, reads
    each format of one graph in test_export_one_graph_round_trips below."""
    out = tmp_path / "export.nq"
    run_cli("export", "--format", "nquads", "-o", str(out), store=loaded_store, check=True)
    sizes: dict[str, int] = {}
    with out.open("rb") as f:
        for quad in ox.parse(f, ox.RdfFormat.N_QUADS):
            name = quad.graph_name
            key = name.value if isinstance(name, ox.NamedNode) else "default"
            sizes[key] = sizes.get(key, 0) + 1
    assert "default" not in sizes  # every triple is in a named graph
    listed = run_cli("graphs", store=loaded_store, check=True).stdout
    for graph, size in sizes.items():
        assert f"{graph} " in listed
        assert f" {size} " in listed
    assert sum(sizes.values()) > 300_000


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [
        ("turtle", "turtle"),
        ("jsonld", "json-ld"),
        ("trig", "trig"),
        ("rdfxml", "xml"),
        ("ntriples", "nt"),
    ],
)
def test_export_one_graph_round_trips(
    loaded_store: Path, tmp_path: Path, fmt: str, rdflib_format: str
) -> None:
    out = tmp_path / f"export.{fmt}"
    graph = "https://w3id.org/wsis-kg/id/graph/sdg-targets"
    run_cli(
        "export", "--format", fmt, "-o", str(out), "--graph", graph, store=loaded_store, check=True
    )
    with warnings.catch_warnings():  # rdflib's JSON-LD and TriG parsers use deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        parsed = rdflib.Graph().parse(data=out.read_bytes(), format=rdflib_format)
    assert len(parsed) == 2538


def test_a_bad_setting_is_one_line_naming_the_variable_not_the_secret(tmp_path: Path) -> None:
    import os
    import subprocess

    from tests.conftest import ROOT, WSISKG

    env = {**os.environ, "WSISKG_STORE": str(tmp_path / "s"), "WSISKG_WRITE_TOKEN": "hunter2"}
    result = subprocess.run(
        [*WSISKG, "serve"], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert result.returncode == 2
    assert "WSISKG_WRITE_TOKEN" in result.stderr
    assert "at least 24 characters" in result.stderr
    assert "hunter2" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "s").exists()  # nothing was started or created


# ---------------------------------------------------------------- while `wsiskg serve` runs


@pytest.fixture(scope="module")
def served_store(
    loaded_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str]]:
    """A copy of the loaded store with a real `wsiskg serve` holding it: (store, base URL)."""
    from tests.servers import running_server

    store = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(loaded_store, store)
    with running_server(store) as base:
        yield store, base


def test_reads_answer_from_a_read_only_view_while_serve_runs(
    served_store: tuple[Path, str],
) -> None:
    store, base = served_store
    release = httpx.get(f"{base}/health", timeout=30).json()["release"]
    count = run_cli(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "--format",
        "csv",
        store=store,
        check=True,
    )
    assert int(count.stdout.splitlines()[1]) > 300_000
    note = count.stderr.strip()
    assert len(note.splitlines()) == 1, note
    assert note.startswith(
        "note: the store is in use by another process (wsiskg serve?): reading a read-only "
        "view of release "
    ), note
    assert note.endswith(f" {release}")
    listed = run_cli("graphs", store=store, check=True)
    assert "https://w3id.org/wsis-kg/id/graph/sdg-targets" in listed.stdout
    assert "reading a read-only view of release" in listed.stderr
    # the private view is removed afterwards; the service's own files are left alone
    assert not [p for p in store.parent.iterdir() if ".view-" in p.name]
    assert httpx.get(f"{base}/health", timeout=30).status_code == 200


def test_a_load_is_refused_in_one_line_while_serve_runs(
    served_store: tuple[Path, str], tmp_path: Path
) -> None:
    store, _ = served_store
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/a> <http://example.org/b> 1 .\n", encoding="utf-8")
    result = run_cli("load", str(extra), store=store)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: the store at {store} is in use by another process (is `wsiskg serve` "
        "running?): stop it first\n"
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_an_unknown_prefix_is_named_with_its_place_by_the_cli_and_by_sparql(
    served_store: tuple[Path, str], loaded_store: Path
) -> None:
    _, base = served_store
    query = "SELECT ?x\nWHERE { ?x a foo:Bar ; skos:notation ?n }"
    expected = "SPARQL syntax error: unknown prefix `foo:` at line 2, column 14"
    result = run_cli("query", query, store=loaded_store)
    assert result.returncode == 1
    assert result.stderr == f"error: {expected}\n"
    response = httpx.get(f"{base}/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 400
    assert response.json() == {"error": expected}
    # a declared prefix is fine; a PREFIX of the query counts
    declared = "PREFIX foo: <http://example.org/>\n" + query
    assert run_cli("query", declared, store=loaded_store, check=True).stdout.endswith("0 rows\n")


# ---------------------------------------------------------------- the query table


WIDE = (
    "SELECT ?action_line ?title ?lead ?co ?itu_role ?paragraph ?parent ?sub_lines WHERE { "
    "VALUES (?action_line ?title ?lead ?co ?itu_role ?paragraph ?parent ?sub_lines) { "
    "('C1' 'The role of public governance authorities' 'UNDESA' "
    "'ITU; ECOSOC; UN Regional Commissions' 'co-facilitator' '8' '' 'none') } }"
)


def test_a_result_too_wide_for_the_terminal_is_printed_as_records(loaded_store: Path) -> None:
    result = run_cli("query", WIDE, store=loaded_store, check=True, env={"COLUMNS": "100"})
    assert result.stdout.splitlines() == [
        "-[ row 1 ]",
        "action_line : C1",
        "title       : The role of public governance authorities",
        "lead        : UNDESA",
        "co          : ITU; ECOSOC; UN Regional Commissions",
        "itu_role    : co-facilitator",
        "paragraph   : 8",
        "parent      :",
        "sub_lines   : none",
        "1 row",
    ]
    assert "…" not in result.stdout
    # a table when asked for one; records when asked for them
    table = run_cli(
        "query", WIDE, "--format", "table", store=loaded_store, check=True, env={"COLUMNS": "100"}
    )
    assert table.stdout.startswith("┏")
    narrow = "SELECT ?code WHERE { ?g a sdgo:Goal ; skos:notation ?code } LIMIT 1"
    records = run_cli("query", narrow, "--format", "records", store=loaded_store, check=True)
    lines = records.stdout.splitlines()
    assert lines[0] == "-[ row 1 ]"
    assert lines[1].startswith("code : ")
    assert lines[1] != "code : "


def test_a_result_that_fits_stays_a_readable_table_at_100_columns(loaded_store: Path) -> None:
    query = (
        "SELECT ?code ?title WHERE { ?g a sdgo:Goal ; skos:notation ?code ; "
        "skos:altLabel ?title } ORDER BY xsd:integer(?code) LIMIT 3"
    )
    result = run_cli("query", query, store=loaded_store, check=True, env={"COLUMNS": "100"})
    lines = result.stdout.splitlines()
    assert lines[0].startswith("┏")
    assert all(len(line) <= 100 for line in lines)
    assert "No poverty" in result.stdout
    assert lines[-1] == "3 rows"


# ---------------------------------------------------------------- export, first load


def test_export_turtle_writes_the_common_prefixes_and_round_trips(
    loaded_store: Path, tmp_path: Path
) -> None:
    import pyoxigraph as ox

    from ontology import PREFIXES

    out = tmp_path / "export.ttl"
    run_cli("export", "--format", "turtle", "-o", str(out), store=loaded_store, check=True)
    with out.open(encoding="utf-8") as f:
        head = [next(f) for _ in range(len(PREFIXES))]
    assert sorted(head) == sorted(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
    parsed = sum(1 for _ in ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    distinct = run_cli(
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
        "--format",
        "csv",
        store=loaded_store,
        check=True,
    )
    assert parsed == int(distinct.stdout.splitlines()[1]) > 300_000


def test_the_first_load_shows_each_stage_and_a_second_says_nothing_is_read(
    loaded_store: Path, store_copy: Path
) -> None:
    """The first load of the built-in data (the session's store: a new user's first
    `wsiskg serve` over an empty store, which loads as `wsiskg load` does) names each stage;
    `wsiskg load` over it finds every source unchanged."""
    first = (loaded_store.parent / "load.stderr").read_text(encoding="utf-8").splitlines()
    assert first[0] == f"store {loaded_store}: empty, loading the built-in data"
    reading = [line for line in first if " reading " in line]
    total = len(reading)
    assert total >= 13
    for number, line in enumerate(reading, start=1):
        assert line.endswith(f" of {total})"), line
        assert f"({number} of {total})" in line
    assert any("writing" in line and "to the store" in line for line in first)
    assert "graphs loaded" in first[-1]
    again = run_cli("load", store=store_copy, check=True).stderr.splitlines()
    assert again[0] == f"store {store_copy}: checking the built-in data"
    assert again[1].endswith(
        f"all {total} sources unchanged since their last load: nothing to read"
    )
    assert len(again) == 2


@pytest.mark.parametrize(
    "args",
    [
        ("query", "--named", "sdg", "-p", "goal=9"),  # a table as wide as COLUMNS says
        ("query", "--named", "sdg", "-p", "goal=9", "--format", "csv"),
        ("query", "SELEC nothing"),
    ],
)
def test_a_forked_command_answers_as_the_installed_script(
    loaded_store: Path, args: tuple[str, ...]
) -> None:
    """tests/cli_child.py runs most commands of the suite in children forked from a server
    that has imported the CLI: they print and exit as the console script in a new
    interpreter does, with the command's own environment (here a narrower terminal)."""
    env = {"COLUMNS": "100"}
    forked = run_cli(*args, store=loaded_store, env=env)
    script = run_cli(*args, store=loaded_store, env=env, script=True)
    assert (forked.returncode, forked.stdout, forked.stderr) == (
        script.returncode,
        script.stdout,
        script.stderr,
    )
    if "--format" not in args and forked.returncode == 0:  # the width is the command's own
        wider = run_cli(*args, store=loaded_store, env={"COLUMNS": "200"})
        assert wider.stdout != forked.stdout
