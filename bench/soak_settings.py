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
    pathological_every: float = 30.0
    sample_every: float = 2.0
    seed: int = SEED
    smoke: bool = False

    @property
    def seconds(self) -> float:
        return self.minutes * 60

    @classmethod
    def for_smoke(cls) -> SoakSettings:
        """About 25 s over the built-in data, a pathological query every 8 s."""
        return cls(minutes=25 / 60, triples=0, pathological_every=8.0, sample_every=1.0, smoke=True)


OPTIONS = (
    "minutes",
    "clients",
    "triples",
    "deadline",
    "pathological_every",
    "sample_every",
    "seed",
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
    return settings


def say(message: str) -> None:
    print(f"[soak] {message}", file=sys.stderr, flush=True)
