"""The http benchmark's report: the figures, the ratios and the targets, in Markdown."""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from datetime import datetime

from bench.http_systems import NAMED_QUERY, SMOKE_LEAVES_OUT, SPARQL_JSON, Settings, System
from bench.loadgen import RunResult
from bench.report import table
from bench.servers import (
    Server,
)

TIMES = "\u00d7"  # the multiplication sign

# the targets of issue 4
ROUTE_VS_CEILING = 2.0  # the ceiling's throughput at most this many times ours
SPARQL_VS_OXIGRAPH = 1.5  # our /sparql latency at most this many times Oxigraph server's
FAR_AHEAD = 10.0  # "far ahead of rdflib-endpoint": at least this many times its throughput
BORDERLINE = "; borderline: within 10% of the target, inside the noise of a shared machine"


def rate(per_second: float) -> str:
    """Requests per second: one decimal, or two significant digits below 1 (rdflib-endpoint's
    0.01 must not read as 0)."""
    if math.isnan(per_second):
        return "n/a"
    return f"{per_second:.2g}" if per_second < 1 else f"{per_second:,.1f}"


def ms(seconds: float) -> str:
    if math.isnan(seconds):
        return "n/a"
    value = seconds * 1000
    if value < 10:
        return f"{value:.2f}"
    if value < 100:
        return f"{value:.1f}"
    return f"{value:,.0f}"


def ratio(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        return "n/a"
    if value < 0.1:
        return f"{value:.2g}{TIMES}"
    return f"{value:.2f}{TIMES}" if value < 10 else f"{value:,.0f}{TIMES}"


def _div(a: float, b: float) -> float:
    return a / b if b else math.nan


def ratio_cells(a: RunResult, b: RunResult) -> list[str]:
    """``a`` over ``b``: throughput, p50 and p99 latency, as table cells."""
    return [
        ratio(_div(a.throughput, b.throughput)),
        ratio(_div(a.percentile(50), b.percentile(50))),
        ratio(_div(a.percentile(99), b.percentile(99))),
    ]


def per_request_cpu(result: RunResult) -> float:
    if result.server_cpu is None or not result.requests:
        return math.nan
    return result.server_cpu / result.requests


def server_share(result: RunResult) -> str:
    """The server's CPU time over the time under load, in % of one core."""
    if result.server_cpu is None or result.elapsed <= 0:
        return "n/a"
    return f"{result.server_cpu / result.elapsed * 100:.0f}%"


def row(system: System) -> list[str]:
    return result_row(system.name, system.request, system.result)


def result_row(name: str, request: str, r: RunResult) -> list[str]:
    """One line of a results table (the HEADER's columns)."""
    cpu = per_request_cpu(r)
    return [
        name,
        f"`{request}`",
        f"{r.requests:,}",
        str(r.errors),
        rate(r.throughput),
        ms(r.percentile(50)),
        ms(r.percentile(99)),
        ms(max(r.latencies) if r.latencies else math.nan),
        f"{r.body_bytes / r.requests / 1024:,.1f}" if r.requests else "n/a",
        "n/a" if math.isnan(cpu) else f"{cpu * 1000:.2f}",
        server_share(r).removesuffix("%"),
        f"{_div(r.client_cpu, r.elapsed) * 100:.0f}",
    ]


HEADER = [
    "system",
    "request",
    "requests",
    "errors",
    "req/s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "KB/answer",
    "server CPU ms/answer",
    "server CPU %",
    "client CPU %",
]


@dataclass
class Verdict:
    target: str
    measured: str
    met: bool
    detail: str


def verdicts(by: dict[str, System]) -> list[Verdict]:
    ours_route, ours_sparql = by["ours-route"].result, by["ours-sparql"].result
    ceiling, ceiling_sync = by["ceiling-async"].result, by["ceiling-sync"].result
    oxigraph, rdflib = by["oxigraph"].result, by["rdflib"].result
    found: list[Verdict] = []

    times = _div(ceiling.throughput, ours_route.throughput)
    times_sync = _div(ceiling_sync.throughput, ours_route.throughput)
    met = times <= ROUTE_VS_CEILING
    found.append(
        Verdict(
            f"the cached headline route within {ROUTE_VS_CEILING:g}{TIMES} of the ceiling's "
            "throughput",
            f"the ceiling (async def) answers {ratio(times)} as many requests per second "
            f"({ceiling.throughput:,.0f} against {ours_route.throughput:,.0f}); "
            f"the def ceiling {ratio(times_sync)}. By server CPU per answer: "
            f"{ratio(_div(per_request_cpu(ours_route), per_request_cpu(ceiling)))} and "
            f"{ratio(_div(per_request_cpu(ours_route), per_request_cpu(ceiling_sync)))}",
            met,
            (
                f"with {(1 - times / ROUTE_VS_CEILING) * 100:.0f}% to spare"
                if met
                else f"by {times / ROUTE_VS_CEILING:.1f}{TIMES}: the route would need "
                f"{ratio(times / ROUTE_VS_CEILING)} its throughput "
                f"({ceiling.throughput / ROUTE_VS_CEILING:,.0f} req/s)"
            )
            + (BORDERLINE if 0.9 < times / ROUTE_VS_CEILING < 1.1 else ""),
        )
    )
    for q in (50, 99):
        times = _div(ours_sparql.percentile(q), oxigraph.percentile(q))
        met = times <= SPARQL_VS_OXIGRAPH
        found.append(
            Verdict(
                f"/sparql within {SPARQL_VS_OXIGRAPH:g}{TIMES} of Oxigraph server's latency (p{q})",
                f"p{q} {ms(ours_sparql.percentile(q))} ms against "
                f"{ms(oxigraph.percentile(q))} ms: {ratio(times)}",
                met,
                (
                    f"with {(1 - times / SPARQL_VS_OXIGRAPH) * 100:.0f}% to spare"
                    if met
                    else f"by {times / SPARQL_VS_OXIGRAPH:.2f}{TIMES} "
                    f"(p{q} would need to be {ms(oxigraph.percentile(q) * SPARQL_VS_OXIGRAPH)}"
                    " ms)"
                )
                + (BORDERLINE if 0.9 < times / SPARQL_VS_OXIGRAPH < 1.1 else ""),
            )
        )
    for label, ours in (("the headline route", ours_route), ("/sparql", ours_sparql)):
        times = _div(ours.throughput, rdflib.throughput)
        latency = _div(rdflib.percentile(50), ours.percentile(50))
        met = times >= FAR_AHEAD
        found.append(
            Verdict(
                f"{label} far ahead of rdflib-endpoint (≥ {FAR_AHEAD:g}{TIMES} its throughput)",
                f"{ratio(times)} its throughput; p50 {ratio(latency)} lower",
                met,
                "" if met else f"by {FAR_AHEAD / times:.1f}{TIMES}",
            )
        )
    return found


def observations(
    by: dict[str, System], settings: Settings, breakdown: dict[str, float] | None
) -> list[str]:
    """Facts that explain the figures, computed from them."""
    route, ceiling, ceiling_sync = by["ours-route"], by["ceiling-async"], by["ceiling-sync"]
    sparql, oxigraph = by["ours-sparql"], by["oxigraph"]
    out: list[str] = []
    r_cpu, c_cpu = per_request_cpu(route.result), per_request_cpu(ceiling.result)
    d_cpu = per_request_cpu(ceiling_sync.result)
    if not (math.isnan(r_cpu) or math.isnan(c_cpu)):
        kb = route.result.body_bytes / max(1, route.result.requests) / 1024
        route_tp, ceiling_tp = route.result.throughput, ceiling.result.throughput
        text = (
            f"The headline route costs its server {r_cpu * 1000:.2f} ms of CPU per answer, "
            f"the constant routes {c_cpu * 1000:.2f} ms (async def) and {d_cpu * 1000:.2f} ms "
            f"(def): {ratio(_div(r_cpu, c_cpu))} and {ratio(_div(r_cpu, d_cpu))}, against "
            f"throughput ratios of {ratio(_div(ceiling_tp, route_tp))} and "
            f"{ratio(_div(ceiling_sync.result.throughput, route_tp))}. CPU per answer is the "
            "steadier comparison on a shared machine: throughput also depends on how much of "
            f"a core each server got under load (wsis-kg {server_share(route.result)}, the "
            f"ceiling {server_share(ceiling.result)} of one core). The cache keeps the "
            "query's rows per release, so no SPARQL runs; each request still pays the "
            "framework (a `def` route, so the thread pool), the ETag and metrics "
            f"middlewares, shaping the rows into items and serialising {kb:.0f} KB of JSON."
        )
        if breakdown:
            parts = ", ".join(f"{name} {sec * 1000:.2f} ms" for name, sec in breakdown.items())
            rest = r_cpu - sum(breakdown.values())
            text += f" Measured in-process (CPU time) on the same store: {parts}" + (
                f"; the other {rest * 1000:.2f} ms of the {r_cpu * 1000:.2f} ms are the HTTP "
                "server, the framework and the middlewares."
                if rest > 0
                else "."
            )
        out.append(text)
    s_cpu, o_cpu = per_request_cpu(sparql.result), per_request_cpu(oxigraph.result)
    if not (math.isnan(s_cpu) or math.isnan(o_cpu)):
        out.append(
            f"A /sparql request costs wsis-kg {s_cpu * 1000:.1f} ms of CPU (the service and "
            f"its query workers together), Oxigraph server {o_cpu * 1000:.1f} ms "
            f"({ratio(_div(s_cpu, o_cpu))}). Both evaluate the query with the same engine "
            "(Oxigraph 0.5); wsis-kg adds the hop from the event loop to a thread, to a "
            "query worker process and back (the query's deadline can kill the worker), "
            "and the HTTP framework; the query workers (WSISKG_QUERY_WORKERS, 2 by default) "
            "bound how many queries run at once, where Oxigraph's server evaluates queries "
            "on its own threads."
        )
    for system in by.values():
        share = _div(system.result.client_cpu, system.result.elapsed)
        if share > 0.8:
            out.append(
                f"The load generator used {share * 100:.0f}% of a core while loading "
                f"{system.name} (`{system.request}`): on this machine it competes with the "
                "server for the cores, so that figure is a lower bound of what the server "
                "can do."
            )
    rdflib = by["rdflib"].result
    fastest = min(rdflib.latencies) if rdflib.latencies else math.nan
    out.append(
        "rdflib-endpoint evaluates a query on its event loop, one at a time, "
        f"{ms(per_request_cpu(rdflib))} ms of CPU each, so its latency is mostly waiting in "
        f"line: its {rdflib.requests} requests went in rounds of up to "
        f"{settings.connections}, all sent at once, and took from {ms(fastest)} to "
        f"{ms(max(rdflib.latencies, default=math.nan))} ms. Its p99 is its slowest request."
    )
    return out


def busy_note(facts: dict[str, str]) -> str:
    """A warning when other work kept the machine's cores busy during the run."""
    cores = int(facts["cores"]) if facts.get("cores", "").isdigit() else 0
    loads = []
    for key in ("load average before the run", "load average after the run"):
        with contextlib.suppress(ValueError, IndexError, KeyError):
            loads.append(float(facts[key].split()[0]))
    if not cores or not loads or max(loads) <= cores:
        return ""
    return (
        f"The machine was busy with other work during this run (1-minute load average up to "
        f"{max(loads):.1f} on {cores} cores): every system got less CPU than on a quiet "
        "machine, throughputs are lower and latencies longer than they would be, and the "
        "ratios, taken side by side, are what to read; CPU per answer is the steadiest."
    )


def render(
    systems: list[System],
    settings: Settings,
    command: str,
    started: datetime,
    facts: dict[str, str],
    prepared: dict[str, float],
    checks: list[str],
    servers: dict[str, Server],
    breakdown: dict[str, float] | None,
) -> str:
    by = {s.key: s for s in systems}
    parts: list[str] = []
    title = f"## HTTP: the headline route and SPARQL at {settings.connections} connections"
    if settings.smoke:
        title += (
            " (smoke run on reduced data, the built-in data without "
            f"{', '.join(SMOKE_LEAVES_OUT)}: the figures mean nothing)"
        )
    parts.append(title)
    parts.append(
        f"Command: `{command}`  \n"
        f"Date: {started:%Y-%m-%d %H:%M} UTC  \n"
        f"Load per system: {settings.duration:g} s in {settings.rounds} round(s) "
        f"(after a {settings.warmup:g} s warm-up), rdflib-endpoint "
        f"{settings.rdflib_requests} requests; {settings.connections} keep-alive "
        "connections on 127.0.0.1."
    )
    machine_text = "### Machine\n\n" + table(["", ""], [[k, v] for k, v in facts.items()])
    busy = busy_note(facts)
    if busy:
        machine_text += "\n" + busy
    parts.append(machine_text)
    parts.append(
        "### How\n\n"
        "Every server runs in its own process on a free port of 127.0.0.1; the load generator "
        "(`bench/loadgen.py`: asyncio, HTTP/1.1 keep-alive, closed loop: each connection sends "
        "its next request when it has read the previous answer to the end) is the benchmark's "
        "process. The systems take turns, round after round in a rotating order, so that a "
        "change in the load of this shared machine affects them all alike; their rounds are "
        "then added up. Latency is from writing the request to reading the last byte of the "
        "answer; req/s is answers divided by the time under load. No request carries "
        "`If-None-Match`: every answer is a full 200. The servers run as shipped: `wsiskg "
        'serve` (uvicorn, `log_level="info"`, defaults otherwise, access log to a file), '
        "the ceiling and rdflib-endpoint under the same `uvicorn.run` settings, Oxigraph's "
        "`serve-read-only --union-default-graph` on a database loaded from wsis-kg's "
        "N-Quads export and optimised. Server CPU is user + system time of the server's "
        "processes (with wsis-kg's query workers) during the load, per answer; client CPU "
        "is the load generator's, in % of one core.\n\n"
        "Before timing, the answers were compared:\n\n"
        + "".join(f"- {line}\n" for line in checks)
        + "\nThe SPARQL query is the named query `"
        + NAMED_QUERY
        + '` (`graph/queries/supporting-work.rq`) with `VALUES ?action_line { "C5" }` '
        "written in and every PREFIX spelled out; the same text goes to every system "
        f"(`GET ?query=`, `Accept: {SPARQL_JSON}`)."
    )
    route_rows = [row(by[k]) for k in ("ours-route", "ceiling-async", "ceiling-sync")]
    rdflib_row = row(by["rdflib"])
    rdflib_row[0] = "rdflib-endpoint¹"
    parts.append(
        "### The headline route\n\n"
        + table(HEADER, [*route_rows, rdflib_row], "llrrrrrrrrrr")
        + "\n¹ The same question as SPARQL (rdflib-endpoint has no REST route): the row of "
        "the next table."
    )
    parts.append(
        "### SPARQL: the query behind the route\n\n"
        + table(HEADER, [row(by[k]) for k in ("ours-sparql", "oxigraph", "rdflib")], "llrrrrrrrrrr")
    )
    pairs = [
        ("headline route", "ours-route", "ceiling (async def)", "ceiling-async"),
        ("headline route", "ours-route", "ceiling (def)", "ceiling-sync"),
        ("headline route", "ours-route", "rdflib-endpoint (SPARQL)", "rdflib"),
        ("/sparql", "ours-sparql", "Oxigraph server", "oxigraph"),
        ("/sparql", "ours-sparql", "rdflib-endpoint", "rdflib"),
    ]
    ratio_rows = []
    for label, ours_key, other, other_key in pairs:
        a, b = by[ours_key].result, by[other_key].result
        ratio_rows.append([label, other, *ratio_cells(a, b)])
    parts.append(
        "### Ratios (ours / theirs)\n\n"
        f"Throughput above 1{TIMES} and latency below 1{TIMES} favour wsis-kg.\n\n"
        + table(
            ["wsis-kg", "against", "req/s ours/theirs", "p50 ours/theirs", "p99 ours/theirs"],
            ratio_rows,
            "llrrr",
        )
    )
    verdict_rows = [
        [v.target, v.measured, ("**met**" if v.met else "**missed**"), v.detail]
        for v in verdicts(by)
    ]
    parts.append(
        "### Targets\n\n" + table(["target", "measured", "verdict", "by"], verdict_rows, "llll")
    )
    parts.append(
        "### Why\n\n" + "".join(f"- {line}\n" for line in observations(by, settings, breakdown))
    )
    setup = [[step, f"{seconds:.1f}"] for step, seconds in prepared.items()]
    setup += [
        [f"{server.name} ready after", f"{server.started_in:.1f}"]
        for server in servers.values()
        if server.started_in is not None
    ]
    parts.append(
        "### Set-up (seconds)\n\n"
        + table(["step", "s"], setup, "lr")
        + (
            "\n(wsis-kg serves the reduced data as it is, `--no-builtin`; "
            if settings.smoke
            else "\n(wsis-kg restarts on a store whose data did not change, checking it; "
        )
        + "rdflib-endpoint parses the whole export before it listens.)"
    )
    return "\n\n".join(parts) + "\n"
