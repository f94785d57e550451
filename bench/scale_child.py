"""The measured steps of ``python -m bench scale``, each run in its own process so that its
peak memory (the parent reads it with ``os.wait4``) is its own and nothing stays cached.

``python -m bench.scale_child STEP ARGS...`` prints one JSON object on its last line:

  baseline                  the same imports, nothing loaded (the memory every step starts with)
  load-ours FILE STORE      ``graph.files.load_file`` into a new store (the ontology is loaded
                            first, outside the timing): the bulk path for a file of 32 MiB or
                            more (graph/bulk.py), else parse, checks, one transaction with
                            provenance and entailments
  load-bulk FILE STORE      pyoxigraph's ``Store.bulk_load`` of the same file into a new store
  load-extend FILE STORE    pyoxigraph's transactional ``Store.extend`` of the parsed file
  load-rdflib FILE          rdflib parsing the same file into a ``Graph``
  queries STORE [--repeat N] [--rdflib] [--rdflib-seconds S]
                            the questions in process: wsis-kg uncached and cached, the same
                            SPARQL on raw pyoxigraph (the same store), on rdflib's engine
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.http_systems import named_sparql
from bench.loadgen import percentile

ACTION_LINE = "C5"
SEARCH_WORDS = "security"

# Three hops from an Action Line back to resolutions: the clauses that support it, their
# sections, the resolution versions of those, and the resolution of each version.
THREE_HOP = """PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?resolution (COUNT(DISTINCT ?clause) AS ?clauses)
WHERE {
  ?al skos:notation "C5" .
  ?clause a wsis:Clause ; wsis:supportsActionLine ?al .
  ?section wsis:hasClause ?clause .
  ?version wsis:hasSection ?section .
  ?version dcterms:isVersionOf ?resolution .
}
GROUP BY ?resolution
ORDER BY DESC(?clauses) ?resolution
"""

# Without a text index: every clause whose text contains the word (what a SPARQL user runs)
SEARCH_SPARQL = f"""PREFIX wsis: <https://w3id.org/wsis-kg/ontology#>
SELECT ?clause ?text
WHERE {{
  ?clause a wsis:Clause ; wsis:text ?text .
  FILTER(CONTAINS(LCASE(?text), "{SEARCH_WORDS}"))
}}
"""


@dataclass
class Timing:
    runs: int
    p50: float
    p99: float
    rows: int

    def as_json(self) -> dict[str, Any]:
        return {"runs": self.runs, "p50": self.p50, "p99": self.p99, "rows": self.rows}


def timed(
    call: Callable[[], int], repeat: int, budget: float | None = None, warm: bool = True
) -> Timing:
    """``repeat`` runs of ``call`` (which returns the number of rows), or fewer when
    ``budget`` seconds are spent (at least one); seconds per run."""
    if warm:
        call()
    times: list[float] = []
    rows = 0
    spent = 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = call()
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        spent += elapsed
        if budget is not None and spent >= budget:
            break
    return Timing(len(times), statistics.median(times), percentile(times, 99), rows)


def _print(result: dict[str, Any]) -> None:
    print(json.dumps(result), flush=True)


def baseline(_: argparse.Namespace) -> dict[str, Any]:
    import rdflib  # noqa: F401

    import graph.files
    import graph.store  # noqa: F401

    return {}


def load_ours(args: argparse.Namespace) -> dict[str, Any]:
    """What ``graph.files.load_file`` does (the ontology is loaded first, outside the timing).

    A file of ``WSISKG_BULK_LOAD_BYTES`` or more (32 MiB: the 1M file and up) takes the bulk
    path (graph/bulk.py), whose phases are timed apart. A smaller one takes the transactional
    path, timed in its two steps: reading the file (parse, NFC and identifier checks) and the
    one transaction (the triples, provenance, release, entailments); then the entailment
    rules alone, run again, for what they cost inside that transaction."""
    from graph.bulk import Phases
    from graph.files import load_file, prepare
    from graph.settings import Settings
    from graph.store import KnowledgeGraph

    kg = KnowledgeGraph.open(Path(args.store))
    kg.load_ontology()
    path = Path(args.file)
    threshold = Settings().bulk_load_bytes
    if 0 < threshold <= path.stat().st_size:
        phases = Phases()
        started = time.perf_counter()
        loaded = load_file(kg, path, bulk_bytes=threshold, phases=phases)
        seconds = time.perf_counter() - started
        record = loaded.records[0]
        result: dict[str, Any] = {
            "path": "bulk",
            "seconds": seconds,
            "phases": phases.seconds,
            "parts": phases.parts,
        }
    else:
        started = time.perf_counter()
        prepared, _ = prepare(path, kg.ids)
        read = time.perf_counter()
        record = kg.load(prepared)
        seconds = time.perf_counter() - started
        transaction = time.perf_counter() - read
        rules_started = time.perf_counter()
        kg.recompute_entailments()
        rules = time.perf_counter() - rules_started
        result = {
            "path": "transaction",
            "seconds": seconds,
            "read_seconds": read - started,
            "transaction_seconds": transaction,
            "rules_seconds": rules,
        }
    result.update({"triples": record.triples, "quads": len(kg), "entailments": record.entailments})
    kg.close()
    return result


def load_extend(args: argparse.Namespace) -> dict[str, Any]:
    """pyoxigraph's transactional insert, ``Store.extend``, of the parsed file: the floor of
    a load that is one transaction (no checks, provenance or entailments)."""
    store = ox.Store(args.store)
    graph = ox.NamedNode("https://w3id.org/wsis-kg/id/graph/extend")
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(path=args.file, format=ox.RdfFormat.N_TRIPLES)
    ]
    started = time.perf_counter()
    store.extend(quads)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "quads": len(store)}


def load_bulk(args: argparse.Namespace) -> dict[str, Any]:
    store = ox.Store(args.store)
    graph = ox.NamedNode("https://w3id.org/wsis-kg/id/graph/bulk")
    started = time.perf_counter()
    store.bulk_load(path=args.file, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "quads": len(store)}


def load_rdflib(args: argparse.Namespace) -> dict[str, Any]:
    import rdflib

    started = time.perf_counter()
    g = rdflib.Graph()
    g.parse(args.file, format="nt")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "triples": len(g)}


def _rdflib_dataset(kg: Any, out: dict[str, Any]) -> Any:
    """rdflib's ``Dataset`` of the store's quads (its N-Quads export), the parse timed."""
    import rdflib

    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.nq"
        kg.export("nquads", export)
        started = time.perf_counter()
        dataset = rdflib.Dataset(default_union=True)
        dataset.parse(str(export), format="nquads")
        out["rdflib_parse_seconds"] = time.perf_counter() - started
    return dataset


def _measure(
    args: argparse.Namespace,
    uncached: Callable[[], int],
    cached: Callable[[], int] | None,
    raw: Callable[[], int],
    text: str,
    dataset: Any,
) -> dict[str, Any]:
    """One question on every system, interleaved, so that a change of the machine's load
    hits all alike."""
    entry: dict[str, Any] = {"ours_uncached": timed(uncached, args.repeat).as_json()}
    if cached is not None:
        entry["ours_cached"] = timed(cached, args.repeat * 10).as_json()
    entry["raw"] = timed(raw, args.repeat).as_json()
    if dataset is not None:

        def rdflib_rows() -> int:
            return len(list(dataset.query(text)))

        entry["rdflib"] = timed(
            rdflib_rows, args.repeat, budget=args.rdflib_seconds, warm=False
        ).as_json()
    return entry


def queries(args: argparse.Namespace) -> dict[str, Any]:
    from graph import catalogue
    from graph.cache import AnswerCache
    from graph.service import QueryService
    from graph.store import KnowledgeGraph
    from graph.values import solution_rows

    kg = KnowledgeGraph.open(Path(args.store))
    service = QueryService(kg)  # in this process, as the API runs a store without workers
    raw = kg.store
    assert isinstance(raw, ox.Store)
    out: dict[str, Any] = {"questions": {}}

    def raw_rows(text: str) -> Callable[[], int]:
        def call() -> int:
            result = raw.query(text, use_default_graph_as_union=True)
            assert isinstance(result, ox.QuerySolutions)
            return len([tuple(solution) for solution in result])

        return call

    def named(name: str, values: dict[str, str]) -> tuple[Callable[[], int], Callable[[], int]]:
        def uncached() -> int:
            service.answers = AnswerCache()
            return len(catalogue.run(service, name, values).rows)

        def cached() -> int:
            return len(catalogue.run(service, name, values).rows)

        return uncached, cached

    def sparql_ours(text: str) -> tuple[Callable[[], int], Callable[[], int]]:
        key = ("bench", text)

        def compute(_: object) -> int:
            result = kg.query(text)
            assert isinstance(result, ox.QuerySolutions)
            return len(solution_rows(result)[1])

        def uncached() -> int:
            service.answers = AnswerCache()
            return service.answers.get_or_compute(kg.current_release(), key, compute, service)

        def cached() -> int:
            return service.answers.get_or_compute(kg.current_release(), key, compute, service)

        return uncached, cached

    started = time.perf_counter()
    index = service.search_index()
    index.ensure_current(kg)
    out["index_seconds"] = time.perf_counter() - started

    def search() -> int:
        return index.search(SEARCH_WORDS, limit=20).total

    questions: dict[str, tuple[Callable[[], int], Callable[[], int] | None, str]] = {
        "headline": (
            *named("supporting-work", {"action_line": ACTION_LINE}),
            named_sparql("supporting-work", {"action_line": ACTION_LINE}),
        ),
        "matrix": (*named("matrix", {}), named_sparql("matrix", {})),
        "search": (search, None, SEARCH_SPARQL),
        "three-hop": (*sparql_ours(THREE_HOP), THREE_HOP),
    }
    dataset = _rdflib_dataset(kg, out) if args.rdflib else None
    for key, (uncached, cached, text) in questions.items():
        asked = None if key in args.rdflib_skip else dataset
        entry = _measure(args, uncached, cached, raw_rows(text), text, asked)
        if key == "matrix":
            # what wsis-kg pays once per release for it (graph/catalogue.py, precompute)
            def precompute() -> int:
                service.precomputed.clear()
                return len(catalogue.precomputed(service, catalogue.get("matrix")).rows)

            entry["precompute"] = timed(precompute, args.repeat).as_json()
        out["questions"][key] = entry
        print(f"[scale] {key}: {json.dumps(entry)}", file=sys.stderr, flush=True)
    index.close()
    kg.close()
    return out


STEPS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "baseline": baseline,
    "load-ours": load_ours,
    "load-bulk": load_bulk,
    "load-extend": load_extend,
    "load-rdflib": load_rdflib,
    "queries": queries,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale_child")
    parser.add_argument("step", choices=list(STEPS))
    parser.add_argument("file", nargs="?")
    parser.add_argument("store", nargs="?")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rdflib", action="store_true")
    parser.add_argument("--rdflib-seconds", type=float, default=60.0)
    parser.add_argument("--rdflib-skip", action="append", default=[], help="a question not asked")
    args = parser.parse_args(argv)
    if args.step == "queries":
        args.store = args.file
    _print(STEPS[args.step](args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
