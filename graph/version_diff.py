"""Two versions of a resolution, clause by clause: which clause of one is which of the other,
and what became of it (moved, relabelled, added, deleted, modified, unchanged), with the
differences of words.

A side is read from the rows of the named query ``version-clauses`` (:func:`read_side`): the
version's own text (a loaded resolution text; a proposal's draft version, in its reading
after the change), or, for a version whose text is not loaded but which a proposal changes,
the proposal's draft in its reading before the change (the label, section and text each
clause had before it). So a proposal and its base, and two adopted revisions, are compared
alike (:func:`compare`).

Alignment, in passes, each pairing only clauses left unpaired by the ones before:

1. the same clause: one node read on both sides (a proposal and its base, read from the
   same draft). When both sides are readings of one proposal, that is the only pass: the
   proposal says which clause is which, and what it adds or deletes is not guessed again;
2. the same words (after collapsing spaces), preferring the same section and label, then the
   same section, then the nearest in the text;
3. the same section and label, the words at least :data:`SAME_PLACE` similar;
4. anywhere, the words at least :data:`ELSEWHERE` similar, the most similar first.

Similarity is :class:`difflib.SequenceMatcher`'s ratio over the words (split on white
space): 1 for the same words, 0 for none in common. Sections are compared by their headings
(:func:`section_key`: letter case, spaces, closing punctuation and -ise/-ize aside). A paired
clause is ``moved`` when its section differs, else ``relabelled`` when its own label
differs (a clause inside a relabelled one, ``e) i)`` become ``b) i)``, keeps its own), else
``modified`` when its words differ, else ``unchanged``; ``undetermined`` when both sides
read the same words of a flattened proposal (the text without tracked changes, where the
words before and after a change run together: its words cannot be compared, as
``document-changes`` says). An unpaired clause is ``added`` (only in ``to``) or ``deleted``
(only in ``from``; ``likely deleted`` when the proposal it was read from says so, with its
cues).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from graph.values import Row

SAME_PLACE = 0.5  # same section and label: at least this similar to be one clause
ELSEWHERE = 0.8  # another label or section: at least this similar to be one clause

BEFORE, AFTER = "before", "after"  # the readings of a proposal's text
Source = Literal["text", "proposal"]  # a side's own text, or read through a proposal


@dataclass(frozen=True)
class Clause:
    """One clause of a side: its place (section heading, label path such as ``b) i)``), its
    words, and what the proposal it was read from says of it."""

    iri: str
    section: str  # its heading as written
    label: str | None  # its label with those of the clauses it is in: b) i)
    own_label: str | None  # its own label: i)
    text: str
    order: int  # its place in the side's text
    flattened: bool = False  # a proposal's clause whose readings are not told apart
    status: str | None = None  # the proposal's status (a side read through a proposal)
    status_cues: str | None = None

    @property
    def place(self) -> str:
        """Its section as compared: :func:`section_key` of the heading."""
        return section_key(self.section)


def section_key(heading: str) -> str:
    """A heading as sections are compared across versions: in lower case, spaces collapsed,
    without closing punctuation, and spelt with -ize (revisions write "recognising" and
    "recognizing" alike)."""
    key = " ".join(heading.casefold().split()).rstrip(",:;. ")
    return re.sub(r"is(e|ed|es|ing)\b", r"iz\1", key)


@dataclass(frozen=True)
class Side:
    """A version as read: from its own text or through a proposal's draft."""

    version: str
    source: Source
    document: str | None
    file: str | None
    graph: str | None
    clauses: tuple[Clause, ...]
    draft: str | None = None  # the proposal's draft version whose clauses were read
    # a proposal's text without tracked changes: the words of a clause's two readings run
    # together, so its words are those of both
    flattened: bool = False
    # the other documents it could be read from (other proposals that change the version)
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class WordOp:
    """One operation of the difference of words: equal, insert, delete or replace."""

    op: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Change:
    """One row of a comparison: a clause of ``from`` (``old``), of ``to`` (``new``), or both."""

    status: str
    old: Clause | None
    new: Clause | None
    similarity: float | None = None
    words: list[WordOp] | None = None
    status_cues: str | None = None


# ------------------------------------------------------------------ reading a side


def read_side(version: str, rows: Sequence[Row], prefer: str | None = None) -> Side | None:
    """The side of ``version`` from the rows of ``version-clauses``: its own text when the
    graph holds it, else the reading before the change of a proposal that changes it (the
    one of document ``prefer`` when given and there, else the first by document); None
    when the graph holds neither."""
    own = [r for r in rows if r.get("source") == "text"]
    if own:
        return _side(version, "text", own, AFTER)
    proposals = [r for r in rows if r.get("source") == "proposal"]
    documents = sorted({str(r.get("document", "")) for r in proposals})
    if not documents:
        return None
    chosen = prefer if prefer in documents else documents[0]
    mine = [r for r in proposals if str(r.get("document", "")) == chosen]
    others = tuple(d for d in documents if d != chosen)
    return _side(version, "proposal", mine, BEFORE, others)


def _side(
    version: str, source: Source, rows: Sequence[Row], reading: str, others: tuple[str, ...] = ()
) -> Side:
    first = rows[0]
    by_iri: dict[str, Row] = {}
    for row in rows:  # one row per clause (a value stated twice gives two)
        by_iri.setdefault(str(row["clause"]), row)
    skip = AFTER if reading == BEFORE else BEFORE  # clauses only in the other reading
    kept = {iri: row for iri, row in by_iri.items() if row.get("reading") != skip}
    labels: dict[str, str | None] = {}

    def own_label(row: Row) -> str | None:
        own = _text(row.get("clause_label"))
        return (_text(row.get("previous_label")) or own) if reading == BEFORE else own

    def label(iri: str) -> str | None:
        if iri not in labels:
            parent = str(kept[iri].get("parent", ""))
            up = label(parent) if parent in kept else None
            labels[iri] = " ".join(x for x in (up, own_label(kept[iri])) if x) or None
        return labels[iri]

    clauses = []
    for order, (iri, row) in enumerate(kept.items()):
        section = str(row["section"])
        text = _text(row.get("text")) or ""
        before, after = _text(row.get("text_before")), _text(row.get("text_after"))
        if reading == BEFORE:
            section = _text(row.get("previous_section")) or section
            text = before or text
        else:
            text = after or text
        flattened = (  # a proposal's clause whose two readings are one text
            "draft" in row and row.get("reading") == "both" and before is None and after is None
        )
        clauses.append(
            Clause(
                iri=iri,
                section=section,
                label=label(iri),
                own_label=own_label(row),
                text=" ".join(text.split()),
                order=order,
                flattened=flattened,
                status=_text(row.get("status")) if source == "proposal" else None,
                status_cues=_text(row.get("status_cues")),
            )
        )
    return Side(
        version=version,
        source=source,
        document=_text(first.get("document")),
        file=_text(first.get("file")),
        graph=_text(first.get("graph")),
        clauses=tuple(clauses),
        alternatives=others,
        draft=_text(first.get("draft")),
        flattened=any(c.flattened for c in clauses),
    )


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


# ------------------------------------------------------------------ comparing


def compare(old: Side, new: Side) -> list[Change]:
    """The clauses of ``old`` and ``new`` aligned, in the order of ``new``, each clause only
    in ``old`` where it stood (before the first clause that followed it there)."""
    pairs: dict[int, int] = {}  # index in new -> index in old
    same_clause = {c.iri: i for i, c in enumerate(old.clauses)}
    for j, clause in enumerate(new.clauses):
        if clause.iri in same_clause:
            pairs[j] = same_clause[clause.iri]
    one_proposal = old.document is not None and old.document == new.document
    if not one_proposal:
        _pair_exact(old.clauses, new.clauses, pairs)
        _pair_similar(old.clauses, new.clauses, pairs, same_place=True)
        _pair_similar(old.clauses, new.clauses, pairs, same_place=False)
    return _rows(old.clauses, new.clauses, pairs, old.source == "proposal")


def _pair_exact(old: Sequence[Clause], new: Sequence[Clause], pairs: dict[int, int]) -> None:
    taken = set(pairs.values())
    by_text: dict[str, list[int]] = {}
    for i, clause in enumerate(old):
        if i not in taken:
            by_text.setdefault(clause.text, []).append(i)
    for j, clause in enumerate(new):
        if j in pairs:
            continue
        free = [i for i in by_text.get(clause.text, []) if i not in taken]
        if not free:
            continue
        best = min(
            free,
            key=lambda i: (
                old[i].place != clause.place,
                old[i].label != clause.label,
                abs(old[i].order - clause.order),
            ),
        )
        pairs[j] = best
        taken.add(best)


def _pair_similar(
    old: Sequence[Clause], new: Sequence[Clause], pairs: dict[int, int], *, same_place: bool
) -> None:
    taken = set(pairs.values())
    threshold = SAME_PLACE if same_place else ELSEWHERE
    candidates: list[tuple[float, int, int]] = []
    for j, clause in enumerate(new):
        if j in pairs:
            continue
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(clause.text.split())
        for i, other in enumerate(old):
            if i in taken:
                continue
            if same_place and (other.place, other.label) != (clause.place, clause.label):
                continue
            matcher.set_seq1(other.text.split())
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold:
                candidates.append((ratio, j, i))
    for _ratio, j, i in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)


def _rows(
    old: Sequence[Clause], new: Sequence[Clause], pairs: dict[int, int], through_proposal: bool
) -> list[Change]:
    out: list[Change] = []
    paired_old = set(pairs.values())
    emitted: set[int] = set()
    # for each clause of new, the place in old of the next paired clause from there on
    following: list[int] = [len(old)] * (len(new) + 1)
    for j in range(len(new) - 1, -1, -1):
        following[j] = pairs[j] if j in pairs else following[j + 1]

    def deleted_before(limit: int) -> None:
        for i in range(limit):
            if i not in paired_old and i not in emitted:
                emitted.add(i)
                out.append(_deleted(old[i], through_proposal))

    for j, clause in enumerate(new):
        deleted_before(following[j])
        if j in pairs:
            out.append(_paired(old[pairs[j]], clause))
        else:
            out.append(Change("added", None, clause))
    deleted_before(len(old))
    return out


def _deleted(clause: Clause, through_proposal: bool) -> Change:
    if through_proposal and clause.status == "likely deleted":
        return Change("likely deleted", clause, None, status_cues=clause.status_cues)
    return Change("deleted", clause, None)


def _paired(old: Clause, new: Clause) -> Change:
    comparable = not (old.iri == new.iri and old.flattened)
    similarity = words = None
    if comparable:
        similarity, words = word_diff(old.text, new.text)
    if old.place != new.place:
        status = "moved"
    elif old.own_label != new.own_label:  # not when only a clause it is in is relabelled
        status = "relabelled"
    elif not comparable:
        status = "undetermined"
    elif similarity == 1:
        status = "unchanged"
    else:
        status = "modified"
    return Change(status, old, new, similarity, words)


def word_diff(before: str, after: str) -> tuple[float, list[WordOp]]:
    """The similarity of two texts' words (0 to 1, three decimals) and their differences."""
    a, b = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ops = [
        WordOp(
            tag,
            " ".join(a[i1:i2]) if tag != "insert" else None,
            " ".join(b[j1:j2]) if tag != "delete" else None,
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    return round(matcher.ratio(), 3), ops


def counts(changes: Iterable[Change]) -> dict[str, int]:
    """Status -> how many rows have it, by status."""
    out: dict[str, int] = {}
    for change in changes:
        out[change.status] = out.get(change.status, 0) + 1
    return dict(sorted(out.items()))
