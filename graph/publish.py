"""A write's release, published once the answers asked most recently are computed on it.

The query service (graph/service.py) calls :func:`publish` from its commit hook, last, when
its queries run in the worker pool: the new release is checkpointed (not yet current), the
answers asked most recently (at most ``settings.warm_answers``, for ``settings.warm_seconds``
at most; only those whose last computation fits in that time) are computed on it in the
workers, its queries pinned to it, then it is published.
Until then every query answers from the release before the write (its cached answers, its
checkpoint), so a write does not leave the lookups to compute everything again while it is
being stored; the writer returns once its release is published (a client that reads after
its write sees it). An answer not computed in time is computed when asked, as before.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from graph.cache import Kept
from graph.catalogue import Queries
from graph.checkpoints import Checkpoint
from graph.executor import QueryExecutor
from graph.settings import Settings

_log = logging.getLogger("wsiskg.service")


def publish(source: Queries, executor: QueryExecutor, settings: Settings) -> None:
    """Publish the store's latest commit on ``executor``, ``source``'s answers warmed first."""
    before = executor.release  # the one published: its answers are the ones to warm
    with executor.next_release() as staged:
        if staged is not None and before != staged.release:
            recipes = source.answers.recent(before, settings.warm_answers)
            warm(source, executor, staged, recipes, settings.warm_seconds)


def affordable(kept: list[Kept], seconds: float, workers: int) -> list[Kept]:
    """The answers to warm, most recent first: those whose last computation fits in
    ``seconds`` and, together, in ``workers`` x ``seconds`` of the workers' time. A slower
    one would be stopped at the deadline (its worker killed and started again) and delay the
    write: it is computed when next asked instead."""
    chosen, total = [], 0.0
    for item in kept:
        if item.seconds <= seconds and total + item.seconds <= seconds * workers:
            chosen.append(item)
            total += item.seconds
    return chosen


def warm(
    source: Queries, executor: QueryExecutor, staged: Checkpoint, kept: list[Kept], seconds: float
) -> None:
    """Compute the :func:`affordable` ``kept`` answers on ``staged`` into ``source``'s
    answers, in parallel, for at most ``seconds`` (each query's deadline ends by then); one
    that fails is left out."""
    # one worker left to the queries that come meanwhile (on the release before the write)
    workers = max(1, executor.workers - 1)
    chosen = affordable(kept, seconds, workers)
    if not chosen:
        return
    end = time.monotonic() + seconds
    source.answers.open(staged.release)

    def compute(item: Kept) -> None:
        if time.monotonic() > end:
            return
        started = time.monotonic()
        with executor.pinned(staged, until=end):
            try:
                value = item.recipe(source)
            except Exception as e:  # computed when asked instead (its error then)
                _log.info(
                    "warming %s for %s: %s: %s", item.key, staged.release, type(e).__name__, e
                )
                return
        source.answers.put(staged.release, item.key, value, item.recipe, time.monotonic() - started)

    with ThreadPoolExecutor(min(len(chosen), workers)) as pool:
        list(pool.map(compute, chosen))
