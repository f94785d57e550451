"""A write's release, published once the answers asked most recently are computed on it.

The query service (graph/service.py) calls :func:`publish` from its commit hook, last, when
its queries run in the worker pool: the new release is checkpointed (not yet current), the
answers asked most recently (at most ``settings.warm_answers``, for ``settings.warm_seconds``
at most) are computed on it in the workers, its queries pinned to it, then it is published.
Until then every query answers from the release before the write (its cached answers, its
checkpoint), so a write does not leave the lookups to compute everything again while it is
being stored; the writer returns once its release is published (a client that reads after
its write sees it). An answer not computed in time is computed when asked, as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor

from graph.cache import Recipe
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


def warm(
    source: Queries,
    executor: QueryExecutor,
    staged: Checkpoint,
    recipes: list[tuple[Hashable, Recipe]],
    seconds: float,
) -> None:
    """Compute ``recipes`` on ``staged`` into ``source``'s answers, in parallel, for at most
    ``seconds`` (each query's deadline ends by then); one that fails is left out."""
    if not recipes:
        return
    end = time.monotonic() + seconds
    source.answers.open(staged.release)

    def compute(item: tuple[Hashable, Recipe]) -> None:
        key, recipe = item
        if time.monotonic() > end:
            return
        with executor.pinned(staged, until=end):
            try:
                value = recipe(source)
            except Exception as e:  # computed when asked instead (its error then)
                _log.info("warming %s for %s: %s: %s", key, staged.release, type(e).__name__, e)
                return
        source.answers.put(staged.release, key, value, recipe)

    with ThreadPoolExecutor(min(len(recipes), executor.workers)) as pool:
        list(pool.map(compute, recipes))
