"""Running the http benchmark's load: each system warmed up, then loaded in turn, round after
round (the order rotating), so that all of them see the same machine; and where a request to
the headline route spends its time, measured in process.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.responses import JSONResponse

from api.routes import DEFAULT_LIMIT
from api.shaping import work_items
from bench.http_report import ms
from bench.http_systems import ACTION_LINE, NAMED_QUERY, Settings, System, say
from bench.loadgen import RunResult, run_load
from bench.servers import (
    HOST,
)
from graph import catalogue
from graph.service import QueryService
from graph.store import KnowledgeGraph


def measure(
    system: System, settings: Settings, seconds: float | None, count: int | None
) -> RunResult:
    return measured_load(
        system.server.port,
        system.raw(),
        system.server.cpu_seconds,
        settings.connections,
        seconds,
        count,
    )


def measured_load(
    port: int,
    request: bytes,
    cpu: Callable[[], float | None],
    connections: int,
    seconds: float | None,
    count: int | None,
) -> RunResult:
    """``request`` sent to ``port`` of 127.0.0.1 for ``seconds`` (or ``count`` times) over
    ``connections``, with the CPU seconds the server spent meanwhile (``cpu``: its total so
    far, None when it cannot be read)."""
    before = cpu()
    result = run_load(HOST, port, request, connections=connections, duration=seconds, count=count)
    after = cpu()
    result.server_cpu = None if before is None or after is None else after - before
    return result


def run_rounds(systems: list[System], settings: Settings) -> None:
    for system in systems:
        if not system.bounded and settings.warmup > 0:
            # the check above already ran each query once; the bounded (slow) system's
            # warm-up is that request
            measure(system, settings, settings.warmup, None)
    slot = settings.duration / settings.rounds
    per_round = math.ceil(settings.rdflib_requests / settings.rounds)
    left = settings.rdflib_requests
    for r in range(settings.rounds):
        order = systems[r % len(systems) :] + systems[: r % len(systems)]
        for system in order:
            if system.bounded:
                count = min(per_round, left)
                if count <= 0:
                    continue
                left -= count
                result = measure(system, settings, None, count)
            else:
                result = measure(system, settings, slot, None)
            system.result.merge(result)
            say(
                f"round {r + 1}/{settings.rounds} {system.key:<14} {result.requests:>6} req "
                f"{result.throughput:>8.1f} req/s  p50 {ms(result.percentile(50))} ms  "
                f"p99 {ms(result.percentile(99))} ms  errors {result.errors}"
            )


def route_breakdown(store: Path, repeat: int) -> dict[str, float]:
    """Where a request to the headline route spends its time, measured in this process on
    the same store (the servers stopped): the catalogue call (a cache hit), shaping the rows
    into items, serialising the JSON answer; CPU seconds each."""
    values: dict[str, str | list[str]] = {"action_line": ACTION_LINE, "evidence": []}
    kg = KnowledgeGraph.open(store)  # the store the servers answered from: it opens
    service = QueryService(kg)  # in this process: the catalogue call's cache is the service's
    try:
        answer = catalogue.run(service, NAMED_QUERY, values)
        items = work_items(answer.rows)
        payload = {
            "action_line": ACTION_LINE,
            "items": [i.model_dump(mode="json") for i in items[:DEFAULT_LIMIT]],
        }

        def timed(step: Callable[[], object]) -> float:  # CPU seconds, like the servers'
            started = time.process_time()
            for _ in range(repeat):
                step()
            return (time.process_time() - started) / repeat

        return {
            "catalogue call (cached)": timed(lambda: catalogue.run(service, NAMED_QUERY, values)),
            "rows into items": timed(lambda: work_items(answer.rows)),
            "JSON serialisation": timed(lambda: JSONResponse(payload)),
        }
    finally:
        kg.close()
