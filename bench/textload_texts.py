"""The texts the text loader benchmark reads: seeded synthetic WTSA resolutions of a given
length in pages (a header, title and history, preambular and operative sections, lettered and
numbered clauses with nested lists, sentences citing Action Lines, SDGs and targets,
Recommendations and other resolutions), which the parser reads without a warning.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

PAGE_CHARS = 3_000  # one page of text, in characters


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
