"""Text loader: documents and pages per second on resolution texts of growing length.

The input is the plain text of an ITU resolution, as `wsiskg load FILE.txt` reads it. For each
length (in pages of ``PAGE_CHARS`` characters) a few seeded synthetic resolutions are written
(``synthetic_resolution``: a WTSA resolution with a header, preambular sections under
"considering", "recalling", "recognizing", "noting", "taking into account" ..., operative
sections under "resolves", "instructs the Director ...", "invites Member States" ..., lettered
and numbered clauses with nested i), ii) and a), b) lists, whose sentences cite WSIS Action
Lines, SDGs and targets, Recommendations and other resolutions), and the real contribution of
``loaders/data/seeds`` is measured as well. The parser reads every synthetic text without a
warning; a longer text has more clauses and more sections, never an invalid label.

Two measures, each repeated over the documents of one length for about ``--seconds`` (at least
three documents):

  parse   ``graph.files.prepare``: read, decode, parse the text, find its references and
          build the triples of its named graph, in this process; nothing is stored
  load    ``graph.files.load_file(kg, path, force=True)`` into an on-disk store
          (``KnowledgeGraph.open``) made for that length: the same, then the transaction that
          replaces the document's named graph, records its provenance and recomputes the
          entailments; one warm-up load first (it also loads the ontology)

``--smoke``: lengths 1 and 4, about 0.3 s each; no report unless ``--output`` is given.
"""

from __future__ import annotations

import argparse
import itertools
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import machine, textformats
from bench.report import table, write_section
from bench.servers import ROOT

PAGE_CHARS = 3_000  # one page of text, in characters
DEFAULT_LENGTHS = (1, 4, 16, 64)
DEFAULT_SECONDS = 5.0
SMOKE_LENGTHS = (1, 4)
SMOKE_SECONDS = 0.3
DOCUMENTS_PER_LENGTH = 3
MIN_TIMED = 3  # documents timed per measure, however long they take
SEED_FILES = ROOT / "loaders" / "data" / "seeds"
SECTION = "textload"
TIMES = "\u00d7"  # the multiplication sign
DRIFT_NOTE = 1.25  # a load drift from this on is explained below the tables

# --------------------------------------------------------------------------- the texts

ACTION_LINES = {
    "C1": "The role of public governance authorities and all stakeholders in the promotion "
    "of ICTs for development",
    "C2": "Information and communication infrastructure",
    "C3": "Access to information and knowledge",
    "C4": "Capacity building",
    "C5": "Building confidence and security in the use of ICTs",
    "C6": "Enabling environment",
    "C7": "ICT applications",
    "C8": "Cultural diversity and identity, linguistic diversity and local content",
    "C9": "Media",
    "C10": "Ethical dimensions of the Information Society",
    "C11": "International and regional cooperation",
}
FACILITATED = ["C2", "C5", "C6"]  # ITU is the lead facilitator of these
SDG_TARGETS = ["9.c", "9.1", "17.8", "17.6", "4.4", "5.b", "16.10", "11.5", "13.1", "1.4", "8.2"]
RECOMMENDATIONS = [
    "X.1205",
    "X.509",
    "X.1051",
    "Y.3172",
    "Y.4900",
    "L.1470",
    "L.1801",
    "F.790",
    "H.702",
    "E.164",
    "Q.3062",
]
RESOLUTIONS = [
    "Resolution 140 (Rev. Bucharest, 2022) of the Plenipotentiary Conference",
    "Resolution 130 (Rev. Bucharest, 2022) of the Plenipotentiary Conference",
    "Resolution 139 (Rev. Bucharest, 2022) of the Plenipotentiary Conference",
    "Resolution 200 (Rev. Dubai, 2018) of the Plenipotentiary Conference",
    "Resolution 101 (Rev. Dubai, 2018) of the Plenipotentiary Conference",
    "Resolution 178 (Guadalajara, 2010) of the Plenipotentiary Conference",
    "Resolution 50 (Rev. Geneva, 2022) of this Assembly",
    "Resolution 52 (Rev. Hammamet, 2016) of this Assembly",
    "Resolution 44 (Rev. Geneva, 2022) of this Assembly",
    "Resolution 30 (Rev. Kigali, 2022) of the World Telecommunication Development Conference",
    "Resolution 37 (Rev. Kigali, 2022) of the World Telecommunication Development Conference",
    "Resolution ITU-R 61 (Rev. Sharm el-Sheikh, 2019) of the Radiocommunication Assembly",
    "UNGA Resolution 70/125",
    "United Nations General Assembly Resolution 70/1",
    "Council Resolution 1332",
    "Resolution 1336 of the Council",
]
PARAGRAPHS = [
    "§ 35 of the Tunis Agenda for the Information Society",
    "§§ 69 to 71 of the Tunis Agenda",
    "paragraph 12 of the Geneva Plan of Action",
    "paragraphs 8 to 10 of the Geneva Plan of Action",
]
GROUPS = [
    "ITU-T Study Group 17",
    "ITU-T Study Group 5",
    "ITU-T Study Group 13",
    "the Telecommunication Standardization Advisory Group",
    "CWG-WSIS&SDG",
    "CWG-Internet",
    "the Telecommunication Standardization Bureau",
]
SUBJECTS = [
    "the ITU Telecommunication Standardization Sector (ITU-T)",
    "the implementation of the outcomes of the World Summit on the Information Society (WSIS)",
    "international standards on telecommunications and information and communication "
    "technologies (ICTs)",
    "meaningful and affordable connectivity for all",
    "the security of networks and of the services that run over them",
    "the participation of developing countries in standardization work",
    "digital inclusion of women and girls, older persons and persons with disabilities",
    "the resilience of telecommunication networks to natural disasters",
    "the energy efficiency of ICT equipment and data centres",
    "trustworthy digital identity and the protection of personal data",
    "the interoperability of services based on artificial intelligence",
]
PREDICATES = [
    "contributes directly to",
    "is essential for",
    "remains a priority of the Union in relation to",
    "has substantial implications for",
    "requires close cooperation with all stakeholders on",
    "depends to a great extent on",
    "plays a central role in",
]
PURPOSES = [
    "bridging the digital divide between and within countries",
    "building confidence and security in the use of ICTs",
    "the achievement of the 2030 Agenda for Sustainable Development",
    "the development of broadband infrastructure in rural and remote areas",
    "reducing the environmental footprint of telecommunications",
    "the capacity building of experts from developing countries",
    "the follow-up and review of the WSIS outcomes beyond 2025",
]
VERBS = [
    "continue to support",
    "promote",
    "strengthen the work on",
    "report annually to the Council on",
    "facilitate the exchange of best practices on",
    "organize workshops and training on",
    "take the necessary measures to advance",
    "encourage contributions on",
]
NOUNS = [
    "the role",
    "the importance",
    "the contribution",
    "the relevance",
    "the pivotal function",
]


def _action_line_phrase(rng: random.Random) -> str:
    """Action Lines with ITU's role in them: lead facilitator (C2, C5, C6) or participant (the
    others); one code always with the same role, as the loader expects of one clause."""
    lead = rng.random() < 0.5
    group = FACILITATED if lead else [c for c in ACTION_LINES if c not in FACILITATED]
    codes = sorted(rng.sample(group, rng.choice((1, 1, 2, 3))), key=lambda c: int(c[1:]))
    items = [f"{c} ({ACTION_LINES[c]})" for c in codes] if rng.random() < 0.5 else codes
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    word = "Action Line" if len(codes) == 1 else "Action Lines"
    if lead:
        return f"the lead facilitation role of ITU for {word} {listed}"
    return f"the participation of ITU-T in the implementation of {word} {listed}"


def _sdg_phrase(rng: random.Random) -> str:
    target = rng.choice(SDG_TARGETS)
    goal = target.split(".")[0]
    return rng.choice(
        [
            f"SDG {goal} and in particular target {target}",
            f"Sustainable Development Goal {goal}",
            f"the Sustainable Development Goals (SDGs), notably target {target}",
            f"SDG {goal} of the 2030 Agenda for Sustainable Development",
        ]
    )


def _reference(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(RESOLUTIONS)
    if kind < 0.45:
        return f"Recommendation ITU-T {rng.choice(RECOMMENDATIONS)}"
    if kind < 0.65:
        return _sdg_phrase(rng)
    if kind < 0.8:
        return _action_line_phrase(rng)
    if kind < 0.9:
        return rng.choice(PARAGRAPHS)
    return f"the work of {rng.choice(GROUPS)}"


_TAILS: list[Callable[[random.Random], str]] = [
    lambda rng: f", as expressed in {rng.choice(PARAGRAPHS)}",
    lambda rng: f", in accordance with {rng.choice(RESOLUTIONS)}",
    lambda rng: f", taking into account {_sdg_phrase(rng)}",
    lambda rng: f", building on Recommendation ITU-T {rng.choice(RECOMMENDATIONS)}",
    lambda rng: f", with regard to {_action_line_phrase(rng)}",
    lambda rng: f", in close collaboration with {rng.choice(GROUPS)}",
    lambda rng: f" and for {rng.choice(PURPOSES)}",
    lambda rng: ", within the financial limits set by the Plenipotentiary Conference",
]


def _tails(rng: random.Random, short: bool = False) -> str:
    """Up to three more parts of a sentence (different ones), most of them naming something
    the loader links to."""
    chosen = rng.sample(_TAILS, 0 if short else rng.choice((0, 1, 1, 2, 2, 3)))
    return "".join(tail(rng) for tail in chosen)


def _statement(rng: random.Random, short: bool = False) -> str:
    if rng.random() < 0.5:
        return (
            f"that {rng.choice(SUBJECTS)} {rng.choice(PREDICATES)} {rng.choice(PURPOSES)}"
            f", with regard to {_reference(rng)}{_tails(rng, short)}"
        )
    return (
        f"{rng.choice(NOUNS)} of {rng.choice(SUBJECTS)} for {rng.choice(PURPOSES)}, "
        f"including {_reference(rng)}{_tails(rng, short)}"
    )


def _citation(rng: random.Random, short: bool = False) -> str:
    return (
        f"{rng.choice(RESOLUTIONS)}, on {rng.choice(SUBJECTS)} and {rng.choice(PURPOSES)}"
        f"{_tails(rng, short)}"
    )


def _action(rng: random.Random, short: bool = False) -> str:
    return (
        f"to {rng.choice(VERBS)} {rng.choice(SUBJECTS)}, with a view to {rng.choice(PURPOSES)}"
        f", taking into account {_reference(rng)}{_tails(rng, short)}"
    )


@dataclass(frozen=True)
class _Kind:
    """One section heading: its clauses' labels ("alpha" or "num"), what they say and how
    many top-level clauses it may hold (a) … z); a numbered list has no such limit)."""

    heading: str
    labels: str
    text: Callable[[random.Random, bool], str]  # (rng, short): a clause text
    core: bool = False

    @property
    def cap(self) -> int:
        return 26 if self.labels == "alpha" else 9_999


# In the order of a resolution; the core sections are in every text, the others are opened
# as the text grows (in the order of OPENING).
SECTIONS = [
    _Kind("considering", "alpha", _statement, core=True),
    _Kind("considering further", "alpha", _statement),
    _Kind("recalling", "alpha", _citation, core=True),
    _Kind("recalling further", "alpha", _citation),
    _Kind("recognizing", "alpha", _statement, core=True),
    _Kind("recognizing further", "alpha", _statement),
    _Kind("noting", "alpha", _statement, core=True),
    _Kind("noting further", "alpha", _statement),
    _Kind("noting with concern", "alpha", _statement),
    _Kind("taking into account", "alpha", _citation, core=True),
    _Kind("taking into account further", "alpha", _citation),
    _Kind("bearing in mind", "alpha", _statement),
    _Kind("emphasizing", "alpha", _statement),
    _Kind("resolves", "num", _action, core=True),
    _Kind("resolves further", "num", _action),
    _Kind(
        "instructs the Director of the Telecommunication Standardization Bureau",
        "num",
        _action,
        core=True,
    ),
    _Kind("instructs the Telecommunication Standardization Advisory Group", "num", _action),
    _Kind("instructs ITU-T Study Group 17", "num", _action),
    _Kind("instructs the study groups of ITU-T", "num", _action),
    _Kind("requests the Secretary-General", "num", _action),
    _Kind("invites Member States", "num", _action, core=True),
    _Kind("invites Sector Members, Associates and Academia", "num", _action),
    _Kind("encourages Member States and Sector Members", "num", _action),
    _Kind("calls upon all stakeholders", "num", _action),
]
OPENING = [
    "resolves further",
    "considering further",
    "instructs the Telecommunication Standardization Advisory Group",
    "recognizing further",
    "invites Sector Members, Associates and Academia",
    "noting further",
    "instructs ITU-T Study Group 17",
    "recalling further",
    "requests the Secretary-General",
    "taking into account further",
    "encourages Member States and Sector Members",
    "noting with concern",
    "instructs the study groups of ITU-T",
    "bearing in mind",
    "calls upon all stakeholders",
    "emphasizing",
]
# a core clause is kept short when the page budget left per core clause is below this
SHORT_BELOW = 450
CLAUSES_PER_SECTION = 5  # open another section when the open ones hold this many on average
TITLES = [
    "The ITU Telecommunication Standardization Sector's contribution in implementing the "
    "outcomes of the World Summit on the Information Society, taking into account the 2030 "
    "Agenda for Sustainable Development",
    "Strengthening the role of ITU-T in building confidence and security in the use of "
    "information and communication technologies",
    "Bridging the standardization gap between developing and developed countries",
    "Telecommunications/information and communication technologies for disaster prevention, "
    "mitigation and relief",
    "Information and communication technologies, environment, climate change and circular economy",
]
NUMBERS = [2, 20, 44, 50, 52, 58, 64, 67, 72, 73, 75, 76, 78, 84, 89, 96, 98]
HISTORY = ["Florianópolis, 2004", "Johannesburg, 2008", "Dubai, 2012", "Hammamet, 2016"]


@dataclass
class _Clause:
    text: str
    children: list[str] = field(default_factory=list)

    def size(self, label_chars: int) -> int:
        """Characters it adds to the text (labels, tab, terminator and newline included)."""
        return (label_chars + 3 + len(self.text)) + sum(6 + len(c) for c in self.children)


@dataclass
class _Section:
    kind: _Kind
    clauses: list[_Clause] = field(default_factory=list)

    def lines(self) -> Iterator[tuple[str, bool]]:
        """Each clause line without its terminator ("a)\\ttext", "i)\\ttext" ...), and whether
        a nested list follows it."""
        numbered = self.kind.labels == "num"
        for n, clause in enumerate(self.clauses):
            label = str(n + 1) if numbered else chr(ord("a") + n) + ")"
            yield f"{label}\t{clause.text}", bool(clause.children)
            for k, child in enumerate(clause.children):
                sub = chr(ord("a") + k) + ")" if numbered else "i" * (k + 1) + ")"
                yield f"{sub}\t{child}", False


def _clause(kind: _Kind, rng: random.Random, short: bool = False) -> _Clause:
    """A clause of this kind of section; about one in seven opens a short nested list (a
    ``short`` one never: one sentence and its reference, for the core of a short text)."""
    text = kind.text(rng, short)
    if short or rng.random() >= 0.15:
        return _Clause(text)
    if kind.labels == "num":
        children = [kind.text(rng, False) for _ in range(rng.choice((2, 3)))]
        return _Clause(f"{text}, in particular", children)
    children = [
        _citation(rng) if kind.text is _citation else rng.choice(RESOLUTIONS) for _ in range(2)
    ]
    if rng.random() < 0.5:
        children.append(_citation(rng))
    return _Clause(f"{text}, among them", children)


def _header(rng: random.Random) -> list[str]:
    number = rng.choice(NUMBERS)
    first = rng.randrange(len(HISTORY))
    history = "; ".join([*HISTORY[first:], "Geneva, 2022"])
    return [
        f"RESOLUTION {number} (Rev. Geneva, 2022)",
        "",
        rng.choice(TITLES),
        f"({history})",
        "The World Telecommunication Standardization Assembly (Geneva, 2022),",
    ]


def _render(header: list[str], sections: list[_Section]) -> str:
    lines = list(header)
    shown = [s for s in sections if s.clauses]
    for i, section in enumerate(shown):
        lines.append(section.kind.heading)
        body = list(section.lines())
        for j, (line, opens_list) in enumerate(body):
            if opens_list:
                end = ":"
            elif j + 1 < len(body):
                end = ";"
            else:
                end = "." if i + 1 == len(shown) else ","
            lines.append(line + end)
    return "\n".join(lines) + "\n"


def synthetic_resolution(pages: int, seed: int) -> str:
    """A plain-text WTSA resolution of about ``pages`` pages of ``PAGE_CHARS`` (3,000)
    characters, the same for the same ``pages`` and ``seed``.

    Shaped like "RESOLUTION 75 (Rev. Geneva, 2022)" and read by ``loaders.resolution_text``
    without a warning: header, title, history and assembly; the core sections (considering,
    recalling, recognizing, noting, taking into account; resolves, instructs the Director of the
    Telecommunication Standardization Bureau, invites Member States) and, as it grows, further
    ones ("considering further", "instructs ITU-T Study Group 17" ...). Lettered sections hold at
    most a) … z) (then another section opens), numbered ones any number; some clauses open a
    nested i), ii) (or a), b)) list. Clause texts cite Action Lines, SDGs and targets, ITU-T
    Recommendations, resolutions of PP, WTSA, WTDC, RA, UNGA and Council, paragraphs of the
    Tunis Agenda and Geneva Plan of Action, and ITU groups. Clauses are added until the text
    reaches ``pages`` pages: it is at most one clause longer.
    """
    if pages < 1:
        raise ValueError("pages must be at least 1")
    rng = random.Random(f"textload-{seed}")
    header = _header(rng)
    sections = [_Section(kind) for kind in SECTIONS]
    by_heading = {s.kind.heading: s for s in sections}
    opened = [s for s in sections if s.kind.core]
    waiting = [by_heading[h] for h in OPENING]
    size = sum(len(line) + 1 for line in header)
    target = pages * PAGE_CHARS
    total = 0
    while size < target or total < len(opened):
        short = False
        if total < len(opened):  # one clause in each core section first
            section = opened[total]
            short = (target - size) / (len(opened) - total) < SHORT_BELOW
        else:
            if waiting and total >= CLAUSES_PER_SECTION * len(opened):
                opened.append(waiting.pop(0))
            room = [s for s in opened if len(s.clauses) < s.kind.cap]
            if not room:
                opened.append(waiting.pop(0))
                room = opened[-1:]
            section = opened[-1] if not opened[-1].clauses else rng.choice(room)
        clause = _clause(section.kind, rng, short)
        if not section.clauses:
            size += len(section.kind.heading) + 1
        label = len(str(len(section.clauses) + 1)) if section.kind.labels == "num" else 2
        section.clauses.append(clause)
        size += clause.size(label)
        total += 1
    return _render(header, sections)


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
    from graph.files import load_file, prepare
    from graph.store import KnowledgeGraph
    from ontology.ids import Ids

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


# --------------------------------------------------------------------------- the report

HEADER = [
    "documents",
    "characters",
    "pages",
    "clauses",
    "references",
    "triples",
    "warnings",
    "parse docs/s",
    "parse pages/s",
    "parse p50 ms",
    "load docs/s",
    "load pages/s",
    "load p50 ms",
    "timed (parse/load)",
]


def _n(value: float) -> str:
    """A figure with three significant digits or so, and thousands separators."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def row_cells(row: TextloadRow) -> list[str]:
    return [
        row.label,
        str(row.documents),
        f"{row.characters:,.0f}",
        f"{row.pages:.1f}",
        f"{row.clauses:,.0f}",
        f"{row.references:,.0f}",
        f"{row.triples:,.0f}",
        f"{row.warnings:g}",
        _n(row.parse_docs_per_s),
        _n(row.parse_pages_per_s),
        _n(row.parse_p50_ms),
        _n(row.load_docs_per_s),
        _n(row.load_pages_per_s),
        _n(row.load_p50_ms),
        f"{len(row.parse_times)} / {len(row.load_times)}",
    ]


def store_cells(row: TextloadRow) -> list[str]:
    return [
        row.label,
        str(len(row.load_times)),
        f"{row.load_drift:.2f}{TIMES}",
        f"{row.quads:,}",
        _n(row.scan_start_ms),
        _n(row.scan_ms),
        _n(row.scan_optimized_ms),
    ]


def render(
    rows: Sequence[TextloadRow], command: str, started: datetime, facts: dict[str, str]
) -> str:
    parts = [
        "## The text loader: documents and pages per second",
        f"Command: `{command}`  \nDate: {started:%Y-%m-%d %H:%M} UTC",
        "### Machine\n\n" + table(["", ""], [[k, v] for k, v in facts.items()]),
        "### How\n\n"
        f"A page is {PAGE_CHARS:,} characters. For each length, {DOCUMENTS_PER_LENGTH} seeded "
        "synthetic WTSA resolutions of that many pages (`bench/textload.py`, "
        "`synthetic_resolution`: header, title and history, preambular and operative sections, "
        "lettered and numbered clauses with nested lists, sentences citing Action Lines, SDGs "
        "and targets, ITU-T Recommendations, resolutions and paragraphs of the Tunis Agenda; "
        "a longer text has more clauses and sections) are written to a temporary directory; "
        "the last row is the real contribution of `loaders/data/seeds` (a flattened "
        "tracked-changes text, which the parser reads with warnings). Each measure cycles "
        "through the documents of its row for the time given (at least 3 documents), in "
        "this process:\n\n"
        "- parse: `graph.files.prepare(path, ids)`: read, decode and parse the text, find "
        "its references and build the triples of its named graph (nothing stored);\n"
        "- load: `graph.files.load_file(kg, path, force=True)` into a new on-disk store "
        "(`KnowledgeGraph.open`) per row: the same, then one transaction that replaces the "
        "document's named graph, records its provenance and recomputes the entailments, "
        "after one warm-up load (which also loads the ontology); as the documents of a row "
        "come round again, most timed loads replace the graph an earlier one wrote (as "
        "`wsiskg load --force` of a changed file does). These stores hold the ontology and "
        "the row's documents only: a load into a store that also holds the built-in data "
        "recomputes the entailments of all of it, whatever the size of the document, which "
        "this benchmark does not measure.\n\n"
        "Characters, clauses (nested ones included), references, triples and warnings are "
        "per document (means over the row's documents); docs/s is documents timed divided "
        "by the time they took, pages/s is docs/s times pages; p50 is the median time of "
        "one document.",
        table(["", *HEADER], [row_cells(r) for r in rows], "l" + "r" * len(HEADER)),
        "### The store after a row's loads\n\n"
        "Drift: the median time of the last third of a row's loads over that of its "
        f"first third (1{TIMES}: no change as loads repeat). Scan: "
        "`KnowledgeGraph.named_graphs()`, the count of every named graph's quads that each "
        "load runs after its transaction, timed before the row's loads (after the warm-up), "
        "after them, and again after `Store.optimize()` (a compaction).\n\n"
        + table(
            ["", "loads", "drift", "quads", "scan ms before", "after", "after optimize()"],
            [store_cells(r) for r in rows],
            "lrrrrrr",
        ),
    ]
    parts.extend(observations(rows))
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


def observations(rows: Sequence[TextloadRow]) -> list[str]:
    """How the cost per page changes from one length to the next, and the store's part of a
    load, from the synthetic rows."""
    synthetic = [r for r in rows if r.label.startswith("synthetic")]
    if not synthetic:
        return []
    lines = []
    for before, after in itertools.pairwise(synthetic):
        growth = after.pages / before.pages
        parse = (after.parse_p50_ms / before.parse_p50_ms) / growth
        load = (after.load_p50_ms / before.load_p50_ms) / growth
        lines.append(
            f"- {before.pages:.1f} to {after.pages:.1f} pages ({growth:.1f}{TIMES} the text): "
            f"time per page {parse:.2f}{TIMES} to parse, {load:.2f}{TIMES} to load\n"
        )
    store = ", ".join(
        f"{max(0.0, 1 - r.parse_p50_ms / r.load_p50_ms):.0%} at {r.pages:.0f} page(s)"
        for r in synthetic
    )
    out = [
        "### Scaling\n\n"
        f"Time per page (p50) against the previous length (1{TIMES} is linear; above "
        f"1{TIMES} each page costs more in a longer text):\n\n"
        + "".join(lines)
        + f"\nThe store's part of a load (load p50 less parse p50, of load p50): {store}."
    ]
    drifting = max(rows, key=lambda r: r.load_drift)
    if drifting.load_drift >= DRIFT_NOTE:
        out.append(
            "### Repeated loads\n\n"
            f"Loads slow down as they repeat in one on-disk store: in the row "
            f"'{drifting.label}' ({len(drifting.load_times)} loads) the last third took "
            f"{drifting.load_drift:.2f}{TIMES} the time of the first. Each load drops and "
            "rewrites the document's graph and the entailments graph, and adds provenance "
            "that stays; after its transaction it counts every quad (`named_graphs()`): that "
            f"scan took {_n(drifting.scan_start_ms)} ms before the row's loads, "
            f"{_n(drifting.scan_ms)} ms after them and {_n(drifting.scan_optimized_ms)} ms "
            "after `Store.optimize()`. Rows of short documents make more loads in their time."
        )
    return out


# --------------------------------------------------------------------------- the command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lengths",
        help="document lengths in pages, comma-separated (default 1,4,16,64; with --smoke 1,4)",
    )
    parser.add_argument(
        "--seconds",
        type=float,
        help=f"seconds per measure and length (default {DEFAULT_SECONDS:g}; with --smoke "
        f"{SMOKE_SECONDS:g})",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the documents (default 1)")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="lengths 1 and 4, about 0.3 s each: checks that the benchmark works",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="the report (default docs/benchmarks.md; with --smoke none: the section is "
        "printed); its textload section is rewritten",
    )


def parse_lengths(text: str) -> tuple[int, ...]:
    try:
        lengths = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"--lengths: {text!r} is not a list of whole numbers") from None
    if not lengths or min(lengths) < 1:
        raise ValueError("--lengths: give one or more lengths of at least 1 page")
    return lengths


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    command = (
        "python -m bench " + " ".join(sys.argv[1:]) if sys.argv[1:] else "python -m bench textload"
    )
    try:
        if args.lengths is not None:
            lengths = parse_lengths(args.lengths)
        else:
            lengths = SMOKE_LENGTHS if args.smoke else DEFAULT_LENGTHS
    except ValueError as e:
        say(f"error: {e}")
        return 2
    seconds = (
        args.seconds
        if args.seconds is not None
        else (SMOKE_SECONDS if args.smoke else DEFAULT_SECONDS)
    )
    if seconds <= 0:
        say("error: --seconds must be positive")
        return 2
    facts = machine.describe(["pyoxigraph"])
    rows = measure(lengths, seconds, args.seed)
    format_pages = FORMAT_PAGES_SMOKE if args.smoke else FORMAT_PAGES
    by_format = measure_by_format(format_pages, seconds, args.seed)
    facts["load average after the run"] = machine.load_average()
    text = (
        render(rows, command, started, facts) + "\n" + textformats.render(by_format, format_pages)
    )
    output = (
        args.output
        if args.output is not None
        else (None if args.smoke else ROOT / "docs" / "benchmarks.md")
    )
    if output is None:
        print(text)
    else:
        write_section(output, SECTION, text)
        say(f"wrote {output}")
    for f in by_format:
        say(f"{f.fmt}: parse {f.docs_per_s:.2f} docs/s ({f.pages_per_s:.1f} pages/s)")
    for row in rows:
        say(
            f"{row.label}: parse {row.parse_docs_per_s:.1f} docs/s "
            f"({row.parse_pages_per_s:.1f} pages/s), load {row.load_docs_per_s:.1f} docs/s "
            f"({row.load_pages_per_s:.1f} pages/s)"
        )
    return 0
