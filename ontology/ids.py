"""Identifiers: the one module that mints IRIs.

Every IRI of the data is built here from one configurable base by stable patterns, so a
reload of the same source gives the same IRIs. SDG goals, targets and indicators use the
UN SDG KOS IRIs. No other module builds IRI strings.

Patterns (``{base}`` defaults to ``https://w3id.org/wsis-kg/id/``)::

    {base}action-line/C5                      {base}action-line/C7.e-health
    {base}agency/ITU                          {base}body/WTSA
    {base}study-period/2025-2028              {base}study-group/2025-2028/SG17
    {base}itu-t/series/X                      {base}itu-t/rec/X.1205
    {base}itu-t/pub/X.1205_04-2008            (one ITU-T publication, from its docid)
    {base}resolution/wtsa/75                  {base}resolution/wtsa/75/2022-geneva
    {base}resolution/wtsa/75/2022-geneva/recognizing/a
    {base}document/<slug>                     {base}dataset/sdg-targets/row/12
    {base}meeting/pp/2014                     (a meeting of a body or forum, by year)
    {base}wsis-outcome/geneva-plan            {base}wsis-outcome/geneva-plan/12
    {base}wsis-outcome/geneva-plan/12/a       (a WSIS outcome document, paragraph, item)
    {base}link/<hash>                         {base}rule/<id>
    {base}graph/<name>                        {base}load/<id>    {base}release/<id>
    {base}mapping-set/<name>[/<evidence>]     (an SSSOM mapping set: graph/mappings.py)
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import quote

import pyoxigraph as ox

from ontology.errors import WsisKgError

DEFAULT_BASE = "https://w3id.org/wsis-kg/id/"
SDG_BASE = "http://metadata.un.org/sdg/"

_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")
_SLUG_ONLY = re.compile(r"[A-Za-z0-9._~-]+")
# Characters an identifier must not hold: invisible or reordering ones (format characters:
# bidi controls, zero-width spaces and joiners, the BOM), controls, line and paragraph
# separators, lone surrogates. Dropped or %-encoded, they would make two identifiers that
# look the same ("C5" and "C5" + U+200B) or one that displays as another (U+202E).
_NOT_IN_IDENTIFIERS = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ASCII_CONTROL = re.compile("[\x00-\x1f\x7f]")


class IdentifierError(WsisKgError, ValueError):
    """A text that cannot name anything: it holds ``char``, an invisible or reordering
    character."""

    def __init__(self, message: str, char: str) -> None:
        super().__init__(message)
        self.char = char


def show(text: str) -> str:
    """``text`` quoted for a message, with what cannot be seen written as ``\\uXXXX``."""
    return "'" + "".join(_visible(c) for c in text) + "'"


def _visible(char: str) -> str:
    if char in {"'", "\\"}:
        return "\\" + char
    if unicodedata.category(char) in _NOT_IN_IDENTIFIERS or _noncharacter(char):
        code = ord(char)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return char


def _noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def describe(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``; a lone surrogate or a noncharacter says so."""
    code = f"U+{ord(char):04X}"
    if unicodedata.category(char) == "Cs":
        return f"{code} (a lone surrogate, not a character)"
    if _noncharacter(char):
        return f"{code} (a noncharacter)"
    return f"{code} {unicodedata.name(char, unicodedata.category(char))}"


def check_identifier(text: str) -> str:
    """``text``, if it may name something; else :class:`IdentifierError` naming the first
    character it must not hold (bidi and other format characters, zero-width characters,
    controls, separators, lone surrogates, noncharacters) and where it is."""
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text  # the common case, at C speed
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) in _NOT_IN_IDENTIFIERS or _noncharacter(char):
            raise IdentifierError(
                f"{show(text)} holds {describe(char)} at character {position}: an identifier "
                "cannot hold invisible, bidi or control characters",
                char,
            )
    return text


def slug(text: str) -> str:
    """A readable, IRI-safe path segment: ASCII letters, digits and ``._~-`` only."""
    check_identifier(text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = _UNSAFE.sub("-", ascii_text).strip("-")
    if not out:
        raise ValueError(f"cannot make an identifier from {text!r}")
    return out


def segment(text: str) -> str:
    """An injective IRI path segment: spaces become ``_``, anything else unsafe is %-encoded.

    Unlike :func:`slug`, two different texts never give the same segment
    (``G.729 Annex C`` and ``G.729 Annex C+`` stay apart).
    """
    check_identifier(text)
    return quote(text.replace("_", "%5F").replace(" ", "_"), safe="%_.~-()+")


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


class Ids:
    """Mints the IRIs of one knowledge graph from its base."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not base.endswith(("/", "#")):
            raise ValueError(f"the IRI base must end with '/' or '#': {base!r}")
        self.base = base

    def _iri(self, *segments: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + "/".join(segments))

    # WSIS
    def action_line(self, code: str) -> ox.NamedNode:
        return self._iri("action-line", slug(code))

    def agency(self, name: str) -> ox.NamedNode:
        return self._iri("agency", slug(name))

    # SDGs: the UN's own IRIs
    @staticmethod
    def sdg_goal(goal: int | str) -> ox.NamedNode:
        return ox.NamedNode(f"{SDG_BASE}{int(goal)}")

    @staticmethod
    def sdg_target(target: str) -> ox.NamedNode:
        goal, _, tail = target.partition(".")
        if not tail:
            raise ValueError(f"not an SDG target code: {target!r}")
        return ox.NamedNode(f"{SDG_BASE}{int(goal)}.{tail}")

    @staticmethod
    def sdg_indicator(indicator: str) -> ox.NamedNode:
        """``9.c.1`` -> ``http://metadata.un.org/sdg/C090c01`` (the KOS pattern)."""
        parts = indicator.split(".")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[2].isdigit():
            raise ValueError(f"not an SDG indicator code: {indicator!r}")
        goal, target, number = parts
        target_part = f"{int(target):02d}" if target.isdigit() else f"0{target}"
        return ox.NamedNode(f"{SDG_BASE}C{int(goal):02d}{target_part}{int(number):02d}")

    # ITU-T
    def study_period(self, period: str) -> ox.NamedNode:
        return self._iri("study-period", slug(period))

    def study_group(self, period: str, group: str) -> ox.NamedNode:
        return self._iri("study-group", slug(period), slug(group))

    def question(self, period: str, question: str) -> ox.NamedNode:
        return self._iri("question", slug(period), slug(question))

    def series(self, letter: str) -> ox.NamedNode:
        return self._iri("itu-t", "series", slug(letter))

    def recommendation(self, number: str) -> ox.NamedNode:
        return self._iri("itu-t", "rec", segment(number))

    def publication(self, docid: str) -> ox.NamedNode:
        body = docid.removeprefix("ITU-T ")
        body = re.sub(r"\((\d{2})/(\d{4})\)", r"\2-\1", body)
        return self._iri("itu-t", "pub", segment(body))

    # Resolutions and documents
    def body(self, code: str) -> ox.NamedNode:
        return self._iri("body", slug(code))

    def resolution(self, body: str, number: str) -> ox.NamedNode:
        return self._iri("resolution", slug(body.lower()), slug(number.replace("/", "-")))

    def resolution_version(
        self, body: str, number: str, year: int, place: str | None
    ) -> ox.NamedNode:
        version = f"{year}-{slug(place.lower())}" if place else str(year)
        return self._iri("resolution", slug(body.lower()), slug(number.replace("/", "-")), version)

    def section(self, version: ox.NamedNode, eid: str) -> ox.NamedNode:
        return ox.NamedNode(f"{version.value}/{slug(eid)}")

    def clause(self, section: ox.NamedNode, path: str) -> ox.NamedNode:
        return ox.NamedNode(f"{section.value}/{slug(path)}")

    @staticmethod
    def draft_version(version: ox.NamedNode, document_stem: str) -> ox.NamedNode:
        """A resolution version as one contribution proposes it."""
        return ox.NamedNode(f"{version.value}/proposed-by/{slug(document_stem)}")

    @staticmethod
    def proposed_change(document: ox.NamedNode, number: int) -> ox.NamedNode:
        return ox.NamedNode(f"{document.value}/change/{number}")

    @staticmethod
    def text_span(clause: ox.NamedNode, start: int, end: int) -> ox.NamedNode:
        """Characters start..end of a clause's text (what an extracted link cites)."""
        return ox.NamedNode(f"{clause.value}#{start}-{end}")

    def document(self, name: str) -> ox.NamedNode:
        return self._iri("document", slug(name))

    def meeting(self, body: str, year: int, resolution: str | None = None) -> ox.NamedNode:
        """One meeting of a conference, assembly or forum (PP, WTDC, WTPF ...): a body meets
        at most once a year, so body and year name it even where a text omits the place
        ("WTDC-17"). The UN General Assembly adopts resolutions on many days of a session:
        its meeting is the plenary that adopted one resolution (``resolution``, e.g. 70/1)."""
        if resolution is None:
            return self._iri("meeting", slug(body.lower()), str(int(year)))
        number = slug(resolution.replace("/", "-"))
        return self._iri("meeting", slug(body.lower()), str(int(year)), number)

    # WSIS outcome documents (the works, not files): by a short key (geneva-plan,
    # geneva-declaration, tunis-commitment, tunis-agenda), their numbered paragraphs, and the
    # lettered items of a paragraph
    def outcome_document(self, doc: str) -> ox.NamedNode:
        return self._iri("wsis-outcome", slug(doc))

    def outcome_paragraph(self, doc: str, number: int | str) -> ox.NamedNode:
        value = int(number)
        if value < 1:
            raise ValueError(f"not a paragraph number: {number!r}")
        return self._iri("wsis-outcome", slug(doc), str(value))

    @staticmethod
    def outcome_item(paragraph: ox.NamedNode, label: str) -> ox.NamedNode:
        return ox.NamedNode(f"{paragraph.value}/{slug(label)}")

    # Outside resources named by the curated tables
    @staticmethod
    def github_file(repo: str, path: str, commit: str) -> ox.NamedNode:
        return ox.NamedNode(f"https://github.com/{repo}/blob/{commit}/{path}")

    @staticmethod
    def web(url: str) -> ox.NamedNode | None:
        """An address a table cites, or None when it is not a valid absolute IRI (or holds a
        character no identifier may: see :func:`check_identifier`)."""
        try:
            return ox.NamedNode(check_identifier(url))
        except ValueError:
            return None

    # Provenance
    def dataset(self, name: str) -> ox.NamedNode:
        return self._iri("dataset", slug(name))

    def row(self, dataset: str, number: int) -> ox.NamedNode:
        return self._iri("dataset", slug(dataset), "row", str(number))

    def link(
        self, subject: ox.NamedNode, relation: ox.NamedNode, obj: ox.NamedNode, source: ox.NamedNode
    ) -> ox.NamedNode:
        """A qualified link node: one per (subject, relation, object, source)."""
        return self._iri("link", _hash(subject.value, relation.value, obj.value, source.value))

    def rule(self, rule_id: str) -> ox.NamedNode:
        return self._iri("rule", slug(rule_id))

    def mapping_set(self, name: str, evidence: Sequence[str] = ()) -> ox.NamedNode:
        """An SSSOM mapping set of the export (its ``mapping_set_id``); with ``evidence``, its
        subset of those evidence kinds (``…/mapping-set/clause/extracted-stated``)."""
        kinds = [slug("-".join(sorted(set(evidence))))] if evidence else []
        return self._iri("mapping-set", slug(name), *kinds)

    def graph(self, name: str) -> ox.NamedNode:
        return self._iri("graph", slug(name))

    def entailments_of(self, graph: ox.NamedNode) -> ox.NamedNode:
        """The named graph of what the per-source rules derive from ``graph``
        (graph/entailments.py): ``…/graph/entailments/<name>`` for a graph of this base,
        ``…/graph/entailments/iri-<sha1>`` for any other IRI."""
        own = self.base + "graph/"
        local = graph.value[len(own) :] if graph.value.startswith(own) else ""
        if _SLUG_ONLY.fullmatch(local) and local not in (".", ".."):
            return self._iri("graph", "entailments", local)
        digest = hashlib.sha1(graph.value.encode(), usedforsecurity=False).hexdigest()
        return self._iri("graph", "entailments", f"iri-{digest}")

    def entailments_prefix(self) -> str:
        """The start of every per-source entailment graph's IRI."""
        return self.base + "graph/entailments/"

    def load(self, load_id: str) -> ox.NamedNode:
        return self._iri("load", slug(load_id))

    def release(self, release_id: str) -> ox.NamedNode:
        return self._iri("release", slug(release_id))

    def software(self, version: str) -> ox.NamedNode:
        return self._iri("software", "wsis-kg", slug(version))
