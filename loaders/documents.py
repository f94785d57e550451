"""Resolution texts and contributions (.txt, .docx) as RDF: one document, one named graph.

The parse (``loaders.resolution_text`` / ``loaders.docx_revisions``) gives the structure; this
module maps it onto the ontology:

- the document (``wsis:Document``, or ``wsis:Contribution`` with its abstract, proposer and
  ``wsis:ProposedChange``: MOD/ADD/SUP on which resolution version);
- the resolution (same IRIs as the reference data: ``…/resolution/wtsa/75``), the version in
  force (``…/2022-geneva``), the version proposed, and the history of revisions;
- the text's sections and clauses, on the resolution version the document states (for a
  contribution: a ``wsis:DraftVersion`` of the proposed version, one per contribution, so that two
  proposals for the same revision never mix), with stable IRIs from version, section and label;
- every reference the text makes, as an ``extracted`` link from the clause that makes it, with the
  words and their character offsets; an Action Line by the role the words give it
  (``wsis:moderatorFacilitatorOf`` …, all sub-properties of ``wsis:supportsActionLine``), and with
  a confidence that follows the evidence: each warning on the words or on the clause's reading
  is kept on the link (``wsis:evidenceWarning``) and lowers it (one: medium, more: low).

A version known only from a proposal (the revision a contribution proposes) is
``wsis:versionStatus wsis:Proposed`` with ``wsis:proposedIn`` the contribution, and replaces
nothing; the version it amends, and the revisions before it, are ``wsis:Adopted``.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from loaders.docx_revisions import parse_readings
from loaders.errors import DocumentError
from loaders.formats import ReadLimits, TextModel, read_model, suffixes
from loaders.organs import BODY_SECTOR, add_sector, group_sector
from loaders.outcome import (
    OUTCOME_DOCUMENTS,
    REFERENCE_KINDS,
    OutcomeDocument,
    describe_document,
    describe_paragraph,
    detect_outcome,
    has_paragraph,
    outcome_quads,
    paragraph_label,
    parse_outcome,
)
from loaders.rdf import LoadReport, LoadResult, SourceInfo, TripleBuilder, en, lit
from loaders.reference import BODIES, Resolutions, Revision, normalise_body
from loaders.references import MEETING_NAMES
from loaders.resolution_text import ParsedDocument, ParseWarning, parse_structure
from loaders.unicode import clean_tree
from loaders.volumes import Part, split_volume
from loaders.wsis_paragraphs import paragraph_facts
from ontology import DCTERMS, PROV, RDFS, SKOS, WSIS
from ontology.ids import IdentifierError, Ids, check_identifier, show

DOCUMENT_SUFFIXES = suffixes()
STATUS = {"unchanged": "Unchanged", "modified": "Modified", "added": "Added", "deleted": "Deleted"}
# the role the words give a clause's Action Line (loaders.references), as a sub-property of
# wsis:supportsActionLine; no role cue: plain support
ROLE_PROPERTIES = {
    "moderator_facilitator": "moderatorFacilitatorOf",
    "lead_facilitator": "leadFacilitatorOf",
    "co_facilitator": "coFacilitatorOf",
    "facilitator": "facilitatesActionLine",
    "partner": "partnerInActionLine",
    "participant": "participatesInActionLine",
}
# warnings on a clause that put in doubt whether the proposed text holds it, so the links
# extracted from its words
CLAUSE_DOUBTS = {
    "inferred_reading",
    "likely_deleted",
    "irregular_label",
    "irregular_label_sequence",
}
ACTIONS = {"MOD", "ADD", "SUP"}
# ITU groups a clause may name, by the code the parser gives them
GROUP_NAMES = {
    "CWG-WSIS&SDG": "Council Working Group on WSIS and the SDGs",
    "CWG-Internet": "Council Working Group on international Internet-related public policy issues",
    "TSAG": "Telecommunication Standardization Advisory Group",
    "TSB": "Telecommunication Standardization Bureau",
}


def parse_model(model: TextModel) -> ParsedDocument:
    """Parse a reader's text model; what the reader removed or repaired comes first among the
    warnings."""
    if model.docx is not None:
        parsed = parse_readings(model.docx)
    else:
        parsed = parse_structure(
            model.text, model.source, footnotes=model.footnotes, flattened=model.flattened
        )
    notes = tuple(ParseWarning(n.code, n.message, n.place or "file") for n in model.notes)
    return replace(parsed, warnings=notes + parsed.warnings) if notes else parsed


def parse_document(path: Path, name: str | None = None) -> ParsedDocument:
    """Parse a resolution text in any accepted format (``loaders.formats``); DocumentError
    names the file and the problem."""
    return parse_model(read_model(path, name))


def document_key(name: str) -> str:
    """The identifier a file name gives its document: the name without its suffix, in ASCII
    where the name has a readable ASCII form, with a short digest of the name as given when
    letters had to be dropped (an Arabic, Chinese or Russian name), so two names never meet.
    "résolution 75.docx" → "resolution-75-1f0c9e2a", "res75.txt" → "res75"."""
    stem = Path(name).stem or name
    try:
        check_identifier(stem)
    except IdentifierError as e:
        raise DocumentError(show(name), f"the file name cannot name a document: {e}") from e
    if stem.isascii():
        return stem
    ascii_part = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_part = re.sub(r"[^A-Za-z0-9._~-]+", "-", ascii_part).strip("-._~")
    digest = hashlib.sha256(unicodedata.normalize("NFC", stem).encode()).hexdigest()[:8]
    return f"{ascii_part}-{digest}" if ascii_part else f"document-{digest}"


def document_name(path: Path) -> str:
    return f"document-{document_key(path.name)}"


@dataclass(frozen=True)
class DocumentLoad:
    """What one file gives: one document, or one per resolution of a volume."""

    file_name: str
    results: list[LoadResult]
    parses: list[ParsedDocument | OutcomeDocument]
    parts: list[Part]
    keys: list[str]  # each document's identifier
    jsons: list[dict[str, Any]]  # each parse as JSON, with pages where the file has them

    @property
    def is_volume(self) -> bool:
        return len(self.parts) > 1

    def parse_json(self) -> dict[str, Any]:
        """The dry-run JSON (docs/parse-json.md): a document's parse, or for a volume the
        parse of each of its resolutions with its place in the volume."""
        if not self.is_volume:
            return self.jsons[0]
        return {
            "source": self.file_name,
            "volume": {"file": self.file_name, "resolutions": len(self.parts)},
            "documents": [
                {
                    **data,
                    "part": {
                        "index": part.index,
                        "document": key,
                        "first_line": part.first_line,
                        "first_page": part.first_page,
                        "last_page": part.last_page,
                    },
                }
                for data, part, key in zip(self.jsons, self.parts, self.keys, strict=True)
            ],
        }


def load_documents(path: Path, ids: Ids, limits: ReadLimits | None = None) -> DocumentLoad:
    """The quads of each document a file holds (one named graph each) and their parses."""
    key = document_key(path.name)  # no invisible or bidi characters in the name
    model = read_model(path, limits=limits)
    # a WSIS outcome document (Geneva Declaration, Plan of Action, Tunis Commitment and Agenda)
    # is loaded by paragraph (loaders/outcome.py)
    if model.docx is None and detect_outcome(model.text):
        result, outcome = load_outcome_document(path, ids, model.text)
        whole = Part(1, model, 1, model.page_at(0), None)
        return DocumentLoad(path.name, [result], [outcome], [whole], [key], [outcome.to_json()])
    parts = split_volume(model)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    results: list[LoadResult] = []
    parses: list[ParsedDocument | OutcomeDocument] = []
    keys: list[str] = []
    jsons: list[dict[str, Any]] = []
    for part in parts:
        parsed = parse_model(part.model)
        part_key = key if len(parts) == 1 else _part_key(key, parsed, part, keys)
        # every string the graph will hold: in NFC, and only characters (the parse made sure
        # of the text; this covers what a .docx adds, such as authors of changes)
        data = clean_tree(parsed.to_json(), path.name)
        _add_pages(data, part.model)
        out = TripleBuilder(ids)
        report = LoadReport(path.name if len(parts) == 1 else f"{path.name} [{part_key}]")
        volume = (key, part) if len(parts) > 1 else None
        place = (
            f"resolution {part.index} of {len(parts)} (from line {part.first_line})"
            if volume
            else None
        )
        try:
            _Mapper(ids, out, report, path, data, part_key, volume).run()
        except IdentifierError as e:
            raise DocumentError(path.name, f"cannot make an identifier: {e}", place) from e
        except DocumentError as e:
            if place is None:
                raise
            raise DocumentError(e.source, e.problem, e.place or place) from e
        report.count("triples", len(out))
        name = f"document-{part_key}"
        source = SourceInfo(name, path.name, digest, entity=ids.document(part_key))
        results.append(LoadResult(ids.graph(name), out.triples(), report, source))
        parses.append(parsed)
        keys.append(part_key)
        jsons.append(data)
    return DocumentLoad(path.name, results, parses, parts, keys, jsons)


def load_document(path: Path, ids: Ids) -> tuple[LoadResult, ParsedDocument | OutcomeDocument]:
    """The quads of one document's named graph, and its parse (for reports and --dry-run);
    a file holding several resolutions is refused here (see :func:`load_documents`)."""
    loaded = load_documents(path, ids)
    if loaded.is_volume:
        raise DocumentError(
            path.name, f"holds {len(loaded.parts)} resolutions: read it as a volume"
        )
    return loaded.results[0], loaded.parses[0]


def _part_key(key: str, parsed: ParsedDocument, part: Part, taken: list[str]) -> str:
    header = parsed.header
    if header.body and header.number:
        base = f"{key}-{header.body}-{header.number}"
    else:
        base = f"{key}-part-{part.index}"
    base = re.sub(r"[^A-Za-z0-9._~-]+", "-", base).strip("-")
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _add_pages(data: dict[str, Any], model: TextModel) -> None:
    """The page of each section and clause, where the file has pages."""
    if not model.page_starts:
        return
    line_starts = [0]
    for line in model.text.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)

    def page(line: int | None) -> int | None:
        if not line or line > len(line_starts):
            return None
        return model.page_at(line_starts[line - 1])

    def walk(clause: dict[str, Any]) -> None:
        if (p := page(clause.get("line"))) is not None:
            clause["page"] = p
        for child in clause.get("children") or []:
            walk(child)

    for section in data["sections"]:
        if (p := page(section.get("line"))) is not None:
            section["page"] = p
        for clause in section["clauses"]:
            walk(clause)


class _Mapper:
    def __init__(
        self,
        ids: Ids,
        out: TripleBuilder,
        report: LoadReport,
        path: Path,
        data: dict[str, Any],
        key: str,
        volume: tuple[str, Part] | None = None,
    ) -> None:
        self.ids, self.out, self.report, self.path, self.data = ids, out, report, path, data
        self.key = key
        self.volume = volume
        self.doc = ids.document(self.key)
        self.res = Resolutions(ids, out)

    def run(self) -> None:
        document = self.data["document"]
        if not document.get("body") or not document.get("number"):
            raise DocumentError(self.path.name, "no resolution body and number found")
        try:
            body = normalise_body(document["body"])
        except ValueError as e:
            raise DocumentError(self.path.name, str(e)) from e
        self._document(document)
        self.body = body
        self.doubts: dict[str, list[str]] = {}
        for warning in self.data["warnings"]:
            if warning.get("clause") and warning["code"] in CLAUSE_DOUBTS:
                self.doubts.setdefault(warning["clause"], []).append(_warning_text(warning))
        work = self._work(body, document["number"])
        self.work = work
        version = self._versions(body, document, work)
        self.version = version
        for order, section in enumerate(self.data["sections"], start=1):
            self._section(version, section, order)
        for warning in self.data["warnings"]:
            self.report.warn(warning["place"], f"{warning['message']} [{warning['code']}]")
            self.out.add(self.doc, WSIS.warning, lit(_warning_text(warning)))

    # -------------------------------------------------------------- document and resolution

    def _document(self, document: dict[str, Any]) -> None:
        out, doc = self.out, self.doc
        out.typed(doc, WSIS.Document)
        out.add(doc, WSIS.fileName, lit(self.path.name))
        if self.volume is None:
            out.add(doc, RDFS.label, lit(f"{self.path.name}"))
        else:  # one resolution of a volume: the volume is its source, its pages the locator
            volume_key, part = self.volume
            node = self.ids.document(volume_key)
            out.typed(node, WSIS.Document, WSIS.Volume)
            out.add(node, WSIS.fileName, lit(self.path.name))
            out.add(node, RDFS.label, lit(self.path.name))
            out.add(doc, DCTERMS.isPartOf, node)
            where = part.pages or f"from line {part.first_line}"
            number = f"Resolution {document.get('number')}" if document.get("number") else None
            label = ", ".join(x for x in (number, where) if x)
            out.add(doc, RDFS.label, lit(f"{self.path.name} ({label})"))
            out.add(doc, WSIS.locator, lit(where))
        if document["kind"] == "contribution":
            out.typed(doc, WSIS.Contribution)
        if document.get("abstract"):
            out.add(doc, WSIS.abstract, en(document["abstract"]))
        if admin := document.get("proposing_administration"):
            node = self.ids.agency(admin)
            out.typed(node, WSIS.Administration)
            out.add(node, RDFS.label, en(admin))
            out.add(doc, DCTERMS.creator, node)

    def _work(self, body: str, number: str) -> ox.NamedNode:
        return self.res.work(body, number, self.doc)

    def _version(
        self, body: str, number: str, work: ox.NamedNode, revision: dict[str, Any], revised: bool
    ) -> ox.NamedNode:
        del work  # Resolutions.version describes the work too
        place = revision["place"]["normalised"] if revision.get("place") else None
        year = int(revision["year"])
        node = self.res.version(body, number, Revision(place, year, revised, ""), self.doc)
        if place and revision["place"]["as_written"] != place:
            self.out.add(node, WSIS.asWritten, lit(revision["place"]["as_written"]))
        return node

    def _versions(self, body: str, document: dict[str, Any], work: ox.NamedNode) -> ox.NamedNode:
        number = document["number"]
        revisions = document.get("revisions") or {}
        in_force = revisions.get("in_force")
        proposed: dict[str, Any] | None = (
            revisions.get("proposed") if document["kind"] == "contribution" else None
        )
        adopted: list[ox.NamedNode] = []
        for i, rev in enumerate(document.get("history") or []):
            node = self._version(body, number, work, rev, i > 0)
            if proposed is not None and _same_meeting(rev, proposed):
                self._proposed(node)  # the history line names the proposed revision too
            else:
                adopted.append(node)
        for earlier, later in itertools.pairwise(adopted):
            self.out.add(later, DCTERMS.replaces, earlier)
        for node in adopted:
            self.out.add(node, WSIS.versionStatus, WSIS.Adopted)
        current = self._version(body, number, work, in_force, True) if in_force else None
        if current is not None:
            self.out.add(current, WSIS.versionStatus, WSIS.Adopted)
        title = document.get("title")
        if proposed is None:
            if current is None:
                raise DocumentError(self.path.name, "no revision of the resolution found")
            if title:
                self.out.add(current, DCTERMS.title, en(title))
            return current
        target = self._version(body, number, work, proposed, True)
        self._proposed(target)
        draft = self.ids.draft_version(target, self.key)
        out = self.out
        out.typed(draft, WSIS.ResolutionVersion, WSIS.DraftVersion)
        add_sector(out, draft, BODY_SECTOR[body])
        out.add(draft, DCTERMS.isVersionOf, work)
        out.add(draft, WSIS.listedUnder, work)
        out.add(draft, WSIS.revisionYear, lit(int(proposed["year"])))
        label = f"Rev. {proposed['place']['normalised']}, {proposed['year']} (proposed)"
        out.add(draft, WSIS.revisionLabel, lit(label))
        out.add(draft, RDFS.label, en(f"{body} Resolution {number} ({label} in {self.path.name})"))
        out.add(draft, PROV.wasDerivedFrom, self.doc)
        self._proposed(draft)
        if title:
            out.add(draft, DCTERMS.title, en(title))
        change = self.ids.proposed_change(self.doc, 1)
        action = (document.get("action") or "MOD").upper()
        if action not in ACTIONS:
            raise DocumentError(self.path.name, f"unknown action {action!r} (MOD, ADD or SUP)")
        out.typed(change, WSIS.ProposedChange)
        out.add(change, RDFS.label, lit(f"{action} {body} Resolution {number}"))
        out.add(change, WSIS.action, WSIS[action])
        out.add(change, WSIS.changes, current or work)
        out.add(change, WSIS.proposedVersion, draft)
        out.add(self.doc, WSIS.proposes, change)
        return draft

    def _proposed(self, version: ox.NamedNode) -> None:
        """A version only this proposal names: proposed, in this document, replacing nothing."""
        self.out.add(version, WSIS.versionStatus, WSIS.Proposed)
        self.out.add(version, WSIS.proposedIn, self.doc)

    # -------------------------------------------------------------- sections and clauses

    def _section(self, version: ox.NamedNode, section: dict[str, Any], order: int) -> None:
        node = self.ids.section(version, section["eid"])
        out = self.out
        kind = WSIS.OperativeSection if section["kind"] == "operative" else WSIS.PreambularSection
        out.typed(node, WSIS.Section, kind)
        out.add(version, WSIS.hasSection, node)
        out.add(node, WSIS.heading, lit(section["heading"]))
        out.add(node, WSIS.eId, lit(section["eid"]))
        out.add(node, WSIS.order, lit(order))
        out.add(node, RDFS.label, lit(section["heading"]))
        if section.get("addressee"):
            out.add(node, WSIS.addressee, lit(section["addressee"]))
        if section.get("line"):
            out.add(node, WSIS.sourceLine, lit(int(section["line"])))
        if section.get("page"):
            out.add(node, WSIS.sourcePage, lit(int(section["page"])))
        out.add(node, PROV.wasDerivedFrom, self.doc)
        self.report.count("sections")
        for clause in section["clauses"]:
            self._clause(node, node, section, clause)

    def _clause(
        self,
        section_node: ox.NamedNode,
        parent: ox.NamedNode,
        section: dict[str, Any],
        clause: dict[str, Any],
    ) -> None:
        path = clause["eid"].removeprefix(section["eid"]).strip("_").replace("__", "/")
        node = self.ids.clause(section_node, path)
        out = self.out
        out.typed(node, WSIS.Clause)
        out.add(node, WSIS.listedUnder, self.work)
        out.add(parent, WSIS.hasClause, node)
        out.add(node, WSIS.eId, lit(clause["eid"]))
        out.add(node, WSIS.order, lit(int(clause["order"])))
        out.add(node, WSIS.text, lit(clause["text"]))
        label = clause.get("label") or clause.get("old_label")
        name = (
            f"{section['heading']} {label}"
            if label
            else f"{section['heading']} ({clause['order']})"
        )
        out.add(node, RDFS.label, lit(name))
        out.add_all(
            node,
            [
                (WSIS.clauseLabel, lit(clause["label"]) if clause.get("label") else None),
                (
                    WSIS.previousLabel,
                    lit(clause["old_label"])
                    if clause.get("old_label") and clause.get("old_label") != clause.get("label")
                    else None,
                ),
                (
                    WSIS.labelAsWritten,
                    lit(clause["label_as_written"]) if clause.get("label_as_written") else None,
                ),
                (WSIS.reading, lit(clause["reading"]) if clause.get("reading") else None),
                (WSIS.sourceLine, lit(int(clause["line"])) if clause.get("line") else None),
                (WSIS.sourcePage, lit(int(clause["page"])) if clause.get("page") else None),
                (
                    WSIS.textBefore,
                    lit(clause["text_before"]) if clause.get("text_before") else None,
                ),
                (WSIS.textAfter, lit(clause["text_after"]) if clause.get("text_after") else None),
            ],
        )
        out.add(node, WSIS.changeStatus, WSIS[_status(clause)])
        if moved := clause.get("moved_from"):
            out.add(node, WSIS.previousSection, self.ids.section(self.version, moved["section"]))
            out.add(node, WSIS.previousLabel, lit(moved["label"]))
        for cue in (clause.get("inferred_change") or {}).get("cues") or []:
            out.add(node, WSIS.statusCue, lit(cue))
        for change in clause.get("changes") or []:
            if change.get("author"):
                out.add(node, WSIS.changeAuthor, lit(change["author"]))
            if change.get("date"):
                out.add(node, WSIS.changeDate, lit(change["date"]))
        for footnote in clause.get("footnotes") or []:
            text = footnote["text"] if isinstance(footnote, dict) else str(footnote)
            out.add(node, WSIS.footnote, lit(text))
        out.add(node, PROV.wasDerivedFrom, self.doc)
        self.report.count("clauses")
        for mention in clause.get("mentions") or []:
            self._reference(node, mention, name, self.doubts.get(clause["eid"], []))
        for child in clause.get("children") or []:
            self._clause(section_node, node, section, child)

    # -------------------------------------------------------------- references

    def _reference(
        self, clause: ox.NamedNode, ref: dict[str, Any], place: str, doubts: list[str]
    ) -> None:
        target = self._reference_target(ref)
        if target is None:
            self.report.count("references not linked")
            return
        relation, obj, role = target
        warnings = [
            f"{place}: {w['message']} [{w['code']}]" for w in ref.get("warnings") or []
        ] + doubts
        self._link(clause, relation, obj, ref, role or ref["type"], warnings)
        if ref["type"] in REFERENCE_KINDS:
            self._outcome_paragraphs(clause, ref, place, warnings)
        if (ref.get("revision") or {}).get("before"):
            # a merged revision ("Rev. DubaiBucharest, 20182022"): the text cites the old
            # revision before the change and the new one after it
            before = self._cited_resolution(ref, "before")
            role = f"{ref['type']} (reading before the change)"
            self._link(clause, relation, before, ref, role, warnings)
        self.report.count("references")

    def _link(
        self,
        clause: ox.NamedNode,
        relation: ox.NamedNode,
        obj: ox.NamedNode,
        ref: dict[str, Any],
        role: str,
        warnings: list[str],
    ) -> None:
        where = self.ids.text_span(clause, int(ref["start"]), int(ref["end"]))
        link = self.out.link(
            clause,
            relation,
            obj,
            evidence="extracted",
            confidence=_confidence(warnings),
            source=where,
            clause=clause,
            document=self.doc,
            quotation=ref["text"],
            source_relation=role,
        )
        self.out.add(link, WSIS.startOffset, lit(int(ref["start"])))
        self.out.add(link, WSIS.endOffset, lit(int(ref["end"])))
        if ref.get("paragraphs"):
            self.out.add(link, WSIS.paragraph, lit(", ".join(ref["paragraphs"])))
        for warning in warnings:
            self.out.add(link, WSIS.evidenceWarning, lit(warning))

    def _reference_target(
        self, ref: dict[str, Any]
    ) -> tuple[ox.NamedNode, ox.NamedNode, str | None] | None:
        kind = ref["type"]
        if kind == "action_line" and ref.get("code"):
            role = ref.get("role")
            relation = WSIS[ROLE_PROPERTIES.get(role or "", "supportsActionLine")]
            return relation, self.ids.action_line(ref["code"]), role
        if kind in ("resolution", "resolution_paragraph") and ref.get("number"):
            return WSIS.cites, self._cited_resolution(ref), None
        if kind == "agenda_2030":
            work = self._work("UNGA", "70/1")
            return WSIS.cites, self._version("UNGA", "70/1", work, {"year": 2015}, False), None
        if kind in REFERENCE_KINDS:  # a paragraph of a WSIS outcome document: cites it
            return WSIS.cites, describe_document(self.out, self.ids, REFERENCE_KINDS[kind]), None
        if kind == "sdg_goal" and ref.get("code"):
            return WSIS.mentions, self.ids.sdg_goal(ref["code"]), None
        if kind == "sdg_target" and ref.get("code"):
            return WSIS.mentions, self.ids.sdg_target(ref["code"]), None
        if kind == "body" and ref.get("code"):
            return WSIS.mentions, self._group(ref["code"]), None
        if kind == "meeting" and (ref.get("meeting") or {}).get("year"):
            return WSIS.mentions, self._meeting(ref), None
        if kind == "wsis_document" and ref.get("code"):
            node = self.ids.document(ref["code"])
            self.out.typed(node, WSIS.Document)
            self.out.add(node, RDFS.label, en(ref["code"]))
            return WSIS.cites, node, None
        return None

    # ---- BEGIN WSIS outcome-document paragraphs (branch wsis-paragraphs)

    def _outcome_paragraphs(
        self, clause: ox.NamedNode, ref: dict[str, Any], place: str, warnings: list[str]
    ) -> None:
        """A reference to paragraphs of a WSIS outcome document: an extracted link from the
        clause to each paragraph, and, where the curated table says which Action Line the
        paragraph sets out, an extracted link to that line with the same words. A paragraph
        number the document does not have gives a warning and no link."""
        key = REFERENCE_KINDS[ref["type"]]
        facts = paragraph_facts()
        for text in ref.get("paragraphs") or []:
            number = int(text)
            if not has_paragraph(key, number):
                info = OUTCOME_DOCUMENTS[key]
                message = (
                    f"{place}: '{ref['text']}' names paragraph {number}, but the {info.name} "
                    f"has {info.paragraphs} paragraphs [unknown_paragraph]"
                )
                self.report.warn(place, message)
                self.out.add(self.doc, WSIS.warning, lit(message))
                continue
            node = describe_paragraph(self.out, self.ids, key, number)
            self._link(clause, WSIS.citesParagraph, node, ref, ref["type"], warnings)
            self.report.count("paragraph references")
            fact = facts.get((key, number))
            if fact is None or not fact.action_line:
                continue
            doubts = list(warnings)
            if fact.general_knowledge:
                doubts.append(
                    f"{place}: that {paragraph_label(key, number)} sets out {fact.action_line} is "
                    f"general knowledge (wsis_paragraphs.csv row {fact.row}) [unsourced_paragraph]"
                )
            role = f"{ref['type']} (§{number} sets out {fact.action_line})"
            self._link(
                clause,
                WSIS.supportsActionLine,
                self.ids.action_line(fact.action_line),
                ref,
                role,
                doubts,
            )

    # ---- END WSIS outcome-document paragraphs

    def _meeting(self, ref: dict[str, Any]) -> ox.NamedNode:
        """A meeting named in a clause ("the Plenipotentiary Conference (Busan, 2014)"),
        described so that it never dangles."""
        body, meeting = ref["body"], ref["meeting"]
        year = int(meeting["year"])
        node = self.ids.meeting(body, year)
        out = self.out
        out.typed(node, WSIS.Meeting)
        out.add(node, WSIS.meetingYear, lit(year))
        out.add(node, SKOS.notation, lit(ref["code"]))
        name = MEETING_NAMES.get(body, body)
        where = f"{meeting['place']}, {year}" if meeting.get("place") else str(year)
        out.add(node, RDFS.label, en(f"{name} ({where})"))
        if meeting.get("place"):
            out.add(node, WSIS.meetingPlace, lit(meeting["place"]))
        if body in BODIES:
            out.add(node, WSIS.meetingOf, self.res.body(body))
        return node

    def _cited_resolution(self, ref: dict[str, Any], reading: str = "after") -> ox.NamedNode:
        """The cited resolution (or its cited revision), described so that it never dangles,
        with the IRIs the reference data uses for the same resolution and revision."""
        body = normalise_body(ref["body"]) if ref.get("body") else self.body
        work = self._work(body, ref["number"])
        revision = ref.get("revision") or {}
        if reading == "before":
            revision = {**revision.get("before", {}), "is_revision": revision.get("is_revision")}
        if not revision.get("year"):
            return work
        place = revision.get("place")
        cited = {
            "year": revision["year"],
            "place": {"normalised": place, "as_written": revision.get("place_as_written") or place}
            if place
            else None,
        }
        return self._version(body, ref["number"], work, cited, bool(revision.get("is_revision")))

    def _group(self, code: str) -> ox.NamedNode:
        node = self.ids.agency(code)
        study_group = re.fullmatch(r"SG(\d+)", code)
        label = (
            f"ITU-T Study Group {study_group[1]}" if study_group else GROUP_NAMES.get(code, code)
        )
        self.out.typed(node, WSIS.ITUGroup)
        add_sector(self.out, node, group_sector(code))
        self.out.add(node, RDFS.label, en(label))
        self.out.add(node, SKOS.notation, lit(code))
        return node


# ---- BEGIN WSIS outcome documents (branch wsis-paragraphs)


def load_outcome_document(path: Path, ids: Ids, text: str) -> tuple[LoadResult, OutcomeDocument]:
    """A WSIS outcome document given as text (``detect_outcome`` says which): one node per
    numbered paragraph and per lettered item, with its text, in the file's named graph.
    Returns the load and the parse (a ``loaders.outcome.OutcomeDocument``)."""
    parsed = parse_outcome(clean_tree(text, path.name), path.name)
    key = document_key(path.name)
    result = outcome_quads(parsed, ids, document_name(path), file_node=ids.document(key))
    result.source = SourceInfo(
        result.source.name,
        path.name,
        hashlib.sha256(path.read_bytes()).hexdigest(),
        entity=ids.document(key),
    )
    return result, parsed


# ---- END WSIS outcome documents


def _warning_text(warning: dict[str, Any]) -> str:
    return f"{warning['place']}: {warning['message']} [{warning['code']}]"


def _confidence(warnings: list[str]) -> str:
    """High on clean words; each warning on the words or the clause's reading lowers it."""
    return "high" if not warnings else "medium" if len(warnings) == 1 else "low"


def _same_meeting(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def key(m: dict[str, Any]) -> tuple[str | None, int | None]:
        return (m.get("place") or {}).get("normalised"), m.get("year")

    return key(a) == key(b)


def _status(clause: dict[str, Any]) -> str:
    if clause.get("status") in STATUS:
        return STATUS[clause["status"]]
    if (clause.get("inferred_change") or {}).get("status") == "deleted":
        return "LikelyDeleted"
    if clause.get("moved_from"):
        return "Moved"
    reading = clause.get("reading")
    if reading == "before":
        return "Deleted"
    if reading == "after":
        return "Added"
    if clause.get("old_label") and clause.get("old_label") != clause.get("label"):
        return "Modified"
    return "Undetermined"
