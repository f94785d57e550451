"""What the http benchmark measures: the query and the check that every system gives the same
answer, the data prepared once, the servers under test and the requests each is sent.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.loadgen import RunResult, get_request, post_form_request
from bench.servers import (
    HOST,
    BenchError,
    Server,
    executable,
    free_port,
    run_step,
    wsiskg,
)
from graph import catalogue
from graph.builtin import BUILTIN_SOURCES
from ontology import sparql_prefixes

ACTION_LINE = "C5"
ROUTE = f"/action-lines/{ACTION_LINE}/supporting-work"
SPARQL_JSON = "application/sparql-results+json"
NAMED_QUERY = "supporting-work"


# ---------------------------------------------------------------- the query and its checks


def named_sparql(name: str, values: dict[str, str]) -> str:
    """A named query as any SPARQL server or engine takes it: every PREFIX spelled out, and
    the parameters written into the query as VALUES blocks (the terms the catalogue binds)."""

    query = catalogue.get(name)
    # without comment lines and indentation: the text goes in a GET request's URL, which a
    # server bounds (Oxigraph server: 8 KiB of request head)
    lines = [
        line.strip()
        for line in query.text.splitlines()
        if line.strip()
        and not line.lstrip().startswith("#")
        and not line.upper().startswith("PREFIX ")
    ]
    body = "\n".join(lines).strip()
    if "WHERE {" not in body:
        raise BenchError(f"the named query {name!r} has no 'WHERE {{'")
    for key, value in values.items():
        term = query.param(key).term(value)
        body = body.replace("WHERE {", f"WHERE {{\n  VALUES ?{key} {{ {term} }}", 1)
    return sparql_prefixes() + body + "\n"


def sparql_text() -> str:
    """The named query behind the headline route, C5 written in."""
    return named_sparql(NAMED_QUERY, {"action_line": ACTION_LINE})


@dataclass
class Answer:
    rows: int
    links: list[str]
    works: set[str]
    nbytes: int


def sparql_answer(url: str, query: str) -> Answer:
    # POST (form-encoded, as the SPARQL protocol allows): no bound on the query's length
    response = httpx.post(url, data={"query": query}, headers={"Accept": SPARQL_JSON}, timeout=600)
    if response.status_code != 200:
        raise BenchError(f"{url}: HTTP {response.status_code}: {response.text[:500]}")
    bindings: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return Answer(
        rows=len(bindings),
        links=sorted(b["link"]["value"] for b in bindings if "link" in b),
        # the works the route counts: those of specific support (statements about all Action
        # Lines come apart, uncounted)
        works={
            b["work"]["value"]
            for b in bindings
            if "work" in b and b.get("scope", {}).get("value", "specific") == "specific"
        },
        nbytes=len(response.content),
    )


# ---------------------------------------------------------------- the systems


@dataclass
class System:
    key: str
    scenario: str  # "route" or "sparql"
    name: str
    request: str  # as shown in the report
    server: Server
    path: str
    params: dict[str, str] | None = None
    accept: str = "application/json"
    bounded: bool = False  # a number of requests rather than a duration
    result: RunResult = field(default_factory=RunResult)
    method: str = "GET"  # POST: the parameters form-encoded in the body

    def raw(self) -> bytes:
        if self.method == "POST":
            return post_form_request(
                HOST, self.server.port, self.path, self.params or {}, self.accept
            )
        return get_request(HOST, self.server.port, self.path, self.params, self.accept)


@dataclass
class Settings:
    duration: float
    connections: int
    rounds: int
    warmup: float
    rdflib_requests: int
    smoke: bool


SMOKE_CONNECTIONS = 4


def settings_from(args: argparse.Namespace) -> Settings:
    if args.smoke:
        # at most 4 connections: the slow SPARQL servers take every request of a round at
        # once (16 headline queries kept Oxigraph server and rdflib-endpoint busy 6-8 s each
        # on 2 cores, half the smoke run); the full run measures at --connections
        connections = min(args.connections, SMOKE_CONNECTIONS)
        return Settings(
            duration=0.5,
            connections=connections,
            rounds=1,
            warmup=0.2,
            # one round's worth, all sent at once: on the reduced data (prepare) each takes
            # a fraction of a second (over the whole built-in data, ~95 s)
            rdflib_requests=connections,
            smoke=True,
        )
    if args.duration <= 0 or args.rounds < 1 or args.connections < 1:
        raise BenchError("--duration, --rounds and --connections must be positive")
    return Settings(
        duration=args.duration,
        connections=args.connections,
        rounds=args.rounds,
        warmup=max(0.0, args.warmup),
        rdflib_requests=max(1, args.rdflib_requests),
        smoke=False,
    )


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# What a smoke run leaves out of the built-in data: the ITU-T Recommendations table is 350k of
# its 444k triples, and rdflib-endpoint takes ~95 s per headline query over all of it. Without
# it the headline query still has rows (the Action Lines, links, study groups, organs, the
# seed's resolution) for every system to agree on.
SMOKE_LEAVES_OUT = ("itut-recommendations",)


def smoke_files() -> list[Path]:
    """The built-in inputs a smoke run loads: all but :data:`SMOKE_LEAVES_OUT`."""
    return [source.path for source in BUILTIN_SOURCES if source.name not in SMOKE_LEAVES_OUT]


def prepare(
    work: Path,
    source: Path | None = None,
    after_export: Callable[[], None] | None = None,
    *,
    smoke: bool = False,
) -> dict[str, float]:
    """The data, once: a wsis-kg store with the built-in data (loaded by `wsiskg load`, or
    a copy of ``source``), its N-Quads export, and an Oxigraph server database of that
    export. Reused when ``work`` already has them, prepared alike. ``after_export`` is called
    as soon as the export is there (to start a server that reads it while Oxigraph's
    database is loaded). ``smoke``: the reduced data instead (:func:`smoke_files`, loaded by
    `wsiskg load FILE...`; no ``source``)."""
    after_export = after_export or (lambda: None)
    data = "smoke" if smoke else "built-in"
    marker = work / "prepared.json"
    if marker.exists():
        kept: dict[str, Any] = json.loads(marker.read_text())
        # a marker without "data" was written before smoke runs had their own data
        if kept.get("data", "built-in") == data:
            say(f"reusing the data prepared in {work}")
            steps: dict[str, float] = kept.get("steps", kept)
            after_export()
            return steps
        marker.unlink()  # prepared for the other kind of run: prepared again below
    log = work / "prepare.log"
    store, export, oxigraph_db = work / "store", work / "export.nq", work / "oxigraph"
    for stale in (store, oxigraph_db):
        shutil.rmtree(stale, ignore_errors=True)
    steps = {}
    if smoke:
        if source is not None:
            raise BenchError("a smoke run loads its own reduced data: no --from-store")
        left_out = ", ".join(SMOKE_LEAVES_OUT)
        say(f"loading the reduced data (the built-in data without {left_out}) ...")
        files = [str(path) for path in smoke_files()]
        steps["wsiskg load (reduced data)"] = run_step(
            [*wsiskg(), "load", "--store", str(store), *files], log
        )
    elif source is not None:
        if not (source / "CURRENT").is_file():
            raise BenchError(f"{source} is not a store (an Oxigraph database directory)")
        say(f"copying the store {source} ...")
        started = time.monotonic()
        shutil.copytree(source, store)
        steps["copy of a loaded store"] = time.monotonic() - started
    else:
        say("loading the built-in data into a new store (wsiskg load) ...")
        steps["wsiskg load"] = run_step([*wsiskg(), "load", "--store", str(store)], log)
    say("exporting it as N-Quads ...")
    steps["wsiskg export"] = run_step(
        [*wsiskg(), "export", "--store", str(store), "--format", "nquads", "-o", str(export)],
        log,
    )
    after_export()
    say("loading the export into an Oxigraph server database ...")
    oxigraph = executable("oxigraph")
    steps["oxigraph load"] = run_step(
        [oxigraph, "load", "--location", str(oxigraph_db), "--file", str(export)], log
    )
    steps["oxigraph optimize"] = run_step(
        [oxigraph, "optimize", "--location", str(oxigraph_db)], log
    )
    marker.write_text(json.dumps({"data": data, "steps": steps}))
    return steps


def make_servers(work: Path, builtin: bool = True) -> dict[str, Server]:
    """The servers under test (not started yet), each on a free port. ``builtin=False``:
    wsis-kg serves its store as it is (bench/scale.py's generated graphs, a smoke run's
    reduced data)."""
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    store = work / "store"
    servers = {
        # started first: it parses the whole export before it listens
        "rdflib": Server(
            "rdflib-endpoint",
            [
                sys.executable,
                "-m",
                "bench.rdflib_server",
                "--data",
                str(work / "export.nq"),
                "--port",
                str(port := free_port()),
            ],
            port,
            "/sparql?query=ASK%20%7B%7D",
            logs / "rdflib-endpoint.log",
        ),
        "ours": Server(
            "wsis-kg",
            [
                *wsiskg(),
                "serve",
                "--store",
                str(store),
                "--port",
                str(port := free_port()),
                *([] if builtin else ["--no-builtin"]),
            ],
            port,
            "/health",
            logs / "wsiskg.log",
            # one client (127.0.0.1) sends every request: its query time is not budgeted
            env={"WSISKG_STORE": str(store), "WSISKG_QUERY_BUDGET": "0"},
        ),
        "oxigraph": Server(
            "Oxigraph server",
            [
                executable("oxigraph"),
                "serve-read-only",
                "--location",
                str(work / "oxigraph"),
                "--bind",
                f"{HOST}:{(port := free_port())}",
                "--union-default-graph",
            ],
            port,
            "/query?query=ASK%20%7B%7D",
            logs / "oxigraph.log",
        ),
        "ceiling": Server(
            "ceiling",
            [sys.executable, "-m", "bench.ceiling", "--port", str(port := free_port())],
            port,
            "/constant",
            logs / "ceiling.log",
        ),
    }
    return servers


def systems_of(servers: dict[str, Server], query: str) -> list[System]:
    """The systems compared. The SPARQL servers take the query by POST (form-encoded): it is
    longer than Oxigraph server takes in a URL (8 KiB of request head); wsis-kg's /sparql by
    GET, the request its per-release answer cache keeps."""
    q = {"query": query}
    systems = [
        System("ours-route", "route", "wsis-kg", f"GET {ROUTE}", servers["ours"], ROUTE),
        System(
            "ceiling-async",
            "route",
            "ceiling (async def)",
            "GET /constant",
            servers["ceiling"],
            "/constant",
        ),
        System(
            "ceiling-sync",
            "route",
            "ceiling (def)",
            "GET /constant-sync",
            servers["ceiling"],
            "/constant-sync",
        ),
        System(
            "ours-sparql",
            "sparql",
            "wsis-kg",
            "GET /sparql",
            servers["ours"],
            "/sparql",
            q,
            SPARQL_JSON,
        ),
        System(
            "oxigraph",
            "sparql",
            "Oxigraph server",
            "POST /query",
            servers["oxigraph"],
            "/query",
            q,
            SPARQL_JSON,
            method="POST",
        ),
    ]
    if "rdflib" in servers:  # bench/scale.py leaves it out of the larger scales
        systems.append(
            System(
                "rdflib",
                "sparql",
                "rdflib-endpoint",
                "POST /sparql",
                servers["rdflib"],
                "/sparql",
                q,
                SPARQL_JSON,
                method="POST",
                bounded=True,
            )
        )
    return systems


def check_answers(servers: dict[str, Server], query: str) -> list[str]:
    """Every SPARQL system gives the same rows (count and links), and the route the same
    works; else the benchmark would compare different answers. Lines for the report."""
    answers = {
        "wsis-kg /sparql": sparql_answer(servers["ours"].base + "/sparql", query),
        "Oxigraph server /query": sparql_answer(servers["oxigraph"].base + "/query", query),
    }
    if "rdflib" in servers:
        answers["rdflib-endpoint /sparql"] = sparql_answer(
            servers["rdflib"].base + "/sparql", query
        )
    reference = answers["wsis-kg /sparql"]
    for name, answer in answers.items():
        say(f"{name}: {answer.rows} rows, {len(answer.works)} works")
        if answer.rows != reference.rows or answer.links != reference.links:
            raise BenchError(
                f"{name} gives {answer.rows} rows, wsis-kg /sparql {reference.rows}: "
                "the systems do not give the same answer, so they cannot be compared"
            )
    if reference.rows == 0:
        raise BenchError("the query gives no rows: nothing to compare")
    response = httpx.get(servers["ours"].base + ROUTE, timeout=120)
    if response.status_code != 200:
        raise BenchError(f"GET {ROUTE}: HTTP {response.status_code}: {response.text[:300]}")
    route = response.json()
    if route["total"] != len(reference.works):
        raise BenchError(
            f"GET {ROUTE} counts {route['total']} works, the query {len(reference.works)}"
        )
    for path in ("/constant", "/constant-sync"):
        httpx.get(servers["ceiling"].base + path, timeout=30).raise_for_status()
    return [
        f"each SPARQL system gave the same {reference.rows} rows "
        f"(the same {len(reference.links)} links, {len(reference.works)} works); "
        f"{reference.nbytes / 1024:.0f} KB of SPARQL JSON from wsis-kg",
        f"`GET {ROUTE}` counts the same {route['total']} works and gives the first "
        f"{len(route['items'])} ({len(response.content) / 1024:.0f} KB of JSON)",
    ]
