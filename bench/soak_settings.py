"""The soak's settings: its options with their defaults (and those of --smoke), checked."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from dataclasses import dataclass
from typing import Any

from bench.servers import BenchError

SEED = 20251129


@dataclass(frozen=True)
class SoakSettings:
    minutes: float = 5.0
    clients: int = 8
    triples: int = 1_000_000
    deadline: float = 5.0
    # the server's WSISKG_QUERY_MAX_WAIT: how long a query may wait for a worker before it
    # runs (to its deadline); a pathological query is answered within both, plus 1 s
    max_wait: float = 10.0
    pathological_every: float = 30.0
    sample_every: float = 2.0
    seed: int = SEED
    smoke: bool = False
    # clients besides ``clients`` that send only a pathological query, again and again
    abusive: int = 0
    # the server's WSISKG_QUERY_BUDGET and WSISKG_QUERY_BUDGET_BURST (None: its defaults)
    budget: float | None = None

    @property
    def seconds(self) -> float:
        return self.minutes * 60

    @property
    def stopped_within(self) -> float:
        """The longest a pathological query may take: the wait, the deadline, 1 s."""
        return self.max_wait + self.deadline + 1.0

    @classmethod
    def for_smoke(cls) -> SoakSettings:
        """About 25 s over the built-in data, a pathological query every 8 s, and one
        abusive client; a budget of 8 s of query time (two of its queries) and a longest
        wait of 2 s, so that within 25 s the abusive client has had its queries run and is
        refused, however busy the machine."""
        return cls(
            minutes=25 / 60,
            triples=0,
            pathological_every=8.0,
            sample_every=1.0,
            smoke=True,
            abusive=1,
            budget=8.0,
            max_wait=2.0,
        )


OPTIONS = (
    "minutes",
    "clients",
    "triples",
    "deadline",
    "pathological_every",
    "sample_every",
    "seed",
    "abusive",
    "budget",
)


def settings_from(args: argparse.Namespace) -> SoakSettings:
    base = SoakSettings.for_smoke() if args.smoke else SoakSettings()
    given: dict[str, Any] = {
        name: value for name in OPTIONS if (value := getattr(args, name)) is not None
    }
    settings = dataclasses.replace(base, **given)
    if settings.clients < 1 or settings.minutes <= 0 or settings.deadline <= 0:
        raise BenchError("--clients, --minutes and --deadline must be positive")
    if settings.pathological_every <= 0 or settings.sample_every <= 0:
        raise BenchError("--pathological-every and --sample-every must be positive")
    if settings.abusive < 0 or (settings.budget is not None and settings.budget < 0):
        raise BenchError("--abusive and --budget cannot be negative")
    return settings


def say(message: str) -> None:
    print(f"[soak] {message}", file=sys.stderr, flush=True)
