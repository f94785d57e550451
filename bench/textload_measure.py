"""Measuring the text loader: parse and load times of documents of one length (or of the real
seed file), each measure repeated over the documents for about the seconds given, and the
same documents in every format side by side.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import textformats
from bench.servers import ROOT
from bench.textload_texts import PAGE_CHARS, synthetic_resolution
from graph.files import load_file, prepare
from graph.store import KnowledgeGraph
from ontology.ids import Ids

DEFAULT_LENGTHS = (1, 4, 16, 64)
DEFAULT_SECONDS = 5.0


DOCUMENTS_PER_LENGTH = 3
MIN_TIMED = 3  # documents timed per measure, however long they take
SEED_FILES = ROOT / "loaders" / "data" / "seeds"


# --------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class TextloadRow:
    """The figures of one length (or of the real seed file)."""

    label: str
    documents: int  # distinct documents
    characters: float  # per document, mean
    clauses: float  # per document (nested ones included), mean
    references: float  # references found per document, mean
    triples: float  # triples of the document's named graph, mean
    warnings: float  # parse warnings per document, mean
    parse_times: tuple[float, ...]  # seconds per document, graph.files.prepare
    load_times: tuple[float, ...]  # seconds per document, graph.files.load_file, in order
    quads: int  # in the row's store after its loads
    scan_start_ms: float  # KnowledgeGraph.named_graphs() after the warm-up (median of 3)
    scan_ms: float  # KnowledgeGraph.named_graphs() after the loads (median of 3)
    scan_optimized_ms: float  # the same after Store.optimize()

    @property
    def pages(self) -> float:
        return self.characters / PAGE_CHARS

    @property
    def parse_docs_per_s(self) -> float:
        return len(self.parse_times) / sum(self.parse_times)

    @property
    def load_docs_per_s(self) -> float:
        return len(self.load_times) / sum(self.load_times)

    @property
    def parse_pages_per_s(self) -> float:
        return self.parse_docs_per_s * self.pages

    @property
    def load_pages_per_s(self) -> float:
        return self.load_docs_per_s * self.pages

    @property
    def parse_p50_ms(self) -> float:
        return statistics.median(self.parse_times) * 1000

    @property
    def load_p50_ms(self) -> float:
        return statistics.median(self.load_times) * 1000

    @property
    def load_drift(self) -> float:
        """Median time of the last third of the loads over that of the first third."""
        third = max(1, len(self.load_times) // 3)
        first = statistics.median(self.load_times[:third])
        return statistics.median(self.load_times[-third:]) / first


def say(message: str) -> None:
    print(f"[textload] {message}", file=sys.stderr, flush=True)


def _count_clauses(clauses: list[dict[str, Any]]) -> int:
    return sum(1 + _count_clauses(c.get("children") or []) for c in clauses)


def _repeat(paths: Sequence[Path], seconds: float, once: Callable[[Path], object]) -> list[float]:
    """Seconds per call of ``once``, cycling through ``paths`` for about ``seconds`` (and at
    least MIN_TIMED calls)."""
    times: list[float] = []
    spent = 0.0
    i = 0
    while spent < seconds or len(times) < MIN_TIMED:
        started = time.perf_counter()
        once(paths[i % len(paths)])
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        spent += elapsed
        i += 1
    return times


def measure_files(label: str, paths: Sequence[Path], seconds: float, work: Path) -> TextloadRow:
    """Parse and load ``paths`` again and again for about ``seconds`` each; ``work`` holds
    the store (a new one, which must not exist yet)."""

    ids = Ids()
    stats = []
    for path in paths:  # what each document holds (not timed)
        result, parse = prepare(path, ids)
        assert parse is not None
        stats.append(
            (
                len(path.read_text(encoding="utf-8")),
                _count_clauses([c for s in parse["sections"] for c in s["clauses"]]),
                len(parse["references"]),
                len(result.triples),
                len(parse["warnings"]),
            )
        )
    parse_times = _repeat(paths, seconds, lambda p: prepare(p, ids))
    kg = KnowledgeGraph.open(work)
    try:
        # warm-up: the ontology, and each document once, so that every timed load replaces
        # a graph that is there (the first load of a graph has nothing to drop)
        for path in paths:
            load_file(kg, path, force=True)
        scan_start_ms = _median_ms(kg.named_graphs)
        load_times = _repeat(paths, seconds, lambda p: load_file(kg, p, force=True))
        quads = len(kg)
        scan_ms = _median_ms(kg.named_graphs)
        if isinstance(kg.store, ox.Store):  # always, for KnowledgeGraph.open
            kg.store.optimize()
        scan_optimized_ms = _median_ms(kg.named_graphs)
    finally:
        kg.close()
    mean = [statistics.fmean(column) for column in zip(*stats, strict=True)]
    return TextloadRow(
        label,
        len(paths),
        mean[0],
        mean[1],
        mean[2],
        mean[3],
        mean[4],
        tuple(parse_times),
        tuple(load_times),
        quads,
        scan_start_ms,
        scan_ms,
        scan_optimized_ms,
    )


def _median_ms(once: Callable[[], object], times: int = 3) -> float:
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        once()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent) * 1000


def seed_file() -> Path:
    """The real resolution text of ``loaders/data/seeds`` (the first, by name)."""
    found = sorted(SEED_FILES.glob("*.txt"))
    if not found:
        raise FileNotFoundError(f"no .txt file in {SEED_FILES}")
    return found[0]


def measure(
    lengths: Sequence[int] = DEFAULT_LENGTHS,
    seconds_per_length: float = DEFAULT_SECONDS,
    seed: int = 1,
) -> list[TextloadRow]:
    """One row per length (``DOCUMENTS_PER_LENGTH`` seeded synthetic documents of that many
    pages), then one for the real seed file; each measure runs for about
    ``seconds_per_length``."""
    rows: list[TextloadRow] = []
    work = Path(tempfile.mkdtemp(prefix="wsiskg-textload-"))
    try:
        for pages in lengths:
            folder = work / f"{pages}p"
            folder.mkdir()
            paths = []
            for i in range(DOCUMENTS_PER_LENGTH):
                path = folder / f"synthetic-{pages}p-{i + 1}.txt"
                text = synthetic_resolution(pages, seed * 10_007 + pages * 101 + i)
                path.write_text(text, encoding="utf-8")
                paths.append(path)
            say(f"{pages} page(s): {DOCUMENTS_PER_LENGTH} documents, {seconds_per_length:g} s each")
            label = f"synthetic, {pages} page{'s' if pages != 1 else ''}"
            rows.append(measure_files(label, paths, seconds_per_length, folder / "store"))
        real = seed_file()
        say(f"the seed file {real.name}")
        rows.append(
            measure_files(f"seed file `{real.name}`", [real], seconds_per_length, work / "seed")
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


FORMAT_PAGES = 16  # the length of the documents measured in every format
FORMAT_PAGES_SMOKE = 2


def measure_by_format(pages: int, seconds: float, seed: int = 1) -> list[textformats.FormatRow]:
    """The synthetic resolutions of ``pages`` pages in every format, parsed side by side."""
    work = Path(tempfile.mkdtemp(prefix="wsiskg-textformats-"))
    try:
        texts = [
            synthetic_resolution(pages, seed * 10_007 + pages * 101 + i)
            for i in range(DOCUMENTS_PER_LENGTH)
        ]
        formats = len(textformats.FORMATS)
        say(f"by format: {len(texts)} documents of {pages} pages in {formats} formats")
        return textformats.measure_formats(texts, seconds, work, PAGE_CHARS, _repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
